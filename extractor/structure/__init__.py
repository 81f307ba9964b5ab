"""Structure: lines, zones and the section tree of a normalized document.

>>> from extractor.document import Document
>>> doc = Document.from_text("KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\nNơi nhận:\\n- Lưu VT.")
>>> structure = analyze(doc)
>>> [(z.zone, z.first_line, z.last_line) for z in structure.zone_spans()]
[('title', 0, 1), ('body', 2, 2), ('closing', 3, 4)]
>>> [s.id for s in structure.sections]
['I']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import compress

from extractor.document import Document
from extractor.structure.lines import Line, split_lines
from extractor.structure.sections import Section, build_sections
from extractor.structure.zones import ZONES, Zone, assign_zones

__all__ = ["ZONES", "Line", "Section", "Structure", "Zone", "ZoneSpan", "analyze"]


@dataclass(frozen=True, slots=True)
class ZoneSpan:
    """A run of consecutive lines in one zone, with offsets into the normalized text."""

    zone: Zone
    start: int
    end: int
    first_line: int
    last_line: int


@dataclass(frozen=True, slots=True)
class Structure:
    """Lines with their zones, and the section tree of the body."""

    lines: tuple[Line, ...]
    zones: tuple[Zone, ...]
    sections: tuple[Section, ...]

    def zone_spans(self) -> tuple[ZoneSpan, ...]:
        """Runs of lines sharing a zone, in document order."""
        spans: list[ZoneSpan] = []
        for line, zone in zip(self.lines, self.zones, strict=True):
            if spans and spans[-1].zone == zone:
                last = spans[-1]
                spans[-1] = ZoneSpan(zone, last.start, line.end, last.first_line, line.index)
            else:
                spans.append(ZoneSpan(zone, line.start, line.end, line.index, line.index))
        return tuple(spans)

    def lines_in(self, *zones: Zone) -> tuple[Line, ...]:
        """The lines that lie in any of ``zones``."""
        return tuple(
            line for line, zone in zip(self.lines, self.zones, strict=True) if zone in zones
        )

    def walk(self) -> Iterator[Section]:
        """Every section of the tree, in document order."""
        for root in self.sections:
            yield from root.walk()


def analyze(document: Document) -> Structure:
    """Split a document into zones and build its section tree."""
    lines = split_lines(document.normalized)
    zones = assign_zones(lines)
    body = list(compress(lines, [zone == "body" for zone in zones]))
    body_end = body[-1].end if body else 0
    # The first closing or annex line (tuple.index scans in C).
    closing = [zones.index(zone) for zone in ("closing", "annex") if zone in zones]
    end = lines[min(closing)].start if closing else len(document.normalized)
    sections = build_sections(body, max(end, body_end))
    return Structure(lines, zones, sections)
