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
    _add_lineage_parser(commands)
    _add_batch_parser(commands)
    _add_diff_parser(commands)
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


def _add_input_filters(parser: argparse.ArgumentParser) -> None:
    """``--include``/``--exclude`` globs, shared by the commands that read archives."""
    parser.add_argument(
        "--include", action="append", default=[], metavar="GLOB", help="only matching inputs"
    )
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="leave matching inputs out"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (also the console-script entry point)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _quiet_parser_logs()
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
        if args.command == "lineage":
            return _lineage(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "diff":
            if args.against is not None or args.lower is None:
                return _diff_against(args, parser)
            return _diff(args)
    except VanbanError as error:
        _print_error(getattr(args, "file", None), error)
        return EXIT_FAILED
    except OSError as error:
        print(f"vanban: {error}", file=sys.stderr)
        return EXIT_FAILED
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE  # pragma: no cover - parser.error exits


def _quiet_parser_logs() -> None:
    """Keep pdfminer's per-object complaints ("Invalid MediaBox …") off stderr.

    A damaged PDF already gets its typed error line; the parser's warnings,
    printed by logging's last-resort handler without a file name, only bury
    the summary.
    """
    import logging

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)


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


def _extract(args: argparse.Namespace) -> int:
    from extractor.batch.rows import error_row
    from extractor.extract import extract_document, load_document

    failed = 0
    lines: list[str] = []
    shown: list[Any] = []
    for path in _expand(args.paths):
        try:
            document = load_document(Path(path))
            record = extract_document(document)
        except Exception as error:  # every input gets a line; see error_row
            failed += 1
            payload = error_row(path, error)
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


def _add_lineage_parser(commands: Any) -> None:
    """``vanban lineage INPUT... [-o graph.json|graph.html]``: the citation graph."""
    lineage = commands.add_parser(
        "lineage", help="the citation graph of an archive, as JSON or an HTML view"
    )
    lineage.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files, folders, .zip archives, @list files (as for batch), or a records .jsonl",
    )
    lineage.add_argument(
        "-o", "--output", metavar="OUT", help="graph.json or graph.html (default: JSON on stdout)"
    )
    lineage.add_argument(
        "--format", choices=["json", "html"], help="output format (default: from OUT's suffix)"
    )
    _add_input_filters(lineage)
    lineage.add_argument(
        "--no-diffs",
        action="store_true",
        help="HTML: do not write the diff of each child against its parent",
    )


