"""Lookups by identity rather than by relevance: a case's §§, one § by id, index statistics.

Only the public :class:`backends.base.Index` is read.
"""

from __future__ import annotations

from . import casenum
from .highlight import hit_from
from .parse import sections_from_text


def _by_date(hit: dict) -> tuple:
    return (hit["date"] or "9999", hit["paragraph"] if hit["paragraph"] is not None else 10**9, hit["id"])


def case_history(index, number: str) -> dict:
    """Every § filed under a case, oldest first, and the §§ whose text mentions it.

    Raises CaseNumberError when ``number`` is not a case number.
    """
    case = casenum.parse(number)
    filed, only_mentioned = index.filed_and_mentioned(case.key)
    hits = [hit_from(fields, None, set(), snippet=False).lookup_dict() for fields in filed]
    mentioned = [hit_from(fields, None, set(), snippet=False).lookup_dict(decision=False) for fields in only_mentioned]
    hits.sort(key=_by_date)
    mentioned.sort(key=_by_date)
    return {"case_number": number.strip(), "key": case.key, "hits": hits, "mentioned_in": mentioned}


def paragraph_record(index, paragraph_id: str) -> dict | None:
    """The whole stored § for an id (the Hit's fields, and its officers, who was present, sections,
    text and meeting), or None."""
    stored = index.stored(paragraph_id.strip())
    if stored is None:
        return None
    record = hit_from(stored, None, set(), snippet=False).lookup_dict()
    record.update({
        "officers": [o for o in (stored.get("officer") or "").split(",") if o],
        "present": [{"name": n, "party": p, "role": r} for n, p, r in stored.get("present") or []],
        "sections": dict(sections_from_text(stored.get("text", ""), stored.get("kind", "protocol"))),
        "text": stored.get("text"),
        "meeting": stored.get("meeting") or {},
    })
    return record


def example_id(index) -> str | None:
    """The id of some § in the index (for messages), or None when it holds none."""
    first = index.first()
    return first.get("id") if first else None


def index_stats(index) -> dict:
    """What the index holds: documents, paragraphs, committees, dates, cases, schema, last ingest.

    Counted over live §§ only, from the catalog and the term lists (document
    frequencies of live §§), not by reading every stored §.
    """
    paragraphs = index.doc_count()
    dates = index.terms("date")
    cases = set(index.terms("case"))
    committees = {}
    for key in index.terms("committee_key"):
        stored = index.with_term("committee_key", key)
        name = stored[0].get("committee", key) if stored else key
        committees[name] = index.doc_frequency("committee_key", key)
    kinds = {kind: index.doc_frequency("kind", kind) for kind in index.terms("kind")}
    prefixed = {c for c in cases if " " in c}
    bare_covered = {c.split(" ", 1)[1] for c in prefixed}
    distinct = len(prefixed) + len({c for c in cases if " " not in c} - bare_covered)
    meta = index.meta()
    catalog = index.catalog()
    return {
        "index": index.location,
        "documents": len(catalog),
        "documents_by_kind": {kind: sum(1 for e in catalog.values() if e.get("kind") == kind)
                              for kind in ("protocol", "notice", "other")},
        "paragraphs": paragraphs,
        "committees": dict(sorted(committees.items(), key=lambda kv: (-kv[1], kv[0]))),
        "without_committee": paragraphs - sum(committees.values()),
        "kinds": kinds,
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "case_numbers": distinct,
        "schema_version": meta.get("schema_version"),
        "analysis": meta.get("analysis"),
        "last_ingest": meta.get("last_ingest"),
    }
