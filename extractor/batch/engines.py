"""Engines: where :func:`~extractor.batch.rows.process_one` runs.

- ``inline`` (``workers=0``): in the calling process, one item at a time, no
  time budget (for debugging and tests of the writers);
- ``local``: a pool of :class:`~extractor.batch.worker.Sandbox` processes
  driven from here, one item in flight per worker, a deadline on each;
- ``dask``: a ``dask.distributed`` cluster (a ``LocalCluster`` when no
  scheduler address is given); each Dask worker runs its items in a sandbox
  of its own, so deadlines and rows are the same as with ``local``.

Every engine pulls items from the iterator only as workers free up, and
hands each row to ``emit`` as soon as it is done (completion order), so
memory stays flat however long the input stream is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

from extractor.batch.rows import Row, crash_row, error_row, process_one
from extractor.batch.sources import SourceItem
from extractor.batch.worker import STARTUP_SECONDS, Sandbox, wait_any
from extractor.errors import BatchError

Emit = Callable[[Row], None]
Tick = Callable[[], None]
#: The longest the engines go without calling ``tick`` (progress, timed flushes).
TICK_SECONDS = 1.0
#: A worker that fails to start this many times in a row ends the run.
MAX_START_FAILURES = 3


def run_inline(items: Iterator[SourceItem], *, emit: Emit, tick: Tick) -> None:
    """Process the items here, one by one (no time budget: nothing can stop a call).

    >>> rows = []
    >>> run_inline(iter([SourceItem(path="gone.txt", location="/no/gone.txt")]),
    ...            emit=rows.append, tick=lambda: None)
    >>> rows[0]["error"]["type"]
    'not_found'
    """
    for item in items:
        emit(process_one(item))
        tick()


def run_local(
    items: Iterator[SourceItem], *, workers: int, timeout: float, emit: Emit, tick: Tick
) -> None:
    """Process the items on ``workers`` sandbox processes, each item within ``timeout`` s.

    A worker past its deadline is killed and replaced; its item gets a
    ``timeout`` row. A worker that dies mid-item is replaced too; its item gets
    a ``worker_crashed`` row.

    Raises:
        BatchError: workers keep failing to start.
    """
    sandboxes: list[Sandbox] = []
    failures = 0
    exhausted = False
    try:
        sandboxes = [Sandbox.start() for _ in range(workers)]
        while True:
            for sandbox in sandboxes:
                if sandbox.ready and sandbox.item is None and not exhausted:
                    item = next(items, None)
                    if item is None:
                        exhausted = True
                    else:
                        sandbox.submit(item, timeout=timeout)
            busy = [sandbox for sandbox in sandboxes if sandbox.item is not None]
            if exhausted and not busy:
                return
            now = time.monotonic()
            deadlines = [sandbox.deadline for sandbox in busy]
            deadlines += [s.started + STARTUP_SECONDS for s in sandboxes if not s.ready]
            wait = min([now + TICK_SECONDS, *deadlines]) - now
            waiting = [s for s in sandboxes if s.item is not None or not s.ready]
            for sandbox in wait_any(waiting, max(wait, 0.0)):
                if sandbox.ready:
                    emit(sandbox.receive())
                    if not sandbox.alive:
                        _replace(sandboxes, sandbox)
                    continue
                try:
                    sandbox.receive_ready()
                    failures = 0
                except BatchError:
                    failures += 1
                    if failures >= MAX_START_FAILURES:
                        raise
                    _replace(sandboxes, sandbox)
            now = time.monotonic()
            for sandbox in list(sandboxes):
                if sandbox.item is not None and sandbox.deadline <= now:
                    if sandbox.connection.poll(0):
                        continue  # done just in time: its row is read on the next turn
                    emit(sandbox.expire(timeout))
                    _replace(sandboxes, sandbox)
                elif not sandbox.ready and sandbox.started + STARTUP_SECONDS <= now:
                    sandbox.kill()
                    raise BatchError(path="worker", detail=f"not ready after {STARTUP_SECONDS:g} s")
            tick()
    finally:
        for sandbox in sandboxes:
            if sandbox.item is None and sandbox.ready:
                sandbox.close()
            else:
                sandbox.kill()


def _replace(sandboxes: list[Sandbox], dead: Sandbox) -> None:
    dead.kill()
    sandboxes[sandboxes.index(dead)] = Sandbox.start()


def run_dask(
    items: Iterator[SourceItem],
    *,
    workers: int,
    timeout: float,
    emit: Emit,
    tick: Tick,
    scheduler: str | None = None,
) -> int:
    """Process the items on a Dask cluster: ``scheduler`` (``tcp://host:8786``), or a LocalCluster.

    The LocalCluster has ``workers`` worker processes of one thread each, and
    no dashboard. At most two items per worker thread are in flight, so the
    scheduler never holds the whole input list. Items carry file paths, not
    content: the workers must see the same files at the same absolute paths
    (a shared file system). Returns the cluster's number of worker threads.

    Raises:
        BatchError: ``dask.distributed`` is not installed.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed import wait as dask_wait
    except ImportError as error:
        raise BatchError(
            path="dask", detail="the dask engine needs `pip install dask[distributed]`"
        ) from error

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            scheduler_port=0,
            silence_logs=logging.ERROR,
        )
    try:
        address = cluster if cluster is not None else scheduler
        with Client(address) as client:  # type: ignore[no-untyped-call]
            from extractor.batch.dask_plugin import SandboxPlugin

            client.register_plugin(SandboxPlugin(), name=SandboxPlugin.name)
            threads = sum(client.nthreads().values()) or workers
            limit = max(2, 2 * threads)
            running: dict[object, SourceItem] = {}
            exhausted = False
            while True:
                while not exhausted and len(running) < limit:
                    item = next(items, None)
                    if item is None:
                        exhausted = True
                        break
                    future = client.submit(dask_task, item, timeout, pure=False)
                    running[future] = item
                if not running:
                    return threads
                try:
                    finished = dask_wait(  # type: ignore[no-untyped-call]
                        list(running), timeout=TICK_SECONDS, return_when="FIRST_COMPLETED"
                    ).done
                except TimeoutError:
                    finished = set()
                for future in finished:
                    item = running.pop(future)
                    emit(_dask_result(future, item))
                tick()
    finally:
        if cluster is not None:
            cluster.close()


