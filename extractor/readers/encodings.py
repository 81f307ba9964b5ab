"""Decode the bytes of a plain-text input (.txt, .md) into NFC Unicode text.

Vietnamese archives hold plain text in five byte encodings: UTF-8 (with or
without a byte-order mark), UTF-16, Windows-1258, and the two 8-bit *font*
encodings of the 1990s that old files still use: TCVN3 (the "ABC" fonts,
.VnTime) and VNI (the VNI-Windows fonts, VNI-Times). Python has no codec for
the last two; their tables are data, in ``extractor/data/legacy_encodings.json``.

:func:`decode` judges in this order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. UTF-16 without a mark, from the pattern of NUL bytes (judged before UTF-8
   because ASCII-only UTF-16 is valid UTF-8 too);
3. strict UTF-8, or UTF-8 with a few broken bytes among many good multi-byte
   characters (a truncated or spliced file): those become U+FFFD, with a
   warning;
4. otherwise a single-byte text, Windows-1258, TCVN3 or VNI: the one whose
   decoding reads most like Vietnamese (:func:`plausibility`).

Text that decodes as Unicode may still be legacy text mis-decoded before it
reached us: TCVN3 or VNI bytes shown through a Windows-1252 font
("Céng hoµ x· héi", "Coäng hoøa xaõ hoäi"), or UTF-8 read as Windows-1252
("Cá»™ng hÃ²a"). Such lines are repaired when the repair reads clearly more
like Vietnamese. A line holding a letter that only Unicode Vietnamese has
(ă, đ, ơ, ư, ĩ, ũ, ạ…ỹ, or a combining mark) is never touched.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final, Literal

from extractor.data import load
from extractor.errors import UndecodableText

__all__ = ["ENCODINGS", "Decoded", "Plausibility", "decode", "decode_as", "plausibility"]

Encoding = Literal["utf-8", "utf-8-sig", "utf-16", "windows-1258", "tcvn3", "vni"]

#: Every value :attr:`Decoded.encoding` can take.
ENCODINGS: Final[tuple[Encoding, ...]] = (
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "windows-1258",
    "tcvn3",
    "vni",
)

_BOMS: Final[tuple[tuple[bytes, str, Encoding], ...]] = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_UTF32_BOMS: Final = (
    b"\xff\xfe\x00\x00",
    b"\x00\x00\xfe\xff",
)

# Judging reads at most this much: enough for a confident verdict, and it
# keeps a 20 MB file from being scored three times over.
_SAMPLE_HEAD: Final = 48 * 1024
_SAMPLE_TAIL: Final = 16 * 1024

# C0 controls that never occur in text files (tab, LF, VT, FF, CR, the DOS
# end-of-file mark and ESC excepted); a larger share means binary data.
_CONTROL_BYTES: Final = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])
_CONTROL_CHARS: Final = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")
_MAX_CONTROL_SHARE: Final = 0.05

# Windows-1258 leaves these bytes undefined: one of them rules it out.
_CP1258_UNDEFINED: Final = bytes([0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E])

# A nearly-UTF-8 file needs this many good multi-byte characters per broken
# sequence: legacy 8-bit text almost never forms a valid multi-byte sequence.
_UTF8_LEAD_BYTES: Final = bytes(range(0xC2, 0xF5))
_UTF8_GOOD_PER_BAD: Final = 8
_UTF8_MIN_GOOD: Final = 16

# Letters (and combining marks) that only Unicode Vietnamese text has: a line
# holding one is genuine Unicode, never mojibake, and is left alone.
_UNICODE_ONLY_VIETNAMESE: Final = re.compile("[ăĂđĐơƠưƯĩĨũŨ\u1ea0-\u1ef9\u0300-\u036f]")
# Combining diacritics: a text holding one is composed line by line (_nfc).
_COMBINING_MARK: Final = re.compile("[\u0300-\u036f]")
# Mojibake of an 8-bit encoding always shows characters from U+0080-U+00FF.
_HIGH_LATIN1: Final = re.compile("[\x80-\xff]")
# A document-wide repair must bring out at least this many frequent words.
_MIN_COMMON_WORDS: Final = 3
# A line that reads equally well repaired or not is repaired only in a
# document of legacy text throughout, where at most one candidate line in
# this many reads worse repaired.
_MAX_MIXED_SHARE: Final = 100
# A lone line is repaired when at least this many of its tokens are malformed
# (and most are) and the repair makes every one of them a syllable.
_MIN_LONE_INVALID: Final = 2
# Lone lines are the odd header or table in a legacy font; past this many
# malformed candidate lines without a document-wide verdict the text is not
# Vietnamese mojibake (French, say), and checking on would only cost time.
_MAX_LONE_LINES: Final = 1000

# A token is a run of anything but whitespace, ASCII punctuation, digits and
# the typographic punctuation Windows-1252 adds. Legacy letters shown as
# Latin-1 symbols (µ, ·, §, «) stay inside tokens, which is what makes such
# tokens fail as Vietnamese.
_TOKEN: Final = re.compile("[^\\s!-@\\[-`{-~\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022]+")
_LONGEST_SYLLABLE: Final = 8  # "nghiêng", "khuếch": longer tokens are not syllables

_TONE_MARKS: Final = "\u0300\u0301\u0303\u0309\u0323"
_BASE_VOWELS: Final = "aăâeêioôơuưy"

# While VNI sequences are resolved, modifier bytes stand as private-use
# characters, so that no decoded letter can be taken for a modifier.
_PLACEHOLDER_BASE: Final = 0xE000
_PLACEHOLDER: Final = re.compile("[\ue080-\ue0ff]")


def _windows_1252_view() -> str:
    """Each byte as a Windows-1252 font shows it (its five undefined bytes as Latin-1)."""
    shown = bytes(range(256)).decode("cp1252", errors="replace")
    return "".join(chr(byte) if char == "\ufffd" else char for byte, char in enumerate(shown))


# What each byte looks like through a Windows-1252 font: what a byte means
# that a legacy table leaves unmapped, and what mojibake is made of.
_WINDOWS_1252: Final = _windows_1252_view()
_WINDOWS_1252_ENCODER: Final = codecs.charmap_build(_WINDOWS_1252)
# Runs of characters a Windows-1252 font can show (mojibake is repaired run
# by run, so that a symbol outside Windows-1252 in the same line survives).
_WINDOWS_1252_RUN: Final = re.compile(f"[{re.escape(_WINDOWS_1252)}]+")
# Bytes that "surrogateescape" set aside, back to how they were shown.
_ESCAPED_TO_SHOWN: Final = {0xDC00 + byte: _WINDOWS_1252[byte] for byte in range(0x80, 0x100)}

# What mis-decoded text is repaired from, and its name in warnings.
_MOJIBAKE_SOURCES: Final[Mapping[str, str]] = {"tcvn3": "TCVN3", "vni": "VNI", "utf-8": "UTF-8"}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of an input and the encoding it was judged to be in.

    ``warnings`` name anything done beyond plain decoding (a mojibake repair,
    broken bytes replaced), for the record's ``warnings``.
    """

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plausibility:
    """How Vietnamese a decoded text reads.

    Only tokens holding a non-ASCII character count: an ASCII word reads the
    same in every candidate decoding, so it tells them nothing.
    """

    tokens: int
    valid: int
    common: int

    @property
    def invalid(self) -> int:
        """Tokens with a non-ASCII character that are no Vietnamese syllable."""
        return self.tokens - self.valid

    @property
    def value(self) -> int:
        """One number to compare decodings of the same bytes by (higher is better).

        A frequent word is the strongest evidence and a malformed token counts
        against: a wrong decoding makes many of those and almost no words.
        """
        return self.valid + 2 * self.common - 2 * self.invalid


