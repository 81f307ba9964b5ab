"""The vocabulary of party and state bodies: abbreviations, levels, number symbols.

The data lives in ``data/organizations.json``: a table of whole-word
abbreviations ("BTV" → "Ban Thường vụ"), the name patterns that tell an
organisation's level, and the issuer parts of document numbers ("KH/ĐUK" →
"Đảng ủy Khối", province). The issuing-body extractor and the references
extractor both read names through these functions.

>>> expand_abbreviations("BTV Đảng ủy Khối")
'Ban Thường vụ Đảng ủy Khối'
>>> level_of("UBND xã Dân Lực"), symbol_level("60-KH/ĐUK")
('commune', 'province')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

import regex

from extractor.data import compile_pattern, load
from extractor.record import Level
from extractor.text.normalize import STEPS, match_key

# Letters, digits and the joiners of a symbol ("GD&ĐT", "KH/ĐUK") belong to
# the word; a part of a joined symbol ("123/KH-UBND") is not a whole word.
_WORD_BEFORE = r"(?<![\p{L}\p{N}&/])(?<![\p{L}\p{N}][-–])"
_WORD_AFTER = r"(?![\p{L}\p{N}&/])(?![-–][\p{L}\p{N}])"

_SEQUENCE = regex.compile(r"^\s{0,3}\d{1,6}[a-z]?\s{0,3}[-–/]\s{0,3}")
_YEAR = regex.compile(r"^(?:\d{2,4})\s{0,3}/\s{0,3}")
_PART_SPLIT = regex.compile(r"\s{0,3}[-–]\s{0,3}")
_PARTY_SEQUENCE = regex.compile(r"^\d{1,6}[a-z]?[-–]")


@dataclass(frozen=True, slots=True)
class _Signal:
    level: Level
    pattern: regex.Pattern[str]


@dataclass(frozen=True, slots=True)
class _SymbolEntry:
    level: Level | None
    issuer: str | None
    state_only: bool


@dataclass(frozen=True, slots=True)
class _SymbolPattern:
    entry: _SymbolEntry
    pattern: regex.Pattern[str]


def _data() -> dict[str, Any]:
    return cast(dict[str, Any], load("organizations"))


@functools.cache
def _abbreviations() -> tuple[regex.Pattern[str], dict[str, str]]:
    entries = _data()["abbreviations"]
    table = {entry["abbr"]: entry["expansion"] for entry in entries}
    # A word that only reads as an abbreviation in some company ("TƯ" but not
    # "TƯ PHÁP") carries what must not follow it.
    guards = {
        entry["abbr"]: f"(?!{entry['not_before']})" for entry in entries if "not_before" in entry
    }
    # Longest first, so "UBMTTQVN" is not read as "UBMTTQ" + "VN".
    alternatives = "|".join(
        regex.escape(abbr) + guards.get(abbr, "") for abbr in sorted(table, key=len, reverse=True)
    )
    return regex.compile(f"{_WORD_BEFORE}(?:{alternatives}){_WORD_AFTER}"), table


def expand_abbreviations(text: str) -> str:
    """Spell out the whole-word abbreviations of party and state bodies.

    Matching is case-sensitive ("ThU" is Thị ủy, "THU" is not an
    abbreviation); a part of a joined symbol ("123/KH-UBND", "60-KH/ĐUK")
    is left alone.

    >>> expand_abbreviations("UBND tỉnh và BCH Trung ương, số 123/KH-UBND")
    'Ủy ban nhân dân tỉnh và Ban Chấp hành Trung ương, số 123/KH-UBND'
    >>> expand_abbreviations("Chủ tịch HĐND huyện Ngân Sơn")
    'Chủ tịch Hội đồng nhân dân huyện Ngân Sơn'
    """
    pattern, table = _abbreviations()
    return pattern.sub(lambda match: table[match.group()], text)


@functools.cache
def _signals() -> tuple[tuple[_Signal, ...], regex.Pattern[str], tuple[_Signal, ...]]:
    levels = _data()["levels"]

    def signals(entries: list[dict[str, Any]]) -> tuple[_Signal, ...]:
        return tuple(_Signal(entry["level"], compile_pattern(entry)) for entry in entries)

    return signals(levels["signals"]), compile_pattern(levels["city"]), signals(levels["fallback"])


@functools.cache
def _central_cities() -> tuple[str, ...]:
    return tuple(match_key(city) for city in _data()["central_cities"])


def _city_level(name: str | None) -> Level | None:
    if not name:
        return None
    key = match_key(name)
    central = any(key == city or key.startswith(city + " ") for city in _central_cities())
    return "province" if central else "district"


def _clean_name(name: str) -> str:
    name = STEPS["tone_marks"](STEPS["nfc"](name))
    name = expand_abbreviations(name)
    # An all-caps header line ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") reads like
    # the same name in title case; the case-sensitive signals expect that.
    return name.title() if name.isupper() else name


def level_of(org_name: str) -> Level | None:
    """The level of an organisation, from the words of its name.

    The earliest level word wins: "Chi đoàn Trường … huyện" is a branch,
    "Ban Tuyên giáo Huyện ủy" a district body. A city directly under the
    centre (Hà Nội, Hồ Chí Minh, Hải Phòng, Đà Nẵng, Cần Thơ, Huế) is a
    province, any other city a district; "thành phố" without a name tells
    nothing. None when no word tells the level.

    >>> level_of("Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh")
    'province'
    >>> level_of("Ủy ban nhân dân thành phố Hà Nội"), level_of("Trường Tiểu học Kim Đồng")
    ('province', 'branch')
    >>> level_of("Bộ phận Tiểu học Phòng GD&ĐT Tân Yên"), level_of("Ban Chỉ đạo")
    ('district', None)
    """
    name = _clean_name(org_name)
    signals, city, fallback = _signals()
    found: list[tuple[int, Level]] = []
    for signal in signals:
        match = signal.pattern.search(name)
        if match:
            found.append((match.start(), signal.level))
    for match in city.finditer(name):
        level = _city_level(match.group("name"))
        if level is not None:
            found.append((match.start(), level))
            break
    if found:
        return min(found, key=lambda item: item[0])[1]
    for signal in fallback:
        if signal.pattern.search(name):
            return signal.level
    return None


@functools.cache
def _symbol_table() -> tuple[dict[str, _SymbolEntry], tuple[_SymbolPattern, ...]]:
    data = _data()
    table = {
        entry["part"]: _SymbolEntry(
            entry["level"], entry.get("issuer"), entry.get("style") == "state"
        )
        for entry in data["symbols"]
    }
    patterns = tuple(
        _SymbolPattern(
            _SymbolEntry(entry["level"], entry.get("issuer"), entry.get("style") == "state"),
            regex.compile(entry["pattern"]),
        )
        for entry in data["symbol_patterns"]
    )
    return table, patterns


@functools.cache
def _type_codes() -> frozenset[str]:
    codes: set[str] = set()
    for entry in load("references")["doc_types"]:
        codes.update(entry.get("codes", []))
    return frozenset(codes)


def symbol_parts(symbol: str) -> tuple[tuple[str, ...], bool]:
    """The issuer parts of a number's symbol, and whether it is party style.

    Accepts a whole number or its symbol; the sequence, the year and the
    type code are dropped.

    >>> symbol_parts("167-KH/TĐTN-BTG")
    (('TĐTN', 'BTG'), True)
    >>> symbol_parts("15/2020/TT-BGDĐT"), symbol_parts("KH-UBND")
    ((('BGDĐT',), False), (('UBND',), False))
    """
    # A blank sequence ("/KH-UBND") is a number all the same.
    text = "".join(symbol.split()).lstrip("/")
    party = bool(_PARTY_SEQUENCE.match(text)) or ("/" in text and not text[:1].isdigit())
    text = _SEQUENCE.sub("", text, count=1)
    text = _YEAR.sub("", text, count=1)
    codes = _type_codes()
    parts: list[str] = []
    for index, chunk in enumerate(text.split("/")):
        pieces = [piece for piece in _PART_SPLIT.split(chunk) if piece]
        if index == 0 and pieces and pieces[0] in codes:
            pieces = pieces[1:]
        parts.extend(pieces)
    return tuple(parts), party


def _symbol_entry(symbol: str) -> _SymbolEntry | None:
    table, patterns = _symbol_table()
    parts, party = symbol_parts(symbol)
    for part in parts:
        entry = table.get(part)
        if entry is not None and not (entry.state_only and party):
            return entry
        for candidate in patterns:
            if candidate.entry.state_only and party:
                continue
            if candidate.pattern.match(part):
                return candidate.entry
    return None


def symbol_level(symbol: str) -> Level | None:
    """The level of the body that signs with ``symbol`` (or a whole number).

    The first issuer part found in the vocabulary decides; "UBND" and "ĐU"
    are known but sign at several levels, so they give None.

    >>> symbol_level("KL/TW"), symbol_level("KH/HU"), symbol_level("123/KH-UBND")
    ('central', 'district', None)
    >>> symbol_level("30/2020/NĐ-CP"), symbol_level("654/TB-SGDĐT")
    ('central', 'province')
    """
    entry = _symbol_entry(symbol)
    return entry.level if entry is not None else None


def symbol_issuer(symbol: str) -> str | None:
    """The body a symbol names, only where it names exactly one.

    "TW" gives None: the Central Committee, the Politburo and the
    Secretariat all sign "…/TW"; "TU" likewise stands for the provincial
    committee or its standing board. Ministries, the Government, the Prime
    Minister, the National Assembly and the central or provincial
    boards with their own symbol (BTGTU, BTCTW, UBKTTW…) are safe.

    >>> symbol_issuer("40-HD/BTGTU"), symbol_issuer("1896/QĐ-TTg"), symbol_issuer("21-KL/TW")
    ('Ban Tuyên giáo Tỉnh ủy', 'Thủ tướng Chính phủ', None)
    >>> symbol_issuer("63/2025/QH15"), symbol_issuer("173-QĐ/BTC"), symbol_issuer("92/2025/TT-BTC")
    ('Quốc hội', None, 'Bộ Tài chính')
    """
    entry = _symbol_entry(symbol)
    return entry.issuer if entry is not None else None
