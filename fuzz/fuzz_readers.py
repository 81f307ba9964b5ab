"""Fuzz each reader on its own format: txt bytes, docx bytes, pdf bytes.

    .venv/bin/python fuzz/fuzz_readers.py read-pdf -max_total_time=60 CORPUS_DIR

``make fuzz`` runs it through ``fuzz/run.py``, which seeds the corpus.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz._atheris import fuzz

if __name__ == "__main__":
    fuzz(("read-txt", "read-docx", "read-pdf"))
