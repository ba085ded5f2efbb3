"""Did you mean: a query corrected where its words are in no § and close words are."""

from __future__ import annotations

import re

from .analysis import STOP_WORDS, query_terms
from .query import QUERY_FIELDS, Phrase, Word, leaves


def did_you_mean(index, parsed, vocabulary: dict[str, int], finds) -> str | None:
    """A corrected query, when words of it are in no § and words close to them are, and it finds §§.

    Plain words are corrected, and the words of a phrase (no operator, boost or
    punctuation glued on); a word is corrected to a word of the text or of a
    name among the people of the §§ (``Hosso`` -> ``Hoso``), written as the name
    is.  ``finds(text)`` says whether a corrected query finds anything: only
    such a correction is offered.
    """
    from .expand import live_terms

    fixes: dict[str, str] = {}
    names = _name_words(index)
    words = []
    for leaf, negated in leaves(parsed.tree):
        if negated or getattr(leaf, "boost", 1.0) != 1.0:
            continue
        if type(leaf) is Word and leaf.text.isalpha():
            words.append(leaf.text)
        elif type(leaf) is Phrase:
            words += [w for w in leaf.text.split() if w.isalpha()]
    terms_of = {w: query_terms(w) for w in dict.fromkeys(words)}
    live = live_terms(index, [t for terms in terms_of.values() for t in terms], QUERY_FIELDS)
    for written, terms in terms_of.items():
        if not terms or any(t in live for t in terms):
            continue
        word = written.casefold()
        suggestion = closest_word(word, vocabulary)
        name = closest_word(word, dict.fromkeys(names, 1))
        if name and (not suggestion or _distance(word, name, 2) <= _distance(word, suggestion, 2)):
            fixes[written] = names[name]  # a name, as the protocols write it
        elif suggestion:
            fixes[written] = suggestion
    if not fixes:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(fixes, key=len, reverse=True))
    corrected = re.sub(rf'(?<![\w:^~*?-])({alternatives})(?![\w:^~*?])', lambda m: fixes[m.group(1)], parsed.text)
    return corrected if finds(corrected) else None


def _name_words(index) -> dict[str, str]:
    """Each word of a name in the attendance and officer lists, case-folded -> as the name writes it."""
    words: dict[str, str] = {}
    for fieldname in ("officer", "participant"):
        for name in index.terms(fieldname):
            for w in name.split():
                if len(w) > 2 and w.isalpha():
                    words.setdefault(w.casefold(), w[:1].upper() + w[1:])
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
