"""Field-by-field comparison of the two records, and whether the lower cites the upper.

Every field is shown as a list of display strings on each side, compared
after :func:`~extractor.text.normalize.match_key` folding. Deadlines are
paired by the similarity of their actions (rapidfuzz token-set ratio), so a
date moved from 15/6/2022 to 10/6/2022 reads as a shift, not as one deadline
dropped and another added.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from extractor.diff.model import FieldDiff, FieldStatus, Shift
from extractor.fields.dates import show_date
from extractor.fields.references import fold_number
from extractor.record import Deadline, Period, Record
from extractor.text.normalize import match_key

#: Token-set ratio at or above which two deadlines' actions are the same action.
SAME_ACTION = 60


def _period(period: Period | None) -> tuple[str, ...]:
    if period is None or (period.start is None and period.end is None):
        return ()
    start = show_date(period.start) if period.start else "…"
    end = show_date(period.end) if period.end else "…"
    return (f"{start} – {end}",)


def _deadline(deadline: Deadline) -> str:
    action = f" {deadline.action}" if deadline.action else ""
    return f"{show_date(deadline.date)}:{action}"


def _status(upper: Sequence[str], lower: Sequence[str]) -> FieldStatus:
    if not upper and not lower:
        return "absent"
    if not upper:
        return "added"
    if not lower:
        return "dropped"
    if sorted({match_key(x) for x in upper}) == sorted({match_key(x) for x in lower}):
        return "same"
    return "changed"


def _field(upper: Sequence[str], lower: Sequence[str]) -> FieldDiff:
    return FieldDiff(tuple(upper), tuple(lower), _status(upper, lower))


def deadline_shifts(upper: Sequence[Deadline], lower: Sequence[Deadline]) -> tuple[Shift, ...]:
    """Pairs of deadlines with the same action and different dates, best pairs first.

    >>> up = [Deadline(date="2022-06-15", action="báo cáo", text="")]
    >>> down = [Deadline(date="2022-06-10", action="báo cáo kết quả", text="")]
    >>> [s.shown for s in deadline_shifts(up, down)]
    ['15/6/2022 → 10/6/2022']
    """
    scored = sorted(
        (
            (
                fuzz.token_set_ratio(match_key(a.action or a.text), match_key(b.action or b.text)),
                i,
                j,
            )
            for i, a in enumerate(upper)
            for j, b in enumerate(lower)
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_u: set[int] = set()
    used_l: set[int] = set()
    shifts: list[tuple[int, Shift]] = []
    for score, i, j in scored:
        if score < SAME_ACTION:
            break
        if i in used_u or j in used_l:
            continue
        used_u.add(i)
        used_l.add(j)
        a, b = upper[i], lower[j]
        if a.date != b.date:
            shown = f"{show_date(a.date)} → {show_date(b.date)}"
            action = b.action or a.action or b.text
            shifts.append((j, Shift(a.date, b.date, shown, action)))
    return tuple(shift for _, shift in sorted(shifts, key=lambda item: item[0]))


def compare_fields(upper: Record, lower: Record) -> dict[str, FieldDiff]:
    """The ``fields`` object of the diff: themes, audience, forms, period, deadlines, …."""
    deadlines_u = [_deadline(d) for d in upper.deadlines]
    deadlines_l = [_deadline(d) for d in lower.deadlines]
    shifts = deadline_shifts(upper.deadlines, lower.deadlines)
    deadlines = _field(deadlines_u, deadlines_l)
    return {
        "themes": _field(upper.themes, lower.themes),
        "audience": _field(upper.audience, lower.audience),
        "forms": _field(upper.forms, lower.forms),
        "period": _field(_period(upper.period), _period(lower.period)),
        "deadlines": FieldDiff(deadlines.upper, deadlines.lower, deadlines.status, shifts),
        "recipients": _field(
            [r.name for r in upper.recipients], [r.name for r in lower.recipients]
        ),
        "references": _field(
            [r.number or f"{r.doc_type or '?'} {r.date or ''}".strip() for r in upper.references],
            [r.number or f"{r.doc_type or '?'} {r.date or ''}".strip() for r in lower.references],
        ),
    }


def cites_upper(upper: Record, lower: Record) -> tuple[bool, tuple[str, ...]]:
    """Whether the lower cites the upper's number, or documents the upper cites.

    Returns the verdict and, when it rests on shared citations, their numbers
    (as printed in the lower).
    """
    cited = {fold_number(r.number): r.number for r in lower.references if r.number}
    if upper.number and fold_number(upper.number) in cited:
        return True, ()
    via = tuple(
        dict.fromkeys(
            cited[fold_number(r.number)]
            for r in upper.references
            if r.number and fold_number(r.number) in cited
        )
    )
    return bool(via), via
