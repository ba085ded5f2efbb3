"""People, browsing and output that pipes: what a journalist or a clerk tries first, through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata

import pytest

from trygg_search.protocol import parse_meeting

from .conftest import CORPUS, ROOT
from .helpers import ids, indexed, run, run_json

# A protocol as a clerk writes one: the chair and an adjuster sign, a member takes no part in one § for a
# conflict of interest, a substitute serves for part of the meeting, and one § names a member in its text.
PROTOCOL = """Socialnämnden
Sammanträdesdatum 2024-03-12
Beslutande
Karin Jansson (S), ordförande
Per Lund (M)
Eva Holm (C) §§ 1-2
Anna Berg (V) ersätter Eva Holm (C) § 3
Utses att justera: Per Lund

§ 1 Val av justerare

Per Lund utses att justera protokollet.

§ 2 Budget för hemtjänsten

Handläggare: Lisa Ek

Beslut

Budgeten antas.

§ 3 Bidrag till föreningen Gula Villan

Jäv

Per Lund (M) deltar inte i handläggningen av ärendet på grund av jäv.

Beslut

Bidrag beviljas.
"""

OLDER = """Socialnämnden
Sammanträdesdatum 2023-11-07
Beslutande
Karin Jansson (S), ordförande
Per Lund (M)

§ 41 Yttrande om hemlöshet

Karin Jansson redogör för arbetet mot hemlöshet och föreslår att nämnden antar yttrandet.

Beslut

Yttrandet antas.
"""

OTHER = """Tekniska nämnden
Sammanträdesdatum 2024-01-16
Beslutande
Anna Lund (S), ordförande
Per Berg (M)

§ 5 Gatubelysning

Beslut

