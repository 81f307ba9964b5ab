"""Build realistic Word (.docx) and PDF versions of the seed samples.

Why: the readers in ``extractor.readers`` must cope with directive documents as
Vietnamese offices really lay them out, not only with the flat ``.txt`` dumps.
The tests use ``samples/<stem>.docx`` and ``samples/<stem>.pdf`` as fixtures and
check that the txt, docx and pdf versions of one document yield the same zones
and section headings. So each file carries exactly the text of its ``.txt``,
laid out the way Word documents are:

* the header is a borderless two-column table: issuing body, ``*`` and
  ``Số …`` on the left; the motto (underlined) and the italic place-date line
  on the right, the date level with the number line;
* doc type and title centred and bold; body justified with a first-line
  indent; ``I.``/``1.``/``1.1.`` headings bold;
* the closing is a borderless two-column table: ``Nơi nhận:`` (bold italic)
  and the recipient lines (small font) on the left, the signer block
  (authority lines, room for the signature, name) on the right;
* markdown/HTML artefacts of the txt become formatting: ``**bold**`` and
  ``*italic*`` runs, ``<p>``/``<i>`` cells, markdown tables as one real Word
  table (the page-split continuation tables of the txt are merged), the
  ``¹`` footnote as a real footnote, ``[bookmark: _GoBack]`` as a real
  bookmark;
* Times New Roman 14 pt, A4, margins 2/2/3/2 cm, ``Trang <PAGE>`` footer.

Only content present in the txt is used: a sample without a header in its txt
gets no header table (001 has only a place-date line, so its table has an empty
left cell). Line structure is kept: a txt line is a paragraph, except the
lines of one markup span (a ``**…**`` crossing lines) and consecutive title
lines, which make one paragraph with line breaks (Shift+Enter).

How: parse each txt into zones, write the docx with python-docx, then convert
it to PDF with LibreOffice headless (``soffice``; it substitutes the
metric-compatible Liberation Serif for Times New Roman; version 2, from
fonts-liberation2, has the Vietnamese glyphs, 1.x does not).

The generated files are committed; CI does NOT run this script. To regenerate
(needs LibreOffice and a Times-compatible font with Vietnamese glyphs:
``apt-get install -y libreoffice-writer-nogui fonts-liberation2``)::

    python scripts/make_samples.py            # all samples/*.txt
    python scripts/make_samples.py 002_7956c4d43d58e490 --check
    python scripts/make_samples.py --docx-only  # without LibreOffice
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
FONT = "Times New Roman"
BODY_PT = 14
#: Fixed document dates and zip timestamps, so re-running gives the same docx.
FIXED_TIME = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

DOC_TYPES = frozenset(
    {
        "KẾ HOẠCH",
        "HƯỚNG DẪN",
        "CHỈ THỊ",
        "QUYẾT ĐỊNH",
        "THÔNG BÁO",
        "NGHỊ QUYẾT",
        "KẾT LUẬN",
        "QUY ĐỊNH",
        "QUY CHẾ",
        "BÁO CÁO",
        "CHƯƠNG TRÌNH",
        "TỜ TRÌNH",
        "ĐỀ ÁN",
    }
)
MOTTO_RE = re.compile(r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H[OÒ]À XÃ HỘI|Độc lập\s*[-–]\s*Tự do)")
PLACE_DATE_RE = re.compile(r"^[^\W\d][^,\n]{1,40}, ngày\b.*\bnăm \d{4}\.?$")
NUMBER_RE = re.compile(r"^Số\b")
ROMAN_RE = re.compile(r"^[IVX]+\s*[.\-–]\s")
NUM1_RE = re.compile(r"^\d+\.\s")
NUM2_RE = re.compile(r"^\d+\.\d+\.?\s")
LETTER_RE = re.compile(r"^[a-zđ]\)\s")
BODY_CUE_RE = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Theo|Để|Nhằm)\b")
ANNEX_RE = re.compile(r"^(DANH MỤC|PHỤ LỤC|MẪU|BIỂU)\b")
SEPARATOR_RE = re.compile(r"^[-–—_]{3,}$")
LIST_RE = re.compile(r"^[-+•]")

BOLD_RE = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
ITALIC_RE = re.compile(r"\*(?=[^\s*])([^\n*]+?)(?<=\S)\*")
SPECIAL_RE = re.compile(r"\[bookmark: ([^\]]+)\]|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)|(\n)")
HTML_TAG_RE = re.compile(r"(</?(?:i|em|b|strong)>|<br\s*/?>)", re.IGNORECASE)
MD_SEPARATOR_CELL_RE = re.compile(r"^:?-+:?$")

RunKind = Literal["text", "break", "para", "bookmark", "footnote"]
Align = Literal["both", "center", "left"]
ALIGN = MappingProxyType(
    {
        "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }
)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Run:
    """A piece of inline content.

    ``kind`` is ``text`` (``text`` is shown), ``break`` (a line break inside a
    paragraph), ``para`` (a paragraph boundary, only while parsing),
    ``bookmark`` (``text`` is the bookmark name) or ``footnote`` (``text`` is
    the footnote mark, e.g. ``¹``).
    """

    text: str = ""
    bold: bool = False
    italic: bool = False
    kind: RunKind = "text"


@dataclass(frozen=True)
class Para:
    """One paragraph of the txt: its runs and how many blank lines preceded it."""

    runs: tuple[Run, ...]
    blank_before: int = 0

    @property
    def plain(self) -> str:
        """Return the visible text (line breaks as newlines, footnote marks dropped)."""
        return "".join(
            r.text if r.kind == "text" else "\n" if r.kind == "break" else "" for r in self.runs
        ).strip()

    def lines(self) -> list[Para]:
        """Split the paragraph at its line breaks, one ``Para`` per visual line."""
        out: list[list[Run]] = [[]]
        for run in self.runs:
            if run.kind == "break":
                out.append([])
            else:
                out[-1].append(run)
        return [Para(tuple(r)) for r in out]


@dataclass(frozen=True)
class Table:
    """A table of the txt (markdown): rows of cells, each cell a tuple of paragraphs."""

    rows: tuple[tuple[tuple[Para, ...], ...], ...]
    header_rows: int
    blank_before: int = 0


Item = Para | Table


@dataclass(frozen=True)
class Layout:
    """The zones of one document, as they are laid out in Word."""

    header_left: tuple[Para, ...] = ()
    header_right: tuple[Para, ...] = ()
    doc_type: Para | None = None
    title: tuple[Para, ...] = ()
    body: tuple[Item, ...] = ()
    footnotes: tuple[tuple[str, Para], ...] = ()
    recipients_label: Para | None = None
    recipients: tuple[Para, ...] = ()
    signer_authority: tuple[Para, ...] = ()
    signer_name: Para | None = None
    annex: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Style:
    """Paragraph formatting applied on top of the runs' own bold/italic."""

    align: Align = "both"
    indent_cm: float = 1.0
    size: float = BODY_PT
    bold: bool = False
    italic: bool = False
    underline: bool = False
    before_pt: float = 0
    after_pt: float = 6
    keep_with_next: bool = False
    page_break_before: bool = False


