"""The Swedish Hunspell dictionary (hunspell-sv, LGPL) read into what the analysis needs.

A Hunspell dictionary is a list of roots with flags (``polis/bDHUXY``) and an
affix file whose suffix rules make the inflected forms.  Read together they
say, for every form:

- whether it is a word on its own (not ONLYINCOMPOUND ``Z``, not forbidden),
  and its root: ``antog`` and ``antagit`` are forms of ``anta``;
- where it may stand in a compound: COMPOUNDBEGIN ``X``, COMPOUNDMIDDLE
  ``U``, COMPOUNDEND ``Y``, set on the root or by the suffix that made the
  form.  A suffixed form stands first or inside a compound only where its
  suffix carries COMPOUNDPERMITFLAG ``W``: that is how the dictionary writes
  the linking forms (``trygghet`` + ``s``, ``skola`` without its ``a``, ``ämne``
  + ``s``).  A last part carries any inflection (``förvaltningen``).

:func:`expand` reads the two files (the suffix rules this dictionary uses:
strip, add, condition, and the continuation flags of two-level suffixes).
:mod:`.lexicon` keeps the result in a cache file built once.
"""

from __future__ import annotations

import re
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

BEGIN, MIDDLE, END, ONLY_IN_COMPOUND, PERMIT = "X", "U", "Y", "Z", "W"


def dictionary_files() -> tuple[Path, Path] | None:
    """(sv_SE.dic, sv_SE.aff) as installed by the hunspell-sv package (under the environment's share/),
    or None when they are not there."""
    import site
    import sys

    roots = [sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None) or ""]
    for root in roots:
        folder = Path(root) / "share" / "hunspell"
        dic, aff = folder / "sv_SE.dic", folder / "sv_SE.aff"
        if dic.is_file() and aff.is_file():
            return dic, aff
    return None


@dataclass
class Suffix:
    strip: str
    add: str
    condition: re.Pattern
    flags: str  # continuation flags: compound flags, W, or further suffixes


@dataclass
class Affixes:
    suffixes: dict[str, list[Suffix]] = field(default_factory=dict)
    forbidden: str = "%"
    need_affix: str = "¤"


def read_aff(path: Path) -> Affixes:
    aff = Affixes()
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "FORBIDDENWORD" and len(parts) > 1:
            aff.forbidden = parts[1]
        elif parts[0] == "NEEDAFFIX" and len(parts) > 1:
            aff.need_affix = parts[1]
        elif parts[0] == "SFX" and len(parts) >= 5:
            flag, strip, add, condition = parts[1], parts[2], parts[3], parts[4]
            add, _, flags = add.partition("/")
            aff.suffixes.setdefault(flag, []).append(Suffix(
                "" if strip == "0" else strip, "" if add == "0" else add,
                re.compile(("" if condition == "." else condition) + "$"), flags))
    return aff


def read_dic(path: Path) -> Iterator[tuple[str, str]]:
    """(root, flags) of every entry (the count line and morphological fields passed over)."""
    with path.open(encoding="utf-8") as f:
        next(f, None)
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("\t"):
                continue
            entry = line.split("\t", 1)[0].split(" ", 1)[0]
            word, _, flags = entry.replace("\\/", "\x00").partition("/")
            yield word.replace("\x00", "/"), flags


def expand(dic: Path, aff_path: Path) -> Iterator[tuple[str, str, str, bool]]:
    """(form, root, flags, suffixed) for every form the dictionary makes: a root, and each suffix
    rule (and a suffix's own continuation suffixes, one level) whose condition fits.
    ``flags`` are the root's and the suffix's together."""
    aff = read_aff(aff_path)
    for root, flags in read_dic(dic):
        if aff.forbidden in flags:
            continue
        if aff.need_affix not in flags:
            yield root, root, flags, False
        for flag in flags:
            for sfx in aff.suffixes.get(flag, ()):
                form = _apply(sfx, root)
                if not form:
                    continue
                yield form, root, flags + sfx.flags, True
                for second in sfx.flags:
                    for more in aff.suffixes.get(second, ()):
                        twice = _apply(more, form)
                        if twice:
                            yield twice, root, flags + sfx.flags + more.flags, True


def _apply(sfx: Suffix, word: str) -> str | None:
    """``word`` with the suffix rule applied, or None where its condition or strip does not fit."""
    if not sfx.condition.search(word) or (sfx.strip and not word.endswith(sfx.strip)):
        return None
    return word[: len(word) - len(sfx.strip)] + sfx.add
