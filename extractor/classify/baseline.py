"""The rules-only line roles: what the line classifier is measured against.

>>> from extractor.document import Document
>>> from extractor.structure import analyze
>>> text = "UBND XÃ A\\nKẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\nNơi nhận:\\n- Lưu VT."
>>> rule_line_roles(analyze(Document.from_text(text)))
['org', 'doc_type', 'title', 'heading', 'recipients', 'recipients']
"""

from __future__ import annotations

from extractor.structure import Structure
from extractor.structure.lines import Role, is_upper, looks_like_person_name, rule_role
from extractor.structure.sections import heading_of, match_marker


def _rule_line_role(text: str, zone: str) -> Role:
    role = rule_role(text)
    if role != "body":
        return role
    stripped = text.strip()
    if zone == "header":
        return "org" if is_upper(stripped) else "noise"
    if zone == "title":
        return "title"
    if zone == "closing":
        if looks_like_person_name(stripped):
            return "signer_name"
        if is_upper(stripped) and len(stripped) <= 40 and not stripped.startswith("-"):
            return "signer_position"
        return "recipients"
    marker = match_marker(stripped)
    if marker and marker[0] != "bullet" and heading_of(marker[0], stripped[marker[2] :]):
        return "heading"
    return "body"


def rule_line_roles(structure: Structure) -> list[Role]:
    """One role per line, from the line patterns and the zone the line lies in."""
    return [
        _rule_line_role(line.text, zone)
        for line, zone in zip(structure.lines, structure.zones, strict=True)
    ]