BODY = Style()
CELL = Style(align="center", indent_cm=0, after_pt=0)


# --------------------------------------------------------------------------- parsing


def parse_inline(text: str) -> list[Run]:
    """Turn one txt block with ``**bold**``/``*italic*`` markup into runs.

    A newline inside a markup span becomes a line break, any other newline a
    paragraph boundary. A star that opens no span stays literal (``*``).

    >>> [(r.text, r.bold) for r in parse_inline("a **b** c")]
    [('a ', False), ('b', True), (' c', False)]
    """
    runs: list[Run] = []
    pos = 0
    for m in BOLD_RE.finditer(text):
        runs += _parse_italics(text[pos : m.start()], bold=False)
        runs += _parse_italics(m.group(1), bold=True)
        pos = m.end()
    runs += _parse_italics(text[pos:], bold=False)
    return runs


def _parse_italics(text: str, *, bold: bool) -> list[Run]:
    """Split ``text`` at ``*italic*`` spans (within one line)."""
    runs: list[Run] = []
    pos = 0
    for m in ITALIC_RE.finditer(text):
        runs += _parse_specials(text[pos : m.start()], bold=bold, italic=False)
        runs += _parse_specials(m.group(1), bold=bold, italic=True)
        pos = m.end()
    runs += _parse_specials(text[pos:], bold=bold, italic=False)
    return runs


