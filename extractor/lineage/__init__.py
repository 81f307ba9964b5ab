"""Lineage: the chain of guidance across an archive.

Directives form chains: a Central conclusion, the province plan that carries
it out, the district guidance that cites the province plan, the commune plan
that cites the district guidance. :func:`build_graph` builds that chain from
the records' ``references`` (:mod:`.graph`, :mod:`.resolve`), groups the
documents implementing one parent into campaigns (:mod:`.campaign`), and
:func:`find_parent` finds, for one document, the parent it implements within
an archive (:mod:`.parent`). :func:`render_html` draws the graph
(:mod:`.html`); :func:`diff_pages` gives the diff of each child against its
parent (:mod:`.diffs`).

>>> graph = build_graph([
...     {"source": {"path": "up.txt", "sha256": "a" * 64}, "number": "44-KH/TU",
...      "date": "2022-03-01", "references": []},
...     {"source": {"path": "down.txt", "sha256": "b" * 64}, "number": "12-KH/HU",
...      "date": "2022-03-20", "references": [{"number": "44-KH/TU", "date": "2022-03-01",
...      "doc_type": "Kế hoạch", "issuer": "Tỉnh ủy", "relation": "implements"}]},
... ])
>>> [(graph.node(e.source).path, graph.node(e.target).path) for e in graph.edges]
[('down.txt', 'up.txt')]
"""

from extractor.lineage.archive import Archive, load_archive
from extractor.lineage.diffs import DiffPage, diff_pages
from extractor.lineage.graph import build_graph, document_id
from extractor.lineage.html import render_html
from extractor.lineage.model import Campaign, Edge, Graph, Node
from extractor.lineage.parent import ParentSearch, find_parent

__all__ = [
    "Archive",
    "Campaign",
    "DiffPage",
    "Edge",
    "Graph",
    "Node",
    "ParentSearch",
    "build_graph",
    "diff_pages",
    "document_id",
    "find_parent",
    "load_archive",
    "render_html",
]
