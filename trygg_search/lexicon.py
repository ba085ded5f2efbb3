"""What the analysis takes from its two lexicons, built once into cache files and read when needed.

- **Compounds** (hunspell-sv): the forms that may begin, sit inside or end a
  compound, and every word form.  Loaded whole (a few seconds to expand the
  dictionary the first time, under a second after), only by compound
  splitting and the parser's hyphen rule: a query never loads it.
- **Lemmas** (simplemma's Swedish form -> lemma data, from Wiktionary,
  UniMorph and other lists): where suffix rules cannot reach, as strong
  verbs (antog, antagit -> anta), participles and irregular plurals; and
  which nouns have a verb made from them by -a (hjälp, hjälpa), read in the
  same data, so that the two are kept apart.  Kept in an SQLite file and
  looked up a word at a time, so that a query pays a lookup per word, not the
  loading of a million forms.

Both live in ``$XDG_CACHE_HOME/trygg-search`` (default ``~/.cache/trygg-search``),
named by their source's version and this module's BUILD, and are rebuilt when
either changes.  Where no cache can be written they are built for the run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sqlite3
import tempfile
from functools import lru_cache
from typing import NamedTuple
from dataclasses import dataclass
from pathlib import Path

BUILD = 1  # raise when what is built changes


@dataclass(frozen=True)
class CompoundData:
    begin: dict[str, str]  # form that may begin a compound -> its root
    middle: dict[str, str]  # form that may stand inside one -> its root
    end: frozenset[str]  # forms that may end one (inflected)
    words: frozenset[str]  # every form that is a word on its own (lower-case roots only)


_data: CompoundData | None = None


def compound_data() -> CompoundData:
    global _data
    if _data is None:
        _data = _load()
    return _data


@lru_cache(maxsize=1)
def _cache_dir() -> Path:
    """``$XDG_CACHE_HOME/trygg-search`` (``~/.cache/trygg-search``), or a folder in the system's
    temporary directory where that cannot be written (a read-only home)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for folder in (Path(base) / "trygg-search",
                   Path(tempfile.gettempdir()) / f"trygg-search-{getattr(os, 'getuid', lambda: 0)()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return Path(base) / "trygg-search"


def prepare(notify=None) -> None:
    """Build the caches that are missing now, telling ``notify(message)`` first: the first run on a machine
    expands the dictionaries (about ten seconds), and a command says so before it goes quiet.  Where the
    caches are there, nothing is loaded (a query never loads the compounds)."""
    from .hunspell import dictionary_files

    files = dictionary_files()
    compounds = files is not None and _data is None and not (_cache_dir() / f"compounds-{_key(*files)}.pickle").is_file()
    source = installed_version("simplemma")
    lemmas = _db is None and source is not None and not _lemma_path(source).is_file()
    if not (compounds or lemmas):
        return
    if notify is not None:
        notify(f"preparing the Swedish dictionaries, once for this installation (about ten seconds; kept in "
               f"{_cache_dir()})")
    if compounds:
        compound_data()
    if lemmas:
        _lemma_db()


def _key(dic: Path, aff: Path) -> str:
    h = hashlib.sha1(f"{BUILD}".encode())
    for p in (dic, aff):
        st = p.stat()
        h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _load() -> CompoundData:
    from .hunspell import dictionary_files

    files = dictionary_files()
    if files is None:
        raise RuntimeError("the Swedish dictionary (the hunspell-sv package) is not installed: "
                           "pip install hunspell-sv")
    path = _cache_dir() / f"compounds-{_key(*files)}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    data = build(*files)
    try:  # written whole or not at all: a concurrent run reads the old file or none
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        pass
    return data


def build(dic: Path, aff: Path) -> CompoundData:
    """Expand the dictionary into the forms compounds are made of."""
    from .hunspell import BEGIN, END, MIDDLE, ONLY_IN_COMPOUND, PERMIT, expand

    begin: dict[str, str] = {}
    middle: dict[str, str] = {}
    end: set[str] = set()
    words: set[str] = set()
    for form, root, flags, suffixed in expand(dic, aff):
        if not root.islower() or not form.isalpha():  # proper names and abbreviations make no compounds
            continue
        inside = not suffixed or PERMIT in flags
        if BEGIN in flags and inside:
            begin.setdefault(form, root)
        if MIDDLE in flags and inside:
            middle.setdefault(form, root)
        if END in flags:
            end.add(form)
        if ONLY_IN_COMPOUND not in flags:
            words.add(form)
    return CompoundData(begin, middle, frozenset(end), frozenset(words))


# --- the versions of the data -------------------------------------------------------------------

# The distributions whose data the analysis is made of: an index records their versions, and one built
# with others is built anew (a form the new data stems otherwise would no longer find what was indexed).
# (pystemmer: Snowball in C, which snowballstemmer runs on where it is installed.)
DATA_SOURCES = ("hunspell-sv", "simplemma", "snowballstemmer", "pystemmer")


@lru_cache(maxsize=None)
def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution, read from its ``*.dist-info`` folder's name on
    ``sys.path`` (without importlib.metadata, whose import costs a command 40 ms), or None."""
    import sys

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "_", name).lower()

    wanted = normal(distribution)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, found = name[:-len(".dist-info")].rpartition("-")
                if normal(project) == wanted:
                    return found
    try:  # an installation of another layout (an egg, a zip)
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return None
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def data_versions() -> dict[str, str]:
    """What the analysis of an index was made with: the data's versions and how this code builds on them."""
    versions = {name: installed_version(name) or "none" for name in DATA_SOURCES}
    versions["build"] = f"{BUILD}.{LEMMA_BUILD}"
    return versions


def changed_data(recorded: dict | None) -> str | None:
    """How the analysis data an index was built with differs from this installation's, in a few words
    (``simplemma 2.0.0 -> 2.1.0``), or None where they are the same."""
    if not isinstance(recorded, dict):
        return "not recorded in the index"
    now = data_versions()
    changed = [f"{name} {recorded.get(name, 'none')} -> {now[name]}" for name in now if recorded.get(name) != now[name]]
    return ", ".join(changed) or None


# --- lemmas -------------------------------------------------------------------------------------

LEMMA_BUILD = 7  # what the lemma data says (part of an index's data_versions: raising it asks for a re-ingest)
LEMMA_FILE = 2  # how the cache file is laid out (its indexes): raising it rebuilds the file, not an index
_WORD = re.compile(r"^[a-zåäöéü]{2,}$")
_VOWELS = "aeiouyåäö"
_db: sqlite3.Connection | None = None


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str | None:
    """The lemma of a lower-case form (``antog`` -> ``anta``); the word itself for a base form the
    dictionary lists (``kommun``); "" for a name (``göran``, ``johan``: no rule applies); None for a
    word the lexicons do not know."""
    db = _lemma_db()
    if db is None:
        return None
    row = db.execute("SELECT lemma FROM lemma WHERE form = ?", (word,)).fetchone()
    return row[0] if row else None


@lru_cache(maxsize=1024)
def forms_led_to(prefix: str) -> frozenset[str]:
    """The forms the lexicon leads to a lemma other than themselves that begins with ``prefix``, and that
    do not begin so themselves (``gå`` -> gick, gingo, gässen, ...): every other step of the analysis
    cuts a word's end, so these are the only words whose term need not begin as the word does, the
    ones a highlighter must look for besides the words that begin with the term."""
    db = _lemma_db()
    if db is None or not prefix:
        return frozenset()
    rows = db.execute("SELECT form FROM lemma WHERE lemma >= ? AND lemma < ? AND form != lemma",
                      (prefix, prefix + "\U0010ffff"))
    return frozenset(form for form, in rows if not form.startswith(prefix))


@lru_cache(maxsize=50_000)
def verb_beside(noun: str) -> str | None:
    """The verb a noun lemma shares its stem with, made from it by -a (``grund`` -> ``grunda``,
    ``hjälp`` -> ``hjälpa``, ``syfte`` -> ``syfta``), where the lexicon lists both as such: the noun
    with a definite form, the verb with a present tense.  None for any other word."""
    db = _lemma_db()
    if db is None:
        return None
    row = db.execute("SELECT verb FROM noun WHERE lemma = ?", (noun,)).fetchone()
    return row[0] if row else None


def _lemma_db() -> sqlite3.Connection | None:
    global _db
    if _db is None:
        source = installed_version("simplemma")
        if source is None:
            return None
        path = _lemma_path(source)
        if not path.is_file():
            _build_lemmas(path)
        try:
            _db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            _db.execute("SELECT 1 FROM lemma LIMIT 1")
        except sqlite3.Error:
            path.unlink(missing_ok=True)
            _db = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(_db)
    return _db


def _lemma_path(source: str) -> Path:
    """The lemma cache of simplemma ``source`` and this module's LEMMA_BUILD and LEMMA_FILE."""
    key = f"{LEMMA_BUILD}:{LEMMA_FILE}:{source}"
    return _cache_dir() / f"lemmas-{hashlib.sha1(key.encode()).hexdigest()[:16]}.sqlite"


def _build_lemmas(path: Path) -> None:
    """Write the lemma table to ``path`` whole (a temporary file renamed), or leave it for in-memory use."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as f:
            tmp = f.name
        db = sqlite3.connect(tmp)
        _fill(db)
        db.close()
        os.replace(tmp, path)
    except OSError:
        pass


def _fill(db: sqlite3.Connection) -> None:
    """Form -> lemma pairs from simplemma's Swedish data: lower-case words, form and lemma apart.

    A form that is itself a headword keeps its own meaning: a lemma in simplemma's data (unless the
    two share three letters: ``antog`` is a form of *anta*, ``tum`` is no form of *ta*), or a root
    that hunspell-sv inflects (``handla`` is no form of *handlägga*, ``tum`` none of *tumme*; the
    strong verb forms it lists, ``antog``, ``antagit``, take no inflection but the genitive)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    pairs = {}
    verbs: set[str] = set()  # lemmas listed with a present tense: grunda (grundar), hjälpa (hjälper)
    nouns: set[str] = set()  # lemmas listed with a definite form: grund (grunden), syfte (syftet)
    for form, lemma in DefaultDictionaryFactory().get_dictionary("sv").items():
        form = (form.decode() if isinstance(form, bytes) else form).lower()
        lemma = (lemma.decode() if isinstance(lemma, bytes) else lemma).lower()
        if _WORD.match(form) and _WORD.match(lemma):
            if form != lemma:
                pairs[form] = lemma
            vowel = lemma[-1] in _VOWELS
            if vowel and (form == lemma + "r" or form == lemma[:-1] + "er"):
                verbs.add(lemma)
            if form in ((lemma + "n", lemma + "t") if vowel else (lemma + "en", lemma + "et")):
                nouns.add(lemma)
    roots = _roots()
    headwords = set(pairs.values()) | roots.inflected
    rows = [(f, l) for f, l in pairs.items()
            if f not in headwords or _common(f, l) >= 3 and f not in roots.inflected]
    # Names (hunspell-sv's capitalised roots that are no common word): lemma "", no rule applies.
    words = compound_data().words
    rows += [(n, "") for n in sorted(roots.names - words)]
    # hunspell-sv's lower-case roots, their own lemma: base forms (kommun is no definite form of kommu-)
    taken = {f for f, _ in rows}
    rows += [(r, r) for r in sorted(roots.lower) if r not in taken]
    db.execute("CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID")
    db.executemany("INSERT OR REPLACE INTO lemma VALUES (?, ?)", rows)
    db.execute("CREATE INDEX lemma_forms ON lemma (lemma, form)")  # forms_led_to: the forms by their lemma
    db.execute("CREATE TABLE noun (lemma TEXT PRIMARY KEY, verb TEXT NOT NULL) WITHOUT ROWID")
    db.executemany("INSERT INTO noun VALUES (?, ?)", sorted(_nouns_beside_verbs(nouns, verbs).items()))
    db.commit()