def decode(data: bytes, *, path: str = "<input>") -> Decoded:
    r"""Decode a text file's bytes into NFC text, judging the encoding.

    Raises :class:`~extractor.errors.UndecodableText` when the bytes are no
    text in any supported encoding (binary data, broken UTF-16, UTF-32).

    >>> decode("Cộng hòa xã hội".encode("utf-16"))
    Decoded(text='Cộng hòa xã hội', encoding='utf-16', warnings=())
    >>> decode(b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam").text
    'Cộng hoà xã hội chủ nghĩa Việt Nam'
    >>> decode(b"\x00\x01\x02\x03\xff\xd8")
    Traceback (most recent call last):
    ...
    extractor.errors.UndecodableText: undecodable text: <input> (binary data, not text)
    """
    if not data:
        return Decoded("", "utf-8")
    if data.startswith(_UTF32_BOMS):
        raise UndecodableText(path=path, detail="UTF-32 text is not supported; save it as UTF-8")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _from_bom(data[len(bom) :], codec, name, path)
    if b"\x00" in data and (byte_order := _utf16_without_bom(data)) is not None:
        text = _decode_or_none(data, byte_order)
        if text is not None:
            return _from_unicode(text, "utf-16", path)
    return _from_utf8(data, "utf-8", path) or _from_single_byte(data, path)


