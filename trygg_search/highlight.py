"""Highlights and snippets: which words of a text matched, and the window of text that shows them.

Linear in the number of matches: a § may repeat the query word 100,000 times.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analysis import NOUN_MARK, Term, analyze, name_terms
from .results import Hit

SNIPPET_CHARS = 240


def tokens_of(text: str, parts, terms: set[str]) -> list[Term]:
    """The words of ``text`` and its stored compound parts ``(start, end, term)`` whose term is in ``terms``.

    Found by a scan for the chunks with a word that may have one of the terms, confirmed by analysis,
    rather than by analyzing the whole text.  Every step of the analysis but one cuts a word's end, so
    a word's term begins as the word does; the one that does not, the lexicon's (gick -> gå, gjorde ->
    gör), is asked for the forms it leads to each term (``lexicon.forms_led_to``).  Terms that are not
    plain words fall back to the whole text.
    """
    from .lexicon import forms_led_to

    prefixes = {t.removesuffix(NOUN_MARK) for t in terms}  # a noun's term is its stem, marked
    if any(not t.isalpha() for t in prefixes):
        out = [t for t in analyze(text, parts=False) if t.term in terms]
    else:
        out = []
        if terms:
            starts = set(prefixes)
            for prefix in prefixes:
                starts |= forms_led_to(prefix)
            chunks: dict[str, list[Term]] = {}  # a § may repeat one word 100,000 times
            for m in _prefix_pattern(frozenset(starts)).finditer(text):
                chunk = m.group(0)
                found = chunks.get(chunk)
                if found is None:
                    found = chunks[chunk] = [t for t in analyze(chunk, parts=False, names=True) if t.term in terms]
                out += [Term(t.term, m.start() + t.start, m.start() + t.end, -1) for t in found]
    if parts:
        out += [Term(term, start, end, -1, True) for start, end, term in parts if term in terms]
        out.sort(key=lambda t: (t.start, t.part))
    return out


@lru_cache(maxsize=256)
def _prefix_pattern(terms: frozenset[str]) -> re.Pattern:
    """Whole chunks as the tokenizer reads them (``GVI-2023``, ``SSPF-arbetet``) in which a piece
    begins with one of the terms: the chunk is then analyzed as indexing analyzed it."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(
        rf"(?<![^\W_])(?<![^\W_][-/:.])(?:[^\W_]+[-/:.])*(?:{alternatives})[^\W_]*(?:[-/:.][^\W_]+)*",
        re.IGNORECASE,
    )


