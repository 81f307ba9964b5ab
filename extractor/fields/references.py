"""Cited documents: every numbered document the text refers to.

A citation is found by its number, read by regex on the normalized text
(party style ``60-KH/ĐUK``, state style ``123/KH-UBND`` and
``15/2020/TT-BGDĐT``, standards ``QCVN 55:2013/BTNMT``, short forms
"Kết luận số 01"). Around the number: the type word printed before it, the
date and the issuer ("của …") printed after it.

A citation is ``implements`` when it stands in an implementing sentence of
the preamble (one opened by "Thực hiện", "Căn cứ", "Triển khai", "Theo đề
nghị", "Xét"…, before the first numbered heading), or in a title that says
the document carries it out ("Hướng dẫn thực hiện Quy định số …"); every
other citation is ``mentions``. Every citation inside an implementing
sentence counts, the documents it names in passing included ("Kế hoạch số
31-KH/HU … thực hiện Kết luận số 21-KL/TW"): the annotators read the
preamble as the document's basis.

The document's own number is not a reference: its "Số …" line, a "Nghị
quyết số: …" number line, the portal lead that names it ("… vừa ban hành
Quy định số 213-QĐ/TW"), and a standard the document itself issues (same
year and issuer as its own number). Patterns and vocabularies live in
``data/references.json``.

>>> from extractor.document import Document
>>> ctx = Context.of(Document.from_text(
...     "Số 60-KH/ĐUK\\nKẾ HOẠCH\\nvề X\\n"
...     "Thực hiện Hướng dẫn số 40-HD/BTGTU, ngày 09/3/2022 của Ban Tuyên giáo Tỉnh ủy.\\n"
...     "I. MỤC ĐÍCH\\nQuán triệt Kết luận số 21-KL/TW của BCH Trung ương (khóa XIII)."))
>>> [(f.value.number, f.value.date, f.value.issuer, f.value.relation)
...  for f in extract_references(ctx)]  # doctest: +NORMALIZE_WHITESPACE
[('40-HD/BTGTU', '2022-03-09', 'Ban Tuyên giáo Tỉnh ủy', 'implements'),
 ('21-KL/TW', None, 'Ban Chấp hành Trung ương', 'mentions')]
"""

from __future__ import annotations

import bisect
import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import regex

from extractor.data import Requires, compile_pattern, load
from extractor.fields.context import Context, Found
from extractor.fields.dates import find_dates
from extractor.fields.organizations import expand_abbreviations, symbol_parts
from extractor.record import Reference, Relation
from extractor.text.normalize import match_key

#: How far before a number its type word may stand ("Luật Tổ chức Chính phủ số …").
_TYPE_WINDOW = 160
#: How far after a number the date, and after the date the issuer, are looked for.
_DATE_WINDOW = 90
_ISSUER_WINDOW = 240
_ISSUER_MAX_WORDS = 18
#: How much of a citation's line, before it, tells whether it is the own number.
_PREFIX_WINDOW = 200
#: How far back, inside an implementing sentence, a repeal verb governs a citation.
_CLAUSE_WINDOW = 300
#: The first lines of a text, where a portal lead names the document itself.
_LEAD_LINES = 3

_KINDS = ("party", "state", "standard", "short")
_TOKEN = regex.compile(r"[^\s,;:.()\[\]“”\"]+|[,;:.()\[\]“”\"]|\n")
_CLAUSE_END = regex.compile(r";|[.!?](?=\s{1,3}\p{Lu})")
_SENTENCE_END = regex.compile(r"[.!?](?=\s{1,3}\p{Lu})|[.!?]\W{0,3}$")
# An opener may also start a clause after ";" or ")" ("Căn cứ Điều lệ Đảng;
# Căn cứ Kết luận số …"); sentences are not always closed by a full stop.
_CLAUSE_START = regex.compile(r"(?<=[;)])\s{1,3}(?=\p{Lu})")
_TERMINATED = regex.compile(r"[.;:!?]\W{0,3}$")
_SO_TAIL = regex.compile(r"(?:^|\s)số\s{0,2}:?\s{0,2}$", regex.IGNORECASE)
_ATTACHED = regex.compile(r"^\s{0,3}(?:số\s{0,2}:?\s{0,2})?$", regex.IGNORECASE)
_SUBJECT_LINE = regex.compile(r"^\W{0,3}V/v\b", regex.IGNORECASE)
# The term of office ("khóa XIII", "(khóa IX)") is not part of a body's name.
_KHOA = regex.compile(r"\s{0,2}\(?\s{0,2}kh[oó]a\s{1,2}[IVXLC\d]{1,8}\s{0,2}\)?$", regex.IGNORECASE)
_TRAILING_JOINER = regex.compile(r"(?:\s{1,3}(?:và|-|–))+$")
_ISSUER_LEAD = regex.compile(r"[\s,]{0,3}(?:(?P<of>của)\s{1,2})?")
_NATIONAL_ASSEMBLY = regex.compile(r"^QH\d{0,2}$")
_STANDING_COMMITTEE = regex.compile(r"^UBTVQH\d{0,2}$")
_SYMBOL_SPLIT = regex.compile(r"[\s\-–.]+")
_STANDARD_PARTS = regex.compile(r":(?P<year>\d{4})(?:/(?P<issuer>[^/\s]+))?$")
_STATE_YEAR = regex.compile(r"^\d{1,6}/(?P<year>\d{4})/")
_DATE_WORD = regex.compile(r"(?<![\p{L}])ngày(?![\p{L}])", regex.IGNORECASE)
_DATE_START = regex.compile(r"[\s,;:(]{0,4}(?:ngày|ban\s{1,2}hành|ký|\d)", regex.IGNORECASE)
_CELL_JUNK = " \t|*"
_T = TypeVar("_T")
_ABBREVIATIONS_BEFORE_DOT = frozenset({"TP", "TX", "TT", "VP"})


