"""Language data: patterns and vocabularies kept apart from code.

Each JSON file here is reviewable data with examples that the test suite runs
(``tests/test_data.py``). :func:`load` reads a file once per process.

>>> sorted(load("doc_types"))
['description', 'doc_types', 'letter_addressee']
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Requires:
    """Literals one of which every match of a data-file pattern holds (its entry's ``requires``).

    A cheap substring test before a regex search: a text holding none of
    them cannot match, so the search is skipped (tests/test_fast_paths.py
    checks each entry's literals against its pattern).

    >>> needs = Requires.of({"pattern": "quý", "flags": "i", "requires": ["quý"]})
    >>> needs.may_match("trong QUÝ II"), needs.may_match("tháng 5")
    (True, False)
    """

    literals: tuple[str, ...]
    #: The pattern ignores case: the literals are lowercase, looked for in the lowercased text.
    folded: bool

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Requires:
        """The ``requires`` of a pattern entry (none: every text may match)."""
        return cls(tuple(entry.get("requires", ())), "i" in entry.get("flags", ""))

    def may_match(self, text: str, lowered: str | None = None) -> bool:
        """False when ``text`` holds none of the literals: the pattern cannot match it.

        ``lowered`` is ``text.lower()`` when the caller has it already (one
        lowering for several patterns). Regex case-insensitivity pairs each
        letter with what ``str.lower`` gives for it, except "İ", which lowers
        to two characters: a text whose length lowering changes is searched
        in full.
        """
        if not self.literals:
            return True
        if self.folded:
            lowered = text.lower() if lowered is None else lowered
            if len(lowered) != len(text):
                return True
            text = lowered
        return any(literal in text for literal in self.literals)
