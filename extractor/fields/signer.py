"""The closing block of a directive, and its signer.

A directive closes with two columns: the "Nơi nhận" list on the left, the
signature block on the right (authority "T/M BAN THƯỜNG VỤ", "KT. BỘ TRƯỞNG";
position "PHÓ BÍ THƯ"; the signer's name). Readers write one column after
the other, but flattened copies interleave them line by line ("Nơi nhận: T/M
BAN THƯỜNG VỤ", "- Ban Tuyên giáo Tỉnh ủy (b/c), PHÓ BÍ THƯ"), put table cells
between pipes ("| TM. ỦY BAN NHÂN DÂN |"), and PDF copies may print the
signature before the list.

:func:`read_closing` reads the lines after an anchor (a "Nơi nhận" heading, an
authority line, or a position line followed by a name) piece by piece, sends
each piece to the list or to the signature, and stops at the first piece that
belongs to neither (an annex title, body text). The zones of the structure
stage are not trusted here: an annex form may carry its own "Nơi nhận"
template, and the signature of a long decree may sit in its first half.
The vocabulary lives in ``data/closing.json``.

>>> from extractor.document import Document
>>> text = "Nơi nhận:\\n- Như trên;\\n- Lưu: VT.\\nKT. BỘ TRƯỞNG\\nTHỨ TRƯỞNG\\n(Đã ký)\\nLê Văn A"
>>> parts = extract_signer(Context.of(Document.from_text(text)))
>>> {key: found.value for key, found in parts.items()}
{'authority': 'KT. BỘ TRƯỞNG', 'position': 'THỨ TRƯỞNG', 'name': 'Lê Văn A'}
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found, Span
from extractor.structure.lines import Line, line_patterns

#: A closing rarely runs past this many lines (a central decree lists ~20
#: recipients, some wrapped); the bound also keeps adversarial input linear.
_MAX_WINDOW_LINES = 150
#: A piece longer than this is body text, not a recipient or signature line.
_MAX_PIECE_CHARS = 2000
#: Authority and position lines are short ("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI").
_MAX_CAPS_CHARS = 90
_MAX_POSITION_WORDS = 8
#: A signature line with the name on it ("PHÓ BÍ THƯ Phạm Phước Trãi") is no longer.
_MAX_SIGNATURE_LINE_CHARS = 140
#: Closing blocks tried before giving up: a real closing comes early among
#: them (annex forms follow it); the bound keeps hostile input linear.
_MAX_BLOCKS = 40
#: Candidate lines examined per document (see ``_candidate_lines``).
_MAX_CANDIDATES = 5000
#: A list printed this close after the signature belongs to it (PDF runs).
_NEAR_SIGNATURE_LINES = 3
#: Lines looked at after a position line for the signer's name.
_NAME_LOOKAHEAD = 5
_MAX_NAME_CHARS = 40
#: A continuation line of a recipient is at most this long.
_MAX_CONTINUATION_CHARS = 300

_CELL_SEPARATOR = regex.compile(r"\|")
#: Where an authority may start after a recipient: "T", "K" or "Q" after a space.
_AUTHORITY_TAIL_START = re.compile(r"(?<= )[TKQ]")
_TITLE_NAME = regex.compile(r"^\p{Lu}[\p{Ll}'’]{0,9}(?: \p{Lu}[\p{Ll}'’]{0,9}){1,5}$")
_CAPS_NAME = regex.compile(r"^\p{Lu}{1,9}(?: \p{Lu}{1,9}){1,5}$")
#: A name printed after other text on a flattened line: "- Lưu VP. Phạm Phước Trãi",
#: "PHÓ BÍ THƯ Phạm Phước Trãi".
_NAME_TAIL = regex.compile(
    r"(?<=(?:[.,;)]|\p{Lu}{2}) {1,5})\p{Lu}\p{Ll}{0,9}(?: \p{Lu}\p{Ll}{0,9}){1,4}$"
)
_NUMBERED = regex.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđ])\s{0,2}[.)\-–/:]")
#: Several recipients run together on one flattened line: "- Như trên; - Lưu VT."
_INLINE_ITEM = regex.compile(r"(?<=[;,.]) {0,3}(?=[-–•+] {0,3}\p{L})")
_RUN_ON_ITEM = regex.compile(r"(?<=;) {0,3}(?=\p{Lu})")
_TERMINATED = regex.compile(r"[.][\s/.)]{0,3}$")
_ITEM_END = regex.compile(r"[,;][\s]{0,3}$")
#: A form's placeholder recipient: "- ..............;", "- Như Điều ....;", "- …………...;".
_PLACEHOLDER = regex.compile(r"\.{4,}|…{2,}|…\.{2,}")
_LETTER = regex.compile(r"\p{L}")
_MIN_ITEM_LETTERS = 3
_UPPER = regex.compile(r"\p{Lu}")
_LOWER = regex.compile(r"\p{Ll}")
_CAPITALS_SHARE = 0.85
_TYPE_WORD_END = regex.compile(r"[\s:.;,]+$")
_MAX_TYPE_WORD_CHARS = 40


@dataclass(frozen=True, slots=True)
class ClosingPatterns:
    """The compiled vocabulary of ``data/closing.json``."""

    heading: regex.Pattern[str]
    bullet: regex.Pattern[str]
    filed_copy: regex.Pattern[str]
    authority: regex.Pattern[str]
    authority_normal_case: regex.Pattern[str]
    position: regex.Pattern[str]
    position_any_case: regex.Pattern[str]
    noise: regex.Pattern[str]
    signed_before: regex.Pattern[str]
    signed_after: regex.Pattern[str]
    rank: regex.Pattern[str]
    paren_purpose: regex.Pattern[str]
    trailing_purpose: regex.Pattern[str]
    marker: regex.Pattern[str]
    verbs: tuple[str, ...]
    abbreviations: tuple[tuple[regex.Pattern[str], str], ...]
    surnames: frozenset[str]


@functools.cache
def closing_patterns() -> ClosingPatterns:
    """Compile the closing vocabulary once per process.

    >>> bool(closing_patterns().authority.match("KT. BỘ TRƯỞNG"))
    True
    """
    data = load("closing")
    purpose = data["purpose"]
    abbreviations = tuple(
        (regex.compile(rf"(?<!\p{{L}}){regex.escape(short)}(?!\p{{L}})", regex.IGNORECASE), full)
        for short, full in sorted(purpose["abbreviations"].items())
    )
    words = sorted([*purpose["verbs"], *purpose["abbreviations"]], key=len, reverse=True)
    verbs = "|".join(regex.escape(word) for word in words)
    signed = data["signed_mark"]
    mark = signed["pattern"]

    def with_verbs(entry: dict[str, str]) -> regex.Pattern[str]:
        return compile_pattern({**entry, "pattern": entry["pattern"].replace("{verbs}", verbs)})

    return ClosingPatterns(
        heading=compile_pattern(data["recipients_heading"]),
        bullet=compile_pattern(data["bullet"]),
        filed_copy=compile_pattern(data["filed_copy"]),
        authority=compile_pattern(data["authority"]),
        authority_normal_case=compile_pattern(data["authority_normal_case"]),
        position=compile_pattern(data["position"]),
        position_any_case=compile_pattern({**data["position"], "flags": "i"}),
        noise=compile_pattern(data["noise"]),
        signed_before=compile_pattern({**signed, "pattern": rf"^(?:{mark}) {{0,5}}(?=\S)"}),
        signed_after=compile_pattern({**signed, "pattern": rf"(?<=\S) {{0,5}}(?:{mark})$"}),
        rank=compile_pattern(data["rank"]),
        paren_purpose=with_verbs(purpose["parenthesized"]),
        trailing_purpose=with_verbs(purpose["trailing"]),
        marker=regex.compile(rf"^{regex.escape(purpose['marker'])}\s{{1,3}}", regex.IGNORECASE),
        verbs=tuple(sorted(purpose["verbs"], key=len, reverse=True)),
        abbreviations=abbreviations,
        surnames=frozenset(name.casefold() for name in data["surnames"]["names"]),
    )


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the normalized text: ``text == ctx.text[start:end]``."""

    start: int
    end: int
    text: str

    @property
    def span(self) -> Span:
        """The piece's ``(start, end)`` offsets."""
        return (self.start, self.end)


