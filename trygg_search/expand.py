"""Query expansion from what the index knows: acronyms both ways, and words typed without å/ä/ö."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import query_terms

TEXT_FIELDS = ("title", "text")
EXPANSION_BOOST = 0.9
MAX_LONG_FORMS = 3  # long forms an acronym expands to: the ones defined in the most §§
MAX_LONG_FORM_WORDS = 8
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def fold(word: str) -> str:
    """``bosättningar`` -> ``bosattningar``: what a keyboard without Swedish letters types."""
    return word.translate(_FOLD)


@dataclass
class AcronymMap:
    """Acronyms mined at ingest, as term tuples: ("gvi",) <-> ("gruppvåldsintervention",)."""

    alternatives: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)
    names: dict[tuple[str, ...], str] = field(default_factory=dict)  # term tuple -> text, for --explain

    @classmethod
    def from_reader(cls, reader) -> "AcronymMap":
        """The definitions in the index; per acronym the MAX_LONG_FORMS defined in the most §§."""
        amap = cls()
        definitions = []
        for raw in reader.lexicon("acronyms"):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            acr, _, long_form = text.partition("=")
            if len(long_form.split()) <= MAX_LONG_FORM_WORDS:
                definitions.append((-reader.doc_frequency("acronyms", raw), acr, long_form))
        kept: dict[str, int] = {}
        for _, acr, long_form in sorted(definitions):
            kept[acr] = kept.get(acr, 0) + 1
            if kept[acr] > MAX_LONG_FORMS:
                continue
            a, lf = tuple(query_terms(acr)), tuple(query_terms(long_form))
            if not a or not lf or a == lf:
                continue
            amap.alternatives.setdefault(a, [])
            amap.alternatives.setdefault(lf, [])
            if lf not in amap.alternatives[a]:
                amap.alternatives[a].append(lf)
            if a not in amap.alternatives[lf]:
                amap.alternatives[lf].append(a)
            amap.names[a], amap.names[lf] = acr, long_form
        return amap


def expand_acronyms(q, amap: AcronymMap, notes: list[str]):
    """Rewrite ``q`` so that an acronym also finds its long forms and a long form its acronym."""
    from whoosh import query as wq

    if not amap.alternatives:
        return q

    def rewrite(node):
        fieldname = getattr(node, "fieldname", None)
        if isinstance(node, wq.Term) and fieldname in TEXT_FIELDS:
            key = (node.text if isinstance(node.text, str) else node.text.decode("utf-8"),)
        elif isinstance(node, wq.Phrase) and fieldname in TEXT_FIELDS:
            key = tuple(node.words)
        else:
            return node.apply(rewrite) if not node.is_leaf() else node
        alts = amap.alternatives.get(key)
        if not alts:
            return node
        note = f"{amap.names.get(key, ' '.join(key))} also as " + " / ".join(amap.names.get(a, " ".join(a)) for a in alts)
        if note not in notes:
            notes.append(note)
        options = [node] + [
            wq.Term(fieldname, a[0], boost=EXPANSION_BOOST) if len(a) == 1
            else wq.Phrase(fieldname, list(a), boost=EXPANSION_BOOST)
            for a in alts
        ]
        return wq.Or(options)

    return rewrite(q)


_QUERY_WORD = re.compile(r"(?<![\w:*?\"])([^\W\d_]{3,})(?![\w*?:])")


def fold_query(text: str, reader, vocabulary: dict[str, int]) -> str | None:
    """The query with words typed without å/ä/ö restored from the index's vocabulary; None if nothing changes."""
    wanted = {}
    for m in _QUERY_WORD.finditer(text):
        word = m.group(1)
        if word.upper() in {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"} or fold(word) != word:
            continue
        terms = query_terms(word)
        if terms and not any(reader.doc_frequency(f, t) for f in TEXT_FIELDS for t in terms):
            wanted[word.lower()] = None
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

    return _QUERY_WORD.sub(restore, text)
