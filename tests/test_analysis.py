"""The Swedish chain: compounds, acronyms, å/ä/ö fallback, analyze and --explain, through real indexes."""

from __future__ import annotations

import json

from trygg_search.analysis import analyze, stem
from trygg_search.acronyms import mine
from trygg_search.compounds import split
from trygg_search.ingest import ingest

from .helpers import AGREEMENT, S2018_06_19, S2023_10_11, ids, indexed, run, run_json


def test_compound_parts_share_the_position_and_have_their_own_spans():
    text = "Öppen narkotikahantering"
    terms = analyze(text)
    whole = next(t for t in terms if not t.part and text[t.start:t.end] == "narkotikahantering")
    parts = [t for t in terms if t.part]
    assert [text[t.start:t.end] for t in parts] == ["narkotika", "hantering"]
    assert all(t.position == whole.position for t in parts)


def test_linking_letters_and_dropped_vowels():
    assert [p for p, _, _ in split("trygghetsutskott")] == ["trygghet", "utskott"]
    assert [p for p, _, _ in split("brottsförebyggande")] == ["brotts", "förebyggande"] or \
        [p for p, _, _ in split("brottsförebyggande")] == ["brott", "förebyggande"]
    parts = split("skolattacker")
    assert stem(parts[0][0]) == stem("skola") and parts[0][1:] == (0, 4)


def _parts(word: str) -> list[str]:
    return [word[a:b] for _, a, b in split(word)]


def test_compounds_split_by_the_dictionary_recursively_into_real_words():
    # Written by reading the words: the parts a Swedish reader sees.
    assert _parts("lokalpolisområde") == ["lokal", "polis", "område"]
    assert _parts("kommunledningsförvaltningen") == ["kommun", "ledning", "förvaltningen"]
    assert _parts("grundskolan") == ["grund", "skolan"]
    assert _parts("kommunstyrelsen") == ["kommun", "styrelsen"]
    assert _parts("trygghetsvandring") == ["trygghet", "vandring"]
    # an unknown compound: split at a linking s between known words
    assert _parts("sprängämnesprekursorer")[-1] == "prekursorer"
    assert _parts("gruppvåldsintervention") == ["grupp", "våld", "intervention"]
    # no part that is not a word, or a three-letter head of a lexicalised word
    for word in ("styrelse", "ordförande", "information", "förvaltning", "hemlöshet"):
        assert split(word) == (), word
    for word in ("handläggare", "kommunstyrelsen", "lokalpolisområde", "socialnämnden"):
        for part in _parts(word):
            assert len(part) >= 3 and part not in ("els", "läg", "gar", "kommu", "kolan"), (word, part)


def test_a_part_of_a_compound_finds_it_and_a_name_stays_whole():
    text = ("Ett möte med lokalpolisområdet och kommunledningsförvaltningen om sprängämnesprekursorer. "
            "Eleverna på Långbrottskolan, familjen Grimhage och Skeppsbrogaraget. Kommunstyrelsen beslutar. "
            "Ärendet gick till Kommunstyrelsen och Socialnämnden.")
    terms = {t.term for t in analyze(text)}
    for word in ("polis", "förvaltning", "sprängämnen", "ledning", "nämnd", "styrelse"):
        assert set(analyze(word, parts=False)) and {t.term for t in analyze(word, parts=False)} <= terms, word
    for word in ("brott", "Haga", "hage", "garage", "garaget", "bro"):
        assert not {t.term for t in analyze(word, parts=False)} & terms, word


def test_a_capitalised_stop_word_is_a_name_in_a_query():
    from trygg_search.analysis import query_terms

    assert query_terms("Hans Löhman") == [stem("hans"), stem("löhman")]
    assert query_terms("Maj Per Bo") == [stem("maj"), stem("per"), stem("bo")]
    assert query_terms("hans bil") == [stem("bil")]  # a stop word in lower case is one


def test_no_false_parts():
    for word, false_part in [("information", "format"), ("region", "regi"), ("förslag", "slag")]:
        assert stem(false_part) not in {t.term for t in analyze(word)}


def test_a_part_finds_the_compound_and_highlights_the_part(corpus_index):
    _, data = run_json(corpus_index, "search", "hantering")
    hit = next(h for h in data["hits"] if h["id"] == f"{S2023_10_11}#23")
    marked = [hit["snippet"][a:b] for a, b in hit["highlights"]]
    assert "hantering" in marked  # the part inside "narkotikahantering"
    assert all(m.lower() == "hantering" for m in marked)


