"""Document type, number, place, date and title (trích yếu).

The number is read from the document's own number line ("Số 60 -KH/ĐUK",
"Số: 123/KH-UBND", "Số:      /KH-UBND"), never from a cited document; the
type from the type word of the title block, or from the number's code, or
"Công văn" for a letter with a "V/v" subject line or a "Kính gửi:" addressee
and no type word. The place-date line is also read from web copies that
deform it: a place in lower case ("TP. hà Nội"), "Ngày" capitalised, date
words swapped with digits by text spinners ("tháng 12 5 2019" for "tháng 12
năm 2019"), repaired by the table of ``data/place_date.json``.

>>> from extractor.document import Document
>>> ctx = Context.of(Document.from_text("ỦY BAN NHÂN DÂN\\nSố: 12/KH-UBND\\nKẾ HOẠCH\\nvề X"))
>>> extract_number(ctx).value, extract_doc_type(ctx, None).value
('12/KH-UBND', ('Kế hoạch', 'KH'))
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found
from extractor.fields.dates import DateMatch, find_dates
from extractor.structure.lines import (
    doc_type_prefix,
    headline_prefix,
    is_doc_type_line,
    is_upper,
    line_patterns,
)
from extractor.text.normalize import match_key

# "Số" then the number: an optional sequence (blank in drafts; a sub-number
# after a dot, "66.4/2025/NQ-CP", or a letter, "12a"), then symbol parts
# joined by "-", "/" or en dashes, with stray spaces around the joins.
_NUMBER = regex.compile(
    r"(?<!\p{L})[Ss][ốỐ]\s{0,3}:?\s{0,3}[.…_]{0,20}\s{0,3}"
    r"(?P<number>(?:\d{1,6}(?:\.\d{1,3})?[a-z]?)?"
    r"(?:\s{0,2}[-–/]\s{0,2}[\p{Lu}\d][\p{Lu}\p{Ll}\d&.]{0,20}){1,5})",
    regex.IGNORECASE,
)
_INNER_SPACE = regex.compile(r"\s+")
_BARE_NUMBER_LABEL = regex.compile(r"^[\s|*]*S[ốỐ]\s{0,3}:?[\s|]*$", regex.IGNORECASE)
_TRAILING = regex.compile(r"[.\-–/]+$")
# A place name is a few capitalised words ("Trà Vinh", "TP. Hồ Chí Minh"),
# right before ", ngày" (", Ngày" after a comma): all-caps tokens before it
# belong to another column.
_PLACE_DATE = regex.compile(
    r"(?P<place>(?:(?:TP|Tp|T\.P)\.\s{0,2})?(?:\p{Lu}\p{Ll}[\p{Ll}'’\-]{0,20}\s{1,3}){0,4}"
    r"\p{Lu}\p{Ll}[\p{Ll}'’\-]{0,20})(?:\s{0,3},|(?<=^\s{0,3}\S.{0,60}))\s{0,3}"
    r"(?=ngày\b|(?<=,\s{0,3})Ngày\b)"
)
# Only "V/v" and the label "Về:" are dropped: annotators keep "Về việc …" as
# part of the title.
_PLACE_PART = regex.compile(r"^\s*(?:\p{Lu}\p{Ll}[\p{Ll}'’\-]{0,20}\s?){1,3}$")
_SUBJECT = regex.compile(r"^(?:V/v\s*:?|Về\s{0,3}:)\s*", regex.IGNORECASE)
_HEADER_WINDOW = 25
#: ``_NUMBER`` and ``_BARE_NUMBER_LABEL`` read "Số" as ``[Ss][ốỐ]``.
_NUMBER_WORD_VOWEL = "ố"
_NUMBER_WORD_VOWEL_UPPER = "Ố"
_PARTY_CODE = regex.compile(r"^[^-–/]*[-–](?P<code>[\p{L}]+)/")
_STATE_CODE = regex.compile(r"^[^/]*/(?:\d{4}/)?(?P<code>[\p{L}]+)[-–]")
#: Both place-date patterns end before "ngày" / "Ngày": a line without "gày" has no match.
_DATE_WORD_TAIL = "gày"


@functools.cache
def _doc_types() -> tuple[dict[str, str], dict[str, str]]:
    """Canonical names by folded type word, and by number code."""
    by_word: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for entry in load("doc_types")["doc_types"]:
        by_word[match_key(entry["name"])] = entry["name"]
        by_code.setdefault(entry["code"].casefold(), entry["name"])
    return by_word, by_code


def _code_of(name: str) -> str:
    return _codes_by_name().get(name, "")


@functools.cache
def _codes_by_name() -> dict[str, str]:
    """The code of each canonical type name (its first entry's), parsed once."""
    codes: dict[str, str] = {}
    for entry in load("doc_types")["doc_types"]:
        codes.setdefault(entry["name"], str(entry["code"]))
    return codes


def _header_lines(ctx: Context) -> list[tuple[int, int, str]]:
    """Header and title lines; without them, the first few lines of the text."""
    lines = ctx.lines_in("header", "title") or ctx.structure.lines[:_HEADER_WINDOW]
    return [(line.start, line.end, line.text) for line in lines]


def _opens_number_line(text: str, position: int) -> bool:
    """Tell whether "Số" opens its line, or follows a flattened header column."""
    before = text[:position].strip(" |*")
    # "Nghị quyết số: 653/2019/UBTVQH14": the type word may stand before "số".
    return not before or is_upper(before) or match_key(before) in _doc_types()[0]


def extract_number(ctx: Context) -> Found[str] | None:
    """The document's own number, as printed without "Số" and without spaces.

    >>> from extractor.document import Document
    >>> extract_number(Context.of(Document.from_text("Số 60 -KH/ĐUK\\nKẾ HOẠCH"))).value
    '60-KH/ĐUK'
    >>> extract_number(Context.of(Document.from_text("Số:      /KH-UBND\\nKẾ HOẠCH"))).value
    '/KH-UBND'
    """
    # Read by the pipeline and by the issuing body: computed once per Context.
    return ctx.memo("number", lambda: _extract_number(ctx))


def _extract_number(ctx: Context) -> Found[str] | None:
    header = _header_lines(ctx)
    for position, (start, _end, text) in enumerate(header):
        if _NUMBER_WORD_VOWEL not in text and _NUMBER_WORD_VOWEL_UPPER not in text:
            continue  # both patterns need the "ố" of "Số" (a cheap test first)
        if _BARE_NUMBER_LABEL.match(text) and position + 1 < len(header):
            # "Số:" alone, the number wrapped onto the next line of a narrow column.
            next_start, _next_end, next_text = header[position + 1]
            found = _NUMBER.match("Số: " + next_text.strip())
            if found:
                number = _TRAILING.sub("", _INNER_SPACE.sub("", found.group("number")))
                offset = next_start + len(next_text) - len(next_text.lstrip()) - len("Số: ")
                span = (offset + found.start("number"), offset + found.end("number"))
                return Found(number, (span,))
        for match in _NUMBER.finditer(text):
            if not _opens_number_line(text, match.start()):
                continue
            number = _TRAILING.sub("", _INNER_SPACE.sub("", match.group("number")))
            if not any(char.isalpha() for char in number):
                continue
            span = (start + match.start("number"), start + match.end("number"))
            return Found(number, (span,))
    return None


def symbol_code(number: str | None) -> str | None:
    """The document-type code inside a number: 60-KH/ĐUK → KH, 12/QĐ-UBND → QĐ.

    >>> symbol_code("60-KH/ĐUK"), symbol_code("123/KH-UBND"), symbol_code("1277/BGDĐT-QLCL")
    ('KH', 'KH', None)
    """
    if not number:
        return None
    _, by_code = _doc_types()
    party = _PARTY_CODE.match(number)
    state = _STATE_CODE.match(number)
    for found in (party, state):
        if found and found.group("code").casefold() in by_code:
            return found.group("code")
    return None


def extract_doc_type(ctx: Context, number: str | None) -> Found[tuple[str, str]] | None:
    """The type as ``(name, code)``: type word, else the number's code, else a letter.

    >>> from extractor.document import Document
    >>> ctx = Context.of(Document.from_text("Số: 5/BGDĐT-QLCL\\nV/v hướng dẫn\\nKính gửi: Sở"))
    >>> extract_doc_type(ctx, "5/BGDĐT-QLCL").value
    ('Công văn', 'CV')
    """
    by_word, by_code = _doc_types()
    code = symbol_code(number)
    title = ctx.lines_in("title")
    for line in title:
        prefix = doc_type_prefix(line.text)
        if is_doc_type_line(line.text) or prefix:
            word = line.text[:prefix] if prefix else line.text
            name = by_word[match_key(word.strip(" :.;,"))]
            type_code = code if code and by_code.get(code.casefold()) == name else _code_of(name)
            return Found((name, type_code), ((line.start, line.end),))
    if code:
        return Found((by_code[code.casefold()], code))
    subject = line_patterns().subject_line
    for line in ctx.lines_in("header", "title"):
        if subject.match(line.text.strip()):
            return Found(("Công văn", "CV"), ((line.start, line.end),))
    # A portal headline opening the title: "Thông báo Lịch tiếp công dân …".
    prefix = headline_prefix(title[0].text) if title else 0
    if prefix:
        name = by_word[match_key(title[0].text[:prefix].strip(" :.;,"))]
        return Found((name, _code_of(name)), ((title[0].start, title[0].start + prefix),))
    # A letter addressed "Kính gửi: …" that prints no type word is a công văn,
    # whatever introduces its subject ("V/v", "Về:", nothing at all).
    addressee = _letter_addressee()
    for line in ctx.structure.lines[:_HEADER_WINDOW]:
        if addressee.match(line.text):
            return Found(("Công văn", "CV"), ((line.start, line.end),))
    return None


@functools.cache
def _letter_addressee() -> regex.Pattern[str]:
    return compile_pattern(load("doc_types")["letter_addressee"])


def extract_place_date(ctx: Context) -> tuple[Found[str] | None, Found[str] | None]:
    """Place and date of the place-date line ("Trà Vinh, ngày 18 tháng 4 năm 2022").

    Only the header is searched: a "…, ngày …" line inside the body is an
    example or a quotation, not the document's own date.

    >>> from extractor.document import Document
    >>> place, date = extract_place_date(
    ...     Context.of(Document.from_text("Lạng Sơn, ngày      tháng 02 năm 2022\\nKẾ HOẠCH"))
    ... )
    >>> place.value, date.value
    ('Lạng Sơn', '2022-02')
    """
    header = _header_lines(ctx)
    for position, (start, end, text) in enumerate(header):
        if _DATE_WORD_TAIL not in text:
            continue  # neither pattern can match (the common case: a cheap test first)
        found = _PLACE_DATE.search(text)
        loose = _place_date_data().loose_place.match(text)
        if loose and (
            found is None
            or (found.end() == loose.end() and loose.start("place") < found.start("place"))
        ):
            # A place printed partly in lower case ("TP. hà Nội"): the whole of it.
            found = loose
        if not found:
            continue
        if position + 1 < len(header) and header[position + 1][0] > end:
            # A date wrapped in a narrow header column: "…, ngày 23" / "tháng 3 năm 2021".
            text = text + " " * (header[position + 1][0] - end) + header[position + 1][2]
        dates = _full_dates(text[found.end() :])
        if not dates:
            continue
        date = dates[0]
        offset = start + found.end()
        place_text = found.group("place").strip()
        place_start = start + found.start("place")
        spans = [(place_start, place_start + len(place_text))]
        if (
            found.start("place") == 0
            and position > 0
            and _PLACE_PART.match(header[position - 1][2])
        ):
            # The place wrapped in a narrow column: "Tiền" / "Giang, ngày …".
            previous_start, previous_end, previous_text = header[position - 1]
            place_text = f"{previous_text.strip()} {place_text}"
            spans.insert(0, (previous_start, previous_end))
        place = Found(place_text, tuple(spans))
        return place, Found(date.iso, ((offset + date.start, offset + date.end),))
    return None, None


@dataclass(frozen=True, slots=True)
class _PlaceDateData:
    loose_place: regex.Pattern[str]
    repairs: tuple[tuple[regex.Pattern[str], str], ...]


@functools.cache
def _place_date_data() -> _PlaceDateData:
    data = load("place_date")
    repairs = tuple((compile_pattern(r), str(r["replacement"])) for r in data["repairs"])
    return _PlaceDateData(compile_pattern(data["loose_place"]), repairs)


_DIGIT_WORDS = {
    match_key(word): str(digit)
    for digit, word in enumerate(
        ("", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
    )
    if word
}


def repair_date_words(text: str) -> tuple[str, list[int]]:
    """Undo what text spinners do to a date line; also where each character was printed.

    The second value maps every offset of the repaired text (and its end)
    to the printed text.

    >>> repair_date_words("ngày 28 tháng 1hai năm 2010")[0]
    'ngày 28 tháng 12 năm 2010'
    >>> repaired, origin = repair_date_words("ngày 25 tháng 12 5 2019")
    >>> repaired, origin[len(repaired)]
    ('ngày 25 tháng 12 năm 2019', 23)
    """
    origin = list(range(len(text) + 1))
    for pattern, replacement in _place_date_data().repairs:
        pieces: list[str] = []
        moved: list[int] = []
        cursor = 0
        for match in pattern.finditer(text):
            new = (
                _DIGIT_WORDS[match_key(match.group())] if replacement == "{digit}" else replacement
            )
            pieces += [text[cursor : match.start()], new]
            moved += origin[cursor : match.start()] + [origin[match.start()]] * len(new)
            cursor = match.end()
        if pieces:
            text = "".join([*pieces, text[cursor:]])
            origin = moved + origin[cursor:]
    return text, origin


def _full_dates(tail: str) -> list[DateMatch]:
    """The full dates of a place-date line's tail, read through spinner repairs if need be."""
    dates = [d for d in find_dates(tail) if d.kind == "full"]
    if dates:
        return dates
    repaired, origin = repair_date_words(tail)
    if repaired == tail:
        return []
    return [
        replace(d, start=origin[d.start], end=origin[d.end])
        for d in find_dates(repaired)
        if d.kind == "full"
    ]


def extract_title(ctx: Context) -> Found[str] | None:
    """The trích yếu: title-block lines after the type word (or "V/v"), joined.

    >>> from extractor.document import Document
    >>> text = "KẾ HOẠCH\\ntổ chức đợt sinh hoạt\\nchính trị\\n-----\\nI. X"
    >>> ctx = Context.of(Document.from_text(text))
    >>> extract_title(ctx).value
    'tổ chức đợt sinh hoạt chính trị'
    """
    separator = line_patterns().separator
    pieces: list[tuple[int, int, str]] = []
    title_lines = ctx.lines_in("title")
    roles = ctx.model_line_roles
    if not title_lines and roles is not None:
        # No title block by the rules (a lost type word, a portal headline):
        # the classifier's title lines at the top of the text stand in.
        top = ctx.structure.lines[:_HEADER_WINDOW]
        top_roles = roles[: len(top)]  # classified in one go
        title_lines = tuple(line for line in top if top_roles[line.index] == "title")
    # Each line's type-word verdict is read twice: judged once.
    type_lines = [is_doc_type_line(line.text.strip()) for line in title_lines]
    typed = any(type_lines)
    for position, line in enumerate(title_lines):
        text = line.text.strip()
        if type_lines[position] or separator.match(text):
            continue
        subject = _SUBJECT.match(text)
        # A type word opening the title line stands for the type only when no
        # type line came before: "NGHỊ ĐỊNH" / "Quy định về …" keeps "Quy định".
        prefix = (
            0 if typed or position else doc_type_prefix(line.text) or headline_prefix(line.text)
        )
        start = line.start + (subject.end() if subject else prefix)
        if start < line.end:
            pieces.append((start, line.end, ctx.text[start : line.end].strip()))
    if not pieces:
        return None
    title = " ".join(text for _, _, text in pieces)
    return Found(title, tuple((start, end) for start, end, _ in pieces))
