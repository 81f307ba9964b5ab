"""The Document: original text, normalized text and the map between them.

Every later stage reads ``Document.normalized``; every span it reports is an
offset into that text, and :meth:`Document.to_original` turns it back into the
slice of the text as it was read, for provenance.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from extractor.text.normalize import normalize
from extractor.text.offsets import OffsetMap

Format = Literal["txt", "docx", "pdf"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from."""

    path: str | None
    sha256: str
    format: Format
    pages: int | None = None
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class RawText:
    """What a reader returns: the text as read, before normalization.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins
    (PDF only; empty for formats without pages).
    """

    text: str
    format: Format
    pages: int | None = None
    page_starts: tuple[int, ...] = ()
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    """A read and normalized document.

    >>> doc = Document.from_text("Số 60 -KH/ĐUK\\n\\n\\nKẾ HOẠCH")
    >>> doc.normalized
    'Số 60 -KH/ĐUK\\n\\nKẾ HOẠCH'
    >>> doc.original[slice(*doc.to_original(15, 23))]
    'KẾ HOẠCH'
    """

    original: str
    normalized: str
    offsets: OffsetMap
    source: Source
    page_starts: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @classmethod
    def from_raw(cls, raw: RawText, source: Source) -> Document:
        """Normalize a reader's output into a Document."""
        result = normalize(raw.text)
        return cls(
            original=raw.text,
            normalized=result.text,
            offsets=result.offsets,
            source=source,
            page_starts=raw.page_starts,
            warnings=raw.warnings,
        )

    @classmethod
    def from_text(cls, text: str, *, path: str | None = None) -> Document:
        """Build a Document from a Unicode string (no reader involved)."""
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls.from_raw(RawText(text, "txt"), Source(path, digest, "txt"))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text to the span of the original it came from.

        The original span takes in the markup normalization removed around the
        value (``**``, tags, spaces), so it normalizes back to the same value.
        """
        return self.offsets.to_source(start, end, with_gaps=True)

    def page_of(self, start: int) -> int | None:
        """The 1-based page of a normalized offset, for paged formats."""
        if not self.page_starts:
            return None
        original_start, _ = self.offsets.to_source(start, start)
        return bisect.bisect_right(self.page_starts, original_start)
