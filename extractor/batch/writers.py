"""Batch outputs: JSON Lines, CSV, Parquet and SQLite, each crash-safe and resumable.

Rows arrive in chunks; each :meth:`Writer.write` makes one chunk durable before
it returns, in a way that a crash or a SIGKILL at any moment leaves no torn or
duplicated row:

- **jsonl** / **csv**: one line per row, appended with ``O_APPEND`` in one
  ``write`` per chunk, then ``fsync``. A kill can still cut the last line
  short; on ``--resume`` a last line without its newline is cut off.
  CSV values hold no line break (they are turned into spaces), so one line is
  one row.
- **parquet**: a dataset folder of ``part-NNNNN.parquet`` files; each chunk is
  written to a hidden temporary file, synced, and renamed into place.
- **sqlite**: one transaction per chunk.

On resume, :meth:`Writer.done` reads back the ``(path, sha256)`` of every row
already written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from extractor.batch.rows import Row, row_error_type, row_path, row_sha256
from extractor.errors import BatchError

OutputFormat = Literal["jsonl", "csv", "parquet", "sqlite"]
FORMATS: tuple[OutputFormat, ...] = ("jsonl", "csv", "parquet", "sqlite")
#: What ``--resume`` knows of an output: every path written, with the content
#: hashes it was written for (None for an input that could not be read).
Done = dict[str, set[str | None]]

#: Joins the items of a list in one CSV cell (rare in Vietnamese text, unlike ; and ,).
LIST_SEPARATOR = " | "


def format_for(output: str) -> OutputFormat:
    """The output format its name suggests (jsonl when it says nothing).

    >>> [format_for(name) for name in ("out.jsonl", "a.CSV", "ds.parquet", "x.db", "out")]
    ['jsonl', 'csv', 'parquet', 'sqlite', 'jsonl']
    """
    suffix = Path(output).suffix.lower()
    by_suffix: dict[str, OutputFormat] = {
        ".csv": "csv",
        ".parquet": "parquet",
        ".sqlite": "sqlite",
        ".sqlite3": "sqlite",
        ".db": "sqlite",
    }
    return by_suffix.get(suffix, "jsonl")


class Writer(ABC):
    """A batch output: created fresh, or reopened to resume."""

    #: Rows buffered before a chunk is written, and the longest a row waits.
    chunk_rows: ClassVar[int] = 32
    flush_seconds: ClassVar[float] = 1.0

    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self.resume = resume

    @abstractmethod
    def done(self) -> Done:
        """The rows already in the output (empty unless resuming)."""

    @abstractmethod
    def write(self, rows: Sequence[Row]) -> None:
        """Append one chunk of rows, durably."""

    @abstractmethod
    def close(self) -> None:
        """Release the output."""


def open_writer(output: str, *, format: OutputFormat, resume: bool) -> Writer:
    """The writer of ``format`` on ``output``; a fresh output replaces an old one.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> writer = open_writer(str(out), format="jsonl", resume=False)
    >>> writer.write([{"source": {"path": "a.txt"}, "error": {"type": "x", "message": "m"}}])
    >>> writer.close()
    >>> open_writer(str(out), format="jsonl", resume=True).done()
    {'a.txt': {None}}
    """
    writers: dict[OutputFormat, type[Writer]] = {
        "jsonl": JsonlWriter,
        "csv": CsvWriter,
        "parquet": ParquetWriter,
        "sqlite": SqliteWriter,
    }
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    return writers[format](path, resume=resume)


def _add_done(done: Done, path: str, sha256: str | None) -> None:
    done.setdefault(path, set()).add(sha256)


class _LineWriter(Writer):
    """Shared by JSON Lines and CSV: whole lines appended, a torn tail cut on resume."""

    header: ClassVar[bytes] = b""

    def __init__(self, path: Path, *, resume: bool) -> None:
        super().__init__(path, resume=resume)
        if path.is_dir():
            raise BatchError(path=str(path), detail="the output is a folder")
        self._done: Done = {}
        if resume and path.exists():
            # Read (and check) the whole lines before anything is cut: a file
            # that is no vanban output is refused untouched.
            with path.open("rb") as stream:
                self._done = self.read_done(line for line in stream if line.endswith(b"\n"))
            _cut_torn_tail(path)
        else:
            path.write_bytes(b"")
        if self.header and path.stat().st_size == 0:
            path.write_bytes(self.header)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)

    def write(self, rows: Sequence[Row]) -> None:
        """Append the rows' lines in one system call, then sync them to disk."""
        data = "".join(self.line(row) for row in rows).encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    @abstractmethod
    def line(self, row: Row) -> str:
        """One row as one line, with its newline."""

    @abstractmethod
    def read_done(self, lines: Iterator[bytes]) -> Done:
        """Path and sha256 of the rows in these whole lines of an existing output."""

    def done(self) -> Done:
        """The rows found when the output was reopened to resume."""
        return self._done

    def close(self) -> None:
        """Close the file (every chunk is already synced)."""
        os.close(self._fd)


