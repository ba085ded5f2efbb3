"""Saved searches that report what is new after each ingest (``trygg-search watch``).

A saved search, a *watch*, is a query and filters as ``search`` takes them,
kept with the index (a file beside the whoosh index's generations; a
document on the cluster), so that every script and cron job that uses the
index shares them.  It remembers the §§ that matched at its last run, each
by id and by digest (what the § says: ``ingest.digest_of``).  A run reports:

- **new**: §§ that match now and did not match at the last run, or did not
  exist then (a protocol ingested today is new to its watchers, whatever its
  meeting's date); a § whose id changed but whose digest is one seen before
  (a file moved or renamed, an index rebuilt) is not new;
- **changed**: §§ that matched then and match now, but say something else.

"New" is driven by what the index holds, never by dates: a rebuild of the
same files reports nothing.  A run is recorded only after its output was
written (:class:`Session`), so a run that is killed or fails reports the same
§§ again next time rather than losing them.  Each watch keeps the last
FEED_ENTRIES §§ it reported, for its Atom feed (:func:`atom`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

from .errors import QueryError
from .results import Hit

NAME = re.compile(r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_.-]{0,63}$")
FEED_ENTRIES = 100
TAG = "tag:trygg-search,2026:"  # the authority of entry and feed ids (RFC 4151): stable across runs and rebuilds


def check_name(name: str) -> str:
    """A watch's name as given, or QueryError: a letter or digit first, then letters, digits, . _ -."""
    if not NAME.match(name or ""):
        raise QueryError(f"{name!r} is no name for a saved search (a letter or digit first, then letters, digits, "
                         f"'.', '_' or '-'; at most 64)")
    return name


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _request(index, query: str, filters: dict):
    """The backend request of a saved search (None when its query has nothing to search), and its notes."""
    from .backends.base import Request
    from .expand import AcronymMap
    from .filters import make_filters
    from .search import BROWSE, request_for

    made = make_filters(**filters)
    if query.strip() in BROWSE:
        return Request(None, list(made.clauses), 1, newest=True), []
    request, _, notes = request_for(query, made, 1, None if index.plain else AcronymMap(index))
    return request, notes


def validate(query: str, filters: dict) -> None:
    """QueryError when a query or a filter of a watch could not be searched (checked when it is saved)."""
    from .filters import make_filters
    from .query import parse_query
    from .search import BROWSE

    make_filters(**filters)
    if query.strip() not in BROWSE:
        parse_query(query)
    elif not any(filters.values()):
        raise QueryError("a saved search needs a query or a filter")


def matches(index, query: str, filters: dict) -> dict[str, str]:
    """What the saved search matches in the index now: id -> digest."""
    request, _ = _request(index, query, filters)
    return index.matches(request) if request is not None else {}


@dataclass
class Report:
    """What one run of a watch found."""

    watch: str
    query: str
    filters: dict
    since: str | None  # the last run's time (None: never run)
    total: int  # the §§ it matches now
    new: list[Hit] = field(default_factory=list)
    changed: list[Hit] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # id -> digest of every § it matches now
    digests: dict[str, str] = field(default_factory=dict)  # id -> digest of the §§ reported

    def to_dict(self) -> dict:
        return {"watch": self.watch, "query": self.query, "filters": self.filters, "since": self.since,
                "total": self.total, "new": [h.to_dict() for h in self.new],
                "changed": [h.to_dict() for h in self.changed]}


def run_one(index, name: str, watch: dict) -> Report:
    """Compare what a watch matches now with what it matched at its last run."""
    from .highlight import hit_from

    request, _ = _request(index, watch["query"], watch["filters"])
    now = index.matches(request) if request is not None else {}
    seen: dict[str, str] = watch.get("seen") or {}
    seen_digests = set(seen.values())
    report = Report(name, watch["query"], watch["filters"], watch.get("last_run"), len(now), matched=now)
    terms = index.run(request).matched_terms if request is not None and request.tree is not None else set()
    for pid in sorted(now, key=lambda i: (i not in seen, i)):
        digest = now[pid]
        if pid in seen and seen[pid] == digest or pid not in seen and digest in seen_digests:
            continue
        stored = index.stored(pid)
        if stored is None:  # gone between the two reads
            continue
        (report.changed if pid in seen else report.new).append(hit_from(stored, None, terms))
        report.digests[pid] = digest
    for hits in (report.new, report.changed):
        hits.sort(key=lambda h: (h.date or "", h.path or "", h.paragraph or 0), reverse=True)
    return report


