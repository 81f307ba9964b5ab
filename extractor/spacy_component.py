"""spaCy integration: the ``vanban`` pipeline component and a displaCy view.

>>> import spacy
>>> import extractor.spacy_component  # registers the factory
>>> nlp = spacy.blank("vi")
>>> _ = nlp.add_pipe("vanban")
>>> doc = nlp("KẾ HOẠCH\\ntổ chức hội nghị\\nI. MỤC ĐÍCH\\nNơi nhận:\\n- Lưu VT.")
>>> doc._.vanban.doc_type, [(span.label_, span.text) for span in doc.spans["vanban"]][:2]
('Kế hoạch', [('doc_type', 'KẾ HOẠCH'), ('title', 'tổ chức hội nghị')])
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.document import Document
from extractor.extract import extract_document
from extractor.record import Record

SPAN_KEY = "vanban"

if not Doc.has_extension("vanban"):
    # spaCy's extension registry is global by design; registering once is the API.
    Doc.set_extension("vanban", default=None)


class VanbanComponent:
    """Put the record on ``doc._.vanban`` and every value in ``doc.spans["vanban"]``."""

    def __call__(self, doc: Doc) -> Doc:
        """Extract the record of ``doc.text`` and attach it with labelled spans."""
        document = Document.from_text(doc.text)
        record = extract_document(document)
        doc._.vanban = record
        doc.spans[SPAN_KEY] = record_spans(doc, document, record)
        return doc


@Language.factory("vanban")
def create_vanban_component(nlp: Language, name: str) -> VanbanComponent:
    """The spaCy factory: ``nlp.add_pipe("vanban")``."""
    return VanbanComponent()


def record_spans(doc: Doc, document: Document, record: Record) -> list[Span]:
    """Labelled spaCy spans for every extracted value (normalized offsets mapped back)."""
    spans: list[Span] = []
    for label, offsets in record.spans.items():
        for start, end in offsets:
            if end <= start:
                continue
            original_start, original_end = document.offsets.to_source(start, end)
            span = doc.char_span(original_start, original_end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    return sorted(spans, key=lambda span: (span.start, span.end))


def render_html(records: list[tuple[Document, Record]]) -> str:
    """A self-contained HTML page with every value highlighted and labelled (displaCy)."""
    import spacy
    from spacy import displacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    docs: list[Doc] = []
    for document, record in records:
        doc = nlp.make_doc(document.original)
        doc.spans["sc"] = record_spans(doc, document, record)
        doc.user_data["title"] = record.source.path or "document"
        docs.append(doc)
    options: dict[str, Any] = {"spans_key": "sc"}
    html: str = displacy.render(docs, style="span", page=True, options=options, jupyter=False)
    return html
