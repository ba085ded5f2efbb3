"""An OpenSearch cluster as the index: the same commands for a region's or a nation's archive.

Layout, for an index named ``NAME``:

- ``NAME`` is an alias of one physical index ``NAME.vTIMESTAMP``.  A new or
  rebuilt index is built in a physical index of its own and the alias is
  swapped to it in one step once it is whole; the old one is then deleted.
  A build that fails or is killed leaves the alias where it was (its index
  is deleted by the next ingest).
- Each commit has a number, its *generation*.  A § document carries
  ``gen_from`` (the commit that added it) and ``gen_to`` (the commit that
  deleted it, or FOREVER), and ``_id`` ``<id>@<gen_from>``.  The document
  ``head`` names the live generation; every read pins it and sees only the
  §§ alive in it.  An incremental ingest writes generation G+1 beside G and
  makes it live by writing ``head`` last: until then, and for ever if it
  fails or is killed, searches see G whole.  The next ingest removes what
  a failed one left and the §§ that died before the live generation.
- The catalog and vocabulary of a generation are stored beside its §§ as
  chunk documents (``catalog.G.N``, ``vocabulary.G.N``).
- ``NAME.lock`` holds the ingest lock: a document naming host, process and a
  heartbeat; a lock whose process is gone, or whose heartbeat stopped, is
  taken over.

The Swedish analysis runs in Python (see :mod:`.mapping`); scores are
OpenSearch's BM25 with whoosh's parameters, over all shards' statistics.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import re
import queue
import socket
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Iterator

from ... import weights
from ...analysis import analyze, words
from ...lexicon import changed_data, data_versions
from ...errors import BackendError, IndexMissingError, IngestLockedError, SchemaMismatchError
from ..base import LOOKUP_FIELDS, Backend, Index, Request, Run, Sink, Update, WatchStore, front_weighed, \
    read_otherwise
from .client import Location, answers, connect, guarded, parse_location
from .mapping import FIELDS, FOREVER, INTERNAL, LOOKUP, SCHEMA_VERSION, concurrent_search, settings, to_source
from .query import Translation

CHUNK_FILES = 2000  # catalog entries per chunk document
CHUNK_WORDS = 50_000  # vocabulary words per chunk document
BULK_DOCS = 500
BULK_BYTES = 8_000_000
PART_DOCS = 100_000  # records of a worker's part (the ids the ingest's process holds of it)
HEARTBEAT = 15.0  # seconds between lock heartbeats
STALE = 120.0  # a lock whose heartbeat is older than this is taken over
RETRY_FOR = 120.0  # seconds a bulk item refused for an unavailable shard is tried again
PAGE = 5000
TIES = 5  # hits read past those asked for, to see where the hits of the last one's score end (_best)
PIT_KEEP_ALIVE = "2m"  # how long a point in time outlives the last page read from it
TERMS_AT_ONCE = 500  # terms counted by one request
CLEAN_UP = "the clean-up of what an interrupted ingest left"
REGEX_CHARS = 900  # the prefixes one request lists: a pattern of at most index.max_regex_length (1,000)


def _visible(generation: int) -> list[dict]:
    return [{"term": {"doc_type": "paragraph"}},
            {"range": {"gen_from": {"lte": generation}}},
            {"range": {"gen_to": {"gt": generation}}}]


def _stored(hit: dict) -> dict:
    source = hit["_source"]
    return {k: v for k, v in source.items() if not (k.startswith(("t_", "k_")) or k in INTERNAL)}


def _case_query(key: str) -> dict:
    return {"bool": {"should": [{"term": {FIELDS["case"]: key}}, {"term": {FIELDS["mentions"]: key}}],
                     "minimum_should_match": 1}}


# The order of a scan: by path and id, and a § 's generations in turn (_pages; a batch sorts by it too).
_SCAN_ORDER = ("path", "id", "gen_from")
# A lookup's §§, read from doc values: what a lookup shows of them (not their text), the case keys that tell
# filed from mentioned and whose § it is in a batch, and the keys they are sorted by.  No stored field.
_LOOKUP_READ = {"stored_fields": "_none_",
                "docvalue_fields": list(dict.fromkeys([LOOKUP, FIELDS["case"], FIELDS["mentions"], *_SCAN_ORDER]))}
# the same from _source, for a § whose lookup value was too long for doc values
_LOOKUP_SOURCE = {"includes": list(dict.fromkeys([*LOOKUP_FIELDS, FIELDS["case"], FIELDS["mentions"], *_SCAN_ORDER]))}
IDS_AT_ONCE = 1000


def _filed_apart(key: str, hits) -> tuple[list[dict], list[dict]]:
    filed, mentioned = [], []
    for hit in hits:
        (filed if key in (hit["_source"].get(FIELDS["case"]) or ()) else mentioned).append(_stored(hit))
    return filed, mentioned


class _Reader:
    """What an index and an update both read: one physical index at one generation."""

    def __init__(self, client, where: Location, physical: str, generation: int):
        self.client, self.where, self.physical, self.generation = client, where, physical, generation

    def _search(self, body: dict, **params) -> dict:
        """A search of every shard, or none: a shard copy lost on the way (its node died) is asked again,
        on another copy, a few times before the search fails; partial results are never returned.  A body
        with a point in time (``pit``) names no index: the point in time holds it."""
        from opensearchpy import TransportError

        for attempt in range(4):
            try:
                return self.client.search(index=None if "pit" in body else self.physical, body=body, params={
                    "allow_partial_search_results": "false", **params})
            except TransportError as exc:
                if attempt == 3 or not _moving(exc):
                    raise
                time.sleep(0.25 * (attempt + 1))
        raise AssertionError("unreachable")

    def _count(self, query: dict | None) -> int:
        body = {"query": {"bool": {"filter": _visible(self.generation) + ([query] if query else [])}}}
        return self._search(dict(body, size=0, track_total_hits=True))["hits"]["total"]["value"]

    def _scan(self, query: dict | None, source, read: dict | None = None) -> Iterator[dict]:
        """Every visible § matching ``query``, in (path, id) order, a page at a time."""
        return self._pages({"bool": {"filter": _visible(self.generation) + ([query] if query else [])}}, source,
                           read)

    def _looked_up(self, hits) -> list[dict]:
        """Hits read by ``_LOOKUP_READ`` as hits read by ``_LOOKUP_SOURCE`` (``{"_source": {...}}``): the
        few without a lookup value are read from _source."""
        rows: list[dict | None] = []
        unread: dict[str, int] = {}
        for hit in hits:
            values = hit.get("fields", {})
            if LOOKUP in values:
                source = json.loads(values[LOOKUP][0])
                source.update({FIELDS["case"]: values.get(FIELDS["case"], []),
                               FIELDS["mentions"]: values.get(FIELDS["mentions"], []),
                               "gen_from": values["gen_from"][0]})
                rows.append({"_source": source})
            else:
                unread[values["id"][0]] = len(rows)
                rows.append(None)
        ids = sorted(unread)
        for start in range(0, len(ids), IDS_AT_ONCE):
            for hit in self._scan({"terms": {"id": ids[start:start + IDS_AT_ONCE]}}, _LOOKUP_SOURCE):
                rows[unread[hit["_source"]["id"]]] = hit
        return rows

    def _pages(self, query: dict, source, read: dict | None = None) -> Iterator[dict]:
        """Every document matching ``query`` (of any generation), in (path, id) order, a page at a time.

        What fits in one page is one search.  More is read from one point in time, page after page
        (search_after), so that what changes on the way (another ingest's clean-up removing §§ of a
        generation that never went live) cannot move a document between pages: the first page is asked
        again inside it, and the point in time is closed when the pages are read or left."""
        body = {"query": query, "size": PAGE, "sort": [{key: "asc"} for key in _SCAN_ORDER],
                **({"_source": source} if read is None else read), "track_total_hits": False}
        hits = self._search(body)["hits"]["hits"]
        if len(hits) < PAGE:
            yield from hits
            return
        from opensearchpy import TransportError

        pit = self._open_pit()
        try:
            after = None
            while True:
                for attempt in range(4):
                    page = dict(body, pit={"id": pit, "keep_alive": PIT_KEEP_ALIVE})
                    if after:
                        page["search_after"] = after
                    try:
                        answer = self._search(page)
                        break
                    except TransportError as exc:  # a node that held part of it left: a new one, read on
                        if attempt == 3 or not (_moving(exc) or _pit_lost(exc)):
                            raise
                        self._close_pit(pit)
                        pit = self._open_pit()
                pit = answer.get("pit_id", pit)
                hits = answer["hits"]["hits"]
                yield from hits
                if len(hits) < PAGE:
                    return
                after = hits[-1]["sort"]
        finally:
            self._close_pit(pit)

    def _open_pit(self) -> str:
        return self.client.create_pit(index=self.physical, params={"keep_alive": PIT_KEEP_ALIVE})["pit_id"]

    def _close_pit(self, pit: str) -> None:
        with contextlib.suppress(Exception):  # it expires by itself after PIT_KEEP_ALIVE
            self.client.delete_pit(body={"pit_id": [pit]})

    def _chunks(self, kind: str, head: dict) -> dict | None:
        """The catalog or vocabulary of the generation ``head`` names, put together from its chunks
        (None: missing)."""
        n, generation = head.get(f"{kind}_chunks"), head["generation"]
        if n is None:
            return None
        merged: dict = {}
        if n:
            docs = self.client.mget(index=self.physical, body={"ids": [f"{kind}.{generation}.{i}"
                                                                       for i in range(n)]})["docs"]
            for doc in docs:
                if not doc.get("found"):
                    return None
                merged.update(json.loads(doc["_source"]["data"]["json"]))
        return merged

    def _head(self) -> dict | None:
        from opensearchpy import NotFoundError

        try:
            return self.client.get(index=self.physical, id="head")["_source"]
        except NotFoundError:
            return None


class OpenSearchIndex(Index, _Reader):
    """One generation of the index, pinned when opened."""

    def __init__(self, client, where: Location, physical: str, head: dict):
        _Reader.__init__(self, client, where, physical, head["generation"])
        self.location = where.shown
        self.head = head
        self.plain = bool(head.get("meta", {}).get("plain", False))
        # Scores over every shard's statistics (a phase more) where there are several; one shard's are all.
        self.scored = "query_then_fetch" if head.get("meta", {}).get("shards") == 1 else "dfs_query_then_fetch"
        self._terms: dict = {}  # field, or (field, prefix) -> its live terms: this snapshot's, kept

    def _translate(self, request: Request):
        tr = Translation(self.terms, self.plain, request.acronyms)
        filters = tr.filters(request.clauses)
        if request.tree is None:
            q = {"match_all": {}}
        else:
            q = tr.tree(request.tree)
            if q is not None:
                q = tr.proximity(q, request.proximity)
        return tr, q, filters

    def _body(self, q: dict, filters: list[dict]) -> dict:
        # A front record's score weighed by FRONT, as the whoosh backend weighs it.
        q = {"boosting": {"positive": q, "negative": {"term": {"kind": "front"}}, "negative_boost": weights.FRONT}}
        return {"query": {"bool": {"must": [q], "filter": _visible(self.generation) + filters}}}

    @guarded
    def run(self, request: Request) -> Run:
        tr, q, filters = self._translate(request)
        if q is None:
            return Run([], 0, tr.notes)
        body = self._body(q, filters)
        browsing = request.tree is None and request.newest
        order = [{"browse": "asc"}] if browsing else [{"_score": "desc"}]
        body.update(size=min(request.limit, PAGE), track_total_hits=True, _source={"excludes": INTERNAL},
                    sort=order + [{"path": "asc"}, {"id": "asc"}], track_scores=True)
        # Words score by how often they occur; patterns alone score a few values, whose ties run long.
        found = None if browsing or not tr.matched else self._best(body)
        if found is None:
            found = self._search(body, search_type=self.scored)
        raw = list(found["hits"]["hits"])
        more = len(raw) == body["size"]
        while more and len(raw) < request.limit:  # a --limit past a page: the next pages after the last hit
            page = dict(body, search_after=raw[-1]["sort"], size=min(request.limit - len(raw), PAGE),
                        track_total_hits=False)
            hits = self._search(page, search_type=self.scored)["hits"]["hits"]
            raw += hits
            more = len(hits) == page["size"]
        hits = [(_stored(h), 0.0 if browsing else float(h["_score"] or 0.0)) for h in raw]
        matched = set(tr.matched)
        if tr.patterns:
            matched |= _pattern_terms(tr.patterns, [fields for fields, _ in hits], self.plain)
        return Run(hits=hits, total=found["hits"]["total"]["value"], notes=tr.notes, matched_terms=matched,
                   expansions=tr.expansions, query=json.dumps(q, ensure_ascii=False),
                   handle=(body, [h["_id"] for h in raw]))

    def _best(self, body: dict) -> dict | None:
        """The answer of ``body`` (sorted by score, then path and id) read by score alone, or None where
        that cannot tell it.  Lucene's collector of the best hits by score does less than a sort with
        tie-breakers, and orders hits of one score as it finds them: a few more hits than asked for are
        read (TIES), and where the last of them scores below the last one asked for, every hit of that
        score is among them, and the hits asked for are the first of them in order.  Hits of one score
        past that (a pattern's hits all score the same), or a page of hits and more, leave the choice to
        the sort."""
        size = body["size"]
        if not 0 < size < PAGE:
            return None
        found = self._search({k: v for k, v in body.items() if k not in ("sort", "track_scores")} | {
            "size": size + TIES}, search_type=self.scored)
        raw = found["hits"]["hits"]
        if len(raw) == size + TIES and raw[-1]["_score"] >= raw[size - 1]["_score"]:
            return None
        raw = sorted(raw, key=lambda h: (-h["_score"], h["_source"]["path"], h["_source"]["id"]))[:size]
        return {"hits": {"hits": raw, "total": found["hits"]["total"]}}

    @guarded
    def count(self, request: Request) -> int:
        tr, q, filters = self._translate(request)
        if q is None:
            return 0
        body = dict(self._body(q, filters), size=0, track_total_hits=True)
        return self._search(body)["hits"]["total"]["value"]

    @guarded
    def matches(self, request: Request) -> dict[str, str]:
        tr, q, filters = self._translate(request)
        if q is None:
            return {}
        query = {"bool": {"must": [q], "filter": _visible(self.generation) + filters}}
        return {h["_source"]["id"]: h["_source"].get("digest") for h in self._pages(query, ["id", "digest"])}

    @guarded
    def explain(self, run: Run, top: int) -> list[dict]:
        if run.handle is None:
            return []
        body, ids = run.handle
        body = dict(body, size=top, explain=True, _source=["id", "kind"])
        found = self._search(body, search_type=self.scored)["hits"]["hits"]
        out = []
        for h in found:
            parts: list[dict] = []
            _leaves(h["_explanation"], parts)
            parts.sort(key=lambda c: -c["score"])
            out.append({"id": h["_source"]["id"], "score": round(float(h["_score"]), 4),
                        "matched": front_weighed(parts, h["_source"].get("kind"))})
        return out

    def engine_note(self) -> str | None:
        return None

    @guarded
    def terms(self, fieldname: str, prefix: str | None = None) -> list[str]:
        if prefix is not None and fieldname not in self._terms:  # a few terms: asked for, not all listed
            if (fieldname, prefix) in self._terms:
                return self._terms[fieldname, prefix]
            indexed = FIELDS[fieldname]
            body = {"size": 0, "query": {"bool": {"filter": _visible(self.generation) + [
                {"prefix": {indexed: prefix}}]}},
                "aggs": {"t": {"terms": {"field": indexed, "size": 10_000,
                                         "include": _lucene_regex_escape(prefix) + ".*"}}}}
            buckets = self._search(body)["aggregations"]["t"]["buckets"]
            self._terms[fieldname, prefix] = sorted(b["key"] for b in buckets)
            return self._terms[fieldname, prefix]
        if fieldname not in self._terms:
            indexed = FIELDS[fieldname]
            if indexed.startswith("t_"):
                raise ValueError(f"{fieldname}: the terms of a text field are not listed by this backend")
            found: set[str] = set()
            after = None
            while True:
                composite = {"size": 10_000, "sources": [{"t": {"terms": {"field": indexed}}}]}
                if after:
                    composite["after"] = after
                body = {"size": 0, "query": {"bool": {"filter": _visible(self.generation)}},
                        "aggs": {"t": {"composite": composite}}}
                agg = self._search(body)["aggregations"]["t"]
                found.update(b["key"]["t"] for b in agg["buckets"])
                after = agg.get("after_key")
                if not agg["buckets"] or not after:
                    break
            self._terms[fieldname] = sorted(found)
        listed = self._terms[fieldname]
        return [t for t in listed if prefix is None or t.startswith(prefix)]

    @guarded
    def doc_frequency(self, fieldname: str, term: str) -> int:
        key = ("df", fieldname, term)
        if key not in self._terms:
            self._terms[key] = self._count({"term": {FIELDS[fieldname]: term}})
        return self._terms[key]

    def has_term(self, fieldname: str, term: str) -> bool:
        return self.doc_frequency(fieldname, term) > 0

    @guarded
    def term_counts(self, fieldname: str, terms) -> dict[str, int]:
        wanted = [t for t in dict.fromkeys(terms) if ("df", fieldname, t) not in self._terms]
        for start in range(0, len(wanted), TERMS_AT_ONCE):  # one request for many terms, not one a term
            part = wanted[start:start + TERMS_AT_ONCE]
            named = {str(i): {"term": {FIELDS[fieldname]: t}} for i, t in enumerate(part)}
            body = {"size": 0, "query": {"bool": {"filter": _visible(self.generation)}},
                    "aggs": {"t": {"filters": {"filters": named}}}}
            buckets = self._search(body)["aggregations"]["t"]["buckets"]
            for i, t in enumerate(part):
                self._terms["df", fieldname, t] = buckets[str(i)]["doc_count"]
        return {t: self._terms["df", fieldname, t] for t in dict.fromkeys(terms)}

    @guarded
    def prefixed_counts(self, fieldname: str, prefixes) -> dict[str, int]:
        prefixes = list(dict.fromkeys(prefixes))
        if not prefixes:
            return {}
        indexed = FIELDS[fieldname]
        out: dict[str, int] = {}
        parts: list[list[str]] = [[]]  # as many prefixes a request as its pattern may hold (1,000 characters)
        for p in prefixes:
            if parts[-1] and sum(len(_lucene_regex_escape(q)) + 1 for q in parts[-1] + [p]) > REGEX_CHARS:
                parts.append([])
            parts[-1].append(p)
        for part in parts:
            body = {"size": 0, "query": {"bool": {"filter": _visible(self.generation) + [
                {"bool": {"should": [{"prefix": {indexed: p}} for p in part]}}]}},
                "aggs": {"t": {"terms": {"field": indexed, "size": 10_000,
                                         "include": "(" + "|".join(_lucene_regex_escape(p) for p in part) + ").*"}}}}
            for b in self._search(body)["aggregations"]["t"]["buckets"]:
                out[b["key"]] = b["doc_count"]
        return dict(sorted(out.items()))

    @guarded
    def stored(self, paragraph_id: str) -> dict | None:
        body = {"query": {"bool": {"filter": _visible(self.generation) + [{"term": {"id": paragraph_id}}]}},
                "size": 1, "_source": {"excludes": INTERNAL}}
        hits = self._search(body)["hits"]["hits"]
        return _stored(hits[0]) if hits else None

    @guarded
    def stored_many(self, paragraph_ids: list[str]) -> list[dict | None]:
        wanted = list(dict.fromkeys(paragraph_ids))
        if len(wanted) < 2:
            return [self.stored(i) for i in paragraph_ids]
        body = {"query": {"bool": {"filter": _visible(self.generation) + [{"terms": {"id": wanted}}]}},
                "size": len(wanted), "_source": {"excludes": INTERNAL}}
        found = {hit["_source"]["id"]: _stored(hit) for hit in self._search(body)["hits"]["hits"]}
        return [found.get(i) for i in paragraph_ids]

    @guarded
    def with_term(self, fieldname: str, term: str) -> list[dict]:
        return [_stored(h) for h in self._scan({"term": {FIELDS[fieldname]: term}}, {"excludes": INTERNAL})]

    @guarded
    def filed_and_mentioned(self, key: str) -> tuple[list[dict], list[dict]]:
        return _filed_apart(key, self._looked_up(self._scan(_case_query(key), None, _LOOKUP_READ)))

    @guarded
    def filed_and_mentioned_many(self, keys: list[str]) -> list[tuple[list[dict], list[dict]]]:
        # One search for the batch (paged where its §§ fill more than a page): every § filed under or
        # mentioning any of its keys, each then given to the keys its case keys hold, in the order a
        # key's own search gives.
        if len(keys) < 2:
            return [self.filed_and_mentioned(key) for key in keys]
        wanted = sorted(set(keys))
        either = {"bool": {"should": [{"terms": {FIELDS["case"]: wanted}}, {"terms": {FIELDS["mentions"]: wanted}}],
                           "minimum_should_match": 1}}
        by_key: dict[str, list[dict]] = {key: [] for key in wanted}
        # What fits in a page is asked unsorted and sorted here (the cluster's sort of keywords is their
        # UTF-8 bytes', the order of their code points: a quarter of the request's time); more is paged.
        body = {"query": {"bool": {"filter": _visible(self.generation) + [either]}}, "size": PAGE,
                **_LOOKUP_READ, "track_total_hits": False}
        hits = self._search(body)["hits"]["hits"]
        if len(hits) < PAGE:
            hits = self._looked_up(hits)
            hits.sort(key=lambda h: tuple(h["_source"][key] for key in _SCAN_ORDER))
        else:
            hits = self._looked_up(self._scan(either, None, _LOOKUP_READ))
        for hit in hits:
            source = hit["_source"]
            for key in {*(source.get(FIELDS["case"]) or ()), *(source.get(FIELDS["mentions"]) or ())}:
                if key in by_key:
                    by_key[key].append(hit)
        return [_filed_apart(key, by_key[key]) for key in keys]

    @guarded
    def first(self) -> dict | None:
        body = {"query": {"bool": {"filter": _visible(self.generation)}}, "size": 1,
                "sort": [{"path": "asc"}, {"id": "asc"}], "_source": {"excludes": INTERNAL}}
        hits = self._search(body)["hits"]["hits"]
        return _stored(hits[0]) if hits else None

    @guarded
    def doc_count(self) -> int:
        return self._count(None)

    @guarded
    def catalog(self) -> dict[str, dict]:
        return self._chunks("catalog", self.head) or {}

    @guarded
    def vocabulary(self) -> dict[str, int]:
        return self._chunks("vocabulary", self.head) or {}

    def meta(self) -> dict:
        return dict(self.head.get("meta") or {})


def _writes_to(description: str, physical: str) -> bool:
    """Whether a bulk task's description (``requests[N], indices[a, b]`` on the node that took the request,
    ``requests[N], index[a][shard]`` on a shard's) names the index ``physical``."""
    return re.search(r"(?:\[|, )" + re.escape(physical) + r"(?:\]|,)", description) is not None


def _lucene_regex_escape(text: str) -> str:
    """``text`` matched literally in a Lucene regular expression (a terms aggregation's include)."""
    return "".join("\\" + c if c in '.?+*|{}[]()"\\#@&<>~' else c for c in text)


_MOVING = ("node_disconnected", "node_not_connected", "no_shard_available", "unavailable_shards",
           "connect_transport", "node_closed", "shard_not_found", "not_master", "not_cluster_manager")


def _pit_lost(exc) -> bool:
    """Whether a search failed because its point in time is gone (a node that held part of it left)."""
    text = json.dumps(getattr(exc, "info", "") or str(exc), default=str)
    return any(words in text for words in ("search_context_missing", "No search context found", "no node found"))


def _moving(exc) -> bool:
    """Whether a failed request failed because a node left (asking again finds another copy)."""
    status = exc.status_code if isinstance(exc.status_code, int) else 0
    return status in (500, 503) and any(word in json.dumps(getattr(exc, "info", "") or str(exc), default=str)
                                        for word in _MOVING)


def _pattern_terms(patterns, hits: list[dict], plain: bool) -> set[str]:
    """The terms of the hits that a prefix or wildcard matched (what whoosh expands them to, for these §§).

    A term is a word's stem or one of its compound parts, so it lies inside its word: only the words
    that hold a pattern's longest literal run are analyzed (all of them when a pattern has none).
    """
    runs = [max(re.split(r"[*?]", text), key=len) if kind == "wildcard" else text for kind, text in patterns]
    out: set[str] = set()
    seen: set[str] = set()
    for fields in hits:
        for name in ("title", "text"):
            for word, _, _ in words(fields.get(name) or ""):
                if word in seen or not any(run in word for run in runs):
                    continue
                seen.add(word)
                for t in analyze(word, stops=False, plain=plain):
                    for kind, text in patterns:
                        if t.term.startswith(text) if kind == "prefix" else fnmatch.fnmatchcase(t.term, text):
                            out.add(t.term)
    return out


def _leaves(node: dict, out: list[dict]) -> None:
    """The scoring leaves of an explanation (``weight(field:term in N)``), labelled as whoosh's are."""
    description = node.get("description", "")
    value = float(node.get("value", 0.0))
    if description.startswith("weight(FunctionScoreQuery"):  # the front records' weight (boosting) around the query
        for child in node.get("details", []):
            _leaves(child, out)
        return
    if description.startswith("weight(") or (description.startswith(("t_title:", "t_text:")) and value):
        inner = description[len("weight("):] if description.startswith("weight(") else description
        inner = inner.split(" in ", 1)[0].rstrip(")")
        if value:
            out.append({"term": inner.replace("t_title:", "title:").replace("t_text:", "text:"),
                        "score": round(value, 4)})
        return
    for child in node.get("details", []):
        _leaves(child, out)


class OpenSearchUpdate(Update, _Reader):
    """One ingest: generation ``G+1`` written beside the live ``G`` (or a new physical index)."""

    def __init__(self, client, where, physical: str, generation: int, catalog, vocabulary, rebuilt, why,
                 previous, plain: bool, lock):
        _Reader.__init__(self, client, where, physical, generation)
        self.new = generation + 1
        self.catalog, self.vocabulary, self.previous_catalog = catalog, vocabulary, previous
        self.rebuilt, self.why, self.plain = rebuilt, why, plain
        self.lock = lock
        self._bulk = _Bulk(lambda actions: send_bulk(self.client, self.where, self.physical, actions))
        self._parts: dict[str, list[str]] = {}  # a worker's part taken -> the _ids of its records
        self._discards: dict[str, list[tuple[int, int]]] = {}  # of parts not yet taken
        self.committed_count: int | None = None

    @guarded
    def texts_of(self, path: str) -> Iterator[str]:
        return iter([h["_source"].get("text") or "" for h in self._scan({"term": {"path": path}}, ["text"])])

    @guarded
    def all_texts(self) -> Iterator[str]:
        for h in self._scan(None, ["text"]):
            yield h["_source"].get("text") or ""

    @guarded
    def delete(self, path: str) -> None:
        for h in self._scan({"term": {"path": path}}, False):
            self._queue({"update": {"_id": h["_id"]}}, {"doc": {"gen_to": self.new}})

    def add(self, document: dict) -> None:
        self._queue(*_indexing(document, self.plain, self.new))

    def _queue(self, action: dict, source: dict | None) -> None:
        if self._bulk.queue(action, source):
            self.flush()

    @guarded
    def flush(self, wait: bool = False) -> None:
        """Hand the queued actions to the sender (items refused for a shard that is moving are sent again);
        ``wait``: until everything handed over is answered.  A refusal is raised here, at the latest."""
        self._bulk.flush(wait)
        self.lock.beat()

    def stop(self) -> None:
        """Let the request on its way finish, send nothing more: before a failed ingest's index is removed."""
        self._bulk.stop()

    @guarded
    def keep_alive(self) -> None:
        self.lock.beat()

    def sink(self) -> "BulkSink":
        return BulkSink(self.where, self.physical, self.new, self.plain, PART_DOCS)

    def take(self, part) -> None:
        self._parts[part["part"]] = part["ids"]
        for first, end in self._discards.pop(part["part"], ()):
            self.discard(part["part"], first, end)

    @guarded
    def part_texts(self, part_id: str, first: int, end: int) -> list[str]:
        ids = self._parts[part_id][first:end]
        got = self.client.mget(index=self.physical, body={"ids": ids}, params={"_source_includes": "text"})
        missing = [d["_id"] for d in got["docs"] if not d.get("found")]
        if missing:
            raise BackendError(f"OpenSearch at {self.where.shown} lost records this ingest wrote "
                               f"({', '.join(missing[:3])}); the index is as it was before this ingest")
        return [d["_source"].get("text") or "" for d in got["docs"]]

    def discard(self, part_id: str, first: int, end: int) -> None:
        if part_id not in self._parts:
            self._discards.setdefault(part_id, []).append((first, end))
            return
        for _id in self._parts[part_id][first:end]:
            self._queue({"delete": {"_id": _id}}, None)

    def needs_commit(self) -> bool:
        return False

    @guarded
    def commit(self, catalog: dict[str, dict], vocabulary: dict[str, int]) -> int:
        from ...records import PARSER_VERSION

        if self._discards:  # a part that was never taken: its records would become live
            raise RuntimeError(f"records discarded from parts the ingest did not take: {sorted(self._discards)}")
        self.flush(wait=True)
        entries = sorted(catalog.items())
        words = sorted((w, n) for w, n in vocabulary.items() if n > 0)
        catalog_chunks = _chunk(entries, CHUNK_FILES)
        vocabulary_chunks = _chunk(words, CHUNK_WORDS)
        for kind, chunks in (("catalog", catalog_chunks), ("vocabulary", vocabulary_chunks)):
            for i, part in enumerate(chunks):
                self._queue({"index": {"_id": f"{kind}.{self.new}.{i}"}},
                            {"doc_type": kind, "generation": self.new, "chunk": i,
                             "data": {"json": json.dumps(dict(part), ensure_ascii=False)}})
        self.flush(wait=True)
        self.client.indices.refresh(index=self.physical)
        self.generation = self.new  # count what the new generation holds before it goes live
        count = self._count(None)
        head = {"doc_type": "head", "generation": self.new,
                "catalog_chunks": len(catalog_chunks), "vocabulary_chunks": len(vocabulary_chunks),
                "meta": {"schema_version": SCHEMA_VERSION, "analysis": data_versions(), "parser": PARSER_VERSION,
                         "plain": self.plain,
                         "last_ingest": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                         "files": len(catalog), "paragraphs": count, "shards": self._shards()}}
        self._slices(count)
        self.lock.beat()
        self.client.index(index=self.physical, id="head", body=head, params={"refresh": "true"})
        self.catalog, self.committed_count = catalog, count
        return count

    def _slices(self, paragraphs: int) -> None:
        """Concurrent segment search on, or off, by the size of the index (mapping.CONCURRENT_FROM).  Only
        speed rides on it: where the cluster refuses the change, the index is searched as it was."""
        from opensearchpy import TransportError

        try:
            info = self.client.info()["version"]
            version = tuple(int(n) for n in re.findall(r"\d+", info["number"])[:3]) \
                if info.get("distribution") == "opensearch" else ()
            change = concurrent_search(version, paragraphs)
            if change:
                self.client.indices.put_settings(index=self.physical, body=change)
        except (TransportError, KeyError, ValueError):
            pass

    def _shards(self) -> int | None:
        """The index's number of shards (None where the cluster does not tell: searches then ask every shard
        for its statistics)."""
        from opensearchpy import TransportError

        try:
            got = self.client.indices.get_settings(index=self.physical, name="index.number_of_shards")
            return int(got[self.physical]["settings"]["index"]["number_of_shards"])
        except (TransportError, KeyError, ValueError):
            return None

    @guarded
    def doc_count(self) -> int:
        return self.committed_count if self.committed_count is not None else self._count(None)


def _indexing(document: dict, plain: bool, generation: int) -> tuple[dict, dict]:
    """The bulk action that writes a § into a generation, and its source: ``_id`` ``<id>@<generation>``."""
    return {"index": {"_id": f"{document['id']}@{generation}"}}, to_source(document, plain, generation)


class BulkSink(Sink):
    """In an ingest's worker process: its records sent to the cluster in bulk requests of its own, into
    the generation the ingest writes (unseen until the ingest's process commits it).  A part is the
    ``_id`` of each record sent (at most ``limit``, unless one file has more), for the ingest's process
    to delete again those of a copy of a protocol it finds already indexed.  Pickled to the worker as
    the location and the generation; it connects there."""

    def __init__(self, where: Location, physical: str, generation: int, plain: bool, limit: int):
        self.where, self.physical, self.generation, self.plain, self.limit = \
            where, physical, generation, plain, limit
        self._bulk: _Bulk | None = None
        self._part: str | None = None
        self._ids: list[str] = []

    def __getstate__(self) -> dict:
        return {"where": self.where, "physical": self.physical, "generation": self.generation,
                "plain": self.plain, "limit": self.limit}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)

    def part_id(self) -> str:
        if self._part is None:
            self._part = uuid.uuid4().hex
        return self._part

    def count(self) -> int:
        return len(self._ids)

    def fits(self, records: int) -> bool:
        return not self._ids or len(self._ids) + records <= self.limit

    @guarded
    def add(self, document: dict) -> None:
        if self._bulk is None:
            client = connect(self.where)
            self._bulk = _Bulk(lambda actions: send_bulk(client, self.where, self.physical, actions))
        self.part_id()
        action, source = _indexing(document, self.plain, self.generation)
        self._ids.append(action["index"]["_id"])
        if self._bulk.queue(action, source):
            self._bulk.flush()

    @guarded
    def finish(self):
        """Every record of the part sent and answered: the part, or None when empty."""
        if self._bulk is not None:
            self._bulk.flush(wait=True)
        part, ids = self._part, self._ids
        self._part, self._ids = None, []
        return {"part": part, "ids": ids} if ids else None


