"""Decisions as data: who proposed what, how a vote fell, who reserved themselves, read from a §'s text.
Golden records written by reading the Göteborg council protocol, the generated council protocols (as
PDF and Word), and small texts of each form; and texts that must give none."""

from __future__ import annotations

import pytest

from trygg_search.protocol import parse_meeting
from trygg_search.protocol.decisions import read_decisions
from trygg_search.sources import read_source

from . import clean_protocols as generated
from .conftest import REAL

COUNCIL = REAL / "01_goteborg_kommunfullmaktige_2023-10-12.txt"

# § -> [(proposers, parties, kind)], from the council protocol's Yrkanden (every one of its 20 yrkar)
PROPOSALS = {
    8: [(("Karin Pleijel", "Eva Flyborg", "Hans Arby", "Hampus Magnusson", "Patrik Höstmad", "Jörgen Knudtzon",
          "Johan Zandin", "Robert Hammarstrand"), ("MP", "L", "C", "M", "D", "KD", "V", "S"), "bifall"),
        (("Jörgen Fogelklou",), ("SD",), "återremiss")],
    9: [(("Daniel Bernmar", "Emmyly Bönfors", "Karin Pleijel", "Camilla Widman"), ("V", "C", "MP", "S"), "bifall"),
        (("Martin Wannholt",), ("D",), "bifall"),
        (("Axel Josefson", "Jörgen Knudtzon"), ("M", "KD"), "återremiss"),
        (("Ann Catrine Fogelgren",), ("L",), "återremiss"),
        (("Jörgen Fogelklou",), ("SD",), "återremiss")],
    10: [(("Grith Fjeldmose", "Ann-Christine Andersson", "Andreas Hernbo"), ("V", "S", "MP"), "bifall"),
         (("Ann Catrine Fogelgren", "Daniel Augustsson", "Mattias Tykesson", "Kalle Bäck"), ("L", "C", "M", "KD"), "bifall"),
         (("Jörgen Fogelklou",), ("SD",), "bifall")],
    13: [(("Jonas Attenius", "Jenny Broman", "Bosse Parbring"), ("S", "V", "MP"), "bifall"),
         (("Emmyly Bönfors", "Simona Mohamsson", "Kalle Bäck", "Axel Josefson", "Jessica Blixt"),
          ("C", "L", "KD", "M", "D"), "bifall"),
         (("Agneta Kjaerbeck",), ("SD",), "bifall")],
    18: [(("Emma Altenhammar",), ("SD",), "bifall"),
         (("Patrik Höstmad", "Rickard Eriksson", "Jesper Berglund", "Viktoria Tryggvadottir Rolka"), ("D", "M", "V", "S"), "bifall")],
    19: [(("Emma Altenhammar",), ("SD",), "bifall"),
         (("Axel Darvik", "Staffan Lindström", "Henrik Sjöstrand", "Marie Brynolfsson"), ("L", "S", "M", "V"), "bifall")],
    20: [(("Axel Darvik", "Hakan Önal"), ("L", "M"), "bifall"),
         (("Hillevi Werring", "Elisabet Lann", "Lena Ferm", "Anders Moberg", "Patrik Helgeson"), ("MP", "KD", "SD", "S", "V"), "bifall"),
         (("Sabina Music",), ("C",), "bifall")],
}
# § -> [(yes, no, abstained, appendix, outcome)]: its nine votes
VOTES = {
    8: [(72, 9, None, "bilaga 2", "ja")],
    9: [(48, 19, 14, "bilaga 3", "ja"), (48, 9, 24, "bilaga 4", "ja"), (43, 5, 33, "bilaga 5", "ja")],
    10: [(40, 32, 9, "bilaga 6", "ja")],
    13: [(40, 41, None, "bilaga 7", "nej"), (72, 9, None, "bilaga 8", "ja")],
    18: [(70, 9, 2, "bilaga 9", "ja")],
    20: [(53, 19, 9, "bilaga 10", "ja")],
}
# § -> [(parties, written)]: its five reservations
RESERVATIONS = {8: [(("SD",), False)], 9: [(("M", "KD"), False), (("SD",), False), (("L",), False)],
                18: [(("SD",), False)]}
