"""The embedded index: whoosh in a folder (see :mod:`.store` for its layout).

:class:`WhooshBackend` implements :mod:`..base`: ingest through an
:class:`WhooshUpdate` (one whoosh writer; the catalog, totals and vocabulary
written with each commit; a rebuild in a new generation switched in at the
end), search through a :class:`WhooshIndex` (the engine over whoosh's
posting blocks, whoosh's own searcher where the engine cannot).
"""

from __future__ import annotations

from . import lean  # noqa: F401 - first: whoosh imported without what a search never uses

import contextlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ...analysis import analyze, analyze_for_index, word_pairs
from ...lexicon import data_versions
from ...errors import IndexDamagedError
from ..base import Backend, Index, Request, Run, Sink, Update, WatchStore, front_weighed, read_otherwise
from . import live
from .internals import chunked_runs
from .query import expand_acronyms, filter_query, proximity_boost, to_whoosh
from .schema import SCHEMA_VERSION, build_schema, date_parts, is_plain, lookup_fields, lookup_value
from .searching import (
    browse,
    explain_parts,
    highlight_terms,
    matching_docs,
    missing_internals,
    run_query,
    shared_searcher,
)
from .store import (
    META,
    held,
    check_files,
    clean_uncommitted,
    commit_quietly,
    current_generation,
    ingest_lock,
    latest_commit,
    new_generation,
    open_index,
    read_catalog,
    read_meta,
    read_totals,
    read_vocabulary,
    remove_older_commits,
    remove_stale_generations,
    switch_generation,
    write_catalog,
    write_json_atomic,
    write_manifest,
    write_vocabulary,
)


class WhooshIndex(Index):
    """An open whoosh index and its kept searcher: one snapshot, its generation held while it is open."""

    def __init__(self, ix, hold=None, location: str = ""):
        self.ix = ix
        self.hold = hold  # readers.lock, held shared: no ingest removes the generation under this reader
        self.location = location
        self.folder = Path(ix.storage.folder)
        self.searcher = shared_searcher(ix)
        self.reader = self.searcher.reader()
        self.plain = is_plain(ix.schema)

    def _query(self, request: Request, notes: list[str], expansions: list[str]):
        from whoosh import query as wq

        fq = filter_query(request.clauses, self.reader, notes)
        if request.tree is None:
            return wq.Every(), fq
        q = to_whoosh(request.tree, self.reader, notes, self.plain)
        if q is None:
            return None, fq
        # The acronyms of the query's own words, then the title phrase of its plain words (not expanded),
        # as the OpenSearch translation builds them.
        q = expand_acronyms(q, request.acronyms, expansions)
        return proximity_boost(q, request.proximity, self.plain), fq

    def run(self, request: Request) -> Run:
        notes: list[str] = []
        expansions: list[str] = []
        q, fq = self._query(request, notes, expansions)
        if q is None:
            return Run([], 0, notes)
        if request.tree is None and request.newest:
            results = browse(self.searcher, fq, request.limit)
        else:
            results = run_query(self.searcher, q, fq, request.limit)
        hits = list(results)
        return Run(
            hits=[(hit.fields(), hit.score) for hit in hits],
            total=len(results),
            notes=notes,
            matched_terms=highlight_terms(q, self.reader),
            expansions=expansions,
            query=str(q),
            handle=(q, [hit.docnum for hit in hits]),
        )

    def count(self, request: Request) -> int:
        q, fq = self._query(request, [], [])
        return 0 if q is None else len(run_query(self.searcher, q, fq, 1))

    def matches(self, request: Request) -> dict[str, str]:
        from whoosh import query as wq

        q, fq = self._query(request, [], [])
        if q is None:
            return {}
        docs = matching_docs(self.searcher, q if fq is None else wq.And([q, fq]))
        ids, digests = self.reader.column_reader("id"), self.reader.column_reader("digest")
        return {_text(ids[d]): _text(digests[d]) for d in docs}

    def explain(self, run: Run, top: int) -> list[dict]:
        if run.handle is None:
            return []
        q, docnums = run.handle
        return [{"id": fields["id"], "score": round(score, 4),
                 "matched": front_weighed(explain_parts(self.searcher, q, docnum), fields.get("kind"))}
                for (fields, score), docnum in list(zip(run.hits, docnums))[:top]]

    def engine_note(self) -> str | None:
        reason = missing_internals()
        return f"whoosh's own searcher ({reason})" if reason else None

    def terms(self, fieldname: str, prefix: str | None = None) -> list[str]:
        return live.terms(self.reader, fieldname, prefix)

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return live.doc_frequency(self.reader, fieldname, term)

    def has_term(self, fieldname: str, term: str) -> bool:
        return live.is_live(self.reader, fieldname, term)

    def stored(self, paragraph_id: str) -> dict | None:
        return self.searcher.document(id=paragraph_id)

    def with_term(self, fieldname: str, term: str) -> list[dict]:
        from whoosh import query as wq

        return [self.searcher.stored_fields(d) for d in sorted(matching_docs(self.searcher, wq.Term(fieldname, term)))]

    def filed_and_mentioned(self, key: str) -> tuple[list[dict], list[dict]]:
        return self.filed_and_mentioned_many([key])[0]

    def filed_and_mentioned_many(self, keys: list[str]) -> list[tuple[list[dict], list[dict]]]:
        # The lookup column, not the stored §§: a lookup reads what it shows, not each § 's text.
        from whoosh import query as wq

        column = getattr(self, "_lookup_column", None)
        if column is None:
            column = self._lookup_column = self.reader.column_reader("lookup")
        out = []
        for key in keys:
            filed = matching_docs(self.searcher, wq.Term("case", key))
            mentioned = matching_docs(self.searcher, wq.Term("mentions", key)) - filed
            out.append(([lookup_fields(column[d]) for d in sorted(filed)],
                        [lookup_fields(column[d]) for d in sorted(mentioned)]))
        return out

    def first(self) -> dict | None:
        return next(iter(self.reader.all_stored_fields()), None)

    def doc_count(self) -> int:
        return self.reader.doc_count()

    def catalog(self) -> dict[str, dict]:
        return read_catalog(self.folder, self.reader.generation()) or {}

    def vocabulary(self) -> dict[str, int]:
        return read_vocabulary(self.folder, self.reader.generation()) or {}

    def meta(self) -> dict:
        return read_meta(self.folder)


