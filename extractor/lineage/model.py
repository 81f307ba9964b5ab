"""The lineage graph's data: nodes, edges, campaigns, and their JSON shape.

A node is an archive document (``path`` set, id from its sha256) or an
external document that the archive cites but does not hold (``path`` null,
id ``ext:`` + its folded number). An edge goes from the citing document to
the cited one, so a child points at its parent.

>>> node = Node(id="ext:40-hd/btgtu", path=None, number="40-HD/BTGTU", doc_type="Hướng dẫn",
...             issuing_body="Ban Tuyên giáo Tỉnh ủy", date="2022-03-09", level="province")
>>> node.to_dict()["path"], node.external
(None, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from extractor.record import Relation

SCHEMA_VERSION: Final = "1"

#: Highest level first: the order of the tree in the HTML view.
LEVELS: Final = ("central", "province", "district", "commune", "branch")

FieldStatus = Literal["same", "changed", "added", "dropped", "absent", "unknown"]


def level_rank(level: str | None) -> int:
    """Sort key of a level: central first, unknown last.

    >>> sorted(["commune", None, "central"], key=level_rank)
    ['central', 'commune', None]
    """
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


@dataclass(frozen=True, slots=True)
class Node:
    """A document of the archive, or an external document it cites."""

    id: str
    path: str | None
    number: str | None
    doc_type: str | None
    issuing_body: str | None
    date: str | None
    level: str | None
    title: str | None = None
    themes: tuple[str, ...] = ()

    @property
    def external(self) -> bool:
        """True for a cited document that the archive does not hold."""
        return self.path is None

    def label(self) -> str:
        """A short human label: type and number, else the file name.

        >>> Node("a", "x/002.txt", "60-KH/ĐUK", "Kế hoạch", None, None, None).label()
        'Kế hoạch 60-KH/ĐUK'
        """
        head = " ".join(part for part in (self.doc_type, self.number) if part)
        if head:
            return head
        return (self.path or self.id).rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        """The node's JSON object."""
        return {
            "id": self.id,
            "path": self.path,
            "external": self.external,
            "number": self.number,
            "doc_type": self.doc_type,
            "issuing_body": self.issuing_body,
            "date": self.date,
            "level": self.level,
            "title": self.title,
            "themes": list(self.themes),
        }


@dataclass(frozen=True, slots=True)
class Edge:
    """A citation: ``source`` (the citing child) cites ``target`` (the parent).

    ``span`` is the printed number in the child's normalized text;
    ``matched_by`` says what told the parent apart (``number``, then
    ``date``, ``issuer``, ``locality`` when they agreed); ``tied`` is how many
    archive documents fit equally well (copies of one document, usually).
    """

    source: str
    target: str
    relation: Relation
    span: tuple[int, int] | None
    cited_as: str
    matched_by: tuple[str, ...] = ()
    tied: int = 1

    def to_dict(self) -> dict[str, Any]:
        """The edge's JSON object (``from``/``to`` as in the issue's contract)."""
        return {
            "from": self.source,
            "to": self.target,
            "relation": self.relation,
            "span": list(self.span) if self.span else None,
            "cited_as": self.cited_as,
            "matched_by": list(self.matched_by),
            "tied": self.tied,
        }


@dataclass(frozen=True, slots=True)
class FieldCell:
    """One child's value of a campaign field, and how it differs from the parent's."""

    value: tuple[str, ...]
    status: FieldStatus

    def to_dict(self) -> dict[str, Any]:
        """The cell's JSON object."""
        return {"value": list(self.value), "status": self.status}


@dataclass(frozen=True, slots=True)
class Campaign:
    """Documents that implement the same parent, field by field.

    ``fields`` maps a field name (themes, period, deadlines, forms) to the
    parent's value and each child's cell, by node id.
    """

    parent: str
    children: tuple[str, ...]
    parent_values: Mapping[str, tuple[str, ...]]
    cells: Mapping[str, Mapping[str, FieldCell]]

    def to_dict(self) -> dict[str, Any]:
        """The campaign's JSON object."""
        return {
            "parent": self.parent,
            "children": list(self.children),
            "fields": {
                name: {
                    "parent": list(self.parent_values[name]),
                    "children": {child: cell.to_dict() for child, cell in self.cells[name].items()},
                }
                for name in self.parent_values
            },
        }


@dataclass(frozen=True)
class Graph:
    """The citation graph of an archive, with its campaigns.

    ``records`` holds each archive document's record (by node id): the HTML
    view and the campaign table read their fields.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    campaigns: tuple[Campaign, ...] = ()
    records: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError when absent)."""
        return self._by_id()[node_id]

    def _by_id(self) -> dict[str, Node]:
        cached: dict[str, Node] | None = self.__dict__.get("_index")
        if cached is None:
            cached = {node.id: node for node in self.nodes}
            # A frozen dataclass still has a __dict__: cache the index there.
            object.__setattr__(self, "_index", cached)
        return cached

    def parents(self, node_id: str) -> list[Edge]:
        """The edges from ``node_id`` to what it cites."""
        return [edge for edge in self.edges if edge.source == node_id]

    def children(self, node_id: str) -> list[Edge]:
        """The edges into ``node_id`` from the documents that cite it."""
        return [edge for edge in self.edges if edge.target == node_id]

    def to_dict(self) -> dict[str, Any]:
        """The graph's JSON: ``nodes``, ``edges`` and ``campaigns``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": [edge.to_dict() for edge in self.edges],
            "campaigns": [campaign.to_dict() for campaign in self.campaigns],
        }
