"""The issuing body, its parent and level.

Read, most specific first, from the header's organisation lines (a parent
line such as "ĐẢNG BỘ TỈNH TRÀ VINH" above the body's own lines), refined by
the signature authority ("T/M BAN THƯỜNG VỤ" → the Standing Committee of that
party committee); without a header, from the preamble's actor ("…, Ban Thường
vụ Tỉnh ủy xây dựng kế hoạch …"). The locality is added when the document
states it (parent line, place line, "toàn Đảng bộ xã Kỳ Lợi"); a bare "ỦY
BAN NHÂN DÂN" takes the kind of its place from the text ("TỈNH ĐẮK LẮK").
Under the Central Committee's header, the Politburo or the Secretariat that
signs ("T/M BỘ CHÍNH TRỊ"), or the department the number names
("33-HD/BTCTW"), is the issuing body. A name broken after its first word in
a narrow cell ("HỘI" / "ĐỒNG NHÂN DÂN") is joined, and a local acronym
("ĐCVMĐT") is spelled out from the subject line that spells it.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Sequence

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found
from extractor.fields.identity import extract_number
from extractor.fields.organizations import expand_abbreviations, level_of, symbol_issuer
from extractor.record import Level
from extractor.structure.lines import is_upper, rule_role
from extractor.text.normalize import match_key

_MOTTO_KEYS = (
    match_key("ĐẢNG CỘNG SẢN VIỆT NAM"),
    match_key("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    match_key("Độc lập - Tự do - Hạnh phúc"),
)
_SPACES = regex.compile(r"\s+")
_NOT_ORG = frozenset({"noise", "motto", "title", "doc_type", "place_date", "body"})
# Where the motto column starts in a flattened row, mangled spellings too
# ("CỘNG HỊA" from legacy fonts).
_MOTTO_START = regex.compile(
    r"CỘNG\s?H[\p{L}]{1,3}\s|ĐỘC\s?LẬP|ĐẢNG CỘNG SẢN|Độc\s?lập", regex.IGNORECASE
)
_CLUTTER = regex.compile(r"^[\s|*()\d]+|[\s|*]+$")
_VOWEL = regex.compile(r"[aeiouy]", regex.IGNORECASE)
_ACRONYM = regex.compile(r"(?<![\p{L}&])\p{Lu}{5,10}(?![\p{L}&])")
_WORDS = regex.compile(r"\p{L}+")
#: An acronym is spelled out only from the opening lines (header, title, subject).
_SPELLING_LINES = 12


@functools.cache
def _vocabulary() -> dict[str, regex.Pattern[str]]:
    data = load("issuing_body")
    return {name: compile_pattern(entry) for name, entry in data["patterns"].items()}


@functools.cache
def _casing() -> tuple[tuple[str, str], ...]:
    """(folded phrase, canonical casing), longest first."""
    phrases = load("issuing_body")["casing"]
    return tuple(sorted(((match_key(p), p) for p in phrases), key=lambda pair: -len(pair[0])))


@functools.cache
def _casing_index() -> tuple[dict[str, tuple[int, int, str]], tuple[int, ...], frozenset[str]]:
    """:func:`_casing` by folded phrase: (rank, word count, canonical) of its first entry.

    Also the word counts, and the folded first words of the phrases.
    """
    by_key: dict[str, tuple[int, int, str]] = {}
    for rank, (folded, canonical) in enumerate(_casing()):
        by_key.setdefault(folded, (rank, len(folded.split()), canonical))
    sizes = tuple(sorted({size for _, size, _ in by_key.values()}))
    return by_key, sizes, frozenset(folded.split()[0] for folded in by_key)


def _word_keys(words: Sequence[str]) -> list[str] | None:
    """``match_key`` of each word, or None when a word holds markup characters.

    The key of words joined by spaces is then the keys joined by spaces (the
    folding works within a word), so a phrase is folded without re-folding
    its words; markup ("*", "<") may span words, so it takes the long way.
    """
    if any("*" in word or "<" in word for word in words):
        return None
    return [match_key(word) for word in words]


def _phrase_at(
    words: list[str], index: int, keys: Sequence[str] | None = None
) -> tuple[int, str] | None:
    """(word count, canonical casing) of the first casing phrase ``words[index:]`` opens with.

    The first in :func:`_casing` order, or None. Each word count's key is
    folded once, not once per phrase. ``keys``, the words' :func:`_word_keys`,
    saves folding the joined words (and rules out a first word no phrase opens with).

    >>> _phrase_at(["ủy", "ban", "nhân", "dân", "tỉnh"], 0)
    (4, 'Ủy ban nhân dân')
    """
    by_key, sizes, first_words = _casing_index()
    if keys is not None and keys[index] not in first_words:
        return None
    best: tuple[int, int, str] | None = None
    for size in sizes:
        if keys is None:
            key = match_key(" ".join(words[index : index + size]))
        else:
            key = " ".join(keys[index : index + size])
        entry = by_key.get(key)
        if entry is not None and entry[1] == size and (best is None or entry < best):
            best = entry
    return None if best is None else (best[1], best[2])


def org_case(text: str) -> str:
    """Sentence-case the all-caps words of an organisation name, keep proper names capitalised.

    Words already in mixed case (an expanded abbreviation) are kept.

    >>> org_case("ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP")
    'Đảng ủy Khối các cơ quan và doanh nghiệp'
    >>> org_case("Ủy ban nhân dân HUYỆN THỌ XUÂN")
    'Ủy ban nhân dân huyện Thọ Xuân'
    """
    # A word without a vowel is an acronym ("ĐCVMĐT"), never a syllable: it keeps its capitals.
    words = [
        word.lower() if is_upper(word) and len(word) > 1 and _has_vowel(word) else word
        for word in text.split()
    ]
    out: list[str] = []
    index = 0
    locality = _vocabulary()["locality_word"]
    keys = _word_keys(words)
    while index < len(words):
        phrase = _phrase_at(words, index, keys)
        if phrase is not None:
            out.extend(phrase[1].split())
            index += phrase[0]
        else:
            word = words[index]
            # The words after "tỉnh", "huyện", "xã"… are a place name.
            proper = bool(out) and (
                locality.fullmatch(out[-1]) is not None
                or (
                    out[-1][:1].isupper()
                    and locality.fullmatch(out[-2] if len(out) > 1 else "") is not None
                )
            )
            out.append(word[:1].upper() + word[1:] if proper or not out else word)
            index += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def _org_lines(ctx: Context) -> list[tuple[int, int, str]]:
    """Header pieces that name organisations (not motto, number, date or subject).

    Flattened two-column rows are cut where the other column starts (a motto
    fragment, "*", "Số …"); runs of several organisations in one line are
    split at their head words.
    """
    found: list[tuple[int, int, str]] = []
    vocabulary = _vocabulary()
    roles = ctx.model_line_roles
    header = ctx.lines_in("header")
    column_break = vocabulary["column_break"]
    for position, line in enumerate(header):
        text = line.text
        if vocabulary["number_cell"].match(text):
            continue  # "15/2022/NQ-HĐND" wrapped under a bare "Số:" cell
        cleaned = _unclutter(text)
        key = match_key(cleaned)
        following = header[position + 1].text if position + 1 < len(header) else ""
        if (
            key
            and any(key in motto for motto in _MOTTO_KEYS)
            and not _broken_name(cleaned, following)
        ):
            continue  # a motto split over lines ("CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM")
        cut = len(text)
        # Every motto start holds an "ộ" ("CỘNG", "ĐỘC", "Độc"): without one, no scan.
        columns = (_MOTTO_START, column_break) if "ộ" in text or "Ộ" in text else (column_break,)
        for pattern in columns:
            other = pattern.search(text)
            if other:
                cut = min(cut, other.start())
        piece = text[:cut]
        offset = line.start
        stripped = cleaned if cut == len(text) else _unclutter(piece)
        # The cheap capitals test before the rules' role (both only filter).
        if not stripped or not is_upper(stripped) or rule_role(stripped) != "body":
            continue
        # Asked last: the roles are predicted on first read, and the cheap
        # checks above already turn away most header lines.
        if roles is not None and roles[line.index] in _NOT_ORG:
            continue  # the classifier tells a portal lead or a motto from a header line
        offset += piece.find(stripped)
        bounds = [m.start() for m in vocabulary["strong_head"].finditer(stripped) if m.start() > 0]
        for begin, finish in zip([0, *bounds], [*bounds, len(stripped)], strict=True):
            part = stripped[begin:finish].strip()
            if part:
                part_start = offset + stripped.find(part, begin)
                found.append((part_start, part_start + len(part), part))
    return found


def _unclutter(text: str) -> str:
    """``text`` without the table furniture and numbering around it (``_CLUTTER``).

    A text that opens with a letter and ends with a letter, a digit or a
    full stop has none: the common case skips the regex.

    >>> _unclutter("| 2) ỦY BAN NHÂN DÂN * "), _unclutter("ỦY BAN NHÂN DÂN")
    ('ỦY BAN NHÂN DÂN', 'ỦY BAN NHÂN DÂN')
    """
    if text[:1].isalpha() and (text[-1:].isalnum() or text[-1:] in _PLAIN_ENDS):
        return text
    return _CLUTTER.sub("", text)


#: Line ends that are neither blanks nor "|" nor "*" (``_CLUTTER``'s tail).
_PLAIN_ENDS = frozenset(".,;:)")


def _broken_name(word: str, following: str) -> bool:
    """A name broken after its first word in a narrow cell: "HỘI" / "ĐỒNG NHÂN DÂN".

    "HỘI" alone reads as a piece of the motto ("… XÃ HỘI …"); with the next
    line it opens an organisation name.

    >>> _broken_name("HỘI", "ĐỒNG NHÂN DÂN"), _broken_name("CỘNG", "HÒA XÃ HỘI CHỦ NGHĨA")
    (True, False)
    """
    if len(word.split()) != 1 or not following:
        return False
    joined = f"{word} {following.strip()}"
    return bool(_vocabulary()["broken_head"].match(joined))


def _has_vowel(word: str) -> bool:
    """Whether ``word`` holds a vowel letter, whatever its marks ("ĐẢNG": yes, "ĐCVMĐT": no).

    Decomposing a word only decomposes (and reorders the marks of) each of
    its characters, so it holds a vowel exactly when one of its characters
    does: each character is judged once per process.
    """
    return any(_char_has_vowel(char) for char in word)


@functools.lru_cache(maxsize=4096)
def _char_has_vowel(char: str) -> bool:
    return bool(_VOWEL.search(unicodedata.normalize("NFD", char)))


def _spelled_out(acronym: str, text: str) -> str | None:
    """The phrase of ``text`` whose syllables begin with the letters of ``acronym``.

    >>> _spelled_out("ĐCVMĐT", "V/v góp ý Đề án xây dựng phường đạt chuẩn văn minh đô thị")
    'đạt chuẩn văn minh đô thị'
    >>> _spelled_out("ĐCVMĐT", "Đề án xây dựng phường") is None
    True
    """
    letters = [match_key(char) for char in acronym]
    words = list(_WORDS.finditer(text))
    for index in range(len(words) - len(letters) + 1):
        run = words[index : index + len(letters)]
        if all(match_key(w.group()[0]) == c for w, c in zip(run, letters, strict=True)) and all(
            not text[a.end() : b.start()].strip() for a, b in itertools.pairwise(run)
        ):
            phrase = text[run[0].start() : run[-1].end()]
            if not is_upper(phrase):
                return phrase
    return None


def _spell_out_acronyms(ctx: Context, name: str) -> str:
    """Spell out a local acronym of a header name where the opening lines spell it.

    "BCĐ XÂY DỰNG ĐỀ ÁN PHƯỜNG ĐCVMĐT" over "V/v … Đề án xây dựng phường đạt
    chuẩn văn minh đô thị": the acronym is the document's own, not in the
    abbreviation table. Only long acronyms (five letters or more) are read:
    shorter ones match chance word runs.
    """
    found = [m for m in _ACRONYM.finditer(name) if not _has_vowel(m.group())]
    if not found:
        return name
    opening = "\n".join(line.text for line in ctx.structure.lines[:_SPELLING_LINES])
    for match in reversed(found):
        phrase = _spelled_out(match.group(), opening)
        if phrase is not None:
            name = f"{name[: match.start()]}{phrase.lower()}{name[match.end() :]}"
    return name


def _units(lines: Sequence[tuple[int, int, str]]) -> list[tuple[list[tuple[int, int]], str]]:
    """Group organisation lines into units: a head word opens one, other lines continue it."""
    head = _vocabulary()["unit_head"]
    dangling = _vocabulary()["dangling_head"]
    units: list[tuple[list[tuple[int, int]], str]] = []
    for start, end, text in lines:
        if units and (not head.match(text) or dangling.fullmatch(units[-1][1])):
            spans, name = units[-1]
            units[-1] = ([*spans, (start, end)], f"{name} {text}")
        elif units and match_key(text) == match_key(units[-1][1]):
            continue  # the same name printed twice (flattened columns)
        else:
            units.append(([(start, end)], text))
    return [(spans, _SPACES.sub(" ", name).strip()) for spans, name in units]


_LOCALITY_ABBREVIATIONS = (
    (regex.compile(r"\bTX\.\s?", regex.IGNORECASE), "thị xã "),
    (regex.compile(r"\bTP\.\s?", regex.IGNORECASE), "thành phố "),
    (regex.compile(r"\bTT\.\s?", regex.IGNORECASE), "thị trấn "),
)


def _expand_localities(text: str) -> str:
    """Spell out locality words: "UBND TX. ĐỒNG XOÀI" → "UBND thị xã ĐỒNG XOÀI"."""
    for pattern, replacement in _LOCALITY_ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text


def _has_locality(name: str) -> bool:
    return bool(_vocabulary()["has_locality"].search(name))


def _locality_of(name: str) -> str | None:
    found = _vocabulary()["locality"].search(name)
    return found.group(0) if found else None


def _combine(parent: str, unit: str) -> str:
    """The unit's full name under its parent, as annotators write it."""
    vocabulary = _vocabulary()
    if _has_locality(unit) or vocabulary["central_unit"].search(unit):
        return unit
    if vocabulary["central_parent"].search(parent):
        return f"{unit} Trung ương"
    if vocabulary["committee_parent"].match(parent):
        # "Ban Tuyên giáo" under "Huyện ủy Bình Gia": the committee names the unit.
        return f"{unit} {parent}"
    locality = _locality_of(parent)
    return f"{unit} {locality}" if locality else unit


