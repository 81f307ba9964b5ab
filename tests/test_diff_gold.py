"""The diff's block alignment scored against hand-written gold alignments.

Gold files: ``tests/golden/diff/<upper-stem>__<lower-stem>.json`` (format in
``/work/briefs/gold_alignment.md``). The real pairs were written by a helper
who did not see the aligner's output; ``_synthetic__*.json`` is a small pair
built in ``tests/test_diff.py`` style, kept as a fast development check.

Scoring: gold pairs are (upper line, lower line) indices of the body lines
the anchors resolve to, from the entries that are neither added nor dropped;
predicted pairs are, for each block with both sides and each of its ``links``
(which upper part shares content with which lower part; every combination
for a block without links), every (upper line, lower line) whose spans
overlap the two linked parts. Precision and recall are over these
sets; status agreement is reported separately (not asserted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from extractor.diff import diff_documents
from extractor.document import Document
from extractor.extract import extract_document, load_document
from extractor.structure import analyze
from tests.conftest import GOLDEN, ROOT

GOLD_DIR = GOLDEN / "diff"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
MIN_PRECISION = 0.9
MIN_RECALL = 0.9


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    gold: frozenset[tuple[int, int]]
    predicted: frozenset[tuple[int, int]]
    status_agreement: float
    related_gold: bool
    related_predicted: bool


def body_lines(document: Document) -> list[tuple[int, int, int]]:
    """``(line index, start, end)`` of the body lines."""
    return [(line.index, line.start, line.end) for line in analyze(document).lines_in("body")]


def resolve(
    anchor: str, document: Document, lines: list[tuple[int, int, int]], occurrence: int | None
) -> int:
    """The body line holding the anchor.

    The anchor must occur exactly once, unless the entry names which
    occurrence it means (``upper_occurrence``/``lower_occurrence``, 0-based:
    the gold writer's way to point at one of several verbatim repeats).
    """
    text = document.normalized
    at = text.find(anchor)
    assert at >= 0, f"anchor not in {document.source.path}: {anchor!r}"
    if occurrence is None:
        assert text.find(anchor, at + 1) < 0, f"anchor not unique: {anchor!r}"
    else:
        for _ in range(occurrence):
            at = text.find(anchor, at + 1)
            assert at >= 0, f"anchor has no occurrence {occurrence}: {anchor!r}"
    for index, start, end in lines:
        if start <= at < end:
            return index
    raise AssertionError(f"anchor outside the body: {anchor!r}")


def overlapping(lines: list[tuple[int, int, int]], part: dict[str, Any]) -> list[int]:
    """Indices of the body lines whose span overlaps a block part's."""
    return [index for index, start, end in lines if start < part["end"] and part["start"] < end]


def load_document_for(name: str, gold: dict[str, Any], side: str) -> Document:
    """A gold side is a sample path or, for synthetic pairs, inline text."""
    value = gold[side]
    if isinstance(value, dict):
        return Document.from_text(value["text"], path=value.get("path"))
    return load_document(ROOT / value)


def score(gold: dict[str, Any], upper: Document, lower: Document) -> Score:
    """Block-pair precision and recall of the diff of ``upper`` and ``lower`` against ``gold``."""
    lines_u, lines_l = body_lines(upper), body_lines(lower)
    gold_pairs: set[tuple[int, int]] = set()
    gold_status: dict[tuple[int, int], str] = {}
    for entry in gold["pairs"]:
        upper_occurrence = entry.get("upper_occurrence")
        lower_occurrence = entry.get("lower_occurrence")
        if entry["upper"] is not None:
            at_u = resolve(entry["upper"], upper, lines_u, upper_occurrence)
        if entry["lower"] is not None:
            at_l = resolve(entry["lower"], lower, lines_l, lower_occurrence)
        if entry["upper"] is None or entry["lower"] is None:
            continue
        pair = (at_u, at_l)
        gold_pairs.add(pair)
        gold_status[pair] = entry["status"]
    result = diff_documents(upper, lower, extract_document(upper), extract_document(lower))
    predicted: set[tuple[int, int]] = set()
    predicted_status: dict[tuple[int, int], str] = {}
    for block in result.to_dict()["blocks"]:
        if block["upper"] is None or block["lower"] is None:
            continue
        # A merge or split pairs only the paragraphs its links join.
        parts_u, parts_l = block["upper"]["parts"], block["lower"]["parts"]
        for k, m in block["links"]:
            for iu in overlapping(lines_u, parts_u[k]):
                for il in overlapping(lines_l, parts_l[m]):
                    predicted.add((iu, il))
                    predicted_status[(iu, il)] = block["status"]
    hits = gold_pairs & predicted
    precision = len(hits) / len(predicted) if predicted else (1.0 if not gold_pairs else 0.0)
    recall = len(hits) / len(gold_pairs) if gold_pairs else 1.0
    agree = sum(1 for pair in hits if gold_status[pair] == predicted_status[pair])
    return Score(
        precision=precision,
        recall=recall,
        gold=frozenset(gold_pairs),
        predicted=frozenset(predicted),
        status_agreement=agree / len(hits) if hits else 1.0,
        related_gold=gold["related"],
        related_predicted=result.related,
    )


def score_file(path: Path) -> Score:
    gold = json.loads(path.read_text(encoding="utf-8"))
    upper = load_document_for(path.name, gold, "upper")
    lower = load_document_for(path.name, gold, "lower")
    return score(gold, upper, lower)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_diff_gold_alignment_precision_and_recall(path: Path) -> None:
    result = score_file(path)
    assert result.related_predicted == result.related_gold
    if not result.related_gold:
        assert not result.predicted, "an unrelated pair must get no block pairs"
        return
    assert result.precision >= MIN_PRECISION, (
        f"precision {result.precision:.3f}: extra {sorted(result.predicted - result.gold)}"
    )
    assert result.recall >= MIN_RECALL, (
        f"recall {result.recall:.3f}: missed {sorted(result.gold - result.predicted)}"
    )


def test_diff_gold_files_exist_for_the_sample_pairs() -> None:
    names = {path.name for path in GOLD_FILES}
    for pair in (
        "001_533e6cb4db5af385__000_df7a9d44ea93c9c4.json",
        "001_533e6cb4db5af385__002_7956c4d43d58e490.json",
        "004_4da38b554e1175e4__003_e0cf88b19ba32315.json",
    ):
        assert pair in names


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_diff_gold_files_are_canonical(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
