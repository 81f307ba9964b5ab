"""Readers: format sniffing, layout of docx/pdf, typed errors on bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extractor.errors import (
    CorruptFile,
    DecompressionBomb,
    EmptyDocument,
    EncryptedPDF,
    NoTextLayer,
    TooLarge,
    UnsupportedFormat,
)
from extractor.limits import MAX_FILE_BYTES
from extractor.readers import read, sniff_format
from tests.conftest import SAMPLES

TRA_VINH = SAMPLES / "002_7956c4d43d58e490"


def _pdf_bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_readers_pdf_header_columns_are_not_interleaved() -> None:
    text = read(TRA_VINH.with_suffix(".pdf")).normalized
    assert "ĐẢNG BỘ TỈNH TRÀ VINH ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    header = text[: text.index("KẾ HOẠCH")]
    assert header.index("ĐẢNG BỘ TỈNH TRÀ VINH") < header.index("VÀ DOANH NGHIỆP")
    assert header.index("VÀ DOANH NGHIỆP") < header.index("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert "Số 60 -KH/ĐUK\n" in header


def test_readers_pdf_closing_columns_are_not_interleaved() -> None:
    text = read(TRA_VINH.with_suffix(".pdf")).normalized
    closing = text[text.index("Nơi nhận") :]
    assert closing.index("- Lưu BTG. VPĐUK.") < closing.index("T/M BAN THƯỜNG VỤ")
    assert closing.index("T/M BAN THƯỜNG VỤ") < closing.index("Phạm Phước Trãi")


def test_readers_pdf_reflows_wrapped_lines_into_paragraphs() -> None:
    text = read(TRA_VINH.with_suffix(".pdf")).normalized
    assert "của Ban Tuyên giáo Tỉnh ủy về “nội dung đợt sinh hoạt chính trị" in text


def test_readers_pdf_drops_page_numbers_and_keeps_pages() -> None:
    document = read(TRA_VINH.with_suffix(".pdf"))
    assert document.source.pages == 6
    assert "Trang 2" not in document.normalized
    last_heading = document.normalized.index("III. TỔ CHỨC THỰC HIỆN")
    assert document.page_of(0) == 1
    assert (document.page_of(last_heading) or 0) > 1


def test_readers_docx_keeps_table_cells_by_column() -> None:
    text = read(TRA_VINH.with_suffix(".docx")).normalized
    assert text.startswith("ĐẢNG BỘ TỈNH TRÀ VINH\nĐẢNG ỦY KHỐI CÁC CƠ QUAN\nVÀ DOANH NGHIỆP")
    closing = text[text.index("Nơi nhận") :]
    assert closing.index("- Lưu BTG. VPĐUK.") < closing.index("T/M BAN THƯỜNG VỤ")


def test_readers_docx_footnote_follows_its_paragraph() -> None:
    text = read(SAMPLES / "000_df7a9d44ea93c9c4.docx").normalized
    note = text.index("¹ Quy định số 08-QĐ/HU")
    assert text.index("5. Chế độ báo cáo") > note > text.index("4. Thời gian tổ chức")


def test_readers_same_text_in_every_format() -> None:
    words = {
        fmt: set(read(TRA_VINH.with_suffix(f".{fmt}")).normalized.split())
        for fmt in ("txt", "docx", "pdf")
    }
    body_words = words["txt"] - {"|", "*"}
    for fmt in ("docx", "pdf"):
        missing = body_words - words[fmt]
        assert len(missing) <= 0.01 * len(body_words), sorted(missing)[:20]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"%PDF-1.4\n...", "pdf"),
        ("KẾ HOẠCH".encode(), "txt"),
        ("KẾ HOẠCH".encode("utf-16"), "txt"),
    ],
)
def test_readers_sniff_by_content(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "legacy Word"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "JPEG"),
    ],
)
def test_readers_refuse_foreign_formats_whatever_the_name(
    tmp_path: Path, data: bytes, hint: str
) -> None:
    path = tmp_path / "disguised.pdf"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFormat, match=hint):
        read(path)


def test_readers_docx_named_txt_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(TRA_VINH.with_suffix(".docx").read_bytes())
    assert read(path).source.format == "docx"


def test_readers_zip_that_is_not_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnsupportedFormat, match="zip"):
        read(buffer.getvalue())


def test_readers_docx_bomb_is_refused_before_inflating() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024) + b"/>")
    with pytest.raises(DecompressionBomb):
        read(buffer.getvalue())


def test_readers_truncated_docx_is_corrupt() -> None:
    data = TRA_VINH.with_suffix(".docx").read_bytes()
    with pytest.raises((CorruptFile, UnsupportedFormat)):
        read(data[: len(data) // 2])


def test_readers_truncated_pdf_is_corrupt_or_read() -> None:
    data = TRA_VINH.with_suffix(".pdf").read_bytes()
    with pytest.raises((CorruptFile, NoTextLayer)):
        read(data[:2000])


def test_readers_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(TRA_VINH.with_suffix(".pdf")).pages[:1]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(EncryptedPDF):
        read(path)


def test_readers_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path, "PDF")
    with pytest.raises(NoTextLayer):
        read(path)


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", "\u00a0\u200b".encode()])
def test_readers_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyDocument):
        read(data)


def test_readers_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(TooLarge):
        read(path)


def test_readers_original_offsets_round_trip_on_samples() -> None:
    from extractor.text.normalize import normalize

    for path in sorted(SAMPLES.glob("*.txt")):
        document = read(path)
        position = 0
        for line in document.normalized.split("\n"):
            if line.strip():
                start, end = document.to_original(position, position + len(line))
                assert normalize(document.original[start:end]).text == line
            position += len(line) + 1
