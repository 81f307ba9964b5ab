"""`make bench`: `vanban batch` throughput with 1 and 2 workers, and its memory.

Builds, in a temporary folder, zip archives of generated documents: the
samples and the corpus texts replicated with variations (numbers, years,
whitespace, line endings; some .docx copies with edited numbers and a few
.pdf copies), 2,000 members and the first 500 of them. Then, in one run:

- documents/s of ``vanban batch`` on the 2,000 with 1 and with 2 workers (the
  speed-up is the figure to compare), end to end and after the workers are
  ready; next to it, the speed-up two busy-loop processes get over one on the
  same cores at the same time (other work on the machine caps both);
- the peak RSS of the whole process tree (the batch process plus its workers,
  summed, sampled every 0.1 s) on the 500 and on the 2,000: streaming keeps
  it flat, whatever the archive's size.

Each run is a child process (``python benchmarks/bench_batch.py --child``)
calling :func:`extractor.batch.run_batch`, so the tree measured holds nothing
of this script.

Usage: ``python benchmarks/bench_batch.py [--docs 2000] [--small 500]``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples"
TEXTS = ROOT / "annotations" / "texts"
CORPUS = ROOT.parent / "shared" / "corpus"
PDF_SHARE = 0.01
DOCX_SHARE = 0.04


def sources() -> tuple[list[bytes], list[bytes], list[bytes]]:
    """The seed documents: texts, docx files, pdf files."""
    texts = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))]
    texts += [path.read_bytes() for path in sorted(TEXTS.glob("*.txt"))]
    if CORPUS.is_dir():
        texts += [path.read_bytes() for path in sorted(CORPUS.glob("**/docs/*.txt"))]
    docx = [path.read_bytes() for path in sorted(SAMPLES.glob("*.docx"))]
    pdf = [path.read_bytes() for path in sorted(SAMPLES.glob("*.pdf"))]
    return texts, docx, pdf


def vary_text(data: bytes, rng: random.Random) -> bytes:
    """The same document with another number, year, spacing or line endings."""
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"(Số[:\s]*)(\d+)", lambda m: f"{m[1]}{rng.randint(1, 999)}", text, count=1)
    year = str(rng.choice([2019, 2020, 2021, 2022, 2023, 2024]))
    text = re.sub(r"năm 20\d\d", f"năm {year}", text, count=1)
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.3:
        text = text.replace(". ", ".  ")
    return (text + f"\n(Bản sao {rng.randint(0, 10**9)})\n").encode("utf-8")


def vary_docx(data: bytes, rng: random.Random) -> bytes:
    """The same Word file with the year and the first number in its text changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                year = str(rng.choice([2019, 2020, 2021, 2022, 2023])).encode()
                content = re.sub(rb"20[12]\d", year, content, count=2)
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def vary_pdf(data: bytes, rng: random.Random) -> bytes:
    """The same PDF with a comment after %%EOF (readers ignore it; the hash differs)."""
    return data + f"\n% copy {rng.randint(0, 10**9)}\n".encode()


def build_archives(folder: Path, count: int, small: int) -> tuple[Path, Path]:
    """``archive-<count>.zip`` and ``archive-<small>.zip`` (its first members)."""
    rng = random.Random(0)
    texts, docx, pdf = sources()
    members: list[tuple[str, bytes]] = []
    for index in range(count):
        draw = rng.random()
        if draw < PDF_SHARE and pdf:
            name, data = f"pdf/{index:05d}.pdf", vary_pdf(rng.choice(pdf), rng)
        elif draw < PDF_SHARE + DOCX_SHARE and docx:
            name, data = f"docx/{index:05d}.docx", vary_docx(rng.choice(docx), rng)
        else:
            name, data = (
                f"txt/{index // 500:02d}/{index:05d}.txt",
                vary_text(rng.choice(texts), rng),
            )
        members.append((name, data))
    paths = []
    for size in (count, small):
        path = folder / f"archive-{size}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members[:size]:
                archive.writestr(name, data)
        paths.append(path)
    return paths[0], paths[1]


def spin(seconds: float) -> None:
    """Count in a tight loop for ``seconds``; print the count (one calibration process)."""
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        count += sum(range(1000)) and 1
    print(count)


def machine_speedup(seconds: float = 5.0) -> float:
    """How much faster two pure-CPU processes count than one, on this machine, now.

    The ceiling of any 2-worker speed-up under the current load of the cores.
    """

    def run(processes: int) -> int:
        command = [sys.executable, __file__, "--spin", str(seconds)]
        spinning = [
            subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(processes)
        ]
        return sum(int(process.communicate()[0]) for process in spinning)

    return run(2) / run(1)