def _parse_specials(text: str, *, bold: bool, italic: bool) -> list[Run]:
    """Split plain text at bookmarks, footnote marks and newlines."""
    runs: list[Run] = []
    pos = 0
    for m in SPECIAL_RE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold, italic))
        if m.group(1):
            runs.append(Run(m.group(1), kind="bookmark"))
        elif m.group(2):
            runs.append(Run(m.group(2), kind="footnote"))
        else:
            runs.append(Run(kind="break" if bold or italic else "para"))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return runs


def parse_cell_html(cell: str) -> tuple[Para, ...]:
    """Turn a markdown table cell with ``<p>``/``<i>`` HTML into paragraphs.

    >>> [p.plain for p in parse_cell_html("<p>1. a</p> <p><i>b</i></p>")]
    ['1. a', 'b']
    """
    cell = cell.strip()
    if not cell:
        return ()
    parts = re.findall(r"<p>(.*?)</p>", cell, re.DOTALL | re.IGNORECASE) or [cell]
    paras = []
    for part in parts:
        runs: list[Run] = []
        bold = italic = False
        for piece in HTML_TAG_RE.split(part):
            tag = piece.lower()
            if tag in {"<i>", "<em>", "</i>", "</em>"}:
                italic = not tag.startswith("</")
            elif tag in {"<b>", "<strong>", "</b>", "</strong>"}:
                bold = not tag.startswith("</")
            elif tag.startswith("<br"):
                runs.append(Run(kind="break"))
            elif piece:
                runs.append(Run(html.unescape(re.sub(r"<[^>]+>", "", piece)), bold, italic))
        paras.append(Para(tuple(runs)))
    return tuple(paras)


def _md_cells(line: str) -> list[str]:
    """Split one markdown table row into its cell texts."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _make_table(lines: Sequence[str], blank_before: int) -> Table:
    """Build one table from markdown rows; later tables' empty header rows are dropped.

    The txt holds a long table as several markdown tables because the source
    split it at page breaks; in Word it is one table.
    """
    rows: list[tuple[tuple[Para, ...], ...]] = []
    header_rows = 0
    for i, line in enumerate(lines):
        cells = _md_cells(line)
        if all(MD_SEPARATOR_CELL_RE.match(c) for c in cells):
            continue
        if not any(cells):
            continue
        rows.append(tuple(parse_cell_html(c) for c in cells))
        if i == 0:
            header_rows = 1
    return Table(tuple(rows), header_rows, blank_before)


def split_items(text: str) -> list[Item]:
    """Split the txt into paragraphs and tables, in order.

    Blank lines separate blocks; a block is parsed for markup as a whole (so a
    bold span may cross lines), then cut into paragraphs. Markdown table rows
    separated only by blank lines make one table.
    """
    lines = [line.strip(" \t\r\ufeff") for line in text.split("\n")]
    items: list[Item] = []
    i, blank = 0, 0
    while i < len(lines):
        if not lines[i]:
            blank += 1
            i += 1
            continue
        if lines[i].startswith("|"):
            rows: list[str] = []
            while i < len(lines) and (lines[i].startswith("|") or not lines[i]):
                if lines[i]:
                    rows.append(lines[i])
                i += 1
            items.append(_make_table(rows, blank))
            blank = 0
            continue
        block: list[str] = []
        while i < len(lines) and lines[i] and not lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        items.extend(_block_paras(parse_inline("\n".join(block)), blank))
        blank = 0
    return items


def _block_paras(runs: Iterable[Run], blank_before: int) -> Iterator[Para]:
    """Cut a block's runs at paragraph boundaries."""
    current: list[Run] = []
    first = True
    for run in [*runs, Run(kind="para")]:
        if run.kind != "para":
            current.append(run)
            continue
        if current:
            yield Para(tuple(current), blank_before if first else 0)
            first = False
        current = []


