"""case, show and stats, and their batch modes, over real indexes."""

from __future__ import annotations

import json

import pytest

from trygg_search import casenum
from trygg_search.errors import CaseNumberError
from trygg_search.ingest import ingest

from .conftest import CORPUS, REAL
from .helpers import S2023_03_28, S2023_10_11, ids, indexed, run, run_json

GVI_HISTORY = [f"{S2023_03_28}#4", f"{S2023_03_28}#5", f"{S2023_03_28}#6", f"{S2023_10_11}#26"]


@pytest.mark.parametrize("spelling", [
    "Ks 1113/2021", "KS 1113/2021", "ks1113/2021", "1113/2021", "Dnr Ks 01113/2021",
    "Ärendenummer: Ks 1113/2021", "KS-2021-1113", " ks  1113 / 2021 ",
])
def test_every_spelling_finds_the_case_in_date_order(corpus_index, spelling):
    result, data = run_json(corpus_index, "case", spelling)
    assert result.exit_code == 0
    assert ids(data) == GVI_HISTORY
    assert [h["date"] for h in data["hits"]] == ["2023-03-28"] * 3 + ["2023-10-11"]


def test_case_number_typed_without_quotes(corpus_index):
    result, data = run_json(corpus_index, "case", "Ks", "1113/2021")
    assert result.exit_code == 0 and ids(data) == GVI_HISTORY
    assert data["case_number"] == "Ks 1113/2021"


def test_case_shows_the_decision_or_the_proposal(corpus_index):
    _, data = run_json(corpus_index, "case", "Ks 1113/2021")
    assert data["hits"][0]["decision"].startswith("Kommunledningsförvaltningens förslag")  # a notice: the proposal
    assert data["hits"][-1]["decision"] == "Kommunstyrelsens trygghetsutskott beslutar: - Enligt Kommunledningsförvaltningens förslag."
    human = run(corpus_index, "case", "Ks 1113/2021")
    assert "Beslut:" in human.stdout and "Implementering av GVI Örebro i ordinarie verksamhet" in human.stdout


def test_unknown_case_exits_1_and_text_is_searched_as_text_with_a_note(corpus_index):
    result = run(corpus_index, "case", "Ks 1/1999")
    assert result.exit_code == 1 and "Ks 1/1999" in result.stderr
    result = run(corpus_index, "case", "narkotika")
    assert result.exit_code == 0
    assert "note: 'narkotika' is not a case number: searched as text" in result.stderr
    assert "§ 23" in result.stdout
    result, data = run_json(corpus_index, "case", "narkotikaxyz")
    assert result.exit_code == 1 and data["key"] is None and data["hits"] == [] and data["notes"]


def test_keys():
    assert casenum.parse("Ks 930/2023").key == "ks 930/2023"
    assert casenum.parse("00382/2023").key == "382/2023"
    assert casenum.parse("SLK-2023-00364").key == "slk 364/2023"
    assert casenum.parse("SLK-2023-00226:3").key == "slk 226/2023"
    assert casenum.parse("KS-2023-930").keys() == ("ks 930/2023", "930/2023")
    with pytest.raises(CaseNumberError):
        casenum.parse("2023-10-11")


@pytest.mark.parametrize("spelling, key", [
    ("KS 2017/484", "ks 484/2017"), ("RJL 2016/1288", "rjl 1288/2016"), ("BUN 2018/41", "bun 41/2018"),
    ("KSKF/2014:1", "kskf 1/2014"), ("SÄN/2012:3", "sän 3/2012"), ("Dnr 31/16", "31/2016"),
    ("Dnr 2011/KS 0193 10", "ks 193/2011"), ("(RV180949)", "rv 949/2018"), ("00382/20231.1.7", "382/2023"),
    ("Dnr KS 02-820 107", "ks 820/2002"), ("Dnr 2007-8109", "8109/2007"), ("2010-12343", "12343/2010"), ("Ks 930-2023", "ks 930/2023"), ("Ks 930/23", "ks 930/2023"),
    ("2019/2020", "2019/2020"),
    # the year and number with a dot, glued to the office, and followed by a document number or filing code
    ("Dnr KS 2021.0123", "ks 123/2021"), ("BUN 2020.045", "bun 45/2020"), ("KS2021/123", "ks 123/2021"),
    ("KS 2019/0456-10", "ks 456/2019"), ("2021/123-1.1.2", "123/2021"), ("KS 2021.123 1.1.2.1", "ks 123/2021"),
    ("Dnr SN 2020/45 - 750", "sn 45/2020"), ("KS 930/2023-5", "ks 930/2023"),
])
def test_the_case_number_forms_municipalities_use(spelling, key):
    assert casenum.parse(spelling).key == key


