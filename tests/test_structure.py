"""Structure: line roles, numbering markers, zones and the section tree, from real snippets."""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.structure import analyze
from extractor.structure.lines import rule_role, split_lines
from extractor.structure.sections import build_sections, heading_of, match_marker

# fmt: off
ROLE_CASES = [
    # seen in the corpus
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "motto"),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto"),
    ("Độc lập - Tự do - Hạnh phúc", "motto"),
    ("Số 60 -KH/ĐUK", "number"),
    ("Số:        /KH-UBND", "number"),
    ("Số: 1277/BGDĐT-QLCL", "number"),
    ("Trà Vinh, ngày 18 tháng 4 năm 2022", "place_date"),
    ("Lạng Sơn, ngày tháng 02 năm 2022", "place_date"),
    ("KẾ HOẠCH", "doc_type"),
    ("QUYẾT ĐỊNH", "doc_type"),
    ("V/v hướng dẫn tổ chức Kỳ thi tốt nghiệp trung học phổ thông năm 2024", "title"),
    ("Nơi nhận:", "recipients"),
    ("T/M BAN THƯỜNG VỤ", "signer_authority"),
    ("TM. ỦY BAN NHÂN DÂN", "signer_authority"),
    ("KT. BỘ TRƯỞNG", "signer_authority"),
    ("-----", "noise"),
    ("PHỤ LỤC I", "annex"),
    ("| Tháng 4/2022 | 1. Nghị quyết số 03-NQ/TW | |", "table"),
    ("¹ Quy định số 08-QĐ/HU, ngày 29/11/2019", "footnote"),
    ("Thực hiện Hướng dẫn số 40-HD/BTGTU, ngày 09/3/2022 của Ban Tuyên giáo Tỉnh ủy", "body"),
    ("Số lượng đảng viên tham gia đạt 95%", "body"),
]

MARKER_CASES = [
    ("I. MỤC ĐÍCH, YÊU CẦU", ("roman", "I")),
    ("I- MỤC ĐÍCH, YÊU CẦU", ("roman", "I")),
    ("III.TỔ CHỨC THỰC HIỆN", ("roman", "III")),
    ("1. Mục đích", ("arabic", "1")),
    ("1.1. Quán triệt quan điểm công tác xây dựng", ("arabic", "1.1")),
    ("2.1 Đối tượng", ("arabic", "2.1")),
    ("a) Đối với cấp ủy", ("letter", "a")),
    ("đ) Báo cáo kết quả", ("letter", "đ")),
    ("- Giúp cấp ủy, tổ chức đảng", ("bullet", "-")),
    ("+ Các chi bộ trực thuộc", ("bullet", "+")),
    ("Điều 1. Phạm vi điều chỉnh", ("article", "1")),
    ("Chương II", ("chapter", "II")),
    ("19/5/2022 tổ chức hội nghị", None),
    ("Trong năm 2022, các cấp ủy", None),
    ("2022 là năm", None),
]

HEADING_CASES = [
    ("arabic", "Mục đích", "Mục đích"),
    ("arabic", "Chế độ báo cáo: Sau mỗi đợt chỉ đạo tổ chức sinh hoạt chính trị", "Chế độ báo cáo"),
    ("roman", "MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU"),
    ("arabic", "Cấp ủy các tổ chức cơ sở đảng xây dựng kế hoạch tổ chức đợt sinh hoạt chính "
               "trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị ở địa phương, đơn vị mình "
               "với chủ đề “Tự soi, tự sửa”.", None),
    ("bullet", "Lưu VT.", None),
]
# fmt: on


@pytest.mark.parametrize(("line", "role"), ROLE_CASES)
def test_structure_rule_role(line: str, role: str) -> None:
    assert rule_role(line) == role


@pytest.mark.parametrize(("line", "expected"), MARKER_CASES)
def test_structure_match_marker(line: str, expected: tuple[str, str] | None) -> None:
    found = match_marker(line)
    assert (found[:2] if found else None) == expected


