"""The Swedish analyzer chain: one chain for indexing, queries and highlighting alike.

tokenize (å/ä/ö, digits and case-number shapes kept whole) -> lowercase ->
Snowball Swedish stop list -> Snowball Swedish stem + inflection
normalization -> compound parts (indexing and highlighting; a query word is
matched whole, and the parts indexed for compounds make a part findable).

``analyze(text)`` is the chain as a pure function returning ``Term`` tuples
with character offsets and positions.  A backend adapts it to its engine
(an analyzer class of its own); changing what it produces needs the
backend's schema version raised.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

# The Snowball project's Swedish stop list (114 words).
STOP_WORDS = frozenset("""
alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där då
efter ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom
inte jag ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på
samma sedan sig sin sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara varför
varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över
""".split())

# A chunk: letters/digits joined by - / : . (``SLK-2023-00364:3``, ``930/2023``,
# ``SSPF-arbetet``, ``13.15``).  Chunks holding a digit stay whole; other
# chunks are split at their joiners into words.
_CHUNK = re.compile(r"[^\W_]+(?:[-/:.][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")


class Term(NamedTuple):
    """One analyzed term: its text, character span in the source, position, and whether it is a compound part."""

    term: str
    start: int
    end: int
    position: int
    part: bool = False


_stemmer = None
_VOWELS = "aeiouyåäöé"


@lru_cache(maxsize=200_000)
def snowball(word: str) -> str:
    """Plain Snowball Swedish stem of a lowercased word; digits and short words pass unchanged."""
    global _stemmer
    if len(word) < 3 or any(ch.isdigit() for ch in word):
        return word
    if _stemmer is None:
        import snowballstemmer

        _stemmer = snowballstemmer.stemmer("swedish")
    return _stemmer.stemWord(word)


# Rules applied to the Snowball stem, the first that fits (one only): each brings
# an inflected form Snowball leaves apart to the stem of its base form.  Chosen
# and measured on tests/data/paradigms.tsv (see tests/test_paradigms.py).
_POST_RULES = (
    # a stem still ending in an s Snowball strips elsewhere: analysen -> analys -> analy (as analys)
    (lambda s: len(s) >= 5 and s[-1] == "s" and s[-2] in "bcdfghjklmnoprtvy", lambda s: s[:-1]),
    # definite -n after a vowel: anslagstavlan -> anslagstavla -> anslagstavl
    (lambda s: len(s) >= 6 and s[-1] == "n" and s[-2] in "aouyåäö", lambda s: snowball(s[:-1])),
    # definite neuter -et: protokollet, våldet (not -itet: aktivitet)
    (lambda s: len(s) >= 6 and s.endswith("et") and not s.endswith("itet"), lambda s: s[:-2]),
    # supine -it: beslutit, bedrivit
    (lambda s: len(s) >= 6 and s.endswith("it") and s[-3] not in _VOWELS, lambda s: s[:-2]),
    # definite -eln/-ern: handeln, fönstren
    (lambda s: len(s) >= 6 and s[-3:] in ("eln", "ern"), lambda s: s[:-1]),
    # participle -vn/-dn/-tn: bedrivna, bjudna
    (lambda s: len(s) >= 6 and s[-1] == "n" and s[-2] in "vdt", lambda s: s[:-1]),
    # participle -d: anmäld, bedömd, berörd
    (lambda s: len(s) >= 6 and s[-1] == "d" and s[-2] in "lrmvgjyöä", lambda s: s[:-1]),
    # neuter adjective -t: allmänt, aktuellt
    (lambda s: len(s) >= 6 and s[-1] == "t" and s[-2] in "lnmrvgjyöä" and s[-2:] not in ("nt", "rt"),
     lambda s: s[:-1]),
)


_DEFINITE_N = 1  # the rule a base form never takes: its -n is no definite ending (kommun, region)
_RULE_NAMES = ("a stem ending in s", "definite -n after a vowel", "definite neuter -et", "supine -it",
               "definite -eln/-ern", "participle -vn/-dn/-tn", "participle -d", "neuter adjective -t")


def _lemma_of(word: str) -> str | None:
    from .lexicon import lemma_of

    return lemma_of(word)


def _verb_beside(noun: str) -> str | None:
    from .lexicon import verb_beside

    return verb_beside(noun)


# What a noun's term ends with where a verb shares its stem (hjälp_n, the noun; hjälp, the verb):
# no word holds it, and the term still begins with the stem, as prefix queries expect.
NOUN_MARK = "_n"
# What makes a noun of its own right after a stem: -het (-ighet, -lighet, -slighet) and -else.
_NOUN_SUFFIX = re.compile(r"(?:s?lig|ig)?het|els")


def _stemmed(word: str) -> tuple[str, tuple[str, ...]]:
    """(the stem of ``word``, the steps that made it): one reading for ``stem`` and ``stem_rule``.

    A name stays as written (Göran, Görans).  A form the lexicon knows
    becomes its lemma (strong verbs, participles, irregular plurals); then a
    genitive -s after an inflectional ending goes (anslagstavlans, bedömdas,
    allmänts), then Snowball, then the first post-rule that fits; a base form
    the dictionary lists never takes the definite -n rule (kommun, region).
    """
    if len(word) < 3 or any(ch.isdigit() for ch in word):
        return word, ("as written",)
    s, steps = _inflection(word)
    # A noun made with -het or -else is a word of its own, not a form of the word it is made from:
    # trygghet is not trygg, upplevelse not uppleva (Snowball cuts both to the same stem).
    m = _NOUN_SUFFIX.match(word, len(s)) if word.startswith(s) else None
    if m:
        return word[:m.end()], steps + (f"keeps -{m.group(0)} (a noun of its own)",)
    # A noun and the verb made from it by -a share a stem (grund, grunda; hjälp, hjälpa; syfte,
    # syfta): the noun's forms, as the lexicon tells them, are marked apart from the verb's.
    # The verb's stem is read by ``_inflection`` alone, never by this function again: a verb that is
    # also a form of the noun (sköna, of skön) would otherwise lead back here without end.
    lemma = _lemma_of(word)
    if lemma:
        verb = _verb_beside(lemma)
        if verb is not None and _inflection(verb)[0] == s:
            return s + NOUN_MARK, steps + (f"a noun beside the verb {verb} (lexicon): {NOUN_MARK}",)
    return s, steps


def _inflection(word: str) -> tuple[str, tuple[str, ...]]:
    lemma = _lemma_of(word)
    if lemma == "":  # a name: Göran is not a form of göra, nor Johan of Johanna
        return word, ("a name (lexicon): as written",)
    if word[-1] == "s" and _lemma_of(word[:-1]) == "":  # a name's genitive: Görans
        return word[:-1], ("a name's genitive (lexicon): without its s",)
    steps: tuple[str, ...] = ()
    if lemma is not None and lemma != word:  # a form the rules cannot reach: antog, antagit -> anta
        steps, word = (f"lexicon ({lemma})",), lemma
        if len(word) < 3:
            return word, steps
    base = _lemma_of(word) == word  # a base form the dictionary lists: kommun, region
    if len(word) > 5 and word[-1] == "s" and (word[-2] in "aedr" or word[-2:] in ("ns", "ts", "ds")):
        word = word[:-1]
        steps += ("genitive -s",)
    steps += ("Snowball",)
    s = snowball(word)
    for i, (name, (fits, apply)) in enumerate(zip(_RULE_NAMES, _POST_RULES)):
        if fits(s):
            if base and i == _DEFINITE_N:
                return s, steps + (f"not {name} (a base form)",)
            return apply(s), steps + (name,)
    return s, steps


@lru_cache(maxsize=200_000)
def noun_reading(word: str) -> str | None:
    """The noun's term of a form that is also the noun's plural, where ``stem`` reads the verb's
    (``delar``: dela's present and del's plural; ``lagar``, ``träffar``): indexed beside it, at its
    position, so that ``del`` finds ``delar``.  None for every other word."""
    if len(word) < 5 or not word.endswith("ar"):
        return None
    lemma = _lemma_of(word)
    noun = word[:-2]
    if lemma != noun + "a" or _verb_beside(noun) != lemma or _lemma_of(noun + "arna") != noun:
        return None  # the noun's plural is in -ar as the lexicon has it (delarna; not svar's, nor grund's)
    term = stem(noun)
    return term if term.endswith(NOUN_MARK) and term != stem(word) else None


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lexicon, Snowball stem and inflection normalization: the forms of a word meet (see ``_stemmed``)."""
    return _stemmed(word)[0]


