"""`make bench`: speed figures, each against a baseline measured in the same run.

Readers: MB/s of the txt reader (decode + normalize), pages/s of the PDF
reader, and the PDF reader's cost as a ratio over pdfplumber's own
``extract_words`` on the same files (the floor any layout-aware reader pays).
Structure: documents/s of zoning + section tree on the readers' output.
Extraction: the issue-3 target, full extraction against underthesea's
``word_tokenize`` on the same texts (interleaved, cold, median of runs).

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
#: The shared corpus as published, next to the repository (as in the Makefile).
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
#: Size classes (UTF-8 bytes) the extraction figure is broken down by: a fixed
#: cost per document shows up as a lower ratio on the small ones.
SIZE_CLASSES = ((0, 5_000), (5_000, 20_000), (20_000, 100_000), (100_000, None))


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


#: Runs of the extraction benchmark, each in a fresh process (cold caches).
EXTRACT_RUNS = 3

#: A made-up directive that warms the pipeline up (patterns compiled, data
#: files and the model loaded) without sharing a line with the timed texts,
#: so no per-line cache is primed for them.
_WARM_UP = """ĐẢNG BỘ TỈNH X
ĐẢNG ỦY KHỐI Y
Số 99-KH/ĐUK
ĐẢNG CỘNG SẢN VIỆT NAM
X, ngày 02 tháng 3 năm 2021
KẾ HOẠCH
thử nghiệm khởi động
I. MỤC ĐÍCH
Các chi bộ báo cáo trước ngày 30/4/2021 theo Hướng dẫn số 1-HD/BTGTU.
Nơi nhận:
- Ban Tuyên giáo (b/c),
- Lưu VP.
T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Văn A
"""


def bench_extract() -> None:
    """Full extraction (public API, warm) against underthesea.word_tokenize on the same texts.

    The texts are the issue's: the ``.txt`` samples and the whole corpus
    (``../shared/corpus``: portal directives and complete legal documents;
    the annotated copies in ``annotations/texts`` when the corpus is absent).
    Each run is a fresh process that warms both up on a made-up text, then
    takes every text once, timing ``extract`` and ``word_tokenize`` on it
    back to back: both see the same load from other processes, so the ratio
    holds up on a busy machine. Wall and CPU time are both reported; the
    median over the runs is the figure, broken down by document size.
    """
    import json
    import subprocess

    runs = []
    for _ in range(EXTRACT_RUNS):
        child = subprocess.run(
            [sys.executable, __file__, "--extract-run"],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    first = runs[0]
    size_mb = first["bytes"] / 1e6
    print(
        f"extract()       {first['docs']:4d} docs {size_mb:6.2f} MB ({first['origin']}), "
        f"{len(runs)} cold runs"
    )
    for index, run in enumerate(runs, start=1):
        print(
            f"  run {index}         extract {size_mb / run['extract_wall']:5.2f} MB/s, "
            f"word_tokenize {size_mb / run['tokenize_wall']:5.2f} MB/s: "
            f"{run['tokenize_wall'] / run['extract_wall']:5.1f}x wall, "
            f"{run['tokenize_cpu'] / run['extract_cpu']:5.1f}x CPU"
        )
    extract_wall = statistics.median(run["extract_wall"] for run in runs)
    tokenize_wall = statistics.median(run["tokenize_wall"] for run in runs)
    wall = statistics.median(run["tokenize_wall"] / run["extract_wall"] for run in runs)
    cpu = statistics.median(run["tokenize_cpu"] / run["extract_cpu"] for run in runs)
    print(f"  extract       {size_mb / extract_wall:8.2f} MB/s  (median {extract_wall:.3f} s)")
    print(f"  word_tokenize {size_mb / tokenize_wall:8.2f} MB/s  (median {tokenize_wall:.3f} s)")
    print(f"  speed-up      {wall:8.1f}x over word_tokenize, median (target >= 20x)")
    print(f"                {cpu:8.1f}x in CPU time")
    for index, (low, high) in enumerate(SIZE_CLASSES):
        classes = [run["classes"][index] for run in runs]
        if not classes[0]["docs"]:
            continue
        ratio = statistics.median(c["tokenize_cpu"] / c["extract_cpu"] for c in classes)
        label = f"{low // 1000}-{high // 1000} kB" if high else f">= {low // 1000} kB"
        per_doc = statistics.median(c["extract_cpu"] / c["docs"] for c in classes) * 1e3
        print(
            f"  {label:12s}  {classes[0]['docs']:4d} docs {ratio:6.1f}x CPU, "
            f"extract {per_doc:6.2f} ms/doc"
        )
    _bench_memory()


def _extract_run() -> dict[str, float]:
    """One cold pass over the corpus, extract and word_tokenize interleaved per document."""
    from underthesea import word_tokenize

    from extractor import extract

    _try_extract(extract, _WARM_UP)
    word_tokenize(_WARM_UP)
    origin, paths = _extract_texts()
    texts = [path.read_text(encoding="utf-8-sig") for path in paths]
    totals = dict.fromkeys(("extract_wall", "extract_cpu", "tokenize_wall", "tokenize_cpu"), 0.0)
    classes = [{"docs": 0, "extract_cpu": 0.0, "tokenize_cpu": 0.0} for _ in SIZE_CLASSES]
    for text in texts:
        wall, cpu = time.perf_counter(), time.process_time()
        _try_extract(extract, text)
        middle_wall, middle_cpu = time.perf_counter(), time.process_time()
        word_tokenize(text)
        end_wall, end_cpu = time.perf_counter(), time.process_time()
        totals["extract_wall"] += middle_wall - wall
        totals["extract_cpu"] += middle_cpu - cpu
        totals["tokenize_wall"] += end_wall - middle_wall
        totals["tokenize_cpu"] += end_cpu - middle_cpu
        size_class = classes[_size_class(len(text.encode()))]
        size_class["docs"] += 1
        size_class["extract_cpu"] += middle_cpu - cpu
        size_class["tokenize_cpu"] += end_cpu - middle_cpu
    size = sum(len(text.encode()) for text in texts)
    return {"docs": len(texts), "bytes": size, "origin": origin, "classes": classes, **totals}


def _size_class(size: int) -> int:
    return next(
        index
        for index, (low, high) in enumerate(SIZE_CLASSES)
        if size >= low and (high is None or size < high)
    )


def _extract_texts() -> tuple[str, list[Path]]:
    """The texts the extraction figure is measured on, and where they come from."""
    samples = sorted(SAMPLES.glob("*.txt"))
    corpus = [
        *sorted(SHARED_CORPUS.glob("docs/*.txt")),
        *sorted(SHARED_CORPUS.glob("vbpl/docs/*.txt")),
    ]
    if corpus:
        return "samples + ../shared/corpus", samples + corpus
    return "annotations/texts (no ../shared/corpus)", sorted(CORPUS.glob("*.txt"))


def _bench_memory() -> None:
    """Peak memory allocated while extracting each document (tracemalloc)."""
    import resource
    import tracemalloc

    from extractor import extract

    _try_extract(extract, _WARM_UP)
    texts = [path.read_text(encoding="utf-8-sig") for path in _extract_texts()[1]]
    peaks = []
    for text in texts:
        tracemalloc.start()
        _try_extract(extract, text)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    biggest = max(range(len(texts)), key=lambda i: len(texts[i]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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
    if sys.argv[1:] == ["--extract-run"]:
        import json

        print(json.dumps(_extract_run()))
    else:
        main()
