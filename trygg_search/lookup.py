"""Lookups by identity rather than by relevance: a case's §§, one § by id, index statistics.

Only the public :class:`backends.base.Index` is read.
"""

from __future__ import annotations

from . import casenum
from .results import lookup_record
from .protocol import sections_from_text


def _by_date(hit: dict) -> tuple:
    return (hit["date"] or "9999", hit["paragraph"] if hit["paragraph"] is not None else 10**9, hit["id"])


def case_history(index, number: str) -> dict:
    """Every § filed under a case, oldest first, and the §§ whose text mentions it.

    Raises CaseNumberError when ``number`` is not a case number.
    """
    case = casenum.parse(number)
    return _history(number, case, *index.filed_and_mentioned(case.key))


BATCH = 200  # lookups asked of the index together at most (``case -``: the stdin lines at hand)


def case_histories(index, numbers: list[str]) -> list:
    """``case_history`` of each number, in order, the index asked for all of them at once (one request to
    a cluster); a number that is no case number gives its CaseNumberError in its place."""
    from .errors import CaseNumberError

    cases: list = []
    for number in numbers:
        try:
            cases.append(casenum.parse(number))
        except CaseNumberError as exc:
            cases.append(exc)
    answers = iter(index.filed_and_mentioned_many([c.key for c in cases if not isinstance(c, CaseNumberError)]))
    return [c if isinstance(c, CaseNumberError) else _history(number, c, *next(answers))
            for number, c in zip(numbers, cases)]


def _history(number: str, case, filed: list[dict], only_mentioned: list[dict]) -> dict:
    hits = [lookup_record(fields) for fields in filed]
    mentioned = [lookup_record(fields, decision=False) for fields in only_mentioned]
    hits.sort(key=_by_date)
    mentioned.sort(key=_by_date)
    return {"case_number": number.strip(), "key": case.key, "hits": hits, "mentioned_in": mentioned}


def paragraph_record(index, paragraph_id: str) -> dict | None:
    """The whole stored § for an id (the Hit's fields, and its officers, who was present, sections,
    text and meeting), or None."""
    return _record(index.stored(paragraph_id.strip()))


def paragraph_records(index, paragraph_ids: list[str]) -> list[dict | None]:
    """``paragraph_record`` of each id, the index asked for all of them at once (one request to a cluster)."""
    return [_record(stored) for stored in index.stored_many([i.strip() for i in paragraph_ids])]


def _record(stored: dict | None) -> dict | None:
    if stored is None:
        return None
    record = lookup_record(stored)
    record.update({
        "officers": [o for o in (stored.get("officer") or "").split(",") if o],
        "present": [{"name": n, "party": p, "role": r} for n, p, r in stored.get("present") or []],
        "recused": list(stored.get("recused") or []),
        "sections": dict(sections_from_text(stored.get("text", ""), stored.get("kind", "protocol"))),
        "text": stored.get("text"),
        "meeting": stored.get("meeting") or {},
    })
    return record


def person_record(index, name: str, filters=None) -> dict:
    """One person across the index: for each name that holds every word of ``name`` (``Persson`` may be
    several people), the meetings and §§ where a § names them (present, chair, secretary, adjuster, case
    officer), their roles and parties over time, and the §§ they took no part in for a conflict of
    interest (jäv).  Read from the §§ that hold the name among their people or in their text."""
    from .filters import Filters
    from .highlight import people_by_role
    from .query import Or, Phrase

    from .backends.base import Request

    wanted = name.casefold().split()
    tree = Or((Phrase(name, "people"), Phrase(name, "text")))
    clauses = list((filters or Filters()).clauses)
    total = index.count(Request(tree, clauses, 1))
    found: dict[str, dict] = {}  # the name as written -> what the index says of them
    hits = [stored for stored, _ in index.run(Request(tree, clauses, max(total, 1))).hits] if total else []
    hits.sort(key=lambda h: (h.get("date") or "9999", h.get("path") or "", _number_first(h.get("paragraph")),
                             h.get("id")))  # in the order of the meetings, whatever the ranking
    for stored in hits:
        roles = people_by_role(stored)
        party_role = {entry[0]: (entry[1], entry[2]) for entry in stored.get("present") or () if entry}
        recused = list(stored.get("recused") or ())
        said = _said_by(stored.get("decisions"))
        for person in list(dict.fromkeys([*roles, *recused, *said])):
            if not all(w in person.casefold().split() for w in wanted):
                continue
            record = found.setdefault(person, {"name": person, "meetings": {}})
            meeting = record["meetings"].setdefault(stored.get("path"), {
                "date": stored.get("date"), "committee": stored.get("committee"), "source": stored.get("path"),
                "parties": [], "roles": [], "paragraphs": [], "ids": [], "recused": [], "proposals": [],
                "reservations": []})
            number = stored.get("paragraph") if stored.get("paragraph") is not None else stored.get("id")
            kinds, reserved, said_party = said.get(person, ((), False, None))
            meeting["proposals"] += [{"paragraph": number, "id": stored.get("id"), "kind": k} for k in kinds]
            if reserved:
                meeting["reservations"].append(number)
            party, role = party_role.get(person, (said_party, None))
            if party and party not in meeting["parties"]:
                meeting["parties"].append(party)
            for r in ([role] if role else []) + [r for r in roles.get(person, ()) if r != "participant"]:
                if r not in meeting["roles"]:
                    meeting["roles"].append(r)
            target = "recused" if person in recused else "paragraphs"
            meeting[target].append(stored.get("paragraph") if stored.get("paragraph") is not None
                                   else stored.get("id"))
            if target == "paragraphs":
                meeting["ids"].append(stored.get("id"))
    people = []
    for record in sorted(found.values(), key=lambda r: r["name"]):
        meetings = sorted(record["meetings"].values(), key=lambda m: (m["date"] or "9999", m["source"] or ""))
        for m in meetings:
            m["paragraphs"].sort(key=_number_first)
            m["recused"].sort(key=_number_first)
        dated = [m["date"] for m in meetings if m["date"]]
        parties = []
        for m in meetings:
            for party in m["parties"]:
                if not parties or parties[-1]["party"] != party:
                    parties.append({"party": party, "from": m["date"], "to": m["date"]})
                else:
                    parties[-1]["to"] = m["date"] or parties[-1]["to"]
        people.append({"name": record["name"], "meetings": meetings, "parties": parties,
                       "paragraphs": sum(len(m["paragraphs"]) for m in meetings),
                       "recused": sum(len(m["recused"]) for m in meetings),
                       "proposals": sum(len(m["proposals"]) for m in meetings),
                       "reservations": sum(len(m["reservations"]) for m in meetings),
                       "first": min(dated, default=None), "last": max(dated, default=None)})
    return {"name": name, "people": people}


