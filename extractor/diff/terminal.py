"""The terminal view of a diff: summary first, then the changed blocks with inline edits.

:func:`render_text` returns a string (the library never prints; the CLI
writes it). With ``color`` the edits are coloured (rich markup rendered to
ANSI); without, they are marked the way ``wdiff`` does, ``[-deleted-]`` and
``{+inserted+}``, so a pipe or a file still shows every edit.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

_STATUS_STYLE = {
    "kept": "dim",
    "modified": "yellow",
    "added": "green",
    "dropped": "red",
    "moved": "magenta",
}
_KIND_STYLE = {"localisation": "cyan", "date_shift": "cyan", "citation": "cyan", "moved": "magenta"}


def inline_edits(block: Mapping[str, Any], *, color: bool) -> Text:
    """The upper text of a block with its edits applied inline.

    >>> block = {"upper": {"start": 0, "end": 9, "text": "Tỉnh ủy X"},
    ...          "edits": [{"op": "replace", "upper": "Tỉnh", "lower": "Huyện",
    ...                     "upper_at": [0, 4], "lower_at": [0, 5], "anchor": [0, 0],
    ...                     "kind": "localisation", "note": ""}]}
    >>> inline_edits(block, color=False).plain
    '[-Tỉnh-]{+Huyện+} ủy X'
    """
    upper = block["upper"]
    text, base = upper["text"], upper["start"]
    out = Text()
    cursor = 0
    for edit in sorted(block["edits"], key=lambda e: (e["anchor"][0], e["op"] != "delete")):
        at = edit["upper_at"] or [edit["anchor"][0], edit["anchor"][0]]
        start, end = at[0] - base, at[1] - base
        if start < cursor:  # overlapping edits cannot happen; guard the view anyway
            continue
        out.append(text[cursor:start])
        special = _KIND_STYLE.get(edit["kind"], "")
        if edit["upper"]:
            if color:
                out.append(edit["upper"], style=f"strike red {special}".strip())
            else:
                out.append(f"[-{edit['upper']}-]")
        if edit["lower"]:
            if color:
                out.append(edit["lower"], style=f"bold green {special}".strip())
            else:
                out.append(f"{{+{edit['lower']}+}}")
        cursor = end
    out.append(text[cursor:])
    return out


def _side_label(side: Mapping[str, Any]) -> str:
    parts = [side.get("doc_type"), side.get("number"), side.get("issuing_body"), side.get("date")]
    label = " · ".join(str(p) for p in parts if p)
    return f"{side.get('path') or '<input>'}  ({label})" if label else str(side.get("path"))


def _field_lines(fields: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, value in fields.items():
        status = value["status"]
        if status in ("same", "absent"):
            continue
        lines.append(f"  {name}: {status} ({len(value['upper'])} → {len(value['lower'])})")
        for shift in value.get("shifts", []):
            lines.append(f"    deadline shifted {shift['shown']}: {shift['action']}")
    return lines


def render_text(diff: Mapping[str, Any], *, color: bool, width: int = 100) -> str:
    """The terminal view of a diff's ``to_dict()``.

    >>> view = render_text({"upper": {"path": "a"}, "lower": {"path": "b"},
    ...     "related": False, "overlap": 0.02, "lower_cites_upper": False, "cites_via": [],
    ...     "summary": {"kept": 0, "modified": 0, "added": 1, "dropped": 1, "moved": 0,
    ...                 "localisations": 0, "verdict": "The documents share little text."},
    ...     "blocks": [], "fields": {}, "warnings": []}, color=False)
    >>> view.splitlines()[2]
    'The documents share little text.'
    """
    stream = io.StringIO()
    console = Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
    )
    console.print(Text(f"upper: {_side_label(diff['upper'])}", style="bold"))
    console.print(Text(f"lower: {_side_label(diff['lower'])}", style="bold"))
    console.print(Text(diff["summary"]["verdict"], style="bold"))
    summary = diff["summary"]
    counts = Text()
    for status in ("kept", "modified", "moved", "added", "dropped"):
        counts.append(f"{status} {summary[status]}  ", style=_STATUS_STYLE[status])
    counts.append(f"localisations {summary['localisations']}  overlap {diff['overlap']:.0%}")
    console.print(counts)
    cites = "yes" if diff["lower_cites_upper"] else "no"
    via = f" (via {', '.join(diff['cites_via'])})" if diff["cites_via"] else ""
    console.print(f"lower cites upper: {cites}{via}")
    field_lines = _field_lines(diff["fields"])
    if field_lines:
        console.print(Text("fields:", style="bold"))
        for line in field_lines:
            console.print(Text(line))
    for warning in diff.get("warnings", []):
        console.print(Text(f"warning: {warning}", style="yellow"))
    changed = [b for b in diff["blocks"] if b["status"] != "kept"]
    if changed:
        console.rule("changed blocks", align="left")
    for block in changed:
        _print_block(console, block, color=color)
    return stream.getvalue()


def _print_block(console: Console, block: Mapping[str, Any], *, color: bool) -> None:
    status = block["status"]
    sections = [
        f"{side} {block[side]['section']}"
        for side in ("upper", "lower")
        if block[side] and block[side]["section"]
    ]
    where = f"  [{', '.join(sections)}]" if sections else ""
    similarity = f" {block['similarity']:.2f}" if status in ("modified", "moved") else ""
    console.print(Text(f"{status.upper()}{similarity}{where}", style=_STATUS_STYLE[status]))
    if status == "added":
        console.print(_marked(block["lower"]["text"], "+", color, "green"))
    elif status == "dropped":
        console.print(_marked(block["upper"]["text"], "-", color, "red"))
    elif block["edits"]:
        console.print(inline_edits(block, color=color))
        notes = _notes(block["edits"])
        if notes:
            console.print(Text("  " + "; ".join(notes), style="cyan"))
    else:
        console.print(Text(block["lower"]["text"], style="dim"))
    console.print()


def _marked(text: str, sign: str, color: bool, style: str) -> Text:
    if color:
        return Text(text, style=style)
    return Text(f"{{{sign}{text}{sign}}}" if sign == "+" else f"[{sign}{text}{sign}]")


def _notes(edits: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(
        dict.fromkeys(
            f"{e['kind']}: {e['note']}" for e in edits if e["kind"] != "edit" and e["note"]
        )
    )
