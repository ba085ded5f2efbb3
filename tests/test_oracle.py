"""Search against an oracle of our own, on an index in the state users' indexes are in.

The index is built by incremental ingests of a corpus's history (files added
over time, one edited and reverted, one removed): several segments with
deleted documents.  Hypothesis generates query trees (words, phrases,
prefixes, case numbers and filter clauses under AND, OR and NOT) and option
filters; the set of §§ and the total that ``search`` returns must be what the
brute-force oracle (``tests/oracle.py``) finds by scanning the parsed records.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg_search.analysis import STOP_WORDS, query_terms, surface_words
from trygg_search.errors import QueryError
from trygg_search.filters import clause, make_filters
from trygg_search.ingest import ingest
from trygg_search.query import And, CaseRef, Filter, Not, Or, Phrase, Prefix, Word, leaves, parse_query, render
from trygg_search.search import search
from trygg_search.backends import open_index, whoosh

from .conftest import CORPUS, REAL
from .oracle import Oracle, records_of

GOTEBORG = sorted(REAL.glob("0*_goteborg_*.txt"))


def ingest_history(folder, location) -> None:
    """A corpus's history, ingested step by step into ``location``: files added over time, one edited
    and reverted, one removed (several segments with deleted §§ in whoosh, generations in OpenSearch)."""
    for _ in history_steps(folder, location):
        pass


def history_steps(folder, location):
    """The history of :func:`ingest_history`, a step at a time: yields after each of its five ingests."""
    folder.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))
    for seed in seeds[:3]:
        shutil.copy(seed, folder / seed.name)
    ingest([str(folder)], location)
    yield "three protocols"
    for path in seeds[3:] + GOTEBORG:
        shutil.copy(path, folder / path.name)
    ingest([str(folder)], location)
    yield "the rest and Göteborg's"
    edited = folder / seeds[1].name
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("Embrace", "Zorblax").replace("polis", "zorbpolis"), encoding="utf-8")
    ingest([str(folder)], location)
    yield "one edited"
    (folder / seeds[0].name).unlink()
    ingest([str(folder)], location)
    yield "one removed"
    edited.write_text(original, encoding="utf-8")
    ingest([str(folder)], location)
    yield "the edit reverted"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """(index, oracle, records) after a history of incremental ingests."""
    root = tmp_path_factory.mktemp("history")
    folder = root / "protocols"
    index = root / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(whoosh, "SEGMENT_DOCS", 100)  # an ingest of more records writes several segments
        ingest_history(folder, index)
    ix = open_index(index)
    reader = ix.reader
    segments = reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]
    assert len(segments) > 1 and reader.has_deletions(), "the history should leave segments with deletions"
    records = records_of(folder)
    assert reader.doc_count() == len(records)
    return ix, Oracle(records), records


def _vocabulary(records) -> tuple[list[str], list[str], list[str]]:
    """Words, two- and three-word phrases and prefixes from the live records, none of them or their
    terms an acronym's key (acronyms expand a query beyond what the oracle evaluates)."""
    keys = set().union(*(r.acronym_keys for r in records))
    banned = {k[0] for k in keys if len(k) == 1}
    words, phrases, prefixes = set(), set(), set()
    for r in records:
        plain = [w for w in surface_words(r.title + "\n" + r.text) if w not in STOP_WORDS]
        for w in plain:
            terms = query_terms(w)
            if terms and not set(terms) & banned:
                words.add(w)
                if len(terms[0]) > 6:
                    prefixes.add(terms[0][:5])
        for i in range(0, max(0, len(plain) - 3), 7):
            phrase = plain[i:i + 2 + i % 2]
            terms = tuple(query_terms(" ".join(phrase)))
            if len(terms) > 1 and terms not in keys and not set(terms) & banned:
                phrases.add(" ".join(phrase))
    return sorted(words), sorted(phrases), sorted(prefixes - banned)


def deciders(records, which: str) -> list[str]:
    """Parties, names and parts of names of those who reserved themselves or proposed, and one nobody."""
    said = sorted({w for r in records for w in getattr(r, which)})
    return said[:20] + sorted({part for w in said for part in w.split()})[:10] + ["X", "Ingen Alls"]


