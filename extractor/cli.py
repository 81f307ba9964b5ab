"""The ``vanban`` command line. Only this module writes to stdout/stderr.

Exit codes: 0 success, 1 when any input failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from extractor.errors import VanbanError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors, which is what SPEC asks for."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(
        prog="vanban",
        description="Structured records and adaptation diffs from Vietnamese directive documents.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    read = commands.add_parser(
        "read", help="show the normalized text with its zones and section tree"
    )
    read.add_argument("file", help="a .txt/.md, .docx or .pdf file")
    read.add_argument("--json", action="store_true", help="print the same as JSON")
    read.add_argument(
        "--sentences", action="store_true", help="also split the body into sentences (slow)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also the console-script entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "read":
            return _read(args)
    except VanbanError as error:
        _print_error(getattr(args, "file", None), error)
        return EXIT_FAILED
    except OSError as error:
        print(f"vanban: {error}", file=sys.stderr)
        return EXIT_FAILED
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits


def _print_error(path: str | None, error: VanbanError) -> None:
    print(f"vanban: {error.code}: {error}", file=sys.stderr)


def _read(args: argparse.Namespace) -> int:
    from extractor.readers import read
    from extractor.structure import analyze

    document = read(args.file)
    structure = analyze(document)
    view = _read_view(document, structure, sentences=args.sentences)
    if args.json:
        json.dump(view, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    _print_read_view(view)
    return EXIT_OK


def _read_view(document: Any, structure: Any, *, sentences: bool) -> dict[str, Any]:
    """The ``vanban read --json`` object."""
    from extractor.text.segment import sentences as split_sentences

    def section_json(section: Any) -> dict[str, Any]:
        return {
            "id": section.id,
            "kind": section.kind,
            "marker": section.marker,
            "heading": section.heading,
            "start": section.start,
            "end": section.end,
            "page": document.page_of(section.start),
            "children": [section_json(child) for child in section.children],
        }

    view: dict[str, Any] = {
        "source": {
            "path": document.source.path,
            "sha256": document.source.sha256,
            "format": document.source.format,
            "pages": document.source.pages,
            "encoding": document.source.encoding,
        },
        "text": document.normalized,
        "zones": [
            {
                "zone": span.zone,
                "start": span.start,
                "end": span.end,
                "first_line": span.first_line,
                "last_line": span.last_line,
                "page": document.page_of(span.start),
            }
            for span in structure.zone_spans()
        ],
        "lines": [
            {"index": line.index, "start": line.start, "end": line.end, "zone": zone}
            for line, zone in zip(structure.lines, structure.zones, strict=True)
        ],
        "sections": [section_json(section) for section in structure.sections],
        "warnings": list(document.warnings),
    }
    if sentences:
        body = structure.lines_in("body")
        if body:
            start, end = body[0].start, body[-1].end
            view["sentences"] = [
                {"start": start + s.start, "end": start + s.end}
                for s in split_sentences(document.normalized[start:end])
            ]
    return view


_ZONE_STYLE = {
    "header": "bold cyan",
    "title": "bold magenta",
    "body": "default",
    "closing": "green",
    "annex": "yellow",
}


def _print_read_view(view: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    console = Console(highlight=False)
    source = view["source"]
    pages = f", {source['pages']} pages" if source["pages"] else ""
    console.print(f"[bold]{source['path']}[/bold] ({source['format']}{pages})")
    text = view["text"]
    heading_lines = {
        line["index"]
        for line in view["lines"]
        if any(s["start"] == line["start"] for s in _flatten(view["sections"]))
    }
    current_zone = None
    for line in view["lines"]:
        if line["zone"] != current_zone:
            current_zone = line["zone"]
            console.rule(f"[{_ZONE_STYLE[current_zone]}]{current_zone}", align="left")
        content = Text(f"{line['index']:4d}  ", style="dim")
        style = "bold" if line["index"] in heading_lines else _ZONE_STYLE[line["zone"]]
        content.append(text[line["start"] : line["end"]], style=style)
        console.print(content)
    console.rule("[bold]section tree", align="left")
    tree = Tree("sections")

    def add(node: Tree, sections: list[dict[str, Any]]) -> None:
        for section in sections:
            if section["kind"] == "bullet":
                continue
            label = f"[bold]{section['id']}[/bold]  {section['heading'] or '…'}"
            add(node.add(label), section["children"])

    add(tree, view["sections"])
    console.print(tree)
    for warning in view["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def _flatten(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for section in sections:
        flat.append(section)
        flat.extend(_flatten(section["children"]))
    return flat


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
