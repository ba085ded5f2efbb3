"""The block-at-a-time engine against whoosh's own searcher: the same totals, hits and scores.

The index has several segments and deleted documents, so that doc-number offsets
and deletions are exercised, not only the single-segment case.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "bench"))

from trygg_search.backends import whoosh  # noqa: E402
from trygg_search.backends.whoosh import codec  # noqa: E402
from trygg_search.backends.whoosh.searching import front_docs  # noqa: E402

from generate import generate  # noqa: E402

QUERIES = [
    "narkotika", "våld", "trygghet", "GVI", "samverkan", "kommunen", "brottsförebyggande", "skolattacker",
    "narkotika polisen", "våld nära relation", "kommunen samverkan polis", "GVI OR EST", "narkotika OR droger",
    '"nära relation"', '"öppen narkotikahantering"', '"Örebro kommun"', '"våld i nära relation"',
    "brotts*", "trygg*", "narko*", "narkotika NOT polisen", "-polisen narkotika", "title:narkotika -text:polis",
    "narkotika^2 polis", "trygghet OR -polis", "förslag till beslut", "beslut", "nar?otika", "ANDTS",
    "Brottsförebyggande rådet", "samverkan (polis OR kommun)", "title:information", "Ks",
]
SMALL_BLOCKS = 32  # postings a block of engine_index holds
FILTERS = [
    {}, {"committee": "trygghet"}, {"date_from": "2015", "date_to": "2018"}, {"date_from": "2023-10"},
    {"participant": "Kemal Hoso"}, {"kind": "notice"}, {"committee": "nämnd", "date_to": "2012"},
]


@pytest.fixture(scope="module")
def engine_index(tmp_path_factory) -> Path:
    from trygg_search.ingest import ingest
    from trygg_search.backends import open_index

    base = tmp_path_factory.mktemp("engine")
    synthetic = base / "synthetic"
    generate(synthetic, 400)
    index_dir = base / "index"
    with pytest.MonkeyPatch.context() as mp:
        # Blocks of fewer postings than a real index's, so that a test index of a few hundred §§ has
        # terms of many blocks: the block loop and its skipping are read as at 100,000 §§.
        mp.setattr(codec, "BLOCK_POSTINGS", SMALL_BLOCKS)
        mp.setattr(whoosh, "SEGMENT_DOCS", 150)  # and each ingest writes segments of 150 records
        # One process: the settings above are this process's (an ingest's workers start afresh).
        assert not ingest([str(synthetic)], index_dir, jobs=1).skipped
        shutil.copytree(CORPUS, base / "corpus")
        assert not ingest([str(synthetic), str(base / "corpus")], index_dir, jobs=1).skipped
    # Several segments, no deleted documents: where whoosh counts deleted ones, the engine does
    # not (it scores as a fresh index would), which tests/test_never_lie.py checks.
    reader = open_index(index_dir).reader
    assert len(reader.leaf_readers()) >= 4 and not reader.has_deletions()
    return index_dir


def spelled_out(q, reader):
    """Prefixes and wildcards as the OR of their terms.

    whoosh scores them by BM25 in a one-segment index but as 1.0 a term in a
    many-segment one; the engine always scores the OR of the terms.
    """
    from whoosh import query as wq

    if isinstance(q, wq.MultiTerm):
        terms = [wq.Term(q.fieldname, t) for t in q._btexts(reader)]
        return terms[0] if len(terms) == 1 else wq.Or(terms, boost=q.boost) if terms else wq.NullQuery
    return q if q.is_leaf() else q.apply(lambda child: spelled_out(child, reader))


def whoosh_top(searcher, q, fq, limit):
    """whoosh's answer with every match scored (no block skipping, no pruning), front records weighed
    by weights.FRONT (the engine is given them: ``front_docs``)."""
    from trygg_search.backends.whoosh.searching import run_whoosh

    results = run_whoosh(searcher, spelled_out(q, searcher.reader()), fq, limit)
    return [(hit.docnum, hit.score) for hit in results], len(results)


def same_ranking(ours, theirs) -> bool:
    """Equal scores (to float rounding) in the same order; among equal scores, any order of the same docs."""
    if len(ours) != len(theirs):
        return False
    if any(abs(a[1] - b[1]) > 1e-9 * max(1.0, abs(b[1])) for a, b in zip(ours, theirs)):
        return False
    groups_ours, groups_theirs = {}, {}
    for (d1, s1), (d2, s2) in zip(ours, theirs):
        groups_ours.setdefault(round(s2, 6), set()).add(d1)
        groups_theirs.setdefault(round(s2, 6), set()).add(d2)
    last = round(theirs[-1][1], 6) if theirs else None
    return all(groups_ours[k] == groups_theirs[k] for k in groups_theirs if k != last)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_engine_matches_whoosh(engine_index, filters):
    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine
    from trygg_search.expand import AcronymMap
    from trygg_search.filters import make_filters
    from trygg_search.search import request_for

    index = open_index(engine_index)
    searcher = index.searcher
    engine = Engine(searcher)
    amap = AcronymMap(index)
    matched_some = 0
    for text in QUERIES:
        request = request_for(text, make_filters(**filters), 10, amap)[0]
        q, fq = index._query(request, [], [])
        ours, total = engine.search(q, fq, 10, front_docs(searcher))
        theirs, their_total = whoosh_top(searcher, q, fq, 10)
        assert total == their_total, text
        assert same_ranking(ours, theirs), (text, ours, theirs)
        matched_some += total > 0
    assert matched_some >= len(QUERIES) // 3  # the comparison is not between empty answers


class StockCodec:
    """whoosh's own W3 codec (made when called, as ``store.codec`` is): the oracle of the split blocks."""

    def __new__(cls):
        from whoosh.codec.whoosh3 import W3Codec

        codec = W3Codec()
        codec.length_stats = False
        return codec


