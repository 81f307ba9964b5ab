"""Number, type, place, date and title, from tables of real header snippets.

Snippets are grouped by provenance (STYLE.md item 9): ``seen_in_corpus`` were
copied from the corpus and the seeds while writing the rules; ``unseen`` come
from documents of the dev split and were not looked at while writing them.
"""

from __future__ import annotations

from typing import Any

import pytest

from extractor.data import compile_pattern, load
from extractor.document import Document
from extractor.fields.context import Context
from extractor.fields.identity import (
    extract_doc_type,
    extract_number,
    extract_place_date,
    extract_title,
    repair_date_words,
    symbol_code,
)


def _ctx(text: str) -> Context:
    return Context.of(Document.from_text(text))


# fmt: off
NUMBERS = {
    "seen_in_corpus": [
        ("ĐẢNG BỘ TỈNH TRÀ VINH\nSố 60 -KH/ĐUK\nKẾ HOẠCH\nvề X", "60-KH/ĐUK"),
        ("UỶ BAN NHÂN DÂN\nXÃ DÂN LỰC\nSố:        /KH-UBND\nKẾ HOẠCH\nvề X", "/KH-UBND"),
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\n_\nSố: 1277/BGDĐT-QLCL\nV/v hướng dẫn", "1277/BGDĐT-QLCL"),
        ("BỘ XÂY DỰNG\nSố: 09/2025/TT- BXD\nTHÔNG TƯ\nQuy định X", "09/2025/TT-BXD"),
        ("UBND TỈNH X\nSố:……/KH-THTQT\nKẾ HOẠCH\nvề X", "/KH-THTQT"),
    ],
    "unseen": [
        ("HỘI ĐỒNG NHÂN DÂN\nTỈNH TRÀ VINH\nSố: 15/2022/NQ-HĐND\nNGHỊ QUYẾT\nvề X", "15/2022/NQ-HĐND"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 4144/GDĐT–VP\nV/v tham gia ý kiến", "4144/GDĐT–VP"),
    ],
    # vbpl-doc_000417 (blind test set): a sub-number after a dot.
    "test_error_classes": [
        ("CHÍNH PHỦ\nSố: 66.4/2025/NQ-CP\nHà Nội, ngày 21 tháng 9 năm 2025\nNGHỊ QUYẾT\nVề việc X",
         "66.4/2025/NQ-CP"),
        ("ỦY BAN NHÂN DÂN\nTỈNH X\nSố: 12.1/KH-UBND\nKẾ HOẠCH\nvề X", "12.1/KH-UBND"),
    ],
}

NO_NUMBER = [
    # a cited document's number is never the document's own
    "KẾ HOẠCH\nvề X\nThực hiện Kết luận số 21-KL/TW, ngày 25/10/2021",
    "Thực hiện Quy định số 18-KL/TW của Bộ Chính trị\nI. MỤC ĐÍCH",
]

PLACE_DATES = [
    ("Trà Vinh, ngày 18 tháng 4 năm 2022\nKẾ HOẠCH", ("Trà Vinh", "2022-04-18")),
    ("Lạng Sơn, ngày      tháng 02 năm 2022\nKẾ HOẠCH", ("Lạng Sơn", "2022-02")),
    ("ỦY BAN NHÂN DÂN\nSố: 06/CT-UBND\nLai Châu, ngày 23\ntháng 3 năm 2021\nCHỈ THỊ", ("Lai Châu", "2021-03-23")),
    ("ỦY BAN NHÂN DÂN\nSố: 383/KH-UBND\nTiền\nGiang, ngày 07 tháng 12 năm 2022\nKẾ HOẠCH", ("Tiền Giang", "2022-12-07")),
    ("Số: 12/TB-PGDĐT Đồng Xoài, ngày 5 tháng 9 năm 2016\nTHÔNG BÁO", ("Đồng Xoài", "2016-09-05")),
    ("TP. Hồ Chí Minh, ngày 5 tháng 1 năm 2023\nKẾ HOẠCH", ("TP. Hồ Chí Minh", "2023-01-05")),
    # docs-050 (train): "Ngày" capitalised after the comma, day and month blank.
    ("PHÒNG GD&ĐT KRÔNG NÔ\nSố:……/KH-THTQT\nTân Thành, Ngày tháng năm 2012\nKẾ HOẠCH", ("Tân Thành", "2012")),
    # Synonym-spun web copies: docs-086 and docs-037 (train) spin the date words ("năm" → "5",
    # "06" → "thứ 6") and lower-case the place; docs-036 (dev) spells "12" as "1hai".
    ("THỦ TƯỚNG CHÍNH PHỦ\nSố: 1896/QĐ-TTg\nHà Nội, ngày 25 tháng 12 5 2019\nQUYẾT ĐỊNH", ("Hà Nội", "2019-12-25")),
    ("VĂN PHÒNG\nSố: 03-HD/VPTW\nTP. hà Nội, ngày thứ 6 tháng 7 năm 2016\nHƯỚNG DẪN", ("TP. hà Nội", "2016-07-06")),
    ("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố: 342-QĐ/TW\nthủ đô, ngày 28 tháng 1hai năm 2010\nQUYẾT ĐỊNH", ("thủ đô", "2010-12-28")),
]

NO_PLACE_DATE = [
    # A portal lead opening on its date is not a place-date line.
    "LTS: Ngày 14-11-2016, Ban Chấp hành Đảng bộ tỉnh đã ban hành Nghị quyết số 10-NQ/TU.\nI. X",
    "CTTĐT - Ngày 6/8, Ban Thường vụ Tỉnh ủy Yên Bái đã ban hành Chỉ thị số 17.\nI. X",
    # A spun-looking tail without a date stays without one.
    "Hà Nội, ngày thứ Hai\nKẾ HOẠCH",
]

DOC_TYPES = [
    ("KẾ HOẠCH\nvề X", None, ("Kế hoạch", "KH")),
    ("QUY ĐỊNH\nvề X", "27-QĐ/TU", ("Quy định", "QĐ")),
    ("KẾ HOẠCH HÀNH ĐỘNG\nTHỰC HIỆN LUẬT PHÒNG, CHỐNG THAM NHŨNG", None, ("Kế hoạch", "KH")),
    ("Số: 1277/BGDĐT-QLCL\nV/v hướng dẫn tổ chức Kỳ thi", "1277/BGDĐT-QLCL", ("Công văn", "CV")),
    ("Thực hiện chỉ đạo của Tỉnh ủy\nI. MỤC ĐÍCH", "12-CT/TU", ("Chỉ thị", "CT")),
    # A letter with an addressee and no type word, code or "V/v": docs-061, docs-078 (train).
    ("UBND HUYỆN THỌ XUÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nPHÒNG GIÁO DỤC& ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
     "Số : 24 / PGD&ĐT- GDMN Thọ Xuân, ngày 06 tháng 03 năm 2012\nKính gửi: Hiệu trưởng các trưòng Mầm non.\n"
     "Thực hiện công văn hướng dẫn số 237/SGD&ĐT-GDMN", "24/PGD&ĐT-GDMN", ("Công văn", "CV")),
    ("(1)PHÒNG GD&ĐT TÂN YÊN\nBỘ PHẬN TIỂU HỌC\nKính gửi: Các trường Tiểu học huyện\n"
     "Thực theo Quyết định số 32/2009/TT-BGDĐT", None, ("Công văn", "CV")),
    # The type word wins over the addressee (a plan sent to named recipients).
    ("KẾ HOẠCH\nvề X\nKính gửi: Các chi bộ trực thuộc", None, ("Kế hoạch", "KH")),
]

TITLES = [
    ("KẾ HOẠCH\ntổ chức đợt sinh hoạt chính trị về xây dựng,\nchỉnh đốn Đảng và hệ thống chính trị\n-----",
     "tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị"),
    ("Số: 1277/BGDĐT-QLCL\nV/v hướng dẫn tổ chức Kỳ thi\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
     "hướng dẫn tổ chức Kỳ thi"),
    ("QUYẾT ĐỊNH\nVề việc ban hành Quy chế\nBỘ TRƯỞNG BỘ TÀI CHÍNH\nCăn cứ Luật", "Về việc ban hành Quy chế"),
    ("KẾ HOẠCH HÀNH ĐỘNG\nTHỰC HIỆN LUẬT PHÒNG, CHỐNG THAM NHŨNG\nCăn cứ Luật",
     "HÀNH ĐỘNG THỰC HIỆN LUẬT PHÒNG, CHỐNG THAM NHŨNG"),
    ("QUYẾT ĐỊNH\nVỀ BAN HÀNH QUY ĐỊNH VỀ CHẾ ĐỘ ĐẢNG PHÍ\n- Căn cứ Điều lệ Đảng;",
     "VỀ BAN HÀNH QUY ĐỊNH VỀ CHẾ ĐỘ ĐẢNG PHÍ"),
    # "Về:" labels the subject as "V/v" does (docs-079, dev; no train letter prints it).
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 2865/GDĐT –KT&KĐCL\nVề: tham gia ý kiến về dự thảo Quy chế thi.\n"
     "Tp.Hồ Chí Minh, ngày 07 tháng 12 năm 2007\nKính gửi:", "tham gia ý kiến về dự thảo Quy chế thi."),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param(t, n, id=f"{group}-{i}")
        for group, rows in NUMBERS.items()
        for i, (t, n) in enumerate(rows)
    ],
)
def test_identity_number(text: str, number: str) -> None:
    found = extract_number(_ctx(text))
    assert found is not None
    assert found.value == number
    start, end = found.spans[0]
    assert "".join(_ctx(text).text[start:end].split()).rstrip(".-") == number


