"""What every self-contained HTML report shares: escaping and CSP hashes.

The diff report and the lineage view embed document text (possibly hostile)
and inline CSS/JS under a ``default-src 'none'`` Content-Security-Policy that
allows each inline block only by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import html


def escape(value: object) -> str:
    """Escape any value for HTML text and attribute positions alike.

    >>> escape('"><img src=x onerror=alert(1)>')
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(str(value), quote=True)


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style.

    >>> csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
