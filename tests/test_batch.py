"""Batch inputs, rows and outputs, in this process (``workers=0``: no worker processes).

The engines, time budgets, SIGKILL + resume and Dask run in ``test_batch_run.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import sqlite3
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from extractor.batch import SourceItem, iter_sources, process_one, run_batch
from extractor.batch.writers import (
    CSV_COLUMNS,
    LIST_SEPARATOR,
    OutputFormat,
    arrow_schema,
    open_writer,
)
from extractor.errors import DecompressionBomb, UnsafePath, UnsupportedFormat
from extractor.record import record_schema
from tests.conftest import ROOT, SAMPLES

TEXTS = ROOT / "annotations" / "texts"
GOOD = SAMPLES / "002_7956c4d43d58e490.txt"


def _names(items: list[SourceItem], root: Path) -> list[str]:
    return [item.path[len(str(root)) + 1 :] for item in items]


# --- sources ---------------------------------------------------------------


def test_batch_sources_walk_folders_recursively_sorted_without_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a/2.txt", "a/1.pdf", ".git/x.txt", "a/.hidden.txt", "c/d/e.docx"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    items = list(iter_sources([str(tmp_path)]))
    assert _names(items, tmp_path) == ["a/1.pdf", "a/2.txt", "b.txt", "c/d/e.docx"]
    assert all(item.refusal is None and item.member is None for item in items)


# fmt: off
FILTERS = [
    # include, exclude, expected
    ((), (), ["2022/KH-01.PDF", "2022/drafts/nháp.txt", "a.txt", "b.docx"]),
    (("*.pdf",), (), ["2022/KH-01.PDF"]),
    (("*.txt", "*.docx"), (), ["2022/drafts/nháp.txt", "a.txt", "b.docx"]),
    ((), ("2022/drafts/*",), ["2022/KH-01.PDF", "a.txt", "b.docx"]),
    (("2022/*",), ("*.txt",), ["2022/KH-01.PDF"]),
    ((), ("nháp.txt", "b.*"), ["2022/KH-01.PDF", "a.txt"]),
]
# fmt: on


@pytest.mark.parametrize(("include", "exclude", "expected"), FILTERS)
def test_batch_sources_include_exclude_globs(
    tmp_path: Path, include: tuple[str, ...], exclude: tuple[str, ...], expected: list[str]
) -> None:
    for name in ("a.txt", "b.docx", "2022/KH-01.PDF", "2022/drafts/nháp.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    items = iter_sources([str(tmp_path)], include=include, exclude=exclude)
    assert _names(list(items), tmp_path) == expected


def test_batch_sources_globs_reach_into_archives_in_folders(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    for name in ("old/a.zip", "b.zip"):
        with zipfile.ZipFile(tmp_path / name, "w") as zipped:
            zipped.writestr("kh.txt", "x")
            zipped.writestr("kh.pdf", "x")
    items = iter_sources([str(tmp_path)], include=["*.txt"], exclude=["old/*"])
    assert _names(list(items), tmp_path) == ["b.zip!kh.txt"]


def test_batch_sources_zip_members_read_in_memory(tmp_path: Path) -> None:
    archive = tmp_path / "archive.zip"
    text = GOOD.read_bytes()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("2022/kh.txt", text)
        zipped.writestr("2022/", "")
        zipped.writestr("__MACOSX/2022/._kh.txt", "fork")
        zipped.writestr("a..b.txt", "dots inside a name are fine")
    before = sorted(tmp_path.rglob("*"))
    items = list(iter_sources([str(archive)]))
    assert [item.path for item in items] == [f"{archive}!2022/kh.txt", f"{archive}!a..b.txt"]
    assert items[0].read_bytes() == text
    assert items[1].read_bytes() == b"dots inside a name are fine"
    assert sorted(tmp_path.rglob("*")) == before  # nothing extracted to disk


# fmt: off
UNSAFE_MEMBERS = [
    ("../evil.txt", "'..'"),
    ("a/../../evil.txt", "'..'"),
    ("..\\evil.txt", "'..'"),
    ("/etc/passwd", "absolute"),
    ("\\\\server\\share\\x.txt", "absolute"),
    ("C:/Windows/x.txt", "absolute"),
]
# fmt: on


@pytest.mark.parametrize(("member", "reason"), UNSAFE_MEMBERS)
def test_batch_sources_zip_traversal_members_refused(
    tmp_path: Path, member: str, reason: str
) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(member, "KẾ HOẠCH")
        zipped.writestr("ok.txt", "KẾ HOẠCH")
    items = {item.member: item for item in iter_sources([str(archive)])}
    assert set(items) == {member, "ok.txt"}
    with pytest.raises(UnsafePath, match=reason):
        items[member].read_bytes()
    assert items["ok.txt"].read_bytes() == "KẾ HOẠCH".encode()
    row = process_one(items[member])
    assert row["error"]["type"] == "unsafe_path"
    assert row["source"] == {"path": f"{archive}!{member}"}


def test_batch_sources_zip_symlink_member_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(link, "/etc/passwd")
    (item,) = iter_sources([str(archive)])
    with pytest.raises(UnsafePath, match="symbolic link"):
        item.read_bytes()


def test_batch_sources_zip_bomb_refused_before_inflating(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("bomb.txt", b"\0" * (8 * 1024 * 1024))  # ~1000:1
    (item,) = iter_sources([str(archive)])
    with pytest.raises(DecompressionBomb, match="compresses"):
        item.read_bytes()


def test_batch_sources_corrupt_zip_gets_an_error_row(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    (item,) = iter_sources([str(tmp_path)])
    assert process_one(item)["error"]["type"] == "corrupt_file"


def test_batch_sources_symlinks_not_followed_outside_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_bytes(GOOD.read_bytes())
    (root / "sub" / "doc.txt").write_text("KẾ HOẠCH", encoding="utf-8")
    (root / "file_out.txt").symlink_to(secret)
    (root / "dir_out").symlink_to(outside, target_is_directory=True)
    (root / "inside.txt").symlink_to(root / "sub" / "doc.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    listed = list(iter_sources([str(root)]))
    items = dict(zip(_names(listed, root), listed, strict=True))
    assert sorted(items) == ["dir_out", "file_out.txt", "inside.txt", "sub/doc.txt"]
    for name in ("dir_out", "file_out.txt"):
        with pytest.raises(UnsafePath, match="outside the input"):
            items[name].read_bytes()
    assert items["inside.txt"].read_bytes() == "KẾ HOẠCH".encode()


def test_batch_sources_file_swapped_for_link_after_listing_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "doc.txt").write_text("KẾ HOẠCH", encoding="utf-8")
    (item,) = iter_sources([str(root)])
    (root / "doc.txt").unlink()
    (root / "doc.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(UnsafePath):
        item.read_bytes()


def test_batch_sources_fifo_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (item,) = iter_sources([str(tmp_path)])
    with pytest.raises(UnsupportedFormat, match="not a regular file"):
        item.read_bytes()


def test_batch_sources_list_file(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text("# inputs\ndocs\n\nb.txt\nmissing.txt\n", encoding="utf-8")
    items = list(iter_sources([f"@{listing}"]))
    assert [Path(item.path).name for item in items] == ["a.txt", "b.txt", "missing.txt"]
    assert process_one(items[2])["error"]["type"] == "not_found"


def test_batch_sources_items_pickle(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("x.txt", "KẾ HOẠCH")
        zipped.writestr("../y.txt", "x")
    for item in iter_sources([str(archive), str(GOOD)]):
        copy = pickle.loads(pickle.dumps(item))
        assert copy == item
        if item.refusal is None:
            assert copy.read_bytes() == item.read_bytes()


# --- rows --------------------------------------------------------------------


def test_batch_process_one_gives_the_extract_record() -> None:
    from extractor import extract

    (item,) = iter_sources([str(GOOD)])
    assert process_one(item) == extract(GOOD.read_bytes(), path=str(GOOD)).to_dict()


def test_batch_process_one_error_row_keeps_sha256(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("không phải văn bản", encoding="utf-8")
    row = process_one(SourceItem(path="note.txt", location=str(note)))
    assert row["error"]["type"] == "not_a_directive"
    assert len(row["source"]["sha256"]) == 64


# --- outputs -------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A few real documents (txt, docx, zip member) and a few bad inputs."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in [*sorted(SAMPLES.glob("00[12]_*.txt")), SAMPLES / "003_e0cf88b19ba32315.docx"]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "note.txt").write_text("không phải văn bản", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(folder / "archive.zip", "w") as zipped:
        zipped.writestr("kh/004.txt", (SAMPLES / "004_4da38b554e1175e4.txt").read_bytes())
        zipped.writestr("../evil.txt", "x")
    return [str(folder)]


@pytest.fixture(scope="module")
def expected_rows(archive_inputs: list[str]) -> dict[str, dict[str, Any]]:
    rows = [process_one(item) for item in iter_sources(archive_inputs)]
    return {row["source"]["path"]: row for row in rows}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_jsonl_round_trip(
    tmp_path: Path, archive_inputs: list[str], expected_rows: dict[str, dict[str, Any]]
) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_batch(archive_inputs, str(out), workers=0)
    rows = _jsonl(out)
    assert {row["source"]["path"]: row for row in rows} == expected_rows
    assert len(rows) == len(expected_rows) == summary.processed == 7
    assert summary.errors == {"empty_document": 1, "not_a_directive": 1, "unsafe_path": 1}


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def test_batch_csv_round_trip(
    tmp_path: Path, archive_inputs: list[str], expected_rows: dict[str, dict[str, Any]]
) -> None:
    out = tmp_path / "out.csv"
    run_batch(archive_inputs, str(out), format="csv", workers=0)
    with out.open(encoding="utf-8", newline="") as stream:
        lines = list(csv.DictReader(stream))
    assert list(lines[0]) == list(CSV_COLUMNS)
    assert len(lines) == len(expected_rows)
    for line in lines:
        row = expected_rows[line["path"]]
        if "error" in row:
            assert (line["error_type"], line["error_message"]) == (
                row["error"]["type"],
                row["error"]["message"],
            )
            assert line["title"] == line["number"] == ""
            continue
        assert line["sha256"] == row["source"]["sha256"]
        assert line["error_type"] == ""
        for name in ("doc_type", "number", "issuing_body", "level", "place", "date", "title"):
            assert line[name] == _cell(row[name]), name
        assert line["signer_name"] == _cell((row["signer"] or {}).get("name"))
        assert line["themes"] == LIST_SEPARATOR.join(row["themes"])
        assert line["recipients"] == LIST_SEPARATOR.join(
            f"{r['name']} ({r['purpose']})" if r["purpose"] else r["name"]
            for r in row["recipients"]
        )
        assert line["references"] == LIST_SEPARATOR.join(
            ref["number"] or ref["doc_type"] or "" for ref in row["references"]
        )


def test_batch_parquet_round_trip(
    tmp_path: Path, archive_inputs: list[str], expected_rows: dict[str, dict[str, Any]]
) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    run_batch(archive_inputs, str(out), format="parquet", workers=0)
    table = pq.read_table(out)
    assert table.num_rows == len(expected_rows)
    for row in table.to_pylist():
        expected = expected_rows[row["source"]["path"]]
        if "error" in expected:
            assert row["error"] == expected["error"]
            assert row["source"]["sha256"] == expected["source"].get("sha256")
            assert row["title"] is None
            assert row["themes"] is None
            continue
        assert row.pop("error") is None
        row["spans"] = dict(row["spans"])  # an Arrow map reads back as (key, value) pairs
        assert row == expected


def test_batch_sqlite_round_trip(
    tmp_path: Path, archive_inputs: list[str], expected_rows: dict[str, dict[str, Any]]
) -> None:
    out = tmp_path / "out.sqlite"
    run_batch(archive_inputs, str(out), format="sqlite", workers=0)
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    documents = db.execute("SELECT * FROM documents").fetchall()
    assert len(documents) == len(expected_rows)
    for document in documents:
        row = expected_rows[document["path"]]
        assert json.loads(document["record"]) == row
        if "error" in row:
            assert document["error_type"] == row["error"]["type"]
            continue
        for name in ("number", "date", "title", "issuing_body"):
            assert document[name] == row[name]
        assert json.loads(document["themes"]) == row["themes"]
        sha = row["source"]["sha256"]
        recipients = db.execute(
            "SELECT name, purpose FROM recipients WHERE sha256 = ? ORDER BY position", (sha,)
        ).fetchall()
        assert [dict(r) for r in recipients] == row["recipients"]
        deadlines = db.execute(
            "SELECT date, action, text FROM deadlines WHERE sha256 = ? ORDER BY position", (sha,)
        ).fetchall()
        assert [dict(d) for d in deadlines] == row["deadlines"]
        references = db.execute(
            'SELECT doc_type, number, date, issuer, relation FROM "references" '
            "WHERE sha256 = ? ORDER BY position",
            (sha,),
        ).fetchall()
        assert [dict(r) for r in references] == row["references"]
    assert db.execute("SELECT count(*) FROM recipients").fetchone()[0] > 0


def test_batch_arrow_schema_has_every_record_field() -> None:
    assert arrow_schema().names == [*record_schema()["properties"], "error"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "sqlite"])
def test_batch_resume_skips_rows_already_written(
    tmp_path: Path, archive_inputs: list[str], fmt: OutputFormat
) -> None:
    out = tmp_path / f"out.{fmt}"
    first = run_batch(archive_inputs, str(out), format=fmt, workers=0)
    again = run_batch(archive_inputs, str(out), format=fmt, workers=0, resume=True)
    assert (first.processed, first.skipped) == (7, 0)
    assert (again.processed, again.skipped) == (0, 7)
    writer = open_writer(str(out), format=fmt, resume=True)
    done = writer.done()
    writer.close()
    assert len(done) == 7
    assert all(len(hashes) == 1 for hashes in done.values())


def test_batch_resume_processes_a_changed_file_again(tmp_path: Path) -> None:
    doc = tmp_path / "in" / "kh.txt"
    doc.parent.mkdir()
    doc.write_bytes(GOOD.read_bytes())
    out = tmp_path / "out.jsonl"
    run_batch([str(doc.parent)], str(out), workers=0)
    doc.write_bytes(GOOD.read_bytes().replace(b"2022", b"2023"))
    summary = run_batch([str(doc.parent)], str(out), workers=0, resume=True)
    assert (summary.processed, summary.skipped) == (1, 0)
    assert len({row["source"]["sha256"] for row in _jsonl(out)}) == 2


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_batch_resume_cuts_a_torn_last_line(tmp_path: Path, fmt: OutputFormat) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SAMPLES.glob("00[123]_*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / f"out.{fmt}"
    run_batch([str(folder)], str(out), format=fmt, workers=0, include=["001*", "002*"])
    with out.open("ab") as stream:
        stream.write('{"source": {"path": "cắt'.encode() if fmt == "jsonl" else b"/x/003_e0c")
    summary = run_batch([str(folder)], str(out), format=fmt, workers=0, resume=True)
    assert (summary.processed, summary.skipped) == (1, 2)
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n")
    if fmt == "jsonl":
        paths = sorted(Path(row["source"]["path"]).name for row in _jsonl(out))
    else:
        paths = sorted(Path(line["path"]).name for line in csv.DictReader(io.StringIO(text)))
    assert paths == sorted(path.name for path in folder.iterdir())


def test_batch_parquet_resume_drops_unrenamed_chunks(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    run_batch([str(GOOD)], str(out), format="parquet", workers=0)
    (out / ".part-00001.parquet.tmp").write_bytes(b"half a chunk")
    run_batch(
        [str(SAMPLES / "001_533e6cb4db5af385.txt")],
        str(out),
        format="parquet",
        workers=0,
        resume=True,
    )
    assert sorted(path.name for path in out.iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
    ]


def test_batch_sqlite_chunk_is_one_transaction(tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    writer = open_writer(str(out), format="sqlite", resume=False)
    good = {"source": {"path": "a.txt"}, "error": {"type": "timeout", "message": "m"}}
    writer.write([good])
    with pytest.raises(KeyError):
        writer.write([good, {"no source": True}])  # fails half-way through the chunk
    writer.close()
    db = sqlite3.connect(out)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("fmt", "content"),
    [("jsonl", b"not json\n{torn"), ("csv", b"id,name\n1,x\n2,y")],
)
def test_batch_resume_refuses_a_foreign_file_untouched(
    tmp_path: Path, fmt: OutputFormat, content: bytes
) -> None:
    from extractor.errors import BatchError

    out = tmp_path / f"out.{fmt}"
    out.write_bytes(content)
    with pytest.raises(BatchError, match="cannot resume"):
        run_batch([str(GOOD)], str(out), format=fmt, workers=0, resume=True)
    assert out.read_bytes() == content


# --- properties ----------------------------------------------------------------

_SEGMENTS = st.sampled_from(["..", ".", "a", "b.txt", "", "C:", "~", "…", "x..y"])


@given(st.lists(_SEGMENTS, min_size=1, max_size=6), st.sampled_from(["/", "\\"]))
def test_batch_sources_no_readable_member_escapes_the_archive(
    segments: list[str], separator: str
) -> None:
    import posixpath
    import tempfile

    name = separator.join(segments)
    if not name or name.endswith(("/", "\\")):
        return  # a folder entry, not a member
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "a.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr(name, "x")
        for item in iter_sources([str(archive)]):
            if item.refusal is None:
                assert item.member is not None
                target = posixpath.normpath(posixpath.join("/root", item.member.replace("\\", "/")))
                assert target.startswith("/root/"), item.member


_NO_NEWLINE = st.binary(max_size=40).map(lambda data: data.replace(b"\n", b""))


@example(lines=[b"a"], tail=b"x" * 70_000)  # a tail longer than one block read back
@given(st.lists(_NO_NEWLINE, max_size=20), _NO_NEWLINE)
def test_batch_writers_torn_tail_cut_to_the_last_whole_line(
    lines: list[bytes], tail: bytes
) -> None:
    import tempfile

    from extractor.batch.writers import _cut_torn_tail

    whole = b"".join(line + b"\n" for line in lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.jsonl"
        path.write_bytes(whole + tail)
        _cut_torn_tail(path)
        assert path.read_bytes() == whole
