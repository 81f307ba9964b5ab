"""Language data: patterns and vocabularies kept apart from code.

Each JSON file here is reviewable data with examples that the test suite runs
(``tests/test_data.py``). :func:`load` reads a file once per process.

>>> sorted(load("doc_types"))
['description', 'doc_types', 'letter_addressee']
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import regex

_FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "x": regex.VERBOSE}


@functools.cache
def load(name: str) -> Any:
    """Parse ``extractor/data/<name>.json`` (cached: data files never change at run time)."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def compile_pattern(entry: dict[str, Any]) -> regex.Pattern[str]:
    """Compile a data-file pattern entry ``{"pattern": …, "flags": "i"}``."""
    flags = 0
    for letter in entry.get("flags", ""):
        flags |= _FLAGS[letter]
    return regex.compile(entry["pattern"], flags)
