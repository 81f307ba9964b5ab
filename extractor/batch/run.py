"""``run_batch``: list the inputs, run an engine, write the rows, report progress."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from extractor.batch.engines import run_dask, run_inline, run_local
from extractor.batch.rows import Row, row_error_type
from extractor.batch.sources import SourceItem, iter_sources
from extractor.batch.writers import FORMATS, Done, OutputFormat, Writer, open_writer
from extractor.errors import BatchError
from extractor.limits import BATCH_TIMEOUT_SECONDS

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class Progress:
    """Where a run stands; handed to the ``progress`` callback of :func:`run_batch`.

    Attributes:
        processed: rows this run has produced so far (records and errors).
        failed: how many of them are error rows.
        skipped: inputs left out because the output already had them (resume).
        total: every input listed, skipped ones included; None until the
            listing (done in the background) is complete.
        elapsed: seconds since the run started.

    >>> p = Progress(processed=30, failed=1, skipped=10, total=100, elapsed=10.0)
    >>> p.rate, p.remaining, p.eta
    (3.0, 60, 20.0)
    """

    processed: int
    failed: int
    skipped: int
    total: int | None
    elapsed: float

    @property
    def rate(self) -> float:
        """Documents per second so far."""
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> int | None:
        """Inputs still to process, when the total is known."""
        if self.total is None:
            return None
        return max(self.total - self.skipped - self.processed, 0)

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when it can be told."""
        if self.remaining is None or self.rate == 0:
            return None
        return self.remaining / self.rate


@dataclass(frozen=True)
class BatchSummary:
    """What a run did.

    >>> s = BatchSummary(output="o.jsonl", format="jsonl", engine="local", workers=2,
    ...                  processed=10, skipped=0, errors={"timeout": 1}, elapsed=2.0)
    >>> s.failed, s.succeeded, s.docs_per_second
    (1, 9, 5.0)
    """

    output: str
    format: OutputFormat
    engine: str
    workers: int
    processed: int
    skipped: int
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        """Error rows written by this run."""
        return sum(self.errors.values())

    @property
    def succeeded(self) -> int:
        """Records written by this run."""
        return self.processed - self.failed

    @property
    def docs_per_second(self) -> float:
        """Throughput of the run, start-up included."""
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0


def run_batch(
    inputs: Sequence[str],
    output: str,
    *,
    format: OutputFormat = "jsonl",
    workers: int | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    resume: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    timeout: float = BATCH_TIMEOUT_SECONDS,
    progress: Callable[[Progress], None] | None = None,
) -> BatchSummary:
    """Extract every input into ``output``: one row (record or error) per input.

    Args:
        inputs: files, folders, ``.zip`` archives and ``@list.txt`` files
            (see :func:`~extractor.batch.sources.iter_sources`).
        output: the output file (a folder for Parquet); replaced unless ``resume``.
        format: ``jsonl``, ``csv``, ``parquet`` or ``sqlite``.
        workers: worker processes (default: the number of cores); ``0`` runs
            in this process, without a time budget.
        engine: ``local`` (a process pool) or ``dask``.
        scheduler: a Dask scheduler address; None starts a LocalCluster.
        resume: keep the rows already in ``output`` and skip their inputs
            (same path and same content sha256).
        include: glob patterns; only matching inputs are processed.
        exclude: glob patterns of inputs to leave out.
        timeout: seconds one document may take; past it, its worker is killed
            and the document gets a ``timeout`` row.
        progress: called with a :class:`Progress` after each row and at least
            once a second.

    Returns:
        The :class:`BatchSummary` of this run.

    Raises:
        BatchError: bad options, an output that cannot be resumed, workers
            that do not start.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "kh.txt").write_text("KẾ HOẠCH\\nvề thử\\nI. MỤC ĐÍCH", encoding="utf-8")
    >>> _ = (folder / "note.txt").write_text("hello", encoding="utf-8")
    >>> summary = run_batch([str(folder)], str(folder / "out.jsonl"), workers=0)
    >>> summary.processed, summary.errors
    (2, {'not_a_directive': 1})
    """
    if format not in FORMATS:
        raise BatchError(path=output, detail=f"unknown format {format!r}; one of {FORMATS}")
    if engine not in ("local", "dask"):
        raise BatchError(path=output, detail=f"unknown engine {engine!r}; local or dask")
    if scheduler is not None and engine != "dask":
        raise BatchError(path=output, detail="a scheduler address needs --engine dask")
    if timeout <= 0:
        raise BatchError(path=output, detail=f"the time budget must be positive, not {timeout}")
    count = (os.cpu_count() or 1) if workers is None else workers
    if count < 0 or (count == 0 and engine == "dask"):
        raise BatchError(path=output, detail=f"bad number of workers {count}")

    started = time.monotonic()
    writer = open_writer(output, format=format, resume=resume)
    run = _Run(writer, started=started, progress=progress)
    counter = _Counter(inputs, include=include, exclude=exclude, output=output)
    try:
        items = _without_output(iter_sources(inputs, include=include, exclude=exclude), output)
        done = writer.done()
        if done:
            items = _skip_done(items, done, run)
        counter.start(run)
        if engine == "dask":
            count = run_dask(
                items,
                workers=count,
                timeout=timeout,
                emit=run.emit,
                tick=run.tick,
                scheduler=scheduler,
            )
        elif count == 0:
            run_inline(items, emit=run.emit, tick=run.tick)
        else:
            run_local(items, workers=count, timeout=timeout, emit=run.emit, tick=run.tick)
    finally:
        counter.stop()
        try:
            run.flush()  # rows already done are kept, even when the run is interrupted
        finally:
            writer.close()
    run.tick()
    return BatchSummary(
        output=output,
        format=format,
        engine=engine,
        workers=count,
        processed=run.processed,
        skipped=run.skipped,
        errors=dict(sorted(run.errors.items())),
        elapsed=time.monotonic() - started,
    )


