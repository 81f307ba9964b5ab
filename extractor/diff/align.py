"""Block alignment: which upper paragraphs became which lower paragraphs.

A block is one body paragraph: a body line of the structure stage, or a run
of hard-wrapped lines; a heading line is a block of its own. Paragraphs are
compared on content, never on numbering: the leading marker ("III.1.", "-")
is left out of the features, which are the paragraph's word unigrams and
bigrams weighted by a smoothed IDF over both documents (rare shared phrases
count, boilerplate words barely), with every printed date as one placeholder
(plans shift dates: "trước ngày 25/02/2022" and "trước ngày 15/6/2022" share
"trước ngày <date>"). Similarity is the weighted Dice coefficient
of two feature sets; "containment" is the share of the smaller one found in
the other.

The alignment, in order (thresholds were set on the synthetic pair and the
three sample pairs of ``tests/golden/diff``; see ``tests/test_diff_gold.py``):

1. candidates from one sparse feature-matrix product (only paragraphs sharing
   a feature are compared; each keeps its :data:`TOP_K` best candidates, and
   past :data:`MAX_PAIRS` pairs a coarse alignment is used instead);
2. the backbone: the heaviest order-preserving chain (a weighted LIS) of pairs
   at :data:`MATCH` or above;
3. out-of-order pairs at the stricter :data:`MOVE`, best first (``moved``
   candidates); a lower paragraph reusing an already paired upper one at
   :data:`DUPLICATE`; then, between two backbone pairs, rewritten paragraphs
   that stayed in place at :data:`WEAK` (each the other's best match); a gap
   of exactly one paragraph on each side between two in-order pairs is a pair
   when the two share anything distinctive (:func:`_weak_pair`), even if
   neither is among the other's best candidates (as a line diff pairs a
   one-line replacement); then long out-of-order paragraphs that are each
   other's best match at :data:`MOVE_WEAK`;
4. merges and splits: an unpaired neighbour joins a group when it is mostly
   contained in the partner or the group's similarity grows by
   :data:`MERGE_GAIN`; a heading absorbed into a numbered item joins; a short
   paragraph folded into a paired one (:data:`FOLDED`) gets a block of its own;
   under two paired headings, the paragraphs left unpaired are compared among
   themselves and mutual best weak pairs are taken (headings are paired with
   their content, not by themselves);
5. groups off the heaviest chain of the final groups are ``moved``; inside a
   merge or split, ``links`` say which paragraphs share content.

Pairs below the thresholds are never forced: the paragraph is ``dropped`` or
``added`` instead.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from extractor.diff.tokens import fold, folded_keys, keys_of, split_pieces
from extractor.document import Document
from extractor.structure import Line, Structure
from extractor.structure.sections import match_marker

#: Weighted Dice at or above which two paragraphs in reading order are a pair.
MATCH = 0.4
#: A stricter bar for pairs out of order (moved text must be clearly the same).
MOVE = 0.6
#: A paragraph joins a neighbour's group when the group's similarity grows by this much.
MERGE_GAIN = 0.04
#: Weighted Dice for a second pairing of an already paired upper paragraph.
DUPLICATE = 0.5
#: Share of a short paragraph found in a paired one for it to count as folded in.
FOLDED = 0.7
#: Out-of-order pairs below MOVE: mutual best, both this long, at least this Dice.
MOVE_WEAK = 0.25
MOVE_WEAK_WORDS = 20
#: Weak pairs must be each other's best match among unpaired paragraphs.
MUTUAL = True
#: Between two backbone pairs, a pair needs only this weighted Dice …
WEAK = 0.12
#: … or this share of the smaller paragraph found in the other (with enough words).
WEAK_CONTAINED = 0.6
#: Words a paragraph needs for containment alone to pair or merge it.
MIN_CONTAINED_WORDS = 4
#: An unpaired neighbour joins a group when this share of it is found in the partner.
JOIN_CONTAINED = 0.5
#: Paragraph pairs above which the coarse alignment is used (the similarity
#: matrix is dense: 4M pairs are 32 MB).
MAX_PAIRS = 4_000_000
#: Candidates kept per paragraph on each side.
TOP_K = 8


@dataclass(frozen=True, slots=True)
class Para:
    """A body paragraph with its token keys and content features."""

    index: int
    line: int
    start: int
    end: int
    section: str | None
    key: tuple[str, ...]
    is_word: tuple[bool, ...]
    #: Gaps and tokens of the folded text, alternately (:func:`split_pieces`):
    #: the tokens' offsets without another regex pass; None when folding
    #: changed the text's length (offsets are then found on the text).
    pieces: list[str] | None
    #: The content words (no marker, no punctuation; dates as ``<date>``):
    #: the features are these words and their bigrams.
    content: tuple[str, ...]
    words: int
    marker: str | None

    @property
    def features(self) -> frozenset[str]:
        """The word unigrams and bigrams (``"a b"``) of the content.

        The aligner works on integer ids of the same features
        (:func:`_feature_entries`); this set is for the coarse alignment.
        """
        return frozenset(self.content).union(map(" ".join, itertools.pairwise(self.content)))


@dataclass(frozen=True, slots=True)
class Group:
    """Aligned consecutive paragraphs: ``upper`` and ``lower`` are index ranges."""

    upper: tuple[int, ...]
    lower: tuple[int, ...]
    similarity: float
    moved: bool = False
    #: (upper, lower) paragraph indices that share content, when the group
    #: is a merge or a split; empty for a one-to-one group.
    links: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Alignment:
    """Groups of paired paragraphs, plus the unpaired ones, and any warning."""

    groups: tuple[Group, ...]
    dropped: tuple[int, ...]
    added: tuple[int, ...]
    warnings: tuple[str, ...]


def paragraphs(document: Document, structure: Structure) -> tuple[Para, ...]:
    """The body paragraphs of a document, in reading order.

    A paragraph is a body line, or a run of hard-wrapped lines (a line that
    stops mid-sentence followed by one that starts in lower case).

    >>> from extractor.structure import analyze
    >>> doc = Document.from_text("KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\n1. Nâng cao nhận thức")
    >>> [(p.section, p.key) for p in paragraphs(doc, analyze(doc))]
    [('I', ('i', '.', 'mục', 'đích')), ('I.1', ('1', '.', 'nâng', 'cao', 'nhận', 'thức'))]
    """
    sections = [s for s in structure.walk() if s.kind != "bullet"]
    section_starts = [s.start for s in sections]
    runs: list[list[Line]] = []
    for line in structure.lines_in("body"):
        if runs and _continues(runs[-1][-1].text, line.text):
            runs[-1].append(line)
        else:
            runs.append([line])
    # Fold the whole text once; paragraphs take slices of it. Offsets of
    # tokens are found later, only for the paragraphs whose words are diffed.
    folded = fold(document.normalized)
    same_length = len(folded) == len(document.normalized)
    out: list[Para] = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        text = document.normalized[start:end]
        pieces = split_pieces(folded, start, end) if same_length else None
        key = tuple(pieces[1::2]) if pieces is not None else keys_of(text)
        # Word or punctuation, per token: map keeps the loop in C.
        is_word = tuple(map(str.isalnum, map(_FIRST, key)))
        found = match_marker(text)
        # Content words only: no numbering marker ("III.1."), no punctuation.
        skip = len(folded_keys(folded, start, start + found[2])) if found and same_length else 0
        if found and not same_length:
            skip = len(keys_of(text[: found[2]]))
        content = tuple(
            itertools.compress(key[skip:], is_word[skip:])
            if skip
            else itertools.compress(key, is_word)
        )
        if "/" in text:
            # A date is compared as "a date": plans shift them (15/6 → 10/6).
            content = tuple(["<date>" if "/" in k and _DATE_TOKEN.match(k) else k for k in content])
        # Sections are in pre-order, sorted by start: the innermost section
        # holding ``start`` is the last one begun before it that has not ended.
        section = None
        k = bisect.bisect_right(section_starts, start) - 1
        while k >= 0:
            if sections[k].end > start:
                section = sections[k].id
                break
            k -= 1
        out.append(
            Para(
                index=len(out),
                line=run[0].index,
                start=start,
                end=end,
                section=section,
                key=key,
                is_word=is_word,
                pieces=pieces,
                content=content,
                words=len(content),
                marker=found[0] if found else None,
            )
        )
    return tuple(out)


_FIRST = operator.itemgetter(0)
_DATE_TOKEN = regex.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?$|\d{1,2}/\d{4}$")
_SENTENCE_END = regex.compile(r"[.:;!?…]\W{0,3}$")
_LOWER_START = regex.compile(r"^\s*[\p{Ll}\d]")


def _continues(previous: str, line: str) -> bool:
    """A hard-wrapped line: the previous stops mid-sentence and this one starts in lower case.

    >>> _continues("… về tiếp tục thực", "hiện Chỉ thị số 05-CT/TW"), _continues("a.", "b")
    (True, False)
    """
    # The anchored lower-case test first: most lines fail it at once.
    return (
        _LOWER_START.match(line) is not None
        and not _SENTENCE_END.search(previous)
        and match_marker(line) is None
    )


def align(upper: Sequence[Para], lower: Sequence[Para]) -> Alignment:
    """Align two documents' paragraphs (see the module docstring)."""
    if len(upper) * len(lower) > MAX_PAIRS:
        return _coarse(upper, lower, len(upper) * len(lower))
    if not upper or not lower:
        return Alignment((), tuple(range(len(upper))), tuple(range(len(lower))), ())
    weights, scored, totals_u, totals_l, common = _shared_weights(upper, lower)
    shared, sims, contained, by_similarity = scored

    def scores(i: int, j: int) -> tuple[float, float]:
        """Weighted Dice and containment of any pair (not only candidates)."""
        both = float(common[i, j])
        total = totals_u[i] + totals_l[j]
        smaller = min(totals_u[i], totals_l[j])
        return (2 * both / total if total else 0.0), (both / smaller if smaller else 0.0)

    out_of_order: set[int] = set()  # upper paragraphs paired against the reading order

    # 2. the backbone: the heaviest chain of good pairs in reading order.
    good = [(i, j) for (i, j), s in sims.items() if s >= MATCH]
    chain = _heaviest_chain(good, lambda p: sims[p] * _size(upper[p[0]], lower[p[1]]))
    pair_of_u: dict[int, int] = dict(chain)
    pair_of_l: dict[int, int] = {j: i for i, j in chain}

    # 3. out-of-order pairs, best first.
    for (i, j), s in by_similarity:
        if s < MOVE:
            break
        if i not in pair_of_u and j not in pair_of_l:
            pair_of_u[i] = j
            out_of_order.add(i)
            pair_of_l[j] = i

    # 3c. upper text reused a second time in the lower (out of order): the
    # duplicate is a pair of its own, not an added paragraph.
    extra: list[tuple[int, int]] = []
    for (i, j), s in by_similarity:
        if s < DUPLICATE:
            break
        if i in pair_of_u and j not in pair_of_l:
            extra.append((i, j))
            pair_of_l[j] = i

    # 3b. weaker pairs between two backbone pairs: an adapted paragraph that
    # stays in its place between anchors is a pair even when heavily rewritten.
    # A weak pair must also be each side's best among the still unpaired
    # paragraphs: a paragraph that resembles another one elsewhere more is
    # not forced into the gap it happens to sit in.
    best_u: dict[int, tuple[float, int]] = {}
    best_l: dict[int, tuple[float, int]] = {}
    for (i, j), s in sims.items():
        if i in pair_of_u or j in pair_of_l:
            continue
        if s > best_u.get(i, (-1.0, -1))[0]:
            best_u[i] = (s, j)
        if s > best_l.get(j, (-1.0, -1))[0]:
            best_l[j] = (s, i)
    anchors = [(-1, -1), *chain, (len(upper), len(lower))]
    starts_u = [a for a, _ in anchors]
    in_gap: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, j in shared:
        gap = bisect.bisect_left(starts_u, i) - 1  # anchors[gap] < i <= anchors[gap + 1]
        if (
            anchors[gap][1] < j < anchors[gap + 1][1]
            and i < anchors[gap + 1][0]
            and i not in pair_of_u
            and j not in pair_of_l
            and _weak_pair(upper[i], lower[j], sims[(i, j)], contained[(i, j)])
            and (not MUTUAL or (best_u[i][1] == j and best_l[j][1] == i))
        ):
            in_gap[gap].append((i, j))
    for weak in in_gap.values():
        for i, j in _heaviest_chain(weak, lambda p: sims[p] * _size(upper[p[0]], lower[p[1]])):
            pair_of_u[i] = j
            pair_of_l[j] = i

    # 3e. a gap of exactly one paragraph on each side between two in-order
    # pairs: the paragraph that stayed in its slot is the same one rewritten
    # when they share anything distinctive (as a line diff pairs a 1-1
    # replacement), even if it is not among either's best candidates.
    in_order_pairs = sorted((i, j) for i, j in pair_of_u.items() if i not in out_of_order)
    for (a_u, a_l), (b_u, b_l) in itertools.pairwise(
        [(-1, -1), *in_order_pairs, (len(upper), len(lower))]
    ):
        if b_u - a_u == 2 and b_l - a_l == 2:
            i, j = a_u + 1, a_l + 1
            if i in pair_of_u or j in pair_of_l:
                continue
            dice, share = scores(i, j)
            if _weak_pair(upper[i], lower[j], dice, share):
                pair_of_u[i] = j
                pair_of_l[j] = i
                sims[(i, j)] = dice
                contained[(i, j)] = share
                shared[(i, j)] = float(common[i, j])

    # 3d. out of order and rewritten, but unmistakable: long paragraphs left
    # unpaired on both sides that are each other's best match.
    for (i, j), s in by_similarity:
        if s < MOVE_WEAK:
            break
        if (
            i not in pair_of_u
            and j not in pair_of_l
            and min(upper[i].words, lower[j].words) >= MOVE_WEAK_WORDS
            and best_u.get(i, (0.0, -1))[1] == j
            and best_l.get(j, (0.0, -1))[1] == i
        ):
            pair_of_u[i] = j
            out_of_order.add(i)
            pair_of_l[j] = i

    # 4. merges and splits.
    groups: dict[int, tuple[list[int], list[int]]] = {}
    group_of_u: dict[int, int] = {}
    group_of_l: dict[int, int] = {}
    for number, (i, j) in enumerate(sorted(pair_of_u.items())):
        groups[number] = ([i], [j])
        group_of_u[i] = number
        group_of_l[j] = number
    for number, (i, j) in enumerate(extra, start=len(groups)):
        groups[number] = ([i], [j])
        group_of_l[j] = number

    group_sims: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}

    def group_sim(us: Sequence[int], ls: Sequence[int]) -> float:
        key = (tuple(us), tuple(ls))
        if key not in group_sims:
            group_sims[key] = _group_sim(us, ls)
        return group_sims[key]

    def _group_sim(us: Sequence[int], ls: Sequence[int]) -> float:
        fu = frozenset().union(*map(weights.upper, us))
        fl = frozenset().union(*map(weights.lower, ls))
        both = weights.total(fu & fl)
        total = weights.total(fu) + weights.total(fl)
        return 2 * both / total if total else 0.0

    def part_of(para: Para, others: Sequence[Para], *, upper_side: bool) -> float:
        """Share of ``para``'s feature weight found in ``others``."""
        if len(others) == 1:  # one partner: read off the shared-weight matrix
            i, j = (para.index, others[0].index) if upper_side else (others[0].index, para.index)
            total = totals_u[i] if upper_side else totals_l[j]
            return float(common[i, j]) / total if total else 0.0
        own, theirs = (
            (weights.upper, weights.lower) if upper_side else (weights.lower, weights.upper)
        )
        union = frozenset().union(*(theirs(o.index) for o in others))
        features = own(para.index)
        total = weights.total(features)
        return weights.total(features & union) / total if total else 0.0

    by_shared = sorted(shared.items(), key=lambda item: -item[1])
    changed = True
    while changed:
        changed = False
        for (i, j), _common in by_shared:
            if i in group_of_u and j in group_of_l:
                continue
            if i not in group_of_u and j in group_of_l:
                number = group_of_l[j]
                us, ls = groups[number]
                if i not in (us[0] - 1, us[-1] + 1):
                    continue
                extended = sorted([*us, i])
                if _joins(upper[i], part_of(upper[i], [lower[x] for x in ls], upper_side=True)) or (
                    group_sim(extended, ls) >= group_sim(us, ls) + MERGE_GAIN
                ):
                    groups[number] = (extended, ls)
                    group_of_u[i] = number
                    changed = True
            elif j not in group_of_l and i in group_of_u:
                number = group_of_u[i]
                us, ls = groups[number]
                if j not in (ls[0] - 1, ls[-1] + 1):
                    continue
                extended = sorted([*ls, j])
                if _joins(
                    lower[j], part_of(lower[j], [upper[x] for x in us], upper_side=False)
                ) or (group_sim(us, extended) >= group_sim(us, ls) + MERGE_GAIN):
                    groups[number] = (us, extended)
                    group_of_l[j] = number
                    changed = True

    # 4b. a heading line absorbed into a numbered item: "1. Các huyện ủy …" +
    # "- Chỉ đạo …" upper, "1. Cấp ủy … chỉ đạo …" lower.
    for number, (us, ls) in list(groups.items()):
        for mine, theirs, group_of, paras, other in (
            (us, ls, group_of_u, upper, lower),
            (ls, us, group_of_l, lower, upper),
        ):
            before = mine[0] - 1
            if (
                before >= 0
                and before not in group_of
                and _is_heading(paras[before])
                and not _is_heading(paras[mine[0]])
                and paras[mine[0]].marker in (None, "bullet")
                and other[theirs[0]].marker not in (None, "bullet")
            ):
                mine.insert(0, before)
                group_of[before] = number

    # 4c. a short unpaired paragraph whose words are nearly all in a paired
    # paragraph of the other side, at a place consistent with the order: the
    # other side folded it in ("3. Hình thức tổ chức" and "4. Thời gian tổ
    # chức" → "2. Hình thức, thời gian tổ chức …"). A block of its own.
    # Order is judged against the pairs that follow the reading order.
    following = [(us, ls) for us, ls in groups.values() if not set(us) & out_of_order]
    lower_of_u = {i: ls[0] for us, ls in following for i in us}
    upper_of_l = {j: us[0] for us, ls in following for j in ls}
    for (i, j), share in sorted(contained.items(), key=lambda item: -item[1]):
        if share < FOLDED or sims[(i, j)] < WEAK:
            continue
        # A partner already paired with its identical twin has nothing folded in.
        if (j in group_of_l and _same_features(weights, groups[group_of_l[j]][0][0], j)) or (
            i in group_of_u and _same_features(weights, i, groups[group_of_u[i]][1][0])
        ):
            continue
        folds_upper = i not in group_of_u and j in group_of_l and totals_u[i] < totals_l[j]
        folds_lower = j not in group_of_l and i in group_of_u and totals_l[j] < totals_u[i]
        if folds_upper and upper[i].words >= 2 and _in_order(i, j, lower_of_u):
            groups[len(groups)] = ([i], [j])
            group_of_u[i] = len(groups) - 1
        elif folds_lower and lower[j].words >= 2 and _in_order(j, i, upper_of_l):
            groups[len(groups)] = ([i], [j])
            group_of_l[j] = len(groups) - 1

    # 4d. headings paired with their content: under two paired headings, the
    # paragraphs left unpaired are compared among themselves, and a weak pair
    # that is mutual best there is taken ("4. Thời gian tổ chức" + "Trong
    # các kỳ sinh hoạt …" upper, "2. Hình thức, thời gian …" + "- Hình
    # thức: Tổ chức trong các kỳ sinh hoạt …" lower).
    content_u = _section_content(upper)
    content_l = _section_content(lower)
    for us, ls in list(groups.values()):
        heads_u = [i for i in us if _is_heading(upper[i])]
        heads_l = [j for j in ls if _is_heading(lower[j])]
        if not heads_u or not heads_l:
            continue
        free_u = [i for h in heads_u for i in content_u.get(h, ()) if i not in group_of_u]
        free_l = [j for h in heads_l for j in content_l.get(h, ()) if j not in group_of_l]
        candidates = {
            (i, j): scores(i, j)
            for i in free_u
            for j in free_l
            if _weak_pair(upper[i], lower[j], *scores(i, j))
        }
        for (i, j), (dice, _share) in sorted(candidates.items(), key=lambda item: -item[1][0]):
            if i in group_of_u or j in group_of_l:
                continue
            if dice < max(scores(i, k)[0] for k in free_l) or dice < max(
                scores(k, j)[0] for k in free_u
            ):
                continue  # not each other's best under these headings
            number = len(groups)
            groups[number] = ([i], [j])
            group_of_u[i] = number
            group_of_l[j] = number
            sims[(i, j)] = dice

    # 5. moved: groups off the heaviest chain of the final groups.
    final = [
        (tuple(us), tuple(ls), group_sim(us, ls) if len(us) + len(ls) > 2 else sims[(us[0], ls[0])])
        for us, ls in groups.values()
    ]
    ordered = [(us[0], ls[0]) for us, ls, _ in final]
    by_head = {(us[0], ls[0]): (us, ls, s) for us, ls, s in final}
    in_order = set(
        _heaviest_chain(
            ordered,
            lambda p: by_head[p][2] * sum(upper[i].words + 1 for i in by_head[p][0]),
        )
    )
    result = tuple(
        Group(
            us,
            ls,
            s,
            moved=(us[0], ls[0]) not in in_order,
            links=_links(us, ls, upper, lower, scores) if len(us) + len(ls) > 2 else (),
        )
        for us, ls, s in sorted(final, key=lambda g: (g[1][0], g[0][0]))
    )
    return Alignment(
        groups=result,
        dropped=tuple(p.index for p in upper if p.index not in group_of_u),
        added=tuple(p.index for p in lower if p.index not in group_of_l),
        warnings=(),
    )


