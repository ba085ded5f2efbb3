"""The segment writer (backends/whoosh/writer.py) writes what whoosh's own writer writes.

whoosh's SegmentWriter is the oracle: the same records added to each, the two
segments' files are compared byte for byte, with the term writer spilling
runs to disk (terms whose postings span runs) and without.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[dict]:
    """The bundled corpus's documents and 300 generated §§'."""
    from trygg_search.ingest import _prepare

    synthetic = tmp_path_factory.mktemp("writer") / "synthetic"
    generate(synthetic, 300, seed=11)
    out = []
    for f in sorted(CORPUS.glob("*.txt")) + sorted(synthetic.glob("*.txt")):
        prepared = _prepare((f, str(f), f.stem, False, None))
        assert prepared.get("docs"), f
        out.extend(prepared["docs"])
    assert len(out) > 300
    return out


@pytest.fixture(scope="module")
def records(documents) -> list[dict]:
    """What an ingest gives whoosh's writer."""
    from trygg_search.backends.whoosh import record_fields

    return [record_fields(doc, False) for doc in documents]


def _segment_files(index_dir: Path, segment) -> dict[str, bytes]:
    """A segment's files by their extension, and their bytes."""
    prefix = segment.segment_id()
    files = {p.name[len(prefix):]: p.read_bytes() for p in index_dir.iterdir() if p.name.startswith(prefix)}
    assert files, prefix
    return files


def _write(index_dir: Path, records: list[dict], make, plain: bool = False) -> dict[str, bytes]:
    from whoosh import index as windex

    from trygg_search.backends.whoosh.schema import build_schema

    index_dir.mkdir()
    ix = windex.create_in(str(index_dir), build_schema(plain=plain))
    writer = make(ix)
    for record in records:
        writer.add_document(**record)
    segment = writer._finalize_segment()
    files = _segment_files(index_dir, segment)
    writer._finish()
    return files


def _whoosh_writer(ix):
    from whoosh.writing import SegmentWriter

    from trygg_search.backends.whoosh.store import codec

    return SegmentWriter(ix, _lk=False, compound=False, codec=codec())


def _term_writer(run_postings: int, codec=None):
    """A maker of our writer of an index's segment, spilling a run every ``run_postings`` postings, with
    the index's codec (or ``codec()``)."""
    from trygg_search.backends.whoosh import store
    from trygg_search.backends.whoosh.writer import TermWriter

    return lambda ix: TermWriter(ix, run_postings=run_postings, _lk=False, compound=False,
                                 codec=(codec or store.codec)())


def _chunked_whoosh_writer(ix):
    """whoosh's writer with the pool the index's own writer has for merging segments (its runs
    marshalled in chunks: internals.chunked_runs)."""
    from trygg_search.backends.whoosh.internals import chunked_runs

    writer = _whoosh_writer(ix)
    chunked_runs(writer)
    assert type(writer.pool).__name__ == "ChunkedPostingPool"
    return writer


@pytest.mark.parametrize("run_postings", [10**9, 5_000, 37])
def test_segments_are_whoosh_s_byte_for_byte(records, tmp_path, run_postings):
    """One run in memory; several runs on disk (a term's postings in many of them); a run every
    document or so.  Every file of the segment (terms, postings, stored fields, lengths, the lookup
    column) holds the bytes whoosh's writer writes."""
    from trygg_search.backends.whoosh import store
    from trygg_search.backends.whoosh.writer import usable

    def term_writer(ix):
        assert usable(ix.schema, store.codec())
        return _term_writer(run_postings)(ix)

    theirs = _write(tmp_path / "whoosh", records, _whoosh_writer)
    ours = _write(tmp_path / "ours", records, term_writer)
    assert sorted(ours) == sorted(theirs)
    assert len(theirs[".pst"]) > 100_000
    for ext in theirs:
        assert ours[ext] == theirs[ext], ext


@pytest.mark.parametrize("run_postings", [10**9, 37])
def test_boosted_records_are_written_as_whoosh_writes_them(records, tmp_path, run_postings):
    """A record or a field given a boost of its own (``_boost``, ``_case_boost``): its postings weigh
    what whoosh's writer gives them, also in a field whose other postings the term writer keeps as
    ids only (one weight, no values), and whether the boosted posting comes first or later."""
    boosted = []
    for i, record in enumerate(records):
        record = dict(record)
        if i % 7 == 3:
            record["_boost"] = 2.5
        if i % 11 == 0:
            record["_case_boost"] = 0.5
            record["_text_pairs_boost"] = 3.0
        boosted.append(record)
    theirs = _write(tmp_path / "whoosh", boosted, _whoosh_writer)
    ours = _write(tmp_path / "ours", boosted, _term_writer(run_postings))
    assert sorted(ours) == sorted(theirs)
    for ext in theirs:
        assert ours[ext] == theirs[ext], ext
    plain = _write(tmp_path / "unboosted", records, _whoosh_writer)
    assert plain[".pst"] != theirs[".pst"] or plain[".trm"] != theirs[".trm"]  # the boosts weigh


def test_a_plain_segment_is_whoosh_s_byte_for_byte(documents, tmp_path):
    """The baseline analysed with plain Snowball (``--plain``), through both writers."""
    from trygg_search.backends.whoosh import record_fields

    records = [record_fields(doc, True) for doc in documents]
    theirs = _write(tmp_path / "whoosh", records, _whoosh_writer, plain=True)
    ours = _write(tmp_path / "ours", records, _term_writer(5_000), plain=True)
    assert ours == theirs


