"""Print a table of the key fields of a records file (used by `make demo`).

python scripts/summarize.py out/records.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main() -> None:
    table = Table(title="vanban records", show_lines=True)
    columns = ("file", "type", "number", "date", "issuing body", "themes", "deadlines", "signer")
    for column in columns:
        table.add_column(column, overflow="fold")
    failed = 0
    for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        name = Path(record["source"]["path"]).name
        if "error" in record:
            failed += 1
            table.add_row(name, "[red]error", record["error"]["type"], "", "", "", "", "")
            continue
        signer = record["signer"] or {}
        table.add_row(
            name,
            record["doc_type"] or "—",
            record["number"] or "—",
            record["date"] or "—",
            record["issuing_body"] or "—",
            "; ".join(record["themes"]) or "—",
            ", ".join(d["date"] for d in record["deadlines"]) or "—",
            signer.get("name") or "—",
        )
    console = Console(width=max(Console().width, 140))
    console.print(table)
    if failed:
        console.print(f"[red]{failed} input(s) failed")


if __name__ == "__main__":
    main()
