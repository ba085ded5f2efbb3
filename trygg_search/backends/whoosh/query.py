"""Our query tree -> whoosh query objects: the one place that knows how each node and filter reads the index.

Text nodes are analyzed by the same chain that indexed the text.  A word
matches the title or the text (an OR of the two, as whoosh's multifield
parser builds it); NOTs inside an AND become an AND-NOT, so that an
exclusion adds nothing to a score; filter clauses score nothing (a constant
0), whether they stand at the top, under OR or under NOT.
"""

from __future__ import annotations

from ... import weights
from ...analysis import query_terms
from ...filters import FIRST_DAY, LAST_DAY, Clause, matching_keys
from ...query import All, And, CaseRef, Filter, Not, Or, Phrase, Prefix, TEXT_FIELDS, Wildcard, Word
from . import live



def clause_query(c: Clause, reader, notes: list[str]):
    """One filter clause -> a whoosh query of the documents it allows (unscored); notes when it can match nothing."""
    from whoosh import query as wq

    spec, value = c.spec, c.value
    if spec.match in ("substring", "names"):
        keys = matching_keys(c, live.terms(reader, spec.field), notes)
        return wq.Or([wq.Term(spec.field, k) for k in keys])
    if spec.match == "case":
        return wq.Term(spec.field, value[1])
    if spec.match == "span":
        lo, hi = value
        return span(spec.field, lo or FIRST_DAY, hi or LAST_DAY, reader)
    if spec.match == "term":
        return wq.Term(spec.field, value)
    raise ValueError(f"unknown match kind {spec.match!r}")


def span(field: str, lo: str, hi: str, reader):
    """The §§ dated ``lo`` to ``hi`` (ISO days, both included): the whole years of the span that the
    index holds as one term each (``date_year``), then its whole months (``date_month``), then the days
    of at most two months at its ends as ranges of dates; a span of four years reads a handful of
    terms, not the thousand-odd days it holds.  Exactly the dates a range of the day terms holds, for
    dates as the parser writes them (months 01-12, days 01-31)."""
    from whoosh import query as wq

    if lo > hi:
        return wq.Or([])
    years = [y for y in live.terms(reader, "date_year") if lo <= f"{y}-01-01" and f"{y}-12-31" <= hi]
    whole = set(years)
    months = [m for m in live.terms(reader, "date_month")
              if m[:4] not in whole and lo <= f"{m}-01" and f"{m}-31" <= hi]
    days = []
    first, last = lo[:7], hi[:7]
    if first == last:
        if not (lo <= f"{first}-01" and f"{first}-31" <= hi):
            days.append((lo, hi))
    else:
        if lo > f"{first}-01":  # the first month in part
            days.append((lo, f"{first}-31"))
        if hi < f"{last}-31":  # the last month in part
            days.append((f"{last}-01", hi))
    return wq.Or([wq.Term("date_year", y) for y in years] + [wq.Term("date_month", m) for m in months]
                 + [wq.TermRange(field, a, b, startexcl=False, endexcl=False) for a, b in days])


def _constant(q):
    from whoosh import query as wq

    return wq.ConstantScoreQuery(q, 0.0)


def _text_query(terms: list[str], fieldname: str, phrase: bool, boost: float):
    """Terms in one field: a term, a phrase, or (a word the analyzer splits: ``SSPF-arbetet``) an AND."""
    from whoosh import query as wq

    if len(terms) == 1:
        return wq.Term(fieldname, terms[0], boost=boost)
    if phrase:
        return wq.Phrase(fieldname, terms, boost=boost)
    return wq.And([wq.Term(fieldname, t, boost=boost) for t in terms])


