"""What an index engine gives trygg-search: the one contract between the search core and a backend.

A backend stores §§ as documents (the field dicts :func:`ingest.documents`
makes) and answers for them.  Two sides:

- **ingest**: ``Backend.update()`` holds the index for one writer and
  yields an :class:`Update`: the catalog of the live commit (path -> content
  hash, name, id stem, §§, term lengths), the vocabulary, the texts of a
  file's §§, delete a file's §§, add a §, and commit all of it, catalog and
  vocabulary included, as one atomic step.  Leaving the ``with`` block by an
  exception cancels everything: the previous index stays whole.
- **search**: ``Backend.open()`` gives an :class:`Index`, a snapshot: run a
  query tree (:mod:`query`) with filter clauses (:mod:`filters`) and a limit,
  with an exact total; the score parts of the top hits; stored §§ by id or
  by term; term statistics over live §§ (did-you-mean, acronyms, ``stats``).

Errors are those of :mod:`errors`: IndexMissingError, IndexDamagedError,
SchemaMismatchError, IngestLockedError; an OSError while writing goes up
as it is (ingest names the path and the cure).  Nothing outside a backend's
package imports its engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Iterator

# The stored fields a lookup by case shows of a § (results.Hit.lookup_dict): all that
# ``filed_and_mentioned`` must give, so that a backend may read them without the § 's text.
LOOKUP_FIELDS = ("id", "date", "committee", "paragraph", "title", "case_number", "kind", "path", "decision",
                 "decisions")


@dataclass
class Request:
    """A search: the query tree (None: every §), the clauses every hit must pass, how many hits."""

    tree: object | None
    clauses: list = field(default_factory=list)
    limit: int = 10
    proximity: list[str] | None = None  # plain words whose nearness in a title ranks higher
    acronyms: object | None = None  # an expand.AcronymMap, or None for no expansion
    newest: bool = False  # with no tree: the §§ newest first (by their ``browse`` key), not by score


@dataclass
class Run:
    """What a search found: the top §§ (stored fields, score), the exact total, and how it was read."""

    hits: list[tuple[dict, float]]
    total: int
    notes: list[str] = field(default_factory=list)
    matched_terms: set[str] = field(default_factory=set)  # text terms the query matched, for highlighting
    expansions: list[str] = field(default_factory=list)  # "gvi also as gruppvåldsintervention"
    query: str = ""  # the engine's query, as text (--explain)
    handle: object = None  # the backend's own, for explain()


def front_weighed(parts: list[dict], kind: str | None) -> list[dict]:
    """The parts of a front record's score as they count in it: each weighed by ``weights.FRONT``."""
    if kind != "front":
        return parts
    from .. import weights

    return [dict(p, score=round(p["score"] * weights.FRONT, 4)) for p in parts]


def read_otherwise(meta: dict) -> str | None:
    """Why an ingest builds an index of this schema anew from its commit's ``meta``: it was built with
    other analysis data, or its files were read by another version of the parser; None for neither."""
    from ..lexicon import changed_data
    from ..records import changed_parser

    changed = changed_data(meta.get("analysis"))
    if changed:
        return f"it was built with other analysis data ({changed})"
    return changed_parser(meta.get("parser"))


