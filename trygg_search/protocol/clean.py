"""Text to clean lines: line ends and odd spaces unified, page furniture (running heads, page numbers,
signature boxes) and a document site's wrapper lines removed, words hyphenated across a line or page
break joined.
"""

from __future__ import annotations

import re
import bisect

from ..textnorm import normalize_text
from .headings import _PARA_HEAD
from .vocabulary import _CASE_LINE, _OFFICER_LINE, _ROLE_HEADINGS, _section_name


_PAGE_NUMBER = re.compile(r"^\s*(?:(?:sida|sid\.?|page)\s*)?\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|av\s+\d{1,4}|/\s*\d{1,4})\s*$",
                          re.IGNORECASE)


# The lines a document site wraps a protocol in (docplayer, 5dok, dokumen.tips, yumpu, portals):
# never part of the protocol, so never its committee, title or a § of it.
_WRAPPER = re.compile(
    r"^\s*(?:storlek:\s*px|starta visningen från sidan:?|download\s+[\"“].*|transkript|save this pdf as:.*"
    r"|•?\s*no results found.*|full text|n/a|protected|academic year:.*|share\s+[\"“].*|copied!|word\s+png\s+txt\s+jpg"
    r"|loading\.*.*view fulltext.*|din position:.*|ladda ner.*|\d+\s*kb\s+ladda ner.*|skriv ut|dela)\s*$",
    re.IGNORECASE,
)


# Lines that are page furniture wherever they stand: signature boxes, e-signature stamps, rules.
_FURNITURE = re.compile(
    r"^\s*(?:(?:justerandes|justerares|ordförandes|sekreterarens|ordf\.?)\s+sign(?:atur)?\.?(?:\s.*)?"
    r"|utdragsbestyrkande\b.*|digitala\s+signaturer\b.*|[_\-–.]{5,})\s*$",
    re.IGNORECASE,
)


# An all-capitals town and a document type: "ÖREBRO Protokoll".
_RUNNING_HEAD = re.compile(
    r"^[A-ZÅÄÖ]{2,}(?: [A-ZÅÄÖ]{2,})* (?:Protokoll|Kallelse|Föredragningslista|PROTOKOLL|KALLELSE)$"
)


# Words that end a line with a hyphen without being split: "Individ- och ...".
_SUSPENDED = {"och", "eller", "samt", "respektive", "resp", "som", "till", "men", "med"}


_BLANKS = 2  # blank lines kept in a row: more say nothing more (and a text of them is quickly read)


_WINDOW = 5  # non-blank lines around a page break that may be running heads


def normalize(text: str) -> str:
    """Unify line ends and odd spaces; drop a BOM."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u00ad\ufffe][ \t]*\n", "-\n", text)  # a break hyphen at a line end: joined below if a word
    text = normalize_text(text)
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u00ad", "")


def _page_breaks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line index of each page break: form feeds and ``3 (68)`` page numbers close together."""
    feeds = [i for i, line in enumerate(lines) if "\f" in line]
    if len(feeds) >= 2:  # the pages are marked: each form feed is a break
        return [(i, i) for i in feeds]
    marks = [i for i, line in enumerate(lines) if "\f" in line or _PAGE_NUMBER.match(line.strip())]
    groups: list[tuple[int, int]] = []
    for i in marks:
        if groups and i - groups[-1][1] <= 8:
            groups[-1] = (groups[-1][0], i)
        else:
            groups.append((i, i))
    return groups


def _window(filled: list[int], centre: int, before: bool, bound: int | None = None) -> list[int]:
    """Up to _WINDOW non-blank line indexes before or after a page break, nearest first, on its page: not
    past ``bound``, the next page break on that side.  ``filled`` is the indexes of the non-blank lines, in
    order (looked up, not walked: a run of blank pages is long)."""
    if before:
        at = bisect.bisect_left(filled, centre)
        start = max(at - _WINDOW, bisect.bisect_right(filled, bound) if bound is not None else 0)
        return filled[start:at][::-1]
    at = bisect.bisect_right(filled, centre)
    end = min(at + _WINDOW, bisect.bisect_left(filled, bound) if bound is not None else len(filled))
    return filled[at:end]