def _links(
    us: Sequence[int],
    ls: Sequence[int],
    upper: Sequence[Para],
    lower: Sequence[Para],
    scores: Any,
) -> tuple[tuple[int, int], ...]:
    """Which paragraphs of a merge or split share content.

    A pair links when it would be a weak pair on its own (Dice at
    :data:`WEAK` or enough of the smaller one contained in the other); every
    paragraph links at least to its most similar partner, so none is left
    out of the block it belongs to. A heading merged into a paragraph that
    the other side split links only to the part that carries its words.
    """
    table = {(i, j): scores(i, j) for i in us for j in ls}
    links = {
        pair
        for pair, (dice, share) in table.items()
        if _weak_pair(upper[pair[0]], lower[pair[1]], dice, share)
    }
    for i in us:
        if not any((i, j) in links for j in ls):
            links.add((i, max(ls, key=lambda j: table[(i, j)])))
    for j in ls:
        if not any((i, j) in links for i in us):
            links.add((max(us, key=lambda i: table[(i, j)]), j))
    return tuple(sorted(links))


def _section_content(paras: Sequence[Para]) -> dict[int, tuple[int, ...]]:
    """Heading paragraph → the paragraphs after it in its own section (not subsections).

    >>> from extractor.structure import analyze
    >>> text = "KẾ HOẠCH\\nvề X\\nI. MỤC ĐÍCH\\nNâng cao nhận thức.\\nII. YÊU CẦU"
    >>> doc = Document.from_text(text)
    >>> _section_content(paragraphs(doc, analyze(doc)))
    {0: (1,), 2: ()}
    """
    out: dict[int, tuple[int, ...]] = {}
    for para in paras:
        if not _is_heading(para):
            continue
        content: list[int] = []
        for other in paras[para.index + 1 :]:
            if other.section != para.section or _is_heading(other):
                break
            content.append(other.index)
        out[para.index] = tuple(content)
    return out


