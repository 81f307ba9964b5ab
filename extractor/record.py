"""The record: one per document, the JSON contract of SPEC "The record".

Every field is present; unknown values are ``None`` or ``[]``. The JSON
Schema published by ``vanban schema`` is generated from these models, and a
test checks the committed copy (``extractor/data/record.schema.json``).

>>> record = Record(source=SourceInfo(path=None, sha256="0" * 64, format="txt"))
>>> record.to_dict()["number"], record.to_dict()["themes"]
(None, [])
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = "1"

Level = Literal["central", "province", "district", "commune", "branch"]
Relation = Literal["implements", "mentions"]
Slot = Literal[
    "purpose",
    "requirements",
    "content",
    "audience",
    "forms",
    "time",
    "reporting",
    "implementation",
    "recipients",
    "other",
]
Span = tuple[int, int]


class _Model(BaseModel):
    # Every field is always written, so the published schema marks them all required.
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_serialization_defaults_required=True
    )


class SourceInfo(_Model):
    """Where the record came from."""

    path: str | None = Field(description="the input path as given, null for in-memory input")
    sha256: str = Field(description="sha256 of the input bytes")
    format: Literal["txt", "docx", "pdf"]
    pages: int | None = Field(default=None, description="page count of paged formats")


class Period(_Model):
    """The campaign's overall time window (ISO dates, possibly partial)."""

    start: str | None = None
    end: str | None = None


class Deadline(_Model):
    """A dated obligation: report by, finish by, hold before."""

    date: str = Field(description="ISO date, or partial YYYY-MM / YYYY")
    action: str | None = Field(default=None, description="what must be done by then")
    text: str = Field(description="the clause as printed")


class Recipient(_Model):
    """One line of the "Nơi nhận" list."""

    name: str
    purpose: str | None = Field(default=None, description="báo cáo, thực hiện, biết…")


class Signer(_Model):
    """The signature block."""

    authority: str | None = Field(default=None, description="T/M BAN THƯỜNG VỤ, KT. BỘ TRƯỞNG…")
    position: str | None = Field(default=None, description="PHÓ BÍ THƯ, THỨ TRƯỞNG…")
    name: str | None = None


class Reference(_Model):
    """A cited document."""

    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    relation: Relation = Field(
        description="implements: the document carries it out or is based on it"
    )


class SectionInfo(_Model):
    """A numbered section of the body and its slot."""

    id: str
    heading: str | None
    slot: Slot | None
    start: int
    end: int


class Conformance(_Model):
    """Which mandatory format parts are present (36-HD/VPTW, 30/2020/NĐ-CP)."""

    style: Literal["party", "state"] | None = None
    present: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class Record(_Model):
    """The structured record of one directive document."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    source: SourceInfo
    doc_type: str | None = None
    doc_type_code: str | None = None
    number: str | None = None
    issuing_body: str | None = None
    issuing_body_parent: str | None = None
    level: Level | None = None
    place: str | None = None
    date: str | None = Field(default=None, description="ISO date, or partial YYYY-MM / YYYY")
    title: str | None = None
    themes: list[str] = Field(default_factory=list)
    audience: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list)
    period: Period | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    signer: Signer | None = None
    references: list[Reference] = Field(default_factory=list)
    sections: list[SectionInfo] = Field(default_factory=list)
    spans: dict[str, list[Span]] = Field(
        default_factory=dict,
        description="offsets into the normalized text for each field; list fields "
        "have one span per item, in order",
    )
    conformance: Conformance = Field(default_factory=Conformance)
    warnings: list[str] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data."""
        return self.model_dump(mode="json")

    def to_json(self, *, pretty: bool = False) -> str:
        """The record as one JSON document (one line unless ``pretty``)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2 if pretty else None)


def record_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Record`."""
    schema = Record.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://vanban.invalid/record/v{SCHEMA_VERSION}.json"
    return schema