def _cut_torn_tail(path: Path) -> None:
    """Cut a last line left without its newline by a crash mid-write."""
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("r+b") as stream:
        # Walk back one block at a time to the last newline.
        end = size
        while end > 0:
            start = max(0, end - 65536)
            stream.seek(start)
            block = stream.read(end - start)
            if end == size and block.endswith(b"\n"):
                return
            newline = block.rfind(b"\n")
            if newline >= 0:
                stream.truncate(start + newline + 1)
                return
            end = start
        stream.truncate(0)


class JsonlWriter(_LineWriter):
    """JSON Lines: one record or error line per line, the SPEC shapes, in completion order."""

    def line(self, row: Row) -> str:
        """The row as compact JSON on one line."""
        return json.dumps(row, ensure_ascii=False) + "\n"

    def read_done(self, lines: Iterator[bytes]) -> Done:
        """Path and sha256 of every line; a line that is no vanban row is refused."""
        done: Done = {}
        for number, line in enumerate(lines, 1):
            try:
                row = json.loads(line)
                _add_done(done, row_path(row), row_sha256(row))
            except (ValueError, KeyError, TypeError) as error:
                raise BatchError(
                    path=str(self.path),
                    detail=f"line {number} is not a vanban row; cannot resume: {error}",
                ) from error
        return done


# fmt: off
#: The CSV columns, in order (also the scalar columns of the SQLite documents table).
CSV_COLUMNS: tuple[str, ...] = (
    "path", "sha256", "format", "pages", "error_type", "error_message",
    "doc_type", "doc_type_code", "number", "issuing_body", "issuing_body_parent",
    "level", "place", "date", "title", "period_start", "period_end",
    "signer_authority", "signer_position", "signer_name", "conformance_style",
    "themes", "audience", "forms", "deadlines", "recipients", "references",
    "conformance_missing", "warnings",
)
# fmt: on
#: Columns holding a list (joined with :data:`LIST_SEPARATOR` in CSV, JSON in SQLite).
LIST_COLUMNS: tuple[str, ...] = (
    "themes",
    "audience",
    "forms",
    "deadlines",
    "recipients",
    "references",
    "conformance_missing",
    "warnings",
)


def flat_row(row: Row) -> dict[str, Any]:
    """The row's scalar columns, lists kept as lists of strings.

    Deadlines read ``date: action`` (or the clause when there is no action),
    recipients ``name (purpose)``, references their number (else their type).

    >>> flat = flat_row({"source": {"path": "a.txt"}, "error": {"type": "timeout", "message": "m"}})
    >>> flat["path"], flat["error_type"], flat["title"], flat["themes"]
    ('a.txt', 'timeout', None, [])
    """
    source = row["source"]
    error = row.get("error") or {}
    period = row.get("period") or {}
    signer = row.get("signer") or {}
    conformance = row.get("conformance") or {}
    flat: dict[str, Any] = {
        "path": source.get("path"),
        "sha256": source.get("sha256"),
        "format": source.get("format"),
        "pages": source.get("pages"),
        "error_type": error.get("type"),
        "error_message": error.get("message"),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "signer_authority": signer.get("authority"),
        "signer_position": signer.get("position"),
        "signer_name": signer.get("name"),
        "conformance_style": conformance.get("style"),
        "conformance_missing": list(conformance.get("missing", [])),
        "deadlines": [
            f"{item['date']}: {item['action']}" if item.get("action") else item["date"]
            for item in row.get("deadlines", [])
        ],
        "recipients": [
            f"{item['name']} ({item['purpose']})" if item.get("purpose") else item["name"]
            for item in row.get("recipients", [])
        ],
        "references": [
            item.get("number") or item.get("doc_type") or "" for item in row.get("references", [])
        ],
    }
    for name in ("doc_type", "doc_type_code", "number", "issuing_body", "issuing_body_parent"):
        flat[name] = row.get(name)
    for name in ("level", "place", "date", "title"):
        flat[name] = row.get(name)
    for name in ("themes", "audience", "forms", "warnings"):
        flat[name] = list(row.get(name, []))
    return {column: flat[column] for column in CSV_COLUMNS}


_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def csv_cells(row: Row) -> list[str]:
    """The row as CSV cells: lists joined, line breaks turned into spaces, null empty.

    >>> cells = csv_cells({"source": {"path": "a\\nb.txt"}, "themes": ["x", "y"], "error": None})
    >>> cells[0], cells[CSV_COLUMNS.index("themes")]
    ('a b.txt', 'x | y')
    """
    cells = []
    for column, value in flat_row(row).items():
        if column in LIST_COLUMNS:
            value = LIST_SEPARATOR.join(value)
        cell = "" if value is None else str(value)
        cells.append(_LINE_BREAKS.sub(" ", cell))
    return cells


