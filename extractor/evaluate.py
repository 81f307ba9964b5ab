"""Score records against the gold annotations, field by field (SPEC "How quality is measured").

- scalar fields (doc_type, number, date, place, level, signer.name): exact
  match after NFC + tone normalization + case folding + whitespace removal;
- names (issuing_body, title): token-sort ratio ≥ 90 against gold or an alias;
- lists (themes, forms, recipients, references by number, deadlines by date):
  precision/recall/F1 with item-level fuzzy matching, micro-averaged;
- audience: token-level F1 between the joined predicted and gold statements.

A value where the gold is null/[] counts as a false positive. ``scope:
"closing"`` documents are scored on the header fields, references, recipients
and signer only.

    python -m extractor.evaluate --split dev
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.text.normalize import match_key

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "annotations"

SCALAR_FIELDS = ("doc_type", "number", "date", "place", "level", "signer.name")
NAME_FIELDS = ("issuing_body", "title")
LIST_FIELDS = ("themes", "forms", "recipients", "references", "deadlines")
CLOSING_SCOPE = frozenset(
    {"doc_type", "number", "date", "place", "level", "signer.name", "issuing_body", "title"}
    | {"recipients", "references"}
)
ALL_FIELDS = (*SCALAR_FIELDS, *NAME_FIELDS, *LIST_FIELDS, "audience", "relation")
FUZZY_THRESHOLD = 90


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document."""

    id: str
    text_path: Path
    record: dict[str, Any]
    aliases: dict[str, list[str]]
    scope: str
    lines: list[dict[str, Any]]


def load_split() -> dict[str, list[str]]:
    """The fixed train/dev/test split (``annotations/split.json``).

    ``test`` holds documents annotated from the text after the rules were
    written, kept out of training: the figure to expect on unseen text (the
    error classes they showed were fixed only as general rules).
    """
    data: dict[str, list[str]] = json.loads((ANNOTATIONS / "split.json").read_text("utf-8"))
    return data


def load_gold(split: str = "all") -> Iterator[GoldDocument]:
    """Yield the gold documents of ``split`` ("train", "dev", "test" or "all"), sorted by id."""
    wanted = None if split == "all" else set(load_split()[split])
    for path in sorted(ANNOTATIONS.glob("*.json")):
        if path.name in {"sources.json", "split.json"}:
            continue
        data = json.loads(path.read_text("utf-8"))
        if wanted is not None and data["id"] not in wanted:
            continue
        yield GoldDocument(
            id=data["id"],
            text_path=ANNOTATIONS / "texts" / f"{data['id']}.txt",
            record=data["record"],
            aliases=data.get("aliases", {}),
            scope=data.get("scope", "full"),
            lines=data.get("lines", []),
        )


def fold(value: object) -> str:
    """Fold a scalar for exact comparison: normalized, case-folded, no whitespace.

    >>> fold("Số 60 -KH/ĐUK") == fold("số 60-kh/đuk")
    True
    """
    return "".join(match_key(str(value)).split()) if value is not None else ""


def fuzzy(left: str, right: str) -> float:
    """Token-sort ratio (0-100) of two strings after folding case and tones."""
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(match_key(left), match_key(right)))


@dataclass(slots=True)
class Tally:
    """Counts for one field over many documents."""

    correct: int = 0
    total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    f1_sum: float = 0.0
    f1_docs: int = 0
    errors: list[str] = field(default_factory=list)

    def precision(self) -> float:
        """Precision: tp / (tp + fp), 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        """Recall: tp / (tp + fn), 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


def _get(record: dict[str, Any], name: str) -> Any:
    if name == "signer.name":
        signer = record.get("signer") or {}
        return signer.get("name")
    return record.get(name)


def _list_keys(name: str, items: Sequence[Any]) -> list[str]:
    if name == "references":
        return [fold(item.get("number")) for item in items if item.get("number")]
    if name == "deadlines":
        return [str(item.get("date")) for item in items if item.get("date")]
    if name == "recipients":
        return [str(item.get("name")) for item in items if item.get("name")]
    return [str(item) for item in items]


def match_items(
    predicted: Sequence[str], gold: Sequence[str], same: Callable[[str, str], bool]
) -> tuple[int, int, int]:
    """Greedy one-to-one matching: (true positives, false positives, false negatives)."""
    unmatched = list(gold)
    tp = 0
    for item in predicted:
        for index, candidate in enumerate(unmatched):
            if same(item, candidate):
                tp += 1
                del unmatched[index]
                break
    return tp, len(predicted) - tp, len(unmatched)


def _same_item(name: str) -> Callable[[str, str], bool]:
    if name in {"references", "deadlines"}:
        return lambda left, right: left == right
    return lambda left, right: fuzzy(left, right) >= FUZZY_THRESHOLD


def _tokens(statements: Iterable[str]) -> Counter[str]:
    return Counter(match_key(" ".join(statements)).replace(",", " ").replace(".", " ").split())


