"""Property tests of ``extract`` and the readers on generated strings and bytes (issue 7).

The invariant is SPEC's "Bad input": whatever the input, the result is a
record or a :class:`~extractor.errors.VanbanError`, within the hypothesis
deadline of the suite's profile (``tests/conftest.py``). Where a record comes
out, its spans lie inside the normalized text. The coverage-guided fuzz
targets (``make fuzz``) run the same functions (``fuzz/targets.py``).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractor import extract
from extractor.errors import ALL_ERRORS, VanbanError
from extractor.readers import read, sniff_format
from extractor.readers.docx import read_docx
from extractor.readers.encodings import decode
from extractor.readers.pdf import read_pdf
from extractor.record import Record
from fuzz.targets import TARGETS, run_one
from tests import hostile
from tests.conftest import SAMPLES

# Fragments of directive documents: random text made of them reaches far more
# of the field patterns than random characters do.
# fmt: off
FRAGMENTS = [
    "KẾ HOẠCH", "CHỈ THỊ", "QUYẾT ĐỊNH", "Số", "Số:", " 60", "-KH/", "ĐUK", "TU", "/2024/QĐ-UBND",
    "ngày", " 12 ", "tháng", " 5 ", "năm", " 2021", "Hà Nội,", "Trà Vinh,", "về việc", "I.", "II.",
    "1.", "1.1.", "a)", "-", "+", "•", "Nơi nhận:", "- Lưu VT.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ",
    "Căn cứ", "Thực hiện", "Quyết định số", "của", "Tỉnh ủy", "ĐẢNG BỘ", "ĐẢNG CỘNG SẢN VIỆT NAM",
    "(", ")", "“", "”", ".", ",", ";", ":", "/", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u200b",
    "ho\u0300a", "Ð", "…", "|", "*", "**", "#", "<b>", "&amp;", "\\n", "¹", "\x00", "\r\n",
]
# fmt: on


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Load the models before the first example, so its deadline measures extraction only."""
    extract(SAMPLES / "002_7956c4d43d58e490.txt")


directive_like = st.lists(st.sampled_from(FRAGMENTS), max_size=120).map("".join)
any_text = st.text(max_size=400)


def _check_record_or_typed_error(source: str | bytes) -> None:
    try:
        record = extract(source, path="<generated>")
    except VanbanError as error:
        typed = error
    else:
        _check_spans(record)
        return
    assert typed.code in {error.code for error in ALL_ERRORS}
    assert str(typed)


def _check_spans(record: Record) -> None:
    assert len(record.source.sha256) == 64
    for name, spans in record.spans.items():
        for start, end in spans:
            assert 0 <= start <= end, (name, start, end)


def _normalized_length(source: str | bytes) -> int | None:
    from extractor.extract import load_document

    try:
        return len(load_document(source).normalized)
    except VanbanError:
        return None


@given(directive_like)
def test_fuzz_properties_extract_directive_like_text(text: str) -> None:
    _check_record_or_typed_error(text + "\n")


@given(directive_like)
def test_fuzz_properties_spans_lie_inside_the_normalized_text(text: str) -> None:
    source = text + "\n"
    length = _normalized_length(source)
    assume(length is not None)
    try:
        record = extract(source)
    except VanbanError:
        return
    for name, spans in record.spans.items():
        for start, end in spans:
            assert 0 <= start <= end <= length, (name, start, end, length)


@given(any_text)
def test_fuzz_properties_extract_any_text(text: str) -> None:
    _check_record_or_typed_error(text + "\n")


@given(st.binary(max_size=2000))
def test_fuzz_properties_extract_any_bytes(data: bytes) -> None:
    _check_record_or_typed_error(data)


@given(st.binary(max_size=2000))
def test_fuzz_properties_sniff_and_decode_any_bytes(data: bytes) -> None:
    try:
        fmt = sniff_format(data)
    except VanbanError:
        return
    assert fmt in {"txt", "docx", "pdf"}
    if fmt == "txt":
        try:
            decoded = decode(data)
        except VanbanError:
            return
        import unicodedata

        assert unicodedata.is_normalized("NFC", decoded.text)


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join))
def test_fuzz_properties_legacy_and_utf16_encodings_of_text(text: str) -> None:
    for encoding in ("utf-16", "utf-8-sig", "cp1258"):
        data = text.encode(encoding, errors="ignore")
        try:
            read(data)
        except VanbanError:
            continue


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """Overwrite bytes at the given positions, then cut the tail."""
    mutated = bytearray(data)
    for position, value in edits:
        mutated[position % len(mutated)] = value
    return bytes(mutated[: max(1, len(mutated) - cut)])


edits = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=12)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(edits, st.integers(0, 400))
def test_fuzz_properties_damaged_small_pdf(changes: list[tuple[int, int]], cut: int) -> None:
    data = _mutate(hostile.make_text_pdf(["KE HOACH", "So 12-KH/TU"]), changes, cut)
    try:
        read_pdf(data, path="damaged.pdf")
    except VanbanError:
        return


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(edits, st.integers(0, 400))
def test_fuzz_properties_damaged_small_docx(changes: list[tuple[int, int]], cut: int) -> None:
    body = hostile.paragraphs_xml(["KẾ HOẠCH", "Số 12-KH/TU"])
    data = _mutate(hostile.make_docx(body), changes, cut)
    try:
        read_docx(data, path="damaged.docx")
    except VanbanError:
        return


@settings(max_examples=40, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLES.glob("*.docx"))), edits)
def test_fuzz_properties_damaged_sample_docx(path: object, changes: list[tuple[int, int]]) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    data = _mutate(path.read_bytes(), changes, 0)
    try:
        read_docx(data, path=path.name)
    except VanbanError:
        return


member_names = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda name: not name.endswith("/"))


@given(st.dictionaries(member_names, st.binary(max_size=200), max_size=5))
def test_fuzz_properties_docx_with_arbitrary_extra_members(members: dict[str, bytes]) -> None:
    buffer = io.BytesIO(hostile.make_docx(hostile.paragraphs_xml(["KẾ HOẠCH"])))
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    try:
        read_docx(buffer.getvalue(), path="extra.docx")
    except VanbanError:
        return


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_properties_fuzz_targets_accept_their_seeds(target: str) -> None:
    # The fuzz harness itself: every seed runs, with no other exception.
    from fuzz.targets import seeds

    names = []
    for name, data in seeds(target):
        # The small seeds only: the samples are read by every other test.
        if len(data) < 20_000:
            run_one(target, data)
            names.append(name)
    assert names