WATCHES, WATCH_LOCK = "watches.json", "watches.lock"  # beside CURRENT: kept across rebuilds


class FileWatchStore(WatchStore):
    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def save(self) -> None:
        write_json_atomic(self.path, self.data)


# whoosh's pool holds about four times its limitmb in Python objects: 64 keeps an ingest of 100,000 §§
# well under 500 MB, at a few per cent of speed.
LIMIT_MB = 64
# Records a segment holds at most: an ingest writes its records into segments of this size, each sorted
# and written when full, and names them all in its one commit.  One segment of a million §§ would be
# sorted at the end from hundreds of runs on disk (tens of GB); a search reads a few segments about as
# fast as one.
SEGMENT_DOCS = 100_000


def segment_writer(ix):
    """A writer of one new segment of ``ix``: its records are added, the segment is written with
    ``_finalize_segment()`` and named in the commit of the index's own writer (which holds the lock)."""
    from whoosh.writing import SegmentWriter

    from .store import codec
    from .writer import TermWriter, usable

    segment_codec = codec()
    if usable(ix.schema, segment_codec):
        return TermWriter(ix, _lk=False, compound=False, codec=segment_codec)
    writer = SegmentWriter(ix, _lk=False, limitmb=LIMIT_MB, compound=False, codec=segment_codec)
    chunked_runs(writer)
    return writer


def record_fields(document: dict, plain: bool) -> dict:
    """The fields whoosh indexes of a record: the document's, the date's parts, the text's word pairs
    and the lookup column."""
    # The text's terms as its field's analyzer makes them (held for it: see analysis.analyze_for_index)
    text = document.get("text") or ""
    terms = analyze(text, plain=True) if plain else analyze_for_index(text, keep=True)
    return dict(document, **date_parts(document), text_pairs=word_pairs(terms), lookup=lookup_value(document))


