"""The HTML diff report: structure, escaping, and behaviour in a real browser.

Reports are rendered from hand-made diff contracts (``make_diff`` builds them
from paragraphs and edit phrases, computing every offset the way the engine
does) and, when the engine is there, from a real sample pair. The browser tests
drive Debian's headless Chromium (/usr/bin/chromium, installed by
``scripts/ensure_chromium.sh`` when absent) over the DevTools protocol with a
small websocket client: no browser is downloaded. One Chromium serves the whole
module; each test opens its own tab.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.diff.html import render_html
from tests.browser import Tab
from tests.conftest import SAMPLES

PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{PAYLOAD_SCRIPT} {PAYLOAD_IMG}"


# --- the fixture builder: contract dicts from paragraphs -------------------------------


@dataclass
class Para:
    """One block of a hand-made diff: paragraphs on each side and the edited phrases.

    ``edits`` are ``(op, upper phrase, lower phrase, kind, note)``; the phrases are
    located in this block's texts (first occurrence) to get the absolute offsets.
    """

    status: str
    upper: str | None
    lower: str | None
    upper_section: str | None = None
    lower_section: str | None = None
    edits: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    similarity: float = 1.0


def _sides(paras: Sequence[Para], side: str) -> dict[int, tuple[int, str]]:
    """Absolute start of each paragraph of one side, as the documents concatenate them."""
    starts: dict[int, tuple[int, str]] = {}
    cursor = 40  # a header precedes the body, so offsets are not block-relative by accident
    for index, para in enumerate(paras):
        text = getattr(para, side)
        if text is None:
            continue
        starts[index] = (cursor, text)
        cursor += len(text) + 2
    return starts


def make_diff(
    paras: Sequence[Para],
    *,
    upper: dict[str, Any] | None = None,
    lower: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
    verdict: str = "The lower plan keeps 2 and adapts 3 of the upper's 6 blocks, adds 1, drops 1.",
    cites_via: Sequence[str] = ("44-KH/TU",),
    warnings: Sequence[str] = (),
) -> dict[str, Any]:
    uppers, lowers = _sides(paras, "upper"), _sides(paras, "lower")
    blocks = []
    for index, para in enumerate(paras):
        edits = []
        for op, up, low, kind, note in para.edits:
            upper_at = lower_at = None
            if op in ("delete", "replace"):
                start, text = uppers[index]
                upper_at = [start + text.index(up), start + text.index(up) + len(up)]
            if op in ("insert", "replace"):
                start, text = lowers[index]
                lower_at = [start + text.index(low), start + text.index(low) + len(low)]
            edits.append(
                {
                    "op": op,
                    "upper": up,
                    "lower": low,
                    "upper_at": upper_at,
                    "lower_at": lower_at,
                    "kind": kind,
                    "note": note,
                }
            )
        sides = {}
        for side, starts, section in (
            ("upper", uppers, para.upper_section),
            ("lower", lowers, para.lower_section),
        ):
            if index in starts:
                start, text = starts[index]
                sides[side] = {
                    "start": start,
                    "end": start + len(text),
                    "section": section,
                    "text": text,
                }
            else:
                sides[side] = None
        blocks.append(
            {"status": para.status, "similarity": para.similarity, **sides, "edits": edits}
        )
    counts = {
        status: sum(p.status == status for p in paras)
        for status in ("kept", "modified", "added", "dropped", "moved")
    }
    localisations = sum(
        e[3] in ("localisation", "date_shift", "citation") for p in paras for e in p.edits
    )
    return {
        "schema_version": "1",
        "upper": upper
        or {
            "path": "samples/001_533e6cb4db5af385.txt",
            "number": "44-KH/TU",
            "doc_type": "Kế hoạch",
            "issuing_body": "Ban Thường vụ Tỉnh ủy",
            "date": "2022-03-01",
            "title": "tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng",
        },
        "lower": lower
        or {
            "path": "samples/000_df7a9d44ea93c9c4.txt",
            "number": "12-HD/BTGHU",
            "doc_type": "Hướng dẫn",
            "issuing_body": "Ban Tuyên giáo Huyện ủy",
            "date": "2022-04-05",
            "title": "tổ chức đợt sinh hoạt chính trị về xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
        },
        "lower_cites_upper": True,
        "cites_via": list(cites_via),
        "related": True,
        "overlap": 0.62,
        "summary": {**counts, "localisations": localisations, "verdict": verdict},
        "blocks": blocks,
        "fields": fields if fields is not None else FIELDS,
        "warnings": list(warnings),
    }


FIELDS: dict[str, Any] = {
    "themes": {"upper": ["Tự soi, tự sửa"], "lower": ["Tự soi, tự sửa"], "status": "same"},
    "audience": {
        "upper": ["Cán bộ, đảng viên toàn tỉnh"],
        "lower": ["Cán bộ, đảng viên trên địa bàn huyện"],
        "status": "changed",
    },
    "forms": {
        "upper": ["Hội nghị kiểm điểm tự phê bình và phê bình"],
        "lower": ["Hội nghị kiểm điểm tự phê bình và phê bình", "Tọa đàm khoa học"],
        "status": "changed",
    },
    "period": {"upper": ["2022-04 → 2022-12"], "lower": [], "status": "dropped"},
    "deadlines": {
        "upper": ["15/6/2022: báo cáo"],
        "lower": ["10/6/2022: báo cáo"],
        "status": "changed",
        "shifts": [
            {
                "upper": "2022-06-15",
                "lower": "2022-06-10",
                "shown": "15/6/2022 → 10/6/2022",
                "action": "báo cáo",
            }
        ],
    },
    "recipients": {
        "upper": ["Ban Tuyên giáo Trung ương"],
        "lower": ["Ban Tuyên giáo Tỉnh ủy"],
        "status": "changed",
    },
    "references": {"upper": ["21-KL/TW"], "lower": ["44-KH/TU", "21-KL/TW"], "status": "changed"},
}

# fmt: off
PARAS = [
    Para("kept", "I. MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU", "I", "I"),
    Para("modified",
         "1. Cấp ủy các cấp trong toàn tỉnh xây dựng kế hoạch tổ chức đợt sinh hoạt chính trị với chủ đề “Tự soi, tự sửa”.",
         "1. Cấp ủy các tổ chức cơ sở đảng trên địa bàn toàn huyện xây dựng kế hoạch tổ chức đợt sinh hoạt chính trị với chủ đề “Tự soi, tự sửa”.",
         "I.1", "I.1",
         [("replace", "các cấp trong toàn tỉnh", "các tổ chức cơ sở đảng trên địa bàn toàn huyện", "localisation", "locality: toàn tỉnh → toàn huyện")],
         0.86),
    Para("dropped", "2. Ban Tuyên giáo Tỉnh ủy tổng hợp ý kiến của các huyện, thị, thành ủy.", None, "I.2", None, similarity=0.0),
    Para("modified",
         "3. Các cấp ủy báo cáo kết quả về Ban Thường vụ Tỉnh ủy trước ngày 15/6/2022.",
         "2. Các chi bộ, đảng bộ cơ sở báo cáo kết quả về Ban Thường vụ Huyện ủy trước ngày 10/6/2022 để tổng hợp.",
         "I.3", "I.2",
         [("replace", "Các cấp ủy", "Các chi bộ, đảng bộ cơ sở", "edit", ""),
          ("replace", "Tỉnh ủy", "Huyện ủy", "localisation", "issuing body: Tỉnh ủy → Huyện ủy"),
          ("replace", "15/6/2022", "10/6/2022", "date_shift", "deadline: 15/6/2022 → 10/6/2022"),
          ("insert", "", " để tổng hợp", "edit", "")],
         0.74),
    Para("added", None, "3. Giao Trung tâm Văn hóa thông tin và thể thao huyện tuyên truyền trên trang thông tin điện tử huyện.", None, "I.3", similarity=0.0),
    Para("moved", "II. NỘI DUNG SINH HOẠT", "II. NỘI DUNG SINH HOẠT", "III", "II", similarity=1.0),
    Para("modified",
         "Tổ chức hội nghị kiểm điểm tự phê bình và phê bình gắn với việc thực hiện Kết luận số 21-KL/TW.",
         "Tổ chức hội nghị kiểm điểm tự phê bình và phê bình gắn với việc thực hiện Kế hoạch số 44-KH/TU của Ban Thường vụ Tỉnh ủy.",
         "III.1", "II.1",
         [("replace", "Kết luận số 21-KL/TW", "Kế hoạch số 44-KH/TU của Ban Thường vụ Tỉnh ủy", "citation", "cites the upper plan instead of 21-KL/TW")],
         0.8),
    Para("kept", "III. TỔ CHỨC THỰC HIỆN\nCác cấp ủy căn cứ kế hoạch này triển khai thực hiện nghiêm túc, hiệu quả.\nTrong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo để được hướng dẫn.",
         "III. TỔ CHỨC THỰC HIỆN\nCác cấp ủy căn cứ kế hoạch này triển khai thực hiện nghiêm túc, hiệu quả.\nTrong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo để được hướng dẫn.", "IV", "III"),
]
# fmt: on


def _row_cells(page: str) -> list[tuple[str, str, str]]:
    """(status, upper cell, lower cell) of every row, from the rendered page."""
    rows = re.findall(
        r'<div class="row s-(\w+)[^"]*" id="b\d+" data-status="\w+">'
        r'(<div class="cell upper.*?</div>(?:</div>)?)<div class="mid">.*?</div>'
        r'(<div class="cell lower.*?(?:</div></div>|aria-hidden="true"></div>))</div>',
        page,
        flags=re.S,
    )
    return [(status, up, low) for status, up, low in rows]


class _Tags(HTMLParser):
    """Every start tag name, attribute name and attribute value of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.names_count: Counter[str] = Counter()
        self.attrs: set[str] = set()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.names_count[tag] += 1
        for name, value in attrs:
            self.attrs.add(name)
            self.values.append(value or "")