class Session:
    """The saved searches held for one command (add, remove, run): read, changed, and saved at once.

    ``with Session(backend, wait) as session: reports = session.run(index); ...print...; session.record(reports)``
    """

    def __init__(self, backend, wait: float = 10.0):
        self.backend, self.wait = backend, wait

    def __enter__(self):
        self._held = self.backend.watches(self.wait)
        self.store = self._held.__enter__()
        return self

    def __exit__(self, *exc):
        return self._held.__exit__(*exc)

    @property
    def watches(self) -> dict:
        return self.store.data

    def add(self, name: str, query: str, filters: dict, replace: bool, index=None) -> dict:
        """Save a watch; what the index matches now is its baseline (reported by no run)."""
        check_name(name)
        filters = {k: list(v) for k, v in filters.items() if v}
        validate(query, filters)
        if name in self.watches and not replace:
            raise QueryError(f"a saved search named {name!r} exists: give --replace to replace it")
        baseline = matches(index, query, filters) if index is not None else {}
        self.watches[name] = {"query": query, "filters": filters, "created": _now(), "last_run": None,
                              "seen": baseline, "feed": []}
        self.store.save()
        return self.watches[name]

    def remove(self, name: str) -> None:
        if name not in self.watches:
            raise QueryError(f"no saved search named {name!r} (watch list shows them)")
        del self.watches[name]
        self.store.save()

    def selected(self, names) -> list[str]:
        """The watches asked for (all, for none), in order; QueryError for a name there is no watch of."""
        missing = [n for n in names if n not in self.watches]
        if missing:
            raise QueryError(f"no saved search named {missing[0]!r} (watch list shows them)")
        return list(names) or sorted(self.watches)

    def run(self, index, names=()) -> list[Report]:
        return [run_one(index, name, self.watches[name]) for name in self.selected(names)]

    def record(self, reports: list[Report]) -> None:
        """After the output is written: each watch now remembers what it matches, and its feed the §§ reported."""
        when = _now()
        for report in reports:
            watch = self.watches[report.watch]
            watch["seen"] = report.matched
            watch["last_run"] = when
            changed = {h.id for h in report.changed}
            reported = [_entry(h, "changed" if h.id in changed else "new", report.digests[h.id], when)
                        for h in report.new + report.changed]
            kept = [e for e in watch.get("feed", []) if e["id"] not in {r["id"] for r in reported}]
            watch["feed"] = (reported + kept)[:FEED_ENTRIES]
        self.store.save()


def _entry(hit: Hit, change: str, digest: str, when: str) -> dict:
    return {"id": hit.id, "digest": digest, "change": change, "reported": when, "title": hit.title,
            "paragraph": hit.paragraph, "kind": hit.kind, "date": hit.date, "committee": hit.committee,
            "case_number": hit.case_number, "snippet": hit.snippet, "source": hit.path}


def describe(watch: dict) -> str:
    """A watch in words: its query and its filters as options."""
    parts = [repr(watch["query"])] if watch["query"].strip() not in ("", "*") else []
    for name, values in watch["filters"].items():
        option = {"date_from": "--from", "date_to": "--to"}.get(name, f"--{name}")
        parts += [f"{option} {v!r}" for v in values]
    return " ".join(parts)


def atom(name: str, watch: dict, location: str) -> str:
    """The Atom feed (RFC 4287) of a watch: the §§ its runs reported, newest first."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def sub(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attributes.items() if v is not None})
        if text is not None:
            element.text = _xml_text(text)
        return element

    feed = ET.Element(f"{{{ns}}}feed")
    sub(feed, "id", TAG + "watch/" + quote(name, safe=""))
    sub(feed, "title", f"trygg-search: {name}")
    sub(feed, "subtitle", f"{describe(watch)} in {location}")
    sub(feed, "updated", watch.get("last_run") or watch.get("created") or _now())
    sub(sub(feed, "author"), "name", "trygg-search")
    sub(feed, "generator", "trygg-search")
    for e in watch.get("feed", []):
        entry = sub(feed, "entry")
        sub(entry, "id", TAG + "paragraph/" + quote(e["id"], safe=""))
        label = (f"§ {e['paragraph']} " if e.get("paragraph") is not None and e.get("kind") != "notice"
                 else f"Punkt {e['paragraph']} " if e.get("paragraph") is not None else "")
        sub(entry, "title", label + (e.get("title") or e["id"]))
        sub(entry, "updated", e["reported"])
        if e.get("committee"):
            sub(entry, "category", term=e["committee"])
        facts = ", ".join(str(x) for x in (e.get("date"), e.get("committee"), label.strip(), e.get("case_number")) if x)
        sub(entry, "summary", e.get("snippet") or "")
        change = e["change"]
        sub(entry, "content", f"{facts} ({change})\n\n{e.get('snippet') or ''}\n\nid: {e['id']}", type="text")
        source = e.get("source")
        if source and Path(source).is_absolute():
            sub(entry, "link", rel="alternate", href=Path(source).as_uri())
    ET.indent(feed)
    return "<?xml version='1.0' encoding='utf-8'?>\n" + ET.tostring(feed, encoding="unicode") + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text as XML 1.0 may hold it: the characters it cannot hold (controls a document may have) dropped."""
    return _NOT_XML.sub("", str(text))
