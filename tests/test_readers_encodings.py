"""Encoding detection and decoding of .txt/.md inputs (extractor.readers.encodings).

Legacy bytes are made here with the tables of ``extractor/data/legacy_encodings.json``
turned around (Unicode → bytes), so every test is a round trip through them;
the examples in the data file pin the tables to text seen in the wild.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.data import load
from extractor.errors import UndecodableText
from extractor.readers.encodings import ENCODINGS, Decoded, decode, decode_as, plausibility
from tests.hostile import hang_guard

DATA: dict[str, Any] = load("legacy_encodings")
TONES = "\u0300\u0301\u0303\u0309\u0323"

MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam, Độc lập - Tự do - Hạnh phúc"
SENTENCES = [
    MOTTO,
    "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch tổ chức đợt sinh hoạt chính trị",
    "về xây dựng, chỉnh đốn Đảng và hệ thống chính trị; thời gian từ ngày 01 tháng 02",
    "năm 2023 đến ngày 19/5/2023. Các chi bộ báo cáo kết quả về Ban Tuyên giáo.",
    "Nơi nhận: Ban Tuyên giáo Tỉnh ủy (b/c); Lưu Văn phòng.",
]
# Every letter: the five tones on a, ă, â, e, ê, i, o, ô, ơ, u, ư and y, and đ.
LOWER_ALPHABET = " ".join(
    unicodedata.normalize("NFC", vowel + mark)
    for vowel in "aăâeêioôơuưy"
    for mark in ("", *TONES)
    if vowel + mark != vowel or not vowel.isascii()
)
ALPHABET_LINES = [LOWER_ALPHABET + " đ", LOWER_ALPHABET.upper() + " Đ"]


# --- encoders: the data tables turned around -------------------------------------------


def _encoder(entries: dict[str, str]) -> dict[int, str]:
    """Letter → its legacy bytes (as Latin-1 characters), for str.translate."""
    return {ord(letter): bytes.fromhex(key).decode("latin-1") for key, letter in entries.items()}


def _to_bytes(text: str, table: dict[int, str]) -> bytes:
    # Legacy letters are all >= 0xA0, where Latin-1 and Windows-1252 agree.
    return unicodedata.normalize("NFC", text).translate(table).encode("cp1252")


TCVN3_ENCODE = _encoder(DATA["tcvn3"]["bytes"])
VNI_ENCODE = _encoder(DATA["vni"]["bytes"]) | _encoder(DATA["vni"]["sequences"])


def encode_tcvn3(text: str) -> bytes:
    return _to_bytes(text, TCVN3_ENCODE)


def encode_vni(text: str) -> bytes:
    return _to_bytes(text, VNI_ENCODE)


@cache
def _windows_1258_letter(char: str) -> bytes:
    decomposed = unicodedata.normalize("NFD", char)
    tones = "".join(mark for mark in decomposed if mark in TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return (base + tones).encode("cp1258")


def encode_windows_1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: base letter, then a combining tone mark."""
    return b"".join(map(_windows_1258_letter, unicodedata.normalize("NFC", text)))


# Each byte as a Windows-1252 font shows it; its five undefined bytes as Latin-1.
CP1252_VIEW = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256)
)


def shown_as_cp1252(data: bytes) -> str:
    """What bytes look like through a Latin font: mojibake."""
    return codecs.charmap_decode(data, "strict", CP1252_VIEW)[0]


# --- the tables ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "example"),
    [
        (encoding, example)
        for encoding in ("tcvn3", "vni")
        for example in DATA[encoding]["examples"]
    ],
    ids=lambda value: value if isinstance(value, str) else value["unicode"][:30],
)
def test_encodings_data_examples(encoding: str, example: dict[str, str]) -> None:
    legacy = example["legacy"].encode("cp1252")
    assert decode_as(legacy, encoding) == example["unicode"]


@pytest.mark.parametrize("token", DATA["plausibility"]["examples"]["valid"])
def test_encodings_plausibility_valid_examples(token: str) -> None:
    assert plausibility(token).valid == 1


@pytest.mark.parametrize("token", DATA["plausibility"]["examples"]["invalid"])
def test_encodings_plausibility_invalid_examples(token: str) -> None:
    assert plausibility(token).invalid == 1


