"""Builders of bad input files, made at test time (issue 7, "Bad input").

Nothing here is committed as a binary: every hostile file is built from a few
lines of code, so a reviewer can see exactly what each one is. The fuzz
targets (``fuzz/targets.py``) seed their corpora from :func:`small_cases`.

Each :class:`Case` names the file as it would sit in an archive (the
extension is often a lie on purpose) and the outcome the product owes it:
``"record"`` or the ``error.type`` of the typed error.
"""

from __future__ import annotations

import functools
import io
import json
import random
import signal
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GOOD = SAMPLES / "002_7956c4d43d58e490"

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError instead of hanging (SPEC: no hang), never a speed target."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True, slots=True)
class Case:
    """A hostile file: its name on disk, its bytes, and the outcome it must get."""

    name: str
    filename: str
    data: bytes
    expect: str


# --- well-formed containers, built by hand --------------------------------------


def make_docx(body_xml: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx whose body is ``body_xml`` (WordprocessingML, ``w:`` prefix)."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>{body_xml}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document.encode("utf-8"))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def paragraphs_xml(lines: list[str]) -> str:
    """One ``w:p`` per line."""
    return "".join(f"<w:p><w:r><w:t>{_xml_escape(line)}</w:t></w:r></w:p>" for line in lines)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_text_pdf(lines: list[str], *, pages: int = 1) -> bytes:
    """A small PDF with a real text layer (Helvetica, ASCII ``lines``), written by hand."""
    content = "BT /F1 12 Tf 72 770 Td " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -16 Td" for line in lines
    )
    stream = (content + " ET").encode("latin-1")
    kids = " ".join(f"{4 + 2 * index} 0 R" for index in range(pages))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index in range(pages):
        contents = 5 + 2 * index
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents "
            + str(contents).encode()
            + b" 0 R >>"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


# --- the hostile files ------------------------------------------------------------


def random_bytes(seed: int, size: int = 4096) -> bytes:
    """Deterministic noise: the same file on every run."""
    return random.Random(seed).randbytes(size)


def truncated_pdf() -> bytes:
    """The first third of a real PDF: a download cut short."""
    data = GOOD.with_suffix(".pdf").read_bytes()
    return data[: len(data) // 3]


def encrypted_pdf(*, user_password: str = "secret") -> bytes:
    """A text PDF locked with a user password (empty: an owner-only lock)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    reader = PdfReader(io.BytesIO(make_text_pdf(["KE HOACH", "So 12-KH/TU"])))
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan: every page one image XObject, no text at all."""
    from PIL import Image

    images = [Image.new("L", (300, 400), 255) for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real PNG image (what a scanner saves)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 30), 200).save(buffer, "PNG")
    return buffer.getvalue()


def legacy_doc() -> bytes:
    """The start of a Word 97-2003 .doc: an OLE2 compound file header."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3)
    return header + b"\xfe\xff" + b"\x00" * (512 - len(header) - 2)


def docx_zip_bomb(inflated: int = 64 * 1024 * 1024) -> bytes:
    """A .docx whose document part inflates ``inflated`` bytes of spaces from a few KB.

    Written in chunks so that building it never holds the inflated part.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        chunk = b" " * (1024 * 1024)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{_W_NS}"><w:body>'.encode())
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def zip_with_declared_size(declared: int) -> bytes:
    """A small valid .docx whose central directory claims ``declared`` bytes for its body.

    Nothing inflates that much: the sizes are a lie, and the limits must be
    judged on them before anything is inflated.
    """
    data = bytearray(make_docx(paragraphs_xml(["KẾ HOẠCH", "Số 12-KH/TU"])))
    name = b"word/document.xml"
    central = data.index(b"PK\x01\x02")
    # Walk the central directory to the entry of the document part.
    while True:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        extra_length, comment_length = struct.unpack_from("<HH", data, central + 30)
        if data[central + 46 : central + 46 + name_length] == name:
            break
        central += 46 + name_length + extra_length + comment_length
    struct.pack_into("<I", data, central + 24, min(declared, 0xFFFFFFFE))
    return bytes(data)


