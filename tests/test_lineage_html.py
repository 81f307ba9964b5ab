"""The lineage HTML view: escaping, a strict CSP, and a real headless Chromium.

The browser is Debian's ``/usr/bin/chromium`` (``scripts/ensure_chromium.sh``
installs it), driven over the DevTools protocol with the flags of the diff
report's browser tests: the view must load with no console error and no
network request, show its nodes, and link each archive edge to a diff page
that exists next to it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import websocket

from extractor.lineage import build_graph, diff_pages, render_html
from extractor.lineage.model import Graph
from tests.conftest import ROOT
from tests.test_lineage import archive_graph, cite, record

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-port=0",
)
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


# --- headless Chromium over the DevTools protocol ---------------------------------------


class Chromium:
    """One headless browser and one page, recording the page's events."""

    def __init__(self, profile: Path) -> None:
        self.log = (profile / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                pytest.fail(f"chromium did not start; see {profile / 'chromium.log'}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        # Chromium refuses DevTools websockets that carry an Origin header.
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=20, suppress_origin=True
        )
        self.ident = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=self.session)

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self.ident += 1
        message: dict[str, Any] = {"id": self.ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.ident:
                assert "error" not in reply, reply
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def open(self, path: Path) -> str:
        """Navigate to a file and wait for its load event; the URL it has."""
        url = path.resolve().as_uri()
        self.events.clear()
        self.call("Page.navigate", {"url": url}, self.session)
        self.wait("Page.loadEventFired")
        return url

    def wait(self, name: str) -> None:
        deadline = time.monotonic() + 20
        while not any(event.get("method") == name for event in self.events):
            assert time.monotonic() < deadline, f"no {name}"
            self.events.append(json.loads(self.ws.recv()))

    def eval(self, expression: str) -> Any:
        reply = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session
        )
        assert "exceptionDetails" not in reply, reply
        return reply["result"].get("value")

    def params(self, *names: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e.get("method") in names]

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, error log entries (CSP refusals)."""
        found = [json.dumps(e)[:300] for e in self.params("Runtime.exceptionThrown")]
        found += [
            json.dumps(e["args"])[:300]
            for e in self.params("Runtime.consoleAPICalled")
            if e["type"] in ("error", "assert", "warning")
        ]
        found += [
            e["entry"]["text"]
            for e in self.params("Log.entryAdded")
            if e["entry"]["level"] in ("error", "warning")
        ]
        return found

    def requests(self) -> list[str]:
        return [e["request"]["url"] for e in self.params("Network.requestWillBeSent")]

    def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            with contextlib.suppress(AssertionError, OSError, websocket.WebSocketException):
                self.call("Browser.close")
            self.ws.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            pytest.skip("no /usr/bin/chromium and no apt-get to install it")
        script = ROOT / "scripts" / "ensure_chromium.sh"
        subprocess.run(["bash", str(script)], check=True, capture_output=True)
    browser = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.close()


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


def test_lineage_html_loads_with_no_error_and_no_request(chromium: Chromium, view: Path) -> None:
    url = chromium.open(view)
    assert chromium.eval("document.readyState") == "complete"
    assert chromium.problems() == []
    assert chromium.requests() == [url]
    assert chromium.eval("performance.getEntriesByType('resource').length") == 0
    visible = chromium.eval(VISIBLE_NODES)
    graph = archive_graph()
    chain = {n.id for n in graph.nodes if n.path and n.path.endswith(("082.txt", "027.txt"))}
    assert chain <= set(visible)
    campaigns = chromium.eval("document.querySelectorAll('#campaigns table').length")
    assert campaigns == len(graph.campaigns)


def test_lineage_html_edge_links_open_existing_diff_pages(chromium: Chromium, view: Path) -> None:
    chromium.open(view)
    hrefs = chromium.eval("Array.from(document.querySelectorAll('a.diff')).map((a) => a.href)")
    graph = archive_graph()
    inside = [e for e in graph.edges if not graph.node(e.target).external]
    assert len(hrefs) >= len(inside)
    for href in set(hrefs):
        assert href.startswith(view.parent.as_uri() + "/graph_diffs/")
        assert Path(href.removeprefix("file://")).is_file()
    first = chromium.eval("document.querySelector('a.diff').getAttribute('href')")
    chromium.events.clear()
    chromium.eval("document.querySelector('a.diff').click()")
    chromium.wait("Page.loadEventFired")
    assert chromium.eval("location.href") == (view.parent / first).as_uri()
    assert chromium.eval("document.title").startswith("Diff")
