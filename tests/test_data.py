"""The language data files: examples run, formatting is canonical.

``FIX_JSON=1 pytest tests/test_data.py`` rewrites data and annotation files in
canonical form (sorted keys, indent 2, ensure_ascii=False, final newline).
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
import regex

from extractor.data import compile_pattern, load
from tests.conftest import ANNOTATIONS, ROOT

DATA_FILES = sorted((ROOT / "extractor" / "data").glob("*.json"))
JSON_FILES = DATA_FILES + sorted(ANNOTATIONS.glob("*.json"))


def _pattern_entries() -> list[tuple[str, dict[str, object]]]:
    structure = load("structure")
    entries = [(f"structure:{name}", entry) for name, entry in structure["patterns"].items()]
    entries += [(f"heading:{entry['kind']}", entry) for entry in structure["headings"]["markers"]]
    return entries


@pytest.mark.parametrize(
    ("name", "entry"), _pattern_entries(), ids=[n for n, _ in _pattern_entries()]
)
def test_data_patterns_match_their_examples(name: str, entry: dict[str, object]) -> None:
    pattern = compile_pattern(entry) if "flags" in entry else regex.compile(str(entry["pattern"]))
    for example in entry.get("examples", []):  # type: ignore[attr-defined]
        assert pattern.search(example), f"{name} misses {example!r}"
    for counter in entry.get("counter_examples", []):  # type: ignore[attr-defined]
        assert not pattern.search(counter), f"{name} wrongly matches {counter!r}"


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_data_json_is_canonical(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    canonical = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("FIX_JSON") and raw != canonical:
        path.write_text(canonical, encoding="utf-8")
        raw = canonical
    assert raw == canonical, f"{path.name} is not canonical; run FIX_JSON=1 make test"
    assert unicodedata.is_normalized("NFC", raw)


def test_data_doc_types_have_unique_names() -> None:
    names = [entry["name"] for entry in load("doc_types")["doc_types"]]
    assert len(names) == len(set(names))