def _dask_result(future: object, item: SourceItem) -> Row:
    """The row of a finished Dask future; a lost worker is a ``worker_crashed`` row."""
    try:
        return dict(future.result())  # type: ignore[attr-defined]
    except Exception as error:  # KilledWorker and the like: the item still gets a row
        if type(error).__name__ == "KilledWorker":
            return crash_row(item.path, "the Dask worker died on it")
        return error_row(item.path, error)


# The sandbox of each Dask worker thread, by thread id; closed when the worker
# closes (see extractor.batch.dask_plugin), so no process outlives its worker.
_sandboxes: dict[int, Sandbox] = {}
_sandboxes_lock = threading.Lock()


def dask_task(item: SourceItem, timeout: float) -> Row:
    """Run one item in this Dask worker thread's sandbox (started on first use).

    The sandbox is killed and replaced after a missed deadline, as in the
    local engine, so a stuck file costs one time budget, not a Dask worker.
    """
    thread = threading.get_ident()
    with _sandboxes_lock:
        sandbox = _sandboxes.get(thread)
    if sandbox is None or not sandbox.alive:
        sandbox = Sandbox.start()
        with _sandboxes_lock:
            _sandboxes[thread] = sandbox
        sandbox.wait_ready()
    return sandbox.run(item, timeout=timeout)


def close_sandboxes() -> None:
    """Close the sandboxes this process started for Dask tasks."""
    with _sandboxes_lock:
        sandboxes = list(_sandboxes.values())
        _sandboxes.clear()
    for sandbox in sandboxes:
        if sandbox.item is None:
            sandbox.close()
        else:
            sandbox.kill()