def test_format_is_not_found_inside_information(corpus_index):
    _, data = run_json(corpus_index, "search", "format", "--limit", "50")
    informed = [h for h in data["hits"] if "information" in (h["title"] + h["snippet"]).lower()]
    for hit in informed:
        for a, b in hit["highlights"]:
            assert "information" not in hit["snippet"][a:b].lower()
    # Snowball itself gives "format" and "form" one stem; information is never split to reach it.
    _, info = run_json(corpus_index, "search", "information", "--limit", "50")
    assert info["total"] > len([h for h in data["hits"] if h["id"] in set(ids(info))])


def test_acronyms_are_mined_in_every_form():
    pairs = set()
    for text in ["implementeringen av gruppvåldsintervention (GVI) Örebro",
                 "ANDTS (Alkohol, narkotika, Doping, Tobak, Spel)",
                 "inom GVI – Gruppvåldsintervention.",
                 "Kommunpoliser som samordnar EST2, ANDTS3.\n2 Effektiv Samordning för Trygghet.\n",
                 "samverkan mellan skola, socialtjänst, polis och fritid (SSPF) upparbetas",
                 "Helena Ståhl (SD) och Kemal Hoso (S)"]:
        pairs.update(mine(text))
    assert ("gvi", "gruppvåldsintervention") in pairs
    assert ("andts", "alkohol narkotika doping tobak spel") in pairs
    assert ("est", "effektiv samordning för trygghet") in pairs
    assert ("sspf", "skola socialtjänst polis och fritid") in pairs
    assert not any(a in ("sd", "s") for a, _ in pairs)


def test_acronym_expands_both_ways(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "def.txt").write_text(
        "Utskottet\n\nDatum: 2024-01-01\n\n§ 1 Definition\n\nÄrendebeskrivning\n\n"
        "Arbetet med gruppvåldsintervention (GVI) fortsätter.\n", encoding="utf-8")
    (corpus / "long.txt").write_text(
        "Utskottet\n\nDatum: 2024-02-01\n\n§ 2 Långt\n\nÄrendebeskrivning\n\n"
        "Gruppvåldsintervention har utvärderats.\n", encoding="utf-8")
    (corpus / "short.txt").write_text(
        "Utskottet\n\nDatum: 2024-03-01\n\n§ 3 Kort\n\nÄrendebeskrivning\n\nGVI har utvärderats.\n", encoding="utf-8")
    ingest([str(corpus)], tmp_path / "ix")
    _, acronym = run_json(tmp_path / "ix", "search", "GVI")
    assert set(ids(acronym)) == {"def#1", "long#2", "short#3"}
    _, long_form = run_json(tmp_path / "ix", "search", "gruppvåldsintervention")
    assert set(ids(long_form)) == {"def#1", "long#2", "short#3"}


def test_gvi_on_the_corpus_finds_paragraphs_that_spell_it_out(corpus_index):
    _, data = run_json(corpus_index, "search", "GVI", "--limit", "20")
    assert f"{S2023_10_11}#26" in ids(data)[:2] and f"{AGREEMENT}#s8" in ids(data)[:2]


def test_without_swedish_letters(corpus_index):
    result, data = run_json(corpus_index, "search", "bosattningar")
    assert result.exit_code == 0
    assert data["showing_results_for"] == "bosättningar"
    assert ids(data) == [f"{S2018_06_19}#16"]
    human = run(corpus_index, "search", "Orebro", "universitet")
    assert "showing results for 'Örebro universitet'" in human.stderr


def test_analyze_command():
    result, data = run_json("unused", "analyze", "Trygghetsutskottet och narkotikahandeln")
    assert result.exit_code == 0
    text = data["text"]
    for t in data["terms"]:
        assert text[t["start"]:t["end"]] == t["text"]
    assert [t["term"] for t in data["terms"] if t["type"] == "word"] == [stem("trygghetsutskottet"),
                                                                         stem("narkotikahandeln")]
    assert {t["position"] for t in data["terms"]} == {0, 1}  # "och" is a stop word; parts share positions
    assert any(t["type"] == "part" and t["text"] == "narkotika" for t in data["terms"])


def test_explain(corpus_index):
    result, data = run_json(corpus_index, "search", "GVI", "--explain")
    explain = data["explain"]
    assert explain["words"][0]["terms"] == ["gvi"]
    assert any("gruppvåldsintervention" in e for e in explain["expansions"])
    top = explain["top_hits"][0]
    assert top["id"] == data["hits"][0]["id"] and top["matched"]
    human = run(corpus_index, "search", "narkotikahandeln", "--explain")
    assert "a compound of narkotika + handeln" in human.stdout
    assert json.dumps(explain)  # serialisable