@dataclass(frozen=True, slots=True)
class Citation:
    """One printed citation of a numbered document.

    ``start``/``end`` is the span of the printed number (the sequence of a
    short form); ``tail`` where the number and its date end; ``short`` the
    ``(sequence, type code)`` that lets "Kết luận số 21" join "21-KL/TW";
    ``key`` the folded number (one reference per key).
    """

    number: str
    start: int
    end: int
    kind: str
    doc_type: str | None
    date: str | None
    issuer: str | None
    short: tuple[int, str] | None
    tail: int
    key: str
    #: Where the date was printed when it stands apart from the number (a lead
    #: that opens "Ngày 14-11-2016, … đã ban hành Nghị quyết số …").
    date_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class _Grammar:
    numbers: tuple[tuple[str, regex.Pattern[str], Requires], ...]
    opener: regex.Pattern[str]
    mid_trigger: regex.Pattern[str]
    mid_trigger_requires: Requires
    own_prefix: regex.Pattern[str]
    lead_prefix: regex.Pattern[str]
    #: The two above searched from the end of the prefix (their matches end
    #: there): whether one matches does not depend on the direction.
    own_prefix_reversed: regex.Pattern[str]
    lead_prefix_reversed: regex.Pattern[str]
    lead_announces: regex.Pattern[str]
    not_a_document: regex.Pattern[str]
    form_list_gap: regex.Pattern[str]
    title_implements: regex.Pattern[str]
    date_gap: regex.Pattern[str]
    repeals: regex.Pattern[str]
    repeals_requires: Requires
    list_joiner: regex.Pattern[str]
    list_item: regex.Pattern[str]
    basis_heading: regex.Pattern[str]
    issuer_head: regex.Pattern[str]
    type_words: regex.Pattern[str]
    party_codes: frozenset[str]
    type_names: tuple[str, ...]
    type_codes: tuple[str | None, ...]
    code_names: dict[str, str]
    stop_words: frozenset[str]
    stop_bigrams: frozenset[str]
    #: Each type word is letters and whitespace only (checked when compiled):
    #: no match then runs over another character, which lets a search for the
    #: last type word before a number start after the last such character.
    letters_only: bool


def _type_alternatives(data: dict[str, Any]) -> str:
    return "|".join(f"(?:{entry['pattern']})" for entry in data["doc_types"])


def compile_with_types(entry: dict[str, Any]) -> regex.Pattern[str]:
    """Compile a pattern entry of ``data/references.json``.

    ``(?&type)`` in a pattern stands for any printed type word of the
    file's ``doc_types`` (case-insensitive).

    >>> pattern = compile_with_types({"pattern": "^(?&type) số$", "flags": ""})
    >>> bool(pattern.match("Kế hoạch số")), bool(pattern.match("Lịch số"))
    (True, False)
    """
    if "(?&type)" not in entry["pattern"]:
        return compile_pattern(entry)
    types = _type_alternatives(load("references"))
    # Written out in place rather than defined once and called: a group call
    # backtracks as the group written out does and captures nothing, so the
    # matches are the same, and the regex module runs it several times faster.
    pattern = entry["pattern"].replace("(?&type)", f"(?i:{types})")
    return compile_pattern({**entry, "pattern": pattern})


@functools.cache
def _grammar() -> _Grammar:
    data: dict[str, Any] = load("references")
    patterns = data["patterns"]
    # One group per type word, so a match tells which type it is.
    groups = "|".join(
        f"(?P<t{index}>{entry['pattern']})" for index, entry in enumerate(data["doc_types"])
    )
    names = tuple(entry["name"] for entry in data["doc_types"])
    codes = tuple((entry.get("codes") or [None])[0] for entry in data["doc_types"])
    code_names: dict[str, str] = {}
    for entry in data["doc_types"]:
        for code in entry.get("codes", []):
            code_names.setdefault(code, entry["name"])
    stops = data["issuer_stops"]

    def compiled(name: str) -> regex.Pattern[str]:
        return compile_with_types(patterns[name])

    return _Grammar(
        numbers=tuple((kind, compiled(kind), Requires.of(patterns[kind])) for kind in _KINDS),
        opener=compiled("opener"),
        mid_trigger=compiled("mid_trigger"),
        mid_trigger_requires=Requires.of(patterns["mid_trigger"]),
        own_prefix=compiled("own_prefix"),
        lead_prefix=compiled("lead_prefix"),
        own_prefix_reversed=_reversed(compiled("own_prefix")),
        lead_prefix_reversed=_reversed(compiled("lead_prefix")),
        lead_announces=compiled("lead_announces"),
        not_a_document=compiled("not_a_document"),
        form_list_gap=compiled("form_list_gap"),
        title_implements=compiled("title_implements"),
        date_gap=compiled("date_gap"),
        repeals=compiled("repeals"),
        repeals_requires=Requires.of(patterns["repeals"]),
        list_joiner=compiled("list_joiner"),
        list_item=compiled("list_item"),
        basis_heading=compiled("basis_heading"),
        issuer_head=compiled("issuer_head"),
        type_words=regex.compile(rf"(?<![\p{{L}}])(?:{groups})(?![\p{{L}}])", regex.IGNORECASE),
        party_codes=frozenset(data["party_codes"]["codes"]),
        type_names=names,
        type_codes=codes,
        code_names=code_names,
        stop_words=frozenset(stops["words"]),
        stop_bigrams=frozenset(stops["bigrams"]),
        letters_only=all(_LETTERS_ONLY.fullmatch(entry["pattern"]) for entry in data["doc_types"]),
    )


