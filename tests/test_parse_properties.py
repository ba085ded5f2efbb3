"""Invariants of the parser over arbitrary text (Hypothesis)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg_search.protocol import furniture, normalize, parse_meeting

# Text built from protocol-like lines, so that the interesting paths are reached.
LINES = st.sampled_from([
    "§ 1 Titel", "§ 2 Ärendenummer KS-2023-1", "§§ 22–23", "Datum: 2023-10-11", "Tid: 13.15–15.20",
    "Närvarande ledamöter", "Tjänstgörande ersättare", "Övriga", "Kemal Hoso (S) §§ 22–23",
    "Mats Sjöström (S) Ersätter Kemal Hoso (S) §§ 24–26", "Ersätter Helena Ståhl (SD) §§ 10–11",
    "Ärendenummer: Ks 930/2023", "Handläggare: Anna Berg m.fl.", "Beslut", "Ärendebeskrivning",
    "1 Punkt", "2 Punkt", "3 (68)", "\f", "ÖREBRO Protokoll", "narkotika-", "hantering", "", " ",
    "Del av § 11", "Paragraf 22–26", "Örebro 2023- 12-11",
])
DOCUMENTS = st.one_of(
    st.text(),
    st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=40).map("\n".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_parser_never_raises_and_invents_nothing(text):
    meeting = parse_meeting(text)
    lines = normalize(text).split("\n")
    # Page furniture lines are dropped (furniture() only ever drops whole lines),
    # hyphenated line breaks joined, layout spaces folded; nothing else may appear.
    dropped, _ = furniture(lines)
    flat = "\n".join(line for i, line in enumerate(lines) if i not in dropped)
    flat = re.sub(r"-[ \t]*\n[ \t\f\n]*", "", flat)
    flat = re.sub(r"\s+", "", flat)
    for p in meeting.paragraphs:
        for word in p.text.split() + p.title.split():
            # a hyphen at a line end the parser left standing ("0-0-": no word to join) is the one liberty
            assert word in flat or word.replace("-", "") in flat.replace("-", ""), word
        assert p.number is None or isinstance(p.number, int)
