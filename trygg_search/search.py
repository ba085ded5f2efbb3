"""Query -> hits.  Never prints: printers render what this returns."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import live
from .analysis import STOP_WORDS, Term, analyze, query_terms
from .expand import AcronymMap, expand_acronyms, fold_query
from .filters import Filters
from .query import OPERATORS, Word, parse_query
from .schema import is_plain
from .store import read_vocabulary
from .whoosh_query import filter_query, positive_leaves, proximity_boost, split_top_filters, to_whoosh

SNIPPET_CHARS = 240
TEXT_FIELDS = ("title", "text")


@dataclass
class Hit:
    """One § found: what identifies it, its score and a highlighted snippet."""

    id: str
    date: str | None
    committee: str | None
    paragraph: int | None
    title: str
    case_number: str | None
    kind: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    path: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "date": self.date,
            "committee": self.committee,
            "paragraph": self.paragraph,
            "title": self.title,
            "case_number": self.case_number,
            "kind": self.kind,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "title_highlights": [list(h) for h in self.title_highlights],
            "source": self.path,
        }


@dataclass
class SearchResult:
    """Hits for one query, with what was searched and any notes for the reader."""

    query: str
    total: int
    hits: list[Hit]
    filters: Filters
    notes: list[str] = field(default_factory=list)
    did_you_mean: str | None = None
    showing_results_for: str | None = None
    explanation: dict | None = None

    def to_dict(self) -> dict:
        out = {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits]}
        if self.showing_results_for:
            out["showing_results_for"] = self.showing_results_for
        if self.explanation:
            out["explain"] = self.explanation
        if not self.filters.is_empty():
            out["filters"] = self.filters.to_dict()
        if self.did_you_mean:
            out["did_you_mean"] = self.did_you_mean
        if self.notes:
            out["notes"] = self.notes
        return out


# --- highlighting ---------------------------------------------------------------


def tokens_of(text: str, parts, terms: set[str]) -> list[Term]:
    """The words of ``text`` and its stored compound parts ``(start, end, term)`` whose term is in ``terms``.

    Found by a scan for words that begin with a term (every term is a prefix of
    the words it stems from), confirmed by analysis, rather than by analyzing
    the whole text; terms that are not plain words fall back to the whole text.
    """
    if any(not t.isalpha() for t in terms):
        out = [t for t in analyze(text, parts=False) if t.term in terms]
    else:
        out = []
        if terms:
            chunks: dict[str, list[Term]] = {}  # a § may repeat one word 100,000 times
            for m in _prefix_pattern(frozenset(terms)).finditer(text):
                chunk = m.group(0)
                found = chunks.get(chunk)
                if found is None:
                    found = chunks[chunk] = [t for t in analyze(chunk, parts=False) if t.term in terms]
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


def highlight_terms(q, reader) -> set[str]:
    """The indexed terms a query matches in the text fields (NOT parts left out, prefixes expanded)."""
    from whoosh import query as wq

    terms: set[str] = set()
    for leaf in positive_leaves(q):
        fieldname = getattr(leaf, "fieldname", None)
        if fieldname not in TEXT_FIELDS:
            continue
        if isinstance(leaf, wq.Phrase):
            terms.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            terms.add(leaf.text if isinstance(leaf.text, str) else leaf.text.decode("utf-8"))
        elif hasattr(leaf, "_btexts"):
            for i, bt in enumerate(leaf._btexts(reader)):
                terms.add(bt.decode("utf-8") if isinstance(bt, bytes) else bt)
                if i > 5000:
                    break
    return terms


# --- scoring ---------------------------------------------------------------------------


def weighting():
    """BM25F with milder length normalisation than whoosh's default (B=0.75): long §§ that
    are about the subject should not lose to short ones that mention it."""
    from whoosh import scoring

    return scoring.BM25F(B=0.5, K1=1.2)


class EngineHit:
    """One of the top hits found by the engine, read like a whoosh Hit (``docnum``, ``score``, ``fields()``)."""

    def __init__(self, searcher, docnum: int, score: float):
        self.searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)

    def __getitem__(self, name: str):
        return self.fields()[name]


class EngineResults:
    """The top hits, best first; ``len()`` is the exact number of matches, as for whoosh's Results."""

    def __init__(self, hits: list[EngineHit], total: int):
        self.hits, self.total = hits, total

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return self.total

    def scored_length(self) -> int:
        return len(self.hits)


