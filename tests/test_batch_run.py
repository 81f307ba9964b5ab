"""Batch runs with real worker processes: SIGKILL + resume, time budgets, Dask, the CLI.

Each run starts worker processes that load the models (a few seconds each),
so the cases share runs where they can.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import psutil
import pytest

from extractor.batch import iter_sources, run_batch
from extractor.batch.worker import Sandbox
from extractor.cli import main
from extractor.limits import MAX_TEXT_CHARS
from tests.conftest import ROOT, SAMPLES

TEXTS = ROOT / "annotations" / "texts"
BATCH = [sys.executable, "-m", "extractor", "batch"]


def _make_docs(folder: Path, count: int) -> list[str]:
    """``count`` distinct directive documents made from the annotated corpus texts."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = sorted(TEXTS.glob("*.txt"))
    names = []
    for index in range(count):
        source = texts[index % len(texts)]
        name = f"{index:03d}_{source.name}"
        # A copy note makes each file's content (and sha256) its own.
        (folder / name).write_text(
            source.read_text(encoding="utf-8") + f"\n(Bản sao số {index})\n", encoding="utf-8"
        )
        names.append(str(folder / name))
    return names


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _big_document() -> bytes:
    """A real document repeated to just under the text limit: seconds of honest work."""
    text = (SAMPLES / "001_533e6cb4db5af385.txt").read_text(encoding="utf-8")
    return (text * (MAX_TEXT_CHARS // len(text)))[: MAX_TEXT_CHARS - 200_000].encode("utf-8")


def test_batch_run_sigkill_then_resume_gives_every_input_once(tmp_path: Path) -> None:
    expected = _make_docs(tmp_path / "in", 60)
    out = tmp_path / "out.jsonl"
    command = [*BATCH, str(tmp_path / "in"), "-o", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and out.stat().st_size > 0:
                break
            time.sleep(0.005)
        workers = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    written = out.read_bytes().count(b"\n")
    assert 0 < written < len(expected), "the kill must land in the middle of the run"
    # Orphaned workers notice their parent is gone and exit.
    _, alive = psutil.wait_procs(workers, timeout=60)
    for worker in alive:
        worker.kill()
    assert not alive
    # A write cut short by a crash leaves a torn last line; resume must cut it off.
    with out.open("ab") as stream:
        stream.write('{"source": {"path": "cắt ngang'.encode())

    resumed = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, timeout=600, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{written} skipped" in resumed.stderr
    rows = _rows(out)  # every line parses: no torn line is left
    paths = [row["source"]["path"] for row in rows]
    assert sorted(paths) == sorted(expected)  # every input exactly once
    assert all("error" not in row for row in rows)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """One CLI run over a folder with a stuck document, a bad zip, an escaping link."""
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    _make_docs(folder, 3)
    (folder / "000_big.txt").write_bytes(_big_document())
    with zipfile.ZipFile(folder / "archive.zip", "w") as zipped:
        zipped.writestr("ok/kh.txt", (SAMPLES / "002_7956c4d43d58e490.txt").read_bytes())
        zipped.writestr("../../evil.txt", "KẾ HOẠCH")
        zipped.writestr("/etc/cron.d/evil.txt", "KẾ HOẠCH")
    secret = base / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes((SAMPLES / "003_e0cf88b19ba32315.txt").read_bytes())
    (folder / "link.txt").symlink_to(secret)
    out = base / "out.jsonl"
    # One worker: after the stuck document, its replacement must do the rest.
    result = subprocess.run(
        [*BATCH, str(folder), "-o", str(out), "--workers", "1", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return folder, out, result


def test_batch_run_stuck_document_gets_timeout_row_and_run_goes_on(
    hostile_run: tuple[Path, Path, Any],
) -> None:
    folder, out, _ = hostile_run
    rows = {row["source"]["path"]: row for row in _rows(out)}
    assert rows[str(folder / "000_big.txt")]["error"] == {
        "type": "timeout",
        "message": f"timeout: {folder / '000_big.txt'} took longer than 1 s",
    }
    good = [path for path in rows if "_docs-" in path or path.endswith("ok/kh.txt")]
    assert len(good) == 4
    assert all(rows[path].get("error") is None for path in good)
    assert len(rows) == len(list(iter_sources([str(folder)])))  # every input got its row


def test_batch_run_zip_traversal_refused_good_members_processed(
    hostile_run: tuple[Path, Path, Any],
) -> None:
    folder, out, _ = hostile_run
    rows = {row["source"]["path"]: row for row in _rows(out)}
    archive = folder / "archive.zip"
    assert rows[f"{archive}!../../evil.txt"]["error"]["type"] == "unsafe_path"
    assert rows[f"{archive}!/etc/cron.d/evil.txt"]["error"]["type"] == "unsafe_path"
    assert rows[f"{archive}!ok/kh.txt"]["number"]


def test_batch_run_symlink_outside_root_not_followed(hostile_run: tuple[Path, Path, Any]) -> None:
    folder, out, _ = hostile_run
    rows = _rows(out)
    (link,) = [row for row in rows if row["source"]["path"] == str(folder / "link.txt")]
    assert link["error"]["type"] == "unsafe_path"
    secret = hashlib.sha256((folder.parent / "outside" / "secret.txt").read_bytes()).hexdigest()
    assert secret not in {row["source"].get("sha256") for row in rows}  # never read


def test_batch_run_cli_progress_summary_and_exit_code(hostile_run: tuple[Path, Path, Any]) -> None:
    _, out, result = hostile_run
    assert result.returncode == 1  # some inputs failed
    assert "Traceback" not in result.stderr
    progress = re.findall(
        r"^vanban: progress (\d+)/(\d+|\?) \(0 skipped\), (\d+) failed, [\d.]+ docs/s, "
        r"elapsed [\d:]+, ETA [\d:?]+$",
        result.stderr,
        re.MULTILINE,
    )
    assert progress, result.stderr
    assert progress[-1][:3] == ("8", "8", "4")  # the last line: every input done
    assert re.search(
        r"^vanban: 8 document\(s\) in [\d.]+ s .*: 4 record\(s\), 4 failed",
        result.stderr,
        re.MULTILINE,
    )
    assert "vanban: failed by type: timeout 1, unsafe_path 3" in result.stderr
    assert len(_rows(out)) == 8


def test_batch_run_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _make_docs(tmp_path / "in", 2)
    out = tmp_path / "out.csv"
    # --workers 0 runs in this process: the exit code path without worker start-up.
    assert main(["batch", *good, "-o", str(out), "--workers", "0"]) == 0
    assert out.read_text(encoding="utf-8").startswith("path,sha256,")  # format from the name
    assert main(["batch", *good, str(tmp_path / "gone.txt"), "-o", str(out), "--workers", "0"]) == 1
    assert "failed by type: not_found 1" in capsys.readouterr().err
    assert main(["batch", *good, "-o", str(out), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert main(["batch", *good, "-o", str(out), "--workers", "-1"]) == 2
    assert main(["batch", *good, "-o", str(out), "--timeout", "0"]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["batch", *good])  # no -o
    assert usage.value.code == 2


def test_batch_run_dask_engine_matches_local(
    tmp_path: Path, hostile_run: tuple[Path, Path, Any]
) -> None:
    # The same inputs and budget as the local run of the fixture, on a LocalCluster
    # of two worker processes: the same rows, timeout and refusals included.
    folder, local_out, _ = hostile_run
    out = tmp_path / "dask.jsonl"
    summary = run_batch([str(folder)], str(out), workers=2, engine="dask", timeout=1.0)
    assert (summary.processed, summary.errors) == (8, {"timeout": 1, "unsafe_path": 3})

    def by_path(path: Path) -> list[dict[str, Any]]:
        return sorted(_rows(path), key=lambda row: row["source"]["path"])

    assert by_path(out) == by_path(local_out)


def test_batch_run_worker_killed_mid_document_gives_worker_crashed_row(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(_big_document())
    (item,) = iter_sources([str(big)])
    sandbox = Sandbox.start()
    try:
        sandbox.wait_ready()
        sandbox.submit(item, timeout=600)
        time.sleep(0.2)
        os.kill(sandbox.process.pid, signal.SIGKILL)  # as the OOM killer would
        assert sandbox.connection.poll(60)
        row = sandbox.receive()
    finally:
        sandbox.kill()
    assert row["error"] == {
        "type": "worker_crashed",
        "message": f"worker crashed on {big} (exit code -9)",
    }
