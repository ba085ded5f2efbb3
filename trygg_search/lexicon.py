"""What the analysis takes from hunspell-sv, built once into a cache file and loaded when needed.

Expanding the dictionary takes a few seconds; the result (the forms that may
begin, sit inside or end a compound, and every word form) is kept in
``$XDG_CACHE_HOME/trygg-search`` (default ``~/.cache/trygg-search``), named by
the dictionary's version and this module's BUILD, and rebuilt when either
changes.  Where no cache can be written it is built in memory for the run.
Only compound splitting and the hyphen rule of the parser load it: a query
never does.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
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


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trygg-search"


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
