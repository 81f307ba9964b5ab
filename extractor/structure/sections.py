"""The section tree, built from the numbering of body lines.

Marker families (``data/structure.json`` "headings"): part, chapter, section,
article (Điều), roman (``I.``/``I-``), arabic (``1.``, ``1.1.``), letter
(``a)``), bullet (``-``, ``+``, ``*``). Nesting follows the order in which the
families first appear, the way a reader infers it: a family seen before closes
back to its level; a new family opens a deeper level.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import regex

from extractor.data import load
from extractor.structure.lines import Line, is_upper

#: A numbered line longer than this is a list item, not a heading.
_MAX_HEADING_CHARS = 160
_HEADING_BEFORE_COLON = regex.compile(r"^(?P<head>[^:\n]{2,80}?)\s*:\s*\S")


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the body, from its marker line to the next sibling."""

    id: str
    kind: str
    marker: str
    level: int
    heading: str | None
    start: int
    end: int
    line: int
    children: tuple[Section, ...] = field(default=())

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@functools.cache
def _markers() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple(
        (entry["kind"], regex.compile(entry["pattern"]))
        for entry in load("structure")["headings"]["markers"]
    )


@functools.cache
def _any_marker() -> regex.Pattern[str] | None:
    """All marker patterns as one alternation, in order, or None when they cannot be joined.

    Matching at the line start, an alternation takes its first branch that
    matches, just as trying the patterns one after the other does; one call
    instead of eight for the many lines without a marker. An empty group
    ``k<i>`` opens branch ``i`` to tell which matched. Patterns with flags
    of their own are not joined.
    """
    markers = _markers()
    plain = regex.compile("").flags
    if any(pattern.flags != plain for _, pattern in markers):
        return None
    return regex.compile(
        "|".join(
            f"(?:(?P<k{index}>){pattern.pattern})" for index, (_, pattern) in enumerate(markers)
        )
    )


@functools.cache
def _branch_groups(joined: regex.Pattern[str]) -> tuple[tuple[int, str], ...]:
    """(group number of ``k<i>``, kind) of each branch of :func:`_any_marker`, in order."""
    return tuple(
        (joined.groupindex[f"k{index}"], kind) for index, (kind, _) in enumerate(_markers())
    )


@functools.lru_cache(maxsize=16384)
def match_marker(text: str) -> tuple[str, str, int] | None:
    """``(kind, number, marker_length)`` of a line's numbering, if it has one.

    >>> match_marker("1.1. Quán triệt quan điểm")
    ('arabic', '1.1', 5)
    >>> match_marker("II- MỤC ĐÍCH") , match_marker("Trong năm 2022")
    (('roman', 'II', 4), None)
    """
    stripped = text.lstrip()
    joined = _any_marker()
    if joined is not None:
        found = joined.match(stripped)
        if found is None:
            return None
        # Which branch matched: the first whose empty ``k<i>`` group took part.
        spans = found.regs
        for group, kind in _branch_groups(joined):
            if spans[group][0] >= 0:
                return kind, found.group("num"), len(text) - len(stripped) + found.end()
    for kind, pattern in _markers():
        found = pattern.match(stripped)
        if found:
            return kind, found.group("num"), len(text) - len(stripped) + found.end()
    return None


def heading_of(kind: str, rest: str) -> str | None:
    """The heading words of a numbered line, or None for a plain list item.

    >>> heading_of("arabic", "Chế độ báo cáo: Sau mỗi đợt …")
    'Chế độ báo cáo'
    >>> heading_of("roman", "MỤC ĐÍCH, YÊU CẦU") , heading_of("bullet", "Lưu VT.")
    ('MỤC ĐÍCH, YÊU CẦU', None)
    """
    if kind == "bullet":
        return None
    rest = rest.strip()
    # The pattern needs a colon: most lines have none, and skip the regex call.
    head = _HEADING_BEFORE_COLON.match(rest) if ":" in rest else None
    if head:
        return head.group("head").strip()
    if len(rest) <= _MAX_HEADING_CHARS and not rest.endswith((";", ",")):
        return rest.rstrip(":. ").strip() or None
    return None


@dataclass(slots=True)
class _Node:
    kind: str
    style: str
    number: str
    marker: str
    heading: str | None
    start: int
    line: int
    children: list[_Node] = field(default_factory=list)
    end: int = 0


