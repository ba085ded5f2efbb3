"""The Swedish analyzer chain: one chain for indexing, queries and highlighting alike.

tokenize (å/ä/ö, digits and case-number shapes kept whole) -> lowercase ->
Snowball Swedish stop list -> Snowball Swedish stem.

``analyze(text)`` is the chain as a pure function returning ``Term`` tuples
with character offsets and positions; ``SwedishAnalyzer`` wraps the same
function for whoosh.  whoosh pickles the analyzer into the index, so the class
lives here at a stable import path: renaming or moving it, or changing what it
produces, needs ``schema.SCHEMA_VERSION`` raised.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

from whoosh.analysis import Analyzer, Token
from whoosh.lang.stopwords import stoplists

# The Snowball project's Swedish stop list (114 words), as whoosh ships it.
# StopFilter(lang="sv") would merge in the English list; this does not.
STOP_WORDS = frozenset(stoplists["sv"])

# A chunk: letters/digits joined by - / : . (``SLK-2023-00364:3``, ``930/2023``,
# ``SSPF-arbetet``, ``13.15``).  Chunks holding a digit stay whole; other
# chunks are split at their joiners into words.
_CHUNK = re.compile(r"[^\W_]+(?:[-/:.][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")


class Term(NamedTuple):
    """One analyzed term: its text, character span in the source and position."""

    term: str
    start: int
    end: int
    position: int


_stemmer = None


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Swedish stem of a lowercased word; digits and one-letter words pass unchanged."""
    global _stemmer
    if len(word) < 3 or any(ch.isdigit() for ch in word):
        return word
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("swedish")
    return _stemmer.stemWord(word)


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """Tokenize: (lowercased word, start, end) for every word, stop words included."""
    for m in _CHUNK.finditer(text):
        chunk = m.group(0)
        if len(chunk) > 1 and chunk[-1] in "-/:." :
            chunk = chunk[:-1]
        if any(ch.isdigit() for ch in chunk) or not any(j in chunk for j in "-/:."):
            yield chunk.lower(), m.start(), m.start() + len(chunk)
            continue
        base = m.start()
        for w in _WORD.finditer(chunk):
            yield w.group(0).lower(), base + w.start(), base + w.end()


def analyze(text: str, stops: bool = True) -> list[Term]:
    """The whole chain: terms with offsets and positions (stop words dropped, positions closed up)."""
    out: list[Term] = []
    pos = 0
    for word, start, end in words(text):
        if stops and word in STOP_WORDS:
            continue
        out.append(Term(stem(word), start, end, pos))
        pos += 1
    return out


def query_terms(text: str) -> list[str]:
    """The terms a query word or phrase becomes."""
    return [t.term for t in analyze(text)]


class SwedishAnalyzer(Analyzer):
    """whoosh adapter for ``analyze``: yields whoosh Tokens."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for t in analyze(value, stops=removestops):
            token.text = t.term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[t.start:t.end]
            if positions:
                token.pos = start_pos + t.position
            if chars:
                token.startchar = start_char + t.start
                token.endchar = start_char + t.end
            yield token


class SurfaceAnalyzer(Analyzer):
    """Lowercased words, unstemmed, stop words kept: the vocabulary for did-you-mean."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, mode="", **kwargs):
        token = Token(positions, chars, mode=mode, **kwargs)
        for i, (word, start, end) in enumerate(words(value)):
            if len(word) < 3 or any(ch.isdigit() for ch in word):
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = i
            if chars:
                token.startchar, token.endchar = start, end
            yield token
