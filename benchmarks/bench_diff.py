"""`make bench`: the structured diff against plain word and character diffs, same run.

For each pair (the three sample pairs and a synthetic pair of 30 KB (UTF-8) a
side, made from sample 001 extended with body lines of 002, then localised,
reordered, cut and extended):

- ``diff+extr``: :func:`extractor.diff.diff` from the files (read, extract
  both records, align, word edits, fields);
- ``diff``: the same given the read documents, their records and their
  structure (:func:`extractor.diff.diff_documents`: alignment, word edits,
  fields), the part the diff itself costs — :func:`extractor.diff.diff`
  shares one structure analysis between extraction and alignment;
- ``difflib``: :class:`difflib.SequenceMatcher` (default autojunk) over the
  whitespace-split words of the two bodies (the same text the structured
  diff aligns: first to last body line), opcodes included;
- ``dmp``: diff-match-patch ``diff_main`` (default 1 s timeout) plus
  ``diff_cleanupSemantic`` on the two body texts.

Times are process CPU times (``time.process_time``: other processes on a
shared machine disturb them less than wall time). The candidates run
interleaved, round after round, so a burst of load hits all of them; the
table shows each one's median and the median of the per-round ratios
``diff/difflib`` and ``diff/dmp``, what to compare across commits.
"""

from __future__ import annotations

import difflib
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diff_match_patch import diff_match_patch  # noqa: E402

from extractor.diff import diff, diff_documents  # noqa: E402
from extractor.document import Document  # noqa: E402
from extractor.extract import extract_document, load_document  # noqa: E402
from extractor.structure import analyze  # noqa: E402

SAMPLES = ROOT / "samples"
PAIRS = [
    ("001_533e6cb4db5af385", "000_df7a9d44ea93c9c4"),
    ("001_533e6cb4db5af385", "002_7956c4d43d58e490"),
    ("004_4da38b554e1175e4", "003_e0cf88b19ba32315"),
]
REPEATS = 15
#: diff-match-patch takes half a second a pair: fewer rounds of it.
DMP_EVERY = 5
#: Bytes (UTF-8) a side of the synthetic pair at least ("two 30 KB documents").
SYNTHETIC_BYTES = 30_000


def cpu(work: Callable[[], object]) -> float:
    """CPU seconds of one run of ``work``."""
    start = time.process_time()
    work()
    return time.process_time() - start


def synthetic_lower(text: str, seed: int = 0) -> str:
    """A district-style adaptation of a province text: localised, reordered, cut, extended."""
    rng = random.Random(seed)
    lines = text.split("\n")
    head, body = lines[:8], lines[8:]
    out: list[str] = []
    for line in body:
        roll = rng.random()
        if roll < 0.1:
            continue  # dropped
        line = line.replace("Tỉnh ủy", "Huyện ủy").replace("toàn tỉnh", "toàn huyện")
        line = line.replace("02/2022", "3/2022")
        if roll < 0.3:
            words = line.split()
            if len(words) > 6:
                k = rng.randrange(len(words) - 3)
                words[k : k + 2] = ["trên", "địa", "bàn", "huyện"]
                line = " ".join(words)
        out.append(line)
        if roll > 0.93:
            out.append("- Các chi bộ trực thuộc báo cáo kết quả về Ban Thường vụ Huyện ủy.")
    # Move one block of ten lines towards the end (a section reordered).
    if len(out) > 40:
        block = out[10:20]
        del out[10:20]
        out[-10:-10] = block
    return "\n".join(head + out)


def body_text(document: Document) -> str:
    lines = analyze(document).lines_in("body")
    return document.normalized[lines[0].start : lines[-1].end] if lines else ""


