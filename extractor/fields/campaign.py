"""Campaign fields: the theme(s), the audience and the forms of organisation.

- ``themes``: the quoted slogan after "chủ đề" ("với chủ đề “Tự soi, tự
  sửa”"), an unquoted "Chủ đề năm 2023: …" line, or the line under a section
  headed "Chủ đề". One item per distinct theme, the text inside the quotes.
- ``audience``: the statements of sections whose heading names the audience
  slot ("Đối tượng", "Thành phần", "Phạm vi, đối tượng"), or an inline
  "Đối tượng: …" line. One item per paragraph or list item.
- ``forms``: the forms of organisation of sections headed "Hình thức …":
  one item per sub-item, list item or paragraph, or an inline "Hình thức: …".

Values are copied from the normalized text. A statement wrapped over several
lines is its lines joined with one space, with one span per line, so
``" ".join(ctx.text[s:e] for s, e in found.spans) == found.value`` always
holds. Patterns live in ``data/campaign.json``, slot cues in
``data/slots.json``.

>>> from extractor.document import Document
>>> text = "KẾ HOẠCH\\nsinh hoạt chính trị với chủ đề “Tự soi, tự sửa”\\n"
>>> text += "1. Đối tượng\\nCán bộ, đảng viên."
>>> ctx = Context.of(Document.from_text(text))
>>> [t.value for t in extract_themes(ctx)], [a.value for a in extract_audience(ctx)]
(['Tự soi, tự sửa'], ['Cán bộ, đảng viên.'])
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context, Found, Span
from extractor.fields.slots import SlottedSection, classify_sections, section_slot
from extractor.record import Slot
from extractor.structure import Line, Section, Zone
from extractor.structure.sections import match_marker

__all__ = ["extract_audience", "extract_forms", "extract_themes"]

#: A paragraph wrapped over more lines than this is not one statement.
_MAX_PARAGRAPH_LINES = 40
#: The line under a "Chủ đề" heading longer than this is prose, not a slogan.
_MAX_THEME_LINE = 150
#: A list item this short that ends without punctuation is a caption over its sub-items.
_MAX_CAPTION = 60
_SENTENCE_END = (".", ";", "!", "?", "…")
_THEME_ZONES: tuple[Zone, ...] = ("title", "body")
_THEME_TRAILING = ".;,:"
# "Label: rest" at the start of a list item; the label is as short as the
# section tree's heading-before-colon rule allows.
_LABEL = regex.compile(r"(?P<label>[^:\n]{2,80}?)\s{0,3}:\s{0,3}(?=\S)")
_QUOTE = (
    r"[“\"](?P<value>[^\n“”\"]{1,200})[”\"]"
    r"|‘(?P<value>[^\n‘’]{1,200})’"
    r"|«(?P<value>[^\n«»]{1,200})»"
)
_QUOTED = regex.compile(_QUOTE)
_LISTED_QUOTE = regex.compile(r"\s{0,3}(?:[,;]\s{0,3}(?:và\s{1,3})?|và\s{1,3})(?:" + _QUOTE + ")")
_MAX_LISTED_THEMES = 10
_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class _Patterns:
    theme_quoted: regex.Pattern[str]
    theme_unquoted: regex.Pattern[str]
    theme_heading: regex.Pattern[str]
    audience_inline: regex.Pattern[str]
    scope_statement: regex.Pattern[str]
    forms_inline: regex.Pattern[str]
    #: Searched in the lowercased text: every match of the patterns above holds one.
    theme_cues: tuple[regex.Pattern[str], ...]
    audience_cues: tuple[regex.Pattern[str], ...]
    forms_cues: tuple[regex.Pattern[str], ...]


@functools.cache
def _patterns() -> _Patterns:
    data = load("campaign")
    return _Patterns(
        theme_quoted=compile_pattern(data["themes"]["quoted"]),
        theme_unquoted=compile_pattern(data["themes"]["unquoted"]),
        theme_heading=compile_pattern(data["themes"]["heading"]),
        audience_inline=compile_pattern(data["audience"]["inline"]),
        scope_statement=compile_pattern(data["audience"]["scope_statement"]),
        forms_inline=compile_pattern(data["forms"]["inline"]),
        theme_cues=tuple(compile_pattern(entry) for entry in data["themes"]["cues"]),
        audience_cues=tuple(compile_pattern(entry) for entry in data["audience"]["inline_cues"]),
        forms_cues=tuple(compile_pattern(entry) for entry in data["forms"]["inline_cues"]),
    )


@dataclass(frozen=True, slots=True)
class _View:
    """What the helpers below need of one document, computed once per document."""

    ctx: Context
    #: The numbered sections by the index of their line (one marker per line).
    table: dict[int, SlottedSection]
    #: The cues the sections' own headings name.
    cues: frozenset[Slot | None]
    #: The text in lower case, offset for offset; None where lowering changes
    #: the length ("İ" becomes two characters): cue searches then try every line.
    lowered: str | None

    @classmethod
    def of(cls, ctx: Context) -> _View:
        # Themes, audience and forms all read it; nothing in it changes.
        return ctx.memo("campaign_view", lambda: cls._build(ctx))

    @classmethod
    def _build(cls, ctx: Context) -> _View:
        items = classify_sections(ctx)
        lowered = ctx.text.lower()
        return cls(
            ctx,
            {item.section.line: item for item in items},
            frozenset(item.cue for item in items),
            lowered if len(lowered) == len(ctx.text) else None,
        )

    @property
    def text(self) -> str:
        return self.ctx.text

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.ctx.structure.lines

    def in_body(self, index: int) -> bool:
        return self.ctx.structure.zones[index] == "body"

    def slot(self, section: Section) -> Slot | None:
        """The section's slot (None for bullets and headless items)."""
        item = self.table.get(section.line)
        return item.slot if item and section.kind != "bullet" else None

    def cue(self, section: Section) -> Slot | None:
        """The slot the section's own heading names, not one inherited from its parent."""
        item = self.table.get(section.line)
        return item.cue if item and section.kind != "bullet" else None

    def heading_last_line(self, section: Section) -> int:
        """The index of the last line of the section's heading."""
        item = self.table.get(section.line)
        return item.heading_last_line if item and section.kind != "bullet" else section.line

    def line_from(self, offset: int) -> int:
        """The index of the first line starting at or after ``offset``."""
        return bisect.bisect_left(self.lines, offset, key=_line_start)

    def cue_lines(
        self, cues: tuple[regex.Pattern[str], ...], start: int = 0, end: int | None = None
    ) -> list[int]:
        """The indices of the lines between offsets ``start`` and ``end`` that may hold a cue.

        Regex case-insensitivity pairs each letter of a cue with what
        ``str.lower`` gives for it ("İ", the one exception, changes the
        length and so makes every line a candidate): a line whose lowered
        text lacks the cue cannot match a pattern that requires it, and one
        search of the text replaces a match call per line.
        """
        if end is None:
            end = len(self.text)
        if self.lowered is None:
            first = self.line_from(start)
            return [
                index for index in range(first, len(self.lines)) if self.lines[index].start < end
            ]
        found: set[int] = set()
        for cue in cues:
            # One search per cue: a word to find fast, where an alternation of
            # several would be tried at every character.
            for match in cue.finditer(self.lowered, start, end, overlapped=True):
                found.add(bisect.bisect_right(self.lines, match.start(), key=_line_start) - 1)
        found.discard(-1)
        return sorted(found)


