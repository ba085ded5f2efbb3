"""Never a crash on any word or query: the analyzer over every form its dictionaries can produce and
over arbitrary text, the query parser over generated queries and past its limits."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg_search.analysis import NOUN_MARK, analyze, query_terms, stem
from trygg_search.errors import QueryError
from trygg_search.lexicon import forms_led_to
from trygg_search.query import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_CHARS, parse_query

from .helpers import indexed, run, run_json

# CPU seconds no word may take (the first of a process loads the lexicons first): the time of the thread
# that analyses, so that other work on a shared machine cannot stretch it
SLOWEST_WORD = 1.0


def _every_form() -> list[str]:
    """Every form hunspell-sv's suffix rules make of its roots, and every form and lemma of simplemma's
    Swedish data: the words the analysis is built from."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    from trygg_search.hunspell import dictionary_files, expand

    forms = {form for form, *_ in expand(*dictionary_files())}
    for form, lemma in DefaultDictionaryFactory().get_dictionary("sv").items():
        for word in (form, lemma):
            forms.add(word.decode() if isinstance(word, bytes) else word)
    return sorted(forms)


def _stemmers():
    """Snowball's Swedish stemmer in C (PyStemmer, what snowballstemmer uses where it is installed) and
    snowballstemmer's own pure Python."""
    import Stemmer
    from snowballstemmer.swedish_stemmer import SwedishStemmer

    return Stemmer.Stemmer("swedish"), SwedishStemmer()


def _analyze_all(words: list[str]) -> tuple[list[tuple[str, str]], float, str]:
    """(words that raised, with the error), the longest time one word took and that word."""
    analyze("kommunstyrelsen")  # the lexicons loaded before the clock runs
    failed, slowest, slow_word = [], 0.0, ""
    in_c, in_python = _stemmers()
    for word in words:
        for text in (word, word.lower()):
            if in_c.stemWord(text) != in_python.stemWord(text):
                failed.append((word, f"PyStemmer {in_c.stemWord(text)!r}, snowballstemmer {in_python.stemWord(text)!r}"))
        started = time.thread_time()
        try:
            for text in (word, word.lower(), word.capitalize()):
                analyze(text)
                query_terms(text)
            # what the highlighter relies on: a word's term begins as the word does, or the word is
            # among the forms the lexicon leads to a lemma beginning with the term
            for t in analyze(word, parts=False, names=True):
                token, base = word[t.start:t.end].lower(), t.term.removesuffix(NOUN_MARK)
                if not token.startswith(base) and token not in forms_led_to(base):
                    failed.append((word, f"term {t.term!r} neither begins {token!r} nor leads to it"))
        except Exception as exc:  # noqa: BLE001 - what the test looks for
            failed.append((word, f"{type(exc).__name__}: {exc}"))
        took = time.thread_time() - started
        if took > slowest:
            slowest, slow_word = took, word
    return failed, slowest, slow_word


def test_every_form_of_the_dictionary_and_the_lexicon_passes_through_the_analyzer():
    forms = _every_form()
    assert len(forms) > 1_000_000  # the whole of both, not a sample
    chunks = [forms[i:i + 25_000] for i in range(0, len(forms), 25_000)]
    failed, slowest, slow_word = [], 0.0, ""
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        for bad, took, word in pool.imap_unordered(_analyze_all, chunks):
            failed += bad
            if took > slowest:
                slowest, slow_word = took, word
    assert failed == [], failed[:20]
    assert slowest < SLOWEST_WORD, (slow_word, slowest)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéü-", max_size=25))
def test_snowball_in_c_and_in_python_stem_alike(text):
    in_c, in_python = _stemmers()
    assert in_c.stemWord(text) == in_python.stemWord(text)


