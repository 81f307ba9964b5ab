"""Sentences and words with underthesea, off the hot path.

underthesea takes seconds to import and its word segmenter runs at about
0.1 MB/s, so nothing here is imported by extraction; the diff and the
classifier features call it where word boundaries pay for themselves.
Sentences are split inside each paragraph line, never across a heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offsets in the text it was found in."""

    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Sentence]:
    """Split ``text`` into sentences, line by line, with offsets.

    >>> [s.text for s in sentences("Câu một. Câu hai.\\nI. MỤC ĐÍCH")]
    ['Câu một.', 'Câu hai.', 'I. MỤC ĐÍCH']
    """
    from underthesea import sent_tokenize

    position = 0
    for line in text.split("\n"):
        cursor = 0
        for piece in sent_tokenize(line) if line.strip() else ():
            found = line.find(piece, cursor)
            if found < 0:  # the tokenizer altered the text: fall back to the rest
                found, piece = cursor, line[cursor:].strip()
            cursor = found + len(piece)
            yield Sentence(position + found, position + cursor, piece)
        position += len(line) + 1


def words(text: str) -> list[str]:
    """Vietnamese words (multi-syllable units joined by spaces) of ``text``.

    >>> words("Ban Thường vụ Tỉnh ủy")[:2]
    ['Ban', 'Thường vụ']
    """
    from underthesea import word_tokenize

    result: list[str] = word_tokenize(text)
    return result
