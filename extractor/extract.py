"""The pipeline: read → normalize → structure → fields → :class:`~extractor.record.Record`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import regex

from extractor.document import Document
from extractor.errors import NotADirective
from extractor.fields.campaign import extract_audience, extract_forms, extract_themes
from extractor.fields.conformance import check_conformance
from extractor.fields.context import Context, Found, Span
from extractor.fields.deadlines import extract_deadlines, extract_period
from extractor.fields.identity import (
    extract_doc_type,
    extract_number,
    extract_place_date,
    extract_title,
    symbol_code,
)
from extractor.fields.issuing_body import (
    extract_issuing_body,
    extract_lead_actor,
    extract_level,
)
from extractor.fields.recipients import extract_recipients
from extractor.fields.references import extract_references, lead_citation, lead_date
from extractor.fields.signer import extract_signer
from extractor.fields.slots import classify_sections
from extractor.readers import read
from extractor.record import Record, SectionInfo, Signer, Slot, SourceInfo
from extractor.structure import Structure
from extractor.structure.lines import line_patterns
from extractor.text.normalize import match_key

#: A str longer than this, or with a line break, is text, never a path.
_MAX_PATH_CHARS = 4096


def load_document(source: str | os.PathLike[str] | bytes, *, path: str | None = None) -> Document:
    """Turn any accepted input into a Document.

    ``bytes`` are a file's content; a ``PathLike`` is a file; a ``str`` is a
    file when it names an existing one (one line, under 4096 characters) and
    the document's text otherwise.
    """
    if isinstance(source, bytes | os.PathLike):
        return read(source, path=path)
    if "\n" not in source and len(source) < _MAX_PATH_CHARS and Path(source).is_file():
        return read(source, path=path)
    return read(source.encode("utf-8"), path=path)


def extract(
    source: str | os.PathLike[str] | bytes | Document,
    *,
    path: str | None = None,
    use_models: bool = True,
) -> Record:
    """Extract the record of one directive document.

    Args:
        source: a path, the raw bytes of a file, the text itself, or a Document.
        path: the name to report for bytes or text input.
        use_models: False for the rules alone (no trained classifier).

    Returns:
        The :class:`~extractor.record.Record`, every field present.

    Raises:
        VanbanError: a typed error (unsupported format, no text layer, not a
            directive document, …) for input that yields no record.

    >>> record = extract("KẾ HOẠCH\\ntổ chức hội nghị\\nI. MỤC ĐÍCH\\nNơi nhận:\\n- Lưu VT.")
    >>> record.doc_type, record.title, [r.name for r in record.recipients]
    ('Kế hoạch', 'tổ chức hội nghị', ['Lưu VT'])
    """
    document = source if isinstance(source, Document) else load_document(source, path=path)
    return extract_document(document, use_models=use_models)


def extract_document(
    document: Document, *, use_models: bool = True, structure: Structure | None = None
) -> Record:
    """Run field extraction on a read document.

    ``structure`` is the document's :func:`~extractor.structure.analyze`
    result when the caller already has it (the diff shares one analysis).
    """
    ctx = Context.of(document, use_models=use_models, structure=structure)
    spans: dict[str, list[Span]] = {}
    warnings = list(document.warnings)

    def keep(name: str, found: Found[object] | None) -> None:
        if found is not None and found.spans:
            spans[name] = list(found.spans)

    number = extract_number(ctx)
    lead = lead_citation(ctx) if number is None else None
    if lead is not None:
        # No number line, but a lead names the document ("… vừa ban hành Quy định số …").
        number = Found(lead.number, ((lead.start, lead.end),))
    keep("number", number)
    # The lead's printed type word beats the number's code ("QĐ" is both a
    # Quyết định and a party Quy định).
    doc_type = extract_doc_type(ctx, None if lead else number.value if number else None)
    if doc_type is None and lead is not None and lead.doc_type:
        doc_type = Found((lead.doc_type, symbol_code(lead.number) or ""), ((lead.start, lead.end),))
    if doc_type is None and lead is not None:
        doc_type = extract_doc_type(ctx, lead.number)
    keep("doc_type", doc_type)
    place, date = extract_place_date(ctx)
    if date is None and lead is not None and lead.date:
        date = Found(lead.date, (lead.date_span or (lead.start, lead.tail),))
    if date is None and lead is None and number is not None:
        # A headline that is the number line: "Nghị Quyết số 22/NQ-TU ngày 08/6/2022 …".
        date = lead_date(ctx, number.value)
    keep("place", place)
    keep("date", date)
    title = extract_title(ctx)
    if title is None and lead is not None:
        title = _lead_title(ctx, lead.tail)
    keep("title", title)

    signer_parts = extract_signer(ctx)
    for part, found in signer_parts.items():
        keep(f"signer.{part}", found)
    signer = (
        Signer(**{part: found.value for part, found in signer_parts.items()})
        if signer_parts
        else None
    )
    body, parent = extract_issuing_body(
        ctx,
        authority=signer.authority if signer else None,
        place=place.value if place else None,
    )
    if body is None and lead is not None:
        body = extract_lead_actor(ctx, lead.start)
    keep("issuing_body", body)
    keep("issuing_body_parent", parent)

    year = int(date.value[:4]) if date else None
    themes = extract_themes(ctx)
    audience = extract_audience(ctx)
    forms = extract_forms(ctx)
    deadlines = extract_deadlines(ctx, year=year)
    period = extract_period(ctx, year=year)
    keep("period", period)
    recipients = extract_recipients(ctx)
    references = extract_references(ctx, own_number=number.value if number else None)
    for name, items in (
        ("themes", themes),
        ("audience", audience),
        ("forms", forms),
        ("deadlines", deadlines),
        ("recipients", recipients),
        ("references", references),
    ):
        if items:
            spans[name] = [item.spans[0] if item.spans else (0, 0) for item in items]

    model_slots = _model_slots(ctx)
    sections = [
        SectionInfo(
            id=item.section.id,
            heading=item.heading,
            slot=model_slots.get(item.section.id, item.slot),
            start=item.section.start,
            end=item.section.end,
        )
        for item in classify_sections(ctx)
    ]
    if not _looks_like_directive(ctx, number, doc_type, date, sections, references, signer):
        raise NotADirective(
            path=document.source.path or "<input>",
            detail="no type word, number, date, headings, citations or signature",
        )
    if date is None and ctx.lines_in("header"):
        warnings.append("no document date in the header")
    return Record(
        source=SourceInfo(
            path=document.source.path,
            sha256=document.source.sha256,
            format=document.source.format,
            pages=document.source.pages,
        ),
        doc_type=doc_type.value[0] if doc_type else None,
        doc_type_code=doc_type.value[1] if doc_type else None,
        number=number.value if number else None,
        issuing_body=body.value if body else None,
        issuing_body_parent=parent.value if parent else None,
        level=extract_level(body.value if body else None, number.value if number else None),
        place=place.value if place else None,
        date=date.value if date else None,
        title=title.value if title else None,
        themes=[item.value for item in themes],
        audience=[item.value for item in audience],
        forms=[item.value for item in forms],
        period=period.value if period else None,
        deadlines=[item.value for item in deadlines],
        recipients=[item.value for item in recipients],
        signer=signer,
        references=[item.value for item in references],
        sections=sections,
        spans=spans,
        conformance=check_conformance(ctx, spans),
        warnings=warnings,
    )


# After a lead's citation: "… Chỉ thị số 17 [ngày …] [của …] về việc …" up to the
# end of the sentence is the trích yếu (the annotators' convention).
_LEAD_TITLE = regex.compile(
    r"[\s,]{0,3}(?:ngày[^,\n]{0,30},?\s{0,2})?(?:(?:của|ban hành bởi|do)[^,\n]{0,80}?\s)?"
    r"(?P<title>về\b[^\n]{5,300}?)(?:\.(?:\s|$)|$)",
    regex.MULTILINE,
)


def _lead_title(ctx: Context, tail: int) -> Found[str] | None:
    """The "về …" clause that follows the lead's citation of the document."""
    found = _LEAD_TITLE.match(ctx.text, tail)
    if found is None:
        return None
    start, end = found.span("title")
    return Found(found.group("title").strip(), ((start, end),))