class CsvWriter(_LineWriter):
    """CSV: a header, then one flat line per row (see :data:`CSV_COLUMNS`)."""

    header = (",".join(CSV_COLUMNS) + "\n").encode("utf-8")

    def line(self, row: Row) -> str:
        """The row's cells as one CSV line."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(csv_cells(row))
        return buffer.getvalue()

    def read_done(self, lines: Iterator[bytes]) -> Done:
        """Path and sha256 of every line; a file without vanban's header is refused."""
        done: Done = {}
        reader = csv.DictReader(line.decode("utf-8") for line in lines)
        if reader.fieldnames is not None and tuple(reader.fieldnames) != CSV_COLUMNS:
            raise BatchError(
                path=str(self.path), detail="its header is not vanban's CSV header; cannot resume"
            )
        for cells in reader:
            _add_done(done, cells["path"], cells["sha256"] or None)
        return done


class ParquetWriter(Writer):
    """A Parquet dataset folder: one ``part-NNNNN.parquet`` per chunk, nested columns.

    The columns are the record's fields (structs and lists as in the JSON)
    plus ``error`` (``type``, ``message``), null on records; an error row has
    ``source`` (``path``, ``sha256`` when read) and ``error``, every other
    column null. ``spans`` is a map from field name to ``[start, end]`` pairs.
    Read it with ``pyarrow.parquet.read_table(folder)``.
    """

    chunk_rows = 1000
    flush_seconds = 30.0
    _PART = re.compile(r"part-(\d+)\.parquet")

    def __init__(self, path: Path, *, resume: bool) -> None:
        super().__init__(path, resume=resume)
        if path.exists() and not path.is_dir():
            raise BatchError(path=str(path), detail="a Parquet output is a folder, not a file")
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob(".part-*.tmp"):
            stale.unlink()  # a chunk a crash left unrenamed was never part of the output
        if not resume:
            for old in self._parts():
                old.unlink()
        numbers = [
            int(match[1]) for part in self._parts() if (match := self._PART.match(part.name))
        ]
        self._next = max(numbers, default=-1) + 1
        self._schema: Any = None

    def _parts(self) -> list[Path]:
        parts = self.path.glob("part-*.parquet")
        return sorted(part for part in parts if self._PART.fullmatch(part.name))

    def done(self) -> Done:
        """Path and sha256 of every row of every part."""
        import pyarrow.parquet as pq

        done: Done = {}
        if not self.resume:
            return done
        for part in self._parts():
            table = pq.read_table(part, columns=["source"])
            for source in table.column("source").to_pylist():
                _add_done(done, source["path"], source["sha256"])
        return done

    def write(self, rows: Sequence[Row]) -> None:
        """Write the chunk as the next part: temporary file, sync, rename."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            self._schema = arrow_schema()
        table = pa.Table.from_pylist(list(rows), schema=self._schema)
        name = f"part-{self._next:05d}.parquet"
        temporary = self.path / f".{name}.tmp"
        pq.write_table(table, temporary)
        _fsync(temporary)
        temporary.replace(self.path / name)
        _fsync(self.path)
        self._next += 1

    def close(self) -> None:
        """Nothing stays open between chunks."""


def arrow_schema() -> Any:
    """The Arrow schema of a Parquet row, derived from the record's JSON Schema.

    >>> schema = arrow_schema()
    >>> str(schema.field("error").type)
    'struct<type: string, message: string>'
    >>> str(schema.field("spans").type)
    'map<string, list<item: list<item: int64>>>'
    """
    import pyarrow as pa

    from extractor.record import record_schema

    schema = record_schema()
    definitions = schema.get("$defs", {})
    fields = [
        pa.field(name, _arrow_type(node, definitions))
        for name, node in schema["properties"].items()
    ]
    fields.append(pa.field("error", pa.struct([("type", pa.string()), ("message", pa.string())])))
    return pa.schema(fields)


def _arrow_type(node: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """The Arrow type of one JSON Schema node (every field nullable)."""
    import pyarrow as pa

    if "$ref" in node:
        return _arrow_type(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
    if "anyOf" in node:
        options = [option for option in node["anyOf"] if option.get("type") != "null"]
        if len(options) == 1:
            return _arrow_type(options[0], definitions)
        return pa.string()
    kind = node.get("type")
    if kind == "array":
        items = node.get("items") or (node.get("prefixItems") or [{}])[0]
        return pa.list_(_arrow_type(items, definitions))
    if kind == "object" and "properties" in node:
        return pa.struct(
            [
                pa.field(name, _arrow_type(child, definitions))
                for name, child in node["properties"].items()
            ]
        )
    if kind == "object":
        return pa.map_(pa.string(), _arrow_type(node.get("additionalProperties", {}), definitions))
    scalars = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return scalars.get(str(kind), pa.string())


class SqliteWriter(Writer):
    """SQLite: a ``documents`` table and child tables keyed by the document's sha256.

    ``documents`` has one row per input: the CSV columns (lists as JSON arrays)
    and ``record``, the whole row as JSON. ``recipients``, ``deadlines``,
    ``"references"`` (quote it: a keyword) and ``sections`` hold one row per
    item, with ``sha256`` and ``position``; identical files share their items.
    """

    chunk_rows = 64

    def __init__(self, path: Path, *, resume: bool) -> None:
        super().__init__(path, resume=resume)
        if not resume:
            for stale in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
                stale.unlink(missing_ok=True)
        try:
            # isolation_level=None: transactions are opened explicitly, one per chunk.
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.executescript(SQLITE_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise BatchError(path=str(path), detail=f"not a usable SQLite file: {error}") from error

    def done(self) -> Done:
        """Path and sha256 of every document row."""
        done: Done = {}
        if self.resume:
            for path, sha256 in self._db.execute("SELECT path, sha256 FROM documents"):
                _add_done(done, path, sha256)
        return done

    def write(self, rows: Sequence[Row]) -> None:
        """Insert the chunk in one transaction."""
        # Quoted: "references" is an SQL keyword.
        columns = ['"' + column + '"' for column in (*CSV_COLUMNS, "record")]
        insert = (
            f"INSERT INTO documents ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for row in rows:
                flat = flat_row(row)
                values = [
                    json.dumps(flat[c], ensure_ascii=False) if c in LIST_COLUMNS else flat[c]
                    for c in CSV_COLUMNS
                ]
                self._db.execute(insert, [*values, json.dumps(row, ensure_ascii=False)])
                sha256 = row_sha256(row)
                if sha256 is not None and row_error_type(row) is None:
                    self._insert_items(sha256, row)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _insert_items(self, sha256: str, row: Row) -> None:
        tables: Iterable[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = (
            ("recipients", ("name", "purpose"), row["recipients"]),
            ("deadlines", ("date", "action", "text"), row["deadlines"]),
            (
                '"references"',
                ("doc_type", "number", "date", "issuer", "relation"),
                row["references"],
            ),
            ("sections", ("id", "heading", "slot", "start", "end"), row["sections"]),
        )
        for table, keys, items in tables:
            names = [{"start": "start_offset", "end": "end_offset"}.get(key, key) for key in keys]
            self._db.executemany(
                f"INSERT OR IGNORE INTO {table} (sha256, position, {', '.join(names)}) "
                f"VALUES (?, ?, {', '.join('?' for _ in keys)})",
                [
                    (sha256, position, *(item.get(key) for key in keys))
                    for position, item in enumerate(items)
                ],
            )

    def close(self) -> None:
        """Close the database."""
        self._db.close()


SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL, sha256 TEXT, format TEXT, pages INTEGER,
    error_type TEXT, error_message TEXT,
    doc_type TEXT, doc_type_code TEXT, number TEXT, issuing_body TEXT, issuing_body_parent TEXT,
    level TEXT, place TEXT, date TEXT, title TEXT, period_start TEXT, period_end TEXT,
    signer_authority TEXT, signer_position TEXT, signer_name TEXT, conformance_style TEXT,
    themes TEXT, audience TEXT, forms TEXT, deadlines TEXT, recipients TEXT, "references" TEXT,
    conformance_missing TEXT, warnings TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_path_sha256 ON documents (path, sha256);
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256);
CREATE TABLE IF NOT EXISTS recipients (
    sha256 TEXT NOT NULL, position INTEGER NOT NULL,
    name TEXT NOT NULL, purpose TEXT,
    PRIMARY KEY (sha256, position)
);
CREATE TABLE IF NOT EXISTS deadlines (
    sha256 TEXT NOT NULL, position INTEGER NOT NULL,
    date TEXT NOT NULL, action TEXT, text TEXT NOT NULL,
    PRIMARY KEY (sha256, position)
);
CREATE TABLE IF NOT EXISTS "references" (
    sha256 TEXT NOT NULL, position INTEGER NOT NULL,
    doc_type TEXT, number TEXT, date TEXT, issuer TEXT, relation TEXT NOT NULL,
    PRIMARY KEY (sha256, position)
);
CREATE TABLE IF NOT EXISTS sections (
    sha256 TEXT NOT NULL, position INTEGER NOT NULL,
    id TEXT NOT NULL, heading TEXT, slot TEXT, start_offset INTEGER, end_offset INTEGER,
    PRIMARY KEY (sha256, position)
);
"""


def _fsync(path: Path) -> None:
    """Sync a file's content, or a folder's entries (so a rename in it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
