"""Zones: header, title block, body, closing (Nơi nhận + signature), annex.

Every non-blank line gets a zone. The rules follow how directives are laid
out (Hướng dẫn 36-HD/VPTW for party documents, Nghị định 30/2020/NĐ-CP for
state ones): a header of issuing body, motto, number and place-date; the type
word and the trích yếu; the body; the closing; then annexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import regex

from extractor.structure.lines import (
    Line,
    doc_type_prefix,
    headline_prefix,
    is_doc_type_line,
    is_upper,
    line_patterns,
    looks_like_person_name,
    rule_role,
)

Zone = Literal["header", "title", "body", "closing", "annex"]
ZONES: tuple[Zone, ...] = ("header", "title", "body", "closing", "annex")

#: The type word is looked for among the first lines only: "QUYẾT ĐỊNH:" also
#: introduces the articles of a decision, deep in its body.
_TYPE_WORD_WINDOW = 60
#: The trích yếu rarely runs past this many lines.
_MAX_TITLE_LINES = 6
_HEADER_ROLES = frozenset({"motto", "number", "place_date", "noise"})


def assign_zones(lines: Sequence[Line]) -> tuple[Zone, ...]:
    """Give every line a zone.

    >>> from extractor.structure.lines import split_lines
    >>> text = "UBND XÃ A\\nSố: 1/KH-UBND\\nKẾ HOẠCH\\nvề việc X\\nCăn cứ Luật."
    >>> text += "\\nNơi nhận:\\n- Lưu VT."
    >>> assign_zones(split_lines(text))
    ('header', 'header', 'title', 'title', 'body', 'closing', 'closing')
    """
    count = len(lines)
    zones: list[Zone] = ["body"] * count
    closing = _closing_start(lines)
    annex = _annex_start(lines, closing)
    body_end = min(x for x in (closing, annex, count) if x is not None)

    window = lines[: min(_TYPE_WORD_WINDOW, body_end)]
    type_line = next((line.index for line in window if is_doc_type_line(line.text)), None)
    if type_line is None:
        # "KẾ HOẠCH HÀNH ĐỘNG": the type word opens the first title line.
        type_line = next((line.index for line in window if doc_type_prefix(line.text)), None)
    if type_line is not None:
        title_end = _title_end(lines, type_line, body_end)
        for index in range(type_line):
            zones[index] = "header"
        for index in range(type_line, title_end):
            zones[index] = "title"
    elif (headline := _headline(lines[:3], body_end)) is not None:
        # A portal copy opening with its headline: "Thông báo Lịch tiếp công dân …".
        for index in range(headline):
            zones[index] = "header"
        zones[headline] = "title"
    else:
        header_end = _header_end(lines, body_end)
        for index in range(header_end):
            zones[index] = "header"
        if header_end and any(rule_role(line.text) == "number" for line in lines[:header_end]):
            # The type word was lost (portal copies) but the trích yếu, in
            # capitals, still follows the header: "CHUYỂN ĐỔI SỐ TỈNH … NĂM 2026".
            index = header_end
            while (
                index < min(body_end, header_end + 3)
                and is_upper(lines[index].text)
                and rule_role(lines[index].text) == "body"
                and not _starts_numbered(lines[index].text)
            ):
                zones[index] = "title"
                index += 1
        # A letter (công văn): the "V/v" subject sits inside the header columns.
        patterns = line_patterns()
        for index in range(min(header_end + 1, body_end)):
            if patterns.subject_line.match(lines[index].text.strip()):
                zones[index] = "title"
                follow = index + 1
                while (
                    follow < body_end
                    and follow - index < _MAX_TITLE_LINES
                    and rule_role(lines[follow].text) == "body"
                    and not is_upper(lines[follow].text)
                    and not patterns.title_stop.match(lines[follow].text.strip())
                ):
                    zones[follow] = "title"
                    follow += 1
                break
    if closing is not None:
        for index in range(closing, annex if annex is not None else count):
            zones[index] = "closing"
    if annex is not None:
        for index in range(annex, count):
            zones[index] = "annex"
    return tuple(zones)


def _headline(lines: Sequence[Line], limit: int) -> int | None:
    """The index of a headline that opens with a type word in sentence case, if any."""
    for line in lines[:limit]:
        text = line.text.strip()
        if headline_prefix(text) and len(text) <= 250 and not text.endswith((":", ".")):
            return line.index
    return None


def _closing_start(lines: Sequence[Line]) -> int | None:
    """The closing opens at "Nơi nhận", or at a signer authority in the second half.

    "Nơi nhận" is taken wherever it stands: a decision that carries its own
    regulation closes early and the regulation follows as an annex.
    """
    patterns = line_patterns()
    authority = patterns.signer_authority.match
    receiver = patterns.closing_start.match
    half = len(lines) // 2
    # Only the first of each counts, and the earlier of the two: the search
    # for "Nơi nhận" can stop at the first authority (line i is lines[i]).
    first_authority = next(
        (line.index for line in lines[half:] if authority(line.text.strip())), None
    )
    stop = len(lines) if first_authority is None else first_authority
    first_receiver = next(
        (line.index for line in lines[1:stop] if receiver(line.text.strip())), None
    )
    if first_receiver is not None:
        return first_receiver
    return first_authority


def _annex_start(lines: Sequence[Line], closing: int | None) -> int | None:
    """The first annex line after the closing, if any.

    An annex announces itself ("PHỤ LỤC", "(Kèm theo …)", a new type word),
    or simply follows the signer's name.
    """
    if closing is None:
        return None
    patterns = line_patterns()
    signed = False
    for line in lines[closing + 1 :]:
        text = line.text.strip()
        if patterns.annex_start.match(text) or is_doc_type_line(text):
            return line.index
        role = rule_role(text)
        if signed and role != "signer_authority" and not text.startswith(("-", "+", "•")):
            return line.index
        if role == "signer_authority":
            signed = False
        elif looks_like_person_name(text) and any(
            rule_role(previous.text) == "signer_authority" or is_upper(previous.text)
            for previous in lines[max(closing, line.index - 4) : line.index]
        ):
            signed = True
    return None


def _title_end(lines: Sequence[Line], type_line: int, limit: int) -> int:
    """One past the last line of the trích yếu that follows the type word."""
    patterns = line_patterns()
    index = type_line + 1
    while index < limit and index - type_line <= _MAX_TITLE_LINES:
        text = lines[index].text.strip()
        if patterns.separator.match(text):
            return index + 1
        role = rule_role(text)
        if role not in {"body", "title"} or patterns.title_stop.match(text) or len(text) > 600:
            break
        if _starts_numbered(text):
            break
        # An all-caps line after a sentence-case title, or one naming an
        # enacting authority ("BỘ TRƯỞNG BỘ TÀI CHÍNH"), is not more title.
        if (
            index > type_line + 1
            and is_upper(text)
            and (not is_upper(lines[index - 1].text) or patterns.enacting_authority.match(text))
        ):
            break
        index += 1
    return index


def _header_end(lines: Sequence[Line], limit: int) -> int:
    """Without a type word: the header is the leading run of header-like lines.

    A portal's lead ("Cổng TTĐT … xin đăng toàn văn") may stand before the
    header; then the header runs to the last motto, number or place-date line
    among the first lines.
    """
    window = min(limit, 20)
    anchors = [
        line.index
        for line in lines[:window]
        if rule_role(line.text.strip()) in {"motto", "number", "place_date"}
    ]
    if anchors and anchors[0] > 0:
        return anchors[-1] + 1
    index = 0
    last_header = 0
    while index < min(limit, 20):
        text = lines[index].text.strip()
        role = rule_role(text)
        if role in _HEADER_ROLES or (is_upper(text) and len(text) <= 80):
            index += 1
            if role != "noise":
                last_header = index
            continue
        if role == "title":
            index += 1
            continue
        break
    return last_header


_LABEL_LINE = regex.compile(r"^\p{Lu}[\p{Ll} ]{1,30}\s?:\s*\S")


def _starts_numbered(text: str) -> bool:
    """A numbered or bulleted line, or a "Label: …" line, opens the body, never the title."""
    from extractor.structure.sections import match_marker

    return match_marker(text) is not None or bool(_LABEL_LINE.match(text))
