"""Debian's headless Chromium driven over the DevTools protocol, for the HTML reports.

/usr/bin/chromium (``scripts/ensure_chromium.sh`` installs it when absent; no
browser is downloaded) is started with the flags that keep it off the network,
and driven through one websocket with flat sessions (``websocket-client``).
The ``browser`` and ``tab`` fixtures in ``tests/conftest.py`` give one browser
per module and one tab per test.
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import websocket

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


class CDPError(RuntimeError):
    """A DevTools command failed or the browser did not answer in time."""


class Browser:
    """Headless Chromium and one websocket to its DevTools endpoint (flat sessions)."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.log = (profile / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--mute-audio",
                "--hide-scrollbars",
                "--window-size=1280,900",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise CDPError(f"chromium did not start; see {profile / 'chromium.log'}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        # suppress_origin: Chromium refuses DevTools websockets that carry an Origin header.
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=20, suppress_origin=True
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _handle_event(self, message: dict[str, Any]) -> None:
        self.events.append(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            # A dialog would block the page (and the test): dismiss it, and keep the record.
            self.next_id += 1
            self.ws.send(
                json.dumps(
                    {
                        "id": self.next_id,
                        "method": "Page.handleJavaScriptDialog",
                        "params": {"accept": False},
                        "sessionId": message.get("sessionId"),
                    }
                )
            )

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == ident:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._handle_event(reply)
        raise CDPError(f"{method}: no reply")

    def wait_event(self, name: str, session: str, seen: int, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.events[seen:]:
                if message.get("method") == name and message.get("sessionId") == session:
                    return message
            if time.monotonic() > deadline:
                raise CDPError(f"no {name} event")
            reply = json.loads(self.ws.recv())
            if "method" in reply:
                self._handle_event(reply)

    def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            # The browser may drop the socket before it answers: that is the point of closing.
            with contextlib.suppress(CDPError, OSError, websocket.WebSocketException):
                self.call("Browser.close")
            self.ws.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


CLICK_TARGET = """(() => {
  const el = document.querySelector(SELECTOR);
  el.scrollIntoView({block: 'nearest'});
  const r = el.getBoundingClientRect();
  const x = r.x + r.width / 2, y = r.y + r.height / 2;
  const top = document.elementFromPoint(x, y);
  return {x: x, y: y, hit: top !== null && (top === el || el.contains(top) || top.contains(el))};
})()"""


class Tab:
    """One page of the browser, with the console, network and dialog events it saw."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.call(
            "Target.attachToTarget", {"targetId": self.target, "flatten": True}
        )["sessionId"]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        self.first_event = len(browser.events)
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def open(self, path: Path) -> str:
        url = path.resolve().as_uri()
        seen = len(self.browser.events)
        self.call("Page.navigate", {"url": url})
        self.browser.wait_event("Page.loadEventFired", self.session, seen)
        return url

    def eval(self, expression: str) -> Any:
        reply = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in reply:
            raise CDPError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def events(self, *names: str) -> list[dict[str, Any]]:
        return [
            message["params"]
            for message in self.browser.events[self.first_event :]
            if message.get("sessionId") == self.session and message.get("method") in names
        ]

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP refusals among them)."""
        found = [
            json.dumps(e["exceptionDetails"])[:300] for e in self.events("Runtime.exceptionThrown")
        ]
        found += [
            json.dumps(e["args"])[:300]
            for e in self.events("Runtime.consoleAPICalled")
            if e["type"] in ("error", "assert", "warning")
        ]
        found += [
            e["entry"]["text"]
            for e in self.events("Log.entryAdded")
            if e["entry"]["level"] in ("error", "warning")
        ]
        return found

    def requests(self) -> list[str]:
        """URLs the page asked for (including any the CSP then refused)."""
        return [e["request"]["url"] for e in self.events("Network.requestWillBeSent")]

    def blocked(self) -> list[str]:
        """URLs of requests the browser refused, with the reason (``csp`` for the policy)."""
        urls = {
            e["requestId"]: e["request"]["url"] for e in self.events("Network.requestWillBeSent")
        }
        return [
            f"{urls.get(e['requestId'])} {e.get('blockedReason')}"
            for e in self.events("Network.loadingFailed")
        ]

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the element, scrolled into view as a user would."""
        box = self.eval(CLICK_TARGET.replace("SELECTOR", json.dumps(selector)))
        assert box["hit"], f"{selector} is covered or off screen: {box}"
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def press(self, key: str) -> None:
        code = ord(key.upper())
        self.call(
            "Input.dispatchKeyEvent",
            {
                "type": "keyDown",
                "key": key,
                "text": key,
                "code": f"Key{key.upper()}",
                "windowsVirtualKeyCode": code,
            },
        )
        self.call(
            "Input.dispatchKeyEvent",
            {
                "type": "keyUp",
                "key": key,
                "code": f"Key{key.upper()}",
                "windowsVirtualKeyCode": code,
            },
        )

    def screenshot(self, path: Path, height: int = 900) -> None:
        """PNG of the viewport, or of the page's top ``height`` pixels when taller than it."""
        params: dict[str, Any] = {"format": "png"}
        if height > 900:
            clip = {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}
            params.update(clip=clip, captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", params)["data"]))

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None:
        pytest.skip("no /usr/bin/chromium and no apt-get to install Debian's chromium package")
    # Installs Debian's package; a failure here is a test error, not a skip.
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure_chromium.sh")], check=True, capture_output=True
    )
