"""``make fuzz``: run every fuzz target for a share of a time budget and report.

    .venv/bin/python -m fuzz.run --seconds 600 [--timeout 30] [--targets read-pdf,...]

Each target runs under atheris in its own process for ``seconds / targets``
seconds, on a corpus kept in ``out/fuzz/corpus/<target>`` (seeded from the
samples and the hostile files of the test suite the first time). A crash (an
exception that is no VanbanError) or a hang (one input running past
``--timeout`` seconds) stops that target, leaves the input in
``out/fuzz/crashes/`` and makes the run fail. The summary gives each target's
executions and libFuzzer's coverage counters (``cov``: edges, ``ft``:
features), also written to ``out/fuzz/summary.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {
    "extract-bytes": "fuzz_extract.py",
    "extract-text": "fuzz_extract.py",
    "read-txt": "fuzz_readers.py",
    "read-docx": "fuzz_readers.py",
    "read-pdf": "fuzz_readers.py",
}
_STATUS = re.compile(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+)(?: corp: (\d+)/)?")
_EXECUTED = re.compile(r"stat::number_of_executed_units: (\d+)")


@dataclass
class Result:
    """One target's run: executions, coverage, outcome."""

    target: str
    seconds: float
    executions: int
    cov: int
    ft: int
    corpus: int
    ok: bool
    log: str


def seed_corpus(target: str, corpus: Path) -> None:
    """Write the target's seeds into an empty corpus folder."""
    from fuzz.targets import seeds

    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for name, data in seeds(target):
        digest = hashlib.sha1(data).hexdigest()[:12]
        (corpus / f"seed-{digest}-{name}").write_bytes(data)


def run_target(target: str, seconds: int, timeout: int, out: Path) -> Result:
    """Fuzz one target for ``seconds``; parse libFuzzer's log."""
    corpus = out / "corpus" / target
    crashes = out / "crashes"
    crashes.mkdir(parents=True, exist_ok=True)
    seed_corpus(target, corpus)
    log = out / f"{target}.log"
    command = [
        sys.executable,
        str(ROOT / "fuzz" / SCRIPTS[target]),
        target,
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/{target}-",
        str(corpus),
    ]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        # The budget is libFuzzer's, which also replays the whole corpus
        # first (a grown corpus of PDFs can take minutes); the margin covers
        # that, so only a stuck process is killed here, and counted a hang.
        try:
            returncode = subprocess.run(
                command,
                stdout=handle,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                timeout=seconds + 10 * timeout + 900,
                check=False,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            ).returncode
        except subprocess.TimeoutExpired:
            handle.write("\nfuzz.run: the fuzzer itself stopped responding; killed\n")
            returncode = -1
    elapsed = time.monotonic() - started
    executions = cov = ft = corp = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if found := _STATUS.match(line):
            executions = max(executions, int(found.group(1)))
            cov, ft = int(found.group(2)), int(found.group(3))
            corp = int(found.group(4) or corp)
        elif found := _EXECUTED.search(line):
            executions = max(executions, int(found.group(1)))
    return Result(target, round(elapsed, 1), executions, cov, ft, corp, returncode == 0, str(log))


def main(argv: list[str] | None = None) -> int:
    """Fuzz every target in turn; exit 1 when any crashed or hung."""
    parser = argparse.ArgumentParser(prog="fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", 600)))
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("FUZZ_TIMEOUT", 30)))
    parser.add_argument("--targets", default=",".join(SCRIPTS))
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "fuzz")
    args = parser.parse_args(argv)
    targets = [name for name in args.targets.split(",") if name]
    unknown = set(targets) - set(SCRIPTS)
    if unknown:
        parser.error(f"unknown targets {sorted(unknown)}; choose from {sorted(SCRIPTS)}")
    share = max(1, args.seconds // len(targets))
    results = []
    for target in targets:
        print(f"fuzz: {target} for {share} s …", flush=True)
        result = run_target(target, share, args.timeout, args.out)
        results.append(result)
        verdict = "ok" if result.ok else f"FAILED (see {result.log})"
        print(
            f"fuzz: {target}: {result.executions} executions, cov {result.cov}, "
            f"ft {result.ft}, corpus {result.corpus}, {result.seconds} s: {verdict}",
            flush=True,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    summary = args.out / "summary.json"
    summary.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", "utf-8")
    total = sum(result.executions for result in results)
    failed = [result.target for result in results if not result.ok]
    print(f"fuzz: {total} executions in all; failed: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
