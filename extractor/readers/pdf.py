"""PDF with a text layer, read layout-aware with pdfplumber.

``page.extract_text()`` prints a two-column header row by row
("ĐẢNG BỘ TỈNH TRÀ VINH ĐẢNG CỘNG SẢN VIỆT NAM"). Here words are grouped
into lines, lines into horizontal segments; where segments form two columns
(header, Nơi nhận | signature) each column is written out whole, left first.
Wrapped lines are re-flowed into paragraphs, running headers, footers and page
numbers are dropped, and the offset where each page starts is kept.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

import regex

from extractor.document import RawText
from extractor.errors import CorruptFile, DecompressionBomb, EncryptedPDF, NoTextLayer, TooLarge
from extractor.limits import MAX_DECOMPRESSED_BYTES, MAX_PAGES

_PAGE_LABEL = regex.compile(r"^[-–—(\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—)\s]*$", regex.I)
_LIST_MARKER = regex.compile(
    r"^(?:[-–—+•*]\s|[IVXLC]{1,6}\s*[.\-–)]|\d{1,2}(?:\.\d{1,2}){0,3}\s*[.)]|[a-zđ]\s*\)"
    r"|(?:Điều|Chương|Mục|Phần)\s+\w+|Căn cứ|Thực hiện|Nơi nhận)"
)
#: A gap wider than this many times the font size splits a line into segments.
_SEGMENT_GAP = 2.5
#: The top and bottom share of the page where running headers/footers live.
_MARGIN_SHARE = 0.09


@dataclass(slots=True)
class _Segment:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class _Line:
    segments: list[_Segment]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


def read_pdf(data: bytes, *, path: str = "<input>") -> RawText:
    """Read a text PDF into re-flowed text with page offsets.

    Raises :class:`EncryptedPDF`, :class:`NoTextLayer`, :class:`CorruptFile`,
    :class:`TooLarge` (more than ``MAX_PAGES`` pages) or
    :class:`DecompressionBomb` (streams that would inflate past the limit).
    """
    check_inflation(data, path=path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise EncryptedPDF(path=path) from error
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPDF(path=path) from error
        raise CorruptFile(path=path, detail=f"unreadable PDF: {cause!r}") from error
    except Exception as error:  # pdfminer raises many types (TypeError, KeyError, …) on damage
        raise CorruptFile(path=path, detail=f"unreadable PDF: {error!r}") from error
    try:
        page_count, pages, heights, image_pages = _read_pages(pdf, path)
    finally:
        _close(pdf)
    if not any(pages):
        if page_count == 0:
            raise CorruptFile(path=path, detail="no pages")
        raise NoTextLayer(path=path, detail=str(image_pages or page_count))
    pages = _drop_running_lines(pages, heights)
    _mark_footnotes(pages)
    text, page_starts = _layout(pages)
    warnings: tuple[str, ...] = ()
    if image_pages:
        warnings = (f"{image_pages} page(s) without a text layer were skipped",)
    return RawText(text, "pdf", pages=page_count, page_starts=page_starts, warnings=warnings)


# "stream" then its end of line; a zlib stream opens with a header whose
# low nibble is 8 (deflate) and whose two bytes are a multiple of 31.
_STREAM_DATA = regex.compile(rb"stream\r?\n")
_IMAGE_DICTIONARY = regex.compile(rb"/Subtype\s*/Image")
_INFLATE_CHUNK = 64 * 1024


def check_inflation(data: bytes, *, path: str) -> None:
    """Refuse a PDF whose compressed streams would inflate past the limit (a PDF bomb).

    pdfminer inflates a content or object stream whole, in memory: a few
    hundred KB of deflated blanks become gigabytes, and the process dies
    with every other document of the run. The deflate streams are inflated
    here first, in chunks and only up to what is left of the budget. Image
    streams are skipped: reading text never inflates them, and a blank scan
    compresses a thousandfold.

    >>> import zlib
    >>> check_inflation(b"1 0 obj << >> stream\\n" + zlib.compress(b"BT ET"), path="x.pdf")
    """
    budget = MAX_DECOMPRESSED_BYTES
    view = memoryview(data)
    for found in _STREAM_DATA.finditer(data):
        start = found.end()
        header = data[start : start + 2]
        if len(header) < 2 or header[0] & 0x0F != 8 or (header[0] << 8 | header[1]) % 31:
            continue  # no filter, or a codec other than deflate
        dictionary = data[max(0, data.rfind(b"obj", 0, found.start())) : found.start()]
        if _IMAGE_DICTIONARY.search(dictionary):
            continue
        budget -= _inflated_size(view[start:], budget + 1)
        if budget < 0:
            raise DecompressionBomb(
                path=path, detail=f"streams inflate past {MAX_DECOMPRESSED_BYTES} bytes"
            )


def _inflated_size(compressed: memoryview, limit: int) -> int:
    """Bytes the deflate stream at the start of ``compressed`` inflates to, counted up to ``limit``.

    Never holds more than one chunk of output. A damaged stream counts what
    inflated before the damage: reporting it is pdfminer's business.
    """
    inflater = zlib.decompressobj()
    size = 0
    for offset in range(0, len(compressed), _INFLATE_CHUNK):
        pending: bytes | memoryview = compressed[offset : offset + _INFLATE_CHUNK]
        while pending:
            try:
                size += len(inflater.decompress(pending, _INFLATE_CHUNK))
            except zlib.error:
                # zlib reports damage only by raising: here that is an outcome.
                return size
            if size > limit or inflater.eof:
                return size
            pending = inflater.unconsumed_tail
    return size


def _close(pdf: Any) -> None:
    """Close a pdfplumber PDF whose page tree may be broken.

    ``PDF.close`` walks the page tree again, which raises on the very damage
    that was just reported (or on none, if reading failed earlier); that
    second error would replace the typed one. The close only releases
    caches of an in-memory stream, so a failure there is of no consequence.
    """
    with contextlib.suppress(Exception):
        pdf.close()


def _read_pages(pdf: Any, path: str) -> tuple[int, list[list[_Line]], list[float], int]:
    """The words of every page grouped into lines, the page heights, and the image-only pages."""
    try:
        page_count = len(pdf.pages)
    except Exception as error:  # pdfminer raises many types on broken trees
        raise CorruptFile(path=path, detail=f"broken page tree: {error!r}") from error
    if page_count > MAX_PAGES:
        raise TooLarge(path=path, detail=f"{page_count} pages > limit {MAX_PAGES}")
    pages: list[list[_Line]] = []
    heights: list[float] = []
    image_pages = 0
    for page in pdf.pages:
        try:
            page = _without_superscripts(page)
            words = page.extract_words(
                x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, extra_attrs=["size"]
            )
            has_images = bool(page.images)
            height = float(page.height)
        except Exception as error:  # a damaged content stream on one page
            raise CorruptFile(path=path, detail=f"page {page.page_number}: {error!r}") from error
        if not words and has_images:
            image_pages += 1
        pages.append(_lines(words))
        heights.append(height)
    return page_count, pages, heights, image_pages


def _without_superscripts(page: Any) -> Any:
    """Drop footnote markers: digits set well below the page's usual font size."""
    sizes = Counter(round(float(char["size"])) for char in page.chars)
    if not sizes:
        return page
    body_size = sizes.most_common(1)[0][0]

    def keep(obj: dict[str, Any]) -> bool:
        return not (
            obj.get("object_type") == "char"
            and str(obj.get("text", "")).isdigit()
            and float(obj.get("size", body_size)) < 0.75 * body_size
        )

    return page.filter(keep)


