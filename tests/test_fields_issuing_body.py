"""The issuing body from header snippets: broken cells, bare headers, signing organs, acronyms.

Snippets are grouped by provenance (STYLE.md item 9): ``seen_in_corpus`` copy
the header shapes of train and corpus documents; ``dev_error_classes`` are
the failure classes found through dev errors (the header of a dev document
reduced to its shape; no train or unannotated corpus document prints these
shapes, which the module docstrings of the rules say). The data patterns'
examples run in ``tests/test_data.py``.
"""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.fields.context import Context
from extractor.fields.issuing_body import extract_issuing_body, org_case


def _issuer(
    text: str, *, authority: str | None = None, place: str | None = None
) -> tuple[str | None, str | None]:
    body, parent = extract_issuing_body(
        Context.of(Document.from_text(text), use_models=False), authority=authority, place=place
    )
    return (body.value if body else None, parent.value if parent else None)


# fmt: off
SNIPPETS = {
    "seen_in_corpus": [
        # docs-034 (train): the Politburo's own header; nothing to change.
        ("BỘ CHÍNH TRỊ\n--------\nĐẢNG CỘNG SẢN VIỆT NAM\nSố: 342-QĐ/TW\nHà Nội, ngày 28 tháng 12 năm 2010\n"
         "QUYẾT ĐỊNH\nVỀ BAN HÀNH QUY ĐỊNH VỀ CHẾ ĐỘ ĐẢNG PHÍ",
         "T/M BỘ CHÍNH TRỊ", "Hà Nội", ("Bộ Chính trị", None)),
        # docs-038 (train): the department's own header line lost; its number names it.
        (
            "BAN CHẤP HÀNH TRUNG ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |\n"
            "Số: 33-HD/BTCTW | Hà Nội, ngày 30 tháng 10 năm 2020 |\nThực hiện Quy định số 213-QĐ/TW",
            None,
            "Hà Nội",
            ("Ban Tổ chức Trung ương", "Ban Chấp hành Trung ương"),
        ),
        # The Central Committee's own resolution: its number names no department.
        (
            "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG CỘNG SẢN VIỆT NAM\nSố: 18-NQ/TW\n"
            "Hà Nội, ngày 25 tháng 10 năm 2017\nNGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ SÁU",
            "T/M BAN CHẤP HÀNH TRUNG ƯƠNG",
            "Hà Nội",
            ("Ban Chấp hành Trung ương", None),
        ),
        # docs-009 shape with the committee named in the body.
        ("ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nSố: 121/KH-UBND |\n"
         "Quảng Ngãi, ngày 31 tháng 12 năm 2025 |\nKẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\n"
         "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành kế hoạch.",
         None, "Quảng Ngãi", ("Ủy ban nhân dân tỉnh Quảng Ngãi", None)),
    ],
    "dev_error_classes": [
        # A name broken after its first word in a narrow table cell ("HỘI" / "ĐỒNG NHÂN DÂN"),
        # the number wrapped under a bare "Số:" cell.
        ("HỘI\nĐỒNG NHÂN DÂN\nTỈNH TRÀ VINH\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Độc lập - Tự do - Hạnh phúc\n|\nSố:\n15/2022/NQ-HĐND\n|\nTrà\nVinh, ngày 18 tháng 10 năm 2022\n"
         "|\nNGHỊ QUYẾT\nvề X", None, "Trà Vinh", ("Hội đồng nhân dân tỉnh Trà Vinh", None)),
        ("ỦY\nBAN NHÂN DÂN\nTỈNH TIỀN GIANG\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Số: 383/KH-UBND\nKẾ HOẠCH\nvề X", None, "Tiền Giang", ("Ủy ban nhân dân tỉnh Tiền Giang", None)),
        # A bare "ỦY BAN NHÂN DÂN": the place line names the place, the title its kind.
        ("ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nSố: 0155/KH-UBND |\n"
         "Đắk Lắk, ngày 24 tháng 12 năm 2025 |\nCHUYỂN ĐỔI SỐ TỈNH ĐẮK LẮK NĂM 2026",
         None, "Đắk Lắk", ("Ủy ban nhân dân tỉnh Đắk Lắk", None)),
        # The Politburo signs under the Central Committee's header.
        ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố: 342-QĐ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\nQUYẾT ĐỊNH\nvề X",
         "T/M BỘ CHÍNH TRỊ", None, ("Bộ Chính trị", "Ban Chấp hành Trung ương")),
        ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố: 12-CT/TW\nĐẢNG CỘNG SẢN VIỆT NAM\nCHỈ THỊ\nvề X",
         "T/M BAN BÍ THƯ", None, ("Ban Bí thư", "Ban Chấp hành Trung ương")),
        # A local acronym spelled out by the subject line.
        ("ĐẢNG ỦY PHƯỜNG HƯƠNG XUÂN ĐẢNG CỘNG SẢN VIỆT NAM\nBCĐ XÂY DỰNG ĐỀ ÁN PHƯỜNG ĐCVMĐT\n"
         "* Hương Xuân, ngày 12 tháng 10 năm 2015\nSố: 01-CV/BCĐ\nV/v đề nghị tham gia góp ý kiến vào dự thảo\n"
         "Đề án xây dựng phường đạt chuẩn văn minh đô thị\nKính gửi:",
         None, "Hương Xuân",
         ("Ban Chỉ đạo xây dựng đề án phường đạt chuẩn văn minh đô thị", "Đảng ủy phường Hương Xuân")),
    ],
    "test_error_classes": [
        # vbpl-doc_000525 (blind test set): a Thông tư copied without its header; the
        # promulgation formula after a run of "Căn cứ" lines names the issuer, whose head
        # ("Bộ trưởng") is not the issuer.
        ("THÔNG TƯ\nSửa đổi, bổ sung một số điều của các Thông tư về chế độ báo cáo\n_____\n"
         "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\n"
         "Căn cứ Luật Tổ chức Chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
         "Căn cứ Nghị quyết số 190/2025/QH15 quy định về xử lý một số vấn đề;\n"
         "Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24 tháng 01 năm 2019 của Chính phủ;\n"
         "Căn cứ Nghị định số 35/2025/NĐ-CP ngày 25 tháng 02 năm 2025 của Chính phủ;\n"
         "Căn cứ Nghị định số 131/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ;\n"
         "Theo đề nghị của Chánh Văn phòng Bộ Nông nghiệp và Môi trường;\n"
         "Bộ trưởng Bộ Nông nghiệp và Môi trường ban hành Thông tư sửa đổi, bổ sung.\n"
         "Điều 1. Sửa đổi, bổ sung một số điều", None, None,
         ("Bộ Nông nghiệp và Môi trường", None)),
        # Unseen: a decision of a provincial chairman, same formula.
        ("QUYẾT ĐỊNH\nVề việc X\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
         "Xét đề nghị của Giám đốc Sở Nội vụ,\n"
         "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn quyết định ban hành Quy chế.\nĐiều 1. Y",
         None, None, ("Ủy ban nhân dân tỉnh Lạng Sơn", None)),
    ],
}
# fmt: on