@pytest.mark.parametrize("text", ["Budget 2024-2026", "2024-2026", "2023/2024", "2024/25", "bygg 45/2021",
                                  "Plan 2025/2026"])
def test_words_that_only_look_like_a_case_number_are_none_when_read_strictly(text):
    # In a protocol's words or a query, a span of years or a word and a number is no case number ...
    assert casenum.try_parse(text) is None
    # ... but typed to `trygg-search case` it is read as asked.
    assert casenum.parse(text).number_key


@pytest.mark.parametrize("text, key", [("KS 2024/25", "ks 25/2024"), ("Dnr 2024/25", "25/2024"),
                                       ("Kfn 45/2021", "kfn 45/2021"), ("BYGG 45/2021", "bygg 45/2021"),
                                       ("2024/1234", "1234/2024"), ("Dnr 2023-2024", "2023/2024")])
def test_an_office_or_a_label_makes_it_a_case_number(text, key):
    assert casenum.try_parse(text).key == key


def test_year_first_numbers_are_found_in_running_text():
    assert [c.key for c in casenum.mentions("se KS 2017/484 och BUN 2018/41.")] == ["ks 484/2017", "bun 41/2018"]
    assert [c.key for c in casenum.mentions("enligt dnr KS 229/2021 och SLK-2023-00364, se 2023-10-11")] == [
        "ks 229/2021", "slk 364/2023"]


def test_mentions_are_listed_below_the_filed_paragraphs(tmp_path, corpus_copy):
    extra = corpus_copy / "005_extra.txt"
    extra.write_text(
        "Kommunstyrelsens trygghetsutskott\n\nDatum: 2024-06-01\n\n"
        "§ 40 Uppföljning av narkotikateamet\n\nÄrendenummer: Ks 12/2024\n\n"
        "Ärendebeskrivning\n\nUppföljning av beslutet i ärende dnr KS 930/2023 om narkotikateam.\n",
        encoding="utf-8")
    ingest([str(corpus_copy)], tmp_path / "index")
    _, data = run_json(tmp_path / "index", "case", "930/2023")
    assert ids(data) == [f"{S2023_10_11}#23"]
    assert [h["id"] for h in data["mentioned_in"]] == ["005_extra#40"]