def test_a_segment_of_whoosh_s_own_codec_is_whoosh_s_byte_for_byte(records, tmp_path):
    """whoosh's W3 codec (without block length statistics), which takes positions only as whoosh's
    format encodes them, through both writers."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    from trygg_search.backends.whoosh.schema import build_schema
    from trygg_search.backends.whoosh.writer import usable

    def stock():
        codec = W3Codec()
        codec.length_stats = False
        return codec

    assert usable(build_schema(), stock())
    theirs = _write(tmp_path / "whoosh", records, lambda ix: SegmentWriter(
        ix, _lk=False, compound=False, codec=stock()))
    ours = _write(tmp_path / "ours", records, _term_writer(5_000, stock))
    assert ours == theirs


def test_whoosh_s_pool_spilled_in_marshalled_chunks_writes_what_it_writes_whole(records, tmp_path, monkeypatch):
    """whoosh's pool as the index's writer has it when it merges segments (internals.chunked_runs):
    with runs of 40 KB and chunks of 100 postings (dozens of runs, merged), the segment is the one
    whoosh's pool writes when it never spills."""
    from trygg_search.backends.whoosh import internals

    chunks = []
    write_chunk = internals._write_chunk
    monkeypatch.setattr(internals, "_write_chunk", lambda f, chunk: (chunks.append(len(chunk)), write_chunk(f, chunk)))
    monkeypatch.setattr(internals, "RUN_LIMIT", 40_000)
    monkeypatch.setattr(internals, "RUN_CHUNK", 100)
    spilled = _write(tmp_path / "spilled", records, _chunked_whoosh_writer)
    assert len(chunks) > 20 and max(chunks) == 100
    assert spilled == _write(tmp_path / "whole", records, _whoosh_writer)


def test_the_pool_merges_a_term_s_runs_in_document_order(tmp_path, monkeypatch):
    """Postings of one term written across three runs and memory come back in the order they were
    added, each run's before the next run's (a merge that took a later run first would not).  A run's
    chunk ends with the term that brings it to RUN_CHUNK_POSTINGS postings (the merge holds a chunk of
    every run at once)."""
    from array import array

    from whoosh.filedb.filestore import FileStorage

    from trygg_search.backends.whoosh import writer
    from trygg_search.backends.whoosh.writer import TermPool

    chunks = []
    write_chunk = writer._write_chunk
    monkeypatch.setattr(writer, "_write_chunk", lambda f, chunk: (  # a chunk's postings before its last term
        chunks.append(sum(len(ids) // 4 for _, _, ids, _, _ in chunk[:-1])), write_chunk(f, chunk)))
    monkeypatch.setattr(writer, "RUN_CHUNK_POSTINGS", 2)

    pool = TermPool(FileStorage(str(tmp_path)), limit=2)
    docnum = 0
    expected: dict[tuple[str, bytes], list[int]] = {}
    for round_ in range(4):
        for term in (b"b", b"a", b"c" if round_ % 2 else b"a"):
            for fieldname in ("y", "x"):
                postings = pool.terms_of(fieldname).setdefault(term, (array("I"), array("d"), []))
                postings[0].append(docnum)
                postings[1].append(float(docnum))
                postings[2].append(bytes([docnum]))
                expected.setdefault((fieldname, term), []).append(docnum)
                docnum += 1
                pool.count += 1
        if round_ < 3:
            pool.spill()
    assert len(pool.runs) == 3 and len(chunks) > 6 and max(chunks) < 2
    got = {(f, t): list(ids) for f, t, ids, weights, values in pool.sorted_terms()}
    assert list(got) == sorted(expected)
    assert got == expected
    for f, t, ids, weights, values in pool.sorted_terms():
        assert list(weights) == [float(i) for i in ids] and values == [bytes([i]) for i in ids]
    pool.cleanup()
    assert list(tmp_path.iterdir()) == []


def test_a_schema_the_writer_does_not_write_gets_whoosh_s(tmp_path):
    """A field with spelling words or a codec that keeps block length statistics: whoosh's writer."""
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.codec.whoosh3 import W3Codec

    from trygg_search.backends.whoosh import store
    from trygg_search.backends.whoosh.writer import usable

    plain = fields.Schema(text=fields.TEXT())
    assert usable(plain, store.codec())
    stemmed = fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True)  # its spelling words a field apart
    assert stemmed.separate_spelling() and not usable(fields.Schema(text=stemmed), store.codec())
    assert not usable(fields.Schema(text=fields.TEXT(vector=True)), store.codec())
    assert not usable(plain, W3Codec())  # length_stats


@settings(max_examples=300, deadline=None)
@given(gaps=st.lists(st.integers(0, 70_000), min_size=1, max_size=600),
       weights=st.lists(st.sampled_from([1.0, 2.0, 0.5, 1.5, 0.0, -1.0, 3.0e38, float("nan")]), min_size=1),
       same=st.booleans())
def test_a_block_s_ids_and_weights_are_minified_as_whoosh_minifies_them(gaps, weights, same):
    """The codec's block writer reads a block's weights as None, one weight or all of them (and its ids
    as deltas) as whoosh's W3PostingsWriter does (the oracle), compared as the bytes the block holds."""
    import marshal
    from array import array
    from itertools import accumulate

    from whoosh.codec.whoosh3 import W3PostingsWriter

    from trygg_search.backends.whoosh.codec import SplitPostingsWriter

    ids = array("I", accumulate(gaps))
    block_weights = array("f", ([weights[0]] * len(ids)) if same else (weights * len(ids))[:len(ids)])
    made = []
    for cls in (W3PostingsWriter, SplitPostingsWriter):
        writer = cls(None, blocklimit=512)
        writer._new_block()
        writer._ids, writer._weights = array("I", ids), array("f", block_weights)
        made.append(marshal.dumps((writer._mini_ids(), writer._mini_weights())))
    assert made[0] == made[1]
