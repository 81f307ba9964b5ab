"""The annotation files themselves: shape, NFC, line references (GUIDE.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ANNOTATIONS, ROOT


def test_annotations_pass_the_guide_checker() -> None:
    files = sorted(
        str(path)
        for path in ANNOTATIONS.glob("*.json")
        if path.name not in {"sources.json", "split.json"}
    )
    assert len(files) >= 124
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_annotations.py"), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_annotations_every_text_has_a_source() -> None:
    import json

    sources = json.loads((ANNOTATIONS / "sources.json").read_text(encoding="utf-8"))
    texts = {path.stem for path in (ANNOTATIONS / "texts").glob("*.txt")}
    assert texts == set(sources)