def match_spans(tokens: list[Term], terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of the tokens whose term is in ``terms``."""
    return [(t.start, t.end) for t in tokens if t.term in terms]


def make_snippet(text: str, terms: set[str], size: int = SNIPPET_CHARS,
                 tokens: list[Term] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` with the most distinct matched terms, and the match offsets inside it.

    White space is folded to single spaces (the offsets follow); a cut is
    marked with "…" and the offsets shift with it.  ``tokens`` defaults to
    the analyzed words of ``text``.
    """
    if tokens is None:
        tokens = analyze(text, parts=False)
    tokens = [t for t in tokens if t.term in terms] if terms else []
    if not tokens:
        start, end = 0, min(len(text), size)
    else:
        start, end = _best_window(tokens, size)
        end = min(end, len(text))
        start = max(0, min(start, end - size))
    # Widen to word boundaries.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace() and end - start < size + 40:
        end += 1
    piece, mapping = _collapse(text[start:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    spans = []
    for t in tokens:
        if start <= t.start and t.end <= end:
            spans.append((mapping[t.start - start] + len(prefix), mapping[t.end - start - 1] + 1 + len(prefix)))
    return prefix + piece + suffix, spans


def _best_window(tokens: list[Term], size: int) -> tuple[int, int]:
    """The window of ``size`` characters, starting a little before a match, that holds the most
    distinct matched terms (then the most matches, then the earliest): one pass over the
    matches, however many there are (they are in text order, so the window only moves on)."""
    best = None
    counts: dict[str, int] = {}
    j = 0
    for i, anchor in enumerate(tokens):
        j = max(j, i)
        lo = max(0, anchor.start - size // 4)
        hi = lo + size
        while j < len(tokens) and tokens[j].end <= hi:
            counts[tokens[j].term] = counts.get(tokens[j].term, 0) + 1
            j += 1
        key = (len(counts), j - i, -i)
        if best is None or key > best[0]:
            best = (key, lo, hi)
        if j > i:  # token i leaves the window
            left = counts[anchor.term] - 1
            if left:
                counts[anchor.term] = left
            else:
                del counts[anchor.term]
    return best[1], best[2]


def _collapse(s: str) -> tuple[str, list[int]]:
    """Fold runs of white space into one space and trim; map each old offset to its new one."""
    out: list[str] = []
    mapping: list[int] = []
    for ch in s:
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            mapping.append(max(len(out) - 1, 0))
        else:
            mapping.append(len(out))
            out.append(ch)
    while out and out[-1] == " ":
        out.pop()
    return "".join(out), mapping


def hit_from(stored: dict, score: float | None, terms: set[str], snippet: bool = True) -> Hit:
    """A stored document -> Hit; ``snippet=False`` skips the snippet (lookups by identity)."""
    text = stored.get("text", "")
    title = stored.get("title", "")
    parts = stored.get("parts") or {}
    if snippet:
        body, offset = _body(text, title)
        body_parts = [(s - offset, e - offset, t) for s, e, t in parts.get("text", ()) if s >= offset]
        snippet, spans = make_snippet(body, terms, tokens=tokens_of(body, body_parts, terms))
    else:
        snippet, spans = "", []
    title_spans = match_spans(tokens_of(title, parts.get("title", ()), terms), terms) if terms else []
    people = matched_people(stored, terms) if terms else []
    matched = (["title"] if title_spans else []) + (["text"] if spans else []) + list(
        dict.fromkeys(role for p in people for role in p["as"]))
    return Hit(
        id=stored["id"],
        date=stored.get("date"),
        committee=stored.get("committee"),
        paragraph=stored.get("paragraph"),
        title=title,
        case_number=stored.get("case_number"),
        kind=stored.get("kind", ""),
        score=float(score or 0.0),
        snippet=snippet,
        highlights=spans,
        title_highlights=title_spans,
        path=stored.get("path"),
        decision=stored.get("decision"),
        decisions=stored.get("decisions"),
        matched=matched,
        people=people,
    )


ROLES = ("participant", "chair", "secretary", "adjuster", "officer")  # how a § names a person, in that order


def people_by_role(stored: dict) -> dict[str, list[str]]:
    """A stored § 's people, each name with the ways the § names it (see ``ingest.people_of``)."""
    out: dict[str, list[str]] = {}
    meeting = stored.get("meeting") or {}
    recused = {n.casefold() for n in stored.get("recused") or ()}
    named = [(entry[0], "participant") for entry in stored.get("present") or () if entry and entry[0]
             and entry[0].casefold() not in recused]
    if stored.get("paragraph") is not None:
        named += [(meeting.get("chair"), "chair"), (meeting.get("secretary"), "secretary")]
        named += [(name, "adjuster") for name in meeting.get("adjusters") or ()]
    named += [(name.strip(), "officer") for name in (stored.get("officer") or "").split(",")]
    for name, role in named:
        if name and role not in out.setdefault(name, []):
            out[name].append(role)
    return out


def matched_people(stored: dict, terms: set[str]) -> list[dict]:
    """The people of a § whose names hold the most of the query's terms (at least one): {"name", "as"}."""
    scored = []
    for name, roles in people_by_role(stored).items():
        hits = len({t.term for t in name_terms(name, False)} & terms)
        if hits:
            scored.append((hits, name, roles))
    best = max((n for n, _, _ in scored), default=0)
    return [{"name": name, "as": roles} for n, name, roles in scored if n == best]


def _body(text: str, title: str) -> tuple[str, int]:
    """The § text without its heading lines (so that snippets show the matter itself), and where it starts."""
    lines = text.split("\n")
    joined = ""
    offset = 0
    for line in lines[:8]:
        joined = (joined + " " + line).strip()
        offset += len(line) + 1
        if title and title in joined:
            rest = text[offset:]
            body = rest.strip()
            if body:
                return body, offset + (len(rest) - len(rest.lstrip()))
            break
    return text, 0
