"""Every private attribute of whoosh that trygg-search reads, in one place, checked before use.

whoosh-reloaded is pinned below its next minor version; a release that moves
one of these makes :func:`missing_internals` say which, and the engine steps
aside for whoosh's own searcher (``--explain`` says so) instead of failing.
"""

from __future__ import annotations

import marshal
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, repeat


class Unsupported(Exception):
    """The query has a node that only whoosh's searcher evaluates."""


class WhooshChanged(Unsupported):
    """whoosh lacks an internal the engine reads (another whoosh release): whoosh's searcher answers instead."""


# What the engine reads of whoosh beyond its public API, checked before first use.
_MODULE_NAMES = {
    "whoosh.codec.whoosh3": ("W3LeafMatcher", "LENGTHS_COLUMN", "_lenfield"),
    "whoosh.util.numeric": ("byte_to_length", "length_to_byte"),
    "whoosh.reading": ("SegmentReader",),
}
_CLASS_NAMES = {
    ("whoosh.codec.whoosh3", "W3LeafMatcher"): ("_goto", "reset"),
    ("whoosh.reading", "SegmentReader"): ("has_deletions", "doc_count_all", "doc_field_length"),
}
_SEGMENT_NAMES = ("_terms", "_perdoc")
_MATCHER_NAMES = ("_postfile", "_dataoffset", "_nextoffset", "_compression", "_blocklength",
                  "_lastblock", "_maxid", "_fixedsize")
_missing: str | None = None  # set once something the engine reads is found missing


def missing_internals() -> str | None:
    """What of whoosh's internals the engine reads is not there, or None."""
    global _missing
    if _missing is None:
        import importlib

        for module_name, names in _MODULE_NAMES.items():
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                _missing = f"whoosh has no module {module_name}"
                return _missing
            for name in names:
                if not hasattr(module, name):
                    _missing = f"whoosh has no {module_name}.{name}"
                    return _missing
        for (module_name, cls), names in _CLASS_NAMES.items():
            owner = getattr(importlib.import_module(module_name), cls)
            for name in names:
                if not hasattr(owner, name):
                    _missing = f"whoosh's {cls} has no {name}"
                    return _missing
    return _missing


def _require(obj, names: tuple[str, ...], what: str) -> None:
    global _missing
    for name in names:
        if not hasattr(obj, name):
            _missing = f"whoosh's {what} has no {name}"
            raise WhooshChanged(_missing)


def is_block_matcher(m) -> bool:
    """Whether a matcher reads posting blocks of our codec (else: a short list inlined in the term info)."""
    from .codec import SplitLeafMatcher

    if type(m) is not SplitLeafMatcher:
        return False
    _require(m, _MATCHER_NAMES, "posting reader")
    return True


def term_matcher(seg, fieldname: str, btext: bytes, fmt):
    """A segment's matcher for one term, without whoosh's filter of deleted documents; None where the
    segment lacks the term (one look in its term table, not a test and then the look)."""
    from whoosh.reading import TermNotFound

    _require(seg, _SEGMENT_NAMES, "segment reader")
    try:
        return seg._terms.matcher(fieldname, btext, fmt)
    except TermNotFound:
        return None


def read_blocks(m, with_values: bool, ids: list, weights: list, values: list | None,
                 wanted: list[int] | None = None) -> None:
    """Append every block of a leaf matcher of our codec (see :mod:`.codec`), decoded whole; the values
    of a Positions field are each posting's position deltas (a tuple), others whoosh's value bytes.

    With ``wanted`` (sorted segment doc numbers), blocks that hold none of
    them are skipped undecoded: the block header gives the last id.
    """
    from .codec import DELTAS, read_part_a, read_values

    postfile = m._postfile
    previous_max = -1
    while True:
        if wanted is not None:
            i = bisect_right(wanted, previous_max)
            previous_max = m._maxid
            if i == len(wanted):
                return
            if wanted[i] > previous_max:
                if m._lastblock:
                    return
                m._goto(m._nextoffset)
                continue
        block_ids, block_weights, values_at, kind = read_part_a(postfile, m._dataoffset, m._compression)
        n = m._blocklength
        ids.extend(accumulate(block_ids))
        if block_weights is None:
            weights.extend(repeat(1.0, n))
        elif isinstance(block_weights, float):
            weights.extend(repeat(block_weights, n))
        else:
            weights.extend(block_weights)
        if with_values:  # as whoosh's matcher gives them: a fixed size's values are joined in the block
            block_values = read_values(postfile, values_at, m._nextoffset, m._compression)
            fixed = m._fixedsize
            if kind == DELTAS or fixed is None or fixed < 0:  # DELTAS: a tuple of position deltas a posting
                values.extend(block_values)
            elif fixed == 0:
                values.extend(repeat(None, n))
            else:
                values.extend(block_values[i:i + fixed] for i in range(0, len(block_values), fixed))
        if m._lastblock:
            return
        m._goto(m._nextoffset)


