"""The format-independent summary of a document's structure, for golden files."""

from __future__ import annotations

from typing import Any

from extractor.document import Document
from extractor.structure import analyze


def structure_summary(document: Document) -> dict[str, Any]:
    """Zones (with the start of their first line) and the numbered section tree."""
    structure = analyze(document)
    text = document.normalized
    return {
        "zones": [
            {"zone": span.zone, "starts_with": text[span.start : span.end].split("\n")[0][:30]}
            for span in structure.zone_spans()
        ],
        "sections": [
            {"id": section.id, "kind": section.kind, "heading": section.heading}
            for section in structure.walk()
            if section.kind != "bullet"
        ],
        "bullets": sum(section.kind == "bullet" for section in structure.walk()),
    }
