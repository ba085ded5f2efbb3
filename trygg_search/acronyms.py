"""Acronyms defined in the text, mined at ingest: ``Gruppvåldsintervention (GVI)`` -> gvi = gruppvåldsintervention.

Patterns: ``Long form (ACR)``, ``ACR (Long form)``, ``ACR – Long form``,
``Long form, ACR,`` and footnotes (``EST2`` with a footnote line
``2 Effektiv Samordning för Trygghet.``).  A candidate counts only when the
acronym's letters match the long form: the initials of its words (stop words
may be skipped), or else its letters in order with the first at a word start
(Schwartz & Hearst, 2003), which covers one-word compounds such as
*Gruppvåldsintervention*.
"""

from __future__ import annotations

import re

from .analysis import STOP_WORDS

PARTIES = {"S", "M", "C", "L", "V", "KD", "SD", "MP", "D", "FI"}
_ACR = r"[A-ZÅÄÖ][A-ZÅÄÖ]{1,7}"
# An acronym at a word's start, as ``\b{_ACR}``: its first letter not after a word character.  Written
# with the letter first, so that re looks for the letter before it tries the rest (a leading ``\b`` is
# tried at every position of the text: three times as long, in the three patterns below).
_ACR_AT = r"[A-ZÅÄÖ](?<!\w[A-ZÅÄÖ])[A-ZÅÄÖ]{1,7}"
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_BEFORE_PARENS = re.compile(rf"({_ACR_AT})\s*\(([^()\d]{{3,120}})\)")  # ACR (Long form)
_BEFORE_DASH = re.compile(rf"({_ACR_AT})\s+[–-]\s+([A-ZÅÄÖ][^\n.,;()]{{3,100}})")  # ACR – Long form
_FOOTNOTED = re.compile(rf"({_ACR_AT})(\d{{1,2}})\b")  # EST2 ... "2 Effektiv ..."


def _initials_match(acr: str, words: list[str]) -> list[str] | None:
    """The shortest tail of ``words`` whose initials spell ``acr`` (stop words may be skipped)."""
    letters = acr.lower()
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if tail[0].lower() in STOP_WORDS:
            continue
        content = [w for w in tail if w.lower() not in STOP_WORDS]
        initials = "".join(w[0].lower() for w in content)
        if initials == letters:
            return tail
        if len(content) > len(letters):
            return None
    return None


def _letters_match(acr: str, words: list[str]) -> list[str] | None:
    """Schwartz & Hearst: the acronym's letters in order in the long form, the first at a word start."""
    text = " ".join(words).lower()
    letters = acr.lower()
    li = len(text) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    long_form = text[li + 1:]
    n = len(long_form.split())
    if n > min(len(letters) + 5, 2 * len(letters)):
        return None
    return words[len(words) - n:]


def _match(acr: str, words: list[str]) -> str | None:
    if acr in PARTIES or len(acr) < 2 or not words:
        return None
    found = _initials_match(acr, words) or _letters_match(acr, words)
    if not found:
        return None
    long_form = " ".join(found).strip(" ,.;:–-")
    if long_form.lower() == acr.lower() or len(long_form) <= len(acr):
        return None
    return long_form


def _tail_words(text: str, limit: int) -> list[str]:
    """The last ``limit`` words of text, not crossing a sentence end."""
    text = re.split(r"[.;:!?]\s|\n\s*\n", text)[-1]
    return _WORDS.findall(text)[-limit:]


def mine(text: str) -> list[tuple[str, str]]:
    """(acronym, long form) pairs defined in ``text``, lowercased, without repeats."""
    found: list[tuple[str, str]] = []

    def add(acr: str, long_form: str | None) -> None:
        if long_form:
            pair = (acr.lower(), " ".join(long_form.lower().split()))
            if pair not in found:
                found.append(pair)

    for m in re.finditer(rf"\(({_ACR})\)", text):  # Long form (ACR)
        acr = m.group(1)
        # the words before, from a window that holds them (not the whole text: that was quadratic)
        add(acr, _match(acr, _tail_words(text[max(0, m.start() - 400): m.start()], 2 * len(acr) + 4)))
    for m in _BEFORE_PARENS.finditer(text):  # ACR (Long form)
        acr, inner = m.group(1), _WORDS.findall(m.group(2))
        long_form = _match(acr, inner)
        if long_form and long_form.lower().startswith(inner[0].lower()):
            add(acr, long_form)
    for m in _BEFORE_DASH.finditer(text):  # ACR – Long form
        acr, words = m.group(1), _WORDS.findall(m.group(2))
        for n in range(1, min(len(words), 2 * len(acr)) + 1):
            long_form = _match(acr, words[:n])
            if long_form and len(long_form.split()) == n:
                add(acr, long_form)
                break
    for m in re.finditer(rf",\s+({_ACR}),", text):  # Long form, ACR,
        acr = m.group(1)
        before = re.split(r"[\n,()]", text[max(0, m.start() - 120): m.start()])[-1]
        add(acr, _match(acr, _tail_words(before, 2 * len(acr) + 4)))
    notes = dict(re.findall(r"(?m)^\s*(\d{1,2})\s+([A-ZÅÄÖ][^\n]{3,100}?)\.?\s*$", text))
    for m in _FOOTNOTED.finditer(text):  # footnoted: EST2 ... "2 Effektiv ..."
        acr, note = m.group(1), notes.get(m.group(2))
        if note:
            add(acr, _match(acr, _WORDS.findall(note)))
    return found