def _line_start(line: Line) -> int:
    return line.start


# --- spans and paragraphs ------------------------------------------------------


def _strip(text: str, start: int, end: int, chars: str = "") -> Span:
    """Shrink ``[start, end)`` past surrounding whitespace (and ``chars`` at its end)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def _found(text: str, spans: Iterable[Span]) -> Found[str] | None:
    kept = tuple(span for span in spans if span[0] < span[1])
    if not kept:
        return None
    return Found(" ".join(text[start:end] for start, end in kept), kept)


def _continues(previous: str, text: str) -> bool:
    """Whether ``text`` carries on the paragraph whose last line is ``previous``.

    A line starting in lower case is the rest of a wrapped sentence; so is any
    line after one that stopped on a comma (hard-wrapped lists of names).
    """
    return text[:1].islower() or previous.endswith(",")


def _paragraph(view: _View, index: int, start: int, stop: int) -> Found[str] | None:
    """The paragraph from offset ``start`` on line ``index``, over its wrapped lines.

    It ends before offset ``stop``, at a numbered line, or where a line no
    longer continues the sentence.
    """
    lines = view.lines
    spans = [_strip(view.text, start, lines[index].end)]
    previous = view.text[spans[0][0] : spans[0][1]]
    for following in range(index + 1, min(len(lines), index + _MAX_PARAGRAPH_LINES)):
        line = lines[following]
        text = line.text.strip()
        if (
            line.start >= stop
            or not view.in_body(following)
            or not _continues(previous, text)
            or match_marker(text) is not None
        ):
            break
        spans.append(_strip(view.text, line.start, line.end))
        previous = text
    return _found(view.text, spans)


def _first_child_start(section: Section) -> int:
    return section.children[0].start if section.children else section.end


def _marker_end(view: _View, section: Section) -> int:
    """The offset in the section's line where its numbering (and the space after it) ends."""
    # The section tree kept the marker as printed: finding it is cheaper than
    # running every marker pattern again.
    text = view.lines[section.line].text
    end = text.find(section.marker) + len(section.marker) if section.marker else 0
    while end < len(text) and text[end].isspace():
        end += 1
    return end