def _lineage(args: argparse.Namespace) -> int:
    """Build the graph; JSON to stdout or OUT, or the HTML view with its diff pages."""
    from extractor.lineage import build_graph, load_archive

    archive = load_archive(args.inputs, include=args.include, exclude=args.exclude)
    for error in archive.errors:
        detail = error.get("error") or {}
        path = (error.get("source") or {}).get("path")
        print(f"vanban: {path}: {detail.get('type')}: {detail.get('message')}", file=sys.stderr)
    graph = build_graph(archive.records)
    fmt = args.format or (
        "html" if (args.output or "").lower().endswith((".html", ".htm")) else "json"
    )
    if fmt == "json":
        text = json.dumps(graph.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if args.output:
            _write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
    else:
        _write_lineage_html(graph, args)
    inside = sum(1 for edge in graph.edges if not graph.node(edge.target).external)
    print(
        f"vanban: lineage of {len(archive.records)} document(s): {len(graph.edges)} citation(s), "
        f"{inside} between archive documents, {len(graph.campaigns)} campaign(s)"
        + (f"; {len(archive.errors)} input(s) failed" if archive.errors else ""),
        file=sys.stderr,
    )
    return EXIT_FAILED if archive.errors else EXIT_OK


def _write_lineage_html(graph: Any, args: argparse.Namespace) -> None:
    """The HTML view at OUT (stdout without one), the diff pages in OUT's ``<stem>_diffs/``."""
    from extractor.lineage import render_html

    links: dict[tuple[str, str], str] = {}
    if args.output and not args.no_diffs:
        target = Path(args.output)
        folder = target.with_name(f"{target.stem}_diffs")
        from extractor.lineage import diff_pages

        pages = list(diff_pages(graph))
        if pages:
            folder.mkdir(parents=True, exist_ok=True)
        for page in pages:
            if page.html is None:
                print(f"vanban: no diff for {page.name}: {page.problem}", file=sys.stderr)
                continue
            _write_atomically(str(folder / page.name), page.html)
            links[(page.edge.source, page.edge.target)] = f"{folder.name}/{page.name}"
    page_text = render_html(graph, diff_links=links)
    if args.output:
        _write_atomically(args.output, page_text)
    else:
        sys.stdout.write(page_text)


def _diff_against(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``vanban diff LOWER --against ARCHIVE``: find LOWER's parent there, then diff."""
    if args.against is None:
        parser.error("diff needs UPPER and LOWER, or LOWER --against ARCHIVE_OR_RECORDS")
    if args.lower is not None:
        parser.error("with --against, give only LOWER: the archive supplies the upper document")
    parent = _parent_against(args.upper, args.against)
    if parent is None:
        return EXIT_FAILED
    args.upper, args.lower = parent, args.upper
    return _diff(args)


def _parent_against(lower: str, against: str) -> str | None:
    """The file LOWER implements within ARCHIVE_OR_RECORDS; None (and why, on stderr) if none."""
    from extractor.extract import extract_document, load_document
    from extractor.lineage import find_parent, load_archive

    archive = load_archive([against])
    if archive.errors:
        print(f"vanban: {len(archive.errors)} archive input(s) gave no record", file=sys.stderr)
    record = extract_document(load_document(Path(lower))).to_dict()
    search = find_parent(record, archive.records)
    if search.parent is None:
        print(f"vanban: {search.message()}", file=sys.stderr)
        return None
    if not search.parent.path or not Path(search.parent.path).is_file():
        print(
            f"vanban: the parent {search.parent.label()} is {search.parent.path}, "
            "not a file on disk: extract it from its archive first",
            file=sys.stderr,
        )
        return None
    print(f"vanban: parent found: {search.message()}", file=sys.stderr)
    return search.parent.path


def _add_batch_parser(commands: Any) -> None:
    """``vanban batch``: archives in parallel, to JSON Lines, CSV, Parquet or SQLite."""
    from extractor.limits import BATCH_TIMEOUT_SECONDS

    batch = commands.add_parser(
        "batch",
        help="extract whole archives (folders, zip files, @lists) in parallel, resumably",
        description="One row per input (a record or an error line), written as it completes. "
        "Exit code 1 when any input failed.",
    )
    batch.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="files, folders, .zip archives, @list.txt"
    )
    batch.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file (a folder for parquet)"
    )
    batch.add_argument(
        "--format",
        choices=["jsonl", "csv", "parquet", "sqlite"],
        help="output format (default: from OUT's extension, else jsonl)",
    )
    batch.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default: number of cores)"
    )
    batch.add_argument("--engine", choices=["local", "dask"], default="local")
    batch.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786"
    )
    batch.add_argument(
        "--resume", action="store_true", help="keep OUT's rows and process only the rest"
    )
    _add_input_filters(batch)
    batch.add_argument(
        "--timeout",
        type=float,
        default=BATCH_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"time budget of one document (default {BATCH_TIMEOUT_SECONDS:g})",
    )


#: Seconds between two plain progress lines when stderr is not a terminal.
_PROGRESS_LINE_SECONDS = 5.0