class _Bulk:
    """Actions gathered into bulk requests of at most BULK_DOCS actions or about BULK_BYTES, each sent
    by a :class:`_Sender` while the next is gathered."""

    def __init__(self, send):
        self._actions: list[tuple[dict, dict | None]] = []
        self._bytes = 0
        self._sender = _Sender(send)

    def queue(self, action: dict, source: dict | None) -> bool:
        """Gather one action: whether a request's worth is gathered (to :meth:`flush`)."""
        self._actions.append((action, source))
        self._bytes += len(source.get("t_text", "")) * 3 if source and "t_text" in source else 200
        return len(self._actions) >= BULK_DOCS or self._bytes >= BULK_BYTES

    def flush(self, wait: bool = False) -> None:
        """Hand what is gathered to the sender; ``wait``: until everything handed over is answered."""
        pending, self._actions, self._bytes = self._actions, [], 0
        if pending:
            self._sender.put(pending)
        if wait:
            self._sender.drain()

    def stop(self) -> None:
        self._sender.stop()


class _Sender:
    """Bulk requests sent by a thread of their own while the ingest builds the next: the cluster indexes
    one batch while Python makes another.  At most one request on its way and one waiting (``put``
    waits for room), so memory stays two batches.  A request's failure is raised by every ``put`` and
    ``drain`` after it, and nothing more is sent."""

    def __init__(self, send):
        self._send = send
        self._waiting: queue.Queue = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopped = False

    def put(self, actions: list) -> None:
        self._raise()
        if self._stopped:
            raise RuntimeError("the ingest's bulk sender was stopped")
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="trygg-search bulk", daemon=True)
            self._thread.start()
        self._waiting.put(actions)

    def drain(self) -> None:
        """Wait until every request handed over is answered; raise the failure, if one failed."""
        if self._thread is not None:
            self._waiting.join()
        self._raise()

    def stop(self) -> None:
        """Let the request on its way finish; what still waits is not sent."""
        self._stopped = True
        if self._thread is not None:
            self._waiting.put(None)
            self._thread.join()
            self._thread = None

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            actions = self._waiting.get()
            try:
                if actions is None:
                    return
                if self._error is None and not self._stopped:
                    self._send(actions)
            except BaseException as exc:  # noqa: BLE001 - raised again in the ingest's thread
                self._error = exc
            finally:
                self._waiting.task_done()


