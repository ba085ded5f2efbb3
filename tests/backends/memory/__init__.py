"""A second backend, made only to show the seam: every § in a dict, queries answered by the test oracle.

It lives in the tests and is put on ``trygg_search.backends.__path__`` by
``tests/test_backend_seam.py``; nothing in the package names it.  Locations
``memory://NAME``; scores are 1.0 per matched § (no ranking: it is a seam
test, not an engine).
"""

from __future__ import annotations

import contextlib

from trygg_search.analysis import analyze, query_terms
from trygg_search.backends.base import Backend, Index, Run, Update
from trygg_search.lexicon import data_versions
from trygg_search.query import All, And, Filter, Phrase, Word, leaves

from tests.oracle import Oracle, Record

STORE: dict[str, dict] = {}
WATCHES: dict[str, dict] = {}  # location -> saved searches  # location -> {"files": {path: [documents]}, "catalog", "vocabulary", "meta"}
LISTS = ("case", "mentions", "acronyms", "participant", "officer")


class MemoryIndex(Index):
    def __init__(self, location: str):
        self.location = location
        self.plain = False
        state = STORE[location]
        self.state = state
        self.documents = [d for docs in state["files"].values() for d in docs]
        self.oracle = Oracle([Record(d) for d in self.documents])

    def _ids(self, request) -> list[str]:
        tree = request.tree if request.tree is not None else All()
        found = self.oracle.answer(And((tree,) + tuple(Filter(c) for c in request.clauses)))
        return sorted(found)

    def run(self, request) -> Run:
        ids = self._ids(request)
        by_id = {d["id"]: d for d in self.documents}
        matched = set()
        for leaf, negated in leaves(request.tree) if request.tree is not None else ():
            if not negated and isinstance(leaf, (Word, Phrase)):
                matched.update(query_terms(leaf.text))
        return Run([(by_id[i], 1.0) for i in ids[:request.limit]], len(ids), matched_terms=matched, query="oracle")

    def count(self, request) -> int:
        return len(self._ids(request))

    def matches(self, request) -> dict:
        by_id = {d["id"]: d for d in self.documents}
        return {i: by_id[i]["digest"] for i in self._ids(request)}

    def explain(self, run, top):
        return [{"id": f["id"], "score": s, "matched": [{"term": "match", "score": s}]} for f, s in run.hits[:top]]

    def engine_note(self):
        return None

    def _values(self, document: dict, fieldname: str) -> set[str]:
        if fieldname in ("title", "text"):
            return {t.term for t in analyze(document.get(fieldname) or "")}
        value = document.get(fieldname)
        if not value:
            return set()
        if fieldname in LISTS:
            return {v.lower() if fieldname in ("participant", "officer") else v for v in value.split(",") if v}
        return {value}

    def terms(self, fieldname, prefix=None):
        found = set().union(*(self._values(d, fieldname) for d in self.documents)) if self.documents else set()
        return sorted(t for t in found if prefix is None or t.startswith(prefix))

    def doc_frequency(self, fieldname, term):
        return sum(term in self._values(d, fieldname) for d in self.documents)

    def has_term(self, fieldname, term):
        return self.doc_frequency(fieldname, term) > 0

    def stored(self, paragraph_id):
        return next((d for d in self.documents if d["id"] == paragraph_id), None)

    def with_term(self, fieldname, term):
        return [d for d in self.documents if term in self._values(d, fieldname)]

    def first(self):
        return self.documents[0] if self.documents else None

    def doc_count(self):
        return len(self.documents)

    def catalog(self):
        return dict(self.state["catalog"])

    def vocabulary(self):
        return dict(self.state["vocabulary"])

    def meta(self):
        return dict(self.state["meta"])


class MemoryUpdate(Update):
    def __init__(self, state: dict, rebuild: bool):
        self.state = state
        self.files = {p: list(docs) for p, docs in state["files"].items()}
        self.catalog = {} if rebuild else dict(state["catalog"])
        self.previous_catalog = dict(state["catalog"]) if rebuild else {}
        self.vocabulary = {} if rebuild else dict(state["vocabulary"])
        self.rebuilt, self.why = rebuild, None
        if rebuild:
            self.files = {}

    def texts_of(self, path):
        return (d["text"] for d in self.files.get(path, ()))

    def all_texts(self):
        return (d["text"] for docs in self.files.values() for d in docs)

    def delete(self, path):
        self.files.pop(path, None)

    def add(self, document):
        self.files.setdefault(document["path"], []).append(document)

    def needs_commit(self):
        return False

    def commit(self, catalog, vocabulary):
        from trygg_search.records import PARSER_VERSION

        meta = {"schema_version": 1, "analysis": data_versions(), "parser": PARSER_VERSION}
        self.state.update(files=self.files, catalog=catalog, vocabulary=vocabulary, meta=meta)
        return self.doc_count()

    def doc_count(self):
        return sum(len(docs) for docs in self.state["files"].values())


class MemoryBackend(Backend):
    name = "memory"

    @classmethod
    def handles(cls, location: str) -> bool:
        return location.startswith("memory://")

    def __init__(self, location):
        self.location = str(location)

    def exists(self):
        return self.location in STORE

    @contextlib.contextmanager
    def watches(self, wait):
        from trygg_search.backends.base import WatchStore

        class Store(WatchStore):
            def save(store):
                WATCHES[self.location] = dict(store.data)

        store = Store()
        store.data = self.read_watches()
        yield store

    def read_watches(self):
        return dict(WATCHES.get(self.location, {}))

    def open(self):
        from trygg_search.errors import IndexMissingError

        if self.location not in STORE:
            raise IndexMissingError(f"no index at {self.location}: run 'trygg-search ingest' first")
        return MemoryIndex(self.location)

    @contextlib.contextmanager
    def update(self, *, wait, rebuild, plain):
        state = STORE.setdefault(self.location, {"files": {}, "catalog": {}, "vocabulary": {}, "meta": {}})
        yield MemoryUpdate(state, rebuild or not state["catalog"])


BACKEND = MemoryBackend
