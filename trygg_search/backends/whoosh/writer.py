"""A segment writer that gathers a segment's postings term by term.

whoosh's :class:`~whoosh.writing.SegmentWriter` puts every posting into a
sorting pool as a tuple ``(field, term, document, weight, value)``, sorts the
pool's runs, merges them posting by posting through a heap, and hands each
posting to the codec's writer one call at a time: about 45 % of an ingest
worker's time at about 375 postings a §.  Here a posting is appended to its
term's arrays as the document is added; the terms are sorted (not the
postings); runs spilled to disk are merged term by term; and each term's
postings go to the codec's block writer a block at a time.  A field that
keeps positions is read from its analyzer's list of terms (``index_terms``)
and its postings hold their position deltas as tuples (one position: the
``int`` alone), which the codec writes as they are, where whoosh's format
would encode each as a pickle for the codec to decode again.  A field whose
postings all weigh the same and hold no value (whoosh's Existence format:
the IDs and the word pairs) keeps only each term's ids, and the terms a
field's value gives are held for the next record with that value.  Terms
are encoded once, as a field is sorted, not once a posting.  A term of
fewer postings than the codec's inline limit (most terms) goes to the term
table as one row, its postings in it.

The segment's files are the same, byte for byte, as whoosh's writer makes
of the same documents (``tests/test_writer.py`` compares them): the same
postings in the same blocks, with the same statistics, through the same
codec.  What the writer reads of whoosh's block writer is checked by
:func:`usable`; where it is missing, or a schema asks for what this writer
does not do (spelling words, term vectors), whoosh's writer is used.
"""

from __future__ import annotations

import heapq
from array import array
from itertools import groupby
from operator import itemgetter, sub
from pickle import dumps

from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3TermInfo
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from .codec import inlined_values
from .internals import _write_chunk, read_chunks  # a run's chunks, as the chunked pool writes them

# Postings held in memory before they are written to a sorted run on disk: about 90 bytes each, with
# the terms' keys and arrays, measured on the benchmark's §§ (45 MB; whoosh's pool spills at 64 MB of
# its own estimate, which is below what its tuples take).
RUN_POSTINGS = 500_000
# Terms marshalled together in a run, up to so many postings: the merge holds a chunk of every run at
# once (at 4,096 terms whatever their postings, a segment of 16,000 §§ took 85 MB more to merge).
RUN_TERMS = 4096
RUN_CHUNK_POSTINGS = 8192

_POSTWRITER_NAMES = ("_ids", "_weights", "_values", "_maxweight", "_minlength", "_maxlength", "_blocklimit",
                     "_inlinelimit", "_write_block", "finish_postings")
_FIELDWRITER_NAMES = ("start_field", "start_term", "finish_term", "finish_field")
_WRITER_NAMES = ("_check_state", "_doc_boost", "_field_boost", "_check_fields", "_flush_segment")


def usable(schema, codec) -> bool:
    """Whether :class:`TermWriter` can stand in for whoosh's writer of this schema and codec: no field
    asks for spelling words or term vectors, the codec keeps no length statistics per block, and
    whoosh's writers have what this one reads of them."""
    if any(f.separate_spelling() or f.vector for _, f in schema.items()):
        return False
    if getattr(codec, "length_stats", True):
        return False
    if not all(hasattr(SegmentWriter, n) for n in _WRITER_NAMES):
        return False
    if not isinstance(codec, W3Codec) or not all(hasattr(W3FieldWriter, n) for n in _FIELDWRITER_NAMES):
        return False
    if not hasattr(W3TermInfo, "_struct"):
        return False
    postwriter = codec.postings_writer(None)
    postwriter._new_block()
    return all(hasattr(postwriter, n) for n in _POSTWRITER_NAMES)


