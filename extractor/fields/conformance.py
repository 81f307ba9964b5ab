"""Format conformance: which mandatory parts of a directive are present.

Party documents follow Hướng dẫn 36-HD/VPTW (motto "ĐẢNG CỘNG SẢN VIỆT NAM",
issuing body, number and symbol, place and date, type and trích yếu, content,
signer's authority/position/name, recipients); state documents follow Nghị
định 30/2020/NĐ-CP (Quốc hiệu and Tiêu ngữ, issuing body, number and symbol,
place and date, type and trích yếu, content, signer, Nơi nhận). Reviewers use
the ``missing`` list to send a malformed document back.
"""

from __future__ import annotations

import regex

from extractor.fields.context import Context, Span
from extractor.record import Conformance
from extractor.structure.lines import line_patterns

PARTS = (
    "motto",
    "issuing_body",
    "number",
    "place_date",
    "doc_type_title",
    "content",
    "signer",
    "recipients",
)
_PARTY_NUMBER = regex.compile(r"^\d*-[\p{L}]+/")
_STATE_NUMBER = regex.compile(r"^\d*/")


def _style(ctx: Context, number: str | None) -> str | None:
    header = " ".join(line.text for line in ctx.lines_in("header")).casefold()
    if "đảng cộng sản việt nam" in header:
        return "party"
    if "cộng hòa xã hội chủ nghĩa" in header:
        return "state"
    if number and _PARTY_NUMBER.match(number):
        return "party"
    if number and _STATE_NUMBER.match(number):
        return "state"
    return None


def check_conformance(ctx: Context, spans: dict[str, list[Span]]) -> Conformance:
    """Present and missing format parts, judged from the zones and extracted spans.

    >>> from extractor.document import Document
    >>> ctx = Context.of(Document.from_text("KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\nnội dung"))
    >>> check_conformance(ctx, {"title": [(9, 13)]}).missing
    ['motto', 'issuing_body', 'number', 'place_date', 'signer', 'recipients']
    """
    number_span = spans.get("number")
    number = ctx.text[slice(*number_span[0])] if number_span else None
    motto = line_patterns().motto
    present = {
        "motto": any(motto.match(line.text.strip()) for line in ctx.lines_in("header")),
        "issuing_body": "issuing_body" in spans and bool(ctx.lines_in("header")),
        "number": "number" in spans,
        "place_date": "date" in spans,
        "doc_type_title": "title" in spans,
        "content": bool(ctx.lines_in("body")),
        "signer": "signer.name" in spans,
        "recipients": "recipients" in spans,
    }
    return Conformance(
        style=_style(ctx, number),  # type: ignore[arg-type]
        present=[part for part in PARTS if present[part]],
        missing=[part for part in PARTS if not present[part]],
    )
