"""The adaptation diff: how a lower-level plan adapts an upper-level guidance.

:func:`diff` aligns the two documents' body paragraphs (:mod:`.align`),
computes word-level edits inside the changed ones (:mod:`.edits`) and
compares the two records field by field (:mod:`.fields`). The result's
:meth:`~extractor.diff.model.DiffResult.to_dict` is the JSON the HTML report
(:mod:`.html`) and the terminal view (:mod:`.terminal`) render.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import os
import time
from collections.abc import Iterator, Sequence

from extractor.diff.align import MATCH, Alignment, Group, Para, paragraphs
from extractor.diff.align import align as align_paragraphs
from extractor.diff.edits import block_edits, mark_moved
from extractor.diff.fields import cites_upper, compare_fields
from extractor.diff.model import (
    Block,
    DiffResult,
    DocInfo,
    Edit,
    FieldDiff,
    Part,
    Side,
    Status,
    Summary,
)
from extractor.diff.tokens import Tokens, keys_of, pieces_spans, spans_of
from extractor.document import Document
from extractor.record import Record
from extractor.structure import Structure, analyze

__all__ = ["Block", "DiffResult", "Edit", "FieldDiff", "diff"]

#: Below this share of aligned text the documents are reported as unrelated.
RELATED_MIN = 0.12
#: Seconds the word-level phase may take for one pair before edits turn coarse.
TIME_BUDGET = 2.0

Source = str | os.PathLike[str] | bytes | Document


def diff(
    upper: Source,
    lower: Source,
    *,
    upper_record: Record | None = None,
    lower_record: Record | None = None,
    use_models: bool = True,
    time_budget: float = TIME_BUDGET,
) -> DiffResult:
    """Diff a lower-level document against the upper-level one it adapts.

    Args:
        upper: the upper document: a path, bytes, text or a read Document.
        lower: the lower document, in the same forms.
        upper_record: the upper's record when already extracted (saves time).
        lower_record: the lower's record, likewise.
        use_models: False for rule-only extraction of the records.
        time_budget: seconds for the word-level phase; past it, blocks get one
            coarse replacement each and the result carries a warning.

    Returns:
        The :class:`DiffResult`; ``to_dict()`` gives the JSON of the contract.

    Raises:
        VanbanError: a typed error when either input yields no record.

    >>> text = "KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\n1. Ban Thường vụ Tỉnh ủy lãnh đạo."
    >>> text += "\\nNơi nhận:\\n- Lưu."
    >>> result = diff(text, text.replace("Tỉnh ủy", "Huyện ủy"))
    >>> result.summary.kept, result.summary.modified
    (1, 1)
    >>> [(e.upper, e.lower, e.kind) for b in result.blocks for e in b.edits]
    [('Tỉnh', 'Huyện', 'localisation')]
    """
    from extractor.extract import extract_document, load_document

    doc_u = upper if isinstance(upper, Document) else load_document(upper)
    doc_l = lower if isinstance(lower, Document) else load_document(lower)
    # One structure analysis per document, shared by extraction and alignment.
    structure_u, structure_l = analyze(doc_u), analyze(doc_l)
    record_u = upper_record or extract_document(doc_u, use_models=use_models, structure=structure_u)
    record_l = lower_record or extract_document(doc_l, use_models=use_models, structure=structure_l)
    return diff_documents(
        doc_u,
        doc_l,
        record_u,
        record_l,
        structures=(structure_u, structure_l),
        time_budget=time_budget,
    )


def diff_documents(
    doc_u: Document,
    doc_l: Document,
    record_u: Record,
    record_l: Record,
    *,
    structures: tuple[Structure, Structure] | None = None,
    time_budget: float = TIME_BUDGET,
) -> DiffResult:
    """The diff of two read documents with their records (no extraction here).

    ``structures`` are the documents' :func:`~extractor.structure.analyze`
    results when the caller already has them (extraction computes them too).
    """
    with _no_cycle_collection():
        return _diff_documents(doc_u, doc_l, record_u, record_l, structures, time_budget)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of one diff.

    The diff makes tens of thousands of short-lived, acyclic containers
    (token lists and tuples, per-paragraph records, edits): reference
    counting frees all of them, and the collector's passes over them during
    the diff find nothing (5-10% of the diff's time). The previous state is
    restored on the way out, errors included; a collector disabled by the
    caller stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _diff_documents(
    doc_u: Document,
    doc_l: Document,
    record_u: Record,
    record_l: Record,
    structures: tuple[Structure, Structure] | None,
    time_budget: float,
) -> DiffResult:
    structure_u, structure_l = structures or (analyze(doc_u), analyze(doc_l))
    paras_u = paragraphs(doc_u, structure_u)
    paras_l = paragraphs(doc_l, structure_l)
    alignment = align_paragraphs(paras_u, paras_l)
    warnings = list(alignment.warnings)
    overlap = _overlap(alignment, paras_u, paras_l)
    related = overlap >= RELATED_MIN
    if related:
        blocks = _blocks(doc_u, doc_l, paras_u, paras_l, alignment, time_budget, warnings)
    else:
        blocks = _unrelated_blocks(doc_u, doc_l, paras_u, paras_l)
    cites, via = cites_upper(record_u, record_l)
    summary = _summary(blocks, related, overlap, record_u, record_l, len(paras_u))
    return DiffResult(
        upper=_info(record_u),
        lower=_info(record_l),
        lower_cites_upper=cites,
        cites_via=via,
        related=related,
        overlap=overlap,
        summary=summary,
        blocks=tuple(blocks),
        fields=compare_fields(record_u, record_l),
        warnings=tuple(warnings),
    )


def _info(record: Record) -> DocInfo:
    return DocInfo(
        path=record.source.path,
        number=record.number,
        doc_type=record.doc_type,
        issuing_body=record.issuing_body,
        date=record.date,
        title=record.title,
    )


def _overlap(alignment: Alignment, upper: Sequence[Para], lower: Sequence[Para]) -> float:
    """Share of both documents' words in well-aligned blocks, weighted by similarity.

    Only groups at the backbone threshold count: weak pairs between anchors
    exist because anchors vouch for them, so they must not vouch for relatedness.
    """
    total = sum(p.words for p in upper) + sum(p.words for p in lower)
    if not total:
        return 0.0
    shared = sum(
        group.similarity
        * (sum(upper[i].words for i in group.upper) + sum(lower[j].words for j in group.lower))
        for group in alignment.groups
        if group.similarity >= MATCH
    )
    return shared / total


def _side(doc: Document, paras: Sequence[Para], indices: Sequence[int]) -> Side:
    start, end = paras[indices[0]].start, paras[indices[-1]].end
    parts = (
        tuple(Part(paras[i].start, paras[i].end, paras[i].section) for i in indices)
        if len(indices) > 1
        else ()
    )
    return Side(start, end, paras[indices[0]].section, doc.normalized[start:end], parts)


def _part_links(group: Group) -> tuple[tuple[int, int], ...]:
    """The group's paragraph links as (upper part, lower part) positions."""
    if not group.links:
        return ()
    where_u = {i: k for k, i in enumerate(group.upper)}
    where_l = {j: m for m, j in enumerate(group.lower)}
    return tuple((where_u[i], where_l[j]) for i, j in group.links)