def trim(text: str, start: int, end: int) -> Piece | None:
    """The piece ``text[start:end]`` without surrounding blanks, None when blank.

    >>> trim("ab  cd ", 2, 7)
    Piece(start=4, end=6, text='cd')
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Piece(start, end, text[start:end]) if start < end else None


@dataclass(frozen=True, slots=True)
class Closing:
    """What one closing block holds: recipient lines and signature parts.

    ``items`` are the recipient lines, each as the pieces it was printed in
    (a wrapped line has several); the bullet is still on the first piece.
    """

    items: tuple[tuple[Piece, ...], ...]
    authority: tuple[Piece, ...]
    position: tuple[Piece, ...]
    name: Piece | None


def mostly_capitals(text: str) -> bool:
    """At least two capitals and 85 % of the letters in capitals (``is_upper``, in C).

    >>> mostly_capitals("KT.BỘ TRƯỞNG"), mostly_capitals("Bộ trưởng")
    (True, False)
    """
    upper = len(_UPPER.findall(text))
    lower = len(_LOWER.findall(text))
    return upper >= 2 and upper >= _CAPITALS_SHARE * (upper + lower)


def is_authority(text: str, *, loose: bool = False) -> bool:
    """An authority line: "T/M BAN THƯỜNG VỤ", "KT.BỘ TRƯỞNG", "TM. CHÍNH PHỦ".

    ``loose`` also takes a line printed in normal case ("T/M Ban Thường vụ")
    when its prefix is unmistakable (not "Q.", which also abbreviates "Quận").

    >>> is_authority("TM. ỦY BAN NHÂN DÂN"), is_authority("TM đã ký")
    (True, False)
    >>> is_authority("T/M Ban Thường vụ"), is_authority("T/M Ban Thường vụ", loose=True)
    (False, True)
    """
    if len(text) > _MAX_CAPS_CHARS:
        return False
    prefix = closing_patterns().authority.match(text)
    if prefix is None:
        return False
    if mostly_capitals(text):
        return True
    return (
        loose
        and closing_patterns().authority_normal_case.match(prefix.group()) is not None
        and len(text.split()) <= _MAX_POSITION_WORDS
        and not text.endswith((",", ";", "."))
    )


def is_caps_line(text: str) -> bool:
    """A short all-capitals line that could belong to a signature block.

    >>> is_caps_line("PHÓ BÍ THƯ"), is_caps_line("I. MỤC ĐÍCH"), is_caps_line("- UBND TỈNH;")
    (True, False, False)
    """
    return (
        len(text) <= _MAX_CAPS_CHARS
        and mostly_capitals(text)
        and not _NUMBERED.match(text)
        and not closing_patterns().bullet.match(text)
        and not _ITEM_END.search(text)
    )


def is_position_line(text: str) -> bool:
    """A line that opens with a signer's position: "PHÓ THỦ TƯỚNG", "CHỦ TỊCH QUỐC HỘI".

    >>> is_position_line("THỐNG ĐỐC"), is_position_line("TRÁCH NHIỆM CỦA CHỦ TỊCH")
    (True, False)
    """
    return (
        is_caps_line(text)
        and len(text.split()) <= _MAX_POSITION_WORDS
        and closing_patterns().position.match(text) is not None
    )


def person_name(text: str, *, strong: bool) -> tuple[int, int] | None:
    """Where the person's name lies in ``text`` (rank dropped), or None.

    ``strong`` says the line follows an authority or position line, where any
    capitalised two-to-six-word line is the name; elsewhere (a name-only
    signature after the list) the first word must be a Vietnamese surname.

    >>> person_name("Thượng tướng Vũ Hải Sản", strong=True)
    (13, 23)
    >>> person_name("Nguyễn Văn Mạnh", strong=False), person_name("Công Báo", strong=False)
    ((0, 15), None)
    """
    patterns = closing_patterns()
    rank = patterns.rank.match(text)
    start = rank.end() if rank else 0
    end = len(text.rstrip(" .,"))
    name = text[start:end]
    if len(name) > _MAX_NAME_CHARS or not name:
        return None
    title = _TITLE_NAME.match(name) is not None
    if not title and _CAPS_NAME.match(name) is None:
        return None
    if name.split()[0].casefold() in patterns.surnames:
        return (start, end)
    # "Phó Chủ Tịch" is a position in title case, not a name.
    if strong and title and not patterns.position_any_case.match(name):
        return (start, end)
    return None


def is_purpose_only(text: str) -> bool:
    """A line holding only a purpose or a brace: "} để báo cáo", "(để biết)".

    >>> is_purpose_only("} (để báo cáo)"), is_purpose_only("Báo cáo"), is_purpose_only("Lưu VT")
    (True, True, False)
    """
    patterns = closing_patterns()
    stripped = text.strip(" }")
    if not stripped:
        return text.startswith("}")
    if stripped[:1] in '(“"' and patterns.paren_purpose.fullmatch(stripped.rstrip(" .,;")):
        return True
    if patterns.trailing_purpose.fullmatch(stripped):
        return True
    folded = stripped.rstrip(" .,;)").casefold()
    return folded in patterns.verbs


def name_tail(text: str) -> int | None:
    """Where a signer's name printed after other text on the same line starts.

    >>> name_tail("- Lưu VP. Phạm Phước Trãi"), name_tail("PHÓ BÍ THƯ Phạm Phước Trãi")
    (10, 11)
    >>> name_tail("- Ban Tuyên giáo Tỉnh ủy,") is None
    True
    """
    last = text[-1:]
    if last.isascii() and not last.isalpha() and last != "\n":
        return None  # the name ends the text: "…;", "…," or "…." cannot hold one
    found = _NAME_TAIL.search(text)
    if found is None or found.group().split()[0].casefold() not in closing_patterns().surnames:
        return None
    return found.start()


def without_noise(text: str) -> str:
    """The text without a trailing "(Đã ký)".

    >>> without_noise("CHỦ TỊCH (Đã ký)")
    'CHỦ TỊCH'
    """
    found = _signed_after(text)
    return text[: found.start()].rstrip() if found else text


#: How a text ends when a "(Đã ký)" closes it (``signed_after`` ends ``[)\]]$``).
_SIGNED_ENDS = (")", "]", ")\n", "]\n")


def _signed_after(text: str) -> regex.Match[str] | None:
    """``signed_after.search(text)``, skipped when the text cannot end with the mark."""
    if not text.endswith(_SIGNED_ENDS):
        return None
    return closing_patterns().signed_after.search(text)


def _find_heading(text: str) -> regex.Match[str] | None:
    """``heading.search(text)``, skipped when the "ơ" of "Nơi nhận" is absent."""
    if "ơ" not in text and "Ơ" not in text:
        return None
    return closing_patterns().heading.search(text)


def _signature_line(text: str) -> bool:
    """A line of the signature column: an authority or a position in capitals."""
    return is_authority(text) or is_caps_line(text)


def _is_boundary(text: str) -> bool:
    """An annex title or a new type word ("QUY ĐỊNH"): the closing is over.

    The text is already normalized, so case folding is all the type-word
    lookup needs (``is_doc_type_line`` normalizes again, too slowly for a
    check made on every line of a long closing).
    """
    patterns = line_patterns()
    if patterns.annex_start.match(text):
        return True
    if len(text) > _MAX_TYPE_WORD_CHARS:
        return False
    key = " ".join(_TYPE_WORD_END.sub("", text).casefold().split())
    return key in patterns.doc_type_keys


def _cells(ctx_text: str, line: Line) -> list[Piece]:
    """The cells of a line: pipes separate the columns of a flattened table."""
    if "|" not in line.text:
        piece = trim(ctx_text, line.start, line.end)
        return [piece] if piece else []
    cells = []
    start = line.start
    for match in _CELL_SEPARATOR.finditer(line.text):
        cell = trim(ctx_text, start, line.start + match.start())
        if cell:
            cells.append(cell)
        start = line.start + match.end()
    last = trim(ctx_text, start, line.end)
    if last:
        cells.append(last)
    return cells


class _Window:
    """Reads one closing block from an anchor line (a throwaway builder)."""

    def __init__(self, text: str, lines: Sequence[Line], first: int) -> None:
        self.text = text
        self.lines = lines
        self.first = first
        self.items: list[list[Piece]] = []
        self.open_list = False
        self.bulleted = False
        self.list_done = False
        self.authority: list[Piece] = []
        self.caps: list[Piece] = []
        self.name: Piece | None = None
        #: Reading a co-signer's block (joint circulars sign two to six times).
        self.cosigner = False
        self.patterns = closing_patterns()

    def run(self) -> int:
        """Read lines until the block ends; the index of the first line not read."""
        index = self.first
        limit = min(len(self.lines), self.first + _MAX_WINDOW_LINES)
        while index < limit:
            line = self.lines[index]
            stripped = line.text.strip()
            if index > self.first and _is_boundary(stripped) and not is_purpose_only(stripped):
                break
            if not all(self._read_cell(cell, index) for cell in _cells(self.text, line)):
                break
            index += 1
        return max(index, self.first + 1)

    def signature_started(self) -> bool:
        """An authority or position line has been read."""
        return bool(self.authority or self.caps)

    def _read_cell(self, cell: Piece, index: int) -> bool:
        """Send one cell to the list or the signature; False when it belongs to neither."""
        patterns = self.patterns
        heading = _find_heading(cell.text[: _MAX_PIECE_CHARS * 8])
        if heading:
            if self.open_list and self.items:
                return False  # a second list: another closing (an annex template)
            self.open_list = True
            self.cosigner = False
            self.list_done = False
            rest = trim(self.text, cell.start + heading.end(), cell.end)
            if rest is None:
                return True
            cell = rest
        if len(cell.text) > _MAX_PIECE_CHARS:
            return False
        if patterns.noise.match(cell.text):
            return True
        cell = self._cut_noise(cell)  # "Nguyễn Văn A (Đã ký)", "(Đã ký) Nguyễn Văn A"
        text = cell.text
        cut = name_tail(text)
        if cut is not None and self.name is None and not patterns.bullet.match(text):
            head = trim(self.text, cell.start, cell.start + len(without_noise(text[:cut])))
            if head is not None and _signature_line(head.text):
                # "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Phạm Phước Trãi": the column on one line.
                if not self._read_cell(head, index):
                    return False
                self.name = trim(self.text, cell.start + cut, cell.end)
                return True
        if self.cosigner and not heading:
            # The first signer is the one reported; the others are skipped so
            # that a "Nơi nhận" printed after all the blocks is still read.
            return is_caps_line(text) or person_name(text, strong=True) is not None
        if is_authority(text, loose=True):
            return self._add_authority(cell)
        if self._is_position_after_authority(text):
            self.caps.append(cell)
            return True
        listing = self.open_list and not (self.name is not None and self.list_done)
        bullet = patterns.bullet.match(text)
        if bullet and bullet.group()[:1].isdigit() and self.name is not None:
            bullet = None  # "1. …" after the signature is an annex, not a recipient
        if listing and (bullet or patterns.filed_copy.match(text)):
            self._add_item(cell)
            return True
        if is_caps_line(text):
            return self._add_caps(cell)
        name = self._name_of(cell, index)
        if name is not None:
            self.name = name
            return True
        if self.items and (text.startswith("}") or is_purpose_only(text)):
            self.items[-1].append(cell)
            return True
        if listing and not self.bulleted and self._may_start_item():
            self._add_item(cell, run_on=heading is not None)
            return True
        if self._may_continue(text):
            self.items[-1].append(cell)
            self._update_done()
            return True
        return False

    def _is_position_after_authority(self, text: str) -> bool:
        """A position printed in normal case under its authority ("Phó Bí thư")."""
        return (
            bool(self.authority)
            and self.name is None
            and len(text) <= _MAX_CAPS_CHARS
            and self.patterns.position_any_case.match(text) is not None
            and len(text.split()) <= _MAX_POSITION_WORDS
            and text.split()[0].casefold() not in self.patterns.surnames
        )

    def _add_authority(self, cell: Piece) -> bool:
        if self.name is not None:
            # Another signature block. Before any list it is a co-signer's
            # (joint circulars); after the list it belongs to something else.
            self.cosigner = not self.items
            return self.cosigner
        # Capitals read before a "KT." line are the upper authority's wrapped lines.
        self.authority.extend(self.caps)
        self.caps.clear()
        self.authority.append(cell)
        return True

    def _add_caps(self, cell: Piece) -> bool:
        if self.name is not None:
            return False
        wrapped_recipient = (
            self.open_list
            and self.items
            and not self.list_done
            and not self.signature_started()
            and not self.patterns.position.search(cell.text)
        )
        if wrapped_recipient:
            self.items[-1].append(cell)
            self._update_done()
        else:
            self.caps.append(cell)
        return True

    def _may_start_item(self) -> bool:
        """In a list printed without bullets, a line after "…," or "…;" is a new item."""
        if not self.items:
            return True
        last = self.items[-1][-1].text
        return bool(_ITEM_END.search(last))

    def _may_continue(self, text: str) -> bool:
        return (
            self.open_list
            and bool(self.items)
            and not self.list_done
            and self.name is None
            and len(text) <= _MAX_CONTINUATION_CHARS
            and not _NUMBERED.match(text)
        )

    def _name_of(self, cell: Piece, index: int) -> Piece | None:
        if self.name is not None:
            return None
        strong = self.signature_started()
        found = person_name(cell.text, strong=strong)
        if found is None:
            return None
        # A name-only signature follows a finished list; a capitalised line
        # inside an unfinished list is a wrapped recipient.
        after_list = bool(self.items) and (self.list_done or not self._bullet_follows(index))
        if not strong and not after_list:
            return None
        return trim(self.text, cell.start + found[0], cell.start + found[1])

    def _bullet_follows(self, index: int) -> bool:
        for line in self.lines[index + 1 : index + 1 + _NAME_LOOKAHEAD]:
            stripped = line.text.strip()
            if self.patterns.noise.match(stripped):
                continue
            return bool(self.patterns.bullet.match(stripped))
        return False

    def _add_item(self, cell: Piece, *, run_on: bool = False) -> None:
        """Add a recipient line, after peeling signature parts off its end.

        ``run_on``: the list follows "Nơi nhận:" on the same line without
        bullets ("Nơi nhận: Như trên; Lưu VT."), so ";" separates recipients.
        """
        cell, tails = self._peel_tails(cell)
        if self.patterns.bullet.match(cell.text):
            self.bulleted = True
        separators = _RUN_ON_ITEM if run_on and not self.bulleted else _INLINE_ITEM
        start = cell.start
        for match in separators.finditer(cell.text):
            part = trim(self.text, start, cell.start + match.start())
            if part:
                self.items.append([part])
            start = cell.start + match.end()
        last = trim(self.text, start, cell.end)
        if last:
            self.items.append([last])
        self._update_done()
        for kind, piece in tails:
            if kind == "authority":
                self._add_authority(piece)
            elif kind == "position":
                self.caps.append(piece)
            elif self.name is None:
                self.name = piece

    def _peel_tails(self, cell: Piece) -> tuple[Piece, list[tuple[str, Piece]]]:
        """Split a flattened line into its recipient part and signature parts."""
        tails: list[tuple[str, Piece]] = []
        cell = self._cut_noise(cell)
        cut = name_tail(cell.text) if self.name is None else None
        before = trim(self.text, cell.start, cell.start + cut) if cut is not None else None
        name = trim(self.text, cell.start + cut, cell.end) if cut is not None else None
        if before is not None and name is not None:
            head = self._cut_noise(before)
            signed_here = (
                self._authority_tail(head.text) is not None
                or self._position_tail(head.text) is not None
            )
            if self.signature_started() or signed_here:
                tails.append(("name", name))
                cell = head
        authority = self._authority_tail(cell.text)
        position = self._position_tail(cell.text) if authority is None else None
        for kind, at in (("authority", authority), ("position", position)):
            if at is None:
                continue
            tail = trim(self.text, cell.start + at, cell.end)
            rest = trim(self.text, cell.start, cell.start + at)
            if tail and rest:
                tails.append((kind, tail))
                cell = rest
        tails.sort(key=lambda pair: pair[1].start)
        return cell, tails

    def _cut_noise(self, cell: Piece) -> Piece:
        """The cell without a "(Đã ký)" printed before or after its text."""
        head = self.patterns.signed_before.match(cell.text)
        if head:
            cell = trim(self.text, cell.start + head.end(), cell.end) or cell
        tail = _signed_after(cell.text)
        if tail:
            cell = trim(self.text, cell.start, cell.start + tail.start()) or cell
        return cell

    def _authority_tail(self, text: str) -> int | None:
        """Where an authority printed after a recipient starts ("- Như trên; TM. UBND")."""
        for found in _AUTHORITY_TAIL_START.finditer(text):
            if is_authority(text[found.start() :]):
                return found.start()
        return None

    def _position_tail(self, text: str) -> int | None:
        """Where a position printed after a recipient starts ("…(b/c), PHÓ BÍ THƯ")."""
        words = text.split(" ")
        count = 0
        for word in reversed(words):
            letters = [char for char in word if char.isalpha()]
            if not letters or not all(char.isupper() for char in letters):
                break
            count += 1
            if count > _MAX_POSITION_WORDS:
                return None
        if not count or count == len(words):
            return None
        run_start = len(" ".join(words[: len(words) - count])) + 1
        run = text[run_start:]
        found = self.patterns.position.search(run)
        if found is None:
            return None
        before = text[: run_start + found.start()].rstrip()
        terminated = before.endswith((",", ";", ".", ")"))
        if not terminated and len(run[found.start() :].split()) < 2:
            return None
        return run_start + found.start()

    def _update_done(self) -> None:
        """A list is over after "Lưu …" or an item that ends with a full stop."""
        item = self.items[-1]
        first = self.patterns.bullet.sub("", item[0].text, count=1)
        self.list_done = bool(
            self.patterns.filed_copy.match(first) or _TERMINATED.search(item[-1].text)
        )

    def result(self) -> Closing:
        """The block read, with the signature's capitals sorted into authority and position."""
        authority = list(self.authority)
        position = list(self.caps)
        if authority and len(position) >= 2:
            # "KT. BỘ TRƯỞNG" / "BỘ CÔNG AN" / "THỨ TRƯỞNG": the lines above the
            # last position word complete the authority.
            marked = [
                k for k, piece in enumerate(position) if self.patterns.position.match(piece.text)
            ]
            if marked and marked[-1] > 0:
                authority += position[: marked[-1]]
                position = position[marked[-1] :]
        elif not authority and len(position) >= 2:
            # "THỐNG ĐỐC" / "PHÓ THỐNG ĐỐC" without "KT.": the upper line is the authority.
            keep = 1
            if not self.patterns.position.search(position[-1].text):
                keep = 2  # "PHÓ CHỦ TỊCH" / "THƯỜNG TRỰC": one position on two lines
            authority, position = position[:-keep], position[-keep:]
        elif authority and not position and self.name is not None:
            authority, position = self._split_authority(authority)
        items = tuple(tuple(item) for item in self.items)
        return Closing(
            items=items,
            authority=tuple(authority),
            position=tuple(position),
            name=self.name,
        )

    def _split_authority(self, authority: list[Piece]) -> tuple[list[Piece], list[Piece]]:
        """Split "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ" (both columns on one line) in two."""
        last = authority[-1]
        prefix = self.patterns.authority.match(last.text)
        if prefix is None:
            return authority, []
        body = last.text[prefix.end() :]
        matches = list(self.patterns.position.finditer(body))
        if not matches:
            return authority, []
        found = matches[-1]
        if len(body[: found.start()].split()) < 2:
            return authority, []  # "KT. BỘ TRƯỞNG": the position is the authority's object
        cut = last.start + prefix.end() + found.start()
        head = trim(self.text, last.start, cut)
        tail = trim(self.text, cut, last.end)
        if head is None or tail is None:
            return authority, []
        return [*authority[:-1], head], [tail]