def test_a_stop_word_written_with_a_capital_inside_a_sentence_is_a_name():
    from trygg_search.analysis import analyze, query_terms

    assert "han" in [t.term for t in analyze("Ordföranden Hans Löhman (S) deltog.")]
    assert "han" not in [t.term for t in analyze("Hans förslag antogs. Han deltog inte.")]
    assert query_terms("Hans Löhman") == ["han", "löhm"] and query_terms("hans förslag") == ["förslag"]
    assert query_terms("Per Bo Maj") == ["per", "bo", "maj"]


def test_the_query_hans_lohman_finds_the_name_and_highlights_it(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Protokoll\n\n§ 1 Budget\n\nFörslaget presenteras av Hans Löhman (S) och "
                                  "Per Löhman.\n\n§ 2 Skola\n\nHans förslag gäller Anna Löhman.\n", encoding="utf-8")
    ingest([str(folder)], tmp_path / "index")
    from trygg_search.backends import open_index
    from trygg_search.filters import Filters
    from trygg_search.search import search

    result = search(open_index(tmp_path / "index"), "Hans Löhman", Filters())
    assert [h.id for h in result.hits] == ["a#1"]
    marked = [result.hits[0].snippet[a:b] for a, b in result.hits[0].highlights]
    assert "Hans" in marked and "Löhman" in marked


def test_a_form_of_both_a_noun_and_its_verb_is_found_as_either(tmp_path):
    """delar is dela's present and del's plural; hjälper only hjälpa's."""
    folder = indexed(tmp_path, {"a.txt": "Protokoll\n\n§ 1 Budget\n\nStora delar av budgeten går till skolan.\n\n"
                                         "§ 2 Skola\n\nFörvaltningen hjälper skolorna.\n\n§ 3 Stöd\n\n"
                                         "Nämnden ger hjälp och delen om stöd.\n"})
    from trygg_search.analysis import query_terms
    from trygg_search.backends import open_index
    from trygg_search.filters import Filters
    from trygg_search.search import search

    index = open_index(folder)
    found = {q: sorted(h.id for h in search(index, q, Filters()).hits) for q in ("del", "dela", "hjälp", "hjälpa")}
    assert found == {"del": ["a#1", "a#3"], "dela": ["a#1"], "hjälp": ["a#3"], "hjälpa": ["a#2"]}
    hit = search(index, "del", Filters()).hits[0]
    assert [hit.snippet[a:b] for a, b in hit.highlights] in (["delar"], ["delen"])
    assert query_terms("delar") == [stem("delar")]  # a query word is one term


def test_a_paragraph_s_people_count_as_many_terms_as_their_analysis_makes():
    """Ingest counts the people field's length (for BM25) from each name's memoised terms: the number of
    terms the whole field's analysis makes, for any lines of names, blank ones, initials, hyphens and
    titles among them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from trygg_search.analysis import people_length, people_terms

    piece = st.sampled_from(["Anna", "Åsa", "Per-Olof", "Lindholm Henningsson", "af Ekström", "K.", "Dr",
                             "Ö", "", " ", "(S)", "ordförande", "von Döbeln", "Jönsson-Ståhl", "2", "–", "Mc'Neil"])
    names = st.lists(st.lists(piece, max_size=4).map(" ".join), max_size=6).map("\n".join)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(names, st.booleans())
    def check(text, plain):
        assert people_length(text, plain) == len(people_terms(text, plain))

    check()


def _chain_word_by_word(text: str) -> list[tuple]:
    """The indexing chain's definition, each occurrence looked up on its own (the lemma, noun reading and
    compound lookups ``analyze`` makes once per word form): the oracle of its memo."""
    from trygg_search.analysis import STOP_WORDS, _inside_sentence, noun_reading, words
    from trygg_search.compounds import MIN_WORD, is_known, parts

    out, pos = [], 0
    for word, start, end in words(text):
        written = text[start:end]
        if word in STOP_WORDS and not (len(word) > 1 and (written.isupper() or (
                written[0].isupper() and _inside_sentence(text, start)))):
            continue
        term = stem(word)
        out.append((term, start, end, pos, False))
        other = noun_reading(word)
        if other is not None:
            out.append((other, start, end, pos, False))
        name = written[0].isupper() and not written.isupper() and _inside_sentence(text, start) \
            and not is_known(word)
        if len(word) >= MIN_WORD and not name:
            out += [(stem(form), start + a, start + b, pos, True) for form, a, b in parts(word)
                    if stem(form) != term]
        pos += 1
    return out


def test_the_chain_reads_each_occurrence_as_its_word_form_in_its_place():
    """The memo per word form leaves the context its due: a compound written as a name inside a sentence
    is not split, the same word at a line's start is."""
    from .conftest import CORPUS, REAL

    texts = [f.read_text(encoding="utf-8") for f in sorted(CORPUS.glob("*.txt"))]
    texts += [f.read_text(encoding="utf-8") for f in sorted(REAL.glob("more/*.txt"))[:20]]
    assert len(texts) > 20
    for text in texts:
        made = analyze(text)
        assert [tuple(t) for t in made] == _chain_word_by_word(text)
        assert all(type(t).__name__ == "Term" for t in made)
    # A word form read twice, as a name inside a sentence and at a line's start, in both orders.
    for text in ("Vi besökte Långbrottskolan i dag.\nLångbrottskolan delar ut",
                 "Långbrottskolan delar ut.\nVi besökte Långbrottskolan i dag"):
        made = analyze(text)
        assert [tuple(t) for t in made] == _chain_word_by_word(text)
        inside = text.index("besökte Långbrottskolan") + len("besökte ")
        first = text.index("Långbrottskolan delar")
        assert [t.part for t in made if t.start == inside] == [False]
        assert [t.part for t in made if first <= t.start < first + 15] == [False, True, True, True]
        assert [t.term for t in made if text[t.start:t.end] == "delar"] == ["del", "del_n"]


