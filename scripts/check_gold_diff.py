"""Check the hand-written gold paragraph alignments in tests/golden/diff/.

    python scripts/check_gold_diff.py                 # every real-pair file
    python scripts/check_gold_diff.py FILE.json [...] # only these

For each file it verifies what /work/briefs/gold_alignment.md asks of a gold
alignment and prints per-file counts; exits 1 if any problem is found.

- the file is canonical JSON (sort_keys, indent=2, ensure_ascii=False, final newline);
- keys: ``upper``, ``lower`` (paths relative to the repository), ``related``
  (bool), ``note`` (non-empty), ``pairs`` (list of entries);
- each entry has a valid ``status``; ``dropped`` has ``lower: null`` and
  ``added`` has ``upper: null``, every other status has both anchors; no
  entry is repeated; an unrelated pair has only dropped/added entries;
- each anchor is a verbatim substring of the document's normalized text
  (``extractor.extract.load_document(path).normalized``), at least 25
  characters unless it is the whole paragraph, that occurs exactly once there
  and lies inside one body line (a ``body`` line of ``extractor.structure``);
- every body line of both documents is covered by at least one entry.

One extension to the brief's format: a paragraph whose *whole text* occurs
several times in its document (e.g. the five identical "- Thời gian nghiên
cứu, học tập, quán triệt: ½ ngày; …" lines of sample 001) cannot have a
unique anchor. Its entry then carries ``upper_occurrence`` /
``lower_occurrence``: the 0-based index of the wanted match among all
(overlapping) matches of the anchor in the normalized text. The anchor must
then be the whole paragraph, and the field is refused where the anchor is
unique anyway.

Files whose name starts with ``_`` (synthetic pairs owned by another helper)
are skipped unless named on the command line.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "golden" / "diff"
STATUSES = {"kept", "modified", "moved", "dropped", "added"}
PAIRED = {"kept", "modified", "moved"}
TOP_KEYS = {"upper", "lower", "related", "note", "pairs"}
ENTRY_KEYS = {"upper", "lower", "status", "upper_occurrence", "lower_occurrence"}
MIN_ANCHOR = 25

sys.path.insert(0, str(ROOT))

from extractor.extract import load_document  # noqa: E402
from extractor.structure import analyze  # noqa: E402


@dataclass(frozen=True)
class Side:
    """A document's normalized text and its body lines as (index, start, end)."""

    text: str
    body: tuple[tuple[int, int, int], ...]

    def line_of(self, start: int, end: int) -> int | None:
        """Index of the body line that contains [start, end), or None."""
        for index, line_start, line_end in self.body:
            if line_start <= start and end <= line_end:
                return index
        return None

    def line_text(self, index: int) -> str:
        """The text of body line ``index``."""
        for i, start, end in self.body:
            if i == index:
                return self.text[start:end]
        raise KeyError(index)


@dataclass
class Report:
    """Problems and counts for one gold file."""

    name: str
    problems: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    line_pairs: set[tuple[int, int]] = field(default_factory=set)
    covered: dict[str, set[int]] = field(default_factory=lambda: {"upper": set(), "lower": set()})
    body_lines: dict[str, int] = field(default_factory=dict)


def load_side(relative: str) -> Side:
    """Load a document (path relative to the repository) and its body lines."""
    document = load_document(ROOT / relative)
    structure = analyze(document)
    body = tuple(
        (line.index, line.start, line.end)
        for line, zone in zip(structure.lines, structure.zones, strict=True)
        if zone == "body"
    )
    return Side(document.normalized, body)


def matches(text: str, anchor: str) -> list[int]:
    """Start offsets of every (overlapping) occurrence of ``anchor`` in ``text``."""
    found = []
    at = text.find(anchor)
    while at >= 0:
        found.append(at)
        at = text.find(anchor, at + 1)
    return found


def resolve(
    side: Side, anchor: object, occurrence: object, where: str, report: Report
) -> int | None:
    """The body line an anchor points at, recording any problem in ``report``."""
    if not isinstance(anchor, str) or not anchor:
        report.problems.append(f"{where}: anchor must be a non-empty string, got {anchor!r}")
        return None
    found = matches(side.text, anchor)
    if not found:
        report.problems.append(f"{where}: anchor not found: {anchor!r}")
        return None
    if occurrence is None:
        if len(found) != 1:
            report.problems.append(f"{where}: anchor occurs {len(found)} times: {anchor!r}")
            return None
        start = found[0]
    else:
        if len(found) == 1:
            report.problems.append(f"{where}: occurrence given but anchor is unique: {anchor!r}")
        if (
            not isinstance(occurrence, int)
            or isinstance(occurrence, bool)
            or not 0 <= occurrence < len(found)
        ):
            report.problems.append(f"{where}: bad occurrence {occurrence!r} ({len(found)} matches)")
            return None
        start = found[occurrence]
    line = side.line_of(start, start + len(anchor))
    if line is None:
        report.problems.append(f"{where}: anchor not inside one body line: {anchor!r}")
        return None
    paragraph = side.line_text(line)
    if len(anchor) < MIN_ANCHOR and anchor != paragraph.strip():
        report.problems.append(
            f"{where}: anchor shorter than {MIN_ANCHOR} and not the whole paragraph: {anchor!r}"
        )
    if occurrence is not None and anchor != paragraph:
        report.problems.append(
            f"{where}: an occurrence anchor must be the whole paragraph: {anchor!r}"
        )
    return line


