"""Word .docx: paragraphs and tables in document order, cells kept by column.

Official Word documents put the header (issuing body | motto, place-date) and
the closing (Nơi nhận | signature) in borderless two-column tables. Each cell
is written out whole, left cell first, so a column is never interleaved line
by line with its neighbour; a blank line separates cells and blocks.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from typing import Any

from extractor.document import RawText
from extractor.errors import CorruptFile, DecompressionBomb, UnsafePath
from extractor.limits import MAX_COMPRESSION_RATIO, MAX_DECOMPRESSED_BYTES

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Tables nested deeper than this are flattened to their text (hostile files).
_MAX_TABLE_DEPTH = 8


#: What :mod:`zipfile` raises on a damaged container: a bad header, a lying
#: size or offset (struct.error, EOFError), a name that is no UTF-8
#: (ValueError), a version or compression it does not know (NotImplementedError).
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError)


def zip_member_names(data: bytes, *, path: str = "<input>") -> set[str]:
    """The member names of a zip archive; :class:`CorruptFile` when it cannot be read.

    >>> zip_member_names(b"PK\\x03\\x04 cut short", path="x")
    Traceback (most recent call last):
    ...
    extractor.errors.CorruptFile: corrupt file: x (broken zip container: File is not a zip file)
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except _ZIP_ERRORS as error:
        raise CorruptFile(path=path, detail=f"broken zip container: {error}") from error


def is_word_package(names: set[str]) -> bool:
    """True when zip member ``names`` hold a Word main document part."""
    return "word/document.xml" in names or (
        "[Content_Types].xml" in names and any(name.startswith("word/") for name in names)
    )


def check_inflation(data: bytes, *, path: str) -> None:
    """Refuse a zip whose members would inflate past the limits (zip bomb).

    The sizes are read from the central directory, before anything inflates.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                if _unsafe_member(info.filename):
                    raise UnsafePath(path=path, detail=f"zip member {info.filename!r}")
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                    raise DecompressionBomb(
                        path=path, detail=f"{info.filename} compresses {ratio:.0f}:1"
                    )
    except _ZIP_ERRORS as error:
        raise CorruptFile(path=path, detail=f"broken zip container: {error}") from error
    if total > MAX_DECOMPRESSED_BYTES:
        raise DecompressionBomb(
            path=path, detail=f"{total} bytes when inflated > limit {MAX_DECOMPRESSED_BYTES}"
        )


def _unsafe_member(name: str) -> bool:
    """An absolute name or one that climbs out with ``..``: never in a real .docx.

    vanban never writes members to disk, but such a name marks a crafted
    archive, and refusing it keeps any later unpacking safe.
    """
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts


def read_docx(data: bytes, *, path: str = "<input>") -> RawText:
    """Read a .docx into text: header parts, then body paragraphs and tables.

    Page headers that hold only page numbers are dropped; other header text
    (some offices put the letterhead there) comes first.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_inflation(data, path=path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise CorruptFile(path=path, detail=f"not a readable Word document: {error}") from error
    except Exception as error:  # lxml raises its own XMLSyntaxError family
        raise CorruptFile(path=path, detail=f"broken document XML: {error}") from error
    try:
        # Parts python-docx reads only on demand: a damaged one fails here.
        footnotes = _footnotes(document)
        headers = [
            "\n".join(p.text for p in section.header.paragraphs).strip()
            for section in document.sections[:1]
        ]
        body = document.element.body
    except Exception as error:  # lxml, zipfile and python-docx raise many types on damage
        raise CorruptFile(path=path, detail=f"broken document part: {error!r}") from error

    blocks: list[str] = []
    for header_text in headers:
        if any(char.isalpha() for char in header_text) and not _is_page_label(header_text):
            blocks.append(header_text)
    if body is not None:
        blocks.extend(_body_blocks(body, depth=0, footnotes=footnotes))
    text = "\n\n".join(block for block in blocks if block.strip())
    return RawText(text, "docx")


def _is_page_label(text: str) -> bool:
    words = text.replace("/", " ").split()
    return len(words) <= 3 and any(word.isdigit() for word in words)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _footnotes(document: Any) -> dict[str, str]:
    """Footnote id → text, from the footnotes part python-docx does not expose."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for relationship in document.part.rels.values():
        if relationship.reltype == RT.FOOTNOTES and not relationship.is_external:
            from lxml import etree

            # The parser python-docx uses for its own parts: no entities are
            # resolved, so a crafted part cannot pull in a local file (XXE)
            # or expand a billion laughs.
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(relationship.target_part.blob, parser)
            return {
                str(note.get(f"{_W}id")): " ".join(
                    _paragraph_text(p) for p in note.iter(f"{_W}p")
                ).strip()
                for note in root.iter(f"{_W}footnote")
            }
    return {}


def _body_blocks(
    container: Any, *, depth: int, footnotes: dict[str, str] | None = None
) -> Iterator[str]:
    """Yield the text of paragraphs and table cells under ``container``, in order.

    A footnote's text follows the paragraph that cites it, marked with the
    superscript number, the way a text export shows it.
    """
    notes = footnotes or {}
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _paragraph_text(child)
            for reference in child.iter(f"{_W}footnoteReference"):
                note_id = str(reference.get(f"{_W}id"))
                if notes.get(note_id):
                    yield f"{note_id.translate(_SUPERSCRIPT_DIGITS)} {notes[note_id]}"
        elif child.tag == f"{_W}tbl":
            yield from _table_blocks(child, depth=depth + 1, footnotes=notes)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_blocks(content, depth=depth, footnotes=notes)


def _table_blocks(table: Any, *, depth: int, footnotes: dict[str, str]) -> Iterator[str]:
    if depth > _MAX_TABLE_DEPTH:
        yield " ".join(t.text or "" for t in table.iter(f"{_W}t"))
        return
    rows = table.findall(f"{_W}tr")
    grid = [row.findall(f"{_W}tc") for row in rows]
    two_column_layout = all(len(cells) <= 2 for cells in grid)
    if two_column_layout:
        # Layout tables (header, closing): a whole column per cell, left first.
        for cells in grid:
            for cell in cells:
                yield "\n".join(_cell_lines(cell, depth=depth, footnotes=footnotes))
        return
    # A data table: one line per row, cells joined by " | " as in Markdown.
    for cells in grid:
        yield " | ".join(
            " ".join(_cell_lines(cell, depth=depth, footnotes=footnotes)) for cell in cells
        )


def _cell_lines(cell: Any, *, depth: int, footnotes: dict[str, str]) -> list[str]:
    lines: list[str] = []
    for block in _body_blocks(cell, depth=depth, footnotes=footnotes):
        lines.extend(block.split("\n"))
    return lines


def _paragraph_text(paragraph: Any) -> str:
    """Text of a w:p with tabs and line breaks, skipping deleted revisions."""
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)
