"""The line-role classifier: artefacts match the annotations, load safely, retrain identically."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.classify.features import line_features
from extractor.classify.model import SLOT_TASK, TASK, load_model, model_folder
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


@pytest.fixture(scope="module", params=[TASK, SLOT_TASK])
def any_folder(request: pytest.FixtureRequest) -> Path:
    found = model_folder(task=request.param)
    assert found is not None, f"no committed {request.param} model: run make train"
    return found


def test_classify_card_hash_matches_current_annotations(any_folder: Path) -> None:
    card = json.loads((any_folder / "card.json").read_text("utf-8"))
    ids = card["train_documents"]
    split = json.loads((ANNOTATIONS / "split.json").read_text("utf-8"))["train"]
    assert set(ids) <= set(split)
    if card["task"] == TASK:
        assert ids == training_ids(ANNOTATIONS, "train")
    else:
        assert ids == sorted(split)
    assert card["annotations_sha256"] == annotations_hash(ANNOTATIONS, ids), (
        "annotations changed since the model was trained: run make train"
    )


def test_classify_model_beats_the_rules_on_dev(any_folder: Path) -> None:
    metrics = json.loads((any_folder / "card.json").read_text("utf-8"))["dev_metrics"]
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
    any_folder: Path, tmp_path: Path, key: str, value: object
) -> None:
    copy = tmp_path / any_folder.name
    shutil.copytree(any_folder, copy)
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


@pytest.mark.slow
def test_classify_slot_retraining_gives_identical_predictions() -> None:
    from extractor.classify.train import fit_rows, slot_rows

    features, labels, _ = slot_rows(ANNOTATIONS, load_split_ids("train"))
    dev_features, _, _ = slot_rows(ANNOTATIONS, load_split_ids("dev"))
    first, second = fit_rows(features, labels), fit_rows(features, labels)
    assert list(first.predict(dev_features)) == list(second.predict(dev_features))


def load_split_ids(split: str) -> list[str]:
    return sorted(json.loads((ANNOTATIONS / "split.json").read_text("utf-8"))[split])


def test_classify_record_sections_carry_model_slots() -> None:
    from extractor import extract

    record = extract(SAMPLES / "004_4da38b554e1175e4.txt")
    slots = {section.heading: section.slot for section in record.sections}
    assert slots["MỤC ĐÍCH, YÊU CẦU"] == "purpose"
    assert slots["HÌNH THỨC TỔ CHỨC"] == "forms"
