"""Documents without §§: split at their headings into sections.
"""

from __future__ import annotations

import re
from ..records import Paragraph
from .clean import _join_text
from .dates import _ISO


def _is_heading(lines: list[str], i: int) -> bool:
    s = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    prev = lines[i - 1].strip() if i > 0 else ""
    if not s or nxt or len(s) > 100 or len(s.split()) > 14 or "   " in lines[i]:
        return False
    if not re.match(r"[A-ZÅÄÖ]", s) or s.endswith((":", ",", ";")) or _ISO.search(s):
        return False
    if s.endswith(".") and (prev or len(s.split()) > 12):
        return False
    return not prev or prev.endswith((".", ":", "!", "?"))


def _sections_of(lines: list[str]) -> list[Paragraph]:
    candidates = [i for i in range(len(lines)) if _is_heading(lines, i)]
    # A "heading" with nothing under it before the next one is a lone sentence.
    heads = []
    for k, i in enumerate(candidates):
        nxt = candidates[k + 1] if k + 1 < len(candidates) else len(lines)
        if any(lines[j].strip() for j in range(i + 1, nxt)):
            heads.append(i)
    paragraphs = []
    if heads and any(lines[j].strip() for j in range(heads[0])):
        heads.insert(0, next(j for j in range(len(lines)) if lines[j].strip()))
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        title = lines[i].strip().rstrip(".")
        body = _join_text(lines[i + 1:end])
        paragraphs.append(Paragraph(None, title, _join_text(lines[i:end]), sections=(("Text", body),) if body else ()))
    if not paragraphs and any(line.strip() for line in lines):
        text = _join_text(lines)
        paragraphs.append(Paragraph(None, text.split("\n", 1)[0][:100], text))
    return paragraphs
