"""Batch extraction over archives: folders, zip files and lists, in parallel, resumable.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("KẾ HOẠCH\\nvề thử\\nI. MỤC ĐÍCH", encoding="utf-8")
>>> run_batch([str(folder)], str(folder / "out.csv"), format="csv", workers=0).succeeded
1
"""

from extractor.batch.rows import process_one
from extractor.batch.run import BatchSummary, Progress, run_batch
from extractor.batch.sources import SourceItem, iter_sources

__all__ = ["BatchSummary", "Progress", "SourceItem", "iter_sources", "process_one", "run_batch"]
