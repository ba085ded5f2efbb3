"""Pages flattened to one line (as document sites render a PDF): the headings that stand inside such a
line, and where a title ends when nothing but its words says so.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from ..casenum import case_words
from .vocabulary import CASE_LABEL, NOT_PREFIX, REFERS, _LABEL_WORD, _SECTION_WORDS


# Words a title runs on after, even into a capitalised name: "inom Borås Stad", "från AB Bostäder".
_GLUE = {"i", "av", "för", "om", "från", "till", "med", "på", "inom", "vid", "och", "mellan", "under", "ang",
         "ang.", "angående", "gällande", "per", "mot", "efter", "hos", "enligt", "samt", "kring", "över",
         "utan", "inför", "-", "–", "—", "den", "det", "en", "ett", "ny", "nya", "&", "till/från", "avseende",
         "rörande", "beträffande"}




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
    from ..compounds import is_known, split

    w = word.strip("\"“”'(),.:;").lower()
    return not w.isalpha() or is_known(w) or bool(split(w))


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


# A § heading: "§ 23", a body's prefix ("Kfn 59", "TN 101", "MBN 27", "Ks 80"), a case number before the
# number ("KS/2011:286 6"), or a bare number; then a title or a Dnr.
_INLINE_HEAD = re.compile(
    r"(?<!\S)(?:(?P<sign>§)\s*|(?P<prefix>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,4})\s+|(?P<case>[A-ZÅÄÖ]{2,8}\s?/\s?\d{4}:\d+)\s+)?"
    r"(?P<num>\d{1,4})\s+(?=Dnr\b|[\"“]?[A-ZÅÄÖ][\wåäö])"
)




# A page's number where a site wrote one at the start of each page's line, twice at times ("3 3 (15) …").
PAGE_PREFIX = re.compile(r"(?P<n>\d{1,3})(?:\s+(?P=n)(?!\d))?(?=\s)")


LINES, PAGES, NUMBERED_PAGES = "lines", "pages", "numbered pages"  # a document's layout mode
PAGES_SHARE = 0.6  # of a document's characters in long lines: its pages were flattened to lines


def layout_mode(lines: list[str]) -> str:
    """How a document's text is laid out, decided once from all of it: ``numbered pages`` (each page one
    line that starts with its number, as document sites render a PDF), ``pages`` (most of the text in
    lines as long as a page: pages flattened to one line each) or ``lines`` (line-broken text: a PDF, a
    Word file, clean text; a long Word paragraph among short lines is one paragraph).  The rules for
    flattened pages run only in the first two."""
    if page_numbered(lines):
        return NUMBERED_PAGES
    total = sum(len(line) for line in lines)
    long = sum(len(line) for line in lines if len(line) >= FLAT)
    return PAGES if total and long >= PAGES_SHARE * total else LINES


def flat(line: str, mode: str) -> bool:
    """A page flattened to one line, in a document of flattened pages: a long line, or where pages are
    numbered lines, one that starts with its number (the last one may be cut short)."""
    if mode == LINES:
        return False
    return len(line) >= FLAT or (mode == NUMBERED_PAGES and bool(PAGE_PREFIX.match(line)))


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


_LIST_END = re.compile(r"(?:Paragrafer|Paragraf|Sida|Sidan|Justerare|Justerande|Sekreterare|Ordförande)\b")
_PEOPLE_LIST = re.compile(r"(?:\S+\s+){1,5}§")
_SENTENCE_END = re.compile(r"(?:[.!?:]|[.!?][\"”])$")
_NEAR = 300  # characters before a heading that say whether it stands on its own


def inline_heads(lines: list[str], mode: str, skip: set[int] = frozenset()) -> list[Inline]:
    """Every place in a long line where a § heading may start, in document order.

    What stands before a heading is read from a window of the text just before it and from a count of
    the words before it (looked up, not counted again): a line of many headings stays linear."""
    out: list[Inline] = []
    for i, line in enumerate(lines):
        if not flat(line, mode) or i in skip:
            continue
        page = PAGE_PREFIX.match(line) if mode == NUMBERED_PAGES else None
        word_starts = None
        for m in _INLINE_HEAD.finditer(line, page.end() if page else 0):
            prefix = m.group("prefix")
            if prefix and (prefix.lower() in NOT_PREFIX or not (prefix.isupper() or len(prefix) <= 3)):
                continue
            before = line[max(0, m.start() - _NEAR): m.start()].rstrip()
            last = before.split()[-1] if before.split() else ""
            if not prefix and not m.group("sign") and last.lower().strip(".:") in NOT_PREFIX:
                continue  # "Protokoll nr 9 Sammanträdesdatum", "sida 3 Plats": no heading
            if _in_parenthesis(before):
                continue  # "('RBU 2015-02-18 § 12 Förbud vid vite')" is a reference
            if word_starts is None:
                word_starts = [w.start() for w in re.finditer(r"\S+", line)]
            words_before = bisect.bisect_left(word_starts, m.start())
            sentence_end = not words_before or bool(_SENTENCE_END.search(before))
            if _LIST_END.match(line, m.end()):
                continue  # "§ 26 Paragraf 22–26": the end of a list, no heading
            if m.group("sign") and _PEOPLE_LIST.match(line, m.end()):
                continue  # "Anders Edlund Planerare § 22 Erika Pettersson Samordnare § 24": a list of people
            if m.group("sign") and not sentence_end:
                # "§ 23 Title" stands on its own unless running text refers to it: "enligt § 150",
                # "den 24 april 2024, § 328", "kap. 5 §"
                # ... and a person after the number is a line of a list ("förvchef § 142 Michael Gustafsson, t f")
                sentence_end = not (last.endswith(",") or last.lower().strip(".") in REFERS
                                    or _PERSON_AFTER.match(line, m.end()))
            page_start = words_before <= 10 and not re.search(r"[^\W\d_]{2}[.!?]\s", line[:m.start()] + " ")
            if not (sentence_end or page_start):
                continue
            form = "sign" if m.group("sign") else "case" if m.group("case") else "prefix" if prefix else "bare"
            out.append(Inline(i, m.start(), int(m.group("num")), form, page_start or not words_before))
    return out


def inline_head(line: str, start: int, end: int, entry: Entry | None) -> tuple[int, str, str | None, str, str]:
    """The heading that ``inline_heads`` found at ``start`` of ``line``, and the text after it up to
    ``end`` (where the next heading starts): (number, title, case number, the heading as written, the
    text after it).  The title is the contents list's where the text starts with it, else what
    ``title_length`` reads.  The heading is matched in the line, as it was found: what it looks ahead
    at may be the next heading ("3 MN 18 Ändring": a page number before a heading)."""
    piece = line[start:end]
    m = _INLINE_HEAD.match(line, start)
    number, case, after = int(m.group("num")), m.group("case"), m.end() - start
    spans = [(w.group(), after + w.start(), after + w.end()) for w in re.finditer(r"\S+", piece[after:])]
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
    head_end = spans[skip + n - 1][2] if skip + n else after
    return number, title, case, piece[:head_end].strip(), piece[head_end:].strip()
