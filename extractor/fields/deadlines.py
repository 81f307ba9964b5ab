"""Deadlines (dated obligations) and the campaign period.

A date is a deadline when the words just before it say so: a strong cue
("trước ngày", "chậm nhất", "hạn chót", "hoàn thành trong") is enough; a weak
one ("trong tháng", "vào cuối quý", "tức ngày") needs an obligation verb
earlier in the same clause ("báo cáo", "gửi", "tổ chức"…). A dated line of a
schedule ("Ngày 01/11/2012: kiểm tra …") is one too. Never a deadline: the
date of a cited document ("Kế hoạch số 44-KH/TU, ngày 15/01/2022"), a date
inside a range (a window or an anniversary "(03/02/1930 - 03/02/2023)"), a
date before the document's year, a month offered as an alternative ("tháng
11 hoặc đầu tháng 12"). Cue words live in ``data/deadlines.json``.

The period is the range stated on a "Thời gian: …" line, inside a section
headed "Thời gian …", or in a sentence about the campaign ("Đợt sinh hoạt
chính trị được tổ chức từ … đến …"); failing those, a "giai đoạn 2021-2025"
of the document's own title.

>>> from extractor.document import Document
>>> ctx = Context.of(Document.from_text("KẾ HOẠCH\\nvề X\\nI. TỔ CHỨC\\n"
...     "Các chi bộ báo cáo kết quả trước ngày 15/6/2022."))
>>> [(f.value.date, f.value.action) for f in extract_deadlines(ctx, year=2022)]
[('2022-06-15', 'báo cáo kết quả')]
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found
from extractor.fields.dates import DateMatch, DateRange, find_all
from extractor.fields.timetable import column_deadlines
from extractor.record import Deadline, Period
from extractor.structure import Line, Zone

Span = tuple[int, int]

#: How far a clause may reach either side of a date: bounds the work per date.
_CLAUSE_REACH = 1000
#: How far left of a date its cue may start (characters).
_CUE_REACH = 60
#: How far left of a date a citation's number may start.
_CITATION_REACH = 90
#: How far left of a date the obligation verb may start.
_VERB_REACH = 300
#: How far left of its verb a past marker ("đã tổ chức") may stand.
_PAST_REACH = 20
#: How far right of a date a verb may be looked for when the cue is strong.
_VERB_AFTER = 200
#: The longest action kept, in syllables: an action is a short verb phrase.
_ACTION_WORDS = 16
#: A sentence longer than this is quoted by its clause only.
_TEXT_CHARS = 300
#: A line shorter than this, followed by a capital, is a heading rather than a wrapped line.
_HEADING_CHARS = 60
#: How many earlier sections to try when looking for the one around an offset.
_HEADING_LOOKBACK = 64
#: Larger than any offset: the bisect key that sorts after every span starting at a point.
_FAR = 1 << 62

_LIST_MARKER = regex.compile(
    r"^\s{0,8}(?:[-+•*–]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]|[a-zđ][).]|[IVXLC]{1,6}[.\-)]|\|)(?:\s|$)"
)
# Anchored on the end mark itself: a pattern opening with a lookbehind is
# tried at every character of every paragraph.
_SENTENCE_END = regex.compile(r"[.!?…](?<=[\p{Ll}\d)”\"'’…][.!?…])\s{1,8}(?=[\p{Lu}\d\-+•“\"(])")
_LINE_END = regex.compile(r"[.;:!?…]\s{0,4}$")
#: The longest match of ``_LINE_END`` (a mark and four spaces).
_LINE_END_CHARS = 5
#: What may end the text before a capitalised verb that starts a sentence or an item:
#: sentence ends, bullets, numbering, table bars.
_ITEM_LEAD = ".!?;:\n-+•*|)0123456789"
_LOWER = regex.compile(r"\p{Ll}")
_UPPER = regex.compile(r"\p{Lu}")
_WORD = regex.compile(r"\S+")
#: What an action must not end with: punctuation, a dangling conjunction.
_TRAILING = regex.compile(r"(?:[\s,;:\-–]|(?<!\w)(?:và|hoặc|của|về|tại)(?!\w)){1,20}$")
_QUOTED = regex.compile(r"[“\"][^”\"\n]{0,400}[”\"]")


@dataclass(frozen=True, slots=True)
class _Cues:
    strong: regex.Pattern[str]
    weak: regex.Pattern[str]
    verbs: regex.Pattern[str]
    citation: regex.Pattern[str]
    cited_after: regex.Pattern[str]
    commemoration: regex.Pattern[str]
    past: regex.Pattern[str]
    alternative: regex.Pattern[str]
    basis: regex.Pattern[str]
    condition: regex.Pattern[str]
    schedule: regex.Pattern[str]
    schedule_after: regex.Pattern[str]
    narrative: regex.Pattern[str]
    action_stop: regex.Pattern[str]
    year_only_verbs: regex.Pattern[str]
    label: regex.Pattern[str]
    heading: regex.Pattern[str]
    campaign: regex.Pattern[str]
    title_span: regex.Pattern[str]
    foreign_title: regex.Pattern[str]


@functools.cache
def _cues() -> _Cues:
    data: dict[str, Any] = load("deadlines")
    period: dict[str, Any] = data["period"]
    entries = {**{k: v for k, v in data.items() if isinstance(v, dict)}, **period}
    entries.pop("period")
    return _Cues(**{name: compile_pattern(entry) for name, entry in entries.items()})


@dataclass(slots=True)
class _Block:
    """A paragraph: consecutive lines joined where the printed text was only wrapped."""

    start: int
    text: str
    _sentences: tuple[Span, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def sentences(self) -> tuple[Span, ...]:
        """The block's sentences (block-relative spans), split on first use.

        Most paragraphs hold no date and are never asked.
        """
        if self._sentences is None:
            self._sentences = _sentences(self.text)
        return self._sentences

    def sentence_of(self, offset: int) -> Span:
        """The sentence (block-relative span) holding ``offset``."""
        index = bisect.bisect_right(self.sentences, (offset, _FAR)) - 1
        return self.sentences[max(index, 0)]


def _blocks(ctx: Context, *zones: Zone) -> Iterator[_Block]:
    """The paragraphs of ``zones``, with their sentences."""
    for start, end in _paragraph_spans(ctx, *zones):
        yield _paragraph(ctx, start, end)


def _paragraph(ctx: Context, start: int, end: int) -> _Block:
    """The paragraph ``ctx.text[start:end]``, built once per document.

    Zone sets overlap (the body is in both the deadlines' and the period's):
    whichever set asks first builds it.
    """
    built = ctx.memo("paragraphs", _paragraph_cache)
    block = built.get((start, end))
    if block is None:
        block = built[start, end] = _Block(start, ctx.text[start:end])
    return block


def _paragraph_spans(ctx: Context, *zones: Zone) -> list[Span]:
    """Where the paragraphs of ``zones`` start and end (computed once per zone set).

    A line break ends a paragraph when the line ends a sentence or a label
    (``.``, ``;``, ``:``), is a heading (capitals, or short and followed by a
    capital), when a list marker or a table row follows, or at a blank line;
    otherwise it is a hard wrap inside one sentence.
    """
    return ctx.memo(f"paragraphs:{','.join(zones)}", lambda: _split_paragraphs(ctx, zones))


#: The zones whose paragraphs are split; the zone sets asked for are among them.
_PARAGRAPH_ZONES: tuple[Zone, ...] = ("title", "body", "annex")


def _split_paragraphs(ctx: Context, zones: tuple[Zone, ...]) -> list[Span]:
    lines = ctx.lines_in(*zones)
    if not lines:
        return []
    every, breaks = ctx.memo("paragraph_breaks", lambda: _paragraph_breaks(ctx))
    first = bisect.bisect_left(every, lines[0].index, key=_line_index)
    last = first + len(lines) - 1
    if set(zones) <= set(_PARAGRAPH_ZONES) and last < len(every) and every[last] is lines[-1]:
        # The lines run unbroken through the zones split once per document
        # (the body's do): where they break is known.
        spans: list[Span] = []
        start = lines[0].start
        for position in itertools.compress(range(first, last), breaks[first:last]):
            spans.append((start, every[position].end))
            start = every[position + 1].start
        spans.append((start, lines[-1].end))
        return spans
    return _spans_of(ctx.text, lines, _breaks(ctx.text, lines))


def _line_index(line: Line) -> int:
    return line.index


def _paragraph_breaks(ctx: Context) -> tuple[tuple[Line, ...], list[bool]]:
    """The lines of :data:`_PARAGRAPH_ZONES` and whether a paragraph ends after each."""
    lines = ctx.lines_in(*_PARAGRAPH_ZONES)
    return lines, _breaks(ctx.text, lines)


def _spans_of(text: str, lines: tuple[Line, ...], breaks: list[bool]) -> list[Span]:
    spans: list[Span] = []
    start = lines[0].start
    for position in itertools.compress(range(len(breaks)), breaks):
        spans.append((start, lines[position].end))
        start = lines[position + 1].start
    spans.append((start, lines[-1].end))
    return spans


def _breaks(text: str, lines: tuple[Line, ...]) -> list[bool]:
    """Whether a paragraph ends between each line and the next."""
    breaks: list[bool] = []
    for previous, line in itertools.pairwise(lines):
        breaks.append(
            text.count("\n", previous.end, line.start) > 1
            # The end mark is in the last few characters: search only there.
            or _LINE_END.search(previous.text, max(0, len(previous.text) - _LINE_END_CHARS))
            is not None
            or _LIST_MARKER.match(line.text) is not None
            or previous.text.lstrip().startswith("|")
            or (len(previous.text) < _HEADING_CHARS and line.text.lstrip()[:1].isupper())
            or _capitals(previous.text)
        )
    return breaks


def _paragraph_cache() -> dict[Span, _Block]:
    return {}


def _capitals(line: str) -> bool:
    """A line in capitals ("I. MỤC ĐÍCH, YÊU CẦU"): a heading, never a wrapped sentence."""
    return _LOWER.search(line) is None and _UPPER.search(line) is not None


def _sentences(body: str) -> tuple[Span, ...]:
    sentences: list[Span] = []
    cursor = 0
    for boundary in _SENTENCE_END.finditer(body):
        # The match opens on the end mark (one character): the sentence ends after it.
        sentences.append((cursor, boundary.start() + 1))
        cursor = boundary.end()
    sentences.append((cursor, len(body)))
    return tuple(sentences)


def _clause(body: str, sentence: Span, offset: int) -> Span:
    """The ``;``-separated clause of ``sentence`` holding ``offset`` (at most a few lines)."""
    first = max(sentence[0], offset - _CLAUSE_REACH)
    last = min(sentence[1], offset + _CLAUSE_REACH)
    start = body.rfind(";", first, offset) + 1 or first
    end = body.find(";", offset, last)
    return max(start, first), end if end >= 0 else last


def _line_start(body: str, offset: int) -> int:
    """Where the line holding ``offset`` starts (or how far back it is worth looking)."""
    reach = max(0, offset - _CLAUSE_REACH)
    return max(reach, body.rfind("\n", reach, offset) + 1)


def _inside(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``start:end`` lies inside one of ``spans`` (sorted, disjoint)."""
    index = bisect.bisect_right(spans, (start, _FAR)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Why a date is a deadline: its action (span in the block) and quoted text."""

    action: Span | None
    text: Span


def _action_span(body: str, start: int, limit: int, cues: _Cues) -> Span:
    """The verb phrase from ``start``: up to ``limit``, a stop word or the word cap."""
    stop = cues.action_stop.search(body, start + 1, limit)
    end = stop.start() if stop else limit
    for count, word in enumerate(_WORD.finditer(body, start, end), start=1):
        if count == _ACTION_WORDS:
            end = word.end()
            break
    end = start + len(_TRAILING.sub("", body[start:end]))
    return start, end


def _verb(body: str, start: int, end: int, cues: _Cues) -> regex.Match[str] | None:
    """The first obligation verb in ``body[start:end]``.

    A capitalised verb inside a sentence is part of a name ("Luật Tổ chức
    Hội đồng nhân dân", "Ban Tổ chức"), not an action.
    """
    for match in cues.verbs.finditer(body, start, end):
        head = body[max(0, match.start() - 6) : match.start()].rstrip(" \t")
        if body[match.start()].islower() or not head or head[-1] in _ITEM_LEAD:
            return match
    return None


def _item_start(body: str, line_start: int, offset: int) -> int:
    """Where the list item holding ``offset`` begins: its line, or after a ":"/";"."""
    return max(
        line_start, body.rfind(":", line_start, offset) + 1, body.rfind(";", line_start, offset) + 1
    )


def _scheduled(
    body: str, date: DateMatch, sentence: Span, clause: Span, cues: _Cues
) -> _Verdict | None:
    """A dated item of a schedule: "Ngày 01/11/2012: kiểm tra …", "Chiều 11/3 các đội tập trung"."""
    line_start = _line_start(body, date.start)
    if not cues.schedule.search(body[_item_start(body, line_start, date.start) : date.start]):
        return None
    colon = cues.schedule_after.match(body, date.end, sentence[1])
    if colon is not None:
        begin = (
            colon.end()
            + len(body[colon.end() : sentence[1]])
            - len(body[colon.end() : sentence[1]].lstrip(" -+•"))
        )
        limit = min(sentence[1], begin + _VERB_AFTER)
        return _Verdict(_action_span(body, begin, limit, cues), (line_start, sentence[1]))
    if cues.narrative.match(body, date.end, sentence[1]):
        # "Ngày 15/3/2023, Ban Thường vụ … ban hành …" tells what happened.
        return None
    verb = _verb(body, date.end, min(clause[1], date.end + _VERB_AFTER), cues)
    if verb is None or cues.past.search(body, date.end, verb.start()):
        return None
    return _Verdict(_action_span(body, verb.start(), clause[1], cues), clause)


def _judge(
    block: _Block, date: DateMatch, cues: _Cues, min_year: int | None, after: int
) -> _Verdict | None:
    """Whether ``date`` (block-relative) is a deadline, and of what.

    ``after`` is where the previous date ended: a verb before it belongs to
    that date ("báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 15/12").
    """
    if min_year is not None and date.year < min_year:
        return None  # checked first: it needs no text
    body = block.text
    sentence = block.sentence_of(date.start)
    clause = _clause(body, sentence, date.start)
    left = body[max(clause[0], date.start - _CUE_REACH) : date.start]
    right = body[date.end : min(sentence[1], date.end + 40)]
    citation_left = body[max(sentence[0], date.start - _CITATION_REACH) : date.start]
    if cues.citation.search(citation_left) or cues.cited_after.match(right):
        return None
    if cues.alternative.match(right.lstrip()) or cues.alternative.search(left[-14:]):
        return None
    text = sentence if sentence[1] - sentence[0] <= _TEXT_CHARS else clause
    strong = cues.strong.search(left)
    weak = None if strong else cues.weak.search(left)
    if len(date.iso) == 4 and not (strong and cues.year_only_verbs.search(left)):
        return None
    if not strong:
        scheduled = _scheduled(body, date, sentence, clause, cues)
        if scheduled is not None or weak is None:
            return scheduled
    cue = strong or weak
    if cue is None:
        return None
    cue_start = date.start - len(left) + cue.start()
    if strong is not None and cues.condition.search(
        body, max(clause[0], cue_start - 40), cue_start
    ):
        # "công chức được tuyển dụng trước ngày …" states a condition, not a due date.
        return None
    verb = _verb(body, max(clause[0], date.start - _VERB_REACH, after), date.start, cues)
    if verb is None and after > clause[0]:
        verb = _verb(body, max(clause[0], date.start - _VERB_REACH), date.start, cues)
    if weak is not None and (
        verb is None
        or cues.past.search(body, max(clause[0], verb.start() - _PAST_REACH), date.start)
        or cues.commemoration.search(left)
        or cues.basis.match(body, sentence[0], sentence[1])
    ):
        return None
    if verb is not None:
        # The cue may hold the verb itself ("hoàn thành trong tháng 02/2022").
        limit = cue_start if verb.start() < cue_start else verb.end()
        return _Verdict(_action_span(body, verb.start(), limit, cues), text)
    following = _verb(body, date.end, min(clause[1], date.end + _VERB_AFTER), cues)
    if following is not None:
        return _Verdict(_action_span(body, following.start(), clause[1], cues), text)
    if clause[0] > sentence[0]:
        # "Báo cáo … trước ngày 25/02/2022; trước ngày 10/6/2022": the bare
        # clause inherits the action of the sentence it continues.
        earlier = _verb(body, sentence[0], clause[0], cues)
        if earlier is not None:
            first = _clause(body, sentence, earlier.start())
            return _Verdict(_action_span(body, earlier.start(), first[1], cues), text)
    return _Verdict(None, text)


def _shifted(date: DateMatch | None, offset: int) -> DateMatch | None:
    return None if date is None else _shift(date, offset)


def _shift(date: DateMatch, offset: int) -> DateMatch:
    return DateMatch(date.start - offset, date.end - offset, date.iso, date.kind)


def _dated_blocks(
    ctx: Context, zones: tuple[Zone, ...], default_year: int | None
) -> Iterator[tuple[_Block, list[DateMatch], list[DateRange]]]:
    """The blocks of ``zones`` holding dates, with their dates and ranges (block-relative).

    The whole text is scanned once: scanning block by block would pay the
    grammar's fixed cost once per line of a long, many-lined text.
    """
    # Deadlines and the period ask for the dates of several zones: the
    # grammar runs once per document and year, the blocks once per zone set.
    dates, ranges = ctx.memo(
        f"dates:{default_year}", lambda: find_all(ctx.text, default_year=default_year)
    )
    # Only the paragraphs holding a date are built (sliced, split into sentences);
    # each date finds its paragraph by bisection, not by a walk over them all.
    spans = _paragraph_spans(ctx, *zones)
    starts = ctx.memo(f"paragraph_starts:{','.join(zones)}", lambda: [start for start, _ in spans])
    mine: dict[int, list[DateMatch]] = {}
    for date in dates:
        index = bisect.bisect_right(starts, date.start) - 1
        if index >= 0 and date.end <= spans[index][1]:
            mine.setdefault(index, []).append(date)
    windows: dict[int, list[DateRange]] = {}
    for window in ranges:
        index = bisect.bisect_right(starts, window.span[0]) - 1
        if index >= 0 and window.span[1] <= spans[index][1]:
            windows.setdefault(index, []).append(window)
    for index in sorted(mine.keys() | windows.keys()):
        block_start, end = spans[index]
        shifted = [
            DateRange(
                _shifted(window.start, block_start),
                _shifted(window.end, block_start),
                (window.span[0] - block_start, window.span[1] - block_start),
                window.kind,
            )
            for window in windows.get(index, ())
        ]
        own = [_shift(date, block_start) for date in mine.get(index, ())]
        yield _paragraph(ctx, block_start, end), own, shifted


def _deadlines(
    ctx: Context, default_year: int | None, min_year: int | None
) -> list[Found[Deadline]]:
    cues = _cues()
    found: list[Found[Deadline]] = []
    seen: set[tuple[str, str]] = set()
    # The title zone too: a text whose header was not recognised lands there.
    for block, dates, ranges in _dated_blocks(ctx, ("title", "body", "annex"), default_year):
        # Dates inside a window are its bounds, not due dates; "từ nay đến ngày …" has one bound.
        windows = [window.span for window in ranges if window.start is not None]
        previous_end = 0
        for date in dates:
            if _inside(windows, date.start, date.end):
                continue
            verdict = _judge(block, date, cues, min_year, previous_end)
            previous_end = date.end
            if verdict is None:
                continue
            action = block.text[slice(*verdict.action)] if verdict.action else None
            # ctx.text is already normalized: folding case and spaces is enough here.
            key = (date.iso, " ".join((action or "").casefold().split()))
            if key in seen:
                continue
            seen.add(key)
            text = block.text[slice(*verdict.text)].strip()
            text_start = block.start + verdict.text[0] + _leading_space(block.text, verdict.text)
            value = Deadline(date=date.iso, action=action or None, text=text)
            spans = (
                (block.start + date.start, block.start + date.end),
                (text_start, text_start + len(text)),
            )
            found.append(Found(value, spans))
    return found


def _leading_space(body: str, span: Span) -> int:
    piece = body[slice(*span)]
    return len(piece) - len(piece.lstrip())


def extract_deadlines(ctx: Context, *, year: int | None) -> list[Found[Deadline]]:
    """Every dated obligation of the document, in document order.

    ``year`` (the document's year) completes day-month dates ("trước ngày
    15/6") and rules out earlier dates; without it, the year of the
    deadlines that print one is used to complete the others.

    >>> from extractor.document import Document
    >>> text = ("KẾ HOẠCH\\nvề X\\nIII. TỔ CHỨC THỰC HIỆN\\n"
    ...     "Thực hiện Kế hoạch số 44-KH/TU, ngày 15/01/2022 của Tỉnh ủy.\\n"
    ...     "- Dịp 19/5: báo cáo trước ngày 15/6/2022.\\n"
    ...     "- Hoàn thành trong tháng 02/2022.")
    >>> found = extract_deadlines(Context.of(Document.from_text(text)), year=2022)
    >>> [(f.value.date, f.value.action) for f in found]
    [('2022-06-15', 'báo cáo'), ('2022-02', 'Hoàn thành')]
    """
    found = _deadlines(ctx, year, year)
    if year is None and found:
        years = Counter(int(item.value.date[:4]) for item in found)
        found = _deadlines(ctx, years.most_common(1)[0][0], None)
    # A timetable's due-date column holds dates that no cue word announces.
    taken = {item.spans[0] for item in found}
    extra = [f for f in column_deadlines(ctx, year=year) if f.spans[0] not in taken]
    return sorted([*found, *extra], key=lambda item: item.spans[0]) if extra else found


@dataclass(frozen=True, slots=True)
class _Headings:
    """The titled sections of a document, for finding the one around an offset."""

    starts: list[int]
    sections: list[tuple[int, str]]

    @classmethod
    def of(cls, ctx: Context) -> _Headings:
        """Index ``ctx``'s titled sections (document order: parents before children)."""
        titled = [s for s in ctx.sections if s.heading]
        return cls([s.start for s in titled], [(s.end, s.heading or "") for s in titled])

    def around(self, offset: int) -> str:
        """The heading of the innermost titled section holding ``offset``, or ""."""
        index = bisect.bisect_right(self.starts, offset) - 1
        # The innermost holder starts last; look back a bounded number of siblings.
        for end, heading in reversed(self.sections[max(0, index - _HEADING_LOOKBACK) : index + 1]):
            if offset < end:
                return heading
        return ""


def _anniversary(window: DateRange, before: str, cues: _Cues) -> bool:
    """A commemoration "(03/02/1930 - 03/02/2023)", not a time window."""
    start, end = window.start, window.end
    if start is not None and end is not None and len(start.iso) == len(end.iso) == 10:
        same_day = start.iso[4:] == end.iso[4:]
        if same_day and start.iso[:4] != end.iso[:4]:
            return True
    return cues.commemoration.search(before) is not None


def _period_rank(headings: _Headings, block: _Block, window: DateRange, cues: _Cues) -> int | None:
    """How surely ``window`` is the campaign period (lower is surer), or None."""
    start = window.span[0]
    body = block.text
    before = body[max(0, start - _CUE_REACH) : start]
    if _anniversary(window, before, cues) or cues.citation.search(before):
        return None
    line_start = _line_start(body, start)
    sentence = block.sentence_of(start)
    year_span = window.kind == "year_span"
    if year_span and not cues.title_span.search(before[-20:]):
        labelled = cues.label.search(body[line_start:start])
        return 0 if labelled else None
    if cues.label.search(body[line_start:start]):
        return 0
    if cues.heading.search(headings.around(block.start + start)):
        return 1
    if window.start is None or year_span:
        return None
    if cues.campaign.search(body[sentence[0] : sentence[1]]):
        return 2
    return None


def _title_period(ctx: Context, cues: _Cues) -> Found[Period] | None:
    """A "giai đoạn 2021-2025" of the document's own title (not of a quoted name)."""
    for block in _blocks(ctx, "title"):
        if cues.foreign_title.search(block.text):
            return None
        quoted = [match.span() for match in _QUOTED.finditer(block.text)]
        for window in find_all(block.text)[1]:
            start, end = window.span
            if window.kind != "year_span" or _inside(quoted, start, end):
                continue
            if not cues.title_span.search(block.text[max(0, start - 20) : start]):
                continue
            return _period(window, block.start)
    return None


def _period(window: DateRange, offset: int) -> Found[Period]:
    value = Period(
        start=window.start.iso if window.start else None,
        end=window.end.iso if window.end else None,
    )
    return Found(value, ((offset + window.span[0], offset + window.span[1]),))


def extract_period(ctx: Context, *, year: int | None) -> Found[Period] | None:
    """The campaign's overall time window, when the document states one.

    >>> from extractor.document import Document
    >>> text = ("KẾ HOẠCH\\nvề X\\nI. NỘI DUNG\\n"
    ...     "- Thời gian: bắt đầu từ tháng 4 đến tháng 11/2022.")
    >>> extract_period(Context.of(Document.from_text(text)), year=2022).value
    Period(start='2022-04', end='2022-11')
    """
    cues = _cues()
    headings = _Headings.of(ctx)
    best: tuple[int, int, Found[Period]] | None = None
    for block, _, windows in _dated_blocks(ctx, ("body",), year):
        for window in windows:
            rank = _period_rank(headings, block, window, cues)
            if rank is None:
                continue
            position = block.start + window.span[0]
            if best is None or (rank, position) < best[:2]:
                best = (rank, position, _period(window, block.start))
    if best is not None:
        return best[2]
    return _title_period(ctx, cues)
