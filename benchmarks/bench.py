"""`make bench`: speed figures, each against a baseline measured in the same run.

Readers: MB/s of the txt reader (decode + normalize), pages/s of the PDF
reader, and the PDF reader's cost as a ratio over pdfplumber's own
``extract_words`` on the same files (the floor any layout-aware reader pays).
Structure: documents/s of zoning + section tree on the readers' output.

Figures vary with the machine; the ratios are what to compare across commits.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.readers import read  # noqa: E402
from extractor.structure import analyze  # noqa: E402

SAMPLES = ROOT / "samples"
CORPUS = ROOT / "annotations" / "texts"


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Best wall time of ``repeats`` runs (the least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_txt() -> None:
    paths = sorted(SAMPLES.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    payloads = [path.read_bytes() for path in paths]
    size = sum(len(data) for data in payloads)

    def decode_only() -> None:
        for data in payloads:
            data.decode("utf-8-sig")

    def reader() -> None:
        for data in payloads:
            read(data)

    baseline = best_of(3, decode_only)
    candidate = best_of(3, reader)
    print(f"txt reader      {len(paths):4d} files {size / 1e6:6.2f} MB")
    print(f"  read()        {size / 1e6 / candidate:8.2f} MB/s  ({candidate:.3f} s)")
    print(f"  bytes.decode  {size / 1e6 / baseline:8.2f} MB/s  (baseline)")


def bench_pdf() -> None:
    import pdfplumber

    paths = sorted(SAMPLES.glob("*.pdf"))
    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)

    def plumber_words() -> None:
        for path in paths:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_words()

    def reader() -> None:
        for path in paths:
            read(path)

    baseline = best_of(3, plumber_words)
    candidate = best_of(3, reader)
    print(f"pdf reader      {len(paths):4d} files {pages:4d} pages")
    print(f"  read()        {pages / candidate:8.2f} pages/s ({candidate:.3f} s)")
    print(f"  extract_words {pages / baseline:8.2f} pages/s (baseline, pdfplumber alone)")
    print(f"  overhead      {candidate / baseline:8.2f}x pdfplumber extract_words")


def bench_docx() -> None:
    paths = sorted(SAMPLES.glob("*.docx"))
    candidate = best_of(3, lambda: [read(path) for path in paths])
    print(f"docx reader     {len(paths):4d} files  {len(paths) / candidate:8.2f} files/s")


def bench_structure() -> None:
    documents = [read(path) for path in sorted(CORPUS.glob("*.txt"))]
    per_doc = [best_of(3, lambda d=document: analyze(d)) for document in documents]
    size = sum(len(document.normalized) for document in documents)
    print(f"structure       {len(documents):4d} docs")
    median_ms = statistics.median(per_doc) * 1e3
    print(f"  analyze()     {size / 1e6 / sum(per_doc):8.2f} MB/s, median {median_ms:.2f} ms/doc")


def bench_extract() -> None:
    """Full extraction (public API, warm) against underthesea.word_tokenize alone."""
    import resource
    import tracemalloc

    from extractor import extract

    # Warm up (data files, compiled patterns, the model) on the samples, then
    # time one pass over the corpus: every document is seen once, as in a
    # batch, so no cache ever meets a document (or its lines) twice.
    for path in sorted(SAMPLES.glob("*.txt")):
        _try_extract(extract, path.read_text(encoding="utf-8-sig"))
    texts = [path.read_text(encoding="utf-8-sig") for path in sorted(CORPUS.glob("*.txt"))]
    size = sum(len(text.encode()) for text in texts)
    candidate = best_of(1, lambda: [_try_extract(extract, text) for text in texts])

    from underthesea import word_tokenize

    word_tokenize("khởi động")
    baseline = best_of(1, lambda: [word_tokenize(text) for text in texts])
    peaks = []
    for text in texts:
        tracemalloc.start()
        _try_extract(extract, text)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    biggest = max(range(len(texts)), key=lambda i: len(texts[i]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"extract()       {len(texts):4d} docs {size / 1e6:6.2f} MB")
    print(f"  extract       {size / 1e6 / candidate:8.2f} MB/s  ({candidate:.3f} s, warm)")
    print(f"  word_tokenize {size / 1e6 / baseline:8.2f} MB/s  ({baseline:.3f} s, underthesea)")
    print(f"  speed-up      {baseline / candidate:8.1f}x over word_tokenize (target >= 20x)")
    print(
        f"  memory        peak {max(peaks) / 1e6:.1f} MB allocated for one document "
        f"(largest input {len(texts[biggest].encode()) / 1e6:.2f} MB: "
        f"{peaks[biggest] / 1e6:.1f} MB), process peak RSS {rss_mb:.0f} MB"
    )


def bench_models() -> None:
    """Model load time, and what the classifier adds to extraction, in one run."""
    from extractor import extract
    from extractor.classify.model import default_model, load_model, model_folder

    folder = model_folder()
    if folder is None:
        print("models          none committed (make train)")
        return
    load = best_of(3, lambda: load_model(folder))
    default_model()
    texts = [path.read_text(encoding="utf-8-sig") for path in _texts()]
    runs = iter(range(200, 400))

    def one_pass(use_models: bool) -> None:
        tail = "\n" * next(runs)
        for text in texts:
            _try_extract(lambda t: extract(t, use_models=use_models), text + tail)

    rules = best_of(3, lambda: one_pass(False))
    with_model = best_of(3, lambda: one_pass(True))
    print(f"models          {folder.name}")
    print(f"  load          {load * 1e3:8.1f} ms")
    print(f"  extract       {rules:.3f} s rules only, {with_model:.3f} s with the classifier")
    print(f"  overhead      {with_model / rules:8.2f}x")


def _texts() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))


def _try_extract(extract: Callable[[str], object], text: str) -> object:
    from extractor.errors import VanbanError

    try:
        return extract(text)
    except VanbanError as error:  # a corpus text that is not a directive still costs time
        return error


def main() -> None:
    bench_txt()
    bench_pdf()
    bench_docx()
    bench_structure()
    bench_extract()
    bench_models()


if __name__ == "__main__":
    main()