def test_the_words_that_once_recursed_without_end_are_stemmed_and_found(tmp_path):
    # Nouns whose -a verb the lexicon files as a form of the noun itself (sköna, of skön)
    assert [stem(w) for w in ("skön", "sköna", "present", "presenter", "diagonal", "plump", "spak")] == [
        "skön_n", "skön_n", "present_n", "present_n", "diagonal_n", "plump_n", "spak_n"]
    index = indexed(tmp_path, {"skon.txt": "§ 1 Skön\n\nKommunen köper presenter till Skön och en spak."})
    for query in ("skön", "present", "spak"):
        result, data = run_json(index, "search", query)
        assert result.exit_code == 0 and [h["id"] for h in data["hits"]] == ["skon#1"], (query, result.stderr)
    result = run(index, "analyze", "present diagonal plump")
    assert result.exit_code == 0 and "present_n" in result.stdout


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_analyzed_with_spans_inside_it(text):
    for t in analyze(text):
        assert 0 <= t.start < t.end <= len(text)
        assert t.term
    query_terms(text)


def test_a_long_run_of_letters_is_analyzed_in_linear_time():
    for word in ("a" * 200_000, "kommun" * 40_000, "a-" * 100_000):
        started = time.thread_time()
        analyze(word)
        query_terms(word)
        assert time.thread_time() - started < 10, word[:10]


# --- queries -------------------------------------------------------------------------------------

_QUERY_TOKENS = st.sampled_from([
    "narkotika", "polis", "GVI", "och", "Ks", "930/2023", "KS-2023-930", "AND", "OR", "NOT", "-", "(", ")",
    '"', "“", "*", "?", "brotts*", "bo?ättning", "^2", "narkotika^2", "~", "title:", "text:", "committee:",
    "date:2023", "from:", "to:2024", "kind:notice", "case:", "participant:", "officer:", "foo:", ":",
    "skön", "NOT NOT", "((", "))", "\u200b", "ﬁ", "å", "Ö", "-(", "--", "\\",
])
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(_QUERY_TOKENS, min_size=1, max_size=25).map(" ".join),
    st.lists(_QUERY_TOKENS, min_size=1, max_size=25).map("".join),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERIES)
def test_any_query_is_read_or_refused_with_a_query_error(text):
    try:
        parsed = parse_query(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    if parsed.tree is not None:
        from trygg_search.query import render

        render(parsed.tree)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(QUERIES)
def test_any_query_on_a_real_index_answers_with_an_exit_code_and_never_a_traceback(corpus_index, text):
    result = run(corpus_index, "search", "--json", "--", *text.split()) if text.split() else None
    if result is None:
        return
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("trygg-search: ")
    else:
        data = json.loads(result.stdout)
        assert data["total"] >= len(data["hits"])


@pytest.mark.parametrize("query, message", [
    ("(" * 300 + "polis" + ")" * 300, f"query nested deeper than {MAX_DEPTH} levels"),
    ("NOT " * 2000 + "polis", f"at most {MAX_QUERY_CHARS:,} are searched"),
    ("polis " * (MAX_CLAUSES + 1), f"at most {MAX_CLAUSES} are searched at once"),
    ("*a*", "a word cannot begin with * or ?"),
    ("?olis", "a word cannot begin with * or ?"),
])
def test_a_query_past_a_limit_is_one_line_and_exit_2(corpus_index, query, message):
    result = run(corpus_index, "search", query)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_queries_at_the_limits_are_answered(corpus_index):
    result, data = run_json(corpus_index, "search", "(" * MAX_DEPTH + "polis" + ")" * MAX_DEPTH)
    _, plain = run_json(corpus_index, "search", "polis")
    assert result.exit_code == 0 and data["total"] == plain["total"]
    result, data = run_json(corpus_index, "search", " OR ".join(["polis"] * MAX_CLAUSES))
    assert result.exit_code == 0 and data["total"] == plain["total"]
    result, data = run_json(corpus_index, "search", "NOT " * 300 + "polis")  # an even number: none
    assert result.exit_code == 0 and data["total"] == plain["total"]
    assert any("300 NOTs in a row were read as none" in n for n in data["notes"])
    result, data = run_json(corpus_index, "search", "narkotika " + "NOT " * 301 + "polis")
    _, without = run_json(corpus_index, "search", "narkotika NOT polis")
    assert data["total"] == without["total"] > 0 and result.exit_code == 0
