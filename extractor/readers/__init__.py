"""Readers: bytes of a .txt/.md, .docx or .pdf file → :class:`~extractor.document.Document`.

The format is judged from the content, not the file name, so a DOCX named
``.txt`` is read as DOCX and a PNG named ``.pdf`` is refused clearly.

>>> doc = read(b"K\\xe1\\xba\\xbe HO\\xe1\\xba\\xa0CH")
>>> doc.normalized, doc.source.format
('KẾ HOẠCH', 'txt')
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from extractor.document import Document, Format, RawText, Source
from extractor.errors import EmptyDocument, TooLarge, UnsupportedFormat
from extractor.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS

__all__ = ["read", "sniff_format"]

# Magic numbers of formats people mistake for documents vanban reads.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word/Excel (OLE) file; save it as .docx or PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image; run OCR first"),
    (b"\xff\xd8\xff", "JPEG image; run OCR first"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image; run OCR first"),
    (b"MM\x00*", "TIFF image; run OCR first"),
    (b"{\\rtf", "RTF document; save it as .docx"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
)


def sniff_format(data: bytes, *, path: str = "<input>") -> Format:
    """Tell the format of ``data`` from its first bytes.

    >>> sniff_format(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff_format("Kế hoạch".encode())
    'txt'
    """
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        from extractor.readers.docx import is_word_package, zip_member_names

        # A zip that cannot be listed is a damaged file (a .docx cut short in
        # download), not a foreign format.
        if is_word_package(zip_member_names(data, path=path)):
            return "docx"
        raise UnsupportedFormat(path=path, detail="zip archive that is not a Word .docx")
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormat(path=path, detail=what)
    return "txt"


def read(source: str | os.PathLike[str] | bytes, *, path: str | None = None) -> Document:
    """Read a file (by path) or raw bytes into a normalized Document.

    Raises a :class:`~extractor.errors.VanbanError` subclass for every input
    it cannot turn into text: unsupported format, corrupt file, encrypted or
    scanned PDF, empty document, file too large.
    """
    if isinstance(source, bytes):
        data = source
        name = path or "<bytes>"
    else:
        name = path or str(source)
        data = _read_file(Path(source), name)
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(path=name, detail=f"{len(data)} bytes > limit {MAX_FILE_BYTES}")
    if not data or data.isspace():  # what ``not data.strip()`` asks, without a copy
        raise EmptyDocument(path=name)
    raw = read_raw(data, path=name)
    if len(raw.text) > MAX_TEXT_CHARS:
        raise TooLarge(path=name, detail=f"{len(raw.text)} characters > limit {MAX_TEXT_CHARS}")
    source_info = Source(
        path=None if isinstance(source, bytes) and path is None else name,
        sha256=hashlib.sha256(data).hexdigest(),
        format=raw.format,
        pages=raw.pages,
        encoding=raw.encoding,
    )
    document = Document.from_raw(raw, source_info)
    if not document.normalized or document.normalized.isspace():
        raise EmptyDocument(path=name)
    return document


def _read_file(file_path: Path, name: str) -> bytes:
    """The bytes of a regular file, refused unread when over the size limit.

    A device, pipe or socket is refused before it is opened: reading
    /dev/zero never ends and opening a FIFO blocks. At most one byte past
    the limit is read, so a file that grows, or that reports no size
    (/proc), cannot slip a huge read past the check.
    """
    info = file_path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "folder" if stat.S_ISDIR(info.st_mode) else "device, pipe or socket"
        raise UnsupportedFormat(path=name, detail=f"not a regular file but a {kind}")
    if info.st_size > MAX_FILE_BYTES:
        raise TooLarge(path=name, detail=f"{info.st_size} bytes > limit {MAX_FILE_BYTES}")
    with file_path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def read_raw(data: bytes, *, path: str = "<input>") -> RawText:
    """Dispatch ``data`` to the reader of its sniffed format."""
    fmt = sniff_format(data, path=path)
    if fmt == "pdf":
        from extractor.readers.pdf import read_pdf

        return read_pdf(data, path=path)
    if fmt == "docx":
        from extractor.readers.docx import read_docx

        return read_docx(data, path=path)
    from extractor.readers.txt import read_txt

    return read_txt(data, path=path)
