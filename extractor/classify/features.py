"""The one featurizer of the line-role classifier, used by training and inference.

A line is described by its own words and shape, the rules' opinion of it
(rule role and zone: the model learns when to overrule them), its position
in the document and its neighbours' shape.

>>> from extractor.document import Document
>>> from extractor.structure import analyze
>>> structure = analyze(Document.from_text("ỦY BAN NHÂN DÂN\\nSố: 1/KH-UBND\\nKẾ HOẠCH\\nvề X"))
>>> features = line_features(structure)
>>> features[1]["rule=number"], features[0]["upper"]
(1.0, 1.0)
"""

from __future__ import annotations

import functools
import itertools

import regex

from extractor.structure import Structure
from extractor.structure.lines import is_upper, rule_role
from extractor.structure.sections import match_marker

#: Bumped whenever a feature changes: a model card records the version it was
#: trained with, and the loader refuses a model of another version.
FEATURE_VERSION = 1

_WORD = regex.compile(r"[\p{L}\d]+")
_DIGIT = regex.compile(r"\d")
Features = dict[str, float]


@functools.lru_cache(maxsize=16384)
def _own(text: str) -> Features:
    # Cached per line text: the lazy line roles featurize a growing prefix
    # of the same lines. Callers copy the dict before adding to it.
    stripped = text.strip()
    words = [word.casefold() for word in _WORD.findall(stripped)]
    features: Features = {f"w={word}": 1.0 for word in words[:12]}
    for left, right in itertools.pairwise(words[:7]):
        features[f"b={left}_{right}"] = 1.0
    if words:
        features[f"first={words[0]}"] = 1.0
        features[f"last={words[-1]}"] = 1.0
    marker = match_marker(stripped)
    features[f"marker={marker[0] if marker else 'none'}"] = 1.0
    features[f"rule={rule_role(stripped)}"] = 1.0
    features["upper"] = float(is_upper(stripped))
    features[f"len={min(len(stripped) // 20, 10)}"] = 1.0
    features[f"end={stripped[-1:] if stripped[-1:] in {':', '.', ',', ';'} else 'other'}"] = 1.0
    features["digit"] = float(_DIGIT.search(stripped) is not None)
    features["slash"] = float("/" in stripped)
    features["brace"] = float("}" in stripped)
    return features


@functools.lru_cache(maxsize=16384)
def _as_neighbour(text: str) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """What a line tells its neighbours: its ``upper`` and its rule and marker keys.

    The keys come as the next line's (``next.…``) and as the previous line's
    (``prev.…``), in the order of the line's own features.
    """
    own = _own(text)
    keys = [key for key in own if key.startswith(("rule=", "marker="))]
    return own["upper"], tuple(f"next.{key}" for key in keys), tuple(f"prev.{key}" for key in keys)


@functools.lru_cache(maxsize=256)
def _key(name: str, value: object) -> str:
    # One string per feature key, made once: its hash is kept for the model's
    # vocabulary lookup (few distinct values: zones, and positions up to 12).
    return f"{name}={value}"


def line_features(
    structure: Structure, *, limit: int | None = None, start: int = 0
) -> list[Features]:
    """One feature dict per line of ``structure``: lines ``start`` to ``limit`` (or the end).

    A line's features do not depend on ``limit`` or ``start``: the rows of a
    longer prefix extend those of a shorter one.
    """
    lines = structure.lines
    count = len(lines)
    wanted = count if limit is None else min(limit, count)
    texts = [line.text for line in lines[: min(wanted + 1, count)]]
    result: list[Features] = []
    for index in range(start, wanted):
        features = dict(_own(texts[index]))
        features[_key("zone", structure.zones[index])] = 1.0
        features[_key("pos", min(10 * index // max(count, 1), 9))] = 1.0
        features[_key("from_end", min(count - 1 - index, 12))] = 1.0
        features[_key("from_start", min(index, 12))] = 1.0
        if index > 0:
            upper, _, as_previous = _as_neighbour(texts[index - 1])
            features["prev.upper"] = upper
            features.update(dict.fromkeys(as_previous, 1.0))
        else:
            features["prev.none"] = 1.0
        if index + 1 < count:
            upper, as_next, _ = _as_neighbour(texts[index + 1])
            features["next.upper"] = upper
            features.update(dict.fromkeys(as_next, 1.0))
        else:
            features["next.none"] = 1.0
        result.append(features)
    return result
