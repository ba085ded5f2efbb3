"""--explain: how the query was read (analysis, acronyms, å/ä/ö) and what each part added to the top hits' scores."""

from __future__ import annotations

import re

from .analysis import analyze
from .compounds import split
from .query import OPERATORS

TOP = 3


def explain(index, run, text: str, showing: str | None) -> dict:
    """The explanation of one search (``run`` from ``Index.run``); the parts of a hit sum to its score."""
    words = []
    for word in re.findall(r"[^\W_]+(?:[-/:][^\W_]+)*", showing or text):
        if word in OPERATORS:
            continue
        analyzed = analyze(word, parts=False, names=True, readings=False)
        words.append({
            "word": word,
            "terms": [t.term for t in analyzed],
            "stop_word": not analyzed,
            "compound_parts": [form for form, _, _ in split(word.lower())],
        })
    out = {
        "words": words,
        "expansions": run.expansions,
        "diacritics": showing,
        "query": run.query,
        "top_hits": index.explain(run, TOP),
    }
    note = index.engine_note()
    if note:
        out["engine"] = note
    return out
