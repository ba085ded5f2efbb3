"""The whoosh index's codec: whoosh's W3 posting blocks, with each block's values apart.

A W3 block is one pickle of (ids, weights, values), compressed: a query that
scores a word reads its ids and weights, and yet decompresses and unpickles
every posting's positions too (one bytes object a posting), about four
fifths of the time it spends decoding.  Here a block's data is two parts,
each marshalled and compressed on its own::

    length of part A (4 bytes), what part B holds (1 byte) | A: (ids, weights) | B

so that scoring reads part A only, and phrases read part B when they ask for
values.  For a field of whoosh's Positions format, B holds each posting's
position deltas, one tuple a posting, all decoded by one ``marshal.loads``
(whoosh's value of a posting is a pickle of them, decoded one by one); for
any other format, whoosh's values.  The block header (count, last id,
maximum weight, compression) is whoosh's, and so is everything else in the
segment.

A segment names its codec in the index's table of contents (a pickle):
these classes stay at this module path.  Raise the schema version whenever
the layout changes.  whoosh's own matchers read these blocks through
:class:`SplitLeafMatcher`, so whoosh's searcher (where the engine steps
aside) reads the same postings.
"""

from __future__ import annotations

import marshal
import struct
import zlib
from pickle import dumps, loads

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint

_PART_A = struct.Struct(">IB")  # the length of part A, and what part B holds:
VALUES, DELTAS = 0, 1  # whoosh's values, as the field's format encoded them; Positions' deltas, a tuple each
MARSHAL_VERSION = 4  # read by every Python 3 since 3.4
# Part B of a Positions field: version 2, which never marks an object as shared (3 and 4 mark those
# another reference holds as well), so that the bytes are the same whoever holds the deltas (the term
# writer holds them in its pool; whoosh's writer decodes them afresh).  zlib takes back the longer
# tuple headers: the index's size is unchanged.
DELTAS_MARSHAL_VERSION = 2
# Postings a block holds (whoosh writes 128).  Each block costs the engine a header read and unpickled,
# a seek and two decompressions in Python, about as much as decoding a hundred postings: at 512 the
# benchmark's median query at 100,000 §§ took a fifth less time, and a filter that skips blocks holding
# none of its §§ skips fewer (a participant's §§: a tenth more).  The reader takes any size a block has.
BLOCK_POSTINGS = 512
# A term of fewer postings keeps them in its term info (whoosh's inlining), not in a block of the postings
# file: most terms of an index are word pairs and ids of one § or a few, and a block costs about forty
# microseconds to write (two compressions, a pickled header, five writes).  At 16, a segment's writing
# took a third less time; the index was a tenth smaller (the blocks' headers and zlib's own headers).
INLINE_POSTINGS = 16


