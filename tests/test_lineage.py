"""Lineage: the citation graph, collisions, external nodes, campaigns, parents, CLI.

The gold edges (``tests/golden/lineage/edges.json``) were written by hand from
the texts of the samples and of ``../shared/corpus``; the graph built from the
extracted records must find them with precision and recall of at least 0.9.
The archive is extracted once per test session (:func:`archive`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.cli import main
from extractor.lineage import build_graph, find_parent, load_archive
from extractor.lineage.campaign import is_legal_basis
from extractor.lineage.model import Graph
from extractor.lineage.resolve import places
from tests.conftest import GOLDEN, ROOT, SAMPLES

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = GOLDEN / "lineage" / "edges.json"
MIN_PRECISION = MIN_RECALL = 0.9


# --- the archive: samples + corpus, extracted once ------------------------------------


# Without ../shared/corpus (a clean clone elsewhere), the archive is rebuilt from
# the in-repo copies: annotations/texts/ holds the annotated corpus texts as
# docs-NNN.txt / vbpl-doc_NNNNNN.txt, and tests/golden/lineage/texts/ the three
# gold-edge documents that were never annotated.
COPIES = (ROOT / "annotations" / "texts", GOLDEN / "lineage" / "texts")


def archive_id(path: str) -> str:
    """A record's path as the gold file names it: ``samples/…`` or ``corpus/…``."""
    resolved = Path(path).resolve()
    for root, prefix in ((CORPUS.resolve(), "corpus"), (SAMPLES.resolve(), "samples")):
        if resolved.is_relative_to(root):
            return f"{prefix}/{resolved.relative_to(root).as_posix()}"
    if any(resolved.is_relative_to(root.resolve()) for root in COPIES):
        kind, _, name = resolved.name.partition("-")
        return f"corpus/docs/{name}" if kind == "docs" else f"corpus/vbpl/docs/{name}"
    return path


def corpus_doc(number: str) -> Path:
    """``docs/<number>.txt`` of the corpus, or its in-repo copy."""
    original = CORPUS / "docs" / f"{number}.txt"
    return original if original.is_file() else COPIES[0] / f"docs-{number}.txt"


@functools.cache
def archive() -> tuple[dict[str, Any], ...]:
    """The records of samples/*.txt and the corpus texts (or their in-repo copies)."""
    roots = [CORPUS] if CORPUS.is_dir() else list(COPIES)
    # annotations/texts also holds copies of the samples (sample-*.txt): not twice.
    loaded = load_archive([str(SAMPLES), *map(str, roots)], include=["*.txt"], exclude=["sample-*"])
    assert loaded.errors == []
    return tuple(loaded.records)


@functools.cache
def archive_graph() -> Graph:
    return build_graph(archive())


def gold_edges() -> dict[tuple[str, str], str]:
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    return {(edge["from"], edge["to"]): edge["relation"] for edge in data["edges"]}


def found_edges(graph: Graph) -> dict[tuple[str, str], str]:
    found = {}
    for edge in graph.edges:
        child, parent = graph.node(edge.source), graph.node(edge.target)
        if not parent.external:
            found[(archive_id(str(child.path)), archive_id(str(parent.path)))] = edge.relation
    return found


def test_lineage_gold_edges_found_with_precision_and_recall() -> None:
    gold, found = gold_edges(), found_edges(archive_graph())
    hits = set(gold) & set(found)
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(gold)
    assert precision >= MIN_PRECISION, sorted(set(found) - set(gold))
    assert recall >= MIN_RECALL, sorted(set(gold) - set(found))


def test_lineage_gold_file_names_archive_documents() -> None:
    # A typo in the hand-written file would silently lower recall.
    present = {archive_id(str(path)) for root in COPIES for path in root.glob("*.txt")}
    for child, parent in gold_edges():
        for name in (child, parent):
            if name.startswith("corpus/"):
                assert name in present, f"{name} has no in-repo copy"
                if CORPUS.is_dir():
                    assert (CORPUS.parent / name).is_file(), name
            else:
                assert (ROOT / name).is_file(), name