def test_encodings_tables_cover_the_alphabet() -> None:
    lower = set((LOWER_ALPHABET + " đ").split())
    # TCVN3: every lower-case letter, and just seven capitals, one byte each.
    tcvn3 = list(DATA["tcvn3"]["bytes"].values())
    assert len(tcvn3) == len(set(tcvn3)) == len(lower) + 7
    assert set(tcvn3) == lower | set("ĂÂÊÔƠƯĐ")
    # VNI: every letter in both cases, either one byte or a base + modifier pair.
    vni = list(DATA["vni"]["bytes"].values()) + list(DATA["vni"]["sequences"].values())
    assert len(vni) == len(set(vni)) == 2 * len(lower)
    assert set(vni) == lower | {c.upper() for c in lower}
    singles = {int(key, 16) for key in DATA["vni"]["bytes"]}
    for key in DATA["vni"]["sequences"]:
        base, modifier = (int(part, 16) for part in key.split())
        assert chr(base) in "aeouyAEOUY" or base in singles
        assert modifier not in singles


# --- round trips through decode() -------------------------------------------------------


def test_encodings_utf8_without_bom() -> None:
    text = "\n".join([*SENTENCES, *ALPHABET_LINES])
    assert decode(text.encode()) == Decoded(text, "utf-8")


