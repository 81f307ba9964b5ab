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

from extractor.data import compile_pattern, load
from tests.conftest import ANNOTATIONS, ROOT

DATA_FILES = sorted((ROOT / "extractor" / "data").glob("*.json"))
JSON_FILES = DATA_FILES + sorted(ANNOTATIONS.glob("*.json"))


def _walk_entries(name: str, value: object) -> list[tuple[str, dict[str, object]]]:
    """Every ``{"pattern": …, "examples": [...]}`` entry anywhere in a data file."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(value, dict):
        if isinstance(value.get("pattern"), str) and isinstance(value.get("examples"), list):
            found.append((name, value))
        for key, item in value.items():
            found += _walk_entries(f"{name}.{key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = (
                (item.get("kind") or item.get("name") or index) if isinstance(item, dict) else index
            )
            found += _walk_entries(f"{name}[{label}]", item)
    return found


# Files whose patterns are searched whole against a line; the other data files
# hold fragments combined in code, and their own test modules run their examples.
SEARCHED_PATTERN_FILES = ("structure", "issuing_body")


def _pattern_entries() -> list[tuple[str, dict[str, object]]]:
    entries: list[tuple[str, dict[str, object]]] = []
    for name in SEARCHED_PATTERN_FILES:
        entries += _walk_entries(name, load(name))
    return entries


@pytest.mark.parametrize(
    ("name", "entry"), _pattern_entries(), ids=[n for n, _ in _pattern_entries()]
)
def test_data_patterns_match_their_examples(name: str, entry: dict[str, object]) -> None:
    pattern = compile_pattern(entry)
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