def test_lineage_archive_chain_reaches_central_from_commune() -> None:
    # 027 (commune plan) → 038/039 (Hướng dẫn 33-HD/BTCTW) → 082 (Quy định 213-QĐ/TW).
    found = found_edges(archive_graph())
    assert ("corpus/docs/027.txt", "corpus/docs/038.txt") in found
    assert ("corpus/docs/038.txt", "corpus/docs/082.txt") in found


# --- collisions: the same number, told apart by date and issuer --------------------


def record(
    name: str,
    number: str | None,
    *,
    date: str | None = None,
    issuing_body: str | None = None,
    parent: str | None = None,
    level: str | None = None,
    references: tuple[dict[str, Any], ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """A record in the SPEC shape, with the fields lineage reads."""
    return {
        "source": {
            "path": f"{name}.txt",
            "sha256": sha256(name.encode()).hexdigest(),
            "format": "txt",
        },
        "number": number,
        "doc_type": fields.pop("doc_type", "Kế hoạch"),
        "issuing_body": issuing_body,
        "issuing_body_parent": parent,
        "level": level,
        "place": fields.pop("place", None),
        "date": date,
        "title": fields.pop("title", None),
        "themes": fields.pop("themes", []),
        "forms": fields.pop("forms", []),
        "period": fields.pop("period", {"start": None, "end": None}),
        "deadlines": fields.pop("deadlines", []),
        "references": list(references),
        "spans": {"references": [[10 * i, 10 * i + 8] for i in range(len(references))]},
    }


def cite(
    number: str,
    *,
    date: str | None = None,
    issuer: str | None = None,
    relation: str = "implements",
    doc_type: str | None = "Kế hoạch",
) -> dict[str, Any]:
    return {
        "number": number,
        "date": date,
        "issuer": issuer,
        "doc_type": doc_type,
        "relation": relation,
    }


DAI_TU = record(
    "daitu", "31-KH/HU", date="2022-03-02", issuing_body="Ban Thường vụ Huyện ủy Đại Từ"
)
PHU_LUONG = record(
    "phuluong", "31-KH/HU", date="2022-05-10", issuing_body="Ban Thường vụ Huyện ủy Phú Lương"
)
PHU_LUONG_SAME_DAY = record(
    "phuluong2", "31-KH/HU", date="2022-03-02", issuing_body="Ban Thường vụ Huyện ủy Phú Lương"
)
OLD_DAI_TU = record(
    "olddaitu", "31-KH/HU", date="2017-01-05", issuing_body="Ban Thường vụ Huyện ủy Đại Từ"
)
REPOST = record("repost", "31-KH/HU", date=None, issuing_body=None)
# A machine-spun repost: "Đại Từ" in the place line became "thủ đô".
SPUN = record("spun", "31-KH/HU", date="2022-03-02", issuing_body="Huyện ủy", place="thủ đô")

# fmt: off
COLLISIONS = [
    # (case, candidates, the citation, the citing document's issuer/parent/date, expected targets)
    ("issuer's district tells", [DAI_TU, PHU_LUONG_SAME_DAY],
     cite("31-KH/HU", issuer="Huyện ủy Đại Từ"), ("Đảng ủy xã La Bằng", None, "2022-06-01"),
     ["daitu"]),
    ("date tells", [DAI_TU, PHU_LUONG],
     cite("31-KH/HU", date="2022-05-10"), ("Đảng ủy xã X", None, "2022-06-01"),
     ["phuluong"]),
    ("citing commune's district tells", [DAI_TU, PHU_LUONG_SAME_DAY],
     cite("31-KH/HU", issuer="Huyện ủy"), ("Đảng ủy xã Yên Lạc", "Đảng bộ huyện Phú Lương",
                                           "2022-06-01"),
     ["phuluong2"]),
    ("a later term's plan is not the parent", [DAI_TU, OLD_DAI_TU],
     cite("31-KH/HU"), ("Đảng ủy xã La Bằng", "Đảng bộ huyện Đại Từ", "2018-02-01"),
     ["olddaitu"]),
    ("date contradicts the only candidate", [DAI_TU],
     cite("31-KH/HU", date="2020-11-02"), ("Đảng ủy xã X", None, "2022-06-01"),
     []),
    ("issuer's district contradicts the only candidate", [DAI_TU],
     cite("31-KH/HU", issuer="Huyện ủy Phú Lương"), ("Đảng ủy xã X", None, "2022-06-01"),
     []),
    ("a repost without date is a copy", [DAI_TU, REPOST],
     cite("31-KH/HU", date="2022-03-02"), ("Đảng ủy xã X", None, "2022-06-01"),
     ["daitu", "repost"]),
    ("a spun repost's place line does not rule it out", [DAI_TU, SPUN],
     cite("31-KH/HU", date="2022-03-02", issuer="Huyện ủy Đại Từ"), ("Đảng ủy xã X", None,
                                                                      "2022-06-01"),
     ["daitu", "spun"]),
    ("nothing tells them apart: both, flagged", [DAI_TU, PHU_LUONG_SAME_DAY],
     cite("31-KH/HU", date="2022-03-02"), ("Đảng ủy xã X", None, "2022-06-01"),
     ["daitu", "phuluong2"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("candidates", "citation", "citing", "expected"),
    [case[1:] for case in COLLISIONS],
    ids=[case[0] for case in COLLISIONS],
)
def test_lineage_collisions_resolved_by_date_and_issuer(
    candidates: list[dict[str, Any]],
    citation: dict[str, Any],
    citing: tuple[str, str | None, str],
    expected: list[str],
) -> None:
    issuer, parent, date = citing
    child = record(
        "child", "09-KH/ĐU", date=date, issuing_body=issuer, parent=parent, references=(citation,)
    )
    graph = build_graph([*candidates, child])
    edges = graph.parents(graph.nodes[[n.path for n in graph.nodes].index("child.txt")].id)
    targets = sorted(str(graph.node(e.target).path).removesuffix(".txt") for e in edges)
    if expected:
        assert targets == expected
        assert all(edge.tied == len(expected) for edge in edges)
    else:
        assert len(edges) == 1
        assert graph.node(edges[0].target).external


def test_lineage_locality_pattern_matches_its_examples() -> None:
    from extractor.data import load

    entry = load("lineage")["locality"]
    for example in entry["examples"]:
        assert places(example), example
    for counter in entry["counter_examples"]:
        assert not places(counter), counter
    basis = load("lineage")["legal_basis"]
    assert all(is_legal_basis(example) for example in basis["examples"])
    assert not any(is_legal_basis(counter) for counter in basis["counter_examples"])


# --- external nodes ------------------------------------------------------------------


def test_lineage_unresolved_references_become_external_nodes() -> None:
    child = record(
        "child",
        "60-KH/ĐUK",
        date="2022-04-18",
        references=(
            cite("40-HD/BTGTU", date="2022-03-09", issuer="Ban Tuyên giáo Tỉnh ủy",
                 doc_type="Hướng dẫn"),
            cite("21-KL/TW", issuer="Ban Chấp hành Trung ương", relation="mentions",
                 doc_type="Kết luận"),
        ),
    )  # fmt: skip
    graph = build_graph([child])
    external = graph.node("ext:40-hd/btgtu").to_dict()
    assert external == {
        "id": "ext:40-hd/btgtu",
        "path": None,
        "external": True,
        "number": "40-HD/BTGTU",
        "doc_type": "Hướng dẫn",
        "issuing_body": "Ban Tuyên giáo Tỉnh ủy",
        "date": "2022-03-09",
        "level": "province",
        "title": None,
        "themes": [],
    }
    assert graph.node("ext:21-kl/tw").level == "central"
    relations = {edge.target: edge.relation for edge in graph.edges}
    assert relations == {"ext:40-hd/btgtu": "implements", "ext:21-kl/tw": "mentions"}


def test_lineage_external_number_of_two_districts_is_two_nodes() -> None:
    first = record("a", "1-KH/ĐU", references=(cite("31-KH/HU", issuer="Huyện ủy Đại Từ"),))
    second = record("b", "2-KH/ĐU", references=(cite("31-KH/HU", issuer="Huyện ủy Phú Lương"),))
    third = record("c", "3-KH/ĐU", references=(cite("31-KH/HU", issuer="Huyện ủy Đại Từ"),))
    graph = build_graph([first, second, third])
    targets = [edge.target for edge in graph.edges]
    assert targets == ["ext:31-kh/hu", "ext:31-kh/hu~2", "ext:31-kh/hu"]


def test_lineage_blank_and_own_numbers_name_no_document() -> None:
    drafts = [record(name, "/KH-UBND") for name in ("d1", "d2")]
    citing = record("c", "5/KH-UBND", references=(cite("/KH-UBND"),))
    graph = build_graph([*drafts, citing])
    assert graph.edges == ()


# --- the JSON ------------------------------------------------------------------------


def test_lineage_json_shape_and_span_point_at_the_citation() -> None:
    graph = archive_graph()
    data = json.loads(json.dumps(graph.to_dict(), ensure_ascii=False))
    assert set(data) == {"schema_version", "nodes", "edges", "campaigns"}
    ids = [node["id"] for node in data["nodes"]]
    assert len(ids) == len(set(ids))
    node_keys = {"id", "path", "number", "doc_type", "issuing_body", "date", "level"}
    assert all(node_keys <= set(node) for node in data["nodes"])
    assert all(node["id"].startswith("ext:") == (node["path"] is None) for node in data["nodes"])
    by_id = {node["id"]: node for node in data["nodes"]}
    texts: dict[str, str] = {}
    for edge in data["edges"]:
        assert {"from", "to", "relation", "span"} <= set(edge)
        assert edge["relation"] in ("implements", "mentions")
        child = by_id[edge["from"]]
        assert child["path"] is not None
        assert edge["to"] in by_id
        if child["path"] not in texts:
            from extractor.readers import read

            texts[child["path"]] = read(child["path"]).normalized
        start, end = edge["span"]
        printed = "".join(texts[child["path"]][start:end].split())
        assert printed.casefold() == "".join(edge["cited_as"].split()).casefold()


@given(st.permutations(range(5)))
def test_lineage_graph_does_not_depend_on_input_order(order: list[int]) -> None:
    records = [
        DAI_TU,
        PHU_LUONG,
        REPOST,
        record("c1", "1-KH/ĐU", date="2022-06-01", references=(cite("31-KH/HU"),)),
        record("c2", "2-KH/ĐU", references=(cite("31-KH/HU", issuer="Huyện ủy Phú Lương"),)),
    ]
    shuffled = [records[i] for i in order]
    assert build_graph(shuffled).to_dict() == build_graph(records).to_dict()


# --- campaigns -----------------------------------------------------------------------


def test_lineage_campaign_compares_each_child_with_the_parent() -> None:
    parent = record(
        "tinh",
        "44-KH/TU",
        date="2022-03-01",
        level="province",
        themes=["Giữ trọn lời thề đảng viên"],
        forms=["Hội nghị", "Sinh hoạt chi bộ"],
        period={"start": "2022-03-01", "end": "2022-05-19"},
        deadlines=[{"date": "2022-06-15", "action": "báo cáo kết quả", "text": "…"}],
    )
    kept = record(
        "huyen1",
        "12-KH/HU",
        date="2022-03-20",
        level="district",
        themes=["Giữ trọn lời thề Đảng viên"],
        forms=["Hội nghị"],
        deadlines=[{"date": "2022-06-10", "action": "báo cáo", "text": "…"}],
        references=(cite("44-KH/TU", date="2022-03-01"),),
    )
    changed = record(
        "huyen2",
        "08-KH/HU",
        date="2022-03-25",
        level="district",
        themes=["Tự soi, tự sửa"],
        forms=["Sinh hoạt chi bộ", "Hội nghị"],
        period={"start": "2022-03-01", "end": "2022-05-19"},
        deadlines=[{"date": "2022-06-15", "action": "báo cáo tỉnh", "text": "…"}],
        references=(cite("44-KH/TU"),),
    )
    graph = build_graph([parent, kept, changed])
    (campaign,) = graph.campaigns
    data = campaign.to_dict()
    ids = {graph.node(c).path: c for c in campaign.children}
    one, two = ids["huyen1.txt"], ids["huyen2.txt"]
    fields = data["fields"]
    assert list(fields) == ["themes", "period", "deadlines", "forms"]
    assert fields["themes"]["children"][one]["status"] == "same"
    assert fields["themes"]["children"][two]["status"] == "changed"
    assert fields["period"]["children"][one]["status"] == "dropped"
    assert fields["period"]["children"][two]["status"] == "same"
    assert fields["deadlines"]["children"][one]["status"] == "changed"
    assert fields["deadlines"]["children"][two]["status"] == "same"
    assert fields["forms"]["children"][one] == {"value": ["Hội nghị"], "status": "changed"}
    assert fields["forms"]["children"][two]["status"] == "same"
    assert fields["period"]["parent"] == ["2022-03-01 → 2022-05-19"]
    assert graph.to_dict()["campaigns"] == [data]


def test_lineage_campaign_skips_laws_and_copies() -> None:
    law = cite("63/2025/QH15", doc_type="Luật")
    plan = cite("31-KH/HU")
    children = [
        record("k1", "1/QĐ-UBND", references=(law,)),
        record("k2", "2/QĐ-UBND", references=(law,)),
        # Two copies of one plan implementing 31-KH/HU are one implementer.
        record("k3", "5-KH/ĐU", date="2022-04-01", references=(plan,)),
        record("k4", "5-KH/ĐU", references=(plan,)),
    ]
    assert build_graph(children).campaigns == ()
    extra = record("k5", "6-KH/ĐU", references=(plan,))
    (campaign,) = build_graph([*children, extra]).campaigns
    assert campaign.parent == "ext:31-kh/hu"
    cells = campaign.to_dict()["fields"]["themes"]["children"].values()
    assert {cell["status"] for cell in cells} == {"absent"}


# --- find_parent ---------------------------------------------------------------------


def _by_path(records: tuple[dict[str, Any], ...]) -> Mapping[str, dict[str, Any]]:
    return {archive_id(r["source"]["path"]): r for r in records}


def test_lineage_find_parent_takes_the_nearest_cited_document() -> None:
    records = archive()
    lower = _by_path(records)["corpus/docs/027.txt"]
    found = find_parent(lower, records)
    # 027 cites both 33-HD/BTCTW and the 213-QĐ/TW it guides: the guidance is the parent.
    assert found.parent is not None
    assert archive_id(str(found.parent.path)) in ("corpus/docs/038.txt", "corpus/docs/039.txt")
    assert found.edge is not None
    assert found.edge.cited_as == "33-HD/BTCTW"
    assert "33-HD/BTCTW" in found.message()


def test_lineage_find_parent_lists_the_closest_candidates_when_none() -> None:
    records = archive()
    lower = _by_path(records)["samples/002_7956c4d43d58e490.txt"]
    found = find_parent(lower, records)
    assert found.parent is None
    assert "40-HD/BTGTU" in found.unresolved
    scores = [score for _, score in found.candidates]
    assert len(scores) == 5
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0
    # Party plans on the same campaign are closer than the state legal texts.
    assert not archive_id(str(found.candidates[0][0].path)).startswith("corpus/vbpl/")
    message = found.message()
    assert "no parent" in message
    assert "closest documents by content" in message


# --- the command line ----------------------------------------------------------------


def test_lineage_cli_json_from_documents_and_from_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [str(corpus_doc(n)) for n in ("082", "038", "027")]
    out = tmp_path / "graph.json"
    assert main(["lineage", *docs, "-o", str(out)]) == 0
    graph = json.loads(out.read_text(encoding="utf-8"))
    paths = {node["id"]: node["path"] for node in graph["nodes"]}
    inside = {
        (archive_id(paths[e["from"]]), archive_id(paths[e["to"]]))
        for e in graph["edges"]
        if paths[e["to"]]
    }
    assert inside == {
        ("corpus/docs/027.txt", "corpus/docs/038.txt"),
        ("corpus/docs/027.txt", "corpus/docs/082.txt"),
        ("corpus/docs/038.txt", "corpus/docs/082.txt"),
    }
    assert "3 document(s)" in capsys.readouterr().err

    records = tmp_path / "records.jsonl"
    assert main(["extract", *docs, "-o", str(records)]) == 0
    again = tmp_path / "again.json"
    assert main(["lineage", str(records), "-o", str(again)]) == 0
    assert json.loads(again.read_text(encoding="utf-8")) == graph


def test_lineage_cli_folder_input_bad_file_and_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "plan.txt").write_bytes((SAMPLES / "002_7956c4d43d58e490.txt").read_bytes())
    (folder / "empty.txt").write_text("   ", encoding="utf-8")
    assert main(["lineage", str(folder)]) == 1
    captured = capsys.readouterr()
    graph = json.loads(captured.out)
    assert [n["path"] for n in graph["nodes"] if not n["external"]] == [str(folder / "plan.txt")]
    assert "empty_document" in captured.err
    assert "1 input(s) failed" in captured.err


def test_lineage_cli_html_writes_the_view_and_the_diff_pages(tmp_path: Path) -> None:
    docs = [str(corpus_doc(n)) for n in ("074", "085")]
    out = tmp_path / "graph.html"
    assert main(["lineage", *docs, "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    diffs = sorted((tmp_path / "graph_diffs").glob("*.html"))
    assert len(diffs) == 1
    assert f'href="graph_diffs/{diffs[0].name}"' in page
    assert "Content-Security-Policy" in diffs[0].read_text(encoding="utf-8")
    assert main(["lineage", *docs, "-o", str(tmp_path / "bare.html"), "--no-diffs"]) == 0
    assert "graph_diffs" not in (tmp_path / "bare.html").read_text(encoding="utf-8")


NUMBERS = ["31-KH/HU", "44-KH/TU", "/KH-UBND", "01", "12/KH-UBND"]
ISSUERS = [None, "Huyện ủy Đại Từ", "Huyện ủy Phú Lương", "Tỉnh ủy", "UBND xã Dân Lực"]
DATES = [None, "2022", "2022-03", "2022-03-02", "2021-11-30"]


@st.composite
def archives(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(1, 6))
    pick = st.sampled_from
    return [
        record(
            f"r{index}",
            draw(pick([None, *NUMBERS])),
            date=draw(pick(DATES)),
            issuing_body=draw(pick(ISSUERS)),
            references=tuple(
                cite(draw(pick(NUMBERS)), date=draw(pick(DATES)), issuer=draw(pick(ISSUERS)))
                for _ in range(draw(st.integers(0, 3)))
            ),
        )
        for index in range(size)
    ]


@given(archives())
def test_lineage_every_citation_gives_an_edge_between_known_nodes(
    records: list[dict[str, Any]],
) -> None:
    graph = build_graph(records)
    ids = {node.id for node in graph.nodes}
    pairs = [(edge.source, edge.target) for edge in graph.edges]
    assert len(pairs) == len(set(pairs))
    for source, target in pairs:
        assert source in ids
        assert target in ids
        assert source != target
    for item in records:
        citing = next(n.id for n in graph.nodes if n.path == item["source"]["path"])
        # A blank number names nothing; "01" is a number with its type ("Kế hoạch số 01").
        named = {r["number"] for r in item["references"] if r["number"] != "/KH-UBND"}
        assert {edge.cited_as for edge in graph.parents(citing)} == named


def test_lineage_cli_diff_against_finds_the_parent_in_the_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    for name in ("085", "082", "045"):
        (archive_dir / f"{name}.txt").write_bytes(corpus_doc(name).read_bytes())
    out = tmp_path / "diff.json"
    lower = str(corpus_doc("074"))
    assert main(["diff", lower, "--against", str(archive_dir), "-o", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["upper"]["path"] == str(archive_dir / "085.txt")
    assert result["lower"]["number"] == "54/KH-UBND"
    assert result["lower_cites_upper"] is True
    assert "parent found" in capsys.readouterr().err


def test_lineage_cli_diff_against_without_parent_lists_candidates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lower = str(SAMPLES / "002_7956c4d43d58e490.txt")
    # The samples folder holds the lower itself and its docx/pdf copies: none is a parent.
    assert main(["diff", lower, "--against", str(SAMPLES), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no parent of Kế hoạch 60-KH/ĐUK" in captured.err
    assert "40-HD/BTGTU" in captured.err
    listed = [line.split()[-1] for line in captured.err.splitlines() if line.startswith("  0.")]
    assert len(listed) == 5
    assert not [path for path in listed if "002_" in path]


@pytest.mark.parametrize(
    "argv",
    [["diff", "a.txt"], ["diff", "a.txt", "b.txt", "--against", "archive"]],
    ids=["one document without --against", "two documents with --against"],
)
def test_lineage_cli_diff_against_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
