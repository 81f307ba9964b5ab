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
