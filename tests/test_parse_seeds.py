"""Golden expectations for the seed documents, written by reading them."""

from __future__ import annotations

import pytest

from trygg_search.protocol import parse_meeting
from trygg_search.sources import read_source

from .conftest import SEEDS


def meeting(key):
    path = SEEDS[key]
    return parse_meeting(read_source(path).text, str(path))


def by_number(m):
    return {p.number: p for p in m.paragraphs}


# --- 2023-10-11, Kommunstyrelsens trygghetsutskott ------------------------------------

def test_2023_10_11_header():
    m = meeting("2023-10-11")
    assert m.kind == "protocol"
    assert m.committee == "Kommunstyrelsens trygghetsutskott"
    assert m.date == "2023-10-11"
    assert m.time == "13:15–15:20"
    assert m.place == "Dialogen, Rådhuset"
    assert m.chair == "Anders Åhrlin"
    assert m.secretary == "Robert Lindby"
    assert m.adjusters == ("Susanne Lindholm Henningsson",)


def test_2023_10_11_paragraphs():
    p = by_number(meeting("2023-10-11"))
    assert list(p) == [22, 23, 24, 25, 26]
    assert p[22].title == (
        "Svar på remiss från Utbildningsdepartementet om Samhället mot skolattacker (SOU 2023:28)"
    )
    assert p[23].title == "Införande av narkotikateam i Örebro kommun"
    assert p[24].title == "Effektiv samordning för ökad trygghet (EST), tertialanalys per augusti 2023"
    assert p[25].title == "Samverkansöverenskommelse 2023–2025 mellan lokalpolisområde Örebro och Örebro kommun"
    assert p[26].title == "Implementeringen av gruppvåldsintervention (GVI) Örebro"
    assert [p[n].case_number for n in p] == [
        "Ks 1118/2023", "Ks 930/2023", "Ks 488/2023", "Ks 214/2023", "Ks 1113/2021"
    ]
    assert [p[n].officers for n in p] == [
        ("Anders Edlund",), ("Johanna Sollerman",), ("Erika Pettersson",),
        ("Johanna Sollerman",), ("Johanna Sollerman",),
    ]
    for n in p:
        assert [name for name, _ in p[n].sections] == [
            "Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Beslut"
        ]
    assert p[26].section("Beslut").startswith("Kommunstyrelsens trygghetsutskott beslutar:")
    assert "Presentationen \"GVI Örebro\"" in p[26].section("Beslutsunderlag")


def test_2023_10_11_page_furniture_removed():
    p = by_number(meeting("2023-10-11"))
    for n in (25, 26):
        assert "ÖREBRO Protokoll" not in p[n].text
        assert "5 (5)" not in p[n].text
    assert p[25].section("Beslut").endswith("Enligt Kommunledningsförvaltningens förslag.")


def test_2023_10_11_attendance_per_paragraph():
    p = by_number(meeting("2023-10-11"))
    for n in (22, 23):
        assert "Kemal Hoso" in p[n].participants
    for n in (24, 25, 26):
        assert "Kemal Hoso" not in p[n].participants
    for n in p:  # first as ersättare, then serving in Kemal Hoso's place
        assert "Mats Sjöström" in p[n].participants
        assert "Karolina Wallström" in p[n].participants
        assert "Anders Åhrlin" in p[n].participants
    assert [n for n in p if "Anders Edlund" in p[n].participants] == [22]
    assert [n for n in p if "Erika Pettersson" in p[n].participants] == [24]
    assert [n for n in p if "Karin Hellfeldt" in p[n].participants] == [26]
    assert [n for n in p if "Karl Olsson" in p[n].participants] == [26]


def test_2023_10_11_attendance_records():
    m = meeting("2023-10-11")
    mats = [a for a in m.attendance if a.name == "Mats Sjöström"]
    assert [a.role for a in mats] == ["tjänstgörande ersättare", "närvarande ersättare"]
    assert mats[0].replaces[0].name == "Kemal Hoso"
    assert mats[0].replaces[0].party == "S"
    assert mats[0].replaces[0].paragraphs == (24, 25, 26)
    assert mats[1].paragraphs == (22, 23)
    brantsberg = next(a for a in m.attendance if a.name == "Mats Brantsberg")
    assert (brantsberg.role, brantsberg.title, brantsberg.paragraphs) == ("övrig", "Säkerhetschef", ())
    edlund = next(a for a in m.attendance if a.name == "Anders Edlund")
    assert (edlund.title, edlund.paragraphs) == ("Planerare", (22,))


