"""Annotation exchange (extractor.annotations): spans over the normalized text, round trips."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from extractor.annotations import (
    FIELD_LABELS,
    LABELS,
    LINE_LABELS,
    ROLES,
    AnnotatedDocument,
    AnnotationExchangeError,
    ExchangeFormat,
    ImportedDocument,
    apply_import,
    export_doccano,
    export_label_studio,
    find_fields,
    import_doccano,
    import_label_studio,
    iter_annotations,
    line_spans,
    load_annotation,
    parse_import,
    serialize_export,
)
from extractor.document import Document
from extractor.text.normalize import match_key, normalize
from tests.conftest import ANNOTATIONS

ANNOTATION_IDS = sorted(
    path.stem
    for path in ANNOTATIONS.glob("*.json")
    if (ANNOTATIONS / "texts" / f"{path.stem}.txt").exists()
)
# A few documents of each kind: a flattened portal page, a party plan with a
# signature, a legal document whose "____" lines vanish in normalization,
# one whose literal "\r\n" debris splits a raw line into several.
ROUND_TRIP_IDS = [
    "docs-001",
    "docs-074",
    "docs-080",
    "sample-002_7956c4d43d58e490",
    "vbpl-doc_000036",
    "vbpl-doc_000123",
]


@pytest.fixture(scope="session")
def annotated() -> dict[str, AnnotatedDocument]:
    return {doc.id: doc for doc in iter_annotations(ANNOTATIONS)}


def _copy(ids: list[str], target: Path) -> Path:
    folder = target / "annotations"
    (folder / "texts").mkdir(parents=True)
    for doc_id in ids:
        shutil.copy2(ANNOTATIONS / f"{doc_id}.json", folder / f"{doc_id}.json")
        shutil.copy2(ANNOTATIONS / "texts" / f"{doc_id}.txt", folder / "texts" / f"{doc_id}.txt")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def test_annotations_roles_are_those_of_the_guide() -> None:
    guide = (ANNOTATIONS / "GUIDE.md").read_text(encoding="utf-8")
    table = guide.split("## Line roles", 1)[1]
    declared: list[str] = []
    for cell in regex.findall(r"(?m)^\| ((?:`\w+`(?:, )?)+) \|", table):
        declared.extend(regex.findall(r"`(\w+)`", cell))
    assert tuple(declared) == ROLES
    assert set(LINE_LABELS) == {*ROLES, "body"}
    assert set(LABELS) == set(LINE_LABELS) | set(FIELD_LABELS)


def test_annotations_iter_skips_files_without_text(annotated: dict[str, AnnotatedDocument]) -> None:
    assert sorted(annotated) == ANNOTATION_IDS
    assert "sources" not in annotated
    assert "split" not in annotated


@pytest.mark.parametrize("doc_id", ANNOTATION_IDS)
def test_annotations_line_spans_are_the_normalized_lines(
    annotated: dict[str, AnnotatedDocument], doc_id: str
) -> None:
    doc = annotated[doc_id]
    text = doc.document.normalized
    spans = line_spans(doc)
    assert [text[start:end] for start, end, _ in spans] == [
        line for line in text.split("\n") if line.strip()
    ]
    for start, end, label in spans:
        assert 0 <= start < end <= len(text)
        assert start == 0 or text[start - 1] == "\n"
        assert end == len(text) or text[end] == "\n"
        assert label in LINE_LABELS
    # Every labelled raw line that survives normalization is a span with its role.
    raw_lines = doc.document.original.split("\n")
    for entry in doc.lines:
        visible = [line for line in normalize(raw_lines[entry.line - 1]).text.split("\n") if line]
        if visible:
            key = match_key(visible[0])[:20]
            assert any(
                role == entry.role and match_key(text[start:end]).startswith(key)
                for start, end, role in spans
            ), entry


@pytest.mark.parametrize("doc_id", ANNOTATION_IDS)
def test_annotations_field_spans_slice_to_their_value(
    annotated: dict[str, AnnotatedDocument], doc_id: str
) -> None:
    doc = annotated[doc_id]
    text = doc.document.normalized
    for match in find_fields(doc):
        assert match.label in FIELD_LABELS
        if match.start is None or match.end is None:
            assert match.how == "missing"
            continue
        piece = text[match.start : match.end]
        if match.how == "verbatim":
            assert piece == match.value
        elif match.how == "spaced":
            assert "".join(piece.split()) == "".join(match.value.split())
        elif match.how == "date":
            year, *rest = match.value.split("-")
            numbers = [int(n) for n in regex.findall(r"\d+", piece)]
            assert int(year) in numbers
            assert all(int(part) in numbers for part in rest)
        else:
            assert match_key(piece) == match_key(match.value)


def test_annotations_field_spans_find_most_values(annotated: dict[str, AnnotatedDocument]) -> None:
    found = total = 0
    for doc in annotated.values():
        for match in find_fields(doc):
            total += 1
            found += match.start is not None
    # A drop means the normalizer or the search changed; see find_fields.
    assert found / total > 0.95


def test_annotations_exports_carry_both_kinds_of_spans(
    annotated: dict[str, AnnotatedDocument],
) -> None:
    doc = annotated["sample-002_7956c4d43d58e490"]
    row = export_doccano([doc])[0]
    assert row["id"] == doc.id
    assert row["text"] == doc.document.normalized
    labels = {label for _, _, label in row["label"]}
    assert {"org", "heading", "body", "place", "date", "recipient", "reference"} <= labels
    task = export_label_studio([doc])[0]
    result = task["annotations"][0]["result"]
    assert len(result) == len(row["label"])
    for item, (start, end, label) in zip(result, row["label"], strict=True):
        assert item["value"] == {
            "start": start,
            "end": end,
            "text": doc.document.normalized[start:end],
            "labels": [label],
        }
        assert (item["from_name"], item["to_name"], item["type"]) == ("label", "text", "labels")


@pytest.mark.parametrize("fmt", ["doccano", "label-studio"])
def test_annotations_round_trip_is_byte_identical(tmp_path: Path, fmt: ExchangeFormat) -> None:
    folder = _copy(ROUND_TRIP_IDS, tmp_path)
    before = _snapshot(folder)
    docs = list(iter_annotations(folder))
    text = serialize_export(docs, format=fmt)
    result = apply_import(folder, parse_import(text, format=fmt))
    assert result.changed == ()
    assert result.warnings == ()
    assert len(result.unchanged) == len(ROUND_TRIP_IDS)
    assert _snapshot(folder) == before


@pytest.mark.slow
def test_annotations_round_trip_of_the_whole_corpus(tmp_path: Path) -> None:
    folder = _copy(ANNOTATION_IDS, tmp_path)
    before = _snapshot(folder)
    formats: tuple[ExchangeFormat, ...] = ("doccano", "label-studio")
    for fmt in formats:
        text = serialize_export(iter_annotations(folder), format=fmt)
        result = apply_import(folder, parse_import(text, format=fmt))
        assert (result.changed, result.warnings) == ((), ())
    assert _snapshot(folder) == before


def test_annotations_round_trip_matches_by_text_when_ids_are_lost(tmp_path: Path) -> None:
    folder = _copy(["docs-001"], tmp_path)
    before = _snapshot(folder)
    rows = export_doccano(iter_annotations(folder))
    rows[0]["id"] = 17  # doccano numbers the rows itself
    assert apply_import(folder, import_doccano(rows)).changed == ()
    assert _snapshot(folder) == before


def test_annotations_import_changes_only_line_roles(tmp_path: Path) -> None:
    folder = _copy(["docs-001"], tmp_path)
    doc = load_annotation(folder / "docs-001.json")
    original = json.loads((folder / "docs-001.json").read_text(encoding="utf-8"))
    text = doc.document.normalized
    spans = line_spans(doc)
    # Relabel the first body line as noise, the first heading as body, and
    # the doc_type line as a heading (which then needs a slot by hand).
    body = next(i for i, span in enumerate(spans) if span[2] == "body")
    heading = next(i for i, span in enumerate(spans) if span[2] == "heading")
    doc_type = next(i for i, span in enumerate(spans) if span[2] == "doc_type")
    edited = list(spans)
    edited[body] = (*spans[body][:2], "noise")
    edited[heading] = (*spans[heading][:2], "body")
    edited[doc_type] = (*spans[doc_type][:2], "heading")
    result = apply_import(folder, [ImportedDocument("docs-001", text, tuple(edited))])
    assert result.changed == (folder / "docs-001.json",)
    assert any("new heading" in warning for warning in result.warnings)
    raw = (folder / "docs-001.json").read_text(encoding="utf-8")
    updated = json.loads(raw)
    assert raw == json.dumps(updated, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert updated["record"] == original["record"]
    by_line = {entry["line"]: entry for entry in updated["lines"]}
    raw_lines = doc.document.original.split("\n")
    noise_line = next(
        number
        for number, line in enumerate(raw_lines, start=1)
        if line.strip() and line.strip() in text[spans[body][0] : spans[body][1]]
    )
    assert by_line[noise_line]["role"] == "noise"
    assert by_line[noise_line]["text"] == raw_lines[noise_line - 1].strip()[:40]
    old_heading = next(e for e in original["lines"] if e["role"] == "heading")
    assert old_heading["line"] not in by_line
    assert by_line[19]["role"] == "heading"  # the KẾ HOẠCH line
    assert "slot" not in by_line[19]


@pytest.mark.parametrize(
    ("spans", "text", "message"),
    [
        (((0, 4, "nonsense"),), None, "unknown label"),
        (((0, 10**6, "body"),), None, "outside the text"),
        ((), "another text", "not the normalized text"),
    ],
)
def test_annotations_import_refuses_what_it_cannot_apply(
    tmp_path: Path, spans: tuple[tuple[int, int, str], ...], text: str | None, message: str
) -> None:
    folder = _copy(["docs-001"], tmp_path)
    before = _snapshot(folder)
    with pytest.raises(AnnotationExchangeError, match=message):
        apply_import(folder, [ImportedDocument("docs-001", text, spans)])
    assert _snapshot(folder) == before


def test_annotations_import_refuses_unknown_documents(tmp_path: Path) -> None:
    folder = _copy(["docs-001"], tmp_path)
    with pytest.raises(AnnotationExchangeError, match="not an annotation"):
        apply_import(folder, [ImportedDocument("docs-999", "x", ())])


def test_annotations_import_reads_tool_variants() -> None:
    tasks = [
        {
            "data": {"id": "a", "text": "xy"},
            "annotations": [
                {"was_cancelled": True, "result": []},
                {
                    "result": [
                        {"type": "relation", "from_id": "1", "to_id": "2"},
                        {"type": "labels", "value": {"start": 0, "end": 2, "labels": ["org"]}},
                    ]
                },
            ],
        }
    ]
    assert import_label_studio(tasks) == [ImportedDocument("a", "xy", ((0, 2, "org"),))]
    rows = [
        {"id": 3, "text": "xy", "entities": [{"start_offset": 0, "end_offset": 1, "label": "org"}]}
    ]
    assert import_doccano(rows) == [ImportedDocument("3", "xy", ((0, 1, "org"),))]
    with pytest.raises(AnnotationExchangeError, match="invalid JSON"):
        parse_import("{not json", format="label-studio")
    with pytest.raises(AnnotationExchangeError, match="span"):
        import_doccano([{"id": "a", "label": [[0, "1", "org"]]}])


def test_annotations_whole_line_field_span_does_not_relabel_the_line(tmp_path: Path) -> None:
    doc = AnnotatedDocument.from_data(
        {"id": "x", "record": {}, "lines": []}, Document.from_text("Nguyễn Văn A")
    )
    folder = tmp_path / "annotations"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "x.txt").write_text("Nguyễn Văn A\n", encoding="utf-8")
    content = json.dumps({"id": "x", "lines": [], "record": {}}, indent=2, sort_keys=True) + "\n"
    (folder / "x.json").write_text(content, encoding="utf-8")
    spans = ((0, 12, "signer_name"), (0, 12, "body"))
    result = apply_import(folder, [ImportedDocument("x", doc.document.normalized, spans)])
    assert result.changed == ()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_annotations_cli_export_and_import_round_trip(tmp_path: Path) -> None:
    folder = _copy(ROUND_TRIP_IDS[:3], tmp_path)
    before = _snapshot(folder)
    out = tmp_path / "export.jsonl"
    result = _cli("annotations", "export", "--format", "doccano", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "exported 3 document(s)" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ROUND_TRIP_IDS[:3]
    result = _cli("annotations", "import", "--format", "doccano", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 annotation file(s) updated" in result.stderr
    assert _snapshot(folder) == before


def test_annotations_cli_label_studio_to_stdout(tmp_path: Path) -> None:
    folder = _copy(["docs-001"], tmp_path)
    result = _cli(
        "annotations", "export", "--format", "label-studio", "--dir", str(folder), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)
    assert tasks[0]["data"]["id"] == "docs-001"


def test_annotations_cli_errors_and_usage(tmp_path: Path) -> None:
    folder = _copy(["docs-001"], tmp_path)
    assert _cli("annotations", "export", cwd=tmp_path).returncode == 2  # --format missing
    assert _cli("annotations", cwd=tmp_path).returncode == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "docs-999", "text": "x", "label": []}\n', encoding="utf-8")
    result = _cli(
        "annotations", "import", "--format", "doccano", str(bad), "--dir", str(folder), cwd=tmp_path
    )
    assert result.returncode == 1
    assert "annotation_exchange" in result.stderr
    assert "Traceback" not in result.stderr
    result = _cli(
        "annotations",
        "export",
        "--format",
        "doccano",
        "--dir",
        str(tmp_path / "none"),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
