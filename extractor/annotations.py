"""Annotation exchange: gold files ↔ ``[start, end, LABEL]`` spans for labelling tools.

An annotation file (``annotations/<id>.json``, GUIDE.md) labels *raw* lines of
``annotations/texts/<id>.txt`` by their 1-based number. Labelling tools (Label
Studio, doccano) and the classifiers work on spans over the *normalized* text
instead. This module converts between the two:

- :func:`line_spans`: one ``(start, end, ROLE)`` per non-blank normalized line,
  the role of the raw line that line comes from (unlisted lines are ``body``);
- :func:`field_spans`: where the gold record's values occur in the normalized
  text (:func:`find_fields` also says which values were not found, and how);
- :func:`export_label_studio` / :func:`export_doccano` and
  :func:`import_label_studio` / :func:`import_doccano`;
- :func:`apply_import`: writes imported line roles back into the files'
  ``"lines"``; records are never touched, and a file is rewritten canonically
  only when its labels changed, so export → import → apply is byte-identical.

>>> doc = AnnotatedDocument.from_data(
...     {"id": "x", "record": {"place": "Hà Nội"},
...      "lines": [{"line": 1, "role": "doc_type", "text": "KẾ HOẠCH"}]},
...     Document.from_text("KẾ HOẠCH\\n\\n\\nHà Nội, ngày 5 tháng 3 năm 2022"),
... )
>>> export_doccano([doc])[0]["label"]
[[0, 8, 'doc_type'], [10, 16, 'place'], [10, 41, 'body']]
"""

from __future__ import annotations

import bisect
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import regex

from extractor.document import Document
from extractor.errors import AnnotationExchangeError
from extractor.structure.lines import ROLES as STRUCTURE_ROLES
from extractor.text.normalize import normalize

__all__ = [
    "FIELD_LABELS",
    "LABELS",
    "LINE_LABELS",
    "ROLES",
    "AnnotatedDocument",
    "AnnotationExchangeError",
    "ApplyResult",
    "ExchangeFormat",
    "FieldMatch",
    "ImportedDocument",
    "LineLabel",
    "Span",
    "apply_import",
    "export_doccano",
    "export_label_studio",
    "field_coverage",
    "field_spans",
    "find_fields",
    "import_doccano",
    "import_label_studio",
    "iter_annotations",
    "label_studio_config",
    "line_spans",
    "load_annotation",
    "parse_import",
    "serialize_export",
]

Span = tuple[int, int, str]
ExchangeFormat = Literal["label-studio", "doccano"]
FORMATS: tuple[ExchangeFormat, ...] = ("label-studio", "doccano")

# The line roles of GUIDE.md ("Line roles"), in the guide's order: the roles
# of the structure stage but "body"; a test checks them against the guide's
# table so the two cannot drift apart.
ROLES: tuple[str, ...] = tuple(role for role in STRUCTURE_ROLES if role != "body")
# "body" is what an unlisted line counts as; exported explicitly so a tool
# shows every line and an annotator can un-label a line by labelling it body.
LINE_LABELS: tuple[str, ...] = (*ROLES, "body")
FIELD_LABELS: tuple[str, ...] = (
    "number",
    "date",
    "place",
    "title",
    "issuing_body",
    "theme",
    "audience",
    "form",
    "recipient",
    "signer_authority",
    "signer_position",
    "signer_name",
    "reference",
)
# Five names are both a line role and a field label (number, title, the
# signer parts); a tool sees one label of that name.
LABELS: tuple[str, ...] = tuple(dict.fromkeys((*LINE_LABELS, *FIELD_LABELS)))
_ROLE_ONLY = frozenset(LINE_LABELS) - frozenset(FIELD_LABELS)

_NOT_ANNOTATIONS = frozenset({"sources.json", "split.json"})


