"""Our query tree -> OpenSearch query DSL: the same reading as the whoosh translation.

A word matches the title (its terms counted three times, as whoosh's field
boost counts them: see :mod:`.mapping`) or the text;
a phrase is a phrase of the terms our chain made; a NOT inside an AND is a
``must_not``; filter clauses score nothing (a constant 0) wherever they
stand.  Acronyms are expanded as for whoosh, from the same AcronymMap.
"""

from __future__ import annotations

from ... import weights
from ...analysis import query_terms
from ...filters import FIRST_DAY, LAST_DAY, Clause, matching_keys
from ...query import All, And, CaseRef, Filter, Not, Or, Phrase, Prefix, TEXT_FIELDS, Wildcard, Word
from .mapping import FIELDS



NOTHING = {"bool": {"must_not": {"match_all": {}}}}


def _any_of(field: str, values: list[str]) -> dict:
    return {"terms": {field: values}} if values else NOTHING


def clause_query(c: Clause, terms, notes: list[str]) -> dict:
    """One filter clause -> the §§ it allows (unscored); ``terms(field)`` lists a field's live terms."""
    spec, value = c.spec, c.value
    field = FIELDS[spec.field]
    if spec.match in ("substring", "names"):
        return _any_of(field, matching_keys(c, terms(spec.field), notes))
    if spec.match == "case":
        return {"term": {field: value[1]}}
    if spec.match == "span":
        lo, hi = value
        return {"range": {field: {"gte": lo or FIRST_DAY, "lte": hi or LAST_DAY}}}
    if spec.match == "term":
        return {"term": {field: value}}
    raise ValueError(f"unknown match kind {spec.match!r}")


def _constant(q: dict) -> dict:
    return {"constant_score": {"filter": q, "boost": 0.0}}


class Translation:
    """One query's translation: the DSL, and what it matched (for highlighting) and expanded."""

    def __init__(self, terms, plain: bool, acronyms=None):
        self.terms, self.plain, self.acronyms = terms, plain, acronyms
        self.notes: list[str] = []
        self.expansions: list[str] = []
        self.matched: set[str] = set()  # terms of positive words and phrases
        self.patterns: list[tuple[str, str]] = []  # ("prefix"|"wildcard", text) outside a NOT

    def _text(self, terms: list[str], field: str, phrase: bool, boost: float) -> dict:
        indexed = FIELDS[field]
        weight = boost  # the title's weight is in its term frequencies (mapping.TITLE_WEIGHT), as in whoosh
        if len(terms) > 1 and not phrase:  # each term expanded on its own, as whoosh rewrites each Term
            return {"bool": {"must": [self._text([t], field, False, boost) for t in terms]}}
        if len(terms) == 1:
            q = {"term": {indexed: {"value": terms[0], "boost": weight}}}
        else:
            q = {"match_phrase": {indexed: {"query": " ".join(terms), "analyzer": "whitespace", "boost": weight}}}
        return self._expanded(q, tuple(terms), indexed, weight) if field in TEXT_FIELDS else q  # names: as written

    def _expanded(self, q: dict, key: tuple, indexed: str, weight: float) -> dict:
        amap = self.acronyms
        if amap is None or getattr(amap, "index", None) is None:
            return q
        key_text, alts = amap.get(key)
        if not alts:
            return q
        note = f"{key_text} also as " + " / ".join(text for _, text in alts)
        if note not in self.expansions:
            self.expansions.append(note)
        options = [q]
        for alt, _ in alts:
            self.matched.update(alt)
            w = weight * weights.EXPANSION
            options.append({"term": {indexed: {"value": alt[0], "boost": w}}} if len(alt) == 1 else
                           {"match_phrase": {indexed: {"query": " ".join(alt), "analyzer": "whitespace",
                                                       "boost": w}}})
        return {"bool": {"should": options}}

    def _over_fields(self, node, make) -> dict:
        fields = {node.field: 1.0} if node.field else weights.SEARCHED
        parts = [make(f, node.boost * weight) for f, weight in fields.items()]
        return parts[0] if len(parts) == 1 else {"bool": {"should": parts}}

    def tree(self, node, negated: bool = False) -> dict | None:
        """A tree node -> a query, or None when it has nothing to search (stop words only)."""
        if node is None:
            return None
        if isinstance(node, (Word, Phrase)):
            terms = query_terms(node.text, plain=self.plain)
            if not terms:
                return None
            if not negated:
                self.matched.update(terms)
            phrase = isinstance(node, Phrase)
            return self._over_fields(node, lambda f, boost: self._text(terms, f, phrase, boost))
        if isinstance(node, Prefix):
            if not negated:
                self.patterns.append(("prefix", node.text))
            return self._over_fields(node, lambda f, boost: {"prefix": {FIELDS[f]: {
                "value": node.text, "boost": boost}}})
        if isinstance(node, Wildcard):
            if not negated:
                self.patterns.append(("wildcard", node.pattern))
            return self._over_fields(node, lambda f, boost: {"wildcard": {FIELDS[f]: {
                "value": node.pattern, "boost": boost}}})
        if isinstance(node, CaseRef):
            written = self.tree(Phrase(node.raw), negated)
            filed = [_constant({"term": {FIELDS[f]: node.key}}) for f in ("case", "mentions")]
            return {"bool": {"should": ([written] if written is not None else []) + filed}}
        if isinstance(node, Filter):
            return _constant(clause_query(node.clause, self.terms, self.notes))
        if isinstance(node, All):
            return {"match_all": {}}
        if isinstance(node, Or):
            parts = [q for q in (self.tree(c, negated) for c in node.children) if q is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else {"bool": {"should": parts}}
        if isinstance(node, Not):
            inner = self.tree(node.child, not negated)
            return None if inner is None else {"bool": {"must_not": [inner]}}
        if isinstance(node, And):
            positive = [self.tree(c, negated) for c in node.children if not isinstance(c, Not)]
            negative = [self.tree(c.child, not negated) for c in node.children if isinstance(c, Not)]
            positive = [q for q in positive if q is not None]
            negative = [q for q in negative if q is not None]
            if not positive:
                if not negative:
                    return None
                positive = [{"match_all": {"boost": 0.0}}]
            q = positive[0] if len(positive) == 1 else {"bool": {"must": positive}}
            if negative:
                q = {"bool": {"must": [q], "must_not": negative}}
            return q
        raise TypeError(f"not a query node: {node!r}")

    def filters(self, clauses) -> list[dict]:
        return [clause_query(c, self.terms, self.notes) for c in clauses]

    def proximity(self, q: dict, words: list[str] | None) -> dict:
        """Plain words: §§ whose title holds them together (slop 2) rank higher (whoosh: AndMaybe)."""
        if not words:
            return q
        terms = query_terms(" ".join(words), plain=self.plain)
        if len(terms) < 2:
            return q
        near = [{"match_phrase": {FIELDS["title"]: {"query": " ".join(terms), "analyzer": "whitespace",
                                                    "slop": 2, "boost": weights.TITLE_PHRASE}}},
                {"match_phrase": {FIELDS["people"]: {"query": " ".join(terms), "analyzer": "whitespace",
                                                     "boost": weights.NAME_PHRASE}}}]
        return {"bool": {"must": [q], "should": [{"bool": {"should": near}}]}}
