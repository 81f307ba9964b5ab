"""The adaptation diff: invariants, normalization, localisation labels, budgets, CLI.

Snippets come from the samples (001 province plan, 000 district guidance);
the localisation table is ``extractor/data/diff.json`` "examples".
"""

from __future__ import annotations

import importlib
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.cli import main
from extractor.data import load
from extractor.diff import DiffResult, diff, diff_documents
from extractor.diff.edits import (
    COARSE_MAX,
    Opcode,
    block_edits,
    cleanup_semantic,
    label,
    opcodes,
    vocab,
)
from extractor.diff.tokens import keys_of, spans_of, tokenize
from extractor.document import Document
from extractor.errors import NotADirective
from extractor.extract import extract_document
from tests.conftest import SAMPLES
from tests.hostile import hang_guard

UPPER = SAMPLES / "001_533e6cb4db5af385.txt"
LOWER = SAMPLES / "000_df7a9d44ea93c9c4.txt"
OTHER = SAMPLES / "002_7956c4d43d58e490.txt"
UNRELATED = (SAMPLES / "004_4da38b554e1175e4.txt", SAMPLES / "003_e0cf88b19ba32315.txt")

HEAD = "ĐẢNG BỘ TỈNH LẠNG SƠN\nSố 12-KH/TU\nLạng Sơn, ngày 10 tháng 5 năm 2022\nKẾ HOẠCH\nhọc tập chuyên đề\n"
LOWER_HEAD = "HUYỆN ỦY CAO LỘC\nSố 25-KH/HU\nCao Lộc, ngày 20 tháng 5 năm 2022\nKẾ HOẠCH\nhọc tập chuyên đề\n"
TAIL = "\nNơi nhận:\n- Lưu VT.\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\nNguyễn Văn A\n"


def plan(*paragraphs: str, head: str = HEAD) -> str:
    """A minimal directive document with these body paragraphs."""
    return head + "\n".join(paragraphs) + TAIL


def diff_texts(upper: str, lower: str, **options: float) -> DiffResult:
    doc_u = Document.from_text(upper, path="upper.txt")
    doc_l = Document.from_text(lower, path="lower.txt")
    return diff_documents(doc_u, doc_l, extract_document(doc_u), extract_document(doc_l), **options)


def rebuild(result: DiffResult, block_index: int, upper_text: str) -> str:
    """Replay a block's edits on the upper text: the lower block's text, up to keys."""
    block = result.blocks[block_index]
    assert block.upper is not None
    out = upper_text
    for edit in sorted(block.edits, key=lambda e: e.anchor[0], reverse=True):
        start, end = edit.upper_at or (edit.anchor[0], edit.anchor[0])
        # Spaces keep an inserted word from gluing to its neighbour; keys ignore them.
        out = out[:start] + f" {edit.lower} " + out[end:]
    return out[block.upper.start : len(out) - (len(upper_text) - block.upper.end)]


@pytest.fixture(scope="module")
def sample_diff() -> tuple[DiffResult, Document, Document]:
    from extractor.extract import load_document

    doc_u, doc_l = load_document(UPPER), load_document(LOWER)
    return (
        diff_documents(doc_u, doc_l, extract_document(doc_u), extract_document(doc_l)),
        doc_u,
        doc_l,
    )


# --- invariants ---------------------------------------------------------------


def test_diff_same_document_is_all_kept() -> None:
    result = diff(UPPER, UPPER)
    assert result.related
    assert {block.status for block in result.blocks} == {"kept"}
    assert all(not block.edits for block in result.blocks)
    assert result.summary.kept == len(result.blocks)
    assert all(field.status in ("same", "absent") for field in result.fields.values())


_WORDS = [
    "cán bộ",
    "đảng viên",
    "Tỉnh ủy",
    "học tập",
    "quán triệt",
    "nghiêm túc",
    "hóa",
    "xây dựng",
    "chỉnh đốn",
    "Đảng",
    "hệ thống",
    "chính trị",
    "tổ chức",
    "thực hiện",
]
paragraph = st.lists(st.sampled_from(_WORDS), min_size=3, max_size=14).map(
    lambda words: " ".join(words).capitalize() + "."
)