def _texts(page: str) -> list[str]:
    """Visible text of every block cell (tags dropped, entities decoded), in order."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", chunk))
        for chunk in re.findall(r'<div class="text">(.*?)</div>', page, flags=re.S)
    ]


# --- rendering, without a browser ----------------------------------------------------


def test_diff_html_one_row_per_block_with_empty_cells_for_added_and_dropped() -> None:
    page = render_html(make_diff(PARAS))
    rows = _row_cells(page)
    assert [status for status, _, _ in rows] == [para.status for para in PARAS]
    for (status, up, low), para in zip(rows, PARAS, strict=True):
        assert ("empty" in up.split(">", 1)[0]) is (para.upper is None), status
        assert ("empty" in low.split(">", 1)[0]) is (para.lower is None), status
    # Every block text is there, whole and in order, on its side.
    expected = [text for para in PARAS for text in (para.upper, para.lower) if text is not None]
    assert _texts(page) == expected


def test_diff_html_section_ids_and_similarity_shown_per_block() -> None:
    page = render_html(make_diff(PARAS))
    sections = re.findall(r'<span class="sec"[^>]*>§ ([^<]+)</span>', page)
    expected = [s for p in PARAS for s in (p.upper_section, p.lower_section) if s is not None]
    assert sections == expected
    assert '<span class="sim" title="similarity">86%</span>' in page


# fmt: off
EDIT_CASES = [
    # (op, upper phrase, lower phrase, kind, note, expected on the left, expected on the right)
    ("replace", "Tỉnh ủy", "Huyện ủy", "localisation", "issuing body: Tỉnh ủy → Huyện ủy",
     '<del class="op-replace k-localisation" title="issuing body: Tỉnh ủy → Huyện ủy">Tỉnh ủy</del>',
     '<ins class="op-replace k-localisation" title="issuing body: Tỉnh ủy → Huyện ủy">Huyện ủy</ins>'),
    ("delete", "trước ngày 15/6/2022", "", "edit", "",
     '<del class="op-delete k-edit" title="deleted: trước ngày 15/6/2022">trước ngày 15/6/2022</del>', None),
    ("insert", "", "cơ sở", "edit", "",
     None, '<ins class="op-insert k-edit" title="inserted: cơ sở">cơ sở</ins>'),
    ("replace", "15/6/2022", "10/6/2022", "date_shift", "",
     '<del class="op-replace k-date_shift" title="replaced: 15/6/2022 → 10/6/2022">15/6/2022</del>',
     '<ins class="op-replace k-date_shift" title="replaced: 15/6/2022 → 10/6/2022">10/6/2022</ins>'),
    ("replace", "Tỉnh ủy", "Huyện ủy", "no-such-kind", "x",
     '<del class="op-replace k-edit" title="x">Tỉnh ủy</del>', '<ins class="op-replace k-edit" title="x">Huyện ủy</ins>'),
]
# fmt: on


@pytest.mark.parametrize(("op", "up", "low", "kind", "note", "left", "right"), EDIT_CASES)
def test_diff_html_edits_wrap_the_words_at_their_offsets(
    op: str, up: str, low: str, kind: str, note: str, left: str | None, right: str | None
) -> None:
    para = Para(
        "modified",
        "Các cấp ủy báo cáo Ban Thường vụ Tỉnh ủy trước ngày 15/6/2022.",
        "Các cấp ủy cơ sở báo cáo Ban Thường vụ Huyện ủy trước ngày 10/6/2022.",
        "1",
        "1",
        [(op, up, low, kind, note)],
    )
    page = render_html(make_diff([para]))
    (_, up_cell, low_cell) = _row_cells(page)[0]
    assert (left in up_cell) if left else ("<del" not in up_cell)
    assert (right in low_cell) if right else ("<ins" not in low_cell)
    assert _texts(page) == [para.upper, para.lower]


BLOCK = {
    "status": "modified",
    "similarity": 0.5,
    "upper": {"start": 100, "end": 121, "section": "1", "text": "Ban Thường vụ Tỉnh ủy"},
    "lower": {"start": 10, "end": 32, "section": "1", "text": "Ban Thường vụ Huyện ủy"},
}

# fmt: off
BAD_EDITS = [
    ("out of range", {"op": "replace", "upper_at": [115, 125], "lower_at": [24, 40]}),
    ("before the block", {"op": "replace", "upper_at": [90, 104], "lower_at": [0, 14]}),
    ("reversed", {"op": "replace", "upper_at": [110, 104], "lower_at": [20, 14]}),
    ("empty span", {"op": "replace", "upper_at": [104, 104], "lower_at": [14, 14]}),
    ("null", {"op": "replace", "upper_at": None, "lower_at": None}),
    ("strings", {"op": "replace", "upper_at": ["104", "110"], "lower_at": ["14", "20"]}),
    ("booleans", {"op": "replace", "upper_at": [True, 110], "lower_at": [False, True]}),
    ("floats", {"op": "replace", "upper_at": [104.0, 110.0], "lower_at": [14.0, 20.0]}),
    ("one number", {"op": "replace", "upper_at": [104], "lower_at": 14}),
    ("unknown op", {"op": "<script>", "upper_at": [104, 110], "lower_at": [14, 20]}),
    ("not a dict", "replace 104 110"),
]
# fmt: on


@pytest.mark.parametrize(
    "edit", [case for _, case in BAD_EDITS], ids=[name for name, _ in BAD_EDITS]
)
def test_diff_html_malformed_offsets_fall_back_to_plain_text(edit: object) -> None:
    page = render_html({"blocks": [{**BLOCK, "edits": [edit]}]})
    assert "<del" not in page.split("<main", 1)[1]
    assert "<ins" not in page.split("<main", 1)[1]
    assert _texts(page) == [BLOCK["upper"]["text"], BLOCK["lower"]["text"]]  # type: ignore[index]


def test_diff_html_overlapping_edits_keep_the_first_and_all_the_text() -> None:
    edits = [
        {"op": "delete", "upper_at": [104, 112], "note": "first"},
        {"op": "delete", "upper_at": [108, 116], "note": "overlaps"},
        {"op": "delete", "upper_at": [116, 120], "note": "after"},
    ]
    page = render_html({"blocks": [{**BLOCK, "edits": edits}]})
    assert re.findall(r'<del [^>]*title="(\w+)"', page) == ["first", "after"]
    assert _texts(page)[0] == BLOCK["upper"]["text"]  # type: ignore[index]


def test_diff_html_block_without_start_shows_plain_text() -> None:
    block = {**BLOCK, "upper": {"text": "Tỉnh ủy"}, "edits": [{"op": "delete", "upper_at": [0, 3]}]}
    page = render_html({"blocks": [block]})
    assert "<del" not in page.split("<main", 1)[1]


@given(
    text=st.text(alphabet=st.sampled_from("ab <>&\"'đưệ\n"), max_size=30),
    start=st.integers(min_value=-5, max_value=200),
    spans=st.lists(
        st.tuples(
            st.sampled_from(["insert", "delete", "replace"]),
            st.integers(-10, 240),
            st.integers(-10, 240),
        ),
        max_size=6,
    ),
)
def test_diff_html_any_offsets_keep_the_text_whole(
    text: str, start: int, spans: list[tuple[str, int, int]]
) -> None:
    edits = [
        {"op": op, "upper_at": [a, b], "lower_at": [b, a + 3], "kind": "edit"} for op, a, b in spans
    ]
    side = {"start": start, "end": start + len(text), "section": None, "text": text}
    diff = {"blocks": [{"status": "modified", "upper": side, "lower": side, "edits": edits}]}
    page = render_html(diff)
    assert _texts(page) == [text, text]
    assert render_html(diff) == page


def _payload_diff() -> dict[str, Any]:
    paras = [
        Para(
            "modified",
            f"Các cấp ủy {PAYLOAD} báo cáo Tỉnh ủy.",
            f"Các chi bộ {PAYLOAD} báo cáo Huyện ủy.",
            PAYLOAD,
            "I.1",
            [
                ("replace", "Tỉnh ủy", "Huyện ủy", "localisation", f"note {PAYLOAD}"),
                ("replace", "Các cấp ủy", "Các chi bộ", "edit", ""),
            ],
            0.7,
        ),
        Para("added", None, f"Nội dung mới {PAYLOAD}", None, "I.2"),
        Para("dropped", PAYLOAD, None, "I.3", None),
    ]
    # The second edit has no note: its title is built from the edit strings.
    diff = make_diff(
        paras,
        upper={
            "path": f"/tmp/{PAYLOAD}.txt",
            "number": PAYLOAD,
            "doc_type": PAYLOAD,
            "issuing_body": PAYLOAD,
            "date": PAYLOAD,
            "title": PAYLOAD,
        },
        lower={
            "path": PAYLOAD,
            "number": f"12-KH/HU{PAYLOAD}",
            "doc_type": "Kế hoạch",
            "issuing_body": None,
            "date": None,
            "title": None,
        },
        fields={
            "themes": {"upper": [PAYLOAD], "lower": ["x"], "status": "changed"},
            PAYLOAD: {
                "upper": [{"name": PAYLOAD, "purpose": PAYLOAD}],
                "lower": PAYLOAD,
                "status": PAYLOAD,
            },
            "deadlines": {
                "upper": [],
                "lower": [],
                "status": "changed",
                "shifts": [{"shown": PAYLOAD, "action": PAYLOAD}],
            },
        },
        verdict=PAYLOAD,
        cites_via=[PAYLOAD],
        warnings=[PAYLOAD],
    )
    diff["blocks"][0]["edits"][1]["upper"] = PAYLOAD
    diff["blocks"][0]["edits"][1]["lower"] = PAYLOAD
    return diff


def test_diff_html_escapes_document_text_everywhere() -> None:
    page = render_html(_payload_diff())
    body = page.split("<body>", 1)[1]
    assert PAYLOAD_SCRIPT not in page
    assert "<img" not in page
    assert "onerror=alert" in page  # present, but only as inert escaped text
    assert "<script" not in body.rsplit("<script>", 1)[0]  # one script element: the report's own
    assert page.count("<script") == 1
    escaped = html.escape(PAYLOAD, quote=True)
    # block texts, section, notes/edit strings in titles, verdict, fields, paths, numbers, warnings
    assert page.count(escaped) >= 20
    # Parsed as a browser would: no element or attribute comes from the payload.
    tags = _Tags()
    tags.feed(page)
    assert tags.names.isdisjoint({"img", "iframe", "object", "embed", "link", "base", "form"})
    assert tags.names_count["script"] == 1
    assert not [attr for attr in tags.attrs if attr.startswith("on") or attr == "src"]
    # The payload's quote did not end any attribute early: where it is a value, it is whole.
    carried = [value for value in tags.values if "alert" in value]
    assert len(carried) >= 4
    assert all(PAYLOAD in value for value in carried), carried


def test_diff_html_is_self_contained_with_a_strict_csp() -> None:
    page = render_html(make_diff(PARAS))
    assert not re.search(r"\b(?:src|href|action|srcset)\s*=", page)
    assert "url(" not in page
    assert "@import" not in page
    assert not re.search(r"https?:|//[a-z]", page.replace("http-equiv", ""))
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.group(1).split(";") if part.strip()
    )
    assert policy["default-src"] == "'none'"
    for directive, tag in (("script-src", "script"), ("style-src", "style")):
        (source,) = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert policy[directive] == f"'sha256-{digest}'"
    assert '<meta charset="utf-8">' in page
    assert 'style="' not in page  # inline style attributes would need 'unsafe-hashes'


def test_diff_html_summary_counts_verdict_citation_and_fields() -> None:
    page = render_html(make_diff(PARAS))
    counts = dict(re.findall(r'data-jump="(\w+)"[^>]*><b>(\d+)</b>', page))
    assert counts == {"kept": "2", "modified": "3", "added": "1", "dropped": "1", "moved": "1"}
    assert "<b>4</b>localisations" in page
    assert "The lower plan keeps 2 and adapts 3" in page
    assert 'Lower cites upper: <span class="yes">yes</span> (via 44-KH/TU)' in page
    assert '<span class="shift" title="báo cáo">15/6/2022 → 10/6/2022</span>' in page
    fields = re.findall(r'<tr><th>(\w+)</th><td><span class="chip st-(\w+)">', page)
    assert fields == [
        ("Themes", "same"),
        ("Audience", "changed"),
        ("Forms", "changed"),
        ("Period", "dropped"),
        ("Deadlines", "changed"),
        ("Recipients", "changed"),
        ("References", "changed"),
    ]


def test_diff_html_summary_counts_blocks_when_the_summary_is_missing() -> None:
    diff = make_diff(PARAS)
    del diff["summary"]
    diff["lower_cites_upper"] = False
    diff["related"] = False
    page = render_html(diff)
    counts = dict(re.findall(r'data-jump="(\w+)"[^>]*><b>(\d+)</b>', page))
    assert counts == {"kept": "2", "modified": "3", "added": "1", "dropped": "1", "moved": "1"}
    assert 'Lower cites upper: <span class="no">no</span>' in page
    assert "share little text" in page


def test_diff_html_renders_iso_dates_and_record_items() -> None:
    fields = {
        "deadlines": {
            "upper": [{"date": "2022-06-15", "action": "báo cáo", "text": "…"}],
            "lower": [],
            "status": "dropped",
        },
        "period": {
            "upper": {"start": "2022-04", "end": "2022-12-31"},
            "lower": None,
            "status": "dropped",
        },
        "references": {
            "upper": [],
            "lower": [
                {
                    "doc_type": "Kế hoạch",
                    "number": "44-KH/TU",
                    "date": "2022-03-01",
                    "issuer": "Tỉnh ủy",
                    "relation": "implements",
                }
            ],
            "status": "added",
        },
        "recipients": {
            "upper": [{"name": "Lưu", "purpose": None}],
            "lower": [{"name": "Ban Tuyên giáo Tỉnh ủy", "purpose": "báo cáo"}],
            "status": "changed",
        },
    }
    page = render_html(make_diff(PARAS, fields=fields))
    for shown in (
        "15/6/2022: báo cáo",
        "4/2022 → 31/12/2022",
        "Kế hoạch 44-KH/TU (1/3/2022, Tỉnh ủy)",
        ">Lưu</span></li>",
        "Ban Tuyên giáo Tỉnh ủy (báo cáo)",
    ):
        assert shown in page, shown
    assert "Kế hoạch 44-KH/TU · " not in page


def test_diff_html_is_deterministic_and_survives_garbage() -> None:
    diff = make_diff(PARAS)
    assert render_html(diff) == render_html(json.loads(json.dumps(diff)))
    for garbage in (
        {},
        {"blocks": None, "fields": [], "summary": "x", "upper": 3},
        {"blocks": [None, 3, "x", {}]},
    ):
        page = render_html(garbage)
        assert page.startswith("<!DOCTYPE html>")
        assert page.endswith("</html>\n")


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("VANBAN_SCREENSHOT_DIR")
    if not configured:
        return tmp_path
    directory = Path(configured)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


ROW_BOXES = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height, right: r.right}; };
  return Array.from(document.querySelectorAll('.row')).map((row) => ({
    status: row.dataset.status,
    up: box(row.querySelector('.cell.upper')), low: box(row.querySelector('.cell.lower')),
    visible: row.offsetParent !== null,
  }));
})()"""

