"""The public API end to end: records, provenance, and bad input."""

from __future__ import annotations

from contextlib import suppress

import pytest

from extractor import extract
from extractor.errors import EmptyDocument, NotADirective, TooLarge
from extractor.extract import load_document
from extractor.limits import MAX_TEXT_CHARS
from extractor.text.normalize import normalize
from tests.conftest import SAMPLES, sample_stems
from tests.hostile import hang_guard

VERBATIM_FIELDS = ("place", "signer.authority", "signer.position", "signer.name")


@pytest.mark.parametrize("stem", sample_stems())
def test_extract_spans_give_back_their_values(stem: str) -> None:
    path = SAMPLES / f"{stem}.txt"
    document = load_document(path)
    record = extract(document)
    text = document.normalized
    values = record.to_dict()
    for name in VERBATIM_FIELDS:
        value = values[name.split(".")[0]]
        if "." in name and value is not None:
            value = value[name.split(".")[1]]
        for start, end in record.spans.get(name, []):
            assert text[start:end] == value, name
            original_start, original_end = document.to_original(start, end)
            assert normalize(document.original[original_start:original_end]).text == value
    for name in ("themes",):
        for item, (start, end) in zip(values[name], record.spans.get(name, []), strict=True):
            assert text[start:end] == item


def test_extract_accepts_path_bytes_text_and_document() -> None:
    path = SAMPLES / "002_7956c4d43d58e490.txt"
    by_path = extract(path).to_dict()
    by_str_path = extract(str(path)).to_dict()
    by_bytes = extract(path.read_bytes(), path=str(path)).to_dict()
    by_text = extract(path.read_text(encoding="utf-8"), path=str(path)).to_dict()
    assert by_path["number"] == by_str_path["number"] == by_bytes["number"] == by_text["number"]
    assert by_bytes["spans"] == by_text["spans"] == by_path["spans"]


def test_extract_record_json_round_trips() -> None:
    import json

    record = extract(SAMPLES / "004_4da38b554e1175e4.docx")
    data = json.loads(record.to_json())
    assert data["source"]["format"] == "docx"
    assert type(record).model_validate(data) == record


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u200b\u00a0"])
def test_extract_empty_text(text: str) -> None:
    with pytest.raises(EmptyDocument):
        extract(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "Hôm nay trời đẹp, chúng tôi đi chơi công viên và ăn kem. Buổi chiều về nhà nấu cơm.",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    ],
)
def test_extract_text_that_is_not_a_directive(text: str) -> None:
    with pytest.raises(NotADirective):
        extract(text)


def test_extract_text_over_the_size_limit() -> None:
    with pytest.raises(TooLarge):
        extract(("a" * 99 + "\n") * (MAX_TEXT_CHARS // 100 + 1))


@pytest.mark.parametrize(
    "unit",
    [
        "ngày ngày tháng Số 12-KH/ ",
        "Kế hoạch số 12-KH/ ngày của ",
        'chủ đề “ chủ đề " ',
        "- Nơi nhận: } để báo cáo (b/c ",
        "I. 1. 1.1. a) - + ",
        "ngày 1/1/ tháng năm quý II năm 20",
    ],
)
def test_extract_adversarial_near_matches_do_not_hang(unit: str) -> None:
    text = "KẾ HOẠCH\nvề X\n" + unit * (2_000_000 // len(unit))
    with hang_guard(120), suppress(NotADirective):
        extract(text)
