"""Searching a real index of the bundled corpus: judged queries, filters, highlights, exit codes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg_search.analysis import analyze
from trygg_search.highlight import make_snippet

from .helpers import AGREEMENT, S2018_06_19, S2023_10_11, S2024_04_09, ids, run, run_json


def test_skolattacker_finds_the_remiss_first(corpus_index):
    result, data = run_json(corpus_index, "search", "skolattacker")
    assert result.exit_code == 0
    assert ids(data)[0] == f"{S2023_10_11}#22"


def test_phrase_finds_the_lagesbild_first(corpus_index):
    _, data = run_json(corpus_index, "search", '"våld i nära relation"')
    assert ids(data)[0] == f"{S2024_04_09}#9"


def test_plain_words_standing_together_rank_like_the_phrase(corpus_index):
    _, data = run_json(corpus_index, "search", "våld", "i", "nära", "relation")
    assert ids(data)[0] == f"{S2024_04_09}#9"


def test_embrace(corpus_index):
    _, data = run_json(corpus_index, "search", "Embrace")
    assert ids(data) == [f"{S2024_04_09}#11"]


def test_inflected_form_is_highlighted_as_written(corpus_index):
    _, data = run_json(corpus_index, "search", "tertialanalysen")
    hit = data["hits"][0]
    marked = [hit["snippet"][a:b] for a, b in hit["highlights"]]
    assert "Tertialanalysen" in marked


def test_highlights_lie_inside_the_snippet_and_cover_a_query_form(corpus_index):
    _, data = run_json(corpus_index, "search", "relationer")
    assert data["total"] >= 2
    wanted = {t.term for t in analyze("relationer")}
    for hit in data["hits"]:
        assert hit["highlights"], hit["id"]
        for a, b in hit["highlights"]:
            assert 0 <= a < b <= len(hit["snippet"])
            assert {t.term for t in analyze(hit["snippet"][a:b])} <= wanted


def test_title_match_ranks_above_passing_mentions(corpus_index):
    _, data = run_json(corpus_index, "search", "samverkansöverenskommelse")
    titled = {h["id"] for h in data["hits"] if "samverkansöverenskommelse" in h["title"].lower()}
    assert len(titled) == 2
    assert set(ids(data)[:2]) == titled
    assert data["total"] > 2  # the body mentions are there, below


def test_json_hit_shape(corpus_index):
    _, data = run_json(corpus_index, "search", "narkotika")
    assert set(data) >= {"query", "total", "hits"}
    assert data["query"] == "narkotika"
    for hit in data["hits"]:
        assert {"id", "date", "committee", "paragraph", "title", "case_number", "kind", "score", "snippet",
                "highlights"} <= set(hit)
    agreement = [h for h in data["hits"] if h["id"].startswith(AGREEMENT)]
    assert agreement and agreement[0]["paragraph"] is None and agreement[0]["kind"] == "other"


def test_or_not_minus_and_prefix(corpus_index):
    _, both = run_json(corpus_index, "search", "Embrace OR skolattacker")
    assert set(ids(both)) == {f"{S2024_04_09}#11", f"{S2023_10_11}#22"}
    _, without = run_json(corpus_index, "search", "narkotika", "NOT", "narkotikateam")
    _, minus = run_json(corpus_index, "search", "narkotika", "-narkotikateam")
    assert f"{S2023_10_11}#23" not in ids(without)
    assert ids(without) == ids(minus) and ids(without)
    _, prefix = run_json(corpus_index, "search", "skolatt*")
    assert ids(prefix) == [f"{S2023_10_11}#22"]


def test_field_syntax(corpus_index):
    _, title_only = run_json(corpus_index, "search", "title:narkotikateam")
    assert ids(title_only) == [f"{S2023_10_11}#23"]
    _, fielded = run_json(corpus_index, "search", "committee:socialt", "information")
    assert ids(fielded) and all(i.startswith(S2018_06_19) for i in ids(fielded))


def test_participant_filter(corpus_index):
    _, data = run_json(corpus_index, "search", "Örebro", "--participant", "Kemal Hoso", "--limit", "50")
    found = ids(data)
    assert f"{S2023_10_11}#22" in found or f"{S2023_10_11}#23" in found
    for n in (24, 25, 26):
        assert f"{S2023_10_11}#{n}" not in found
    _, surname = run_json(corpus_index, "search", "Örebro", "--participant", "hoso", "--limit", "50")
    assert ids(surname) == found


def test_committee_and_date_filters(corpus_index):
    _, data = run_json(corpus_index, "search", "information", "--committee", "UTSKOTT FÖR SOCIALT")
    assert ids(data) and all(i.startswith(S2018_06_19) for i in ids(data))
    _, dated = run_json(corpus_index, "search", "information", "--from", "2024", "--to", "2024-04-30")
    assert ids(dated) and all(h["date"].startswith("2024-04") for h in dated["hits"])
    result, nothing = run_json(corpus_index, "search", "information", "--committee", "byggnadsnämnden")
    assert result.exit_code == 1 and nothing["total"] == 0


def test_case_filter_accepts_any_spelling(corpus_index):
    _, data = run_json(corpus_index, "search", "GVI", "--case", "1113/2021")
    assert {h["case_number"] for h in data["hits"]} == {"Ks 1113/2021"}


def test_bad_date_is_an_error_naming_the_option(corpus_index):
    result = run(corpus_index, "search", "narkotika", "--from", "2023-13-01")
    assert result.exit_code == 2
    assert "--from" in result.stderr and "2023-13-01" in result.stderr
    assert "Traceback" not in result.output


def test_nothing_found_exits_1_with_did_you_mean(corpus_index):
    result, data = run_json(corpus_index, "search", "narkotka")
    assert result.exit_code == 1
    assert data["total"] == 0 and data["did_you_mean"] == "narkotika"
    human = run(corpus_index, "search", "narkotka")
    assert human.exit_code == 1 and "Did you mean: narkotika?" in human.stderr


def test_malformed_queries_never_trace(corpus_index):
    for query in ['"unclosed', "narkotika AND (", "OR", ")", "title:", "***"]:
        result = run(corpus_index, "search", query)
        assert result.exit_code in (0, 1, 2), query
        assert "Traceback" not in result.output, query


def test_only_stop_words_finds_nothing(corpus_index):
    result = run(corpus_index, "search", "och", "i")
    assert result.exit_code == 1
    assert "stop words" in result.stderr


def test_missing_index_says_run_ingest(tmp_path):
    result = run(tmp_path / "nowhere", "search", "narkotika")
    assert result.exit_code == 2
    assert "run 'trygg-search ingest'" in result.stderr


def test_no_colour_codes_when_piped(corpus_index):
    result = run(corpus_index, "search", "narkotika")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "narkotika" in result.stdout and "id: " in result.stdout


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcåäö narkotik-\n.,:/0123")), max_size=600),
       st.sampled_from(["narkotika", "handel", "våld", "ab", "å"]))
def test_snippet_spans_lie_inside_and_match(text, word):
    terms = {t.term for t in analyze(word)}
    snippet, spans = make_snippet(text, terms, size=80)
    for a, b in spans:
        assert 0 <= a < b <= len(snippet)
        assert {t.term for t in analyze(snippet[a:b])} & terms


def _highlight_pool() -> list[str]:
    """Words for the highlighter's oracle: forms the lexicon leads to a lemma they do not begin as (gick,
    gjorde, beslöt, bättre, händerna), the regular forms beside them, names, acronyms, case numbers."""
    from trygg_search.lexicon import forms_led_to

    irregular = sorted(set().union(*(forms_led_to(p) for p in ("gå", "gör", "beslut", "bra", "ha", "ta", "få"))))
    return irregular[::3] + ["går", "gå", "gått", "gör", "göra", "beslut", "beslutet", "beslutade", "bra", "han",
                             "hand", "tar", "ta", "narkotikahandeln", "narkotika", "Göran", "Görans", "GVI",
                             "GVI-2023", "Ks", "930/2023", "delar", "delen", "trygghet", "SSPF-arbetet", "och",
                             "Gick", "GÖR", "Beslöt"]


_POOL = _highlight_pool()
_CHUNK = __import__("re").compile(r"[^\W_]+(?:[-/:.][^\W_]+)*")  # the tokenizer's chunk (analysis.py)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_POOL), st.sampled_from([" ", ", ", "-", ". ", "\n", "/"])),
                min_size=1, max_size=30),
       st.lists(st.sampled_from(_POOL), min_size=1, max_size=4))
def test_highlighted_tokens_are_those_analysis_of_every_chunk_finds(pieces, chosen):
    """The highlighter analyzes only the chunks that may hold a term (a word that begins with it, or a
    form the lexicon leads to it); the oracle analyzes every chunk of the text."""
    from trygg_search.analysis import Term
    from trygg_search.highlight import tokens_of

    text = "".join(word + sep for word, sep in pieces)
    terms = {t.term for word in chosen for t in analyze(word, parts=False, names=True)}
    terms = {t for t in terms if t.removesuffix("_n").isalpha()}  # other terms read the whole text
    expected = [Term(t.term, m.start() + t.start, m.start() + t.end, -1)
                for m in _CHUNK.finditer(text) for t in analyze(m.group(0), parts=False, names=True)
                if t.term in terms]
    assert tokens_of(text, None, terms) == expected


def test_total_counts_every_match_not_only_the_scored(tmp_path):
    """Regression: whoosh prunes sub-queries once it has `limit` hits, which made `total` too low."""
    import sys

    from trygg_search.ingest import ingest

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    generate(tmp_path / "corpus", 600, seed=3)
    ingest([str(tmp_path / "corpus")], tmp_path / "ix")
    for query in ["narkotika", "kommunen", "narkotika OR polisen", "trygg*"]:
        _, top1 = run_json(tmp_path / "ix", "search", query, "--limit", "1")
        _, every = run_json(tmp_path / "ix", "search", query, "--limit", "100000")
        assert top1["total"] == every["total"] == len(every["hits"]), query


def test_a_closed_pipe_keeps_the_exit_code(corpus_index):
    """`trygg-search search ... | head -1`: the reader leaving early is not "nothing found" nor an error."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for args, expected in [(["GVI"], 0), (["GVI", "--json"], 0), (["xyzzyq"], 1)]:
        read_end, write_end = os.pipe()
        os.close(read_end)  # every write fails with EPIPE
        proc = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(corpus_index), "search", *args],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=env)
        os.close(write_end)
        assert proc.returncode == expected, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_index_option_after_the_command_name(corpus_index, tmp_path):
    """'search --index DIR' as well as '--index DIR search': the option was once read as query words."""
    from click.testing import CliRunner

    from trygg_search.cli import main

    for command in (["search", "--index", str(corpus_index), "skolattacker", "--json"],
                    ["case", "--index", str(corpus_index), "Ks", "930/2023", "--json"],
                    ["stats", "--index", str(corpus_index), "--json"]):
        result = CliRunner().invoke(main, ["--index", str(tmp_path / "nothing-here"), *command])
        assert result.exit_code == 0, (command, result.stderr)
        data = json.loads(result.stdout)
        if command[0] == "search":
            assert data["query"] == "skolattacker" and data["total"] > 0