def send_bulk(client, where: Location, physical: str, actions: list[tuple[dict, dict | None]],
              missing_ok: bool = False, what: str = "a change") -> None:
    """Send (action, source) pairs in one bulk request, reading every item's answer: an item refused for a
    shard that is moving is sent again (for up to RETRY_FOR seconds), any other refusal is a BackendError
    naming ``what`` was refused; ``missing_ok``: a delete or update of a document already gone is none."""
    deadline = time.monotonic() + RETRY_FOR
    wait = 0.5
    pending = actions
    while pending:
        body: list[dict] = []
        for action, source in pending:
            body.append({next(iter(action)): dict(next(iter(action.values())), _index=physical)})
            if source is not None:
                body.append(source)
        answer = client.bulk(body=body)
        retry, failed = [], None
        for item, sent in zip(answer["items"], pending):
            result = next(iter(item.values()))
            status = result.get("status", 200)
            if status < 300 or (missing_ok and status == 404):
                continue
            if status in (429, 503) or "unavailable" in json.dumps(result.get("error", "")):
                retry.append(sent)
            elif failed is None:
                error = result.get("error") or {}
                failed = f"{error.get('type', status)}: {error.get('reason', '')}" if isinstance(error, dict) \
                    else str(error)
        if len(answer["items"]) != len(pending):
            failed = failed or f"{len(pending)} actions sent, {len(answer['items'])} answered"
        if failed:
            raise BackendError(f"OpenSearch at {where.shown} refused {what}: {failed}; the index is as it was "
                               f"before this ingest")
        if retry and time.monotonic() > deadline:
            raise BackendError(f"OpenSearch at {where.shown}: {len(retry)} changes still refused after "
                               f"{RETRY_FOR:.0f} s (shards unavailable); the index is as it was before "
                               f"this ingest: run it again when the cluster is green")
        if retry:
            time.sleep(wait)
            wait = min(wait * 2, 5.0)
        pending = retry


