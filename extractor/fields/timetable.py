"""Deadlines read from the due-date column of a timetable.

Plans often list their tasks in a table whose last column gives the date by
which each task must be done ("Ngày chậm nhất phải hoàn thành", "Thời hạn
hoàn thành", "Thời gian hoàn thành"). Such a date cell carries no cue word of
its own ("21/01/2021", "Trước ngày 15/3/2023", "07/02/2021 (chủ Nhật)"), so
the sentence rules of :mod:`extractor.fields.deadlines` cannot see it; the
column header is the cue. Two printed shapes are read:

- table rows kept on one line, cells split by ``|`` or tabs: the header row
  names the column, the same cell of each later row holds the date;
- a table flattened one cell per line (web copies): after the header cell,
  every line that is a date cell closes a row, and the row's task is its
  longest cell since the previous date cell.

The task cell is quoted as the deadline's text; its first words are the
action. Header words live in ``data/timetable.json`` (``due_column``).

>>> from extractor.document import Document
>>> text = ("KẾ HOẠCH\\nvề X\\nTT\\nNội dung công việc\\nNgày chậm nhất phải hoàn thành\\n"
...     "1\\nMở hội nghị triển khai công tác bầu cử ở huyện.\\n27/01/2021")
>>> [(f.value.date, f.value.text) for f in column_deadlines(Context.of(Document.from_text(text)))]
[('2021-01-27', 'Mở hội nghị triển khai công tác bầu cử ở huyện.')]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found
from extractor.fields.dates import DateMatch, find_all
from extractor.record import Deadline
from extractor.structure import Line

Span = tuple[int, int]

#: A date cell is short: a date, maybe "Trước ngày", a weekday in brackets.
_CELL_CHARS = 60
#: The action is the first words of the task cell.
_ACTION_WORDS = 16
#: A task cell has words; a sequence number ("4") or a count ("105 ngày") does not count.
_TASK_MIN_CHARS = 12
_CELL_SPLIT = regex.compile(r"\s*(?:\||\t)\s*")
_LEFTOVER = regex.compile(r"[\s,.;:\-–]*(?:\([^()\n]{0,30}\))?[\s,.;:\-–]*")
#: A schedule line opening on its window: a bullet, "Từ", maybe "ngày", a digit.
_WINDOW_ROW = regex.compile(
    r"^\s{0,4}(?:[-+•*]\s{0,3})?(?:từ\s{1,3})?(?:ngày\s{1,3})?(?=\d)", regex.I
)
#: Two dates joined by "đến" or a dash somewhere in the text: without one, no window row.
_WINDOW_LINE = regex.compile(
    r"\d[^\S\n]{0,3}(?:đến|[-–])[^\S\n]{0,3}(?:ngày[^\S\n]{1,3})?\d", regex.IGNORECASE
)
#: What follows the joining word of :data:`_WINDOW_LINE`, ignoring case.
_WINDOW_RIGHT = r"(?i:[^\S\n]{0,3}(?:ngày[^\S\n]{1,3})?\d)"
#: :data:`_WINDOW_LINE` as patterns opening on a literal (a fast string search
#: finds it, where a pattern opening on a digit is tried at every character):
#: one per joining character, the "ế" of "đến" in its two cases (the only ones
#: it matches ignoring case). Together they match where it does
#: (``tests/test_fast_paths.py`` checks it).
_WINDOW_JOINS = tuple(
    regex.compile(join + r"(?<=\d[^\S\n]{0,3}" + before + r")" + after + _WINDOW_RIGHT)
    for join, before, after in (
        ("-", "-", ""),
        ("–", "–", ""),
        ("ế", "(?i:đ)ế", "(?i:n)"),
        ("Ế", "(?i:đ)Ế", "(?i:n)"),
    )
)
#: How a date that opens a window begins: a day or month of one or two digits,
#: then "/", "-", a list of days (",", "và", "đến"), "tháng", or "d.m.yyyy".
#: A schedule row whose first number does not ("1. Mở hội nghị", "2.1.",
#: "2021 - 2025") cannot open on a window, and is not scanned.
_WINDOW_OPENING = regex.compile(
    r"\d{1,2}(?!\d)\s{0,3}(?:[/\-,–—]|\.\d{1,2}\.\s{0,2}\d{4}|và|đến|th[áa]ng)", regex.IGNORECASE
)
#: The task after the window: a colon or a dash, then words.
_ROW_TASK = regex.compile(r"\s{0,3}[:–-]\s{0,3}(?P<task>\p{L}.{8,})")
_TRAILING = regex.compile(r"(?:[\s,.;:\-–(]|(?<!\w)(?:và|hoặc|của|về|tại)(?!\w)){1,20}$")


@functools.cache
def _due_column() -> regex.Pattern[str]:
    return compile_pattern(load("timetable")["due_column"])


def _date_cell(cell: str, default_year: int | None) -> DateMatch | None:
    """The due date a cell holds when the cell is nothing but that date.

    A range ("Từ 01/3 đến 15/3/2023") is due at its end; around the date
    only a cue ("Trước ngày") and a bracketed remark ("(chủ Nhật)") may stand.

    >>> _date_cell("07/02/2021 (chủ Nhật)", None).iso
    '2021-02-07'
    >>> _date_cell("Trước ngày 15/3", 2023).iso
    '2023-03-15'
    >>> _date_cell("Hội nghị ngày 15/3/2023 của Tỉnh ủy", None) is None
    True
    """
    if len(cell) > _CELL_CHARS:
        return None
    dates, ranges = find_all(cell, default_year=default_year)
    if not dates:
        return None
    due = ranges[-1].end if ranges and ranges[-1].end is not None else dates[-1]
    if due is None or len(due.iso) < len("2021-02"):
        return None
    first = ranges[-1].span[0] if ranges else dates[0].start
    before, after = cell[:first], cell[due.end :]
    if regex.search(r"\d", before) or not _LEFTOVER.fullmatch(after):
        return None
    # Only a cue may precede the date: "Trước ngày", "Chậm nhất", "Từ".
    if len(before.split()) > 3:
        return None
    return due


def _action(task: str) -> str:
    words = task.split()[:_ACTION_WORDS]
    return _TRAILING.sub("", " ".join(words))


def _deadline(date: DateMatch, date_start: int, task: str, task_start: int) -> Found[Deadline]:
    value = Deadline(date=date.iso, action=_action(task) or None, text=task)
    spans = ((date_start + date.start, date_start + date.end), (task_start, task_start + len(task)))
    return Found(value, spans)


def _cells(line: Line) -> list[tuple[int, str]]:
    """The cells of a row printed on one line, with their offsets."""
    cells: list[tuple[int, str]] = []
    position = 0
    for part in _CELL_SPLIT.split(line.text):
        position = line.text.find(part, position) if part else position
        if part:
            cells.append((line.start + position, part))
            position += len(part)
    return cells


def _row_deadlines(lines: Sequence[Line], default_year: int | None) -> list[Found[Deadline]]:
    """Rows on one line each: the header row names the due column."""
    found: list[Found[Deadline]] = []
    column: int | None = None
    for line in lines:
        if "|" not in line.text and "\t" not in line.text:
            column = None
            continue
        cells = _cells(line)
        header = next((i for i, (_, c) in enumerate(cells) if _due_column().fullmatch(c)), None)
        if header is not None:
            column = header
            continue
        if column is None or column >= len(cells):
            continue
        date_start, cell = cells[column]
        date = _date_cell(cell, default_year)
        tasks = [(s, c) for i, (s, c) in enumerate(cells) if i != column]
        if date is None or not tasks:
            continue
        task_start, task = max(tasks, key=lambda item: len(item[1]))
        if len(task) >= _TASK_MIN_CHARS:
            found.append(_deadline(date, date_start, task, task_start))
    return found


def _flat_deadlines(lines: Sequence[Line], default_year: int | None) -> list[Found[Deadline]]:
    """A table flattened one cell per line, after its due-column header cell."""
    found: list[Found[Deadline]] = []
    row: list[Line] | None = None
    due_column = _due_column()
    for line in lines:
        text = line.text.strip()
        if due_column.fullmatch(text):
            row = []
            continue
        if row is None:
            continue
        date = _date_cell(text, default_year)
        if date is None:
            row.append(line)
            continue
        tasks = [cell for cell in row if len(cell.text.strip()) >= _TASK_MIN_CHARS]
        if tasks:
            task = max(tasks, key=lambda cell: len(cell.text.strip()))
            start = task.start + len(task.text) - len(task.text.lstrip())
            offset = line.start + len(line.text) - len(line.text.lstrip())
            found.append(_deadline(date, offset, task.text.strip(), start))
        row = []
    return found


def _may_open_window(text: str, first_digit: int) -> bool:
    """Whether a date range can start at ``text[first_digit]`` (a cheap, exact pre-check).

    A window's first date holds the row's first number, and no date has that
    number alone: a separator, a list word or "tháng" follows it. Every date
    of :mod:`extractor.fields.dates` opening on a number is so written, and
    no other can open a row (its lead word, "tháng", "quý", would precede the
    first digit); ``tests/test_fast_paths.py`` checks it against the scan.

    >>> _may_open_window("- Từ 01/3 đến 15/3/2023: rà soát", 5)
    True
    >>> _may_open_window("1. Mở hội nghị", 0)
    False
    """
    return _WINDOW_OPENING.match(text, first_digit) is not None


def _window_rows(lines: Sequence[Line], default_year: int | None) -> list[Found[Deadline]]:
    """Schedule lines that open on a time window: "- Từ ngày 01/3 đến ngày 15/3/2023: …".

    The task is due by the end of its window. A window after a label
    ("Thời gian: từ … đến …") is the campaign's period, not a row.
    """
    found: list[Found[Deadline]] = []
    for line in lines:
        opening = _WINDOW_ROW.match(line.text)
        if opening is None or not _may_open_window(line.text, opening.end()):
            continue
        ranges = find_all(line.text, default_year=default_year)[1]
        if not ranges or ranges[0].span[0] > opening.end() or ranges[0].end is None:
            continue
        window = ranges[0]
        task = _ROW_TASK.match(line.text, window.span[1])
        end = window.end
        if task is None or end is None or len(end.iso) < len("2023-03"):
            continue
        text = line.text[task.start("task") :].strip()
        value = Deadline(date=end.iso, action=_action(text) or None, text=line.text.strip())
        start = line.start + len(line.text) - len(line.text.lstrip())
        spans = (
            (line.start + end.start, line.start + end.end),
            (start, start + len(value.text)),
        )
        found.append(Found(value, spans))
    return found


def column_deadlines(ctx: Context, *, year: int | None = None) -> list[Found[Deadline]]:
    """The deadlines of the document's timetables (dates in a due-date column, window rows).

    ``year`` completes dates printed without one ("15/3").
    """
    lines = ctx.lines_in("title", "body", "annex")
    found = _row_deadlines(lines, year)
    # No pre-check of the header: matching it line by line (as the pass does)
    # costs less than one multi-line search of the whole text.
    found += _flat_deadlines(lines, year)
    # One scan of the whole text tells whether the window rows can be there.
    if any(join.search(ctx.text) for join in _WINDOW_JOINS):
        found += _window_rows(lines, year)
    # A date before the document's year is history, never a due date.
    kept = [item for item in found if year is None or int(item.value.date[:4]) >= year]
    return sorted(kept, key=lambda item: item.spans[0])