# --- 2024-04-09 ----------------------------------------------------------------------------

def test_2024_04_09_paragraphs():
    m = meeting("2024-04-09")
    assert (m.committee, m.date, m.time) == ("Kommunstyrelsens trygghetsutskott", "2024-04-09", "09:00–11:20")
    assert m.chair == "Jessica Ekerbring"
    assert m.secretary == "Johan Boklund"
    p = by_number(m)
    assert list(p) == [7, 8, 9, 10, 11]
    assert p[7].case_number is None and p[8].case_number is None
    assert p[9].case_number == "Ks 429/2024"
    assert p[9].officers == ("Angelica Öhrn", "Malin Lindqvist")
    assert p[9].title.startswith("Lägesbild 2023 - Våld i nära relation, hedersrelaterat våld")
    assert p[10].case_number == "Ks 855/2023"
    assert p[11].case_number == "Ks 489/2023"
    assert p[11].title == "Örebro kommuns tertialanalys för perioden september-december år 2023"
    assert p[7].officers == ("Mats Brantsberg",)


def test_2024_04_09_attendance():
    p = by_number(meeting("2024-04-09"))
    assert [n for n in p if "Karolina Wallström" in p[n].participants] == [11]
    assert not any("Anders Åhrlin" in p[n].participants for n in p)
    assert all("Christopher Hedbom Rydaeus" in p[n].participants for n in p)
    assert [n for n in p if "Anna Ekström" in p[n].participants] == [10, 11]
    assert all("Mats Sjöström" in p[n].participants for n in p)  # for Ekström 7–9, for Ståhl 10–11
    assert not any("Helena Ståhl" in p[n].participants for n in p)
    assert [n for n in p if "Mats Brantsberg" in p[n].participants] == [7, 8]


def test_2024_04_09_continuation_line_and_partial():
    m = meeting("2024-04-09")
    mats = next(a for a in m.attendance if a.name == "Mats Sjöström")
    assert [(r.name, r.party, r.paragraphs) for r in mats.replaces] == [
        ("Anna Ekström", "C", (7, 8, 9)), ("Helena Ståhl", "SD", (10, 11)),
    ]
    karolina = next(a for a in m.attendance if a.name == "Karolina Wallström")
    assert karolina.partial and karolina.paragraphs == (11,)


# --- 2023-03-28, the meeting notice ------------------------------------------------------------

def test_notice_items():
    m = meeting("2023-03-28")
    assert m.kind == "notice"
    assert (m.committee, m.date, m.time, m.place) == (
        "Kommunstyrelsens trygghetsutskott", "2023-03-28", "14:00–16:00", "Lagrummet, Rådhuset"
    )
    p = by_number(m)
    assert list(p) == [1, 2, 3, 4, 5, 6]
    assert p[1].title == "Protokolljusterare, kallelse och föredragningslista"
    assert p[2].officers == ("Anders Åhrlin", "Jessica Ekerbring")
    assert p[3].officers == ("Therese Beme",)
    assert [p[n].case_number for n in (4, 5, 6)] == ["Ks 1113/2021"] * 3
    assert p[5].officers == (
        "Björn Eriksson", "Elin Träff", "Sabrina Farblad Jaiem", "Mattias Arnoldsson", "Sofia Byström"
    )
    assert p[6].title == "Implementering av GVI Örebro i ordinarie verksamhet"
    assert p[6].section("Förslag till beslut").startswith("Kommunledningsförvaltningens förslag")
    assert "170% resurs" in p[6].section("Ärendebeskrivning")


# --- the police–municipality agreement ------------------------------------------------------------

def test_agreement_sections():
    m = meeting("agreement")
    assert m.kind == "other"
    assert m.date == "2023-12-11"
    titles = [p.title for p in m.paragraphs]
    assert titles[0] == "Samverkansöverenskommelse 2024-2026"
    for heading in ("Gruppvåldsintervention (GVI)", "Öppen narkotikahandel", "Effektiv samordning för trygghet (EST)",
                    "Sociala insatsgrupper (SIG)", "Trygghetsmätningar", "Uppföljning"):
        assert heading in titles
    assert all(p.number is None for p in m.paragraphs)
    gvi = next(p for p in m.paragraphs if p.title == "Gruppvåldsintervention (GVI)")
    assert "grovt och dödligt våld" in gvi.text
    # "SSPF-" at a line end is joined with its hyphen; a suspended "Tertial- och" is not joined.
    assert any("SSPF-samverkan" in p.text for p in m.paragraphs)
    assert any("Tertial- och årsanalyser" in p.text.replace("\n", " ") for p in m.paragraphs)


