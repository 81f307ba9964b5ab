"""Normalization: the step table, the canonical tone placement, offsets."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.text.normalize import DEFAULT_STEPS, STEPS, match_key, normalize

# fmt: off
STEP_CASES = [
    # (step, input, expected) — seen in the corpus and the seeds
    ("nfc", unicodedata.normalize("NFD", "Tỉnh ủy Trà Vinh"), "Tỉnh ủy Trà Vinh"),
    ("nfc", "\u00d0ẢNG BỘ", "ĐẢNG BỘ"),
    ("nfc", "\u00f0ồng chí", "đồng chí"),
    ("tone_marks", "hoá", "hóa"),
    ("tone_marks", "Tỉnh uỷ", "Tỉnh ủy"),
    ("tone_marks", "thuỷ lợi", "thủy lợi"),
    ("tone_marks", "khoẻ", "khỏe"),
    ("tone_marks", "HOÀ BÌNH", "HÒA BÌNH"),
    ("tone_marks", "UỶ BAN", "ỦY BAN"),
    ("tone_marks", "quý", "quý"),  # "qu" is a consonant: tone stays on y
    ("tone_marks", "hoàn thành", "hoàn thành"),  # closed syllable: same in both styles
    ("tone_marks", "thuyền", "thuyền"),
    ("strip_markup", "**Tự soi, tự sửa**", "Tự soi, tự sửa"),
    ("strip_markup", "*về đẩy mạnh xây dựng*", "về đẩy mạnh xây dựng"),
    ("strip_markup", "<p>1. Kết luận</p> <i>số 21</i>", "1. Kết luận số 21"),
    ("strip_markup", "[bookmark: _GoBack]Nơi nhận", "Nơi nhận"),
    ("strip_markup", "![](image.png)KẾ HOẠCH", "KẾ HOẠCH"),
    ("strip_markup", "*", "*"),  # the star under a party header stays
    ("strip_markup", "5 * 3 * 2", "5 * 3 * 2"),
    ("strip_markup", r"1\. Mục đích", "1. Mục đích"),
    ("footnotes", "Kế hoạch¹ của", "Kế hoạch của"),
    ("footnotes", "¹ Quy định số 08-QĐ/HU", "¹ Quy định số 08-QĐ/HU"),
    ("unescape", r"dòng một\r\ndòng hai", "dòng một\ndòng hai"),
    ("unescape", "Đảng&nbsp;ủy", "Đảng\u00a0ủy"),
    ("whitespace", "Số 60\t-KH/ĐUK  ", "Số 60 -KH/ĐUK"),
    ("whitespace", "a\r\n\r\n\r\n\r\nb", "a\n\nb"),
    ("whitespace", "Dân\u00a0\u00a0Lực\u200b", "Dân Lực"),
]
# fmt: on


@pytest.mark.parametrize(("step", "text", "expected"), STEP_CASES)
def test_normalize_step_table(step: str, text: str, expected: str) -> None:
    assert STEPS[step](text) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [("hoá", "hóa"), ("uỷ", "ủy"), ("thuỷ", "thủy"), ("ĐẢNG ỦY KHỐI", "Đảng uỷ Khối")],
)
def test_normalize_match_key_equates_tone_placement_and_case(left: str, right: str) -> None:
    assert match_key(left) == match_key(right)


def test_normalize_match_key_keeps_d_stroke_distinct() -> None:
    assert match_key("Đảng") != match_key("Dang")
    assert match_key("Đảng") != match_key("Dảng")


def test_normalize_default_chain_order() -> None:
    assert DEFAULT_STEPS == (
        "unescape",
        "footnotes",
        "strip_markup",
        "whitespace",
        "nfc",
        "tone_marks",
    )


def test_normalize_accepts_custom_callable_and_maps_offsets() -> None:
    result = normalize("ab--cd", steps=["whitespace", lambda text: text.replace("--", "")])
    assert result.text == "abcd"
    assert result.offsets.to_source(2, 4) == (4, 6)


# Pieces, not single characters: markup and escapes are multi-character.
VIETNAMESE = st.lists(
    st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạóòỏõọúùủũụýỳỷỹỵéèẻẽẹ")
        + list("ĐẢNGỦYHOÁ*_<>p/[]!()\\¹")
        + [" ", "  ", "\n", "\t", "\u00a0", "\r\n", "\u0301", "\u0323", "**", "\\n"]
        + ["hoá", "uỷ", "quý", "<p>", "</i>", "&amp;", "[bookmark: x]", "![](a.png)"]
    ),
    max_size=80,
).map("".join)


@given(VIETNAMESE)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text(max_size=300))
def test_normalize_never_raises_and_yields_nfc(text: str) -> None:
    result = normalize(text)
    assert unicodedata.is_normalized("NFC", result.text)
    assert len(result.offsets) == len(result.text)


@given(VIETNAMESE)
def test_normalize_offsets_point_back_into_the_original(text: str) -> None:
    result = normalize(text)
    starts, ends = result.offsets.starts, result.offsets.ends
    assert all(
        0 <= s <= e <= len(text) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    )
    assert list(starts) == sorted(starts)
    for line_start, line in _lines(result.text):
        start, end = result.offsets.to_source(line_start, line_start + len(line), with_gaps=True)
        assert normalize(text[start:end]).text == line


def _lines(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            found.append((position, line))
        position += len(line) + 1
    return found
