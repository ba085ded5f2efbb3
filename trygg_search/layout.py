"""What a line at a time cannot read: contents lists run together, and pages flattened to one line.

Protocols reach us as published and as document sites re-host them: a contents list may be one
run of text (``Innehållsförteckning 163 Information från AB Bostäder 164 Motion om …``, page
numbers before or after the titles, some § numbers lost), and a whole page may be one line with the
§ headings inside it (``3 Tekniska nämnden TN 101 Sammanträdets öppnande Dagordningen godkännes …``).
These rules read such text by its shape: § numbers rise, a title starts with a capital letter and
ends where a new sentence starts.  Pure functions; the parser calls them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A contents list says what it is, with a capital (a word in running text does not open one).
CONTENTS_KEY = re.compile(
    r"(?<![A-Za-zÅÄÖåäö])(?:INNEHÅLLSFÖRTECKNING|Innehållsförteckning|ÄRENDEFÖRTECKNING|Ärendeförteckning|"
    r"INNEHÅLL|Innehåll|ÄRENDELISTA|Ärendelista|Förteckning över)(?![a-zåäö])"
)
# Column heads of a contents list, passed over: "Sid nr", "Paragrafer Ärenden Sida", "SIDAN", "Ärende".
CASE_LABEL = re.compile(r"(?:dnr|diarienummer|ärendenummer|ärendenr|diarienr)\.?:?$", re.IGNORECASE)  # a word before a case number
COLUMN_WORDS = {"sid", "sid.", "sida", "sidan", "nr", "paragrafer", "paragraf", "ärenden", "ärende", "rubrik",
                 "sidnr", "sid.nr", "§", "dnr", "ärende/föredragande"}
# Words a title runs on after, even into a capitalised name: "inom Borås Stad", "från AB Bostäder".
_GLUE = {"i", "av", "för", "om", "från", "till", "med", "på", "inom", "vid", "och", "mellan", "under", "ang",
         "ang.", "angående", "gällande", "per", "mot", "efter", "hos", "enligt", "samt", "kring", "över",
         "utan", "inför", "-", "–", "—", "den", "det", "en", "ett", "ny", "nya", "&", "till/från", "avseende",
         "rörande", "beträffande"}
_REFERS = {"enligt", "i", "under", "se", "jfr", "jämför", "paragraf", "och", "samt", "till", "från", "av", "vid",
           "kap", "om", "med", "den", "på", "eller", "tidigare", "beslut", "protokoll"}
_PERSON_AFTER = re.compile(r"[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+){1,2}\s*(?:,|\()")
FLAT = 250  # a line this long is a flattened page (or paragraph): headings may stand inside it


def _capitalised(word: str) -> bool:
    w = word.lstrip("\"“”'(")
    return bool(w) and w[0].isupper()


def _acronym(word: str) -> bool:
    w = word.strip("\"“”'(),.:;")
    return len(w) >= 2 and w.isupper() and any(c.isalpha() for c in w)


def _number(word: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}(?:\s*[-–]\s*\d{1,4})?[.,]?", word))


def _common(word: str) -> bool:
    """A word the dictionary knows in lower case, or a compound of such words: not a name."""
    from .compounds import is_known, split

    w = word.strip("\"“”'(),.:;").lower()
    return not w.isalpha() or is_known(w) or bool(split(w))


_SECTION_WORDS = {"beslut", "beslutsunderlag", "ärendebeskrivning", "bakgrund", "handling", "handlingar", "yrkanden",
                  "yrkande", "sammanfattning", "beslutsgång", "propositionsordning", "protokollsanteckning"}


_LABEL_WORD = re.compile(r"(?:Ärendenummer|Diarienummer|Dnr|Handläggare|Föredragande)\b")


def title_length(words: list[str], limit: int = 30) -> int:
    """How many of ``words`` make the title when nothing but the words says where it ends.

    A title starts with a capital and goes on in lower case; a capitalised word after a lower-case
    word (or a number) starts a new sentence, except after a preposition (``inom Borås Stad``) and in a
    name of two capitalised words.  Acronyms never end a title.  A small number left at the
    end (a page, a point number) is not part of it.
    """
    n = 0
    run = 0  # capitalised words in a row
    for k, word in enumerate(words[:limit]):
        if k > 0 and (word.lower() in _SECTION_WORDS and _capitalised(word) or _LABEL_WORD.match(word)):
            break  # "… i Göteborg Beslut Kommunfullmäktige …": the § goes on with its sections
        if word.startswith("(") and word.endswith(")") and k > 0:
            n = k + 1  # "(C)", "(opposition)": belongs to what it follows
            continue
        if k > 0 and _capitalised(word) and not _acronym(word):
            prev = words[k - 1]
            if prev.lower().strip(",") in _GLUE:
                run = 1
            elif (_capitalised(prev) or _acronym(prev)) and not _number(prev):
                if k == 1 and not _acronym(prev) and not prev.endswith("s") or run >= 2:
                    break  # "Information Stadsarkitekten …", "… Borås Stad Mångfaldsutvecklare …": a sentence starts
                    # (after a genitive, "Göteborgs Stads …", a name goes on)
                run += 1
            elif _common(word) or (k + 1 < len(words) and words[k + 1].lower() not in _GLUE):
                break  # "… förtroendevalda Revisionens ordförande …", "… justerare Ola Erlandsson (S) väljs"
            else:
                run = 1  # a name in the title: "Unika historiska Kalmar och Öland"
        elif _acronym(word):
            run = run + 1 if k > 0 and words[k - 1].lower() in _GLUE or run else 2
        else:
            run = 0
        n = k + 1
    while n > 1 and re.fullmatch(r"\d{1,3}[.,]?", words[n - 1]) and n < len(words):
        n -= 1
    return n


@dataclass(frozen=True)
class Entry:
    """One line of a contents list: the § number, its title and the case number it gives, if any."""

    number: int
    title: str
    case: str | None = None


_TOKEN = re.compile(r"§|[^\s§]+")


_LEADER = re.compile(r"\.{2,}|…+|_{3,}")


def _tokens(text: str) -> list[tuple[str, int]]:
    """(word, where it ends) for each word; leaders read as spaces, a § as a word of its own ("….2§ 654")."""
    text = _LEADER.sub(lambda m: " " * len(m.group()), text)
    return [(m.group(), m.end()) for m in _TOKEN.finditer(text)]


def _after_leader(text: str, tokens: list[tuple[str, int]], k: int) -> bool:
    """The word follows leaders ("Justering......2"): a page number."""
    start = tokens[k][1] - len(tokens[k][0])
    return bool(re.search(rf"(?:{_LEADER.pattern})\s*$", text[:start]))


def _starts_title(words: list[str], k: int) -> bool:
    """The word after a § number (a page number between them aside) opens a title or a Dnr."""
    j = k + 1
    if j < len(words) and re.fullmatch(r"\d{1,4}", words[j]):
        j += 1  # "141 4 Godkännande": the page after the § number
    if j >= len(words):
        return False
    nxt = words[j]
    return nxt.lower().startswith("dnr") or (_capitalised(nxt) and bool(re.match(r"[\"“]?[^\W\d_]", nxt)))


def contents_entries(text: str, declared: tuple[int, int] | None = None,
                     numbers_first: bool = False) -> tuple[list[Entry], int, int]:
    """The entries of a contents list given as one run of text (the part after its heading word), and
    where in ``text`` the list begins and ends.

    § numbers are found as a rising chain (steps of at most 3, or anywhere inside the declared range);
    a title is the text between two of them, its page numbers and leaders dropped.  Titles may stand
    before their numbers (``Antagande av anbud … 22 Upphandling … 23``); where a number was lost, the
    titles it separated run together and the first is kept.
    """
    tokens = _tokens(text)
    words = [w for w, _ in tokens]
    start = 0
    while start < len(words) and words[start].lower().rstrip(":") in COLUMN_WORDS:
        start += 1
    candidates = []
    for k in range(start, len(words)):
        m = re.fullmatch(r"(\d{1,4})\.?", words[k])
        if not m or (k and words[k - 1].endswith(",")) or _after_leader(text, tokens, k):
            continue  # "utredare, 143 Name": a list of people; "Justering....2": a page
        if _starts_title(words, k) or (k == len(words) - 1 and k > start):  # the last may close a title before it
            candidates.append((k, int(m.group(1))))
    chain = _best_chain(candidates, declared)
    stop = len(words)  # where the list ends: the §§ themselves may follow on the same line
    for k, value in candidates:
        if chain and k > chain[-1][0] and value == chain[0][1]:  # the first § again: the list is over
            stop = k - (1 if words[k - 1] == "§" else 0)
            break
    if not chain:
        return [], 0, 0
    lead = [w for w in words[start:chain[0][0]] if w != "§"]
    if len(chain) == 1 and lead:
        return [], 0, 0  # a lone number is a § only when the list opens with it
    # Titles before their numbers: a run of words opens the list.
    before = not numbers_first and len(lead) >= 4 and not any(re.fullmatch(r"\d+", w) for w in lead)
    entries = []
    end = 0
    for n, (k, value) in enumerate(chain):
        if before:
            lo = chain[n - 1][0] + 1 if n else start
            span = list(range(lo, k))
        else:
            hi = chain[n + 1][0] if n + 1 < len(chain) else stop
            span = list(range(k + 1, hi))
            if span and re.fullmatch(r"\d{1,4}", words[span[0]]):
                span = span[1:]  # the page before the title
        span = _strip_pages(words, span)
        case = None
        if span and CASE_LABEL.match(words[span[0]]):
            case, rest = case_words([words[j] for j in span[1:]])
            span = span[len(span) - len(rest):]
        if case is None:  # a case number after the title ("Arbetsutskottets protokoll 4 juni 2018 BUN 2018/41")
            case, span = _case_after(words, span)
        gap = n + 1 == len(chain) or chain[n + 1][1] > value + 1
        parts = [span]
        if not before and gap:
            # Numbers lost between two listed ones: the titles they separated run together.  Where the
            # run reads as exactly as many titles as numbers are missing, each gets its number; else
            # (and at the end of the list) only the first title is kept.
            parts = _titles(words, span)
            if n + 1 == len(chain) or len(parts) != chain[n + 1][1] - value:
                parts = parts[:1]
        for offset, part in enumerate(parts):
            title = " ".join(words[j] for j in part).strip(" -–,")
            if title:
                entries.append(Entry(value + offset, title, case if offset == 0 else None))
        span = parts[-1] if parts else span
        if span:
            end = max(end, tokens[span[-1]][1])
        if before:
            end = max(end, tokens[k][1])
    first = chain[0][0] - (1 if chain[0][0] > 0 and words[chain[0][0] - 1] == "§" else 0)
    return entries, tokens[first][1] - len(words[first]), end


def listed_run(line: str, declared: tuple[int, int] | None) -> tuple[list[Entry], int, int] | None:
    """A contents list without a heading word, run into a flattened page: four §§ or more, numbered
    mostly one by one, beyond the first few numbers (or inside the declared range), with short titles
    rather than sentences (a page of §§ run together is no list)."""
    entries, begin, end = contents_entries(line, declared, numbers_first=True)
    numbers = [e.number for e in entries]
    if len(entries) < 4 or sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1) < 3:
        return None
    if not declared and numbers[0] < 5:
        return None
    sentences = sum(1 for e in entries if re.search(r"[^\W\d_]{2}[.!?](?:\s|$)", e.title))
    if sentences * 4 > len(entries) or sum(len(e.title.split()) for e in entries) > 15 * len(entries):
        return None
    return entries, begin, end


def _best_chain(candidates: list[tuple[int, int]], declared) -> list[tuple[int, int]]:
    """The rising run of numbers that reads best as the list's § numbers: most steps of exactly one,
    then most entries (page numbers rise too, but by more than one as a rule)."""
    best: list[tuple[tuple[int, int], int]] = []  # per candidate: (score, previous candidate) of the best chain ending there
    for i, (_, value) in enumerate(candidates):
        if declared and not declared[0] <= value <= declared[1]:
            best.append(((-1, -1), -1))
            continue
        score, prev = (0, 1), -1
        for j in range(i):
            (s_j, _), v_j = best[j], candidates[j][1]
            step = value - v_j
            if s_j[0] < 0 or step <= 0 or (step > 5 and not declared):
                continue
            cand = (s_j[0] + (step == 1), s_j[1] + 1)
            if cand > score:
                score, prev = cand, j
        best.append((score, prev))
    if not best:
        return []
    i = max(range(len(best)), key=lambda n: (best[n][0], -n))
    if best[i][0][0] < 0:
        return []
    chain = []
    while i >= 0:
        chain.append(candidates[i])
        i = best[i][1]
    return chain[::-1]


def _titles(words: list[str], span: list[int]) -> list[list[int]]:
    """A run of titles cut where each ends (``title_length``)."""
    parts = []
    while span:
        n = title_length([words[j] for j in span], limit=40)
        parts.append(_strip_pages(words, span[:n]) or span[:n])
        span = span[n:]
    return parts


def _case_after(words: list[str], span: list[int]) -> tuple[str | None, list[int]]:
    """A case number written after a title, and the title's words before it."""
    from .casenum import MENTION

    text = " ".join(words[j] for j in span)
    m = MENTION.search(text)
    if not m or len(text[: m.start()].split()) < 2:
        return None, span
    return m.group("raw"), span[: len(text[: m.start()].split())]