OUTCOMES = {5: "enligt förslag", 8: "enligt förslag", 9: "enligt förslag", 10: "enligt förslag",
            11: "enligt förslag", 12: "enligt förslag", 13: "enligt förslag", 14: "enligt förslag",
            15: "enligt förslag", 16: "enligt förslag", 17: "enligt förslag", 18: "avslag", 19: "avslag", 20: "avslag",
            21: "bordläggning", 22: "bordläggning", 23: "bordläggning", 26: "bordläggning", 27: "bordläggning",
            28: "bordläggning", 29: "bordläggning"}


def _proposals(d):
    return [(tuple(p.name for p in x.by), x.parties, x.kind) for x in d.proposals]


def _votes(d):
    return [(v.yes, v.no, v.abstained, v.appendix, v.outcome) for v in d.votes]


def _reservations(d):
    return [(r.parties, r.written) for r in d.reservations]


@pytest.fixture(scope="module")
def council():
    if not COUNCIL.exists():
        pytest.skip(f"{COUNCIL} not present")
    return {p.number: p.decisions for p in parse_meeting(read_source(COUNCIL).text).paragraphs}


def test_every_proposal_vote_and_reservation_of_the_council_protocol(council):
    assert {n: _proposals(d) for n, d in council.items() if d.proposals} == PROPOSALS
    assert {n: _votes(d) for n, d in council.items() if d.votes} == VOTES
    assert {n: _reservations(d) for n, d in council.items() if d.reservations} == RESERVATIONS
    assert {n: d.outcome for n, d in council.items() if d.outcome} == OUTCOMES
    assert sum(len(d.notes) for d in council.values()) == 0
    assert council[9].votes[0].proposition == ("Ja för avslag och Nej för bifall till återremissyrkandet med motiv "
                                               "från Axel Josefson och Jörgen Knudtzon")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The generated council protocols (three seeds) as PDF and Word, parsed, with their truth."""
    out = []
    folder = tmp_path_factory.mktemp("council")
    for first in (0, 100, 500):
        for spec in generated.corpus(first):
            if spec.layout != "council":
                continue
            for kind, write in (("pdf", generated.write_pdf), ("docx", generated.write_docx)):
                path = folder / f"{spec.name}-{first}.{kind}"
                write(spec, path)
                out.append((path, generated.truth(spec)["decisions"], parse_meeting(read_source(path).text)))
    return out


def test_the_generated_council_protocols_give_their_decisions_as_pdf_and_word(rendered):
    assert len(rendered) == 6
    for path, truth, meeting in rendered:
        got = {p.number: p.decisions for p in meeting.paragraphs}
        assert {n for n, d in got.items() if d.proposals} == set(truth), path.name
        for number, want in truth.items():
            d = got[number]
            assert [(tuple(p.name for p in x.by), x.parties, x.kind) for x in d.proposals] == want["proposals"], (path.name, number)
            assert [(v.yes, v.no, v.abstained, v.appendix, v.outcome) for v in d.votes] == want["votes"], (path.name, number)
            assert _reservations(d) == want["reservations"], (path.name, number)
            assert [(x.kind, x.parties) for x in d.notes] == want["notes"], (path.name, number)
            assert d.outcome == want["outcome"], (path.name, number)


def test_a_roll_call_gives_each_vote_and_the_counts():
    text = ("Omröstning\nGodkänd voteringsproposition: ”Ja för avslag och Nej för bifall”.\n"
            "Anna Ek (S), Per Berg (V) och ordföranden Lisa Holm (S) röstar Ja (3).\n"
            "Karl Lund (M) och tjänstgörande ersättaren Eva Sten (KD) röstar Nej (2).\n")
    d = read_decisions(text)
    assert _votes(d) == [(3, 2, None, None, "ja")]
    assert [(r.name, r.party, r.vote) for r in d.votes[0].roll_call] == [
        ("Anna Ek", "S", "ja"), ("Per Berg", "V", "ja"), ("Lisa Holm", "S", "ja"), ("Karl Lund", "M", "nej"),
        ("Eva Sten", "KD", "nej")]
    assert d.votes[0].proposition == "Ja för avslag och Nej för bifall"


@pytest.mark.parametrize("text, want", [
    ("Socialdemokraterna yrkar bifall till förslaget.", [((), ("S",), "bifall")]),
    ("Ledamöterna från S, V och MP yrkar avslag på motionen.", [((), ("S", "V", "MP"), "avslag")]),
    ("Anna Ek (kd) yrkar att ärendet återremitteras.", [(("Anna Ek",), ("KD",), "återremiss")]),
    ("Per Berg (SPI) yrkar följande tillägg: att nämnden återkommer.", [(("Per Berg",), ("SPI",), "tillägg")]),
    ("Anna Ek (S) yrkade att punkt 3 ändras till ”senast 2025”.", [(("Anna Ek",), ("S",), "ändring")]),
    ("Kommunstyrelsen yrkar inget.", []),
    ("Förvaltningen föreslår att nämnden yrkar avslag i sitt yttrande till länsstyrelsen.", []),
])
def test_the_forms_of_a_proposal(text, want):
    assert _proposals(read_decisions(text)) == want


@pytest.mark.parametrize("text, want", [
    ("Karin Pleijel (MP) reserverar sig skriftligt mot beslutet.", [(("MP",), True)]),
    ("Ledamöterna för M och KD reserverade sig mot beslutet.", [(("M", "KD"), False)]),
    ("Anna Ek (S) anmäler reservation mot beslutet, bilaga 4.", [(("S",), True)]),
    ("Nämnden noterar att ingen reservation har lämnats.", []),
])
def test_the_forms_of_a_reservation(text, want):
    assert _reservations(read_decisions(text)) == want


@pytest.mark.parametrize("text, want", [
    ("Omröstningsresultat: 7 ja-röster mot 4 nej-röster, 2 avstår. Röstlängd framgår av bilaga 3.",
     [(7, 4, 2, "bilaga 3", "ja")]),
    ("Med 5 ja mot 5 nej och ordförandens utslagsröst bifalls förslaget.", [(5, 5, None, None, "lika")]),
    ("Budgeten omfattar 12 ja-sägare och 40 nejsägare i enkäten.", []),
])
def test_the_forms_of_a_vote(text, want):
    assert _votes(read_decisions(text)) == want


@pytest.mark.parametrize("text, outcome", [
    ("Beslut\nÄrendet återremitteras till förvaltningen.", "återremiss"),
    ("Beslut\nÄrendet bordläggs.", "bordläggning"),
    ("Beslut\nMotionen avslås.", "avslag"),
    ("Beslut\nMedborgarförslaget bifalls.", "bifall"),
    ("Beslut\nEnligt arbetsutskottets förslag.", "enligt förslag"),
    ("Beslut\nInformationen antecknas.", None),
    ("Tidigare behandling\nÅterremitterat den 8 december 2022.\nBeslut\nRapporten antecknas.", None),
])
def test_the_outcome_is_read_from_the_decision(text, outcome):
    meeting = parse_meeting(f"Socialnämnden\nSammanträdesdatum 2024-03-12\n\n§ 1 Ärendet\n\n{text}\n")
    assert meeting.paragraphs[0].decisions.outcome == outcome


# --- the decisions in the index: filters, show, stats ---------------------------------------------------

@pytest.fixture(scope="module")
def goteborg_index(tmp_path_factory):
    from trygg_search.ingest import ingest

    files = sorted(REAL.glob("0*_goteborg_*.txt"))
    if not files:
        pytest.skip(f"{REAL} not present")
    folder = tmp_path_factory.mktemp("gbg")
    for path in files:
        (folder / path.name).write_bytes(path.read_bytes())
    index = folder / "index"
    ingest([str(folder)], index)
    meetings = {path.stem: parse_meeting(read_source(path).text) for path in files}
    return index, meetings


def _ids(meetings, keep) -> set[str]:
    return {f"{stem}#{p.number}" for stem, m in meetings.items() for p in m.paragraphs if keep(p.decisions)}


def test_the_decision_filters_find_the_paragraphs_the_records_name(goteborg_index):
    from .helpers import run_json

    index, meetings = goteborg_index
    cases = [
        (["--reserved-by", "SD"], lambda d: any("SD" in r.parties for r in d.reservations)),
        (["--reserved-by", "Jörgen Fogelklou"], lambda d: any(p.name == "Jörgen Fogelklou" for r in d.reservations for p in r.by)),
        (["--proposed-by", "KD"], lambda d: any("KD" in x.parties for x in d.proposals)),
        (["--proposed-by", "Fogelklou"], lambda d: any(p.name.endswith("Fogelklou") for x in d.proposals for p in x.by)),
        (["--voted"], lambda d: bool(d.votes)),
        (["--outcome", "avslag"], lambda d: d.outcome == "avslag"),
        (["--voted", "--outcome", "enligt förslag"], lambda d: bool(d.votes) and d.outcome == "enligt förslag"),
        (["reserved:L OR reserved:KD"], lambda d: any({"L", "KD"} & set(r.parties) for r in d.reservations)),
    ]
    for options, keep in cases:
        want = _ids(meetings, keep)
        result, data = run_json(index, "search", "--limit", "500", *options)
        assert want and result.exit_code == 0, options
        assert {h["id"] for h in data["hits"]} == want and data["total"] == len(want), options
    result, data = run_json(index, "search", "budget", "--reserved-by", "SD")
    assert [h["id"] for h in data["hits"]] == ["02_goteborg_kommunstyrelsen_2024-05-08#393"]
    assert run_json(index, "search", "--reserved-by", "C")[0].exit_code == 1  # C reserved itself nowhere
    assert run_json(index, "search", "--outcome", "vinst")[0].exit_code == 2


def test_stats_by_party_counts_the_paragraphs_of_each_party(goteborg_index):
    from .helpers import run_json

    index, meetings = goteborg_index
    decisions = [p.decisions for m in meetings.values() for p in m.paragraphs]
    parties = {x for d in decisions for item in (*d.proposals, *d.reservations) for x in item.parties}
    want = {party: {"proposed": sum(any(party in x.parties for x in d.proposals) for d in decisions),
                    "reserved": sum(any(party in r.parties for r in d.reservations) for d in decisions)}
            for party in parties}
    result, data = run_json(index, "stats", "--by", "party")
    assert result.exit_code == 0
    assert {row["party"]: {"proposed": row["proposed"], "reserved": row["reserved"]} for row in data["parties"]} == want
    assert data["parties"][0] == {"party": "SD", "proposed": want["SD"]["proposed"], "reserved": 5}
    result, data = run_json(index, "stats", "--by", "party", "--committee", "kommunfullmäktige")
    council = [p.decisions for p in meetings["01_goteborg_kommunfullmaktige_2023-10-12"].paragraphs]
    assert {row["party"]: row["reserved"] for row in data["parties"]} == {
        party: sum(any(party in r.parties for r in d.reservations) for d in council)
        for party in parties if any(party in x.parties for d in council for x in (*d.proposals, *d.reservations))}
    assert run_json(index, "stats", "--committee", "x")[0].exit_code == 2  # filters only with --by party


def test_show_prints_the_decisions_and_json_carries_them(goteborg_index):
    from .helpers import run, run_json

    index, _ = goteborg_index
    out = run(index, "show", "01_goteborg_kommunfullmaktige_2023-10-12#9").stdout
    assert "Omröstning: 48–19, 14 abstained (bilaga 3): Ja för avslag" in out
    assert "Yrkande: Axel Josefson (M), Jörgen Knudtzon (KD): återremiss" in out
    assert "Reservation: M, KD" in out and "Utfall: enligt förslag" in out
    _, data = run_json(index, "show", "01_goteborg_kommunfullmaktige_2023-10-12#8")
    assert [(v["yes"], v["no"], v["appendix"]) for v in data["decisions"]["votes"]] == [(72, 9, "bilaga 2")]
    _, data = run_json(index, "person", "Jörgen Fogelklou")
    (person,) = data["people"]
    assert person["reservations"] == 2 and person["proposals"] == 8


def _any_case(word: str):
    from hypothesis import strategies as st

    return st.tuples(*[st.sampled_from(sorted({c, c.upper(), {"i": "ı", "s": "ſ", "k": "\u212a"}.get(c, c),
                                               {"i": "İ", "å": "\u212b"}.get(c, c)})) for c in word]).map("".join)


def test_the_decision_words_are_found_as_the_case_blind_pattern_finds_them():
    """``says_a_decision_word`` (substring search in the lowered text) against re's IGNORECASE, over texts
    of the words in every case and the letters re and str.lower() fold apart (ı, İ, ſ, the Kelvin and
    Ångström signs), cut and joined at random."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from trygg_search.protocol.decisions import _SAID, says_a_decision_word

    pattern = re.compile("|".join(_SAID), re.IGNORECASE)
    pieces = st.one_of(st.sampled_from(_SAID).flatmap(_any_case), st.text(max_size=4),
                       st.sampled_from(["ı", "İ", "ſ", "\u212a", "\u212b", "ß", " ", "\n"]))

    @settings(max_examples=1500, deadline=None)
    @given(st.lists(pieces, max_size=8).map("".join), st.integers(0, 3))
    def check(text, cut):
        text = text[cut:]
        assert says_a_decision_word(text) == (pattern.search(text) is not None), text

    check()
