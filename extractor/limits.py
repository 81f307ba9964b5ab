"""Documented limits that protect a run from hostile or broken inputs.

They are listed in the README ("Limits and errors"); each breach raises a
typed error from :mod:`extractor.errors`.
"""

from __future__ import annotations

from typing import Final

#: Largest input file accepted, in bytes (real directives are well under 5 MB;
#: a 300-page PDF with images stays under this).
MAX_FILE_BYTES: Final = 20 * 1024 * 1024
#: Most pages read from one PDF.
MAX_PAGES: Final = 500
#: Most bytes a DOCX (or a zip member) may inflate to, and the worst
#: compression ratio accepted for one member.
MAX_DECOMPRESSED_BYTES: Final = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 200
#: Most characters of text handed to extraction after reading.
MAX_TEXT_CHARS: Final = 5_000_000
#: Time budget of one document in a batch, in seconds (``vanban batch --timeout``).
#: The slowest real input, a 500-page PDF, reads in about a minute; past this a
#: worker is stuck on a pathological file: it is killed and the file gets a
#: ``timeout`` row.
BATCH_TIMEOUT_SECONDS: Final = 120.0
