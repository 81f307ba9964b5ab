"""Offset maps: where each character of a rewritten text came from.

A rewrite step turns text A into text B. For every character of B an
:class:`OffsetMap` records the half-open span of A it was produced from, so a
span found in B maps back to the exact slice of A that produced it. Maps
compose, so the chain original → normalized is one map. The spans are numpy
arrays: composing two maps is one fancy-indexing operation, not a Python loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt
import regex

IntArray = npt.NDArray[np.int64]


class OffsetMap:
    """For each target character ``i``: source span ``[starts[i], ends[i])``.

    ``source_length`` lets an empty or end-of-text span map to the end.
    The per-character arrays are built on first use: extraction reads only
    the normalized text, so a batch never pays for maps nobody asks for,
    while :meth:`to_source` and ``starts``/``ends`` give the same arrays as
    an eager build would.

    >>> m = OffsetMap.identity(3)
    >>> m.to_source(0, 3)
    (0, 3)
    """

    __slots__ = ("_build", "_ends", "_length", "_starts", "source_length")

    def __init__(self, starts: IntArray, ends: IntArray, source_length: int) -> None:
        self._starts: IntArray | None = starts
        self._ends: IntArray | None = ends
        self._build: Callable[[], tuple[IntArray, IntArray]] | None = None
        self._length = len(starts)
        self.source_length = source_length

    @classmethod
    def _lazy(
        cls, length: int, source_length: int, build: Callable[[], tuple[IntArray, IntArray]]
    ) -> OffsetMap:
        """A map of ``length`` target characters whose arrays ``build`` makes on first use."""
        instance = cls.__new__(cls)
        instance._starts = instance._ends = None
        instance._build = build
        instance._length = length
        instance.source_length = source_length
        return instance

    def _arrays(self) -> tuple[IntArray, IntArray]:
        if self._starts is None or self._ends is None:
            assert self._build is not None
            self._starts, self._ends = self._build()
            self._build = None  # drop the closure (and what it holds) once built
        return self._starts, self._ends

    @property
    def starts(self) -> IntArray:
        """Source start of each target character."""
        return self._arrays()[0]

    @property
    def ends(self) -> IntArray:
        """Source end (exclusive) of each target character."""
        return self._arrays()[1]

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """Map a text onto itself."""
        return cls._lazy(
            length,
            length,
            lambda: (
                np.arange(length, dtype=np.int64),
                np.arange(1, length + 1, dtype=np.int64),
            ),
        )

    def __len__(self) -> int:
        return self._length

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
        count = self._length
        if not 0 <= start <= end <= count:
            raise ValueError(f"span [{start}, {end}) outside text of length {count}")
        starts, ends = self._arrays()
        if start == end:
            position = int(starts[start]) if start < count else self.source_length
            return position, position
        if with_gaps:
            source_start = int(ends[start - 1]) if start > 0 else 0
            source_end = int(starts[end]) if end < count else self.source_length
            return min(source_start, int(starts[start])), max(source_end, int(ends[end - 1]))
        return int(starts[start]), int(ends[end - 1])

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: ``self`` maps B→A, ``later`` maps C→B; the result maps C→A."""
        return OffsetMap._lazy(len(later), self.source_length, lambda: _compose(self, later))


def _compose(earlier: OffsetMap, later: OffsetMap) -> tuple[IntArray, IntArray]:
    """The arrays of ``earlier.then(later)``."""
    if len(earlier) == 0:
        zeros = np.zeros(len(later), dtype=np.int64)
        return zeros, zeros
    earlier_starts, earlier_ends = earlier.starts, earlier.ends
    later_starts, later_ends = later.starts, later.ends
    # A target character produced by an insertion at the very end of B
    # points one past B's last character: it maps to the end of A.
    safe_starts = np.minimum(later_starts, len(earlier_starts) - 1)
    starts = np.where(
        later_starts < len(earlier_starts), earlier_starts[safe_starts], earlier.source_length
    )
    ends = np.where(later_ends > 0, earlier_ends[np.maximum(later_ends - 1, 0)], 0)
    return starts, ends


