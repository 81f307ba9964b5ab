"""Section slots: what a numbered section is for, read from its heading's cue words.

A slot (purpose, requirements, content, audience, forms, time, reporting,
implementation, other) is named by the first words of a heading: "MỤC ĐÍCH,
YÊU CẦU" is purpose, "2. Đối tượng" audience, "III. TỔ CHỨC THỰC HIỆN"
implementation. The cue words live in ``data/slots.json``; a combined heading
takes the slot of its first part, as the annotation guide says.

These rules are the baseline the trained section-slot classifier is measured
against, so they stay plain: a cue word at the start of the heading, else the
parent's slot, else the data file's default. Nothing is tuned to one document.

>>> from extractor.document import Document
>>> from extractor.fields.context import Context
>>> text = "KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH, YÊU CẦU\\n1. Các cấp ủy quán triệt\\n"
>>> text += "II. TỔ CHỨC THỰC HIỆN"
>>> [(s.id, slot) for s, slot in slot_sections(Context.of(Document.from_text(text)))]
[('I', 'purpose'), ('I.1', 'purpose'), ('II', 'implementation')]
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import cast, get_args

import regex

from extractor.data import compile_pattern, load
from extractor.fields.context import Context
from extractor.record import Slot
from extractor.structure import Section
from extractor.structure.lines import is_upper
from extractor.structure.sections import match_marker

__all__ = [
    "SlottedSection",
    "classify_sections",
    "heading_last_line",
    "section_heading",
    "section_slot",
    "slot_sections",
]

#: Kinds whose title is often printed on the lines after the marker ("Chương I" / "QUY ĐỊNH CHUNG").
_TITLED_KINDS = frozenset({"part", "chapter", "section"})
#: A heading wrapped onto a second line is short on both lines; longer lines are list items.
_MAX_WRAPPED_PART = 80
_MAX_TITLE_LINES = 3
_TERMINAL = (".", ";", "!", "?")


@dataclass(frozen=True, slots=True)
class _SlotRules:
    lead: regex.Pattern[str]
    cues: tuple[tuple[Slot, regex.Pattern[str]], ...]
    default: Slot


def _as_slot(name: str) -> Slot:
    if name not in get_args(Slot):
        raise ValueError(f"data/slots.json names an unknown slot {name!r}")
    return cast(Slot, name)


@functools.cache
def _rules() -> _SlotRules:
    data = load("slots")
    cues = tuple((_as_slot(entry["slot"]), compile_pattern(entry)) for entry in data["cues"])
    return _SlotRules(
        lead=compile_pattern(data["lead"]),
        cues=cues,
        default=_as_slot(data["default_slot"]["slot"]),
    )


def section_slot(heading: str | None) -> Slot | None:
    """The slot a heading's cue words name, or None when it names none.

    The heading is folded (NFC, case, spacing), its lead ("về", stray
    numbering) dropped, and the cues of ``data/slots.json`` tried in order at
    its start, so a combined heading takes the slot of its first part. No cue
    word holds a vowel pair whose tone placement varies ("hoá"/"hóa"), so the
    fold need not run the full normalizer: this is called once per section.

    >>> section_slot("MỤC ĐÍCH, YÊU CẦU"), section_slot("2. Về đối tượng, hình thức")
    ('purpose', 'audience')
    >>> section_slot("Các huyện ủy, thành ủy") is None, section_slot(None) is None
    (True, True)
    """
    if not heading:
        return None
    return _heading_slot(heading)


@functools.lru_cache(maxsize=8192)
def _heading_slot(heading: str) -> Slot | None:
    # Cached: headings recur across documents ("MỤC ĐÍCH, YÊU CẦU", "Phạm vi
    # điều chỉnh"); a pure function of an immutable string.
    rules = _rules()
    key = " ".join(unicodedata.normalize("NFC", heading).casefold().split())
    lead = rules.lead.match(key)
    position = lead.end() if lead else 0
    joined = _joined_cues()
    if joined is not None:
        found = joined[0].match(key, position)
        if found is None:
            return None
        spans = found.regs
        return next(slot for group, slot in joined[1] if spans[group][0] >= 0)
    for slot, pattern in rules.cues:
        if pattern.match(key, position):
            return slot
    return None


@functools.cache
def _joined_cues() -> tuple[regex.Pattern[str], tuple[tuple[int, Slot], ...]] | None:
    """The cues as one alternation, in order, with the group that opens each branch.

    Matching at one position, an alternation takes its first branch that
    matches, as trying the cues one after the other does: one call instead
    of nine. None when the cues' flags differ (they are then tried singly).
    """
    cues = _rules().cues
    if len({pattern.flags for _, pattern in cues}) != 1:
        return None
    joined = regex.compile(
        "|".join(
            f"(?:(?P<cue{index}>){pattern.pattern})" for index, (_, pattern) in enumerate(cues)
        ),
        cues[0][1].flags,
    )
    return joined, tuple(
        (joined.groupindex[f"cue{index}"], slot) for index, (slot, _) in enumerate(cues)
    )


def section_heading(ctx: Context, section: Section) -> str | None:
    """The section's heading, recovering two layouts the section tree leaves headless.

    "Điều 1. Phạm vi," wrapped onto "đối tượng điều chỉnh" (hard-wrapped
    text), and "Chương I" whose title is printed on the next capitalised lines.

    >>> from extractor.document import Document
    >>> text = "QUY CHẾ\\nvề X\\nChương I\\nQUY ĐỊNH CHUNG\\nĐiều 1. Phạm vi,\\nđối tượng\\nx"
    >>> ctx = Context.of(Document.from_text(text))
    >>> [section_heading(ctx, s) for s in ctx.sections]
    ['QUY ĐỊNH CHUNG', 'Phạm vi, đối tượng']
    """
    return _heading_and_last_line(ctx, section)[0]


def heading_last_line(ctx: Context, section: Section) -> int:
    """The index of the last line the section's heading is printed on.

    >>> from extractor.document import Document
    >>> text = "QUY CHẾ\\nvề X\\nĐiều 1. Phạm vi,\\nđối tượng\\nCán bộ."
    >>> ctx = Context.of(Document.from_text(text))
    >>> heading_last_line(ctx, ctx.sections[0])
    3
    """
    return _heading_and_last_line(ctx, section)[1]


def _heading_and_last_line(ctx: Context, section: Section) -> tuple[str | None, int]:
    lines = ctx.structure.lines
    own = lines[section.line].text
    if section.heading is not None:
        # The section tree joins an all-caps heading wrapped onto a second line.
        wrapped = section.heading not in own and section.line + 1 < len(lines)
        return section.heading, section.line + int(wrapped)
    marker = match_marker(own)
    rest = own[marker[2] :].strip() if marker else ""
    titled = not rest and section.kind in _TITLED_KINDS
    if not titled and not rest.endswith(","):
        # Neither a title on the next lines nor a heading wrapped onto them:
        # most numbered items, so their next lines are not read.
        if rest and section.kind == "article":
            return rest.rstrip(":. ") or None, section.line
        return None, section.line
    following = [
        line.text.strip()
        for line in lines[section.line + 1 : section.line + 1 + _MAX_TITLE_LINES]
        if line.start < section.end
    ]
    if titled:
        title: list[str] = []
        for text in following:
            if not is_upper(text) or match_marker(text) is not None:
                break
            title.append(text)
        return " ".join(title).rstrip(":. ") or None, section.line + len(title)
    if (
        rest.endswith(",")
        and len(rest) <= _MAX_WRAPPED_PART
        and following
        and len(following[0]) <= _MAX_WRAPPED_PART
        and following[0][:1].islower()
        and not following[0].endswith(_TERMINAL)
        and match_marker(following[0]) is None
    ):
        return f"{rest} {following[0]}".rstrip(":. "), section.line + 1
    if rest and section.kind == "article":
        # "Điều 1. Sửa đổi, bổ sung … như sau:" is the article's title however long it is.
        return rest.rstrip(":. ") or None, section.line
    return None, section.line


@dataclass(frozen=True, slots=True)
class SlottedSection:
    """A numbered section with its recovered heading, its own cue and its slot."""

    section: Section
    heading: str | None
    heading_last_line: int
    cue: Slot | None
    slot: Slot | None


def classify_sections(ctx: Context) -> list[SlottedSection]:
    """Every numbered section of ``ctx`` (as in ``ctx.sections``) with its slot.

    A heading's cue decides; a headed section without a cue takes its
    parent's slot (the items under "IV. TỔ CHỨC THỰC HIỆN" are
    implementation), else the default slot; a numbered item without a
    heading gets None. When some siblings name their own slots, an uncued
    sibling is a topic of its own and takes the default, not the parent's.

    >>> from extractor.document import Document
    >>> text = "KẾ HOẠCH\\nvề X\\nII. NỘI DUNG\\n1. Đối tượng\\n2. Tổ chức các hội nghị\\n"
    >>> text += "III. NHIỆM VỤ"
    >>> ctx = Context.of(Document.from_text(text))
    >>> [(s.section.id, s.cue, s.slot) for s in classify_sections(ctx)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('II', 'content', 'content'), ('II.1', 'audience', 'audience'), ('II.2', None, 'content'),
     ('III', None, 'content')]
    """
    return ctx.memo("slots", lambda: _classify_sections(ctx))


def _classify_sections(ctx: Context) -> list[SlottedSection]:
    default = _rules().default
    result: list[SlottedSection] = []

    def visit(siblings: tuple[Section, ...], inherited: Slot | None) -> None:
        recovered: list[tuple[str | None, int, Slot | None]] = []
        cued = False
        for section in siblings:
            if section.kind == "bullet":
                recovered.append((None, section.line, None))
                continue
            heading, last_line = _heading_and_last_line(ctx, section)
            cue = section_slot(heading)
            cued = cued or cue is not None
            recovered.append((heading, last_line, cue))
        if cued:
            # Siblings split by their own cues ("1. Đối tượng", "2. Hình thức",
            # "3. Công tác chuẩn bị"): an uncued one is a topic of its own, not
            # a part of the parent's first slot.
            inherited = None
        for section, (heading, last_line, cue) in zip(siblings, recovered, strict=True):
            if section.kind == "bullet":
                # A bullet is a list item, not a section: it neither gets nor sets a slot.
                if section.children:
                    visit(section.children, inherited)
                continue
            slot = cue
            if slot is None and heading is not None:
                # An article ("Điều 3. …") is titled in full: it does not take its chapter's slot.
                slot = default if section.kind == "article" else inherited or default
            result.append(SlottedSection(section, heading, last_line, cue, slot))
            if section.children:
                visit(section.children, slot)

    visit(ctx.structure.sections, None)
    return result


def slot_sections(ctx: Context) -> list[tuple[Section, Slot | None]]:
    """Every numbered section of ``ctx`` (as in ``ctx.sections``) with its slot.

    >>> from extractor.document import Document
    >>> text = "KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\n1. Nâng cao nhận thức\\n"
    >>> text += "II. THỜI GIAN\\n1. Từ tháng 3 đến tháng 5;"
    >>> [(s.id, slot) for s, slot in slot_sections(Context.of(Document.from_text(text)))]
    [('I', 'purpose'), ('I.1', 'purpose'), ('II', 'time'), ('II.1', None)]
    """
    return [(item.section, item.slot) for item in classify_sections(ctx)]
