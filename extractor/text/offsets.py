"""Offset maps: where each character of a rewritten text came from.

A rewrite step turns text A into text B. For every character of B an
:class:`OffsetMap` records the half-open span of A it was produced from, so a
span found in B maps back to the exact slice of A that produced it. Maps
compose, so the chain original → normalized is one map. The spans are numpy
arrays: composing two maps is one fancy-indexing operation, not a Python loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import regex

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class OffsetMap:
    """For each target character ``i``: source span ``[starts[i], ends[i])``.

    ``source_length`` lets an empty or end-of-text span map to the end.

    >>> m = OffsetMap.identity(3)
    >>> m.to_source(0, 3)
    (0, 3)
    """

    starts: IntArray
    ends: IntArray
    source_length: int

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """Map a text onto itself."""
        return cls(
            np.arange(length, dtype=np.int64), np.arange(1, length + 1, dtype=np.int64), length
        )

    def __len__(self) -> int:
        return len(self.starts)

    def to_source(self, start: int, end: int, *, with_gaps: bool = False) -> tuple[int, int]:
        """Map the target span ``[start, end)`` to the source span that produced it.

        With ``with_gaps`` the span also takes in what normalization deleted
        right before and after it (markup such as ``**``, spaces), so the
        source slice normalizes back to the target slice. An empty span maps
        to an empty span at the matching source position.

        >>> m = OffsetMap(np.array([2]), np.array([3]), 5)
        >>> m.to_source(0, 1), m.to_source(0, 1, with_gaps=True)
        ((2, 3), (0, 5))
        """
        count = len(self.starts)
        if not 0 <= start <= end <= count:
            raise ValueError(f"span [{start}, {end}) outside text of length {count}")
        if start == end:
            position = int(self.starts[start]) if start < count else self.source_length
            return position, position
        if with_gaps:
            source_start = int(self.ends[start - 1]) if start > 0 else 0
            source_end = int(self.starts[end]) if end < count else self.source_length
            return min(source_start, int(self.starts[start])), max(
                source_end, int(self.ends[end - 1])
            )
        return int(self.starts[start]), int(self.ends[end - 1])

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: ``self`` maps B→A, ``later`` maps C→B; the result maps C→A."""
        if len(self.starts) == 0:
            zeros = np.zeros(len(later), dtype=np.int64)
            return OffsetMap(zeros, zeros, self.source_length)
        # A target character produced by an insertion at the very end of B
        # points one past B's last character: it maps to the end of A.
        safe_starts = np.minimum(later.starts, len(self.starts) - 1)
        starts = np.where(
            later.starts < len(self.starts), self.starts[safe_starts], self.source_length
        )
        ends = np.where(later.ends > 0, self.ends[np.maximum(later.ends - 1, 0)], 0)
        return OffsetMap(starts, ends, self.source_length)


Replacement = Callable[["regex.Match[str]"], str]


def rewrite(
    text: str, pattern: regex.Pattern[str], replacement: Replacement | str | None
) -> tuple[str, OffsetMap]:
    """Substitute every match of ``pattern`` and return the text with its offset map.

    Unchanged characters map one to one. A replacement of the same length as
    its match maps character by character too (tone moves, look-alike letters);
    any other replacement maps each of its characters to the whole match.
    With ``replacement=None`` only the captures of the group named ``keep``
    survive (markup removal): they keep their exact offsets. When nothing
    matches, the very same ``text`` object is returned.

    >>> out, m = rewrite("a**b**c", regex.compile(r"\\*\\*"), "")
    >>> out, m.to_source(0, 3)
    ('abc', (0, 7))
    >>> out, m = rewrite("x *it* y", regex.compile(r"\\*(?P<keep>\\w+)\\*"), None)
    >>> out, m.to_source(2, 4)
    ('x it y', (3, 5))
    """
    pieces: list[str] = []
    starts: list[IntArray] = []
    ends: list[IntArray] = []
    position = 0
    matched = False

    def keep(start: int, end: int) -> None:
        if end > start:
            pieces.append(text[start:end])
            starts.append(np.arange(start, end, dtype=np.int64))
            ends.append(np.arange(start + 1, end + 1, dtype=np.int64))

    for match in pattern.finditer(text):
        matched = True
        match_start, match_end = match.span()
        keep(position, match_start)
        position = match_end
        if replacement is None:
            for kept_start, kept_end in match.spans("keep"):
                keep(kept_start, kept_end)
            continue
        if isinstance(replacement, str):
            new = match.expand(replacement) if "\\" in replacement else replacement
        else:
            new = replacement(match)
        if new and len(new) == match_end - match_start:
            keep(match_start, match_end)
            pieces[-1] = new
        elif new:
            pieces.append(new)
            starts.append(np.full(len(new), match_start, dtype=np.int64))
            ends.append(np.full(len(new), match_end, dtype=np.int64))
    if not matched:
        return text, OffsetMap.identity(len(text))
    keep(position, len(text))
    empty = np.zeros(0, dtype=np.int64)
    return "".join(pieces), OffsetMap(
        np.concatenate(starts) if starts else empty,
        np.concatenate(ends) if ends else empty,
        len(text),
    )


def align(source: str, target: str) -> OffsetMap:
    """Build an offset map between two texts by aligning them (for custom steps).

    Custom normalization steps are plain ``str -> str`` callables and say
    nothing about offsets, so the map is recovered from a character diff.
    Inserted target characters map to the source span they replaced.

    >>> align("ab c", "abc").to_source(2, 3)
    (3, 4)
    """
    import difflib

    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    starts: list[int] = []
    ends: list[int] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            starts.extend(range(a0, a1))
            ends.extend(range(a0 + 1, a1 + 1))
        elif b1 > b0:
            starts.extend([a0] * (b1 - b0))
            ends.extend([a1] * (b1 - b0))
    return OffsetMap(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), len(source))