def _reversed(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """``pattern`` searching from the end of the text backwards (regex's ``REVERSE``).

    It finds a match wherever the forward search finds one, but tries the
    positions from the end: a label that must end the prefix ("… số:") is
    then settled at once instead of after a try at every character.
    """
    return regex.compile(pattern.pattern, pattern.flags | regex.REVERSE)


#: A type-word pattern made of letters, ``\s{m,n}``, optional groups and
#: alternatives only: its matches hold letters and whitespace only.
_LETTERS_ONLY = regex.compile(r"(?:\p{L}|\\s\{\d,\d\}|\(\?:|\)\??|\|)+")
#: The last character that no type word holds (anything but letters and whitespace).
_LAST_NOT_IN_TYPE_WORD = regex.compile(r"(?r)[^\p{L}\s]")


def normalize_number(printed: str) -> str:
    """A printed number without whitespace, its characters otherwise kept.

    >>> normalize_number("100 - KL/TW"), normalize_number("09/2025/TT- BXD")
    ('100-KL/TW', '09/2025/TT-BXD')
    """
    return "".join(printed.split())


@functools.lru_cache(maxsize=4096)
def fold_number(number: str) -> str:
    """The comparison key of a number: folded case and tones, no whitespace.

    >>> fold_number("60 -KH/ĐUK") == fold_number("60-kh/đuk")
    True
    """
    return "".join(match_key(number).split())


# --- the parts of one citation ------------------------------------------------


def _type_index(match: regex.Match[str], grammar: _Grammar) -> int:
    name = match.lastgroup
    if name is not None and grammar.type_words.groups == len(grammar.type_names):
        # The ``t<index>`` groups are the pattern's only groups, and one of
        # them took part: it is the last (and only) group that matched.
        return int(name[1:])
    spans = match.regs
    for index, group in enumerate(_type_groups(grammar.type_words, len(grammar.type_names))):
        if spans[group][0] >= 0:  # the group of type ``index`` took part
            return index
    raise AssertionError("a type-word match always has a group")  # pragma: no cover


@functools.cache
def _type_groups(type_words: regex.Pattern[str], count: int) -> tuple[int, ...]:
    """The group number of each type's ``t<index>`` group in ``type_words``."""
    return tuple(type_words.groupindex[f"t{index}"] for index in range(count))


def _printed_type(text: str, start: int, grammar: _Grammar) -> int | None:
    """The type word printed just before a number ("Kế hoạch số", "Luật … số")."""
    window = text[max(0, start - _TYPE_WINDOW) : start]
    # A type word never reaches across a clause: "…; Căn cứ Luật … số".
    clause_ends = list(_CLAUSE_END.finditer(window))
    if clause_ends:
        window = window[clause_ends[-1].end() :]
    matches = _last_type_words(window, grammar)
    if not matches:
        return None
    last = matches[-1]
    gap = window[last.end() :]
    # "Luật Tổ chức Chính phủ số …" is attached; "Tờ trình số 3690/… ngày
    # 19/12/2025, Văn bản số …" is not: a date in between closes a citation.
    if not (_ATTACHED.match(gap) or (_SO_TAIL.search(gap) and not _DATE_WORD.search(gap))):
        return None
    # "công văn hướng dẫn số 237/…" is a công văn: of two adjacent type
    # words the first names the document, the second its purpose.
    if len(matches) > 1 and not window[matches[-2].end() : last.start()].strip():
        last = matches[-2]
    return _type_index(last, grammar)


def _last_type_words(window: str, grammar: _Grammar) -> list[regex.Match[str]]:
    """The type words of ``window`` from the last stretch that holds one.

    Only the last word and one right before it ("công văn hướng dẫn") count.
    Type words hold letters and whitespace only, so the stretches between
    other characters are searched one at a time from the end, each as the
    whole window would be (their ends are not letters: the type words'
    lookarounds see the same), until one holds a type word.
    ``tests/test_fast_paths.py`` checks it against the whole window's search.
    """
    if not grammar.letters_only:
        return list(grammar.type_words.finditer(window))
    end = len(window)
    while True:
        other = _LAST_NOT_IN_TYPE_WORD.search(window, 0, end)
        if other is None:
            return list(grammar.type_words.finditer(window, 0, end))
        matches = list(grammar.type_words.finditer(window, other.end(), end))
        if matches:
            return matches
        end = other.start()


def _code_of(kind: str, match: regex.Match[str], grammar: _Grammar) -> str | None:
    """The type code a number carries: "KH" in 60-KH/ĐUK and 123/KH-UBND."""
    if kind == "party":
        return match.group("code")
    if kind == "short":
        return _short_code(match.group("type"), grammar)
    if kind == "state":
        first = _SYMBOL_SPLIT.split(match.group("symbol"))[0]
        if first in grammar.code_names:
            return first
        if _STANDING_COMMITTEE.match(first):
            return "NQ"
        if _NATIONAL_ASSEMBLY.match(first):
            return "L"
        # A state number without a type code is a letter's (197/STTTT).
        return "CV"
    return None


def _short_code(printed: str, grammar: _Grammar) -> str | None:
    match = grammar.type_words.fullmatch(printed)
    if match is None:  # pragma: no cover - the short pattern only has known words
        return None
    index = _type_index(match, grammar)
    # "Quy định" has no code of its own: party regulations are numbered QĐ.
    return grammar.type_codes[index] or ("QĐ" if grammar.type_names[index] == "Quy định" else None)


def _doc_type(text: str, kind: str, match: regex.Match[str], grammar: _Grammar) -> str | None:
    """The type: the word printed before the number, else the number's code."""
    if kind == "standard":
        qcvn = match.group("kind") == "QCVN"
        return "Quy chuẩn kỹ thuật quốc gia" if qcvn else "Tiêu chuẩn quốc gia"
    if kind == "short":
        short = grammar.type_words.fullmatch(match.group("type"))
        return grammar.type_names[_type_index(short, grammar)] if short else None
    printed = _printed_type(text, match.start(), grammar)
    if printed is not None:
        return grammar.type_names[printed]
    code = _code_of(kind, match, grammar)
    if code == "L":
        return "Luật"
    return grammar.code_names.get(code) if code else None


def _date_after(text: str, end: int, grammar: _Grammar) -> tuple[str | None, int]:
    """The date printed right after a number ("…, ngày 09/3/2022") and where it ends."""
    window = text[end : end + _DATE_WINDOW]
    # Most numbers are not followed by a date: skip the date grammar then.
    if not _DATE_START.match(window):
        return None, end
    dates = find_dates(window)
    if dates and grammar.date_gap.match(window[: dates[0].start]):
        return dates[0].iso, end + dates[0].end
    return None, end


def _starts_type_word(text: str, position: int, grammar: _Grammar) -> bool:
    return text[position : position + 1].isupper() and bool(
        grammar.type_words.match(text, position)
    )


def _issuer_after(text: str, position: int, grammar: _Grammar) -> str | None:
    """The issuer printed after a citation: "của Ban Tuyên giáo Tỉnh ủy", "Bộ Chính trị".

    Without "của" the name must open with an organisation word ("Ban",
    "Bộ", "Sở"…). The name runs until punctuation that ends it, a
    lowercase word that opens the rest of the sentence ("về", "ban hành"),
    or the type word of the next citation; "(khóa …)" is dropped.
    """
    window = text[position : position + _ISSUER_WINDOW]
    lead = _ISSUER_LEAD.match(window)
    offset = lead.end() if lead else 0
    if not window[offset : offset + 1].isupper():
        return None
    if not (lead and lead.group("of")) and not grammar.issuer_head.match(window[offset:]):
        return None
    rest = window[offset:]
    kept_end = 0
    words = 0
    # Tokens are read lazily, each with the next: the name mostly ends after a few.
    for token, after in _with_next(_TOKEN.finditer(rest)):
        value = token.group()
        following = after.group() if after else ""
        if value == "\n":
            # A name wraps onto the next line after "và" or into a lowercase
            # word ("Phát triển\nnông thôn"); a new line that opens with a
            # capital ("Chính phủ\nCăn cứ …") or a blank line ends it.
            last = rest[:kept_end].split()[-1:]
            if following[:1].islower() or last == ["và"]:
                continue
            break
        if value == ",":
            # "Bộ Văn hóa, Thể thao và Du lịch" and "Bộ Chính trị, Ban Bí
            # thư" go on; ", Kế hoạch số …" and ", ngày …" do not.
            if after is None or not following[:1].isupper():
                break
            if _starts_type_word(rest, after.start(), grammar):
                break
            continue
        if value == ".":
            # "UBND TP. Hồ Chí Minh": a dot after an abbreviation goes on.
            before = rest[: token.start()].split()
            if before and before[-1] in _ABBREVIATIONS_BEFORE_DOT:
                kept_end = token.end()
                continue
            break
        if value in {"-", "–"} and following[:1].isupper():
            # "Bộ Văn hóa - Thông tin", "Hội đồng nhân dân - Ủy ban nhân dân"
            continue
        if len(value) == 1 and not value.isalnum():
            break
        if value in grammar.stop_words or (
            value[0].islower() and f"{value} {following}" in grammar.stop_bigrams
        ):
            break
        if words and _starts_type_word(rest, token.start(), grammar):
            break
        if value == "và" and (after is None or _starts_type_word(rest, after.start(), grammar)):
            break
        words += 1
        kept_end = token.end()
        if words >= _ISSUER_MAX_WORDS:
            break
    name = " ".join(rest[:kept_end].split())
    name = _KHOA.sub("", _TRAILING_JOINER.sub("", name))
    return _expanded(name) if name else None


@functools.lru_cache(maxsize=4096)
def _expanded(name: str) -> str:
    # Cached: a few issuers are named again and again ("Ban Chấp hành Trung
    # ương", "Bộ Chính trị"); a pure function of an immutable string.
    return expand_abbreviations(name)


def _with_next(items: Iterator[_T]) -> Iterator[tuple[_T, _T | None]]:
    """Each item with the one after it (None after the last)."""
    previous = next(items, None)
    if previous is None:
        return
    for item in items:
        yield previous, item
        previous = item
    yield previous, None


def _short_key(code: str | None, match: regex.Match[str]) -> tuple[int, str] | None:
    if code is None or "seq" not in match.re.groupindex:
        return None
    return int(match.group("seq")), code


def _line_prefix(text: str, start: int) -> str:
    """The text of a citation's line before it (at most ``_PREFIX_WINDOW`` characters)."""
    line_start = text.rfind("\n", max(0, start - _PREFIX_WINDOW), start) + 1
    return text[max(line_start, start - _PREFIX_WINDOW) : start]


#: How every ``not_a_document`` label ends: "mẫu", "biểu", "phụ lục", "biểu mẫu báo cáo",
#: "mẫu có ký hiệu" (then maybe "số", ":").
_FORM_WORDS = ("mẫu", "biểu", "lục", "báo cáo", "ký hiệu")


def _not_a_document(prefix: str, grammar: _Grammar) -> bool:
    """Whether ``prefix`` labels a form or an annex ("Mẫu số", "Phụ lục"), not a document.

    The label ends the prefix: one that ends with none of its words is
    settled without a search (checked in ``tests/test_fast_paths.py``).

    >>> grammar = _grammar()
    >>> _not_a_document("theo Mẫu số ", grammar), _not_a_document("Kế hoạch số ", grammar)
    (True, False)
    """
    tail = prefix.rstrip(" \t:").casefold()
    if tail.endswith("số"):
        tail = tail[:-2].rstrip(" \t")
    if not tail.endswith(_FORM_WORDS):
        return False
    return grammar.not_a_document.search(prefix) is not None


def find_citations(text: str) -> list[Citation]:
    """Every numbered citation printed in ``text``, left to right, without overlaps.

    A form or annex number ("Mẫu số 02/KK-TNCN") is not a document.

    >>> [(c.number, c.doc_type, c.date) for c in find_citations(
    ...     "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15; "
    ...     "Quyết định số 34/2014/QĐ-TTg ngày 30/5/2014 của Thủ tướng Chính phủ")]
    [('63/2025/QH15', 'Luật', None), ('34/2014/QĐ-TTg', 'Quyết định', '2014-05-30')]
    """
    grammar = _grammar()
    found: list[tuple[int, int, str, regex.Match[str]]] = []
    for kind, pattern, requires in grammar.numbers:
        if not requires.may_match(text):
            continue  # every match holds one of its literals ("QCVN", "TCVN")
        group = {"standard": "number", "short": "seq"}.get(kind, 0)
        for match in pattern.finditer(text):
            start, end = match.span(group)
            found.append((start, end, kind, match))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    citations: list[Citation] = []
    taken_end = form_end = -1
    for start, end, kind, match in found:
        if start < taken_end:
            continue
        if kind == "party" and match.group("code") not in grammar.party_codes:
            continue
        taken_end = end
        if _not_a_document(_line_prefix(text, match.start()), grammar) or (
            # The next items of a list of forms ("biểu mẫu số: 02/KH/T-N, 01/TCCB/N").
            0 <= form_end <= match.start()
            and grammar.form_list_gap.match(text[form_end : match.start()])
        ):
            form_end = end
            continue
        form_end = -1
        date, after = _date_after(text, end, grammar)
        number = normalize_number(text[start:end])
        citations.append(
            Citation(
                number=number,
                start=start,
                end=end,
                kind=kind,
                doc_type=_doc_type(text, kind, match, grammar),
                date=date,
                issuer=_issuer_after(text, after, grammar),
                short=_short_key(_code_of(kind, match, grammar), match),
                tail=after,
                key=fold_number(number),
            )
        )
    return _share_issuers(text, citations, grammar)


def _document_citations(ctx: Context) -> list[Citation]:
    """:func:`find_citations` of the whole text, found once per document.

    The lead, the own number and the references all read them; callers
    never change the list (its items are frozen).
    """
    return ctx.memo("citations", lambda: find_citations(ctx.text))


def _share_issuers(text: str, citations: list[Citation], grammar: _Grammar) -> list[Citation]:
    """Give a list of citations the issuer printed after its last one.

    "Thông tư số 06/2023/TT-BGDĐT ngày 24/03/2023 và Thông tư số
    02/2024/TT-BGDĐT ngày 06/3/2024 của Bộ trưởng Bộ Giáo dục và Đào tạo":
    both are the minister's.
    """
    shared = list(citations)
    for index in range(len(shared) - 2, -1, -1):
        citation, following = shared[index], shared[index + 1]
        if citation.issuer is None and following.issuer is not None:
            gap = text[citation.tail : following.start]
            if grammar.list_joiner.match(gap):
                shared[index] = replace(citation, issuer=following.issuer)
    return shared


# --- the preamble and the relation ----------------------------------------------


def preamble_end(ctx: Context) -> int:
    """Where the preamble ends: the first numbered heading, else the closing.

    >>> from extractor.document import Document
    >>> ctx = Context.of(Document.from_text("KẾ HOẠCH\\nvề X\\nThực hiện Y.\\nI. MỤC ĐÍCH\\nZ"))
    >>> ctx.text[preamble_end(ctx):][:11]
    'I. MỤC ĐÍCH'
    """
    # Asked by the relation, the own number and the implementing spans alike.
    return ctx.memo("preamble_end", lambda: _preamble_end(ctx))


def _preamble_end(ctx: Context) -> int:
    for section in ctx.sections:
        # "V/v …" (a letter's subject line) reads as a roman "V" to the
        # section tree; it is the title, not the first heading.
        if not _SUBJECT_LINE.match(ctx.text[section.start : section.start + 8]):
            return section.start
    closing = ctx.lines_in("closing", "annex")
    return closing[0].start if closing else len(ctx.text)


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one line: split after ". " before a capital."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _active_from(sentence: str, grammar: _Grammar) -> int | None:
    """Where an implementing part of a sentence begins, if it has one."""
    if grammar.opener.match(sentence.lstrip()):
        return 0
    for clause in _CLAUSE_START.finditer(sentence):
        if grammar.opener.match(sentence[clause.end() :]):
            return clause.end()
    if not grammar.mid_trigger_requires.may_match(sentence):
        return None
    trigger = grammar.mid_trigger.search(sentence)
    return trigger.start() if trigger else None


def implementing_spans(ctx: Context) -> list[tuple[int, int]]:
    """The spans of the preamble's implementing sentences ("Thực hiện …", "Căn cứ …").

    Such a sentence runs on over ";" (a list of documents) and over wrapped
    lines, and ends at a full stop or at a line that ends a clause. An
    opener may also start a clause after ";" or ")", and "(được) thực hiện
    theo …" or "căn cứ vào …" inside a sentence starts one. An opener line
    that ends with ":" ("Căn cứ:") takes the list of documents under it, and
    a top-level section headed "Căn cứ …" / "Cơ sở pháp lý" is a basis as a
    whole.

    >>> from extractor.document import Document
    >>> ctx = Context.of(Document.from_text(
    ...     "KẾ HOẠCH\\nvề X\\nCăn cứ A;\\nB.\\nCăn cứ:\\n- Luật Y;\\nZ.\\nI. MỤC ĐÍCH"))
    >>> [ctx.text[s:e] for s, e in implementing_spans(ctx)]
    ['Căn cứ A;', 'Căn cứ:', '- Luật Y;']
    """
    grammar = _grammar()
    end = preamble_end(ctx)
    spans: list[tuple[int, int]] = []
    active = listing = False
    previous: tuple[int, str] = (-2, "")
    for line in ctx.structure.lines:
        if line.start >= end:
            break
        if listing and grammar.list_item.match(line.text):
            spans.append((line.start, line.end))
            previous = (line.end, line.text)
            continue
        wrapped = line.start == previous[0] + 1 and not _TERMINATED.search(previous[1])
        for index, (start, stop) in enumerate(_sentences(line.text)):
            sentence = line.text[start:stop]
            begin = _active_from(sentence, grammar)
            if index == 0 and active and wrapped:
                begin = 0
            active = begin is not None
            if begin is not None:
                spans.append((line.start + start + begin, line.start + stop))
        listing = active and line.text.rstrip().endswith(":")
        previous = (line.end, line.text)
    spans.extend(
        (section.start, section.end)
        for section in ctx.structure.sections
        if section.heading and grammar.basis_heading.match(section.heading)
    )
    spans.extend(_unlabelled_bases(ctx, end))
    return sorted(set(spans))


_BULLETS = "-+•*–"
_LETTER = regex.compile(r"\p{L}")


def _unlabelled_bases(ctx: Context, end: int) -> list[tuple[int, int]]:
    """A list of legal bases whose "Căn cứ:" opener was not printed (or was lost).

    The text after the title opens straight on a bulleted run of cited
    documents, each but the last closed by ";" ("- Luật Công nghệ thông tin
    ngày 29/6/2006;" / "- Nghị quyết số 57-NQ/TW …;"): that is the basis
    block of a state document. A run of two items at least; a run that comes
    after the first sentence of the body is content, not a basis.
    """
    grammar = _grammar()
    run: list[tuple[int, int, str]] = []
    for line, zone in zip(ctx.structure.lines, ctx.structure.zones, strict=True):
        if line.start >= end:
            break
        if not run and (zone in {"header", "title"} or not _LETTER.search(line.text)):
            continue  # the header, the title and separators ("-----") before the run
        text = line.text.strip()
        if text[:1] in _BULLETS and grammar.list_item.match(text):
            if run and not run[-1][2].rstrip().endswith(";"):
                break
            run.append((line.start, line.end, text))
            continue
        break
    return [(start, stop) for start, stop, _ in run] if len(run) > 1 else []


def _is_title_continuation(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and (letters[0].islower() or not any(c.islower() for c in letters))


def _title_spans(ctx: Context, end: int) -> list[tuple[int, int]]:
    """The title blocks before ``end``: title-zone runs and "V/v …" lines.

    A title runs on over all-caps lines and lines that continue in
    lowercase; a line in sentence case after the first ends it (the zone
    may run into the preamble: "CHỈ THỊ / VỀ … / Sau 02 năm triển khai …").
    """
    spans: list[tuple[int, int]] = []
    in_run = False  # inside a run of title-zone lines
    open_block = False  # the current title block still takes lines
    for line, zone in zip(ctx.structure.lines, ctx.structure.zones, strict=True):
        if line.start >= end:
            break
        if _SUBJECT_LINE.match(line.text) or (zone == "title" and not in_run):
            spans.append((line.start, line.end))
            in_run = open_block = True
        elif zone != "title" and not open_block:
            in_run = False
        elif open_block and _is_title_continuation(line.text):
            spans[-1] = (spans[-1][0], line.end)
        else:
            open_block = False
            in_run = zone == "title"
    return spans


def _containing(spans: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, disjoint) that holds ``position``."""
    index = bisect.bisect_right(spans, (position, sys.maxsize)) - 1
    if index >= 0 and spans[index][0] <= position < spans[index][1]:
        return spans[index]
    return None


def _relation(
    citation: Citation,
    text: str,
    sentences: list[tuple[int, int]],
    titles: list[tuple[int, int]],
) -> Relation:
    grammar = _grammar()
    sentence = _containing(sentences, citation.start)
    if sentence is not None:
        # A document the sentence repeals or replaces is not carried out:
        # "Căn cứ công văn số 3752/… về việc bãi bỏ Thông tư liên tịch số …".
        start = max(sentence[0], citation.start - _CLAUSE_WINDOW)
        clause = text[start : citation.start].rsplit(";", 1)[-1]
        repeals = grammar.repeals_requires.may_match(clause) and grammar.repeals.search(clause)
        return "mentions" if repeals else "implements"
    title = _containing(titles, citation.start)
    if title is not None and grammar.title_implements.search(text, title[0], citation.start):
        return "implements"
    return "mentions"


# --- the document's own number --------------------------------------------------


def _is_own(citation: Citation, text: str, preamble: int, lead_end: int) -> bool:
    if citation.start >= max(preamble, lead_end):
        return False
    grammar = _grammar()
    prefix = _line_prefix(text, citation.start)
    if citation.start < preamble:
        if _own_prefix(prefix, grammar):
            return True
        # A header table flattened cell by cell puts "Số:" on a line of its
        # own, the number below it ("Số:\n|\n15/2022/NQ-HĐND").
        if not prefix.strip(_CELL_JUNK) and _own_prefix(
            _previous_cell(text, citation.start - len(prefix)), grammar
        ):
            return True
    return citation.start < lead_end and bool(grammar.lead_prefix_reversed.search(prefix))


#: How every branch of ``own_prefix`` ends: "số" before spaces and a colon.
_OWN_PREFIX_ENDS = ("Số", "SỐ", "số")


def _own_prefix(prefix: str, grammar: _Grammar) -> bool:
    """Whether ``prefix`` is the own number's label ("Số:", "Kế hoạch số:").

    The label ends the prefix, so a prefix that does not end with "số" is
    settled without searching it (the pattern tries its type words at
    every character; ``tests/test_fast_paths.py`` checks the shortcut), and
    one that does is searched from its end.

    >>> grammar = _grammar()
    >>> _own_prefix("Số: ", grammar), _own_prefix("thực hiện Kế hoạch ", grammar)
    (True, False)
    """
    if not prefix.rstrip(" \t:").endswith(_OWN_PREFIX_ENDS):
        return False
    return grammar.own_prefix_reversed.search(prefix) is not None


def _previous_cell(text: str, line_start: int) -> str:
    """The last line before ``line_start`` with more than table junk on it."""
    for line in reversed(text[max(0, line_start - _PREFIX_WINDOW) : line_start].split("\n")):
        if line.strip(_CELL_JUNK):
            return line.rstrip()
    return ""


def own_numbers(ctx: Context, citations: list[Citation] | None = None) -> set[str]:
    """The folded numbers of the document itself.

    From its "Số …" number line before the body, a "Nghị quyết số: …"
    number line, or a lead in the first lines that names it ("Bộ Chính trị
    vừa ban hành Quy định số 213-QĐ/TW", "Xem toàn bộ Quy định số …").

    >>> from extractor.document import Document
    >>> sorted(own_numbers(Context.of(Document.from_text("Số 60 -KH/ĐUK\\nKẾ HOẠCH\\nvề X"))))
    ['60-kh/đuk']
    """
    if citations is None or citations is _document_citations(ctx):
        return {c.key for c in _own_citations(ctx)}
    return {c.key for c in _own_among(ctx, citations)}


def _own_citations(ctx: Context) -> list[Citation]:
    """The citations of the document's own number, in order, found once per document.

    The lead, the own numbers and the references all ask.
    """
    return ctx.memo("own_citations", lambda: _own_among(ctx, _document_citations(ctx)))


def _own_among(ctx: Context, citations: list[Citation]) -> list[Citation]:
    lines = ctx.structure.lines
    lead_end = lines[_LEAD_LINES].start if len(lines) > _LEAD_LINES else len(ctx.text)
    preamble = preamble_end(ctx)
    return [c for c in citations if _is_own(c, ctx.text, preamble, lead_end)]


def lead_citation(ctx: Context) -> Citation | None:
    """The citation through which a lead names the document itself, if any.

    Portal copies often drop the number line but announce the document:
    "Bộ Chính trị vừa ban hành Quy định số 213-QĐ/TW ngày 02/01/2020 …".

    >>> from extractor.document import Document
    >>> text = "CTTĐT - Ban Thường vụ Tỉnh ủy đã ban hành Chỉ thị số 17-CT/TU ngày 6/8/2022.\\nI. X"
    >>> found = lead_citation(Context.of(Document.from_text(text)))
    >>> found.number, found.doc_type, found.date
    ('17-CT/TU', 'Chỉ thị', '2022-08-06')

    The date may open the lead instead ("LTS: Ngày 14-11-2016, Ban Chấp hành
    … đã ban hành Nghị quyết số 10-NQ/TU"); a day and month without a year
    ("Ngày 6/8, …") is not the document's date.

    >>> text = "LTS: Ngày 14-11-2016, Ban Chấp hành đã ban hành Nghị quyết số 10-NQ/TU."
    >>> found = lead_citation(Context.of(Document.from_text(text + "\\nI. X")))
    >>> found.date, text[slice(*found.date_span)]
    ('2016-11-14', 'Ngày 14-11-2016')
    """
    found = next(iter(_own_citations(ctx)), None)
    if found is None or found.date is not None:
        return found
    return _with_opening_date(ctx.text, found)


def lead_date(ctx: Context, number: str) -> Found[str] | None:
    """The date a lead prints for the document whose ``number`` it names.

    A portal headline may be the number line itself, with the date after
    the number and no place-date line.

    >>> from extractor.document import Document
    >>> text = "Nghị Quyết số 22/NQ-TU ngày 08/6/2022 ban hành bởi Tỉnh Ủy Kiên Giang.\\nI- X"
    >>> lead_date(Context.of(Document.from_text(text)), "22/NQ-TU").value
    '2022-06-08'
    """
    found = lead_citation(ctx)
    if found is None or found.date is None or found.key != fold_number(number):
        return None
    return Found(found.date, (found.date_span or (found.start, found.tail),))


def _with_opening_date(text: str, citation: Citation) -> Citation:
    """Give a lead's citation the full date that opens its sentence, if one does."""
    prefix = _line_prefix(text, citation.start)
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(prefix)), default=0)
    sentence = prefix[sentence_start:]
    if not _grammar().lead_announces.search(sentence):
        return citation
    full = [d for d in find_dates(sentence) if len(d.iso) == len("2016-11-14")]
    if not full:
        return citation
    offset = citation.start - len(prefix) + sentence_start
    span = (offset + full[0].start, offset + full[0].end)
    return replace(citation, date=full[0].iso, date_span=span)


def _own_standard(citation: Citation, own: set[str]) -> bool:
    """A standard the document itself issues: its year and issuer are the document's."""
    parts = _STANDARD_PARTS.search(citation.number)
    if citation.kind != "standard" or parts is None:
        return False
    for number in own:
        year = _STATE_YEAR.match(number)
        issuers = {match_key(part) for part in symbol_parts(number)[0]}
        same_year = year is not None and year.group("year") == parts.group("year")
        issuer = parts.group("issuer")
        if same_year and issuer and match_key(issuer) in issuers:
            return True
    return False


def _full_numbers(citations: list[Citation]) -> dict[tuple[int, str], Citation]:
    """The full number each short form stands for, where only one fits.

    "Quyết định số 44" next to both 44/2002/QĐ-TTg and 44/2025/QĐ-TTg
    stays a number of its own.
    """
    full: dict[tuple[int, str], Citation] = {}
    ambiguous: set[tuple[int, str]] = set()
    for citation in citations:
        if citation.kind == "short" or citation.short is None:
            continue
        known = full.setdefault(citation.short, citation)
        if known.key != citation.key:
            ambiguous.add(citation.short)
    return {short: citation for short, citation in full.items() if short not in ambiguous}


def _merge(first: Citation, other: Citation) -> Citation:
    return replace(
        first,
        doc_type=first.doc_type or other.doc_type,
        date=first.date or other.date,
        issuer=first.issuer or other.issuer,
    )


def extract_references(ctx: Context, *, own_number: str | None = None) -> list[Found[Reference]]:
    """Every cited document with a number, in order of first citation.

    One item per distinct number (folded); ``implements`` wins over
    ``mentions``; date, issuer and type come from the first citation that
    prints them. A short form ("Kết luận số 21") joins the full number of
    the same type and sequence ("21-KL/TW") when the text has one. The span
    is the first printed number. ``own_number`` (the record's number, when
    the caller has it) is excluded along with the numbers
    :func:`own_numbers` finds.
    """
    citations = _document_citations(ctx)
    if not citations:
        return []
    own = own_numbers(ctx, citations)
    if own_number:
        own.add(fold_number(own_number))
    own_short = {c.short for c in citations if c.key in own and c.short is not None}
    full = _full_numbers(citations)
    sentences = implementing_spans(ctx)
    titles = _title_spans(ctx, preamble_end(ctx))
    merged: dict[str, Citation] = {}
    relations: dict[str, Relation] = {}
    for citation in citations:
        if citation.key in own or _own_standard(citation, own):
            continue
        if citation.kind == "short" and citation.short in own_short:
            continue
        shown = citation
        if citation.kind == "short" and citation.short in full:
            # "Kết luận số 21" stands for the 21-KL/TW cited elsewhere: the
            # number is the full one's, the rest what this citation prints.
            whole = full[citation.short]
            shown = replace(
                _merge(citation, whole),
                number=whole.number,
                start=whole.start,
                end=whole.end,
                kind=whole.kind,
                key=whole.key,
            )
        key = shown.key
        merged[key] = _merge(merged[key], citation) if key in merged else shown
        relation = _relation(citation, ctx.text, sentences, titles)
        if relation == "implements" or key not in relations:
            relations[key] = relation
    return [
        Found(
            Reference(
                doc_type=citation.doc_type,
                number=citation.number,
                date=citation.date,
                issuer=citation.issuer,
                relation=relations[key],
            ),
            ((citation.start, citation.end),),
        )
        for key, citation in merged.items()
    ]