def zip_of_unknown_version() -> bytes:
    """A .docx whose central directory asks for zip version 13.3 to extract it."""
    data = bytearray(make_docx(paragraphs_xml(["KẾ HOẠCH"])))
    struct.pack_into("<H", data, data.index(b"PK\x01\x02") + 6, 133)
    return bytes(data)


def broken_pdf(
    page: bytes,
    *,
    contents: bytes = b"BT /F1 12 Tf 72 770 Td (KE HOACH) Tj ET",
    filter_: bytes = b"",
) -> bytes:
    """A one-page PDF whose page dictionary is ``page`` (refs: 2 parent, 3 font, 5 contents)."""
    return _pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            page,
            b"<< /Length "
            + str(len(contents)).encode()
            + (b" /Filter " + filter_ if filter_ else b"")
            + b" >>\nstream\n"
            + contents
            + b"\nendstream",
        ]
    )


def _deflated_blanks(size: int, fill: bytes = b" ") -> bytes:
    """``size`` bytes of ``fill`` deflated, built in chunks (never held inflated)."""
    compressor = zlib.compressobj(1)  # the fastest level: built on every test run
    chunk = fill * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, compressor.flush()])


def pdf_stream_bomb(inflated: int = 256 * 1024 * 1024) -> bytes:
    """A PDF whose one content stream inflates ``inflated`` bytes of blanks from ~250 KB."""
    return broken_pdf(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        contents=_deflated_blanks(inflated),
        filter_=b"/FlateDecode",
    )


def flate_blank_scan(inflated: int = 256 * 1024 * 1024) -> bytes:
    """A scan whose page image is deflated white: as large inflated as a bomb, but an image."""
    image = _deflated_blanks(inflated, b"\xff")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /XObject /Subtype /Image /Width 8192 /Height 10922 /ColorSpace /DeviceRGB"
        b" /BitsPerComponent 8 /Filter /FlateDecode /Length "
        + str(len(image)).encode()
        + b" >>\nstream\n"
        + image
        + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /XObject << /Im1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
    ]
    return _pdf_file(objects)


def unsafe_member_docx() -> bytes:
    """A .docx that also carries a member named to climb out of any folder it is unpacked in."""
    return make_docx(paragraphs_xml(["KẾ HOẠCH"]), extra={"../../evil.sh": b"rm -rf ~\n"})


def understated_docx(inflated: int = 8 * 1024 * 1024) -> bytes:
    """A .docx whose headers claim 1 KB for a body that inflates to ``inflated`` bytes.

    The reverse of :func:`zip_with_declared_size`: a check of declared sizes
    passes, so the reader must not trust them while inflating.
    """
    body = paragraphs_xml(["KẾ HOẠCH", "Số 12-KH/TU"]) + " " * inflated
    data = bytearray(make_docx(body))
    name = b"word/document.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_length = struct.unpack_from(
                "<H", data, start + 26 if name_at == 30 else start + 28
            )[0]
            if data[start + name_at : start + name_at + name_length] == name:
                struct.pack_into("<I", data, start + size_at, 1024)
            start += 4
    return bytes(data)


def nested_tables_docx(depth: int) -> bytes:
    """A .docx whose one table holds a table … ``depth`` levels down, text at the bottom."""
    inner = paragraphs_xml(["KẾ HOẠCH", "Số 12-KH/TU", "Hà Nội, ngày 5 tháng 3 năm 2024"])
    for level in range(depth):
        inner = (
            f"<w:tbl><w:tr><w:tc>{paragraphs_xml([f'tầng {level}'])}{inner}</w:tc>"
            f"<w:tc>{paragraphs_xml(['ô bên'])}</w:tc></w:tr></w:tbl><w:p/>"
        )
    return make_docx(inner)


