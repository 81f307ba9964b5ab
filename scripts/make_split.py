"""Write annotations/split.json: the fixed train/dev split, by group of documents, and the test set.

Documents of one implementing chain or one issuing body form a group and stay
on one side, so dev wording never leaks from a sibling in train. The seed
samples are train (the product was designed from them). A group goes to dev
when the first byte of sha256(group) falls in the dev share (about 30 %).

    python scripts/make_split.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.text.normalize import match_key  # noqa: E402

# Implementing chains named in the corpus README: kept together.
CHAINS = [
    {"docs-082", "docs-038", "docs-039", "docs-027"},
    {"docs-034", "docs-035"},
    {"docs-085", "docs-086", "docs-074"},
    {"docs-087", "docs-045"},
]
DEV_SHARE = 0.3
#: The test set: corpus documents annotated from the text alone in session 3,
#: after the rules and models were written, in two batches (the second after
#: the two error classes the first showed had been fixed). They stay out of
#: train and dev for good; their errors are fixed only as general classes.
TEST = frozenset(
    f"vbpl-doc_{number:06d}"
    for number in (
        24, 42, 48, 60, 138, 141, 174, 183, 270, 363,
        390, 396, 417, 465, 489, 525, 528, 585, 603, 750,
        33, 90, 189, 279, 282, 291, 294, 321, 351, 405,
        441, 444, 477, 495, 498, 516, 531, 546, 549, 735,
    )
)  # fmt: skip


def group_of(doc_id: str, record: dict[str, object]) -> str:
    for number, chain in enumerate(CHAINS):
        if doc_id in chain:
            return f"chain-{number}"
    if doc_id.startswith("vbpl-"):
        return doc_id
    return "body:" + match_key(str(record.get("issuing_body") or doc_id))


def main() -> None:
    split: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for path in sorted((ROOT / "annotations").glob("*.json")):
        if path.name in {"sources.json", "split.json"}:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        doc_id = data["id"]
        if doc_id.startswith("sample-"):
            split["train"].append(doc_id)
            continue
        if doc_id in TEST:
            split["test"].append(doc_id)
            continue
        digest = hashlib.sha256(group_of(doc_id, data["record"]).encode()).digest()
        side = "dev" if digest[0] < 256 * DEV_SHARE else "train"
        split[side].append(doc_id)
    out = {
        "description": (
            "Fixed train/dev split by document group, plus the blind test set; "
            "written by scripts/make_split.py."
        ),
        "dev": sorted(split["dev"]),
        "test": sorted(split["test"]),
        "train": sorted(split["train"]),
    }
    text = json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (ROOT / "annotations" / "split.json").write_text(text, encoding="utf-8")
    print(f"train {len(split['train'])}, dev {len(split['dev'])}, test {len(split['test'])}")


if __name__ == "__main__":
    main()