def _strip_pages(words: list[str], span: list[int]) -> list[int]:
    """A title's words without the page numbers (``3``, ``7-8``, ``7 - 11``) and § signs at its end."""
    span = list(span)
    while span and (words[span[-1]] in ("§", "Dnr", "dnr")
                    or re.fullmatch(r"\d{1,3}(?:[-–]\d{1,3})?|\d{4}/|[-–/,.]+", words[span[-1]])):
        span.pop()
    return span


def case_prefix(words: list[str]) -> int:
    """How many words at the start read as one case number (the most, up to four: "KS 02-820 107"), or 0."""
    from .casenum import try_parse

    return next((n for n in range(min(4, len(words)), 0, -1) if try_parse(" ".join(words[:n]))), 0)


def case_words(words: list[str]) -> tuple[str | None, list[str]]:
    """After ``Dnr``: (the case number, when one is written; the title after it)."""
    n = case_prefix(words)
    if n:
        return " ".join(words[:n]), words[n:]
    k = 0  # a number the site cut short ("Dnr MB Information", "Dnr Ks Ekonomisk", "Dnr 2019/"): dropped
    while k < len(words) and k < 3 and re.fullmatch(r"[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,2}|[A-ZÅÄÖ]{2,6}|[\w/:-]*\d[\w/:-]*",
                                                    words[k]) and k + 1 < len(words) and _capitalised(words[k + 1]):
        k += 1
    return None, words[k:]


