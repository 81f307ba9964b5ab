"""Campaigns: the documents that implement one parent, side by side.

A campaign is a parent with two or more children that carry it out
(``implements`` edges). Laws, decrees and the like are a legal basis that
every state document cites, not a campaign (``legal_basis`` in
``data/lineage.json``), so their implementers are not grouped.

For each field a reviewer scans (themes, period, deadlines, forms) the
campaign holds the parent's value and each child's, with a status as in
the diff: ``same`` (equal after normalization), ``changed``, ``added`` (only
the child has it), ``dropped`` (only the parent has it), ``absent``
(neither); ``unknown`` when the parent is not in the archive.

>>> field_status(("Giữ trọn lời thề",), ("giữ trọn lời thề",), parent_known=True)
'same'
>>> field_status((), ("15/6/2022",), parent_known=True), field_status((), (), parent_known=False)
('added', 'absent')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import regex

from extractor.data import compile_pattern, load
from extractor.lineage.model import Campaign, FieldCell, FieldStatus, Graph, Node, level_rank
from extractor.lineage.resolve import compare_dates, number_key
from extractor.text.normalize import match_key

_MIN_CHILDREN = 2


def _themes(record: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(record.get("themes") or ())


def _forms(record: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(record.get("forms") or ())


def _period(record: Mapping[str, Any]) -> tuple[str, ...]:
    period = record.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if not start and not end:
        return ()
    return (f"{start or '…'} → {end or '…'}",)


def _deadlines(record: Mapping[str, Any]) -> tuple[str, ...]:
    shown = []
    for deadline in record.get("deadlines") or ():
        action = deadline.get("action")
        shown.append(f"{deadline['date']}: {action}" if action else str(deadline["date"]))
    return tuple(shown)


#: The fields of the campaign table, in column order, with how to read them.
FIELDS: Final[Mapping[str, Callable[[Mapping[str, Any]], tuple[str, ...]]]] = {
    "themes": _themes,
    "period": _period,
    "deadlines": _deadlines,
    "forms": _forms,
}


def _comparable(name: str, values: tuple[str, ...]) -> frozenset[str]:
    # A deadline is the same obligation when its date is: the action's wording varies.
    if name == "deadlines":
        return frozenset(value.split(":", 1)[0] for value in values)
    return frozenset(match_key(value) for value in values)


def field_status(
    parent: tuple[str, ...], child: tuple[str, ...], *, parent_known: bool, name: str = ""
) -> FieldStatus:
    """How a child's value of a field compares with its parent's."""
    if not child and (not parent or not parent_known):
        return "absent"
    if not parent_known:
        return "unknown"
    if not parent:
        return "added"
    if not child:
        return "dropped"
    return "same" if _comparable(name, parent) == _comparable(name, child) else "changed"


@functools.cache
def _legal_basis() -> regex.Pattern[str]:
    return compile_pattern(load("lineage")["legal_basis"])


def is_legal_basis(doc_type: str | None) -> bool:
    """Whether a type is a legal basis rather than a campaign to carry out.

    >>> is_legal_basis("Nghị định"), is_legal_basis("Hướng dẫn"), is_legal_basis(None)
    (True, False, False)
    """
    return bool(doc_type and _legal_basis().search(doc_type))


def _distinct(graph: Graph, kids: list[str]) -> int:
    """How many different documents the children are (two copies of one count once)."""
    seen: list[Node] = []
    for kid in kids:
        node = graph.node(kid)
        key = number_key(node.number, node.doc_type)
        if not any(
            key is not None
            and key == number_key(other.number, other.doc_type)
            and compare_dates(node.date, other.date) != "conflict"
            for other in seen
        ):
            seen.append(node)
    return len(seen)


def find_campaigns(graph: Graph) -> Iterator[Campaign]:
    """The campaigns of a graph, archive parents first, then by parent level and id."""
    children: dict[str, list[str]] = {}
    for edge in graph.edges:
        if edge.relation == "implements" and edge.source not in children.get(edge.target, []):
            children.setdefault(edge.target, []).append(edge.source)

    def order(parent_id: str) -> tuple[bool, int, str]:
        parent = graph.node(parent_id)
        return (parent.external, level_rank(parent.level), parent_id)

    for parent_id in sorted(children, key=order):
        parent = graph.node(parent_id)
        kids = children[parent_id]
        if _distinct(graph, kids) < _MIN_CHILDREN or is_legal_basis(parent.doc_type):
            continue
        kids.sort(key=lambda k: (level_rank(graph.node(k).level), graph.node(k).date or "", k))
        parent_record = graph.records.get(parent_id, {})
        known = not parent.external
        parent_values = {name: read(parent_record) for name, read in FIELDS.items()}
        cells = {
            name: {
                kid: FieldCell(
                    value := read(graph.records.get(kid, {})),
                    field_status(parent_values[name], value, parent_known=known, name=name),
                )
                for kid in kids
            }
            for name, read in FIELDS.items()
        }
        yield Campaign(parent_id, tuple(kids), parent_values, cells)
