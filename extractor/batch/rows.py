"""One row per input: the record, or the SPEC error line.

:func:`process_one` is the unit of work every engine runs (in a worker
process), so the local pool and Dask produce the same rows.

An error row has the SPEC shape ``{"source": {"path": …}, "error": {"type": …,
"message": …}}``; when the input's bytes could be read, ``source`` also holds
their ``sha256``, which ``--resume`` uses to tell a file already done from a
changed one.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from extractor.errors import Timeout, VanbanError, WorkerCrashed

if TYPE_CHECKING:
    from extractor.batch.sources import SourceItem

Row = dict[str, Any]


def process_one(item: SourceItem) -> Row:
    """Read and extract one input: its record dict, or its error-line dict.

    Never raises for a bad input (every exception becomes an error row), so one
    file cannot stop a batch.

    >>> from extractor.batch.sources import SourceItem
    >>> process_one(SourceItem(path="missing.txt", location="/no/such/missing.txt"))["error"]
    {'type': 'not_found', 'message': 'no such file: missing.txt'}
    """
    from extractor.extract import extract_document
    from extractor.readers import read

    sha256 = None
    try:
        data = item.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        return extract_document(read(data, path=item.path)).to_dict()
    except Exception as error:  # every input gets a row; see error_row
        return error_row(item.path, error, sha256=sha256)


def error_row(path: str, error: BaseException, *, sha256: str | None = None) -> Row:
    """The error line of an input that produced no record.

    >>> error_row("a.txt", Timeout(path="a.txt", detail="2"))["error"]
    {'type': 'timeout', 'message': 'timeout: a.txt took longer than 2 s'}
    >>> row = error_row("b.txt", ValueError("bug"), sha256="ab")
    >>> row["source"], row["error"]["type"]
    ({'path': 'b.txt', 'sha256': 'ab'}, 'internal_error')
    """
    if isinstance(error, VanbanError):
        detail = error.to_dict()
    elif isinstance(error, FileNotFoundError):
        detail = {"type": "not_found", "message": f"no such file: {path}"}
    elif isinstance(error, OSError):
        detail = {"type": "unreadable", "message": f"cannot read {path}: {error.strerror}"}
    else:
        # A bug of ours: still one row for the input, never a traceback.
        detail = {"type": "internal_error", "message": f"{type(error).__name__}: {error}"}
    source: dict[str, Any] = {"path": path}
    if sha256 is not None:
        source["sha256"] = sha256
    return {"source": source, "error": detail}


def timeout_row(path: str, seconds: float) -> Row:
    """The row of an input whose worker was killed after its time budget.

    >>> timeout_row("big.pdf", 0.5)["error"]["type"]
    'timeout'
    """
    return error_row(path, Timeout(path=path, detail=f"{seconds:g}"))


def crash_row(path: str, detail: str) -> Row:
    """The row of an input whose worker process died while extracting it.

    >>> crash_row("x.pdf", "exit code -9")["error"]["message"]
    'worker crashed on x.pdf (exit code -9)'
    """
    return error_row(path, WorkerCrashed(path=path, detail=detail))


def row_path(row: Row) -> str:
    """The display path of a row (record or error).

    >>> row_path({"source": {"path": "a.txt"}, "error": {}})
    'a.txt'
    """
    return str(row["source"]["path"])


def row_sha256(row: Row) -> str | None:
    """The content hash of a row, None for an error row of an unread input."""
    value = row["source"].get("sha256")
    return str(value) if value is not None else None


def row_error_type(row: Row) -> str | None:
    """The ``error.type`` of an error row, None for a record.

    >>> row_error_type({"source": {"path": "a"}, "error": {"type": "timeout", "message": ""}})
    'timeout'
    """
    error = row.get("error")
    return str(error["type"]) if error else None
