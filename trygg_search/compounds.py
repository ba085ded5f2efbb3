"""Compound splitting by the Swedish Hunspell dictionary: the parts of a compound, each with its span.

hunspell-sv marks which forms may begin (COMPOUNDBEGIN), sit inside
(COMPOUNDMIDDLE) or end (COMPOUNDEND) a compound, and writes the linking
forms as suffixes allowed inside compounds: ``trygghets|utskott``,
``skol|attacker`` (*skola* without its *a*), ``kommun|lednings|förvaltningen``.
A word splits into two to four parts that follow those rules, the first and
inner ones at least MIN_PART letters, the last at least MIN_LAST, the
finest such split first (``lokal|polis|område``); a
doubled consonant before the same letter stands for three
(``fall|lucka`` in *fallucka*).  A word the dictionary cannot build splits
at a linking *s* between two parts it knows (``sprängämnes|prekursorer``).

Each part is (form, start, end): the form whose term is indexed (the root of
a first or inner part, the written form of the last, which carries the
inflection) and its span in the word (a linking letter lies outside it).

The dictionary is read once into a cache file (:mod:`.lexicon`), and loaded
the first time a word long enough to be a compound is split: a query never
needs it (query words are matched whole).
"""

from __future__ import annotations

from functools import lru_cache

MIN_WORD = 8  # shorter words are not split
MAX_WORD = 100  # nor longer ones: the dictionary's forms have at most 40 letters, a compound at most four
MIN_PART = 4  # a first or inner part (three-letter heads split lexicalised words: ord|förande)
MIN_LAST = 3  # the last part (polis|bil)
MAX_PARTS = 4  # the dictionary's COMPOUNDWORDMAX


def _data():
    from .lexicon import compound_data

    return compound_data()


def known_words() -> frozenset[str]:
    """Every lower-case form hunspell-sv accepts as a word on its own (its common words)."""
    return _data().words


def is_known(word: str) -> bool:
    """Whether the dictionary knows ``word`` (lower case) as a word of its own, not only as a compound."""
    return word in _data().words


@lru_cache(maxsize=100_000)
def split(word: str) -> tuple[tuple[str, int, int], ...]:
    """``narkotikahantering`` -> (("narkotika", 0, 9), ("hantering", 9, 18)); () when not a compound."""
    if not MIN_WORD <= len(word) <= MAX_WORD or not word.isalpha():
        return ()
    data = _data()
    best = _split(word, 0, data, 0)
    if best is None:
        best = _at_linking_s(word, data)
    return tuple(best) if best and len(best) > 1 else ()


@lru_cache(maxsize=100_000)
def parts(word: str) -> tuple[tuple[str, int, int], ...]:
    """What indexing adds for a compound: the parts of :func:`split`, and every run of two or more
    of them that is a word of its own (``polisområde`` in lokal|polis|område, ``sprängämne`` in
    spräng|ämne|s|prekursorer), so that the word finds the compound too."""
    found = split(word)
    if len(found) < 3:
        return found
    data = _data()
    runs = []
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            if i == 0 and j == len(found) - 1:
                continue  # the whole word
            start, end = found[i][1], found[j][2]
            text = word[start:end]
            if (text in data.end if j == len(found) - 1 else text in data.words or text in data.begin):
                runs.append((data.begin.get(text, text), start, end))
    return found + tuple(runs)


def _head_options(word: str, offset: int, data, position: int):
    """(cut, part) for every first/inner part starting at ``offset``: part = (form, start, end)."""
    table = data.begin if position == 0 else data.middle
    rest = word[offset:]
    for cut in range(len(rest) - MIN_LAST, MIN_PART - 1, -1):
        head = rest[:cut]
        root = table.get(head)
        if root is not None:
            yield cut, (root, offset, offset + _span(head, root))
        # fall|lucka: a doubled letter before the same letter stands for three
        if cut >= 2 and head[-1] == head[-2] and rest[cut:cut + 1] == head[-1]:
            root = table.get(head + head[-1])
            if root is not None:
                yield cut, (root, offset, offset + cut)


def _span(form: str, root: str) -> int:
    """How much of a linking form is its root's: ``trygghets``/``trygghet`` 8, ``skol``/``skola`` 4."""
    n = 0
    while n < len(form) and n < len(root) and form[n] == root[n]:
        n += 1
    return n


def _split(word: str, offset: int, data, position: int) -> list[tuple[str, int, int]] | None:
    """The finest split of word[offset:] into a first or inner part and what follows."""
    best = None
    for cut, part in _head_options(word, offset, data, position):
        tail = word[offset + cut:]
        options = []
        if len(tail) >= MIN_LAST and tail in data.end:
            options.append([part, (tail, offset + cut, len(word))])
        if position + 2 < MAX_PARTS:
            deeper = _split(word, offset + cut, data, position + 1)
            if deeper:
                options.append([part] + deeper)
        for found in options:
            if best is None or len(found) > len(best):
                best = found
        if best is not None and len(best) == MAX_PARTS - position:
            break
    return best


def _at_linking_s(word: str, data) -> list[tuple[str, int, int]] | None:
    """A word the dictionary cannot build: split at an ``s`` between a known word or compound and a
    known last part (``gruppvålds|intervention``: grupp|våld, s, intervention)."""
    for i in range(len(word) - MIN_LAST - 1, MIN_PART - 1, -1):
        if word[i] != "s":
            continue
        head, tail = word[:i], word[i + 1:]
        if not (tail in data.end or tail in data.words):
            continue
        if head in data.words or head in data.begin:
            return [(data.begin.get(head, head), 0, i), (tail, i + 1, len(word))]
        inner = _split(head, 0, data, 0) if len(head) >= MIN_PART + MIN_LAST else None
        if inner and len(inner) < MAX_PARTS:
            return inner + [(tail, i + 1, len(word))]
    return None
