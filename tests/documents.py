"""PDF and Word fixtures made from the seed protocols, as municipalities publish them.

A PDF page has a running head, a page number (``Sida 2 (5)``) and a
signature footer (``Justerandes signatur``, ``Utdragsbestyrkande``); a word
is hyphenated across a page break.  A Word file has the running head in its
page header and the attendance as a table.  Parsed, each must give the same
meeting as the text file.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

LINES_PER_PAGE = 38
WIDTH = 95  # characters a line
HEAD = "ÖREBRO KOMMUN"


def _hyphenate_at_page_ends(lines: list[str]) -> tuple[list[str], str | None]:
    """Break the first long word that ends a page's last line across the page break: ``narkotika-`` / ``hantering``."""
    out = list(lines)
    for end in range(LINES_PER_PAGE - 1, len(out) - 1, LINES_PER_PAGE):
        m = re.search(r"(?<![\w-])([a-zåäö]{12,})\s*$", out[end])
        if m:
            word = m.group(1)
            cut = len(word) // 2
            out[end] = out[end][: m.start(1)] + word[:cut] + "-"
            out.insert(end + 1, word[cut:])
            return out, word
    return out, None


def make_pdf(seed: Path, target: Path, blank_pages: tuple[int, ...] = ()) -> str | None:
    """Write ``seed`` as a PDF; returns the word hyphenated across a page break (None if none fitted).

    ``blank_pages`` (1-based) are drawn without a text layer, as a scanned page is.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = []
    for line in seed.read_text(encoding="utf-8").splitlines():  # wrapped to the page, as a word processor does
        if re.search(r"\S\s{3,}\S", line):  # two columns: kept on one line
            lines.append(line.strip())
            continue
        lines += textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
    lines, word = _hyphenate_at_page_ends(lines)
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    total = len(pages) + len(blank_pages)
    c = canvas.Canvas(str(target), pagesize=A4)
    width, height = A4
    number = 0
    for page in pages:
        number += 1
        while number in blank_pages:  # a scan: an image, no text layer (here: a grey box)
            c.setFillGray(0.8)
            c.rect(60, 200, width - 120, height - 300, fill=1, stroke=0)
            c.showPage()
            number += 1
        c.setFont("Helvetica", 9)
        c.drawString(60, height - 40, HEAD)
        c.drawString(width - 160, height - 40, "Protokoll")
        c.setFont("Helvetica", 10)
        y = height - 80
        for line in page:
            for column, part in enumerate(re.split(r"\s{3,}", line.strip())[:2]):  # columns stand apart
                if part:
                    c.drawString(60 + 270 * column, y, part)
            y -= 14
        c.setFont("Helvetica", 8)
        c.drawString(60, 60, "Justerandes signatur")
        c.drawString(260, 60, "Utdragsbestyrkande")
        c.drawString(width - 120, 40, f"Sida {number} ({total})")
        c.showPage()
    c.save()
    return word


def same_meeting(a: dict, b: dict) -> list[str]:
    """Where two parsed meetings (``Meeting.to_dict()``) differ, white space in texts folded (a PDF wraps
    lines where it likes); every other field, the §§, titles, sections and attendance, exactly, except the
    furniture lines removed (a PDF adds page numbers and running heads its text does not have), and the
    front page's text compared as the same words in any order, punctuation aside (a Word table sets cells
    side by side that text writes one under the other, a cell where text has a comma)."""

    def folded(value):
        if isinstance(value, str):
            return " ".join(value.split())
        if isinstance(value, dict):
            return {k: folded(v) for k, v in value.items() if k != "source"}
        if isinstance(value, list):
            return [folded(v) for v in value]
        return value

    a, b = folded(a), folded(b)
    a["front"], b["front"] = (sorted(re.findall(r"\w+", m.get("front", ""))) for m in (a, b))
    out = [k for k in a if k not in ("paragraphs", "removed") and a[k] != b[k]]
    if len(a["paragraphs"]) != len(b["paragraphs"]):
        return out + [f"{len(a['paragraphs'])} §§ against {len(b['paragraphs'])}"]
    for pa, pb in zip(a["paragraphs"], b["paragraphs"]):
        out += [f"§ {pa['paragraph']} {k}: {pa[k]!r:.80} | {pb[k]!r:.80}" for k in pa if pa[k] != pb[k]]
    return out


def make_docx(seed: Path, target: Path) -> None:
    """Write ``seed`` as a Word document: the running head in the page header, the attendance lists as tables."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ÖREBRO Protokoll"
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]
    in_list = False
    table = None
    for line in lines:
        if re.match(r"^(Närvarande ledamöter|Tjänstgörande ersättare|Närvarande ersättare|Övriga)$", line):
            document.add_paragraph(line)
            in_list, table = True, None
            continue
        if in_list and line:
            cut = re.search(r"\s(?=§|Ersätter)", line)
            cells = [line[:cut.start()], line[cut.end():]] if cut else [line, ""]
            if table is None:
                table = document.add_table(rows=0, cols=2)
            row = table.add_row().cells
            row[0].text, row[1].text = cells
            continue
        in_list, table = False, None
        document.add_paragraph(line)
    document.save(str(target))
