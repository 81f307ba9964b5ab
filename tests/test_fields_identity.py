"""Number, type, place, date and title, from tables of real header snippets.

Snippets are grouped by provenance (STYLE.md item 9): ``seen_in_corpus`` were
copied from the corpus and the seeds while writing the rules; ``unseen`` come
from documents of the dev split and were not looked at while writing them.
"""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.fields.context import Context
from extractor.fields.identity import (
    extract_doc_type,
    extract_number,
    extract_place_date,
    extract_title,
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
]

DOC_TYPES = [
    ("KẾ HOẠCH\nvề X", None, ("Kế hoạch", "KH")),
    ("QUY ĐỊNH\nvề X", "27-QĐ/TU", ("Quy định", "QĐ")),
    ("KẾ HOẠCH HÀNH ĐỘNG\nTHỰC HIỆN LUẬT PHÒNG, CHỐNG THAM NHŨNG", None, ("Kế hoạch", "KH")),
    ("Số: 1277/BGDĐT-QLCL\nV/v hướng dẫn tổ chức Kỳ thi", "1277/BGDĐT-QLCL", ("Công văn", "CV")),
    ("Thực hiện chỉ đạo của Tỉnh ủy\nI. MỤC ĐÍCH", "12-CT/TU", ("Chỉ thị", "CT")),
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