def strategies(records):
    words, phrases, prefixes = _vocabulary(records)
    committees = ["trygghet", "utskott", "socialt", "kommunstyrelsen", "Kommunfullmäktige", "ingen sådan"]
    people = sorted({n for r in records for n in r.participants})
    names = sorted({w for n in people for w in n.split()})[:30] + people[:30] + ["Ingen Alls"]
    officers = sorted({n for r in records for n in r.officers}) + ["Nobody"]
    cases = ["Ks 930/2023", "KS-2024-429", "855/2023", "ks489/2023", "Ks 1113/2021", "SLK-2023-00364", "1/1999"]
    dates = ["2018", "2023", "2023-10", "2023-10-11", "2024", "2019-01-01", "2025"]
    filters = st.one_of(
        st.builds(lambda v: ("committee", v), st.sampled_from(committees)),
        st.builds(lambda v: ("participant", v), st.sampled_from(names)),
        st.builds(lambda v: ("officer", v), st.sampled_from(officers)),
        st.builds(lambda v: ("case", v), st.sampled_from(cases)),
        st.builds(lambda k, v: (k, v), st.sampled_from(["date", "from", "to"]), st.sampled_from(dates)),
        st.builds(lambda v: ("kind", v), st.sampled_from(["protocol", "notice", "other", "front"])),
        st.builds(lambda v: ("reserved", v), st.sampled_from(deciders(records, "reserved"))),
        st.builds(lambda v: ("proposed", v), st.sampled_from(deciders(records, "proposed"))),
        st.just(("voted", "yes")),
        st.builds(lambda v: ("outcome", v), st.sampled_from(["bifall", "avslag", "återremiss", "bordläggning",
                                                              "enligt förslag"])),
    )
    written = sorted({w.title() for n in people for w in n.split()})[:30]  # as names are written
    whole = sorted({n.title() for n in people})[:30]
    leaf = st.one_of(
        st.builds(Word, st.sampled_from(words + ["och", "zorblax", "qzxv"])),
        st.builds(Word, st.sampled_from(written + ["Zorblax"])),
        st.builds(Word, st.sampled_from(written), st.just("people")),
        st.builds(Phrase, st.sampled_from(whole + ["Lund Anna"])),
        st.builds(lambda n: And(tuple(Word(w) for w in n.split())), st.sampled_from([n for n in whole if " " in n])),
        st.builds(Word, st.sampled_from(words), st.sampled_from(["title", "text"])),
        st.builds(Phrase, st.sampled_from(phrases)),
        st.builds(Prefix, st.sampled_from(prefixes)),
        st.builds(lambda raw: CaseRef(raw, parse_query(raw).tree.key), st.sampled_from(cases)),
        st.builds(lambda f: Filter(clause(f[0], f[1])), filters),
    )
    tree = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda cs: And(tuple(cs)), st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda cs: Or(tuple(cs)), st.lists(inner, min_size=2, max_size=3)),
            st.builds(Not, inner),
        ),
        max_leaves=6,
    )
    options = st.lists(filters, max_size=2)
    return tree, options


def _check(ix, oracle, tree, options):
    text = render(tree)
    parsed = parse_query(text)
    if parsed.tree != tree:  # the readings that differ: a short word before a number is a case prefix ...
        cases = any(isinstance(leaf, CaseRef) and " " in leaf.raw for leaf, _ in leaves(parsed.tree))
        assert cases or any("NOTs in a row were read as" in n for n in parsed.notes), (text, parsed)
        if cases:  # ... and NOT NOT is read as no NOT: the same answer, which the oracle gives for the tree
            tree = parsed.tree
    expected = oracle.answer(And((oracle.read(tree),) + tuple(Filter(clause(n, v)) for n, v in options)))
    spans = [clause(n, v).value for n, v in options if n in ("date", "from", "to")]
    lo = max((s[0] for s in spans if s[0]), default=None)
    hi = min((s[1] for s in spans if s[1]), default=None)
    if lo and hi and lo > hi:  # such options are refused before searching
        return
    values: dict[str, list[str]] = {}
    for n, v in options:
        values.setdefault(n, []).append(v)
    result = search(ix, text, make_filters(**values), limit=10_000)
    got = {h.id for h in result.hits}
    if result.showing_results_for:  # the å/ä/ö fallback answered another query: not this one's
        assert not expected
        return
    assert got == expected, (text, options, sorted(got ^ expected)[:10])
    assert result.total == len(expected), text
    return len(expected)