class TermPool:
    """A segment's postings by field and term, each term's in document order: ids (``array('I')``),
    weights (``array('d')``, the floats as given) and values (a list: whoosh's encoded values, or a
    positions field's deltas as tuples, a posting of one position its ``int``); spilled to sorted runs
    in the writer's temporary storage past ``limit`` postings.  A term is its bytes, or in a field the
    writer keys by word, its ``str`` (encoded once, as the field is sorted: UTF-8 sorts as the code
    points do).  A term of a field whose postings all have one weight and no value (whoosh's Existence
    format, ``weights``) may be only its ids, an ``array('I')``: the weights and values are made as the
    term is given."""

    def __init__(self, tempstore, limit: int):
        self.tempstore, self.limit = tempstore, limit
        self.fields: dict[str, dict] = {}
        self.weights: dict[str, float] = {}  # field -> the weight of each posting where a term is its ids
        self.count = 0  # postings in memory (see TermWriter.add_document)
        self.runs: list[str] = []

    def terms_of(self, fieldname: str) -> dict:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def _sorted_terms(self):
        """(field, term, ids, weights, values) of what is in memory, in the codec's order, each
        term let go of as it is given (memory is freed as the segment is written)."""
        for fieldname in sorted(self.fields):
            terms = self.fields.pop(fieldname)
            weight = self.weights.get(fieldname)
            for key in sorted(terms):
                postings = terms.pop(key)
                btext = key.encode("utf-8") if type(key) is str else key
                if type(postings) is array:  # ids only: one weight, no values
                    yield fieldname, btext, postings, array("d", (weight,)) * len(postings), []
                else:
                    yield fieldname, btext, postings[0], postings[1], postings[2]
        self.count = 0

    def spill_if_full(self) -> None:
        if self.count > self.limit:
            self.spill()

    def spill(self) -> None:
        from whoosh.util import random_name

        path = f"{random_name()}.terms"
        f = self.tempstore.create_file(path).raw_file()
        self.runs.append(path)
        try:
            chunk, postings = [], 0
            for fieldname, btext, ids, weights, values in self._sorted_terms():
                chunk.append((fieldname, btext, ids.tobytes(), weights.tobytes(), values))
                postings += len(ids)
                if len(chunk) >= RUN_TERMS or postings >= RUN_CHUNK_POSTINGS:
                    _write_chunk(f, chunk)
                    chunk, postings = [], 0
            if chunk:
                _write_chunk(f, chunk)
        finally:
            f.close()

    def _read_run(self, path: str):
        f = self.tempstore.open_file(path).raw_file()
        try:
            for chunk in read_chunks(f):
                for fieldname, btext, ids, weights, values in chunk:
                    yield fieldname, btext, array("I", ids), array("d", weights), values
        finally:
            f.close()

    def sorted_terms(self):
        """Every term's postings, runs and memory merged: (field, term, ids, weights, values) in the
        codec's order, a term's postings in document order (the runs hold earlier documents)."""
        if not self.runs:
            yield from self._sorted_terms()
            return
        if self.count:  # written as a run too, as whoosh's pool does: the memory is free for the merge
            self.spill()
        sources = [self._read_run(path) for path in self.runs]
        merged = heapq.merge(*sources, key=itemgetter(0, 1))  # stable: a run's postings before later ones
        for (fieldname, btext), parts in groupby(merged, key=itemgetter(0, 1)):
            _, _, ids, weights, values = next(parts)
            for part in parts:  # each read afresh from its run: extended in place
                ids += part[2]
                weights += part[3]
                values += part[4]
            yield fieldname, btext, ids, weights, values

    def cleanup(self) -> None:
        for path in self.runs:
            try:
                self.tempstore.delete_file(path)
            except OSError:
                pass
        self.runs = []
        self.fields, self.count = {}, 0