class _Run:
    """The run's state: buffered rows, counters, and the progress report."""

    def __init__(
        self, writer: Writer, *, started: float, progress: Callable[[Progress], None] | None
    ) -> None:
        self.writer = writer
        self.started = started
        self.progress = progress
        self.buffer: list[Row] = []
        self.buffered_since = 0.0
        self.processed = 0
        self.skipped = 0
        self.errors: Counter[str] = Counter()
        self.total: int | None = None

    def emit(self, row: Row) -> None:
        if not self.buffer:
            self.buffered_since = time.monotonic()
        self.buffer.append(row)
        self.processed += 1
        error = row_error_type(row)
        if error is not None:
            self.errors[error] += 1
        if len(self.buffer) >= self.writer.chunk_rows:
            self.flush()
        self.report()

    def tick(self) -> None:
        if self.buffer and time.monotonic() - self.buffered_since >= self.writer.flush_seconds:
            self.flush()
        self.report()

    def flush(self) -> None:
        if self.buffer:
            self.writer.write(self.buffer)
            self.buffer = []

    def report(self) -> None:
        if self.progress is not None:
            self.progress(
                Progress(
                    processed=self.processed,
                    failed=sum(self.errors.values()),
                    skipped=self.skipped,
                    total=self.total,
                    elapsed=time.monotonic() - self.started,
                )
            )


def _skip_done(items: Iterator[SourceItem], done: Done, run: _Run) -> Iterator[SourceItem]:
    """Leave out the inputs the output already has: same path, same content.

    An input whose earlier row has no hash (it could not be read) is matched
    by path alone; one whose content changed is processed again (a new row).
    """
    for item in items:
        hashes = done.get(item.path)
        if hashes is not None and (None in hashes or _sha256(item) in hashes):
            run.skipped += 1
            continue
        yield item


def _without_output(items: Iterator[SourceItem], output: str) -> Iterator[SourceItem]:
    """Leave out the output itself (and SQLite's journal) when it lies in an input folder."""
    target = str(Path(output).absolute())
    own = {target, f"{target}-journal", f"{target}-wal"}
    for item in items:
        if item.location in own or item.location.startswith(target + os.sep):
            continue
        yield item


def _sha256(item: SourceItem) -> str | None:
    try:
        return hashlib.sha256(item.read_bytes()).hexdigest()
    except Exception:  # unreadable now: process it again, it gets its error row
        return None


class _Counter:
    """Counts the inputs in a background thread, so progress can show a total and an ETA."""

    def __init__(
        self,
        inputs: Sequence[str],
        *,
        include: Sequence[str],
        exclude: Sequence[str],
        output: str,
    ) -> None:
        self.inputs = inputs
        self.include = include
        self.exclude = exclude
        self.output = output
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, run: _Run) -> None:
        def count() -> None:
            total = 0
            items = iter_sources(self.inputs, include=self.include, exclude=self.exclude)
            for _ in _without_output(items, self.output):
                if self._stop.is_set():
                    return
                total += 1
            run.total = total

        self._thread = threading.Thread(target=count, name="vanban-count", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