def run_query(searcher, q, fq, limit: int):
    """The top ``limit`` hits; ``len()`` of the result is the exact number of matches.

    Evaluated by :mod:`trygg_search.engine` over whoosh's posting blocks: the
    same hits and scores as whoosh's searcher, which took 3.3 to 3.6 times as
    long over the benchmark's queries at 100,000 §§.  A query the engine does
    not know goes to :func:`run_whoosh`.
    """
    from .engine import Unsupported

    try:
        top, total = engine_for(searcher).search(q, fq, limit)
        return EngineResults([EngineHit(searcher, d, s) for d, s in top], total)
    except Unsupported:  # a node only whoosh knows, or whoosh's internals changed
        return run_whoosh(searcher, q, fq, limit)


def run_whoosh(searcher, q, fq, limit: int):
    """whoosh's own answer, every match scored once: its block-quality skipping
    can drop a better hit under a boost, and its matcher pruning undercounts."""
    from whoosh.collectors import FilterCollector, TopCollector

    collector = TopCollector(limit=limit, usequality=False, replace=0)
    if fq is not None:
        collector = FilterCollector(collector, allow=fq)
    searcher.search_with_collector(q, collector)
    return collector.results()


def matching_docs(searcher, q) -> set[int]:
    """The documents ``q`` matches, unranked (the engine's sets, or whoosh's where it cannot)."""
    from .engine import Unsupported

    try:
        return engine_for(searcher).docs(q)
    except Unsupported:
        return set(searcher.docs_for_query(q))


def engine_for(searcher):
    """The engine over a searcher's reader, made once per reader (a refreshed searcher gets a new one)."""
    from .engine import Engine

    engine = getattr(searcher, "_trygg_engine", None)
    if engine is None or engine.reader is not searcher.reader():
        engine = Engine(searcher, getattr(searcher, "_trygg_totals", None))
        searcher._trygg_engine = engine
    return engine


_searchers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # index -> [its current searcher]


def shared_searcher(ix):
    """The searcher of an open index, opened once and kept while the index object lives.

    It is closed (its files with it) when the index object is collected or the
    process ends.  A process that holds an index across an ingest sees the new
    documents after :func:`refresh`.
    """
    holder = _searchers.get(ix)
    if holder is None:
        holder = [_open_searcher(ix)]
        _searchers[ix] = holder
        weakref.finalize(ix, lambda h: _close_quietly(h[0]), holder)
    return holder[0]


def refresh(ix):
    """The shared searcher of ``ix`` brought up to date with the index on disk (after an ingest)."""
    old = shared_searcher(ix)
    if old.up_to_date():
        return old
    _searchers[ix][0] = _open_searcher(ix)
    _close_quietly(old)
    return _searchers[ix][0]


def _open_searcher(ix):
    """A searcher with the totals of its commit, which the engine scores with."""
    from .store import read_totals

    searcher = ix.searcher(weighting=weighting())
    searcher._trygg_totals = read_totals(Path(ix.storage.folder), searcher.reader().generation())
    return searcher


def _close_quietly(searcher) -> None:
    try:
        searcher.close()
    except Exception:  # already closed, or its files are gone with a replaced generation
        pass


# --- searching ---------------------------------------------------------------------------


def hit_from(stored: dict, score: float, terms: set[str], snippet: bool = True) -> Hit:
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
        title_highlights=match_spans(tokens_of(title, parts.get("title", ()), terms), terms) if terms else [],
        path=stored.get("path"),
    )


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