@dataclass(frozen=True, slots=True)
class LineLabel:
    """One entry of an annotation file's ``"lines"``: a raw line's role."""

    line: int
    role: str
    text: str
    slot: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class AnnotatedDocument:
    """An annotation file with its text read into a :class:`Document`."""

    id: str
    document: Document
    record: Mapping[str, Any]
    lines: tuple[LineLabel, ...] = ()
    scope: str = "full"
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def from_data(
        cls, data: Mapping[str, Any], document: Document, *, path: Path | None = None
    ) -> AnnotatedDocument:
        """Build one from a parsed annotation file and its read text.

        >>> doc = AnnotatedDocument.from_data(
        ...     {"id": "x", "record": {}, "lines": [{"line": 1, "role": "org", "text": "BỘ Y TẾ"}]},
        ...     Document.from_text("BỘ Y TẾ"),
        ... )
        >>> doc.lines[0].role
        'org'
        """
        lines = tuple(
            LineLabel(int(entry["line"]), str(entry["role"]), str(entry["text"]), entry.get("slot"))
            for entry in data.get("lines", [])
        )
        return cls(
            id=str(data["id"]),
            document=document,
            record=data.get("record") or {},
            lines=lines,
            scope=str(data.get("scope", "full")),
            aliases=data.get("aliases") or {},
            path=path,
        )


def _text_path(json_path: Path, doc_id: str) -> Path:
    return json_path.parent / "texts" / f"{doc_id}.txt"


def load_annotation(path: str | os.PathLike[str]) -> AnnotatedDocument:
    """Read ``<dir>/<id>.json`` and its text ``<dir>/texts/<id>.txt``.

    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     root = Path(folder)
    ...     (root / "texts").mkdir()
    ...     _ = (root / "texts" / "x.txt").write_text("KẾ HOẠCH\\n", encoding="utf-8")
    ...     _ = (root / "x.json").write_text(json.dumps({"id": "x", "record": {}}))
    ...     load_annotation(root / "x.json").document.normalized
    'KẾ HOẠCH'
    """
    from extractor.readers import read

    json_path = Path(path)
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise AnnotationExchangeError(
            path=str(json_path), detail=f"invalid JSON: {error}"
        ) from error
    if not isinstance(data, dict) or "id" not in data:
        raise AnnotationExchangeError(path=str(json_path), detail="not an annotation file")
    document = read(_text_path(json_path, str(data["id"])))
    return AnnotatedDocument.from_data(data, document, path=json_path)


def iter_annotations(directory: str | os.PathLike[str]) -> Iterator[AnnotatedDocument]:
    """Every annotation of a folder, by file name: the ``*.json`` that have a text.

    ``sources.json`` and ``split.json`` (and any JSON without a text) are skipped.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     list(iter_annotations(folder))
    []
    """
    root = Path(directory)
    for path in sorted(root.glob("*.json")):
        if path.name in _NOT_ANNOTATIONS or not _text_path(path, path.stem).exists():
            continue
        yield load_annotation(path)


# --- line spans ---------------------------------------------------------------


def _nonblank_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text`` that is not blank."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        if line.strip():
            spans.append((position, end))
        position = end + 1
    return spans


