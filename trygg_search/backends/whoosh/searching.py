"""whoosh searching: the searcher kept per open index, queries run by the engine or by whoosh,
the terms a query matched, and the parts of a score."""

from __future__ import annotations

import weakref
from functools import lru_cache
from pathlib import Path

from .engine import Engine, Unsupported, missing_internals  # noqa: F401 - missing_internals: for __init__
from .internals import can_expand, expanded_terms
from .query import TEXT_FIELDS


def highlight_terms(q, reader) -> set[str]:
    """The indexed terms a query matches in the text fields (NOT parts left out, prefixes expanded)."""
    from whoosh import query as wq

    terms: set[str] = set()
    for leaf in scoring_parts(q):  # the text leaves outside a NOT (and the constant NOTs, passed over)
        if isinstance(leaf, wq.Phrase):
            terms.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            terms.add(leaf.text if isinstance(leaf.text, str) else leaf.text.decode("utf-8"))
        elif can_expand(leaf):
            for i, bt in enumerate(expanded_terms(leaf, reader)):
                terms.add(bt.decode("utf-8") if isinstance(bt, bytes) else bt)
                if i > 5000:
                    break
    return terms


def weighting():
    """BM25F with the parameters of the weights table (:mod:`...weights`), a front record's score
    weighed by ``weights.FRONT``."""
    from whoosh import scoring

    from ... import weights

    class Weighting(scoring.BM25F):
        use_final = True

        def final(self, searcher, docnum, score):
            return score * weights.FRONT if docnum in front_docs(searcher) else score

    return Weighting(B=weights.BM25_B, K1=weights.BM25_K1)


def front_docs(searcher) -> frozenset[int]:
    """The front records (kind ``front``) of a searcher's reader, found once per reader."""
    reader = searcher.reader()
    cached = getattr(searcher, "_trygg_fronts", None)
    if cached is None or cached[0] is not reader:
        from whoosh import query as wq

        cached = (reader, frozenset(matching_docs(searcher, wq.Term("kind", "front"))))
        searcher._trygg_fronts = cached
    return cached[1]


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
    try:
        top, total = engine_for(searcher).search(q, fq, limit, front_docs(searcher))
        return EngineResults([EngineHit(searcher, d, s) for d, s in top], total)
    except Unsupported:  # a node only whoosh knows, or whoosh's internals changed
        return run_whoosh(searcher, q, fq, limit)


def browse(searcher, fq, limit: int):
    """Every § the filter allows (all, without one), newest first by their ``browse`` key: the first
    ``limit`` of them, and how many there are."""
    import heapq

    reader = searcher.reader()
    docs = matching_docs(searcher, fq) if fq is not None else set(reader.all_doc_ids())
    keys = reader.column_reader("browse")
    top = heapq.nsmallest(limit, docs, key=lambda d: (keys[d], d))
    return EngineResults([EngineHit(searcher, d, 0.0) for d in top], len(docs))


def run_whoosh(searcher, q, fq, limit: int):
    """whoosh's own answer, every match scored once: its block-quality skipping
    can drop a better hit under a boost, and its matcher pruning undercounts."""
    from whoosh.collectors import FilterCollector, TopCollector

    collector = TopCollector(limit=limit, usequality=False, replace=0)
    if fq is not None:
        collector = FilterCollector(collector, allow=fq)
    searcher.search_with_collector(without_andnot(q), collector)
    return collector.results()


def without_andnot(q):
    """``AndNot(a, b)`` as ``And(a, not-b scoring 0)``: the same matches and scores.  whoosh's
    AndNotMatcher misses an exclusion when the excluded term's first posting comes before the
    first match (its ``_find_first`` never moves the excluded matcher forward)."""
    from whoosh import query as wq

    if isinstance(q, wq.AndNot):
        return wq.And([without_andnot(q.a), _excluding_class()(without_andnot(q.b))])
    return q if q.is_leaf() else q.apply(without_andnot)


@lru_cache(maxsize=1)
def _excluding_class():
    """The class is made on first use: whoosh is imported only when a whoosh index is read."""
    from whoosh import matching
    from whoosh import query as wq

    class Excluding(wq.WrappingQuery):
        """The documents ``child`` does not match, each scoring 0 (whoosh's Not scores 1, and an
        And turns a Not child back into the AndNot above)."""

        def matcher(self, searcher, context=None):
            reader = searcher.reader()
            child = self.child.matcher(searcher, searcher.boolean_context())
            return matching.InverseMatcher(child, reader.doc_count_all(), missing=reader.is_deleted, weight=0.0)

    return Excluding


def matching_docs(searcher, q) -> set[int]:
    """The documents ``q`` matches, unranked (the engine's sets, or whoosh's where it cannot)."""
    try:
        return engine_for(searcher).docs(q)
    except Unsupported:
        return set(searcher.docs_for_query(without_andnot(q)))


def engine_for(searcher):
    """The engine over a searcher's reader, made once per reader (a refreshed searcher gets a new one)."""
    engine = getattr(searcher, "_trygg_engine", None)
    if engine is None or engine.reader is not searcher.reader():
        engine = Engine(searcher, getattr(searcher, "_trygg_totals", None))
        searcher._trygg_engine = engine
    return engine


_searchers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # index -> [its current searcher]


def shared_searcher(ix):
    """The searcher of an open index, opened once and kept while the index object lives.

    It is closed (its files with it) when the index object is collected or the
    process ends.  It is a snapshot: a process sees a later ingest by opening
    the index again.
    """
    holder = _searchers.get(ix)
    if holder is None:
        holder = [_open_searcher(ix)]
        _searchers[ix] = holder
        weakref.finalize(ix, lambda h: _close_quietly(h[0]), holder)
    return holder[0]


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
    try:
        return engine_for(searcher).scores(part).get(docnum)
    except Unsupported:
        one = searcher.search(part, filter={docnum}, limit=1, terms=False)
        return one[0].score if one.scored_length() else None


def explain_parts(searcher, q, docnum: int) -> list[dict]:
    """What each part of a query added to one document's score, largest first (they sum to the score)."""
    out = []
    for part in scoring_parts(q):
        score = _part_score(searcher, part, docnum)
        if score is not None:
            out.append({"term": _label(part), "score": round(score, 4)})
    out.sort(key=lambda c: -c["score"])
    return out
