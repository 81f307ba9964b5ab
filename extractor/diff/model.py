"""The result of a diff: blocks, word edits, field comparisons, and its JSON shape.

The JSON shape is the contract shared with the HTML renderer and lineage
(``/work/briefs/diff_contract.md``): :meth:`DiffResult.to_dict` is the only
serializer, so the three agree by construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "1"

Status = Literal["kept", "modified", "added", "dropped", "moved"]
Op = Literal["insert", "delete", "replace"]
EditKind = Literal["edit", "localisation", "date_shift", "citation", "moved"]
FieldStatus = Literal["same", "changed", "added", "dropped", "absent"]


@dataclass(frozen=True, slots=True)
class DocInfo:
    """Identity of one side of the diff, from its record."""

    path: str | None
    number: str | None
    doc_type: str | None
    issuing_body: str | None
    date: str | None
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        """The ``upper``/``lower`` object of the JSON."""
        return {
            "path": self.path,
            "number": self.number,
            "doc_type": self.doc_type,
            "issuing_body": self.issuing_body,
            "date": self.date,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class Part:
    """One paragraph of a block's side: its span and innermost section."""

    start: int
    end: int
    section: str | None

    def to_dict(self) -> dict[str, Any]:
        """The object of a side's ``parts`` list."""
        return {"start": self.start, "end": self.end, "section": self.section}


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a block: a span of the normalized text and its innermost section.

    ``parts`` are the paragraphs the span covers, in order (empty means the
    span is one paragraph).
    """

    start: int
    end: int
    section: str | None
    text: str
    parts: tuple[Part, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``upper``/``lower`` object of a block."""
        parts = self.parts or (Part(self.start, self.end, self.section),)
        return {
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "text": self.text,
            "parts": [part.to_dict() for part in parts],
        }


@dataclass(frozen=True, slots=True)
class Edit:
    """A word-level edit: absolute ``[start, end)`` spans, ``None`` on the empty side.

    ``anchor`` is where the edit sits in each text even when that side is
    empty (the insertion point of an ``insert`` in the upper text), so the
    edits of a block can be replayed on the upper text.
    """

    op: Op
    upper: str
    lower: str
    upper_at: tuple[int, int] | None
    lower_at: tuple[int, int] | None
    anchor: tuple[int, int]
    kind: EditKind = "edit"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The edit object of the JSON."""
        return {
            "op": self.op,
            "upper": self.upper,
            "lower": self.lower,
            "upper_at": list(self.upper_at) if self.upper_at else None,
            "lower_at": list(self.lower_at) if self.lower_at else None,
            "anchor": list(self.anchor),
            "kind": self.kind,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Block:
    """An aligned unit: one or more consecutive paragraphs on each side.

    ``links`` says which paragraphs of a merge or split share content:
    ``(k, m)`` pairs the ``k``-th upper part with the ``m``-th lower part.
    """

    status: Status
    similarity: float
    upper: Side | None
    lower: Side | None
    edits: tuple[Edit, ...] = ()
    links: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The block object of the JSON."""
        links = self.links
        if not links and self.upper is not None and self.lower is not None:
            links = tuple(
                (k, m)
                for k in range(max(len(self.upper.parts), 1))
                for m in range(max(len(self.lower.parts), 1))
            )
        return {
            "status": self.status,
            "similarity": round(self.similarity, 3),
            "upper": self.upper.to_dict() if self.upper else None,
            "lower": self.lower.to_dict() if self.lower else None,
            "links": [list(link) for link in links],
            "edits": [edit.to_dict() for edit in self.edits],
        }


@dataclass(frozen=True, slots=True)
class Shift:
    """A deadline whose date moved between the two documents."""

    upper: str
    lower: str
    shown: str
    action: str

    def to_dict(self) -> dict[str, str]:
        """The shift object of ``fields.deadlines.shifts``."""
        return {
            "upper": self.upper,
            "lower": self.lower,
            "shown": self.shown,
            "action": self.action,
        }


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One record field on both sides, as display strings, and how it changed."""

    upper: tuple[str, ...]
    lower: tuple[str, ...]
    status: FieldStatus
    shifts: tuple[Shift, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The field object of the JSON (``shifts`` only for deadlines)."""
        out: dict[str, Any] = {
            "upper": list(self.upper),
            "lower": list(self.lower),
            "status": self.status,
        }
        if self.shifts:
            out["shifts"] = [shift.to_dict() for shift in self.shifts]
        return out


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of block statuses and localisation edits, and a one-sentence verdict."""

    kept: int
    modified: int
    added: int
    dropped: int
    moved: int
    localisations: int
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """The ``summary`` object of the JSON."""
        return {
            "kept": self.kept,
            "modified": self.modified,
            "added": self.added,
            "dropped": self.dropped,
            "moved": self.moved,
            "localisations": self.localisations,
            "verdict": self.verdict,
        }


@dataclass(frozen=True, slots=True)
class DiffResult:
    """How a lower document adapts an upper one.

    ``blocks`` are in the reading order of the lower document, each dropped
    upper block next to its upper neighbours. ``warnings`` say when a time or
    size budget made the diff coarser than usual.
    """

    upper: DocInfo
    lower: DocInfo
    lower_cites_upper: bool
    cites_via: tuple[str, ...]
    related: bool
    overlap: float
    summary: Summary
    blocks: tuple[Block, ...]
    fields: dict[str, FieldDiff]
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the diff contract."""
        return {
            "schema_version": SCHEMA_VERSION,
            "upper": self.upper.to_dict(),
            "lower": self.lower.to_dict(),
            "lower_cites_upper": self.lower_cites_upper,
            "cites_via": list(self.cites_via),
            "related": self.related,
            "overlap": round(self.overlap, 3),
            "summary": self.summary.to_dict(),
            "blocks": [block.to_dict() for block in self.blocks],
            "fields": {name: value.to_dict() for name, value in self.fields.items()},
            "warnings": list(self.warnings),
        }

    def to_json(self, *, pretty: bool = False) -> str:
        """The JSON text of :meth:`to_dict`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2 if pretty else None)
