"""A document's layout read as a whole: contents lists run into a line set apart, and the headings found
inside flattened pages chosen and set on lines of their own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from .chains import PrefixMax, ranks
from .contents import _CONTENTS_ALONE, contents_key, _agenda_items, _listed_below, contents_entries, listed_run
from .flat import NUMBERED_PAGES, Entry, Inline, PAGE_PREFIX, flat, inline_head, inline_heads, layout_mode
from .headings import _says_agenda, declared_range
from .vocabulary import CASE_LABELS, OFFICER_LABELS, _SECTIONS_AFTER_SENTENCE, _SECTIONS_ANYWHERE, alternatives


@dataclass
class Layout:
    """A document's lines with what a line at a time cannot read set apart: a contents list run into a
    long line stands on a line of its own, and each heading inside a flattened page opens a line."""

    lines: list[str]
    declared: tuple[int, int] | None  # the §§ the front page says the protocol holds
    known: frozenset[int]  # the numbers a heading without a § sign may carry: declared or listed
    contents: dict[int, Entry]  # from contents lists run into one line
    contents_lines: set[int]
    inline: dict[int, tuple[int, str, str | None]]  # line -> (number, title, case) of a heading found inside a page
    mode: str  # lines, pages or numbered pages (flat.layout_mode): the rules for flattened pages run in the last two
    agenda: dict[int, Entry]  # the items of an agenda run into flattened pages
    heads: dict[str, list] = field(default_factory=dict)  # kind -> its headings, once found

    @classmethod
    def of(cls, lines: list[str]) -> "Layout":
        declared = declared_range(lines)
        out: list[str] = []
        contents: dict[int, Entry] = {}
        toc: set[int] = set()
        mode = layout_mode(lines)
        numbered = mode == NUMBERED_PAGES
        keys = [k for k, line in enumerate(lines) if _CONTENTS_ALONE.match(line) and not flat(line, mode)]
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            m = contents_key(line)
            if m and not flat(line, mode) and _CONTENTS_ALONE.match(line):  # a list laid out a cell a line
                after = bisect.bisect_right(keys, i - 1)
                used = _listed_below(lines, i - 1, declared, keys[after] if after < len(keys) else None)
                if used:
                    found, last = used
                    toc.update(range(len(out), len(out) + last - i + 2))
                    out += lines[i - 1: last + 1]
                    i = last + 1
                    for entry in found:
                        contents.setdefault(entry.number, entry)
                    continue
            if m and flat(line, mode):
                found, _, end = contents_entries(line[m.end():], declared)
                start, end = m.start(), m.end() + end
            else:  # a list without its heading word (a list's second page, or a cover that lists the §§)
                run = listed_run(line, declared) if flat(line, mode) else None
                found, start, end = run or ([], 0, 0)
            if not found:
                out.append(line)
                continue
            head, rest = line[:start].strip(), line[end:].strip()
            if head:
                out.append(head)
            toc.add(len(out))
            out.append(line[start:end].strip())
            if rest:
                out += ["", rest]
            for entry in found:
                contents.setdefault(entry.number, entry)
        known = frozenset(range(declared[0], declared[1] + 1) if declared else ()) | frozenset(contents)
        accepted = [] if _says_agenda(out) else _accepted(inline_heads(out, mode, skip=toc), known)
        lines_out: list[str] = []
        toc_out: set[int] = set()
        inline: dict[int, tuple[int, str, str | None]] = {}
        first = accepted[0].line if accepted else len(out)
        on_line: dict[int, list[Inline]] = {}
        for c in accepted:
            on_line.setdefault(c.line, []).append(c)
        for i, line in enumerate(out):
            here = on_line.get(i, [])
            before = line[: here[0].start].strip() if here else line  # on this page, before its headings
            if i in toc:
                toc_out.add(len(lines_out))
                lines_out.append(line)
            elif i > first and flat(line, mode):  # a § going on over a page flattened to one line
                page = PAGE_PREFIX.match(before) if numbered else None
                lines_out += _labels_apart(before[page.end():] if page else before)
            elif before or not here:  # (a blank line stays)
                lines_out.append(before)
            for n, c in enumerate(here):
                end = here[n + 1].start if n + 1 < len(here) else len(line)
                number, title, case, head, body = inline_head(line, c.start, end, contents.get(c.number))
                lines_out += [""] if lines_out and lines_out[-1] else []
                inline[len(lines_out)] = (number, title, case)
                lines_out += [head, ""] + _labels_apart(body)
        return cls(lines_out, declared, known, contents, toc_out, inline, mode, _agenda_items(lines_out, mode))


_LABEL_INSIDE = re.compile(
    rf"\s(?={alternatives(CASE_LABELS + OFFICER_LABELS)}\s*:)"
    rf"|(?<=[.!?:])\s+(?=(?:{'|'.join(_SECTIONS_AFTER_SENTENCE)})\s+[A-ZÅÄÖ\-–])"
    rf"|\s(?=(?:{'|'.join(_SECTIONS_ANYWHERE)})\s+[A-ZÅÄÖ\-–])")


_SECTION_START = re.compile(rf"^({'|'.join(_SECTIONS_ANYWHERE + _SECTIONS_AFTER_SENTENCE)})\s+(.+)$")


def _labels_apart(text: str) -> list[str]:
    """The text of a § flattened to one line, cut where its labels (``Ärendenummer:``, ``Handläggare:``)
    and sections (``Ärendebeskrivning``, ``Beslut`` after a sentence) start, so that they read as written."""
    if not text:
        return []
    out: list[str] = []
    for piece in _LABEL_INSIDE.split(text):
        piece = piece.strip()
        if not piece:
            continue
        section = _SECTION_START.match(piece)
        out += [section.group(1), section.group(2)] if section else [piece]
    return out


def _accepted(candidates: list[Inline], known: frozenset[int]) -> list[Inline]:
    """The candidates that are headings: the longest run of rising numbers in which each is one the
    protocol lists or declares, the next after the one before, or (where it lists none) a § sign or a
    body's prefix at a page's head, or a bare number at a page's head that the next number follows.
    Where the §§ are written with their sign, a bare number is one only where the protocol lists or
    declares it.  The longest run, not the first: a § named in a list of staff before the §§ begin
    ("Karl Olsson Universitetsadjunkt § 26") gives way to the §§ themselves."""
    signed = any(c.form == "sign" for c in candidates)  # a protocol that writes its §§ with the sign
    last_at = {c.number: k for k, c in enumerate(candidates)}  # where each number stands last

    def alone(k: int, c: Inline) -> bool:  # a heading whatever stands before it
        if c.number in known:
            return True
        if known or not c.page_start:
            return False
        return c.form != "bare" or last_at.get(c.number + 1, -1) > k  # a bare number the next one follows

    # A best path by dynamic programming, each candidate's best predecessor looked up (linear but for a
    # logarithm): any lower number for a heading that stands by itself, the number before for one that
    # follows it.  On a tie the earliest predecessor.
    rank = ranks(c.number for c in candidates)
    below: PrefixMax[tuple[tuple[int, int], int]] = PrefixMax(len(rank))  # ((length, heads), -index) ending at a rank
    at_number: dict[int, tuple[tuple[int, int], int]] = {}  # number -> the best run ending on it
    best: list[tuple[tuple[int, int], int]] = []  # per candidate: ((length, page-heads), previous) of the best run ending there
    for k, c in enumerate(candidates):
        if signed and c.form == "bare" and c.number not in known:
            best.append(((-1, 0), -1))
            continue
        by_itself = alone(k, c)
        score, prev = ((1, int(c.page_start)), -1) if by_itself else ((-1, 0), -1)
        found = [at_number.get(c.number - 1)]
        if by_itself:
            found.append(below.get(rank[c.number] - 1))
        options = [((length + 1, heads + int(c.page_start)), minus_j)
                   for (length, heads), minus_j in filter(None, found)]
        if options:
            (score, minus_j) = max(options)
            prev = -minus_j
        best.append((score, prev))
        if score[0] >= 0:
            mine = (score, -k)
            if c.number not in at_number or mine > at_number[c.number]:
                at_number[c.number] = mine
            below.put(rank[c.number], mine)
    if not best or max(score for score, _ in best)[0] < 0:
        return []
    k = max(range(len(best)), key=lambda n: (best[n][0], -n))
    out: list[Inline] = []
    while k >= 0:
        out.append(candidates[k])
        k = best[k][1]
    return out[::-1]
