"""Train the line-role classifier from ``annotations/`` (``make train``).

    python -m extractor.classify.train [--models models] [--annotations annotations]

Deterministic: documents are read in id order, the solver has a fixed seed,
and the artefact folder records the training data's hash, the library
versions and the dev-split metrics against the rules (``card.json``).
Training uses the train split's full-scope documents (closing-scope ones
label only their header and closing, so their long bodies are unlabelled).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import platform
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.classify.baseline import rule_line_roles
from extractor.classify.features import FEATURE_VERSION, Features, line_features
from extractor.classify.model import MODEL_FILE, SLOT_TASK, TASK, save_model
from extractor.structure import analyze

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = 0
HYPERPARAMETERS: dict[str, Any] = {"C": 2.0, "max_iter": 3000, "solver": "lbfgs"}


@dataclass(frozen=True)
class LabelledDocument:
    """One annotated document's line features and gold roles."""

    id: str
    features: list[Features]
    roles: list[str]
    rule_roles: list[str]


def annotations_hash(directory: Path, ids: Sequence[str]) -> str:
    """sha256 over the annotation files and texts of ``ids`` (the card's data hash)."""
    digest = hashlib.sha256()
    for doc_id in sorted(ids):
        for path in (directory / f"{doc_id}.json", directory / "texts" / f"{doc_id}.txt"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def training_ids(directory: Path, split: str) -> list[str]:
    """Full-scope documents of ``split``, sorted."""
    ids = json.loads((directory / "split.json").read_text("utf-8"))[split]
    return sorted(
        doc_id
        for doc_id in ids
        if json.loads((directory / f"{doc_id}.json").read_text("utf-8")).get("scope") == "full"
    )


def load_labelled(directory: Path, ids: Sequence[str]) -> list[LabelledDocument]:
    """Features and gold roles, line by line, of the annotated documents ``ids``."""
    from extractor.annotations import line_spans, load_annotation

    documents = []
    for doc_id in ids:
        annotated = load_annotation(directory / f"{doc_id}.json")
        structure = analyze(annotated.document)
        gold = {start: role for start, _end, role in line_spans(annotated)}
        documents.append(
            LabelledDocument(
                id=doc_id,
                features=line_features(structure),
                roles=[gold.get(line.start, "body") for line in structure.lines],
                rule_roles=list(rule_line_roles(structure)),
            )
        )
    return documents


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the roles present in the gold."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(
            float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
    }


def fit(documents: Sequence[LabelledDocument]) -> Any:
    """A DictVectorizer + logistic regression pipeline fitted on the lines of ``documents``."""
    features = [f for document in documents for f in document.features]
    roles = [r for document in documents for r in document.roles]
    return fit_rows(features, roles)


def fit_rows(features: Sequence[Features], labels: Sequence[str]) -> Any:
    """The DictVectorizer + logistic regression pipeline both tasks use."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    pipeline = Pipeline(
        [
            ("vectorize", DictVectorizer(sparse=True)),
            ("classify", LogisticRegression(random_state=SEED, **HYPERPARAMETERS)),
        ]
    )
    pipeline.fit(list(features), list(labels))
    return pipeline


def _git_sha() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True, cwd=ROOT
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return result.stdout.strip()


def train(annotations: Path, models: Path) -> Path:
    """Train the line-role model, evaluate on dev against the rules, write it with its card."""
    train_ids = training_ids(annotations, "train")
    dev_ids = training_ids(annotations, "dev")
    train_docs = load_labelled(annotations, train_ids)
    dev_docs = load_labelled(annotations, dev_ids)
    model = fit(train_docs)
    gold = [r for document in dev_docs for r in document.roles]
    rules = [r for document in dev_docs for r in document.rule_roles]
    predicted = [str(p) for document in dev_docs for p in model.predict(document.features)]
    return _write_artifact(
        models,
        TASK,
        model,
        {
            "train_documents": train_ids,
            "train_lines": sum(len(document.roles) for document in train_docs),
            "annotations_sha256": annotations_hash(annotations, train_ids),
            "dev_documents": dev_ids,
            "dev_metrics": {"rules": scores(gold, rules), "model": scores(gold, predicted)},
        },
    )


def _write_artifact(models: Path, task: str, model: Any, facts: dict[str, Any]) -> Path:
    """Write ``model`` and its card into ``models/<task>_<date>/`` (replacing older ones)."""
    import numpy
    import sklearn

    today = datetime.date.today().strftime("%Y%m%d")
    for old in models.glob(f"{task}_*"):
        shutil.rmtree(old)  # one artefact per task: the card says which data built it
    folder = models / f"{task}_{today}"
    folder.mkdir(parents=True)
    save_model(model, folder / MODEL_FILE)
    card = {
        "task": task,
        "algorithm": "DictVectorizer + LogisticRegression",
        "created": today,
        "git_sha": _git_sha(),
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": numpy.__version__,
        "seed": SEED,
        "hyperparameters": HYPERPARAMETERS,
        "feature_version": FEATURE_VERSION,
        **facts,
    }
    (folder / "card.json").write_text(
        json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return folder


def slot_rows(directory: Path, ids: Sequence[str]) -> tuple[list[Features], list[str], list[str]]:
    """Features, gold slots and the rules' slots of the annotated headed sections of ``ids``."""
    from extractor.annotations import heading_slots, load_annotation
    from extractor.classify.slots import slot_features
    from extractor.fields.context import Context

    features: list[Features] = []
    gold: list[str] = []
    rules: list[str] = []
    for doc_id in ids:
        annotated = load_annotation(directory / f"{doc_id}.json")
        slots = heading_slots(annotated)
        ctx = Context.of(annotated.document, use_models=False)
        for item, row in slot_features(ctx):
            if item.section.start in slots:
                features.append(row)
                gold.append(slots[item.section.start])
                rules.append(str(item.slot))
    return features, gold, rules


def train_slots(annotations: Path, models: Path) -> Path:
    """Train the section-slot model on every annotated heading of the train split."""
    split = json.loads((annotations / "split.json").read_text("utf-8"))
    train_ids, dev_ids = sorted(split["train"]), sorted(split["dev"])
    features, labels, _ = slot_rows(annotations, train_ids)
    model = fit_rows(features, labels)
    dev_features, dev_gold, dev_rules = slot_rows(annotations, dev_ids)
    predicted = [str(p) for p in model.predict(dev_features)]
    return _write_artifact(
        models,
        SLOT_TASK,
        model,
        {
            "train_documents": train_ids,
            "train_sections": len(labels),
            "annotations_sha256": annotations_hash(annotations, train_ids),
            "dev_documents": dev_ids,
            "dev_metrics": {
                "rules": scores(dev_gold, dev_rules),
                "model": scores(dev_gold, predicted),
            },
        },
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry of ``make train``."""
    parser = argparse.ArgumentParser(prog="python -m extractor.classify.train")
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations")
    parser.add_argument("--models", type=Path, default=ROOT / "models")
    args = parser.parse_args(argv)
    for folder in (
        train(args.annotations, args.models),
        train_slots(args.annotations, args.models),
    ):
        card = json.loads((folder / "card.json").read_text("utf-8"))
        metrics = card["dev_metrics"]
        print(f"wrote {folder}: dev rules {metrics['rules']}, model {metrics['model']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