def child(archive: str, output: str, workers: int) -> None:
    """One measured run (in its own process): prints its figures as JSON."""
    from extractor.batch import run_batch

    first: list[float] = []

    def progress(state: Any) -> None:
        if state.processed and not first:
            first.append(state.elapsed)

    summary = run_batch([archive], output, workers=workers, progress=progress)
    # The workers have exited and been reaped: their CPU time is the children's.
    times = os.times()
    print(
        json.dumps(
            {
                "processed": summary.processed,
                "failed": summary.failed,
                "errors": summary.errors,
                "elapsed": summary.elapsed,
                "first_row": first[0] if first else summary.elapsed,
                "worker_cpu": times.children_user + times.children_system,
                "parent_cpu": times.user + times.system,
                "load": os.getloadavg()[0],
            }
        )
    )


def measure(archive: Path, workers: int, folder: Path) -> dict[str, Any]:
    """Run a child batch; its figures plus the peak RSS of its process tree."""
    import psutil

    output = folder / f"out-{archive.stem}-{workers}.jsonl"
    command = [sys.executable, __file__, "--child", str(archive), str(output), str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak_tree = peak_parent = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_parent
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                parent = root.memory_info().rss
                tree = parent + sum(
                    child.memory_info().rss for child in root.children(recursive=True)
                )
            except psutil.Error:
                break  # the run ended between two samples
            peak_parent = max(peak_parent, parent)
            peak_tree = max(peak_tree, tree)
            done.wait(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, _ = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"batch run failed with exit code {process.returncode}")
    figures: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    figures.update(wall=wall, peak_tree_mb=peak_tree / 2**20, peak_parent_mb=peak_parent / 2**20)
    figures["rate"] = figures["processed"] / figures["elapsed"]
    # After the first row: the workers are up and have loaded the models.
    steady_time = figures["elapsed"] - figures["first_row"]
    figures["steady_rate"] = (figures["processed"] - 1) / steady_time if steady_time > 0 else 0
    return figures


def report(label: str, figures: dict[str, Any]) -> None:
    print(
        f"  {label:<22} {figures['processed']:5d} docs {figures['elapsed']:7.1f} s "
        f"{figures['rate']:7.1f} docs/s (steady {figures['steady_rate']:6.1f}) "
        f"peak RSS tree {figures['peak_tree_mb']:6.0f} MB, batch process "
        f"{figures['peak_parent_mb']:5.0f} MB, failed {figures['failed']}, "
        f"CPU: workers {figures['worker_cpu']:.1f} s, batch process {figures['parent_cpu']:.1f} s; "
        f"load average {figures['load']:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--child", nargs=3, metavar=("ARCHIVE", "OUT", "WORKERS"))
    parser.add_argument("--spin", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spin:
        spin(args.spin)
        return
    if args.child:
        archive, output, workers = args.child
        child(archive, output, int(workers))
        return
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        large, small = build_archives(folder, args.docs, args.small)
        print(
            f"batch: generated {args.docs} documents ({large.stat().st_size / 2**20:.1f} MB zip) "
            f"in {time.perf_counter() - started:.1f} s; {os.cpu_count()} cores"
        )
        ceiling = machine_speedup()
        print(f"  2 busy-loop processes vs 1, now: {ceiling:.2f}x (the most 2 workers can get)")
        one = measure(large, 1, folder)
        report("1 worker", one)
        two = measure(large, 2, folder)
        report("2 workers", two)
        few = measure(small, 2, folder)
        report(f"2 workers, {args.small} docs", few)
        print(
            f"  speed-up 2 vs 1 worker: {two['rate'] / one['rate']:.2f}x end to end, "
            f"{two['steady_rate'] / one['steady_rate']:.2f}x steady "
            f"(target >= 1.6x on 2 free cores; {machine_speedup():.2f}x for busy loops now)"
        )
        # Other processes share the cores: the wall-clock ratio then says little.
        # Worker CPU per document (start-up included) shows what parallelism costs.
        cpu_one = one["worker_cpu"] / one["processed"]
        cpu_two = two["worker_cpu"] / two["processed"]
        print(
            f"  worker CPU per document (start-up included): {1000 * cpu_one:.1f} ms with "
            f"1 worker, {1000 * cpu_two:.1f} ms with 2: on 2 idle cores, about "
            f"{2 * cpu_one / cpu_two:.2f}x (an estimate; the measured ratio is above)"
        )
        print(
            f"  peak RSS {args.small} -> {args.docs} docs: tree "
            f"{few['peak_tree_mb']:.0f} -> {two['peak_tree_mb']:.0f} MB "
            f"({two['peak_tree_mb'] / few['peak_tree_mb']:.2f}x), batch process "
            f"{few['peak_parent_mb']:.0f} -> {two['peak_parent_mb']:.0f} MB "
            f"({two['peak_parent_mb'] / few['peak_parent_mb']:.2f}x)"
        )


if __name__ == "__main__":
    main()