Replacement = Callable[["regex.Match[str]"], str]

# Returned (with the very same text) when nothing matched: callers test
# ``new_text is text`` and never read this map, so it costs no allocation.
_UNCHANGED = OffsetMap(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0)


def rewrite(
    text: str, pattern: regex.Pattern[str], replacement: Replacement | str | None
) -> tuple[str, OffsetMap]:
    """Substitute every match of ``pattern`` and return the text with its offset map.

    Unchanged characters map one to one. A replacement of the same length as
    its match maps character by character too (tone moves, look-alike letters);
    any other replacement maps each of its characters to the whole match.
    With ``replacement=None`` only the captures of the group named ``keep``
    survive (markup removal): they keep their exact offsets. When nothing
    matches, the very same ``text`` object is returned, with an empty map
    that is not to be used.

    >>> out, m = rewrite("a**b**c", regex.compile(r"\\*\\*"), "")
    >>> out, m.to_source(0, 3)
    ('abc', (0, 7))
    >>> out, m = rewrite("x *it* y", regex.compile(r"\\*(?P<keep>\\w+)\\*"), None)
    >>> out, m.to_source(2, 4)
    ('x it y', (3, 5))
    """
    return rewrite_matches(text, pattern.finditer(text), replacement)


def rewrite_matches(
    text: str, matches: Iterable[regex.Match[str]], replacement: Replacement | str | None
) -> tuple[str, OffsetMap]:
    """:func:`rewrite` with the matches found by the caller (in order, not overlapping).

    For a rule whose matches a cheaper scan can find (a stdlib prefilter, then
    the pattern itself at each candidate), so that the full regex scan of the
    text is not paid. Same result as :func:`rewrite` for the same matches.

    >>> pattern = regex.compile("b")
    >>> rewrite_matches("abcb", [pattern.match("abcb", 3)], "X")[0]
    'abcX'
    """
    pieces: list[str] = []
    # One row per output segment: where it starts in the source, where the
    # match ends, its length, and whether it maps character by character.
    segment_starts: list[int] = []
    segment_ends: list[int] = []
    segment_lengths: list[int] = []
    segment_exact: list[bool] = []
    position = 0
    matched = False

    def keep(start: int, end: int) -> None:
        if end > start:
            pieces.append(text[start:end])
            segment_starts.append(start)
            segment_ends.append(end)
            segment_lengths.append(end - start)
            segment_exact.append(True)

    for match in matches:
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
            segment_starts.append(match_start)
            segment_ends.append(match_end)
            segment_lengths.append(len(new))
            segment_exact.append(False)
    if not matched:
        return text, _UNCHANGED
    keep(position, len(text))
    result = "".join(pieces)
    return result, OffsetMap._lazy(
        len(result),
        len(text),
        lambda: _segments_to_map(segment_starts, segment_ends, segment_lengths, segment_exact),
    )


def _segments_to_map(
    starts: list[int], ends: list[int], lengths: list[int], exact: list[bool]
) -> tuple[IntArray, IntArray]:
    """Expand segment rows into per-character spans with a few vectorised numpy steps."""
    if not lengths:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    length = np.asarray(lengths, dtype=np.int64)
    first = np.repeat(np.asarray(starts, dtype=np.int64), length)
    is_exact = np.repeat(np.asarray(exact, dtype=bool), length)
    segment_offset = np.repeat(np.cumsum(length) - length, length)
    within = np.arange(int(length.sum()), dtype=np.int64) - segment_offset
    char_starts = np.where(is_exact, first + within, first)
    char_ends = np.where(
        is_exact, char_starts + 1, np.repeat(np.asarray(ends, dtype=np.int64), length)
    )
    return char_starts, char_ends


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