def build(text: str, filters: Filters, reader, plain: bool = False):
    """The query text and the option filters -> (scored query or None, filter query or None, notes, plain words).

    Top-level positive filter clauses of the text join the options' as the
    filter every hit passes; filters under OR or NOT stay in the query.
    """
    from whoosh import query as wq

    parsed = parse_query(text)
    notes = list(parsed.notes)
    clauses, rest = split_top_filters(parsed.tree)
    for c in clauses:  # the same filter in the query and as an option: both hold, and we say so
        twins = [o for o in filters.clauses if o.spec.field == c.spec.field]
        if twins:
            given = ", ".join(f"{o.spec.option} {o.raw}" for o in twins)
            notes.append(f"{c.name}:{c.raw} in the query and {given} both apply")
    fq = filter_query(list(filters.clauses) + clauses, reader, notes)
    if rest is None:
        q = wq.Every() if clauses else None
    else:
        q = proximity_boost(to_whoosh(rest, reader, notes, plain), parsed.plain_words(), plain)
    if q is None and not any("no words" in n for n in notes):
        notes.append("the query has only stop words or no words at all")
    return q, fq, notes, parsed


def search(ix, text: str, filters: Filters, limit: int = 10, explain: bool = False) -> SearchResult:
    """Run a query with filters; the best ``limit`` hits with snippets, and the total count.

    Acronyms expand both ways; a query that finds nothing is tried again with
    å/ä/ö restored ("showing results for ..."), and otherwise gets a
    did-you-mean.  ``explain`` fills ``SearchResult.explanation``.
    """
    searcher = shared_searcher(ix)
    reader = searcher.reader()
    plain = is_plain(ix.schema)
    q, fq, notes, parsed = build(text, filters, reader, plain)
    if q is None:
        return SearchResult(text, 0, [], filters, notes)
    amap = AcronymMap(None if plain else reader)
    expansions: list[str] = []
    q = expand_acronyms(q, amap, expansions)
    results = run_query(searcher, q, fq, limit)
    total = len(results)
    showing = None
    words = parsed.tree is not None and any(
        not negated and not hasattr(leaf, "clause") for leaf, negated in _leaves(parsed.tree))
    vocabulary = (read_vocabulary(Path(ix.storage.folder), reader.generation()) or {}) if total == 0 and words else {}
    if total == 0 and words and not plain:
        folded = fold_query(parsed.text, reader, vocabulary)
        if folded:
            q2, _, _, _ = build(folded, filters, reader, plain)
            if q2 is not None:
                q2 = expand_acronyms(q2, amap, expansions)
                results2 = run_query(searcher, q2, fq, limit)
                if len(results2):
                    q, results, total, showing = q2, results2, len(results2), folded
                    notes.append(f"no hits for {parsed.text!r}; showing results for {folded!r}")
    terms = highlight_terms(q, reader)
    hits = [hit_from(r.fields(), r.score, terms) for r in results]
    result = SearchResult(text, total, hits, filters, notes, showing_results_for=showing)
    if total == 0 and words:
        result.did_you_mean = did_you_mean(searcher, parsed, filters, vocabulary)
    if explain:
        result.explanation = explain_query(searcher, parsed.text, q, results, expansions, showing)
    return result


def _leaves(tree):
    from .query import leaves

    return leaves(tree)


def scoring_parts(q):
    """The parts of a whoosh query that add to a score: text leaves outside NOTs, and the
    constant 1.0 of an Every or a NOT that stands on its own (``NOT x``, ``a OR NOT b``)."""
    from whoosh import query as wq

    if isinstance(q, (wq.Not, wq.Every)):
        yield q
        return
    if isinstance(q, wq.AndNot):
        yield from scoring_parts(q.a)
        return
    if isinstance(q, wq.ConstantScoreQuery):
        return
    if q.is_leaf():
        if getattr(q, "fieldname", None) in TEXT_FIELDS:
            yield q
        return
    for child in q.children():
        yield from scoring_parts(child)


def _label(part) -> str:
    from whoosh import query as wq

    if isinstance(part, wq.Every):
        return "every §"
    if isinstance(part, wq.Not):
        return f"NOT {part.query}"
    if isinstance(part, wq.Phrase):
        return f'{part.fieldname}:"' + " ".join(part.words) + '"'
    text = getattr(part, "text", "")
    return f"{part.fieldname}:" + (text if isinstance(text, str) else text.decode("utf-8")) + (
        "*" if isinstance(part, wq.Prefix) else "")


def _part_score(searcher, part, docnum: int) -> float | None:
    """What one part of a query scores for one document, as the search scored it (None: no match)."""
    from .engine import Unsupported

    try:
        return engine_for(searcher).scores(part).get(docnum)
    except Unsupported:
        one = searcher.search(part, filter={docnum}, limit=1, terms=False)
        return one[0].score if one.scored_length() else None


