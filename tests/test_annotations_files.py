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


def test_annotations_stored_spans_are_current() -> None:
    """Each file's [start, end, LABEL] spans equal those derived from its lines and record.

    ``FIX_JSON=1 pytest tests/test_annotations_files.py`` rewrites them after
    an annotation changes.
    """
    import json
    import os

    from extractor.annotations import LABELS, all_spans, iter_annotations

    stale = []
    for annotated in iter_annotations(ANNOTATIONS):
        assert annotated.path is not None
        derived = [list(span) for span in all_spans(annotated)]
        data = json.loads(annotated.path.read_text(encoding="utf-8"))
        text = annotated.document.normalized
        for start, end, label in data.get("spans", []):
            assert 0 <= start < end <= len(text), annotated.id
            assert label in LABELS, (annotated.id, label)
        if data.get("spans") != derived:
            if os.environ.get("FIX_JSON"):
                data["spans"] = derived
                annotated.path.write_text(
                    json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8",
                )
            else:
                stale.append(annotated.id)
    assert not stale, f"stale spans in {stale[:5]}…: run FIX_JSON=1 make test"