CURRENT = """(() => {
  const rows = Array.from(document.querySelectorAll('.row'));
  const current = document.querySelectorAll('.row.current');
  if (current.length !== 1) { return {count: current.length}; }
  const r = current[0].getBoundingClientRect();
  return {count: 1, index: rows.indexOf(current[0]), inView: r.bottom > 0 && r.top < window.innerHeight,
          counter: document.getElementById('nav-pos').textContent};
})()"""


def _check_page(tab: Tab, path: Path) -> None:
    url = tab.open(path)
    assert tab.eval("document.readyState") == "complete"
    assert tab.problems() == []
    assert tab.requests() == [url]
    assert tab.eval("performance.getEntriesByType('resource').length") == 0
    assert tab.eval("document.characterSet") == "UTF-8"


def _check_side_by_side(tab: Tab) -> None:
    rows = tab.eval(ROW_BOXES)
    assert rows
    both = [row for row in rows if row["up"]["h"] > 0 and row["status"] == "modified"]
    assert both, rows
    for row in both:
        up, low = row["up"], row["low"]
        assert min(up["w"], low["w"]) > 300, row
        assert min(up["h"], low["h"]) > 0, row
        assert up["right"] < low["x"], row  # upper on the left, lower on the right
        assert abs(up["y"] - low["y"]) < 1, row  # aligned on one row
        assert low["right"] <= 1280, row
    assert tab.eval("document.documentElement.scrollWidth") <= 1280  # no sideways scrolling


