"""vanban: structured records from Vietnamese directive documents.

The public surface names the pipeline: :func:`read` a file into a normalized
:class:`Document`, :func:`analyze` its zones and section tree, :func:`extract`
its :class:`Record`, and :func:`diff` a lower-level document against the upper
one it adapts.

>>> from extractor import Document, analyze
>>> structure = analyze(Document.from_text("KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH"))
>>> [section.heading for section in structure.sections]
['MỤC ĐÍCH']
"""

from extractor.diff import diff
from extractor.document import Document
from extractor.extract import extract
from extractor.readers import read
from extractor.record import Record
from extractor.structure import Structure, analyze

__all__ = ["Document", "Record", "Structure", "analyze", "diff", "extract", "read"]
__version__ = "0.1.0"