def test_batch_case_one_line_per_input_line(corpus_index):
    lines = ["Ks 1113/2021", "Ks 1/1999", "not a case", "ks 930/2023"]
    result = run(corpus_index, "case", "-", input="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["input"] for o in out] == lines
    assert [o["found"] for o in out] == [True, False, False, True]
    assert [h["id"] for h in out[0]["hits"]] == GVI_HISTORY
    assert "error" in out[2]
    assert result.exit_code == 2  # one line was not a case number


def test_goteborg_case_numbers(tmp_path):
    if not REAL.exists():
        pytest.skip("shared/real-protocols not present")
    ingest([str(REAL)], tmp_path / "index")
    _, data = run_json(tmp_path / "index", "case", "SLK-2023-00226")
    assert [h["paragraph"] for h in data["hits"]] == [3, 4]
    assert [h["case_number"] for h in data["hits"]] == ["SLK-2023-00226:3", "SLK-2023-00226:4"]
    _, data = run_json(tmp_path / "index", "case", "slk-2023-364")
    assert [h["paragraph"] for h in data["hits"]] == [2]


def test_show_a_whole_paragraph(corpus_index):
    result, data = run_json(corpus_index, "show", f"{S2023_10_11}#23")
    assert result.exit_code == 0
    assert data["title"] == "Införande av narkotikateam i Örebro kommun"
    assert data["case_number"] == "Ks 930/2023"
    assert list(data["sections"]) == ["Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Beslut"]
    names = [p["name"] for p in data["present"]]
    assert "Kemal Hoso" in names and "Mats Sjöström" in names
    assert data["meeting"]["chair"] == "Anders Åhrlin"
    human = run(corpus_index, "show", f"{S2023_10_11}#24")
    assert "Kemal Hoso" not in human.stdout and "Ärendenummer: Ks 488/2023" in human.stdout
    assert "Beslutsunderlag" in human.stdout


def test_show_unknown_and_batch(corpus_index):
    result = run(corpus_index, "show", "nope#1")
    assert result.exit_code == 1 and "nope#1" in result.stderr
    result = run(corpus_index, "show", "-", input=f"{S2023_10_11}#22\nnope#1\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["found"] for o in out] == [True, False]
    assert out[0]["paragraph"] == 22


def test_stats(corpus_index):
    result, data = run_json(corpus_index, "stats")
    assert result.exit_code == 0
    assert (data["documents"], data["paragraphs"]) == (5, 45)
    assert (data["date_from"], data["date_to"]) == ("2018-06-19", "2024-04-09")
    assert data["committees"]["Kommunstyrelsens trygghetsutskott"] == 16
    assert data["committees"]["Kommunstyrelsens utskott för socialt förebyggande arbete"] == 9
    assert len(data["committees"]) == 2 and data["without_committee"] == 20  # the agreement's 20 sections
    assert data["case_numbers"] == 16  # 5 + 3 on 2023-10-11 and 2024-04-09, 8 in 2018; Ks 1113/2021 twice
    assert data["schema_version"] >= 1 and data["last_ingest"]
    assert "Paragraphs:" in run(corpus_index, "stats").stdout


def test_a_paragraph_filed_under_several_cases_is_found_under_each(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "ks.txt").write_text(
        "Kommunstyrelsen\n\nDatum: 2024-01-15\n\n§ 5 Samordnad skolskjuts\n\nDnr KS 2018/14, KS 2018/15\n"
        "Dnr BUN 2018/41\n\nBeslut\n\nKommunstyrelsen beslutar enligt förslaget.\n", encoding="utf-8")
    ingest([str(folder)], tmp_path / "index")
    for number in ("KS 2018/14", "ks 15/2018", "BUN 2018/41"):
        result, data = run_json(tmp_path / "index", "case", number)
        assert result.exit_code == 0 and ids(data) == ["ks#5"], number
    _, data = run_json(tmp_path / "index", "parse", folder / "ks.txt")
    assert data["paragraphs"][0]["case_numbers"] == ["KS 2018/14", "KS 2018/15", "BUN 2018/41"]


def test_one_case_spelt_three_ways_in_three_meetings_is_one_history(tmp_path):
    spellings = {"2021-03-02": "Dnr KS 2021.0123", "2021-04-06": "Ärendenummer: KS-2021-123",
                 "2021-05-04": "Dnr: KS 2021/123-1.4.2"}
    indexed(tmp_path, {f"ks-{date}.txt": f"Kommunstyrelsen\n\nDatum: {date}\n\n§ 7 Ny förskola i Norrby\n\n{written}"
                       "\n\nBeslut\n\nKommunstyrelsen beslutar enligt förslaget.\n" for date, written in spellings.items()})
    for typed in ("KS 2021/123", "KS-2021-123", "ks 123/2021", "KS 2021.0123"):
        result, data = run_json(tmp_path / "index", "case", typed)
        assert result.exit_code == 0, typed
        assert [h["date"] for h in data["hits"]] == sorted(spellings), typed
    # typed into a search, the year-first number is a case number too
    result, data = run_json(tmp_path / "index", "search", "KS 2021/0123")
    assert result.exit_code == 0 and len(data["hits"]) == 3


@pytest.mark.parametrize("command, good, found", [
    ("show", f"{S2023_10_11}#22", [True, False, False, False, True, False]),
    ("case", "Ks 930/2023", [True, False, False, False, True, False]),
])
def test_batch_answers_every_line_whatever_its_bytes(corpus_index, command, good, found):
    lines = [good.encode(), b"\xff\xfe latin-1 \xe5\xe4\xf6", b"\x00\x01", "ｋｓ\u200b 930/2023".encode()
             if command == "show" else b"Ks 930/2023 \xff", good.encode(), b"\xc3"]
    result = run(corpus_index, command, "-", input=b"\xef\xbb\xbf" + b"\n".join(lines) + b"\r\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["found"] for o in out] == found
    assert out[1]["input"] == "\ufffd\ufffd latin-1 \ufffd\ufffd\ufffd" and out[0]["input"] == good
    assert out[5]["input"] == "\ufffd"
    assert result.exit_code == (2 if command == "case" else 1)


def batch_lines(index) -> list[str]:
    """Every case key of the index in several spellings, with lines that are no case or no case here."""
    from trygg_search.backends import open_index

    keys = open_index(index).terms("case")
    lines = []
    for k, key in enumerate(keys):
        lines += [key, key.upper()] if k % 3 else [key]
        if k % 5 == 0:
            lines += ["not a case", "Ks 1/1999", ""]
    return lines


def run_piped(location, *args, stdin: str) -> tuple[int, list[dict]]:
    """The command in a process of its own, stdin a file (read in batches, as a script's pipe is)."""
    import subprocess
    import sys
    import tempfile

    from .conftest import ROOT

    with tempfile.TemporaryFile("w+", encoding="utf-8") as f:
        f.write(stdin)
        f.seek(0)
        proc = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(location), *args], stdin=f,
                              capture_output=True, text=True, cwd=ROOT)
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()]


