"""Query evaluation over whoosh's posting lists, a block at a time.

whoosh scores a query one posting at a time through a tree of matcher objects
(a few microseconds per posting in Python), and counting the matches exactly
walks every posting again.  This module reads the same posting blocks whoosh
wrote, decodes each block whole (its ids, weights and positions are one zlib'd
pickle), and evaluates the query with sets and dicts: the intersection of an
AND and the union of an OR are C-level set operations, and only the matches
are scored.  A word's OR of terms (its title, text and people) scores its
longest list only where the others' §§ leave room in the top hits
(:meth:`Engine._top_of_terms`, Lucene's MaxScore).

It computes what whoosh's own searcher computes over an index without deleted
documents, to the float: BM25F as in ``whoosh.scoring`` with whoosh's document
lengths, idf and average lengths; an AND, OR, AndMaybe or phrase scores the
sum of its parts, times its boost; ties go to the lower document number.
``tests/test_engine.py`` checks this against whoosh on many queries.  Where
whoosh counts deleted documents (its document count, document frequencies
and length totals, which a merge also rounds), the engine counts live ones:
the number of live §§, a term's live postings, and the exact length totals
the ingest wrote (``totals``), so that an index kept up to date scores as a
fresh index of the same files does.  A query holding a node this module does not
know raises :class:`Unsupported`, and the caller uses whoosh's searcher.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from itertools import accumulate
from math import log
from pickle import loads

from ...analysis import PAIR

from .internals import (
    Unsupported,
    WhooshChanged,
    deleted_docs,
    expanded_terms,
    field_B,
    is_block_matcher,
    length_bytes,
    missing_internals,
    read_blocks,
    term_matcher,
)

__all__ = ["Engine", "Unsupported", "WhooshChanged", "missing_internals", "top_hits"]


class Postings:
    """One term's postings over the whole index: global doc numbers, weights, and raw values if asked for."""

    __slots__ = ("ids", "weights", "values", "df")

    def __init__(self):
        self.ids: list[int] = []
        self.weights: list[float] = []
        self.values: list | None = None  # value bytes, or position deltas (read_blocks)
        self.df = 0  # live documents holding the term in the whole index (ids may be fewer: skipped blocks)


