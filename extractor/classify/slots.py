"""The section-slot classifier: features, gold, and where it overrules the rules.

Features describe a numbered section by its heading words, the rules' cue and
slot (the model learns when to overrule them), its marker kind and depth, and
its parent's slot. Only sections with a heading are classified; an item
without one keeps the rules' answer.
"""

from __future__ import annotations

import functools
import itertools

import regex

from extractor.fields.context import Context
from extractor.fields.slots import SlottedSection, classify_sections

_WORD = regex.compile(r"[\p{L}\d]+")
Features = dict[str, float]


def slot_features(ctx: Context) -> list[tuple[SlottedSection, Features]]:
    """Features of every headed section of ``ctx``, with the rules' classification."""
    items = classify_sections(ctx)
    by_id = {item.section.id: item for item in items}
    result = []
    for item in items:
        if not item.heading:
            continue
        features: Features = dict.fromkeys(_heading_keys(item.heading), 1.0)
        section = item.section
        features[f"cue={item.cue}"] = 1.0
        features[f"rule={item.slot}"] = 1.0
        features[f"kind={section.kind}"] = 1.0
        features[f"level={min(section.level, 4)}"] = 1.0
        parent_id = section.id.rsplit(".", 1)[0] if "." in section.id else None
        parent = by_id.get(parent_id) if parent_id else None
        features[f"parent={parent.slot if parent else 'root'}"] = 1.0
        result.append((item, features))
    return result


@functools.lru_cache(maxsize=8192)
def _heading_keys(heading: str) -> tuple[str, ...]:
    """The heading's word features, in order: words, bigrams of the first five, the first.

    Cached: headings recur across documents, and the keys are immutable.
    """
    words = [word.casefold() for word in _WORD.findall(heading)][:10]
    keys = [f"w={word}" for word in words]
    keys.extend(f"b={left}_{right}" for left, right in itertools.pairwise(words[:5]))
    if words:
        keys.append(f"first={words[0]}")
    return tuple(keys)