def test_encodings_utf8_with_bom() -> None:
    text = "\n".join(SENTENCES)
    assert decode(b"\xef\xbb\xbf" + text.encode()) == Decoded(text, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_utf16(codec: str) -> None:
    """With a BOM ("utf-16" writes one), and without one, LE and BE."""
    text = "\n".join([*SENTENCES, *ALPHABET_LINES])
    assert decode(text.encode(codec)) == Decoded(text, "utf-16")


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_encodings_utf16_bom_then_big_and_little_endian(bom: bytes) -> None:
    text = "Tỉnh ủy Trà Vinh"
    body = text.encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be")
    assert decode(bom + body) == Decoded(text, "utf-16")


def test_encodings_tcvn3_round_trip() -> None:
    # TCVN3 has no capitals with tones, so the alphabet goes in lower case.
    text = "\n".join([*SENTENCES, ALPHABET_LINES[0], "Ă Â Ê Ô Ơ Ư Đ"])
    data = encode_tcvn3(text)
    assert b"\xa7\xe9c l\xcbp" in data  # "Độc lập" as an ABC font stores it
    assert decode(data) == Decoded(text, "tcvn3")


def test_encodings_vni_round_trip() -> None:
    text = "\n".join([*SENTENCES, *ALPHABET_LINES])
    data = encode_vni(text)
    assert b"Co\xe4ng ho\xf8a" in data  # "Cộng hòa": o + (circumflex, dot below)
    assert decode(data) == Decoded(text, "vni")


def test_encodings_windows_1258_round_trip() -> None:
    text = "\n".join([*SENTENCES, *ALPHABET_LINES])
    data = encode_windows_1258(text)
    # cp1258 writes tones as combining marks after the letter; the result is NFC.
    assert b"Vi\xea\xf2t" in data  # ê, then a combining dot below
    assert decode(data) == Decoded(text, "windows-1258")


@pytest.mark.parametrize(
    ("encoder", "encoding"),
    [(encode_tcvn3, "tcvn3"), (encode_vni, "vni"), (encode_windows_1258, "windows-1258")],
    ids=["tcvn3", "vni", "windows-1258"],
)
def test_encodings_one_line_is_enough_to_judge(encoder: Any, encoding: str) -> None:
    assert decode(encoder(MOTTO)) == Decoded(MOTTO, encoding)


def test_encodings_tcvn3_capitals_come_from_all_capital_fonts() -> None:
    # .VnTimeH shows lower-case bytes as capitals: words typed in it are
    # upper-cased; a capitalised word ("Số", "Xã") is left as it is.
    data = b"C\xe9NG HO\xb5 X\xb7 H\xe9I CH\xf1 NGH\xdcA VI\xd6T NAM\nS\xe8: 60-KH/\xa7UK"
    assert decode(data).text == "CỘNG HOÀ Xã HỘI CHỦ NGHĨA VIỆT NAM\nSố: 60-KH/ĐUK"


def test_encodings_vni_modifier_in_the_other_case_is_tolerated() -> None:
    assert decode_as(b"A\xf9p du\xcfng", "vni") == decode_as(b"A\xd9p du\xefng", "vni")
    assert decode_as(b"A\xf9p du\xcfng", "vni") == "Áp dụng"


def test_encodings_western_text_is_windows_1258() -> None:
    text = "Le café de la rue Saint-Honoré était fermé. Où est l'élève? Très bien."
    assert decode(text.encode("cp1252")) == Decoded(text, "windows-1258")


# --- mojibake: legacy text already mis-decoded into Unicode ---------------------------


def test_encodings_repairs_tcvn3_mojibake() -> None:
    text = "\n".join(SENTENCES)
    mojibake = shown_as_cp1252(encode_tcvn3(text))
    assert mojibake.startswith("Céng hßa x· héi chñ nghÜa ViÖt Nam")
    decoded = decode(mojibake.encode())
    assert decoded.text == text
    assert decoded.encoding == "utf-8"
    assert decoded.warnings == ("repaired 5 line(s) of TCVN3 text mis-decoded as Windows-1252",)


def test_encodings_repairs_vni_mojibake() -> None:
    text = "\n".join(SENTENCES)
    mojibake = shown_as_cp1252(encode_vni(text))
    assert mojibake.startswith("Coäng hoøa xaõ hoäi")
    decoded = decode(mojibake.encode("utf-16"))
    assert (decoded.text, decoded.encoding) == (text, "utf-16")
    assert decoded.warnings == ("repaired 5 line(s) of VNI text mis-decoded as Windows-1252",)


def test_encodings_repairs_utf8_read_as_cp1252() -> None:
    text = "\n".join(SENTENCES)
    mojibake = shown_as_cp1252(text.encode())
    assert mojibake.startswith("Cá»™ng hÃ²a")
    assert decode(mojibake.encode()).text == text


def test_encodings_repairs_a_lone_legacy_header_line() -> None:
    # Set in .VnTimeH: TCVN3 lower-case letters in an all-capitals font.
    header = shown_as_cp1252(encode_tcvn3("ủY BAN KIểM TRA"))
    body = "KẾ HOẠCH\nkiểm tra việc thực hiện nhiệm vụ năm 2023"
    assert header == "ñY BAN KIÓM TRA"
    decoded = decode(f"{header}\n{body}".encode())
    assert decoded.text == f"ỦY BAN KIỂM TRA\n{body}"
    assert decoded.warnings == ("repaired 1 line(s) of TCVN3 text mis-decoded as Windows-1252",)


def test_encodings_mojibake_repair_leaves_unicode_lines_alone() -> None:
    unicode_lines = [
        "Điều 1. Ban hành kèm theo Quyết định này",
        "Bột zircon siêu mịn cỡ hạt nhỏ hơn 75µm (micrô mét)",
        "Tôi là ai",  # reads as well as TCVN3 ("Tụi là ai")
        "Café Noël, Müller, Ångström",
    ]
    mojibake = shown_as_cp1252(encode_tcvn3("\n".join(SENTENCES)))
    text = "\n".join([*unicode_lines, mojibake])
    decoded = decode(text.encode())
    assert decoded.text.split("\n")[: len(unicode_lines)] == unicode_lines
    assert decoded.text.split("\n")[len(unicode_lines) :] == SENTENCES


def test_encodings_plain_unicode_without_mojibake_is_untouched() -> None:
    text = "Ö\nÖ\nCafé Noël, Müller\nTôi là ai\n96µm\nBột siêu mịn 75µm"  # "Ö": a Wingdings tick
    assert decode(text.encode()) == Decoded(text, "utf-8")


# --- Vietnamese-looking Unicode comes back unchanged -------------------------------------

INVENTORY = DATA["plausibility"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    onset = draw(st.sampled_from(["", *INVENTORY["onsets"]]))
    if draw(st.booleans()):
        rhyme = draw(st.sampled_from(INVENTORY["open_rhymes"]))
    else:
        rhyme = draw(st.sampled_from(INVENTORY["closable_rhymes"]))
        rhyme += draw(st.sampled_from(["", *INVENTORY["codas"]]))
    letters = list(onset + rhyme)
    vowels = [i for i in range(len(onset), len(letters)) if letters[i] in "aăâeêioôơuưy"]
    tone = draw(st.sampled_from(["", *TONES]))
    if tone and vowels:
        at = draw(st.sampled_from(vowels))
        letters[at] = unicodedata.normalize("NFC", letters[at] + tone)
    syllable = "".join(letters)
    case = draw(st.sampled_from(["lower", "title", "upper"]))
    return {"lower": syllable, "title": syllable.capitalize(), "upper": syllable.upper()}[case]


vietnamese_text = st.lists(
    st.one_of(
        syllables(),
        st.sampled_from(["UBND", "60-KH/ĐUK", "19/5/2023", "(b/c)", "I.", "a)", "-", "“Tự soi”"]),
    ),
    min_size=1,
    max_size=60,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", " ", " ", ", ", ". ", "\n", "\r\n", ": ", "\t"]),
        min_size=len(words),
        max_size=len(words),
    ).map(lambda seps: "".join(w + s for w, s in zip(words, seps, strict=True)))
)


@given(vietnamese_text)
def test_encodings_utf8_vietnamese_comes_back_unchanged(text: str) -> None:
    assert decode(text.encode()) == Decoded(text, "utf-8")


@given(vietnamese_text)
def test_encodings_output_is_nfc(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert decode(decomposed.encode()) == Decoded(unicodedata.normalize("NFC", text), "utf-8")


# --- bad input ---------------------------------------------------------------------------

_CHUNKS = [
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xc3",
    encode_tcvn3(MOTTO),
    encode_vni(MOTTO),
    MOTTO.encode(),
    MOTTO.encode("utf-16-le"),
]


@given(st.one_of(st.binary(max_size=2048), st.lists(st.sampled_from(_CHUNKS)).map(b"".join)))
def test_encodings_random_bytes_raise_only_undecodable_text(data: bytes) -> None:
    try:
        decoded = decode(data)
    except UndecodableText:
        return
    assert decoded.encoding in ENCODINGS
    assert unicodedata.is_normalized("NFC", decoded.text)


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (bytes(range(32)) * 4, "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary data"),
        (b"\xff\xfe\x00\x00" + "Tỉnh".encode("utf-32-le"), "UTF-32"),
        (b"\xff\xfe" + "Tỉnh".encode("utf-16-le") + b"\x00", "invalid UTF-16"),
        (b"\xef\xbb\xbf\xe9\xe9\xe9 abc", "invalid UTF-8"),
    ],
    ids=["controls", "png", "utf-32", "odd-utf-16", "bom-then-latin"],
)
def test_encodings_undecodable_inputs_are_refused(data: bytes, detail: str) -> None:
    with pytest.raises(UndecodableText, match=detail) as caught:
        decode(data, path="x.txt")
    assert caught.value.code == "undecodable_text"
    assert "x.txt" in str(caught.value)


