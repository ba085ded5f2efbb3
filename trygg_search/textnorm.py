"""Unicode forms folded the same way for documents and queries."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_TO_FOLD = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\uff01-\uff5e\u3000]")


def normalize_text(text: str) -> str:
    """NFC, full-width forms folded to ASCII, zero-width characters and soft hyphens dropped.

    Applied to every decoded document and every query, so that ``lägesbild``
    typed in NFC finds text written in NFD (macOS, some PDF tools).
    """
    if text.isascii():
        return text
    if _TO_FOLD.search(text):
        text = text.translate(_ZERO_WIDTH).translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