def _blocks(
    doc_u: Document,
    doc_l: Document,
    paras_u: Sequence[Para],
    paras_l: Sequence[Para],
    alignment: Alignment,
    time_budget: float,
    warnings: list[str],
) -> list[Block]:
    deadline = time.perf_counter() + time_budget
    coarse_blocks = 0
    paired: list[tuple[int, Block]] = []
    for group in alignment.groups:
        side_u = _side(doc_u, paras_u, group.upper)
        side_l = _side(doc_l, paras_l, group.lower)
        status: Status
        if _keys(paras_u, group.upper) == _keys(paras_l, group.lower):
            status = "moved" if group.moved else "kept"
            block = Block(status, 1.0, side_u, side_l, links=_part_links(group))
            paired.append((group.lower[0], block))
            continue
        tokens_u = _tokens(doc_u, paras_u, group.upper)
        tokens_l = _tokens(doc_l, paras_l, group.lower)
        coarse = time.perf_counter() > deadline
        coarse_blocks += coarse
        edits, similarity = block_edits(
            doc_u.normalized,
            doc_l.normalized,
            tokens_u,
            tokens_l,
            upper_start=side_u.start,
            lower_start=side_l.start,
            coarse=coarse,
        )
        status = "moved" if group.moved else "modified"
        block = Block(status, similarity, side_u, side_l, tuple(edits), _part_links(group))
        paired.append((group.lower[0], block))
    if coarse_blocks:
        warnings.append(
            f"word edits: time budget of {time_budget:g} s spent; "
            f"{coarse_blocks} block(s) shown as whole replacements"
        )
    for j in alignment.added:
        side = Side(paras_l[j].start, paras_l[j].end, paras_l[j].section, _text(doc_l, paras_l[j]))
        paired.append((j, Block("added", 0.0, None, side)))
    paired.sort(key=lambda item: item[0])
    blocks = _with_dropped([b for _, b in paired], doc_u, paras_u, alignment)
    return _mark_moved_text(blocks)


def _tokens(doc: Document, paras: Sequence[Para], indices: Sequence[int]) -> Tokens:
    """The tokens of a group's paragraphs: their keys, and offsets found now.

    Paragraph keys are read without offsets (most paragraphs are never
    diffed word by word); the offsets of the diffed ones are found here,
    from the lengths of the paragraph's split pieces when it has them.
    """
    if len(indices) == 1:
        para = paras[indices[0]]
        starts, ends = _spans(doc, para)
        return Tokens(para.key, tuple(starts), tuple(ends), para.is_word)
    spans = [_spans(doc, paras[i]) for i in indices]
    return Tokens(
        tuple(itertools.chain.from_iterable(paras[i].key for i in indices)),
        tuple(itertools.chain.from_iterable(starts for starts, _ in spans)),
        tuple(itertools.chain.from_iterable(ends for _, ends in spans)),
        tuple(itertools.chain.from_iterable(paras[i].is_word for i in indices)),
    )