def _with_authority(name: str, authority: str | None) -> str:
    """Name the Standing Committee when "T/M BAN THƯỜNG VỤ" signs for a party committee."""
    if not authority:
        return name
    vocabulary = _vocabulary()
    found = vocabulary["collective_authority"].search(authority)
    if not found or not vocabulary["party_committee"].match(name):
        return name
    collective = org_case(found.group("body"))
    if match_key(name).startswith(match_key(collective)):
        return name
    return f"{collective} {name}"


_CENTRAL_COMMITTEE = match_key("Ban Chấp hành Trung ương")


def _central_collective(name: str, authority: str | None) -> str | None:
    """The Politburo or the Secretariat when it signs under the Central Committee's header.

    >>> _central_collective("Ban Chấp hành Trung ương", "T/M BỘ CHÍNH TRỊ")
    'Bộ Chính trị'
    >>> _central_collective("Ban Chấp hành Trung ương", "T/M BAN CHẤP HÀNH TRUNG ƯƠNG") is None
    True
    """
    if not authority or match_key(name) != _CENTRAL_COMMITTEE:
        return None
    found = _vocabulary()["central_collective"].search(authority)
    return org_case(found.group("body")) if found else None


def _central_department(ctx: Context, name: str) -> str | None:
    """The Central Committee's department whose code the number carries (33-HD/BTCTW).

    A department's header prints "BAN CHẤP HÀNH TRUNG ƯƠNG" over its own
    name; when a web copy loses the second line, the number still names it.
    """
    if match_key(name) != _CENTRAL_COMMITTEE:
        return None
    number = extract_number(ctx)
    issuer = symbol_issuer(number.value) if number else None
    return issuer if issuer and match_key(issuer) != _CENTRAL_COMMITTEE else None