# --- headings inside a flattened page ---------------------------------------------------

# A § heading: "§ 23", a body's prefix ("Kfn 59", "TN 101", "MBN 27", "Ks 80"), a case number before the
# number ("KS/2011:286 6"), or a bare number; then a title or a Dnr.
_INLINE_HEAD = re.compile(
    r"(?<!\S)(?:(?P<sign>§)\s*|(?P<prefix>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,4})\s+|(?P<case>[A-ZÅÄÖ]{2,8}\s?/\s?\d{4}:\d+)\s+)?"
    r"(?P<num>\d{1,4})\s+(?=Dnr\b|[\"“]?[A-ZÅÄÖ][\wåäö])"
)
# Words that stand before a number without being a body's prefix.
_NOT_PREFIX = {"se", "ej", "om", "på", "st", "tf", "sida", "sid", "sidan", "nr", "kl", "kap", "bilaga", "punkt", "paragraf", "paragrafer", "den", "år",
               "dnr", "och", "av", "till", "från", "per", "ca", "cirka", "totalt", "tkr", "mkr", "kr", "vecka", "v",
               "omfattning", "tid", "plats", "rum", "våning", "plan", "nummer", "fråga", "motion", "ärende",
               "lokal", "sal", "hus", "grupp", "steg", "fas", "etapp", "område", "ord", "nej", "ja", "i", "s"}


