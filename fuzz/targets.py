"""The fuzz targets: one function of ``bytes`` per entry point, and their seeds.

A target passes when the input yields a result or a
:class:`~extractor.errors.VanbanError`; any other exception is a crash, and
an input that runs past the per-input timeout is a hang (SPEC, "Bad input").

The targets are plain functions so that the same code runs under atheris
(``fuzz/fuzz_extract.py``, ``fuzz/fuzz_readers.py``, driven by ``make fuzz``
through ``fuzz/run.py``) and can replay a crash file without atheris::

    .venv/bin/python -m fuzz.targets read-pdf out/fuzz/crashes/read-pdf-crash-…
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def _extract_bytes(data: bytes) -> None:
    from extractor import extract

    extract(data, path="<fuzz>")


def _extract_text(data: bytes) -> None:
    from extractor import extract

    text = data.decode("utf-8", errors="replace")
    # A one-line str that names an existing file is read as that file
    # (extract's documented API); a trailing line break keeps the fuzzer's
    # text from ever being taken for a path such as /proc/self/mem.
    extract(text + "\n", path="<fuzz>")


def _read_txt(data: bytes) -> None:
    from extractor.document import Document, Source
    from extractor.readers.txt import read_txt

    raw = read_txt(data, path="<fuzz>")
    Document.from_raw(raw, Source(path=None, sha256="", format="txt"))


def _read_docx(data: bytes) -> None:
    from extractor.document import Document, Source
    from extractor.readers.docx import read_docx

    raw = read_docx(data, path="<fuzz>")
    Document.from_raw(raw, Source(path=None, sha256="", format="docx"))


def _read_pdf(data: bytes) -> None:
    from extractor.document import Document, Source
    from extractor.readers.pdf import read_pdf

    raw = read_pdf(data, path="<fuzz>")
    Document.from_raw(raw, Source(path=None, sha256="", format="pdf"))


#: Target name → (function, suffixes of the sample files that seed it).
TARGETS: dict[str, tuple[Callable[[bytes], None], tuple[str, ...]]] = {
    "extract-bytes": (_extract_bytes, (".txt", ".docx", ".pdf")),
    "extract-text": (_extract_text, (".txt",)),
    "read-txt": (_read_txt, (".txt",)),
    "read-docx": (_read_docx, (".docx",)),
    "read-pdf": (_read_pdf, (".pdf",)),
}


def run_one(target: str, data: bytes) -> None:
    """Run ``target`` on ``data``; a VanbanError is an accepted outcome.

    >>> run_one("extract-text", "KẾ HOẠCH\\nSố 12-KH/TU".encode())
    >>> run_one("read-pdf", b"%PDF-1.4 broken")
    """
    from extractor.errors import VanbanError

    function = TARGETS[target][0]
    try:
        function(data)
    except VanbanError:
        return


def seeds(target: str) -> Iterator[tuple[str, bytes]]:
    """Name and content of each seed input of ``target``.

    The samples of the target's formats, a few small well-formed files (the
    fuzzer mutates small inputs much faster), and the hostile files of the
    test suite.
    """
    suffixes = TARGETS[target][1]
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in suffixes:
            yield path.name, path.read_bytes()
    if ".txt" in suffixes:
        yield "tiny.txt", "KẾ HOẠCH\nSố 12-KH/TU\nHà Nội, ngày 1 tháng 2 năm 2024\n".encode()
        yield "tiny-tcvn3.txt", b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\n"
        yield "tiny-utf16.txt", "KẾ HOẠCH\nvề việc\n".encode("utf-16")
    if ".docx" in suffixes:
        yield "tiny.docx", _tiny_docx()
    if ".pdf" in suffixes:
        yield "tiny.pdf", _tiny_pdf()
    from tests import hostile

    for name, data in hostile.small_cases().items():
        yield f"hostile-{name}", data


def _tiny_docx() -> bytes:
    from tests.hostile import make_docx

    return make_docx(
        "<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>TỈNH ỦY</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Số 12-KH/TU</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )


def _tiny_pdf() -> bytes:
    from tests.hostile import make_text_pdf

    return make_text_pdf(["KE HOACH", "So 12-KH/TU", "Ha Noi, ngay 1 thang 2 nam 2024"])


def main(argv: list[str]) -> int:
    """Replay crash files: ``python -m fuzz.targets TARGET FILE...``."""
    target, *files = argv
    for name in files:
        run_one(target, Path(name).read_bytes())
        print(f"{name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
