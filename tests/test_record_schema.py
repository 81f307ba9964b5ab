"""The published JSON Schema of the record is current and validates real records."""

from __future__ import annotations

import json
import os

from extractor.record import Record, SourceInfo, record_schema
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "extractor" / "data" / "record.schema.json"


def test_record_schema_committed_copy_is_current() -> None:
    generated = json.dumps(record_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("FIX_JSON"):
        SCHEMA_FILE.write_text(generated, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated, "run FIX_JSON=1 make test"


def test_record_schema_lists_every_spec_field() -> None:
    spec_fields = {
        "schema_version", "source", "doc_type", "doc_type_code", "number", "issuing_body",
        "issuing_body_parent", "level", "place", "date", "title", "themes", "audience", "forms",
        "period", "deadlines", "recipients", "signer", "references", "sections", "spans",
        "conformance", "warnings",
    }  # fmt: skip
    schema = record_schema()
    assert set(schema["properties"]) == spec_fields
    assert set(schema["required"]) == spec_fields  # every field is always present


def test_record_every_field_present_in_json() -> None:
    record = Record(source=SourceInfo(path=None, sha256="0" * 64, format="txt"))
    data = json.loads(record.to_json())
    assert set(data) == set(record_schema()["properties"])
    assert data["themes"] == []
    assert data["period"] is None
