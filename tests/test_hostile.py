"""Hostile input (issue 7): every bad file gets its typed error or a record, in bounded time.

The files are built at test time by :mod:`tests.hostile`; each case names the
outcome it is owed. All of them, with a 50 MB text, a FIFO and one good file,
go through ONE ``vanban extract`` call (the issue's "done when"); the
per-case tests read its output. A hang fails through the subprocess timeout,
or :func:`~tests.hostile.hang_guard` in process (hard deadlines, never speed
targets). Regression tests of bugs the suite and the fuzz targets found are
named ``test_issue7_<what>``.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from extractor import extract
from extractor.errors import (
    ALL_ERRORS,
    CorruptFile,
    DecompressionBomb,
    TooLarge,
    UnsupportedFormat,
    VanbanError,
)
from extractor.readers import read
from extractor.readers.docx import read_docx
from tests import hostile
from tests.conftest import ROOT, SAMPLES
from tests.hostile import hang_guard

CASES = hostile.cases()
BY_NAME = {case.name: case for case in CASES}
GOOD_TXT = SAMPLES / "002_7956c4d43d58e490.txt"

#: The number each readable hostile file must still yield (not just "a record").
# fmt: off
RECORD_NUMBERS = {
    "nul_sprinkled": "60-KH/ĐUK",
    "docx_named_txt": "60-KH/ĐUK",
    "nested_tables_40": "12-KH/TU",
    "mixed_encodings": "60-KH/ĐUK",
}
# fmt: on

#: What the message of a typed error must tell the user, beyond its type.
# fmt: off
MESSAGE_HINTS = {
    "legacy_doc": "save it as .docx or PDF",
    "legacy_doc_named_docx": "save it as .docx or PDF",
    "png_named_pdf": "PNG image; run OCR first",
    "encrypted_pdf": "decrypt it first",
    "image_only_pdf": "2 page(s) without text (a scan?); run OCR first",
    "docx_zip_bomb": "word/document.xml compresses",
    "zip_declared_4gb": "word/document.xml compresses",
    "pdf_over_page_limit": "501 pages > limit 500",
    "zip_member_climbs_out": "../../evil.sh",
    "truncated_docx": "broken zip container",
    "nul_bytes": "binary data, not text",
}
# fmt: on


def _outcome(source: Path | bytes, **kwargs: str) -> tuple[str, object]:
    """("record", record) or (error type, error) for one input, under a hard deadline.

    The deadline is generous (unloaded, the slowest case takes about 15 s) so
    that only a hang, not a busy machine, fails a test.
    """
    with hang_guard(180):
        try:
            return "record", extract(source, **kwargs)
        except VanbanError as error:
            return error.code, error


@dataclass(frozen=True)
class ExtractRun:
    """One ``vanban extract`` call over every hostile file, a 50 MB file, a FIFO and a good file."""

    completed: subprocess.CompletedProcess[str]
    expected: dict[str, str]  # path → "record" or error type
    lines: dict[str, dict[str, Any]]  # path → its JSON line
    paths: dict[str, str]  # case name → path


@pytest.fixture(scope="module")
def extract_run(tmp_path_factory: pytest.TempPathFactory) -> ExtractRun:
    """Run the CLI once for the whole suite: the issue's "one call with all those files"."""
    folder = tmp_path_factory.mktemp("archive")
    expected: dict[str, str] = {}
    paths: dict[str, str] = {}
    for case in CASES:
        path = folder / f"{case.name}-{case.filename}"
        path.write_bytes(case.data)
        expected[str(path)] = case.expect
        paths[case.name] = str(path)
    big = hostile.write_big_text(folder / "dump-50mb.txt")
    expected[str(big)] = "too_large"
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    expected[str(fifo)] = "unsupported_format"
    good = folder / GOOD_TXT.name
    shutil.copy(GOOD_TXT, good)
    expected[str(good)] = "record"
    paths["good"] = str(good)
    completed = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", *expected],
        capture_output=True,
        text=True,
        timeout=600,  # bounded: a hang fails here, however loaded the machine
        cwd=ROOT,
        check=False,
    )
    lines: dict[str, dict[str, Any]] = {}
    for text in completed.stdout.splitlines():
        line = json.loads(text)
        lines[line["source"]["path"]] = line
    return ExtractRun(completed, expected, lines, paths)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file_gets_its_typed_error_or_record(
    case: hostile.Case, extract_run: ExtractRun
) -> None:
    path = extract_run.paths[case.name]
    line = extract_run.lines[path]
    outcome = line["error"]["type"] if "error" in line else "record"
    assert outcome == case.expect, line.get("error")
    if outcome == "record":
        # Never a silently empty record: something of a directive was found.
        assert line["doc_type"] or line["number"] or line["references"], line
        if case.name in RECORD_NUMBERS:
            assert line["number"] == RECORD_NUMBERS[case.name]
    elif case.expect != "not_a_directive":
        assert path in line["error"]["message"]