def _item_text(view: _View, section: Section) -> Found[str] | None:
    """A numbered or bulleted item's own paragraph, without its marker."""
    start = view.lines[section.line].start + _marker_end(view, section)
    return _paragraph(view, section.line, start, _first_child_start(section))


def _after_label(view: _View, section: Section) -> tuple[Slot | None, Found[str] | None]:
    """For an item "Label: rest", the slot the label names and the rest; else (None, None)."""
    line = view.lines[section.line]
    label = _LABEL.match(line.text, _marker_end(view, section))
    if label is None:
        return None, None
    rest = _paragraph(view, section.line, line.start + label.end(), _first_child_start(section))
    return section_slot(label.group("label")), rest


def _own_paragraphs(view: _View, section: Section) -> list[Found[str]]:
    """The paragraphs of a section's body that lie outside its sub-items."""
    found: list[Found[str]] = []
    children = section.children
    child = 0
    index = view.heading_last_line(section) + 1
    while index < len(view.lines) and view.lines[index].start < section.end:
        line = view.lines[index]
        while child < len(children) and children[child].end <= line.start:
            child += 1
        if child < len(children) and children[child].start <= line.start:
            index = max(index + 1, view.line_from(children[child].end))
            continue
        stop = children[child].start if child < len(children) else section.end
        paragraph = _paragraph(view, index, line.start, stop) if view.in_body(index) else None
        if paragraph is None:
            index += 1
            continue
        found.append(paragraph)
        index = max(index + 1, view.line_from(paragraph.spans[-1][1]))
    return found


def _is_intro(found: Found[str]) -> bool:
    """A lead-in to a list ("… bằng hai hình thức:"), not a statement itself."""
    return found.value.endswith(":")


def _is_caption(found: Found[str]) -> bool:
    """A short caption without a sentence end ("* Khoản 2, Điều 1"), not a statement."""
    return len(found.value) <= _MAX_CAPTION and not found.value.endswith(_SENTENCE_END)


def _fold(value: str) -> str:
    # Values are slices of the normalized text, whose tone placement is
    # already canonical: case and spacing are all that is left to fold.
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _dedupe(items: Iterable[Found[str]]) -> list[Found[str]]:
    """One item per distinct value (folded), in document order, kept where first stated."""
    by_key: dict[str, Found[str]] = {}
    for item in sorted(items, key=lambda found: found.spans[0]):
        by_key.setdefault(_fold(item.value), item)
    # A value without a letter is a blank to fill in ("Đối tượng: ………"), not a statement.
    return [item for key, item in by_key.items() if _LETTER.search(key)]


def _sections_with_cue(view: _View, slot: Slot) -> list[Section]:
    """The outermost sections whose own heading names ``slot``, in document order."""
    found: list[Section] = []
    if slot not in view.cues:
        return found  # no heading names it: most documents, for each slot

    def visit(sections: tuple[Section, ...]) -> None:
        for section in sections:
            if view.cue(section) == slot:
                found.append(section)
            else:
                visit(section.children)

    visit(view.ctx.structure.sections)
    return found


def _inline_lines(
    view: _View,
    pattern: regex.Pattern[str],
    cues: tuple[regex.Pattern[str], ...],
    slot: Slot,
    skip: list[Section],
) -> Iterator[Found[str]]:
    """Body lines "Label: value" whose label names ``slot``, outside the ``skip`` sections.

    A label with nothing after its colon ("Thành phần:") leads in to the
    bullets under it: each is a statement. Only the lines holding one of
    ``cues`` (every match of ``pattern`` holds one) are tried.
    """
    skipped = 0
    for index in view.cue_lines(cues):
        line = view.lines[index]
        while skipped < len(skip) and skip[skipped].end <= line.start:
            skipped += 1
        if skipped < len(skip) and skip[skipped].start <= line.start:
            continue
        found = pattern.match(line.text) if view.in_body(index) else None
        if found is None or section_slot(found.group("label")) != slot:
            continue
        if found.group("value"):
            paragraph = _paragraph(view, index, line.start + found.start("value"), len(view.text))
            if paragraph is not None:
                yield paragraph
        else:
            yield from _bullets_after(view, index)