class SegmentSink(Sink):
    """In an ingest's worker process: its records written into segments of its own in the generation
    the ingest writes (at most ``limit`` records each, unless one file has more), which the ingest's
    process names in its commit.  Pickled to the worker as the folder and the analyzer; opened there."""

    def __init__(self, folder: str, plain: bool, limit: int):
        self.folder, self.plain, self.limit = folder, plain, limit
        self._ix = self._writer = None

    def __getstate__(self) -> dict:
        return {"folder": self.folder, "plain": self.plain, "limit": self.limit}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"], state["plain"], state["limit"])

    def _open(self):
        if self._writer is None:
            from whoosh import index as windex

            if self._ix is None:
                self._ix = windex.open_dir(self.folder)
            self._writer = segment_writer(self._ix)
        return self._writer

    def part_id(self) -> str:
        return self._open().newsegment.segment_id()

    def count(self) -> int:
        return 0 if self._writer is None else self._writer.doc_count()

    def fits(self, records: int) -> bool:
        return self.count() == 0 or self.count() + records <= self.limit

    def add(self, document: dict) -> None:
        self._open().add_document(**record_fields(document, self.plain))

    def finish(self):
        writer, self._writer = self._writer, None
        if writer is None or writer.doc_count() == 0:
            if writer is not None:  # its empty files: removed by the commit's clean-up (not cancel(),
                writer._close_segment()  # which removes the temporary folder the other writers share)
            return None
        return writer._finalize_segment()


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class WhooshUpdate(Update):
    """One ingest's writer (opened when first needed) and a searcher over the commit it started from."""

    def __init__(self, ix, folder: Path, catalog, vocabulary, rebuilt: bool, why, previous, plain: bool):
        self.ix, self.folder, self.plain = ix, folder, plain
        self.catalog, self.vocabulary, self.previous_catalog = catalog, vocabulary, previous
        self.rebuilt, self.why = rebuilt, why
        self._writer = None
        self._adder = None  # the segment being written (see add)
        self.added: list = []  # the segments written, named in the commit's table of contents
        self._discards: dict[str, list[int]] = {}  # segment id -> its records not to be made live
        self._searcher = None
        self.committed = False

    @property
    def writer(self):
        """whoosh's writer of the index: it deletes, merges small segments and commits."""
        if self._writer is None:
            from .store import codec

            self._writer = self.ix.writer(limitmb=LIMIT_MB, compound=False, codec=codec())
            chunked_runs(self._writer)
        return self._writer

    @property
    def searcher(self):
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def texts_of(self, path: str) -> Iterator[str]:
        return (d.get("text", "") for d in self.searcher.documents(path=path))

    def all_texts(self) -> Iterator[str]:
        return (d.get("text", "") for d in self.searcher.all_stored_fields())

    def delete(self, path: str) -> None:
        self.writer.delete_by_term("path", path)

    def add(self, document: dict) -> None:
        if self._adder is None:
            self.writer  # noqa: B018 - the index's lock and temporary folder first
            self._adder = segment_writer(self.ix)
        self._adder.add_document(**record_fields(document, self.plain))
        if self._adder.doc_count() >= SEGMENT_DOCS:
            self._finish_segment()

    def _finish_segment(self) -> None:
        if self._adder is not None:
            adder, self._adder = self._adder, None
            self.added.append(adder._finalize_segment())

    def sink(self) -> "SegmentSink":
        self.writer  # noqa: B018 - the temporary folder the workers' pools share
        return SegmentSink(str(self.folder), self.plain, SEGMENT_DOCS)

    def take(self, part) -> None:
        self.added.append(part)

    def part_texts(self, part_id: str, first: int, end: int) -> list[str]:
        from whoosh.reading import SegmentReader

        segment = next(s for s in self.added if s.segment_id() == part_id)
        reader = SegmentReader(self.ix.storage, self.ix.schema, segment)
        try:
            return [reader.stored_fields(d).get("text") or "" for d in range(first, end)]
        finally:
            reader.close()

    def discard(self, part_id: str, first: int, end: int) -> None:
        self._discards.setdefault(part_id, []).extend(range(first, end))

    def _apply_discards(self) -> None:
        for segment in self.added:
            for docnum in self._discards.pop(segment.segment_id(), ()):
                segment.delete_document(docnum)
        if self._discards:  # a part that was never taken: its records would stay live
            raise RuntimeError(f"records discarded from segments the ingest did not take: {sorted(self._discards)}")

    def needs_commit(self) -> bool:
        return read_totals(self.folder, self.ix.latest_generation()) is None

    def commit(self, catalog: dict[str, dict], vocabulary: dict[str, int]) -> int:
        writer = self.writer
        self._finish_segment()
        self._apply_discards()
        # The catalog and vocabulary of the commit, written before whoosh writes its table of contents.
        write_catalog(self.folder, writer.generation, catalog)
        write_vocabulary(self.folder, writer.generation, vocabulary)
        commit_quietly(writer, self.folder, self.added)
        self._writer = None
        self.added = []
        self.committed = True
        remove_older_commits(self.folder, self.ix.latest_generation())
        write_manifest(self.folder, self.ix.latest_generation())
        self.catalog = catalog
        return self.doc_count()

    def doc_count(self) -> int:
        with self.ix.reader() as reader:
            return reader.doc_count()

    def cancel(self) -> None:
        """Undo what was written and not committed (on a full disk whoosh's own cancel may fail too)."""
        if self._adder is not None:
            try:
                self._adder.cancel()
            except Exception:
                pass
            self._adder = None
        self.added, self._discards = [], {}  # their files: removed below, as files no commit names
        if self._writer is not None:
            try:
                self._writer.cancel()
            except Exception:
                pass
            clean_uncommitted(self.folder, self._writer.generation)
            self._writer = None

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