def test_mistyped_long_option_is_an_error_not_query_words(corpus_index):
    result = run(corpus_index, "search", "narkotika", "--limt", "3")
    assert result.exit_code == 2
    assert "no such option: --limt" in result.stderr
    assert run(corpus_index, "search", "narkotika", "-polisen").exit_code == 0  # "-word" still excludes


def _best_window_by_rescanning(tokens, size):
    """The window choice as first written (every anchor rescans the matches after it): the reference."""
    best = None
    for i, anchor in enumerate(tokens):
        lo = max(0, anchor.start - size // 4)
        hi = lo + size
        inside = []
        for t in tokens[i:]:
            if t.end > hi:
                break
            inside.append(t)
        key = (len({t.term for t in inside}), len(inside), -i)
        if best is None or key > best[0]:
            best = (key, lo, hi)
    return best[1], best[2]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 12), st.sampled_from("abcd")), min_size=1, max_size=60),
       st.sampled_from([20, 60, 240]))
def test_the_snippet_window_is_chosen_in_one_pass_as_by_rescanning(raw, size):
    from trygg_search.analysis import Term
    from trygg_search.highlight import _best_window

    starts = sorted({start for start, _, _ in raw})
    tokens = [Term(term, s, s + length, -1) for s, (_, length, term) in zip(starts, raw)]
    assert _best_window(tokens, size) == _best_window_by_rescanning(tokens, size)