def test_a_batch_read_from_a_file_answers_as_line_by_line(tmp_path):
    """Lines read together (a file, a filled pipe) are answered in few index reads: the same answers, in
    order, as one line at a time."""
    from .conftest import REAL

    folder = tmp_path / "protocols"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("0*_goteborg_*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    ingest([str(folder)], tmp_path / "index")
    lines = batch_lines(tmp_path / "index")
    assert len([line for line in lines if line]) > 40
    code, together = run_piped(tmp_path / "index", "case", "-", stdin="\n".join(lines) + "\n")
    one = run(tmp_path / "index", "case", "-", input="\n".join(lines) + "\n")  # no select: a line at a time
    assert together == [json.loads(line) for line in one.stdout.splitlines()]
    assert code == one.exit_code == 2
    assert [o["input"] for o in together] == [line for line in lines if line]


def test_a_batch_of_ids_read_from_a_file_answers_as_line_by_line(corpus_index):
    from trygg_search.backends import open_index
    from trygg_search.filters import KINDS

    ix = open_index(corpus_index)
    every = [d["id"] for kind in KINDS for d in ix.with_term("kind", kind)]
    lines = every + ["nope#1", every[0], "", f"  {every[1]}  "]
    code, together = run_piped(corpus_index, "show", "-", stdin="\n".join(lines) + "\n")
    one = run(corpus_index, "show", "-", input="\n".join(lines) + "\n")
    assert together == [json.loads(line) for line in one.stdout.splitlines()]
    assert code == one.exit_code == 1  # nope#1
    assert [o["found"] for o in together] == [True] * len(every) + [False, True, True]


def test_a_lookup_record_is_the_search_hit_s_json_without_what_only_a_search_has(corpus_index):
    """Every stored record of the corpus: what case and show print of it is the JSON a search hit of it
    has (Hit.to_dict, the one definition of a hit's fields), without score, snippet, highlights and what
    matched, with the decision where asked; the same keys in the same order."""
    from trygg_search.backends import open_index
    from trygg_search.highlight import hit_from
    from trygg_search.results import lookup_record

    reader = open_index(corpus_index).reader
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    search_only = ("score", "snippet", "highlights", "title_highlights", "matched", "people")
    decided = 0
    for docnum in live:
        stored = reader.stored_fields(docnum)
        hit = hit_from(stored, None, set(), snippet=False)
        expected = {k: v for k, v in hit.to_dict().items() if k not in search_only}
        assert list(lookup_record(stored, decision=False).items()) == list(expected.items())
        expected["decision"] = hit.decision
        assert list(lookup_record(stored).items()) == list(expected.items())
        decided += bool(hit.decision)
    assert len(live) > 40 and decided > 10


def test_case_numbers_in_running_text_are_found_as_the_three_forms_alone_find_them():
    """``casenum.MENTION`` looks ahead for a prefix and a digit before it tries its three forms: against
    the forms without that look, over the corpus, the real protocols and generated text of prefixes,
    numbers, years, spaces, slashes, hyphens and colons, cut at random."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    reference = re.compile(casenum._MENTION_AT + casenum._MENTION)
    assert reference.pattern != casenum.MENTION.pattern

    def found(pattern, text):
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]

    texts = [f.read_text(encoding="utf-8") for f in sorted(CORPUS.glob("*.txt")) + sorted(REAL.rglob("*.txt"))]
    assert sum(bool(found(casenum.MENTION, t)) for t in texts) >= 5
    for text in texts:
        assert found(casenum.MENTION, text) == found(reference, text)

    pieces = st.sampled_from(["KS", "Ks", "ks", "Dnr", "Kommunstyrelsen", "ABCDEFG", "Ö", "é", "2021", "1999",
                              "930", "12", "7", "/", "-", ":", " ", "  ", "\n", ".", "(", ")", "x"])

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(pieces, max_size=14).map("".join), st.integers(0, 3))
    def check(text, cut):
        text = text[cut:]
        assert found(casenum.MENTION, text) == found(reference, text), text

    check()
