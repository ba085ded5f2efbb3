"""The Swedish analysis as a whoosh analyzer, and the field of word pairs.

whoosh pickles the schema, its fields and analyzers, into the index, so these
classes live at a stable import path: renaming or moving one, or changing
what it produces, needs ``schema.SCHEMA_VERSION`` raised.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, Token
from whoosh.fields import ID

from ...analysis import analyze, analyze_for_index, people_terms


class SwedishAnalyzer(Analyzer):
    """whoosh adapter for ``analyze``: yields whoosh Tokens.  Compound parts only when indexing."""

    def __init__(self, plain: bool = False):
        self.plain = plain

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__ and self.plain == other.plain

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
        if mode == "index" and removestops:
            terms = self.index_terms(value)
        else:
            terms = analyze(value, stops=removestops, parts=mode == "index", plain=getattr(self, "plain", False),
                            readings=mode == "index")
        for t in terms:
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

    def index_terms(self, value: str) -> list:
        """The terms indexed of ``value`` (what a call in mode "index" yields as tokens), as
        ``analysis.Term``: the segment writer reads these where the field keeps positions."""
        if getattr(self, "plain", False):
            return analyze(value, stops=True, parts=True, plain=True, readings=True)
        return analyze_for_index(value)


class PeopleAnalyzer(SwedishAnalyzer):
    """The people of a §, one name a line: each name read as a query reads it, the names apart (see
    ``analysis.people_terms``); a query of the field is analyzed as any query."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        if mode != "index" or not tokenize:
            yield from super().__call__(value, positions, chars, keeporiginal, removestops, start_pos, start_char,
                                        tokenize, mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for t in self.index_terms(value):
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

    def index_terms(self, value: str) -> list:
        return people_terms(value, plain=getattr(self, "plain", False))


class WordPairs(ID):
    """A text's word pairs (``analysis.word_pairs``: distinct terms, given as a list), each indexed as
    given, once a document, as an ID field indexes a list; without whoosh's token objects, which would
    cost more than the rest of the field's indexing (a § has a few hundred pairs)."""

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        return [(pair.encode("utf-8"), 1, boost, b"") for pair in value]

    def index_words(self, value) -> list[str]:
        """The terms ``index`` gives, as ``str`` (the segment writer encodes each once a segment)."""
        return value
