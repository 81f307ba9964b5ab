"""The diff's fast paths against the long way, on the sample pairs.

Each shortcut of the diff (integer features, the one-key sort, the
equal-total test before a set comparison, split pieces as token offsets,
the paused cyclic collector) is checked here to give what the plain
computation gives.
"""

from __future__ import annotations

import gc
import importlib
import math
from collections import Counter
from typing import Any

import numpy as np
import pytest

from extractor.diff import diff_documents
from extractor.diff.align import Para, _feature_entries, _same_features, _shared_weights, paragraphs
from extractor.diff.tokens import fold, folded_keys, pieces_spans, spans_of
from extractor.document import Document
from extractor.extract import extract_document, load_document
from extractor.structure import analyze
from tests.conftest import SAMPLES

PAIRS = [
    ("001_533e6cb4db5af385", "000_df7a9d44ea93c9c4"),
    ("001_533e6cb4db5af385", "002_7956c4d43d58e490"),
    ("004_4da38b554e1175e4", "003_e0cf88b19ba32315"),
]


def _paragraphs(stem: str) -> tuple[Document, tuple[Para, ...]]:
    document = load_document(SAMPLES / f"{stem}.txt")
    return document, paragraphs(document, analyze(document))


@pytest.mark.parametrize(("upper", "lower"), PAIRS)
def test_diff_integer_features_are_the_string_features(upper: str, lower: str) -> None:
    (_, paras_u), (_, paras_l) = _paragraphs(upper), _paragraphs(lower)
    weights, _, totals_u, totals_l, _ = _shared_weights(paras_u, paras_l)
    # Smoothed IDF over both documents, from the string features.
    df = Counter(f for p in (*paras_u, *paras_l) for f in p.features)
    idf = {f: math.log1p((len(paras_u) + len(paras_l)) / n) for f, n in df.items()}
    values = weights._weight_of.tolist()
    for paras, columns, totals in (
        (paras_u, weights.upper, totals_u),
        (paras_l, weights.lower, totals_l),
    ):
        for para in paras:
            own = columns(para.index)
            assert len(own) == len(para.features)
            expected = sorted(idf[f] for f in para.features)
            assert sorted(values[c] for c in own) == pytest.approx(expected, rel=1e-12)
            assert totals[para.index] == pytest.approx(sum(expected), abs=1e-8)
    for i, j in ((i, j) for i in range(len(paras_u)) for j in range(len(paras_l))):
        shared = len(weights.upper(i) & weights.lower(j))
        assert shared == len(paras_u[i].features & paras_l[j].features)
        # The equal-total pre-check never rejects equal sets.
        equal = paras_u[i].features == paras_l[j].features
        assert _same_features(weights, i, j) == equal


def test_diff_same_document_features_are_equal_sets() -> None:
    _, paras = _paragraphs(PAIRS[0][0])
    weights = _shared_weights(paras, paras)[0]
    assert all(_same_features(weights, p.index, p.index) for p in paras)


@pytest.mark.parametrize(("upper", "lower"), PAIRS)
def test_diff_feature_entries_two_key_sort_equals_one_key(
    upper: str, lower: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paras = [*_paragraphs(upper)[1], *_paragraphs(lower)[1]]
    one_key = _feature_entries(paras)
    monkeypatch.setattr(importlib.import_module("extractor.diff.align"), "_KEY_LIMIT", 0)
    two_keys = _feature_entries(paras)
    assert one_key[2] == two_keys[2]
    assert np.array_equal(one_key[0], two_keys[0])
    assert np.array_equal(one_key[1], two_keys[1])


@pytest.mark.parametrize("stem", sorted({stem for pair in PAIRS for stem in pair}))
def test_diff_piece_offsets_equal_regex_offsets(stem: str) -> None:
    document, paras = _paragraphs(stem)
    folded_text = fold(document.normalized)
    for para in paras:
        assert para.pieces is not None
        assert para.key == folded_keys(folded_text, para.start, para.end)
        assert pieces_spans(para.pieces, para.start) == spans_of(
            document.normalized, para.start, para.end
        )


def _pair() -> tuple[Document, Document, Any, Any]:
    doc_u = load_document(SAMPLES / f"{PAIRS[1][0]}.txt")
    doc_l = load_document(SAMPLES / f"{PAIRS[1][1]}.txt")
    return doc_u, doc_l, extract_document(doc_u), extract_document(doc_l)


def test_diff_restores_the_collector_state(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _pair()
    enabled = gc.isenabled()
    try:
        gc.enable()
        diff_documents(*pair)
        assert gc.isenabled()
        gc.disable()
        diff_documents(*pair)
        assert not gc.isenabled()
        gc.enable()

        def fail(*_: object) -> None:
            assert not gc.isenabled()  # paused during the diff
            raise RuntimeError("alignment failed")

        monkeypatch.setattr(importlib.import_module("extractor.diff"), "align_paragraphs", fail)
        with pytest.raises(RuntimeError):
            diff_documents(*pair)
        assert gc.isenabled()
    finally:
        (gc.enable if enabled else gc.disable)()