def _nouns_beside_verbs(nouns: set[str], verbs: set[str]) -> dict[str, str]:
    """Noun lemma -> the verb made from it by -a, read in the lexicon's own paradigms: a verb is a
    lemma ending in a vowel with a present tense among its forms (``grundar``, ``hjälper``), a noun
    one with a definite form (``grunden``, ``syftet``) that is no verb."""
    out = {}
    for noun in nouns - verbs:
        for verb in (noun + "a", noun[:-1] + "a" if noun.endswith("e") else ""):
            if verb in verbs:
                out[noun] = verb
                break
    return out


class _Roots(NamedTuple):
    lower: frozenset[str]  # lower-case roots: base forms
    inflected: frozenset[str]  # those with a suffix flag besides the genitive (A) and the compound flags
    names: frozenset[str]  # capitalised roots, lower-cased: Göran, Johan, Johanna


@lru_cache(maxsize=1)
def _roots() -> _Roots:
    """What the lemma table takes from hunspell-sv's roots, the .dic read once."""
    from .hunspell import dictionary_files, read_aff, read_dic

    files = dictionary_files()
    if files is None:
        return _Roots(frozenset(), frozenset(), frozenset())
    suffixes = set(read_aff(files[1]).suffixes) - {"A"}
    lower, inflected, names = set(), set(), set()
    for root, flags in read_dic(files[0]):
        if root.islower():
            if _WORD.match(root):
                lower.add(root)
            if any(f in suffixes for f in flags):
                inflected.add(root)
        elif len(root) >= 3 and root[0].isupper() and root[1:].islower() and root.isalpha():
            names.add(root.lower())
    return _Roots(frozenset(lower), frozenset(inflected), frozenset(names))


def _common(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n