def test_diff_html_browser_loads_offline_side_by_side_and_navigates(
    tab: Tab, tmp_path: Path, screenshot_dir: Path
) -> None:
    report = tmp_path / "diff.html"
    report.write_text(render_html(make_diff(PARAS)), encoding="utf-8")
    _check_page(tab, report)
    _check_side_by_side(tab)
    assert "Ban Thường vụ Huyện ủy" in tab.eval("document.body.innerText")

    changes = [index for index, para in enumerate(PARAS) if para.status != "kept"]
    assert tab.eval(CURRENT) == {"count": 0}
    tab.click("#next-change")
    assert tab.eval(CURRENT) == {
        "count": 1,
        "index": changes[0],
        "inView": True,
        "counter": f"1 / {len(changes)}",
    }
    tab.click("#next-change")
    assert tab.eval(CURRENT)["index"] == changes[1]
    tab.press("n")
    tab.press("n")
    assert tab.eval(CURRENT)["index"] == changes[3]
    tab.press("p")
    assert tab.eval(CURRENT) == {
        "count": 1,
        "index": changes[2],
        "inView": True,
        "counter": f"3 / {len(changes)}",
    }

    # Kept blocks start folded; the filter hides them, and only them.
    folded = "Array.from(document.querySelectorAll('.row.folded')).map((row) => [row.id, row.getBoundingClientRect().height])"
    ((row_id, height),) = tab.eval(
        folded
    )  # the long kept block; the one-line heading has nothing to fold
    assert row_id == f"b{len(PARAS) - 1}"
    tab.click(f"#{row_id} .fold")
    assert tab.eval(folded) == []
    assert tab.eval(f"document.getElementById('{row_id}').getBoundingClientRect().height") > height
    assert all(row["visible"] for row in tab.eval(ROW_BOXES))
    tab.click("#hide-kept")
    assert [row["status"] for row in tab.eval(ROW_BOXES) if row["visible"]] == [
        p.status for p in PARAS if p.status != "kept"
    ]
    tab.press("h")
    assert all(row["visible"] for row in tab.eval(ROW_BOXES))
    full = "document.getElementById('fields').classList.contains('full-values')"
    assert tab.eval(full) is False
    tab.click("#full-values")
    assert tab.eval(full) is True
    assert tab.problems() == []
    tab.eval("window.scrollTo(0, 0)")
    tab.screenshot(screenshot_dir / "diff_screenshot_fixture.png")


