"""The lineage HTML view: escaping, a strict CSP, and a real headless Chromium.

The browser is Debian's ``/usr/bin/chromium``, driven over the DevTools
protocol by ``tests/browser.py`` (shared with the diff report's tests): the view must load with no console error and no
network request, show its nodes, and link each archive edge to a diff page
that exists next to it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor.lineage import build_graph, diff_pages, render_html
from extractor.lineage.model import Graph
from tests.browser import Tab
from tests.test_lineage import archive_graph, cite, record

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


# --- no browser needed -----------------------------------------------------------------


def _payload_graph() -> Graph:
    parent = record(
        "p", "44-KH/TU", date="2022-03-01", issuing_body=PAYLOAD, themes=[PAYLOAD], title=PAYLOAD
    )
    children = [
        record(f"c{i}", f"{i}-KH/HU", forms=[PAYLOAD], references=(cite("44-KH/TU"),))
        for i in (1, 2)
    ]
    outside = record("o", "9-KH/ĐU", references=(cite(PAYLOAD + "1-KH/TU", issuer=PAYLOAD),))
    return build_graph([parent, *children, outside])


def test_lineage_html_escapes_document_text() -> None:
    graph = _payload_graph()
    assert graph.campaigns  # the payload reaches the campaign table too
    page = render_html(graph, diff_links={(graph.edges[0].source, graph.edges[0].target): "x.html"})
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="x.html"' in page


def test_lineage_html_is_self_contained_with_a_strict_csp() -> None:
    page = render_html(_payload_graph())
    csp = page.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert csp.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src 'none'" in csp
    tags = _Tags()
    tags.feed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & tags.names
    assert all(not url.startswith(("http:", "https:", "//")) for url in tags.urls)
    assert "url(" not in page.split("<style>", 1)[1].split("</style>", 1)[0]


class _Tags(HTMLParser):
    """The tag names of a page and the URLs its attributes load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.urls += [value or "" for name, value in attrs if name in ("src", "href", "action")]


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The view of the samples + corpus archive, with its diff pages, as the CLI lays it out."""
    graph = archive_graph()
    out = tmp_path_factory.mktemp("lineage")
    folder = out / "graph_diffs"
    folder.mkdir()
    links = {}
    for page in diff_pages(graph):
        assert page.html is not None, page.problem
        (folder / page.name).write_text(page.html, encoding="utf-8")
        links[(page.edge.source, page.edge.target)] = f"graph_diffs/{page.name}"
    path = out / "graph.html"
    path.write_text(render_html(graph, diff_links=links), encoding="utf-8")
    return path


VISIBLE_NODES = """(() => Array.from(document.querySelectorAll('.node'))
  .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0)
  .map((el) => el.dataset.node))()"""


def test_lineage_html_loads_with_no_error_and_no_request(tab: Tab, view: Path) -> None:
    url = tab.open(view)
    assert tab.eval("document.readyState") == "complete"
    assert tab.problems() == []
    assert tab.requests() == [url]
    assert tab.eval("performance.getEntriesByType('resource').length") == 0
    visible = tab.eval(VISIBLE_NODES)
    graph = archive_graph()
    chain = {n.id for n in graph.nodes if n.path and n.path.endswith(("082.txt", "027.txt"))}
    assert chain <= set(visible)
    campaigns = tab.eval("document.querySelectorAll('#campaigns table').length")
    assert campaigns == len(graph.campaigns)


def test_lineage_html_edge_links_open_existing_diff_pages(tab: Tab, view: Path) -> None:
    tab.open(view)
    hrefs = tab.eval("Array.from(document.querySelectorAll('a.diff')).map((a) => a.href)")
    graph = archive_graph()
    inside = [e for e in graph.edges if not graph.node(e.target).external]
    assert len(hrefs) >= len(inside)
    for href in set(hrefs):
        assert href.startswith(view.parent.as_uri() + "/graph_diffs/")
        assert Path(href.removeprefix("file://")).is_file()
    first = tab.eval("document.querySelector('a.diff').getAttribute('href')")
    seen = len(tab.browser.events)
    tab.eval("document.querySelector('a.diff').click()")
    tab.browser.wait_event("Page.loadEventFired", tab.session, seen)
    assert tab.eval("location.href") == (view.parent / first).as_uri()
    assert tab.eval("document.title").startswith("Diff")