def _lines(words: list[dict[str, object]]) -> list[_Line]:
    """Group words into lines by vertical position, and lines into segments."""
    ordered = sorted(words, key=lambda w: (float(w["top"]), float(w["x0"])))  # type: ignore[arg-type]
    rows: list[list[dict[str, object]]] = []
    for word in ordered:
        top = float(word["top"])  # type: ignore[arg-type]
        if rows and abs(float(rows[-1][0]["top"]) - top) <= 2.5:  # type: ignore[arg-type]
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: float(w["x0"]))  # type: ignore[arg-type]
        segments: list[_Segment] = []
        for word in row:
            x0, x1 = float(word["x0"]), float(word["x1"])  # type: ignore[arg-type]
            size = float(word.get("size") or 12)  # type: ignore[arg-type]
            top, bottom = float(word["top"]), float(word["bottom"])  # type: ignore[arg-type]
            if segments and x0 - segments[-1].x1 <= _SEGMENT_GAP * size:
                last = segments[-1]
                text = str(word["text"])
                # The size of a segment is that of most of its characters: a
                # footnote's number may be set larger than its text.
                last.size = (last.size * len(last.text) + size * len(text)) / (
                    len(last.text) + len(text)
                )
                last.text += " " + text
                last.x1 = x1
                last.bottom = max(last.bottom, bottom)
            else:
                segments.append(_Segment(str(word["text"]), x0, x1, top, bottom, size))
        lines.append(_Line(segments, min(s.top for s in segments), max(s.bottom for s in segments)))
    return lines