def test_diff_html_browser_harness_sees_a_dialog(tab: Tab, tmp_path: Path) -> None:
    # Control for the escaping test below: an unescaped payload does open a dialog here.
    page = tmp_path / "raw.html"
    page.write_text(f"<!DOCTYPE html><title>raw</title><p>{PAYLOAD_SCRIPT}</p>", encoding="utf-8")
    tab.open(page)
    assert [event["message"] for event in tab.events("Page.javascriptDialogOpening")] == ["1"]


def test_diff_html_browser_shows_injected_markup_as_text(tab: Tab, tmp_path: Path) -> None:
    report = tmp_path / "hostile.html"
    report.write_text(render_html(_payload_diff()), encoding="utf-8")
    url = tab.open(report)
    assert tab.events("Page.javascriptDialogOpening") == []
    assert tab.eval("document.querySelectorAll('img').length") == 0
    assert tab.eval("document.scripts.length") == 1
    assert tab.eval("document.querySelectorAll('[onerror]').length") == 0
    text = tab.eval("document.body.innerText")
    assert text.count(PAYLOAD_SCRIPT) >= 5
    assert text.count(PAYLOAD_IMG) >= 5
    titles = tab.eval("Array.from(document.querySelectorAll('[title]')).map((el) => el.title)")
    assert f"note {PAYLOAD}" in titles
    assert f"replaced: {PAYLOAD} → {PAYLOAD}" in titles
    assert tab.eval("document.title").count(PAYLOAD_SCRIPT) == 2  # both numbers, literally
    assert tab.requests() == [url]
    assert tab.problems() == []


