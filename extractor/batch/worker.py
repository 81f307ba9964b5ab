"""A sandbox: one worker process that extracts documents one at a time.

``concurrent.futures`` and ``multiprocessing.Pool`` cannot stop a task that is
running, so a worker stuck on a pathological file would stall the batch. Each
:class:`Sandbox` is instead a plain child process (``python -m
extractor.batch.worker``) talking over two pipes; its owner sends one
:class:`~extractor.batch.sources.SourceItem`, waits for the row with a
deadline, and on a missed deadline kills the process and starts another. The
local engine drives a few sandboxes; under Dask, each Dask worker keeps one.

The child is started with ``subprocess`` rather than ``multiprocessing`` so it
works inside daemonic processes (Dask's workers are), and never forks a parent
that holds threads. It loads the models before saying it is ready, so the time
budget of a document never pays for start-up.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import subprocess
import sys
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.batch.rows import Row, crash_row, process_one, timeout_row
from extractor.errors import BatchError

if TYPE_CHECKING:
    from extractor.batch.sources import SourceItem

#: How long a new worker may take to import the package and load the models.
STARTUP_SECONDS = 300.0
_READY = "ready"
# A directive with a number, date, sections and a closing: loads every model.
_WARM_UP_TEXT = (
    "ỦY BAN NHÂN DÂN TỈNH X\nSố: 1/KH-UBND\nX, ngày 01 tháng 02 năm 2022\n"
    "KẾ HOẠCH\nvề việc thử\nI. MỤC ĐÍCH\n1. Thử.\nII. TỔ CHỨC THỰC HIỆN\n"
    "Nơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn A\n"
)


class Sandbox:
    """The owner's handle on one worker process.

    Use: ``sandbox = Sandbox.start(); sandbox.wait_ready(); row = sandbox.run(item,
    timeout=60); sandbox.close()`` (``tests/test_batch_run.py`` runs it; a doctest
    would start a process with every test run).
    """

    def __init__(self, process: subprocess.Popen[bytes], send: Connection, recv: Connection):
        self.process = process
        self._send = send
        self.connection = recv
        self.ready = False
        self.item: SourceItem | None = None
        self.deadline = 0.0
        self.started = time.monotonic()

    @classmethod
    def start(cls) -> Sandbox:
        """Start a worker process; it loads the models, then says it is ready."""
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (package_root, env.get("PYTHONPATH")) if part
        )
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "extractor.batch.worker",
                    str(to_child_read),
                    str(from_child_write),
                ],
                pass_fds=(to_child_read, from_child_write),
                stdin=subprocess.DEVNULL,
                # Third-party libraries may print warnings; they must not reach
                # the CLI's stderr between progress lines.
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        finally:
            os.close(to_child_read)
            os.close(from_child_write)
        return cls(
            process,
            Connection(to_child_write, readable=False),
            Connection(from_child_read, writable=False),
        )

    def wait_ready(self, timeout: float = STARTUP_SECONDS) -> None:
        """Block until the worker has loaded the models.

        Raises:
            BatchError: the worker died or did not get ready in time.
        """
        if not self.connection.poll(timeout):
            self.kill()
            raise BatchError(path="worker", detail=f"not ready after {timeout:g} s")
        self.receive_ready()

    def receive_ready(self) -> None:
        """Take the worker's ready message (its connection is readable)."""
        try:
            message = self.connection.recv()
        except (EOFError, OSError) as error:
            code = self.kill()
            raise BatchError(
                path="worker", detail=f"the worker process failed to start (exit code {code})"
            ) from error
        if message != _READY:
            self.kill()
            raise BatchError(path="worker", detail=f"unexpected start message {message!r}")
        self.ready = True

    def submit(self, item: SourceItem, *, timeout: float) -> None:
        """Send one item; its row is due before ``timeout`` seconds from now."""
        self.item = item
        self.deadline = time.monotonic() + timeout
        self._send.send(item)

    def receive(self) -> Row:
        """The row of the submitted item (the connection is readable).

        A worker that died mid-document gives a ``worker_crashed`` row.
        """
        assert self.item is not None, "receive() without a submitted item"
        item, self.item = self.item, None
        try:
            return dict(self.connection.recv())
        except (EOFError, OSError):
            code = self.kill()
            return crash_row(item.path, f"exit code {code}")

    def expire(self, timeout: float) -> Row:
        """Kill the worker stuck past its deadline; the item's ``timeout`` row."""
        assert self.item is not None, "expire() without a submitted item"
        item, self.item = self.item, None
        self.kill()
        return timeout_row(item.path, timeout)

    def run(self, item: SourceItem, *, timeout: float) -> Row:
        """Submit one item and wait for its row, killing the worker past the budget."""
        self.submit(item, timeout=timeout)
        if self.connection.poll(timeout):
            return self.receive()
        return self.expire(timeout)

    @property
    def alive(self) -> bool:
        """Whether the process still runs."""
        return self.process.poll() is None

    def kill(self) -> int | None:
        """Stop the process now (SIGKILL) and free its pipes; its exit code."""
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self._close_pipes()
        return code

    def close(self) -> None:
        """Let the worker finish: closing its input makes it exit."""
        self._close_pipes()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_pipes(self) -> None:
        for connection in (self._send, self.connection):
            if not connection.closed:
                connection.close()


def wait_any(sandboxes: list[Sandbox], timeout: float) -> list[Sandbox]:
    """The sandboxes whose connection has a message (or hit end of file)."""
    by_connection = {sandbox.connection: sandbox for sandbox in sandboxes}
    return [by_connection[c] for c in wait(list(by_connection), timeout)]  # type: ignore[index]


def _serve(receive: Connection, send: Connection) -> None:
    """The worker's loop: one item in, one row out, until the owner hangs up."""
    from extractor.extract import extract

    # A warm-up failure shows again, as an error row, on the first real document.
    with contextlib.suppress(Exception):
        extract(_WARM_UP_TEXT)
    # The format readers import their libraries on first use; not on the clock.
    for module in ("extractor.readers.docx", "extractor.readers.pdf", "docx", "pdfplumber"):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)

    send.send(_READY)
    while True:
        try:
            item: Any = receive.recv()
        except (EOFError, OSError):
            return
        send.send(process_one(item))


def main(argv: list[str]) -> int:
    """Entry point of ``python -m extractor.batch.worker IN_FD OUT_FD``."""
    # Ctrl-C reaches the whole process group; the owner decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    receive = Connection(int(argv[0]), writable=False)
    send = Connection(int(argv[1]), readable=False)
    _serve(receive, send)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