def explain_query(searcher, text: str, q, results, expansions: list[str], showing: str | None) -> dict:
    """How the query was analyzed and expanded, and what each part added to the top hits' scores
    (the parts of a hit sum to its score)."""
    from .compounds import split

    words = []
    for word in re.findall(r"[^\W_]+(?:[-/:][^\W_]+)*", showing or text):
        if word in OPERATORS:
            continue
        analyzed = analyze(word, parts=False)
        words.append({
            "word": word,
            "terms": [t.term for t in analyzed],
            "stop_word": not analyzed,
            "compound_parts": [form for form, _, _ in split(word.lower())],
        })
    parts = list(scoring_parts(q))
    hits = []
    for r in list(results)[:3]:
        contributions = []
        for part in parts:
            score = _part_score(searcher, part, r.docnum)
            if score is not None:
                contributions.append({"term": _label(part), "score": round(score, 4)})
        contributions.sort(key=lambda c: -c["score"])
        hits.append({"id": r["id"], "score": round(r.score, 4), "matched": contributions})
    out = {
        "words": words,
        "expansions": expansions,
        "diacritics": showing,
        "query": str(q),
        "top_hits": hits,
    }
    from .engine import missing_internals

    reason = missing_internals()
    if reason:
        out["engine"] = f"whoosh's own searcher ({reason})"
    return out


def did_you_mean(searcher, parsed, filters: Filters, vocabulary: dict[str, int]) -> str | None:
    """A corrected query, when words of it are in no § and words close to them are, and it finds §§.

    Only plain words are corrected (no operator, boost or punctuation glued on);
    a word that is a name in the attendance lists becomes a ``participant:``
    filter (names are not in the text).
    """
    reader = searcher.reader()
    fixes: dict[str, str] = {}
    names = _name_words(reader)
    for leaf, negated in _leaves(parsed.tree):
        if type(leaf) is not Word or negated or leaf.boost != 1.0 or not leaf.text.isalpha():
            continue
        terms = query_terms(leaf.text)
        if not terms or any(live.is_live(reader, f, t) for f in TEXT_FIELDS for t in terms):
            continue
        word = leaf.text.casefold()
        suggestion = closest_word(word, vocabulary)
        name = word if word in names else closest_word(word, dict.fromkeys(names, 1))
        if name and (not suggestion or _distance(word, name, 2) <= _distance(word, suggestion, 2)):
            fixes[leaf.text] = f"{names[name]}:{name.capitalize()}"  # names are not in the text: a filter
        elif suggestion:
            fixes[leaf.text] = suggestion
    if not fixes:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(fixes, key=len, reverse=True))
    corrected = re.sub(rf'(?<![\w:^~*?"-])({alternatives})(?![\w:^~*?])', lambda m: fixes[m.group(1)], parsed.text)
    q, fq, _, _ = build(corrected, filters, reader, is_plain(searcher.schema))
    if q is not None and len(run_query(searcher, q, fq, 1)):
        return corrected
    return None


def _name_words(reader) -> dict[str, str]:
    """Each word of a name in the attendance and officer lists -> its field (participant, officer)."""
    words: dict[str, str] = {}
    for fieldname in ("officer", "participant"):
        for name in live.terms(reader, fieldname):
            for w in name.split():
                if len(w) > 2:
                    words[w] = fieldname
    return words


def closest_word(word: str, vocabulary: dict[str, int], maxdist: int = 2) -> str | None:
    """The most frequent vocabulary word within ``maxdist`` edits of ``word`` (same first letter)."""
    best = None
    for candidate, count in vocabulary.items():
        if candidate[:1] != word[:1] or abs(len(candidate) - len(word)) > maxdist or candidate == word:
            continue
        if candidate in STOP_WORDS:  # a stop word is never searched: no use suggesting one
            continue
        d = _distance(word, candidate, maxdist)
        if d <= maxdist and (best is None or (d, -count) < best[0]):
            best = ((d, -count), candidate)
    return best[1] if best else None


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) once it must exceed ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