def _over_fields(node, make):
    """``make(fieldname, boost)`` for the node's field, or an OR over the fields a word is searched in
    (title, text, people), each with its weight.  A boost sits on the leaves, so that every part of a
    score is a leaf's (``--explain`` sums them)."""
    from whoosh import query as wq

    fields = {node.field: 1.0} if node.field else weights.SEARCHED
    parts = [make(f, node.boost * weight) for f, weight in fields.items()]
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def to_whoosh(node, reader, notes: list[str], plain: bool = False):
    """A tree node -> a whoosh query, or None when it has nothing to search (stop words only)."""
    from whoosh import query as wq

    if node is None:
        return None
    if isinstance(node, Word):
        terms = query_terms(node.text, plain=plain)
        if not terms:
            return None
        return _over_fields(node, lambda f, boost: _text_query(terms, f, False, boost))
    if isinstance(node, Phrase):
        terms = query_terms(node.text, plain=plain)
        if not terms:
            return None
        return _over_fields(node, lambda f, boost: _text_query(terms, f, True, boost))
    if isinstance(node, Prefix):
        return _over_fields(node, lambda f, boost: wq.Prefix(f, node.text, boost=boost))
    if isinstance(node, Wildcard):
        return _over_fields(node, lambda f, boost: wq.Wildcard(f, node.pattern, boost=boost))
    if isinstance(node, CaseRef):
        written = to_whoosh(Phrase(node.raw), reader, notes, plain)
        filed = [_constant(wq.Term(f, node.key)) for f in ("case", "mentions")]
        return wq.Or(([written] if written is not None else []) + filed)
    if isinstance(node, Filter):
        return _constant(clause_query(node.clause, reader, notes))
    if isinstance(node, All):
        return wq.Every()
    if isinstance(node, Or):
        parts = [q for q in (to_whoosh(c, reader, notes, plain) for c in node.children) if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)
    if isinstance(node, Not):
        inner = to_whoosh(node.child, reader, notes, plain)
        return None if inner is None else wq.Not(inner)
    if isinstance(node, And):
        positive = [to_whoosh(c, reader, notes, plain) for c in node.children if not isinstance(c, Not)]
        negative = [to_whoosh(c.child, reader, notes, plain) for c in node.children if isinstance(c, Not)]
        positive = [q for q in positive if q is not None]
        negative = [q for q in negative if q is not None]
        if not positive:
            if not negative:
                return None
            positive = [wq.Every()]
        q = positive[0] if len(positive) == 1 else wq.And(positive)
        if negative:
            q = wq.AndNot(q, negative[0] if len(negative) == 1 else wq.Or(negative))
        return q
    raise TypeError(f"not a query node: {node!r}")


def filter_query(clauses, reader, notes: list[str]):
    """The clauses every hit must pass -> one whoosh query for the engine's filter, or None for none."""
    from whoosh import query as wq

    parts = [clause_query(c, reader, notes) for c in clauses]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def proximity_boost(q, words: list[str] | None, plain: bool = False):
    """Plain words (no syntax): §§ whose title holds them together (slop 2) rank higher."""
    from whoosh import query as wq

    if not words:
        return q
    terms = query_terms(" ".join(words), plain=plain)
    if len(terms) < 2:
        return q
    # Titles and names only: phrase matching over whole texts costs more than all the rest of a query.
    return wq.AndMaybe(q, wq.Or([wq.Phrase("title", terms, slop=2, boost=weights.TITLE_PHRASE),
                                 wq.Phrase("people", terms, boost=weights.NAME_PHRASE)]))


def expand_acronyms(q, amap, notes: list[str]):
    """Rewrite ``q`` so that an acronym also finds its long forms and a long form its acronym."""
    from whoosh import query as wq

    if amap is None or amap.index is None:
        return q

    def rewrite(node):
        fieldname = getattr(node, "fieldname", None)
        if isinstance(node, wq.Term) and fieldname in TEXT_FIELDS:
            key = (node.text if isinstance(node.text, str) else node.text.decode("utf-8"),)
        elif isinstance(node, wq.Phrase) and fieldname in TEXT_FIELDS:
            key = tuple(node.words)
        else:
            return node.apply(rewrite) if not node.is_leaf() else node
        key_text, alts = amap.get(key)
        if not alts:
            return node
        note = f"{key_text} also as " + " / ".join(text for _, text in alts)
        if note not in notes:
            notes.append(note)
        boost = node.boost * weights.EXPANSION  # as the word as written weighs, a little less
        options = [node] + [
            wq.Term(fieldname, a[0], boost=boost) if len(a) == 1 else wq.Phrase(fieldname, list(a), boost=boost)
            for a, _ in alts
        ]
        return wq.Or(options)

    return rewrite(q)