@pytest.mark.parametrize(("kind", "rest", "heading"), HEADING_CASES)
def test_structure_heading_of(kind: str, rest: str, heading: str | None) -> None:
    assert heading_of(kind, rest) == heading


def test_structure_section_ids_follow_nesting_not_numbers() -> None:
    text = "\n".join(
        [
            "I. MỤC ĐÍCH",
            "1. Mục đích",
            "- Giúp cấp ủy",
            "1.1. Quán triệt",
            "a) Mở đầu",
            "b) Kết thúc",
            "2. Yêu cầu",
            "II. NỘI DUNG",
            "1. Nội dung",
        ]
    )
    tree = build_sections(split_lines(text), len(text))
    ids = [section.id for root in tree for section in root.walk()]
    assert ids == ["I", "I.1", "I.1.-1", "I.1.1", "I.1.1.a", "I.1.1.b", "I.2", "II", "II.1"]


def test_structure_duplicated_numbering_keeps_ids_unique() -> None:
    text = "I. MỤC ĐÍCH\n1. Mục đích.\n1. Làm cho Nhân dân\n2. Yêu cầu"
    tree = build_sections(split_lines(text), len(text))
    assert [s.id for root in tree for s in root.walk()] == ["I", "I.1", "I.1#2", "I.2"]


def test_structure_section_spans_cover_their_text() -> None:
    text = "KẾ HOẠCH\nvề X\nI. MỤC ĐÍCH\nnội dung một\nII. NỘI DUNG\nnội dung hai"
    document = Document.from_text(text)
    sections = analyze(document).sections
    first, second = sections
    assert document.normalized[first.start : first.end].strip() == "I. MỤC ĐÍCH\nnội dung một"
    assert document.normalized[second.start : second.end] == "II. NỘI DUNG\nnội dung hai"


def test_structure_wrapped_caps_heading_is_joined() -> None:
    text = (
        "I. NỘI DUNG SINH HOẠT CHÍNH TRỊ VỀ XÂY DỰNG, CHỈNH\n"
        "ĐỐN ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ\n1. Nội dung"
    )
    tree = build_sections(split_lines(text), len(text))
    assert (
        tree[0].heading
        == "NỘI DUNG SINH HOẠT CHÍNH TRỊ VỀ XÂY DỰNG, CHỈNH ĐỐN ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ"
    )


def test_structure_state_letter_with_subject_line() -> None:
    text = "\n".join(
        [
            "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
            "Số: 1277/BGDĐT-QLCL",
            "V/v hướng dẫn tổ chức Kỳ thi tốt nghiệp",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hà Nội, ngày 22 tháng 3 năm 2024",
            "Kính gửi: Các Sở Giáo dục và Đào tạo",
            "I. Lịch thi",
        ]
    )
    structure = analyze(Document.from_text(text))
    assert structure.zones == (
        "header",
        "header",
        "title",
        "header",
        "header",
        "header",
        "body",
        "body",
    )


def test_structure_decision_stops_title_at_enacting_authority() -> None:
    text = "\n".join(
        [
            "QUYẾT ĐỊNH",
            "Về việc ban hành Quy chế làm việc",
            "BỘ TRƯỞNG BỘ TÀI CHÍNH",
            "Căn cứ Luật Tổ chức Chính phủ;",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế.",
        ]
    )
    assert analyze(Document.from_text(text)).zones == ("title", "title", "body", "body", "body")


def test_structure_annex_follows_the_signature() -> None:
    text = "\n".join(
        [
            "KẾ HOẠCH",
            "về X",
            "I. MỤC ĐÍCH",
            "Nơi nhận:",
            "- Lưu VT.",
            "T/M BAN THƯỜNG VỤ",
            "PHÓ BÍ THƯ",
            "Phạm Phước Trãi",
            "DANH MỤC",
            "Văn bản triển khai",
        ]
    )
    zones = analyze(Document.from_text(text)).zones
    assert zones[-2:] == ("annex", "annex")
    assert zones[3:8] == ("closing",) * 5