def test_hostile_one_extract_call_over_every_bad_file(extract_run: ExtractRun) -> None:
    completed = extract_run.completed
    assert "Traceback" not in completed.stderr
    # Only vanban's own summary: no parser chatter ("Invalid MediaBox …").
    assert [line for line in completed.stderr.splitlines() if not line.startswith("vanban: ")] == []
    assert completed.returncode == 1
    got = {
        path: line["error"]["type"] if "error" in line else "record"
        for path, line in extract_run.lines.items()
    }
    assert len(completed.stdout.splitlines()) == len(extract_run.expected)
    assert got == extract_run.expected
    assert extract_run.lines[extract_run.paths["good"]]["number"] == "60-KH/ĐUK"
    failed = sum(1 for outcome in extract_run.expected.values() if outcome != "record")
    assert f"{failed} of {len(extract_run.expected)} input(s) failed" in completed.stderr


@pytest.mark.parametrize("name", sorted(MESSAGE_HINTS))
def test_hostile_error_message_tells_what_to_do(name: str) -> None:
    case = BY_NAME[name]
    outcome, error = _outcome(case.data, path=case.filename)
    assert outcome == case.expect
    assert MESSAGE_HINTS[name] in str(error)
    assert case.filename in str(error)


def test_hostile_docx_named_txt_is_read_as_docx() -> None:
    case = BY_NAME["docx_named_txt"]
    assert read(case.data, path=case.filename).source.format == "docx"


def test_hostile_fifty_megabytes_of_text_are_refused_unread(tmp_path: Path) -> None:
    path = hostile.write_big_text(tmp_path / "archive-dump.txt", 50 * 1024 * 1024)
    tracemalloc.start()
    try:
        with hang_guard(30), pytest.raises(TooLarge, match="bytes > limit 20971520"):
            extract(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"{peak} bytes allocated: the file was read"


# --- special files ------------------------------------------------------------------


@pytest.mark.issue(7)
def test_issue7_fifo_device_and_folder_are_refused_unopened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), tmp_path):
        # Before the fix /dev/zero was read without end and a FIFO blocked forever.
        with hang_guard(10), pytest.raises(UnsupportedFormat, match="not a regular file"):
            extract(path)


# --- regressions found by the suite and the fuzz targets ---------------------------------

_PAGE = b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R "


# fmt: off
BROKEN_PDFS = {
    # pdfplumber fails on the page tree, then fails again in close(): that
    # second error used to escape as a bare TypeError (found by fuzzing).
    "no_mediabox": (hostile.broken_pdf(_PAGE + b">>"), "corrupt_file"),
    "mediabox_too_short": (hostile.broken_pdf(_PAGE + b"/MediaBox [0 0] >>"), "corrupt_file"),
    "mediabox_is_a_name": (hostile.broken_pdf(_PAGE + b"/MediaBox /Letter >>"), "corrupt_file"),
    "kids_missing": (hostile._pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"]), "corrupt_file"),
    "kids_loop": (hostile._pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]), "corrupt_file"),
    "garbage_operators": (hostile.broken_pdf(_PAGE + b"/MediaBox [0 0 595 842] >>", contents=b"BT /F1 x Tf (a) Tj 1 2 3 cm ] ET Q Q"), "no_text_layer"),
}
# fmt: on


