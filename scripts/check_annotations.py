"""Check annotation files against GUIDE.md before they are committed.

    python scripts/check_annotations.py annotations/docs-001.json [...]

Reports every problem found; exits 1 if there is any. The full schema check
lives in the test suite; this is the annotator's quick self-check.
"""

import json
import sys
import unicodedata
from pathlib import Path

RECORD_KEYS = {
    "doc_type",
    "doc_type_code",
    "number",
    "issuing_body",
    "issuing_body_parent",
    "level",
    "place",
    "date",
    "title",
    "themes",
    "audience",
    "forms",
    "period",
    "deadlines",
    "recipients",
    "signer",
    "references",
}
ROLES = {
    "noise",
    "org",
    "motto",
    "number",
    "place_date",
    "doc_type",
    "title",
    "addressee",
    "heading",
    "recipients",
    "signer_authority",
    "signer_position",
    "signer_name",
    "annex",
    "table",
    "footnote",
}
SLOTS = {
    "purpose",
    "requirements",
    "content",
    "audience",
    "forms",
    "time",
    "reporting",
    "implementation",
    "other",
}


def strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def check(path: Path) -> list[str]:
    problems = []
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    canonical = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if raw != canonical:
        problems.append(
            "not canonically formatted (indent=2, sort_keys, ensure_ascii=False, final newline)"
        )
    text_path = path.parent / "texts" / f"{data.get('id')}.txt"
    if data.get("id") != path.stem or not text_path.exists():
        problems.append(f"id {data.get('id')!r} does not match a text file")
        return problems
    lines = text_path.read_bytes().decode("utf-8-sig").split("\n")
    record = data.get("record", {})
    missing = RECORD_KEYS - set(record)
    if missing:
        problems.append(f"record misses keys {sorted(missing)}")
    if data.get("scope") not in {"full", "closing"}:
        problems.append("scope must be full or closing")
    # Line texts are copies of the source, which may itself be non-NFC or end
    # its first 40 characters on a space; they are compared loosely below.
    for s in strings({key: value for key, value in data.items() if key != "lines"}):
        if s != unicodedata.normalize("NFC", s):
            problems.append(f"not NFC: {s[:40]!r}")
        if s != s.strip():
            problems.append(f"not stripped: {s[:40]!r}")
    previous = 0
    for entry in data.get("lines", []):
        number, role = entry.get("line"), entry.get("role")
        if not isinstance(number, int) or not 1 <= number <= len(lines):
            problems.append(f"line {number} out of range")
            continue
        if number <= previous:
            problems.append(f"line {number} out of order or repeated")
        previous = number
        expected = unicodedata.normalize("NFC", lines[number - 1].strip()[:40]).rstrip()
        given = unicodedata.normalize("NFC", str(entry.get("text"))).rstrip()
        if given != expected:
            problems.append(f"line {number}: text {entry.get('text')!r} != {expected!r}")
        if role not in ROLES:
            problems.append(f"line {number}: unknown role {role!r}")
        if role == "heading" and entry.get("slot") not in SLOTS:
            problems.append(f"line {number}: heading needs a slot from {sorted(SLOTS)}")
    return problems


def main() -> int:
    failed = 0
    for name in sys.argv[1:]:
        problems = check(Path(name))
        for problem in problems:
            print(f"{name}: {problem}")
        failed += bool(problems)
    print(f"{len(sys.argv) - 1 - failed} ok, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