def _join_lines(paras: Sequence[Para]) -> Para:
    """Join paragraphs into one, separated by line breaks."""
    runs: list[Run] = []
    for n, para in enumerate(paras):
        if n:
            runs.append(Run(kind="break"))
        runs.extend(para.runs)
    return Para(tuple(runs), paras[0].blank_before)


def parse_layout(text: str) -> Layout:
    """Assign the txt's paragraphs and tables to the zones of a Word layout."""
    items = split_items(text)
    paras_at = [i for i, it in enumerate(items) if isinstance(it, Para)]

    def para(i: int) -> Para:
        item = items[i]
        assert isinstance(item, Para)
        return item

    # Doc type: the first line that is only a type word; before it, the header.
    dt_index = next((i for i in paras_at if para(i).plain in DOC_TYPES), None)
    start = 0 if dt_index is None else dt_index + 1
    header = [para(i) for i in paras_at if dt_index is not None and i < dt_index]
    left, right = _split_header(header)

    # Title: short lines after the doc type, up to a "-----" line or the body.
    title: list[Para] = []
    i = start
    while dt_index is not None and i < len(items) and isinstance(items[i], Para):
        plain = para(i).plain
        if SEPARATOR_RE.match(plain):
            title.append(para(i))
            i += 1
            break
        if len(plain) > 160 or BODY_CUE_RE.match(plain) or ROMAN_RE.match(plain):
            break
        if title and para(i).blank_before == 0 and not SEPARATOR_RE.match(title[-1].plain):
            title[-1] = _join_lines([title[-1], para(i)])
        else:
            title.append(para(i))
        i += 1
    body_start = i

    # Closing: "Nơi nhận:", the recipient lines, the signer block; then an annex.
    closing = next(
        (
            j
            for j in range(body_start, len(items))
            if isinstance(items[j], Para) and para(j).plain.startswith("Nơi nhận")
        ),
        len(items),
    )
    j = closing + 1
    recipients: list[Para] = []
    while j < len(items) and isinstance(items[j], Para) and LIST_RE.match(para(j).plain):
        recipients.append(para(j))
        j += 1
    signer: list[Para] = []
    while j < len(items) and isinstance(items[j], Para) and not ANNEX_RE.match(para(j).plain):
        signer.extend(line for line in para(j).lines() if line.plain)
        j += 1

    body, footnotes = _split_footnotes(items[body_start:closing])
    return Layout(
        header_left=tuple(left),
        header_right=tuple(right),
        doc_type=para(dt_index) if dt_index is not None else None,
        title=tuple(title),
        body=tuple(body),
        footnotes=tuple(footnotes),
        recipients_label=para(closing) if closing < len(items) else None,
        recipients=tuple(recipients),
        signer_authority=tuple(signer[:-1]),
        signer_name=signer[-1] if signer else None,
        annex=tuple(items[j:]),
    )


def _split_header(header: Sequence[Para]) -> tuple[list[Para], list[Para]]:
    """Put motto and place-date on the right, the rest on the left.

    The place-date line is padded down to the level of the ``Số …`` line, as
    in the printed documents.
    """
    lines = [line for p in header for line in p.lines() if line.plain]
    left = [p for p in lines if not (MOTTO_RE.match(p.plain) or PLACE_DATE_RE.match(p.plain))]
    motto = [p for p in lines if MOTTO_RE.match(p.plain)]
    dates = [p for p in lines if PLACE_DATE_RE.match(p.plain)]
    number_at = next((n for n, p in enumerate(left) if NUMBER_RE.match(p.plain)), None)
    right = list(motto)
    if dates and number_at is not None:
        right += [Para(())] * max(number_at - len(right), 0)
    return left, right + dates


