"""Who signs the protocol: the chair, the secretary and the adjusters, under or after their labels.
"""

from __future__ import annotations

import re
from .vocabulary import _NAME_WORD, _NOT_NAME, _SIGNERS


_SIGNATURE = re.compile(r"^(?P<name>[^,]+?),\s*(?P<role>ordförande|ordf\.|sekreterare|justerare|justerande)$", re.I)


_SIGNER_LABEL = re.compile(rf"^(?P<label>{_SIGNERS})\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


_SIGNER_WORD = re.compile(rf"(?<![\wåäö]){_SIGNERS}", re.IGNORECASE)


# "Underskrifter    Sekreterare": the signatures' label in a column of its own, before a signer's label
_SIGNATURES_COLUMN = re.compile(rf"^Underskrift(?:er)?\s{{3,}}(?={_SIGNERS})", re.IGNORECASE)


_SIGNER_ROLE = {"just": "adjuster", "utse": "adjuster", "sekr": "secretary", "ordf": "chair"}


def _signer_names(text: str) -> list[str]:
    """The names on a signer's line ("Bengt Berg (M) och Cecilia Carlsson (C)", "...... Hans Holm"), or []
    when it holds anything but names."""
    text = re.sub(r"^[\s.…_:]+|[\s.…_]+$", "", text)
    if not text:
        return []
    names = []
    for part in re.split(r"\s*(?:,|\boch\b|\bsamt\b|&)\s*", text):
        part = re.sub(r"\s*\([A-Za-zÅÄÖåäö]{1,5}\)$", "", part.strip())
        words = part.split()
        cut = next((k for k, w in enumerate(words) if _NOT_NAME.match(w)), len(words))
        if cut >= 2:  # the next label run on: "Christel Öhgren Justeras"
            words = words[:cut]
            part = " ".join(words)
        if not part or len(part) <= 3 and part.isupper():  # "Bengt Berg, M": the party
            continue
        if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) for w in words) or _NOT_NAME.match(words[0]):
            return []
        names.append(part)
    return names


def _sign(h: dict, adjusters: list[str], role: str, names: list[str]) -> None:
    if role == "adjuster":
        adjusters += [n for n in names if n not in adjusters]
    else:
        h[role] = h.get(role) or names[0]
