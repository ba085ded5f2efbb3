"""Every word of a document is in a record search can find: the front record (what stands before the
first §), the §§, or, for the furniture a page repeats (running heads, page footers), the lines
``parse --json`` lists as removed.  Checked on every document the tests and ``../shared`` hold."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trygg_search.protocol import furniture, normalize, parse_meeting
from trygg_search.sources import read_source

from .conftest import CORPUS, REAL
from .hostile import texts

DOCUMENTS = sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("*.txt")) + sorted((REAL / "more").glob("*.txt"))


def letters(text: str) -> str:
    return "".join(re.findall(r"[^\W\d_]", text.casefold()))


def kept_letters(text: str) -> str:
    """The letters of a document's text, in order, less its furniture."""
    lines = normalize(text).split("\n")
    drop, _ = furniture(lines)
    return letters("\n".join(line for i, line in enumerate(lines) if i not in drop))


def record_letters(meeting) -> str:
    """The letters of a document's records, in order: its front record, then each §."""
    return letters("\n".join([meeting.front] + [p.text for p in meeting.paragraphs]))


def test_the_documents_are_there():
    assert len(DOCUMENTS) >= 50


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_letter_of_a_document_is_in_a_record_in_order(path):
    text = read_source(path).text
    meeting = parse_meeting(text, str(path))
    assert record_letters(meeting) == kept_letters(text)
    # ... and what is in none is listed as removed, letter for letter
    assert Counter(letters(text)) == Counter(record_letters(meeting) + letters("\n".join(meeting.removed)))


def test_a_protocol_whose_paragraphs_are_only_listed_keeps_its_text_in_the_front_record():
    text = ("Socialnämnden\nSammanträdesdatum 2024-03-12\nParagrafer 1-3\n\nInnehåll\n1 Val av justerare\n"
            "2 Budget\n3 Bostadsförsörjning\n\nUr ett underlag om hemlöshet som ingen rubrik bär.\n")
    meeting = parse_meeting(text)
    assert "hemlöshet" in meeting.front and "Bostadsförsörjning" in meeting.front
    assert record_letters(meeting) == kept_letters(text)


HOSTILE = texts(64 * 1024)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_parses_and_keeps_every_letter(name):
    """Text no protocol has (bench/run.py --hostile times the same at 1 MB): no error, nothing lost."""
    text = HOSTILE[name]
    meeting = parse_meeting(text)
    assert record_letters(meeting) == kept_letters(text)


# --- real documents mutated as files are damaged and laid out -----------------------------------------

_SOURCES = [read_source(path).text for path in DOCUMENTS]


def _pages(text: str) -> list[str]:
    return text.split("\f") if "\f" in text else [text[i:i + 3000] for i in range(0, len(text), 3000)]


@st.composite
def mutated(draw):
    """A seed, real protocol or excerpt, changed a few times over: lines joined (a page flattened) or
    split (a line wrapped), characters or digits deleted, pages shuffled, a stretch repeated."""
    text = draw(st.sampled_from(_SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["join", "split", "delete", "digits", "shuffle", "repeat"]))
        lines = text.split("\n")
        if op == "join" and len(lines) > 1:
            at = draw(st.integers(0, len(lines) - 2))
            n = draw(st.integers(2, 60))
            lines[at:at + n] = [" ".join(lines[at:at + n])]
            text = "\n".join(lines)
        elif op == "split" and text:
            for _ in range(draw(st.integers(1, 20))):
                at = draw(st.integers(0, len(text)))
                text = text[:at] + "\n" + text[at:]
        elif op == "delete" and text:
            for _ in range(draw(st.integers(1, 20))):
                at = draw(st.integers(0, len(text) - 1))
                text = text[:at] + text[at + draw(st.integers(1, 5)):]
        elif op == "digits":
            rate = draw(st.sampled_from([0.1, 0.5, 1.0]))
            seed = draw(st.integers(0, 2**16))
            text = "".join(ch for k, ch in enumerate(text) if not (ch.isdigit() and (k * 7919 + seed) % 100 < rate * 100))
        elif op == "shuffle":
            pages = _pages(text)
            order = draw(st.permutations(range(len(pages))))
            text = "\f".join(pages[k] for k in order)
        elif op == "repeat" and text:
            at = draw(st.integers(0, len(text) - 1))
            end = min(len(text), at + draw(st.integers(1, 4000)))
            text = text[:end] + text[at:end] * draw(st.integers(1, 3)) + text[end:]
    return text


# Found by the test below (cut down): a page of a transcript whose number stands right before a heading
# ("3 MN 18"), the heading's title mutated into the text after it; the page repeated around a front page.
_PAGE = ('3 MN 18 Äoch justeringen har tillkännagivits genom anslag på kommunens anslagstavla '
         'Organ Miljönämnden Sista dag för överklagande Anslag uppsatt den Datum för anslags '
         'nedtagande Protokollet förvaras hos Samhällsbyggnad Underskrift... Kerstin Frimodig')
_PAGE_NUMBER_BEFORE_A_HEADING = "\n\n".join([
    _PAGE,
    '2 Plats och tid Stadshuset Sal B kl Måndagen den 17 mars 2014 Ledamöter och ersättare '
    'Beslutande Gunilla Nordén (S), 1:e v ordf Anna af Sillén (M), 2:e v ordf Staffan Folke '
    '(V) Martina Hallström (C) Ylva Franzén (MP) tj ers. Ersättare Håkan Ödling (S) Marie '
    'Karlsson (M) Thorsten Dormann (FP) Övriga deltagare Deltagare under respektive '
    'informations- och beslutsärende samt Anna Romvall Underskrifter Sekreterare... Kerstin '
    'Frimodig Paragraf 24 Ordförande... Gunilla Nordén Justerande... Anna af Sillén '
    'ANSLAG/BEVIS Omedelbar justering 24 Protokollet har justerats och justeringen har '
    'tillkännagivits genom anslag på kommunens anslagstavla Organ Miljönämnden Sista dag för '
    'överklagande Anslag uppsatt den Datum för anslags nedtagande Protokollet förvaras hos '
    'Samhällsbyggnad Underskrift... Kerstin Frimodig',
    _PAGE])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
@example(_PAGE_NUMBER_BEFORE_A_HEADING)
def test_a_mutated_document_parses_and_keeps_every_letter(text):
    meeting = parse_meeting(text)
    assert record_letters(meeting) == kept_letters(text)
