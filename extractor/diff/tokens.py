"""Word tokens of a block, with offsets and comparison keys.

Tokens are Vietnamese *syllables* (runs of letters and digits) and single
punctuation marks, found by one regex. underthesea's ``word_tokenize`` would
give compound words, but it costs about a millisecond per sentence (a second
or more per document pair, more than the whole diff is allowed) and the
syllable diff loses nothing: semantic cleanup (:mod:`extractor.diff.edits`)
merges the edits of neighbouring syllables into phrase-level replacements, and
localisation labels read whole terms ("Tỉnh ủy") from the text around an edit.
Document numbers and dates stay one token ("44-KH/TU", "15/6/2022"), so a
changed citation or date is one atomic edit.

Keys fold what must never be an edit: tone placement and case
(:func:`~extractor.text.normalize.match_key`) and the shape of quotes.
Whitespace is never a token, and markup is gone from the normalized text.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.text.normalize import match_key

# The standard library's ``re`` runs this about twice as fast as ``regex``;
# a word is letters/digits (``\w``) plus combining diacritics, in case.
_WORD = r"[\w\u0300-\u036f]+"
# Possessive quantifiers (nothing after a word could use a backtrack): the
# same tokens, found about 15% faster.
_TOKEN = re.compile(rf"{_WORD}+(?:[-/.]{_WORD}+)*+|[^\w\s\u0300-\u036f]")
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_QUOTE_CHARS = "“”„‟«»‘’‚‛'`"
_QUOTES = str.maketrans(dict.fromkeys(_QUOTE_CHARS, '"'))


@dataclass(frozen=True, slots=True)
class Tokens:
    """Parallel tuples: comparison key, absolute start and end, is-a-word flag."""

    keys: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.keys)


@functools.lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The comparison key of one token.

    >>> token_key("HOÁ"), token_key("“"), token_key("Tỉnh")
    ('hóa', '"', 'tỉnh')
    """
    if token[0].isalnum():
        return match_key(token)
    return token.translate(_QUOTES)


def fold(text: str) -> str:
    """Case-folded text with one quote shape, for texts already normalized.

    Normalized text has canonical tone placement and composition, so folding
    case and quotes gives the same keys as :func:`token_key`, in one pass.

    >>> fold("“Tỉnh ỦY”")
    '"tỉnh ủy"'
    """
    text = text.casefold()
    # str.translate is slow on non-ASCII text; a few membership tests are not.
    for quote in _QUOTE_CHARS:
        if quote in text:
            text = text.replace(quote, '"')
    return text


def keys_of(text: str) -> tuple[str, ...]:
    """The token keys of a normalized text (no offsets: the fast path for comparison).

    >>> keys_of("Số 44-KH/TU, “Tỉnh ủy”")
    ('số', '44-kh/tu', ',', '"', 'tỉnh', 'ủy', '"')
    """
    folded = fold(text)
    if len(folded) != len(text):
        return tokenize(text).keys
    return tuple(_TOKEN.findall(folded))


def folded_keys(folded: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """The token keys of ``folded[start:end]``, a text already passed through :func:`fold`.

    >>> folded_keys(fold("Tỉnh ủy, “Khối”"))
    ('tỉnh', 'ủy', ',', '"', 'khối', '"')
    >>> folded_keys("ab tỉnh ủy", 3)
    ('tỉnh', 'ủy')
    """
    return tuple(_TOKEN.findall(folded, start, len(folded) if end is None else end))


def spans_of(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Absolute starts and ends of the tokens of ``text[start:end]``.

    Their keys are already known (a paragraph's key); only the offsets are
    found here. One ``re.split`` with the token as a group gives gaps and
    tokens alternately, in C; running sums of their lengths are the offsets
    (three times faster than reading ``span()`` off every match).

    >>> spans_of("ab Tỉnh ủy, x", 3, 11)
    ([3, 8, 10], [7, 10, 11])
    """
    return pieces_spans(_SPLIT.split(text[start:end]), start)


def split_pieces(text: str, start: int, end: int) -> list[str]:
    """Gaps and tokens of ``text[start:end]``, alternately (gap first and last).

    The tokens (``[1::2]``) are those of :func:`folded_keys` on the same
    range; :func:`pieces_spans` turns the lengths into offsets without
    another regex pass.

    >>> split_pieces("ab Tỉnh ủy, x", 3, 11)
    ['', 'Tỉnh', ' ', 'ủy', '', ',', '']
    """
    return _SPLIT.split(text[start:end])


def pieces_spans(pieces: Sequence[str], start: int) -> tuple[list[int], list[int]]:
    """Absolute starts and ends of the tokens of :func:`split_pieces` output.

    >>> pieces_spans(split_pieces("ab Tỉnh ủy, x", 3, 11), 3)
    ([3, 8, 10], [7, 10, 11])
    """
    offsets = list(itertools.accumulate(map(len, pieces), initial=start))
    return offsets[1:-1:2], offsets[2::2]


def tokenize(text: str, offset: int = 0) -> Tokens:
    """The tokens of a normalized ``text``; offsets are shifted by ``offset``.

    >>> tokens = tokenize("Ban Thường vụ Tỉnh ủy, số 44-KH/TU", 10)
    >>> tokens.keys
    ('ban', 'thường', 'vụ', 'tỉnh', 'ủy', ',', 'số', '44-kh/tu')
    >>> tokens.starts[3], tokens.ends[3]
    (24, 28)
    """
    folded = fold(text)
    spans = [match.span() for match in _TOKEN.finditer(text)]
    if not spans:
        return Tokens((), (), (), ())
    if len(folded) == len(text):
        # Same regex on a same-length fold: the same tokens, found in C.
        keys = tuple(_TOKEN.findall(folded))
    else:
        keys = tuple(token_key(text[start:end]) for start, end in spans)
    starts, ends = zip(*spans, strict=True)
    return Tokens(
        keys,
        tuple(map(offset.__add__, starts)),
        tuple(map(offset.__add__, ends)),
        tuple(map(str.isalnum, map(operator.itemgetter(0), keys))),
    )