def furniture(lines: list[str]) -> tuple[set[int], list[str]]:
    """Find page furniture: page numbers, running heads and the lines repeated at page breaks.

    Returns the indexes to drop and the repeated running-head texts (in order of
    first appearance), which the header parser may use as a last resort for the
    committee and date.
    """
    drop: set[int] = set()
    breaks = _page_breaks(lines)
    if any("\f" in line for line in lines):  # known pages: the first page's top and the last one's foot are edges too
        breaks = [(-1, -1)] + breaks + [(len(lines), len(lines))]
    for i, line in enumerate(lines):
        text = line.strip()  # matched stripped: a pattern's leading spaces never backtrack over a line of them
        if _PAGE_NUMBER.match(text) or _RUNNING_HEAD.match(text) or _FURNITURE.match(text) or _WRAPPER.match(text):
            drop.add(i)
    heads: list[str] = []
    filled = [i for i, line in enumerate(lines) if line.strip(" \f")]
    if len(breaks) >= 2:
        near: dict[str, set[int]] = {}  # key -> the lines near a page break that have it
        at_breaks: dict[tuple, set[int]] = {}  # (key, side, rank) -> the breaks where it stands there
        for number, (lo, hi) in enumerate(breaks):
            previous = breaks[number - 1][1] if number else None
            following = breaks[number + 1][0] if number + 1 < len(breaks) else None
            placed = [(i, ("before", rank)) for rank, i in enumerate(_window(filled, lo, True, previous))]
            placed += [(i, ("after", rank)) for rank, i in enumerate(_window(filled, hi, False, following))]
            placed += [(i, ("at", 0)) for i in range(max(lo, 0), min(hi + 1, len(lines))) if lines[i].strip(" \f")]
            for i, place in placed:
                key = _furniture_key(lines[i])
                near.setdefault(key, set()).add(i)
                at_breaks.setdefault((key, *place), set()).add(number)
        steady: dict[str, int] = {}  # key -> at how many breaks it stands in one place
        for (key, _, _), where in at_breaks.items():
            steady[key] = max(steady.get(key, 0), len(where))
        everywhere: dict[str, int] = {}
        for line in lines:
            key = _furniture_key(line)
            if key in near:
                everywhere[key] = everywhere.get(key, 0) + 1
        threshold = max(2, len(breaks) // 2)
        found = []
        for key, where in near.items():
            # Furniture stands at page edges and nowhere else; a heading such as "Beslut" stands in
            # every § and only now and then near a page break.  Furniture stands in one place at a page edge (a head first, a footer last) on most pages.
            if (steady[key] >= threshold and len(where) >= 0.8 * everywhere[key]
                    and not _PAGE_NUMBER.match(lines[min(where)].strip()) and not _structural(key)):
                found.append(key)
                drop.update(where)
        # A document cut at a page top starts with the same running heads.
        for i in _window(filled, -1, False):
            if _furniture_key(lines[i]) in found:
                drop.add(i)
        found.sort(key=lambda k: min(near[k]))
        heads = [lines[min(near[k])].strip(" \f") for k in found]
    return drop, heads


def _structural(line: str) -> bool:
    """A line that gives the document its shape (a §, a section, a list or a case line): never furniture."""
    return bool(_PARA_HEAD.match(line) or _section_name(line) or _CASE_LINE.match(line)
                or _OFFICER_LINE.match(line) or any(rx.match(line) for rx, _ in _ROLE_HEADINGS))


def _furniture_key(line: str) -> str:
    """A line as furniture is compared: digits as #, so that "Sida 3 (41)" and "Sida 4 (41)" are one;
    a § heading never matches another."""
    text = line.strip(" \f")
    return text if text.startswith("§") or not re.search(r"[^\W\d_]", text) else re.sub(r"\d+", "#", text)


def clean_lines(text: str, removed: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Text -> cleaned lines (furniture gone, trailing spaces gone, hyphenation joined).

    Also returns the running heads found, for the header parser; the furniture lines removed are
    added to ``removed`` when given.
    """
    raw = normalize(text).split("\n")
    drop, heads = furniture(raw)
    if removed is not None:
        removed += [raw[i].replace("\f", "").strip() for i in sorted(drop)]
    lines: list[str] = []
    gap: list[bool] = []  # the blank, furniture and page-break lines since the last line kept: True at a page edge
    for i, line in enumerate(raw):
        s = line.replace("\f", "").strip()
        if i in drop or not s:
            gap.append(i in drop or "\f" in line)
            continue
        if any(gap):
            # A page edge: text that runs on (a word broken, or the next line in lower case) runs on
            # across it; anything else keeps a paragraph break there.
            runs_on = lines and lines[-1] and (lines[-1][-1] in "-," or s[0].islower())
            if lines and not runs_on:
                lines.append("")
        else:
            lines += [""] * min(len(gap), _BLANKS)
        gap = []
        lines.append(s)
    lines += [""] * min(len(gap), _BLANKS)
    return _join_hyphenation(lines), heads


_LONGEST_WORD = 60  # letters: a longer run joined over a line break is no word
_LOWER_START = re.compile(r"[a-zåäöé]")
_WORD = re.compile(r"\w+")
_CAPITALS_END = re.compile(r"[A-ZÅÄÖ]{2}$")
_LETTERS_END = re.compile(r"[^\W\d_]+$")


def _join_hyphenation(lines: list[str]) -> list[str]:
    """Join a word broken at a line end (or across a page break, the furniture gone) where the whole
    is a word: known, made of known words, or written whole elsewhere in the document.  ``EU- och``
    stays apart; after an acronym the hyphen stays (``SSPF-samverkan``).  Only a line's end is read and
    the lines joined are kept as pieces until the end: a text of many lines joined into one stays linear."""
    seen: set[str] | None = None
    words: dict[str, bool] = {}  # a joined word -> whether it is one
    out: list[str] = []
    i = 0
    while i < len(lines):
        parts = [lines[i]]
        while i + 1 < len(lines) and parts[-1][-1:] in ("-", "") and _LOWER_START.match(lines[i + 1]):
            end = _tail(parts, _LONGEST_WORD + 2)
            if not (end.endswith("-") and len(end) >= 2 and _is_word_char(end[-2]) and not end[-2].isdigit()):
                break
            nxt = lines[i + 1]
            first = _WORD.match(nxt)
            if first and first.group(0).casefold() in _SUSPENDED:
                break
            stem = end[:-1]
            # After a capital letter the hyphen belongs to the word ("SSPF-samverkan").
            if _CAPITALS_END.search(stem):
                parts.append(nxt)
            else:
                if seen is None:
                    seen = {w.casefold() for w in re.findall(r"[^\W\d_]+", "\n".join(lines))}
                head = _LETTERS_END.search(stem)
                whole = ((head.group(0) if head else "") + (first.group(0) if first else "")).casefold()
                if whole not in words:
                    words[whole] = len(whole) <= _LONGEST_WORD and _is_word(whole, seen)
                if not words[whole]:
                    break
                parts[-1] = parts[-1][:-1]
                parts.append(nxt)
            i += 1
        out.append("".join(parts))
        i += 1
    return out


def _tail(parts: list[str], n: int) -> str:
    """The last ``n`` characters of the pieces joined (fewer where they are shorter)."""
    out: list[str] = []
    size = 0
    for part in reversed(parts):
        out.append(part)
        size += len(part)
        if size >= n:
            break
    return "".join(reversed(out))[-n:]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_word(word: str, seen: set[str]) -> bool:
    """Written whole elsewhere in the document, a known word, or a compound of known words."""
    if word in seen:
        return True
    from ..compounds import known_words, split

    return word in known_words() or bool(split(word))


def _join_text(lines: list[str]) -> str:
    """Lines -> text with single blank lines between blocks and no leading/trailing blanks."""
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if not s and (not out or not out[-1]):
            continue
        out.append(s)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