def _opens_block(text: str) -> Literal["yes", "if-named", "no"]:
    """Whether a cell opens a signature block ("if-named": a position line).

    An authority line or a signature line with the name on it opens one; a
    position line does when a name follows it.
    """
    patterns = closing_patterns()
    if len(text) > _MAX_SIGNATURE_LINE_CHARS or not (
        patterns.authority.match(text) or patterns.position.match(text)
    ):
        return "no"
    if is_authority(text, loose=True):
        return "yes"
    cut = name_tail(text)
    if cut is not None:
        head = without_noise(text[:cut]).rstrip()
        if is_authority(head) or is_position_line(head):
            return "yes"
    return "if-named" if is_position_line(text) else "no"


@functools.cache
def _candidate_lines() -> regex.Pattern[str]:
    """Lines worth a closer look, found in one pass over the whole text.

    A "Nơi nhận" anywhere in the line, an authority prefix, or two capitals
    at the start (position lines): the per-line checks then run on these
    only, which keeps long documents (and hostile ones) cheap.
    """
    received, line_head = _candidate_parts()
    return regex.compile(f"{received.pattern}|{line_head.pattern}", regex.MULTILINE)


@functools.cache
def _candidate_parts() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """The two branches of :func:`_candidate_lines`, each quick to scan alone.

    Together, their alternation is tried at every character; apart, the
    engine skips to an "n" or to a line start.
    """
    authority = closing_patterns().authority.pattern
    return (
        regex.compile(r"(?i:n[ơo]i\s{0,3}nh[ậa]n)"),
        regex.compile(rf"^[ \t|]{{0,12}}(?:{authority}|\p{{Lu}}{{2}})", regex.MULTILINE),
    )


