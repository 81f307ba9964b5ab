"""Find the document a lower document implements, within an archive.

:func:`find_parent` resolves the lower document's citations against the
archive (as the graph does). When it cites several archive documents, the
parent is the nearest one: a cited document that another cited document
itself carries out is an ancestor, not the parent ("Thực hiện Hướng dẫn
33-HD/BTCTW … Quy định 213-QĐ/TW": the guidance, not the regulation it
guides); then ``implements`` before ``mentions``, the lowest level, the
latest date. When it cites none, the search says so and ranks the archive by
content similarity (TF-IDF cosine over syllable uni- and bigrams of the folded
body text), so a reviewer can pick the parent by hand.

>>> up = {"source": {"path": "up.txt", "sha256": "a" * 64}, "number": "40-HD/BTGTU",
...       "date": "2022-03-09", "level": "province", "references": []}
>>> down = {"source": {"path": "down.txt", "sha256": "b" * 64}, "number": "60-KH/ĐUK",
...         "date": "2022-04-18", "references": [{"number": "40-HD/BTGTU", "date": None,
...         "doc_type": "Hướng dẫn", "issuer": None, "relation": "implements"}]}
>>> found = find_parent(down, [up])
>>> found.parent.path, found.edge.cited_as
('up.txt', '40-HD/BTGTU')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import VanbanError
from extractor.lineage.graph import build_graph, document_id
from extractor.lineage.model import Edge, Graph, Node, level_rank
from extractor.lineage.resolve import compare_dates, number_key
from extractor.text.normalize import match_key

#: How many closest candidates a failed search lists.
CANDIDATES = 5

TextOf = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class ParentSearch:
    """The outcome of :func:`find_parent`.

    ``parent`` and ``edge`` (the citation that names it) are None when the
    archive holds nothing the lower document cites; ``candidates`` then lists
    the closest archive documents by content, best first, with their cosine
    similarity; ``unresolved`` the numbers it implements that the archive
    does not hold.
    """

    lower: Node
    parent: Node | None
    edge: Edge | None
    candidates: tuple[tuple[Node, float], ...] = ()
    unresolved: tuple[str, ...] = ()
    parent_record: Mapping[str, Any] | None = None

    def message(self) -> str:
        """A plain-English account of the search, for the terminal."""
        if self.parent is not None and self.edge is not None:
            return (
                f"{self.lower.label()} {self.edge.relation} {self.parent.label()} "
                f"({self.parent.path}; cited as {self.edge.cited_as})"
            )
        lines = [f"no parent of {self.lower.label()} ({self.lower.path}) in the archive"]
        if self.unresolved:
            lines.append("it implements, outside the archive: " + ", ".join(self.unresolved))
        if self.candidates:
            lines.append("closest documents by content:")
            lines.extend(
                f"  {score:.2f}  {node.label()}  {node.path}" for node, score in self.candidates
            )
        else:
            lines.append("the archive holds no other document to compare with")
        return "\n".join(lines)


def default_text(record: Mapping[str, Any]) -> str:
    """The normalized text of a record's source file, else its descriptive fields.

    A records file may outlive its documents, so a missing file falls back to
    the title, themes, audience and forms.
    """
    path = (record.get("source") or {}).get("path")
    if path and Path(path).is_file():
        from extractor.readers import read

        try:
            return read(path).normalized
        except (VanbanError, OSError):
            # The file changed since the records were made: use the fields.
            pass
    parts = [record.get("title") or ""]
    for name in ("themes", "audience", "forms"):
        parts.extend(record.get(name) or ())
    return "\n".join(parts)


def same_document(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """Whether two records are one document (another format or copy): same number and date.

    >>> same_document({"number": "60-KH/ĐUK", "date": "2022-04-18"},
    ...               {"number": "60 -KH/ĐUK", "date": None})
    True
    >>> same_document({"number": None}, {"number": None})
    False
    """
    key = number_key(first.get("number"), first.get("doc_type"))
    if key is None or key != number_key(second.get("number"), second.get("doc_type")):
        return False
    return compare_dates(first.get("date"), second.get("date")) != "conflict"


def _ancestors(graph: Graph, start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for edge in graph.parents(stack.pop()):
            if edge.target not in seen:
                seen.add(edge.target)
                stack.append(edge.target)
    return seen


def find_parent(
    lower: Mapping[str, Any],
    archive: Sequence[Mapping[str, Any]],
    *,
    text_of: TextOf = default_text,
    limit: int = CANDIDATES,
) -> ParentSearch:
    """The archive document ``lower`` implements, or the closest candidates.

    Args:
        lower: the lower document's record.
        archive: the archive's records (the lower's own record, by sha256,
            and its copies, by number and date, are left out; error lines
            are skipped).
        text_of: the text a record is compared by (default: its source file).
        limit: how many candidates to list when no parent is found.
    """
    lower_id = document_id(lower)
    others = [
        r
        for r in archive
        if "error" not in r and document_id(r) != lower_id and not same_document(lower, r)
    ]
    graph = build_graph([lower, *others], campaigns=False)
    lower_node = graph.node(lower_id)
    edges = [e for e in graph.parents(lower_id) if not graph.node(e.target).external]
    if edges:
        targets = {edge.target for edge in edges}
        ancestors = set().union(*(_ancestors(graph, t) for t in targets))
        nearest = [e for e in edges if e.target not in ancestors] or edges

        def rank(edge: Edge) -> tuple[int, int, str]:
            node = graph.node(edge.target)
            return (edge.relation != "implements", -level_rank(node.level), _negated(node.date))

        best = min(nearest, key=rank)
        return ParentSearch(
            lower=lower_node,
            parent=graph.node(best.target),
            edge=best,
            parent_record=graph.records.get(best.target),
        )
    unresolved = tuple(
        edge.cited_as
        for edge in graph.parents(lower_id)
        if edge.relation == "implements" and graph.node(edge.target).external
    )
    ranked = closest(lower, others, text_of=text_of, limit=limit)
    return ParentSearch(
        lower=lower_node,
        parent=None,
        edge=None,
        candidates=tuple((graph.node(document_id(record)), score) for record, score in ranked),
        unresolved=unresolved,
    )


def _negated(date: str | None) -> str:
    # Latest first under min(): map each digit d to 9 - d; no date sorts last.
    if not date:
        return "~"
    return date.translate(str.maketrans("0123456789", "9876543210"))


def closest(
    lower: Mapping[str, Any],
    archive: Sequence[Mapping[str, Any]],
    *,
    text_of: TextOf = default_text,
    limit: int = CANDIDATES,
) -> list[tuple[Mapping[str, Any], float]]:
    """The archive records most similar to ``lower`` in content, best first.

    TF-IDF over syllable uni- and bigrams of the folded text (tones and case
    folded, so "hoá"/"hóa" agree), cosine similarity; records with nothing in
    common (score 0) are left out.
    """
    if not archive:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    texts = [match_key(text_of(record)) for record in (lower, *archive)]
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", min_df=1
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # every text empty: no vocabulary
        return []
    scores = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    order = sorted(range(len(archive)), key=lambda i: (-scores[i], i))
    return [(archive[i], round(float(scores[i]), 4)) for i in order[:limit] if scores[i] > 0]