class TermWriter(SegmentWriter):
    """whoosh's segment writer with a :class:`TermPool` for its posting pool (see the module)."""

    def __init__(self, ix, run_postings: int | None = None, **kwargs):
        from .codec import SplitCodec

        super().__init__(ix, **kwargs)
        self.pool = TermPool(self._tempstorage, run_postings or RUN_POSTINGS)
        self.deltas = isinstance(self.codec, SplitCodec)  # a codec that takes positions as deltas
        self._plans: dict[str, str] = {}  # field -> how its postings are added (_plan)
        self._held: dict[str, dict] = {}  # field -> value -> what it indexes (_held_index)

    def add_document(self, **fields):
        # whoosh's SegmentWriter.add_document, each posting appended to its term's arrays
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        added = 0
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    terms = pool.terms_of(fieldname)
                    plan = self._plans.get(fieldname)
                    if plan is None:
                        plan = self._plans[fieldname] = _plan(field, self.deltas)
                        if plan in _ONE_WEIGHT:
                            pool.weights[fieldname] = field.format.field_boost
                    if plan in _ONE_WEIGHT and fieldboost == 1.0:
                        # each posting weighs the format's boost and has no value: the term's ids only
                        words = self._words_of(fieldname, field, value, plan)
                        for key in words:
                            postings = terms.get(key)
                            if postings is None:
                                terms[key] = array("I", (docnum,))
                            elif type(postings) is array:
                                postings.append(docnum)
                            else:  # a term given a weight of its own before (a boosted document)
                                postings[0].append(docnum)
                                postings[1].append(pool.weights[fieldname])
                        if field.scorable:
                            length = len(words)
                        added += len(words) // EXISTENCE_SHARE
                    elif plan is _POSITIONS and type(value) is str:
                        length, count = _add_positions(terms, docnum, field, value, fieldboost)
                        added += count
                    else:
                        scorable = field.scorable
                        words_as_str = plan is _POSITIONS or plan is _EXISTENCE_WORDS  # keyed by str
                        if plan is _FREQUENCY:
                            indexed = self._frequencies(fieldname, field, value)
                        else:
                            indexed = field.index(value)
                        for key, freq, weight, vbytes in indexed:
                            if words_as_str and type(key) is bytes:
                                key = key.decode("utf-8")
                            if scorable:
                                length += freq
                            postings = terms.get(key)
                            if postings is None:
                                postings = terms[key] = (array("I"), array("d"), [])
                            elif type(postings) is array:  # its ids so far, each with the format's boost
                                postings = terms[key] = (postings, array("d", (pool.weights[fieldname],))
                                                         * len(postings), [])
                            postings[0].append(docnum)
                            postings[1].append(weight * fieldboost)
                            postings[2].append(vbytes)
                            added += 1
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        pool.count += added
        pool.spill_if_full()

    def _words_of(self, fieldname: str, field, value, plan) -> list:
        """The distinct terms an Existence field indexes of ``value``: its own ``index_words``, or the
        bytes ``field.index`` gives (whoosh's Existence format gives each once, weighing the format's
        boost, with no value), held for the next record with the same value (a §'s path, date and
        committee stand in every § of its meeting)."""
        if plan is _EXISTENCE_WORDS:
            return field.index_words(value)
        if plan is _ID and type(value) is str:  # whoosh's ID tokenizer: the value is the one term
            return [value.encode("utf-8")]
        return self._held_index(fieldname, field, value, lambda btext, freq, weight, vbytes: btext)

    def _frequencies(self, fieldname: str, field, value) -> list:
        """``field.index(value)`` of a field of whoosh's Frequency format (the keywords), its terms, counts
        and weights held for the next record with the same value (a meeting's participants, a case's
        keys); each posting's value made afresh, as the format makes it (``pack_uint(count)``: a value
        object shared by two postings would be pickled once in an inlined list)."""
        indexed = self._held_index(fieldname, field, value, lambda btext, freq, weight, vbytes: (btext, freq, weight))
        return [(btext, freq, weight, pack_uint(freq)) for btext, freq, weight in indexed]

    def _held_index(self, fieldname: str, field, value, keep) -> list:
        """``keep`` of each posting ``field.index(value)`` gives, held per field (at most HELD_VALUES
        values) where the value is a ``str``."""
        if type(value) is not str:
            return [keep(*posting) for posting in field.index(value)]
        held = self._held.get(fieldname)
        if held is None:
            held = self._held[fieldname] = {}
        made = held.get(value)
        if made is None:
            made = [keep(*posting) for posting in field.index(value)]
            if len(held) >= HELD_VALUES:
                held.clear()
            held[value] = made
        return made

    def _flush_segment(self):
        self.perdocwriter.close()
        write_terms(self.fieldwriter, self.schema, self.pool.sorted_terms())
        self.fieldwriter.close()


# How the writer adds a field's postings (_plan): as whoosh's field.index gives them; keyed by word from
# the analyzer's list of terms (Positions: _add_positions); as the distinct terms of an Existence field,
# by their bytes (field.index), the value's bytes (an ID field: whoosh's ID tokenizer gives the value as
# its one term, which field.index takes about 5 µs to tell) or by word (the field's ``index_words``); as
# field.index gives them, held per value (Frequency: TermWriter._frequencies).
_GENERAL, _POSITIONS, _EXISTENCE, _EXISTENCE_WORDS, _FREQUENCY, _ID = \
    "general", "positions", "existence", "existence words", "frequency", "id"
_ONE_WEIGHT = frozenset((_EXISTENCE, _EXISTENCE_WORDS, _ID))  # the Existence plans: each posting one weight
HELD_VALUES = 4096  # values of a field whose terms _held_index holds
# An Existence posting (an id in an array: 4 bytes, and its term) counts as a quarter of one in the pool.
EXISTENCE_SHARE = 4


