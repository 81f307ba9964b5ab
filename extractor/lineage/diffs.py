"""The diff pages of a lineage: each child against its parent, for the HTML view.

For every edge between two archive documents whose files can be read, the
adaptation diff of the child (lower) against the parent (upper), rendered by
the diff report (:func:`extractor.diff.diff`, :func:`extractor.diff.html.render_html`).
The caller writes each page under the folder the view links to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import VanbanError
from extractor.lineage.html import diff_file_name
from extractor.lineage.model import Edge, Graph


@dataclass(frozen=True, slots=True)
class DiffPage:
    """One diff page, or why an edge has none (``html`` None, ``problem`` set)."""

    edge: Edge
    name: str
    html: str | None
    problem: str | None = None


def linkable(graph: Graph, edge: Edge) -> bool:
    """Whether an edge joins two archive documents whose files exist on disk."""
    ends = (graph.node(edge.source), graph.node(edge.target))
    return all(not node.external and node.path and Path(node.path).is_file() for node in ends)


def diff_pages(graph: Graph) -> Iterator[DiffPage]:
    """The diff page of every edge between two archive documents on disk.

    One page per (child, parent) pair, in the graph's edge order. An input the
    diff cannot read yields a page with ``problem`` set instead of stopping
    the others.
    """
    from extractor.diff import diff
    from extractor.diff.html import render_html

    for edge in graph.edges:
        if not linkable(graph, edge):
            continue
        upper, lower = graph.node(edge.target).path, graph.node(edge.source).path
        try:
            result = diff(Path(str(upper)), Path(str(lower)))
        except VanbanError as error:
            yield DiffPage(edge, diff_file_name(edge), None, f"{error.code}: {error}")
            continue
        yield DiffPage(edge, diff_file_name(edge), render_html(result.to_dict()))