class Index(ABC):
    """An open index, as one snapshot."""

    location: str
    plain: bool  # analyzed with plain Snowball (the relevance baseline)

    @abstractmethod
    def run(self, request: Request) -> Run:
        """The top ``request.limit`` §§ for the query, best first, and the exact number of matches."""

    @abstractmethod
    def count(self, request: Request) -> int:
        """The number of §§ the query matches."""

    @abstractmethod
    def matches(self, request: Request) -> dict[str, str]:
        """Every § the query matches, unranked: id -> its digest (``ingest.digest_of``), read without
        reading the §§ (what a saved search compares with its last run)."""

    @abstractmethod
    def explain(self, run: Run, top: int) -> list[dict]:
        """For the first ``top`` hits: ``{"id", "score", "matched": [{"term", "score"}]}``, parts summing to the score."""

    @abstractmethod
    def engine_note(self) -> str | None:
        """Why the backend answered some other way than its own evaluator (for --explain), or None."""

    @abstractmethod
    def terms(self, fieldname: str, prefix: str | None = None) -> list[str]:
        """Every term of a field that a live § holds, in order (only those that begin with ``prefix``, if given)."""

    @abstractmethod
    def doc_frequency(self, fieldname: str, term: str) -> int:
        """How many live §§ hold the term."""

    @abstractmethod
    def has_term(self, fieldname: str, term: str) -> bool:
        """Whether a live § holds the term."""

    def term_counts(self, fieldname: str, terms) -> dict[str, int]:
        """How many live §§ hold each of the terms (0 where none does).  A backend may answer all at once
        (one request to a cluster, not one a term)."""
        return {t: self.doc_frequency(fieldname, t) for t in dict.fromkeys(terms)}

    def prefixed_counts(self, fieldname: str, prefixes) -> dict[str, int]:
        """Every term of a field that a live § holds and that begins with one of the prefixes, with how many
        §§ hold it.  A backend may answer all at once."""
        out: dict[str, int] = {}
        for prefix in dict.fromkeys(prefixes):
            for term in self.terms(fieldname, prefix):
                out[term] = self.doc_frequency(fieldname, term)
        return out

    @abstractmethod
    def stored(self, paragraph_id: str) -> dict | None:
        """The stored fields of the § with that id, or None."""

    @abstractmethod
    def with_term(self, fieldname: str, term: str) -> list[dict]:
        """The stored fields of every live § that holds the term, in index order."""

    def filed_and_mentioned(self, key: str) -> tuple[list[dict], list[dict]]:
        """The stored fields of the live §§ filed under a case key, and of those that only mention it:
        at least LOOKUP_FIELDS.  A backend may answer both at once (one request to a cluster, not two)."""
        filed = self.with_term("case", key)
        ids = {fields["id"] for fields in filed}
        return filed, [fields for fields in self.with_term("mentions", key) if fields["id"] not in ids]

    def stored_many(self, paragraph_ids: list[str]) -> list[dict | None]:
        """``stored`` of each id, in order: a backend may answer a batch in one request."""
        return [self.stored(i) for i in paragraph_ids]

    def filed_and_mentioned_many(self, keys: list[str]) -> list[tuple[list[dict], list[dict]]]:
        """``filed_and_mentioned`` of each key, in order: a backend may answer a batch in one request."""
        return [self.filed_and_mentioned(key) for key in keys]

    @abstractmethod
    def first(self) -> dict | None:
        """The stored fields of some §, or None when the index holds none."""

    @abstractmethod
    def doc_count(self) -> int:
        """The number of live §§."""

    @abstractmethod
    def catalog(self) -> dict[str, dict]:
        """path -> {"sha1", "name", "stem", "paragraphs", "lengths"} of the files the index holds."""

    @abstractmethod
    def vocabulary(self) -> dict[str, int]:
        """Surface word -> number of live §§ it occurs in (empty when unknown)."""

    @abstractmethod
    def meta(self) -> dict:
        """{"schema_version", "last_ingest", ...} as recorded by the last ingest."""