# A page's number where a site wrote one at the start of each page's line, twice at times ("3 3 (15) …").
PAGE_PREFIX = re.compile(r"(?P<n>\d{1,3})(?:\s+(?P=n)(?!\d))?(?=\s)")


def flat(line: str, numbered: bool) -> bool:
    """A page flattened to one line: a long line, or a line of a document whose pages are numbered lines
    (the last one may be cut short)."""
    return len(line) >= FLAT or (numbered and bool(PAGE_PREFIX.match(line)))


def page_numbered(lines: list[str]) -> bool:
    """Each page a line that starts with its page number, 1, 2, 3 … (as document sites render a PDF):
    two pages or more, one of them long at least, numbered from the first page on."""
    found = [(int(m.group("n")), len(line)) for line in lines if len(line) >= 80 and (m := PAGE_PREFIX.match(line))]
    if len(found) < 2 or not any(size >= FLAT for _, size in found) or found[0][0] > 2:
        return False
    firsts = [n for n, _ in found]
    return sum(1 for a, b in zip(firsts, firsts[1:]) if b == a + 1) >= max(1, len(firsts) - 2)


@dataclass(frozen=True)
class Inline:
    """A candidate heading inside a long line."""

    line: int
    start: int  # where the heading starts in the line
    number: int
    form: str  # "sign", "prefix", "case" or "bare"
    page_start: bool  # only a page's head (page number, running head) stands before it