def _walk(m, fmt) -> list[tuple[int, float, bytes]]:
    """A matcher's postings; a format that keeps no values (whoosh's Existence) has none to compare
    (whoosh's block reader gives None, its reader of a list inlined in the term info '')."""
    out = []
    empty = fmt.fixed_value_size() == 0
    while m.is_active():
        out.append((m.id(), m.weight(), None if empty else m.value()))
        m.next()
    return out


def test_split_blocks_hold_what_whoosh_s_own_blocks_hold(engine_index, tmp_path, monkeypatch):
    """The engine index's posting blocks keep each block's positions apart from its ids and weights
    (codec.py), the positions as deltas.  Every posting of every term of its segments, read by
    whoosh's matchers (the value bytes) and by the engine's block reader (the positions), is what
    whoosh's own codec writes and reads for the same ingests, over terms of one posting and of many
    blocks."""
    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh import store
    from itertools import accumulate

    from whoosh.formats import Positions

    from trygg_search.backends.whoosh.internals import is_block_matcher, read_blocks, term_matcher
    from trygg_search.ingest import ingest

    monkeypatch.setattr(store, "codec", StockCodec)
    monkeypatch.setattr(whoosh, "SEGMENT_DOCS", 150)  # as engine_index was written
    base, stock = engine_index.parent, tmp_path / "stock"
    ingest([str(base / "synthetic")], stock, jobs=1)
    ingest([str(base / "synthetic"), str(base / "corpus")], stock, jobs=1)
    monkeypatch.undo()
    ours, theirs = open_index(engine_index).reader, open_index(stock).reader
    segments = len(ours.leaf_readers())
    assert [type(r._terms._codec).__name__ for r, _ in ours.leaf_readers()] == ["SplitCodec"] * segments
    assert [type(r._terms._codec).__name__ for r, _ in theirs.leaf_readers()] == ["W3Codec"] * segments
    blocks, positions = set(), 0
    for (a, _), (b, _) in zip(ours.leaf_readers(), theirs.leaf_readers(), strict=True):
        terms = list(b.all_terms())
        assert list(a.all_terms()) == terms and len(terms) > 1000
        for fieldname, text in terms:
            fmt = b.schema[fieldname].format
            expected = _walk(b.postings(fieldname, text), fmt)
            assert _walk(a.postings(fieldname, text), fmt) == expected, (fieldname, text)
            m = term_matcher(a, fieldname, text, fmt)
            if is_block_matcher(m):
                ids, weights, values = [], [], []
                read_blocks(m, True, ids, weights, values)
                got, want = list(zip(ids, weights, values)), expected
                if type(fmt) is Positions:  # the engine reads position deltas, whoosh a pickle of them
                    assert all(type(v) is tuple for v in values)
                    got = [(i, w, list(accumulate(v))) for i, w, v in got]
                    want = [(i, w, fmt.decode_positions(v)) for i, w, v in expected]
                    positions += len(want)
                assert got == want, (fieldname, text)
                blocks.add(min(len(expected) // SMALL_BLOCKS, 3))
    assert blocks == {0, 1, 2, 3}  # one block, two, three, more
    assert positions > 10_000


def test_unknown_query_nodes_go_to_whoosh(engine_index):
    from whoosh import query as wq

    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine, Unsupported
    from trygg_search.backends.whoosh.searching import run_query

    searcher = open_index(engine_index).searcher
    q = wq.DisjunctionMax([wq.Term("text", "narkotik"), wq.Term("title", "narkotik")])
    with pytest.raises(Unsupported):
        Engine(searcher).search(q)
    results = run_query(searcher, q, None, 5)
    assert len(results) == whoosh_top(searcher, q, None, 5)[1] > 0


def test_an_open_index_is_a_snapshot_and_a_new_one_sees_a_later_ingest(tmp_path):
    """A process that keeps its index open answers for the commit it opened; opening again sees later ones."""
    from trygg_search.backends import open_index
    from trygg_search.filters import Filters
    from trygg_search.ingest import ingest
    from trygg_search.search import search

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "000_85df296f62d2738a.txt", corpus)
    ingest([str(corpus)], tmp_path / "index")
    index = open_index(tmp_path / "index")
    before = search(index, "lägesbild", Filters()).total
    assert before > 0
    shutil.copy(CORPUS / "001_2a4b40077b5f9c53.txt", corpus)
    ingest([str(corpus)], tmp_path / "index")
    assert search(index, "lägesbild", Filters()).total == before  # the kept searcher: a snapshot
    assert search(open_index(tmp_path / "index"), "lägesbild", Filters()).total > before


def test_phrases_of_one_word_and_of_a_word_twice_are_whoosh_s(engine_index):
    """The query layer makes a phrase of two words or more, but the engine answers any: one word is the
    word's §§, a word twice its §§ where it stands twice in a row, each scored as whoosh scores them."""
    from whoosh import query as wq

    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine

    searcher = open_index(engine_index).searcher
    engine = Engine(searcher)
    for words in (["kommun"], ["narkotik"], ["kommun", "kommun"], ["och", "och"], ["örebro", "kommun", "och"]):
        for fieldname in ("text", "title"):
            q = wq.Phrase(fieldname, words)
            ours, total = engine.search(q, None, 10, front_docs(searcher))
            theirs, their_total = whoosh_top(searcher, q, None, 10)
            assert total == their_total and same_ranking(ours, theirs), (fieldname, words)
    assert engine.search(wq.Phrase("text", ["kommun"]), None, 10)[1] > 100


def _generated_phrases(searcher, count: int, seed: int) -> list[list[str]]:
    """Phrases of 2 to 4 words read from the index's texts as the analysis makes them (a term of each of
    consecutive positions, compound parts and second readings among them), and the same words shuffled."""
    import random

    from trygg_search.analysis import analyze

    rng = random.Random(seed)
    reader = searcher.reader()
    docnums = list(reader.all_doc_ids())
    phrases = []
    while len(phrases) < count:
        terms = analyze(reader.stored_fields(rng.choice(docnums)).get("text") or "")
        at: dict[int, list[str]] = {}
        for t in terms:
            at.setdefault(t.position, []).append(t.term)
        if len(at) < 5:
            continue
        start = rng.choice(sorted(at)[:-4])
        words = [rng.choice(at.get(start + i, [rng.choice(terms).term])) for i in range(rng.randint(2, 4))]
        phrases.append(words)
        phrases.append(rng.sample(words, len(words)))
    return phrases


def test_generated_phrases_of_the_text_are_whoosh_s(engine_index):
    """The engine answers a phrase of the text from its word pairs (two words) or narrows it by them (more):
    the same totals and ranking as whoosh's phrase matcher over positions, with slop 1 and with slop 2
    (which reads positions only)."""
    from whoosh import query as wq

    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine

    searcher = open_index(engine_index).searcher
    engine = Engine(searcher)
    found = 0
    for words in _generated_phrases(searcher, 60, seed=22):
        for slop in (1, 2):
            q = wq.Phrase("text", words, slop=slop)
            ours, total = engine.search(q, None, 10, front_docs(searcher))
            theirs, their_total = whoosh_top(searcher, q, None, 10)
            assert total == their_total and same_ranking(ours, theirs), (words, slop)
            found += total > 0
    assert found > 60  # most of the read phrases are found, not only the shuffled ones missed


@pytest.fixture(scope="module")
def edited_engine_index(tmp_path_factory) -> Path:
    """The synthetic protocols and the corpus, ingested in two steps, then some files edited and some
    removed and ingested again: several segments with deleted documents, as a kept-up index is."""
    from trygg_search.backends import open_index
    from trygg_search.ingest import ingest

    base = tmp_path_factory.mktemp("edited")
    folder = base / "protocols"
    generate(folder, 300)
    files = sorted(folder.rglob("*.txt"))
    index_dir = base / "index"
    assert not ingest([str(folder)], index_dir).skipped
    shutil.copytree(CORPUS, folder / "corpus")
    assert not ingest([str(folder)], index_dir).skipped
    for path in files[::7]:
        path.write_text(path.read_text(encoding="utf-8").replace("kommun", "kommunen i staden"), encoding="utf-8")
    for path in files[3::11]:
        path.unlink()
    assert not ingest([str(folder)], index_dir).skipped
    reader = open_index(index_dir).reader
    assert len(reader.leaf_readers()) >= 2 and reader.has_deletions()
    return index_dir


def _word_queries(searcher, seed: int) -> list:
    """A word as the query layer asks for it (its title, text and people terms, the people at half weight),
    two or three of its terms boosted at random, and two to four terms of different words: for the
    commonest words of the titles and of the text, and for words drawn at random from the vocabulary."""
    import random

    from whoosh import query as wq

    rng = random.Random(seed)
    reader = searcher.reader()
    def counted(fieldname):
        return sorted(((reader.doc_frequency(fieldname, t), t.decode("utf-8") if isinstance(t, bytes) else t)
                       for t in reader.lexicon(fieldname)), reverse=True)

    words = [t for _, t in counted("title")[:30]] + [t for _, t in counted("text")[:30]] \
        + [t for _, t in rng.sample(counted("text"), 60)]
    queries = []
    for word in words:
        queries.append(wq.Or([wq.Term("title", word), wq.Term("text", word), wq.Term("people", word, boost=0.5)]))
        terms = [wq.Term(f, word, boost=rng.choice([0.5, 1.0, 3.0])) for f in rng.sample(["title", "text", "people"],
                                                                                          rng.randint(2, 3))]
        queries.append(wq.Or(terms, boost=rng.choice([1.0, 0.9, 2.0])))
        # and an OR of different words (in one field or several), where the longest list's §§ hold the
        # others' less often: a § of it alone may win, and a § of the others alone counts
        fields = ["title", "text", "people"]
        queries.append(wq.Or([wq.Term(rng.choice(fields), rng.choice(words), boost=rng.choice([0.5, 1.0, 3.0]))
                              for _ in range(rng.randint(2, 4))]))
    return queries


@pytest.mark.parametrize("fixture", ["engine_index", "edited_engine_index"])
def test_an_or_of_terms_scored_only_where_it_can_win_is_the_whole_evaluation(request, fixture):
    """An OR of a word's terms skips scoring the longest list where its best cannot reach the top (MaxScore):
    the same hits, scores (to the bit) and total as scoring every match, on indexes of several segments
    with and without deleted §§, under filters, for any number of hits asked for."""
    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine
    from trygg_search.filters import make_filters

    index = open_index(request.getfixturevalue(fixture))
    searcher = index.searcher
    engine = Engine(searcher)
    fronts = front_docs(searcher)
    fqs = [None] + [_filter_query(index, make_filters(**f)) for f in FILTERS[1:4]]
    asked = 0
    for n, q in enumerate(_word_queries(searcher, seed=7)):
        fq = fqs[n % len(fqs)]
        limit = (1, 3, 10, 25)[n % 4]
        ours, total = engine.search(q, fq, limit, fronts)
        whole, whole_total = _whole(engine, q, fq, limit, fronts)
        assert (ours, total) == (whole, whole_total), (q, fq, limit)
        asked += 1
        if fixture == "engine_index" and n % 5 == 0:  # and whoosh's own answer, where it counts as we do
            theirs, their_total = whoosh_top(searcher, q, fq, limit)
            assert total == their_total and same_ranking(ours, theirs), (q, fq, limit)
    # The shortcut is taken for common words (a rare word's few §§ are all scored): 43 of these.
    assert engine.pruned >= 25 and asked == 360


def _filter_query(index, filters):
    """The whoosh filter query the search builds for ``filters`` (the query words do not enter it)."""
    from trygg_search.search import request_for

    return index._query(request_for("narkotika", filters, 10, None)[0], [], [])[1]


def _whole(engine, q, fq, limit, fronts):
    """Every match scored (Engine.scores), then filtered, weighed and ranked as Engine.search does."""
    allowed = engine.docs(fq) if fq is not None else None
    if allowed is not None and not allowed:
        return [], 0
    return engine._top(engine.scores(q), limit, fronts, allowed)


@pytest.mark.parametrize("fixture", ["engine_index", "edited_engine_index"])
def test_no_posting_of_any_term_scores_above_its_bound(request, fixture):
    """Engine._bound, for every term of every scored field: at least each posting's score, and reached by
    some (a word's greatest weight in a shortest §: a word found once, in the shortest §)."""
    from trygg_search.backends import open_index
    from trygg_search.backends.whoosh.engine import Engine
    from whoosh import query as wq

    searcher = open_index(request.getfixturevalue(fixture)).searcher
    engine = Engine(searcher)
    reached = 0
    for fieldname in ("title", "text", "people"):
        for btext in searcher.reader().lexicon(fieldname):
            term = wq.Term(fieldname, btext.decode("utf-8"), boost=3.0)
            postings = engine.postings(fieldname, term.text)
            if not postings.ids:
                continue  # only in deleted §§
            bound = engine._bound(term, postings)
            best = max(engine._scored(fieldname, term.text, term.boost, postings).values())
            assert best <= bound, (fieldname, term.text)
            reached += best == bound
    assert reached >= 3  # exact where it can be: 6 terms of each of these indexes


def test_a_sum_of_parts_cut_down_is_the_whole_sum_cut_down():
    """Engine._sum adds each §'s parts in the order of the parts' sizes (float sums depend on it): given the
    parts' whole sizes, parts cut down to some §§ add up to the whole sum's values for those §§, bit for bit."""
    import random

    from hypothesis import given, settings, strategies as st

    from trygg_search.backends.whoosh.engine import Engine

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.dictionaries(st.integers(0, 40), st.floats(0.001, 1000.0), max_size=30), min_size=1,
                    max_size=4), st.randoms(use_true_random=False))
    def check(parts, rng: random.Random):
        kept = {d for d in set().union(*parts) if rng.random() < 0.3}
        whole = Engine._sum([dict(p) for p in parts])
        cut = Engine._sum([{d: s for d, s in p.items() if d in kept} for p in parts], [len(p) for p in parts])
        assert cut == {d: s for d, s in whole.items() if d in kept}

    check()