_FOOTNOTE_START = regex.compile(r"^(\d{1,3})\s+(?=\S)")
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _mark_footnotes(pages: list[list[_Line]]) -> None:
    """Write a footnote's number as a superscript, as Word and text exports do.

    A footnote is a line in a smaller font than the running text that opens
    with a number; without the mark "1 Quy định số …" reads as item 1.
    """
    sizes = Counter(round(s.size) for lines in pages for line in lines for s in line.segments)
    if not sizes:
        return
    body_size = sizes.most_common(1)[0][0]
    for lines in pages:
        for line in lines:
            first = line.segments[0]
            found = _FOOTNOTE_START.match(first.text)
            if found and first.size < 0.93 * body_size:
                number = found.group(1).translate(_SUPERSCRIPT_DIGITS)
                first.text = number + first.text[len(found.group(1)) :]


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Remove page numbers and headers/footers repeated in the page margins."""

    def in_margin(line: _Line, height: float) -> bool:
        return line.top < height * _MARGIN_SHARE or line.bottom > height * (1 - _MARGIN_SHARE)

    def shape(text: str) -> str:
        return regex.sub(r"\d+", "#", text.strip().casefold())

    repeated = Counter(
        shape(line.text)
        for lines, height in zip(pages, heights, strict=True)
        for line in {shape(x.text): x for x in lines if in_margin(x, height)}.values()
    )
    kept: list[list[_Line]] = []
    for lines, height in zip(pages, heights, strict=True):
        kept.append(
            [
                line
                for line in lines
                if not (
                    in_margin(line, height)
                    and (
                        _PAGE_LABEL.match(line.text)
                        or (len(pages) > 2 and repeated[shape(line.text)] > 2)
                    )
                )
            ]
        )
    return kept


def _layout(pages: list[list[_Line]]) -> tuple[str, tuple[int, ...]]:
    """Write pages out: columns unmixed, wrapped lines joined into paragraphs."""
    left, right = _text_margins(pages)
    out: list[str] = []
    page_starts: list[int] = []
    length = 0
    previous: _Line | None = None
    for lines in pages:
        page_starts.append(length + (2 if out else 0))
        for block in _column_blocks(lines):
            if isinstance(block, list):
                # A two-column block: each column is its own run of lines.
                for column in block:
                    text = "\n".join(column)
                    length += _append(out, text, new_paragraph=True)
                previous = None
                continue
            line = block
            joins = previous is not None and _continues(previous, line, left, right)
            length += _append(out, line.text, new_paragraph=not joins)
            previous = line
    return "".join(out), tuple(page_starts)


def _append(out: list[str], text: str, *, new_paragraph: bool) -> int:
    separator = ("\n\n" if new_paragraph else " ") if out else ""
    out.append(separator + text)
    return len(separator) + len(text)


def _continues(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """Tell whether ``line`` continues the paragraph of ``previous`` (a wrapped line)."""
    line_height = max(previous.bottom - previous.top, 1.0)
    same_page_gap = line.top - previous.bottom
    if 0 <= same_page_gap > 1.2 * line_height:
        return False
    reaches_margin = previous.x1 >= right - 0.08 * (right - left)
    starts_at_margin = abs(line.x0 - left) <= 3
    # A line that opens with a list marker starts a new item, unless the line
    # before it breaks mid-sentence ("… (mục" / "1.2).").
    ends_sentence = previous.text.rstrip().endswith((".", ":", ";", "!", "?"))
    starts_item = bool(_LIST_MARKER.match(line.text)) and ends_sentence
    return reaches_margin and starts_at_margin and not starts_item


def _column_blocks(lines: list[_Line]) -> list[_Line | list[list[str]]]:
    """Split a page's lines into single lines and two-column blocks.

    A two-column block starts at a line with text on both sides of a gutter
    and runs on while each line sits wholly left of the right column or wholly
    right of the left column. The column edges widen as the block grows, so a
    long recipient line under a short "Nơi nhận:" stays in the left column.
    """
    blocks: list[_Line | list[list[str]]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if len(line.segments) < 2:
            blocks.append(line)
            index += 1
            continue
        right_start = line.segments[1].x0
        left_end = line.segments[0].x1
        left_column: list[str] = []
        right_column: list[str] = []
        end = index
        while end < len(lines):
            member = lines[end]
            placed: list[tuple[bool, _Segment]] = []
            for segment in member.segments:
                if segment.x1 < right_start - 2:
                    placed.append((True, segment))
                elif segment.x0 > left_end + 2:
                    placed.append((False, segment))
                else:
                    break
            else:
                for is_left, segment in placed:
                    if is_left:
                        left_column.append(segment.text)
                        left_end = max(left_end, segment.x1)
                    else:
                        right_column.append(segment.text)
                        right_start = min(right_start, segment.x0)
                end += 1
                continue
            break
        blocks.append([column for column in (left_column, right_column) if column])
        index = max(end, index + 1)
    return blocks


def _text_margins(pages: list[list[_Line]]) -> tuple[float, float]:
    """Left and right edges of the running text.

    The right edge is where most single-column lines end (justified text);
    the left edge is where the lines that reach it most often start, so
    indented first lines, centred titles and tables do not pull it away.
    """
    body = [line for lines in pages for line in lines if len(line.segments) == 1]
    if not body:
        return 0.0, 0.0
    right = float(Counter(round(line.x1) for line in body).most_common(1)[0][0])
    full = [line for line in body if line.x1 >= right - 6] or body
    left = float(Counter(round(line.x0) for line in full).most_common(1)[0][0])
    return left, max(right, left + 1)
