"""The archive a lineage is built from: records, from a records file or from the documents.

An archive is given as ``vanban batch`` inputs (files, folders, zip archives,
``@list`` files; :func:`extractor.batch.sources.iter_sources`) or as one
existing records file (``.jsonl``, one record or error line per line, as
``vanban extract``/``vanban batch`` write it). Documents are extracted one
by one with the batch's own unit of work, so a bad file gives an error line
here as it would there.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> lines = [{"source": {"path": "a.txt", "sha256": "0" * 64}, "number": "1-KH/TU"},
...          {"source": {"path": "b.txt"}, "error": {"type": "empty_document", "message": "…"}}]
>>> _ = (folder / "r.jsonl").write_text("\\n".join(json.dumps(x) for x in lines), encoding="utf-8")
>>> archive = load_archive([str(folder / "r.jsonl")])
>>> [r["number"] for r in archive.records], [e["error"]["type"] for e in archive.errors]
(['1-KH/TU'], ['empty_document'])
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import CorruptFile

RECORDS_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Archive:
    """The records of an archive and the error lines of the inputs that gave none."""

    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def is_records_file(name: str) -> bool:
    """Whether an input names an existing records file rather than documents.

    >>> is_records_file("no/such/records.jsonl"), is_records_file("samples")
    (False, False)
    """
    return name.lower().endswith(RECORDS_SUFFIXES) and Path(name).is_file()


def read_records(path: str) -> Iterator[dict[str, Any]]:
    """The objects of a records file, one per non-blank line.

    Raises:
        CorruptFile: a line that is not a JSON object.
    """
    with Path(path).open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorruptFile(path=path, detail=f"line {number}: {error.msg}") from error
            if not isinstance(item, dict):
                raise CorruptFile(path=path, detail=f"line {number} is not a JSON object")
            yield item


def load_archive(
    inputs: Sequence[str], *, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Archive:
    """The records of the inputs: records files read as they are, documents extracted.

    Args:
        inputs: records files (``.jsonl``) and/or batch inputs.
        include: glob patterns of the documents to take (as for ``vanban batch``).
        exclude: glob patterns of the documents to leave out.
    """
    archive = Archive()
    documents = [name for name in inputs if not is_records_file(name)]
    for name in inputs:
        if is_records_file(name):
            for item in read_records(name):
                (archive.errors if "error" in item else archive.records).append(item)
    if documents:
        for row in _extract(documents, include=include, exclude=exclude):
            (archive.errors if "error" in row else archive.records).append(row)
    return archive


def _extract(
    inputs: Sequence[str], *, include: Sequence[str], exclude: Sequence[str]
) -> Iterator[dict[str, Any]]:
    # The batch package owns listing (folders, zips, @lists) and the unit of work.
    from extractor.batch.rows import process_one
    from extractor.batch.sources import iter_sources

    for item in iter_sources(inputs, include=include, exclude=exclude):
        yield process_one(item)