def _spans(doc: Document, para: Para) -> tuple[list[int], list[int]]:
    if para.pieces is None:
        return spans_of(doc.normalized, para.start, para.end)
    return pieces_spans(para.pieces, para.start)


def _text(doc: Document, para: Para) -> str:
    return doc.normalized[para.start : para.end]


def _keys(paras: Sequence[Para], indices: Sequence[int]) -> tuple[str, ...]:
    """The token keys of a group's paragraphs (read once, never re-tokenized)."""
    if len(indices) == 1:
        return paras[indices[0]].key
    return tuple(itertools.chain.from_iterable(paras[i].key for i in indices))


def _with_dropped(
    blocks: list[Block], doc_u: Document, paras_u: Sequence[Para], alignment: Alignment
) -> list[Block]:
    """Insert each dropped upper paragraph after the block holding its upper predecessor."""
    starts = [para.start for para in paras_u]
    position_of_upper: dict[int, int] = {}
    for position, block in enumerate(blocks):
        if block.upper is not None:
            first = bisect.bisect_left(starts, block.upper.start)
            last = bisect.bisect_left(starts, block.upper.end)
            for index in range(first, last):
                position_of_upper[index] = position
    paired = sorted(position_of_upper)
    inserts: dict[int, list[Block]] = {}
    for i in alignment.dropped:
        k = bisect.bisect_left(paired, i)
        where = position_of_upper[paired[k - 1]] if k else -1
        side = Side(paras_u[i].start, paras_u[i].end, paras_u[i].section, _text(doc_u, paras_u[i]))
        inserts.setdefault(where, []).append(Block("dropped", 0.0, side, None))
    out = list(inserts.get(-1, []))
    for position, block in enumerate(blocks):
        out.append(block)
        out.extend(inserts.get(position, []))
    return out


def _mark_moved_text(blocks: list[Block]) -> list[Block]:
    """Label deleted text re-inserted in another (or the same) block as moved."""
    flat: list[Edit] = []
    owners: list[tuple[int, int]] = []
    words: dict[int, tuple[str, ...]] = {}
    for b, block in enumerate(blocks):
        for e, edit in enumerate(block.edits):
            text = edit.upper if edit.op == "delete" else edit.lower
            if edit.op in ("delete", "insert"):
                words[len(flat)] = tuple(k for k in keys_of(text) if k[0].isalnum())
            flat.append(edit)
            owners.append((b, e))
    marked = mark_moved(flat, words)
    if marked == flat:
        return blocks
    edits_of: dict[int, list[Edit]] = {b: list(block.edits) for b, block in enumerate(blocks)}
    for (b, e), edit in zip(owners, marked, strict=True):
        edits_of[b][e] = edit
    from dataclasses import replace

    return [replace(block, edits=tuple(edits_of[b])) for b, block in enumerate(blocks)]


def _unrelated_blocks(
    doc_u: Document, doc_l: Document, paras_u: Sequence[Para], paras_l: Sequence[Para]
) -> list[Block]:
    """No pairs at all: the upper's paragraphs dropped, then the lower's added."""
    dropped = [
        Block("dropped", 0.0, Side(p.start, p.end, p.section, _text(doc_u, p)), None)
        for p in paras_u
    ]
    added = [
        Block("added", 0.0, None, Side(p.start, p.end, p.section, _text(doc_l, p))) for p in paras_l
    ]
    return added + dropped


def _summary(
    blocks: Sequence[Block],
    related: bool,
    overlap: float,
    record_u: Record,
    record_l: Record,
    upper_count: int,
) -> Summary:
    counts = dict.fromkeys(("kept", "modified", "added", "dropped", "moved"), 0)
    for block in blocks:
        counts[block.status] += 1
    localisations = sum(
        1
        for block in blocks
        for edit in block.edits
        if edit.kind != "edit" and edit.kind != "moved"
    )
    kind_u = (record_u.doc_type or "document").lower()
    kind_l = (record_l.doc_type or "document").lower()
    if not related:
        verdict = f"The documents share little text (overlap {overlap:.0%}): no alignment forced."
    else:
        moved = f", moves {counts['moved']}" if counts["moved"] else ""
        local = f"; {localisations} edit(s) are localisations" if localisations else ""
        verdict = (
            f"The lower {kind_l} keeps {counts['kept']} and adapts {counts['modified']} "
            f"of the upper {kind_u}'s {upper_count} blocks{moved}, adds {counts['added']}, "
            f"drops {counts['dropped']} (overlap {overlap:.0%}){local}."
        )
    return Summary(localisations=localisations, verdict=verdict, **counts)
