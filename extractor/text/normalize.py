"""Normalization: named, ordered ``str -> str`` steps with an offset map.

The default chain is :data:`DEFAULT_STEPS`; each step is a pure function of
its input and can be called on its own (``STEPS["tone_marks"]("hoá")``).
:func:`normalize` runs a chain and keeps, for every character of the result,
the span of the input it came from, so extracted values point back into the
original text.

Canonical tone placement: the *classic* style, tone on the first vowel of an
open ``oa``/``oe``/``uy`` syllable (``hóa``, ``khỏe``, ``ủy``, ``thủy``). It is
the style of about 88 % of these clusters in the corpus (1,169 against 159),
so normalizing towards it changes the fewest printed values.

>>> normalize("**Ban Thường vụ Tỉnh uỷ**  ban hành").text
'Ban Thường vụ Tỉnh ủy ban hành'
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import regex

from extractor.text.offsets import OffsetMap, Replacement, align, rewrite, rewrite_matches

Rule = tuple["regex.Pattern[str]", Replacement | str | None]


@dataclass(frozen=True, slots=True)
class Step:
    """A normalization step: ordered regex rules applied one after the other."""

    name: str
    rules: tuple[Rule, ...]

    def __call__(self, text: str) -> str:
        """Apply the step and return only the text."""
        return self.apply(text)[0]

    def apply(self, text: str) -> tuple[str, OffsetMap]:
        """Apply the step and return the text with its offset map."""
        probe, mapping = self._run(_Probe(text))
        return probe.text, mapping

    def _run(self, probe: _Probe) -> tuple[_Probe, OffsetMap]:
        """Apply the step to ``probe.text``; the probe of the result comes back.

        Steps hand one probe along while the text stays the same, so what the
        guards learn of a text is learnt once, not once per step.
        """
        text = probe.text
        mapping: OffsetMap | None = None
        for pattern, replacement in self.rules:
            guard = _GUARDS.get(pattern)
            if guard is not None and not guard(probe):
                continue  # a substring every match needs is absent: skip the scan
            new_text, step_map = rewrite(text, pattern, replacement)
            # rewrite() hands back the same object when nothing matched; most
            # rules match nothing on clean text, so skip the O(n) composition.
            if new_text is not text:
                mapping = step_map if mapping is None else mapping.then(step_map)
                probe = probe.after(new_text, adds=pattern in _ADDS_UNUSUAL)
            text = new_text
        return probe, mapping or OffsetMap.identity(len(text))


@dataclass(frozen=True, slots=True)
class _NfcStep(Step):
    """NFC by clusters; a rare singleton (CJK compatibility, Ω) needs a full pass."""

    def _run(self, probe: _Probe) -> tuple[_Probe, OffsetMap]:
        text = probe.text
        if unicodedata.is_normalized("NFC", text) and not any(char in text for char in _LOOKALIKES):
            return probe, OffsetMap.identity(len(text))  # the common case: nothing to do
        probe, mapping = Step._run(self, probe)
        text = probe.text
        if unicodedata.is_normalized("NFC", text):
            return probe, mapping
        new_text, step_map = rewrite(text, _GRAPHEME, _compose)
        return probe.after(new_text, adds=False), mapping.then(step_map)


@dataclass(frozen=True, slots=True)
class _PrefilteredStep(Step):
    """A one-rule step whose few matches a stdlib ``re`` scan finds the candidates of.

    ``regex`` scans a character class several times slower than ``re``; the
    prefilter (``_PREFILTERS``) matches a superset of the rule's matches, and
    the rule's own pattern then decides at each candidate, so the matches and
    the result are those of the plain scan.
    """

    def _run(self, probe: _Probe) -> tuple[_Probe, OffsetMap]:
        ((pattern, replacement),) = self.rules
        text = probe.text
        match = pattern.match
        matches = [
            found
            for candidate in _PREFILTERS[pattern].finditer(text)
            if (found := match(text, candidate.start())) is not None
        ]
        if not matches:
            return probe, OffsetMap.identity(len(text))
        new_text, mapping = rewrite_matches(text, matches, replacement)
        return probe.after(new_text, adds=pattern in _ADDS_UNUSUAL), mapping


class _Probe:
    """A text, and what the guards ask of it that takes a scan, found out once.

    ``unusual`` tells whether the text holds any zero-width, control, odd
    space or superscript character: clean text holds none, and one ``re``
    class scan then rules out several rules at once.
    """

    __slots__ = ("_unusual", "text")

    def __init__(self, text: str, unusual: bool | None = None) -> None:
        self.text = text
        self._unusual = unusual

    def after(self, text: str, *, adds: bool) -> _Probe:
        """The probe of ``text``, what a rule made of this one.

        A text without unusual characters keeps none through a rule that
        only deletes, keeps or rearranges letters, or puts in line breaks,
        spaces or composed letters (NFC maps no other character to one of
        them): the answer is carried over, not scanned for again. ``adds``
        names a rule that can bring any character in (an HTML entity).
        """
        return _Probe(text, False if self._unusual is False and not adds else None)

    @property
    def unusual(self) -> bool:
        """Whether the text holds a character of ``_UNUSUAL`` (scanned on first use)."""
        if self._unusual is None:
            self._unusual = _UNUSUAL.search(self.text) is not None
        return self._unusual


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized text and the map from its characters to the input's."""

    text: str
    offsets: OffsetMap