def _in_order(index: int, partner: int, partner_of: dict[int, int]) -> bool:
    """Pairing ``index`` with ``partner`` keeps order with the nearest paired neighbours."""
    before = [partner_of[k] for k in partner_of if k < index]
    after = [partner_of[k] for k in partner_of if k > index]
    return (not before or max(before) <= partner) and (not after or min(after) >= partner)


def _weak_pair(a: Para, b: Para, dice: float, contained: float) -> bool:
    small = a if a.words <= b.words else b
    return dice >= WEAK or (contained >= WEAK_CONTAINED and small.words >= MIN_CONTAINED_WORDS)


def _joins(para: Para, share: float) -> bool:
    return share >= JOIN_CONTAINED and para.words >= MIN_CONTAINED_WORDS


def _is_heading(para: Para) -> bool:
    """A short numbered line ("2. Yêu cầu", "III. TỔ CHỨC THỰC HIỆN")."""
    return para.marker not in (None, "bullet") and para.words <= 12


_Pair = tuple[int, int]
#: Candidate pairs: shared weight, Dice and containment by pair, and the
#: (pair, Dice) items by decreasing Dice, then by pair.
_Candidates = tuple[
    dict[_Pair, float], dict[_Pair, float], dict[_Pair, float], list[tuple[_Pair, float]]
]


