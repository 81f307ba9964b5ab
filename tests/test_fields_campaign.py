"""Campaign fields (themes, audience, forms) and section slots.

Development used the train split of ``annotations/split.json`` only; the dev
split is the evaluation set and no rule was tuned on it. Snippet tables are
grouped by provenance (STYLE item 9):

- ``seen_in_corpus``: snippets from the corpus texts (train documents and the
  samples), taken where possible from documents whose campaign fields are not
  scored (the ``vbpl-*`` legal texts) rather than from the ones tuned on;
- ``bugs_caught``: regressions met while developing;
- ``new_features``: layouts written for this suite (theme lists, label lines);
- ``known_failures``: strict xfails, promoted when fixed.

The train-split tests assert the scores the rules reach (SPEC "How quality is
measured": fuzzy list matching for themes and forms, token F1 for audience;
slot accuracy over the gold heading lines), so a regression fails.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pytest

from extractor.data import compile_pattern, load
from extractor.document import Document
from extractor.evaluate import FUZZY_THRESHOLD, GoldDocument, fuzzy, load_gold, match_items
from extractor.fields.campaign import extract_audience, extract_forms, extract_themes
from extractor.fields.context import Context, Found
from extractor.fields.slots import classify_sections, section_heading, section_slot, slot_sections
from extractor.readers import read
from extractor.text.normalize import match_key
from tests.conftest import ANNOTATIONS, SAMPLES, sample_stems
from tests.hostile import hang_guard

Extractor = Callable[[Context], list[Found[str]]]
EXTRACTORS: dict[str, Extractor] = {
    "themes": extract_themes,
    "audience": extract_audience,
    "forms": extract_forms,
}
#: The heading that opens the body of every snippet below (a directive's first part).
PREFIX = "KẾ HOẠCH\ntổ chức đợt sinh hoạt chính trị\nI. NỘI DUNG\n"


def _ctx(text: str) -> Context:
    return Context.of(Document.from_text(text))


def _values(found: Iterable[Found[str]]) -> list[str]:
    return [item.value for item in found]


@cache
def _train() -> tuple[GoldDocument, ...]:
    return tuple(load_gold("train"))


@cache
def _context(path: Path) -> Context:
    return Context.of(read(path))


# --- section slots ---------------------------------------------------------------

# fmt: off
SLOT_CASES = [
    # seen_in_corpus
    ("MỤC ĐÍCH, YÊU CẦU", "purpose"),
    ("MỤC ĐÍCH - YÊU CẦU:", "purpose"),
    ("Mục tiêu cụ thể", "purpose"),
    ("Yêu cầu", "requirements"),
    ("NỘI DUNG, ĐỐI TƯỢNG, HÌNH THỨC, THỜI GIAN", "content"),
    ("CHỦ ĐỀ, THỜI GIAN, NỘI DUNG, ĐỐI TƯỢNG THỰC HIỆN ĐỢT SINH HOẠT CHÍNH TRỊ", "content"),
    ("Về nội dung và tài liệu nghiên cứu, học tập", "content"),
    ("Đối tượng áp dụng", "audience"),
    ("Đối tượng vay vốn", "audience"),
    ("Phạm vi điều chỉnh và đối tượng áp dụng", "audience"),
    ("Về đối tượng, hình thức nghiên cứu, học tập, quán triệt", "audience"),
    ("ĐỐI TƯỢNG, HÌNH THỨC, NỘI DUNG, THỜI GIAN TỔ CHỨC", "audience"),
    ("Hình thức sinh hoạt", "forms"),
    ("Hình thức, thời gian tổ chức đợt sinh hoạt chính trị", "forms"),
    ("Thời gian tổ chức các hội nghị", "time"),
    ("Lộ trình áp dụng", "time"),
    ("Hiệu lực thi hành", "time"),
    ("Chế độ báo cáo", "reporting"),
    ("TỔ CHỨC THỰC HIỆN", "implementation"),
    ("Điều khoản thi hành", "implementation"),
    ("Trách nhiệm thi hành", "implementation"),
    ("Phạm vi điều chỉnh", "other"),
    ("Giải thích từ ngữ", "other"),
    ("Điều khoản chuyển tiếp", "other"),
    ("NHỮNG QUY ĐỊNH CHUNG", "other"),
    ("CĂN CỨ LẬP KẾ HOẠCH", "other"),
    ("Địa điểm", "other"),
    ("Kinh phí", "other"),
    ("Các huyện ủy, thành ủy, đảng ủy trực thuộc", None),
    ("Tổ chức các hội nghị kiểm điểm tự phê bình và phê bình", None),
    ("Thành phần của Hội đồng", None),
    (None, None),
    # bugs_caught
    ("Lịch sử Đảng bộ huyện", None),           # "lịch" is a schedule, "lịch sử" history
    ("ĐỐI TƯỢNG VÀ MỨC ĐÓNG ĐẢNGPHÍ", "audience"),  # words run together in the source
    ("Thành phần hồ sơ", None),
    ("Hình thức kỷ luật", None),
    # known_failures
    pytest.param("Tinh Hình Và Nguyên Nhân", "other", marks=pytest.mark.xfail(strict=True)),
    pytest.param("MỤC TĨÊŨ, ỲÊỦ CẦỤ", "purpose", marks=pytest.mark.xfail(strict=True)),
]
# fmt: on


@pytest.mark.parametrize(("heading", "slot"), SLOT_CASES)
def test_slots_section_slot_from_heading_cues(heading: str | None, slot: str | None) -> None:
    assert section_slot(heading) == slot


def _cue_entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = load("slots")["cues"]
    return entries


@pytest.mark.parametrize("entry", _cue_entries(), ids=lambda entry: str(entry["slot"]))
def test_slots_data_examples_get_their_slot(entry: dict[str, object]) -> None:
    for example in entry["examples"]:  # type: ignore[attr-defined]
        assert section_slot(example) == entry["slot"], example
        # Case and decomposed input do not change the slot.
        assert section_slot(example.upper()) == entry["slot"], example
        assert section_slot(Document.from_text(example).normalized) == entry["slot"]
    for counter in entry.get("counter_examples", []):  # type: ignore[attr-defined]
        assert section_slot(counter) != entry["slot"], counter


def test_slots_data_lead_matches_its_examples() -> None:
    lead = compile_pattern(load("slots")["lead"])
    for example in load("slots")["lead"]["examples"]:
        assert lead.match(example).end() > 0, example  # type: ignore[union-attr]


def test_slots_default_slot_is_a_slot() -> None:
    assert section_slot("Nội dung") == "content"
    assert load("slots")["default_slot"]["slot"] in {"content", "other"}


# fmt: off
TREE_CASES = [
    # seen_in_corpus (sample-001): the items under "TỔ CHỨC THỰC HIỆN" inherit its slot.
    ("IV. TỔ CHỨC THỰC HIỆN\n1. Các huyện ủy, thành ủy, đảng ủy trực thuộc\n"
     "2. Ban Tuyên giáo Tỉnh ủy",
     [("IV", "implementation"), ("IV.1", "implementation"), ("IV.2", "implementation")]),
    # seen_in_corpus (sample-004): siblings split by cues; the uncued one is a topic of its own.
    ("III. HÌNH THỨC TỔ CHỨC\n1. Hình thức tổ chức chung\n2. Hình thức tổ chức theo điều kiện\n"
     "3. Công tác thông tin tuyên truyền",
     [("III", "forms"), ("III.1", "forms"), ("III.2", "forms"), ("III.3", "content")]),
    # seen_in_corpus (vbpl-doc_000084): the chapter title is on the next line; articles
    # do not take their chapter's slot.
    ("Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nNghị định này quy định.\n"
     "Điều 2. Đối tượng áp dụng\nNgười lao động.\nĐiều 3. Nguyên tắc xử lý\nBảo đảm.",
     [("I", "other"), ("I.1", "other"), ("I.2", "audience"), ("I.3", "content")]),
    # seen_in_corpus (docs-021): a heading hard-wrapped after a comma.
    ("Điều 1. Phạm vi,\nđối tượng điều chỉnh\n1. Quy chế này quy định về nguyên\ntắc làm việc.",
     [("1", "audience"), ("1.1", "audience")]),
    # bugs_caught: a numbered item without a heading inherits nothing.
    ("II. THỜI GIAN\n1. Từ tháng 3 đến tháng 5 năm 2022, các chi bộ tổ chức sinh hoạt;",
     [("II", "time"), ("II.1", None)]),
]
# fmt: on


@pytest.mark.parametrize(("body", "expected"), TREE_CASES)
def test_slots_slot_sections_inherit_and_split(body: str, expected: list[tuple[str, str]]) -> None:
    ctx = _ctx("QUY CHẾ\nlàm việc\n" + body)
    assert [(section.id, slot) for section, slot in slot_sections(ctx)] == expected
    assert [section.id for section, _ in slot_sections(ctx)] == [s.id for s in ctx.sections]


def test_slots_section_heading_recovers_wrapped_and_next_line_titles() -> None:
    ctx = _ctx(
        "QUY CHẾ\nlàm việc\nChương I\nNHỮNG QUY ĐỊNH\nCHUNG\nĐiều 1. Phạm vi,\nđối tượng\nx."
    )
    assert [section_heading(ctx, s) for s in ctx.sections] == [
        "NHỮNG QUY ĐỊNH CHUNG",
        "Phạm vi, đối tượng",
    ]
    assert [item.heading_last_line for item in classify_sections(ctx)] == [4, 6]


def _gold_heading_slots(gold: GoldDocument) -> Iterable[tuple[str | None, str | None]]:
    """(gold slot, predicted slot) for each gold heading line that opens a section."""
    ctx = _context(gold.text_path)
    original = ctx.document.original
    by_line = {}
    for section, slot in slot_sections(ctx):
        line = ctx.structure.lines[section.line]
        start, _ = ctx.document.to_original(line.start, line.start + 1)
        by_line[original.count("\n", 0, start) + 1] = slot
    for entry in gold.lines:
        if entry["role"] == "heading" and entry["line"] in by_line:
            yield entry.get("slot"), by_line[entry["line"]]


def test_slots_train_accuracy_on_gold_headings() -> None:
    pairs = [pair for gold in _train() for pair in _gold_heading_slots(gold)]
    correct = sum(want == got for want, got in pairs)
    assert len(pairs) > 250
    # Reached: 261/292 = 0.894 (rules only).
    assert correct / len(pairs) >= 0.87, Counter(pairs)


# --- themes -----------------------------------------------------------------------

# fmt: off
THEME_CASES = [
    # seen_in_corpus
    ("Ban Thường vụ Đoàn trường tổ chức Hội thi với chủ đề “Tuổi trẻ Thành phố Hồ Chí Minh "
     "sắt son niềm tin với Đảng”, cụ thể như sau:",
     ["Tuổi trẻ Thành phố Hồ Chí Minh sắt son niềm tin với Đảng"]),
    ("1. Chủ đề: “Giữ trọn lời thề đảng viên”\n2. Thời gian tổ chức",
     ["Giữ trọn lời thề đảng viên"]),
    ("Tổ chức đợt sinh hoạt chính trị với chủ đề “Tự soi, tự sửa ” bằng hai hình thức:",
     ["Tự soi, tự sửa"]),
    ("3.2. Tổ chức các cuộc hội thảo, tọa đàm khoa học về chủ đề xây dựng, chỉnh đốn Đảng", []),
    ("- Tổ chức tọa đàm, diễn đàn, hội thảo; Diễn đàn “Giữ trọn lời thề đảng viên”, "
     "“Học gương tự tu, gặp người tự sửa, rèn mình tự soi”", []),
    ("Triển khai Cuộc thi viết “Những tấm gương điển hình học tập và làm theo tư tưởng, "
     "đạo đức, phong cách Hồ Chí Minh”", []),
    # bugs_caught: the theme repeated in several places is one item.
    ("với chủ đề “Tự soi, tự sửa”.\n- Sinh hoạt chi bộ với chủ đề “TỰ SOI, TỰ SỬA”.",
     ["Tự soi, tự sửa"]),
    # new_features
    ("1. Chủ đề\n“Đoàn kết, sáng tạo, hiệu quả”\n2. Thời gian", ["Đoàn kết, sáng tạo, hiệu quả"]),
    ("Chủ đề năm 2024: Đoàn kết, kỷ cương, bản lĩnh", ["Đoàn kết, kỷ cương, bản lĩnh"]),
    ("Cuộc thi có các chủ đề: “Biển đảo quê hương”, “Biên giới hòa bình”",
     ["Biển đảo quê hương", "Biên giới hòa bình"]),
    # known_failures: an unquoted theme inside a sentence has no visible end.
    pytest.param("Đợt sinh hoạt với chủ đề Tự soi, tự sửa được triển khai sâu rộng.",
                 ["Tự soi, tự sửa"], marks=pytest.mark.xfail(strict=True)),
]
# fmt: on


@pytest.mark.parametrize(("body", "expected"), THEME_CASES)
def test_fields_campaign_themes_from_snippets(body: str, expected: list[str]) -> None:
    assert _values(extract_themes(_ctx(PREFIX + body))) == expected


def test_fields_campaign_themes_in_the_title() -> None:
    text = "HƯỚNG DẪN\ntổ chức đợt sinh hoạt chính trị với chủ đề\n“Giữ trọn lời thề đảng viên”\n"
    text += "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích"
    assert _values(extract_themes(_ctx(text))) == ["Giữ trọn lời thề đảng viên"]


# --- audience ---------------------------------------------------------------------

# fmt: off
AUDIENCE_CASES = [
    # seen_in_corpus
    ("2. Đối tượng\nCấp ủy, tổ chức đảng, người đứng đầu cấp ủy, chính quyền và cán bộ, "
     "đảng viên.\n3. Hình thức tổ chức\n3.1. Tổ chức các hội nghị kiểm điểm",
     ["Cấp ủy, tổ chức đảng, người đứng đầu cấp ủy, chính quyền và cán bộ, đảng viên."]),
    ("2. Về đối tượng, hình thức nghiên cứu, học tập, quán triệt\n2.1. Đối tượng: Tất cả cán bộ, "
     "đảng viên, công chức, viên chức.\n2.2. Hình thức nghiên cứu, học tập, quán triệt\n"
     "- Kết hợp nghiên cứu tại hội nghị với việc tự học.",
     ["Tất cả cán bộ, đảng viên, công chức, viên chức."]),
    ("Điều 2. Đối tượng áp dụng\n1. Tổ chức tín dụng.\n2. Chi nhánh ngân hàng nước ngoài.\n"
     "3. Cơ quan, tổ chức, cá nhân có liên quan.\nĐiều 3. Giải thích từ ngữ\n1. Khách hàng là …",
     ["Tổ chức tín dụng.", "Chi nhánh ngân hàng nước ngoài.",
      "Cơ quan, tổ chức, cá nhân có liên quan."]),
    ("Điều 3. Đối tượng vay vốn\nHọc sinh, sinh viên, học viên thạc sĩ, nghiên cứu sinh là "
     "công dân Việt Nam.\nĐiều 4. Điều kiện vay vốn",
     ["Học sinh, sinh viên, học viên thạc sĩ, nghiên cứu sinh là công dân Việt Nam."]),
    ("* Thành phần : 8 đội dự thi và hiệu trưởng các trường Mầm non trong huyện.\n"
     "* Địa điểm : Hội trường UBND Thị trấn.",
     ["8 đội dự thi và hiệu trưởng các trường Mầm non trong huyện."]),
    ("- Thành phần và thời gian tổ chức học tập, quán triệt thực hiện theo hướng dẫn.", []),
    # bugs_caught: a hard-wrapped "Phạm vi, đối tượng" article; the scope sentence is dropped
    # and the wrapped list item is one statement.
    ("Điều 1. Phạm vi,\nđối tượng điều chỉnh\n1. Quy chế này quy định về nguyên\ntắc làm việc của "
     "Ủy ban nhân dân xã.\n2. Chủ tịch, Phó Chủ tịch, Ủy viên Ủy\nban nhân dân xã; Trưởng ấp,\n"
     "Trưởng ấp, các tổ chức và cá nhân\nchịu sự điều chỉnh của Quy chế này.\nĐiều 2. Nguyên tắc",
     ["Chủ tịch, Phó Chủ tịch, Ủy viên Ủy ban nhân dân xã; Trưởng ấp, Trưởng ấp, các tổ chức và "
      "cá nhân chịu sự điều chỉnh của Quy chế này."]),
    # bugs_caught: a caption bullet over the statement.
    ("Điều 1. Phạm vi, đối tượng\n* Khoản 2, Điều 1\n– Đảng viên đã chuyển sinh hoạt đảng mới phát "
     "hiện có vi phạm thì tổ chức đảng cấp trên xem xét.",
     ["Đảng viên đã chuyển sinh hoạt đảng mới phát hiện có vi phạm thì tổ chức đảng cấp trên "
      "xem xét."]),
    # new_features
    ("Thành phần mời:\n- Thường trực Huyện ủy;\n- Lãnh đạo các phòng, ban.\nThời gian: 8 giờ",
     ["Thường trực Huyện ủy;", "Lãnh đạo các phòng, ban."]),
    ("2. Đối tượng tham gia\n- Đối với cấp huyện:\n+ Cán bộ chủ chốt;\n+ Báo cáo viên.\n"
     "3. Thời gian",
     ["Cán bộ chủ chốt;", "Báo cáo viên."]),
    ("Đối tượng: ……………………", []),
    # known_failures: "đối tượng" here means categories of payers; the section is the fee rates.
    pytest.param("I- ĐỐI TƯỢNG VÀ MỨC ĐÓNG ĐẢNG PHÍ CỦA ĐẢNG VIÊN\nThu nhập hằng tháng của đảng "
                 "viên để tính đóng đảng phí bao gồm: tiền lương, phụ cấp.\nII- THU, NỘP ĐẢNG PHÍ",
                 [],
                 marks=pytest.mark.xfail(strict=True)),
]
# fmt: on


@pytest.mark.parametrize(("body", "expected"), AUDIENCE_CASES)
def test_fields_campaign_audience_from_snippets(body: str, expected: list[str]) -> None:
    assert _values(extract_audience(_ctx(PREFIX + body))) == expected


# --- forms ------------------------------------------------------------------------

# fmt: off
FORMS_CASES = [
    # seen_in_corpus
    ("3. Hình thức tổ chức\n3.1. Tổ chức các hội nghị kiểm điểm tự phê bình và phê bình\n"
     "- Cấp ủy chỉ đạo đưa nội dung vào sinh hoạt.\n3.2. Tổ chức các cuộc hội thảo, tọa đàm khoa "
     "học\nTùy vào điều kiện cụ thể:\n- Một số vấn đề lý luận.\n4. Thời gian tổ chức: hằng tháng.",
     ["Tổ chức các hội nghị kiểm điểm tự phê bình và phê bình",
      "Tổ chức các cuộc hội thảo, tọa đàm khoa học"]),
    ("2. Hình thức sinh hoạt\nTổ chức đợt sinh hoạt chính trị bằng hai hình thức:\n"
     "- Sinh hoạt chuyên đề tại chi bộ.\n- Sinh hoạt chuyên đề tại Đảng ủy.\n3. Nội dung sinh hoạt",
     ["Sinh hoạt chuyên đề tại chi bộ.", "Sinh hoạt chuyên đề tại Đảng ủy."]),
    ("2. Hình thức, thời gian tổ chức đợt sinh hoạt chính trị\n- Hình thức: Tổ chức trong các kỳ "
     "sinh hoạt chi bộ hàng tháng.\n- Thời gian: bắt đầu từ tháng 4 đến tháng 11/2022.",
     ["Tổ chức trong các kỳ sinh hoạt chi bộ hàng tháng."]),
    ("III. HÌNH THỨC TỔ CHỨC\n1. Hình thức tổ chức chung\n- Tổ chức sinh hoạt chi bộ chuyên đề, "
     "cụ thể như sau:\n+ Đối với đảng viên giữ chức vụ: xây dựng báo cáo.\n2. Hình thức tổ chức "
     "theo điều kiện\nCác cấp ủy có thể lựa chọn các hình thức sau:\n- Tổ chức tọa đàm: Vai trò "
     "của lời tuyên thệ.\nBên cạnh đó, mỗi chi bộ xác định phần hành động.\n"
     "3. Công tác thông tin tuyên truyền\n- Mở chuyên trang, chuyên mục.",
     ["Tổ chức sinh hoạt chi bộ chuyên đề, cụ thể như sau:",
      "Tổ chức tọa đàm: Vai trò của lời tuyên thệ."]),
    ("Nội dung, hình thức tổ chức hội thi: Thực hiện theo thể lệ.", []),
    # bugs_caught: a statement wrapped over a blank line stays one item.
    ("3. Hình thức\n- Tổ chức hội nghị quán triệt cho cán bộ chủ chốt các\n\ncấp trong huyện.\n"
     "- Tự nghiên cứu tài liệu.",
     ["Tổ chức hội nghị quán triệt cho cán bộ chủ chốt các cấp trong huyện.",
      "Tự nghiên cứu tài liệu."]),
    # new_features
    ("Hình thức tổ chức\n- Hội nghị trực tuyến;\n- Tọa đàm.\nThời gian: tháng 5",
     ["Hội nghị trực tuyến;", "Tọa đàm."]),
    ("Điều 5. Hình thức kỷ luật\n1. Khiển trách.\n2. Cảnh cáo.", []),
    # known_failures: forms stated in running prose under another heading.
    pytest.param("Các chi bộ tổ chức sinh hoạt dưới hình thức hội nghị trực tuyến.",
                 ["hội nghị trực tuyến"], marks=pytest.mark.xfail(strict=True)),
]
# fmt: on


@pytest.mark.parametrize(("body", "expected"), FORMS_CASES)
def test_fields_campaign_forms_from_snippets(body: str, expected: list[str]) -> None:
    assert _values(extract_forms(_ctx(PREFIX + body))) == expected


# --- data files -------------------------------------------------------------------


def _campaign_entries() -> list[tuple[str, str, dict[str, object]]]:
    data = load("campaign")
    return [
        (family, name, entry)
        for family in ("themes", "audience", "forms")
        for name, entry in data[family].items()
        if isinstance(entry, dict)
    ]


@pytest.mark.parametrize(
    ("family", "name", "entry"), _campaign_entries(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_fields_campaign_data_examples(family: str, name: str, entry: dict[str, object]) -> None:
    examples = entry["examples"]
    if isinstance(examples, dict):
        # Run through the extractor: the data file states what the field gives.
        extractor = EXTRACTORS[family]
        for text, expected in examples.items():
            assert _values(extractor(_ctx(PREFIX + text))) == expected, text
        for text in entry.get("counter_examples", []):  # type: ignore[attr-defined]
            assert _values(extractor(_ctx(PREFIX + text))) == [], text
    else:
        pattern = compile_pattern(entry)
        for text in examples:  # type: ignore[attr-defined]
            assert pattern.search(text), text
        for text in entry.get("counter_examples", []):  # type: ignore[attr-defined]
            assert not pattern.search(text), text


# --- gold documents -----------------------------------------------------------------


def _same(left: str, right: str) -> bool:
    return fuzzy(left, right) >= FUZZY_THRESHOLD


def _token_f1(got: list[str], want: list[str]) -> float:
    """SPEC audience metric, as in extractor.evaluate."""

    def tokens(statements: list[str]) -> Counter[str]:
        joined = match_key(" ".join(statements)).replace(",", " ").replace(".", " ")
        return Counter(joined.split())

    got_tokens, want_tokens = tokens(got), tokens(want)
    overlap = sum((got_tokens & want_tokens).values())
    if not got_tokens and not want_tokens:
        return 1.0
    if not overlap:
        return 0.0
    precision = overlap / sum(got_tokens.values())
    recall = overlap / sum(want_tokens.values())
    return 2 * precision * recall / (precision + recall)


def test_fields_campaign_train_scores() -> None:
    counts = {"themes": [0, 0, 0], "forms": [0, 0, 0]}
    audience: list[float] = []
    for gold in _train():
        if gold.scope == "closing":
            continue  # themes, audience and forms are not annotated there
        ctx = _context(gold.text_path)
        for name in counts:
            got = _values(EXTRACTORS[name](ctx))
            for index, count in enumerate(match_items(got, gold.record[name], _same)):
                counts[name][index] += count
        audience.append(_token_f1(_values(extract_audience(ctx)), gold.record["audience"]))

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    # Reached on train: themes 1.00, forms 1.00, audience 0.962.
    assert f1(*counts["themes"]) >= 0.9, counts["themes"]
    assert f1(*counts["forms"]) >= 0.9, counts["forms"]
    assert sum(audience) / len(audience) >= 0.93


@pytest.mark.parametrize("gold", _train(), ids=lambda gold: gold.id)
def test_fields_campaign_spans_are_verbatim(gold: GoldDocument) -> None:
    ctx = _context(gold.text_path)
    for name, extractor in EXTRACTORS.items():
        for found in extractor(ctx):
            assert found.value, name
            assert found.value == found.value.strip(), name
            for start, end in found.spans:
                assert 0 <= start < end <= len(ctx.text), name
            assert " ".join(ctx.text[start:end] for start, end in found.spans) == found.value


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
@pytest.mark.parametrize("stem", sample_stems())
def test_fields_campaign_samples_in_every_format(stem: str, fmt: str) -> None:
    gold = json.loads((ANNOTATIONS / f"sample-{stem}.json").read_text(encoding="utf-8"))["record"]
    ctx = _context(SAMPLES / f"{stem}.{fmt}")
    for name, extractor in EXTRACTORS.items():
        got = _values(extractor(ctx))
        _, fp, fn = match_items(got, gold[name], _same)
        assert (fp, fn) == (0, 0), (name, got, gold[name])


def test_fields_campaign_nothing_from_a_document_without_them() -> None:
    text = (
        "THÔNG TƯ\nsửa đổi một số điều\nĐiều 1. Sửa đổi khoản 2 Điều 5 như sau:\n"
        "“2. Hồ sơ gồm đơn đề nghị.”\nĐiều 2. Hiệu lực thi hành\nThông tư này có hiệu lực.\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu VT."
    )
    ctx = _ctx(text)
    assert [extractor(ctx) for extractor in EXTRACTORS.values()] == [[], [], []]


# --- robustness --------------------------------------------------------------------

ADVERSARIAL = {
    "theme_near_misses": 'chủ đề “ chủ đề " ' * 120_000,
    "theme_lines": 'với chủ đề “ chủ đề " ‘ «\n' * 80_000,
    "label_lines": ("- Đối tượng: " + "cán bộ, " * 5 + "\n") * 30_000,
    "bullets_under_forms": "3. Hình thức tổ chức\n" + "- Tổ chức hội nghị,\n" * 40_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_fields_campaign_adversarial_input_is_fast(name: str) -> None:
    ctx = _ctx(ADVERSARIAL[name])
    with hang_guard(60):  # a hang detector, not a speed target (that is make bench)
        for extractor in EXTRACTORS.values():
            extractor(ctx)
        slot_sections(ctx)