# --- unescape: conversion debris that stands for other characters -----------

_LITERAL_NEWLINE = regex.compile(r"(?:\\r)?\\n")
_HTML_ENTITY = regex.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,6});")


def _entity(match: regex.Match[str]) -> str:
    return html.unescape(match.group())


# --- nfc: composed characters, look-alike letters ----------------------------

# Ð (U+00D0, Icelandic eth) and friends are what legacy converters emit for Đ.
_LOOKALIKES = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ"}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_DECOMPOSED = regex.compile(r"\P{M}\p{M}+|[\u00d0\u0189\u00f0]")
_GRAPHEME = regex.compile(r"\X")


def _compose(match: regex.Match[str]) -> str:
    cluster = match.group()
    composed = unicodedata.normalize("NFC", cluster)
    return "".join(_LOOKALIKES.get(char, char) for char in composed)


# --- strip_markup: Markdown, HTML and Word conversion artefacts --------------

_HTML_TAG = regex.compile(
    r"</?(?:p|i|b|u|em|strong|span|div|br|sup|sub|font|a|center|h[1-6])\b[^<>\n]{0,300}>",
    regex.IGNORECASE,
)
_MD_IMAGE = regex.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,1000}\)")
_BOOKMARK = regex.compile(r"\[bookmark:[^\]\n]{0,200}\]", regex.IGNORECASE)
_STRONG = regex.compile(r"\*\*|__(?=\S)|(?<=\S)__")
# A single-asterisk pair on one line around non-blank text is emphasis; a lone
# "*" (the star under a party header) is kept.
_EMPHASIS = regex.compile(r"(?<![*\w])\*(?P<keep>[^\s*](?:[^*\n]{0,1000}?[^\s*])?)\*(?![*\w])")
_MD_ESCAPE = regex.compile(r"\\+(?P<keep>[-.*_#+()\[\]!|>`~])")

# --- footnotes: superscript markers glued to a word or punctuation ----------

# The marker first, the context after: a leading lookbehind would be tried
# at every position of every document.
_FOOTNOTE_MARK = regex.compile(
    r"(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\^\d{1,3}\])(?<=[\p{L}\p{M}\p{P}>](?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\^\d{1,3}\]))"
)

# --- tone_marks: one placement for oa / oe / uy in open syllables ------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Anchored on the toned vowel pair (rare) rather than on every word start;
# the onset is checked in _move_tone.
_OPEN_CLUSTER = regex.compile(
    r"(?P<first>[oOuU])(?P<second>[áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸýỳỷỹỵÝỲỶỸỴ])(?![\p{L}\p{M}])"
)
_MAX_ONSET = 3
# The same vowel pair in ``re``, minus the lookahead but for its commonest
# case (an ASCII letter is \p{L}): a superset of the matches, many times
# faster to scan for. A pair cannot overlap another (its second letter is no
# o/u), so the candidates come in the order and number of the matches.
_OPEN_CLUSTER_CANDIDATE = re.compile("[oOuU][áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸýỳỷỹỵÝỲỶỸỴ](?![a-zA-Z])")


def _onset(text: str, end: int) -> str | None:
    """The letters before ``end`` back to the word start, if at most three."""
    start = end
    while start > 0 and (
        text[start - 1].isalpha() or unicodedata.category(text[start - 1]) == "Mn"
    ):
        start -= 1
        if end - start > _MAX_ONSET:
            return None
    return text[start:end]


def _move_tone(match: regex.Match[str]) -> str:
    first, second = match.group("first", "second")
    onset = _onset(match.string, match.start())
    if onset is None:
        return match.group()
    return _moved(first, second, onset.lower().endswith("q"))


@functools.cache
def _moved(first: str, second: str, after_q: bool) -> str:
    """The pair ``first + second`` with its tone in the classic place (a few dozen pairs)."""
    decomposed = unicodedata.normalize("NFD", second)
    base, marks = decomposed[0], decomposed[1:]
    tone = "".join(mark for mark in marks if mark in _TONES)
    pair = (first + base).lower()
    # "qu" is a consonant: in "quý" the tone belongs on y in every style.
    if not tone or marks != tone or pair not in {"oa", "oe", "uy"}:
        return first + second
    if pair == "uy" and after_q:
        return first + second
    return unicodedata.normalize("NFC", first + tone) + base