def synthetic_pair(base: str, extra: str, size: int = SYNTHETIC_BYTES) -> tuple[str, str]:
    """``base`` with body lines of ``extra`` inserted before its closing, and its adaptation.

    Lines are added until both sides are at least ``size`` bytes of UTF-8.
    """
    closing = base.index("Nơi nhận")
    extra_body = extra[extra.index("\nI") : extra.index("Nơi nhận")].strip("\n").split("\n")
    inserted: list[str] = []
    lines = itertools.cycle(extra_body)
    while True:
        upper = base[:closing] + "".join(line + "\n" for line in inserted) + base[closing:]
        lower = synthetic_lower(upper)
        if min(len(upper.encode()), len(lower.encode())) >= size:
            return upper, lower
        inserted.append(next(lines))


def bench_pair(name: str, upper: Document, lower: Document, paths: tuple[object, object]) -> None:
    structures = (analyze(upper), analyze(lower))
    record_u = extract_document(upper, structure=structures[0])
    record_l = extract_document(lower, structure=structures[1])
    body_u, body_l = body_text(upper), body_text(lower)
    words_u, words_l = body_u.split(), body_l.split()
    dmp = diff_match_patch()

    def run_dmp() -> None:
        edits = dmp.diff_main(body_u, body_l)
        dmp.diff_cleanupSemantic(edits)

    times: dict[str, list[float]] = {"full": [], "diff": [], "difflib": [], "dmp": []}
    ratios: dict[str, list[float]] = {"difflib": [], "dmp": []}
    for round_ in range(REPEATS):
        times["full"].append(cpu(lambda: diff(*paths)))  # type: ignore[arg-type]
        structured = cpu(
            lambda: diff_documents(upper, lower, record_u, record_l, structures=structures)
        )
        plain = cpu(lambda: difflib.SequenceMatcher(None, words_u, words_l).get_opcodes())
        times["diff"].append(structured)
        times["difflib"].append(plain)
        ratios["difflib"].append(structured / plain)
        if round_ % DMP_EVERY == 0:
            chars = cpu(run_dmp)
            times["dmp"].append(chars)
            ratios["dmp"].append(structured / chars)
    med = {key: statistics.median(values) * 1000 for key, values in times.items()}
    result = diff_documents(upper, lower, record_u, record_l).summary
    size = (len(upper.normalized.encode()) + len(lower.normalized.encode())) / 2 / 1000
    print(
        f"{name:<28} {size:6.1f} {med['full']:10.1f} {med['diff']:8.1f} "
        f"{med['difflib']:8.1f} {med['dmp']:8.1f} {statistics.median(ratios['difflib']):12.2f} "
        f"{statistics.median(ratios['dmp']):8.2f}   k{result.kept} m{result.modified} "
        f"a{result.added} d{result.dropped} mv{result.moved}"
    )


def main() -> None:
    print(
        "diff: structured diff vs difflib (words) and diff-match-patch (chars); "
        f"medians of {REPEATS} interleaved rounds (dmp: {len(range(0, REPEATS, DMP_EVERY))})"
    )
    print(
        f"{'pair':<28} {'KB':>6} {'diff+extr':>10} {'diff ms':>8} {'difflib':>8} "
        f"{'dmp ms':>8} {'diff/difflib':>12} {'diff/dmp':>8}   blocks"
    )
    for upper_stem, lower_stem in PAIRS:
        path_u, path_l = SAMPLES / f"{upper_stem}.txt", SAMPLES / f"{lower_stem}.txt"
        upper, lower = load_document(path_u), load_document(path_l)
        bench_pair(f"{upper_stem[:3]} vs {lower_stem[:3]}", upper, lower, (path_u, path_l))
    base = (SAMPLES / "001_533e6cb4db5af385.txt").read_text(encoding="utf-8")
    extra = (SAMPLES / "002_7956c4d43d58e490.txt").read_text(encoding="utf-8")
    text, lowered = synthetic_pair(base, extra)
    upper = Document.from_text(text, path="synthetic-upper")
    lower = Document.from_text(lowered, path="synthetic-lower")
    bench_pair("synthetic (001+002 local.)", upper, lower, (text, lowered))


if __name__ == "__main__":
    main()