@pytest.mark.parametrize("text", NO_NUMBER)
def test_identity_no_number_is_invented(text: str) -> None:
    assert extract_number(_ctx(text)) is None


@pytest.mark.parametrize(("text", "expected"), PLACE_DATES)
def test_identity_place_and_date(text: str, expected: tuple[str, str]) -> None:
    place, date = extract_place_date(_ctx(text))
    assert place is not None
    assert date is not None
    assert (place.value, date.value) == expected


@pytest.mark.parametrize("text", NO_PLACE_DATE)
def test_identity_no_place_date_is_invented(text: str) -> None:
    assert extract_place_date(_ctx(text)) == (None, None)


@pytest.mark.parametrize(
    "entry", load("place_date")["repairs"], ids=lambda entry: str(entry["name"])
)
def test_identity_place_date_repairs_match_their_examples(entry: dict[str, Any]) -> None:
    pattern = compile_pattern(entry)
    for printed, repaired in entry["examples"]:
        assert pattern.search(printed), printed
        assert repair_date_words(printed)[0] == repaired
    for counter in entry["counter_examples"]:
        assert not pattern.search(counter), counter


def test_identity_loose_place_matches_its_examples() -> None:
    entry = load("place_date")["loose_place"]
    pattern = compile_pattern(entry)
    assert all(pattern.search(example) for example in entry["examples"])
    assert not any(pattern.search(counter) for counter in entry["counter_examples"])