def _bullets_after(view: _View, index: int) -> Iterator[Found[str]]:
    """The bullet items on the lines after line ``index``, up to the first other line."""
    following = index + 1
    while following < len(view.lines) and view.in_body(following):
        line = view.lines[following]
        marker = match_marker(line.text)
        if marker is None or marker[0] != "bullet":
            return
        paragraph = _paragraph(view, following, line.start + marker[2], len(view.text))
        if paragraph is None:
            return
        yield paragraph
        following = max(following + 1, view.line_from(paragraph.spans[-1][1]))


# --- themes --------------------------------------------------------------------


def extract_themes(ctx: Context) -> list[Found[str]]:
    """The campaign's theme slogan(s): the quoted text after "chủ đề", one per distinct theme.

    >>> from extractor.document import Document
    >>> text = "HƯỚNG DẪN\\nsinh hoạt chính trị với chủ đề “Giữ trọn lời thề đảng viên”\\n"
    >>> text += "II. NỘI DUNG\\n1. Chủ đề: “Giữ trọn lời thề đảng viên”\\n"
    >>> text += "Tọa đàm về chủ đề xây dựng Đảng."
    >>> [t.value for t in extract_themes(Context.of(Document.from_text(text)))]
    ['Giữ trọn lời thề đảng viên']
    """
    patterns = _patterns()
    view = _View.of(ctx)
    offset, text = ctx.zone_text(*_THEME_ZONES)
    # Both the quoted and the unquoted theme hold the cue ("chủ đề"): few
    # texts do, and only the lines that hold it can give an unquoted one.
    cued = view.cue_lines(patterns.theme_cues, offset, offset + len(text)) if text else []
    spans: list[Span] = []
    for match in patterns.theme_quoted.finditer(text) if cued else ():
        start, end = match.span("value")
        spans.append((offset + start, offset + end))
        # "các chủ đề: “A”, “B” và “C”": the quotes listed after the first are themes too.
        position = match.end()
        for _ in range(_MAX_LISTED_THEMES):
            listed = _LISTED_QUOTE.match(text, position)
            if listed is None:
                break
            start, end = listed.span("value")
            spans.append((offset + start, offset + end))
            position = listed.end()
    zones = ctx.structure.zones
    for line in (view.lines[index] for index in cued if zones[index] in _THEME_ZONES):
        unquoted = patterns.theme_unquoted.match(line.text)
        if unquoted:
            start, end = unquoted.span("value")
            spans.append((line.start + start, line.start + end))
    found = [item for start, end in _distinct(ctx.text, spans) for item in _theme(ctx, start, end)]
    for item in view.table.values():
        if item.heading and patterns.theme_heading.match(item.heading):
            found.extend(_theme_below(view, item.section))
    return _dedupe(found)


def _distinct(text: str, spans: list[Span]) -> list[Span]:
    """The first span of each distinct raw slice: a slogan repeated a hundred times is read once."""
    seen: set[str] = set()
    kept: list[Span] = []
    for start, end in sorted(spans):
        if text[start:end] not in seen:
            seen.add(text[start:end])
            kept.append((start, end))
    return kept


def _theme(ctx: Context, start: int, end: int) -> list[Found[str]]:
    """The theme in ``[start, end)``, one span per line when a title wraps inside the quotes."""
    start, end = _strip(ctx.text, start, end, _THEME_TRAILING)
    pieces: list[Span] = []
    while start < end:
        newline = ctx.text.find("\n", start, end)
        stop = end if newline < 0 else newline
        pieces.append(_strip(ctx.text, start, stop))
        start = stop + 1
    found = _found(ctx.text, pieces)
    return [found] if found else []


def _theme_below(view: _View, section: Section) -> list[Found[str]]:
    """The theme printed on the line under a "Chủ đề" heading."""
    _, inline = _after_label(view, section)
    index = view.heading_last_line(section) + 1
    if inline is not None or section.children or index >= len(view.lines):
        return []
    line = view.lines[index]
    if line.start >= section.end:
        return []
    quoted = [match.span("value") for match in _QUOTED.finditer(line.text)]
    if quoted:
        return [
            item
            for start, end in quoted
            for item in _theme(view.ctx, line.start + start, line.start + end)
        ]
    stripped = line.text.strip()
    if len(stripped) > _MAX_THEME_LINE or stripped.endswith(":"):
        return []
    return _theme(view.ctx, line.start, line.end)


# --- audience ------------------------------------------------------------------


