"""The §§ a line of attendance names: ``§§ 22–23, 26``, ``del av § 6``, ``t.o.m. § 20``, ``ej 13``.
"""

from __future__ import annotations

import re
from .vocabulary import _D


_RANGE_ITEM = rf"\d{{1,9}}(?:\s*{_D}\s*\d{{1,9}})?"


_RANGES = re.compile(
    rf"(?P<partial>del av\s+)?§§?\s*(?P<list>{_RANGE_ITEM}(?:\s*(?:,|och|samt)\s*{_RANGE_ITEM})*)",
    re.IGNORECASE,
)


MAX_RANGE = 2000  # §§ one range may span (a wider one is read as its first number)


MAX_NUMBERS = 10_000  # §§ one list may name: no meeting has more, and no line can make memory run out


def expand_ranges(text: str) -> tuple[int, ...]:
    """``22–23, 26`` -> (22, 23, 26): each number once, in the order first named, at most MAX_NUMBERS;
    a range named again costs no more than its look-up."""
    numbers: dict[int, None] = {}
    spans: list[tuple[int, int]] = []  # the ranges taken so far, to pass over one named again
    for item in re.findall(_RANGE_ITEM, text):
        parts = re.split(_D, item)
        lo = int(parts[0])
        hi = int(parts[-1]) if len(parts) > 1 else lo
        if hi < lo or hi - lo > MAX_RANGE:
            hi = lo
        if any(a <= lo and hi <= b for a, b in spans[-64:]):
            continue
        spans.append((lo, hi))
        for n in range(lo, hi + 1):
            if len(numbers) >= MAX_NUMBERS:
                return tuple(numbers)
            numbers[n] = None
    return tuple(numbers)


_UP_TO = re.compile(r"\b(?:t\.?\s?o\.?\s?m\.?|till och med)\s*(?:§\s*)?(\d{1,9})(?![\d.:])", re.IGNORECASE)


_FROM_ON = re.compile(r"\b(?:fr\.?\s?o\.?\s?m\.?|från och med|from)\s*(?:§\s*)?(\d{1,9})(?![\d.:])", re.IGNORECASE)


_EXCEPT = re.compile(rf"\b(?:ej|utom|förutom|med undantag för)\s*(?:§§?\s*)?(?P<list>{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*)",
                     re.IGNORECASE)


_BARE_RANGE = re.compile(rf"(?<![\w§:./-])(?P<item>\d{{1,4}}(?:\s*{_D}\s*\d{{1,4}})?)(?![\w:./-]|\.\d)")


def _ranges_in(text: str, span: tuple[int, int] | None = None) -> tuple[tuple[int, ...], bool]:
    """The §§ a line of attendance names (``§§ 22–23``, ``del av § 6``); within the meeting's §§
    (``span``) also ``t.o.m. 20``, ``fr.o.m. § 12``, ``ej 13``, ``med undantag för § 5`` and bare
    numbers (``141-143, 145-159``)."""
    numbers: dict[int, None] = {}  # in the order named, each once, at most MAX_NUMBERS

    def add(values) -> None:
        for n in values:
            if len(numbers) >= MAX_NUMBERS:
                return
            numbers[n] = None

    partial = False
    if span:
        lo, hi = span
        ends = [int(m.group(1)) for m in _UP_TO.finditer(text)]
        ends = [n for n in ends if lo <= n <= hi]
        if ends:  # t.o.m. 20, t.o.m. 24: from the first § to the last named
            add(range(lo, max(ends) + 1))
        starts = [int(m.group(1)) for m in _FROM_ON.finditer(text)]
        starts = [n for n in starts if lo <= n <= hi]
        if starts:
            add(range(min(starts), hi + 1))
        text = _FROM_ON.sub(" ", _UP_TO.sub(" ", text))
    lists: dict[str, None] = {}
    for m in _RANGES.finditer(text):
        lists[m.group("list")] = None
        partial = partial or bool(m.group("partial"))
    for listed in lists:  # a list named again is expanded once
        add(expand_ranges(listed))
    if span and not numbers:
        for m in _EXCEPT.finditer(text):
            absent = set(expand_ranges(m.group("list")))
            if absent and absent <= set(range(lo, hi + 1)):
                add(n for n in range(lo, hi + 1) if n not in absent)
        if not numbers:
            bare = [expand_ranges(item) for item in dict.fromkeys(m.group("item") for m in _BARE_RANGE.finditer(text))]
            if bare and all(lo <= n <= hi for found in bare for n in found):  # (t.o.m. … gone above)
                add(n for found in bare for n in found)
    return tuple(numbers), partial