def tcvn3_encode(text: str) -> bytes:
    """Encode ``text`` in TCVN3 (the .VnTime fonts), from the reader's own table."""
    data_file = Path(__file__).resolve().parent.parent / "extractor/data/legacy_encodings.json"
    table = json.loads(data_file.read_text(encoding="utf-8"))["tcvn3"]["bytes"]
    inverse = {char: int(byte, 16) for byte, char in table.items()}
    return bytes(
        ord(char) if ord(char) < 0x80 else inverse[char]
        for char in unicodedata.normalize("NFC", text)
    )


def mixed_encodings_txt() -> bytes:
    """The good sample in UTF-8 with its place-date line in TCVN3 and a Windows-1252 line.

    What a file looks like after lines were pasted in from old documents.
    """
    lines = GOOD.with_suffix(".txt").read_text(encoding="utf-8").split("\n")
    out: list[bytes] = []
    for line in lines:
        if line.startswith("Trà Vinh, ngày"):
            out.append(tcvn3_encode("Trà Vinh, ngày 12 tháng 5 năm 2021"))
        else:
            out.append(line.encode("utf-8"))
    out.insert(3, "Résumé café naïve".encode("cp1252"))
    return b"\n".join(out)


def nul_sprinkled_txt() -> bytes:
    """The good sample with NUL bytes after some line breaks (a damaged copy)."""
    return GOOD.with_suffix(".txt").read_bytes().replace(b"\n", b"\n\x00", 20)