# --- 2018-06-19, the predecessor committee ------------------------------------------------------------

def test_2018_06_19():
    m = meeting("2018-06-19")
    assert m.committee == "Kommunstyrelsens utskott för socialt förebyggande arbete"
    assert (m.date, m.time, m.chair, m.secretary) == ("2018-06-19", "13:15–16:00", "Per-Åke Sörman", "Lena Claeson")
    p = by_number(m)
    assert list(p) == list(range(10, 19))
    assert p[12].officers == ("Anna Rolf Björklund",)  # "m.fl." dropped
    assert p[16].officers == ("Christian Cederhag", "Åse Friberg")
    assert p[18].case_number is None
    assert p[13].case_number == "Ks 708/2018"
    assert all("Murad Artin" in p[n].participants for n in p)
    assert [n for n in p if "Ullis Sandberg" in p[n].participants] == [13, 14]
    assert not any("Jessica Ekerbring" in p[n].participants for n in p)
    assert all("Linda Smedberg" in p[n].participants for n in p)
    assert [n for n in p if "Niclas Persson" in p[n].participants] == [10, 11, 12, 13, 14]
    assert [n for n in p if "Åse Friberg" in p[n].participants] == [16]
    murad = next(a for a in m.attendance if a.name == "Murad Artin")
    assert [(r.name, r.paragraphs) for r in murad.replaces] == [
        ("Ullis Sandberg", (10, 11, 12)), ("Karolina Wallström", (13, 14, 15, 16, 17, 18)),
    ]
    gustafsson = next(a for a in m.attendance if a.name == "Thomas Gustafsson")
    assert gustafsson.title == "verksamhetschef" and gustafsson.paragraphs == tuple(range(10, 18))


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_json_record_keys(key):
    data = meeting(key).to_dict()
    assert {"committee", "date", "kind", "attendance", "paragraphs"} <= set(data)
    for p in data["paragraphs"]:
        assert {"paragraph", "title", "case_number", "officers", "participants", "sections", "text"} <= set(p)
        assert p["paragraph"] is None or isinstance(p["paragraph"], int)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_sections_can_be_derived_from_the_text_alone(key):
    from trygg_search.protocol import sections_from_text

    m = meeting(key)
    for p in m.paragraphs:
        assert sections_from_text(p.text, m.kind) == p.sections, p.number


def _meeting(first: int, last: int, extra: str = "") -> str:
    return (f"Kommunstyrelsen\n\nDatum: 2024-0{first % 9 + 1}-10\n\nParagrafer {first}–{last}\n\n"
            + "".join(f"§ {n} Ärende nummer {n}\n\nNämnden beslutar att godkänna ärende {n}.\n\n"
                      for n in range(first, last + 1)) + extra)


def test_meetings_pasted_into_one_file_keep_every_s_past_the_first_declared_range():
    """A year of protocols pasted into one text: the first front page declares §§ 1–3, and the next
    meetings' §§ (4 on) go on from there, each the next number."""
    text = _meeting(1, 3) + _meeting(4, 6) + _meeting(7, 9)
    assert [p.number for p in parse_meeting(text).paragraphs] == list(range(1, 10))
    assert [p.title for p in parse_meeting(text).paragraphs][3] == "Ärende nummer 4"


def test_a_s_sign_past_the_declared_range_that_does_not_go_on_from_it_is_no_heading():
    """The clean text the rule above must not misread: a line that starts with a § number far past the
    declared range (or below it) is text of the § it stands in."""
    for stray in ("§ 9 Övrigt enligt bilaga.\n", "§ 1 Se tidigare beslut.\n"):
        text = _meeting(4, 6, stray)
        paragraphs = parse_meeting(text).paragraphs
        assert [p.number for p in paragraphs] == [4, 5, 6], stray
        assert stray.strip() in paragraphs[-1].text