def _split_footnotes(items: Sequence[Item]) -> tuple[list[Item], list[tuple[str, Para]]]:
    """Take out paragraphs that start with a footnote mark (``¹ …``)."""
    body: list[Item] = []
    notes: list[tuple[str, Para]] = []
    for item in items:
        if isinstance(item, Para) and item.runs and item.runs[0].kind == "footnote":
            rest = list(item.runs[1:])
            if rest and rest[0].kind == "text":
                rest[0] = replace(rest[0], text=rest[0].text.lstrip())
            notes.append((item.runs[0].text, Para(tuple(rest))))
        else:
            body.append(item)
    return body, notes


def body_style(para: Para) -> Style:
    """Choose the Word formatting of a body paragraph from its text."""
    plain = para.plain
    first = plain.split("\n", 1)[0]
    short = len(plain) <= 100 and not plain.endswith((".", ";", ","))
    if ROMAN_RE.match(plain):
        return replace(BODY, bold=True, keep_with_next=True, before_pt=6)
    if NUM2_RE.match(plain) and short:
        return replace(BODY, bold=True, italic=True, keep_with_next=True)
    if NUM1_RE.match(plain) and short:
        return replace(BODY, bold=True, keep_with_next=True)
    if LETTER_RE.match(plain) and short:
        return replace(BODY, italic=True, keep_with_next=True)
    if SEPARATOR_RE.match(plain):
        return replace(BODY, align="center", indent_cm=0)
    if PLACE_DATE_RE.match(first):
        return replace(BODY, align="center", indent_cm=0, italic=True)
    if plain == plain.upper() and any(c.isalpha() for c in plain):
        return replace(BODY, align="center", indent_cm=0, bold=True, after_pt=0)
    return BODY


# --------------------------------------------------------------------------- writing


