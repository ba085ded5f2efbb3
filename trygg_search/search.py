"""Query -> hits.  Never prints: printers render what this returns.

The query text is read into a tree (:mod:`query`); its top-level filter
clauses join the options' as the clauses every hit must pass; the backend
runs the rest (acronyms expanded, plain words near each other in a title
ranked higher).  A query that finds nothing is tried again with å/ä/ö
restored, and otherwise gets a did-you-mean (:mod:`suggest`); ``explain``
says how it was read (:mod:`explain`).  Snippets: :mod:`highlight`.
"""

from __future__ import annotations

from .backends.base import Index, Request
from .expand import AcronymMap, acronym_keys, fold_query
from .filters import Filters
from .highlight import hit_from
from .query import And, Filter, Or, Phrase, Word, has_words, leaves, parse_query, split_top_filters
from .results import Hit, SearchResult

__all__ = ["Hit", "SearchResult", "request_for", "search"]


def request_for(text: str, filters: Filters, limit: int = 10, acronyms: AcronymMap | None = None):
    """(the backend request or None when there is nothing to search, the parsed query, notes).

    Top-level positive filter clauses of the text join the options' as the
    clauses every hit passes; filters under OR or NOT stay in the tree.
    """
    parsed = parse_query(text)
    notes = list(parsed.notes)
    clauses, rest = split_top_filters(parsed.tree)
    for c in clauses:  # the same filter in the query and as an option: both hold, and we say so
        twins = [o for o in filters.clauses if o.spec.field == c.spec.field]
        if twins:
            given = ", ".join(f"{o.spec.option} {o.raw}" for o in twins)
            notes.append(f"{c.name}:{c.raw} in the query and {given} both apply")
    if (rest is None and not clauses) or (rest is not None and not has_words(rest)):
        if not any("no words" in n for n in notes):
            notes.append("the query has only stop words or no words at all")
        return None, parsed, notes
    words = parsed.plain_words()
    if words and rest == parsed.tree and all(w[:1].isupper() for w in words):
        rest = as_name(words)
    request = Request(rest, list(filters.clauses) + clauses, limit, words, acronyms)
    return request, parsed, notes


def as_name(words: list[str]):
    """Plain words written with capitals, as a name is (``Per Lund``): each in the title or the text, or all
    of them together as one name among the people, never from two names (Per Berg, Anna Lund)."""
    in_text = And(tuple(Or((Word(w, "title"), Word(w, "text"))) for w in words))
    return Or((in_text, Phrase(" ".join(words), "people")))


BROWSE = ("", "*")  # a query that asks for no words: the §§ the filters allow, newest first


def browse(index: Index, text: str, filters: Filters, limit: int = 10) -> SearchResult:
    """The §§ the filters allow (every §, without any), newest first, and how many there are."""
    run = index.run(Request(None, list(filters.clauses), limit, newest=True))
    hits = [hit_from(fields, None, set()) for fields, _ in run.hits]
    return SearchResult(text, run.total, hits, filters, list(run.notes))


def search(index: Index, text: str, filters: Filters, limit: int = 10, explain: bool = False) -> SearchResult:
    """Run a query with filters; the best ``limit`` hits with snippets, and the total count.  A query of
    no words (``""`` or ``*``) lists the §§ the filters allow, newest first (:func:`browse`)."""
    if text.strip() in BROWSE:
        return browse(index, text.strip(), filters, limit)
    acronyms = None if index.plain else AcronymMap(index)
    request, parsed, notes = request_for(text, filters, limit, acronyms)
    if request is None:
        return SearchResult(text, 0, [], filters, notes)
    if acronyms is not None:
        acronyms.prefetch(acronym_keys(request.tree, request.proximity))
    run = index.run(request)
    notes += run.notes
    showing = None
    words = any(not negated and not isinstance(leaf, Filter) for leaf, negated in leaves(parsed.tree))
    vocabulary = index.vocabulary() if run.total == 0 and words else {}
    if run.total == 0 and words and not index.plain:
        folded = fold_query(parsed.text, index, vocabulary)
        again = request_for(folded, filters, limit, acronyms)[0] if folded else None
        if again is not None:
            second = index.run(again)
            if second.total:
                run, showing = second, folded
                notes.append(f"no hits for {parsed.text!r}; showing results for {folded!r}")
    hits = [hit_from(fields, score, run.matched_terms) for fields, score in run.hits]
    paragraphs = [h for h in hits if h.kind != "front"]  # a front page lists the people; the §§ say how
    if paragraphs and words and not any({"title", "text"} & set(h.matched) for h in paragraphs):
        notes.append(f"{parsed.text!r} was found among the people of these §§ (who took part, chaired, kept the "
                     f"minutes, adjusted them or handled the case), not in their text")
    result = SearchResult(text, run.total, hits, filters, notes, showing_results_for=showing)
    if run.total == 0 and words:
        from .suggest import did_you_mean

        def finds(corrected: str) -> bool:
            corrected_request = request_for(corrected, filters, 1, acronyms)[0]
            return corrected_request is not None and index.count(corrected_request) > 0

        result.did_you_mean = did_you_mean(index, parsed, vocabulary, finds)
    if explain:
        from .explain import explain as explain_run

        result.explanation = explain_run(index, run, parsed.text, showing)
    return result