def _match_starts(text: str, line_starts: Sequence[int] | None = None) -> Iterator[int]:
    """Where the matches of ``_candidate_lines().finditer(text)`` start, found faster.

    The alternation matches at a position exactly when one of its branches
    does, so the branches' own match starts are the only places to try; it
    is tried there in order, skipping what an earlier match covered, as
    ``finditer`` does. A branch scan can itself skip a start only when one
    of its matches runs across a line break (an authority cut after "KT.");
    then the plain scan runs.

    ``line_starts`` (where the text's non-blank lines start, when known)
    saves the line-head scan from trying every character: its matches open
    a line with capitals, so they can only start there.
    """
    combined = _candidate_lines()
    received, line_head = _candidate_parts()
    if line_starts is None:
        heads = [match.span() for match in line_head.finditer(text)]
    else:
        found = (line_head.match(text, start) for start in line_starts)
        heads = [match.span() for match in found if match is not None]
    if any(text.find("\n", start, end) >= 0 for start, end in heads):
        yield from (match.start() for match in combined.finditer(text))
        return
    tries = sorted({match.start() for match in received.finditer(text)}.union(s for s, _ in heads))
    covered = 0
    for start in tries:
        if start < covered:
            continue
        match = combined.match(text, start)
        if match is not None:
            yield start
            covered = match.end()


