"""The date grammar (``extractor.fields.dates`` and ``data/dates.json``).

Provenance of the tables: ``seen_in_corpus`` snippets are copied from texts of
the corpus (the train split and the long legal documents, which were not used
to write the rules; the grammar was developed on the train split only);
``bugs_caught`` are inputs that once gave a wrong answer; ``known_failures``
are strict xfails, so fixing one forces its promotion.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.data import compile_pattern, load
from extractor.fields.dates import find_all, find_dates, find_ranges, parse_date, to_iso
from tests.hostile import hang_guard

ISO = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


def _pattern_examples() -> list[Any]:
    cases = []
    for entry in load("dates")["patterns"]:
        year = entry.get("example_year")
        for text, iso in entry["examples"].items():
            cases.append(pytest.param(text, year, iso, id=f"{entry['name']}:{text}"))
        for text in entry.get("counter_examples", []):
            cases.append(pytest.param(text, year, None, id=f"{entry['name']}!:{text}"))
    return cases


@pytest.mark.parametrize(("text", "year", "iso"), _pattern_examples())
def test_dates_data_examples(text: str, year: int | None, iso: str | None) -> None:
    assert parse_date(text, default_year=year) == iso


def _range_examples() -> list[Any]:
    data = load("dates")["ranges"]
    cases = [
        pytest.param(e["text"], e.get("year"), (e["start"], e["end"]), id=e["text"])
        for e in data["examples"]
    ]
    cases += [pytest.param(text, 2022, None, id=f"!{text}") for text in data["counter_examples"]]
    return cases


@pytest.mark.parametrize(("text", "year", "expected"), _range_examples())
def test_dates_range_examples(
    text: str, year: int | None, expected: tuple[str | None, str | None] | None
) -> None:
    ranges = find_ranges(text, default_year=year)
    if expected is None:
        assert ranges == []
        return
    assert len(ranges) == 1
    start, end = ranges[0].start, ranges[0].end
    assert (start.iso if start else None, end.iso if end else None) == expected


def test_dates_range_parts_match_their_data_examples() -> None:
    ranges = load("dates")["ranges"]
    for name in ("connector", "opener"):
        pattern = compile_pattern(ranges[name])
        for example in ranges[name]["examples"]:
            assert pattern.search(example), (name, example)
        for counter in ranges[name]["counter_examples"]:
            assert not pattern.search(counter), (name, counter)
    for entry in ranges["patterns"]:
        pattern = compile_pattern(entry)
        for example in entry["examples"]:
            assert pattern.search(example), (entry["name"], example)
        for counter in entry["counter_examples"]:
            assert not pattern.search(counter), (entry["name"], counter)


# fmt: off
SEEN_IN_CORPUS = [
    # (text, default year, ISO values of every date, in order)
    ("Dân Lực, ngày 18 tháng 02 năm 2021", None, ["2021-02-18"]),
    ("Thực hiện Kế hoạch số 21/KH-UBND ngày 31/01/2021 của UBND tỉnh", None, ["2021-01-31"]),
    ("Điều 4.Quyết định này có hiệu lực thi hành kể từ ngày 01-4-2011.", None, ["2011-04-01"]),
    ("Hòa Hội, ngày 09 tháng 10 năm 2012..", None, ["2012-10-09"]),
    ("Tân Yên, ngày 21 tháng năm 2012", None, ["2012"]),
    ("Kỳ Lợi, ngày .... tháng ..... năm 2022.", None, ["2022"]),
    ("tháng 01 năm 2020", None, ["2020-01"]),
    ("thực hiện một số mục tiêu quan trọng trong năm 2023", None, ["2023"]),
    ("theo dõi từ đầu năm 2021 tình hình tai nạn giao thông", None, ["2021"]),
    ("đến năm 2025 và Định hướng đến năm 2030.", None, ["2025", "2030"]),
    ("đảng viên cuối năm 2022 (tổ chức vào tháng 11 hoặc đầu tháng 12).", 2022,
     ["2022-12", "2022-11", "2022-12"]),
    ("về kết quả triển khai đợt sinh hoạt chính trị vào cuối quý II và cuối năm (tháng 11/2022).",
     2022, ["2022-06", "2022-11"]),
    ("kiểm điểm 06 tháng đầu năm và kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, "
     "đảng viên cuối năm 2022.", None, ["2022-12"]),
    ("Quyết định này có hiệu lực kể từ ngày 15 tháng 8 năm 2025.", None, ["2025-08-15"]),
    ("Chậm nhất đến ngày 01 tháng 7 năm 2026, các bộ, ngành", None, ["2026-07-01"]),
    ("- Dịp 19/5: báo cáo trước ngày 15/6/2022.", None, ["2022-06-15"]),
    ("14:37 31/07/2023", None, ["2023-07-31"]),
    # document numbers are not dates
    ("Thông tư số 15/2020/TT-BGDĐT", None, []),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ", None, ["2020-03-05"]),
    ("Số: 123/2022/QĐ-UBND", None, []),
    ("Hội nghị Trung ương 3 (khoá VII) năm 1992, Hội nghị Trung ương 6 lần 2, khoá VIII năm 1999",
     None, []),
    ("Lễ giỗ Tổ Hùng Vương (10 tháng 3 âm lịch, tức ngày 31/3/2012)", 2012, ["2012-03-31"]),
]

BUGS_CAUGHT = [
    # recurring and relative dates carry no year of their own: never complete them
    ("Chậm nhất vào ngày 10 tháng 11 hằng năm, Công an đơn vị", 2025, []),
    ("gửi Bộ Tài chính trước ngày 15 tháng 7 hằng năm.", 2025, []),
    ("Tính từ ngày 15 tháng 12 năm trước kỳ báo cáo đến ngày 14 tháng 12 của kỳ báo cáo.", 2025,
     []),
    ("là số liệu tính đến ngày 31 tháng 12 của năm trước liền kề", 2025, []),
    ("vào tháng 12 năm trước năm kế hoạch", 2025, []),
    # a garbled year ("5" for "năm") is not completed with the default year
    ("Hà Nội, ngày 25 tháng 12 5 2019", 2022, []),
    ("quý vị đại biểu", 2022, []),
]

KNOWN_FAILURES = [
    # synonym-spun copies print "5" or "1hai" for "năm"/"12": the annotators read them
    ("Hà Nội, ngày 25 tháng 12 5 2019", None, ["2019-12-25"]),
    ("ngày 28 tháng 1hai năm 2010", None, ["2010-12-28"]),
    # two-digit years
    ("báo cáo trước ngày 15/6/22", None, ["2022-06-15"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [pytest.param(*case, id=case[0][:50]) for case in SEEN_IN_CORPUS + BUGS_CAUGHT]
    + [
        pytest.param(*case, id=case[0][:50], marks=pytest.mark.xfail(strict=True))
        for case in KNOWN_FAILURES
    ],
)
def test_dates_find_dates(text: str, year: int | None, expected: list[str]) -> None:
    assert [date.iso for date in find_dates(text, default_year=year)] == expected


def test_dates_spans_point_at_the_printed_date() -> None:
    text = "Trà Vinh, ngày 18 tháng 4 năm 2022; báo cáo trước ngày 15/6 và trong quý II/2022"
    spans = [text[d.start : d.end] for d in find_dates(text, default_year=2022)]
    assert spans == ["ngày 18 tháng 4 năm 2022", "15/6", "quý II/2022"]


def test_dates_year_less_dates_need_a_default_year() -> None:
    assert find_dates("trước ngày 15/6 và cuối quý II") == []
    assert [d.iso for d in find_dates("trước ngày 15/6", default_year=2023)] == ["2023-06-15"]


def test_dates_range_start_borrows_from_its_end() -> None:
    (window,) = find_ranges("từ tháng 11 đến tháng 02/2023")
    assert window.start is not None
    assert window.end is not None
    assert (window.start.iso, window.end.iso) == ("2022-11", "2023-02")


def test_dates_to_iso_rejects_out_of_range_years() -> None:
    assert to_iso(1850, 1, 1) is None
    assert to_iso(2024, 2, 29) == "2024-02-29"
    assert to_iso(2023, 2, 29) == "2023-02"


def test_dates_find_all_agrees_with_find_dates_and_find_ranges() -> None:
    text = "từ ngày 01/02/2023 đến ngày 19/5/2023; báo cáo trước ngày 30/6"
    dates, ranges = find_all(text, default_year=2023)
    assert dates == find_dates(text, default_year=2023)
    assert ranges == find_ranges(text, default_year=2023)


_DATE_ALPHABET = st.sampled_from(
    ["ngày", "tháng", "năm", "quý", "II", "IV", "từ", "đến", "trước", "cuối", "đầu", "hằng",
     "giai đoạn", "Số", "/", "-", "–", ".", ",", " ", "\n", "…", "(", ")", ":", "KH", "TU",
     "1", "12", "15", "31", "2022", "1930", "2025", "0", "9"]
)  # fmt: skip


@given(st.lists(_DATE_ALPHABET, max_size=60).map("".join), st.one_of(st.none(), st.integers()))
def test_dates_never_raise_and_stay_inside_the_text(text: str, year: int | None) -> None:
    dates, ranges = find_all(text, default_year=year if year and 1900 <= year <= 2100 else None)
    for date in dates:
        assert 0 <= date.start < date.end <= len(text)
        assert ISO.match(date.iso), date
    for window in ranges:
        assert 0 <= window.span[0] < window.span[1] <= len(text)
        for end in (window.start, window.end):
            assert end is None or (ISO.match(end.iso) and 0 <= end.start < end.end <= len(text))


@given(st.text(max_size=300))
def test_dates_never_raise_on_any_string(text: str) -> None:
    dates = find_dates(text, default_year=2022)
    assert all(0 <= d.start < d.end <= len(text) and ISO.match(d.iso) for d in dates)
    find_ranges(text, default_year=2022)


@settings(max_examples=20)
@given(st.lists(_DATE_ALPHABET, min_size=1, max_size=12).map("".join))
def test_dates_finish_fast_on_long_repetitions(unit: str) -> None:
    text = (unit + " ") * (20_000 // (len(unit) + 1) + 1)
    with hang_guard(60):  # a hang detector, not a speed target (that is make bench)
        find_all(text, default_year=2022)


def test_dates_adversarial_two_megabytes_finish() -> None:
    text = "ngày ngày tháng Số 12-KH/ trước ngày " * 56_000  # about 2 MB
    with hang_guard(60):  # a hang detector, not a speed target (that is make bench)
        dates, ranges = find_all(text, default_year=2022)
    assert dates == []
    assert ranges == []
