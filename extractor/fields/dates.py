"""The Vietnamese date grammar: full, numeric, month-year, quarter, day-month, ranges.

Written here because general date parsers misread Vietnamese ("tháng 6 năm
2023" → 23 June) and miss "quý II năm 2023". Patterns and their examples live
in ``data/dates.json``. Blank parts give partial ISO dates: "ngày    tháng 02
năm 2022" is ``2022-02``; an impossible day (32) keeps the month. A quarter,
a half-year or "cuối năm" stands for its last month, the month by which
whatever is due in it must be done.

A bare year is a date only after a time word ("trong năm 2023", "đến năm
2025"): after a noun ("Hội nghị Trung ương 3 (khóa VII) năm 1992", "kế
hoạch năm 2023") it names an event or a scope, not a point in time.

>>> [d.iso for d in find_dates("báo cáo trước ngày 15/6/2022 và trong tháng 5/2022")]
['2022-06-15', '2022-05']
"""

from __future__ import annotations

import calendar
import functools
import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import regex

from extractor.data import Requires, compile_pattern, load

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
MIN_YEAR = 1900
MAX_YEAR = 2100
#: How far left of a date an opener ("từ ngày") may start.
_OPENER_REACH = 24
#: How far right of an open-start range cue ("từ nay đến hết") its end date may start.
_OPEN_END_REACH = 8
#: How far after a year a year-first match (and the lookaheads that end it) may reach.
_YEAR_REACH = 48
#: How far before a year a pattern's ``before_year`` character stands (three spaces and itself).
_BEFORE_YEAR = 4
#: A four-digit year, where the year-first patterns open (found through :data:`_YEARS`).
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
#: :data:`_YEAR` split in two patterns opening on a literal: the regex engine
#: finds a literal with a fast string search, but tries an alternation or a
#: lookbehind at every character (several times slower on a long text).
_YEARS = (
    regex.compile(r"20(?<!\d20)\d{2}(?!\d)"),
    regex.compile(r"19(?<!\d19)\d{2}(?!\d)"),
)
_DAY_WORD = regex.compile(r"(?:ngày\s{1,3})?", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text: its span, ISO value (maybe partial) and grammar rule."""

    start: int
    end: int
    iso: str
    kind: str

    @property
    def year(self) -> int:
        """The year of the date.

        >>> DateMatch(0, 9, "2022-06", "month_year").year
        2022
        """
        return int(self.iso[:4])


@dataclass(frozen=True, slots=True)
class DateRange:
    """A time window: ``start``/``end`` dates (either may be None) and the span of the whole."""

    start: DateMatch | None
    end: DateMatch | None
    span: tuple[int, int]
    kind: str


class _HasSpan(Protocol):
    @property
    def span(self) -> tuple[int, int]: ...


_Spanned = TypeVar("_Spanned", bound=_HasSpan)


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: regex.Pattern[str]
    needs_year: bool
    month: int | None
    year_first: bool
    #: The match starts on the number after "tháng" (checked in a lookbehind).
    after_month_word: bool
    #: The match opens on a day and a "/" or "-" (:data:`_DAY_SEP`).
    day_sep: bool
    #: A year-first match can only start where :data:`_YEAR` matches.
    at_year: bool
    #: One of these stands in the few characters before the year of every match.
    before_year: frozenset[str] | None
    #: The pattern has a year group: without one, its dates need a default year.
    has_year: bool
    #: Every match holds one of these words (any case): a text without one is skipped.
    requires: Requires


#: How a rule that scans from the number after "tháng" opens; such a rule only
#: needs to run just after each "tháng".
_AFTER_MONTH_WORD = r"(?<=th[áa]ng\s{0,3})(?P<month>\d{1,2})"
_MONTH_WORD = regex.compile(r"th[áa]ng", regex.IGNORECASE)
#: :data:`_MONTH_WORD` as two literals (found by a fast string search, see :data:`_YEARS`).
_MONTH_WORDS = (
    regex.compile(r"tháng", regex.IGNORECASE),
    regex.compile(r"thang", regex.IGNORECASE),
)
#: How a year-first pattern opens when its match can only start where
#: :data:`_YEAR` matches: on a "19xx"/"20xx" year group (its lookarounds keep
#: digits off both sides; ``tests/test_fast_paths.py`` checks it).
_AT_YEAR = regex.compile(
    r"(?:\(\?<!\\d\))?\(\?P<(?:year|start_year|end_year)>\(\?:19\|20\)\\d\{2\}\)"
)
#: From the end of "tháng": up to three spaces and two digits, then the lookaheads.
_MONTH_WORD_REACH = 3 + 2 + _YEAR_REACH
#: How a rule that scans from a day printed before "/" or "-" opens; on a long
#: text such a rule only runs around the separators after a day (:data:`_DAY_SEPS`).
_DAY_SEP = r"(?<![\w/.\-])(?P<day>\d{1,2})\s{0,2}(?P<sep>[/\-])"
#: The separators after a day, as literals (found by a fast string search,
#: see :data:`_YEARS`; the lookbehind runs only at a separator). A space
#: stands before the day: the day follows no word character, and the cue
#: words its last lookbehind requires end in a letter or a space.
_DAY_SEPS = (
    regex.compile(r"/(?<=\s\d{1,2}\s{0,2}/)"),
    regex.compile(r"-(?<=\s\d{1,2}\s{0,2}-)"),
)
#: Up to this length a text is short: it is scanned whole for day-first
#: dates (it holds so many separators, in numbers and dates, that windows
#: cost more), and patterns needing a word it lacks are skipped.
_SHORT_TEXT = 8000
#: From a separator back to the day: two digits and two spaces.
_DAY_SEP_BEFORE = 2 + 2
#: From a separator: itself, two spaces and two digits, then the lookaheads.
_DAY_SEP_REACH = 1 + 2 + 2 + _YEAR_REACH


@dataclass(frozen=True, slots=True)
class _Parts:
    """A date as read, before a missing year is completed."""

    span: tuple[int, int]
    kind: str
    year: int | None
    month: int | None
    day: int | None


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    return tuple(
        _Rule(
            entry["name"],
            compile_pattern(entry),
            bool(entry.get("needs_year")),
            entry.get("month"),
            bool(entry.get("year_first")),
            entry["pattern"].startswith(_AFTER_MONTH_WORD) and set(entry.get("flags", "")) <= {"i"},
            entry["pattern"].startswith(_DAY_SEP) and set(entry.get("flags", "")) <= {"i"},
            bool(entry.get("year_first")) and _AT_YEAR.match(entry["pattern"]) is not None,
            _before_year(entry),
            "year" in compile_pattern(entry).groupindex,
            Requires.of(entry),
        )
        for entry in load("dates")["patterns"]
    )


def _before_year(entry: dict[str, Any]) -> frozenset[str] | None:
    chars = entry.get("before_year")
    return frozenset(chars) if chars else None


@functools.cache
def _dated_rules() -> tuple[_Rule, ...]:
    """The rules up to the last that can read a year: what a scan without a default year needs.

    The later rules' dates are all year-less, so they are dropped without a
    default year; and coming last, they never hide an earlier rule's date.
    """
    rules = _rules()
    last = max((i for i, rule in enumerate(rules) if rule.has_year), default=-1)
    return rules[: last + 1]


@functools.cache
def _range_data() -> tuple[
    regex.Pattern[str],
    regex.Pattern[str],
    tuple[tuple[str, regex.Pattern[str], bool, bool, frozenset[str] | None], ...],
]:
    data: dict[str, Any] = load("dates")["ranges"]
    patterns = tuple(
        (
            entry["name"],
            compile_pattern(entry),
            bool(entry.get("year_first")),
            bool(entry.get("year_first")) and _AT_YEAR.match(entry["pattern"]) is not None,
            _before_year(entry),
        )
        for entry in data["patterns"]
    )
    return compile_pattern(data["connector"]), compile_pattern(data["opener"]), patterns


#: Year windows: ``(start, end, years)``, ``years`` the starts of the four-digit
#: years the window was merged from.
_YearWindows = tuple[tuple[int, int, tuple[int, ...]], ...]


def _year_windows(text: str) -> _YearWindows:
    """Stretches of ``text`` from a four-digit year to a little after, merged.

    Year-first patterns only need to run there: on a long text with few years
    this skips most of it. Each window keeps where its years start: most
    year-first patterns can only match at one (see :func:`_year_matches`).
    """
    windows: list[tuple[int, int, tuple[int, ...]]] = []
    size = len(text)
    start = end = -1
    years: list[int] = []
    for year_start in _starts(_YEARS, text):
        year_end = year_start + 4  # four digits, each one character
        if year_start > end:
            if years:
                windows.append((start, end, tuple(years)))
            start, years = year_start, []
        years.append(year_start)
        end = min(size, year_end + _YEAR_REACH)
    if years:
        windows.append((start, end, tuple(years)))
    return tuple(windows)


def _starts(patterns: tuple[regex.Pattern[str], ...], text: str) -> list[int]:
    """Where any of ``patterns`` matches, in order (patterns whose matches never overlap)."""
    first, *others = [[match.start() for match in pattern.finditer(text)] for pattern in patterns]
    for other in others:
        if other:
            first = sorted(first + other) if first else other
    return first


def _month_word_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` just after each "tháng", merged (as :func:`_year_windows`)."""
    size = len(text)
    return _merged(
        (start + 5, min(size, start + 5 + _MONTH_WORD_REACH))
        for start in _starts(_MONTH_WORDS, text)
    )


def _day_sep_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around each "/" or "-" after a day (:data:`_DAY_SEPS`), merged.

    A :data:`_DAY_SEP` match holds such a separator, and starts at most
    :data:`_DAY_SEP_BEFORE` characters before it.
    """
    size = len(text)
    return _merged(
        (max(0, separator - _DAY_SEP_BEFORE), min(size, separator + _DAY_SEP_REACH))
        for separator in _starts(_DAY_SEPS, text)
    )


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans (in order of start) with the overlapping or touching ones joined.

    >>> _merged([(0, 5), (3, 9), (12, 14)])
    [(0, 9), (12, 14)]
    """
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _matches(
    pattern: regex.Pattern[str], text: str, windows: Sequence[tuple[Any, ...]] | None
) -> list[regex.Match[str]]:
    """``pattern.finditer`` over the whole text, or only over ``windows`` (start, end, …)."""
    if windows is None:
        return list(pattern.finditer(text))
    found: list[regex.Match[str]] = []
    for window in windows:
        found.extend(pattern.finditer(text, window[0], window[1]))
    return found


def _year_matches(
    pattern: regex.Pattern[str],
    text: str,
    windows: _YearWindows,
    before: frozenset[str] | None = None,
) -> list[regex.Match[str]]:
    """What ``pattern.finditer`` finds over ``windows``, for a pattern opening on a year.

    A pattern whose match opens on a "19xx"/"20xx" with no digit on either
    side (its lookbehind and lookahead say so) can only match where
    :data:`_YEAR` does, and every such place starts a window or was merged
    into one: trying those places alone, with the window's end as the end
    of the text, finds the same matches as scanning every character of the
    windows. A match that runs over the next year hides it, as in a scan.
    With ``before`` (the pattern's ``before_year``), a year without one of
    those characters in the :data:`_BEFORE_YEAR` characters before it is
    not tried. ``tests/test_fast_paths.py`` checks both against the scan.
    """
    found: list[regex.Match[str]] = []
    match_ = pattern.match
    last = -1
    for _, end, years in windows:
        for year in years:
            if year < last or (
                before is not None and before.isdisjoint(text[max(0, year - _BEFORE_YEAR) : year])
            ):
                continue
            match = match_(text, year, end)
            if match is not None:
                found.append(match)
                last = match.end()
    return found


#: Days in each month of a common year (index 1-12).
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def to_iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Build an ISO date, partial when month or day is unknown or impossible.

    >>> to_iso(2022, 2, 30), to_iso(2022, 13, 1), to_iso(2022, 4, 18)
    ('2022-02', '2022', '2022-04-18')
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    # The month's length without calendar.monthrange (a weekday computation per call).
    if day is None or not 1 <= day <= _MONTH_DAYS[month] + (month == 2 and calendar.isleap(year)):
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


_ISO = regex.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def show_date(iso: str | None) -> str:
    """An ISO (possibly partial) date as Vietnamese documents print it; other text as it is.

    The reverse of :func:`to_iso`, for reports and diffs.

    >>> show_date("2022-06-15"), show_date("2022-02"), show_date("2022"), show_date(None)
    ('15/6/2022', '2/2022', '2022', '')
    >>> show_date("soon")
    'soon'
    """
    if not iso:
        return ""
    match = _ISO.fullmatch(iso)
    if match is None:
        return iso
    year, month, day = match.groups()
    return "/".join([str(int(part)) for part in (day, month) if part] + [year])


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else None


def _span_of(match: regex.Match[str]) -> tuple[int, int]:
    """Where a match's date is printed.

    Patterns scan from a digit (fast on long texts) and check the words before
    it in a lookbehind, so the date text may begin before the match, at its
    first captured group (a ``lead`` group marks a leading word).
    """
    start = match.start()
    for group_start, _ in match.regs[1:]:
        if 0 <= group_start < start:
            start = group_start
    return start, match.end()


def _parts_of(match: regex.Match[str], rule: _Rule) -> _Parts:
    groups = match.groupdict()
    month = _number(groups.get("month")) or rule.month
    quarter = groups.get("quarter")
    if quarter:
        # A quarter stands for its last month: "trong quý II" is due by June.
        month = 3 * (_ROMAN.get(quarter.upper()) or int(quarter))
    year, day = _number(groups.get("year")), _number(groups.get("day"))
    return _Parts(_span_of(match), rule.name, year, month, day)


def _disjoint(taken: list[_Spanned], new: Iterable[_Spanned]) -> list[_Spanned]:
    """Merge ``new`` (sorted, disjoint) into ``taken`` (sorted, disjoint); ``taken`` wins.

    A linear merge rather than a check against every taken span: a long text
    can hold hundreds of thousands of dates.
    """
    kept: list[_Spanned] = []
    index, size = 0, len(taken)
    for item in new:
        start, end = item.span
        while index < size and taken[index].span[1] <= start:
            index += 1
        if index < size and taken[index].span[0] < end:
            continue
        kept.append(item)
    if not taken or not kept:
        return taken or kept
    return sorted([*taken, *kept], key=_SPAN)


#: The sort key of spanned items (a C getter: no Python call per item).
_SPAN = operator.attrgetter("span")


_CACHED_CLAUSE_CHARS = 2000


def _scan_text(text: str, *, dated_only: bool = False) -> tuple[tuple[_Parts, ...], _YearWindows]:
    """The date expressions of ``text`` and its year windows.

    ``dated_only`` skips the trailing rules whose dates have no year (see
    :func:`_dated_rules`): for a caller without a default year. Short
    clauses are cached: several fields read the same citation or sentence.
    Whole documents are not, since a batch never repeats one.
    """
    if len(text) <= _CACHED_CLAUSE_CHARS:
        return _scan_clause(text, dated_only)
    return _scan_uncached(text, dated_only)


@functools.lru_cache(maxsize=4096)
def _scan_clause(text: str, dated_only: bool) -> tuple[tuple[_Parts, ...], _YearWindows]:
    # Pure function of an immutable string with immutable results (the
    # windows are tuples): the cache cannot leak state between documents.
    return _scan_uncached(text, dated_only)


def _scan_uncached(text: str, dated_only: bool) -> tuple[tuple[_Parts, ...], _YearWindows]:
    years = _year_windows(text)
    return tuple(_scan(text, years, _dated_rules() if dated_only else _rules())), years


def _scan(text: str, windows: _YearWindows, rules: Sequence[_Rule]) -> list[_Parts]:
    """Every date expression of ``text`` by ``rules``, without overlaps (earlier rules win)."""
    taken: list[_Parts] = []
    month_windows: list[tuple[int, int]] | None = None
    separator_windows: list[tuple[int, int]] | None = None
    lowered: str | None = None
    for rule in rules:
        if rule.requires.literals and len(text) <= _SHORT_TEXT:
            # Lowering a long text costs more than the patterns it would skip.
            if lowered is None:
                lowered = text.lower()
            if not rule.requires.may_match(text, lowered):
                continue
        if rule.year_first:
            if not windows:
                continue  # no four-digit year: no year-first match
            if rule.at_year:
                matches = _year_matches(rule.pattern, text, windows, rule.before_year)
            else:
                matches = _matches(rule.pattern, text, windows)
        elif rule.after_month_word:
            if month_windows is None:
                month_windows = _month_word_windows(text)
            if not month_windows:
                continue
            matches = _matches(rule.pattern, text, month_windows)
        elif rule.day_sep and len(text) > _SHORT_TEXT:
            if separator_windows is None:
                separator_windows = _day_sep_windows(text)
            if not separator_windows:
                continue
            matches = _matches(rule.pattern, text, separator_windows)
        else:
            matches = _matches(rule.pattern, text, None)
        # Short clauses (a citation's date) mostly match one rule or none:
        # merging nothing changes nothing.
        if matches:
            taken = _disjoint(taken, [_parts_of(match, rule) for match in matches])
    return taken


def _complete(parts: _Parts, year: int | None) -> DateMatch | None:
    year = parts.year if parts.year is not None else year
    if year is None:
        return None
    iso = to_iso(year, parts.month, parts.day)
    return DateMatch(*parts.span, iso, parts.kind) if iso else None


def find_dates(text: str, *, default_year: int | None = None) -> list[DateMatch]:
    """Every date in ``text``, left to right, without overlaps.

    ``default_year`` completes day-month dates ("trước ngày 15/6"); without it
    they are skipped rather than guessed.

    >>> [d.iso for d in find_dates("ngày 18 tháng 4 năm 2022, Số 15/2020/TT-BGDĐT")]
    ['2022-04-18']
    >>> [d.iso for d in find_dates("trước ngày 15/6, cuối quý II", default_year=2022)]
    ['2022-06-15', '2022-06']
    """
    # Without a default year, the rules that read no year cannot add a date.
    parts = _scan_text(text, dated_only=default_year is None)[0]
    found = (_complete(part, default_year) for part in parts)
    return [date for date in found if date is not None]


def parse_date(text: str, *, default_year: int | None = None) -> str | None:
    """The ISO value of the first date in ``text``, or None.

    >>> parse_date("Trà Vinh, ngày 18 tháng 4 năm 2022")
    '2022-04-18'
    """
    dates = find_dates(text, default_year=default_year)
    return dates[0].iso if dates else None


def _pair_year(first: _Parts, second: _Parts, default_year: int | None) -> tuple[int, int] | None:
    """The years of a range's two ends, each completed from the other."""
    end_year = second.year if second.year is not None else first.year
    if end_year is None:
        end_year = default_year
    if end_year is None:
        return None
    start_year = first.year
    if start_year is None:
        # "từ tháng 11 đến tháng 02/2023" starts in the year before.
        wraps = first.month is not None and second.month is not None and first.month > second.month
        start_year = end_year - 1 if wraps else end_year
    return start_year, end_year


def _pattern_range(
    name: str,
    match: regex.Match[str],
    text: str,
    by_start: dict[int, _Parts],
    default_year: int | None,
) -> DateRange | None:
    """The range a range pattern matched (``open_start`` borrows the date that follows)."""
    groups = match.groupdict()
    span = _span_of(match)
    if name == "open_start":
        # The end is the date that follows the cue ("từ nay đến hết năm 2022").
        for offset in range(_OPEN_END_REACH + 1):
            parts = by_start.get(match.end() + offset)
            if parts is not None and _DAY_WORD.fullmatch(text, match.end(), parts.span[0]):
                end = _complete(parts, default_year)
                return DateRange(None, end, (span[0], parts.span[1]), name) if end else None
        return None
    end_year = _number(groups.get("end_year"))
    if end_year is None:
        return None
    if groups.get("start_year"):
        start_iso, end_iso = to_iso(_number(groups["start_year"]) or 0), to_iso(end_year)
        start_span, end_span = match.span("start_year"), match.span("end_year")
    else:
        month = _number(groups.get("end_month") or groups.get("end_month2"))
        start_iso = to_iso(end_year, month, _number(groups.get("start_day")))
        end_iso = to_iso(end_year, month, _number(groups.get("end_day")))
        start_span, end_span = match.span("start_day"), (match.start("end_day"), span[1])
    if start_iso is None or end_iso is None:
        return None
    return DateRange(
        DateMatch(*start_span, start_iso, name), DateMatch(*end_span, end_iso, name), span, name
    )


def find_ranges(text: str, *, default_year: int | None = None) -> list[DateRange]:
    """Every time window in ``text`` ("từ … đến …", "15/5 - 15/6/2022", "giai đoạn 2021-2025").

    A start without a year (or month) takes it from the end: "từ tháng 3 đến
    tháng 5/2022" starts in 2022-03. Ranges never overlap; the dates inside a
    range are also returned by :func:`find_dates`.

    >>> [(r.start.iso, r.end.iso) for r in find_ranges("từ tháng 3 đến tháng 5/2022")]
    [('2022-03', '2022-05')]
    >>> r = find_ranges("từ nay đến hết năm 2022")[0]
    >>> r.start, r.end.iso
    (None, '2022')
    """
    return find_all(text, default_year=default_year)[1]


def find_all(
    text: str, *, default_year: int | None = None
) -> tuple[list[DateMatch], list[DateRange]]:
    """The dates and the ranges of ``text`` from one scan (what callers needing both use).

    >>> dates, ranges = find_all("từ ngày 01/02/2023 đến ngày 19/5/2023")
    >>> [d.iso for d in dates], [(r.start.iso, r.end.iso) for r in ranges]
    (['2023-02-01', '2023-05-19'], [('2023-02-01', '2023-05-19')])
    """
    connector, opener, patterns = _range_data()
    parts, years = _scan_text(text)
    by_start = {p.span[0]: p for p in parts}
    found: list[DateRange] = []
    for name, pattern, year_first, at_year, before in patterns:
        if year_first and not years:
            continue  # no four-digit year: no year-first range
        if at_year:
            matches = _year_matches(pattern, text, years, before)
        else:
            matches = _matches(pattern, text, years if year_first else None)
        windows = (_pattern_range(name, match, text, by_start, default_year) for match in matches)
        found = _disjoint(found, (window for window in windows if window is not None))
    ranges = _disjoint(found, _pairs(text, parts, connector, opener, default_year))
    dates = (_complete(part, default_year) for part in parts)
    return [date for date in dates if date is not None], ranges


def _pairs(
    text: str,
    parts: Sequence[_Parts],
    connector: regex.Pattern[str],
    opener: regex.Pattern[str],
    default_year: int | None,
) -> Iterable[DateRange]:
    """Two consecutive dates joined by "đến"/"-", the first opened by "từ" or complete."""
    for first, second in itertools.pairwise(parts):
        (first_start, first_end), (second_start, second_end) = first.span, second.span
        if not connector.fullmatch(text, first_end, second_start):
            continue
        head = text[max(0, first_start - _OPENER_REACH) : first_start]
        # Without "từ", only two dates that both print their year make a window
        # ("(03/02/1930 - 03/02/2023)"): "15/6 - 30/6" could be a list.
        if not (opener.search(head) or first.year is not None):
            continue
        years = _pair_year(first, second, default_year)
        if years is None:
            continue
        start, end = _complete(first, years[0]), _complete(second, years[1])
        if start and end:
            yield DateRange(start, end, (first_start, second_end), "pair")
