"""Print a text file with 1-based line numbers, the numbering annotations use.

Lines are split on "\n" only, after decoding the file as UTF-8 (a BOM is
dropped), so the numbers match `annotations/*.json` "lines" entries.

    python scripts/numbered_lines.py annotations/texts/docs-001.txt [FROM [TO]]
"""

import sys
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1])
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    last = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    for number, line in enumerate(lines, start=1):
        if first <= number <= last:
            sys.stdout.write(f"{number:5d}| {line}\n")


if __name__ == "__main__":
    main()