def build_sections(lines: Sequence[Line], end: int) -> tuple[Section, ...]:
    """The section tree of ``lines`` (the body's), sections ending by ``end`` at the latest.

    >>> from extractor.structure.lines import split_lines
    >>> text = "I. MỤC ĐÍCH\\n1. Mục đích\\n- a\\n2. Yêu cầu\\nII. NỘI DUNG"
    >>> tree = build_sections(split_lines(text), len(text))
    >>> [(s.id, s.heading) for root in tree for s in root.walk()]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('I', 'MỤC ĐÍCH'), ('I.1', 'Mục đích'), ('I.1.-1', None), ('I.2', 'Yêu cầu'),
     ('II', 'NỘI DUNG')]
    """
    roots: list[_Node] = []
    stack: list[_Node] = []
    styles: list[str] = []  # the style of each open node, kept in step with ``stack``
    last = len(lines) - 1
    for position, line in enumerate(lines):
        text = line.text
        found = match_marker(text)
        if found is None:
            continue
        kind, number, length = found
        heading = heading_of(kind, text[length:])
        if heading and position < last:
            following = lines[position + 1].text
            if _continues_heading(heading, following):
                # An all-caps heading wrapped onto a second line.
                heading = f"{heading} {following.strip().rstrip(':.')}"
        if kind == "arabic":
            style = f"{kind}{number.count('.')}"
        elif kind == "bullet":
            style = f"bullet{number}"
        else:
            style = kind
        start = line.start
        node = _Node(kind, style, number, text[:length].strip(), heading, start, line.index, [])
        if kind != "bullet":
            # Bullets are list items: a numbered line closes any open list.
            while stack and stack[-1].kind == "bullet":
                stack.pop().end = start
                styles.pop()
        if style in styles:
            # A family already open: close back to its level.
            level = styles.index(style)
            for closed in stack[level:]:
                closed.end = start
            del stack[level:]
            del styles[level:]
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        styles.append(style)
    for open_node in stack:
        open_node.end = end
    # Each root tree numbers its duplicates on its own (a fresh ``seen``).
    ends = _ends(roots, end)
    return tuple([_freeze(node, ends[index], "", 1, {}) for index, node in enumerate(roots)])


def _continues_heading(heading: str, text: str) -> bool:
    stripped = text.strip()
    return (
        is_upper(heading)
        and is_upper(stripped)
        and len(stripped) <= 100
        and match_marker(stripped) is None
    )


def _ends(siblings: list[_Node], end: int) -> list[int]:
    """Where each sibling ends: where it was closed, else at the next sibling or ``end``."""
    if not siblings:
        return []
    follow = [node.start for node in siblings[1:]]
    follow.append(end)
    return [node.end or after for node, after in zip(siblings, follow, strict=True)]


def _freeze(node: _Node, end: int, parent_id: str, level: int, seen: dict[str, int]) -> Section:
    """The Section of ``node`` (ending at ``end``) and its subtree, ids made unique in ``seen``."""
    if node.kind == "bullet":
        ordinal = seen.get(f"{parent_id}-", 0) + 1
        seen[f"{parent_id}-"] = ordinal
        local = f"-{ordinal}"
    elif node.kind == "arabic" and "." in node.number:
        # "1.1" already carries its parent's number: hang it under the
        # nearest non-arabic ancestor ("II" + "1.1" → "II.1.1").
        parts = parent_id.split(".")
        while parts and parts[-1].isdigit():
            parts.pop()
        parent_id = ".".join(parts)
        local = node.number
    else:
        local = node.number
    section_id = f"{parent_id}.{local}" if parent_id else local
    if section_id in seen and node.kind != "bullet":
        # Duplicated numbering in the source ("1." twice): keep ids unique.
        seen[section_id] += 1
        section_id = f"{section_id}#{seen[section_id]}"
    else:
        seen.setdefault(section_id, 1)
    nodes = node.children
    if nodes:
        ends = _ends(nodes, end)
        children = tuple(
            [
                _freeze(child, ends[index], section_id, level + 1, seen)
                for index, child in enumerate(nodes)
            ]
        )
    else:
        children = ()
    return Section(
        section_id,
        node.kind,
        node.marker,
        level,
        node.heading,
        node.start,
        end,
        node.line,
        children,
    )
