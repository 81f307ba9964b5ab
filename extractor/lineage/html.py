"""The self-contained HTML view of a lineage graph.

One page, no script, nothing loaded from anywhere: its Content-Security-Policy
is ``default-src 'none'`` with the one inline style allowed by its sha256
hash. Three parts:

- **the tree**, from the highest level down (central → province → district →
  commune): each root is a document that cites nothing, under it the
  documents that implement it (or cite it, when both are archive documents),
  and so on; each node shows its type, number, date, issuer and theme, and
  lists the outside documents it only mentions. An edge between two
  archive documents links to the diff of the child against the parent (a
  page written next to the view, see :mod:`extractor.lineage.diffs`). A node
  met a second time is shown once, then referred to;
- **the campaigns**: one table per parent with its implementers, per field
  (themes, period, deadlines, forms) each child's value and how it differs;
- the documents that cite and are cited by nothing in the archive.

Every piece of document text goes through :func:`html.escape` (``quote=True``);
class names come from fixed vocabularies only.

>>> from extractor.lineage.model import Graph, Node
>>> page = render_html(Graph(nodes=(Node("doc:1", "a.txt", "<b>1</b>", None, None, None, None),),
...                          edges=()))
>>> "&lt;b&gt;1&lt;/b&gt;" in page, "<b>1</b>" in page
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from extractor.fields.dates import show_date
from extractor.htmlpage import csp_hash as _csp_hash
from extractor.htmlpage import escape as _esc
from extractor.lineage.model import LEVELS, Campaign, Edge, Graph, Node, level_rank

LEVEL_NAMES: Final = {
    "central": "Central",
    "province": "Province",
    "district": "District",
    "commune": "Commune",
    "branch": "Branch",
    None: "Level unknown",
}
FIELD_NAMES: Final = {
    "themes": "Theme",
    "period": "Period",
    "deadlines": "Deadlines",
    "forms": "Forms",
}
STATUSES: Final = ("same", "changed", "added", "dropped", "absent", "unknown")
_TITLE_CHARS = 160

_CSS: Final = """
:root{--ink:#1d2430;--muted:#5b6575;--line:#d5dae1;--bg:#f7f8fa;--accent:#1f5fbf}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 "Noto Sans","DejaVu Sans",Arial,sans-serif;color:var(--ink);
  background:var(--bg)}
header,main{max-width:1200px;margin:0 auto;padding:12px 20px}
h1{font-size:22px;margin:8px 0}
h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px;color:var(--muted);text-transform:uppercase;
  letter-spacing:.04em}
.stats{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0;padding:0;list-style:none}
.stats li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:4px 10px}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:22px}
ul.tree{padding-left:0}
ul.tree li{margin:6px 0;position:relative}
ul.tree ul>li::before{content:"";position:absolute;left:-14px;top:0;bottom:0;
  border-left:1px solid var(--line)}
details>summary{cursor:pointer;list-style-position:outside}
.node{display:block;width:fit-content;background:#fff;border:1px solid var(--line);
  border-radius:6px;padding:4px 8px;max-width:100%}
