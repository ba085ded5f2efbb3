"""The 45 excerpts of other municipalities' protocols (../shared/real-protocols/more): what each one holds.

Each file's name gives its body and its date as the protocol states them
(SOURCES.md; ``odaterat``: the excerpt holds no date).  What the parser
reads must be right: a committee or a date taken from the text is never
wrong, whatever it cannot find; and the share it finds may only grow.  No
§ or section is ever titled by a document site's wrapper text.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from trygg_search.parse import parse_meeting
from trygg_search.sources import read_source

from .conftest import REAL

MORE = REAL / "more"
# Where a protocol names its body otherwise than the file name, as read in the document:
OWN_NAMES = {"09": "osthammars-socialnamnd"}  # "Östhammars socialnämnd Sammanträdesdatum"
WRAPPER = re.compile(r"storlek: px|starta visningen|download \"|transkript|save this pdf|no results found|"
                     r"full text|academic year|copied!|ladda ner", re.IGNORECASE)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _excerpts():
    files = sorted(MORE.glob("[0-9][0-9]_*.txt"))
    if not files:
        pytest.skip(f"{MORE} not present (the shared folder lies beside the checkout in CI)")
    for path in files:
        m = re.match(r"(?P<n>\d+)_(?P<place>[^_]+)_(?P<body>[^_]+)_(?P<date>[^_.]+)", path.name)
        date = m.group("date") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.group("date")) else None
        yield path, m.group("n"), OWN_NAMES.get(m.group("n"), m.group("body")), date


@pytest.fixture(scope="module")
def parsed():
    return [(path, n, body, date, parse_meeting(read_source(path).text, str(path))) for path, n, body, date in _excerpts()]


def test_a_committee_read_from_the_text_is_the_body_that_met(parsed):
    found = 0
    for path, _, body, _, meeting in parsed:
        if meeting.committee:
            found += 1
            assert _slug(meeting.committee) == body, (path.name, meeting.committee)
    assert found >= 37, found  # of 45: the others name no body in their excerpt, or only in a way not read yet


def test_a_date_read_from_the_text_is_the_meeting_date(parsed):
    found = 0
    for path, _, _, date, meeting in parsed:
        if meeting.date_source == "text":
            found += 1
            assert meeting.date == date, (path.name, meeting.date, date)  # never a date for an undated excerpt
        elif meeting.date:
            assert meeting.date_source == "file name", path.name
    assert found >= 24, found


def test_no_paragraph_or_section_is_titled_by_a_sites_wrapper(parsed):
    for path, _, _, _, meeting in parsed:
        for p in meeting.paragraphs:
            assert not WRAPPER.search(p.title), (path.name, p.title)
        assert not (meeting.committee and WRAPPER.search(meeting.committee)), path.name


def test_parse_says_what_it_could_not_find(parsed):
    for path, _, _, _, meeting in parsed:
        data = meeting.to_dict()
        assert set(data["missing"]) <= {"date", "committee", "paragraphs", "attendance"}
        assert ("committee" in data["missing"]) == (not meeting.committee), path.name
        assert ("date" in data["missing"]) == (meeting.date_source != "text"), path.name


# Attendance as these protocols write it, read from the documents: several names on a line, parties
# after a comma, substitutes with "istf", "ersättare för", "tjänstgörande ersättare för".
ATTENDANCE = {
    "04": [("Leif Persson", "S", None), ("Björn Mårtensson", "S", "Roland Bäckman"), ("Leif Hansen", "SRD", None)],
    "10": [("Jannike Hillding", "M", None), ("Marcus Danielsson", "SD", None), ("Carina Fröberg", "S", None)],
    "18": [("Carl-Gustaf Dybeck", "M", "Leif Carlsson"), ("Susanne Wismen", "KD", None)],
    "29": [("Gudrun Augustsson", "C", "Niklas Hellström")],
}


@pytest.mark.parametrize("number", sorted(ATTENDANCE))
def test_attendance_in_the_forms_these_protocols_use(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    people = {a.name: a for a in meeting.attendance}
    for name, party, replaces in ATTENDANCE[number]:
        assert name in people, (number, name, list(people))
        assert people[name].party == party
        assert [r.name for r in people[name].replaces] == ([replaces] if replaces else [])


def test_attendance_is_found_in_most_excerpts_that_have_a_list(parsed):
    assert sum(1 for *_, m in parsed if m.attendance) >= 30


# Agendas as these bodies publish them, read from the documents: the item number alone on its line
# (" 1. 4." a list index and the item, or "4"), the title on the next line.
AGENDAS = {
    "05": [(1, "Inledning och upprop"), (2, "Kungörelse och annonsering"), (3, "Justering")],
    "06": [(2, "Sammanträdets öppnande"), (3, "Upprop"), (4, "Val av justerare samt tid för justering")],
}


@pytest.mark.parametrize("number", sorted(AGENDAS))
def test_agendas_are_notices_with_their_items(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    assert meeting.kind == "notice"
    assert [(p.number, p.title) for p in meeting.paragraphs][: len(AGENDAS[number])] == AGENDAS[number]


def test_a_contents_list_gives_titles_and_case_numbers_to_the_paragraphs_it_lists():
    text = ("Kommunstyrelsen\n\nDatum: 2024-01-15\nParagrafer 62-63\n\nInnehållsförteckning\n"
            "62 Dnr KS 2018/14 Samordnad skolskjuts ........ 3\n63 Dnr KS 2018/20 Budget 2019 ......... 4\n\n"
            "§ 62\n\nBeslut\n\nBifall.\n\n§ 63 Budget 2019\n\nDnr KS 2018/20\n\nBeslut\n\nBifall.\n")
    m = parse_meeting(text)
    assert [(p.number, p.title, p.case_number) for p in m.paragraphs] == [
        (62, "Samordnad skolskjuts", "KS 2018/14"), (63, "Budget 2019", "KS 2018/20")]