#: Opening lines of the body read for the actor, not counting a legal-basis run.
_PREAMBLE_LINES = 6


def _preamble_actor(ctx: Context) -> Found[str] | None:
    """Find the actor of the opening paragraph ("…, Ban Thường vụ Tỉnh ủy xây dựng kế hoạch…").

    A state document may open its body with a long run of "Căn cứ …;" lines
    before the formula that names the issuer ("Bộ trưởng Bộ X ban hành
    Thông tư …"): the lines of that run do not use up the lines read. The
    head of a body named before it ("Bộ trưởng") is not the issuer.

    >>> from extractor.document import Document
    >>> text = "THÔNG TƯ\\nvề X\\n" + "Căn cứ Luật Y;\\n" * 8
    >>> text += "Bộ trưởng Bộ Xây dựng ban hành Thông tư về X.\\nĐiều 1. Z"
    >>> _preamble_actor(Context.of(Document.from_text(text))).value
    'Bộ Xây dựng'
    """
    vocabulary = _vocabulary()
    actor, basis = vocabulary["preamble_actor"], vocabulary["legal_basis_line"]
    headings = {section.line for section in ctx.sections}
    read, after_basis = 0, False
    for line in ctx.lines_in("body"):
        if line.index in headings or read >= _PREAMBLE_LINES:
            break
        if after_basis and not read:
            issuer = _promulgating_body(line.start, line.text)
            if issuer is not None:
                return issuer
        matches = list(actor.finditer(line.text))
        if matches:
            found = matches[-1]
            # "Ban Chỉ đạo … (sau đây gọi tắt là Ban Chỉ đạo)": the name ends at the aside.
            name = found.group("actor").split("(")[0].strip()
            start = line.start + found.start("actor")
            return Found(name, ((start, start + len(name)),))
        if read or not basis.match(line.text):
            read += 1
        else:
            after_basis = True
    return None


