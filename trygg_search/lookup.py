"""Lookups by identity rather than by relevance: a case's §§, one § by id, index statistics."""

from __future__ import annotations

from pathlib import Path

from . import casenum, live
from .parse import sections_from_text
from .search import hit_from, matching_docs, shared_searcher
from .store import current_generation, read_catalog, read_meta


def _by_date(hit: dict) -> tuple:
    return (hit["date"] or "9999", hit["paragraph"] if hit["paragraph"] is not None else 10**9, hit["id"])


def case_history(ix, number: str) -> dict:
    """Every § filed under a case, oldest first, and the §§ whose text mentions it.

    Raises CaseNumberError when ``number`` is not a case number.
    """
    from whoosh import query as wq

    case = casenum.parse(number)
    searcher = shared_searcher(ix)
    filed = matching_docs(searcher, wq.Term("case", case.key))  # a set: the date orders them
    hits = []
    for docnum in sorted(filed):
        stored = searcher.stored_fields(docnum)
        hit = hit_from(stored, 0.0, set(), snippet=False).to_dict()
        hit["decision"] = stored.get("decision")  # parse.decision, stored at ingest
        hits.append(hit)
    mentioned = [
        hit_from(searcher.stored_fields(docnum), 0.0, set(), snippet=False).to_dict()
        for docnum in sorted(matching_docs(searcher, wq.Term("mentions", case.key)) - filed)
    ]
    for h in hits + mentioned:
        h.pop("score", None)
        h.pop("highlights", None)
        h.pop("title_highlights", None)
        h.pop("snippet", None)
    hits.sort(key=_by_date)
    mentioned.sort(key=_by_date)
    return {"case_number": number.strip(), "key": case.key, "hits": hits, "mentioned_in": mentioned}


def paragraph_record(ix, paragraph_id: str) -> dict | None:
    """The whole stored § for an id, or None."""
    stored = shared_searcher(ix).document(id=paragraph_id.strip())
    if stored is None:
        return None
    return {
        "id": stored["id"],
        "date": stored.get("date"),
        "committee": stored.get("committee"),
        "kind": stored.get("kind"),
        "paragraph": stored.get("paragraph"),
        "title": stored.get("title"),
        "case_number": stored.get("case_number"),
        "officers": [o for o in (stored.get("officer") or "").split(",") if o],
        "present": [{"name": n, "party": p, "role": r} for n, p, r in stored.get("present") or []],
        "sections": dict(sections_from_text(stored.get("text", ""), stored.get("kind", "protocol"))),
        "decision": stored.get("decision"),
        "text": stored.get("text"),
        "meeting": stored.get("meeting") or {},
        "source": stored.get("path"),
    }


def example_id(ix) -> str | None:
    """The id of some § in the index (for messages), or None when it holds none."""
    for fields in shared_searcher(ix).documents():
        return fields.get("id")
    return None


def index_stats(ix, index_dir: Path) -> dict:
    """What the index holds: documents, paragraphs, committees, dates, cases, schema, last ingest.

    Counted over live §§ only, from the catalog and the term lists (document
    frequencies of live documents), not by reading every stored §.
    """
    searcher = shared_searcher(ix)
    reader = searcher.reader()
    paragraphs = reader.doc_count()
    catalog = read_catalog(Path(ix.storage.folder), reader.generation()) or {}
    dates = live.terms(reader, "date")
    cases = set(live.terms(reader, "case"))
    committees = {}
    for key in live.terms(reader, "committee_key"):
        stored = searcher.document(committee_key=key) or {}
        committees[stored.get("committee", key)] = live.doc_frequency(reader, "committee_key", key)
    kinds = {kind: live.doc_frequency(reader, "kind", kind) for kind in live.terms(reader, "kind")}
    prefixed = {c for c in cases if " " in c}
    bare_covered = {c.split(" ", 1)[1] for c in prefixed}
    distinct = len(prefixed) + len({c for c in cases if " " not in c} - bare_covered)
    meta = read_meta(current_generation(index_dir))
    return {
        "index": str(index_dir),
        "documents": len(catalog),
        "paragraphs": paragraphs,
        "committees": dict(sorted(committees.items(), key=lambda kv: (-kv[1], kv[0]))),
        "without_committee": paragraphs - sum(committees.values()),
        "kinds": kinds,
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "case_numbers": distinct,
        "schema_version": meta.get("schema_version"),
        "last_ingest": meta.get("last_ingest"),
    }