def _said_by(decisions: dict | None) -> dict[str, tuple[tuple[str, ...], bool, str | None]]:
    """Who a § 's decision record names: name -> (the kinds of their proposals, whether they reserved
    themselves, their party)."""
    out: dict[str, tuple[tuple[str, ...], bool, str | None]] = {}
    for proposal in (decisions or {}).get("proposals", []):
        for p in proposal["by"]:
            kinds, reserved, party = out.get(p["name"], ((), False, p.get("party")))
            out[p["name"]] = (kinds + (proposal["kind"],), reserved, party)
    for reservation in (decisions or {}).get("reservations", []):
        for p in reservation["by"]:
            kinds, _, party = out.get(p["name"], ((), False, p.get("party")))
            out[p["name"]] = (kinds, True, party)
    return out


def _number_first(value) -> tuple:
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value or ""))


def example_id(index) -> str | None:
    """The id of some § in the index (for messages), or None when it holds none."""
    first = index.first()
    return first.get("id") if first else None


def party_counts(index, filters=None) -> dict:
    """Per party: in how many §§ (of those the filters allow) it proposed and reserved itself, from the
    parties the decision records name (``reserved`` and ``proposed`` keys without a space: a party's
    letters, where names have two words or more).  Counted by the search's own filters on any backend."""
    from .filters import BY_NAME, Clause, Filters
    from .search import search

    filters = filters or Filters()
    rows: dict[str, dict[str, int]] = {}
    for column in ("proposed", "reserved"):
        for key in index.terms(column):
            if " " in key or len(key) > 6:
                continue
            narrowed = Filters(filters.clauses + (Clause(BY_NAME[column], key, key),))
            total = search(index, "", narrowed, limit=1).total
            if total:
                rows.setdefault(key.upper(), {"proposed": 0, "reserved": 0})[column] = total
    parties = [{"party": party, **counts} for party, counts in
               sorted(rows.items(), key=lambda kv: (-kv[1]["reserved"], -kv[1]["proposed"], kv[0]))]
    out = {"parties": parties}
    if not filters.is_empty():
        out["filters"] = filters.to_dict()
    return out


def index_stats(index) -> dict:
    """What the index holds: documents, paragraphs, committees, dates, cases, schema, analysis data,
    parser version, last ingest.

    Counted over live §§ only, from the catalog and the term lists (document
    frequencies of live §§), not by reading every stored §.
    """
    fronts = index.doc_frequency("kind", "front")
    paragraphs = index.doc_count() - fronts  # §§ and sections: a document's front record is none
    dates = index.terms("date")
    cases = set(index.terms("case"))
    committees = {}
    for key in index.terms("committee_key"):
        stored = index.with_term("committee_key", key)
        name = stored[0].get("committee", key) if stored else key
        committees[name] = sum(1 for d in stored if d.get("kind") != "front")
    kinds = {kind: index.doc_frequency("kind", kind) for kind in index.terms("kind")}
    prefixed = {c for c in cases if " " in c}
    bare_covered = {c.split(" ", 1)[1] for c in prefixed}
    distinct = len(prefixed) + len({c for c in cases if " " not in c} - bare_covered)
    meta = index.meta()
    everything = index.catalog()
    catalog = {p: e for p, e in everything.items() if not e.get("duplicate_of")}
    return {
        "index": index.location,
        "documents": len(catalog),
        "duplicates": len(everything) - len(catalog),
        "documents_by_kind": {kind: sum(1 for e in catalog.values() if e.get("kind") == kind)
                              for kind in ("protocol", "notice", "other")},
        "paragraphs": paragraphs,
        "front_pages": fronts,
        "committees": dict(sorted(committees.items(), key=lambda kv: (-kv[1], kv[0]))),
        "without_committee": paragraphs - sum(committees.values()),
        "kinds": kinds,
        "date_from": dates[0] if dates else None,
        "date_to": dates[-1] if dates else None,
        "case_numbers": distinct,
        "schema_version": meta.get("schema_version"),
        "analysis": meta.get("analysis"),
        "parser_version": meta.get("parser"),
        "last_ingest": meta.get("last_ingest"),
    }