def _model_slots(ctx: Context) -> dict[str, Slot]:
    """The section-slot classifier's slot of every headed section (better than cues on dev)."""
    from extractor.classify.model import SLOT_TASK, default_model
    from extractor.classify.slots import slot_features

    model = default_model(SLOT_TASK) if ctx.use_models else None
    rows = slot_features(ctx) if model is not None else []
    if not rows or model is None:
        return {}
    predicted = model.predict([features for _, features in rows])
    return {
        item.section.id: cast(Slot, slot) for (item, _), slot in zip(rows, predicted, strict=True)
    }


def _looks_like_directive(
    ctx: Context,
    number: object,
    doc_type: object,
    date: object,
    sections: list[SectionInfo],
    references: Sequence[object],
    signer: Signer | None,
) -> bool:
    """Any of the marks of a directive: a text with none of them is refused."""
    if (
        number is not None
        or doc_type is not None
        or date is not None
        or len(sections) >= 2
        or references
        or signer is not None
        or ctx.lines_in("closing")
    ):
        return True
    # A portal headline: "Kế hoạch triển khai công tác bầu cử …" (asked last: the
    # marks above settle almost every document).
    heads = tuple(word + " " for word in line_patterns().doc_type_keys)
    return any(match_key(line.text).startswith(heads) for line in ctx.structure.lines[:5])