@pytest.mark.issue(7)
@pytest.mark.parametrize("name", sorted(BROKEN_PDFS))
def test_issue7_broken_pdf_page_tree_is_a_typed_error(name: str) -> None:
    data, expected = BROKEN_PDFS[name]
    outcome, error = _outcome(data, path=f"{name}.pdf")
    assert outcome == expected, error


@pytest.mark.issue(7)
def test_issue7_zip_of_unknown_version_is_corrupt_not_a_crash() -> None:
    # zipfile raises NotImplementedError("zip file version 13.3") (found by fuzzing).
    with pytest.raises(CorruptFile, match="zip file version"):
        extract(hostile.zip_of_unknown_version(), path="v13.docx")


@pytest.mark.issue(7)
def test_issue7_truncated_docx_is_corrupt_not_unsupported() -> None:
    # A .docx cut short used to be called "a zip archive that is not a Word .docx".
    case = BY_NAME["truncated_docx"]
    with pytest.raises(CorruptFile, match="broken zip container"):
        extract(case.data, path=case.filename)


@pytest.mark.issue(7)
def test_issue7_nul_bytes_do_not_hide_the_header() -> None:
    # NULs at line starts stayed in the normalized text and hid the number
    # line and the type word: an empty record.
    record = extract(hostile.nul_sprinkled_txt())
    assert (record.number, record.doc_type) == ("60-KH/ĐUK", "Kế hoạch")


