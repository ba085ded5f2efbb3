"""Contents lists: laid out a line per entry, a cell per line, in columns, or run into one line.
"""

from __future__ import annotations

import re
from ..casenum import case_words
from .chains import PrefixMax
from .flat import Entry, _capitalised, flat, title_length
from .headings import _TOC_LINE, _head_match, declared_range, toc_line
from .paragraphs import _case_then_title
from .vocabulary import CASE_LABEL, CASE_LABELS, COLUMN_WORDS, alternatives


_CONTENTS_ALONE = re.compile(r"^(?:INNEHÅLLSFÖRTECKNING|Innehållsförteckning|ÄRENDEFÖRTECKNING|Ärendeförteckning|INNEHÅLL|Innehåll)"
                             r"(?:\s+(?:Paragrafer|Paragraf|Ärenden|Ärende|Sida|Sid|Sidan|§))*\s*$")


_AGENDA_KEY = re.compile(r"(?<![\wåäö])(?:FÖREDRAGNINGSLISTA|Föredragningslista|Ärendelista|ÄRENDELISTA|Dagordning|Ärenden)\b")


def _agenda_items(lines: list[str], mode: str) -> dict[int, Entry]:
    """An agenda's items where its pages were flattened: the list from its heading word on, across the
    pages that follow (``Föredragningslista Ärende/Föredragande 1 Upprop Dnr 2 Godkännande …``)."""
    for i, line in enumerate(lines):
        m = _AGENDA_KEY.search(line) if flat(line, mode) else None
        if m:
            text = " ".join([line[m.end():]] + [x for x in lines[i + 1:] if flat(x, mode)])
            return {e.number: e for e in contents_entries(text, numbers_first=True)[0]}
    return {}


def _listed_below(lines: list[str], at: int, declared, until: int | None = None) -> tuple[list[Entry], int] | None:
    """A contents list whose heading word stands on line ``at`` and whose cells follow a line each
    ("§ 252" / title / "6"): its entries and the last line it takes, when it lists two §§ or more.
    It ends by line ``until`` (where the next list's heading word stands): each line is read for one
    list, however many heading words a text has."""
    below = lines[at: min(at + 400, until if until is not None else len(lines))]
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


def _contents(lines: list[str]) -> dict[int, tuple[str, str | None]]:
    """§ number -> (title, case number) from the protocol's contents list ("62 Dnr KS 2018/14 Title ..... 4")."""
    out: dict[int, tuple[str, str | None]] = {}
    declared = declared_range(lines)
    known = frozenset(range(declared[0], declared[1] + 1)) if declared else None
    for line in lines:
        if not toc_line(line):
            continue
        found = _head_match(_TOC_LINE.sub("", line).rstrip(" .…"), known)
        if found is None:
            continue
        num, rest, case = found
        if re.match(rf"^{alternatives(CASE_LABELS)}\.?\s", rest, re.I):
            case, rest = _case_then_title(re.sub(r"^\S+\s+", "", rest))
        out.setdefault(num, (rest, case))
    return out


# A contents list says what it is, with a capital (a word in running text does not open one).
CONTENTS_KEY = re.compile(
    r"(?<![A-Za-zÅÄÖåäö])(?:INNEHÅLLSFÖRTECKNING|Innehållsförteckning|ÄRENDEFÖRTECKNING|Ärendeförteckning|"
    r"INNEHÅLL|Innehåll|ÄRENDELISTA|Ärendelista|Förteckning över)(?![a-zåäö])"
)
# What each of CONTENTS_KEY's words holds: a line without any of these has none of them.
_CONTENTS_KEY_PARTS = ("NNEHÅLL", "nnehåll", "RENDE", "rende", "rteckning")


def contents_key(line: str) -> re.Match | None:
    """``CONTENTS_KEY.search(line)``, tried only on a line that holds a part of one of its words: every line
    of every protocol is asked, and a few substring tests take less than half the time of the scan."""
    for part in _CONTENTS_KEY_PARTS:
        if part in line:
            return CONTENTS_KEY.search(line)
    return None


_TOKEN = re.compile(r"§|[^\s§]+")


_LEADER = re.compile(r"\.{2,}|…+|_{3,}")


def _tokens(text: str) -> list[tuple[str, int]]:
    """(word, where it ends) for each word; leaders read as spaces, a § as a word of its own ("….2§ 654")."""
    text = _LEADER.sub(lambda m: " " * len(m.group()), text)
    return [(m.group(), m.end()) for m in _TOKEN.finditer(text)]


def _after_leader(text: str, tokens: list[tuple[str, int]], k: int) -> bool:
    """The word follows leaders ("Justering......2"): a page number.  Read backwards from the word over
    the white space before it, never over the whole text before it (a list of many words stays linear)."""
    i = tokens[k][1] - len(tokens[k][0])
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[max(i - 2, 0):i] == ".." or text[i - 1:i] == "…" or text[max(i - 3, 0):i] == "___"


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
    then most entries (page numbers rise too, but by more than one as a rule).

    A best path by dynamic programming; a chain's score depends on its last number only, so the best
    chain to extend is looked up by number (the last five numbers, or with a declared range a running
    maximum over all smaller numbers) rather than searched among all earlier candidates: linear."""
    best: list[tuple[tuple[int, int], int]] = []  # per candidate: (score, previous candidate) of the best chain ending there
    by_value: dict[int, tuple[tuple[int, int], int]] = {}  # number -> (best score, -index) of a chain ending on it
    below: PrefixMax = PrefixMax(10_000)  # with a declared range: the best chain ending on any number below a value
    for i, (_, value) in enumerate(candidates):
        if declared and not declared[0] <= value <= declared[1]:
            best.append(((-1, -1), -1))
            continue
        options = [((0, 1), 1)]  # a chain of its own; ((score), -previous), the earliest previous on a tie
        if declared:
            found = below.get(value - 1)  # ranks from 1: numbers up to value - 2
            if found is not None:
                (ones, count), minus_j = found
                options.append(((ones, count + 1), minus_j))
        for step in range(1, 2 if declared else 6):
            found = by_value.get(value - step)
            if found is not None:
                (ones, count), minus_j = found
                options.append(((ones + (step == 1), count + 1), minus_j))
        score, minus_prev = options[0]
        for option in options[1:]:
            if option[0] > score or (option[0] == score and minus_prev != 1 and option[1] > minus_prev):
                score, minus_prev = option
        prev = -minus_prev if minus_prev != 1 else -1
        best.append((score, prev))
        mine = (score, -i)
        if value not in by_value or mine[0] > by_value[value][0]:
            by_value[value] = mine
        if declared:
            below.put(value + 1, mine)
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
    """A run of titles cut where each ends (``title_length``, shown only the words it may read: a long
    run stays linear)."""
    parts = []
    at = 0
    while at < len(span):
        part = span[at: at + 41]
        n = title_length([words[j] for j in part], limit=40)
        parts.append(_strip_pages(words, part[:n]) or part[:n])
        at += n
    return parts


def _case_after(words: list[str], span: list[int]) -> tuple[str | None, list[int]]:
    """A case number written after a title, and the title's words before it."""
    from ..casenum import MENTION

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

