"""Fuzz ``extract`` on raw bytes (any format) and on text (``str`` input).

    .venv/bin/python fuzz/fuzz_extract.py extract-bytes -max_total_time=60 CORPUS_DIR
    .venv/bin/python fuzz/fuzz_extract.py extract-text -max_total_time=60 CORPUS_DIR

``make fuzz`` runs it through ``fuzz/run.py``, which seeds the corpus.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz._atheris import fuzz

if __name__ == "__main__":
    fuzz(("extract-bytes", "extract-text"))