@pytest.mark.issue(7)
def test_issue7_pdf_stream_bomb_is_refused_before_inflating() -> None:
    # pdfminer inflates a content stream whole: 250 KB of PDF held 256 MB of
    # blanks (a 20 MB file, gigabytes), enough to kill the run with the others.
    data = BY_NAME["pdf_stream_bomb"].data
    tracemalloc.start()
    try:
        with pytest.raises(DecompressionBomb, match="streams inflate past"):
            read(data, path="bomb.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(data) + 8 * 1024 * 1024, f"{peak} bytes allocated: the stream was inflated"


@pytest.mark.issue(7)
def test_issue7_mixed_encodings_keep_the_pasted_legacy_lines() -> None:
    # A TCVN3 line pasted into a UTF-8 file became "Tr� Vinh, ng�y 12 th�ng 5":
    # the date was lost. Now each broken line is decoded as what it is.
    from extractor.extract import load_document

    document = load_document(hostile.mixed_encodings_txt())
    assert "\ufffd" not in document.normalized
    assert "Résumé café naïve" in document.normalized
    record = extract(document)
    assert (record.place, record.date) == ("Trà Vinh", "2021-05-12")
    assert "decoded 1 line(s) as tcvn3 in a UTF-8 file" in record.warnings


@pytest.mark.issue(7)
def test_issue7_docx_footnote_entity_is_never_resolved(tmp_path: Path) -> None:
    # The footnotes part was parsed with lxml's default parser: a DOCTYPE
    # with an entity crashed the reader (XMLSyntaxError), and resolving it
    # would read a local file into the output (XXE).
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT-7f3a", encoding="utf-8")
    raw = read_docx(hostile.xxe_docx(secret), path="xxe.docx")
    assert "MẬT-7f3a" not in raw.text
    assert raw.text.startswith("KẾ HOẠCH")


@pytest.mark.issue(7)
def test_issue7_broken_footnotes_part_is_corrupt_file() -> None:
    data = hostile.docx_with_footnotes("<w:footnotes", hostile.paragraphs_xml(["KẾ HOẠCH"]))
    with pytest.raises(CorruptFile, match="broken document part"):
        read_docx(data, path="notes.docx")


# --- models: no code execution ----------------------------------------------------


class _Payload:
    """Pickled, it would create ``marker`` when loaded: what a hostile model file does."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def _model_folder(tmp_path: Path, model_bytes: bytes) -> Path:
    from extractor.classify.model import MODEL_FILE, model_folder

    real = model_folder()
    assert real is not None
    folder = tmp_path / real.name
    folder.mkdir()
    shutil.copy(real / "card.json", folder / "card.json")
    (folder / MODEL_FILE).write_bytes(model_bytes)
    return folder


@pytest.mark.issue(7)
def test_issue7_model_file_that_is_a_pickle_is_refused_unrun(tmp_path: Path) -> None:
    from extractor.classify.model import load_model

    marker = tmp_path / "pwned"
    folder = _model_folder(tmp_path, pickle.dumps(_Payload(marker)))
    # Before the fix skops raised a bare BadZipFile.
    with pytest.raises(CorruptFile, match="not a skops archive"):
        load_model(folder)
    assert not marker.exists()


@pytest.mark.issue(7)
def test_issue7_model_file_naming_an_untrusted_type_is_refused_unrun(tmp_path: Path) -> None:
    import skops.io

    from extractor.classify.model import MODEL_FILE, load_model

    marker = tmp_path / "pwned"
    staging = tmp_path / "staging.skops"
    skops.io.dump({"step": _Payload(marker)}, staging)
    folder = _model_folder(tmp_path, staging.read_bytes())
    with pytest.raises(CorruptFile, match="untrusted types") as raised:
        load_model(folder)
    assert "_Payload" in str(raised.value)
    assert str(folder / MODEL_FILE) in str(raised.value)
    assert not marker.exists()


def test_hostile_committed_models_hold_only_trusted_types() -> None:
    import skops.io

    from extractor.classify.model import MODEL_FILE, MODELS, TRUSTED_TYPES

    files = sorted(MODELS.glob(f"*/{MODEL_FILE}"))
    assert files
    for path in files:
        assert set(skops.io.get_untrusted_types(file=path)) <= TRUSTED_TYPES


# --- no network at run time -----------------------------------------------------------

_NO_NETWORK = textwrap.dedent(
    """
    import sys

    attempts = []

    def refuse(event, args):
        if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.")):
            attempts.append(event)
            raise PermissionError(f"network access at run time: {event}")

    sys.addaudithook(refuse)
    from extractor.cli import main

    code = main(sys.argv[1:])
    if attempts:
        sys.stderr.write("NETWORK ATTEMPTS: " + ", ".join(attempts) + "\\n")
        code = 99
    sys.exit(code)
    """
)


def test_hostile_extract_runs_without_network(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    samples = [str(SAMPLES / f"002_7956c4d43d58e490.{fmt}") for fmt in ("txt", "docx", "pdf")]
    completed = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK, "extract", *samples, "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "NETWORK" not in completed.stderr
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [record["number"] for record in records] == ["60-KH/ĐUK"] * 3


def test_hostile_network_guard_would_catch_a_connection() -> None:
    # The guard above is only worth something if it sees a socket being made.
    probe = _NO_NETWORK.replace(
        "from extractor.cli import main",
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 9), timeout=1)\n"
        "except OSError:\n    pass\nfrom extractor.cli import main",
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe, "schema"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 99
    assert "NETWORK ATTEMPTS: socket." in completed.stderr


# --- the README documents every error and limit -----------------------------------------


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Limits and errors")
    end = text.index("\n## ", start + 1)
    return text[start:end]


@pytest.mark.parametrize("error", ALL_ERRORS, ids=[error.code for error in ALL_ERRORS])
def test_hostile_readme_lists_every_error_with_its_message(error: type[VanbanError]) -> None:
    section = _readme_section()
    row = next((line for line in section.splitlines() if f"| `{error.code}` |" in line), None)
    assert row is not None, f"README has no row for {error.code}"
    assert error.template in row


def test_hostile_readme_lists_every_limit_with_its_value() -> None:
    from extractor import limits

    section = _readme_section()
    names = [name for name in vars(limits) if name.isupper() and not name.startswith("_")]
    assert names
    for name in names:
        row = next((line for line in section.splitlines() if f"`{name}`" in line), None)
        assert row is not None, f"README has no row for {name}"
        assert f"{getattr(limits, name):,}" in row, row