def _in_parenthesis(text: str) -> bool:
    """Whether ``text`` ends inside a parenthesis it opened."""
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    return depth > 0


def inline_heads(lines: list[str], skip: set[int] = frozenset()) -> list[Inline]:
    """Every place in a long line where a § heading may start, in document order."""
    out: list[Inline] = []
    numbered = page_numbered(lines)
    for i, line in enumerate(lines):
        if not flat(line, numbered) or i in skip:
            continue
        page = PAGE_PREFIX.match(line) if numbered else None
        for m in _INLINE_HEAD.finditer(line, page.end() if page else 0):
            prefix = m.group("prefix")
            if prefix and (prefix.lower() in _NOT_PREFIX or not (prefix.isupper() or len(prefix) <= 3)):
                continue
            before = line[: m.start()].rstrip()
            if not prefix and not m.group("sign") and before.split()[-1:] and before.split()[-1].lower().strip(".:") in _NOT_PREFIX:
                continue  # "Protokoll nr 9 Sammanträdesdatum", "sida 3 Plats": no heading
            if _in_parenthesis(before[-300:]):
                continue  # "('RBU 2015-02-18 § 12 Förbud vid vite')" is a reference
            sentence_end = not before or bool(re.search(r"[.!?:]$|[.!?][\"”]$", before))
            if re.match(r"(?:Paragrafer|Paragraf|Sida|Sidan|Justerare|Justerande|Sekreterare|Ordförande)\b", line[m.end():]):
                continue  # "§ 26 Paragraf 22–26": the end of a list, no heading
            if m.group("sign") and re.match(r"(?:\S+\s+){1,5}§", line[m.end():]):
                continue  # "Anders Edlund Planerare § 22 Erika Pettersson Samordnare § 24": a list of people
            if m.group("sign") and not sentence_end:
                # "§ 23 Title" stands on its own unless running text refers to it: "enligt § 150",
                # "den 24 april 2024, § 328", "kap. 5 §"
                last = before.split()[-1]
                # ... and a person after the number is a line of a list ("förvchef § 142 Michael Gustafsson, t f")
                sentence_end = not (last.endswith(",") or last.lower().strip(".") in _REFERS
                                    or _PERSON_AFTER.match(line, m.end()))
            page_start = len(before.split()) <= 10 and not re.search(r"[^\W\d_]{2}[.!?]\s", before + " ")
            if not (sentence_end or page_start):
                continue
            form = "sign" if m.group("sign") else "case" if m.group("case") else "prefix" if prefix else "bare"
            out.append(Inline(i, m.start(), int(m.group("num")), form, page_start or not before))
    return out


def inline_head(piece: str, entry: Entry | None) -> tuple[int, str, str | None, str, str]:
    """A heading found inside a page, and the page's text after it: (number, title, case number, the
    heading as written, the text after it).  The title is the contents list's where the text starts
    with it, else what ``title_length`` reads."""
    m = _INLINE_HEAD.match(piece)
    number, case = int(m.group("num")), m.group("case")
    spans = [(w.group(), m.end() + w.start(), m.end() + w.end()) for w in re.finditer(r"\S+", piece[m.end():])]
    words = [w for w, _, _ in spans]
    skip = 0
    if words and CASE_LABEL.match(words[0]):
        found, rest = case_words(words[1:])
        case = case or found
        skip = len(words) - len(rest)
    rest = words[skip:]
    if entry and " ".join(rest).startswith(entry.title):
        n = len(entry.title.split())
    else:
        n = title_length(rest)
    title = " ".join(rest[:n])
    end = spans[skip + n - 1][2] if skip + n else m.end()
    return number, title, case, piece[:end].strip(), piece[end:].strip()