def _promulgating_body(start: int, text: str) -> Found[str] | None:
    """The issuer a promulgation formula names, without its head ("Bộ trưởng Bộ X" → "Bộ X")."""
    vocabulary = _vocabulary()
    found = vocabulary["promulgation"].match(text)
    if found is None:
        return None
    name, offset = found.group("actor"), start + found.start("actor")
    head = vocabulary["position_prefix"].match(name)
    if head is not None:
        name, offset = name[head.end() :], offset + head.end()
    if not (vocabulary["unit_head"].match(name.upper()) or level_of(name)):
        return None
    return Found(name, ((offset, offset + len(name)),))


_COMMITTEE_LOCALITY = {
    "tỉnh": "tỉnh",
    "huyện": "huyện",
    "thành": "thành phố",
    "thị": "thị xã",
    "quận": "quận",
}


def _add_locality(ctx: Context, name: str, place: str | None) -> str:
    """Name the locality of a committee when the document states it anywhere.

    "Ban Thường vụ Tỉnh ủy" + "Đảng bộ tỉnh Bình Thuận" in the text →
    "Ban Thường vụ Tỉnh ủy Bình Thuận"; "… Đảng ủy" + "xã Kỳ Lợi" →
    "… Đảng ủy xã Kỳ Lợi". Without a mention the name stays as it is.
    """
    committee = _vocabulary()["committee_level"].search(name)
    if committee is None or not committee.group("kind"):
        return name
    kind = committee.group("kind").casefold()
    wanted = (
        {"tỉnh"}
        if kind == "tỉnh"
        else {"xã", "phường", "thị trấn"}
        if kind == "đảng"
        else {_COMMITTEE_LOCALITY[kind]}
    )
    names = [
        mention.group("name")
        for mention in _vocabulary()["locality_mention"].finditer(ctx.text)
        if mention.group("kind").casefold() in wanted
    ]
    if names:
        best = max(set(names), key=names.count)
        kind_word = next(
            m.group("kind").lower()
            for m in _vocabulary()["locality_mention"].finditer(ctx.text)
            if m.group("name") == best
        )
        return f"{name} {kind_word} {best}" if kind == "đảng" else f"{name} {best}"
    if place and kind == "tỉnh":
        return f"{name} {place}"
    return name