def extract_audience(ctx: Context) -> list[Found[str]]:
    """Who the document targets: one statement per paragraph or list item.

    >>> from extractor.document import Document
    >>> text = "II. ĐỐI TƯỢNG, HÌNH THỨC\\n1. Đối tượng\\n- Cán bộ, đảng viên;\\n- Đoàn viên.\\n"
    >>> text += "2. Hình thức\\n- Hội nghị trực tuyến."
    >>> [a.value for a in extract_audience(Context.of(Document.from_text(text)))]
    ['Cán bộ, đảng viên;', 'Đoàn viên.']
    """
    view = _View.of(ctx)
    sections = _sections_with_cue(view, "audience")
    items = [item for section in sections for item in _audience_of(view, section)]
    patterns = _patterns()
    items.extend(
        _inline_lines(view, patterns.audience_inline, patterns.audience_cues, "audience", sections)
    )
    return _dedupe(items)


def _audience_of(view: _View, section: Section) -> list[Found[str]]:
    """The statements of an audience section, without lead-ins.

    In a "Phạm vi, đối tượng" section the sentence "Quy chế này quy định về …"
    states the scope, not the audience: it is dropped when the section states
    the audience elsewhere, and kept when it is all the section says.
    """
    items: list[Found[str]] = []
    _, inline = _after_label(view, section)
    if inline is not None:
        items.append(inline)
    items.extend(_own_paragraphs(view, section))
    for child in section.children:
        if child.kind == "bullet":
            items.extend(_list_item(view, child))
        elif view.cue(child) == "audience":
            items.extend(_audience_of(view, child))
        elif view.slot(child) in ("audience", None):
            # A plain item of the list ("2. Chủ tịch, Phó Chủ tịch …"), not a sub-topic.
            items.extend(_list_item(view, child))
    statements = [item for item in items if not _is_intro(item)]
    scope = _patterns().scope_statement
    return [item for item in statements if not scope.match(item.value)] or statements


def _list_item(view: _View, section: Section) -> list[Found[str]]:
    """A list item's statement; a lead-in to sub-items gives the sub-items instead.

    A lead-in ends with ":" ("- Đối với cấp tỉnh:"), or is a short caption
    without a sentence end ("* Khoản 2, Điều 1") over its own sub-items.
    """
    own = _item_text(view, section)
    if own is not None and section.children and (_is_intro(own) or _is_caption(own)):
        return [item for child in section.children for item in _list_item(view, child)]
    return [own] if own is not None else []


# --- forms -----------------------------------------------------------------------


def extract_forms(ctx: Context) -> list[Found[str]]:
    """The forms of organisation: one item per sub-item, list item or paragraph of "Hình thức".

    >>> from extractor.document import Document
    >>> text = "3. Hình thức tổ chức\\n3.1. Tổ chức hội nghị kiểm điểm\\n- Cấp ủy chỉ đạo.\\n"
    >>> text += "3.2. Tổ chức hội thảo, tọa đàm\\n4. Thời gian: tháng 5"
    >>> [f.value for f in extract_forms(Context.of(Document.from_text(text)))]
    ['Tổ chức hội nghị kiểm điểm', 'Tổ chức hội thảo, tọa đàm']
    """
    view = _View.of(ctx)
    sections = _sections_with_cue(view, "forms")
    items = [item for section in sections for item in _forms_of(view, section)]
    patterns = _patterns()
    items.extend(_inline_lines(view, patterns.forms_inline, patterns.forms_cues, "forms", sections))
    return _dedupe(items)


def _forms_of(view: _View, section: Section) -> list[Found[str]]:
    """The forms a "Hình thức" section lists.

    Sub-items name one form each ("3.1. Tổ chức các hội nghị kiểm điểm"; the
    bullets under them detail it); without sub-items, each first-level bullet
    is a form; without bullets, each paragraph that is not a lead-in.
    """
    items: list[Found[str]] = []
    _, inline = _after_label(view, section)
    if inline is not None:
        items.append(inline)
    parts: list[Found[str]] = []
    for child in section.children:
        if child.kind == "bullet":
            continue
        if view.cue(child) == "forms":
            parts.extend(_forms_of(view, child))
        elif view.slot(child) in ("forms", None):
            own = _item_text(view, child)
            if own is not None:
                parts.append(own)
    if parts:
        return items + parts
    bullets = [child for child in section.children if child.kind == "bullet"]
    if not bullets:
        return items + [found for found in _own_paragraphs(view, section) if not _is_intro(found)]
    for bullet in bullets:
        label_slot, rest = _after_label(view, bullet)
        if label_slot == "forms" and rest is not None:
            items.append(rest)
        elif label_slot is None:
            # The bullet itself is the form, even when it leads in to details.
            own = _item_text(view, bullet)
            if own is not None:
                items.append(own)
        # A bullet labelled with another slot ("- Thời gian: …") is not a form.
    return items
