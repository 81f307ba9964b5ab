"""The ``vanban`` command line. Only this module writes to stdout/stderr.

Exit codes: 0 success, 1 when any input failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
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
    extract = commands.add_parser(
        "extract", help="one record (or error line) per input, as JSON Lines"
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    extract.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here, not stdout")
    extract.add_argument("--pretty", action="store_true", help="indented JSON, one object each")
    extract.add_argument(
        "--show", metavar="OUT.html", help="also write the documents with every value highlighted"
    )

    commands.add_parser("schema", help="print the record's JSON Schema")
    _add_annotations_parser(commands)
    return parser


def _add_annotations_parser(commands: Any) -> None:
    """``vanban annotations export|import``: exchange with Label Studio and doccano."""
    annotations = commands.add_parser(
        "annotations", help="exchange annotations with Label Studio or doccano"
    )
    actions = annotations.add_subparsers(dest="action", required=True, metavar="ACTION")
    formats = ["label-studio", "doccano"]
    export = actions.add_parser(
        "export", help="line-role and field spans over the normalized texts, for a labelling tool"
    )
    export.add_argument("--format", choices=formats, required=True)
    export.add_argument("--dir", default="annotations", help="annotation folder (annotations)")
    export.add_argument("-o", "--output", metavar="OUT", help="write here, not stdout")
    import_ = actions.add_parser(
        "import", help="write a labelling tool's line roles back into the annotation files"
    )
    import_.add_argument("input", metavar="INPUT", help="the tool's export (JSON or JSONL)")
    import_.add_argument("--format", choices=formats, required=True)
    import_.add_argument("--dir", default="annotations", help="annotation folder (annotations)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also the console-script entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "read":
            return _read(args)
        if args.command == "extract":
            return _extract(args)
        if args.command == "schema":
            from extractor.record import record_schema

            json.dump(record_schema(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return EXIT_OK
        if args.command == "annotations":
            return _annotations(args)
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


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; folders expanded to their files, sorted, hidden ones skipped."""
    from pathlib import Path

    expanded: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            expanded.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.is_file() and not any(part.startswith(".") for part in child.parts)
            )
        else:
            expanded.append(name)
    return expanded


def error_line(path: str, error: Exception) -> dict[str, Any]:
    """The JSON error line of an input that produced no record."""
    if isinstance(error, VanbanError):
        detail = error.to_dict()
    elif isinstance(error, FileNotFoundError):
        detail = {"type": "not_found", "message": f"no such file: {path}"}
    elif isinstance(error, OSError):
        detail = {"type": "unreadable", "message": f"cannot read {path}: {error.strerror}"}
    else:
        # A bug of ours: still one line per input, never a traceback.
        detail = {"type": "internal_error", "message": f"{type(error).__name__}: {error}"}
    return {"source": {"path": path}, "error": detail}


def _extract(args: argparse.Namespace) -> int:
    from extractor.extract import extract_document, load_document

    failed = 0
    lines: list[str] = []
    shown: list[Any] = []
    for path in _expand(args.paths):
        try:
            document = load_document(Path(path))
            record = extract_document(document)
        except Exception as error:  # every input gets a line; see error_line
            failed += 1
            payload = error_line(path, error)
        else:
            payload = record.to_dict()
            if args.show:
                shown.append((document, record))
        lines.append(json.dumps(payload, ensure_ascii=False, indent=2 if args.pretty else None))
    text = "".join(line + "\n" for line in lines)
    if args.output:
        _write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    if args.show:
        from extractor.spacy_component import render_html

        _write_atomically(args.show, render_html(shown))
    if failed:
        print(f"vanban: {failed} of {len(lines)} input(s) failed", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _annotations(args: argparse.Namespace) -> int:
    """``vanban annotations export|import``; a summary and warnings go to stderr."""
    from extractor import annotations

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"vanban: no annotation folder {folder}", file=sys.stderr)
        return EXIT_FAILED
    if args.action == "export":
        docs = list(annotations.iter_annotations(folder))
        text = annotations.serialize_export(docs, format=args.format)
        if args.output:
            _write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
        coverage = annotations.field_coverage(docs)
        found = ", ".join(
            f"{label} {counts['total'] - counts.get('missing', 0)}/{counts['total']}"
            for label, counts in sorted(coverage.items())
        )
        print(
            f"vanban: exported {len(docs)} document(s); field values found: {found}",
            file=sys.stderr,
        )
        return EXIT_OK
    imported = annotations.parse_import(
        Path(args.input).read_text(encoding="utf-8"), format=args.format, source=args.input
    )
    result = annotations.apply_import(folder, imported)
    for warning in result.warnings:
        print(f"vanban: warning: {warning}", file=sys.stderr)
    print(
        f"vanban: {len(result.changed)} annotation file(s) updated, "
        f"{len(result.unchanged)} unchanged",
        file=sys.stderr,
    )
    return EXIT_OK


def _write_atomically(path: str, text: str) -> None:
    """Write via a temporary file and a rename, so a crash leaves no torn file."""
    import os
    import tempfile

    target = Path(path).resolve()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".vanban-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    # mkstemp creates the file private (0600); an output file gets the usual mode.
    umask = os.umask(0)
    os.umask(umask)
    Path(temporary).chmod(0o666 & ~umask)
    Path(temporary).replace(target)


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