def decode_as(data: bytes, encoding: str, *, path: str = "<input>") -> str:
    r"""Decode ``data`` in a named encoding (one of :data:`ENCODINGS`) into NFC text.

    For callers that know the encoding (a command-line override) and for
    tests; nothing is judged or repaired. Raises
    :class:`~extractor.errors.UndecodableText` when the bytes are not valid
    in that encoding.

    >>> decode_as(b"Co\xe4ng ho\xf8a", "vni")
    'Cộng hòa'
    """
    if encoding in {"utf-8", "utf-8-sig", "utf-16"}:
        text = _decode_or_none(data, encoding)
        if text is None:
            raise UndecodableText(path=path, detail=f"invalid {encoding}")
        return _nfc(text)
    if encoding == "windows-1258":
        if _has_any(data, _CP1258_UNDEFINED):
            raise UndecodableText(path=path, detail="bytes undefined in windows-1258")
        return _nfc(data.decode("cp1258"))
    if encoding == "tcvn3":
        return _nfc(_decode_tcvn3(data))
    if encoding == "vni":
        return _nfc(_decode_vni(data))
    raise ValueError(f"unknown encoding {encoding!r}; expected one of {ENCODINGS}")


def plausibility(text: str) -> Plausibility:
    """Count how many of the non-ASCII tokens of ``text`` are Vietnamese syllables.

    >>> plausibility("Cộng hoà xã hội chủ nghĩa Việt Nam")
    Plausibility(tokens=7, valid=7, common=7)
    >>> plausibility("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    Plausibility(tokens=7, valid=1, common=0)
    """
    tokens = valid = common = 0
    for token in _TOKEN.findall(text):
        if token.isascii():
            continue
        tokens += 1
        verdict = _judge(token)
        valid += verdict > 0
        common += verdict > 1
    return Plausibility(tokens, valid, common)


# --- the judgement -------------------------------------------------------------


def _from_bom(body: bytes, codec: str, encoding: Encoding, path: str) -> Decoded:
    """Decode what follows a byte-order mark: the mark settles the encoding."""
    if codec == "utf-8":
        decoded = _from_utf8(body, encoding, path)
        if decoded is None:
            raise UndecodableText(path=path, detail="invalid UTF-8 after its byte-order mark")
        return decoded
    text = _decode_or_none(body, codec)
    if text is None:
        raise UndecodableText(path=path, detail="invalid UTF-16 after its byte-order mark")
    return _from_unicode(text, encoding, path)