def _candidates(text: str, lines: Sequence[Line]) -> list[int]:
    """Indices of the lines that may open a closing block, in order (bounded)."""
    starts = [line.start for line in lines]
    found: list[int] = []
    for match_start in _match_starts(text, starts):
        index = bisect.bisect_right(starts, match_start) - 1
        if index >= 0 and (not found or found[-1] != index):
            found.append(index)
            if len(found) >= _MAX_CANDIDATES:
                break
    return found


def _is_anchor(text: str, lines: Sequence[Line], index: int, memo: dict[int, str]) -> bool:
    """Whether the line can open a closing block."""
    line = lines[index]
    if _find_heading(line.text):
        return True
    for cell in _cells(text, line):
        verdict = _opens_block(cell.text)
        if verdict == "yes" or (verdict == "if-named" and _name_follows(lines, index, memo)):
            return True
    return False


def _name_follows(lines: Sequence[Line], index: int, memo: dict[int, str]) -> bool:
    """A position line opens a block when a name follows it (or nothing does).

    ``memo`` keeps each line's kind, so a run of capitals is judged once.
    """
    for follow in range(index + 1, min(len(lines), index + 1 + _NAME_LOOKAHEAD)):
        kind = memo.get(follow)
        if kind is None:
            kind = memo[follow] = _signature_kind(lines[follow].text.strip())
        if kind != "furniture":
            return kind == "name"
    # Only signature furniture up to the end: a text cut after the position line.
    return index + 1 + _NAME_LOOKAHEAD >= len(lines)