def _shared_weights(
    upper: Sequence[Para], lower: Sequence[Para]
) -> tuple[_Weights, _Candidates, list[float], list[float], Any]:
    """Feature weights, the candidate pairs with their scores, and paragraph totals.

    Weights are a smoothed IDF over both documents' paragraphs, never zero,
    so repeated text still counts. One sparse matrix product (paragraphs ×
    features, weighted, times the other side's transpose) replaces a Python
    loop over posting lists; only pairs that could reach :data:`WEAK` Dice
    or :data:`WEAK_CONTAINED` containment are returned.
    """
    # Imported here: scipy costs a quarter of a second to import, and
    # `import extractor` should not pay it for a diff it may never run.
    from scipy import sparse

    rows, cols, width = _feature_entries([*upper, *lower])
    # Every column is a feature of some paragraph: df >= 1.
    df = np.bincount(cols, minlength=width)
    weight_of = np.log1p((len(upper) + len(lower)) / df) if width else np.zeros(0)

    def side(chosen: Any, shift: int, count: int, weighted: bool) -> tuple[Any, Any]:
        """A side's paragraphs × features matrix (CSC) and its rows' total weights."""
        rows_of, cols_of = rows[chosen] - shift, cols[chosen]
        # Entries come sorted by column, then row: a CSC matrix as they are.
        indptr = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols_of, minlength=width), out=indptr[1:])
        data = weight_of[cols_of]
        totals = np.bincount(rows_of, weights=data, minlength=count)
        matrix = sparse.csc_matrix(
            (data if weighted else np.ones(len(cols_of)), rows_of, indptr), shape=(count, width)
        )
        return matrix, totals

    in_upper = rows < len(upper)
    # The upper side carries the weights, the lower side is 0/1.
    left, sums_u = side(in_upper, 0, len(upper), True)
    right, sums_l = side(~in_upper, len(upper), len(lower), False)
    # CSC times the transpose of a CSC (a CSR): one format conversion, inside.
    # Rounded: the order of summation is an implementation detail of the
    # sparse product; rounding keeps results reproducible.
    common = np.round((left @ right.T).toarray(), 9)
    totals_u = np.round(sums_u, 9)
    totals_l = np.round(sums_l, 9)
    sums = totals_u[:, None] + totals_l[None, :]
    smaller = np.minimum(totals_u[:, None], totals_l[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = (common > 0) & ((2 * common >= WEAK * sums) | (common >= WEAK_CONTAINED * smaller))
    # Only each paragraph's best few candidates on either side: repeated
    # boilerplate would otherwise make every pair a candidate. Ties go to the
    # pair nearest the diagonal (same relative position in both documents).
    dice = np.where(keep, 2 * common / np.where(sums > 0, sums, 1), -1.0)
    position = np.abs(
        np.arange(len(upper))[:, None] / len(upper) - np.arange(len(lower))[None, :] / len(lower)
    )
    rank = dice - 1e-6 * position
    best = np.zeros_like(keep)
    k = min(TOP_K, len(upper))
    top_rows = np.argpartition(-rank, k - 1, axis=0)[:k, :]
    best[top_rows, np.arange(len(lower))[None, :]] = True
    k = min(TOP_K, len(lower))
    top_cols = np.argpartition(-rank, k - 1, axis=1)[:, :k]
    best[np.arange(len(upper))[:, None], top_cols] = True
    pair_rows, pair_cols = np.nonzero(keep & best)
    pairs = list(zip(pair_rows.tolist(), pair_cols.tolist(), strict=True))
    both = common[pair_rows, pair_cols]
    pair_u, pair_l = totals_u[pair_rows], totals_l[pair_cols]
    # The same float operations as on Python floats, done on arrays: Dice
    # and containment of each candidate, and the candidates by decreasing
    # Dice, then by pair.
    pair_dice = 2 * both / (pair_u + pair_l)
    dice_list = pair_dice.tolist()
    candidates = (
        dict(zip(pairs, both.tolist(), strict=True)),
        dict(zip(pairs, dice_list, strict=True)),
        dict(zip(pairs, (both / np.minimum(pair_u, pair_l)).tolist(), strict=True)),
        [(pairs[k], dice_list[k]) for k in np.lexsort((pair_cols, pair_rows, -pair_dice)).tolist()],
    )
    sums = (totals_u.tolist(), totals_l.tolist())
    weights = _Weights(left, right, len(upper), weight_of, sums)
    return weights, candidates, *sums, common


#: Largest (feature, paragraph) key sorted as one int64 (above it, two keys).
_KEY_LIMIT = 2**62


def _feature_entries(paras: Sequence[Para]) -> tuple[Any, Any, int]:
    """The (paragraph, feature column) entries of ``paras``, and the number of columns.

    The features are the content words and their bigrams
    (:attr:`Para.features`), found with integer arithmetic instead of
    joined strings: words get ids below ``T`` (the number of words) in one
    pass over all paragraphs, a bigram of ids ``a, b`` is ``(a + 1) * T + b``
    (distinct for distinct bigrams, and above every word id). One sort by
    (feature, paragraph) drops repeats and numbers the distinct features in
    order, so columns do not depend on string hashing. Entries come sorted
    by column, then paragraph.
    """
    vocabulary: dict[str, int] = {}
    lengths = [len(p.content) for p in paras]
    total = sum(lengths)
    # ``setdefault`` keeps a word's first id while the counter runs on: ids
    # have gaps but stay below ``total``.
    words = np.fromiter(
        map(
            vocabulary.setdefault,
            itertools.chain.from_iterable(p.content for p in paras),
            itertools.count(),
        ),
        dtype=np.int64,
        count=total,
    )
    row_of = np.repeat(np.arange(len(paras), dtype=np.int64), lengths)
    inside = row_of[:-1] == row_of[1:]  # both words of the bigram in one paragraph
    features = np.concatenate((words, (words[:-1][inside] + 1) * total + words[1:][inside]))
    rows = np.concatenate((row_of, row_of[:-1][inside]))
    count = len(paras)
    if (total + 1) * total * count < _KEY_LIMIT:
        # One key per entry, sorted in one pass (no overflow: checked above).
        keys = np.sort(features * count + rows)
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        features, rows = np.divmod(keys[first], count)
    else:  # too many words for one key: sort on both
        order = np.lexsort((rows, features))
        features, rows = features[order], rows[order]
        first = np.ones(len(features), dtype=bool)
        first[1:] = (features[1:] != features[:-1]) | (rows[1:] != rows[:-1])
        features, rows = features[first], rows[first]
    new = np.ones(len(features), dtype=bool)
    new[1:] = features[1:] != features[:-1]
    cols = np.cumsum(new) - 1
    return rows, cols, int(cols[-1]) + 1 if len(cols) else 0


class _Weights:
    """Feature weights by column, and each paragraph's set of feature columns.

    Built from both sides' paragraphs × features matrices; the
    per-paragraph lists are made on first use (an alignment with no merge
    candidates never reads them). Rows number the upper paragraphs, then
    the lower ones.
    """

    __slots__ = (
        "_cols",
        "_indptr",
        "_matrices",
        "_sets",
        "_split",
        "_values",
        "_weight_of",
        "totals",
    )

    def __init__(
        self,
        upper: Any,
        lower: Any,
        split: int,
        weight_of: Any,
        totals: tuple[list[float], list[float]],
    ) -> None:
        self._matrices = (upper, lower)
        self._split = split
        self._weight_of = weight_of
        self._cols: list[int] = []
        self._indptr: list[int] = []
        self._values: list[float] = []
        self._sets: dict[int, frozenset[int]] = {}
        #: Each side's paragraph totals (rounded, as the aligner reads them).
        self.totals = totals

    def _row(self, row: int) -> frozenset[int]:
        found = self._sets.get(row)
        if found is None:
            if not self._indptr:
                # Both sides by paragraph (CSR; scipy's conversion is a
                # counting sort), as Python lists: a row's set is one slice.
                upper, lower = (matrix.tocsr() for matrix in self._matrices)
                self._cols = [*upper.indices.tolist(), *lower.indices.tolist()]
                self._indptr = [*upper.indptr.tolist(), *(lower.indptr[1:] + upper.nnz).tolist()]
            found = frozenset(self._cols[self._indptr[row] : self._indptr[row + 1]])
            self._sets[row] = found
        return found

    def upper(self, i: int) -> frozenset[int]:
        """The feature columns of upper paragraph ``i``."""
        return self._row(i)

    def lower(self, j: int) -> frozenset[int]:
        """The feature columns of lower paragraph ``j``."""
        return self._row(self._split + j)

    def same_total(self, i: int, j: int) -> bool:
        """Upper ``i`` and lower ``j`` have equal summed weights (needed for equal sets).

        Equal sets give bit-equal totals: their weights are added in the
        same (column) order.
        """
        return self.totals[0][i] == self.totals[1][j]

    def total(self, features: Iterable[int]) -> float:
        """The summed weight of ``features``."""
        if not self._values:
            self._values = self._weight_of.tolist()
        return sum(map(self._values.__getitem__, features))


def _same_features(weights: _Weights, i: int, j: int) -> bool:
    """Upper paragraph ``i`` and lower ``j`` have the same features."""
    return weights.same_total(i, j) and weights.upper(i) == weights.lower(j)


def _size(a: Para, b: Para) -> float:
    return 1.0 + min(a.words, b.words)


def _heaviest_chain(pairs: Sequence[tuple[int, int]], weight: object) -> list[tuple[int, int]]:
    """The subset of pairs strictly increasing on both sides with the largest total weight.

    O(k log k) with a Fenwick tree of prefix maxima over the lower index.

    >>> _heaviest_chain([(0, 0), (1, 2), (2, 1), (3, 3)], lambda p: 1.0)
    [(0, 0), (1, 2), (3, 3)]
    """
    if not pairs:
        return []
    assert callable(weight)
    size = max(j for _, j in pairs) + 2
    tree_value = [0.0] * (size + 1)
    tree_index = [-1] * (size + 1)
    ordered = sorted(pairs, key=lambda p: (p[0], -p[1]))
    best = [0.0] * len(ordered)
    parent = [-1] * len(ordered)
    for position, (_, j) in enumerate(ordered):
        # Prefix maximum over lower indices < j.
        value, index, k = 0.0, -1, j
        while k > 0:
            if tree_value[k] > value:
                value, index = tree_value[k], tree_index[k]
            k -= k & -k
        best[position] = value + float(weight(ordered[position]))
        parent[position] = index
        k = j + 1
        while k <= size:
            if best[position] > tree_value[k]:
                tree_value[k], tree_index[k] = best[position], position
            k += k & -k
    position = max(range(len(ordered)), key=lambda p: best[p])
    chain: list[tuple[int, int]] = []
    while position != -1:
        chain.append(ordered[position])
        position = parent[position]
    return chain[::-1]


def _coarse(upper: Sequence[Para], lower: Sequence[Para], work: int) -> Alignment:
    """Alignment without the all-pairs index: equal paragraphs in order, then by position.

    Used when paragraphs repeat so much that comparing candidates would take
    too long; it finds no moves, merges or splits.
    """
    matcher = difflib.SequenceMatcher(None, [p.key for p in upper], [p.key for p in lower])
    pairs: list[Group] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(
                Group((i,), (j,), 1.0) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        elif tag == "replace":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                a, b = upper[i].features, lower[j].features
                dice = 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0
                if dice >= MATCH:
                    pairs.append(Group((i,), (j,), dice))
    paired_u = {g.upper[0] for g in pairs}
    paired_l = {g.lower[0] for g in pairs}
    return Alignment(
        groups=tuple(pairs),
        dropped=tuple(p.index for p in upper if p.index not in paired_u),
        added=tuple(p.index for p in lower if p.index not in paired_l),
        warnings=(
            f"alignment: about {work:,} paragraph comparisons exceed the budget; "
            "coarse alignment used (no moves, merges or splits)",
        ),
    )