@settings(max_examples=20, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=6))
def test_diff_generated_paragraphs_against_themselves_are_kept(paragraphs: list[str]) -> None:
    text = plan(*paragraphs)
    result = diff_texts(text, text)
    assert {block.status for block in result.blocks} <= {"kept"}
    assert not any(block.edits for block in result.blocks)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(paragraph, min_size=2, max_size=5),
    st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["", *_WORDS])), max_size=6),
)
def test_diff_edits_rebuild_the_lower_text(
    paragraphs: list[str], changes: list[tuple[int, str]]
) -> None:
    changed = []
    for index, text in enumerate(paragraphs):
        words = text.split()
        for position, word in changes:
            if position % len(paragraphs) == index:
                words[position % len(words)] = word
        changed.append(" ".join(w for w in words if w) or text)
    upper, lower = plan(*paragraphs), plan(*changed)
    result = diff_texts(upper, lower)
    doc_u = Document.from_text(upper)
    for index, block in enumerate(result.blocks):
        if block.upper is None or block.lower is None:
            continue
        assert keys_of(rebuild(result, index, doc_u.normalized)) == keys_of(block.lower.text)


def test_diff_edits_rebuild_the_lower_text_on_the_samples(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, doc_u, _doc_l = sample_diff
    modified = 0
    for index, block in enumerate(result.blocks):
        if block.status in ("modified", "moved") and block.upper and block.lower:
            modified += 1
            assert keys_of(rebuild(result, index, doc_u.normalized)) == keys_of(block.lower.text)
    assert modified >= 10


def test_diff_spans_and_edits_point_into_the_normalized_texts(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, doc_u, doc_l = sample_diff
    for block in result.blocks:
        for side, doc in ((block.upper, doc_u), (block.lower, doc_l)):
            if side is not None:
                assert doc.normalized[side.start : side.end] == side.text
        for edit in block.edits:
            if edit.upper_at:
                assert doc_u.normalized[slice(*edit.upper_at)] == edit.upper
            if edit.lower_at:
                assert doc_l.normalized[slice(*edit.lower_at)] == edit.lower
            assert (edit.op == "insert") == (edit.upper_at is None)
            assert (edit.op == "delete") == (edit.lower_at is None)


def test_diff_blocks_follow_the_lower_reading_order(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, _, _ = sample_diff
    lower_starts = [block.lower.start for block in result.blocks if block.lower is not None]
    assert lower_starts == sorted(lower_starts)


def test_diff_to_dict_has_the_contract_shape(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, _, _ = sample_diff
    data = json.loads(result.to_json())
    assert set(data) >= {
        "schema_version",
        "upper",
        "lower",
        "lower_cites_upper",
        "cites_via",
        "related",
        "overlap",
        "summary",
        "blocks",
        "fields",
    }
    assert set(data["summary"]) == {
        "kept",
        "modified",
        "added",
        "dropped",
        "moved",
        "localisations",
        "verdict",
    }
    assert set(data["fields"]) == {
        "themes",
        "audience",
        "forms",
        "period",
        "deadlines",
        "recipients",
        "references",
    }
    statuses = [block["status"] for block in data["blocks"]]
    assert data["summary"]["kept"] == statuses.count("kept")
    for block in data["blocks"]:
        assert (block["upper"] is None) == (block["status"] == "added")
        assert (block["lower"] is None) == (block["status"] == "dropped")


def test_diff_block_parts_and_links_index_the_paragraphs(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, _, _ = sample_diff
    merges = 0
    for block in result.to_dict()["blocks"]:
        for side in ("upper", "lower"):
            if block[side] is None:
                continue
            parts = block[side]["parts"]
            assert parts[0]["start"] == block[side]["start"]
            assert parts[-1]["end"] == block[side]["end"]
            assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(parts))
        if block["upper"] is None or block["lower"] is None:
            assert block["links"] == []
            continue
        count_u, count_l = len(block["upper"]["parts"]), len(block["lower"]["parts"])
        merges += count_u * count_l > 1
        # Every paragraph of the block is linked to at least one of the other side.
        assert {k for k, _ in block["links"]} == set(range(count_u))
        assert {m for _, m in block["links"]} == set(range(count_l))
    assert merges  # the sample pair has merges and splits


def _block_with(result: DiffResult, upper_start: str) -> dict[str, Any]:
    blocks = [
        b
        for b in result.to_dict()["blocks"]
        if b["upper"] is not None and b["upper"]["text"].startswith(upper_start)
    ]
    assert blocks, upper_start
    return blocks[0]


def test_diff_heading_merged_into_a_split_paragraph_links_only_its_part(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    # Upper "4. Thời gian tổ chức" + "Trong các kỳ …" became lower
    # "4. Thời gian tổ chức: Trong các kỳ …", "(1) Kỷ niệm …", "(2) dịp kiểm điểm …".
    result, _, _ = sample_diff
    block = _block_with(result, "4. Thời gian tổ chức")
    assert len(block["upper"]["parts"]) == 2
    assert len(block["lower"]["parts"]) == 3
    assert sorted(block["links"]) == [[0, 0], [1, 0], [1, 1], [1, 2]]


def test_diff_one_paragraph_gap_between_pairs_is_a_pair(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    # Between the pairs "3.2. Tổ chức các cuộc hội thảo …" and "- Một số vấn đề lý
    # luận …", one paragraph on each side: the same lead-in, rewritten.
    result, _, _ = sample_diff
    block = _block_with(result, "Tập trung vào các nội dung:")
    assert block["lower"]["text"].startswith("Tùy vào điều kiện cụ thể")


def test_diff_content_under_paired_headings_is_paired() -> None:
    # "4. Thời gian tổ chức" ↔ "2. Hình thức, thời gian tổ chức …": their
    # contents ("Trong các kỳ sinh hoạt …", "- Hình thức: Tổ chức trong các kỳ
    # sinh hoạt …") share little (Dice 0.14) but sit under paired headings.
    from extractor.extract import load_document

    doc_u, doc_l = load_document(UPPER), load_document(OTHER)
    result = diff_documents(doc_u, doc_l, extract_document(doc_u), extract_document(doc_l))
    block = _block_with(result, "Trong các kỳ sinh hoạt cấp ủy")
    assert block["lower"]["text"].startswith("- Hình thức: Tổ chức trong các kỳ")


def _cleanup_by_restarting(ops: list[Opcode], words_a: list[bool]) -> list[Opcode]:
    """The rule applied the slow way: restart from the left after every merge."""
    out = list(ops)
    changed = True
    while changed:
        changed = False
        for k in range(1, len(out) - 1):
            tag, i1, i2, _, _ = out[k]
            before, after = out[k - 1], out[k + 1]
            if tag != "equal" or before[0] == "equal" or after[0] == "equal":
                continue
            length = sum(words_a[i1:i2])
            if length <= max(before[2] - before[1], before[4] - before[3]) and length <= max(
                after[2] - after[1], after[4] - after[3]
            ):
                out[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                changed = True
                break
    return cleanup_semantic(out, words_a)  # only the final merge of adjacent edits is left


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("abcd,."), max_size=25),
    st.lists(st.sampled_from("abcd,."), max_size=25),
)
def test_diff_semantic_cleanup_in_one_pass_equals_restarting(a: list[str], b: list[str]) -> None:
    ops = opcodes(a, b)
    words_a = [c.isalnum() for c in a]
    assert cleanup_semantic(ops, words_a) == _cleanup_by_restarting(ops, words_a)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ab ,.-/\nỦủ“1", max_size=60), st.integers(0, 5))
def test_diff_spans_of_agree_with_tokenize(text: str, cut: int) -> None:
    start = min(cut, len(text))
    tokens = tokenize(text[start:], start)
    assert spans_of(text, start, len(text)) == (list(tokens.starts), list(tokens.ends))


# --- what is never an edit ------------------------------------------------------

# fmt: off
NOT_EDITS = [
    # (upper paragraph, lower paragraph): tone placement, case, whitespace, quotes, markup
    ("Tự soi, tự sửa gắn với công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị hoá.",
     "Tự soi, tự sửa gắn với công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị hóa."),
    ("Ban Thường vụ Tỉnh uỷ chỉ đạo tổ chức đợt sinh hoạt chính trị.",
     "Ban Thường vụ Tỉnh ủy chỉ đạo tổ chức đợt sinh hoạt chính trị."),
    ("I. TỔ CHỨC ĐỢT SINH HOẠT CHÍNH TRỊ VỀ XÂY DỰNG, CHỈNH ĐỐN ĐẢNG",
     "I. Tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng"),
    ("Cán bộ,  đảng viên   suy thoái về tư tưởng chính trị, đạo đức, lối sống.",
     "Cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống."),
    ("Biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ.",
     "Biểu hiện \"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ."),
    ("**Ban Tuyên giáo Tỉnh ủy** chủ trì, phối hợp với các cơ quan liên quan.",
     "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan."),
]
# fmt: on


@pytest.mark.parametrize(("upper", "lower"), NOT_EDITS)
def test_diff_normalization_differences_are_not_edits(upper: str, lower: str) -> None:
    result = diff_texts(plan("I. MỤC ĐÍCH", upper), plan("I. MỤC ĐÍCH", lower))
    assert [block.status for block in result.blocks] == ["kept", "kept"]
    assert not any(block.edits for block in result.blocks)


# --- labels -----------------------------------------------------------------------

LOCALISATION_EXAMPLES = load("diff")["examples"]


@pytest.mark.parametrize(
    "example",
    LOCALISATION_EXAMPLES,
    ids=[e["kind"] + ":" + e["lower"][:30] for e in LOCALISATION_EXAMPLES],
)
def test_diff_localisation_examples_are_labelled(example: dict[str, str]) -> None:
    result = diff_texts(
        plan("I. MỤC ĐÍCH", example["upper"]), plan("I. MỤC ĐÍCH", example["lower"])
    )
    edits = [edit for block in result.blocks for edit in block.edits]
    assert edits, "the example must differ"
    if example["kind"] == "edit":
        assert {edit.kind for edit in edits} == {"edit"}
    else:
        labelled = [(edit.kind, edit.note) for edit in edits if edit.kind != "edit"]
        assert (example["kind"], example["note"]) in labelled


def test_diff_vocabulary_patterns_match_their_examples() -> None:
    data = load("diff")
    v = vocab()
    for name, pattern in (("citation", v.citation), ("date", v.date)):
        for text in data[name]["examples"]:
            assert pattern.search(text), f"{name} misses {text!r}"
        for text in data[name]["counter_examples"]:
            assert not pattern.search(text), f"{name} matches {text!r}"
    for term in data["bodies"]:
        assert v.bodies.fullmatch(term.title()) or v.bodies.search(term)
    for term in data["localities"]:
        assert v.localities.search(f"toàn {term}")


def test_diff_label_needs_the_edit_to_be_mostly_the_localised_term() -> None:
    assert label("tỉnh", "huyện", "toàn tỉnh", "toàn huyện")[0] == "localisation"
    rewritten = label(
        "cán bộ chủ chốt của tỉnh", "đoàn viên thanh niên của huyện và học sinh", "", ""
    )
    assert rewritten == ("edit", "")


def test_diff_moved_text_is_labelled_moved() -> None:
    moved = "Đồng chí bí thư cấp ủy trực tiếp làm báo cáo viên tại hội nghị"
    upper = plan(
        f"1. Các chi bộ tổ chức học tập nghiêm túc. {moved}. Báo cáo kết quả về Đảng ủy.",
    )
    lower = plan(
        f"1. Các chi bộ tổ chức học tập nghiêm túc. Báo cáo kết quả về Đảng ủy. {moved}.",
    )
    result = diff_texts(upper, lower)
    kinds = [(edit.op, edit.kind) for block in result.blocks for edit in block.edits]
    assert ("delete", "moved") in kinds
    assert ("insert", "moved") in kinds


def test_diff_small_edits_merge_into_a_phrase() -> None:
    upper = "Ban Tuyên giáo chủ trì tổ chức hội nghị quán triệt cho cán bộ chủ chốt vào tháng 3 năm nay."
    lower = "Ban Tuyên giáo chủ trì tổ chức hội thảo khoa học về công tác xây dựng Đảng cho đoàn viên vào tháng 3 năm nay."
    result = diff_texts(plan("I. MỤC ĐÍCH", upper), plan("I. MỤC ĐÍCH", lower))
    edits = [edit for block in result.blocks for edit in block.edits]
    assert len(edits) == 1
    assert edits[0].op == "replace"


# --- alignment ----------------------------------------------------------------------


def test_diff_follows_content_not_numbering() -> None:
    upper = plan(
        "I. MỤC ĐÍCH",
        "1. Nâng cao nhận thức của cán bộ, đảng viên về xây dựng Đảng.",
        "2. Tổ chức học tập nghiêm túc, thiết thực, hiệu quả ở tất cả các chi bộ.",
    )
    lower = plan(
        "I. MỤC ĐÍCH",
        "1. Tổ chức học tập nghiêm túc, thiết thực, hiệu quả ở tất cả các chi bộ.",
        "2. Nâng cao nhận thức của cán bộ, đảng viên về xây dựng Đảng.",
    )
    result = diff_texts(upper, lower)
    pairs = [
        (b.upper.text[:5], b.lower.text[:5], b.status) for b in result.blocks if b.upper and b.lower
    ]
    assert ("1. Nâ", "2. Nâ", "moved") in pairs or ("2. Tổ", "1. Tổ", "moved") in pairs
    assert all(u[3:] == lo[3:] for u, lo, _ in pairs)


def test_diff_unrelated_documents_get_no_pairs() -> None:
    result = diff(*UNRELATED)
    assert not result.related
    assert all(block.upper is None or block.lower is None for block in result.blocks)
    assert "share little" in result.summary.verdict
    assert result.summary.modified == result.summary.kept == 0


def test_diff_sample_pair_reports_localisations_and_citations(
    sample_diff: tuple[DiffResult, Document, Document],
) -> None:
    result, _, _ = sample_diff
    assert result.related
    assert result.lower_cites_upper
    assert "21-KL/TW" in result.cites_via
    notes = {edit.note for block in result.blocks for edit in block.edits if edit.kind != "edit"}
    assert "issuing body: Tỉnh ủy → Huyện ủy" in notes
    assert any(note.startswith("locality: tỉnh → huyện") for note in notes)


def test_diff_lower_citing_the_upper_number() -> None:
    upper = plan("1. Các huyện ủy tổ chức học tập nghiêm túc, thiết thực.")
    lower = plan(
        "Thực hiện Kế hoạch số 12-KH/TU, ngày 10/5/2022 của Ban Thường vụ Tỉnh ủy.",
        "1. Các chi bộ tổ chức học tập nghiêm túc, thiết thực.",
        head=LOWER_HEAD,
    )
    result = diff_texts(upper, lower)
    assert result.lower_cites_upper
    assert result.cites_via == ()


def test_diff_deadline_shift_is_shown_as_such() -> None:
    upper = plan("1. Các chi bộ báo cáo kết quả về Ban Thường vụ trước ngày 15/6/2022.")
    lower = plan("1. Các chi bộ báo cáo kết quả về Ban Thường vụ trước ngày 10/6/2022.")
    result = diff_texts(upper, lower)
    shifts = result.fields["deadlines"].shifts
    assert [shift.shown for shift in shifts] == ["15/6/2022 → 10/6/2022"]
    kinds = {(e.kind, e.note) for b in result.blocks for e in b.edits}
    assert ("date_shift", "15/6/2022 → 10/6/2022") in kinds


# --- budgets ------------------------------------------------------------------------


def _near_identical(count: int, seed: str) -> list[str]:
    base = "Các cấp ủy, tổ chức đảng tổ chức quán triệt Kết luận và Quy định của Trung ương"
    return [
        f"- {base} tại đơn vị số {seed}{k}, bảo đảm nghiêm túc và hiệu quả ở cơ sở."
        for k in range(count)
    ]


def test_diff_large_repetitive_pair_finishes_within_budget() -> None:
    # About 2 × 200 KB of near-identical paragraphs: the shape that makes an
    # unbounded diff quadratic. The result must come, coarser, with a warning.
    upper = plan("I. NỘI DUNG", *_near_identical(1700, "A"))
    lower = plan("I. NỘI DUNG", *_near_identical(1700, "B"))
    assert len(upper.encode()) > 200_000
    with hang_guard(60):  # a hang detector, not a speed target (that is make bench)
        result = diff_texts(upper, lower, time_budget=0.5)
    assert result.related
    assert result.summary.modified + result.summary.kept + result.summary.moved > 1000


def test_diff_spent_time_budget_gives_coarse_edits_and_a_warning() -> None:
    upper = plan("I. NỘI DUNG", *_near_identical(30, "A"))
    lower = plan("I. NỘI DUNG", *_near_identical(30, "B"))
    result = diff_texts(upper, lower, time_budget=0.0)
    assert any("time budget" in warning for warning in result.warnings)
    changed = [block for block in result.blocks if block.status == "modified"]
    assert changed
    assert all([edit.op for edit in block.edits] == ["replace"] for block in changed)


def test_diff_too_many_paragraph_pairs_use_the_coarse_alignment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    align_module = importlib.import_module("extractor.diff.align")
    monkeypatch.setattr(align_module, "MAX_PAIRS", 100)
    upper = plan("I. NỘI DUNG", *_near_identical(20, "A"))
    lower = plan("I. NỘI DUNG", *_near_identical(20, "A")[:15], "Một đoạn mới hoàn toàn.")
    result = diff_texts(upper, lower)
    assert any("coarse alignment" in warning for warning in result.warnings)
    assert result.summary.kept == 16
    assert result.summary.dropped == 5
    assert result.summary.added == 1


def test_diff_huge_single_paragraph_falls_back_to_one_replacement() -> None:
    words_u = ("cán bộ đảng viên học tập " * 3000).split()
    words_l = ("đảng viên cán bộ quán triệt " * 3000).split()
    tokens_u, tokens_l = tokenize(" ".join(words_u)), tokenize(" ".join(words_l))
    assert len(tokens_u) * len(tokens_l) > COARSE_MAX
    edits, _ = block_edits(
        " ".join(words_u), " ".join(words_l), tokens_u, tokens_l, upper_start=0, lower_start=0
    )
    assert [edit.op for edit in edits] == ["replace"]


# --- command line ---------------------------------------------------------------------


def test_diff_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(UPPER), str(LOWER), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["related"] is True
    assert data["upper"]["path"].endswith("001_533e6cb4db5af385.txt")


def test_diff_cli_text_starts_with_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(UPPER), str(OTHER)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("upper: ")
    summary, _, blocks = out.partition("changed blocks")
    assert "blocks" in summary
    assert "lower cites upper" in summary
    assert "MODIFIED" in blocks
    assert "\x1b[" not in out  # not a terminal: plain text
    assert "[-" in out
    assert "{+" in out


def test_diff_cli_html_and_format_from_extension(tmp_path: Path) -> None:
    html_out, json_out = tmp_path / "diff.html", tmp_path / "diff.json"
    assert main(["diff", str(UPPER), str(LOWER), "--format", "html", "-o", str(html_out)]) == 0
    assert html_out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert main(["diff", str(UPPER), str(LOWER), "-o", str(json_out)]) == 0
    assert json.loads(json_out.read_text(encoding="utf-8"))["schema_version"] == "1"


def test_diff_cli_bad_inputs_are_typed_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello", encoding="utf-8")
    assert main(["diff", str(note), str(LOWER)]) == 1
    assert "not_a_directive" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "missing.txt"), str(LOWER)]) == 1
    assert "No such file" in capsys.readouterr().err


def test_diff_api_raises_typed_errors() -> None:
    with pytest.raises(NotADirective):
        diff("hello", LOWER)