def stem_rule(word: str) -> str:
    """Which rules made ``stem(word)``, for ``trygg-search analyze``."""
    return " + ".join(_stemmed(word)[1])


_DIGIT = re.compile(r"\d")


def words(text: str, surface: set[str] | None = None) -> Iterator[tuple[str, int, int]]:
    """Tokenize: (lowercased word, start, end) for every word, stop words included.  ``surface``: given
    ``surface_word_set(text)`` too, as the words are read (each run of word characters is inside one
    chunk, and a chunk of letters alone is one of them)."""
    for m in _CHUNK.finditer(text):
        chunk = m.group()
        if chunk.isalpha():  # the common case: a plain word
            start, end = m.span()
            lowered = chunk.lower()
            if surface is not None and end - start >= 3:
                surface.add(lowered)
            yield lowered, start, end
            continue
        if surface is not None:
            surface.update(_surface_words_of(chunk))
        if _DIGIT.search(chunk) or chunk.isalnum():
            yield chunk.lower(), m.start(), m.start() + len(chunk)
            continue
        base = m.start()
        for w in _WORD.finditer(chunk):
            yield w.group(0).lower(), base + w.start(), base + w.end()


def surface_words(text: str) -> list[str]:
    """The lowercased words of ``text`` as written (3 letters or more, no digits): the vocabulary."""
    return [w.lower() for w in _WORD.findall(text) if len(w) >= 3 and w.isalpha()]