def score_document(
    predicted: dict[str, Any], gold: GoldDocument, tallies: dict[str, Tally]
) -> None:
    """Add one document's comparison to ``tallies`` (one Tally per field)."""
    for name in ALL_FIELDS:
        if gold.scope == "closing" and name not in CLOSING_SCOPE:
            continue
        tally = tallies.setdefault(name, Tally())
        if name in SCALAR_FIELDS or name in NAME_FIELDS:
            got, want = _get(predicted, name), _get(gold.record, name)
            if name in NAME_FIELDS and want is not None:
                options = [want, *gold.aliases.get(name, [])]
                ok = got is not None and any(fuzzy(got, o) >= FUZZY_THRESHOLD for o in options)
            else:
                ok = fold(got) == fold(want)
            tally.total += 1
            tally.correct += ok
            if not ok:
                tally.errors.append(f"{gold.id}: got {got!r}, want {want!r}")
        elif name in LIST_FIELDS:
            got_items = _list_keys(name, predicted.get(name) or [])
            want_items = _list_keys(name, gold.record.get(name) or [])
            tp, fp, fn = match_items(got_items, want_items, _same_item(name))
            tally.tp += tp
            tally.fp += fp
            tally.fn += fn
            if fp or fn:
                tally.errors.append(f"{gold.id}: +{fp} -{fn}")
        elif name == "relation":
            gold_references = gold.record.get("references") or []
            want_rel = {fold(r["number"]): r["relation"] for r in gold_references}
            for ref in predicted.get("references") or []:
                key = fold(ref.get("number"))
                if key in want_rel:
                    tally.total += 1
                    tally.correct += ref.get("relation") == want_rel[key]
        elif name == "audience":
            got_tokens = _tokens(predicted.get("audience") or [])
            want_tokens = _tokens(gold.record.get("audience") or [])
            overlap = sum((got_tokens & want_tokens).values())
            if not got_tokens and not want_tokens:
                f1 = 1.0
            elif not overlap:
                f1 = 0.0
            else:
                p = overlap / sum(got_tokens.values())
                r = overlap / sum(want_tokens.values())
                f1 = 2 * p * r / (p + r)
            tally.f1_sum += f1
            tally.f1_docs += 1


def invented_dates(predicted: dict[str, Any], gold: GoldDocument) -> int:
    """1 when a date was produced where the gold has none (the worst error)."""
    return int(predicted.get("date") is not None and gold.record.get("date") is None)


def metric(name: str, tally: Tally) -> float:
    """The headline figure of a field: accuracy, F1 or mean token F1."""
    if name in LIST_FIELDS:
        return tally.f1()
    if name == "audience":
        return tally.f1_sum / tally.f1_docs if tally.f1_docs else 1.0
    return tally.correct / tally.total if tally.total else 1.0


def evaluate(
    extract_record: Callable[[Path], dict[str, Any]], split: str = "dev"
) -> tuple[dict[str, Tally], int, int]:
    """Run ``extract_record`` over the gold documents of ``split`` and tally every field."""
    tallies: dict[str, Tally] = {}
    invented = 0
    count = 0
    from extractor.errors import VanbanError

    for gold in load_gold(split):
        try:
            predicted = extract_record(gold.text_path)
        except VanbanError:
            predicted = {}  # no record: every field counts as not found
        score_document(predicted, gold, tallies)
        invented += invented_dates(predicted, gold)
        count += 1
    return tallies, invented, count


def ner_issuing_body(path: Path) -> str | None:
    """The baseline: underthesea's generic NER, first organisation in the opening lines.

    It is what a user would try first; it knows nothing of this domain (it
    tags "Tỉnh ủy Lạng Sơn" as a location), which is why vanban has rules.
    """
    from underthesea import ner

    from extractor.extract import load_document

    lines = [line for line in load_document(path).normalized.split("\n") if line.strip()]
    for line in lines[:15]:
        words: list[str] = []
        for token, *_tags, entity in ner(line):
            if entity.endswith("ORG"):
                if entity.startswith("B-") and words:
                    break
                words.append(token)
            elif words:
                break
        if words:
            return " ".join(words)
    return None


def ner_baseline(split: str) -> float:
    """Issuing-body accuracy of :func:`ner_issuing_body` (SPEC's fuzzy match)."""
    from extractor.errors import VanbanError

    tallies: dict[str, Tally] = {}
    for gold in load_gold(split):
        try:
            predicted = {"issuing_body": ner_issuing_body(gold.text_path)}
        except VanbanError:
            predicted = {}
        score_document(predicted, gold, tallies)
    return metric("issuing_body", tallies["issuing_body"])


def report(tallies: dict[str, Tally]) -> list[dict[str, Any]]:
    """Rows of the per-field table."""
    rows = []
    for name in ALL_FIELDS:
        if name not in tallies:
            continue
        tally = tallies[name]
        row: dict[str, Any] = {"field": name, "score": round(metric(name, tally), 4)}
        if name in LIST_FIELDS:
            row |= {"precision": round(tally.precision(), 4), "recall": round(tally.recall(), 4)}
            row["support"] = tally.tp + tally.fn
        elif name == "audience":
            row["support"] = tally.f1_docs
        else:
            row["support"] = tally.total
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the per-field scores of the rules pipeline on a split."""
    parser = argparse.ArgumentParser(prog="python -m extractor.evaluate")
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test", "all"])
    parser.add_argument("--errors", action="store_true", help="list the wrong documents")
    args = parser.parse_args(argv)
    from extractor import extract

    rules, rules_invented, count = evaluate(
        lambda path: extract(path, use_models=False).to_dict(), args.split
    )
    tallies, invented, count = evaluate(lambda path: extract(path).to_dict(), args.split)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{args.split} split: {count} documents")
    columns = ("field", "rules only", "rules + classifiers", "precision", "recall", "support")
    for column in columns:
        table.add_column(column, justify="left" if column == "field" else "right")
    baseline = {row["field"]: row["score"] for row in report(rules)}
    for row in report(tallies):
        table.add_row(
            row["field"],
            str(baseline.get(row["field"], "")),
            str(row["score"]),
            *(str(row.get(column, "")) for column in ("precision", "recall", "support")),
        )
    console = Console()
    console.print(table)
    console.print(f"invented dates: rules only {rules_invented}, rules + classifiers {invented}")
    console.print(
        f"baseline: underthesea NER organisations as issuing_body: {ner_baseline(args.split):.4f}"
    )
    if args.errors:
        for name, tally in tallies.items():
            for error in tally.errors:
                console.print(f"[dim]{name}[/dim] {error}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