# --- whitespace ---------------------------------------------------------------

_CARRIAGE_RETURN = regex.compile(r"\r\n?")
# C0/C1 controls other than tab and line breaks are damage (a NUL-padded copy,
# a stray escape), never text: left in, one at a line start hides a heading.
_ZERO_WIDTH = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ODD_SPACE = regex.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = regex.compile(r" {2,}")
_EDGE_SPACE = regex.compile(r"(?m)^ +| +$")
_BLANK_LINES = regex.compile(r"\n{3,}")
_DOCUMENT_EDGES = regex.compile(r"^\n+|\n+$")

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def _stdlib_search(pattern: regex.Pattern[str]) -> Callable[[_Probe], bool]:
    """Whether ``pattern`` occurs, asked of the stdlib ``re`` engine.

    For a plain character class or literal run both engines match the same
    strings, and ``re`` scans such a class many times faster; the guard is
    compiled from the pattern's own source, so it follows any edit of it.
    The class must lie within ``_UNUSUAL``: a text without those is not scanned.
    """
    mirror = re.compile(pattern.pattern)
    return lambda probe: probe.unusual and mirror.search(probe.text) is not None


# One class for the characters clean text never holds (the classes of
# _ZERO_WIDTH and _ODD_SPACE, and superscript digits): one scan of a clean
# text rules out the rules that need one. tests/test_fast_paths.py checks
# that it takes in every character of those classes.
_UNUSUAL = re.compile(
    r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f"
    r"\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    rf"{_SUPERSCRIPTS}]"
)

# Necessary conditions for a rule to match, tested before the regex pass: on
# clean text most rules find nothing. A guard may only say False when the
# pattern cannot match: literal guards name a substring every match holds
# (a rare single character first: ``in`` finds one many times faster than a
# pair); the whitespace classes are mirrored in ``re``.
_GUARDS: dict[regex.Pattern[str], Callable[[_Probe], bool]] = {
    _LITERAL_NEWLINE: lambda probe: "\\" in probe.text and "\\n" in probe.text,
    _HTML_ENTITY: lambda probe: "&" in probe.text,
    _FOOTNOTE_MARK: lambda probe: (
        ("[" in probe.text and "[^" in probe.text)
        or (probe.unusual and any(char in probe.text for char in _SUPERSCRIPTS))
    ),
    _MD_IMAGE: lambda probe: "[" in probe.text and "![" in probe.text,
    _BOOKMARK: lambda probe: "[" in probe.text,
    _HTML_TAG: lambda probe: "<" in probe.text,
    _STRONG: lambda probe: (
        ("*" in probe.text and "**" in probe.text) or ("_" in probe.text and "__" in probe.text)
    ),
    _EMPHASIS: lambda probe: "*" in probe.text,
    _MD_ESCAPE: lambda probe: "\\" in probe.text,
    _CARRIAGE_RETURN: lambda probe: "\r" in probe.text,
    _ZERO_WIDTH: _stdlib_search(_ZERO_WIDTH),
    _ODD_SPACE: _stdlib_search(_ODD_SPACE),
    _SPACE_RUN: lambda probe: "  " in probe.text,
    _EDGE_SPACE: lambda probe: (
        " \n" in probe.text
        or "\n " in probe.text
        or probe.text.startswith(" ")
        or probe.text.endswith(" ")
    ),
    _BLANK_LINES: lambda probe: "\n\n\n" in probe.text,
    _DOCUMENT_EDGES: lambda probe: probe.text.startswith("\n") or probe.text.endswith("\n"),
}

#: Rules whose replacement can bring in any character, an unusual one too.
_ADDS_UNUSUAL: frozenset[regex.Pattern[str]] = frozenset({_HTML_ENTITY})

#: Stdlib scans for the candidates of a :class:`_PrefilteredStep` rule.
_PREFILTERS: dict[regex.Pattern[str], re.Pattern[str]] = {
    _OPEN_CLUSTER: _OPEN_CLUSTER_CANDIDATE,
}