class SplitCodec(W3Codec):
    """W3 with split blocks, and without per-block length statistics.

    whoosh reads every posting's document length back from disk at commit to
    record each block's shortest and longest document: a syscall or two a
    posting, 15 % of ingest time.  The figures only tighten the block-quality
    bound that whoosh's own top-k skipping uses; without them (0) the bound
    stays a true upper bound, and the engine does not use it.
    """

    length_stats = False

    def __init__(self, blocklimit: int | None = None, compression: int = 3, inlinelimit: int | None = None):
        super().__init__(blocklimit or BLOCK_POSTINGS, compression, inlinelimit or INLINE_POSTINGS)

    def postings_writer(self, dbfile, byteids=False):
        return SplitPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                   compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return SplitLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class SplitPostingsWriter(W3PostingsWriter):
    """whoosh's block writer, the block's data written as the two parts."""

    def _write_block(self, last=False):
        from whoosh.util.numeric import length_to_byte

        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        comp = self._compression
        a = marshal.dumps((self._mini_ids(), self._mini_weights()), MARSHAL_VERSION)
        if type(self._format) is Positions and self._values:  # each value: pack_uint(n) + pickle of the deltas
            kind, b = DELTAS, marshal.dumps(deltas_of(self._values), DELTAS_MARSHAL_VERSION)
        else:
            kind, b = VALUES, marshal.dumps(self._mini_values(), MARSHAL_VERSION)
        if comp:
            a, b = zlib.compress(a, comp), zlib.compress(b, comp)
        ids = self._ids
        info = dumps((len(ids), ids[-1], self._maxweight, comp, length_to_byte(self._minlength),
                      length_to_byte(self._maxlength)), 2)  # whoosh's header, read by W3LeafMatcher._goto
        postfile = self._postfile
        length = len(info) + _PART_A.size + len(a) + len(b)
        postfile.write_int(-length if last else length)
        postfile.write(info)
        postfile.write(_PART_A.pack(len(a), kind))
        postfile.write(a)
        postfile.write(b)
        self._blockcount += 1
        self._new_block()

    def _mini_weights(self):
        # whoosh's: None where every weight is 1.0, the weight where all are one, else all of them; counted
        # in C, where whoosh reads the block a weight at a time, once or twice (512 weights, 400 of them
        # 1.0: 35 µs, counted 13 µs)
        weights = self._weights
        first = weights[0]
        if weights.count(first) == len(weights):
            return None if first == 1.0 else first
        return tuple(weights)

    def finish_postings(self):
        # whoosh's, inlining a short list with the term info's own method (whoosh calls set_inline,
        # which W3TermInfo lacks)
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            values = inlined_values(self._values, type(self._format) is Positions)
            terminfo.set_inlined(self._ids, self._weights, values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


def deltas_of(values) -> tuple:
    """The position deltas of a block's Positions postings, a tuple each: what part B holds.  A value is
    given so by the term writer (writer.py: a tuple, or the one position of a posting that has one, an
    ``int``), else it is whoosh's value bytes (the count, then a pickle of the deltas)."""
    return tuple([v if type(v) is tuple else (v,) if type(v) is int else tuple(loads(v[_INT_SIZE:]))
                  for v in values])


def positions_value(value) -> bytes:
    """A Positions posting's value as whoosh's format encodes it (``Positions.encode``): of the term
    writer's deltas (a tuple, or one position as an ``int``), or as given."""
    if type(value) is int:
        return _ONE + dumps([value], 2)
    return pack_uint(len(value)) + dumps(list(value), 2) if type(value) is tuple else value


_ONE = pack_uint(1)


def inlined_values(values, positions: bool) -> list:
    """A short list's values as its term info keeps them, for whoosh's list reader: a Positions
    field's as whoosh's format encodes them, others as given, without the empty ones (whoosh's block
    writer keeps none)."""
    if positions:
        return [positions_value(v) for v in values]
    return [v for v in values if v]


class SplitLeafMatcher(W3LeafMatcher):
    """whoosh's block reader for split blocks: part A when ids or weights are read, part B for values."""

    def _read_data(self):
        ids, weights, self._values_at, self._values_kind = read_part_a(self._postfile, self._dataoffset,
                                                                       self._compression)
        self._data = (ids, weights, None)

    def _read_values(self):
        if self._data is None:
            self._read_data()
        values = read_values(self._postfile, self._values_at, self._nextoffset, self._compression)
        if self._values_kind == DELTAS:  # the bytes whoosh's Positions format made of them
            values = tuple(map(positions_value, values))
        self._data = (self._data[0], self._data[1], values)
        super()._read_values()


def read_part_a(postfile, start: int, compression: int) -> tuple[tuple, object, int, int]:
    """A block's ids (deltas) and weights, where its part B begins and what it holds."""
    length, kind = _PART_A.unpack(postfile.get(start, _PART_A.size))
    a = postfile.get(start + _PART_A.size, length)
    ids, weights = marshal.loads(zlib.decompress(a) if compression else a)
    return ids, weights, start + _PART_A.size + length, kind


def read_values(postfile, start: int, end: int, compression: int):
    """A block's part B: whoosh's minified values (a tuple of bytes, joined bytes or None), or a tuple of
    position deltas a posting."""
    b = postfile.get(start, end - start)
    return marshal.loads(zlib.decompress(b) if compression else b)

