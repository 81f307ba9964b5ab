"""Recipients: the "Nơi nhận" list, one item per recipient line.

The name is the line without its bullet ("-", "+", "•") and its closing
",", ";" or "."; "Lưu VT, …" stays a recipient named as printed. The purpose
is the verb phrase of "(b/c)", "(để biết)", "để thực hiện", "(Báo cáo)" or a
"}" brace, without "để" and parentheses, abbreviations expanded.

A brace covers several lines, and flattened copies lose most of it: the text
"} để báo cáo" stands on one line and bare "}" on the others, or the "}" is
on one line only, or it is gone and the purpose stands after the line's own
comma, vertically centred on the group ("- Văn phòng Trung ương Đảng,
(Báo cáo)"). Every line under a brace gets its purpose:

- lines that carry a "}" form a group; a group of one also takes the line
  above (a brace spans two lines at least, its text sits on the lower one);
- a purpose printed after the line's own "," or ";" is a brace whose "}" was
  lost: it also covers the line above and the line below.

Neither rule overrides a purpose a line prints for itself, nor gives one to
"Lưu …". Which lines make up the list is decided by
:func:`extractor.fields.signer.read_closing`, which also takes the signature
column apart from the list.

>>> from extractor.document import Document
>>> text = "Nơi nhận:\\n- Ban Tuyên giáo Tỉnh ủy, } để báo cáo\\n- Thường trực Huyện ủy, }"
>>> text += "\\n- Cấp ủy các TCCS đảng,\\n- Lưu."
>>> found = extract_recipients(Context.of(Document.from_text(text)))
>>> [(f.value.name, f.value.purpose) for f in found]
[('Ban Tuyên giáo Tỉnh ủy', 'báo cáo'), ('Thường trực Huyện ủy', 'báo cáo'), \
('Cấp ủy các TCCS đảng', None), ('Lưu', None)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from extractor.fields.context import Context, Found, Span
from extractor.fields.signer import Piece, closing_patterns, read_closing
from extractor.record import Recipient
from extractor.structure.lines import is_upper

#: How a line states its purpose: in a brace, after its own terminator (a
#: lost brace), inline ("… (b/c),"), or not at all.
_Kind = Literal["brace", "side", "inline", "none"]

_NAME_END = " \t,;.:/"
_SPACES = regex.compile(r"\s+")
_HAS_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class _Item:
    name: str
    span: Span
    purpose: str | None
    kind: _Kind
    filed: bool


def _join(pieces: Sequence[Piece]) -> tuple[str, list[tuple[int, Piece]]]:
    """The item's text with wrapped lines joined, and where each piece starts in it.

    A line broken after a hyphen ("CT-" / "XH tỉnh") is joined without a space.
    """
    text = ""
    starts: list[tuple[int, Piece]] = []
    for piece in pieces:
        if text and not (text.endswith("-") and len(text) > 1 and text[-2].isalpha()):
            text += " "
        starts.append((len(text), piece))
        text += piece.text
    return text, starts


def _offset(starts: Sequence[tuple[int, Piece]], index: int, *, end: bool) -> int:
    """Map an index of the joined text back to the normalized text."""
    for position, piece in reversed(starts):
        if position <= index - (1 if end else 0):
            return piece.start + min(index - position, len(piece.text))
    return starts[0][1].start


def canonical_purpose(text: str) -> str | None:
    """The purpose as a verb phrase: no "để", abbreviations expanded, lower case.

    >>> canonical_purpose("để b/c"), canonical_purpose("Báo cáo"), canonical_purpose("ĐỂ BIẾT")
    ('báo cáo', 'báo cáo', 'biết')
    """
    patterns = closing_patterns()
    phrase = _SPACES.sub(" ", text).strip(' .,;:)(}“”"')
    phrase = patterns.marker.sub("", phrase, count=1)
    if is_upper(phrase):
        phrase = phrase.casefold()
    for short, full in patterns.abbreviations:
        phrase = short.sub(full, phrase)
    folded = phrase.casefold()
    for verb in patterns.verbs:
        if folded.startswith(verb):
            return verb + phrase[len(verb) :]
    return phrase or None


def _purpose_of(text: str) -> tuple[int, str | None, _Kind]:
    """Where the name ends in a recipient line, its purpose, and how it is stated."""
    patterns = closing_patterns()
    brace = text.find("}")
    if brace >= 0:
        rest = text[brace + 1 :].strip(" }")
        purpose = None
        if rest and _is_purpose(rest):
            purpose = canonical_purpose(rest)
        return brace, purpose, "brace"
    found = None
    for match in patterns.paren_purpose.finditer(text):
        if not text[match.end() :].strip(_NAME_END + ")"):
            found = match
    if found is None:
        found = patterns.trailing_purpose.search(text)
    if found is None:
        return len(text), None, "none"
    own_end = text[: found.start()].rstrip()
    kind: _Kind = "side" if own_end.endswith((",", ";")) else "inline"
    return found.start(), canonical_purpose(found.group("purpose")), kind


def _is_purpose(text: str) -> bool:
    """Brace text that states a purpose: "(để báo cáo)", "để biết", "b/c"."""
    patterns = closing_patterns()
    stripped = text.strip(" .,;:")
    if patterns.paren_purpose.fullmatch(stripped) or patterns.trailing_purpose.fullmatch(stripped):
        return True
    phrase = canonical_purpose(stripped.strip('()“”"')) or ""
    return any(phrase == verb or phrase.startswith(verb + " ") for verb in patterns.verbs)


def _parse_item(pieces: Sequence[Piece]) -> _Item | None:
    """Read one recipient line: its name, span, purpose and how the purpose is stated."""
    patterns = closing_patterns()
    text, starts = _join(pieces)
    bullet = patterns.bullet.match(text)
    begin = bullet.end() if bullet else 0
    cut, purpose, kind = _purpose_of(text[begin:])
    name_end = begin + cut
    while name_end > begin and text[name_end - 1] in _NAME_END:
        name_end -= 1
    while begin < name_end and text[begin].isspace():
        begin += 1
    name = text[begin:name_end]
    if not _HAS_LETTER.search(name):
        return None
    span = (_offset(starts, begin, end=False), _offset(starts, name_end, end=True))
    filed = patterns.filed_copy.match(name) is not None
    return _Item(_SPACES.sub(" ", name), span, purpose, kind, filed)


def _assign_purposes(items: Sequence[_Item]) -> list[str | None]:
    """Spread brace purposes over the lines they cover (module docstring)."""
    purposes = [item.purpose for item in items]

    def free(index: int) -> bool:
        item = items[index]
        return purposes[index] is None and item.kind not in ("brace", "side") and not item.filed

    index = 0
    while index < len(items):
        if items[index].kind != "brace":
            index += 1
            continue
        last = index
        while last + 1 < len(items) and items[last + 1].kind == "brace":
            last += 1
        carriers = [k for k in range(index, last + 1) if items[k].purpose]
        for member in range(index, last + 1):
            if carriers and purposes[member] is None and not items[member].filed:
                nearest = min(carriers, key=lambda k: (abs(k - member), k))
                purposes[member] = items[nearest].purpose
        if index == last and carriers and index > 0 and free(index - 1):
            purposes[index - 1] = items[index].purpose
        index = last + 1
    for index, item in enumerate(items):
        if item.kind != "side" or not item.purpose:
            continue
        above, below = index - 1, index + 1
        if above >= 0 and below < len(items) and free(above) and free(below):
            purposes[above] = purposes[below] = item.purpose
    return purposes


def extract_recipients(ctx: Context) -> list[Found[Recipient]]:
    """The "Nơi nhận" list: one recipient per line, with its purpose when printed.

    Each item has one span, over the name as printed (across the line break
    when the name is wrapped). A "Kính gửi:" addressee list is not read.

    >>> from extractor.document import Document
    >>> text = "Nơi nhận:\\n- Văn phòng Chính phủ (để b/c);\\n- VPCP: BTCN, các PCN,\\n"
    >>> text += "các Vụ, Cục, Công báo;\\n- Lưu: VT, KTTH (2)."
    >>> found = extract_recipients(Context.of(Document.from_text(text)))
    >>> [(f.value.name, f.value.purpose) for f in found]
    [('Văn phòng Chính phủ', 'báo cáo'), ('VPCP: BTCN, các PCN, các Vụ, Cục, Công báo', None), \
('Lưu: VT, KTTH (2)', None)]
    """
    closing = read_closing(ctx)
    if closing is None:
        return []
    items = [item for item in map(_parse_item, closing.items) if item is not None]
    purposes = _assign_purposes(items)
    return [
        Found(Recipient(name=item.name, purpose=purpose), (item.span,))
        for item, purpose in zip(items, purposes, strict=True)
    ]