class WhooshBackend(Backend):
    """The whoosh index in a folder (``--index``, default ``./index``)."""

    name = "whoosh"

    @classmethod
    def handles(cls, location: str) -> bool:
        return "://" not in location  # a folder

    def __init__(self, location: str | Path):
        self.location = str(location)
        self.folder = Path(location)

    def exists(self) -> bool:
        return current_generation(self.folder) is not None or (self.folder / "CURRENT").exists()

    @contextlib.contextmanager
    def watches(self, wait: float):
        with held(self.folder, WATCH_LOCK, wait, f"another command is changing the saved searches of "
                                                  f"{self.folder}; try again when it is done"):
            yield FileWatchStore(self.folder / WATCHES, self.read_watches())

    def read_watches(self) -> dict:
        try:
            with open(self.folder / WATCHES, encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise IndexDamagedError(f"the saved searches at {self.folder / WATCHES} cannot be read ({exc})") from None

    def open(self) -> WhooshIndex:
        return WhooshIndex(*open_index(self.folder), location=self.location)

    @contextlib.contextmanager
    def update(self, *, wait: float, rebuild: bool, plain: bool):
        from whoosh import index as windex

        from ...records import PARSER_VERSION

        with ingest_lock(self.folder, wait):
            gen = current_generation(self.folder)
            old_ix, catalog, vocabulary, why = _open_for_update(gen, rebuild, plain)
            fresh = old_ix is None
            previous = (read_catalog(gen, latest_commit(gen)) or {}) if fresh and gen is not None else {}
            remove_stale_generations(self.folder, keep=gen)
            target = new_generation(self.folder) if fresh else gen
            update = None
            try:
                ix = windex.create_in(str(target), build_schema(plain=plain)) if fresh else old_ix
                update = WhooshUpdate(ix, target, {} if fresh else catalog, {} if fresh else vocabulary,
                                      fresh, why, previous, plain)
                yield update
                update.close()
                write_json_atomic(target / META, {
                    "schema_version": SCHEMA_VERSION,
                    "analysis": data_versions(),
                    "parser": PARSER_VERSION,
                    "plain": plain,
                    "last_ingest": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "files": len(update.catalog),
                    "paragraphs": update.doc_count(),
                })
            except BaseException:
                if update is not None:
                    update.cancel()
                    update.close()
                if fresh:  # nothing of a build that did not finish stays behind (a killed one: the next ingest)
                    shutil.rmtree(target, ignore_errors=True)
                raise
            if fresh:
                switch_generation(self.folder, target)
                remove_stale_generations(self.folder, keep=target)


def _open_for_update(gen: Path | None, rebuild: bool, plain: bool):
    """(whoosh index, catalog, vocabulary or None, why it must be built anew) for an incremental
    ingest; the index is None when it must be built anew (``why`` says why, unless asked or new)."""
    from whoosh import index as windex

    if gen is None or rebuild:
        return None, None, None, None
    meta = read_meta(gen)
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        return None, None, None, (f"it was built with schema version {version}, this trygg-search uses "
                                  f"{SCHEMA_VERSION}" if type(version) is int else "its meta.json could not be read")
    if meta.get("plain", False) != plain:
        return None, None, None, "it was built with another analyzer"
    why = read_otherwise(meta)  # other analysis data, or another parser: every file read again
    if why:
        return None, None, None, why
    damage = check_files(gen)
    if damage:
        return None, None, None, f"it was damaged ({damage})"
    try:
        ix = windex.open_dir(str(gen))
    except Exception as exc:
        return None, None, None, f"it could not be opened ({type(exc).__name__}: {exc})"
    catalog = read_catalog(gen, ix.latest_generation())
    if catalog is None:
        return None, None, None, "its catalog could not be read"
    return ix, catalog, read_vocabulary(gen, ix.latest_generation()), None


BACKEND = WhooshBackend
