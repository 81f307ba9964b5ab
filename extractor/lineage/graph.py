"""Build the citation graph of an archive from its records.

Every archive record becomes a document node (id ``doc:`` + the first 16
hex digits of its sha256). Each of its ``references`` is resolved to an
archive document by folded number (:func:`extractor.fields.references.fold_number`,
so "60 -KH/ĐUK" and "60-kh/đuk" are one number), with date and issuer
telling colliding numbers apart (:mod:`extractor.lineage.resolve`). A
reference that names no archive document becomes an external node (id
``ext:`` + the folded number) carrying what the citation prints: number,
type, issuer, date, and the level the issuer or the number's symbol tells.

>>> records = [
...     {"source": {"path": "up.txt", "sha256": "a" * 64}, "number": "40-HD/BTGTU",
...      "date": "2022-03-09", "doc_type": "Hướng dẫn", "references": []},
...     {"source": {"path": "down.txt", "sha256": "b" * 64}, "number": "60-KH/ĐUK",
...      "date": "2022-04-18", "doc_type": "Kế hoạch",
...      "references": [{"number": "40-HD/BTGTU", "date": "2022-03-09", "doc_type": "Hướng dẫn",
...                      "issuer": None, "relation": "implements"},
...                     {"number": "21-KL/TW", "date": None, "doc_type": "Kết luận",
...                      "issuer": "Ban Chấp hành Trung ương", "relation": "mentions"}],
...      "spans": {"references": [[10, 21], [40, 48]]}},
... ]
>>> graph = build_graph(records)
>>> [(e.source[:6], e.target, e.relation, e.matched_by) for e in graph.edges]
... # doctest: +NORMALIZE_WHITESPACE
[('doc:bb', 'doc:aaaaaaaaaaaaaaaa', 'implements', ('number', 'date')),
 ('doc:bb', 'ext:21-kl/tw', 'mentions', ())]
>>> graph.node("ext:21-kl/tw").level
'central'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from extractor.fields.issuing_body import extract_level
from extractor.lineage.model import Edge, Graph, Node
from extractor.lineage.resolve import (
    Candidate,
    Cited,
    compatible,
    issuer_places,
    number_key,
    record_places,
    resolve,
)
from extractor.record import Relation

_ID_DIGITS = 16


def document_id(record: Mapping[str, Any]) -> str:
    """The stable id of an archive document: ``doc:`` + a sha256 prefix.

    The sha256 of the input bytes when the record has one, else of its path.

    >>> document_id({"source": {"path": "a.txt", "sha256": "0123456789abcdef" * 4}})
    'doc:0123456789abcdef'
    """
    source = record.get("source") or {}
    digest = source.get("sha256") or hashlib.sha256(str(source.get("path")).encode()).hexdigest()
    return f"doc:{digest[:_ID_DIGITS]}"


def is_record(item: Mapping[str, Any]) -> bool:
    """False for an error line (``{"source": …, "error": …}``) of a records file."""
    return "error" not in item


def _node(record: Mapping[str, Any], node_id: str) -> Node:
    source = record.get("source") or {}
    return Node(
        id=node_id,
        path=source.get("path") or node_id,
        number=record.get("number"),
        doc_type=record.get("doc_type"),
        issuing_body=record.get("issuing_body"),
        date=record.get("date"),
        level=record.get("level"),
        title=record.get("title"),
        themes=tuple(record.get("themes") or ()),
    )


@dataclass(slots=True)
class _External:
    """The citations of one external document, merged as they come."""

    node_id: str
    citations: list[Cited]

    def node(self) -> Node:
        def first(attribute: str) -> str | None:
            return next((v for c in self.citations if (v := getattr(c, attribute))), None)

        number, issuer = first("number"), first("issuer")
        return Node(
            id=self.node_id,
            path=None,
            number=number,
            doc_type=first("doc_type"),
            issuing_body=issuer,
            date=first("date"),
            level=extract_level(issuer, number),
        )


def _cited(reference: Mapping[str, Any]) -> Cited:
    return Cited(
        number=str(reference.get("number") or ""),
        doc_type=reference.get("doc_type"),
        date=reference.get("date"),
        issuer=reference.get("issuer"),
    )


def _span(record: Mapping[str, Any], index: int) -> tuple[int, int] | None:
    spans = (record.get("spans") or {}).get("references") or []
    if index < len(spans) and spans[index]:
        start, end = spans[index]
        return int(start), int(end)
    return None


def build_graph(records: Iterable[Mapping[str, Any]], *, campaigns: bool = True) -> Graph:
    """The citation graph of the records (error lines are skipped).

    Documents come in path order, externals after them by id; edges in the
    citing documents' order, then in order of citation. One edge per
    (citing, cited) pair: ``implements`` wins over ``mentions``.
    """
    from extractor.lineage.campaign import find_campaigns

    documents = sorted(
        (r for r in records if is_record(r)),
        key=lambda r: (str((r.get("source") or {}).get("path")), document_id(r)),
    )
    nodes: dict[str, Node] = {}
    by_id: dict[str, Mapping[str, Any]] = {}
    candidates: dict[str, Candidate] = {}
    index: dict[str, list[str]] = {}
    for record in documents:
        node_id = document_id(record)
        if node_id in nodes:  # the same bytes twice: a second id, still stable
            node_id = f"{node_id}~{sum(1 for known in nodes if known.startswith(node_id)) + 1}"
        nodes[node_id] = _node(record, node_id)
        by_id[node_id] = record
        candidates[node_id] = Candidate(
            node_id,
            record.get("date"),
            record_places(record),
            record.get("issuing_body"),
            issuer_places(record),
        )
        key = number_key(record.get("number"), record.get("doc_type"))
        if key:
            index.setdefault(key, []).append(node_id)

    edges: dict[tuple[str, str], Edge] = {}
    externals: dict[str, list[_External]] = {}
    for node_id, record in by_id.items():
        citing = candidates[node_id]
        for position, reference in enumerate(record.get("references") or []):
            cited = _cited(reference)
            key = number_key(cited.number, cited.doc_type)
            if key is None:
                continue
            relation: Relation = (
                "implements" if reference.get("relation") == "implements" else "mentions"
            )
            span = _span(record, position)
            pool = [candidates[other] for other in index.get(key, ()) if other != node_id]
            matches = resolve(cited, pool, citing=citing)
            if matches:
                for match in matches:
                    _add(
                        edges,
                        Edge(
                            node_id,
                            match.node_id,
                            relation,
                            span,
                            cited.number,
                            match.by,
                            len(matches),
                        ),
                    )
                continue
            target = _external(externals, key, cited)
            _add(edges, Edge(node_id, target, relation, span, cited.number))

    external_nodes = sorted(
        (group.node() for groups in externals.values() for group in groups), key=lambda n: n.id
    )
    all_nodes = (*nodes.values(), *external_nodes)
    graph = Graph(nodes=all_nodes, edges=tuple(edges.values()), records=by_id)
    if not campaigns:
        return graph
    return Graph(
        nodes=graph.nodes,
        edges=graph.edges,
        campaigns=tuple(find_campaigns(graph)),
        records=by_id,
    )


def _add(edges: dict[tuple[str, str], Edge], edge: Edge) -> None:
    known = edges.get((edge.source, edge.target))
    if known is None or (known.relation == "mentions" and edge.relation == "implements"):
        edges[(edge.source, edge.target)] = edge


def _external(externals: dict[str, list[_External]], key: str, cited: Cited) -> str:
    """The external node a citation names: one per number, split when they conflict."""
    groups = externals.setdefault(key, [])
    for group in groups:
        if compatible(group.citations, cited):
            group.citations.append(cited)
            return group.node_id
    suffix = f"~{len(groups) + 1}" if groups else ""
    groups.append(_External(f"ext:{key}{suffix}", [cited]))
    return groups[-1].node_id
