"""The line-role classifier: artefacts match the annotations, load safely, retrain identically."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.classify.features import line_features
from extractor.classify.model import load_model, model_folder
from extractor.classify.train import annotations_hash, fit, load_labelled, training_ids
from extractor.errors import ModelVersionMismatch
from extractor.extract import load_document
from extractor.structure import analyze
from tests.conftest import ANNOTATIONS, SAMPLES


@pytest.fixture(scope="module")
def folder() -> Path:
    found = model_folder()
    assert found is not None, "no committed model: run make train"
    return found


def test_classify_card_hash_matches_current_annotations(folder: Path) -> None:
    card = json.loads((folder / "card.json").read_text("utf-8"))
    ids = training_ids(ANNOTATIONS, "train")
    assert card["train_documents"] == ids
    assert card["annotations_sha256"] == annotations_hash(ANNOTATIONS, ids), (
        "annotations changed since the model was trained: run make train"
    )


def test_classify_model_beats_the_rules_on_dev(folder: Path) -> None:
    metrics = json.loads((folder / "card.json").read_text("utf-8"))["dev_metrics"]
    assert metrics["model"]["accuracy"] > metrics["rules"]["accuracy"]
    assert metrics["model"]["macro_f1"] > metrics["rules"]["macro_f1"]


def test_classify_model_predicts_a_role_per_line(folder: Path) -> None:
    model = load_model(folder)
    structure = analyze(load_document(SAMPLES / "002_7956c4d43d58e490.txt"))
    roles = list(model.predict(line_features(structure)))
    assert len(roles) == len(structure.lines)
    assert roles[0] == "org"
    assert "signer_name" in roles


@pytest.mark.parametrize(("key", "value"), [("sklearn", "0.1.0"), ("feature_version", 999)])
def test_classify_loader_refuses_incompatible_models(
    folder: Path, tmp_path: Path, key: str, value: object
) -> None:
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    card = json.loads((copy / "card.json").read_text("utf-8"))
    card[key] = value
    (copy / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelVersionMismatch):
        load_model(copy)


@pytest.mark.slow
def test_classify_retraining_gives_identical_predictions() -> None:
    train = load_labelled(ANNOTATIONS, training_ids(ANNOTATIONS, "train"))
    dev = load_labelled(ANNOTATIONS, training_ids(ANNOTATIONS, "dev"))
    first, second = fit(train), fit(train)
    for document in dev:
        assert list(first.predict(document.features)) == list(second.predict(document.features))


def test_classify_fast_predictor_agrees_with_the_pipeline(folder: Path) -> None:
    from extractor.classify.model import FastPredictor

    pipeline = load_model(folder)
    fast = FastPredictor(pipeline)
    for document in load_labelled(ANNOTATIONS, training_ids(ANNOTATIONS, "dev")):
        assert fast.predict(document.features) == [
            str(r) for r in pipeline.predict(document.features)
        ]