def test_diff_html_browser_blocks_a_script_that_slips_in(tab: Tab, tmp_path: Path) -> None:
    # Defence in depth: were escaping ever bypassed, the CSP still refuses the script and the fetch.
    page = render_html(make_diff(PARAS)).replace(
        "</main>",
        "<script>document.title = 'pwned'</script><img src=\"http://127.0.0.1:9/x.png\"></main>",
    )
    report = tmp_path / "tampered.html"
    report.write_text(page, encoding="utf-8")
    url = tab.open(report)
    assert tab.eval("document.title") != "pwned"
    assert tab.requests() == [url, "http://127.0.0.1:9/x.png"]
    assert tab.blocked() == ["http://127.0.0.1:9/x.png csp"]  # refused before it left the page
    assert any("Content Security Policy" in problem for problem in tab.problems())


@pytest.fixture(scope="module")
def sample_diff() -> dict[str, Any]:
    """The engine's diff of a real pair: province plan (upper) vs district guidance (lower)."""
    from extractor.diff import diff

    result: dict[str, Any] = diff(
        SAMPLES / "001_533e6cb4db5af385.txt", SAMPLES / "000_df7a9d44ea93c9c4.txt"
    ).to_dict()
    return result


def test_diff_html_sample_pair_renders_every_block(sample_diff: dict[str, Any]) -> None:
    diff = sample_diff
    page = render_html(diff)
    rows = _row_cells(page)
    assert [status for status, _, _ in rows] == [block["status"] for block in diff["blocks"]]
    expected = [
        block[side]["text"]
        for block in diff["blocks"]
        for side in ("upper", "lower")
        if block[side]
    ]
    assert _texts(page) == expected
    placed = len(re.findall(r"<(?:del|ins) class=", page.split("<main", 1)[1]))
    # Each non-empty span of an edit is drawn once, on its side (the contract's offsets are valid).
    wanted = sum(
        bool(edit[f"{side}_at"])
        and edit[f"{side}_at"][1] > edit[f"{side}_at"][0]
        and edit["op"] != skip
        for block in diff["blocks"]
        for edit in block["edits"]
        for side, skip in (("upper", "insert"), ("lower", "delete"))
    )
    assert placed == wanted


def test_diff_html_browser_sample_pair_screenshot(
    tab: Tab, tmp_path: Path, screenshot_dir: Path, sample_diff: dict[str, Any]
) -> None:
    report = tmp_path / "sample.html"
    report.write_text(render_html(sample_diff), encoding="utf-8")
    _check_page(tab, report)
    _check_side_by_side(tab)
    tab.click("#next-change")
    assert tab.eval(CURRENT)["inView"] is True
    tab.eval("window.scrollTo(0, 0)")
    tab.screenshot(screenshot_dir / "diff_screenshot.png", height=1600)
    assert (screenshot_dir / "diff_screenshot.png").read_bytes().startswith(b"\x89PNG")
    assert tab.problems() == []
