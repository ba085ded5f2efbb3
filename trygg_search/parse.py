"""Protocol text -> Meeting record.  Pure functions: text in, records out, nothing read or printed.

The pipeline: ``clean_lines`` (line ends, page furniture, hyphenation) ->
``detect`` the document kind -> header (committee, date, attendance) ->
paragraphs (§, notice items, or headed sections) -> participants per §.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Iterator

from .layout import (
    COLUMN_WORDS, CONTENTS_KEY, PAGE_PREFIX, Entry, Inline, case_prefix, contents_entries, flat, inline_head, inline_heads,
    listed_run, page_numbered,
)
from .textnorm import normalize_text
from .records import Attendee, Meeting, Paragraph, Replacement

DASH = "-–—‐‑"
_D = f"[{DASH}]"

# --- cleaning ---------------------------------------------------------------

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
    marks = [i for i, line in enumerate(lines) if "\f" in line or _PAGE_NUMBER.match(line)]
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
        if (_PAGE_NUMBER.match(line) or _RUNNING_HEAD.match(line.strip()) or _FURNITURE.match(line)
                or _WRAPPER.match(line)):
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
                    and not _PAGE_NUMBER.match(lines[min(where)]) and not _structural(key)):
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


def clean_lines(text: str) -> tuple[list[str], list[str]]:
    """Text -> cleaned lines (furniture gone, trailing spaces gone, hyphenation joined).

    Also returns the running heads found, for the header parser.
    """
    raw = normalize(text).split("\n")
    drop, heads = furniture(raw)
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
            lines += [""] * len(gap)
        gap = []
        lines.append(s)
    lines += [""] * len(gap)
    return _join_hyphenation(lines), heads


def _join_hyphenation(lines: list[str]) -> list[str]:
    """Join a word broken at a line end (or across a page break, the furniture gone) where the whole
    is a word: known, made of known words, or written whole elsewhere in the document.  ``EU- och``
    stays apart; after an acronym the hyphen stays (``SSPF-samverkan``)."""
    seen: set[str] | None = None
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while (
            i + 1 < len(lines)
            and re.search(r"\w-$", line)
            and not re.search(r"\d-$", line)
            and re.match(r"[a-zåäöé]", lines[i + 1])
        ):
            nxt = lines[i + 1]
            first = re.match(r"[\w]+", nxt)
            if first and first.group(0).casefold() in _SUSPENDED:
                break
            stem = line[:-1]
            # After a capital letter the hyphen belongs to the word ("SSPF-samverkan").
            if re.search(r"[A-ZÅÄÖ]{2,}$", stem):
                line = line + nxt
            else:
                if seen is None:
                    seen = {w.casefold() for w in re.findall(r"[^\W\d_]+", "\n".join(lines))}
                head = re.search(r"[^\W\d_]+$", stem)
                whole = ((head.group(0) if head else "") + (first.group(0) if first else "")).casefold()
                if not _is_word(whole, seen):
                    break
                line = stem + nxt
            i += 1
        out.append(line)
        i += 1
    return out


def _is_word(word: str, seen: set[str]) -> bool:
    """Written whole elsewhere in the document, a known word, or a compound of known words."""
    if word in seen:
        return True
    from .compounds import known_words, split

    return word in known_words() or bool(split(word))


# --- dates and small values --------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        "januari februari mars april maj juni juli augusti september oktober november december".split(), 1
    )
}
_MONTH_OF = {m[:3]: i for m, i in _MONTHS.items()}  # by the first three letters: "feb", "sept"
_ISO = re.compile(r"(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})")
# "19 juni 2018", "14 feb 2023", "14 febr. 2023", "3 sept. 2019"
_WORDY = re.compile(r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r"|jan|febr?|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.?\s+(\d{4})",
                    re.IGNORECASE)
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.]\d)")  # "14.02.2023"


def parse_date(text: str) -> str | None:
    """The first date in the text as ISO ``YYYY-MM-DD`` (``2023-10-11`` or ``19 juni 2018``)."""
    m = _ISO.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif m := _WORDY.search(text):
        d, mo, y = int(m.group(1)), _MONTH_OF[m.group(2).lower()[:3]], int(m.group(3))
    elif m := _DOTTED.search(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _time(text: str) -> str:
    """``13.15–15.20`` -> ``13:15–15:20``; other text unchanged but tidied."""
    times = re.findall(r"(\d{1,2})[.:](\d{2})", text)
    if 1 <= len(times) <= 2:
        return "–".join(f"{int(h):02d}:{m}" for h, m in times)
    return " ".join(text.split())


# --- § ranges ------------------------------------------------------------------

_RANGE_ITEM = rf"\d{{1,9}}(?:\s*{_D}\s*\d{{1,9}})?"
_RANGES = re.compile(
    rf"(?P<partial>del av\s+)?§§?\s*(?P<list>{_RANGE_ITEM}(?:\s*(?:,|och|samt)\s*{_RANGE_ITEM})*)",
    re.IGNORECASE,
)


MAX_RANGE = 2000  # §§ one range may span (a wider one is read as its first number)
MAX_NUMBERS = 10_000  # §§ one list may name: no meeting has more, and no line can make memory run out


def expand_ranges(text: str) -> tuple[int, ...]:
    """``22–23, 26`` -> (22, 23, 26): each number once, in the order first named, at most MAX_NUMBERS;
    a range named again costs no more than its look-up."""
    numbers: dict[int, None] = {}
    spans: list[tuple[int, int]] = []  # the ranges taken so far, to pass over one named again
    for item in re.findall(_RANGE_ITEM, text):
        parts = re.split(_D, item)
        lo = int(parts[0])
        hi = int(parts[-1]) if len(parts) > 1 else lo
        if hi < lo or hi - lo > MAX_RANGE:
            hi = lo
        if any(a <= lo and hi <= b for a, b in spans[-64:]):
            continue
        spans.append((lo, hi))
        for n in range(lo, hi + 1):
            if len(numbers) >= MAX_NUMBERS:
                return tuple(numbers)
            numbers[n] = None
    return tuple(numbers)


# --- header -------------------------------------------------------------------

_ROLE_HEADINGS = [
    (re.compile(r"^(?:(?:närvarande|beslutande)\s+)?(?:beslutande\s+)?ledamöter$|^beslutande$", re.I), "ledamot"),
    (re.compile(r"^(?:tjänstgörande|tjg\.?|beslutande)\s+ersättare$", re.I), "tjänstgörande ersättare"),
    (re.compile(r"^(?:(?:närvarande|icke tjänstgörande|ej tjänstgörande)\s+)?ersättare$", re.I), "närvarande ersättare"),
    (re.compile(r"^(?:övriga(?:\s+(?:närvarande|deltagande|deltagare))?(?:\s+tjänstemän)?|(?:närvarande\s+)?tjänstemän"
                r"|tjänstepersoner)$",
                re.I), "övrig"),
]
# A list's heading and its first names on one line: "Beslutande: Leif Persson (S) ordf ..."
_ROLE_WITH_NAMES = re.compile(
    r"^(?P<label>(?:närvarande\s+|beslutande\s+)?ledamöter|(?:tjänstgörande|tjg\.?|beslutande)\s+ersättare|beslutande|"
    r"(?:närvarande\s+|ej tjänstgörande\s+|icke tjänstgörande\s+)?ersättare|övriga(?:\s+(?:närvarande|deltagande|deltagare))?"
    r"|tjänstemän|tjänstepersoner)\s*:?\s+(?P<rest>[A-ZÅÄÖÉ][\w'’.-]+\s+[A-ZÅÄÖÉ].*)$",
    re.IGNORECASE,
)
# Where a name on a line of names starts: "Name (P)" or "Name, P," -- not the one replaced ("istf Name (P)").
_PERSON_START = re.compile(
    r"(?<![\w'’-])(?!(?:Ersätter|Istf|Ersättare|Tjg|Tjänstgör\w*|Ordf\w*|Vice|Ledamot|Ej|Del|Se|Enligt)\b)"
    r"[A-ZÅÄÖÉ][a-zåäöéüø'’.-][\w'’.-]*(?:\s+(?:af|av|von|van|de)?\s*[A-ZÅÄÖÉ][a-zåäöéüø'’.-][\w'’.-]*){1,3}"
    r"(?=\s*\([A-Za-zÅÄÖåäö]{1,5}\)|,\s*(?:[A-ZÅÄÖ]{1,3}|[a-zåäö]{1,2})\s*(?:,|$|\s))"
)
_REPLACING = re.compile(r"(?:ersätter|istf\.?|i\s+st\s+f\.?|ersättare\s+för|tjg\.?\s+för|tjänstgör(?:ande)?\s+för|ers\.?\s+för|för)\s*$",
                        re.IGNORECASE)
_HEADER_KEYS = re.compile(r"^(Datum|Sammanträdesdatum|Tid|Klockan|Plats|Lokal)\s*:\s*(.*)$", re.I)
_SIGNATURE = re.compile(r"^(?P<name>[^,]+?),\s*(?P<role>ordförande|ordf\.|sekreterare|justerare|justerande)$", re.I)
_PARTY = re.compile(r"^\((?P<party>[A-Za-zÅÄÖåäö]{1,5})\)|^,\s*(?P<bare>[A-ZÅÄÖ]{1,3}|[a-zåäö]{1,2})(?=\s*(?:,|$))")
_NAME = re.compile(r"^(?P<name>.+?)(?=\s*(?:\(|§|\bdel av\b|\bersätter\b|\bistf\b|,|$))", re.IGNORECASE)
_REPLACES = re.compile(
    rf"(?:ersätter|istf\.?|i\s+st\s+f\.?|(?:ersättare|tjg\.?|tjänstgör(?:ande)?|ers\.?)\s+för)\s+"
    rf"(?P<name>[A-ZÅÄÖÉÜ][^()§,.]*?)\s*(?:\((?P<party>[A-Za-zÅÄÖåäö]{{1,5}})\))?"
    rf"\s*(?P<ranges>(?:(?:§§?\s*)?{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*)?)"
    rf"(?=\s*(?:,|\.|$|\bersätter\b))",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(
    r"(chef|are|ör|strateg|lektor|adjunkt|ansvarig|specialist|jurist|ekonom|analytiker|assistent|"
    r"koordinator|polis|ordförande|ombud|representant|tjänsteperson|kurator|expert|konsult|rektor|"
    r"praktikant|utvecklare|kommunikatör|controller|sekreterare)$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-ZÅÄÖÉÜ][\w'’.\-]*|af|av|von|van|de|der|da|di|la|le|al|el|bin|ben)$")


_UP_TO = re.compile(r"\b(?:t\.?\s?o\.?\s?m\.?|till och med)\s*(?:§\s*)?(\d{1,9})(?![\d.:])", re.IGNORECASE)
_FROM_ON = re.compile(r"\b(?:fr\.?\s?o\.?\s?m\.?|från och med|from)\s*(?:§\s*)?(\d{1,9})(?![\d.:])", re.IGNORECASE)
_EXCEPT = re.compile(rf"\b(?:ej|utom|förutom|med undantag för)\s*(?:§§?\s*)?(?P<list>{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*)",
                     re.IGNORECASE)
_BARE_RANGE = re.compile(rf"(?<![\w§:./-])(?P<item>\d{{1,4}}(?:\s*{_D}\s*\d{{1,4}})?)(?![\w:./-]|\.\d)")


def _ranges_in(text: str, span: tuple[int, int] | None = None) -> tuple[tuple[int, ...], bool]:
    """The §§ a line of attendance names (``§§ 22–23``, ``del av § 6``); within the meeting's §§
    (``span``) also ``t.o.m. 20``, ``fr.o.m. § 12``, ``ej 13``, ``med undantag för § 5`` and bare
    numbers (``141-143, 145-159``)."""
    numbers: dict[int, None] = {}  # in the order named, each once, at most MAX_NUMBERS

    def add(values) -> None:
        for n in values:
            if len(numbers) >= MAX_NUMBERS:
                return
            numbers[n] = None

    partial = False
    if span:
        lo, hi = span
        ends = [int(m.group(1)) for m in _UP_TO.finditer(text)]
        ends = [n for n in ends if lo <= n <= hi]
        if ends:  # t.o.m. 20, t.o.m. 24: from the first § to the last named
            add(range(lo, max(ends) + 1))
        starts = [int(m.group(1)) for m in _FROM_ON.finditer(text)]
        starts = [n for n in starts if lo <= n <= hi]
        if starts:
            add(range(min(starts), hi + 1))
        text = _FROM_ON.sub(" ", _UP_TO.sub(" ", text))
    lists: dict[str, None] = {}
    for m in _RANGES.finditer(text):
        lists[m.group("list")] = None
        partial = partial or bool(m.group("partial"))
    for listed in lists:  # a list named again is expanded once
        add(expand_ranges(listed))
    if span and not numbers:
        for m in _EXCEPT.finditer(text):
            absent = set(expand_ranges(m.group("list")))
            if absent and absent <= set(range(lo, hi + 1)):
                add(n for n in range(lo, hi + 1) if n not in absent)
        if not numbers:
            bare = [expand_ranges(item) for item in dict.fromkeys(m.group("item") for m in _BARE_RANGE.finditer(text))]
            if bare and all(lo <= n <= hi for found in bare for n in found):  # (t.o.m. … gone above)
                add(n for found in bare for n in found)
    return tuple(numbers), partial


def _replacements(text: str, span: tuple[int, int] | None = None) -> tuple[Replacement, ...]:
    found = []
    for m in _REPLACES.finditer(text):
        ranges, _ = _ranges_in(m.group("ranges") or "", span)
        party = m.group("party")
        found.append(Replacement(m.group("name").strip(), party.upper() if party else None, ranges))
    return tuple(found)


def _person_line(line: str, role: str, span: tuple[int, int] | None = None) -> Attendee | None:
    """One attendance line -> Attendee (``Name (P) §§ 22–23``, ``Name, title § 12`` ...)."""
    line = line.strip().rstrip(".").strip()
    m = _NAME.match(line)
    if not m:
        return None
    words = m.group("name").split()
    # A name is capitalised words (particles allowed); "Digitalt justerat protokoll" is not, nor a label
    # of the front page ("Justering Justerande", "Justerare Jennie Lundgren").
    if len(words) < 2 or not all(_NAME_WORD.match(w) for w in words[:2]) or _NOT_NAME.match(words[0]):
        return None
    rest = line[m.end():].strip()
    party = None
    pm = _PARTY.match(rest)
    if pm:
        party = (pm.group("party") or pm.group("bare")).upper()
        rest = rest[pm.end():]
    rest = re.sub(r"^\s{3,}(?=[^\W\d])", ", ", rest).strip()  # a table's column gap before a title: a comma
    title = None
    if rest.startswith(","):
        rest = rest[1:].strip()
        title = re.split(r"(?:\bdel av\s+)?§|\bersätter\b|(?<![\w.])\d(?!:[ae]\b)|\b(?:t\.?\s?o\.?\s?m|fr\.?\s?o\.?\s?m|ej|utom)\b",
                         rest, maxsplit=1, flags=re.I)[0].strip(" ,") or None
    if title is None and role == "övrig" and not party:  # "Anders Edlund Planerare" (then § ranges, if any)
        if not _NAME_WORD.match(words[-1]):
            title, words = words[-1], words[:-1]
        elif len(words) >= 3 and _TITLE_WORD.search(words[-1]):
            title, words = words[-1], words[:-1]
        elif len(words) >= 3 and len(words[0]) >= 6 and _TITLE_WORD.search(words[0]):
            title, words = words[0].lower(), words[1:]  # the title first: "Kommundirektör Jan Fransson"
    replaces = _replacements(rest, span)
    ranges, partial = _ranges_in(_REPLACES.sub(" ", rest), span)
    if replaces and role == "ledamot":  # "Björn Mårtensson (S) ersättare istf Roland Bäckman (S)" among the members
        role = "tjänstgörande ersättare"
    return Attendee(" ".join(words), role, party, title, ranges, partial, replaces)


def _people(line: str, role: str, span: tuple[int, int] | None = None) -> list[Attendee]:
    """The people on a line of an attendance list: one, or several in a run ("Leif Persson (S) ordf
    Annelie Wallberg (S) Stina Michelson (S) § 62-75", "Jannike Hillding, M, Ordförande Astrid Lönn
    Jern, C"), each with what follows their name up to the next."""
    starts = [m.start() for m in _PERSON_START.finditer(line) if not _REPLACING.search(line[max(0, m.start() - 30):m.start()])]
    # Staff without parties, each with the §§ they attended: "Anna Berg, VD § 142 Per Ek, ekonom §§ 166-186"
    starts += [m.start("name") for m in _AFTER_RANGE.finditer(line)]
    if role == "övrig":  # "Ulf Johansson, förvaltningschef Liselott Björkman, sekreterare …", "Mats Ek Säkerhetschef Robert Lind …"
        starts += [m.start("name") for rx in (_AFTER_TITLE, _AFTER_TITLE_WORD) for m in rx.finditer(line)]
    starts = sorted(set(starts))
    if len(starts) <= 1:
        person = _person_line(line, role, span)
        return [person] if person else []
    people = []
    if starts[0] > 0 and line[: starts[0]].strip():
        starts.insert(0, 0)
    roles = None
    tail = _ROLE_RUN.search(line, starts[-1])
    if tail and len(_ROLE_WORD.findall(tail.group(0))) == len(starts):
        roles, line = _ROLE_WORD.findall(tail.group(0)), line[: tail.start()]
    for a, b in zip(starts, starts[1:] + [len(line)]):
        person = _person_line(line[a:b].strip(" ,;"), role, span)
        if person:
            people.append(person)
    if roles and len(roles) == len(people):  # names first, then their roles in a run of their own
        people = [_with_role(p, r) for p, r in zip(people, roles)]
    return people


_AFTER_RANGE = re.compile(
    rf"§§?\s*{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*\s+(?P<name>[A-ZÅÄÖ][a-zåäö]+(?:[\s-][A-ZÅÄÖ][\wåäö-]+){{1,3}},)")


_AFTER_TITLE_WORD = re.compile(
    r"(?<![\wåäö])(?=[A-ZÅÄÖ])(?i:[a-zåäö]*(?:chef|are|ör|strateg|lektor|adjunkt|ansvarig|ekonom|jurist|controller))"
    r"(?:\s+(?:§§?\s*)?\d+(?:\s*[-–]\s*\d+)?)?\s+(?P<name>[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ])")
_NOT_NAME = re.compile(r"^(?:Justering|Justerare|Justerande|Justeras|Protokolls?justerare|Underskrifter|Underskrift|Sekreterare|Ordförande|"
                       r"Paragrafer|Paragraf|Utses|Plats|Tid|Organ|Sammanträdesdatum)$")
_AFTER_TITLE = re.compile(r"[a-zåäö/)\d],?\s+(?P<name>[A-ZÅÄÖ][a-zåäöé]+(?:[\s-][A-ZÅÄÖ][\wåäö-]+){1,2},)")


# Roles written as a run of their own after the names (a two-column list linearised):
# "Anna Ek (S) Per Berg (M) ordförande 1:e vice ordförande ledamot tjänstgörande ersättare".
_ROLE_WORD = re.compile(
    r"(?:(?:\d:e\s+|förste\s+|andre\s+)?vice\s+ordförande|ordförande|ledamot|(?:tjänstgörande|tjg\.?)\s+ersättare"
    r"(?:\s+för\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)?|ersättare\s+för\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?"
    r"|ersättare)", re.IGNORECASE)
_ROLE_RUN = re.compile(rf"(?<=\))\s+(?:{_ROLE_WORD.pattern})(?:\s+(?:{_ROLE_WORD.pattern}))+\s*$", re.IGNORECASE)


def _with_role(person: Attendee, role: str) -> Attendee:
    """A person with the role a run of roles gives: a chair's title, or a substitute serving (for someone)."""
    low = role.lower()
    if "ersättare" in low:
        m = re.search(r"\bför\s+(.+)$", role)
        replaces = (Replacement(m.group(1).strip()),) if m else ()
        serving = low.startswith(("tjänstgörande", "tjg")) or bool(m)
        return replace(person, role="tjänstgörande ersättare" if serving else "närvarande ersättare",
                       replaces=person.replaces + replaces)
    if "ordförande" in low:
        return replace(person, title=person.title or role)
    return person


# A signer's label with the name after it, or alone: "Justerare: Bengt Berg", "Utses att justera Per Lund",
# "Sekreterare ......... Hans Holm", "Justerande".
_SIGNERS = r"(?:Justerare|Justerande|Utses att justera|Sekreterare|Ordförande)(?![\wåäö])"
_SIGNER_LABEL = re.compile(rf"^(?P<label>{_SIGNERS})\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_SIGNER_WORD = re.compile(rf"(?<![\wåäö]){_SIGNERS}", re.IGNORECASE)
_SIGNER_ROLE = {"just": "adjuster", "utse": "adjuster", "sekr": "secretary", "ordf": "chair"}


def _signer_names(text: str) -> list[str]:
    """The names on a signer's line ("Bengt Berg (M) och Cecilia Carlsson (C)", "...... Hans Holm"), or []
    when it holds anything but names."""
    text = re.sub(r"^[\s.…_:]+|[\s.…_]+$", "", text)
    if not text:
        return []
    names = []
    for part in re.split(r"\s*(?:,|\boch\b|\bsamt\b|&)\s*", text):
        part = re.sub(r"\s*\([A-Za-zÅÄÖåäö]{1,5}\)$", "", part.strip())
        words = part.split()
        cut = next((k for k, w in enumerate(words) if _NOT_NAME.match(w)), len(words))
        if cut >= 2:  # the next label run on: "Christel Öhgren Justeras"
            words = words[:cut]
            part = " ".join(words)
        if not part or len(part) <= 3 and part.isupper():  # "Bengt Berg, M": the party
            continue
        if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words) or _NOT_NAME.match(words[0]):
            return []
        names.append(part)
    return names


def _sign(h: dict, adjusters: list[str], role: str, names: list[str]) -> None:
    if role == "adjuster":
        adjusters += [n for n in names if n not in adjusters]
    else:
        h[role] = h.get(role) or names[0]


_GAP_PARTY = re.compile(r"(?<=\S)\s{3,}(\([A-Za-zÅÄÖåäö]{1,5}\))")
_PARTY_GAP = re.compile(r"(\([A-Za-zÅÄÖåäö]{1,5}\))\s{3,}(?=[^\W\d])")


def _cells_as_text(line: str) -> str:
    """A table row of a front page (name, party, title in cells; a column gap between them, as a PDF's
    columns or a Word table read) as it is written in text: ``Anna Berg (S), ordförande``."""
    if "   " not in line:
        return line
    return _PARTY_GAP.sub(r"\1, ", _GAP_PARTY.sub(r" \1", line))


def parse_header(lines: list[str], span: tuple[int, int] | None = None) -> Meeting:
    """The lines before the first paragraph -> a Meeting with the header fields and attendance
    (``span``: the §§ the meeting declares, for ``t.o.m. 20``, ``ej 13`` and bare numbers)."""
    h: dict = {}
    adjusters: list[str] = []
    attendance: list[Attendee] = []
    role: str | None = None
    pending: list[str] | None = None  # the roles of signers' labels read, the names still to come
    first_text: str | None = None
    for line in lines:
        s = _cells_as_text(line.strip())
        if not s:
            continue
        if first_text is None:
            first_text = s
        key = _HEADER_KEYS.match(s)
        if key:
            label, value = key.group(1).lower(), key.group(2).strip()
            if label in ("datum", "sammanträdesdatum"):
                h["date"] = h.get("date") or parse_date(value)
            elif label in ("tid", "klockan"):
                h["time"] = _time(value)
            else:
                h["place"] = value
            role = None
            continue
        heading = next((r for rx, r in _ROLE_HEADINGS if rx.match(s.rstrip(":"))), None)
        if heading:
            role = heading
            continue
        with_names = _ROLE_WITH_NAMES.match(s)
        if with_names:
            role = next(r for rx, r in _ROLE_HEADINGS if rx.match(with_names.group("label")))
            attendance += _people(with_names.group("rest"), role, span)
            continue
        signer = _SIGNER_LABEL.match(s)
        if signer:  # "Justerare: Bengt Berg", "Sekreterare ......... Hans Holm", or the label alone, the name below
            names = _signer_names(signer.group("rest"))
            more_labels = [w for w in re.split(r"\s{3,}", signer.group("rest").strip(" .…_:")) if w]
            if names or all(_SIGNER_WORD.fullmatch(w) for w in more_labels):  # a name, or labels side by side
                # a run of them on one line: "Sekreterare Ingela Carlsson Ordförande Lars Aronsson Justerare …"
                labels = list(_SIGNER_WORD.finditer(s))
                for here, after in zip(labels, labels[1:] + [None]):
                    found = _signer_names(s[here.end():after.start() if after else len(s)])
                    if found:
                        _sign(h, adjusters, _SIGNER_ROLE[here.group(0).lower()[:4]], found)
                    elif after is None or here is labels[0]:
                        break
                if not names:  # the names on a line below; labels side by side, the names in their columns
                    pending = [_SIGNER_ROLE[m.group(0).lower()[:4]] for m in labels] or \
                        [_SIGNER_ROLE[signer.group("label").lower()[:4]]]
                role = None
                continue
        if pending:
            cells = re.split(r"\s{3,}", line.strip())
            if len(pending) > 1 and len(cells) == len(pending) and all(_signer_names(c) for c in cells):
                for signer_role, cell in zip(pending, cells):
                    _sign(h, adjusters, signer_role, _signer_names(cell))
                pending = None
                continue
            names = _signer_names(s)
            if names:
                _sign(h, adjusters, pending[0], names)
                pending = None
                continue
            if s.strip(" .…_"):
                pending = None
        sig = _SIGNATURE.match(s)
        if sig:
            name = re.sub(r"\s*\([^)]*\)\s*$", "", sig.group("name")).strip()
            kind = sig.group("role").lower()
            if kind.startswith("ordf"):
                h["chair"] = h.get("chair") or name
            elif kind.startswith("sekr"):
                h["secretary"] = h.get("secretary") or name
            elif name not in adjusters:
                adjusters.append(name)
            person = _person_line(s, role, span) if role else None
            if person:  # "Anders Åhrlin (M), ordförande" inside a list of members
                attendance.append(person)
            else:
                role = None
            continue
        if re.match(rf"^Paragraf(?:er)?\s+{_RANGE_ITEM}", s, re.I):  # "Paragraf 22–26" ends the lists
            role = None
            continue
        if role:
            if re.match(r"^ersätter\s", s, re.I) and attendance:
                # A continuation line: another replacement for the person above.
                prev = attendance[-1]
                attendance[-1] = Attendee(
                    prev.name, prev.role, prev.party, prev.title, prev.paragraphs,
                    prev.partial, prev.replaces + _replacements(s, span),
                )
                continue
            people = _people(s, role, span)
            if people:
                attendance += people
                continue
            role = None
    if first_text and not _HEADER_KEYS.match(first_text) and len(first_text) < 120:
        if not any(rx.match(first_text) for rx, _ in _ROLE_HEADINGS):
            h["committee"] = first_text
    return Meeting(kind="protocol", adjusters=tuple(adjusters), attendance=tuple(attendance), **h)


def presence_at(attendance: tuple[Attendee, ...]):
    """A function: § number -> who was present at that § and in which capacity.

    An entry without § ranges covers the whole meeting; a substitute without
    ranges of their own covers the §§ of their replacements; a member with no
    ranges of their own is absent where someone replaced them.  Asked one §
    at a time, so that a meeting of any size is never held whole.
    """
    replaced: dict[str, list[tuple[int, ...]]] = {}  # name -> the § ranges of each replacement ((): all)
    for a in attendance:
        for r in a.replaces:
            replaced.setdefault(r.name.casefold(), []).append(r.paragraphs)

    def at(ranges: tuple[int, ...], n: int) -> bool:
        return not ranges or n in ranges

    def present(n: int) -> tuple[Attendee, ...]:
        people: list[Attendee] = []
        for a in attendance:
            if a.replaces and not a.paragraphs:
                here = any(at(r.paragraphs, n) for r in a.replaces)
            elif a.paragraphs:
                here = n in a.paragraphs
            else:
                here = not any(at(ranges, n) for ranges in replaced.get(a.name.casefold(), ()))
            if here and all(p.name != a.name for p in people):
                people.append(a)
        return tuple(people)

    return present


def presence(attendance: tuple[Attendee, ...], meeting: tuple[int, ...]) -> dict[int, tuple[Attendee, ...]]:
    """Who was present at each § of ``meeting`` (see :func:`presence_at`)."""
    present = presence_at(attendance)
    return {n: present(n) for n in meeting}


def participants(attendance: tuple[Attendee, ...], meeting: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    """The names present at each §."""
    return {n: tuple(a.name for a in people) for n, people in presence(attendance, meeting).items()}


# --- paragraphs ---------------------------------------------------------------

SECTION_NAMES = [
    "Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Beslut", "Yrkanden", "Yrkande",
    "Reservation", "Reservationer", "Jäv", "Beslutsgång", "Propositionsordning", "Omröstning",
    "Omröstningsresultat", "Handling", "Handlingar", "Information", "Protokollsanteckning",
    "Protokollsanteckningar", "Särskilt yttrande", "Särskilda yttranden", "Protokollsutdrag skickas till",
    "Skickas till", "Expedieras till", "Tidigare behandling", "Styrande dokument", "Bakgrund",
    "Sammanfattning", "Överläggning", "Bedömning", "Ekonomiska konsekvenser", "Ärendet",
]
_SECTION = re.compile(
    r"^(?P<name>" + "|".join(re.escape(s) for s in SECTION_NAMES) + r")(?:\s*[-–]\s*\w+(?: \w+){0,2})?\s*:?$",
    re.IGNORECASE,
)
# Other names protocols give these sections, read as the section they are.
_SECTION_ALIAS = re.compile(
    r"^(?:(?P<proposal>[\wåäöÅÄÖ-]+s\s+förslag till beslut|förslag till beslut på sammanträdet)"  # "Förvaltningens …"
    r"|(?P<sent>(?:beslutet|beslut)(?:\s+ska)?\s+(?:skickas|expedieras)\s+till|expediering|sändlista)"
    r"|(?P<summary>sammanfattning av ärendet|ärendet i korthet))\s*:?$", re.IGNORECASE)
_ALIASED = {"proposal": "Förslag till beslut", "sent": "Skickas till", "summary": "Sammanfattning"}


def _section_name(line: str) -> str | None:
    """The section a line heads (``Beslut``, ``Förvaltningens förslag till beslut`` -> ``Förslag till beslut``), or None."""
    m = _SECTION.match(line)
    if m:
        return next(n for n in SECTION_NAMES if n.casefold() == m.group("name").casefold())
    m = _SECTION_ALIAS.match(line) if len(line) <= 64 else None  # the longest alias is some 50 characters
    return _ALIASED[m.lastgroup] if m else None


# § headings: "§ 23 Title", "§23", "§ 23.", "KF § 266", "KS § 12", "KS AU § 12", "KS-AU § 12" (a body's prefix), "23 §".
_PARA_HEAD = re.compile(r"^(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}(?:[\s-](?:[A-ZÅÄÖ]{1,5}|au))?\s+)?§\s*(?P<num>\d{1,9})\.?(?=[\s,]|$)"
                        r"(?P<rest>.*)$")
_SIGN_AFTER_HEAD = re.compile(r"^(?P<num>\d{1,9})\s*§(?=\s|$)(?P<rest>.*)$")
# Read only inside the meeting's declared § range, where a number at a line start can only be a §:
# "74 Upprop", "Ks 80 Title", "SN 139 Title" (a site dropped the §), "KSKF/2014:1 235 Title",
# "49 Dnr KOF/2020:151 Title".
_BARE_HEAD = re.compile(r"^(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}\s+)?(?P<num>\d{1,4})\s+(?P<rest>[A-ZÅÄÖ\"“].*)$")
_CASE_FIRST_HEAD = re.compile(r"^(?:Dnr\.?\s+)?(?P<case>[A-ZÅÄÖ]{2,8}\s?/\s?\d{4}:\d+)\s+(?P<num>\d{1,4})\s+(?P<rest>\S.*)$")
_CASE_BETWEEN_HEAD = re.compile(r"^(?P<num>\d{1,4})\s+Dnr\.?\s+(?P<case>\S+(?:\s\d+/\d{2,4})?)\s+(?P<rest>[A-ZÅÄÖ].*)$")
# A contents line: leaders, then the page it is on ("§ 62 Upprop ........ 4").
_TOC_LINE = re.compile(r"(?:\.{3,}|…+|_{3,})\s*\d{1,4}\s*$")
# The §§ a protocol declares it holds: "Paragrafer 266-284", "Justerade paragrafer 252-273", "Omfattning 74-93".
_DECLARED = re.compile(
    r"(?:justerade\s+paragrafer|paragrafer|paragraf|omfattning)\s*:?\s*(?:§§?\s*)?(\d{1,9})\s*[-–]\s*(\d{1,9})",
    re.IGNORECASE,
)
_DECLARED_ALONE = re.compile(r"(?m)^\s*§§\s*(\d{1,9})\s*[-–]\s*(\d{1,9})\s*$")  # a line of its own


def declared_range(lines: list[str]) -> tuple[int, int] | None:
    """The §§ the front matter declares the protocol holds, or None."""
    front = "\n".join(lines[:150])
    m = _DECLARED.search(front) or _DECLARED_ALONE.search(front)
    if not m:
        return None
    lo, hi = int(m.group(1)), int(m.group(2))
    return (lo, hi) if lo <= hi <= lo + 2000 else None


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
    numbered: bool  # each page a line that starts with its number
    agenda: dict[int, Entry]  # the items of an agenda run into flattened pages
    heads: dict[str, list] = field(default_factory=dict)  # kind -> its headings, once found

    @classmethod
    def of(cls, lines: list[str]) -> "Layout":
        declared = declared_range(lines)
        out: list[str] = []
        contents: dict[int, Entry] = {}
        toc: set[int] = set()
        numbered = page_numbered(lines)
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            m = CONTENTS_KEY.search(line)
            if m and not flat(line, numbered) and _CONTENTS_ALONE.match(line):  # a list laid out a cell a line
                used = _listed_below(lines, i - 1, declared)
                if used:
                    found, last = used
                    toc.update(range(len(out), len(out) + last - i + 2))
                    out += lines[i - 1: last + 1]
                    i = last + 1
                    for entry in found:
                        contents.setdefault(entry.number, entry)
                    continue
            if m and flat(line, numbered):
                found, _, end = contents_entries(line[m.end():], declared)
                start, end = m.start(), m.end() + end
            else:  # a list without its heading word (a list's second page, or a cover that lists the §§)
                run = listed_run(line, declared) if flat(line, numbered) else None
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
        accepted = [] if _says_agenda(out) else _accepted(inline_heads(out, skip=toc), known)
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
            elif i > first and flat(line, numbered):  # a § going on over a page flattened to one line
                page = PAGE_PREFIX.match(before) if numbered else None
                lines_out += _labels_apart(before[page.end():] if page else before)
            elif before or not here:  # (a blank line stays)
                lines_out.append(before)
            for n, c in enumerate(here):
                piece = line[c.start: here[n + 1].start if n + 1 < len(here) else len(line)]
                number, title, case, head, body = inline_head(piece, contents.get(c.number))
                lines_out += [""] if lines_out and lines_out[-1] else []
                inline[len(lines_out)] = (number, title, case)
                lines_out += [head, ""] + _labels_apart(body)
        return cls(lines_out, declared, known, contents, toc_out, inline, numbered, _agenda_items(lines_out, numbered))


_CONTENTS_ALONE = re.compile(r"^(?:INNEHÅLLSFÖRTECKNING|Innehållsförteckning|ÄRENDEFÖRTECKNING|Ärendeförteckning|INNEHÅLL|Innehåll)"
                             r"(?:\s+(?:Paragrafer|Paragraf|Ärenden|Ärende|Sida|Sid|Sidan|§))*\s*$")


_AGENDA_KEY = re.compile(r"(?<![\wåäö])(?:FÖREDRAGNINGSLISTA|Föredragningslista|Ärendelista|ÄRENDELISTA|Dagordning|Ärenden)\b")


def _agenda_items(lines: list[str], numbered: bool) -> dict[int, Entry]:
    """An agenda's items where its pages were flattened: the list from its heading word on, across the
    pages that follow (``Föredragningslista Ärende/Föredragande 1 Upprop Dnr 2 Godkännande …``)."""
    for i, line in enumerate(lines):
        m = _AGENDA_KEY.search(line) if flat(line, numbered) else None
        if m:
            text = " ".join([line[m.end():]] + [x for x in lines[i + 1:] if flat(x, numbered)])
            return {e.number: e for e in contents_entries(text, numbers_first=True)[0]}
    return {}


def _listed_below(lines: list[str], at: int, declared) -> tuple[list[Entry], int] | None:
    """A contents list whose heading word stands on line ``at`` and whose cells follow a line each
    ("§ 252" / title / "6"): its entries and the last line it takes, when it lists two §§ or more."""
    below = lines[at: at + 400]
    columns = _in_columns(below)
    if columns:
        return columns[0], at + columns[1]
    text = "\n".join(below)
    key = CONTENTS_KEY.match(text)
    found, _, end = contents_entries(text[key.end():], declared, numbers_first=True)
    if len(found) < 2:
        return None
    return found, at + text.count("\n", 0, key.end() + end)


_NUMBER_CELL = re.compile(r"^§?\s*(\d{1,4})$")
_RUNS_ON = {"och", "om", "för", "av", "i", "samt", "mellan", "med", "till", "från", "vid", "på", "enligt", "inom"}


def _in_columns(below: list[str]) -> tuple[list[Entry], int] | None:
    """A contents list laid out in columns and read a column at a time: all its § numbers a line each,
    then all its titles (a title wrapped over lines goes on where the next line starts in lower case or
    with a digit, or the line before ends with a word that needs more).  The k-th title is the k-th §'s."""
    k = 1
    while k < len(below) and (below[k].strip().lower() in COLUMN_WORDS or not below[k].strip()):
        k += 1
    numbers: list[int] = []
    while k < len(below) and (m := _NUMBER_CELL.match(below[k].strip())):
        numbers.append(int(m.group(1)))
        k += 1
    if len(numbers) < 3 or any(b <= a for a, b in zip(numbers, numbers[1:])):
        return None
    while k < len(below) and (below[k].strip().lower() in COLUMN_WORDS or not below[k].strip()):
        k += 1
    titles: list[str] = []
    while k < len(below) and len(titles) <= len(numbers):
        line = below[k].strip()
        if not line or (_NUMBER_CELL.match(line) and not re.fullmatch(r"(?:19|20)\d\d", line)) or line.isupper():
            break  # (a year alone goes on a title: "… verksamhetsberättelse" / "2014")
        previous = titles[-1].split()[-1] if titles else ""
        if titles and (line[0].islower() or line[0].isdigit() or previous.lower() in _RUNS_ON
                       or (previous[:1].isupper() and previous.endswith("s") and len(titles[-1].split()) > 3)):
            titles[-1] += " " + line  # "… Sveriges" / "Musik och Kulturskoleråds årskonferens"
        else:
            titles.append(line)
        k += 1
    if not titles or len(titles) > len(numbers):
        return None
    titles += [""] * (len(numbers) - len(titles))  # an excerpt cut before the last titles: the §§ stand by number
    return [Entry(n, t) for n, t in zip(numbers, titles)], k - 1


# Inside a § flattened to one line: its labels and sections, each where a line of its own would start.
# A section word found only as a heading starts one anywhere; one that is also a word of running text
# ("Beslut") only after a sentence.
_SECTIONS_ANYWHERE = ("Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Propositionsordning",
                      "Protokollsanteckning", "Ärendets behandling", "Särskilt yttrande")
_SECTIONS_AFTER_SENTENCE = ("Beslutet skickas till", "Beslut", "Bakgrund", "Yrkanden", "Yrkande", "Reservation",
                            "Omröstning", "Handlingar", "Handling")
_LABEL_INSIDE = re.compile(
    r"\s(?=(?:Ärendenummer|Diarienummer|Dnr|Handläggare|Handläggande tjänsteperson|Föredragande)\s*:)"
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

    best: list[tuple[tuple[int, int], int]] = []  # per candidate: ((length, page-heads), previous) of the best run ending there
    for k, c in enumerate(candidates):
        if signed and c.form == "bare" and c.number not in known:
            best.append(((-1, 0), -1))
            continue
        by_itself = alone(k, c)
        score, prev = ((1, int(c.page_start)), -1) if by_itself else ((-1, 0), -1)
        for j in range(k):
            (length, heads), _ = best[j]
            d = candidates[j]
            if length < 0 or d.number >= c.number:
                continue
            if by_itself or c.number == d.number + 1:
                cand = (length + 1, heads + int(c.page_start))
                if cand > score:
                    score, prev = cand, j
        best.append((score, prev))
    if not best or max(score for score, _ in best)[0] < 0:
        return []
    k = max(range(len(best)), key=lambda n: (best[n][0], -n))
    out: list[Inline] = []
    while k >= 0:
        out.append(candidates[k])
        k = best[k][1]
    return out[::-1]


def _head_match(line: str, known: frozenset[int] | None):
    """(number, rest of the line, case number or None) when the line opens a §, else None.  A number
    without a § sign opens one only where the protocol says it holds that § (``known``)."""
    for rx in (_PARA_HEAD, _SIGN_AFTER_HEAD):
        m = rx.match(line)
        if m and not _LAW_AFTER.match(m.group("rest")):
            return int(m.group("num")), m.group("rest").strip(), None
    if known:
        for rx in (_CASE_FIRST_HEAD, _CASE_BETWEEN_HEAD, _BARE_HEAD):
            m = rx.match(line)
            if m and int(m.group("num")) in known:
                case = m.groupdict().get("case")
                return int(m.group("num")), m.group("rest").strip(), case
    return None
# A § of a law, not of the meeting, where a wrapped sentence puts it at a line start:
# "9 § upphovsrättslagen", "§ 5 kommunallagen", "3 § första stycket".
_LAW_AFTER = re.compile(r"\s*(?:[a-zåäö]+(?:lagen|lag|balken|förordningen)\b|första|andra|tredje|fjärde|femte|"
                        r"sista\s+stycket|stycket|punkt|p\.|kap\.?\s)")
# An agenda's item: "4 Title", "4. Title", "4) Title", "Ärende 4 Title", "Punkt 4. Title"
_ITEM_HEAD = re.compile(r"^(?:(?:Ärende|Punkt)\s+)?(?P<num>\d{1,3})[.)]?\s+(?P<rest>[A-ZÅÄÖ\"“”].*)$")
# An agenda's item number alone on its line, the title on the next ("4", "4.", " 1. 4." list index and number).
_ITEM_ALONE = re.compile(r"^\s*(?:\d{1,3}\.\s+)?(?P<num>\d{1,3})\.?\s*$")
_AGENDA = re.compile(r"^\s*(?:kallelse|föredragningslista|ärendelista|dagordning|anmälningslista)\b"
                     r"|^möte\s+\d{4}-\d{2}-\d{2}\s*$",
                     re.IGNORECASE | re.MULTILINE)
_DAY_LABEL = re.compile(r"^(?:dag|datum)\s*:", re.IGNORECASE | re.MULTILINE)
# When and where a meeting is held: with a date label, what makes a dated list of items a meeting's
# (a report with a date and numbered chapters is none).
_WHEN_WHERE = re.compile(r"^(?:Tid|Klockan|Plats|Lokal|Plats och tid|Tid och plats)\b|\bkl(?:\.|ockan)?\s*\d{1,2}[.:]\d{2}",
                         re.IGNORECASE | re.MULTILINE)
_CASE_LABEL = r"(?:Ärendenummer|Ärendenr|Diarienummer|Diarienr|Dnr)\.?\s*:?\s*"  # the words a case number follows
_CASE_LINE = re.compile(rf"^{_CASE_LABEL}(?P<value>.*)$", re.IGNORECASE)
_OFFICER_LINE = re.compile(r"^(?:Handläggare|Handläggande tjänsteperson|Föredragande)\s*:\s*(?P<value>.*)$", re.I)
_NUMBERED_SUBHEAD = re.compile(r"^[A-ZÅÄÖ][a-zåäö]+ \d+$")  # "Fråga 1" starts text, not title


def _officers(value: str) -> tuple[str, ...]:
    value = re.sub(r"\bm\.\s?fl\.?", "", value)
    parts = re.split(r",|\boch\b|\bsamt\b|&", value)
    names = []
    for p in parts:
        name = re.sub(r"\s*\([^)]*\)", "", p).strip(" .")
        if name:
            names.append(name)
    return tuple(names)


def _heads(lines: list[str], kind: str, layout: "Layout | None" = None) -> list[tuple[int, int, str, str | None]]:
    """(line index, number, rest of line, case number) of each paragraph heading, numbers strictly rising.

    A protocol's §§ are held against the range it declares (``Paragrafer 26–38``), so that a
    reference in running text (``5 kap 50 § kommunallagen``) never opens one; within that range a
    bare number, or a body's prefix without the §, opens one too.  Contents lines are passed over.
    """
    layout = layout or Layout.of(lines)
    if kind not in layout.heads:  # asked by detect, then by read_meeting: found once
        heads = _heads_of(layout.lines, kind, False, layout)
        if not heads and kind == "protocol":  # only a contents list (an excerpt cut before its §§): its entries
            heads = _heads_of(layout.lines, kind, True, layout)
        layout.heads[kind] = heads
    return layout.heads[kind]


def _heads_of(lines: list[str], kind: str, contents: bool, layout: "Layout") -> list[tuple[int, int, str, str | None]]:
    heads: list[tuple[int, int, str, str | None]] = []
    declared = layout.declared if kind == "protocol" else None
    for i, line in enumerate(lines):
        if kind == "protocol":
            if i in layout.inline:
                found = layout.inline[i]
            else:
                if bool(_TOC_LINE.search(line)) != contents or i in layout.contents_lines:
                    continue
                if contents:
                    line = _TOC_LINE.sub("", line).rstrip()
                found = _head_match(line, layout.known)
                if found is None:
                    continue
            num, rest, case = found
            if declared and not declared[0] <= num <= declared[1]:
                continue
        else:
            if flat(line, layout.numbered):
                continue  # a flattened page is no item's heading (its page number is no item number)
            alone = _ITEM_ALONE.match(line)
            if alone and i + 1 < len(lines) and re.match(r"[A-ZÅÄÖ\"“]", lines[i + 1].strip()):
                num, rest, case = int(alone.group("num")), "", None  # the title on the next line
            else:
                m = _ITEM_HEAD.match(line)
                if not m:
                    continue
                num, rest, case = int(m.group("num")), m.group("rest").strip(), None
        if re.match(r",\s+[A-ZÅÄÖ]", rest) and kind == "protocol":
            rest = rest[1:].strip()  # a Word table's row, its cells joined: "§ 12, Val av justerare"
        if rest[:1] in {",", ".", ")", ":", ";"} or re.match(r"^(och|samt|till|i|den|kap)\b", rest):
            continue
        if i > 0 and lines[i - 1].count("(") > lines[i - 1].count(")"):
            continue  # inside a parenthesis the line before opened: a reference wrapped to a line start
        if kind == "notice":
            if rest and i > 0 and lines[i - 1].strip():
                continue
            if heads and num != heads[-1][1] + 1:
                continue
        elif heads and num <= heads[-1][1]:
            continue
        heads.append((i, num, rest, case))
    return heads


def _split_title(rest: str, body: list[str]) -> tuple[str, str | None, int]:
    """Title (joined across lines), a case number from the heading line, and lines consumed."""
    case = None
    m = re.match(rf"^{_CASE_LABEL}(?P<case>\S.*)?$", rest, re.I)
    title_parts: list[str] = []
    if m:  # Göteborg: "§ 2 Ärendenummer SLK-2023-00364", title on the following lines
        case = (m.group("case") or "").strip() or None
        if case:  # "Dnr KS 2018/14 Title": the case number, then the title on the same line
            case, title_rest = _case_then_title(case)
            if title_rest:
                title_parts.append(title_rest)
    elif rest:
        # "§ 12 KS 2021/123 Budget 2022": a case number with its office's prefix, written without Dnr
        words = rest.split()
        n = case_prefix(words) if re.match(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}\b", rest) else 0
        if n and _case_key_prefix(" ".join(words[:n])):
            case = " ".join(words[:n])
            if words[n:]:
                title_parts.append(" ".join(words[n:]))
        else:
            title_parts.append(rest)
    i = 0
    while i < len(body) and not title_parts and not body[i].strip():
        i += 1  # the title may follow after blank lines
    while i < len(body):
        s = body[i].strip()
        if not s or _section_name(s) or _CASE_LINE.match(s) or _OFFICER_LINE.match(s) or s in ("-", "–", "—", "•"):
            break
        if title_parts and _NUMBERED_SUBHEAD.match(s):
            break
        if title_parts and re.search(r"[^\W\d_]{2}[.!?]$", s) and len(s.split()) >= 2 and not re.search(
                r"[-–,]$|\b(?:och|samt|om|för|av|i|på|till|med|från|vid|inom|mellan)$", title_parts[-1]):
            break  # a sentence after a whole title: the text begins ("Bengt Berg utses.")
        title_parts.append(s)
        i += 1
        if len(title_parts) >= 6:
            break
    title = " ".join(title_parts)
    if case is None:  # "Budget 2022 (KS 2021/123)", "Budget 2022, Dnr KS 2021/123": the case number ends the title
        title, case = _title_then_case(title)
    return title, case, i


_CASE_AT_END = re.compile(rf"(?:[,;]?\s*\((?P<inner>[^()]{{4,40}})\)|[,;]?\s+{_CASE_LABEL}(?P<after>\S+(?:\s+\S+){{0,3}}))\s*$",
                          re.IGNORECASE)


def _title_then_case(title: str) -> tuple[str, str | None]:
    """A case number written at the end of a title, labelled or in brackets with its office's prefix."""
    if not title.endswith(")") and not re.search(r"(?i:dnr|nummer|nr)", title):
        return title, None
    m = _CASE_AT_END.search(title)
    if not m or m.start() == 0:
        return title, None
    if m.group("inner"):
        inner = re.sub(rf"^{_CASE_LABEL}", "", m.group("inner"), flags=re.I)
        labelled = inner != m.group("inner")
        words = inner.split()
        ok = case_prefix(words) == len(words) and (_case_key_prefix(inner) or labelled and words[0].lower() not in _PUBLICATIONS)
        return (title[: m.start()].rstrip(" ,;–-"), inner) if ok else (title, None)
    words = m.group("after").split()
    n = case_prefix(words)
    return (title[: m.start()].rstrip(" ,;–-"), " ".join(words)) if n == len(words) else (title, None)


def _case_key_prefix(text: str) -> bool:
    """Whether ``text`` reads as a case number with an office's prefix (``KS 2021/123``, not ``2021/22``)."""
    from .casenum import try_parse

    found = try_parse(text)
    return bool(found and found.prefix and found.prefix not in _PUBLICATIONS)


# Series of the state's publications, numbered as cases are: "(SOU 2023:28)", "(Ds 2021:12)", "(SFS 2018:1234)".
_PUBLICATIONS = {"sou", "ds", "sfs", "prop", "bet", "dir", "rskr", "skr", "kap", "nr"}


def _case_then_title(text: str) -> tuple[str, str]:
    """"KS 2018/14 Samordnad skolskjuts" -> ("KS 2018/14", "Samordnad skolskjuts"): the longest run of
    words at the start that reads as a case number, and the rest (all a case number, when none reads so)."""
    words = text.split()
    n = case_prefix(words)
    return (" ".join(words[:n]), " ".join(words[n:])) if n else (text, "")


def _contents(lines: list[str]) -> dict[int, tuple[str, str | None]]:
    """§ number -> (title, case number) from the protocol's contents list ("62 Dnr KS 2018/14 Title ..... 4")."""
    out: dict[int, tuple[str, str | None]] = {}
    declared = declared_range(lines)
    known = frozenset(range(declared[0], declared[1] + 1)) if declared else None
    for line in lines:
        if not _TOC_LINE.search(line):
            continue
        found = _head_match(_TOC_LINE.sub("", line).rstrip(" .…"), known)
        if found is None:
            continue
        num, rest, case = found
        if re.match(r"^(?:Dnr|Diarienummer|Ärendenummer)\.?\s", rest, re.I):
            case, rest = _case_then_title(re.sub(r"^\S+\s+", "", rest))
        out.setdefault(num, (rest, case))
    return out


def _paragraph(number: int | None, rest: str, body: list[str], head_line: str,
               head_case: str | None = None) -> Paragraph:
    title, case, used = _split_title(rest, body)
    case = case or head_case
    more: list[str] = []
    officers: tuple[str, ...] = ()
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    current: str | None = None
    rest = body[used:]
    for k, line in enumerate(rest):
        s = line.strip()
        cm = _CASE_LINE.match(s)
        if cm and current is None and cm.group("value"):
            value = cm.group("value").strip()
            if case is None:
                case = value
            else:
                more.append(value)  # every Dnr of the § is kept
            continue
        om = _OFFICER_LINE.match(s)
        if om and current is None:
            value = om.group("value")
            j = k + 1
            while re.search(r"(,|\boch|\bsamt)\s*$", value) and j < len(rest) and rest[j].strip():
                value += " " + rest[j].strip()  # a list of officers wrapped onto the next line
                rest[j] = ""
                j += 1
            officers += _officers(value)
            continue
        name = _section_name(s)
        if name:
            current = name
            if name not in sections:
                sections[name] = []
                order.append(name)
            elif sections[name]:
                sections[name].append("")
            continue
        if current is not None:
            sections[current].append(s)
    text = _join_text([head_line] + body)
    return Paragraph(
        number=number,
        title=title,
        text=text,
        case_number=case,
        officers=officers,
        sections=tuple((n, _join_text(sections[n])) for n in order),
        case_numbers=_case_numbers([case] + more if case else more),
    )


def _case_numbers(values: list[str]) -> tuple[str, ...]:
    """Every case number a § is filed under, as written: a Dnr line may hold several ("KS 2018/14, KS 2018/15")."""
    from .casenum import try_parse

    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in re.split(r",|\boch\b|;", value) if p.strip()]
        if len(parts) > 1 and all(try_parse(p) for p in parts):
            out += parts
        else:
            out.append(value)
    return tuple(dict.fromkeys(out))


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


def sections_from_text(text: str, kind: str) -> tuple[tuple[str, str], ...]:
    """The named sections of a § from its text alone (as ``Paragraph.text`` holds it).

    The index stores the text and derives the sections when a § is shown,
    rather than storing everything twice.
    """
    lines = text.split("\n")
    if kind == "other":
        body = _join_text(lines[1:])
        return (("Text", body),) if body else ()
    m = (_PARA_HEAD.match(lines[0]) or _SIGN_AFTER_HEAD.match(lines[0]) or _BARE_HEAD.match(lines[0])
         if kind == "protocol" else _ITEM_HEAD.match(lines[0])) if lines else None
    rest = m.group("rest").strip() if m else ""
    return _paragraph(None, rest, lines[1:], lines[0]).sections


# --- other documents: headed sections ----------------------------------------------


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


# --- the whole document -------------------------------------------------------------


# "SAMMANTRÄDESPROTOKOLL", "PROTOKOLL 1 (19)", "Protokoll från landstingsfullmäktiges sammanträde"
_CALLS_ITSELF_PROTOCOL = re.compile(r"\b(?:SAMMANTRÄDES)?PROTOKOLL(?:SUTDRAG)?\b|^\W*(?:Sammanträdes)?[Pp]rotokoll(?:sutdrag)?\b")


def _says_agenda(lines: list[str]) -> bool:
    """A notice says so at its top (Kallelse, Föredragningslista, Dag:), is no protocol and has no § signs."""
    top = " ".join(lines)[:300]
    head = "\n".join(lines[:40])
    return bool((re.search(r"\b(?:kallelse|föredragningslista)\b", top, re.I) or _AGENDA.search(head)
                 or _DAY_LABEL.search(head) and _WHEN_WHERE.search(head))
                and not re.search(r"\b(?:SAMMANTRÄDESPROTOKOLL|Sammanträdesprotokoll|PROTOKOLL|Protokoll)\b", top)
                and not any(_PARA_HEAD.match(line) or _SIGN_AFTER_HEAD.match(line) for line in lines))


def detect(lines: list[str], layout: "Layout | None" = None) -> str:
    """protocol (has § headings or a contents list of §§), notice (an agenda that says it is one, or a
    dated header, with numbered items) or other."""
    layout = layout or Layout.of(lines)
    lines = layout.lines
    def items() -> int:
        return len(_heads(lines, "notice", layout)) or len(layout.agenda)

    if _says_agenda(lines):
        return "notice" if items() >= 1 else "other"
    if _heads(lines, "protocol", layout) or layout.contents:
        return "protocol"
    top = "\n".join(lines[:40])
    dated = re.search(r"^(Datum|Sammanträdesdatum)\s*(?::|$)", top, re.M | re.I)  # "Datum:", or a label alone
    return "notice" if dated and _WHEN_WHERE.search(top) and items() >= 1 else "other"


def plain_meeting(text: str, source: str | None = None) -> Meeting:
    """The document as plain text, a section per page, titled by its first line: what ingest indexes
    where the parser failed on a file (a bug), so that no file is lost to it."""
    paragraphs = []
    for page in text.split("\f"):
        page = page.strip()
        if page:
            paragraphs.append(Paragraph(None, page.split("\n", 1)[0].strip()[:100], page))
    return Meeting(kind="other", source=source, paragraphs=tuple(paragraphs))


def parse_meeting(text: str, source: str | None = None) -> Meeting:
    """Parse a whole document.  Never raises on arbitrary text."""
    header, paragraphs = read_meeting(text, source)
    return replace(header, paragraphs=tuple(paragraphs))


def read_meeting(text: str, source: str | None = None) -> tuple[Meeting, Iterator[Paragraph]]:
    """The document's header (a Meeting without paragraphs), and its paragraphs one at a time:
    what ingest reads, so that a file of any size is never held parsed whole."""
    lines, running_heads = clean_lines(text)
    del text
    layout = Layout.of(lines)
    lines = layout.lines
    kind = detect(lines, layout)
    if kind == "other":
        date = None
        for line in reversed(lines):  # the signature date: "Örebro 2023- 12-11"
            if re.match(r"^[A-ZÅÄÖ][\wåäö]+,?\s+\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}\s*$", line.strip()):
                date = parse_date(line)
                break
        front = lines[:60]
        date = date or meeting_date(front)
        read = parse_header(_unflattened(front), layout.declared)  # a protocol whose §§ were not found still lists them
        # A protocol whose § headings were not found (or an excerpt of its front page) is still one
        # when it says so at its top or lists who attended: its text is indexed as sections, with its signers.
        protocol = not _says_agenda(lines) and (len(read.attendance) >= 3 or any(
            _CALLS_ITSELF_PROTOCOL.search(line) for line in lines[:10]))
        signers = {"chair": read.chair, "secretary": read.secretary, "adjusters": read.adjusters} if protocol else {}
        header = Meeting(kind="protocol" if protocol else "other", committee=committee_name(front),
                         attendance=read.attendance, source=source, **signers, **_dated(date, source))
        return header, iter(_sections_of(lines))

    heads = _heads(lines, kind, layout)
    front = lines[: heads[0][0]] if heads else lines[:60]
    header = parse_header(_unflattened(front), layout.declared)
    date = header.date or meeting_date(front)
    for head in running_heads:  # Göteborg: committee and date only in running heads
        if date is None and parse_date(head) and re.search(r"datum", head, re.I):
            date = parse_date(head)
    committee = committee_name(front) or committee_name(running_heads) or deciding_body(lines)
    note = None if header.attendance else _ATTENDANCE_ELSEWHERE.search("\n".join(front))
    header = replace(header, kind=kind, committee=committee, source=source,
                     attendance_note=note.group(0) if note else None, **_dated(date, source))
    listed = layout.contents if kind == "protocol" else ({} if heads else layout.agenda)
    contents = {**{e.number: (e.title, e.case) for e in listed.values()}, **_contents(front)}
    return header, _paragraphs(lines, heads, presence_at(header.attendance), contents)


# The labels of a front page, where a flattened page (one line for the whole page) is cut back into lines.
_FRONT_LABELS = re.compile(
    r"\s(?=(?:Beslutande|Närvarande ledamöter|Ledamöter|Tjänstgörande ersättare|Tjg ersättare|Närvarande ersättare|Ersättare|"
    r"Ej tjänstgörande ersättare|Övriga närvarande|Övriga deltagande|Övriga deltagare|Övriga|Utses att justera|"
    r"Justerare|Justeringens|Plats och tid|Tid och plats|Paragrafer|Paragraf|Underskrifter|Sekreterare|Tjänstemän|Tjänstepersoner)\b)"
)


def _unflattened(front: list[str]) -> list[str]:
    """Front matter with each long line (a page flattened to one line) cut before its list labels."""
    out: list[str] = []
    for line in front:
        line = _SITE_DROPPED.sub("Beslutande", line)
        out += _FRONT_LABELS.split(line) if len(line) > 200 else [line]
    return out


# A document site's transcript drops "Beslut" from the words it begins: "ande Kristin Kellander (L)" is the
# list of members (Beslutande) -- read so where a name with its party follows.
_SITE_DROPPED = re.compile(r"(?<![\wåäö])ande(?=\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+){1,2}\s*\()")


def _dated(date: str | None, source: str | None) -> dict:
    """The date and where it came from: the text, else (a last resort) the file name."""
    if date:
        return {"date": date, "date_source": "text"}
    from_name = _date_from_name(source)
    return {"date": from_name, "date_source": "file name" if from_name else None}


def _paragraphs(lines: list[str], heads, present, contents=None) -> Iterator[Paragraph]:
    """The §§ at their headings, in order; a § the contents list names but the text does not head (an
    excerpt cut short, a heading not read) stands by its listed title alone."""
    contents = contents or {}
    headed = {num for _, num, _, _ in heads}
    listed_only = sorted(n for n in contents if n not in headed)
    declared: dict[int, dict[str, str]] = {}  # § -> who declared a conflict of interest (jäv) for it, earlier
    for k, (i, num, rest, case) in enumerate(heads):
        while listed_only and listed_only[0] < num:
            yield _listed(listed_only.pop(0), contents, present)
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        paragraph = _paragraph(num, rest, lines[i + 1:end], lines[i], case)
        listed = contents.get(num)
        if listed and (not paragraph.title or not paragraph.case_number):  # what the contents list gives
            title, listed_case = listed
            listed_case = paragraph.case_number or listed_case
            paragraph = replace(paragraph, title=paragraph.title or title, case_number=listed_case,
                                case_numbers=paragraph.case_numbers or ((listed_case,) if listed_case else ()))
        away = dict(declared.get(num, {}))  # casefolded name -> the name as written
        if "jäv" in paragraph.text:
            for m in _JAV_FOR.finditer(paragraph.text):  # "Marina Johansson (S) anmäler jäv under paragraf 414"
                declared.setdefault(int(m.group("num")), {})[m.group("name").casefold()] = m.group("name")
            away.update(_not_taking_part(paragraph.text))
        people = present(num)
        listed = {a.name.casefold(): a.name for a in people}
        yield replace(paragraph, participants=tuple(a.name for a in people if a.name.casefold() not in away),
                      recused=tuple(listed.get(key, name) for key, name in away.items()))
    for num in listed_only:
        yield _listed(num, contents, present)


_ABSTAINER = (r"(?<![\w'’-])(?P<name>[A-ZÅÄÖÉ][\w'’-]+(?:[ \t]+(?:(?:af|av|von|van|de)[ \t]+)?[A-ZÅÄÖÉ][\w'’-]+){1,3})"
              r"[ \t]*(?:\([\wÅÄÖåäö]{1,5}\))?,?\s+")
# Who takes no part in a § for a conflict of interest: "X (C) deltar inte i handläggningen av ärendet på grund
# av jäv", "X anmäler jäv och lämnar sammanträdet", "X är jävig".
_JAV = re.compile(_ABSTAINER + r"(?:anmäler jäv(?!\s+(?:under|i|för|vid)\s+(?:paragraf|§))|är jävig|deltar inte i (?:handläggningen|beslutet|behandlingen|"
                  r"överläggningen)[^.]*\bjäv|lämnar (?:sammanträdet|lokalen|rummet)[^.]*\bjäv)")
_JAV_FOR = re.compile(_ABSTAINER + r"anmäler jäv (?:under|i|för|vid) (?:paragraf|§)\s*(?P<num>\d{1,9})")


def _not_taking_part(text: str) -> dict[str, str]:
    """The names that a § says take no part in it for a conflict of interest: case-folded -> as written."""
    return {m.group("name").casefold(): m.group("name") for m in _JAV.finditer(text)}


def _listed(num: int, contents, present) -> Paragraph:
    title, case = contents[num]
    return Paragraph(number=num, title=title, text=f"{num} {title}", case_number=case,
                     case_numbers=(case,) if case else (), participants=tuple(a.name for a in present(num)))


_DATE_LABELS = [  # where a protocol says when the meeting was, best first
    re.compile(r"\b(?:Sammanträdesdatum|Mötesdatum|Sammanträdesdag)\b", re.I),
    re.compile(r"\b(?:SAMMANTRÄDESPROTOKOLL|Sammanträdesprotokoll|PROTOKOLL|Protokoll)\b(?=[\s,]{0,3}\d)"),
    re.compile(r"(?<![\wåäö])(?:Datum|Dag)\b(?!\s+(?:när|för|då))\s*:?", re.I),
    re.compile(r"(?<![\wåäö])(?:Plats och tid|Tid och plats|Tid)\b(?!\s+(?:och plats|för justering))", ),
]
_NOT_MEETING = re.compile(r"(justering|anslag|tas ned|sätts upp|expedier|utdrag)", re.I)
_DATE_ANY = re.compile(_ISO.pattern + "|" + _WORDY.pattern + "|" + _DOTTED.pattern, re.IGNORECASE)


def meeting_date(front: list[str]) -> str | None:
    """The meeting's date from the front matter: after a label (Sammanträdesdatum, Datum, Plats och tid)
    within the next ~120 characters, else the first date near the top; never a date of the adjustment
    or the notice board (Justeringens plats och tid, Datum när anslaget sätts upp)."""
    text = "\n".join(front)
    for rank, label in enumerate(_DATE_LABELS):
        for m in label.finditer(text):
            before = text[max(0, m.start() - 30): m.start()]
            if rank and _NOT_MEETING.search(before.split("\n")[-1]):
                continue  # "Datum för anslags uppsättande"; "Sammanträdesdatum" names the meeting wherever it stands
            d = _DATE_ANY.search(text, m.end(), m.end() + 120)
            if d and not _NOT_MEETING.search(text[m.end(): d.start()]):
                found = parse_date(d.group(0))
                if found:
                    return found
    for d in _DATE_ANY.finditer(text, 0, 600):
        line_start = text.rfind("\n", 0, d.start()) + 1
        if not _NOT_MEETING.search(text[line_start: d.start()]):
            found = parse_date(d.group(0))
            if found:
                return found
    return None


_BODY = re.compile(
    r"(?:nämnd|nämnden|styrelse|styrelsen|fullmäktige|utskott|utskottet|beredning|beredningen|direktion|"
    r"direktionen|förbund|förbundet|delegation|delegationen)$",
    re.IGNORECASE,
)
_COMMITTEE_LABEL = re.compile(r"(?<![\wåäö])(?:Organ|Forum|Nämnd|Instans|Beslutsinstans)\s*:?\s+(?P<value>[^\n]+)")
_NAME_JOINERS = {"och", "för", "i", "med", "&"}


_DOCUMENT_WORDS = re.compile(
    r"^(?:sammanträdesprotokoll|protokoll|protokollsutdrag|utdrag|kallelse|föredragningslista|dagordning|"
    r"sammanträdesdatum|sammanträde|datum|sida|sid|justerat|möte|kommun|stad|region|landsting)$",
    re.IGNORECASE,
)
_GENITIVE_BODY = re.compile(
    r"(?<![\wåäö-])(?P<name>[A-ZÅÄÖ][\wåäö-]*(?:styrelse|nämnd|fullmäktige|utskott|beredning|direktion))s"
    r"\s+(?:protokoll|sammanträde|beslut)\b"
)


# The definite genitive, as a document's first words: "Socialnämndens protokoll" (further down, "Arbetsutskottets
# protokoll" is an agenda's item about another body's minutes).
_GENITIVE_TOP = re.compile(r"\W*(?P<name>(?:[A-ZÅÄÖ][a-zåäö]+a\s+[a-zåäö]*|[A-ZÅÄÖ][\wåäö-]*)"
                           r"(?:styrelsen|nämnden|utskottet|beredningen|direktionen))s"
                           r"\s+(?:protokoll|sammanträde)\b")
_MEETING_OF = re.compile(r"\bsammanträde(?:t)?\s+med\s+(?P<value>(?:[\wåäöÅÄÖ-]+\s+){0,5}?[\wåäöÅÄÖ-]+"
                         r"(?:nämnden|nämnd|styrelsen|styrelse|fullmäktige|utskottet|utskott))\b", re.IGNORECASE)
_GENITIVE_BODY_FOR = re.compile(  # "nämnden för support och lokalers protokoll"
    r"(?<![\wåäö-])(?P<name>(?:nämnden|styrelsen|utskottet|beredningen|direktionen)\s+för\s+[a-zåäö]+(?:\s+(?:och\s+)?[a-zåäö]+){0,3}?)s"
    r"\s+(?:protokoll|sammanträde)\b",
    re.IGNORECASE,
)


def committee_name(front: list[str]) -> str | None:
    """The body that met, from the front matter, by what says it best: a label (Organ, Forum, Nämnd); the body
    whose protocol or meeting it is ("Kommunfullmäktiges protokoll är justerat"); a line that is nothing but
    the body's name (with PROTOKOLL, a date, a page number); the first body named near the top.  Read in
    the case a name is written (KOMMUNSTYRELSEN -> Kommunstyrelsen); an agenda's titles further down are
    not the body that met."""
    text = "\n".join(front)
    for m in _COMMITTEE_LABEL.finditer(text):
        name = _body_in(m.group("value"))
        if name:
            return name
    m = _GENITIVE_BODY.search(text) or _GENITIVE_BODY_FOR.search(text) or _GENITIVE_TOP.match(text)
    if m:
        name = m.group("name")
        return name[:1].upper() + name[1:]
    for m in _MEETING_OF.finditer(text):  # "Avser sammanträde med Kommunfullmäktige"
        name = _body_in(m.group("value"))
        if name:
            return name
    for line in front[:15]:
        name = _body_in(line)
        if name:
            rest = [w for w in re.findall(r"[^\W\d_][\w-]*", line) if not _DOCUMENT_WORDS.match(w)]
            if len(rest) == len(name.split()):
                return name
    used = 0  # the first 400 characters of the front matter
    for line in front:
        if used >= 400:
            break
        name = _body_in(line[: 400 - used])
        if name:
            return name
        used += len(line) + 1
    return None


_DECIDES = re.compile(r"(?P<body>(?:[A-ZÅÄÖ][\wåäö-]*\s+)?(?:och\s+)?[\wåäö-]*(?:nämnd|nämnden|styrelsen|fullmäktige|"
                      r"utskottet|beredningen|direktionen))\s+(?:beslutar|beslöt|beslutade)\b")


def deciding_body(lines: list[str]) -> str | None:
    """The body that decides in the §§ (``Kommunstyrelsen beslutar …``), most often named so: a last resort
    for a protocol without a front page or running heads."""
    counts: dict[str, int] = {}
    for line in lines:
        for m in _DECIDES.finditer(line):
            name = _body_in(m.group("body"))
            if name and m.group("body")[:1].isupper():  # at a sentence's start: the body deciding, not proposed to
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _body_in(line: str) -> str | None:
    """The first body name in a line: the word that names the body and what belongs to the name before it
    (Barn- och utbildningsnämnden, Kommunstyrelsens arbetsutskott, Tekniska nämnden), and a ``för …`` phrase
    after it that ends the line."""
    words = [w.strip(",.:;()\"'“”‘’") for w in line.split()]
    for k, word in enumerate(words):
        if not _BODY.search(word) or not re.search(r"[^\W\d_]{3}", word):
            continue
        start = k
        while start > 0:
            prev, here = words[start - 1], words[start]
            if prev.endswith("-") or (prev.lower() == "och" and start >= 2 and words[start - 2].endswith("-")):
                start -= 1  # Barn- och utbildningsnämnden
            elif re.search(r"(styrelsens|nämndens|fullmäktiges)$", prev, re.IGNORECASE):
                start -= 1  # Kommunstyrelsens arbetsutskott
            elif prev.islower() and start >= 2 and re.search(r"(styrelsens|nämndens|fullmäktiges)$", words[start - 2], re.I):
                start -= 1  # Kommunstyrelsens allmänna utskott
            elif start == k and here[:1].islower() and prev[:1].isupper() and prev[1:].islower() \
                    and not _DOCUMENT_WORDS.match(prev):
                start -= 1  # Tekniska nämnden
                break
            else:
                break
        end = k + 1
        tail = words[end:]
        if tail and tail[0].lower() in ("för", "i"):
            run = next((n for n, w in enumerate(tail) if not w.islower()), len(tail))  # up to a capital: the line went on
            if 1 < run <= 5 and (run == len(tail) or tail[run][:1].isupper()):
                end += run  # "utskott för socialt förebyggande arbete" (then "Datum: …" on a flattened page)
        name = " ".join(words[start:end])
        if len(name) < 5 or len(name.split()) > 9:
            continue
        name = name[:1].upper() + name[1:].lower() if name.isupper() else name
        return name[:1].upper() + name[1:]
    return None


_ATTENDANCE_ELSEWHERE = re.compile(
    r"\b(?:enligt\s+(?:särskild\s+|bifogad\s+)?(?:närvarolista|förteckning|bilaga)|se\s+(?:bilaga|sid\.?\s*\d+))",
    re.IGNORECASE,
)


def _date_from_name(source: str | None) -> str | None:
    """A last resort: an ISO date in the file name (``..._2024-05-08.txt``)."""
    if not source:
        return None
    m = re.search(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", source.replace("\\", "/").rsplit("/", 1)[-1])
    return parse_date(m.group(0)) if m else None


def decision(sections) -> str | None:
    """The Beslut section, else the proposal (Förslag till beslut), as one paragraph of text."""
    found = dict(sections)
    for name in ("Beslut", "Förslag till beslut"):
        if found.get(name):
            return " ".join(found[name].split())
    return None