def _signature_kind(text: str) -> str:
    if closing_patterns().noise.match(text) or is_caps_line(text):
        return "furniture"
    return "name" if person_name(text, strong=True) is not None else "other"


def _ends_text(lines: Sequence[Line], index: int) -> bool:
    """Nothing but a few noise lines from ``index`` to the end of the text."""
    patterns = closing_patterns()
    rest = lines[index:]
    return len(rest) <= _NAME_LOOKAHEAD and all(
        patterns.noise.match(line.text.strip()) for line in rest
    )


def _is_placeholder(item: Sequence[Piece]) -> bool:
    """A recipient line of an annex form, left to be filled in.

    >>> _is_placeholder([Piece(0, 17, "- ..............;")])
    True
    >>> _is_placeholder([Piece(0, 29, "- Lưu: VT, XNK(5), thuyltb (…).")])
    False
    """
    text = " ".join(piece.text for piece in item)
    return len(_LETTER.findall(text)) < _MIN_ITEM_LETTERS or bool(_PLACEHOLDER.search(text))


@dataclass(frozen=True, slots=True)
class _Block:
    """One block as read from an anchor, with the lines it spans."""

    first: int
    end: int
    closing: Closing
    template: bool

    @property
    def listed(self) -> bool:
        """It holds a real recipient list (not an annex form's dotted template)."""
        return bool(self.closing.items) and not self.template


