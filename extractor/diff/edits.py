"""Word-level edits inside an aligned block, cleaned up and labelled.

The raw diff is a longest common subsequence of token keys (rapidfuzz's
``Indel.opcodes``; tone placement, case and quote shape folded, see
:mod:`extractor.diff.tokens`).
Then, in the spirit of diff-match-patch's ``diff_cleanupSemantic``, a short
equality between two edits is absorbed into one phrase-level replacement when
it is no longer than the edits on both of its sides, so a rewritten phrase
reads as one change instead of confetti. Replacements are then labelled: a
changed citation (``citation``), a shifted date (``date_shift``) or a swapped
issuing body or locality (``localisation``) are expected adaptations, not
noise. Moved text (:func:`mark_moved`) is found across all blocks afterwards.

Pathological inputs: a block whose token-count product exceeds
:data:`COARSE_MAX`, or any block once the time budget is spent, becomes a
single whole-block replacement.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex
from rapidfuzz.distance import Indel

from extractor.data import compile_pattern, load
from extractor.diff.model import Edit, EditKind
from extractor.diff.tokens import Tokens

#: Above this token-count product a block is one coarse replacement (the
#: bit-parallel LCS needs about n·m/64 machine words).
COARSE_MAX = 100_000_000
#: Moved text is at least this many words.
MIN_MOVED_WORDS = 5
#: A localisation edit may carry at most this many other words per side …
MAX_RESIDUAL_WORDS = 2
#: … and at most this many words in all (two citations with their dates and issuers).
MAX_LABELLED_SPACES = 40

Opcode = tuple[str, int, int, int, int]
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True, slots=True)
class _Vocab:
    bodies: regex.Pattern[str]
    localities: regex.Pattern[str]
    citation: regex.Pattern[str]
    date: regex.Pattern[str]
    glue: frozenset[str]
    body_words: frozenset[str]
    locality_words: frozenset[str]
    term_words: frozenset[str]


def _alternation(terms: Sequence[str]) -> regex.Pattern[str]:
    ordered = sorted(terms, key=len, reverse=True)
    body = "|".join(r"\s+".join(regex.escape(w) for w in term.split()) for term in ordered)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)


@functools.cache
def vocab() -> _Vocab:
    """The compiled vocabulary of ``data/diff.json``."""
    data = load("diff")
    return _Vocab(
        bodies=_alternation(data["bodies"]),
        localities=_alternation(data["localities"]),
        citation=compile_pattern(data["citation"]),
        date=compile_pattern(data["date"]),
        glue=frozenset(data["glue"]),
        body_words=frozenset(w for term in data["bodies"] for w in term.split()),
        locality_words=frozenset(w for term in data["localities"] for w in term.split()),
        term_words=frozenset(
            w.casefold() for term in (*data["bodies"], *data["localities"]) for w in term.split()
        ),
    )


def opcodes(a: Sequence[str], b: Sequence[str], *, coarse: bool = False) -> list[Opcode]:
    """Edit script between two key sequences: a longest common subsequence.

    rapidfuzz's bit-parallel LCS (C++) gives the minimal insert/delete
    script in a fraction of ``difflib``'s time (on a 400-token repetitive
    block, 20 µs against 60 ms without the junk heuristic); semantic cleanup
    turns it into readable replacements.

    >>> opcodes(["a", "b", "c"], ["a", "x", "c"])
    [('equal', 0, 1, 0, 1), ('insert', 1, 1, 1, 2), ('delete', 1, 2, 2, 2), ('equal', 2, 3, 2, 3)]
    """
    n, m = len(a), len(b)
    if coarse or n * m > COARSE_MAX:
        if list(a) == list(b):
            return [("equal", 0, n, 0, m)] if n else []
        if n and m:
            return [("replace", 0, n, 0, m)]
        return [("delete" if n else "insert", 0, n, 0, m)] if n or m else []
    return [
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end) for op in Indel.opcodes(a, b)
    ]


def cleanup_semantic(ops: Sequence[Opcode], words_a: Sequence[bool]) -> list[Opcode]:
    """Absorb short equalities between edits into phrase-level replacements.

    diff-match-patch's rule: an equality goes when it is no longer (in words)
    than the larger side of the edit before it and of the edit after it.
    Punctuation-only equalities between edits always go.

    >>> ops = [("replace", 0, 1, 0, 1), ("equal", 1, 2, 1, 2), ("replace", 2, 3, 2, 3)]
    >>> cleanup_semantic(ops, [True, True, True])
    [('replace', 0, 3, 0, 3)]
    """
    # Absorbing an equality only grows the edits around it, so every
    # equality that could go still can: one left-to-right pass with a stack,
    # re-checking the equality below a grown edit, reaches the same result
    # as restarting after each merge, in linear time.
    words_before = list(itertools.accumulate(words_a, initial=0))
    out: list[Opcode] = []
    for op in ops:
        out.append(op)
        while (
            len(out) >= 3
            and out[-1][0] != "equal"
            and out[-2][0] == "equal"
            and out[-3][0] != "equal"
        ):
            before, equal, after = out[-3], out[-2], out[-1]
            length = words_before[equal[2]] - words_before[equal[1]]
            if length > max(before[2] - before[1], before[4] - before[3]) or length > max(
                after[2] - after[1], after[4] - after[3]
            ):
                break
            out[-3:] = [("replace", before[1], after[2], before[3], after[4])]
    # Adjacent edits (e.g. delete then insert) become one replace.
    merged: list[Opcode] = []
    for op in out:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            last = merged[-1]
            merged[-1] = ("replace", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    return [
        (("delete" if op[3] == op[4] else "insert" if op[1] == op[2] else "replace"), *op[1:])
        if op[0] != "equal"
        else op
        for op in merged
    ]


def block_edits(
    upper_text: str,
    lower_text: str,
    upper: Tokens,
    lower: Tokens,
    *,
    upper_start: int,
    lower_start: int,
    coarse: bool = False,
) -> tuple[list[Edit], float]:
    """The labelled edits of one aligned block and its word similarity.

    ``upper_text``/``lower_text`` are the documents' whole normalized texts
    (token offsets are absolute); ``*_start`` is where the block begins on
    each side (the anchor of an edit at the very start).
    """
    ops = opcodes(upper.keys, lower.keys, coarse=coarse)
    equal = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    total = len(upper) + len(lower)
    similarity = 2 * equal / total if total else 1.0
    ops = cleanup_semantic(ops, upper.words)
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        upper_at = (upper.starts[i1], upper.ends[i2 - 1]) if i2 > i1 else None
        lower_at = (lower.starts[j1], lower.ends[j2 - 1]) if j2 > j1 else None
        anchor = (
            upper_at[0] if upper_at else (upper.ends[i1 - 1] if i1 else upper_start),
            lower_at[0] if lower_at else (lower.ends[j1 - 1] if j1 else lower_start),
        )
        text_u = upper_text[upper_at[0] : upper_at[1]] if upper_at else ""
        text_l = lower_text[lower_at[0] : lower_at[1]] if lower_at else ""
        kind: EditKind = "edit"
        note = ""
        if tag == "replace":
            context_u = _context(upper_text, upper, i1, i2)
            context_l = _context(lower_text, lower, j1, j2)
            kind, note = label(text_u, text_l, context_u, context_l)
        edits.append(Edit(tag, text_u, text_l, upper_at, lower_at, anchor, kind, note))  # type: ignore[arg-type]
    return edits, similarity


def _context(text: str, tokens: Tokens, i1: int, i2: int) -> str:
    """The edited tokens with one more token each side (a term may straddle the edit)."""
    start = tokens.starts[max(i1 - 1, 0)]
    end = tokens.ends[min(i2, len(tokens) - 1)]
    return text[start:end]


def label(upper: str, lower: str, context_u: str, context_l: str) -> tuple[EditKind, str]:
    """The kind and note of a replacement (see the module docstring).

    >>> label("44-KH/TU", "31-KH/HU", "số 44-KH/TU,", "số 31-KH/HU,")
    ('citation', '44-KH/TU → 31-KH/HU')
    >>> label("Tỉnh", "Huyện", "Thường vụ Tỉnh ủy", "Thường vụ Huyện ủy")
    ('localisation', 'issuing body: Tỉnh ủy → Huyện ủy')
    >>> label("chủ chốt", "đoàn viên", "cán bộ chủ chốt của", "cán bộ đoàn viên của")
    ('edit', '')
    """
    v = vocab()
    if max(upper.count(" "), lower.count(" ")) > MAX_LABELLED_SPACES:
        return "edit", ""  # a rewritten passage, not a swapped term
    if _residual(upper, v) > MAX_RESIDUAL_WORDS or _residual(lower, v) > MAX_RESIDUAL_WORDS:
        return "edit", ""
    # Citations and dates all have digits: most edits skip their patterns.
    if _DIGIT.search(upper) and _DIGIT.search(lower):
        cites_u, cites_l = v.citation.findall(upper), v.citation.findall(lower)
        if cites_u and cites_l and _folded(cites_u) != _folded(cites_l):
            return "citation", f"{', '.join(cites_u)} → {', '.join(cites_l)}"
        dates_u = [d for d in v.date.findall(upper) if not v.citation.search(d)]
        dates_l = [d for d in v.date.findall(lower) if not v.citation.search(d)]
        if dates_u and dates_l and _folded(dates_u) != _folded(dates_l):
            return "date_shift", f"{', '.join(dates_u)} → {', '.join(dates_l)}"
    # A body or locality term has at least one of its words on both sides.
    if v.term_words.isdisjoint(_LETTERS.findall(context_u.casefold())) or v.term_words.isdisjoint(
        _LETTERS.findall(context_l.casefold())
    ):
        return "edit", ""
    for name, pattern in (("issuing body", v.bodies), ("locality", v.localities)):
        found_u, found_l = pattern.findall(context_u), pattern.findall(context_l)
        if found_u and found_l and _folded(found_u) != _folded(found_l):
            return "localisation", f"{name}: {' '.join(_distinct(found_u, found_l))}"
    return "edit", ""


def _folded(items: Sequence[str]) -> list[str]:
    return [" ".join(item.casefold().split()) for item in items]


def _distinct(found_u: Sequence[str], found_l: Sequence[str]) -> list[str]:
    """``['Tỉnh ủy', '→', 'Huyện ủy']``: the first term that differs on each side."""
    lower_keys = set(_folded(found_l))
    upper_keys = set(_folded(found_u))
    first_u = next((t for t in found_u if _folded([t])[0] not in lower_keys), found_u[0])
    first_l = next((t for t in found_l if _folded([t])[0] not in upper_keys), found_l[0])
    return [first_u, "→", first_l]


def _residual(text: str, v: _Vocab) -> int:
    """Words of ``text`` that are not a citation, date, body, locality or glue word."""
    if _DIGIT.search(text):  # citations and dates all have digits
        text = v.citation.sub(" ", text)
        text = v.date.sub(" ", text)
    words = _LETTERS.findall(text.casefold())
    return sum(
        1 for w in words if w not in v.glue and w not in v.body_words and w not in v.locality_words
    )


def mark_moved(edits: Sequence[Edit], words: dict[int, tuple[str, ...]]) -> list[Edit]:
    """Label as ``moved`` each deleted text that is inserted elsewhere, and that insert.

    ``words[k]`` are the word keys of ``edits[k]``'s text (upper side for a
    delete, lower for an insert); only texts of :data:`MIN_MOVED_WORDS` words
    or more take part.
    """
    out = list(edits)
    inserts: dict[tuple[str, ...], list[int]] = {}
    for k, edit in enumerate(edits):
        if edit.op == "insert" and len(words.get(k, ())) >= MIN_MOVED_WORDS:
            inserts.setdefault(words[k], []).append(k)
    for k, edit in enumerate(edits):
        if edit.op != "delete" or len(words.get(k, ())) < MIN_MOVED_WORDS:
            continue
        targets = inserts.get(words[k])
        if not targets:
            continue
        target = targets.pop(0)
        count = len(words[k])
        out[k] = replace(edit, kind="moved", note=f"moved text ({count} words)")
        out[target] = replace(out[target], kind="moved", note=f"moved text ({count} words)")
    return out