.node.external{background:#fbfbf4;border-style:dashed}
.node .head{font-weight:600}
.node .meta{color:var(--muted);font-size:13px}
.node .theme{font-style:italic;font-size:13px}
.node .path{font-family:monospace;font-size:12px;color:var(--muted)}
.lvl{display:inline-block;font-size:11px;font-weight:600;border-radius:10px;padding:0 7px;
  margin-right:4px;color:#fff;background:#7a8494}
.lvl-central{background:#8a1c1c}.lvl-province{background:#9a5b00}
  .lvl-district{background:#1f6f43}
.lvl-commune{background:#1f5fbf}.lvl-branch{background:#6a3fa0}
.rel{font-size:12px;border-radius:4px;padding:0 5px;margin-right:4px;
  border:1px solid var(--line);background:#eef1f5}
.rel-implements{border-color:#1f6f43;color:#1f6f43}.rel-mentions{border-color:#9a5b00;
  color:#9a5b00}
a.diff{font-size:13px;margin-left:6px;color:var(--accent)}
.seen{font-size:13px;color:var(--muted)}
.tied{font-size:12px;color:#9a5b00;margin-left:4px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:5px 7px;vertical-align:top;text-align:left;
  font-size:13px}
th{background:#eef1f5}
td ul{margin:0;padding-left:16px}
.st{display:inline-block;font-size:11px;font-weight:600;border-radius:4px;padding:0 5px;
  margin-bottom:2px}
.st-same{background:#e3f3e8;color:#1f6f43}.st-changed{background:#fff1d6;color:#8a5300}
.st-added{background:#dceafe;color:#1f4f9f}.st-dropped{background:#fde2e2;color:#8a1c1c}
.st-absent,.st-unknown{background:#eef1f5;color:var(--muted)}
.none{color:var(--muted)}
footer{max-width:1200px;margin:0 auto;padding:12px 20px;color:var(--muted);font-size:12px}
"""


def diff_file_name(edge: Edge) -> str:
    """The file name of the diff of an edge's child against its parent.

    >>> diff_file_name(Edge("doc:aa11", "doc:bb22", "implements", None, "1-KH/TU"))
    'aa11__bb22.html'
    """

    def part(node_id: str) -> str:
        return re.sub(r"[^0-9A-Za-z~_-]", "-", node_id.split(":", 1)[-1])

    return f"{part(edge.source)}__{part(edge.target)}.html"


class _View:
    """The page under construction: anchors, the nodes already drawn."""

    def __init__(self, graph: Graph, links: Mapping[tuple[str, str], str]) -> None:
        self.graph = graph
        self.links = links
        self.anchor = {node.id: f"n{index}" for index, node in enumerate(graph.nodes)}
        self.children: dict[str, list[Edge]] = {}
        self.parents: dict[str, list[Edge]] = {}
        self.mentioned: dict[str, list[Edge]] = {}
        for edge in graph.edges:
            if edge.relation == "mentions" and graph.node(edge.target).external:
                # A passing mention of an outside document does not place a
                # document in the chain: it is listed on the card instead.
                self.mentioned.setdefault(edge.source, []).append(edge)
                continue
            self.children.setdefault(edge.target, []).append(edge)
            self.parents.setdefault(edge.source, []).append(edge)
        self.drawn: set[str] = set()

    def card(self, node: Node) -> str:
        level = node.level if node.level in LEVELS else None
        level_class = f" lvl-{level}" if level else ""
        head = " ".join(part for part in (node.doc_type, node.number) if part) or node.label()
        meta = " · ".join(part for part in (show_date(node.date), node.issuing_body or "") if part)
        title = node.title or ""
        if len(title) > _TITLE_CHARS:
            title = title[: _TITLE_CHARS - 1] + "…"
        lines = [
            f'<span class="lvl{level_class}">{_esc(LEVEL_NAMES[level])}</span>'
            f'<span class="head">{_esc(head)}</span>'
        ]
        if meta:
            lines.append(f'<div class="meta">{_esc(meta)}</div>')
        if title:
            lines.append(f'<div class="title">{_esc(title)}</div>')
        if node.themes:
            themes = "; ".join(f"“{theme}”" for theme in node.themes)
            lines.append(f'<div class="theme">Theme: {_esc(themes)}</div>')
        mentioned = self.mentioned.get(node.id)
        if mentioned:
            shown = ", ".join(edge.cited_as for edge in mentioned)
            lines.append(f'<div class="meta">Also mentions: {_esc(shown)}</div>')
        if node.external:
            lines.append('<div class="path">not in the archive (from the citation)</div>')
        else:
            lines.append(f'<div class="path">{_esc(node.path)}</div>')
        kind = "external" if node.external else "document"
        return (
            f'<div class="node {kind}" id="{self.anchor[node.id]}" '
            f'data-node="{_esc(node.id)}">{"".join(lines)}</div>'
        )

    def edge_label(self, edge: Edge) -> str:
        label = (
            f'<span class="rel rel-{edge.relation}" title="cited as {_esc(edge.cited_as)}">'
            f"{_esc(edge.relation)}</span>"
        )
        link = self.links.get((edge.source, edge.target))
        if link:
            label += f'<a class="diff" href="{_esc(link)}">diff against parent</a>'
        if edge.tied > 1:
            label += f'<span class="tied">one of {edge.tied} archive copies of this number</span>'
        return label

    def subtree(self, node_id: str, path: frozenset[str]) -> str:
        """The node's card and, the first time it is drawn, the documents citing it."""
        node = self.graph.node(node_id)
        kids = sorted(
            self.children.get(node_id, []),
            key=lambda e: (self.graph.node(e.source).external, _order(self.graph.node(e.source))),
        )
        if node_id in self.drawn and kids:
            return (
                f"{self.card_ref(node)}"
                f'<span class="seen"> — its implementers are shown '
                f'<a href="#{self.anchor[node_id]}">above</a></span>'
            )
        first = node_id not in self.drawn
        self.drawn.add(node_id)
        card = self.card(node) if first else self.card_ref(node)
        if not kids:
            return card
        items = "".join(
            f"<li>{self.edge_label(edge)}{self.subtree(edge.source, path | {node_id})}</li>"
            for edge in kids
            if edge.source not in path
        )
        opened = " open" if self._internal(node_id) else ""
        return (
            f"<details{opened}><summary>{card} "
            f'<span class="seen">{len(kids)} citing</span></summary>'
            f"<ul>{items}</ul></details>"
        )

    def card_ref(self, node: Node) -> str:
        return (
            f'<span class="node-ref"><a href="#{self.anchor[node.id]}">'
            f"{_esc(node.label())}</a></span>"
        )

    def _internal(self, node_id: str) -> bool:
        """Whether an archive document cites this node from below (worth opening)."""
        node = self.graph.node(node_id)
        return not node.external or any(
            not self.graph.node(e.source).external and self.children.get(e.source)
            for e in self.children.get(node_id, [])
        )


def _order(node: Node) -> tuple[int, str, str]:
    return (level_rank(node.level), node.date or "9999", node.id)


def _roots(view: _View) -> list[Node]:
    """The nodes the tree starts from: cited, citing nothing; then any left in a cycle."""
    graph = view.graph
    roots = [
        node for node in graph.nodes if node.id in view.children and node.id not in view.parents
    ]
    return sorted(roots, key=lambda n: (_archive_first(view, n), *_order(n)))


def _archive_first(view: _View, node: Node) -> int:
    # Chains inside the archive first, then external roots by how many cite them.
    inside = not node.external or any(
        not view.graph.node(e.source).external and view.children.get(e.source)
        for e in view.children.get(node.id, [])
    )
    return 0 if inside else 1


def _tree(view: _View) -> str:
    sections: list[str] = []
    roots = _roots(view)
    for level in (*LEVELS, None):
        group = [node for node in roots if (node.level if node.level in LEVELS else None) == level]
        if not group:
            continue
        items = "".join(f"<li>{view.subtree(node.id, frozenset())}</li>" for node in group)
        sections.append(f'<h3>{_esc(LEVEL_NAMES[level])}</h3><ul class="tree">{items}</ul>')
    # A cycle (two copies citing each other's number) has no root: draw what is left.
    left = [
        node
        for node in view.graph.nodes
        if node.id not in view.drawn and (node.id in view.children)
    ]
    if left:
        items = "".join(f"<li>{view.subtree(node.id, frozenset())}</li>" for node in left)
        sections.append(f'<h3>In a citation cycle</h3><ul class="tree">{items}</ul>')
    return "".join(sections) or '<p class="none">No citations.</p>'


_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def _cell_values(values: Iterable[str]) -> str:
    # Periods and deadlines carry ISO dates; show them as the documents print them.
    shown = (_ISO_IN_TEXT.sub(lambda m: show_date(m.group()), value) for value in values)
    items = [f"<li>{_esc(value)}</li>" for value in shown]
    return f"<ul>{''.join(items)}</ul>" if items else '<span class="none">—</span>'


def _campaign(view: _View, campaign: Campaign) -> str:
    graph = view.graph
    parent = graph.node(campaign.parent)
    header = "".join(f"<th>{_esc(FIELD_NAMES.get(name, name))}</th>" for name in campaign.cells)
    rows = []
    if not parent.external:
        cells = "".join(
            f"<td>{_cell_values(campaign.parent_values[name])}</td>" for name in campaign.cells
        )
        rows.append(
            f'<tr class="parent"><th><a href="#{view.anchor[parent.id]}">'
            f'{_esc(parent.label())}</a><div class="meta">parent</div></th>{cells}</tr>'
        )
    for child_id in campaign.children:
        child = graph.node(child_id)
        cells = ""
        for name in campaign.cells:
            cell = campaign.cells[name][child_id]
            status = cell.status if cell.status in STATUSES else "unknown"
            cells += (
                f'<td><span class="st st-{status}">{_esc(status)}</span>'
                f"{_cell_values(cell.value)}</td>"
            )
        meta = " · ".join(p for p in (child.issuing_body or "", show_date(child.date)) if p)
        rows.append(
            f'<tr><th><a href="#{view.anchor[child_id]}">{_esc(child.label())}</a>'
            f'<div class="meta">{_esc(meta)}</div></th>{cells}</tr>'
        )
    where = "not in the archive" if parent.external else _esc(parent.path)
    return (
        f'<section class="campaign" data-parent="{_esc(parent.id)}">'
        f"<h3>{_esc(parent.label())} — {len(campaign.children)} implementers</h3>"
        f'<p class="meta">{_esc(parent.issuing_body or "")} {_esc(show_date(parent.date))} '
        f"({where})</p>"
        f"<table><thead><tr><th>Document</th>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _unlinked(view: _View) -> str:
    lonely = sorted(
        (
            node
            for node in view.graph.nodes
            if not node.external and node.id not in view.children and node.id not in view.drawn
        ),
        key=_order,
    )
    if not lonely:
        return ""
    items = "".join(f"<li>{view.card(node)}</li>" for node in lonely)
    return (
        f"<h2>Documents in no chain ({len(lonely)}): "
        "they implement nothing, nothing cites them</h2>"
        f'<details><summary>show</summary><ul class="tree">{items}</ul></details>'
    )


def render_html(
    graph: Graph,
    *,
    diff_links: Mapping[tuple[str, str], str] | None = None,
    title: str = "Lineage",
) -> str:
    """Render the graph as one self-contained HTML page.

    Args:
        graph: the lineage graph (with its campaigns).
        diff_links: ``(child id, parent id) → relative URL`` of the diff page
            of an edge; edges without one show no link.
        title: the page title.
    """
    view = _View(graph, diff_links or {})
    documents = sum(1 for node in graph.nodes if not node.external)
    inside = sum(1 for edge in graph.edges if not graph.node(edge.target).external)
    implements = sum(1 for edge in graph.edges if edge.relation == "implements")
    stats = (
        f"<li>{documents} documents</li>"
        f"<li>{len(graph.nodes) - documents} cited documents outside the archive</li>"
        f"<li>{len(graph.edges)} citations ({implements} implement, "
        f"{len(graph.edges) - implements} mention)</li>"
        f"<li>{inside} citations between archive documents</li>"
        f"<li>{len(graph.campaigns)} campaign(s)</li>"
    )
    tree = _tree(view)
    unlinked = _unlinked(view)
    campaigns = "".join(_campaign(view, campaign) for campaign in graph.campaigns) or (
        '<p class="none">No two documents implement the same document.</p>'
    )
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_CSS)}; img-src 'none'; "
        "script-src 'none'; connect-src 'none'; font-src 'none'; object-src 'none'; "
        "frame-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="vanban lineage">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_esc(title)}</h1><ul class="stats">{stats}</ul>'
        '<p class="meta">Each document sits under the documents it cites, from the highest '
        "level down. Dashed boxes are cited documents the archive does not hold. "
        "“diff against parent” opens how the child adapts the parent.</p></header>\n"
        f'<main><h2>Citation tree</h2><div id="tree">{tree}</div>'
        f'<h2>Campaigns</h2><div id="campaigns">{campaigns}</div>{unlinked}</main>\n'
        "<footer>Generated by vanban lineage.</footer>\n</body>\n</html>\n"
    )