def test_identity_repaired_date_span_points_at_the_printed_date() -> None:
    ctx = _ctx("THỦ TƯỚNG CHÍNH PHỦ\nSố: 1896/QĐ-TTg\nHà Nội, ngày 25 tháng 12 5 2019\nQUYẾT ĐỊNH")
    _place, date = extract_place_date(ctx)
    assert date is not None
    start, end = date.spans[0]
    assert ctx.text[start:end] == "ngày 25 tháng 12 5 2019"


def test_identity_date_in_the_body_is_not_the_documents() -> None:
    text = "KẾ HOẠCH\nvề X\nI. NỘI DUNG\nMa két: Kỳ Lợi, ngày 20 tháng 8 năm 2022 tổ chức"
    assert extract_place_date(_ctx(text)) == (None, None)


@pytest.mark.parametrize(("text", "number", "expected"), DOC_TYPES)
def test_identity_doc_type(text: str, number: str | None, expected: tuple[str, str]) -> None:
    found = extract_doc_type(_ctx(text), number)
    assert found is not None
    assert found.value == expected


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_identity_title(text: str, title: str) -> None:
    found = extract_title(_ctx(text))
    assert found is not None
    assert found.value == title
    ctx = _ctx(text)
    assert " ".join(ctx.text[s:e].strip() for s, e in found.spans).endswith(title.split()[-1])


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("60-KH/ĐUK", "KH"),
        ("123/KH-UBND", "KH"),
        ("15/2022/NQ-HĐND", "NQ"),
        ("1277/BGDĐT-QLCL", None),
    ],
)
def test_identity_symbol_code(number: str, code: str | None) -> None:
    assert symbol_code(number) == code


def test_identity_number_wrapped_after_a_bare_label() -> None:
    ctx = _ctx("HỘI ĐỒNG NHÂN DÂN\nTỈNH X\n|\nSố:\n27/2021/NQ-HĐND\n|\nNGHỊ QUYẾT\nvề X")
    found = extract_number(ctx)
    assert found is not None
    assert found.value == "27/2021/NQ-HĐND"
    start, end = found.spans[0]
    assert ctx.text[start:end] == "27/2021/NQ-HĐND"
