"""Query expansion from what the index knows: acronyms both ways, and words typed without å/ä/ö.

Read through an index's term statistics (:class:`backends.base.Index`); a
backend expands the leaves of its own query with :class:`AcronymMap`.
"""

from __future__ import annotations

import re

from .analysis import query_terms
from .query import OPERATORS, TEXT_FIELDS

MAX_LONG_FORMS = 3  # long forms an acronym expands to: the ones defined in the most §§
MAX_LONG_FORM_WORDS = 8
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def fold(word: str) -> str:
    """``bosättningar`` -> ``bosattningar``: what a keyboard without Swedish letters types."""
    return word.translate(_FOLD)


def acronym_entries(pairs) -> list[str]:
    """Index entries for mined (acronym, long form) pairs, both ways, keyed by analyzed terms.

    An entry is ``key terms TAB key text TAB other terms TAB other text``, so a
    query looks up only the entries of its own terms, by prefix.
    """
    entries = []
    for acr, long_form in pairs:
        a, lf = " ".join(query_terms(acr)), " ".join(query_terms(long_form))
        if a and lf and a != lf and len(long_form.split()) <= MAX_LONG_FORM_WORDS:
            entries += [f"{a}\t{acr}\t{lf}\t{long_form}", f"{lf}\t{long_form}\t{a}\t{acr}"]
    return entries


class AcronymMap:
    """The acronym definitions in an index, looked up per query term (through the index's term statistics)."""

    def __init__(self, index=None):
        self.index = index
        self._cache: dict[tuple[str, ...], tuple[str, list[tuple[tuple[str, ...], str]]]] = {}

    def prefetch(self, keys) -> None:
        """Look up many keys at once (one request to a cluster): what ``get`` then answers from."""
        keys = [k for k in dict.fromkeys(keys) if k and k not in self._cache]
        if self.index is None or not keys:
            return
        counts = self.index.prefixed_counts("acronyms", [" ".join(k) + "\t" for k in keys])
        by_key: dict[str, list[tuple[str, int]]] = {}
        for text, count in counts.items():
            by_key.setdefault(text.split("\t", 1)[0], []).append((text, count))
        for key in keys:
            self._cache[key] = self._entries(by_key.get(" ".join(key), []))

    def get(self, key: tuple[str, ...]) -> tuple[str, list[tuple[tuple[str, ...], str]]]:
        """(text of the key, [(alternative terms, alternative text)]), the MAX_LONG_FORMS defined most often."""
        if self.index is None:
            return "", []
        if key not in self._cache:
            prefix = " ".join(key) + "\t"
            self._cache[key] = self._entries(self.index.prefixed_counts("acronyms", [prefix]).items())
        return self._cache[key]

    @staticmethod
    def _entries(counted) -> tuple[str, list[tuple[tuple[str, ...], str]]]:
        found = []
        for text, count in counted:
            _, key_text, other_terms, other_text = text.split("\t")
            found.append((-count, key_text, other_terms, other_text))
        found.sort()
        key_text = found[0][1] if found else ""
        return key_text, [(tuple(t.split()), x) for _, _, t, x in found[:MAX_LONG_FORMS]]


def acronym_keys(tree, proximity: list[str] | None = None) -> list[tuple[str, ...]]:
    """The keys a query's expansion looks up: each word's terms one by one, each phrase's terms together,
    and the plain words' terms together (the title phrase that ranks them nearer)."""
    from .query import Phrase, Word, leaves

    keys: list[tuple[str, ...]] = []
    for leaf, _ in leaves(tree) if tree is not None else ():
        if isinstance(leaf, (Word, Phrase)):
            terms = tuple(query_terms(leaf.text))
            keys += [(t,) for t in terms]
            if isinstance(leaf, Phrase) and len(terms) > 1:
                keys.append(terms)
    if proximity:
        keys.append(tuple(query_terms(" ".join(proximity))))
    return keys


def live_terms(index, terms, fields=TEXT_FIELDS) -> set[str]:
    """The terms that a live § holds in one of ``fields`` (its title or text; one request a field to a
    cluster)."""
    terms = list(dict.fromkeys(terms))
    if not terms:
        return set()
    return {t for f in fields for t, n in index.term_counts(f, terms).items() if n}


# A word of a query that could be misspelt or typed without å/ä/ö (not a field, prefix or phrase part).
QUERY_WORD = re.compile(r"(?<![\w:*?\"])([^\W\d_]{3,})(?![\w*?:])")


def fold_query(text: str, index, vocabulary: dict[str, int]) -> str | None:
    """The query with words typed without å/ä/ö restored from the index's vocabulary; None if nothing changes."""
    candidates = {}
    for m in QUERY_WORD.finditer(text):
        word = m.group(1)
        if word.upper() not in OPERATORS and fold(word) == word:
            candidates[word] = query_terms(word)
    live = live_terms(index, [t for terms in candidates.values() for t in terms])
    wanted = {word.lower(): None for word, terms in candidates.items() if terms and not any(t in live for t in terms)}
    if not wanted:
        return None
    best: dict[str, tuple[int, str]] = {}
    for word, df in vocabulary.items():
        key = fold(word)
        if key in wanted and key != word and (key not in best or df > best[key][0]):
            best[key] = (df, word)
    if not best:
        return None
    def restore(m: re.Match) -> str:
        word = m.group(1)
        found = best.get(word.lower(), (0, word))[1]
        return found[:1].upper() + found[1:] if word[:1].isupper() else found

    return QUERY_WORD.sub(restore, text)