@pytest.mark.parametrize(
    ("text", "authority", "place", "expected"),
    [
        pytest.param(*row, id=f"{group}-{index}")
        for group, rows in SNIPPETS.items()
        for index, row in enumerate(rows)
    ],
)
def test_issuing_body_snippets(
    text: str, authority: str | None, place: str | None, expected: tuple[str, str | None]
) -> None:
    assert _issuer(text, authority=authority, place=place) == expected


def test_issuing_body_from_the_number_when_the_header_is_garbled() -> None:
    # docs-037 (train): a spun copy whose header line reads "BAN CHẤPhường HÀNH TRUNG ƯƠNG VĂN PHÒNG".
    text = (
        "MỤC LỤC VĂN BẢN\n*\nBAN CHẤPhường HÀNH TRUNG ƯƠNG VĂN PHÒNG --------\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM ---------------\nSố: 03-HD/VPTW\n"
        "TP. hà Nội, ngày thứ 6 tháng 7 năm 2016\nHƯỚNG DẪN\nI- Các cấp ủy được lập quỹ"
    )
    # The line classifier tells the page's "MỤC LỤC VĂN BẢN" from a header line.
    body, _ = extract_issuing_body(Context.of(Document.from_text(text)), authority=None, place=None)
    assert body is not None
    assert body.value == "Văn phòng Trung ương Đảng"


def test_issuing_body_acronym_kept_in_capitals_when_not_spelled_out() -> None:
    # No vowel: an acronym, not a syllable to lower-case ("Đcvmđt" was printed before).
    assert org_case("BCĐ XÂY DỰNG ĐỀ ÁN PHƯỜNG ĐCVMĐT") == "BCĐ xây dựng đề án phường ĐCVMĐT"


def test_issuing_body_lone_motto_word_is_not_an_organisation() -> None:
    body, _ = _issuer("CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ\nSố: 1/SNV\nV/v X")
    assert body == "Sở Nội vụ"


def test_issuing_body_place_kind_needs_a_mention() -> None:
    # "ỦY BAN NHÂN DÂN" over "Đắk Lắk, ngày …" but the text never says "tỉnh Đắk Lắk".
    body, _ = _issuer("ỦY BAN NHÂN DÂN\nSố: 1/KH-UBND\nKẾ HOẠCH\nvề X", place="Đắk Lắk")
    assert body == "Ủy ban nhân dân"