@dataclass
class DocWriter:
    """Writes a ``Layout`` into a python-docx ``Document`` (one per document)."""

    doc: DocxDocument = field(default_factory=Document)
    _footnotes: dict[str, Para] = field(default_factory=dict)
    _footnotes_el: BaseOxmlElement | None = None
    _next_id: int = 1

    def write(self, layout: Layout) -> DocxDocument:
        """Lay out all zones and return the document."""
        self._setup()
        self._footnotes = dict(layout.footnotes)
        if layout.header_left or layout.header_right:
            self._two_column_table(
                (7.6, 8.4),
                [(p, replace(CELL, size=13, after_pt=0)) for p in layout.header_left],
                [(p, self._header_right_style(p)) for p in layout.header_right],
            )
        if layout.doc_type is not None:
            style = Style(align="center", indent_cm=0, size=15, bold=True, before_pt=18)
            self.paragraph(layout.doc_type, replace(style, after_pt=0, keep_with_next=True))
        for p in layout.title:
            self.paragraph(p, Style(align="center", indent_cm=0, bold=True, keep_with_next=True))
        if layout.title:
            self.doc.paragraphs[-1].paragraph_format.space_after = Pt(12)
        for item in layout.body:
            self.item(item, body_style)
        if layout.recipients_label is not None or layout.signer_name is not None:
            self._closing(layout)
        self._annex(layout.annex)
        return self.doc

    # -- document setup

    def _setup(self) -> None:
        """Set fonts, page size, margins, footer page number and properties."""
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        rpr.append(lang)
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Trang ").font.size = Pt(12)
        _add_field(footer, "PAGE", size=12)
        props = self.doc.core_properties
        props.author = props.last_modified_by = "vanban"
        props.title = props.subject = props.comments = props.keywords = ""
        props.created = props.modified = FIXED_TIME
        props.revision = 1

    # -- blocks

    def item(self, item: Item, style_of: Callable[[Para], Style]) -> None:
        """Write one paragraph (styled by ``style_of``) or table."""
        if isinstance(item, Table):
            self.table(item)
        else:
            self.paragraph(item, style_of(item))

    def paragraph(self, para: Para, style: Style, target: Paragraph | None = None) -> Paragraph:
        """Write ``para`` into a new body paragraph (or into ``target``)."""
        p = target if target is not None else self.doc.add_paragraph()
        _format(p, style)
        for run in para.runs:
            if run.kind == "text":
                r = p.add_run(run.text)
                r.bold = run.bold or style.bold or None
                r.italic = run.italic or style.italic or None
                r.underline = style.underline or None
                r.font.size = Pt(style.size)
            elif run.kind == "break":
                p.add_run().add_break()
            elif run.kind == "bookmark":
                self._bookmark(p, run.text)
            elif run.kind == "footnote":
                self._footnote_reference(p, run.text)
        return p

    def table(self, table: Table) -> None:
        """Write a data table (annex) with grid borders."""
        widths = (2.6, 11.4, 2.0) if len(table.rows[0]) == 3 else None
        t = self.doc.add_table(rows=len(table.rows), cols=len(table.rows[0]))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_widths(t, widths or [16 / len(table.rows[0])] * len(table.rows[0]))
        for r, row in enumerate(table.rows):
            for c, cell_paras in enumerate(row):
                header = r < table.header_rows
                style = Style(
                    align="center" if header or c != 1 else "both",
                    indent_cm=0,
                    size=12,
                    bold=header,
                    after_pt=3,
                )
                self._fill_cell(t.cell(r, c), [(p, style) for p in cell_paras])

    def _closing(self, layout: Layout) -> None:
        """Write the borderless "Nơi nhận" / signer table."""
        left: list[tuple[Para, Style]] = []
        small = Style(align="left", indent_cm=0, size=11, after_pt=0)
        if layout.recipients_label is not None:
            left.append((layout.recipients_label, replace(small, size=12, bold=True, italic=True)))
        left += [(p, small) for p in layout.recipients]
        sign = Style(align="center", indent_cm=0, bold=True, after_pt=0)
        right = [(p, sign) for p in layout.signer_authority]
        if layout.signer_name is not None:
            right += [(Para(()), sign)] * 4 + [(layout.signer_name, sign)]
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)
        row = self._two_column_table((7.8, 8.2), left, right)
        # Keep the signature block on one page with its recipients, as clerks do.
        row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def _annex(self, items: Sequence[Item]) -> None:
        """Write the annex on a new page: centred heading lines, tables, notes."""
        seen_table = False
        for n, item in enumerate(items):
            if isinstance(item, Table):
                self.table(item)
                seen_table = True
                continue
            if seen_table:
                style = Style(align="left", indent_cm=0, size=12, italic=True, before_pt=6)
            elif item.plain.startswith("("):
                style = Style(align="center", indent_cm=0, italic=True, after_pt=12)
            else:
                style = Style(align="center", indent_cm=0, bold=True, after_pt=0)
            self.paragraph(item, replace(style, page_break_before=n == 0, keep_with_next=True))

    @staticmethod
    def _header_right_style(para: Para) -> Style:
        """Motto bold and underlined; place-date italic; padding as tall as the left lines."""
        if not para.plain:
            return replace(CELL, size=13)
        if MOTTO_RE.match(para.plain):
            return replace(CELL, bold=True, underline=True)
        return replace(CELL, italic=True)

    def _two_column_table(
        self,
        widths: tuple[float, float],
        left: Sequence[tuple[Para, Style]],
        right: Sequence[tuple[Para, Style]],
    ) -> CT_Row:
        """Write a borderless 1×2 layout table (as Word headers and signatures are).

        Return its row element.
        """
        t = self.doc.add_table(rows=1, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        t._tbl.tblPr.insert_element_before(
            borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
        )
        _set_widths(t, widths)
        self._fill_cell(t.cell(0, 0), left)
        self._fill_cell(t.cell(0, 1), right)
        row: CT_Row = t.rows[0]._tr
        return row

    def _fill_cell(self, cell: _Cell, paras: Sequence[tuple[Para, Style]]) -> None:
        """Write paragraphs into a table cell (reusing its first empty paragraph)."""
        for n, (para, style) in enumerate(paras):
            target = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            self.paragraph(para, style, target)

    # -- inline objects

    def _bookmark(self, p: Paragraph, name: str) -> None:
        """Insert an empty bookmark (e.g. Word's ``_GoBack``) at this point."""
        bid = str(self._next_id)
        self._next_id += 1
        for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
            el = OxmlElement(tag)
            el.set(qn("w:id"), bid)
            if tag == "w:bookmarkStart":
                el.set(qn("w:name"), name)
            p._p.append(el)

    def _footnote_reference(self, p: Paragraph, mark: str) -> None:
        """Insert a real footnote whose text is the txt's ``mark …`` paragraph."""
        note = self._footnotes.get(mark)
        if note is None:  # a mark without its note: keep the character
            p.add_run(mark).font.size = Pt(BODY_PT)
            return
        fid = self._new_footnote(note)
        run = OxmlElement("w:r")
        run.append(_superscript_rpr())
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(fid))
        run.append(ref)
        p._p.append(run)

    def _new_footnote(self, note: Para) -> int:
        """Add the footnotes part on first use, then one footnote; return its id."""
        if self._footnotes_el is None:
            xml = (
                f"<w:footnotes {nsdecls('w')}>"
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
                "</w:p></w:footnote>"
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                "<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
            )
            element = parse_xml(xml)
            part = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, self.doc.part.package
            )
            self.doc.part.relate_to(part, RT.FOOTNOTES)
            self._footnotes_el = element
        fid = len(self._footnotes_el) - 1  # after the two separators: 1, 2, …
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(fid))
        p_el = OxmlElement("w:p")
        footnote.append(p_el)
        self._footnotes_el.append(footnote)
        p = Paragraph(p_el, None)  # type: ignore[arg-type]
        ref = OxmlElement("w:r")
        ref.append(_superscript_rpr())
        ref.append(OxmlElement("w:footnoteRef"))
        p._p.append(ref)
        runs = (Run(" "), *note.runs)
        self.paragraph(Para(runs), Style(indent_cm=0, size=12, after_pt=0), p)
        return fid


