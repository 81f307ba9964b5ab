"""Which archive document a citation names: number first, then date and issuer.

Numbers collide: party numbers restart every term and every committee has
its own "31-KH/HU", so two districts of one archive may both hold a
"31-KH/HU". A citation prints more than the number, and the candidate's
record says more than its number; :func:`score` weighs them:

- the dates (the citation's "ngày 02/11/2020" against the candidate's own
  date): equal → +2, compatible (one is partial) → +1, different → ruled out;
  a candidate dated after the citing document is ruled out too;
- the issuer: the place names in it ("Huyện ủy Đại Từ") against those of
  the candidate's issuing body → +2 when they share one, ruled out when
  they share none; without place names, a fuzzy match of the names → +1;
- without an issuer place, the citing document's own places ("Đảng ủy xã
  La Bằng", under "Đảng bộ huyện Đại Từ") shared with the candidate → +1:
  a commune cites its own district's plan.

:func:`resolve` keeps the best-scoring candidates; several only when they
tie (copies of one document, as the corpus's 038/039).

>>> citation = Cited("31-KH/HU", "Kế hoạch", "2022-03-02", "Huyện ủy Đại Từ")
>>> dai_tu = Candidate("a", "2022-03-02", frozenset({"đại từ"}), "Ban Thường vụ Huyện ủy Đại Từ")
>>> phu_luong = Candidate("b", "2022-03-02", frozenset({"phú lương"}), "Huyện ủy Phú Lương")
>>> [(m.node_id, m.by) for m in resolve(citation, [dai_tu, phu_luong], citing=None)]
[('a', ('number', 'date', 'issuer'))]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import regex
from rapidfuzz import fuzz

from extractor.data import compile_pattern, load
from extractor.fields.references import fold_number
from extractor.text.normalize import match_key

#: token-set ratio from which two issuer names without places are the same body.
_ISSUER_RATIO = 90
_ISO_DAY = 10

DateAgreement = Literal["equal", "compatible", "conflict", "unknown"]


@dataclass(frozen=True, slots=True)
class Cited:
    """What a citation prints about the cited document."""

    number: str
    doc_type: str | None
    date: str | None
    issuer: str | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An archive document as a possible target: its date, places and issuer.

    ``places`` are all the places the record names (issuer and place line);
    ``issuer_places`` only those in its issuer's names: the place line is
    where a document was signed ("Hà Nội", or "thủ đô" in a spun repost),
    too loose to rule a candidate out.
    """

    node_id: str
    date: str | None
    places: frozenset[str]
    issuing_body: str | None = None
    issuer_places: frozenset[str] | None = None

    @property
    def named_places(self) -> frozenset[str]:
        """The places of the issuer's names (all places when not given apart)."""
        return self.places if self.issuer_places is None else self.issuer_places


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate that fits a citation, with what agreed."""

    node_id: str
    score: int
    by: tuple[str, ...]


def number_key(number: str | None, doc_type: str | None = None) -> str | None:
    """The key a number is resolved by; None for a number that names nothing.

    A number with a blank sequence ("/KH-UBND", a draft's "Số:   /KH-UBND")
    is shared by every draft of that office. A bare sequence ("Kết luận số
    01") is only a number together with its type.

    >>> number_key("60 -KH/ĐUK"), number_key("/KH-UBND"), number_key("01", "Kết luận")
    ('60-kh/đuk', None, 'kết luận 01')
    """
    if not number:
        return None
    key = fold_number(number)
    if not key[:1].isdigit() and not key[:1].isalpha():
        return None
    if "/" not in key and "-" not in key:
        return f"{match_key(doc_type)} {key}" if doc_type else None
    return key


@functools.cache
def _locality() -> regex.Pattern[str]:
    return compile_pattern(load("lineage")["locality"])


def places(*names: str | None) -> frozenset[str]:
    """The folded place names in organisation names and place lines.

    >>> sorted(places("Ban Thường vụ Huyện ủy Đại Từ", "Đảng bộ tỉnh Thái Nguyên"))
    ['thái nguyên', 'đại từ']
    >>> places("Ban Tổ chức Trung ương", None)
    frozenset()
    """
    found: set[str] = set()
    for name in names:
        if name:
            found.update(match_key(m.group("name")) for m in _locality().finditer(name))
    return frozenset(found)


def record_places(record: Mapping[str, Any]) -> frozenset[str]:
    """The places a record names for itself: issuer, its parent, the place line.

    >>> sorted(record_places({"issuing_body": "UBND xã Dân Lực", "place": "Dân Lực"}))
    ['dân lực']
    """
    found = places(record.get("issuing_body"), record.get("issuing_body_parent"))
    place = record.get("place")
    return found | {match_key(place)} if place else found


def issuer_places(record: Mapping[str, Any]) -> frozenset[str]:
    """The places in a record's issuer names only (not its place line).

    >>> sorted(issuer_places({"issuing_body": "Bộ Chính trị", "place": "Hà Nội"}))
    []
    """
    return places(record.get("issuing_body"), record.get("issuing_body_parent"))


def compare_dates(first: str | None, second: str | None) -> DateAgreement:
    """How two ISO dates (possibly partial) agree.

    >>> compare_dates("2022-03-02", "2022-03-02"), compare_dates("2022-03", "2022-03-02")
    ('equal', 'compatible')
    >>> compare_dates("2022-03-02", "2021-03-02"), compare_dates(None, "2022")
    ('conflict', 'unknown')
    """
    if not first or not second:
        return "unknown"
    shared = min(len(first), len(second))
    if first[:shared] != second[:shared]:
        return "conflict"
    return "equal" if len(first) == len(second) == _ISO_DAY else "compatible"


def score(cited: Cited, candidate: Candidate, citing: Candidate | None) -> Match | None:
    """How well ``candidate`` fits ``cited``; None when something rules it out.

    >>> cited = Cited("09-KH/ĐU", None, "2020-11-24", None)
    >>> score(cited, Candidate("x", "2019-11-24", frozenset()), None) is None
    True
    >>> score(cited, Candidate("x", "2020-11", frozenset()), None)
    Match(node_id='x', score=1, by=('number', 'date'))
    """
    by = ["number"]
    points = 0
    dates = compare_dates(cited.date, candidate.date)
    if dates == "conflict":
        return None
    if dates != "unknown":
        points += 2 if dates == "equal" else 1
        by.append("date")
    if citing is not None and _later(candidate.date, citing.date):
        # A document cannot carry out one issued after it.
        return None
    cited_places = places(cited.issuer)
    if cited_places and cited_places & candidate.places:
        points += 2
        by.append("issuer")
    elif cited_places and candidate.named_places:
        # The issuer is of another place than the candidate's issuer.
        return None
    elif _same_body(cited.issuer, candidate.issuing_body):
        points += 1
        by.append("issuer")
    if not cited_places and citing is not None and citing.places & candidate.places:
        points += 1
        by.append("locality")
    return Match(candidate.node_id, points, tuple(by))


def _later(date: str | None, than: str | None) -> bool:
    return bool(date and than and len(date) == len(than) == _ISO_DAY and date > than)


def _same_body(cited: str | None, body: str | None) -> bool:
    if not cited or not body:
        return False
    return fuzz.token_set_ratio(match_key(cited), match_key(body)) >= _ISSUER_RATIO


def resolve(
    cited: Cited, candidates: Iterable[Candidate], *, citing: Candidate | None
) -> list[Match]:
    """The candidates that fit best (several only on a tie), or none.

    >>> cited = Cited("33-HD/BTCTW", "Hướng dẫn", "2020-10-30", "Ban Tổ chức Trung ương")
    >>> copies = [Candidate(i, "2020-10-30", frozenset()) for i in ("038", "039")]
    >>> [m.node_id for m in resolve(cited, copies, citing=None)]
    ['038', '039']
    >>> copies[1] = Candidate("039", None, frozenset())
    >>> [(m.node_id, m.score) for m in resolve(cited, copies, citing=None)]
    [('038', 2), ('039', 0)]
    """
    pool = {c.node_id: c for c in candidates}
    matches = [m for c in pool.values() if (m := score(cited, c, citing)) is not None]
    if not matches:
        return []
    top = max(matches, key=lambda match: match.score)
    # A copy of the best (a repost missing its date) is the same document,
    # not a weaker candidate: it keeps its edge.
    return [
        match
        for match in matches
        if match.score == top.score or copies(pool[match.node_id], pool[top.node_id])
    ]


def copies(first: Candidate, second: Candidate) -> bool:
    """Whether two candidates of one number are copies: nothing tells them apart.

    >>> copies(Candidate("a", "2020-10-30", frozenset()), Candidate("b", None, frozenset()))
    True
    >>> copies(Candidate("a", "2020-10-30", frozenset({"đại từ"})),
    ...        Candidate("b", None, frozenset({"phú lương"})))
    False
    """
    if compare_dates(first.date, second.date) == "conflict":
        return False
    mine, theirs = first.named_places, second.named_places
    return not (mine and theirs and not mine & theirs)


def compatible(first: Sequence[Cited], second: Cited) -> bool:
    """Whether ``second`` may name the same external document as all of ``first``.

    Two citations of "31-KH/HU" with different dates, or with issuers of
    different places, name two documents.

    >>> a = Cited("31-KH/HU", None, "2022-03-02", "Huyện ủy Đại Từ")
    >>> compatible([a], Cited("31-KH/HU", None, None, "Huyện ủy Phú Lương"))
    False
    >>> compatible([a], Cited("31-KH/HU", "Kế hoạch", "2022-03", None))
    True
    """
    for cited in first:
        if compare_dates(cited.date, second.date) == "conflict":
            return False
        mine, theirs = places(cited.issuer), places(second.issuer)
        if mine and theirs and not mine & theirs:
            return False
    return True