def _plan(field, deltas: bool) -> str:
    """How :meth:`TermWriter.add_document` adds the postings of ``field``."""
    if type(field.format) is Existence:
        if hasattr(field, "index_words"):
            return _EXISTENCE_WORDS
        return _ID if type(field.analyzer) is IDTokenizer else _EXISTENCE
    if deltas and type(field.format) is Positions and hasattr(field.analyzer, "index_terms"):
        return _POSITIONS
    if type(field.format) is Frequency:
        return _FREQUENCY
    return _GENERAL


def _add_positions(terms: dict, docnum: int, field, value: str, fieldboost: float) -> tuple[int, int]:
    """The postings of a field that keeps positions (whoosh's Positions format, an analyzer that gives its
    terms as a list, ``index_terms``, and a codec that takes deltas: codec.SplitPostingsWriter) added to
    ``terms``: each term by its ``str``, its weight as whoosh's format gives it, its value the term's
    position deltas as a tuple, or its one position as an ``int`` (most postings of a text: no tuple to
    make, or to hold until the segment is written), read from the analyzer's list without whoosh's
    tokens, and not encoded.  (the field's length, the postings added)."""
    found: dict[str, int | list[int]] = {}  # term -> its position, or its positions where it has more
    get = found.get
    for term, _, _, position, _ in field.analyzer.index_terms(value):
        at = get(term)
        if at is None:
            found[term] = position
        elif type(at) is int:
            found[term] = [at, position]
        else:
            at.append(position)
    boost = field.format.field_boost
    one = 1 * boost * fieldboost  # as whoosh: the format's weight (a position each), then the field's boost
    length = 0
    for term, at in found.items():
        postings = terms.get(term)
        if postings is None:
            postings = terms[term] = (array("I"), array("d"), [])
        ids, weights, values = postings
        ids.append(docnum)
        if type(at) is int:
            length += 1
            weights.append(one)
            values.append(at)
        else:
            n = len(at)
            length += n
            weights.append(n * boost * fieldboost)
            values.append(tuple(map(sub, at, [0] + at)))
    return (length if field.scorable else 0), len(found)


def write_terms(fieldwriter, schema, terms) -> None:
    """The terms (field, term, ids, weights, values), in the codec's order, written as whoosh's
    ``FieldWriter.add_postings`` writes them posting by posting: the same blocks, a block at a time.
    A term whose postings its term info holds (fewer than the codec's inline limit) goes straight to
    the term table, as ``W3TermInfo.to_bytes`` would make its row."""
    lastfn = None
    for fieldname, btext, ids, weights, values in terms:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn = fieldname
            postwriter = fieldwriter._postwriter
            size = postwriter._blocklimit
            inline = min(postwriter._inlinelimit, size + 1)  # whoosh inlines a list that filled no block
            positions = type(fieldwriter._format) is Positions
            add_row, prefix = fieldwriter._tindex.add, pack_ushort(fieldwriter._fieldid)
        n = len(ids)
        if n < inline:
            add_row(prefix + btext, _inlined_row(ids, weights, values, positions))
            continue
        fieldwriter.start_term(btext)
        for start in range(0, n, size):
            if start:  # the block before is full: whoosh writes it as the next posting comes
                postwriter._write_block()
            end = start + size
            block_weights = weights[start:end]
            postwriter._ids = ids[start:end]
            postwriter._weights = array("f", block_weights)
            if positions:  # never empty (bytes, a tuple, or an int that may be 0): as they are
                postwriter._values = values[start:end]
            else:
                postwriter._values = [v for v in values[start:end] if v]  # whoosh keeps no empty value
            postwriter._maxweight = max(0, max(block_weights))  # as add_posting: the largest above 0
            postwriter._minlength, postwriter._maxlength = None, 0  # no lengths: the codec keeps none
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


_NO_LENGTH = length_to_byte(0)


def _inlined_row(ids, weights, values, positions: bool) -> bytes:
    """A term's row in the term table with its postings inlined, as whoosh's block writer and
    ``W3TermInfo`` make it (see codec.SplitPostingsWriter.finish_postings): the statistics (no
    lengths: the codec keeps none), then a pickle of the ids, the weights as 32-bit floats, and the
    values (a Positions field's as whoosh encodes them; no empty one)."""
    weights32 = array("f", weights)
    values = inlined_values(values, positions)
    row = W3TermInfo._struct.pack(1, sum(weights32), len(ids), 0, _NO_LENGTH, max(0, max(weights)), ids[0], ids[-1])
    return row + dumps((tuple(ids), tuple(weights32), tuple(values)), 2)
