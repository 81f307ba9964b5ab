"""Loading (and saving) the line-role model safely and lazily.

Artefacts are skops files: loading executes no code, and every type the file
names must be on :data:`TRUSTED_TYPES`. The card's scikit-learn version must
match the installed one (major.minor), else :class:`ModelVersionMismatch`.
"""

from __future__ import annotations

import functools
import itertools
import json
import zipfile
from pathlib import Path
from typing import Any

from extractor.classify.features import FEATURE_VERSION
from extractor.errors import CorruptFile, ModelVersionMismatch

TASK = "line_role_logreg"
SLOT_TASK = "section_slot_logreg"
MODEL_FILE = "model.skops"
MODELS = Path(__file__).resolve().parent.parent.parent / "models"

#: The only types a model file may contain (what a DictVectorizer + logistic
#: regression pipeline is made of); anything else is refused unread.
TRUSTED_TYPES = frozenset(
    {
        "sklearn.pipeline.Pipeline",
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "numpy.float64",
        "numpy.int64",
        "numpy.dtype",
        "builtins.float",
        "builtins.int",
        "builtins.str",
    }
)


def save_model(model: Any, path: Path) -> None:
    """Write ``model`` as a skops file."""
    import skops.io

    skops.io.dump(model, path)


def model_folder(models: Path = MODELS, *, task: str = TASK) -> Path | None:
    """The artefact folder of ``task``, if one is committed."""
    folders = sorted(models.glob(f"{task}_*"))
    return folders[-1] if folders else None


def _same_minor(left: str, right: str) -> bool:
    return left.split(".")[:2] == right.split(".")[:2]


def load_model(folder: Path) -> Any:
    """Load a model folder after checking its card and the types in its file.

    Raises:
        ModelVersionMismatch: built with another scikit-learn or feature version.
        CorruptFile: the file names a type outside :data:`TRUSTED_TYPES`.
    """
    import sklearn
    import skops.io

    card = json.loads((folder / "card.json").read_text("utf-8"))
    if not _same_minor(card["sklearn"], sklearn.__version__):
        raise ModelVersionMismatch(
            path=str(folder),
            detail=f"scikit-learn {card['sklearn']}, installed {sklearn.__version__}",
        )
    if card["feature_version"] != FEATURE_VERSION:
        raise ModelVersionMismatch(
            path=str(folder),
            detail=f"feature version {card['feature_version']}, code has {FEATURE_VERSION}",
        )
    path = folder / MODEL_FILE
    # A file that is no skops archive at all (a pickle renamed, a cut-off
    # download) is refused unread, like one naming an untrusted type.
    if not zipfile.is_zipfile(path):
        raise CorruptFile(path=str(path), detail="not a skops archive (a pickle is never loaded)")
    try:
        untrusted = set(skops.io.get_untrusted_types(file=path))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise CorruptFile(path=str(path), detail=f"unreadable skops archive: {error!r}") from error
    unexpected = untrusted - TRUSTED_TYPES
    if unexpected:
        raise CorruptFile(path=str(path), detail=f"untrusted types {sorted(unexpected)}")
    return skops.io.load(path, trusted=sorted(untrusted))


class FastPredictor:
    """The fitted pipeline's decision function without scikit-learn's per-call checks.

    ``Pipeline.predict`` validates its input on every call, which costs more
    than the arithmetic for the thirty lines of one document; the fitted
    vocabulary and weights give the same argmax directly.
    """

    def __init__(self, pipeline: Any) -> None:
        import numpy as np

        vectorizer = pipeline.named_steps["vectorize"]
        classifier = pipeline.named_steps["classify"]
        self._vocabulary: dict[str, int] = dict(vectorizer.vocabulary_)
        self._weights = classifier.coef_.T.copy()
        # A zero row for features the model never saw: adding an exact zero
        # leaves every partial sum as it was, so they need not be filtered out.
        self._unknown = len(self._weights)
        self._padded = np.vstack([self._weights, np.zeros((1, self._weights.shape[1]))])
        self._bias = classifier.intercept_.copy()
        self._classes = [str(label) for label in classifier.classes_]

    def predict(self, features: list[dict[str, float]]) -> list[str]:
        """The most likely role of each feature dict.

        >>> from sklearn.feature_extraction import DictVectorizer
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklearn.pipeline import Pipeline
        >>> rows, labels = [{"a": 1.0}, {"b": 1.0}], ["x", "y"]
        >>> steps = [("vectorize", DictVectorizer()), ("classify", LogisticRegression())]
        >>> pipeline = Pipeline(steps)
        >>> FastPredictor(pipeline.fit(rows, labels)).predict(rows)
        ['x', 'y']
        """
        import numpy as np

        if len(self._classes) == 2:
            # Binary logistic regression keeps one weight column for class 1.
            scores = self._scores(features, np)[:, 0]
            return [self._classes[int(score > 0)] for score in scores]
        return [self._classes[int(index)] for index in self._scores(features, np).argmax(axis=1)]

    def _scores(self, features: list[dict[str, float]], np: Any) -> Any:
        # Sparse by hand, all rows in one product: each line has a few dozen
        # active features out of thousands, so gather their weight rows once
        # (unknown ones from the zero row), scale them, and sum each line's
        # run of them (numpy per line costs more than the arithmetic).
        lengths = list(map(len, features))
        total = sum(lengths)
        names = itertools.chain.from_iterable(features)
        columns = np.fromiter(
            map(self._vocabulary.get, names, itertools.repeat(self._unknown)), np.intp, total
        )
        # An empty row keeps the bias (reduceat would copy a neighbour's
        # weight row for an empty run).
        filled = [index for index, length in enumerate(lengths) if length]
        whole = bool(filled) and len(filled) == len(features)
        scores = None if whole else np.tile(self._bias, (len(features), 1))
        if filled:
            weighted = self._padded.take(columns, axis=0)
            # Most features are indicators: scaling by exactly 1.0 changes no
            # bit, so the product is only formed when some value is not 1.
            values = list(itertools.chain.from_iterable(map(dict.values, features)))
            if values.count(1.0) != total:
                weighted *= np.asarray(values)[:, None]
            starts = list(itertools.accumulate(lengths, initial=0))
            sums = np.add.reduceat(weighted, [starts[index] for index in filled], axis=0)
            if scores is None:
                return sums + self._bias  # every row has features: no bias-only row to keep
            scores[filled] = sums + self._bias
        return scores


@functools.cache
def default_model(task: str = TASK) -> FastPredictor | None:
    """The committed model of ``task``, loaded on first use (None when absent)."""
    folder = model_folder(task=task)
    return FastPredictor(load_model(folder)) if folder else None
