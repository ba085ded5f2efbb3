"""Compound splitting: the parts of a Swedish compound, each with its span in the word.

A word splits only where every part is a known Swedish word (wordfreq's
Swedish list, Zipf frequency >= MIN_ZIPF), at least MIN_PART letters long
and not a stop word.  Linking letters are handled: ``trygghets|utskott``
(-s-), ``skol|attacker`` for *skola* (a dropped final vowel), and a linking
-e- or -u- before the next part.  The known words are loaded lazily, the
first time a word long enough to be a compound is split.
"""

from __future__ import annotations

from functools import lru_cache

MIN_WORD = 8  # shorter words are not split
MIN_PART = 4
MIN_ZIPF = 2.3
_known: frozenset[str] | None = None


def known_words() -> frozenset[str]:
    """Swedish words from wordfreq (Apache-2.0 code, CC BY-SA data) frequent enough to be parts."""
    global _known
    if _known is None:
        from wordfreq import get_frequency_list

        from .analysis import STOP_WORDS

        # wordfreq's list is bucketed by centibels: bucket i holds the words of
        # frequency 10^(-i/100), Zipf 9 - i/100.
        buckets = get_frequency_list("sv", wordlist="large")[: int(round((9 - MIN_ZIPF) * 100)) + 1]
        _known = frozenset(
            w for bucket in buckets for w in bucket
            if len(w) >= MIN_PART - 1 and w.isalpha() and w not in STOP_WORDS
        )
    return _known


def _is_word(s: str) -> bool:
    return len(s) >= MIN_PART and s in known_words()


@lru_cache(maxsize=100_000)
def split(word: str) -> tuple[tuple[str, int, int], ...]:
    """``narkotikahantering`` -> (("narkotika", 0, 9), ("hantering", 9, 18)); () when not a compound.

    Each part is (dictionary form, start, end) with the span inside ``word``
    (a linking -s- is outside both spans; for a dropped vowel the form is
    *skola* while the span covers ``skol``).
    """
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    best = _split(word, 0, whole=False)
    return tuple(best) if best and len(best) > 1 else ()


def _split(word: str, offset: int, whole: bool = True) -> list[tuple[str, int, int]] | None:
    """The split of word[offset:] into the fewest known parts (longest head first).

    ``whole=False`` (the top level) looks for parts even when the word itself is known.
    """
    rest = word[offset:]
    if whole and _is_word(rest):
        return [(rest, offset, len(word))]
    best = None
    for cut in range(len(rest) - MIN_PART, MIN_PART - 2, -1):
        head = rest[:cut]
        candidates = []
        if _is_word(head):
            candidates.append((head, cut, cut))
        if head[-1:] in ("s", "e", "u") and _is_word(head[:-1]):  # linking letter
            candidates.append((head[:-1], cut - 1, cut))
        for vowel in ("a", "e", "o"):  # a dropped final vowel: skol|attacker
            if _is_word(head + vowel) and not _is_word(head):
                candidates.append((head + vowel, cut, cut))
        for form, span_end, next_start in candidates:
            tail = _split(word, offset + next_start)
            if tail:
                found = [(form, offset, offset + span_end)] + tail
                if best is None or len(found) < len(best):
                    best = found
        if best and len(best) == 2:
            break
    return best
