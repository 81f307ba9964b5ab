"""Plain text and Markdown: decode, keep everything else for normalization."""

from __future__ import annotations

from extractor.document import RawText
from extractor.readers.encodings import decode


def read_txt(data: bytes, *, path: str = "<input>") -> RawText:
    """Decode a .txt/.md file (UTF-8/16, Windows-1258, TCVN3, VNI).

    >>> read_txt("Tỉnh ủy".encode("utf-16")).text
    'Tỉnh ủy'
    """
    decoded = decode(data, path=path)
    warnings = decoded.warnings
    if decoded.encoding in {"tcvn3", "vni", "windows-1258"}:
        warnings = (f"decoded from legacy encoding {decoded.encoding}", *warnings)
    return RawText(decoded.text, "txt", encoding=decoded.encoding, warnings=warnings)
