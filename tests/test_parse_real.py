"""Göteborg's protocols: another municipality's layout, with page furniture left in."""

from __future__ import annotations

import re

from trygg_search.protocol import parse_meeting
from trygg_search.sources import read_source

from .conftest import real_protocol

FURNITURE = ["Göteborgs Stad Stadsledningskontoret protokoll", "Protokoll nr 9", "Sammanträdesdatum", "\f"]


def parsed(name):
    path = real_protocol(name)
    return parse_meeting(read_source(path).text, str(path))


def test_kommunfullmaktige_every_paragraph():
    m = parsed("01_goteborg_kommunfullmaktige_2023-10-12.txt")
    assert m.kind == "protocol"
    assert m.committee == "Kommunfullmäktige"
    assert m.date == "2023-10-12"
    p = {x.number: x for x in m.paragraphs}
    assert list(p) == list(range(1, 30))
    assert p[1].title == "Bestämmande av tid för justering"
    assert p[1].case_number is None and p[24].case_number is None
    assert p[2].case_number == "SLK-2023-00364"
    assert p[3].case_number == "SLK-2023-00226:3"
    assert p[4].case_number == "SLK-2023-00226:4"
    assert p[24].title == "Förteckning över anmälningsärenden"
    assert p[9].title == "Hemställan från Göteborgs Stads Parkering AB avseende Skeppsbrogaraget"
    assert [s for s, _ in p[9].sections][:3] == ["Beslut", "Handling", "Yrkanden"]
    assert "Omröstning" in dict(p[9].sections)


def test_kommunfullmaktige_no_page_furniture():
    m = parsed("01_goteborg_kommunfullmaktige_2023-10-12.txt")
    for para in m.paragraphs:
        for bad in FURNITURE:
            assert bad not in para.text, (para.number, bad)
        assert not re.search(r"^\d+ \(68\)$", para.text, re.M), para.number
        assert not re.search(r"^Kommunfullmäktige$", para.text, re.M), para.number


def test_kommunstyrelsen_every_paragraph():
    m = parsed("02_goteborg_kommunstyrelsen_2024-05-08.txt")
    p = {x.number: x for x in m.paragraphs}
    assert list(p) == list(range(379, 423))
    assert m.date == "2024-05-08"  # from the file name: the text has no header
    assert m.committee == "Kommunstyrelsen"  # nor a running head: the body that decides ("Kommunstyrelsen beslutar")
    assert p[379].title == "Val av justerare"
    assert p[379].case_number == "SLK-2024-00062"
    assert p[403].case_number == "SLK-2023-00089"  # a line "§ 150, den 6 mars ..." inside it is no heading
    assert "§ 150, den 6 mars 2024" in p[403].text
    assert "Jäv" in dict(p[396].sections)
    assert all(x.case_number and x.case_number.startswith("SLK-") for x in m.paragraphs)