STEPS: Mapping[str, Step] = {
    "unescape": Step(
        "unescape",
        ((_LITERAL_NEWLINE, "\n"), (_HTML_ENTITY, _entity)),
    ),
    "nfc": _NfcStep("nfc", ((_DECOMPOSED, _compose),)),
    "strip_markup": Step(
        "strip_markup",
        (
            (_MD_IMAGE, ""),
            (_BOOKMARK, ""),
            (_HTML_TAG, ""),
            (_STRONG, ""),
            (_EMPHASIS, None),
            (_MD_ESCAPE, None),
        ),
    ),
    "footnotes": Step("footnotes", ((_FOOTNOTE_MARK, ""),)),
    "tone_marks": _PrefilteredStep("tone_marks", ((_OPEN_CLUSTER, _move_tone),)),
    "whitespace": Step(
        "whitespace",
        (
            (_CARRIAGE_RETURN, "\n"),
            (_ZERO_WIDTH, ""),
            (_ODD_SPACE, " "),
            (_SPACE_RUN, " "),
            (_EDGE_SPACE, ""),
            (_BLANK_LINES, "\n\n"),
            (_DOCUMENT_EDGES, ""),
        ),
    ),
}

# Composition runs after every deletion: removing a tag or a zero-width
# space can bring a base letter and its combining mark together.
DEFAULT_STEPS: tuple[str, ...] = (
    "unescape",
    # Footnote markers go before markup: removing one must not create a new
    # escape sequence ("\\¹*" → "\\*") for a later pass to find.
    "footnotes",
    "strip_markup",
    "whitespace",
    "nfc",
    "tone_marks",
)

CustomStep = Callable[[str], str]


def normalize(text: str, steps: Iterable[str | CustomStep] = DEFAULT_STEPS) -> Normalized:
    """Run the named (or custom ``str -> str``) steps in order, tracking offsets.

    Custom callables say nothing about offsets; their map is recovered by
    aligning input and output, which is slower on long texts.

    >>> result = normalize("Tỉnh  uỷ\\n\\n\\n\\nhoá")
    >>> result.text
    'Tỉnh ủy\\n\\nhóa'
    >>> result.offsets.to_source(9, 12)
    (12, 15)
    """
    chosen = tuple(steps)
    result, probe = _normalize_once(text, chosen)
    if chosen != DEFAULT_STEPS:
        return result
    # A deletion can bring together what an earlier step rewrites ("\\<p>n"
    # loses its tag and becomes a literal "\\n"); run again while one of the
    # steps before the deletions still finds something, so that
    # normalize(normalize(x)) == normalize(x). Clean text stops at the check.
    for _ in range(_MAX_ROUNDS):
        if not any(guard(probe) and pattern.search(probe.text) for pattern, guard in _REPEAT_RULES):
            break
        again, probe = _normalize_once(result.text, chosen)
        if again.text == result.text:
            break
        result = Normalized(again.text, result.offsets.then(again.offsets))
    return result


#: How many extra rounds :func:`normalize` runs at most (each peels one layer).
_MAX_ROUNDS = 8
#: The rules a later deletion can feed (unescape, footnotes, markup), with their guards.
_REPEAT_RULES = tuple(
    (pattern, _GUARDS[pattern])
    for name in ("unescape", "footnotes", "strip_markup")
    for pattern, _ in STEPS[name].rules
)


def _normalize_once(text: str, steps: tuple[str | CustomStep, ...]) -> tuple[Normalized, _Probe]:
    """One pass of the steps; the probe of the result comes back for the repeat check."""
    mapping: OffsetMap | None = None
    probe = _Probe(text)
    for step in steps:
        if isinstance(step, str):
            probe, step_map = STEPS[step]._run(probe)
            new_text = probe.text
        else:
            new_text = step(text)
            step_map = OffsetMap.identity(len(text)) if new_text == text else align(text, new_text)
            probe = _Probe(new_text)
        if new_text != text:
            mapping = step_map if mapping is None else mapping.then(step_map)
        text = new_text
    return Normalized(text, mapping or OffsetMap.identity(len(text))), probe


def match_key(text: str) -> str:
    """Fold a string for comparison: normalized, case-folded, spaces collapsed.

    ``Đ`` stays distinct from ``D``; tone placement and case do not matter.

    >>> match_key("ĐẢNG ỦY  Khối") == match_key("Đảng uỷ khối")
    True
    >>> match_key("Đảng") == match_key("Dang")
    False
    """
    return _match_key(text)


@functools.lru_cache(maxsize=65536)
def _match_key(text: str) -> str:
    # The hot path of every vocabulary lookup: composition, look-alikes and
    # tone placement without offset tracking (a key needs no provenance).
    # Markup is stripped too, for keys built from raw strings.
    text = STEPS["strip_markup"](text) if ("*" in text or "<" in text) else text
    text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _LOOKALIKES):  # rare: skip the per-character table
        text = text.translate(_LOOKALIKE_TABLE)
    if _OPEN_CLUSTER_CANDIDATE.search(text):  # a superset of the matches, scanned by re
        text = _OPEN_CLUSTER.sub(_move_tone, text)
    return " ".join(text.casefold().split())