class Update(ABC):
    """One ingest's hold on the index (see the module docstring)."""

    catalog: dict[str, dict]  # of the live commit; {} for a new or rebuilt index
    previous_catalog: dict[str, dict]  # what a rebuilt index held (its files are ingested again)
    vocabulary: dict[str, int] | None  # None: lost, to be counted again
    rebuilt: bool
    why: str | None  # why the index is built anew, when not asked for

    @abstractmethod
    def texts_of(self, path: str) -> Iterator[str]:
        """The texts of the live §§ of a file."""

    @abstractmethod
    def all_texts(self) -> Iterator[str]:
        """The texts of every live §."""

    @abstractmethod
    def delete(self, path: str) -> None:
        """Delete a file's §§ (from the next commit on)."""

    @abstractmethod
    def add(self, document: dict) -> None:
        """Add one § (a field dict from ``ingest.documents``)."""

    @abstractmethod
    def needs_commit(self) -> bool:
        """Whether a derived file of the live commit is missing, so that a commit is due even with nothing to change."""

    @abstractmethod
    def commit(self, catalog: dict[str, dict], vocabulary: dict[str, int]) -> int:
        """Make the additions, deletions, catalog and vocabulary live at once; the number of live §§ then."""

    @abstractmethod
    def doc_count(self) -> int:
        """The number of live §§ (after the commit, if one was made)."""

    def keep_alive(self) -> None:
        """Called now and then while worker processes write (this process sends nothing meanwhile): a
        backend whose lock lives by heartbeats sends one when due."""

    def sink(self) -> "Sink | None":
        """Where an ingest's worker processes may write records themselves (picklable), or None: they
        then hand their records to this update's ``add``."""
        return None

    def take(self, part) -> None:
        """A part a worker's :class:`Sink` finished: its records are made live by the next commit."""
        raise NotImplementedError

    def part_texts(self, part_id: str, first: int, end: int) -> list[str]:
        """The texts of records ``first`` to ``end`` (excluded) of a part taken."""
        raise NotImplementedError

    def discard(self, part_id: str, first: int, end: int) -> None:
        """Records ``first`` to ``end`` (excluded) of a worker's part: not to be made live (a copy of a
        protocol already indexed), whether the part is taken before this or after."""
        raise NotImplementedError


class Sink(ABC):
    """In an ingest's worker process: records written into parts of the index (whoosh: segments) that
    no reader sees until the ingest's process takes them (:meth:`Update.take`) and commits."""

    @abstractmethod
    def part_id(self) -> str:
        """The part the next record goes into."""

    @abstractmethod
    def count(self) -> int:
        """Records in that part so far: the next record's number in it."""

    @abstractmethod
    def fits(self, records: int) -> bool:
        """Whether that many records more belong in the open part (else :meth:`finish` it first)."""

    @abstractmethod
    def add(self, document: dict) -> None:
        """Add one record (a field dict from ``ingest.documents``, its analysis primed)."""

    @abstractmethod
    def finish(self):
        """Write the open part and return it (picklable, for :meth:`Update.take`); None when empty."""


class WatchStore(ABC):
    """The saved searches of an index, held for one change (see :meth:`Backend.watches`)."""

    data: dict  # name -> the saved search (see :mod:`...watch`)

    @abstractmethod
    def save(self) -> None:
        """Write ``data`` whole, at once: a reader sees the saved searches before or after, never half."""


class Backend(ABC):
    """An index engine at one location."""

    name: str  # how a user names it (--backend)
    location: str

    @classmethod
    @abstractmethod
    def handles(cls, location: str) -> bool:
        """Whether this engine serves that location (a folder, a URL, ...)."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether there is an index at this location (of any version, whole or not)."""

    @abstractmethod
    def open(self) -> Index:
        """The index for reading; IndexMissingError, IndexDamagedError or SchemaMismatchError if it cannot be."""

    @abstractmethod
    def watches(self, wait: float) -> AbstractContextManager[WatchStore]:
        """Hold the saved searches kept with the index for one change, waiting up to ``wait`` seconds for
        another command that holds them (IngestLockedError then)."""

    @abstractmethod
    def read_watches(self) -> dict:
        """The saved searches kept with the index, as last saved ({} where there are none)."""

    @abstractmethod
    def update(self, *, wait: float, rebuild: bool, plain: bool) -> AbstractContextManager[Update]:
        """Hold the index for one ingest (waiting up to ``wait`` seconds for another); see :class:`Update`."""