class _RawLines:
    """Which raw (original) line a normalized offset comes from."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.breaks = [i for i, char in enumerate(document.original) if char == "\n"]

    def line_of(self, start: int) -> int:
        """The 1-based raw line number of the normalized character at ``start``."""
        # The character itself, not Document.to_original: that span also takes
        # in what normalization deleted before the line (leading blank lines,
        # a removed image or "____" line), which starts on an earlier raw line.
        original_start, _ = self.document.offsets.to_source(start, start + 1)
        return bisect.bisect_left(self.breaks, original_start) + 1


def line_spans(doc: AnnotatedDocument) -> list[Span]:
    """``(start, end, ROLE)`` for every non-blank line of the normalized text.

    A normalized line takes the role of the raw line its first character
    comes from; raw lines the file does not list are ``body``. Heading slots
    stay in the file (a span carries one label).

    >>> doc = AnnotatedDocument.from_data(
    ...     {"id": "x", "record": {},
    ...      "lines": [{"line": 3, "role": "heading", "slot": "purpose", "text": "I. MỤC ĐÍCH"}]},
    ...     Document.from_text("**KẾ HOẠCH**\\n\\nI. MỤC ĐÍCH\\nNội dung"),
    ... )
    >>> line_spans(doc)
    [(0, 8, 'body'), (10, 21, 'heading'), (22, 30, 'body')]
    """
    roles = {label.line: label.role for label in doc.lines}
    raw = _RawLines(doc.document)
    return [
        (start, end, roles.get(raw.line_of(start), "body"))
        for start, end in _nonblank_lines(doc.document.normalized)
    ]


def heading_slots(doc: AnnotatedDocument) -> dict[int, str]:
    """The gold slot of each annotated heading, by the normalized offset of its line."""
    slots = {label.line: label.slot for label in doc.lines if label.slot}
    raw = _RawLines(doc.document)
    return {
        start: str(slots[raw.line_of(start)])
        for start, _end in _nonblank_lines(doc.document.normalized)
        if raw.line_of(start) in slots
    }


# --- field spans ----------------------------------------------------------------

HowFound = Literal["verbatim", "normalized", "folded", "spaced", "date", "missing"]

# Which line roles a field's value is looked for in first: the first
# occurrence in the whole text is often the wrong one (the place "Trà Vinh"
# first appears in the header "TỈNH TRÀ VINH", the date of the document may
# also be a cited document's).
_PREFERRED_ROLES: Mapping[str, frozenset[str]] = {
    "number": frozenset({"number"}),
    "date": frozenset({"place_date"}),
    "place": frozenset({"place_date"}),
    "title": frozenset({"title", "doc_type"}),
    "issuing_body": frozenset({"org"}),
    "recipient": frozenset({"recipients"}),
    "signer_authority": frozenset({"signer_authority"}),
    "signer_position": frozenset({"signer_position"}),
    "signer_name": frozenset({"signer_name"}),
}
_WORD_START = r"(?<![\p{L}\p{M}\p{N}])"
_WORD_END = r"(?![\p{L}\p{M}\p{N}])"
_ISO_DATE = regex.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class FieldMatch:
    """Where one record value was found in the normalized text, or that it was not.

    ``how``: ``verbatim`` (the value as written), ``normalized`` (after the
    normalizer: tone placement, spaces), ``folded`` (case and line breaks
    ignored), ``spaced`` (a number printed with inner spaces), ``date`` (an
    ISO date found as printed, "ngày 18 tháng 4 năm 2022"), or ``missing``.
    ``value`` is the record value, or the alias that was found.
    """

    label: str
    value: str
    start: int | None = None
    end: int | None = None
    how: HowFound = "missing"


def _values(doc: AnnotatedDocument) -> list[tuple[str, list[str]]]:
    """``(label, [value, *aliases])`` for every record value a span can point at."""
    record = doc.record

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) and value.strip() else None

    def items(key: str, inner: str | None = None) -> list[str]:
        found: list[str] = []
        for item in record.get(key) or []:
            value = text(item.get(inner) if inner and isinstance(item, dict) else item)
            if value is not None:
                found.append(value)
        return found

    values: list[tuple[str, list[str]]] = []
    for label, key in (("number", "number"), ("date", "date"), ("place", "place")):
        value = text(record.get(key))
        if value is not None:
            values.append((label, [value]))
    for label in ("title", "issuing_body"):
        value = text(record.get(label))
        if value is not None:
            aliases = [alias for alias in doc.aliases.get(label, []) if text(alias)]
            values.append((label, [value, *aliases]))
    values += [("theme", [value]) for value in items("themes")]
    values += [("audience", [value]) for value in items("audience")]
    values += [("form", [value]) for value in items("forms")]
    values += [("recipient", [value]) for value in items("recipients", "name")]
    signer = record.get("signer")
    if isinstance(signer, dict):
        for part in ("authority", "position", "name"):
            value = text(signer.get(part))
            if value is not None:
                values.append((f"signer_{part}", [value]))
    values += [("reference", [value]) for value in items("references", "number")]
    return values


def _bounded(pattern: str, value: str) -> str:
    """Guard a pattern so it does not match inside a longer word or number."""
    head = _WORD_START if value[:1].isalnum() else ""
    tail = _WORD_END if value[-1:].isalnum() else ""
    return head + pattern + tail


def _patterns(label: str, value: str) -> list[tuple[HowFound, regex.Pattern[str]]]:
    """The ways to look for ``value``, strictest first."""
    if label == "date":
        return _date_patterns(value)
    canonical = normalize(value).text
    tokens = canonical.split()
    if not tokens:
        return []
    patterns: list[tuple[HowFound, regex.Pattern[str]]] = [
        ("verbatim", regex.compile(_bounded(regex.escape(value), value))),
        ("normalized", regex.compile(_bounded(regex.escape(canonical), canonical))),
        (
            "folded",
            regex.compile(
                _bounded(r"\s+".join(regex.escape(token) for token in tokens), canonical),
                regex.IGNORECASE,
            ),
        ),
    ]
    if label in {"number", "reference"}:
        # Numbers are recorded without the spaces some documents print
        # ("60 - KH/ĐUK" → 60-KH/ĐUK).
        chars = [regex.escape(char) for char in canonical if not char.isspace()]
        patterns.append(("spaced", regex.compile(_bounded(r"\s*".join(chars), canonical))))
    return patterns


def _date_patterns(iso: str) -> list[tuple[HowFound, regex.Pattern[str]]]:
    """Printed forms of an ISO date (full or partial) in Vietnamese documents."""
    parsed = _ISO_DATE.fullmatch(iso)
    if parsed is None:
        return []
    year, month, day = parsed.groups()

    def number(digits: str) -> str:
        return f"0?{int(digits)}"

    if day is not None and month is not None:
        forms = [
            rf"ngày\s*{number(day)}\s*tháng\s*{number(month)}\s*năm\s*{year}",
            rf"{number(day)}\s*([/.-])\s*{number(month)}\s*\1\s*{year}",
        ]
    elif month is not None:
        # The day is left blank ("ngày    tháng 02 năm 2022"): the span starts at the month.
        forms = [rf"tháng\s*{number(month)}\s*năm\s*{year}", rf"{number(month)}\s*/\s*{year}"]
    else:
        forms = [rf"năm\s*{year}"]
    return [
        ("date", regex.compile(rf"{_WORD_START}{form}{_WORD_END}", regex.IGNORECASE))
        for form in forms
    ]


def find_fields(doc: AnnotatedDocument) -> list[FieldMatch]:
    """Locate every string value of the gold record in the normalized text.

    Each value is looked for in the lines of its own role first (the number
    in the number line, the place and date in the place-date line, …), then
    anywhere; by each pattern of :func:`_patterns` in turn; the record value
    before its aliases. Items of a list never share a span. Values the text
    does not hold come back with ``how="missing"`` and no offsets: the
    ``issuing_body`` is written with abbreviations expanded, a date may be
    printed with a typo ("ngày 28 tháng 1hai năm 2010"), and so on.

    >>> doc = AnnotatedDocument.from_data(
    ...     {"id": "x", "record": {"number": "60-KH/ĐUK", "date": "2022-04-18", "place": "Huế"}},
    ...     Document.from_text("Số 60 - KH/ĐUK\\nHuế, ngày 18 tháng 4 năm 2022"),
    ... )
    >>> [(m.label, m.start, m.end, m.how) for m in find_fields(doc)]
    [('number', 3, 14, 'spaced'), ('date', 20, 44, 'date'), ('place', 15, 18, 'verbatim')]
    """
    text = doc.document.normalized
    roles = line_spans(doc)
    taken: dict[str, list[tuple[int, int]]] = {}
    matches: list[FieldMatch] = []
    for label, candidates in _values(doc):
        preferred = _PREFERRED_ROLES.get(label, frozenset())
        regions = [(start, end) for start, end, role in roles if role in preferred]
        used = taken.setdefault(label, [])
        found = _first_match(text, label, candidates, regions, used)
        if found is None:
            matches.append(FieldMatch(label, candidates[0]))
            continue
        matches.append(found)
        if found.start is not None and found.end is not None:
            used.append((found.start, found.end))
    return matches


def _first_match(
    text: str,
    label: str,
    candidates: Sequence[str],
    regions: Sequence[tuple[int, int]],
    used: Sequence[tuple[int, int]],
) -> FieldMatch | None:
    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in used)

    def in_region(start: int) -> bool:
        return any(a <= start < b for a, b in regions)

    for scope_is_region in (True, False):
        if scope_is_region and not regions:
            continue
        for candidate in candidates:
            for how, pattern in _patterns(label, candidate):
                for match in pattern.finditer(text):
                    start, end = match.span()
                    if free(start, end) and (not scope_is_region or in_region(start)):
                        return FieldMatch(label, candidate, start, end, how)
    return None


def field_spans(doc: AnnotatedDocument) -> list[Span]:
    """``(start, end, FIELD_LABEL)`` for every record value found in the normalized text.

    >>> doc = AnnotatedDocument.from_data(
    ...     {"id": "x", "record": {"themes": ["Tự soi, tự sửa"], "place": "Đà Nẵng"}},
    ...     Document.from_text("Chủ đề “Tự soi, tự sửa”"),
    ... )
    >>> field_spans(doc)
    [(8, 22, 'theme')]
    """
    return [
        (match.start, match.end, match.label)
        for match in find_fields(doc)
        if match.start is not None and match.end is not None
    ]


def field_coverage(docs: Iterable[AnnotatedDocument]) -> dict[str, dict[str, int]]:
    """Per field label: how many record values there are and how each was found.

    >>> doc = AnnotatedDocument.from_data(
    ...     {"id": "x", "record": {"place": "Huế", "title": "Kế hoạch khác"}},
    ...     Document.from_text("Huế, ngày 1 tháng 2 năm 2022"),
    ... )
    >>> field_coverage([doc])["place"]
    {'total': 1, 'verbatim': 1}
    >>> field_coverage([doc])["title"]
    {'total': 1, 'missing': 1}
    """
    coverage: dict[str, dict[str, int]] = {}
    for doc in docs:
        for match in find_fields(doc):
            counts = coverage.setdefault(match.label, {"total": 0})
            counts["total"] += 1
            counts[match.how] = counts.get(match.how, 0) + 1
    return coverage


def all_spans(doc: AnnotatedDocument) -> list[Span]:
    """Line spans and field spans, sorted; a field span equal to a line span is dropped.

    These are the ``"spans"`` stored in each annotation file (derived from
    its line labels and record, and checked by a drift test).
    """
    lines = line_spans(doc)
    seen = set(lines)
    return sorted(seen | {span for span in field_spans(doc) if span not in seen})


# --- export ---------------------------------------------------------------------


def export_label_studio(docs: Iterable[AnnotatedDocument]) -> list[dict[str, Any]]:
    """Label Studio tasks with one annotation each (labels ``from_name="label"``).

    >>> doc = AnnotatedDocument.from_data({"id": "x", "record": {}}, Document.from_text("Nội dung"))
    >>> task = export_label_studio([doc])[0]
    >>> task["data"]
    {'text': 'Nội dung', 'id': 'x'}
    >>> task["annotations"][0]["result"][0]["value"]
    {'start': 0, 'end': 8, 'text': 'Nội dung', 'labels': ['body']}
    """
    tasks: list[dict[str, Any]] = []
    for doc in docs:
        text = doc.document.normalized
        result = [
            {
                "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
            }
            for start, end, label in all_spans(doc)
        ]
        tasks.append({"data": {"text": text, "id": doc.id}, "annotations": [{"result": result}]})
    return tasks


def export_doccano(docs: Iterable[AnnotatedDocument]) -> list[dict[str, Any]]:
    """Rows for doccano sequence labelling (one JSONL line each).

    >>> doc = AnnotatedDocument.from_data({"id": "x", "record": {}}, Document.from_text("Nội dung"))
    >>> export_doccano([doc])
    [{'id': 'x', 'text': 'Nội dung', 'label': [[0, 8, 'body']]}]
    """
    return [
        {
            "id": doc.id,
            "text": doc.document.normalized,
            "label": [[start, end, label] for start, end, label in all_spans(doc)],
        }
        for doc in docs
    ]


def serialize_export(docs: Iterable[AnnotatedDocument], *, format: ExchangeFormat) -> str:
    """The export as file text: a JSON array (Label Studio) or JSON Lines (doccano).

    >>> doc = AnnotatedDocument.from_data({"id": "x", "record": {}}, Document.from_text("A"))
    >>> serialize_export([doc], format="doccano")
    '{"id": "x", "text": "A", "label": [[0, 1, "body"]]}\\n'
    """
    if format == "doccano":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in export_doccano(docs))
    return json.dumps(export_label_studio(docs), ensure_ascii=False) + "\n"


def label_studio_config() -> str:
    """The Label Studio labelling config that matches :func:`export_label_studio`.

    >>> label_studio_config().splitlines()[2]
    '  <Labels name="label" toName="text">'
    """
    labels = "\n".join(f'    <Label value="{label}"/>' for label in LABELS)
    return (
        "<View>\n"
        '  <Text name="text" value="$text"/>\n'
        '  <Labels name="label" toName="text">\n'
        f"{labels}\n"
        "  </Labels>\n"
        "</View>\n"
    )


# --- import ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """The spans a labelling tool returned for one document.

    ``id`` is the annotation id when the tool kept it, ``text`` the text the
    offsets refer to (checked against the normalized text before applying).
    """

    id: str | None
    text: str | None
    spans: tuple[Span, ...]


def _bad(source: str, detail: str) -> AnnotationExchangeError:
    return AnnotationExchangeError(path=source, detail=detail)


def _span(value: Any, source: str) -> Span:
    if (
        not isinstance(value, Sequence)
        or isinstance(value, str)
        or len(value) != 3
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value[:2])
        or not isinstance(value[2], str)
    ):
        raise _bad(source, f"not a [start, end, LABEL] span: {value!r}")
    return int(value[0]), int(value[1]), str(value[2])


def _optional_id(value: Any) -> str | None:
    return None if value is None else str(value)


def import_label_studio(
    tasks: Sequence[Mapping[str, Any]], *, source: str = "<label-studio>"
) -> list[ImportedDocument]:
    """The spans of Label Studio tasks (its JSON export).

    Of a task's annotations the first one not cancelled is taken (older
    exports call them ``completions``); results of other types than
    ``labels`` (relations, choices) are ignored.

    >>> tasks = [{"data": {"id": "x", "text": "A"}, "annotations": [{"result": [
    ...     {"type": "labels", "value": {"start": 0, "end": 1, "labels": ["body"]}}]}]}]
    >>> import_label_studio(tasks)
    [ImportedDocument(id='x', text='A', spans=((0, 1, 'body'),))]
    """
    if not isinstance(tasks, Sequence) or isinstance(tasks, str | bytes):
        raise _bad(source, "a Label Studio export is a JSON array of tasks")
    imported: list[ImportedDocument] = []
    for task in tasks:
        if not isinstance(task, Mapping) or not isinstance(task.get("data"), Mapping):
            raise _bad(source, "a task without a data object")
        data = task["data"]
        annotations = task.get("annotations") or task.get("completions") or []
        chosen = next(
            (a for a in annotations if isinstance(a, Mapping) and not a.get("was_cancelled")),
            None,
        )
        spans: list[Span] = []
        for result in (chosen or {}).get("result", []):
            if not isinstance(result, Mapping) or result.get("type", "labels") != "labels":
                continue
            value = result.get("value")
            if not isinstance(value, Mapping):
                raise _bad(source, f"a result without a value: {result!r}")
            for label in value.get("labels", []):
                spans.append(_span([value.get("start"), value.get("end"), label], source))
        imported.append(
            ImportedDocument(_optional_id(data.get("id")), data.get("text"), tuple(spans))
        )
    return imported


def import_doccano(
    rows: Iterable[Mapping[str, Any]], *, source: str = "<doccano>"
) -> list[ImportedDocument]:
    """The spans of doccano sequence-labelling rows (its JSONL export).

    Both ``"label": [[start, end, LABEL]]`` and the newer
    ``"entities": [{"start_offset", "end_offset", "label"}]`` are read.

    >>> import_doccano([{"id": "x", "text": "A", "label": [[0, 1, "body"]]}])
    [ImportedDocument(id='x', text='A', spans=((0, 1, 'body'),))]
    """
    imported: list[ImportedDocument] = []
    for row in rows:
        if not isinstance(row, Mapping):
            raise _bad(source, f"a row that is not an object: {row!r}")
        spans = [_span(value, source) for value in row.get("label") or []]
        for entity in row.get("entities") or []:
            if not isinstance(entity, Mapping):
                raise _bad(source, f"an entity that is not an object: {entity!r}")
            spans.append(
                _span(
                    [entity.get("start_offset"), entity.get("end_offset"), entity.get("label")],
                    source,
                )
            )
        imported.append(
            ImportedDocument(_optional_id(row.get("id")), row.get("text"), tuple(spans))
        )
    return imported


def parse_import(
    text: str, *, format: ExchangeFormat, source: str = "<input>"
) -> list[ImportedDocument]:
    """Parse an exchange file's text (a JSON array, or doccano JSON Lines).

    >>> parse_import('{"id": "x", "text": "A", "label": []}\\n', format="doccano")
    [ImportedDocument(id='x', text='A', spans=())]
    """
    try:
        if format == "doccano":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            return import_doccano(rows, source=source)
        return import_label_studio(json.loads(text), source=source)
    except json.JSONDecodeError as error:
        raise _bad(source, f"invalid JSON: {error}") from error


# --- apply ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What :func:`apply_import` did: files rewritten, and what needs a look."""

    changed: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    warnings: tuple[str, ...]


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _source_lines(doc: AnnotatedDocument, text_path: Path) -> list[str]:
    """The text file's lines as GUIDE.md numbers and quotes them (UTF-8, BOM dropped).

    New ``"text"`` entries quote the file as stored, like the annotators did
    (scripts/check_annotations.py compares against it); a file in another
    encoding falls back to the decoded original.
    """
    fallback = doc.document.original.split("\n")
    try:
        lines = text_path.read_bytes().decode("utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return fallback
    return lines if len(lines) == len(fallback) else fallback


def _pick_role(labels: Sequence[str]) -> str:
    """The role of a line given every line label that covers it exactly.

    A label that is only a role wins over one that may also be a field
    label: a whole-line field span (a signer name, a one-line title) must
    not relabel the line.
    """
    role_only = [label for label in labels if label in _ROLE_ONLY]
    return (role_only or list(labels))[0]


def _new_lines(
    doc: AnnotatedDocument,
    imported: ImportedDocument,
    entries: list[dict[str, Any]],
    source_lines: list[str],
) -> tuple[list[dict[str, Any]], list[str]]:
    """The file's new ``"lines"`` after applying the imported line labels."""
    text = doc.document.normalized
    lines = _nonblank_lines(text)
    index = {span: i for i, span in enumerate(lines)}
    warnings: list[str] = []
    covering: dict[int, list[str]] = {}
    for start, end, label in imported.spans:
        if label not in LINE_LABELS:
            continue
        # Tools let a selection take in the surrounding spaces or line break.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        line = index.get((start, end))
        if line is not None:
            covering.setdefault(line, []).append(label)
        elif label in _ROLE_ONLY:
            warnings.append(f"{doc.id}: [{start}, {end}, {label}] is not a whole line; ignored")
    raw = _RawLines(doc.document)
    roles: dict[int, str] = {}
    for line, labels in sorted(covering.items()):
        if len(set(labels)) > 1:
            warnings.append(
                f"{doc.id}: line labelled {sorted(set(labels))}; took {_pick_role(labels)}"
            )
        # GUIDE.md: a line that mixes two roles takes the role of its first
        # part, so a raw line split into several normalized lines does too.
        roles.setdefault(raw.line_of(lines[line][0]), _pick_role(labels))
    existing = {int(entry["line"]): entry for entry in entries}
    updated: list[dict[str, Any]] = []
    for number in sorted(existing.keys() | roles.keys()):
        old, role = existing.get(number), roles.get(number)
        if role is None:
            # Not labelled in the import (or not visible in the normalized text,
            # e.g. a "____" line): keep what the file says.
            if old is not None:
                updated.append(old)
        elif role == "body":
            continue
        elif old is not None and old.get("role") == role:
            updated.append(old)
        else:
            entry: dict[str, Any] = {
                "line": number,
                "role": role,
                "text": source_lines[number - 1].strip()[:40],
            }
            if role == "heading":
                if old is not None and old.get("slot"):
                    entry["slot"] = old["slot"]
                else:
                    warnings.append(f"{doc.id}: line {number} is a new heading; add its slot")
            updated.append(entry)
    return updated, warnings


def apply_import(
    directory: str | os.PathLike[str], imported: Iterable[ImportedDocument]
) -> ApplyResult:
    """Write imported line roles back into the annotation files of ``directory``.

    Documents are matched by id, else by their normalized text (doccano
    replaces ids by its own numbers). Everything is checked before any file
    is written: an unknown document, a text that differs from the normalized
    text, a span outside the text or an unknown label raise
    :class:`AnnotationExchangeError`. Field spans are checked but not
    applied: records are gold written by hand and stay as they are. A line
    with no line-role span keeps its entry; label it ``body`` to drop it.
    Only files whose labels changed are rewritten (canonical JSON).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     apply_import(folder, [])
    ApplyResult(changed=(), unchanged=(), warnings=())
    """
    docs = list(iter_annotations(directory))
    by_id = {doc.id: doc for doc in docs}
    by_text = {doc.document.normalized: doc for doc in docs}
    plan: list[tuple[AnnotatedDocument, ImportedDocument]] = []
    for item in imported:
        doc = by_id.get(item.id or "") or (by_text.get(item.text) if item.text else None)
        name = item.id or "<no id>"
        if doc is None:
            raise _bad(str(directory), f"document {name} is not an annotation of this folder")
        text = doc.document.normalized
        if item.text is not None and item.text != text:
            raise _bad(
                str(doc.path),
                f"document {doc.id}: the imported text is not the normalized text; export again",
            )
        for start, end, label in item.spans:
            if label not in LABELS:
                raise _bad(str(doc.path), f"document {doc.id}: unknown label {label!r}")
            if not 0 <= start < end <= len(text):
                raise _bad(
                    str(doc.path), f"document {doc.id}: span [{start}, {end}] outside the text"
                )
        plan.append((doc, item))
    changed: list[Path] = []
    unchanged: list[Path] = []
    warnings: list[str] = []
    writes: list[tuple[Path, str]] = []
    for doc, item in plan:
        if doc.path is None:  # pragma: no cover - iter_annotations always sets it
            continue
        raw = doc.path.read_text(encoding="utf-8")
        data = json.loads(raw)
        source_lines = _source_lines(doc, _text_path(doc.path, doc.id))
        data["lines"], notes = _new_lines(doc, item, list(data.get("lines", [])), source_lines)
        warnings.extend(notes)
        new = _canonical(data)
        if new == raw:
            unchanged.append(doc.path)
        else:
            writes.append((doc.path, new))
            changed.append(doc.path)
    for path, content in writes:
        _write_atomically(path, content)
    return ApplyResult(tuple(changed), tuple(unchanged), tuple(warnings))


def _write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and a rename, so an interrupted run leaves no torn file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vanban-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        stream.write(content)
    Path(temporary).replace(path)