_BARE_STATE_MENTION = regex.compile(
    r"(?:Ủy ban nhân dân|UBND|Hội đồng nhân dân|HĐND) "
    r"(?P<kind>tỉnh|huyện|xã|phường|thị xã|thành phố)\b"
)


def _state_locality(ctx: Context, name: str, place: str | None) -> str:
    """Complete a bare "Ủy ban nhân dân" header from the text ("UBND tỉnh X").

    When the text only says "UBND tỉnh", the place line gives the name.
    """
    if match_key(name) not in {match_key("Ủy ban nhân dân"), match_key("Hội đồng nhân dân")}:
        return name
    mentions = [
        f"{found.group('kind')} {found.group('name')}"
        for found in _vocabulary()["state_locality_mention"].finditer(ctx.text)
        if match_key(found.group(0)).startswith(match_key(name))
    ]
    if mentions:
        return f"{name} {max(set(mentions), key=mentions.count)}"
    bare = [found.group("kind") for found in _BARE_STATE_MENTION.finditer(ctx.text)]
    if bare and place:
        return f"{name} {max(set(bare), key=bare.count)} {place}"
    kind = _kind_of_place(ctx.text, place) if place else None
    return f"{name} {kind} {place}" if kind else name


_PLACE_KINDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")


def _kind_of_place(text: str, place: str) -> str | None:
    """The locality word the text puts before the place of the place line, if it does.

    A header cut to "ỦY BAN NHÂN DÂN" above "Đắk Lắk, ngày …" is the
    committee of that place; the title or body says which kind of place it
    is ("CHUYỂN ĐỔI SỐ TỈNH ĐẮK LẮK NĂM 2026").

    >>> _kind_of_place("KẾ HOẠCH\\nCHUYỂN ĐỔI SỐ TỈNH ĐẮK LẮK NĂM 2026", "Đắk Lắk")
    'tỉnh'
    >>> _kind_of_place("người dân Đắk Lắk", "Đắk Lắk") is None
    True
    """
    kinds = "|".join(regex.escape(match_key(kind)) for kind in _PLACE_KINDS)
    pattern = rf"(?<![\p{{L}}])({kinds})\s{{1,3}}{regex.escape(match_key(place))}(?![\p{{L}}])"
    found = [m.group(1) for m in regex.finditer(pattern, match_key(text))]
    if not found:
        return None
    folded = max(set(found), key=found.count)
    return next(kind for kind in _PLACE_KINDS if match_key(kind) == folded)


