"""The catalogue of errors vanban raises.

Every error a user can meet is a subclass of :class:`VanbanError` with a stable
``code`` (the ``error.type`` of a JSON error line) and a message template.
The library never prints; the CLI turns these into error lines and exit codes.

>>> err = UnsupportedFormat(path="a.xls", detail="Excel workbook")
>>> err.code, str(err)
('unsupported_format', 'unsupported format: a.xls (Excel workbook)')
"""

from __future__ import annotations

from typing import Any, ClassVar


class VanbanError(Exception):
    """Base class: a typed, coded error with a message built from a template."""

    code: ClassVar[str] = "error"
    template: ClassVar[str] = "{detail}"

    def __init__(self, **fields: Any) -> None:
        fields.setdefault("detail", "")
        fields.setdefault("path", "<input>")
        self.fields = fields
        super().__init__(self.template.format(**fields))

    def to_dict(self) -> dict[str, str]:
        """Return the ``error`` object of a JSON error line."""
        return {"type": self.code, "message": str(self)}


class UnsupportedFormat(VanbanError):
    """The input is not txt/md, docx or pdf (judged by content, not extension)."""

    code = "unsupported_format"
    template = "unsupported format: {path} ({detail})"


class CorruptFile(VanbanError):
    """The file claims a known format but cannot be parsed."""

    code = "corrupt_file"
    template = "corrupt file: {path} ({detail})"


class EncryptedPDF(VanbanError):
    """The PDF is password protected."""

    code = "encrypted_pdf"
    template = "encrypted PDF: {path} is password protected; decrypt it first"


class NoTextLayer(VanbanError):
    """The PDF has pages but no extractable text (a scan); OCR it first."""

    code = "no_text_layer"
    template = "no text layer: {path} has {detail} page(s) without text (a scan?); run OCR first"


class EmptyDocument(VanbanError):
    """The input holds no text at all (empty or whitespace only)."""

    code = "empty_document"
    template = "empty document: {path} has no text"


class UndecodableText(VanbanError):
    """A text file whose bytes match no supported encoding."""

    code = "undecodable_text"
    template = "undecodable text: {path} ({detail})"


class NotADirective(VanbanError):
    """The text has none of the marks of a directive document."""

    code = "not_a_directive"
    template = "not a directive document: {path} ({detail})"


class TooLarge(VanbanError):
    """The input exceeds a documented size limit."""

    code = "too_large"
    template = "file too large: {path} ({detail})"


class DecompressionBomb(VanbanError):
    """A DOCX or zip member would inflate beyond the limit."""

    code = "decompression_bomb"
    template = "decompression bomb refused: {path} ({detail})"


class Timeout(VanbanError):
    """A document exceeded its time budget."""

    code = "timeout"
    template = "timeout: {path} took longer than {detail} s"


class ModelVersionMismatch(VanbanError):
    """A trained model was built with an incompatible scikit-learn."""

    code = "model_version_mismatch"
    template = "model {path} was built with {detail}; retrain with `make train`"


class UnsafePath(VanbanError):
    """An archive member or link would escape the input root."""

    code = "unsafe_path"
    template = "unsafe path refused: {path} ({detail})"


class WorkerCrashed(VanbanError):
    """A batch worker process died on a document (killed, out of memory, crashed)."""

    code = "worker_crashed"
    template = "worker crashed on {path} ({detail})"


class BatchError(VanbanError):
    """A batch run cannot go on: workers do not start, or the output cannot be resumed."""

    code = "batch_error"
    template = "batch: {path} ({detail})"


class AnnotationExchangeError(VanbanError):
    """An exchange file that cannot be applied (bad shape, unknown document, label or span)."""

    code = "annotation_exchange"
    template = "annotation exchange: {path} ({detail})"


ALL_ERRORS: tuple[type[VanbanError], ...] = (
    UnsupportedFormat,
    CorruptFile,
    EncryptedPDF,
    NoTextLayer,
    EmptyDocument,
    UndecodableText,
    NotADirective,
    TooLarge,
    DecompressionBomb,
    Timeout,
    ModelVersionMismatch,
    UnsafePath,
    WorkerCrashed,
    BatchError,
    AnnotationExchangeError,
)
