"""Run one target of :mod:`fuzz.targets` under atheris (libFuzzer, coverage-guided).

The entry scripts ``fuzz_extract.py`` and ``fuzz_readers.py`` call
:func:`fuzz`; every argument after the target name goes to libFuzzer
(``-max_total_time=``, ``-timeout=``, corpus folders, a crash file to replay).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Instrument our code and the parsers it drives, so that coverage of the PDF
# and DOCX parsing guides the mutations. Modules imported lazily by the
# product are imported here, inside the hook, to be instrumented too.
with atheris.instrument_imports(include=["extractor", "pdfminer", "pdfplumber", "docx"]):
    import docx  # noqa: F401
    import pdfminer.pdfdocument  # noqa: F401
    import pdfplumber  # noqa: F401

    import extractor.extract
    import extractor.readers.docx
    import extractor.readers.pdf
    import extractor.readers.txt  # noqa: F401

from fuzz.targets import TARGETS, run_one  # noqa: E402


def fuzz(targets: tuple[str, ...]) -> None:
    """Fuzz ``sys.argv[1]`` (one of ``targets``); the rest of argv is libFuzzer's."""
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(targets)}}} [libFuzzer options] [corpus…]")
    target = sys.argv[1]
    assert target in TARGETS

    def test_one_input(data: bytes) -> None:
        run_one(target, data)

    # Warm up once outside the timed loop: the first extract loads the models.
    run_one(target, b"KE HOACH\nSo 1-KH/TU\n")
    atheris.Setup([sys.argv[0], *sys.argv[2:]], test_one_input)
    atheris.Fuzz()