def extract_issuing_body(
    ctx: Context, *, authority: str | None, place: str | None
) -> tuple[Found[str] | None, Found[str] | None]:
    """``(issuing_body, issuing_body_parent)`` of a document.

    >>> from extractor.document import Document
    >>> text = "ĐẢNG BỘ TỈNH TRÀ VINH\\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\\nVÀ DOANH NGHIỆP"
    >>> text += "\\nSố 60-KH/ĐUK\\nKẾ HOẠCH\\nvề X"
    >>> body, parent = extract_issuing_body(
    ...     Context.of(Document.from_text(text)), authority="T/M BAN THƯỜNG VỤ", place="Trà Vinh"
    ... )
    >>> body.value
    'Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh'
    >>> parent.value
    'Đảng bộ tỉnh Trà Vinh'
    """
    units = _units(_org_lines(ctx))
    if units:
        spans, raw = units[-1]
        unit = _spell_out_acronyms(ctx, org_case(expand_abbreviations(_expand_localities(raw))))
        parent: Found[str] | None = None
        name = unit
        if len(units) > 1:
            parent_spans, parent_raw = units[-2]
            parent_name = org_case(expand_abbreviations(_expand_localities(parent_raw)))
            parent = Found(parent_name, tuple(parent_spans))
            name = _combine(parent_name, unit)
        collective = _central_collective(name, authority) or _central_department(ctx, name)
        if collective is not None:
            return Found(collective, tuple(spans)), Found(name, tuple(spans))
        name = _with_authority(_state_locality(ctx, name, place), authority)
        return Found(name, tuple(spans)), parent
    actor = _preamble_actor(ctx)
    if actor is not None:
        name = expand_abbreviations(actor.value)
        name = _add_locality(ctx, _with_authority(name, authority), place)
        return Found(name, actor.spans), None
    # No header line and no actor (a garbled web copy): a number whose symbol
    # names one body ("03-HD/VPTW" → Văn phòng Trung ương Đảng) still tells it.
    number = extract_number(ctx)
    issuer = symbol_issuer(number.value) if number else None
    if number is not None and issuer:
        return Found(issuer, number.spans), None
    return None, None