Nämnden beslutar om gatubelysning.
"""


@pytest.fixture(scope="module")
def people_index(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("people"), {"sn-2024-03-12.txt": PROTOCOL, "sn-2023-11-07.txt": OLDER,
                                                         "tn-2024-01-16.txt": OTHER})


def test_a_name_finds_the_paragraphs_the_person_took_part_in_and_says_how(people_index):
    result, data = run_json(people_index, "search", "Per Lund", "--limit", "50")
    assert result.exit_code == 0
    # § 3 he took no part in (jäv); the § whose text names him ranks first
    assert ids(data)[0] == "sn-2024-03-12#1"
    paragraphs = [h["id"] for h in data["hits"] if h["kind"] != "front"]
    assert set(paragraphs) == {"sn-2024-03-12#1", "sn-2024-03-12#2", "sn-2024-03-12#3", "sn-2023-11-07#41"}
    # the front pages that list him (and the one naming a Per and a Lund) come after the §§
    assert ids(data)[len(paragraphs):] and all(h["kind"] == "front" for h in data["hits"][len(paragraphs):])
    assert {"sn-2024-03-12#front", "sn-2023-11-07#front"} <= set(ids(data)[len(paragraphs):])
    by_id = {h["id"]: h for h in data["hits"]}
    assert by_id["sn-2024-03-12#1"]["matched"] == ["text", "participant", "adjuster"]
    assert by_id["sn-2024-03-12#2"]["matched"] == ["participant", "adjuster"]
    assert by_id["sn-2024-03-12#2"]["people"] == [{"name": "Per Lund", "as": ["participant", "adjuster"]}]
    assert by_id["sn-2023-11-07#41"]["people"] == [{"name": "Per Lund", "as": ["participant"]}]
    # § 3: he is named in its text (his jäv), not among its people
    assert by_id["sn-2024-03-12#3"]["matched"] == ["text", "adjuster"]


def test_a_name_only_among_the_people_says_so_and_a_name_never_runs_into_the_next(people_index):
    result, data = run_json(people_index, "search", "Eva Holm")
    # the §§ she took part in, then the front page that lists her
    assert ids(data) == ["sn-2024-03-12#1", "sn-2024-03-12#2", "sn-2024-03-12#front"]
    assert data["hits"][0]["matched"] == ["participant"] and data["hits"][2]["matched"] == ["text"]
    assert any("was found among the people of these §§" in n for n in data["notes"])
    human = run(people_index, "search", "Eva Holm")
    assert "matched: Eva Holm (participant)" in human.stdout and "note: 'Eva Holm' was found among" in human.stderr
    _, data = run_json(people_index, "search", "Lisa Ek")  # the officer, named in the § too
    assert ids(data)[0] == "sn-2024-03-12#2" and data["hits"][0]["matched"] == ["text", "officer"]
    assert "notes" not in data
    # "Per Lund" and "Anna Berg" stand next to each other; "Lund Anna" is no name, as a phrase
    result, data = run_json(people_index, "search", '"Lund Anna"')
    assert result.exit_code == 1 and data["total"] == 0
    # Anna Berg served at § 3 only, for Eva Holm
    assert ids(run_json(people_index, "search", '"Anna Berg"')[1]) == ["sn-2024-03-12#3", "sn-2024-03-12#front"]
    assert ids(run_json(people_index, "search", '"Eva Holm"')[1]) == ["sn-2024-03-12#1", "sn-2024-03-12#2",
                                                                     "sn-2024-03-12#front"]


def test_the_words_of_one_name_rank_above_two_people_who_share_them(people_index):
    # Anna Lund and Per Berg sit in the technical committee; Per Lund and Anna Berg in the social one
    _, data = run_json(people_index, "search", "Anna Lund", "--limit", "50")
    assert ids(data)[0] == "tn-2024-01-16#5"
    assert data["hits"][0]["people"] == [{"name": "Anna Lund", "as": ["participant", "chair"]}]


def test_browsing_without_a_query_lists_the_paragraphs_newest_first(people_index):
    result, data = run_json(people_index, "search", "--committee", "socialnämnden")
    assert result.exit_code == 0 and data["total"] == 6
    # newest meeting first, each from its front page on
    assert ids(data) == ["sn-2024-03-12#front", "sn-2024-03-12#1", "sn-2024-03-12#2", "sn-2024-03-12#3",
                         "sn-2023-11-07#front", "sn-2023-11-07#41"]
    assert all(h["score"] == 0 for h in data["hits"])
    result, data = run_json(people_index, "search", "*", "--participant", "Karin Jansson", "-n", "1")
    assert data["total"] == 4 and ids(data) == ["sn-2024-03-12#1"]
    result, data = run_json(people_index, "search", "--from", "2025")
    assert result.exit_code == 1 and data["total"] == 0
    human = run(people_index, "search", "--committee", "teknisk")
    assert human.stdout.startswith("2 records (committee ~ 'teknisk'), newest first")
    result = run(people_index, "search")
    assert result.exit_code == 2 and "give a query, or a filter" in result.stderr


def test_browsing_gives_every_paragraph_of_the_corpus_by_date(corpus_index):
    from trygg_search.sources import read_source

    dated = []
    for path in sorted(CORPUS.glob("*.txt")):
        meeting = parse_meeting(read_source(path).text, str(path))
        dated += [meeting.date or ""] * (len(meeting.paragraphs) + bool(meeting.front))
    result, data = run_json(corpus_index, "search", "*", "--limit", "1000")
    assert data["total"] == len(dated) == len(data["hits"])
    dates = [h["date"] or "" for h in data["hits"]]
    assert dates == sorted(dated, key=lambda d: (d == "", [-ord(c) for c in d]))


def test_option_values_are_read_in_any_unicode_form(people_index):
    nfd = unicodedata.normalize("NFD", "socialnämnden")
    assert nfd != "socialnämnden"
    assert run_json(people_index, "search", "--committee", nfd)[1]["total"] == 6
    assert run_json(people_index, "search", "--participant", "ＫＡＲＩＮ\u200b Jansson")[1]["total"] == 4


def test_piped_output_is_whole_lines_without_padding(corpus_index):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="40")
    out = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(corpus_index), "search", "narkotika",
                          "--limit", "3"], capture_output=True, text=True, env=env)
    _, data = run_json(corpus_index, "search", "narkotika", "--limit", "3")
    lines = out.stdout.splitlines()
    assert out.returncode == 0 and not [line for line in lines if line != line.rstrip()]
    for hit in data["hits"]:  # every title and snippet on a line of its own, whole
        assert f"    {hit['title']}" in lines and f"    {hit['snippet']}" in lines
    assert max(len(line) for line in lines) > 100
    assert "\x1b[" not in out.stdout


def test_color_always_never_and_auto(corpus_index):
    coloured = run(corpus_index, "search", "narkotika", "--color", "always").stdout
    assert "\x1b[" in coloured
    assert "\x1b[" not in run(corpus_index, "--color", "never", "search", "narkotika").stdout
    assert "\x1b[" not in run(corpus_index, "search", "narkotika").stdout  # auto, and no terminal
    assert run(corpus_index, "search", "narkotika", "--color", "sometimes").exit_code == 2


def test_n_is_the_limit_and_other_dash_words_exclude(corpus_index):
    _, data = run_json(corpus_index, "search", "polis", "-n", "2")
    assert len(data["hits"]) == 2 and data["total"] > 2
    _, data = run_json(corpus_index, "search", "polis", "-n3")
    assert len(data["hits"]) == 3
    _, without = run_json(corpus_index, "search", "polis", "-narkotika")
    _, both = run_json(corpus_index, "search", "polis", "narkotika")
    assert without["total"] > 0 and not set(ids(without)) & set(ids(both))
    assert run(corpus_index, "search", "polis", "-n", "0").exit_code == 2


def test_a_recused_member_is_recorded_and_shown(people_index):
    result, data = run_json(people_index, "show", "sn-2024-03-12#3")
    assert result.exit_code == 0
    assert [p["name"] for p in data["present"]] == ["Karin Jansson", "Per Lund", "Anna Berg"]
    (meeting,) = [parse_meeting(PROTOCOL)]
    assert [p.recused for p in meeting.paragraphs] == [(), (), ("Per Lund",)]
    json.dumps(data)


def test_person_shows_one_person_across_the_index(people_index):
    result, data = run_json(people_index, "person", "Per", "Lund")
    assert result.exit_code == 0 and [p["name"] for p in data["people"]] == ["Per Lund"]
    (lund,) = data["people"]
    assert (lund["paragraphs"], lund["recused"], lund["first"], lund["last"]) == (3, 1, "2023-11-07", "2024-03-12")
    assert lund["parties"] == [{"party": "M", "from": "2023-11-07", "to": "2024-03-12"}]
    older, newer = lund["meetings"]
    assert (older["date"], older["roles"], older["paragraphs"], older["recused"]) == ("2023-11-07", ["ledamot"], [41], [])
    assert (newer["date"], newer["roles"], newer["paragraphs"], newer["recused"]) == (
        "2024-03-12", ["ledamot", "adjuster"], [1, 2], [3])
    assert newer["ids"] == ["sn-2024-03-12#1", "sn-2024-03-12#2"]
    human = run(people_index, "person", "Per Lund")
    assert human.stdout.splitlines() == [
        "Per Lund (M): 2 meetings, 3 §§, 2023-11-07 to 2024-03-12",
        "  2023-11-07  Socialnämnden  ledamot  § 41",
        "  2024-03-12  Socialnämnden  ledamot, justerare  §§ 1–2  jäv: § 3",
    ]
    # a surname alone: everyone of that name; a filter narrows the meetings
    _, data = run_json(people_index, "person", "Lund")
    assert [p["name"] for p in data["people"]] == ["Anna Lund", "Per Lund"]
    _, data = run_json(people_index, "person", "Lund", "--committee", "teknisk")
    assert [p["name"] for p in data["people"]] == ["Anna Lund"]
    _, data = run_json(people_index, "person", "Lisa Ek")
    assert data["people"][0]["meetings"][0]["roles"] == ["officer"]
    result = run(people_index, "person", "Zorblax")
    assert result.exit_code == 1 and "nobody named 'Zorblax'" in result.stderr
    assert run(people_index, "person", "--", "--").exit_code == 2
    show = run(people_index, "show", "sn-2024-03-12#3")
    assert "Jäv: Per Lund (took no part)" in show.stdout


def test_ingest_of_nothing_makes_no_index(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "trygg_search", "ingest"], cwd=tmp_path, env=env, capture_output=True,
                         text=True)
    assert out.returncode == 2 and out.stderr.splitlines() == ["trygg-search: corpus: no such file or folder"]
    assert out.stdout == "nothing to index in the paths given: no index was made at ./index\n"
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "empty").mkdir()
    out = subprocess.run([sys.executable, "-m", "trygg_search", "ingest", "empty", "--json"], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 1 and json.loads(out.stdout)["made"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
    search = subprocess.run([sys.executable, "-m", "trygg_search", "search", "polis"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert search.returncode == 2 and "no index at index: run 'trygg-search ingest' first" in search.stderr


def test_the_first_run_says_it_prepares_the_dictionaries(tmp_path, corpus_index):
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "trygg_search", "--index", str(corpus_index), "search", "narkotika"]
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    assert first.returncode == 0
    assert first.stderr.startswith("note: preparing the Swedish dictionaries, once for this installation")
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and again.stderr == "" and again.stdout == first.stdout


def test_shell_completion_is_there_as_documented():
    env = dict(os.environ, PYTHONPATH=str(ROOT), _TRYGG_SEARCH_COMPLETE="bash_source")
    out = subprocess.run([sys.executable, "-m", "trygg_search"], env=env, capture_output=True, text=True)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_TRYGG_SEARCH_COMPLETE=bash_source" in readme
    assert out.returncode == 0 and "_trygg_search_completion" in out.stdout