def test_encodings_empty_input_is_empty_text() -> None:
    assert decode(b"") == Decoded("", "utf-8")


def test_encodings_nearly_utf8_keeps_the_text() -> None:
    text = "\n".join(SENTENCES)
    data = text.encode()[:-1] + b"\xe9" + "\nKết thúc".encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(text[:-1])
    assert decoded.warnings == ("1 invalid UTF-8 byte sequence(s) replaced with U+FFFD",)


def test_encodings_unknown_encoding_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown encoding"):
        decode_as(b"abc", "latin-1")


# --- speed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda text: text.encode(),
        encode_tcvn3,
        encode_vni,
        encode_windows_1258,
        lambda text: shown_as_cp1252(encode_tcvn3(text)).encode(),
        lambda text: shown_as_cp1252(encode_vni(text)).encode(),
    ],
    ids=["utf-8", "tcvn3", "vni", "1258", "tcvn3-mojibake", "vni-mojibake"],
)
def test_encodings_one_megabyte_decodes_quickly(make: Any) -> None:
    text = "\n".join([*SENTENCES, *ALPHABET_LINES[:1]] * 2100)
    data = make(text)
    assert len(data) > 1_000_000
    with hang_guard(60):  # a hang detector, not a speed target (that is make bench)
        decode(data)