# A lead announcing the document names its issuer: "Bộ Chính trị vừa ban
# hành Quy định số …", "… ban hành bởi Tỉnh ủy Kiên Giang về …".
_LEAD_ACTOR = regex.compile(
    r"(?:^|[-–,:)]\s{0,3})(?P<actor>\p{Lu}[\p{L} ]{2,80}?)\s{1,3}(?:vừa|đã|mới)\s{1,3}"
    r"(?:ký\s{1,3})?ban\s{1,3}hành\b|ban\s{1,3}hành\s{1,3}bởi\s{1,3}(?P<by>\p{Lu}[\p{L} ]{2,80}?)"
    r"\s{1,3}(?:về|ngày|,|\.)"
)


def extract_lead_actor(ctx: Context, lead_start: int) -> Found[str] | None:
    """The issuer a portal lead names for the document it announces.

    >>> from extractor.document import Document
    >>> text = "(Báo X) - Bộ Chính trị vừa ban hành Quy định số 213-QĐ/TW về Y."
    >>> extract_lead_actor(Context.of(Document.from_text(text)), text.index("213")).value
    'Bộ Chính trị'
    """
    line_start = ctx.text.rfind("\n", 0, lead_start) + 1
    line_end = ctx.text.find("\n", lead_start)
    line = ctx.text[line_start : line_end if line_end >= 0 else len(ctx.text)]
    for found in _LEAD_ACTOR.finditer(line):
        group = "actor" if found.group("actor") else "by"
        name = expand_abbreviations(org_case(found.group(group).strip()))
        if _vocabulary()["unit_head"].match(name.upper()) or level_of(name):
            start = line_start + found.start(group)
            return Found(name, ((start, start + len(found.group(group).strip())),))
    return None


def extract_level(issuing_body: str | None, number: str | None) -> Level | None:
    """The level of the issuing body, from its name, else from the number's symbol.

    >>> extract_level("Ủy ban nhân dân xã Dân Lực", None)
    'commune'
    """
    from extractor.fields.organizations import symbol_level

    if issuing_body:
        level = level_of(issuing_body)
        if level:
            return level
    return symbol_level(number) if number else None