def check_file(path: Path) -> Report:
    """Check one gold file."""
    report = Report(path.name)
    raw = path.read_text(encoding="utf-8")
    try:
        gold = json.loads(raw)
    except json.JSONDecodeError as error:
        report.problems.append(f"not JSON: {error}")
        return report
    if raw != json.dumps(gold, sort_keys=True, indent=2, ensure_ascii=False) + "\n":
        report.problems.append(
            "not canonical JSON (sort_keys, indent=2, ensure_ascii=False, final newline)"
        )
    if not isinstance(gold, dict) or set(gold) != TOP_KEYS:
        report.problems.append(f"top-level keys must be {sorted(TOP_KEYS)}")
        return report
    if not isinstance(gold["related"], bool):
        report.problems.append("related must be true or false")
    if not isinstance(gold["note"], str) or not gold["note"].strip():
        report.problems.append("note must be a non-empty string")
    stem = path.stem.split("__")
    expected = [Path(gold["upper"]).stem, Path(gold["lower"]).stem]
    if stem != expected:
        report.problems.append(f"file name {path.name} does not match upper/lower stems {expected}")
    sides = {"upper": load_side(gold["upper"]), "lower": load_side(gold["lower"])}
    report.body_lines = {name: len(side.body) for name, side in sides.items()}
    seen: set[tuple[int | None, int | None]] = set()
    for number, entry in enumerate(gold["pairs"]):
        where = f"pairs[{number}]"
        if not isinstance(entry, dict) or not set(entry) <= ENTRY_KEYS or "status" not in entry:
            report.problems.append(
                f"{where}: keys must be within {sorted(ENTRY_KEYS)} and include status"
            )
            continue
        status = entry["status"]
        if status not in STATUSES:
            report.problems.append(f"{where}: bad status {status!r}")
            continue
        report.statuses[status] += 1
        lines: dict[str, int | None] = {}
        for name in ("upper", "lower"):
            needed = status in PAIRED or status == {"upper": "dropped", "lower": "added"}[name]
            anchor = entry.get(name)
            occurrence = entry.get(f"{name}_occurrence")
            if not needed:
                if anchor is not None or occurrence is not None:
                    report.problems.append(f"{where}: {status} entry must have {name}: null")
                lines[name] = None
                continue
            line = resolve(sides[name], anchor, occurrence, f"{where}.{name}", report)
            lines[name] = line
            if line is not None:
                report.covered[name].add(line)
        key = (lines["upper"], lines["lower"])
        if None not in key or status in ("dropped", "added"):
            if key in seen:
                report.problems.append(f"{where}: repeats the line pair {key}")
            seen.add(key)
        if status in PAIRED and None not in key:
            report.line_pairs.add((key[0], key[1]))  # type: ignore[arg-type]
    if gold["related"] is False and report.line_pairs:
        report.problems.append("an unrelated pair must have only dropped/added entries")
    if gold["related"] is True and not report.line_pairs:
        report.problems.append("a related pair needs at least one kept/modified/moved entry")
    for name, side in sides.items():
        missing = [index for index, _, _ in side.body if index not in report.covered[name]]
        if missing:
            report.problems.append(f"{name} body lines not covered: {missing}")
        paired = {pair[0 if name == "upper" else 1] for pair in report.line_pairs}
        alone = {"upper": "dropped", "lower": "added"}[name]
        for number, entry in enumerate(gold["pairs"]):
            if entry.get("status") == alone:
                line = resolve(
                    side, entry.get(name), entry.get(f"{name}_occurrence"), "", Report("")
                )
                if line in paired:
                    report.problems.append(
                        f"pairs[{number}]: {name} line {line} is {alone} but also paired"
                    )
    return report


def summary(report: Report) -> str:
    """One line of counts for a checked file."""
    counts = ", ".join(f"{status} {report.statuses[status]}" for status in sorted(STATUSES))
    paired_upper = len({upper for upper, _ in report.line_pairs})
    paired_lower = len({lower for _, lower in report.line_pairs})
    return (
        f"{report.name}: entries {sum(report.statuses.values())} ({counts}); "
        f"line pairs {len(report.line_pairs)}; "
        f"upper lines covered {len(report.covered['upper'])}/{report.body_lines.get('upper', 0)} "
        f"(paired {paired_upper}); "
        f"lower lines covered {len(report.covered['lower'])}/{report.body_lines.get('lower', 0)} "
        f"(paired {paired_lower})"
    )


def main(argv: list[str]) -> int:
    """Check the named files (or every real-pair gold file) and report."""
    files = [Path(arg) for arg in argv] or sorted(
        path for path in GOLD_DIR.glob("*.json") if not path.name.startswith("_")
    )
    failed = 0
    for path in files:
        report = check_file(path)
        print(summary(report))
        for problem in report.problems:
            print(f"  PROBLEM {problem}")
        failed += bool(report.problems)
    print(f"{len(files)} file(s) checked, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
