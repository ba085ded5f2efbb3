"""The parser on clean protocols as users have them, PDF and Word: the generated protocols of
``tests/clean_protocols.py`` in five layouts, each compared exactly with the specification it was made from.

The same generator with other seeds makes protocols the parser's rules were never looked at against
(``held_out``); they must read as well.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from trygg_search.protocol import parse_meeting
from trygg_search.sources import read_source

from .clean_protocols import corpus, truth, write_docx, write_pdf
from .test_nothing_lost import kept_letters, record_letters

FORMATS = {"pdf": write_pdf, "docx": write_docx}
SPECS = corpus() + corpus(first=700)  # the second: seeds no rule was looked at against


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """(spec, format) -> (the document's text, its parsed meeting)."""
    folder = tmp_path_factory.mktemp("clean")
    out = {}
    for s in SPECS:
        for fmt, write in FORMATS.items():
            path = folder / f"{s.name}.{fmt}"
            write(s, path)
            text = read_source(path).text
            out[s.name, fmt] = (text, parse_meeting(text, str(path)))
    return out


CASES = [(s, fmt) for s in SPECS for fmt in FORMATS]


def _id(case) -> str:
    return f"{case[0].name}.{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_paragraph_with_its_title_and_case_number(parsed, case):
    s, fmt = case
    _, meeting = parsed[s.name, fmt]
    got = [(p.number, p.title, p.case_number) for p in meeting.paragraphs]
    assert got == truth(s)["paragraphs"]


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_the_front_page(parsed, case):
    s, fmt = case
    _, meeting = parsed[s.name, fmt]
    want = truth(s)
    assert (meeting.committee, meeting.date, meeting.date_source) == (want["committee"], want["date"], "text")
    assert (meeting.chair, meeting.secretary, list(meeting.adjusters)) == (
        want["chair"], want["secretary"], want["adjusters"])
    assert {a.name: a.party for a in meeting.attendance} == want["attendance"]


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_who_took_part_in_each_paragraph(parsed, case):
    s, fmt = case
    _, meeting = parsed[s.name, fmt]
    got = {p.number: sorted(p.participants) for p in meeting.paragraphs}
    assert got == {n: sorted(names) for n, names in truth(s)["participants"].items()}
    recused = {p.number: list(p.recused) for p in meeting.paragraphs if p.recused}
    assert recused == {p.number: [p.recused] for p in s.paragraphs if p.recused}


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_word_is_in_a_record(parsed, case):
    text, meeting = parsed[case[0].name, case[1]]
    assert record_letters(meeting) == kept_letters(text)


@pytest.mark.parametrize("s", SPECS, ids=lambda s: s.name)
def test_a_pdf_and_a_word_file_of_one_protocol_are_one_meeting(parsed, s):
    """The same meeting from both: header, attendance and every § but for where lines wrap (and the
    furniture: a PDF repeats its running head on each page, a Word file keeps it in the page header)."""
    def read(meeting):
        return replace(meeting, source=None, front="", removed=(), paragraphs=tuple(
            replace(p, text=" ".join(p.text.split()), sections=tuple((k, " ".join(v.split())) for k, v in p.sections))
            for p in meeting.paragraphs))

    assert read(parsed[s.name, "pdf"][1]) == read(parsed[s.name, "docx"][1])