RUN_CHUNK = 8192  # postings marshalled together in a run of the writer's pool
RUN_LIMIT: int | None = None  # bytes of postings the pool holds before it writes a run (None: whoosh's)


def chunked_runs(writer) -> None:
    """Give a whoosh segment writer a posting pool that writes its sorted runs (what it spills to disk
    once its memory limit is reached, every 64 MB of postings) as marshalled chunks of RUN_CHUNK
    postings, where whoosh's pickles them one by one: about an eighth of the writer's time at ingest.
    The postings, their order and the index are the same.  A writer of another shape keeps its pool."""
    from whoosh.writing import PostingPool

    pool = getattr(writer, "pool", None)
    if type(pool) is not PostingPool or not all(hasattr(pool, n) for n in (
            "tempstore", "segment", "limit", "_write_run", "_read_run", "_open_run", "_remove_run")):
        return
    chunked = _chunked_pool_class()(pool.tempstore, pool.segment)
    chunked.limit = RUN_LIMIT or pool.limit
    writer.pool = chunked


@lru_cache(maxsize=1)
def _chunked_pool_class():
    from whoosh.writing import PostingPool

    class ChunkedPostingPool(PostingPool):
        # a run: chunks, each its length (8 bytes) and then its postings marshalled as one list

        def _write_run(self, f, items):
            chunk = []
            for item in items:
                chunk.append(item)
                if len(chunk) >= RUN_CHUNK:
                    _write_chunk(f, chunk)
                    chunk = []
            if chunk:
                _write_chunk(f, chunk)
            f.close()

        def _read_run(self, path):
            f = self._open_run(path)
            try:
                for chunk in read_chunks(f):
                    yield from chunk
            finally:
                f.close()
                self._remove_run(path)

    return ChunkedPostingPool


def _write_chunk(f, chunk: list) -> None:
    data = marshal.dumps(chunk)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)


def read_chunks(f):
    """The chunks of a run (each as ``_write_chunk`` wrote it), decoded one at a time."""
    while True:
        head = f.read(8)
        if not head:
            return
        yield marshal.loads(_read_exactly(f, int.from_bytes(head, "little")))


def _read_exactly(f, n: int) -> bytes:
    data = f.read(n)
    while len(data) < n:  # a raw file may return less than asked
        more = f.read(n - len(data))
        if not more:
            raise EOFError("a run of the posting pool ends inside a chunk")
        data += more
    return data


def deleted_docs(seg) -> frozenset[int]:
    """A segment's deleted document numbers, read from its per-document reader: whoosh's own
    ``deleted_docs_set`` is a ``cached_property``, whose first reading loads asyncio (see ``lean``)."""
    if not seg.has_deletions():
        return frozenset()
    perdoc = getattr(seg, "_perdoc", None)
    if perdoc is None:
        return frozenset(seg.deleted_docs_set)
    _require(perdoc, ("deleted_docs",), "per-document reader")
    return frozenset(perdoc.deleted_docs())


def length_bytes(seg, fieldname: str) -> bytes:
    """The length byte of every document of one segment in a field (whoosh's length encoding),
    read as one slice of its column where the codec allows, else document by document."""
    from whoosh.util.numeric import length_to_byte

    count = seg.doc_count_all()
    column = None
    perdoc = getattr(seg, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None and getattr(column, "_fixedlen", None) == 1:
        lengths = bytes(column._dbfile.get(column._basepos, column._count))
    else:
        lengths = bytes(length_to_byte(seg.doc_field_length(d, fieldname, 0) or 0) for d in range(count))
    return lengths.ljust(count, b"\0")


def field_B(weighting) -> dict[str, float]:
    """BM25F's per-field B values (whoosh keeps them private)."""
    return dict(getattr(weighting, "_field_B", {}))


def expanded_terms(q, reader):
    """The indexed terms a prefix, wildcard or range query stands for, as whoosh expands them."""
    return q._btexts(reader)


def can_expand(q) -> bool:
    return hasattr(q, "_btexts")


def segments_of(ix):
    """The segments of an open index's live commit."""
    return ix._segments()
