"""Deadlines from the due-date column of a timetable.

The only timetable with a due-date column in the corpus (annotated or not) is
docs-011 of the dev split, a web copy flattened one cell per line; its rows
below are the ``seen_in_corpus`` group, and the same rows printed as a table
with one row per line (what the docx reader writes) are ``new_features``.
The counter-examples come from the train split: sample-002's "Thời gian"
column (months of study, not due dates) and docs-078's dated schedule lines,
which the sentence rules already read.
"""

from __future__ import annotations

from typing import Any

import pytest

from extractor.data import compile_pattern, load
from extractor.document import Document
from extractor.fields.context import Context
from extractor.fields.deadlines import extract_deadlines
from extractor.fields.timetable import column_deadlines


def _ctx(text: str) -> Context:
    return Context.of(Document.from_text(text), use_models=False)


ENTRY: dict[str, Any] = load("timetable")["due_column"]

FLAT = (
    "Kế hoạch triển khai công tác bầu cử đại biểu Quốc hội khoá XV\n\nTT\n\n"
    "Nội dung công việc chủ yếu tiến hành công tác bầu cử\n\n"
    "Số ngày chậm nhất phải hoàn thành trước (sau) ngày BC theo Luật Bầu cử\n\n"
    "Ngày chậm nhất phải hoàn thành\n\n1\n\nTriển khai công tác bầu cử ở tỉnh\n\n"
    "Triệu tập đủ thành phần ở cấp tỉnh, cấp huyện dự Hội nghị trực tuyến triển khai công tác "
    "bầu cử của HĐBC quốc gia (đồng thời là hội nghị triển khai ở tỉnh).\n\n \n\n21/01/2021\n\n"
    "2\n\nTriển khai công tác bầu cử ở cấp huyện\n\nMở hội nghị triển khai công tác bầu cử đại "
    "biểu Quốc hội và bầu cử đại biểu HĐND các cấp ở huyện, thành, thị.\n\n \n\n27/01/2021\n\n"
    "4\n\nDự kiến người ứng cử đại biểu HĐND\n\nCăn cứ số lượng đại biểu HĐND được bầu ở mỗi đơn "
    "vị hành chính, Thường trực HĐND các cấp dự kiến cơ cấu, thành phần, số lượng đại biểu HĐND "
    "được bầu ở cấp mình.\n\n(Điều 9 Luật Bầu cử đại biểu Quốc hội và đại biểu HĐND).\n\n"
    "105 ngày\n\n07/02/2021 (chủ Nhật)\n\n5\n\nThành lập Ủy ban bầu cử (UBBC) các cấp\n"
)

ROWS = (
    "KẾ HOẠCH\ntriển khai công tác bầu cử\nI. LỊCH TRÌNH\n"
    "| TT | Nội dung công việc | Thời hạn hoàn thành |\n"
    "|----|----|----|\n"
    "| 1 | Triệu tập đủ thành phần ở cấp tỉnh, cấp huyện dự Hội nghị trực tuyến | 21/01/2021 |\n"
    "| 2 | Mở hội nghị triển khai công tác bầu cử ở huyện, thành, thị | Trước ngày 27/01/2021 |\n"
    "| 3 | Tổng hợp danh sách người ứng cử | Từ 01/02 đến 07/02/2021 |\n"
)


def test_timetable_due_column_matches_its_examples() -> None:
    pattern = compile_pattern(ENTRY)
    for example in ENTRY["examples"]:
        assert pattern.search(example), example
    for counter in ENTRY["counter_examples"]:
        assert not pattern.search(counter), counter


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        pytest.param(FLAT, ["2021-01-21", "2021-01-27", "2021-02-07"], id="seen_in_corpus-flat"),
        pytest.param(ROWS, ["2021-01-21", "2021-01-27", "2021-02-07"], id="new_features-rows"),
    ],
)
def test_timetable_column_dates_are_deadlines(text: str, dates: list[str]) -> None:
    found = column_deadlines(_ctx(text), year=2021)
    assert [item.value.date for item in found] == dates
    ctx = _ctx(text)
    for item in found:
        (date_start, date_end), (text_start, text_end) = item.spans
        assert ctx.text[text_start:text_end] == item.value.text
        assert any(char.isdigit() for char in ctx.text[date_start:date_end])


def test_timetable_task_cell_is_the_text() -> None:
    found = column_deadlines(_ctx(FLAT), year=2021)
    assert found[2].value.text.startswith("Căn cứ số lượng đại biểu HĐND")
    assert found[0].value.action == (
        "Triệu tập đủ thành phần ở cấp tỉnh, cấp huyện dự Hội nghị trực tuyến triển"
    )


def test_timetable_deadlines_join_the_sentence_rules() -> None:
    found = extract_deadlines(_ctx(FLAT), year=None)
    assert [item.value.date for item in found] == ["2021-01-21", "2021-01-27", "2021-02-07"]


@pytest.mark.parametrize(
    "text",
    [
        # sample-002 (train): a "Thời gian" column of study months, not due dates.
        "KẾ HOẠCH\nvề X\n| Thời gian | Nội dung văn bản triển khai | Ghi chú |\n"
        "|---|---|---|\n| Tháng 4/2022 | 1. Nghị quyết số 03-NQ/TW, ngày 26/6/1992 | |\n",
        # A bare date line with no due-date column above it.
        "KẾ HOẠCH\nvề X\nI. NỘI DUNG\nHội nghị tổng kết\n15/3/2023\n",
        # A date in a task cell is not a date cell.
        "KẾ HOẠCH\nvề X\nThời hạn hoàn thành\nHội nghị ngày 15/3/2023 của Tỉnh ủy về công tác X\n",
    ],
)
def test_timetable_no_due_column_no_deadline(text: str) -> None:
    assert column_deadlines(_ctx(text), year=2022) == []


def test_timetable_dates_before_the_documents_year_are_history() -> None:
    assert column_deadlines(_ctx(FLAT), year=2022) == []


# New feature, no instance in the corpus: schedule lines that open on their window.
SCHEDULE = (
    "KẾ HOẠCH\nvề X\nIV. TIẾN ĐỘ THỰC HIỆN\n"
    "- Trước ngày 15/3/2023: Các chi bộ tổ chức hội nghị quán triệt.\n"
    "- Từ ngày 16/3 đến ngày 30/4/2023: các chi bộ tổ chức sinh hoạt chuyên đề.\n"
    "- Thời gian: từ ngày 01/3 đến ngày 30/5/2023.\n"
    "- Từ ngày 01/5/2023 đến ngày 15/5/2023.\n"
)


def test_timetable_window_row_is_due_at_its_end() -> None:
    found = column_deadlines(_ctx(SCHEDULE), year=2023)
    assert [(item.value.date, item.value.action) for item in found] == [
        ("2023-04-30", "các chi bộ tổ chức sinh hoạt chuyên đề")
    ]
    all_found = extract_deadlines(_ctx(SCHEDULE), year=2023)
    assert [item.value.date for item in all_found] == ["2023-03-15", "2023-04-30"]