def test_search_agrees_with_the_oracle(history):
    ix, oracle, records = history
    tree, options = strategies(records)

    sizes: list[int] = []

    @settings(max_examples=300, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(tree, options)
    def check(tree, options):
        sizes.append(_check(ix, oracle, tree, options) or 0)

    check()
    # The comparison is not between empty answers, nor between "everything"s.
    assert sum(1 for n in sizes if 0 < n < len(records)) >= len(sizes) // 3, sizes


@pytest.mark.parametrize("text, options", [
    ("trygghet", [("to", "2019-01-01")]),
    ("trygghet", [("from", "2023-01-01")]),
    ("kommun NOT kind:notice", []),
    ("(date:2018 OR polis)", []),
    ("polis NOT committee:trygghet", [("to", "2024")]),
    ('"öppen narkotikahantering" OR GVI', [("kind", "protocol")]),
    ("Ks 930/2023", []),
    ("KS-2024-429", []),  # spelled as no § writes it: found by its key only
    ("ks855/2023 OR GVI", [("from", "2023")]),
    ("KS-2021-1113 NOT kind:protocol", []),
])
def test_known_reproductions_agree_with_the_oracle(history, text, options):
    ix, oracle, _ = history
    tree = parse_query(text).tree
    _check(ix, oracle, tree, options)


def test_case_lookups_read_from_the_column_what_the_stored_paragraphs_say(history):
    """A lookup reads its fields from a column of their own: on an index of several segments with deleted
    §§, for every case key, what the stored §§ themselves hold (the contract's plain reading)."""
    from trygg_search.backends.base import Index
    from trygg_search.backends.whoosh.schema import LOOKUP_FIELDS

    ix, _, records = history
    keys = set(ix.terms("case")) | set(ix.terms("mentions"))
    assert len(keys) > 20
    for key in sorted(keys):
        fast = ix.filed_and_mentioned(key)
        plain = Index.filed_and_mentioned(ix, key)  # the stored fields of each §
        assert fast == tuple([{k: d.get(k) for k in LOOKUP_FIELDS} for d in side] for side in plain), key


# --- date spans ------------------------------------------------------------------------------------

_DAYS = sorted({f"{y}-{m:02d}-{d:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)
                for d in (1, 2, 15, 27, 28, 29, 30, 31)} | {"2024-02-29", "2020-12-31", "2024-01-01"})


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """A § for each of many days: every month's first and last days (and 30 and 31 February, which a
    protocol may write and the parser keeps), across years; ingested in two steps, one file changed."""
    root = tmp_path_factory.mktemp("dated")
    folder = root / "docs"
    folder.mkdir()
    for k, day in enumerate(_DAYS):
        (folder / f"m{k:03d}.txt").write_text(f"Nämnden\n\nDatum: {day}\n\n§ 1 Ärende\n\nText {k}.\n", encoding="utf-8")
    ingest([str(folder)], root / "index")
    (folder / "m000.txt").write_text(f"Nämnden\n\nDatum: {_DAYS[0]}\n\n§ 1 Ärende\n\nÄndrad.\n", encoding="utf-8")
    ingest([str(folder)], root / "index")
    return root / "index"


_BOUNDS = st.one_of(st.none(), st.sampled_from(["2020", "2021", "2022", "2023", "2024", "2025"]),
                    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2020, 2024), st.integers(1, 12)),
                    st.dates(min_value=__import__("datetime").date(2020, 11, 1),
                             max_value=__import__("datetime").date(2024, 3, 31)).map(str))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_BOUNDS, _BOUNDS)
def test_a_date_span_finds_the_days_a_range_of_day_terms_holds(dated, lo, hi):
    """The whoosh index reads a span's whole years and months as one term each: the §§ found are those
    whose date lies in the span as strings compare (the oracle), month ends and 30 February included."""
    from trygg_search.filters import parse_date_bound

    options = {k: v for k, v in (("date_from", lo), ("date_to", hi)) if v}
    a = parse_date_bound(lo, False, "--from") if lo else "0001-01-01"
    b = parse_date_bound(hi, True, "--to") if hi else "9999-12-31"
    if a > b:
        with pytest.raises(QueryError, match="exclude every day"):
            make_filters(**options)
        return
    result = search(open_index(dated), "*", make_filters(**options), limit=1000)
    expected = sorted(f"m{k:03d}#{n}" for k, day in enumerate(_DAYS) if a <= day <= b for n in ("1", "front"))
    assert (result.total, sorted(h.id for h in result.hits)) == (len(expected), expected)
