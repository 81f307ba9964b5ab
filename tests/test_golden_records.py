"""Golden records: extraction compared field by field with the hand-made gold.

The golden documents are the five samples (in every format) and the first 20
corpus documents of the train split with a full-scope annotation (the gold
records live in ``annotations/``, written and reviewed by hand against the
text). A field compares as SPEC "How quality is measured" says: scalars
exactly after folding, names fuzzily (≥ 90), lists item by item with every
item matched both ways, audience by token F1 ≥ 0.8.

Known failures are listed in ``tests/golden/known_failures.json`` and run as
strict xfails, so fixing one forces its promotion (remove it from the file).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from extractor.evaluate import GoldDocument, Tally, load_gold, load_split, score_document
from extractor.extract import extract
from tests.conftest import GOLDEN, SAMPLES

FIELDS = (
    "doc_type", "number", "date", "place", "level", "signer.name", "issuing_body", "title",
    "themes", "forms", "recipients", "references", "deadlines", "audience", "relation",
)  # fmt: skip
GOLDEN_CORPUS_SIZE = 20


def _golden_ids() -> list[str]:
    train = load_split()["train"]
    samples = [doc_id for doc_id in train if doc_id.startswith("sample-")]
    corpus = [
        gold.id
        for gold in load_gold("train")
        if gold.id.startswith("docs-") and gold.scope == "full"
    ][:GOLDEN_CORPUS_SIZE]
    return samples + corpus


@cache
def _gold(doc_id: str) -> GoldDocument:
    return next(gold for gold in load_gold("all") if gold.id == doc_id)


@cache
def _known_failures() -> frozenset[tuple[str, str]]:
    data = json.loads((GOLDEN / "known_failures.json").read_text(encoding="utf-8"))
    return frozenset((item["id"], item["field"]) for item in data["known_failures"])


@cache
def _predicted(doc_id: str, fmt: str) -> dict[str, Any]:
    gold = _gold(doc_id)
    path = gold.text_path if fmt == "txt" else SAMPLES / f"{doc_id.removeprefix('sample-')}.{fmt}"
    return extract(path).to_dict()


def _field_ok(name: str, tally: Tally) -> bool:
    if name == "audience":
        return tally.f1_docs == 0 or tally.f1_sum / tally.f1_docs >= 0.8
    if name in {"themes", "forms", "recipients", "references", "deadlines"}:
        return tally.fp == 0 and tally.fn == 0
    return tally.correct == tally.total


def _cases() -> list[Any]:
    cases = []
    for doc_id in _golden_ids():
        formats = ("txt", "docx", "pdf") if doc_id.startswith("sample-") else ("txt",)
        for fmt in formats:
            for name in FIELDS:
                marks = []
                if (doc_id, name) in _known_failures() or (
                    f"{doc_id}.{fmt}",
                    name,
                ) in _known_failures():
                    marks.append(pytest.mark.xfail(strict=True, reason="known failure"))
                cases.append(
                    pytest.param(doc_id, fmt, name, marks=marks, id=f"{doc_id}.{fmt}-{name}")
                )
    return cases


@pytest.mark.parametrize(("doc_id", "fmt", "name"), _cases())
def test_golden_record_field(doc_id: str, fmt: str, name: str) -> None:
    tallies: dict[str, Tally] = {}
    score_document(_predicted(doc_id, fmt), _gold(doc_id), tallies)
    tally = tallies.get(name)
    if tally is None:
        pytest.skip(f"{name} is not annotated for {doc_id}")
    assert _field_ok(name, tally), f"{doc_id}.{fmt} field {name}: {tally.errors}"


def test_golden_spans_point_at_their_values() -> None:
    for doc_id in _golden_ids():
        record = _predicted(doc_id, "txt")
        text = extract(_gold(doc_id).text_path).to_dict()
        assert text == record
        from extractor.extract import load_document

        normalized = load_document(_gold(doc_id).text_path).normalized
        for name in ("number", "place", "title", "signer.name", "signer.authority"):
            for start, end in record["spans"].get(name, []):
                assert 0 <= start < end <= len(normalized)
        for item, (start, end) in zip(
            record["themes"], record["spans"].get("themes", []), strict=True
        ):
            assert normalized[start:end] == item
