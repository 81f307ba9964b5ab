"""The command line, through its real entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

VANBAN = Path(sys.executable).with_name("vanban")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args], capture_output=True, text=True, check=False
    )


def test_cli_read_json_gives_zones_and_sections() -> None:
    result = _run("read", "--json", str(SAMPLES / "002_7956c4d43d58e490.docx"))
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert [zone["zone"] for zone in view["zones"]] == [
        "header",
        "title",
        "body",
        "closing",
        "annex",
    ]
    assert view["sections"][0]["heading"] == "MỤC ĐÍCH, YÊU CẦU"
    for zone in view["zones"]:
        assert view["text"][zone["start"] : zone["end"]].strip()


def test_cli_read_text_view_through_console_script() -> None:
    if not VANBAN.exists():
        pytest.skip("console script not installed next to this interpreter")
    result = subprocess.run(
        [str(VANBAN), "read", str(SAMPLES / "004_4da38b554e1175e4.pdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "section tree" in result.stdout
    assert "HÌNH THỨC TỔ CHỨC" in result.stdout


def test_cli_read_bad_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    result = _run("read", str(path))
    assert result.returncode == 1
    assert "unsupported_format" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_usage_error_exits_2() -> None:
    assert _run("frobnicate").returncode == 2
    assert _run().returncode == 2


def test_cli_extract_writes_one_line_per_input_in_order(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    good = SAMPLES / "002_7956c4d43d58e490.txt"
    out = tmp_path / "records.jsonl"
    result = _run(
        "extract", str(good), str(bad), str(SAMPLES / "004_4da38b554e1175e4.docx"), "-o", str(out)
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["source"]["path"] for line in lines] == [
        str(good),
        str(bad),
        str(SAMPLES / "004_4da38b554e1175e4.docx"),
    ]
    assert lines[0]["number"] == "60-KH/ĐUK"
    assert lines[1]["error"]["type"] == "corrupt_file"
    assert lines[2]["themes"] == ["Giữ trọn lời thề đảng viên"]


def test_cli_extract_all_good_exits_0_and_prints_jsonl() -> None:
    result = _run("extract", str(SAMPLES / "000_df7a9d44ea93c9c4.txt"))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["doc_type"] == "Hướng dẫn"
    assert record["schema_version"] == "1"


def test_cli_extract_missing_file_is_an_error_line(tmp_path: Path) -> None:
    result = _run("extract", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["type"] == "not_found"


def test_cli_extract_show_writes_highlighted_html(tmp_path: Path) -> None:
    page = tmp_path / "show.html"
    result = _run(
        "extract",
        str(SAMPLES / "002_7956c4d43d58e490.txt"),
        "--show",
        str(page),
        "-o",
        str(tmp_path / "r.jsonl"),
    )
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    for label in ("number", "date", "issuing_body", "signer.name", "recipients"):
        assert f">{label}<" in html or f">{label.upper()}<" in html or label in html
    assert "Trãi" in html  # displaCy wraps each token; the signer name is there


def test_cli_schema_prints_the_committed_schema() -> None:
    from tests.conftest import ROOT

    result = _run("schema")
    assert result.returncode == 0
    committed = json.loads(
        (ROOT / "extractor" / "data" / "record.schema.json").read_text(encoding="utf-8")
    )
    assert json.loads(result.stdout) == committed