def huge_single_line(size: int = 3_000_000) -> bytes:
    """A directive title followed by one line of ``size`` characters without a break."""
    words = "triển khai thực hiện nghị quyết "
    return ("KẾ HOẠCH\n" + words * (size // len(words))).encode("utf-8")


#: Near-matches of the patterns, repeated to about 1 MB: each must finish in
#: bounded time (no catastrophic backtracking). Name → repeated unit.
PATHOLOGICAL_UNITS: dict[str, str] = {
    "number_prefix": "Số 60-KH/",
    "dots": ".",
    "dashes": "-",
    "spaces": " ",
    "dot_leaders": ". . . ",
    "date_words": "ngày tháng năm ",
    "heading_markers": "I. 1. 1.1. a) ",
    "quotes": "“chủ đề ",
    "recipient_dashes": "- Nơi nhận: - ",
    "slashes": "/KH/",
}


def pathological_text(unit: str, size: int = 1_000_000) -> bytes:
    """``unit`` repeated to ``size`` characters after a directive's opening lines."""
    return ("KẾ HOẠCH\nvề việc thử\n" + unit * (size // len(unit))).encode("utf-8")


def nested_parentheses(depth: int = 100_000) -> bytes:
    """``depth`` open parentheses then as many closing ones."""
    return ("KẾ HOẠCH\n" + "(" * depth + "Số 12-KH/TU" + ")" * depth).encode("utf-8")


def write_big_text(path: Path, size: int = 50 * 1024 * 1024) -> Path:
    """Write ``size`` bytes of plain text to ``path`` in chunks (never held in memory)."""
    line = "Căn cứ Kế hoạch số 60-KH/ĐUK ngày 12 tháng 5 năm 2021 của Tỉnh ủy.\n".encode()
    chunk = line * (1024 * 1024 // len(line))
    with path.open("wb") as handle:
        written = 0
        while written < size:
            handle.write(chunk)
            written += len(chunk)
    return path


# --- the catalogue ----------------------------------------------------------------


def small_cases() -> dict[str, bytes]:
    """Name → bytes of every hostile file small enough to seed a fuzzer."""
    return {case.name: case.data for case in cases() if len(case.data) < 200_000}


@functools.cache
def cases() -> tuple[Case, ...]:
    """Every hostile file of the suite with the outcome it must get.

    The 50 MB file is not here: it is written to disk by the test that needs
    it (:func:`write_big_text`).
    """
    good_docx = GOOD.with_suffix(".docx").read_bytes()
    # fmt: off
    table = [
        Case("empty", "empty.txt", b"", "empty_document"),
        Case("whitespace", "blank.md", b"  \n\t \r\n \xc2\xa0 \n", "empty_document"),
        Case("nul_bytes", "nul.txt", b"\x00" * 4096, "undecodable_text"),
        Case("nul_sprinkled", "damaged.txt", nul_sprinkled_txt(), "record"),
        Case("random_txt", "noise.txt", random_bytes(1), "undecodable_text"),
        Case("random_md", "noise.md", random_bytes(2), "undecodable_text"),
        Case("random_docx", "noise.docx", random_bytes(3), "undecodable_text"),
        Case("random_pdf", "noise.pdf", random_bytes(4), "undecodable_text"),
        Case("pdf_magic_then_noise", "noise2.pdf", b"%PDF-1.7\n" + random_bytes(5), "corrupt_file"),
        Case("zip_magic_then_noise", "noise2.docx", b"PK\x03\x04" + random_bytes(6), "corrupt_file"),
        Case("truncated_pdf", "cut.pdf", truncated_pdf(), "corrupt_file"),
        Case("truncated_docx", "cut.docx", good_docx[: len(good_docx) // 2], "corrupt_file"),
        Case("encrypted_pdf", "locked.pdf", encrypted_pdf(), "encrypted_pdf"),
        Case("image_only_pdf", "scan.pdf", image_only_pdf(), "no_text_layer"),
        Case("png_named_pdf", "scan2.pdf", png_bytes(), "unsupported_format"),
        Case("docx_named_txt", "plan.txt", good_docx, "record"),
        Case("legacy_doc", "old.doc", legacy_doc(), "unsupported_format"),
        Case("legacy_doc_named_docx", "old.docx", legacy_doc(), "unsupported_format"),
        Case("docx_zip_bomb", "bomb.docx", docx_zip_bomb(), "decompression_bomb"),
        Case("zip_declared_4gb", "liar.docx", zip_with_declared_size(4 * 1024**3), "decompression_bomb"),
        Case("zip_member_climbs_out", "slip.docx", unsafe_member_docx(), "unsafe_path"),
        Case("zip_understated_size", "understated.docx", understated_docx(), "corrupt_file"),
        Case("pdf_stream_bomb", "bomb.pdf", pdf_stream_bomb(), "decompression_bomb"),
        Case("pdf_flate_blank_scan", "whitescan.pdf", flate_blank_scan(), "no_text_layer"),
        Case("pdf_over_page_limit", "long.pdf", make_text_pdf(["KE HOACH"], pages=501), "too_large"),
        Case("pdf_owner_password_only", "owner.pdf", encrypted_pdf(user_password=""), "record"),
        Case("nested_tables_40", "nested.docx", nested_tables_docx(40), "record"),
        Case("nested_tables_400", "nested_deep.docx", nested_tables_docx(400), "corrupt_file"),
        Case("mixed_encodings", "mixed.txt", mixed_encodings_txt(), "record"),
        Case("huge_single_line", "oneline.txt", huge_single_line(), "record"),
        Case("nested_parentheses", "parens.txt", nested_parentheses(), "record"),
    ]
    # fmt: on
    table.extend(
        Case(f"pathological_{name}", f"{name}.txt", pathological_text(unit), "record")
        for name, unit in PATHOLOGICAL_UNITS.items()
    )
    return tuple(table)


def docx_with_footnotes(footnotes_xml: str, body_xml: str) -> bytes:
    """A .docx with a footnotes part (``footnotes_xml`` verbatim, DOCTYPE and all)."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/footnotes" Target="footnotes.xml"/></Relationships>'
    )
    return make_docx(
        body_xml,
        extra={
            "word/_rels/document.xml.rels": rels.encode(),
            "word/footnotes.xml": footnotes_xml.encode("utf-8"),
        },
    )


def xxe_docx(secret_file: Path) -> bytes:
    """A .docx whose footnote is an external entity naming a local file (XXE)."""
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE w:footnotes [<!ENTITY leak SYSTEM "{secret_file.as_uri()}">]>'
        f'<w:footnotes xmlns:w="{_W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>&leak;</w:t>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    body = (
        "<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>"
        '<w:p><w:r><w:t>Số 12-KH/TU</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    )
    return docx_with_footnotes(footnotes, body)