def _blocks(ctx: Context) -> list[_Block]:
    """Every closing block of the text, in order (bounded)."""
    lines = ctx.structure.lines
    memo: dict[int, str] = {}
    blocks: list[_Block] = []
    index = 0
    for anchor in _candidates(ctx.text, lines):
        if anchor < index or not _is_anchor(ctx.text, lines, anchor, memo):
            continue  # inside the block just read, or not an opening line
        window = _Window(ctx.text, lines, anchor)
        index = window.run()
        closing = window.result()
        template = any(_is_placeholder(item) for item in closing.items)
        blocks.append(_Block(anchor, index, closing, template))
        complete = closing.name is not None and closing.items and not template
        if complete or len(blocks) >= _MAX_BLOCKS:
            break  # nothing after a complete closing can be preferred to it
    return blocks


def read_closing(ctx: Context) -> Closing | None:
    """The document's closing: its recipient lines and signature parts (read once per Context).

    Blocks are read from every anchor in turn. The signature comes from the
    first block with a signer's name (or, failing that, from a name-less
    block that ends the text: a document cut after the position line). The
    list comes from the first block holding both a list and a name; failing
    that, from the list block nearest before the signature, or one printed
    just after it (PDF runs), or the first list when nothing is signed. An
    annex form's template list, full of dots, never counts.

    >>> from extractor.document import Document
    >>> ctx = Context.of(Document.from_text("Nơi nhận:\\n- Như trên;\\n- Lưu VT."))
    >>> closing = read_closing(ctx)
    >>> [[piece.text for piece in item] for item in closing.items]
    [['- Như trên;'], ['- Lưu VT.']]
    """
    return ctx.memo("closing", lambda: _read_closing(ctx))