class Engine:
    """Evaluates whoosh query trees over one searcher's index (see the module docstring).

    Like the whoosh searcher it reads through (its files are read by seek and
    read), one engine serves one thread at a time.
    """

    def __init__(self, searcher, totals: dict[str, int] | None = None):
        reason = missing_internals()
        if reason:
            raise WhooshChanged(reason)
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.leaves = self.reader.leaf_readers() if hasattr(self.reader, "leaf_readers") else [(self.reader, 0)]
        weighting = searcher.weighting
        self.B, self.K1 = weighting.B, weighting.K1
        self._field_B = field_B(weighting)
        self._lengths: dict[str, bytes] = {}  # a field's, over the whole index (_all_lengths)
        self._deleted: dict[int, frozenset[int]] = {}  # a segment's, by its offset
        self._norms: dict[str, list[float]] = {}
        self._shortest: dict[str, int] = {}  # a field's smallest length byte (_bound)
        self._live: set[int] | None = None
        self._wanted: list[int] | None = None  # while a selective filter applies: its sorted doc numbers
        self.pruned = 0  # searches answered by _top_of_terms without scoring the longest list whole
        self.doc_count = self.reader.doc_count()  # live documents
        # Length totals per field over live documents, as ingest counted them (None: whoosh's own).
        self.totals = totals if totals and totals.get("paragraphs") == self.doc_count else None

    # --- postings -------------------------------------------------------------------

    def postings(self, fieldname: str, text, with_values: bool = False, within: list[int] | None = None) -> Postings:
        """The postings of ``fieldname:text`` in every segment, deleted documents left out.  ``within``
        (sorted doc numbers, else a selective filter's): blocks that hold none of them may be skipped."""
        out = Postings()
        if with_values:
            out.values = []
        field = self.schema[fieldname]
        btext = _as_bytes(field, text)
        if btext is None:
            return out
        for seg, offset in self.leaves:
            m = term_matcher(seg, fieldname, btext, field.format)
            if m is None:
                continue
            ids: list[int] = []
            weights: list[float] = []
            values: list | None = [] if with_values else None
            deleted = self._deleted.get(offset)
            if deleted is None:
                deleted = self._deleted[offset] = deleted_docs(seg)
            skipping = False
            if is_block_matcher(m):
                wanted = None
                only = within if within is not None else self._wanted
                if only is not None and not deleted:  # where §§ are deleted, all are read: live df
                    skipping = True
                    lo, hi = bisect_right(only, offset - 1), bisect_right(only, offset + seg.doc_count_all() - 1)
                    wanted = [d - offset for d in only[lo:hi]] if offset else only[lo:hi]
                read_blocks(m, with_values, ids, weights, values, wanted)
            else:  # short lists are inlined in the term info
                deltas = with_values and type(field.format) is _positions_format()
                while m.is_active():
                    ids.append(m.id())
                    weights.append(m.weight())
                    if with_values:  # a Positions field's as read_blocks gives them: the deltas
                        values.append(_deltas(m.value()) if deltas else m.value())
                    m.next()
            if deleted:
                keep = [i for i, d in enumerate(ids) if d not in deleted]
                ids = [ids[i] + offset for i in keep]
                weights = [weights[i] for i in keep]
                if with_values:
                    values = [values[i] for i in keep]
            elif offset:
                ids = [d + offset for d in ids]
            out.df += seg.doc_frequency(fieldname, btext) if skipping else len(ids)
            out.ids.extend(ids)
            out.weights.extend(weights)
            if with_values:
                out.values.extend(values)
        return out

    def _all_lengths(self, fieldname: str) -> bytes:
        """The length byte of every document of the index in ``fieldname`` (whoosh's length encoding), by
        its (global) number: the segments' one after another, as their numbers follow one another."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            parts = [length_bytes(seg, fieldname) for seg, _ in self.leaves]
            starts = list(accumulate((len(p) for p in parts), initial=0))[:-1]
            if starts != [offset for _, offset in self.leaves]:
                raise WhooshChanged("the segments' document numbers do not follow one another")
            lengths = self._lengths[fieldname] = b"".join(parts)
        return lengths

    def _norm_table(self, fieldname: str) -> list[float]:
        """BM25's length normalisation for each of the 256 length bytes."""
        table = self._norms.get(fieldname)
        if table is None:
            from whoosh.util.numeric import byte_to_length

            B = self._field_B.get(fieldname, self.B)
            if self.totals and fieldname in self.totals:
                avgfl = self.totals[fieldname] / (self.doc_count or 1) or 1
            else:
                avgfl = self.searcher.avg_field_length(fieldname) or 1
            table = [self.K1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(256)]
            self._norms[fieldname] = table
        return table

    def _scored(self, fieldname: str, text, boost: float, postings: Postings | None = None) -> dict[int, float]:
        """doc -> BM25F score of one term, as whoosh's BM25FScorer computes it."""
        if postings is None:
            postings = self.postings(fieldname, text)
        if not postings.ids:
            return {}
        field = self.schema[fieldname]
        if not field.scorable:  # whoosh scores such fields by weight alone
            return {d: w * boost for d, w in zip(postings.ids, postings.weights)}
        # whoosh's idf (WeightingModel.idf) over live documents
        idf = log(self.doc_count / (postings.df + 1)) + 1
        k1 = self.K1 + 1
        table = self._norm_table(fieldname)
        ids, weights = postings.ids, postings.weights
        # A weight of one, most postings of a text: its score for each length byte, worked out once
        # (1.0 * k1 is k1 and 1.0 + t is 1.0 + t: the same floats as the formula).
        one = [idf * ((1.0 * k1) / (1.0 + t)) for t in table]
        lengths = self._all_lengths(fieldname)  # the length byte of every document, by its number
        scores = [one[lengths[d]] if w == 1.0 else idf * ((w * k1) / (w + table[lengths[d]]))
                  for d, w in zip(ids, weights)]
        if boost != 1.0:
            scores = [s * boost for s in scores]
        return dict(zip(postings.ids, scores))

    def live_docs(self) -> set[int]:
        if self._live is None:
            self._live = set(self.reader.all_doc_ids())
        return self._live

    # --- evaluation -------------------------------------------------------------------

    def scores(self, q) -> dict[int, float]:
        """doc -> score of every document ``q`` matches."""
        from whoosh import query as wq

        kind = type(q)
        if q is wq.NullQuery or kind is wq.NullQuery.__class__:
            return {}
        if kind is wq.Term:
            if q.fieldname not in self.schema:
                return {}
            return self._scored(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.MultiTerm) and hasattr(q, "fieldname") and not isinstance(q, wq.Variations):
            # prefix, wildcard, range, fuzzy: whoosh ORs the expanded terms (one term: unboosted)
            if q.fieldname not in self.schema:
                return {}
            terms = [t for t in expanded_terms(q, self.reader) if t]
            acc = self._sum([self._scored(q.fieldname, t, 1.0) for t in terms])
            return _boosted(acc, q.boost) if len(terms) > 1 else acc
        if kind is wq.Phrase:
            return self._phrase(q)
        if kind in (wq.Or, wq.And) and len(q.subqueries) <= 1:
            # whoosh: no matcher for an empty compound, and the only child's own (unboosted) for one
            return self.scores(q.subqueries[0]) if q.subqueries else {}
        if kind is wq.Or and not q.minmatch and not q.scale:
            return _boosted(self._sum([self.scores(s) for s in q.subqueries]), q.boost)
        if kind is wq.And:
            positive = [s for s in q.subqueries if type(s) is not wq.Not]
            negative = [s.query for s in q.subqueries if type(s) is wq.Not]
            if not positive:
                return _boosted(self._intersect([self.scores(s) for s in q.subqueries]), q.boost)
            acc = self._intersect([self.scores(s) for s in positive])
            for s in negative:
                if not acc:
                    break
                for d in self.docs(s) & acc.keys():
                    del acc[d]
            if negative:  # whoosh's matcher for a NOT scores 1.0 where it matches
                acc = {d: v + len(negative) for d, v in acc.items()}
            return _boosted(acc, q.boost)
        if kind is wq.Not:
            return dict.fromkeys(self.live_docs() - self.docs(q.query), 1.0)
        if kind is wq.ConstantScoreQuery:
            return dict.fromkeys(self.docs(q.child), q.score)
        if kind is wq.AndNot:
            acc = self.scores(q.a)
            if acc:
                for d in self.docs(q.b) & acc.keys():
                    del acc[d]
            return acc
        if kind is wq.AndMaybe:
            acc = self.scores(q.a)
            if acc:
                for d, s in self.scores(q.b).items():
                    if d in acc:
                        acc[d] += s
            return acc
        if kind is wq.Every and not q.fieldname:
            return dict.fromkeys(self.live_docs(), q.boost)
        raise Unsupported(type(q).__name__)

    def docs(self, q) -> set[int]:
        """The documents ``q`` matches, unscored: for NOTs and filters."""
        from whoosh import query as wq

        kind = type(q)
        if kind is wq.Term:
            if q.fieldname not in self.schema:
                return set()
            return set(self.postings(q.fieldname, q.text).ids)
        if kind is wq.Or and not q.minmatch:
            out: set[int] = set()
            for s in q.subqueries:
                out |= self.docs(s)
            return out
        if kind is wq.And:
            positive = [s for s in q.subqueries if type(s) is not wq.Not]
            if not positive:
                raise Unsupported("an AND of only NOTs")
            sets = sorted((self.docs(s) for s in positive), key=len)
            out = sets[0].intersection(*sets[1:])
            for s in q.subqueries:
                if type(s) is wq.Not:
                    out -= self.docs(s.query)
            return out
        if kind is wq.ConstantScoreQuery:
            return self.docs(q.child)
        if kind is wq.Not:
            return self.live_docs() - self.docs(q.query)
        if isinstance(q, wq.MultiTerm) and hasattr(q, "fieldname") and not isinstance(q, wq.Variations):
            if q.fieldname not in self.schema:
                return set()
            out = set()
            for t in expanded_terms(q, self.reader):
                if t:
                    out.update(self.postings(q.fieldname, t).ids)
            return out
        if kind in (wq.NumericRange, wq.DateRange):
            simple = q.simplify(self.reader)
            if type(simple) is kind:
                raise Unsupported(kind.__name__)
            return self.docs(simple)
        return set(self.scores(q))

    def _phrase(self, q) -> dict[int, float]:
        """Documents where the words stand in order within ``slop``, scored as whoosh's SpanNear2 does."""
        if q.fieldname not in self.schema or not q.words:
            return {}
        field = self.schema[q.fieldname]
        if not field.format or not field.format.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        # The rarest word first; a more common one's blocks are read only where they may hold a § that
        # has the words read before (its positions are what a phrase reads most of).
        raw_df = {}
        for w in set(q.words):
            btext = _as_bytes(field, w)
            raw_df[w] = 0 if btext is None else sum(seg.doc_frequency(q.fieldname, btext) for seg, _ in self.leaves)
        candidates: set[int] | None = None
        exact = False  # the candidates are the answer: no positions to read
        pairs = f"{q.fieldname}_pairs"
        if q.slop == 1 and len(q.words) > 1 and pairs in self.schema:
            # The §§ that hold each two words of the phrase one after the other (analysis.word_pairs);
            # for two words these are the answer.
            keys = {q.words[i] + PAIR + q.words[i + 1] for i in range(len(q.words) - 1)}
            for key in sorted(keys, key=lambda k: sum(seg.doc_frequency(pairs, k) for seg, _ in self.leaves)):
                ids = self.postings(pairs, key).ids
                candidates = set(ids) if candidates is None else candidates.intersection(ids)
                if not candidates:
                    return {}
            exact = len(q.words) == 2
        lists: list = [None] * len(q.words)
        for i in sorted(range(len(q.words)), key=lambda i: raw_df[q.words[i]]):
            within = sorted(candidates) if candidates is not None and len(candidates) * 4 < raw_df[q.words[i]] \
                else None
            p = lists[i] = self.postings(q.fieldname, q.words[i], with_values=not exact, within=within)
            candidates = set(p.ids) if candidates is None else candidates.intersection(p.ids)
            if not candidates:
                return {}
        if exact:
            return self._phrase_scored(q, lists, candidates)
        decode = _decode_positions if type(field.format) is _positions_format() else field.format.decode_positions
        values = [dict(zip(p.ids, p.values)) for p in lists]
        slop = q.slop
        if len(values) == 1:
            found = set(candidates)
        elif slop == 1 and decode is _decode_positions:  # the words one after another, from position deltas
            found = set()
            first, middle, last = values[0], values[1:-1], values[-1]
            one = (1).__add__  # the loop's sets are made in C: a position plus one, where the next word must be
            for d in candidates:
                wanted = set(map(one, accumulate(first[d])))
                for vs in middle:  # a § is left as soon as one word does not follow
                    wanted = set(map(one, wanted.intersection(accumulate(vs[d]))))
                    if not wanted:
                        break
                else:
                    if not wanted.isdisjoint(accumulate(last[d])):
                        found.add(d)
        else:  # another format's positions, or words farther apart (_spans_match has slop 1's shortcut too)
            found = {d for d in candidates if _spans_match([decode(vs[d]) for vs in values], slop)}
        if not found:
            return {}
        return self._phrase_scored(q, lists, found)

    def _phrase_scored(self, q, lists: list[Postings], found: set[int]) -> dict[int, float]:
        """A phrase's score in each § it was found in: the sum of its words' (as whoosh's SpanNear2)."""
        parts = []
        ids = sorted(found)
        for word, p in zip(q.words, lists):
            sub = Postings()
            sub.ids = ids
            sub.weights = list(map(dict(zip(p.ids, p.weights)).__getitem__, ids))
            sub.df = p.df
            parts.append(self._scored(q.fieldname, word, 1.0, sub))
        return _boosted(self._sum(parts), q.boost)

    @staticmethod
    def _sum(parts: list[dict[int, float]], sizes: list[int] | None = None) -> dict[int, float]:
        """The parts added up, each § in the order of the parts' sizes, largest first (``sizes``: the
        parts' whole sizes where the parts given are cut down: the order, and so the float sums, stay).
        The parts are the caller's to give up: the largest is added to in place."""
        if sizes is None:
            sizes = [len(p) for p in parts]
        ranked = sorted((i for i, p in enumerate(parts) if p), key=sizes.__getitem__, reverse=True)
        if not ranked:
            return {}
        acc = parts[ranked[0]]
        for i in ranked[1:]:
            get = acc.get
            for d, s in parts[i].items():
                acc[d] = get(d, 0.0) + s
        return acc

    @staticmethod
    def _intersect(parts: list[dict[int, float]]) -> dict[int, float]:
        if any(not p for p in parts):
            return {}
        keys = set(min(parts, key=len)).intersection(*parts)
        acc = dict.fromkeys(keys, 0.0)
        for p in parts:
            for d in keys:
                acc[d] += p[d]
        return acc

    # --- top hits -------------------------------------------------------------------

    def search(self, q, filter_query=None, limit: int = 10,
               fronts: frozenset[int] = frozenset()) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` (doc, score) pairs, best first, and the exact number of matches; the scores
        of ``fronts`` (front records) weighed by ``weights.FRONT``, as :func:`searching.weighting` does."""
        allowed = None
        if filter_query is not None:
            allowed = self.docs(filter_query)
            if not allowed:
                return [], 0
            # A selective filter: posting blocks without an allowed document are not decoded.
            self._wanted = sorted(allowed) if len(allowed) * 8 < self.reader.doc_count_all() else None
        try:
            terms = _or_of_terms(q, self.schema)
            if terms is not None:
                return self._top_of_terms(q, terms, limit, fronts, allowed)
            acc = self.scores(q)
        finally:
            self._wanted = None
        return self._top(acc, limit, fronts, allowed)

    @staticmethod
    def _top(acc: dict[int, float], limit: int, fronts: frozenset[int],
             allowed: set[int] | None) -> tuple[list[tuple[int, float]], int]:
        if allowed is not None:
            acc = {d: s for d, s in acc.items() if d in allowed}
        if fronts:
            from ... import weights

            for d in acc.keys() & fronts:
                acc[d] *= weights.FRONT
        return top_hits(acc, limit), len(acc)

    def _top_of_terms(self, q, terms: list, limit: int, fronts: frozenset[int],
                      allowed: set[int] | None) -> tuple[list[tuple[int, float]], int]:
        """An OR of terms (a word in the title, the text and the people), scored only where it can reach
        the top ``limit``: Lucene's MaxScore over whole posting lists.

        The longest list (a common word's text) is scored only for the §§ of the other lists, where the
        answer usually is (a word in a title weighs three times): if the ``limit``-th best of those
        beats the most a § of the longest list alone can score (its greatest weight over the shortest
        length, ``_bound``), no such § can enter, and the answer is theirs.  The scores are the
        full evaluation's to the bit (the same sums in the same order), the total is the size of the
        union, and where the bound does not hold the whole OR is scored as :meth:`scores` scores it.
        """
        from ... import weights

        plists = [self.postings(t.fieldname, t.text) for t in terms]
        sizes = [len(p.ids) for p in plists]
        big = max(range(len(terms)), key=sizes.__getitem__)
        others: set[int] = set()
        for i, p in enumerate(plists):
            if i != big:
                others.update(p.ids)
        candidates = others if allowed is None else others & allowed
        if limit and len(candidates) >= limit and len(others) * 4 <= sizes[big]:
            p = plists[big]
            ids, weights_ = p.ids, p.weights
            sub = Postings()
            sub.df = p.df
            n = len(ids)
            for d in sorted(others):
                i = bisect_left(ids, d)
                if i < n and ids[i] == d:
                    sub.ids.append(d)
                    sub.weights.append(weights_[i])
            parts = [self._scored(t.fieldname, t.text, t.boost, sub if i == big else plists[i])
                     for i, t in enumerate(terms)]
            top, _ = self._top(_boosted(self._sum(parts, sizes), q.boost), limit, fronts, allowed)
            alone = self._bound(terms[big], p) * q.boost * max(1.0, weights.FRONT)
            if len(top) == limit and alone * (1 + 1e-9) < top[-1][1]:
                self.pruned += 1
                rest = others.difference(ids)  # §§ of the other lists only
                if allowed is None:
                    return top, n + len(rest)
                return top, len(allowed.intersection(ids)) + len(rest & allowed)
        parts = [self._scored(t.fieldname, t.text, t.boost, p) for t, p in zip(terms, plists)]
        return self._top(_boosted(self._sum(parts), q.boost), limit, fronts, allowed)

    def _bound(self, term, postings: Postings) -> float:
        """The most a § can score for ``term`` (BM25 grows with the weight and falls with the length): its
        greatest weight over the shortest length of the field, a length byte at a time."""
        if not postings.ids:
            return 0.0
        idf = log(self.doc_count / (postings.df + 1)) + 1
        w = max(postings.weights)
        shortest = self._shortest.get(term.fieldname)
        if shortest is None:  # a scan of every document's length byte: once a field, not once a search
            shortest = self._shortest[term.fieldname] = min(self._all_lengths(term.fieldname), default=0)
        return idf * ((w * (self.K1 + 1)) / (w + self._norm_table(term.fieldname)[shortest])) * term.boost


def _or_of_terms(q, schema) -> list | None:
    """The terms of ``q`` where it is an OR of two or more terms of scored fields, boosted upwards."""
    from whoosh import query as wq

    if type(q) is not wq.Or or q.minmatch or q.scale or len(q.subqueries) < 2 or not q.boost > 0:
        return None
    for t in q.subqueries:
        if type(t) is not wq.Term or t.fieldname not in schema or not schema[t.fieldname].scorable \
                or not t.boost > 0:
            return None
    return q.subqueries


def top_hits(acc: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (doc, score) pairs, best first; equal scores in document order (as whoosh)."""
    if len(acc) > 4 * limit:
        # The scores alone are compared in C; only those at or above the limit-th best are sorted.
        threshold = heapq.nlargest(limit, acc.values())[-1] if limit else float("inf")
        acc = {d: s for d, s in acc.items() if s >= threshold}
    return sorted(acc.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _boosted(acc: dict[int, float], boost: float) -> dict[int, float]:
    if boost != 1.0:
        return {d: s * boost for d, s in acc.items()}
    return acc


def _positions_format():
    from whoosh.formats import Positions

    return Positions


def _as_bytes(field, text) -> bytes | None:
    """A term as the field indexes it (None: not a value the field can hold)."""
    try:
        return text if isinstance(text, bytes) else field.to_bytes(text)
    except ValueError:
        return None


def _decode_positions(deltas: tuple):
    """whoosh's Positions.decode_positions, of a posting's position deltas (as postings() gives them)."""
    return list(accumulate(deltas))


def _deltas(valuestring: bytes) -> tuple:
    """The position deltas in a value of whoosh's Positions format (its count, then a pickle of them)."""
    if not valuestring.endswith(b"."):
        valuestring += b"."
    return tuple(loads(valuestring[4:]))


def _spans_match(positions: list[list[int]], slop: int) -> bool:
    """whoosh's SpanNear2 (ordered, mindist 1) over single-word spans: is there a match?"""
    if slop == 1:  # each word right after the one before: only where the span ends matters
        ends = set(positions[0])
        for bpositions in positions[1:]:
            ends = {b for b in bpositions if b - 1 in ends}
            if not ends:
                return False
        return True
    aspans = [(p, p) for p in positions[0]]
    for bpositions in positions[1:]:
        spans = set()
        for astart, aend in aspans:
            for b in bpositions:
                if b < astart:
                    continue  # B in front of A (ordered)
                if b > aend + slop:
                    break
                if b <= aend:
                    dist = 0  # overlapping
                else:
                    dist = b - aend
                if 1 <= dist <= slop:
                    spans.add((astart, max(aend, b)))
        if not spans:
            return False
        aspans = sorted(spans)
    return bool(aspans)
