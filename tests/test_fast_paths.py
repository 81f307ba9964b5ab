"""Fast paths against their reference implementations (the eyecite two-tokenizer rule).

Extraction speed comes from shortcuts that must not change a result: guards
that skip a regex pass, windows that restrict one, a joined alternation, a
lazily predicted classifier. Each is checked here against the plain way on
the annotated texts and on made-up near-misses.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from extractor.classify import slots as slot_classifier
from extractor.classify.features import line_features
from extractor.classify.model import default_model
from extractor.data import compile_pattern, load
from extractor.document import Document
from extractor.fields import (
    campaign,
    dates,
    deadlines,
    issuing_body,
    references,
    signer,
    slots,
    timetable,
)
from extractor.fields.context import Context
from extractor.fields.signer import _candidate_lines, _match_starts, closing_patterns, is_authority
from extractor.readers import encodings
from extractor.structure import Zone, sections, zones
from extractor.structure.lines import Line, is_upper, line_patterns, split_lines
from extractor.text import normalize as normalization

TEXTS = sorted((Path(__file__).parent.parent / "annotations" / "texts").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return [Document.from_text(path.read_text(encoding="utf-8-sig")).normalized for path in TEXTS]


def _near_misses(pieces: list[str], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30))) for _ in range(count)]


# fmt: off
_DATE_PIECES = ["tháng", "THÁNG", "Tháng ", "ngày ", "trong ", "năm ", "2022", "12", "5", "/", "-",
                " ", "\n", "quý II", "đến ", "từ ", "hằng năm", "âm lịch", "của", ",", "2023"]
_CLOSING_PIECES = ["Nơi nhận", "nơi\nnhận", "KT.", "KT.\n", "T/M\n", "TM. ", "\n", " ", "|", "AB",
                   "Ab", "x", "CHỦ TỊCH", "\t", "Q.", "nhận", "n"]
_MARKER_PIECES = ["I", "V", "X", "1", "2", ".", ")", "-", " ", "a", "đ", "PHẦN", "Chương", "MỤC",
                  "Điều", "thứ", "/", "v", "–", "+", "*", "“", "A", "\t", "(", "12", "3a"]
# fmt: on


def test_fast_paths_month_word_windows_equal_full_scan(corpus: list[str]) -> None:
    rules = [rule for rule in dates._rules() if rule.after_month_word]
    if not rules:
        pytest.skip("no date rule opens on the number after 'tháng' any more")
    for text in corpus + _near_misses(_DATE_PIECES, 3000, seed=1):
        windows = dates._month_word_windows(text)
        for rule in rules:
            fast = [m.span() for m in dates._matches(rule.pattern, text, windows)]
            assert fast == [m.span() for m in rule.pattern.finditer(text)], (rule.name, text)


# fmt: off
_YEAR_PIECES = ["ngày ", "tháng ", "THÁNG ", "năm ", "NĂM ", "nam ", "2022", "1999", "20", "19", "202",
                "12", "5", "/", "-", ".", " ", "  ", "\n", "quý II", "Quý 4", "QUÝ ", "đầu ", "ĐẦU ",
                "cuối ", "Cuối ", "6 tháng ", "nửa ", "sáu ", "trong ", "đến ", "từ ", "giai đoạn ",
                "năm học ", "–", ",", "và ", "hết ", "2021-2025", "trước ", "hằng năm", "của", "3"]
# fmt: on


@pytest.fixture(scope="module")
def date_texts(corpus: list[str]) -> list[str]:
    return corpus + _near_misses(_YEAR_PIECES, 4000, seed=11)


def test_fast_paths_year_windows_hold_every_year(date_texts: list[str]) -> None:
    for text in date_texts:
        windows = dates._year_windows(text)
        years = [year for _, _, starts in windows for year in starts]
        assert years == [match.start() for match in dates._YEAR.finditer(text)], text
        for start, end, starts in windows:
            assert start == starts[0]
            assert end == min(len(text), starts[-1] + 4 + dates._YEAR_REACH)


def test_fast_paths_year_matches_equal_full_scan(date_texts: list[str]) -> None:
    rules = [(r.name, r.pattern, r.before_year) for r in dates._rules() if r.at_year]
    rules += [
        (name, pattern, before)
        for name, pattern, _, at_year, before in dates._range_data()[2]
        if at_year
    ]
    assert len(rules) >= 8  # the shortcut still serves most year-first patterns
    for text in date_texts:
        windows = dates._year_windows(text)
        for name, pattern, before in rules:
            fast = [m.span() for m in dates._year_matches(pattern, text, windows, before)]
            assert fast == [m.span() for m in pattern.finditer(text)], (name, text)


def test_fast_paths_day_separator_windows_equal_full_scan(date_texts: list[str]) -> None:
    rules = [rule for rule in dates._rules() if rule.day_sep]
    assert rules
    for text in date_texts:
        windows = dates._day_sep_windows(text)
        for rule in rules:
            fast = [m.span() for m in dates._matches(rule.pattern, text, windows)]
            assert fast == [m.span() for m in rule.pattern.finditer(text)], (rule.name, text)


def test_fast_paths_literal_starts_equal_their_pattern(date_texts: list[str]) -> None:
    for text in date_texts:
        assert dates._starts(dates._MONTH_WORDS, text) == [
            m.start() for m in dates._MONTH_WORD.finditer(text)
        ]
        found = any(join.search(text) for join in timetable._WINDOW_JOINS)
        assert found == (timetable._WINDOW_LINE.search(text) is not None), text


def test_fast_paths_required_words_hold_every_match(date_texts: list[str]) -> None:
    rules = [rule for rule in dates._rules() if rule.requires.literals]
    assert rules
    every_char = "".join(map(chr, range(0x110000)))
    for rule in rules:
        for word in rule.requires.literals:
            # Each letter matches (ignoring case) only characters that lower to
            # it ("İ" aside: Requires searches such texts in full).
            for letter in word:
                for char in regex.findall(regex.escape(letter), every_char, regex.IGNORECASE):
                    assert char.lower() == letter or len(char.lower()) != 1, (word, char)
        for text in date_texts:
            if rule.pattern.search(text):
                assert rule.requires.may_match(text), (rule.name, text)


def _scan_by_full_passes(text: str) -> list[object]:
    """The grammar with every pattern scanning the whole text (year-first ones their windows)."""
    windows = dates._year_windows(text)
    taken: list[object] = []
    for rule in dates._rules():
        if rule.year_first and not rule.at_year:
            matches = dates._matches(rule.pattern, text, windows)
        else:
            matches = list(rule.pattern.finditer(text))
        if matches:
            taken = dates._disjoint(taken, [dates._parts_of(match, rule) for match in matches])
    return taken


def test_fast_paths_scan_equals_full_passes(date_texts: list[str]) -> None:
    for text in date_texts:
        # Short and long texts take different paths (word checks, separator windows).
        for variant in (text, text + "\n" * (dates._SHORT_TEXT + 1)):
            parts = dates._scan(variant, dates._year_windows(variant), dates._rules())
            assert parts == _scan_by_full_passes(variant), text
        parts = _scan_by_full_passes(text)
        expected = [d for d in (dates._complete(p, None) for p in parts) if d is not None]
        assert dates.find_dates(text) == expected, text


def test_fast_paths_closing_candidates_equal_the_alternation(corpus: list[str]) -> None:
    for text in corpus + _near_misses(_CLOSING_PIECES, 3000, seed=2):
        expected = [match.start() for match in _candidate_lines().finditer(text)]
        assert list(_match_starts(text)) == expected, text
        starts = [line.start for line in split_lines(text)]
        assert list(_match_starts(text, starts)) == expected, text


def _markers_one_by_one(text: str) -> tuple[str, str, int] | None:
    stripped = text.lstrip()
    for kind, pattern in sections._markers():
        found = pattern.match(stripped)
        if found:
            return kind, found.group("num"), len(text) - len(stripped) + found.end()
    return None


def test_fast_paths_joined_markers_equal_one_by_one(corpus: list[str]) -> None:
    assert sections._any_marker() is not None
    lines = [line for text in corpus for line in text.split("\n")]
    for line in lines + _near_misses(_MARKER_PIECES, 20000, seed=3):
        assert sections.match_marker(line) == _markers_one_by_one(line), line


_UPPER = regex.compile(r"\p{Lu}")
_LOWER = regex.compile(r"\p{Ll}")


@given(st.text(alphabet="AaĐđỄễ 1.-", max_size=40))
def test_fast_paths_is_upper_equals_the_letter_count(text: str) -> None:
    upper, lower = len(_UPPER.findall(text)), len(_LOWER.findall(text))
    assert is_upper(text) == (upper > 0 and upper >= 0.85 * (upper + lower))


@given(st.text(alphabet=" \n\t\r*_<>&[]!^\\n\u00a0\u200b\u2003¹x", max_size=40))
def test_fast_paths_normalize_guards_only_skip_what_cannot_match(text: str) -> None:
    for pattern, guard in normalization._GUARDS.items():
        if not guard(normalization._Probe(text)):
            assert pattern.search(text) is None, (pattern.pattern, text)


def test_fast_paths_unusual_class_holds_what_the_class_guards_look_for() -> None:
    # A text with no _UNUSUAL character is not scanned for zero-width, odd
    # space or superscript characters: the class must take in all of them.
    for code in range(0x10000):  # the classes name characters of the BMP only
        char = chr(code)
        if normalization._UNUSUAL.match(char) is None:
            assert normalization._ZERO_WIDTH.match(char) is None, hex(code)
            assert normalization._ODD_SPACE.match(char) is None, hex(code)
            assert char not in normalization._SUPERSCRIPTS, hex(code)
            # _Probe.after carries "no unusual character" through composition.
            composed = unicodedata.normalize("NFC", char)
            assert normalization._UNUSUAL.search(composed) is None, hex(code)


def test_fast_paths_tone_prefilter_equals_the_full_scan(corpus: list[str]) -> None:
    # fmt: off
    pieces = ["o", "O", "u", "U", "q", "h", "à", "á", "ả", "ý", "ỵ", "È", "ẹ", "\u0301", "n", " ",
              "\n", "ö", "²", "Ⅻ", "ß", "ŉ", "-", "ǅ"]
    # fmt: on
    step = normalization.STEPS["tone_marks"]
    for text in corpus + _near_misses(pieces, 5000, seed=7):
        expected = normalization.rewrite(
            text, normalization._OPEN_CLUSTER, normalization._move_tone
        )
        fast_text, fast_map = step.apply(text)
        expected_map = expected[1] if expected[0] is not text else None
        assert fast_text == expected[0], text
        if expected_map is not None:
            assert list(fast_map.starts) == list(expected_map.starts), text
            assert list(fast_map.ends) == list(expected_map.ends), text


def test_fast_paths_lazy_line_roles_equal_the_whole_opening() -> None:
    model = default_model()
    if model is None:
        pytest.skip("no committed line-role model")
    for path in TEXTS[::6]:
        ctx = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig")))
        lines = ctx.structure.lines
        roles = ctx.model_line_roles
        assert roles is not None
        wanted = min(30, len(lines))
        expected = [str(role) for role in model.predict(line_features(ctx.structure, limit=30))]
        # Read back to front: the prefix grows in one step, then is reused.
        assert [roles[index] for index in reversed(range(wanted))] == expected[::-1]
        assert list(roles[wanted:]) == [""] * (len(lines) - wanted)
        # A slice is classified in one go: the same roles as line by line.
        fresh = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig")))
        sliced = fresh.model_line_roles
        assert sliced is not None
        assert list(sliced[:25]) == expected[: min(25, len(lines))]
        assert list(sliced[3:40:2]) == [roles[index] for index in range(3, min(40, len(lines)), 2)]


def test_fast_paths_zone_index_equals_the_line_scan() -> None:
    zone_sets = [
        ("header",),
        ("title",),
        ("header", "title"),
        ("body",),
        ("closing",),
        ("closing", "annex"),
        ("title", "body", "annex"),
        ("annex", "header"),
        ("header", "header"),
    ]
    for path in TEXTS[::4]:
        ctx = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig")))
        for zone_set in zone_sets:
            assert ctx.lines_in(*zone_set) == ctx.structure.lines_in(*zone_set), zone_set


# fmt: off
_WINDOW_PIECES = ["- ", "Từ ", "ngày ", "15", "3", "2023", "/", "-", "–", ".", ",", " ", "và ",
                  "đến ", "tháng ", "năm ", ": họp", "quý II", "tới ", "01/3", "15/3/2023",
                  "5 tháng 3 năm 2023", "05-06/3/2023", "tháng 3/2023", "2.1. "]
# fmt: on


def test_fast_paths_window_row_check_only_skips_rows_without_a_window(corpus: list[str]) -> None:
    lines = [line for text in corpus for line in text.split("\n")]
    for line in lines + _near_misses(_WINDOW_PIECES, 20000, seed=4):
        line = line.lstrip(" ,")
        opening = timetable._WINDOW_ROW.match(line)
        if opening is None or timetable._may_open_window(line, opening.end()):
            continue
        for year in (None, 2023):
            ranges = dates.find_all(line, default_year=year)[1]
            assert not ranges or ranges[0].span[0] > opening.end(), line


def _slot_one_by_one(heading: str) -> str | None:
    rules = slots._rules()
    key = " ".join(heading.casefold().split())
    lead = rules.lead.match(key)
    position = lead.end() if lead else 0
    return next((slot for slot, pattern in rules.cues if pattern.match(key, position)), None)


# fmt: off
_HEADING_PIECES = ["MỤC ĐÍCH", "mục tiêu", "yêu cầu", "Về ", "nội dung", "thời gian", "hình thức",
                   "đối tượng", "tổ chức", "thực hiện", ", ", " ", "1. ", "kinh phí", "x"]
# fmt: on


def test_fast_paths_joined_slot_cues_equal_one_by_one(corpus: list[str]) -> None:
    assert slots._joined_cues() is not None
    lines = [line.strip() for text in corpus for line in text.split("\n") if len(line) < 120]
    for heading in lines + _near_misses(_HEADING_PIECES, 5000, seed=5):
        if heading:
            assert slots.section_slot(heading) == _slot_one_by_one(heading), heading


def _phrase_linear(words: list[str], index: int) -> tuple[int, str] | None:
    """The casing phrases tried one after the other (the plain way)."""
    for folded, canonical in issuing_body._casing():
        size = len(folded.split())
        if issuing_body.match_key(" ".join(words[index : index + size])) == folded:
            return size, canonical
    return None


def test_fast_paths_casing_index_equals_the_phrases_in_order(corpus: list[str]) -> None:
    phrases = [canonical for _, canonical in issuing_body._casing()]
    lines = [line for text in corpus for line in text.split("\n")[:15]]
    rnd = random.Random(6)
    made_up = [
        " ".join(
            rnd.choice(phrases).upper().split()[: rnd.randint(1, 8)] + rnd.choice(phrases).split()
        )
        for _ in range(2000)
    ]
    for line in lines + made_up:
        words = [word.lower() for word in line.split()]
        keys = issuing_body._word_keys(words)
        for index in range(len(words)):
            expected = _phrase_linear(words, index)
            assert issuing_body._phrase_at(words, index) == expected, line
            assert issuing_body._phrase_at(words, index, keys) == expected, line


# fmt: off
_HEADER_PIECES = ["ỦY BAN ", "NHÂN DÂN ", "Ủy ban ", "HUYỆN ", "Hòa ", "HÒA ", "QUÝ ", "quý ",
                  "TOÀ ", "Toà ", "ĐCVMĐT ", "| ", "|", "* ", "*", "(", ")", "1", "2) ", "  ",
                  "\t", "\u00a0", "CỘNG HÒA ", "Cộng ", "ĐỘC LẬP ", "Độc lập ", "Số: ", "Số ",
                  "số ", "SỐ ", "12/KH-UBND", "Hà Nội", ", ", "ngày ", "Ngày ", "NGÀY ", "tháng ",
                  "5 ", "năm 2023", "TP. ", "hà ", ".", ";", "<b>", "**", "Nơi nhận:", "NƠI NHẬN",
                  "(Đã ký)", "[daky]", "(đã ký) ", " Phạm Phước Trãi", "KT. BỘ TRƯỞNG",
                  "TM. UBND", "Q. ", "- Như trên;", "\n", "Lê Văn A"]
# fmt: on


def test_fast_paths_folded_word_keys_join_to_the_phrase_key(corpus: list[str]) -> None:
    lines = [line for text in corpus for line in text.split("\n")[:20]]
    for line in lines + _near_misses(_HEADER_PIECES, 5000, seed=11):
        words = line.split()
        keys = issuing_body._word_keys(words)
        if keys is None:
            continue  # markup: the long way
        for size in range(1, min(len(words), 8) + 1):
            for index in range(len(words) - size + 1):
                joined = issuing_body.match_key(" ".join(words[index : index + size]))
                assert " ".join(keys[index : index + size]) == joined, line


def test_fast_paths_header_checks_only_skip_what_cannot_match(corpus: list[str]) -> None:
    from extractor.fields import identity

    place_date = identity._place_date_data().loose_place
    lines = [line for text in corpus for line in text.split("\n")]
    for line in lines + _near_misses(_HEADER_PIECES, 20000, seed=12):
        assert issuing_body._unclutter(line) == issuing_body._CLUTTER.sub("", line), line
        words = [match.group() for match in regex.finditer(r"\S+", line)]
        for word in words:
            nfd = normalization.unicodedata.normalize("NFD", word)
            assert issuing_body._has_vowel(word) == bool(issuing_body._VOWEL.search(nfd)), word
        if "ộ" not in line and "Ộ" not in line:
            assert issuing_body._MOTTO_START.search(line) is None, line
        if identity._DATE_WORD_TAIL not in line:
            assert identity._PLACE_DATE.search(line) is None, line
            assert place_date.match(line) is None, line
        if "ố" not in line and "Ố" not in line:
            assert identity._NUMBER.search(line) is None, line
            assert identity._BARE_NUMBER_LABEL.match(line) is None, line


def _authority_tail_by_characters(text: str) -> int | None:
    """Where an authority starts after a space, tried at every character (the plain way)."""
    for index, char in enumerate(text):
        if index and char in "TKQ" and text[index - 1] == " " and is_authority(text[index:]):
            return index
    return None


def test_fast_paths_closing_checks_only_skip_what_cannot_match(corpus: list[str]) -> None:
    patterns = closing_patterns()
    lines = [line for text in corpus for line in text.split("\n")]
    cells = [cell.strip() for line in lines for cell in line.split("|")]
    window = signer._Window("", (), 0)
    for text in lines + cells + _near_misses(_HEADER_PIECES, 20000, seed=13):
        found = signer._NAME_TAIL.search(text)
        plain = (
            found.start()
            if found and found.group().split()[0].casefold() in patterns.surnames
            else None
        )
        assert signer.name_tail(text) == plain, text
        after = patterns.signed_after.search(text)
        fast = signer._signed_after(text)
        assert (fast and fast.span()) == (after and after.span()), text
        heading = patterns.heading.search(text)
        fast = signer._find_heading(text)
        assert (fast and fast.span()) == (heading and heading.span()), text
        assert window._authority_tail(text) == _authority_tail_by_characters(text), text


def test_fast_paths_line_features_from_a_start_equal_the_whole_rows() -> None:
    for path in TEXTS[::5]:
        structure = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig"))).structure
        whole = line_features(structure)
        for start, limit in ((0, 8), (8, 16), (16, 30), (5, None)):
            rows = line_features(structure, limit=limit, start=start)
            assert [list(row.items()) for row in rows] == [
                list(row.items()) for row in whole[start:limit]
            ]


def test_fast_paths_batched_scores_equal_row_by_row() -> None:
    import numpy as np

    model = default_model()
    if model is None:
        pytest.skip("no committed line-role model")
    vocabulary, weights, bias = model._vocabulary, model._weights, model._bias
    for path in TEXTS[::4]:
        structure = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig"))).structure
        rows = [*line_features(structure, limit=30), {}, {"unknown feature": 1.0}]
        expected = []
        for row in rows:
            known = [name for name in row if name in vocabulary]
            values = np.asarray([row[name] for name in known], dtype=float)
            expected.append(values @ weights[[vocabulary[name] for name in known]] + bias)
        scores = model._scores(rows, np)
        np.testing.assert_allclose(scores, np.vstack(expected), rtol=0, atol=1e-9)
        assert (scores.argmax(axis=1) == np.vstack(expected).argmax(axis=1)).all()


# fmt: off
_PREFIX_PIECES = ["Số", "SỐ", "số", "sỐ", "Sô", ":", " ", "\t", "|", "*", "Kế hoạch ", "QUYẾT ĐỊNH ",
                  "UBND ", "TU ", "ban hành ", "đã ", "Xem ", "x", "(", "Số:", "\u00a0", "SỐ :",
                  "mẫu", " Mẫu ", "BIỂU", " biểu ", " Phụ lục", " PHỤ  LỤC", "lục", "so"]
# fmt: on


def test_fast_paths_own_prefix_check_only_skips_what_cannot_match(corpus: list[str]) -> None:
    grammar = references._grammar()
    prefixes = [
        line[:index]
        for text in corpus
        for line in text.split("\n")[:40]
        for index in range(0, min(len(line), 60), 3)
    ]
    matched = 0
    for prefix in prefixes + _near_misses(_PREFIX_PIECES, 20000, seed=7):
        expected = grammar.own_prefix.search(prefix) is not None
        assert references._own_prefix(prefix, grammar) == expected, prefix
        matched += expected
    assert matched  # the table holds labels, not only prefixes the shortcut settles


def test_fast_paths_form_label_check_only_skips_what_cannot_match(corpus: list[str]) -> None:
    grammar = references._grammar()
    prefixes = [
        line[:index]
        for text in corpus
        for line in text.split("\n")
        for index in range(0, min(len(line), 80), 4)
    ]
    matched = 0
    for prefix in prefixes + _near_misses(_PREFIX_PIECES, 20000, seed=8):
        expected = grammar.not_a_document.search(prefix) is not None
        assert references._not_a_document(prefix, grammar) == expected, prefix
        matched += expected
    assert matched


def test_fast_paths_paragraphs_from_the_shared_breaks_equal_their_own_split() -> None:
    zone_sets: list[tuple[Zone, ...]] = [("title", "body", "annex"), ("body",), ("title",)]
    zone_sets += [("annex",), ("title", "body"), ("header", "body")]
    for path in TEXTS:
        ctx = Context.of(Document.from_text(path.read_text(encoding="utf-8-sig")))
        for zone_set in zone_sets:
            lines = ctx.lines_in(*zone_set)
            breaks = deadlines._breaks(ctx.text, lines)
            own = deadlines._spans_of(ctx.text, lines, breaks) if lines else []
            assert deadlines._split_paragraphs(ctx, zone_set) == own, path


# fmt: off
_NFC_PIECES = ["a", "o", "\u0301", "\u0300", "\u0323", "\u0302", "\u0338", "\n", " ", "ệ", "Ω",
               "\u2126", "\u2000", "\u1100", "\u1161", "\u11a8", "가", "\u09c7", "\u09be", "A",
               "\u0345", "\u05b0", "\u0591", "\u0f71", "\u0f72", "\u0f80"]
# fmt: on


def test_fast_paths_nfc_line_by_line_equals_the_whole_text(corpus: list[str]) -> None:
    # Combining marks (U+0301 …) send _nfc line by line; the result must be NFC of the whole.
    decomposed = [unicodedata.normalize("NFD", text) for text in corpus[:20]]
    for text in corpus + decomposed + _near_misses(_NFC_PIECES, 5000, seed=8):
        assert encodings._nfc(text) == unicodedata.normalize("NFC", text), text


def _split_lines_reference(text: str) -> list[tuple[int, int, int, str]]:
    lines: list[tuple[int, int, int, str]] = []
    position = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((len(lines), position, position + len(raw), raw))
        position += len(raw) + 1
    return lines


@given(st.text(alphabet=" \n\t\r\u2028\u00a0\u3000ab", max_size=40))
def test_fast_paths_split_lines_equals_strip(text: str) -> None:
    expected = _split_lines_reference(text)
    assert [(x.index, x.start, x.end, x.text) for x in split_lines(text)] == expected


def _closing_start_reference(lines: list[Line]) -> int | None:
    patterns = line_patterns()
    receivers = [x.index for x in lines[1:] if patterns.closing_start.match(x.text.strip())]
    half = len(lines) // 2
    authorities = [x.index for x in lines[half:] if patterns.signer_authority.match(x.text.strip())]
    candidates = receivers[:1] + authorities[:1]
    return min(candidates) if candidates else None


def test_fast_paths_closing_start_stops_at_the_first_authority(corpus: list[str]) -> None:
    pieces = ["Nơi nhận:", "KT. CHỦ TỊCH", "TM. BAN", "x", "- Lưu", "Nơi nhận", "TL. Bộ"]
    texts = corpus + _near_misses(pieces, 500, seed=9)
    texts += ["\n".join(_near_misses(pieces, 12, seed=seed)) for seed in range(300)]
    for text in texts:
        lines = list(split_lines(text))
        assert zones._closing_start(lines) == _closing_start_reference(lines), text


# --- references, campaign cues, slot features ------------------------------------

# fmt: off
_TYPE_PIECES = ["Kế hoạch", "kế  hoạch", "KẾ HOẠCH", "Thông tư", "thông báo", "cáo", "Báo cáo", " ",
                "\n", "số", "Số:", ":", ";", ".", ", ", "ngày ", "12/3/2020", "(", ")", "Luật",
                "Bộ luật", "liên tịch", "công văn", "hướng dẫn", "Quyết", "định", "quyếtđịnh", "x",
                "Chương trình hành động", "İ", "-", "của", "Căn cứ "]
_CLAUSE_PIECES = ["bãi bỏ", "BÃI  BỎ", "thay thế", "Thay\nthế", "hết hiệu lực", "căn cứ vào",
                  "CĂN CỨ THEO", "căn cứ", "İ", "bãİ bỏ", "hếT", "x", " ", ";", "Thông tư số 1",
                  "vào", "theo", "thaythế", "(", "đã"]
# fmt: on


def _printed_type_whole_window(text: str, start: int) -> int | None:
    """``references._printed_type`` searching the whole window, as it did before its shortcut."""
    grammar = references._grammar()
    window = text[max(0, start - references._TYPE_WINDOW) : start]
    clause_ends = list(references._CLAUSE_END.finditer(window))
    if clause_ends:
        window = window[clause_ends[-1].end() :]
    matches = list(grammar.type_words.finditer(window))
    if not matches:
        return None
    last = matches[-1]
    gap = window[last.end() :]
    attached = references._ATTACHED.match(gap)
    if not (
        attached or (references._SO_TAIL.search(gap) and not references._DATE_WORD.search(gap))
    ):
        return None
    if len(matches) > 1 and not window[matches[-2].end() : last.start()].strip():
        last = matches[-2]
    spans = last.regs
    groups = references._type_groups(grammar.type_words, len(grammar.type_names))
    return next(index for index, group in enumerate(groups) if spans[group][0] >= 0)


def test_fast_paths_last_type_words_equal_the_whole_window(corpus: list[str]) -> None:
    grammar = references._grammar()
    assert grammar.letters_only  # else the shortcut is off and this checks nothing
    cases = [(text, match.start()) for text in corpus for match in regex.finditer(r"\d", text)]
    cases += [(text, len(text)) for text in _near_misses(_TYPE_PIECES, 20000, seed=11)]
    found = 0
    for text, start in cases[::3]:
        expected = _printed_type_whole_window(text, start)
        assert references._printed_type(text, start, grammar) == expected, text[:start][-160:]
        found += expected is not None
    assert found


def test_fast_paths_reversed_prefix_searches_find_what_the_forward_ones_find(
    corpus: list[str],
) -> None:
    grammar = references._grammar()
    prefixes = [
        line[max(0, index - references._PREFIX_WINDOW) : index]
        for text in corpus
        for line in text.split("\n")[:60]
        for index in range(0, min(len(line), 240), 3)
    ] + _near_misses(_PREFIX_PIECES + _TYPE_PIECES, 20000, seed=12)
    for forward, backward in (
        (grammar.own_prefix, grammar.own_prefix_reversed),
        (grammar.lead_prefix, grammar.lead_prefix_reversed),
    ):
        hits = 0
        for prefix in prefixes:
            expected = forward.search(prefix) is not None
            assert (backward.search(prefix) is not None) == expected, (forward.pattern, prefix)
            hits += expected
        assert hits


def test_fast_paths_inlined_type_words_match_as_the_defined_group(corpus: list[str]) -> None:
    data = load("references")
    types = references._type_alternatives(data)
    define = f"(?(DEFINE)(?P<type>(?i:{types})))"
    texts = [line for text in corpus for line in text.split("\n")[:80]]
    texts += _near_misses(_PREFIX_PIECES + _TYPE_PIECES, 5000, seed=13)
    for name, entry in data["patterns"].items():
        if "(?&type)" not in entry["pattern"]:
            continue
        inlined = references.compile_with_types(entry)
        defined = compile_pattern({**entry, "pattern": define + entry["pattern"]})
        for text in texts:
            expected = [m.span() for m in defined.finditer(text)]
            assert [m.span() for m in inlined.finditer(text)] == expected, (name, text)


def test_fast_paths_required_literals_only_skip_what_cannot_match(corpus: list[str]) -> None:
    grammar = references._grammar()
    pieces = [
        sentence for text in corpus for line in text.split("\n") for sentence in line.split(". ")
    ] + _near_misses(_CLAUSE_PIECES, 20000, seed=14)
    checks = [
        (grammar.repeals, grammar.repeals_requires),
        (grammar.mid_trigger, grammar.mid_trigger_requires),
        *((pattern, requires) for _, pattern, requires in grammar.numbers),
    ]
    for pattern, requires in checks:
        hits = 0
        for piece in pieces:
            if pattern.search(piece):
                hits += 1
                assert requires.may_match(piece), (pattern.pattern, piece)
        assert hits, pattern.pattern


def test_fast_paths_campaign_cue_lines_hold_every_match(corpus: list[str]) -> None:
    patterns = campaign._patterns()
    made_up = [
        "KẾ HOẠCH\nvề X\nI. NỘI DUNG\n" + text
        for text in _near_misses(
            [
                "Đối tượng",
                "ĐỐİ TƯỢNG",
                "đối  tượng",
                "Thành phần",
                "phạm vi",
                "Hình thức",
                "HÌNH\tTHỨC",
                "chủ đề",
                "Chủ  điểm",
                ": ",
                "“A”",
                "\n",
                "- ",
                "1. ",
                "x",
                " ",
            ],
            3000,
            seed=15,
        )
    ]
    for text in corpus + made_up:
        view = campaign._View.of(Context.of(Document.from_text(text)))
        for pattern, cues in (
            (patterns.audience_inline, patterns.audience_cues),
            (patterns.forms_inline, patterns.forms_cues),
            (patterns.theme_unquoted, patterns.theme_cues),
        ):
            expected = [i for i, line in enumerate(view.lines) if pattern.match(line.text)]
            assert set(expected) <= set(view.cue_lines(cues)), (pattern.pattern, text)
        if any(patterns.theme_quoted.finditer(view.text)):
            assert view.cue_lines(patterns.theme_cues)


def test_fast_paths_heading_keys_equal_the_word_by_word_features(corpus: list[str]) -> None:
    headings = [
        item.heading
        for text in corpus[::3]
        for item in slots.classify_sections(Context.of(Document.from_text(text)))
        if item.heading
    ] + ["", "İSTANBUL Mục đích", "1.2. ĐỐI TƯỢNG, HÌNH THỨC; thời gian", "ß ǅ x"]
    for heading in headings:
        words = [word.casefold() for word in regex.findall(r"[\p{L}\d]+", heading)][:10]
        expected = {f"w={word}": 1.0 for word in words}
        for left, right in itertools.pairwise(words[:5]):
            expected[f"b={left}_{right}"] = 1.0
        if words:
            expected[f"first={words[0]}"] = 1.0
        assert list(dict.fromkeys(slot_classifier._heading_keys(heading), 1.0)) == list(expected)