def _from_unicode(
    text: str,
    encoding: Encoding,
    path: str,
    warnings: tuple[str, ...] = (),
    *,
    controls: int | None = None,
) -> Decoded:
    """Finish text that decoded as Unicode: refuse binary, repair mojibake, NFC.

    ``controls`` is the number of C0 control characters in ``text`` when the
    caller could count them more cheaply (in the bytes of strict UTF-8).
    """
    if controls is None:
        controls = len(_CONTROL_CHARS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise UndecodableText(path=path, detail="binary data, not text")
    text, repairs = _repair_mojibake(text)
    return Decoded(_nfc(text), encoding, warnings + repairs)


def _from_utf8(data: bytes, encoding: Encoding, path: str) -> Decoded | None:
    """Decode UTF-8, or nearly-UTF-8 with a warning; None when it is not UTF-8."""
    text = _decode_or_none(data, "utf-8")
    if text is not None:
        # In valid UTF-8 a byte below 0x80 is always that ASCII character, so
        # the control characters are counted in the bytes, many times faster.
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        return _from_unicode(text, encoding, path, controls=controls)
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(data) - len(data.translate(None, _UTF8_LEAD_BYTES)) - broken
    if good >= _UTF8_MIN_GOOD and good >= _UTF8_GOOD_PER_BAD * broken:
        text, warnings = _mend_broken_lines(data)
        return _from_unicode(text, encoding, path, warnings)
    return None


def _mend_broken_lines(data: bytes) -> tuple[str, tuple[str, ...]]:
    r"""Decode a nearly-UTF-8 file line by line, each broken line as what it is.

    Files assembled from old documents carry whole lines pasted in TCVN3, VNI
    or Windows-1258. A broken line with no valid multi-byte sequence at all
    is such a line: it is decoded in the single-byte encoding it reads best
    in. Any other broken sequence (a UTF-8 line cut or spliced) becomes
    U+FFFD.

    >>> _mend_broken_lines("Số 60-KH/TU\n".encode() + b"Tr\xb5 Vinh, ng\xb5y 12 th\xb8ng 5")
    ('Số 60-KH/TU\nTrà Vinh, ngày 12 tháng 5', ('decoded 1 line(s) as tcvn3 in a UTF-8 file',))
    """
    lines: list[str] = []
    legacy: dict[str, int] = {}
    replaced = 0
    for line in data.split(b"\n"):
        text = _decode_or_none(line, "utf-8")
        if text is None:
            text = line.decode("utf-8", errors="replace")
            if all(char == "\ufffd" or char.isascii() for char in text):
                name = _best_single_byte(line)
                text = decode_as(line, name)
                legacy[name] = legacy.get(name, 0) + 1
            else:
                replaced += text.count("\ufffd") - line.count("\ufffd".encode())
        lines.append(text)
    warnings = [
        f"decoded {count} line(s) as {name} in a UTF-8 file" for name, count in legacy.items()
    ]
    if replaced:
        warnings.append(f"{replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
    return "\n".join(lines), tuple(warnings)


def _from_single_byte(data: bytes, path: str) -> Decoded:
    """Pick Windows-1258, TCVN3 or VNI by how Vietnamese each decoding reads.

    A font encoding must read mostly as Vietnamese to win over Windows-1258,
    the registered standard, which is also what Western text with a few
    accented letters is best read as.
    """
    if len(data) - len(data.translate(None, _CONTROL_BYTES)) > _MAX_CONTROL_SHARE * len(data):
        raise UndecodableText(path=path, detail="binary data, not text")
    best = _best_single_byte(data)
    return Decoded(decode_as(data, best, path=path), best)


def _best_single_byte(data: bytes) -> Encoding:
    """The single-byte encoding ``data`` reads most like Vietnamese in."""
    sample = data
    if len(data) > _SAMPLE_HEAD + _SAMPLE_TAIL:
        sample = data[:_SAMPLE_HEAD] + b"\n" + data[-_SAMPLE_TAIL:]
    windows_1258 = not _has_any(data, _CP1258_UNDEFINED)
    scores: dict[Encoding, Plausibility] = {}
    if windows_1258:
        scores["windows-1258"] = plausibility(decode_as(sample, "windows-1258"))
    scores["tcvn3"] = plausibility(decode_as(sample, "tcvn3"))
    scores["vni"] = plausibility(decode_as(sample, "vni"))
    best = max(scores, key=lambda encoding: scores[encoding].value)  # first wins a tie
    if windows_1258 and scores[best].valid <= scores[best].invalid:
        best = "windows-1258"
    return best


def _utf16_without_bom(data: bytes) -> str | None:
    """Tell UTF-16 LE/BE from the NUL bytes: Vietnamese text is mostly ASCII.

    In UTF-16 each ASCII character has a NUL high byte, so one parity of byte
    positions is full of NULs and the other has (almost) none.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd * 10 >= half * 3 and even * 20 <= half:
        return "utf-16-le"
    if even * 10 >= half * 3 and odd * 20 <= half:
        return "utf-16-be"
    return None


# --- mojibake ----------------------------------------------------------------


def _repair_mojibake(text: str) -> tuple[str, tuple[str, ...]]:
    """Repair lines of legacy text that were shown through a Windows-1252 font.

    Conservative by construction. Only lines without a letter peculiar to
    Unicode Vietnamese are candidates. When the candidates together read
    convincingly better repaired (frequent words come out, malformed tokens
    go), each line is repaired if it reads better on its own, or as well in
    a document that is legacy text throughout. Otherwise a line is repaired
    only when most of its tokens are malformed and the repair makes every one
    a syllable: a lone header line in a legacy font in a Unicode file.
    """
    if text.isascii():
        return text, ()
    lines = text.split("\n")
    # The cheap tests first: isascii() is O(1), and most lines of Unicode
    # Vietnamese hold a letter of its own early on, which settles them.
    candidates = [
        index
        for index, line in enumerate(lines)
        if not line.isascii()
        and not _UNICODE_ONLY_VIETNAMESE.search(line)
        and _HIGH_LATIN1.search(line)
    ]
    if not candidates:
        return text, ()
    source = _mojibake_source("\n".join(lines[index] for index in candidates))
    if source is None:
        fixes = _repair_lone_lines(lines, candidates)
    else:
        fixes = _repair_lines(lines, candidates, source)
    counts: dict[str, int] = {}
    for index, fixed, fixed_from in fixes:
        lines[index] = fixed
        counts[fixed_from] = counts.get(fixed_from, 0) + 1
    warnings = tuple(
        f"repaired {count} line(s) of {_MOJIBAKE_SOURCES[name]} text mis-decoded as Windows-1252"
        for name, count in counts.items()
    )
    return "\n".join(lines), warnings


def _mojibake_source(candidate_text: str) -> str | None:
    """Return the source whose repair of all candidate lines is convincing, if any."""
    sample = candidate_text[: _SAMPLE_HEAD + _SAMPLE_TAIL]
    before = plausibility(sample)
    best: tuple[int, str] | None = None
    for source in _MOJIBAKE_SOURCES:
        after = plausibility(_unmojibake(sample, source))
        convincing = (
            after.common >= _MIN_COMMON_WORDS
            and after.common > before.common
            and after.invalid < before.invalid
            and after.value > before.value
            and after.valid >= after.invalid
        )
        if convincing and (best is None or after.value > best[0]):
            best = (after.value, source)
    return None if best is None else best[1]


def _repair_lines(
    lines: list[str], candidates: list[int], source: str
) -> list[tuple[int, str, str]]:
    """Repair from a known source each line that reads better for it."""
    gains: list[tuple[int, str, int]] = []
    for index in candidates:
        fixed = _unmojibake(lines[index], source)
        if fixed != lines[index]:
            gain = plausibility(fixed).value - plausibility(lines[index]).value
            gains.append((index, fixed, gain))
    better = sum(1 for *_, gain in gains if gain > 0)
    worse = sum(1 for *_, gain in gains if gain < 0)
    # A line that reads the same both ways ("chính trò" / "chính trị",
    # "NQ-HÑND" / "NQ-HĐND") is repaired only in a document that is legacy
    # text throughout: no genuine Unicode Vietnamese line, and (nearly) no
    # candidate line that reads worse repaired. In a mixed document a line
    # like "Tôi là ai" would read as well as TCVN3 ("Tụi là ai") and must stay.
    uniform = worse * _MAX_MIXED_SHARE <= better and not any(
        _UNICODE_ONLY_VIETNAMESE.search(line) for line in lines
    )
    return [
        (index, fixed, source)
        for index, fixed, gain in gains
        if gain > 0 or (gain == 0 and uniform)
    ]


def _repair_lone_lines(lines: list[str], candidates: list[int]) -> list[tuple[int, str, str]]:
    """Repair single lines that are malformed as they are and whole repaired."""
    fixes: list[tuple[int, str, str]] = []
    checked = 0
    for index in candidates:
        before = plausibility(lines[index])
        if before.invalid < _MIN_LONE_INVALID or before.invalid <= before.valid:
            continue
        checked += 1
        if checked > _MAX_LONE_LINES:
            break
        best: tuple[int, str, str] | None = None
        for source in _MOJIBAKE_SOURCES:
            fixed = _unmojibake(lines[index], source)
            after = plausibility(fixed)
            whole = after.invalid == 0 and after.valid >= _MIN_LONE_INVALID
            if whole and (best is None or after.value > best[0]):
                best = (after.value, fixed, source)
        if best is not None:
            fixes.append((index, best[1], best[2]))
    return fixes


def _unmojibake(text: str, source: str) -> str:
    """Turn text shown through Windows-1252 back into its bytes, decoded as ``source``."""

    def redecode(match: re.Match[str]) -> str:
        raw = codecs.charmap_encode(match.group(), "strict", _WINDOWS_1252_ENCODER)[0]
        if source == "tcvn3":
            return _decode_tcvn3(raw)
        if source == "vni":
            return _decode_vni(raw)
        # Bytes that are no valid UTF-8 stay as they were shown, so that one
        # genuine "Â" does not keep the rest of the run from being repaired.
        return raw.decode("utf-8", errors="surrogateescape").translate(_ESCAPED_TO_SHOWN)

    return _WINDOWS_1252_RUN.sub(redecode, text)


# --- the legacy decoders -----------------------------------------------------


def _decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 bytes (not yet NFC)."""
    tables = _tables()
    text = codecs.charmap_decode(data, "strict", tables.tcvn3)[0]
    # TCVN3 has no capitals with a tone: words set in an all-capitals font
    # (.VnTimeH) come out as "CéNG HOµ" → "CộNG HOà", "ñY" → "ủY". A word with
    # no ASCII lower case and two capitals, or a capital after its first
    # letter, was such a word; "Số" and "Xã" were not.
    return tables.tcvn3_caps_word.sub(_upper, text)


def _decode_vni(data: bytes) -> str:
    """Decode VNI bytes (not yet NFC): single letters, then base + modifier pairs."""
    tables = _tables()
    text = codecs.charmap_decode(data, "strict", tables.vni)[0]
    pairs = tables.vni_pairs
    # A base and a modifier that make no letter together ("u" + circumflex)
    # stay apart, and the modifier is shown as its Windows-1252 glyph.
    text = tables.vni_pair.sub(lambda match: pairs.get(match.group(), match.group()), text)
    if _PLACEHOLDER.search(text):
        text = text.translate(tables.vni_leftovers)
    return text


def _upper(match: re.Match[str]) -> str:
    return match.group().upper()


# --- small helpers -------------------------------------------------------------


def _decode_or_none(data: bytes, codec: str) -> str | None:
    """Decode strictly, or return None when ``data`` is not valid ``codec``.

    The codecs report invalid input only by raising, so this is the one place
    where an exception stands for an expected outcome.
    """
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _has_any(data: bytes, byte_values: bytes) -> bool:
    return len(data.translate(None, byte_values)) != len(data)


def _nfc(text: str) -> str:
    """NFC, composed line by line when the text holds combining marks.

    normalize() hands back the very text when its quick check passes, but a
    combining mark makes the check unsure, and then the whole text is
    decomposed and composed again. Such texts are composed text with a few
    stray marks: a line break blocks composition and reordering (it is a
    starter that composes with nothing), so composing each line on its own
    gives the same text, and only the lines with a mark cost anything. (No
    ``is_normalized`` call first: its unsure answer composes the text too.)
    """
    if _COMBINING_MARK.search(text) is None:
        return unicodedata.normalize("NFC", text)
    return "\n".join([unicodedata.normalize("NFC", line) for line in text.split("\n")])


@lru_cache(maxsize=1 << 16)
def _judge(token: str) -> int:
    """0 for a malformed token, 1 for a syllable, 2 for a frequent word.

    Cached: a document repeats a few thousand syllables, and the syllable
    pattern is the costly part of judging.
    """
    tables = _tables()
    if len(token) > _LONGEST_SYLLABLE or not tables.syllable.fullmatch(token):
        return 0
    return 2 if token.lower() in tables.common_words else 1


# --- the tables, built once from the data file ----------------------------------


@dataclass(frozen=True, slots=True)
class _Tables:
    """The legacy tables and the scoring inventory, compiled for speed."""

    tcvn3: str  # 256-character decoding table for codecs.charmap_decode
    tcvn3_caps_word: re.Pattern[str]
    vni: str  # the same, with modifier bytes as placeholders
    vni_pairs: dict[str, str]
    vni_pair: re.Pattern[str]
    vni_leftovers: dict[int, str]
    syllable: re.Pattern[str]
    common_words: frozenset[str]


def _byte_table(entries: Mapping[str, str]) -> dict[int, str]:
    return {int(key, 16): value for key, value in entries.items()}


def _decoding_table(entries: Mapping[int, str]) -> str:
    """256 characters: a table's letters, every other byte as Windows-1252 shows it."""
    return "".join(entries.get(byte, _WINDOWS_1252[byte]) for byte in range(256))


def _toned(vowel: str) -> str:
    """Return a vowel and its five toned forms (NFC), as regex class content."""
    return "".join(unicodedata.normalize("NFC", vowel + mark) for mark in ("", *_TONE_MARKS))


def _alternation(items: Iterable[str], render: Callable[[str], str]) -> str:
    # Longest first, so that "ngh" is tried before "ng" and "n".
    return "|".join(render(item) for item in sorted(items, key=len, reverse=True))


def _syllable_pattern(inventory: Mapping[str, Any]) -> re.Pattern[str]:
    """Compile onset + rhyme (+ coda), with the tone on any vowel, at most one tone."""
    vowel_class = {vowel: f"[{_toned(vowel)}]" for vowel in _BASE_VOWELS}

    def rhyme(letters: str) -> str:
        return "".join(vowel_class.get(letter, re.escape(letter)) for letter in letters)

    toned = "".join(_toned(vowel)[1:] for vowel in _BASE_VOWELS)
    onsets = _alternation(inventory["onsets"], re.escape)
    open_rhymes = _alternation(inventory["open_rhymes"], rhyme)
    closable = _alternation(inventory["closable_rhymes"], rhyme)
    codas = _alternation(inventory["codas"], re.escape)
    return re.compile(
        f"(?![^{toned}]*[{toned}][^{toned}]*[{toned}])"
        f"(?:{onsets})?(?:(?:{open_rhymes})|(?:{closable})(?:{codas})?)",
        re.IGNORECASE,
    )


@cache
def _tables() -> _Tables:
    data = load("legacy_encodings")
    for name in ("tcvn3", "vni"):
        if data[name]["unmapped_bytes"] != "windows-1252":
            raise ValueError(f"{name}: unmapped bytes must keep their windows-1252 meaning")

    tcvn3 = _byte_table(data["tcvn3"]["bytes"])
    lower = "".join(sorted(char for char in tcvn3.values() if char.islower()))
    upper = "A-Z" + "".join(sorted(char for char in tcvn3.values() if char.isupper()))
    caps_word = re.compile(
        rf"\b(?=\w*?[{lower}])(?!\w*?[a-z])(?:(?=\w*?[{upper}]\w*?[{upper}])|(?=\w+?[{upper}]))\w+"
    )

    singles = _byte_table(data["vni"]["bytes"])
    pairs: dict[str, str] = {}
    modifiers: set[int] = set()
    for key, letter in data["vni"]["sequences"].items():
        base, modifier = (int(part, 16) for part in key.split())
        modifiers.add(modifier)
        pairs[singles.get(base, chr(base)) + chr(_PLACEHOLDER_BASE + modifier)] = letter
    # Accept a modifier in the other case than its base letter ("Aù"): text
    # edited by hand mixes them, and what is meant is not in doubt.
    for key, letter in list(pairs.items()):
        other = (ord(key[1]) - _PLACEHOLDER_BASE) ^ 0x20
        if other in modifiers:
            pairs.setdefault(key[0] + chr(_PLACEHOLDER_BASE + other), letter)
    placeholders = {modifier: chr(_PLACEHOLDER_BASE + modifier) for modifier in modifiers}
    bases = "".join(sorted({key[0] for key in pairs}))

    inventory = data["plausibility"]
    return _Tables(
        tcvn3=_decoding_table(tcvn3),
        tcvn3_caps_word=caps_word,
        vni=_decoding_table(singles | placeholders),
        vni_pairs=pairs,
        vni_pair=re.compile(f"[{re.escape(bases)}][{''.join(sorted(placeholders.values()))}]"),
        vni_leftovers={ord(char): _WINDOWS_1252[byte] for byte, char in placeholders.items()},
        syllable=_syllable_pattern(inventory),
        common_words=frozenset(inventory["common_words"]),
    )