def _read_closing(ctx: Context) -> Closing | None:
    blocks = _blocks(ctx)
    lines = ctx.structure.lines
    signed = next((block for block in blocks if block.closing.name is not None), None)
    if signed is None:
        signed = next(
            (
                block
                for block in blocks
                if (block.closing.authority or block.closing.position)
                and _ends_text(lines, block.end)
            ),
            None,
        )
    listed = [block for block in blocks if block.listed]
    source = next((block for block in listed if block.closing.name is not None), None)
    if source is None and signed is None:
        source = listed[0] if listed else None
    elif source is None and signed is not None:
        before = [block for block in listed if block.end <= signed.first]
        after = [
            block
            for block in listed
            if signed.end <= block.first <= signed.end + _NEAR_SIGNATURE_LINES
            and not any(_is_boundary(line.text.strip()) for line in lines[signed.end : block.first])
        ]
        if before:
            source = before[-1]
        elif after:
            source = after[0]
    if source is None and signed is None:
        return None
    items = source.closing.items if source else ()
    signature = signed.closing if signed else Closing((), (), (), None)
    return Closing(items, signature.authority, signature.position, signature.name)


def extract_signer(ctx: Context) -> dict[str, Found[str]]:
    """The signature block: keys among "authority", "position", "name"; {} when none.

    Two authority lines ("TM. CHÍNH PHỦ" / "KT. THỦ TƯỚNG") are joined with a
    space; "(Đã ký)" and similar marks are skipped; a rank before the name
    ("Thượng tướng") is not part of it.

    >>> from extractor.document import Document
    >>> text = "Nơi nhận: T/M BAN THƯỜNG VỤ\\n- Ban Tuyên giáo Tỉnh ủy (b/c), PHÓ BÍ THƯ"
    >>> text += "\\n- Lưu VP.\\nPhạm Phước Trãi"
    >>> parts = extract_signer(Context.of(Document.from_text(text)))
    >>> [(key, found.value) for key, found in parts.items()]
    [('authority', 'T/M BAN THƯỜNG VỤ'), ('position', 'PHÓ BÍ THƯ'), ('name', 'Phạm Phước Trãi')]
    """
    closing = read_closing(ctx)
    if closing is None:
        return {}
    parts: dict[str, Found[str]] = {}
    for key, pieces in (("authority", closing.authority), ("position", closing.position)):
        if pieces:
            value = " ".join(piece.text for piece in pieces)
            parts[key] = Found(value, tuple(piece.span for piece in pieces))
    if closing.name is not None:
        parts["name"] = Found(closing.name.text, (closing.name.span,))
    return parts