def _chunk(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class _Lock:
    """A lock: a document in ``NAME.lock`` (``lock`` for the ingest, ``watches`` for the saved searches),
    created only if absent, kept alive by heartbeats."""

    def __init__(self, client, where: Location, name: str = "lock", what: str = "another ingest is writing"):
        self.client, self.where, self.name, self.what = client, where, name, what
        self.index = f"{where.index}.lock"
        self.owner = {"host": socket.gethostname(), "pid": os.getpid()}
        self.last = 0.0
        self.held = False

    def acquire(self, wait: float) -> None:
        from opensearchpy import ConflictError, NotFoundError

        deadline = time.monotonic() + wait
        while True:
            try:
                self.client.index(index=self.index, id=self.name, body=self._body(), op_type="create",
                                  params={"refresh": "true"})
                self.held, self.last = True, time.monotonic()
                return
            except ConflictError:
                pass
            try:
                current = self.client.get(index=self.index, id=self.name)
            except NotFoundError:
                continue
            holder = current["_source"]
            if self._stale(holder):
                with contextlib.suppress(ConflictError, NotFoundError):
                    self.client.delete(index=self.index, id=self.name, params={
                        "if_seq_no": current["_seq_no"], "if_primary_term": current["_primary_term"]})
                continue
            if time.monotonic() >= deadline:
                raise IngestLockedError(
                    f"{self.what} the index {self.where.shown} (process {holder.get('pid')} on "
                    f"{holder.get('host')}, since {holder.get('started')}); try again when it has finished, "
                    f"or wait longer with --wait")
            time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))

    def _body(self) -> dict:
        now = time.time()
        return {**self.owner, "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "beat": now}

    def _stale(self, holder: dict) -> bool:
        if holder.get("host") == self.owner["host"] and isinstance(holder.get("pid"), int):
            try:
                os.kill(holder["pid"], 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                pass
        return time.time() - float(holder.get("beat") or 0) > STALE

    def beat(self) -> None:
        if self.held and time.monotonic() - self.last > HEARTBEAT:
            self.client.update(index=self.index, id=self.name, body={"doc": {"beat": time.time()}})
            self.last = time.monotonic()

    def release(self) -> None:
        from opensearchpy import NotFoundError

        if self.held:
            with contextlib.suppress(NotFoundError):
                self.client.delete(index=self.index, id=self.name, params={"refresh": "true"})
            self.held = False


class _ClusterWatchStore(WatchStore):
    """The saved searches as one document of ``NAME.watches``: apart from the index, so that a rebuild
    (a new physical index) keeps them."""

    def __init__(self, backend, data: dict):
        self.backend, self.data = backend, data

    def save(self) -> None:
        client, where = self.backend.client, self.backend.where
        index = f"{where.index}.watches"
        with answers(where):
            if not client.indices.exists(index=index):
                client.indices.create(index=index, body={"mappings": {"dynamic": False, "properties": {
                    "data": {"type": "object", "enabled": False}}}})
            client.index(index=index, id="watches", body={"data": {"json": json.dumps(self.data)}},
                         params={"refresh": "true"})


class OpenSearchBackend(Backend):
    """An index on an OpenSearch cluster: location ``URL[,URL...]#INDEX``."""

    name = "opensearch"
    shards: int | None = None  # new physical indexes: the cluster's defaults unless set
    replicas: int | None = None

    @classmethod
    def handles(cls, location: str) -> bool:
        from . import OpenSearchBackend as Entry

        return Entry.handles(location)

    def __init__(self, location: str):
        self.where = parse_location(str(location))
        self.location = self.where.shown
        self._client = None
        shards, replicas = os.environ.get("TRYGG_SEARCH_SHARDS"), os.environ.get("TRYGG_SEARCH_REPLICAS")
        if shards:
            self.shards = int(shards)
        if replicas:
            self.replicas = int(replicas)

    @property
    def client(self):
        if self._client is None:
            self._client = connect(self.where)
        return self._client

    def _physical(self) -> str | None:
        """The index the alias points to (None: no index yet)."""
        from opensearchpy import NotFoundError

        name = self.where.index
        try:
            aliases = self.client.indices.get_alias(name=name)
        except NotFoundError:
            if self.client.indices.exists(index=name):
                raise BackendError(f"{name} on {self.where.shown} is an index not made by trygg-search "
                                   f"(it is not an alias): choose another name with --index") from None
            return None
        return sorted(aliases)[-1]

    @guarded
    def exists(self) -> bool:
        return self._physical() is not None

    @contextlib.contextmanager
    def watches(self, wait: float):
        with answers(self.where):
            lock = _Lock(self.client, self.where, "watches", "another command is changing the saved searches of")
            lock.acquire(wait)
        try:
            yield _ClusterWatchStore(self, self.read_watches())
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    @guarded
    def read_watches(self) -> dict:
        from opensearchpy import NotFoundError

        try:
            found = self.client.get(index=f"{self.where.index}.watches", id="watches")
        except NotFoundError:
            return {}
        return json.loads(found["_source"]["data"]["json"])

    @guarded
    def open(self) -> OpenSearchIndex:
        physical = self._physical()
        if physical is None:
            raise IndexMissingError(f"no index {self.where.index!r} on OpenSearch at {self.where.shown}: "
                                    f"run 'trygg-search --backend opensearch ingest' first")
        head = _Reader(self.client, self.where, physical, 0)._head()
        if head is None:
            raise IndexMissingError(f"the index {self.where.shown} holds no commit: run the ingest again")
        version = head.get("meta", {}).get("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaMismatchError(
                f"the index {self.where.shown} was built with OpenSearch schema version {version}, this "
                f"trygg-search uses {SCHEMA_VERSION}: run 'trygg-search ingest --rebuild'")
        changed = changed_data(head.get("meta", {}).get("analysis"))
        if changed:
            raise SchemaMismatchError(f"the index {self.where.shown} was built with other analysis data ({changed}): "
                                      f"re-run 'trygg-search ingest', which builds it anew")
        return OpenSearchIndex(self.client, self.where, physical, head)

    @contextlib.contextmanager
    def update(self, *, wait: float, rebuild: bool, plain: bool):
        with answers(self.where):
            lock = _Lock(self.client, self.where)
            lock.acquire(wait)
        try:
            with answers(self.where):
                update = self._begin(rebuild, plain, lock)
            try:
                yield update
            except BaseException:
                update.stop()
                if update.rebuilt:
                    with contextlib.suppress(Exception):
                        self.client.indices.delete(index=update.physical)
                raise
            update.stop()
            if update.rebuilt:
                with answers(self.where):
                    if update.committed_count is not None:
                        self._switch(update.physical)
                    else:  # nothing was committed: the alias stays where it was
                        self.client.indices.delete(index=update.physical)
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def _begin(self, rebuild: bool, plain: bool, lock: _Lock) -> OpenSearchUpdate:
        physical = self._physical()
        self._remove_unaliased(keep=physical)
        why, head = None, None
        if physical is not None:
            head = _Reader(self.client, self.where, physical, 0)._head()
            meta = (head or {}).get("meta", {})
            if head is None:
                why = "it holds no commit"
            elif meta.get("schema_version") != SCHEMA_VERSION:
                why = (f"it was built with schema version {meta.get('schema_version')}, this trygg-search "
                       f"uses {SCHEMA_VERSION}")
            elif bool(meta.get("plain", False)) != plain:
                why = "it was built with another analyzer"
            else:
                why = read_otherwise(meta)
        if physical is not None and not rebuild and why is None:
            reader = _Reader(self.client, self.where, physical, head["generation"])
            catalog = reader._chunks("catalog", head)
            vocabulary = reader._chunks("vocabulary", head)
            if catalog is not None:
                self._tidy(physical, head["generation"])
                return OpenSearchUpdate(self.client, self.where, physical, head["generation"], catalog,
                                        vocabulary, False, None, {}, plain, lock)
            why = "its catalog could not be read"
        previous = {}
        if physical is not None and head is not None:
            previous = _Reader(self.client, self.where, physical, head["generation"])._chunks("catalog", head) or {}
        fresh = f"{self.where.index}.v{datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S%f')}"
        body = settings(self.shards, self.replicas)
        self.client.indices.create(index=fresh, body=body)
        self.client.cluster.health(index=fresh, params={"wait_for_status": "yellow"})
        return OpenSearchUpdate(self.client, self.where, fresh, 0, {}, {}, True,
                                why if not rebuild else None, previous, plain, lock)

    def _tidy(self, physical: str, generation: int) -> None:
        """Remove what a failed ingest left (generation > G), undo its deletions, drop §§ dead before G."""
        leftovers = {"bool": {"should": [
            {"range": {"gen_from": {"gt": generation}}},
            {"range": {"gen_to": {"lte": generation}}},
            {"bool": {"filter": [{"terms": {"doc_type": ["catalog", "vocabulary"]}}],
                      "must_not": [{"term": {"generation": generation}}]}},
        ]}}
        reader = _Reader(self.client, self.where, physical, generation)
        self._settle(physical)
        undo = {"bool": {"filter": [{"range": {"gen_to": {"gt": generation, "lt": FOREVER}}}]}}
        # Scanned and sent in bulk rather than by delete_by_query: that needs the reindex module.  Pages
        # follow the sort keys (search_after), which a deletion on the way does not move.
        for query, change in ((leftovers, None), (undo, {"doc": {"gen_to": FOREVER}})):
            actions: list[tuple[dict, dict | None]] = []
            for h in reader._pages(query, False):
                actions.append(({"delete" if change is None else "update": {"_id": h["_id"]}}, change))
                if len(actions) >= BULK_DOCS:
                    send_bulk(self.client, self.where, physical, actions, missing_ok=True, what=CLEAN_UP)
                    actions = []
            if actions:
                send_bulk(self.client, self.where, physical, actions, missing_ok=True, what=CLEAN_UP)
        self.client.indices.refresh(index=physical)

    def _settle(self, physical: str) -> None:
        """Make all that was written to ``physical`` searchable, before the clean-up looks for it: what an
        ingest killed a moment ago sent is still being written by the cluster (which finishes a bulk
        request whose sender is gone), and what was written since the last refresh is not yet searchable.
        Unseen by the clean-up, it would become part of the generation this ingest writes."""
        from opensearchpy import AuthorizationException

        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                tasks = self.client.tasks.list(params={"actions": "indices:data/write/bulk*", "detailed": "true"})
            except AuthorizationException:  # a user without cluster:monitor/tasks: no running writes to see
                break
            if not any(_writes_to(task.get("description") or "", physical)
                       for node in tasks.get("nodes", {}).values() for task in node.get("tasks", {}).values()):
                break
            if time.monotonic() > deadline:
                raise BackendError(f"OpenSearch at {self.where.shown} is still writing what an interrupted ingest "
                                   f"sent, after {RETRY_FOR:.0f} s; the index is as it was: run the ingest again "
                                   f"later")
            time.sleep(0.2)
        self.client.indices.refresh(index=physical)

    def _switch(self, physical: str) -> None:
        """Point the alias at the new physical index in one step, then delete the old ones."""
        name = self.where.index
        old = self._physical()
        actions = [{"add": {"index": physical, "alias": name}}]
        if old is not None and old != physical:
            actions.insert(0, {"remove": {"index": old, "alias": name}})
        self.client.indices.update_aliases(body={"actions": actions})
        self._remove_unaliased(keep=physical)

    def _remove_unaliased(self, keep: str | None) -> None:
        """Delete the physical indexes of this name that no alias points to (builds that never finished)."""
        name = self.where.index
        found = self.client.indices.get(index=f"{name}.v*", params={"expand_wildcards": "open,closed",
                                                                   "ignore_unavailable": "true"})
        for physical, info in found.items():
            if physical != keep and not info.get("aliases"):
                self.client.indices.delete(index=physical)
