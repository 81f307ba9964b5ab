"""Lines of a normalized text, with their offsets, and rule-based line roles.

Roles are the labels of ``annotations/GUIDE.md`` ("Line roles"). The rules
here are the baseline the trained line classifier is measured against, and
the fallback when no model is loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal, get_args

import regex

from extractor.data import compile_pattern, load
from extractor.text.normalize import match_key

Role = Literal[
    "noise",
    "org",
    "motto",
    "number",
    "place_date",
    "doc_type",
    "title",
    "addressee",
    "heading",
    "body",
    "recipients",
    "signer_authority",
    "signer_position",
    "signer_name",
    "annex",
    "table",
    "footnote",
]

ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the normalized text: ``text == normalized[start:end]``."""

    index: int
    start: int
    end: int
    text: str


def split_lines(text: str) -> tuple[Line, ...]:
    """The non-blank lines of ``text`` with their offsets.

    >>> [(line.index, line.start, line.text) for line in split_lines("a\\n\\n b")]
    [(0, 0, 'a'), (1, 3, ' b')]
    """
    lines: list[Line] = []
    append = lines.append
    position = 0
    for raw in text.split("\n"):
        size = len(raw)
        # Non-blank: isspace() asks what strip() would, without a copy.
        if size and not raw.isspace():
            append(Line(len(lines), position, position + size, raw))
        position += size + 1
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class LinePatterns:
    """The compiled line patterns of ``data/structure.json``."""

    motto: regex.Pattern[str]
    number_line: regex.Pattern[str]
    place_date: regex.Pattern[str]
    separator: regex.Pattern[str]
    closing_start: regex.Pattern[str]
    signer_authority: regex.Pattern[str]
    annex_start: regex.Pattern[str]
    title_stop: regex.Pattern[str]
    subject_line: regex.Pattern[str]
    doc_type_prefix: regex.Pattern[str]
    enacting_authority: regex.Pattern[str]
    doc_type_keys: frozenset[str]


@functools.cache
def line_patterns() -> LinePatterns:
    """Compile the structure patterns once per process."""
    patterns = load("structure")["patterns"]
    compiled = {name: compile_pattern(entry) for name, entry in patterns.items()}
    doc_type_keys = frozenset(match_key(entry["name"]) for entry in load("doc_types")["doc_types"])
    return LinePatterns(doc_type_keys=doc_type_keys, **compiled)


_TRAILING_PUNCT = regex.compile(r"[\s:.;,]+$")
_TABLE_ROW = regex.compile(r"^\|.*\|\s*$|^[^|\n]{1,200}(?:\|[^|\n]{0,200}){2,}$")
_FOOTNOTE = regex.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S|^\(\d{1,2}\)\s+\p{Lu}")
_PERSON_NAME = regex.compile(r"^(?:\p{Lu}\p{Ll}*\s+){1,5}\p{Lu}\p{Ll}*$")


@functools.lru_cache(maxsize=16384)
def is_doc_type_line(text: str) -> bool:
    """Tell whether the line is just a document-type word ("KẾ HOẠCH", "Quyết định").

    >>> is_doc_type_line("KẾ HOẠCH"), is_doc_type_line("Kế hoạch này được")
    (True, False)
    """
    return match_key(_TRAILING_PUNCT.sub("", text)) in line_patterns().doc_type_keys


def doc_type_prefix(text: str) -> int:
    """Length of a type word opening a longer all-caps title line, else 0.

    >>> doc_type_prefix("KẾ HOẠCH HÀNH ĐỘNG"), doc_type_prefix("Kế hoạch hành động")
    (9, 0)
    """
    found = line_patterns().doc_type_prefix.match(text.strip())
    return found.end() if found and is_upper(text) else 0


def headline_prefix(text: str) -> int:
    """Length of a type word opening a headline in any case ("Thông báo Lịch tiếp…"), else 0.

    >>> headline_prefix("Thông báo Lịch tiếp công dân"), headline_prefix("Thông báo này")
    (10, 0)
    """
    words = text.split()
    for size in (3, 2):
        head = " ".join(words[:size])
        if len(words) > size + 1 and match_key(head) in line_patterns().doc_type_keys:
            following = words[size]
            # "Kế hoạch này …", "Thông báo về …" open sentences; a headline goes on
            # with the subject itself.
            if following.casefold() in _SENTENCE_WORDS:
                return 0
            return len(text) - len(text.lstrip()) + len(head) + 1
    return 0


_SENTENCE_WORDS = frozenset(
    {"này", "số", "được", "đã", "sẽ", "là", "của", "và", "cho", "thì", "nêu", "trên", "kèm"}
)


_UPPER_LETTER = regex.compile(r"\p{Lu}")
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))
_LOWER_LETTER = regex.compile(r"\p{Ll}")


@functools.lru_cache(maxsize=65536)
def is_upper(text: str) -> bool:
    """True when the line's letters are (almost) all capitals.

    Letters are counted by regex (in C): this runs on every line, many times
    (cached per line text; a pure function of it).

    >>> is_upper("ĐẢNG ỦY KHỐI"), is_upper("Đảng ủy Khối"), is_upper("123")
    (True, False, False)
    """
    # ASCII a-z are lower-case letters in every Unicode version, and in UTF-8
    # a byte below 0x80 is always its ASCII character: counting them in the
    # bytes (in C, no list) gives a floor of the small letters that already
    # rules out most prose lines, by the same test as below.
    data = text.encode("utf-8", "surrogatepass")
    ascii_lower = len(data) - len(data.translate(None, _ASCII_LOWER))
    if len(text) - ascii_lower < 0.85 * len(text):
        return False
    lower = len(_LOWER_LETTER.findall(text))
    # Even if every other character were a capital, too many small letters:
    # most lines are prose, and this skips counting their capitals.
    most_upper = len(text) - lower
    if most_upper < 0.85 * (most_upper + lower):
        return False
    upper = len(_UPPER_LETTER.findall(text))
    if not upper:
        return False
    return upper >= 0.85 * (upper + lower)


def looks_like_person_name(text: str) -> bool:
    """Two to six capitalised words: "Phạm Phước Trãi", "Nguyễn Văn Mạnh".

    >>> looks_like_person_name("Phạm Phước Trãi"), looks_like_person_name("Lưu VP")
    (True, False)
    """
    return bool(_PERSON_NAME.match(text.strip())) and len(text) <= 40


@functools.lru_cache(maxsize=16384)
def rule_role(text: str) -> Role:
    """The role of one line judged by its own text alone (no context).

    >>> rule_role("Số 60 -KH/ĐUK"), rule_role("T/M BAN THƯỜNG VỤ"), rule_role("-----")
    ('number', 'signer_authority', 'noise')
    """
    patterns = line_patterns()
    stripped = text.strip()
    if patterns.separator.match(stripped):
        return "noise"
    if patterns.motto.match(stripped):
        return "motto"
    if patterns.number_line.match(stripped):
        return "number"
    if patterns.place_date.match(stripped):
        return "place_date"
    if is_doc_type_line(stripped):
        return "doc_type"
    if patterns.subject_line.match(stripped):
        return "title"
    if patterns.closing_start.match(stripped):
        return "recipients"
    if patterns.signer_authority.match(stripped):
        return "signer_authority"
    if patterns.annex_start.match(stripped):
        return "annex"
    if _TABLE_ROW.match(stripped):
        return "table"
    if _FOOTNOTE.match(stripped):
        return "footnote"
    return "body"
