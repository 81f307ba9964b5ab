"""The self-contained HTML report of an adaptation diff.

:func:`render_html` turns the diff JSON contract (``DiffResult.to_dict()``) into
one HTML file: side-by-side columns (upper | lower) aligned block by block,
colour-coded statuses with a legend, inline word edits, a summary panel with the
field comparison, and navigation between changes. CSS and JS are inlined from
``extractor/data/diff_report.css``/``.js``; the page loads nothing else, and its
Content-Security-Policy (``default-src 'none'``, script and style allowed only by
their sha256 hashes) keeps even an injected script from running or fetching.

Every piece of document text (block text, edit text, notes, field values, paths,
numbers, section ids) goes through :func:`html.escape` with ``quote=True``; class
names come only from fixed vocabularies, never from the input.

>>> page = render_html({"blocks": [], "upper": {"number": "<b>1</b>"}})
>>> page.startswith("<!DOCTYPE html>"), "&lt;b&gt;1&lt;/b&gt;" in page, "<b>1</b>" in page
(True, True, False)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from extractor.fields.dates import show_date
from extractor.htmlpage import csp_hash as _csp_hash
from extractor.htmlpage import escape as _esc

__all__ = ["render_html"]

STATUSES: Final = ("kept", "modified", "added", "dropped", "moved")
FIELD_STATUSES: Final = ("same", "changed", "added", "dropped", "absent")
EDIT_OPS: Final = ("insert", "delete", "replace")
EDIT_KINDS: Final = ("edit", "localisation", "date_shift", "citation", "moved")
# Display order of the field comparison; unknown fields follow in input order.
FIELD_ORDER: Final = (
    "themes",
    "audience",
    "forms",
    "period",
    "deadlines",
    "recipients",
    "references",
)
FIELD_LABELS: Final = {
    "themes": "Themes",
    "audience": "Audience",
    "forms": "Forms",
    "period": "Period",
    "deadlines": "Deadlines",
    "recipients": "Recipients",
    "references": "References",
}
FIELD_ITEMS_SHOWN: Final = 3
FOLD_MIN_CHARS: Final = 160


@functools.cache
def _asset(name: str) -> str:
    """Read a report asset (CSS/JS) shipped as package data."""
    return resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")


# --- defensive accessors: the input is JSON, so nothing about its shape is trusted ---


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return ()
    return value


def _int(value: object) -> int | None:
    # bool is an int subclass; True as an offset is a bug upstream, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _choice(value: object, allowed: Sequence[str], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


# --- inline edits ---


@dataclass(frozen=True)
class _Mark:
    """One highlighted span of a block's text, relative to the block's start."""

    start: int
    end: int
    tag: str  # "del" or "ins"
    css: str
    title: str


def _edit_title(edit: Mapping[str, Any], op: str) -> str:
    note = _text(edit.get("note"))
    if note:
        return note
    upper, lower = _text(edit.get("upper")), _text(edit.get("lower"))
    if op == "insert":
        return f"inserted: {lower}"
    if op == "delete":
        return f"deleted: {upper}"
    return f"replaced: {upper} → {lower}"


def _marks(side: str, part: Mapping[str, Any], edits: Iterable[Any]) -> list[_Mark]:
    """The edits that can be placed on one side of a block, in text order.

    An edit is placed by its absolute ``<side>_at`` offsets minus the block's
    ``start``; anything malformed, empty or outside the block's text is left out
    (the words stay as plain escaped text), and of overlapping spans the first wins.
    """
    text = _text(part.get("text"))
    base = _int(part.get("start"))
    if base is None:
        return []
    wanted = ("delete", "replace") if side == "upper" else ("insert", "replace")
    marks = []
    for raw in edits:
        edit = _mapping(raw)
        op = _choice(edit.get("op"), EDIT_OPS, "")
        at = _sequence(edit.get(f"{side}_at"))
        if op not in wanted or len(at) != 2:
            continue
        start, end = _int(at[0]), _int(at[1])
        if start is None or end is None:
            continue
        start, end = start - base, end - base
        if not 0 <= start < end <= len(text):
            continue
        kind = _choice(edit.get("kind"), EDIT_KINDS, "edit")
        marks.append(
            _Mark(
                start=start,
                end=end,
                tag="del" if side == "upper" else "ins",
                css=f"op-{op} k-{kind}",
                title=_edit_title(edit, op),
            )
        )
    marks.sort(key=lambda mark: (mark.start, mark.end))
    placed: list[_Mark] = []
    for mark in marks:
        if placed and mark.start < placed[-1].end:
            continue
        placed.append(mark)
    return placed


def _marked_text(text: str, marks: Sequence[_Mark]) -> str:
    """Escaped text with the marks wrapped in ``<del>``/``<ins>``.

    >>> _marked_text("a <b> c", [_Mark(2, 5, "del", "op-delete k-edit", 'x"y')])
    'a <del class="op-delete k-edit" title="x&quot;y">&lt;b&gt;</del> c'
    """
    out = []
    cursor = 0
    for mark in marks:
        out.append(_esc(text[cursor : mark.start]))
        out.append(
            f'<{mark.tag} class="{mark.css}" title="{_esc(mark.title)}">'
            f"{_esc(text[mark.start : mark.end])}</{mark.tag}>"
        )
        cursor = mark.end
    out.append(_esc(text[cursor:]))
    return "".join(out)


# --- blocks ---


def _cell(side: str, part: Mapping[str, Any] | None, edits: Sequence[Any]) -> str:
    if part is None:
        return f'<div class="cell {side} empty" aria-hidden="true"></div>'
    text = _text(part.get("text"))
    section = part.get("section")
    start, end = _int(part.get("start")), _int(part.get("end"))
    meta = ""
    if section is not None and section != "":
        where = f"characters {start}–{end}" if start is not None and end is not None else ""
        label = f'<span class="sec" title="{_esc(where)}">§ {_esc(section)}</span>'
        meta = f'<div class="meta">{label}</div>'
    body = _marked_text(text, _marks(side, part, edits))
    return f'<div class="cell {side}">{meta}<div class="text">{body}</div></div>'


def _similarity(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if not 0 <= value <= 1:
        return ""
    return f'<span class="sim" title="similarity">{round(value * 100)}%</span>'


def _row(index: int, raw: object) -> str:
    block = _mapping(raw)
    status = _choice(block.get("status"), STATUSES, "modified")
    upper = block.get("upper")
    lower = block.get("lower")
    upper_part = upper if isinstance(upper, Mapping) else None
    lower_part = lower if isinstance(lower, Mapping) else None
    edits = _sequence(block.get("edits"))
    # Kept blocks start folded to their first lines; short ones have nothing to fold.
    texts = [_text(part.get("text")) for part in (upper_part, lower_part) if part is not None]
    folded = status == "kept" and any(len(t) > FOLD_MIN_CHARS or "\n" in t for t in texts)
    mid = [f'<span class="chip st-{status}">{status}</span>']
    if upper_part is not None and lower_part is not None:
        # An added or dropped block has nothing to be similar to: its 0% is noise.
        mid.append(_similarity(block.get("similarity")))
    if edits:
        mid.append(f'<span class="nedits">{len(edits)} edit{"s" if len(edits) != 1 else ""}</span>')
    if folded:
        mid.append('<button type="button" class="fold" aria-expanded="false">show</button>')
    classes = f"row s-{status}" + (" folded" if folded else "")
    return (
        f'<div class="{classes}" id="b{index}" data-status="{status}">'
        f"{_cell('upper', upper_part, edits)}"
        f'<div class="mid">{"".join(mid)}</div>'
        f"{_cell('lower', lower_part, edits)}"
        "</div>"
    )


# --- header and summary ---


def _ident(doc: Mapping[str, Any]) -> str:
    parts = [_text(doc.get(key)) for key in ("doc_type", "number")]
    return " ".join(part for part in parts if part)


def _doc_card(role: str, doc: Mapping[str, Any]) -> str:
    ident = _ident(doc) or "(no number)"
    lines = [f'<div class="role">{_esc(role)}</div><div class="ident">{_esc(ident)}</div>']
    facts = [_text(doc.get("issuing_body")), show_date(_text(doc.get("date")))]
    facts = [fact for fact in facts if fact]
    if facts:
        lines.append(f"<div>{_esc(' · '.join(facts))}</div>")
    title = _text(doc.get("title"))
    if title:
        lines.append(f'<div class="title">{_esc(title)}</div>')
    path = _text(doc.get("path"))
    if path:
        lines.append(f'<div class="path">{_esc(path)}</div>')
    return f'<div class="doc">{"".join(lines)}</div>'


def _short_name(doc: Mapping[str, Any], default: str) -> str:
    number = _text(doc.get("number"))
    if number:
        return number
    path = _text(doc.get("path"))
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else default


def _counts(diff: Mapping[str, Any], blocks: Sequence[Any]) -> dict[str, int]:
    """Counts from the summary, or from the blocks when the summary lacks one."""
    summary = _mapping(diff.get("summary"))
    counted = dict.fromkeys(STATUSES, 0)
    localisations = 0
    for raw in blocks:
        block = _mapping(raw)
        status = _choice(block.get("status"), STATUSES, "modified")
        counted[status] += 1
        for edit in _sequence(block.get("edits")):
            if _mapping(edit).get("kind") in ("localisation", "date_shift", "citation"):
                localisations += 1
    counted["localisations"] = localisations
    for key in counted:
        given = _int(summary.get(key))
        if given is not None and given >= 0:
            counted[key] = given
    return counted


def _summary_panel(diff: Mapping[str, Any], blocks: Sequence[Any]) -> str:
    counts = _counts(diff, blocks)
    buttons = []
    for status in STATUSES:
        disabled = "" if counts[status] else " disabled"
        buttons.append(
            f'<button type="button" class="count c-{status}" data-jump="{status}"{disabled}>'
            f"<b>{counts[status]}</b>{status}</button>"
        )
    buttons.append(
        '<span class="count c-localisations" title="edits recognised as expected local '
        f'adaptations (issuing body, locality, dates, citations)"><b>{counts["localisations"]}'
        "</b>localisations</span>"
    )
    summary = _mapping(diff.get("summary"))
    verdict = _text(summary.get("verdict"))
    parts = [f'<div class="counts">{"".join(buttons)}</div>']
    if verdict:
        parts.append(f'<p class="verdict">{_esc(verdict)}</p>')
    if diff.get("related") is False and not verdict:  # the engine's verdict already says so
        parts.append(
            '<div class="warn">The documents share little text: their blocks are not '
            "paired with each other.</div>"
        )
    for warning in _sequence(diff.get("warnings")):
        if _text(warning):
            parts.append(f'<div class="warn">{_esc(warning)}</div>')
    facts = []
    cites = diff.get("lower_cites_upper")
    via = [_text(item) for item in _sequence(diff.get("cites_via")) if _text(item)]
    via_text = f" (via {_esc(', '.join(via))})" if via else ""
    if cites is True:
        facts.append(f'Lower cites upper: <span class="yes">yes</span>{via_text}')
    elif cites is False:
        facts.append('Lower cites upper: <span class="no">no</span>')
    else:
        facts.append('Lower cites upper: <span class="unknown">unknown</span>')
    overlap = diff.get("overlap")
    if isinstance(overlap, int | float) and not isinstance(overlap, bool) and 0 <= overlap <= 1:
        facts.append(f"Shared text: {round(overlap * 100)}%")
    facts.append(f"Blocks: {len(blocks)}")
    parts.append('<ul class="facts">' + "".join(f"<li>{fact}</li>" for fact in facts) + "</ul>")
    return '<div class="panel"><h2>Summary</h2>' + "".join(parts) + "</div>"


def _item(value: object) -> str:
    """One field value as HTML: escaped, clamped to two lines, the full text in its title."""
    if value is None:
        return '<span class="none">—</span>'
    if isinstance(value, str):
        text = show_date(value)
    elif isinstance(value, Mapping):
        text = _mapping_text(value)
    elif isinstance(value, Sequence) and not isinstance(value, bytes):
        parts = (_mapping_text(item) if isinstance(item, Mapping) else str(item) for item in value)
        text = "; ".join(parts)
    else:
        text = str(value)
    return f'<span class="clamp" title="{_esc(text)}">{_esc(text)}</span>'


def _mapping_text(value: Mapping[str, Any]) -> str:
    """Plain-text line for a record item (deadline, recipient, reference, period).

    >>> _mapping_text({"date": "2022-06-15", "action": "báo cáo", "text": "…"})
    '15/6/2022: báo cáo'
    >>> _mapping_text({"start": "2022-04", "end": None})
    '4/2022 → …'
    """

    def get(key: str) -> str:
        item = value.get(key)
        return "" if item is None else str(item)

    if "start" in value and "end" in value and set(value) <= {"start", "end"}:
        return f"{show_date(get('start')) or '…'} → {show_date(get('end')) or '…'}"
    if "name" in value:
        purpose = get("purpose")
        return get("name") + (f" ({purpose})" if purpose else "")
    if "number" in value:
        head = " ".join(part for part in (get("doc_type"), get("number")) if part)
        tail = [part for part in (show_date(get("date")), get("issuer")) if part]
        return head + (f" ({', '.join(tail)})" if tail else "")
    if "date" in value:
        action = get("action") or get("text")
        return show_date(get("date")) + (f": {action}" if action else "")
    return "; ".join(f"{key}: {item}" for key, item in value.items())


def _field_value(value: object) -> str:
    if value is None or value == [] or value == "" or value == {}:
        return '<span class="none">—</span>'
    if isinstance(value, str | Mapping) or not isinstance(value, Sequence):
        return f'<div class="fval">{_item(value)}</div>'
    items = [f"<li>{_item(item)}</li>" for item in value]
    shown = "".join(items[:FIELD_ITEMS_SHOWN])
    rest = items[FIELD_ITEMS_SHOWN:]
    more = ""
    if rest:
        # Long lists (recipients, references) would push the diff below the fold.
        more = (
            f'<details class="more"><summary>+{len(rest)} more</summary>'
            f"<ul>{''.join(rest)}</ul></details>"
        )
    return f'<div class="fval"><ul>{shown}</ul>{more}</div>'


def _shifts(field: Mapping[str, Any]) -> str:
    shifts = []
    for raw in _sequence(field.get("shifts")):
        shift = _mapping(raw)
        shown = _text(shift.get("shown"))
        if not shown:
            before, after = _text(shift.get("upper")), _text(shift.get("lower"))
            shown = f"{show_date(before)} → {show_date(after)}" if before or after else ""
        if not shown:
            continue
        action = _text(shift.get("action"))
        title = f' title="{_esc(action)}"' if action else ""
        shifts.append(f'<li><span class="shift"{title}>{_esc(shown)}</span>{_esc(action)}</li>')
    if not shifts:
        return ""
    return '<ul class="shifts">' + "".join(shifts) + "</ul>"


def _fields_panel(diff: Mapping[str, Any]) -> str:
    fields = _mapping(diff.get("fields"))
    names = [name for name in FIELD_ORDER if name in fields]
    names += [name for name in fields if name not in FIELD_ORDER]
    if not names:
        return '<div class="panel"><h2>Fields</h2><p class="none">No field comparison.</p></div>'
    rows = []
    for name in names:
        field = _mapping(fields.get(name))
        status = _choice(field.get("status"), FIELD_STATUSES, "changed")
        label = FIELD_LABELS.get(name, name)
        rows.append(
            f"<tr><th>{_esc(label)}</th>"
            f'<td><span class="chip st-{status}">{status}</span></td>'
            f"<td>{_field_value(field.get('upper'))}</td>"
            f"<td>{_field_value(field.get('lower'))}{_shifts(field)}</td></tr>"
        )
    return (
        '<div class="panel" id="fields"><div class="panel-head"><h2>Fields</h2>'
        '<button type="button" id="full-values" aria-pressed="false">full values</button></div>'
        '<table class="fields">'
        '<colgroup><col class="f-name"><col class="f-status"><col><col></colgroup>'
        "<thead><tr><th>field</th><th>status</th><th>upper</th><th>lower</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


_LEGEND: Final = (
    '<div class="legend" aria-label="legend">'
    + "".join(f'<span class="chip st-{status}">{status}</span>' for status in STATUSES)
    + '<span><del class="sample">deleted</del></span>'
    + '<span><ins class="sample">inserted</ins></span>'
    + '<span><ins class="sample k-localisation">localisation</ins></span>'
    + '<span><ins class="sample k-moved">moved text</ins></span>'
    + "</div>"
)

_NAV: Final = (
    '<div class="nav">'
    '<button type="button" id="prev-change" title="previous change (p)">'
    "◀ prev <kbd>p</kbd></button>"
    '<span id="nav-pos" aria-live="polite"></span>'
    '<button type="button" id="next-change" title="next change (n)">next <kbd>n</kbd> ▶</button>'
    '<label title="hide kept blocks (h)"><input type="checkbox" id="hide-kept"> hide kept '
    "<kbd>h</kbd></label>"
    "</div>"
)


def render_html(diff: Mapping[str, Any]) -> str:
    """Render a diff (the JSON contract of ``DiffResult.to_dict()``) as one HTML page.

    The page is self-contained and deterministic (same input, same bytes); the
    input's shape is not trusted: missing or malformed parts are shown as absent.

    Example:
        >>> page = render_html({
        ...     "upper": {"number": "44-KH/TU"}, "lower": {"number": "12-KH/HU"},
        ...     "blocks": [{"status": "modified", "similarity": 0.9,
        ...                 "upper": {"start": 0, "end": 9, "section": "1", "text": "toàn tỉnh"},
        ...                 "lower": {"start": 5, "end": 15, "section": "1", "text": "toàn huyện"},
        ...                 "edits": [{"op": "replace", "upper": "tỉnh", "lower": "huyện",
        ...                            "upper_at": [5, 9], "lower_at": [10, 15],
        ...                            "kind": "localisation", "note": "tỉnh → huyện"}]}]})
        >>> '<del class="op-replace k-localisation" title="tỉnh → huyện">tỉnh</del>' in page
        True
        >>> '<ins class="op-replace k-localisation" title="tỉnh → huyện">huyện</ins>' in page
        True
    """
    upper = _mapping(diff.get("upper"))
    lower = _mapping(diff.get("lower"))
    blocks = _sequence(diff.get("blocks"))
    css = _asset("diff_report.css")
    js = _asset("diff_report.js")
    csp = (
        "default-src 'none'; "
        f"style-src {_csp_hash(css)}; "
        f"script-src {_csp_hash(js)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
    )
    upper_name = _short_name(upper, "upper")
    lower_name = _short_name(lower, "lower")
    if blocks:
        rows = "".join(_row(index, block) for index, block in enumerate(blocks))
    else:
        rows = '<p class="empty-note">No blocks to compare.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="vanban diff">\n'
        f"<title>{_esc(f'Diff: {upper_name} → {lower_name}')}</title>\n"
        f"<style>{css}</style>\n"
        "</head>\n<body>\n"
        '<div class="page">'
        f"<h1>How {_esc(lower_name)} adapts {_esc(upper_name)}</h1>"
        '<div class="docs">'
        f"{_doc_card('Upper (guidance)', upper)}{_doc_card('Lower (plan)', lower)}"
        "</div>"
        f'<div class="summary">{_summary_panel(diff, blocks)}{_fields_panel(diff)}</div>'
        "</div>\n"
        '<div class="bar">'
        f'<div class="tools">{_LEGEND}{_NAV}</div>'
        f'<div class="cols"><div class="upper">Upper: {_esc(upper_name)}</div>'
        f'<div class="mid">status</div><div class="lower">Lower: {_esc(lower_name)}</div></div>'
        "</div>\n"
        f'<main class="rows">{rows}</main>\n'
        '<div class="foot">Generated by vanban diff. Keys: n/p next/previous change, '
        "h hide kept blocks.</div>\n"
        f"<script>{js}</script>\n"
        "</body>\n</html>\n"
    )