def _surface_words_of(text: str) -> set[str]:
    return {w.lower() for w in set(_WORD.findall(text)) if len(w) >= 3 and w.isalpha()}


def surface_word_set(text: str) -> set[str]:
    """``set(surface_words(text))``, each word as written looked at once (the vocabulary's counts, a § at a
    time at ingest): read when ``analyze_for_index(text, keep=True)`` read the text, else now."""
    made = _SURFACE.pop(text, None)
    return made if made is not None else _surface_words_of(text)


def compound_parts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of every compound part in ``text``: what indexing adds, for highlighting later.

    The analysis is kept for the indexing call that follows (see ``analyze_for_index``).
    """
    return [(t.start, t.end, t.term) for t in analyze_for_index(text, keep=True) if t.part]


def index_length(text: str, plain: bool = False) -> int:
    """The number of terms indexing makes of ``text`` (a field's length for BM25: compound parts count)."""
    return len(analyze(text, plain=True)) if plain else len(analyze_for_index(text, keep=True))


PAIR = "\x1f"  # between the two terms of a word pair: no term holds it (words() reads word characters and -/:.)


def word_pairs(terms: list[Term]) -> list[str]:
    """Every two terms at adjacent positions as one term, ``a + PAIR + b``, each once: where a compound's
    parts or a second reading share a position, each of them pairs with each term of the next.  A phrase's
    words one after another are in a text only if each two of them are among its pairs (and for two
    words, exactly then): an index of pairs answers such a phrase without reading positions, as
    Elasticsearch's ``index_phrases`` does."""
    out: set[str] = set()
    add = out.add
    before: list[str] = []  # the terms of the position before the current one (none: not adjacent)
    here: list[str] = []  # the terms of the current position, so far
    at = None
    for t in terms:  # as the chain makes them: in order of position, a position's terms together
        term, position = t.term, t.position
        if position != at:
            if at is not None and position < at:  # given out of order: read in order (the sort is stable)
                return word_pairs(sorted(terms, key=lambda t: t.position))
            before = here if at is not None and position == at + 1 else []
            here = []
            at = position
        here.append(term)
        for a in before:
            add(a + PAIR + term)
    return list(out)


_FOR_INDEX: dict[str, list[Term]] = {}
_SURFACE: dict[str, set[str]] = {}  # surface_word_set of a text analyze_for_index read to keep


def prime(text: str, terms: list[Term]) -> None:
    """Hold ``analyze(text)`` made elsewhere (a worker process of ingest) for the indexing calls that follow."""
    if len(_FOR_INDEX) >= 4096:
        _FOR_INDEX.clear()
    _FOR_INDEX[text] = terms


def analyze_for_index(text: str, keep: bool = False) -> list[Term]:
    """``analyze(text)`` once per text at ingest: ingest asks for the parts of a §
    (to store them) and the engine's analyzer then for its terms.  ``keep`` holds the result for
    the next call with the same text, which takes it."""
    if keep:
        terms = _FOR_INDEX.get(text)
        if terms is None:
            surface: set[str] = set()  # the vocabulary's words, read in the same pass (ingest counts them next)
            terms = analyze(text, surface=surface)
            if len(_FOR_INDEX) >= 4096:  # never unbounded, whatever the caller does
                _FOR_INDEX.clear()
            if len(_SURFACE) >= 4096:  # (a title's words are never asked for)
                _SURFACE.clear()
            _FOR_INDEX[text] = terms
            _SURFACE[text] = surface
        return terms
    terms = _FOR_INDEX.pop(text, None)
    return terms if terms is not None else analyze(text)


def analyze(text: str, stops: bool = True, parts: bool = True, plain: bool = False,
            names: bool = False, readings: bool = True, surface: set[str] | None = None) -> list[Term]:
    """The whole chain: terms with offsets and positions (stop words dropped, positions closed up).

    ``parts`` adds the parts of compounds as extra terms at the compound's
    position, each with its own span; ``plain`` is plain Snowball, without
    normalization or parts (the baseline the benchmarks compare against).
    ``names`` keeps every stop word written with a capital (a query, or one
    word out of its text, has no sentence to tell a name by).  ``readings`` adds the noun's term
    beside the verb's where a form is both (``delar``; see ``noun_reading``): a query word is one term.
    ``surface``: given the text's ``surface_word_set`` too (see ``words``).
    """
    from .compounds import is_known

    out: list[Term] = []
    append = out.append
    new = tuple.__new__  # Term(...) without its keyword-default layer: once per word of every text indexed
    pos = 0
    for word, start, end in words(text, surface):
        # A stop word written in capitals is an acronym (SIG, Sociala insatsgrupper), and one written
        # with a capital inside a sentence is a name (Hans Löhman, Per, Bo, Maj): kept.
        if stops and word in STOP_WORDS and not (len(word) > 1 and (text[start:end].isupper() or (
                text[start].isupper() and (names or _inside_sentence(text, start))))):
            continue
        if plain:
            append(new(Term, (snowball(word), start, end, pos, False)))
            pos += 1
            continue
        if parts:  # indexing: the compound data loaded; a query's words never need it
            term, other, found = _word_terms(word)
        else:
            term, other, found = stem(word), noun_reading(word) if readings else None, ()
        append(new(Term, (term, start, end, pos, False)))
        if readings and other is not None:  # delar: the verb's term and the noun's, at one position
            append(new(Term, (other, start, end, pos, False)))
        # A name (a capital inside a sentence, a word the dictionary does not know) is not split:
        # Långbrottskolan, Grimhage; Kommunstyrelsen, a word of its own, is.
        if parts and found and not (
                text[start].isupper() and not text[start:end].isupper() and _inside_sentence(text, start)
                and not is_known(word)):
            for part, a, b in found:
                append(new(Term, (part, start + a, start + b, pos, True)))
        pos += 1
    return out


@lru_cache(maxsize=100_000)  # about 220 bytes a word form: 22 MB a process at most (stem's own cache holds more)
def _word_terms(word: str) -> tuple[str, str | None, tuple[tuple[str, int, int], ...]]:
    """What the chain makes of one lowercased word, whatever its context: (its term, the noun's term
    beside it or None, and (term, start, end) of each compound part whose term is not the word's): the
    stem, lexicon and compound lookups once per word form, not once per occurrence."""
    from .compounds import MIN_WORD, parts as compound_parts_of

    term = stem(word)
    found = ()
    if len(word) >= MIN_WORD:
        found = tuple((part, a, b) for part, a, b in ((stem(form), a, b) for form, a, b in compound_parts_of(word))
                      if part != term)
    return term, noun_reading(word), found


def people_terms(names: str, plain: bool = False) -> list[Term]:
    """The terms of a § 's people, one name a line (``Leif Persson\nAnna Berg``), as a query's words
    become terms (a name is read as a name: no compound parts); each name's positions start PEOPLE_GAP
    after the last, so that no phrase runs from one name into the next.  Offsets are into ``names``."""
    from .weights import PEOPLE_GAP

    out: list[Term] = []
    offset = position = 0
    for line in names.split("\n"):
        terms = name_terms(line, plain)
        out += [Term(t.term, offset + t.start, offset + t.end, position + t.position) for t in terms]
        if terms:
            position += terms[-1].position + 1 + PEOPLE_GAP
        offset += len(line) + 1
    return out


def people_length(names: str, plain: bool = False) -> int:
    """``len(people_terms(names, plain))``, from the memoised terms of each name (ingest counts it per §)."""
    return sum(len(name_terms(line, plain)) for line in names.split("\n"))


@lru_cache(maxsize=50_000)
def name_terms(name: str, plain: bool) -> tuple[Term, ...]:
    """One name's terms, as a query's words become terms (a name read as a name: no compound parts):
    once per name and process, since the same people sit in every § of a meeting."""
    return tuple(analyze(name, parts=False, plain=plain, names=not plain, readings=False))


def _inside_sentence(text: str, start: int) -> bool:
    """Whether a word is preceded, on its line, by a word of the same sentence (not a sentence or line start)."""
    before = text[start - 80 if start > 80 else 0:start].rstrip(" \t")  # (asked of many words: no max())
    return bool(before) and before[-1] not in ".!?:;\n\"“(–-•"


def query_terms(text: str, plain: bool = False) -> list[str]:
    """The terms a query word or phrase becomes (no compound parts: a query word is matched whole)."""
    return [t.term for t in analyze(text, parts=False, plain=plain, names=not plain, readings=False)]