def _format(p: Paragraph, style: Style) -> None:
    """Apply paragraph-level formatting."""
    pf = p.paragraph_format
    p.alignment = ALIGN[style.align]
    pf.first_line_indent = Cm(style.indent_cm) if style.indent_cm else None
    pf.space_before = Pt(style.before_pt)
    pf.space_after = Pt(style.after_pt)
    pf.line_spacing = 1.0
    pf.keep_with_next = style.keep_with_next or None
    pf.page_break_before = style.page_break_before or None
    # The paragraph mark's size sets the height of an empty line (header padding).
    ppr = p._p.get_or_add_pPr()
    mark = ppr.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        ppr.append(mark)  # last child of w:pPr, as the schema orders it
    mark.get_or_add_sz().val = Pt(style.size)


def _set_widths(table: DocxTable, widths_cm: Sequence[float]) -> None:
    """Fix column widths (grid and every cell) and the fixed layout."""
    table.autofit = False
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _superscript_rpr() -> BaseOxmlElement:
    """Return ``<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>``."""
    rpr = OxmlElement("w:rPr")
    va = OxmlElement("w:vertAlign")
    va.set(qn("w:val"), "superscript")
    rpr.append(va)
    return rpr


def _add_field(p: Paragraph, instruction: str, *, size: float) -> None:
    """Append a complex field (e.g. ``PAGE``) showing a placeholder until updated."""
    for kind, payload in (
        ("begin", None),
        ("instr", f" {instruction} "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = p.add_run()
        run.font.size = Pt(size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = payload
        elif kind == "text":
            run.text = payload or ""
            continue
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def save_docx(doc: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps, so regenerating gives the same bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    path.write_bytes(out.getvalue())


def build_docx(txt: Path, out: Path) -> Layout:
    """Parse ``txt`` and write its Word version to ``out``; return the layout."""
    layout = parse_layout(txt.read_text(encoding="utf-8"))
    save_docx(DocWriter().write(layout), out)
    return layout


# --------------------------------------------------------------------------- PDF


def find_soffice() -> str:
    """Return the LibreOffice executable or exit with a clear message."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit(
            "make_samples: LibreOffice ('soffice') is not installed; it converts the .docx to "
            ".pdf.\nInstall it to regenerate: "
            "apt-get install -y libreoffice-writer-nogui fonts-liberation2\n"
            "(CI does not run this script; it uses the committed samples.)"
        )
    return exe


def check_font() -> None:
    """Exit unless the font that stands in for Times New Roman has Vietnamese glyphs.

    LibreOffice would otherwise take the Vietnamese letters from another font
    (fonts-liberation 1.x lacks them), which gives mixed-font PDFs.
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return  # no fontconfig to ask; LibreOffice will do what it can
    done = subprocess.run(
        [fc_match, "-f", "%{family[0]}\t%{lang}", FONT],
        capture_output=True,
        text=True,
        check=False,
    )
    family, _, langs = done.stdout.partition("\t")
    if "vi" not in langs.split("|"):
        sys.exit(
            f"make_samples: the font used for {FONT} ({family or '?'}) has no Vietnamese "
            "glyphs.\nInstall a metric-compatible one: apt-get install -y fonts-liberation2"
        )


def convert_to_pdf(soffice: str, docx_files: Sequence[Path], outdir: Path) -> None:
    """Convert the docx files with LibreOffice headless into ``outdir``."""
    with tempfile.TemporaryDirectory() as tmp:
        profile, target = Path(tmp, "profile"), Path(tmp, "out")
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(target),
            *map(str, docx_files),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        for docx_file in docx_files:
            pdf = target / f"{docx_file.stem}.pdf"
            if done.returncode != 0 or not pdf.exists():
                sys.exit(f"make_samples: LibreOffice failed on {docx_file}:\n{done.stderr}")
            shutil.move(pdf, outdir / pdf.name)


def check_pdf(pdf: Path, txt: Path) -> str:
    """Describe a generated PDF: pages, and txt words missing from its text layer."""
    import pdfplumber  # a project dependency; only needed for --check

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        text = "\n".join(page.extract_text() or "" for page in doc.pages)

    def words(s: str) -> Counter[str]:
        s = unicodedata.normalize("NFC", s)
        s = re.sub(r"\[bookmark: [^\]]*\]|</?[ib]>|[*¹²³⁴⁵⁶⁷⁸⁹⁰]", "", s)
        s = re.sub(r"</?p>|\|", " ", s)
        return Counter(w for w in s.split() if not set(w) <= set("-:"))

    missing = words(txt.read_text(encoding="utf-8")) - words(text)
    first = ", ".join(sorted(missing)[:8])
    return f"{pdf.name}: {pages} pages, {sum(missing.values())} txt words not in PDF {first}"


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the docx (and, unless --docx-only, pdf) of the chosen samples."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stems", nargs="*", help="sample stems (default: every *.txt)")
    parser.add_argument("--samples", type=Path, default=SAMPLES_DIR, help="samples directory")
    parser.add_argument("--docx-only", action="store_true", help="skip the LibreOffice step")
    parser.add_argument("--check", action="store_true", help="report on each PDF (pdfplumber)")
    args = parser.parse_args(argv)

    txts = [args.samples / f"{s}.txt" for s in args.stems] or sorted(args.samples.glob("*.txt"))
    if missing := [t for t in txts if not t.exists()]:
        parser.error(f"no such sample: {', '.join(map(str, missing))}")
    soffice = None if args.docx_only else find_soffice()
    if soffice is not None:
        check_font()

    docx_files = []
    for txt in txts:
        out = txt.with_suffix(".docx")
        build_docx(txt, out)
        docx_files.append(out)
        print(f"wrote {out}")
    if soffice is not None:
        convert_to_pdf(soffice, docx_files, args.samples)
        for txt in txts:
            pdf = txt.with_suffix(".pdf")
            print(check_pdf(pdf, txt) if args.check else f"wrote {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