def test_the_vocabulary_s_word_set_is_the_set_of_the_surface_words():
    """What ingest counts a § 's words by, against the words one by one: texts of Swedish words in any case,
    digits, joiners and the letters whose lowercase is longer or another (İ, ẞ, the Kelvin sign); read on
    its own, and in the tokenizer's pass of ingest's analysis."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from trygg_search import analysis
    from trygg_search.analysis import analyze_for_index, surface_word_set, surface_words, words

    pieces = st.one_of(st.sampled_from(["Kommun", "KOMMUN", "kommun", "İstanbul", "ẞTRASSE", "\u212aALMAR", "GVI",
                                        "Ks-2023", "år", "ÅR", " ", "\n", "-", "12"]), st.text(max_size=5))

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=10).map("".join))
    def check(text):
        expected = set(surface_words(text))
        assert surface_word_set(text) == expected
        read = set()  # as the tokenizer reads them in its pass
        list(words(text, read))
        assert read == expected
        analyze_for_index(text, keep=True)  # ingest's analysis holds them for the count that follows
        assert analysis._SURFACE[text] == expected
        assert surface_word_set(text) == expected and text not in analysis._SURFACE
        assert surface_word_set(text) == expected  # asked again: read again
        analyze_for_index(text)

    check()
    # and the real texts' words, as ingest reads them
    from .conftest import CORPUS, REAL

    for f in sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("**/*.txt")):
        text = f.read_text(encoding="utf-8")
        analyze_for_index(text, keep=True)
        assert surface_word_set(text) == set(surface_words(text)), f.name
        analyze_for_index(text)


def test_acronyms_at_a_word_s_start_are_found_as_the_leading_word_boundary_finds_them():
    """The miner's patterns with the acronym's first letter before its boundary look, against the same
    patterns behind a leading ``\\b``: on the corpus, the real protocols and generated text of acronyms,
    words, digits, underscores, dashes, parentheses and Swedish capitals."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from trygg_search import acronyms as a

    from .conftest import CORPUS, REAL

    pairs = [(p, re.compile(p.pattern.replace(a._ACR_AT, r"\b" + a._ACR, 1)))
             for p in (a._BEFORE_PARENS, a._BEFORE_DASH, a._FOOTNOTED)]
    assert all(p.pattern != q.pattern for p, q in pairs)

    def same(text):
        for p, q in pairs:
            assert [(m.span(), m.groups()) for m in p.finditer(text)] == \
                [(m.span(), m.groups()) for m in q.finditer(text)], (q.pattern, text)

    texts = [f.read_text(encoding="utf-8") for f in sorted(CORPUS.glob("*.txt")) + sorted(REAL.rglob("*.txt"))]
    assert sum(bool(p.search(t)) for t in texts for p, _ in pairs) >= 5
    for text in texts:
        same(text)

    pieces = st.sampled_from(["GVI", "EST", "ÖKS", "Ä", "x", "aGVI", "_", "2", "12", " ", " – ", "-", "(",
                              ")", "Group Violence Intervention", "Effektiv samordning", "\n", ".", "é"])

    @settings(max_examples=2000, deadline=None)
    @given(st.lists(pieces, max_size=12).map("".join), st.integers(0, 2))
    def check(text, cut):
        same(text[cut:])

    check()
