"""The index of word pairs: what ``analysis.word_pairs`` makes, against a brute-force reading of positions,
and what the whoosh schema's ``text_pairs`` field holds for each live §, in an index with several segments
and deleted §§ (the engine answers a phrase of the text from it: tests/test_engine.py)."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg_search.analysis import PAIR, Term, analyze, word_pairs

from .conftest import CORPUS, REAL


def brute_pairs(terms: list[Term]) -> set[str]:
    """Each term followed by each term of the next position: the definition, read pair by pair."""
    return {a.term + PAIR + b.term for a in terms for b in terms if b.position == a.position + 1}


terms_lists = st.lists(
    st.builds(lambda term, position, part: Term(term, 0, len(term), position, part),
              st.sampled_from(["kommun", "örebro", "narkotik", "handel", "och", "kommun-styrelse", "a", "b"]),
              st.integers(0, 8), st.booleans()),
    max_size=24,
)


@given(terms_lists, st.booleans())
def test_pairs_are_each_term_with_each_term_of_the_next_position_once(terms, in_order):
    """In any order, and in the chain's (by position, a position's terms together), which is read in one pass."""
    if in_order:
        terms = sorted(terms, key=lambda t: t.position)
    made = word_pairs(terms)
    assert len(made) == len(set(made))
    assert set(made) == brute_pairs(terms)


def test_pairs_of_real_texts_are_the_brute_force_pairs():
    """Compound parts and second readings share a position in these texts: each pairs with each term of
    the next."""
    files = sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("0*_goteborg_*.txt"))[:2]
    shared = 0
    for f in files:
        terms = analyze(f.read_text(encoding="utf-8"))
        assert set(word_pairs(terms)) == brute_pairs(terms), f.name
        shared += len(terms) - len({t.position for t in terms})
    assert shared > 100  # positions with more than one term were among them


pieces = st.sampled_from(["kommun", "Örebro", PAIR, " ", f"a{PAIR}b", "narkotikahandel", "-", "\n", "GVI", "§ 12"])


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=60), st.lists(pieces, max_size=12).map("".join)))
def test_no_term_holds_the_mark_between_a_pair_s_terms(text):
    """A pair's two terms are told apart by PAIR: no term the analysis makes may hold it."""
    for plain in (False, True):
        assert not any(PAIR in t.term for t in analyze(text, plain=plain))


@pytest.fixture(scope="module", params=[False, True], ids=["swedish", "plain"])
def edited_index(request, tmp_path_factory):
    """The bundled corpus, ingested, then one file edited and one removed and ingested again: several
    segments and deleted §§."""
    from trygg_search.ingest import ingest

    base = tmp_path_factory.mktemp("pairs")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = base / "index"
    assert not ingest([str(corpus)], index_dir, plain=request.param).skipped
    files = sorted(corpus.glob("*.txt"))
    edited = files[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("kommun", "kommunen i staden"), encoding="utf-8")
    files[1].unlink()
    assert not ingest([str(corpus)], index_dir, plain=request.param).skipped
    return index_dir, request.param


def test_the_index_holds_each_live_paragraph_s_pairs_and_no_other(edited_index):
    from trygg_search.backends import open_index

    index_dir, plain = edited_index
    reader = open_index(index_dir).reader
    assert len(reader.leaf_readers()) >= 2 and reader.has_deletions()
    held: dict[int, set[str]] = {}
    for btext in reader.lexicon("text_pairs"):
        for docnum in reader.postings("text_pairs", btext).all_ids():
            if not reader.is_deleted(docnum):
                held.setdefault(docnum, set()).add(btext.decode("utf-8"))
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    expected = {}
    for docnum in live:
        pairs = set(word_pairs(analyze(reader.stored_fields(docnum).get("text") or "", plain=plain)))
        if pairs:
            expected[docnum] = pairs
    assert held == expected
    assert len(expected) > 30