def _batch(args: argparse.Namespace) -> int:
    """``vanban batch``: progress on stderr, a summary, exit 1 when any input failed."""
    from extractor.batch import run_batch
    from extractor.batch.writers import format_for

    problem = None
    if args.scheduler and args.engine != "dask":
        problem = "--scheduler needs --engine dask"
    elif args.workers is not None and args.workers < (1 if args.engine == "dask" else 0):
        problem = f"--workers must be at least {1 if args.engine == 'dask' else 0}"
    elif not args.timeout > 0:
        problem = "--timeout must be positive"
    if problem:
        print(f"vanban batch: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    output_format = args.format or format_for(args.output)
    reporter = _BatchProgress(live=sys.stderr.isatty())
    try:
        with reporter:
            summary = run_batch(
                args.inputs,
                args.output,
                format=output_format,
                workers=args.workers,
                engine=args.engine,
                scheduler=args.scheduler,
                resume=args.resume,
                include=args.include,
                exclude=args.exclude,
                timeout=args.timeout,
                progress=reporter.update,
            )
    except KeyboardInterrupt:
        print(
            f"vanban: interrupted; the rows done so far are in {args.output}: "
            "run the same command with --resume to finish",
            file=sys.stderr,
        )
        return 130
    reporter.final()
    where = f"{summary.workers} worker(s), {summary.engine}" if summary.workers else "in process"
    print(
        f"vanban: {summary.processed} document(s) in {summary.elapsed:.1f} s "
        f"({summary.docs_per_second:.1f} docs/s, {where}): "
        f"{summary.succeeded} record(s), {summary.failed} failed, "
        f"{summary.skipped} skipped (already in the output)",
        file=sys.stderr,
    )
    if summary.errors:
        by_type = ", ".join(f"{kind} {count}" for kind, count in summary.errors.items())
        print(f"vanban: failed by type: {by_type}", file=sys.stderr)
    print(f"vanban: wrote {args.output} ({summary.format})", file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


class _BatchProgress:
    """A rich progress bar on a terminal; plain periodic lines otherwise."""

    def __init__(self, *, live: bool) -> None:
        self.live = live
        self.last: Any = None
        self.printed: Any = None
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _BatchProgress:
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]vanban batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} docs/s · {task.fields[failed]} failed"),
                TextColumn("· ETA {task.fields[eta]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self.bar.start()
            self.task = self.bar.add_task("batch", total=None, rate=0.0, failed=0, eta="?")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, progress: Any) -> None:
        self.last = progress
        if self.bar is not None:
            self.bar.update(
                self.task,
                completed=progress.processed + progress.skipped,
                total=progress.total,
                rate=progress.rate,
                failed=progress.failed,
                eta=_duration(progress.eta),
            )
        elif progress.elapsed - (self.printed.elapsed if self.printed else 0) >= (
            _PROGRESS_LINE_SECONDS
        ):
            self._line(progress)

    def final(self) -> None:
        """The last plain line, unless it was just printed."""
        if self.bar is None and self.last is not None and self.last is not self.printed:
            self._line(self.last)

    def _line(self, progress: Any) -> None:
        self.printed = progress
        total = "?" if progress.total is None else str(progress.total)
        print(
            f"vanban: progress {progress.processed + progress.skipped}/{total} "
            f"({progress.skipped} skipped), {progress.failed} failed, "
            f"{progress.rate:.1f} docs/s, elapsed {_duration(progress.elapsed)}, "
            f"ETA {_duration(progress.eta)}",
            file=sys.stderr,
            flush=True,
        )


def _duration(seconds: float | None) -> str:
    """``1:02:03``-style duration, ``?`` when unknown."""
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _add_diff_parser(commands: Any) -> None:
    """``vanban diff UPPER LOWER``: how a lower plan adapts an upper guidance."""
    diff = commands.add_parser(
        "diff", help="how a lower-level document adapts an upper-level one (the adaptation diff)"
    )
    diff.add_argument("upper", metavar="UPPER", help="the upper-level document (guidance)")
    diff.add_argument(
        "lower",
        metavar="LOWER",
        nargs="?",
        help="the lower-level document (local plan); with --against, the only document",
    )
    diff.add_argument(
        "--against",
        metavar="ARCHIVE_OR_RECORDS",
        help="diff the one document given against the parent it implements in this archive "
        "(files, folders, .zip, @list, or a records .jsonl)",
    )
    diff.add_argument(
        "--format",
        choices=["text", "html", "json"],
        help="output format (default: from -o's extension, else text)",
    )
    diff.add_argument("-o", "--output", metavar="OUT", help="write here, not stdout")


def _diff(args: argparse.Namespace) -> int:
    """Diff two documents; the view goes to stdout or -o, errors are typed like extract's."""
    from pathlib import Path

    from extractor.diff import diff

    output_format = args.format or _diff_format_of(args.output)
    result = diff(Path(args.upper), Path(args.lower)).to_dict()
    if output_format == "json":
        text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    elif output_format == "html":
        from extractor.diff.html import render_html

        text = render_html(result)
    else:
        from extractor.diff.terminal import render_text

        color = args.output is None and sys.stdout.isatty()
        text = render_text(result, color=color)
    if args.output:
        _write_atomically(args.output, text)
        print(f"vanban: diff written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _diff_format_of(output: str | None) -> str:
    """``json`` for ``*.json``, ``html`` for ``*.html``/``*.htm``, else ``text``."""
    suffix = Path(output).suffix.lower() if output else ""
    return {".json": "json", ".html": "html", ".htm": "html"}.get(suffix, "text")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
