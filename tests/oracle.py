"""A brute-force search oracle: answers a query tree by scanning parsed records, no index involved.

It reads the documents ingest would write for the files as they are now
(parse -> ``ingest.documents``), analyzes titles and texts with the same
Swedish chain into term -> positions, and evaluates our query tree
(``trygg_search.query``) node by node with Python sets: words in the title,
the text or the people of a § (each name apart), phrases by consecutive
positions, prefixes and wildcards over the terms, case numbers, and every
filter by its own definition (committee substring, whole words of a name,
case key, date span, kind).  Plain words written with capitals are read as
a name may be (:meth:`Oracle.read`).  It shares no code with the index, the
engine or the query translation.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from trygg_search.analysis import analyze, query_terms
from trygg_search.ingest import documents, id_stems
from trygg_search.protocol import parse_meeting
from trygg_search.query import All, And, CaseRef, Filter, Not, Or, Phrase, Prefix, Wildcard, Word
from trygg_search.sources import find_sources, read_source

FIELDS = ("title", "text", "people")
GAP = 100  # positions between two names of a §'s people: a phrase never runs from one into the next


class Record:
    """One § as the oracle sees it."""

    def __init__(self, doc: dict):
        self.id = doc["id"]
        self.title, self.text = doc.get("title") or "", doc.get("text") or ""
        self.terms = {f: _positions(doc.get(f) or "") for f in ("title", "text")}
        self.terms["people"] = _name_positions(doc.get("people") or "")
        self.committee = (doc.get("committee") or "").casefold()
        self.participants = [n.casefold() for n in (doc.get("participant") or "").split(",") if n]
        self.officers = [n.casefold() for n in (doc.get("officer") or "").split(",") if n]
        # who reserved themselves and who proposed, read from the decision record itself (not the index keys)
        said = doc.get("decisions") or {}
        self.reserved = _who(said.get("reservations", []))
        self.proposed = _who(said.get("proposals", []))
        self.voted = "yes" if said.get("votes") else None
        self.outcome = said.get("outcome")
        self.cases = set(filter(None, (doc.get("case") or "").split(",")))
        self.mentions = set(filter(None, (doc.get("mentions") or "").split(",")))
        self.date = doc.get("date")
        self.kind = doc.get("kind")
        self.acronym_keys = {tuple(e.split("\t")[0].split()) for e in (doc.get("acronyms") or "").split(",") if e}
        # what the § says: a § that says the same again is no new one
        self.content = tuple(doc.get(k) for k in ("kind", "date", "committee", "paragraph", "title", "text",
                                                  "case_number"))


def _positions(text: str) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for t in analyze(text):  # indexing's chain: compound parts at the compound's position
        out.setdefault(t.term, set()).add(t.position)
    return out


def _name_positions(people: str) -> dict[str, set[int]]:
    """Each name of the people (one a line) read as a query reads it, the names GAP positions apart."""
    out: dict[str, set[int]] = {}
    base = 0
    for name in people.split("\n"):
        terms = analyze(name, parts=False, names=True, readings=False)
        for t in terms:
            out.setdefault(t.term, set()).add(base + t.position)
        if terms:
            base += terms[-1].position + 1 + GAP
    return out


def records_of(folder: Path) -> list[Record]:
    """The records of every file under ``folder`` as they are now, with the ids ingest gives them."""
    found = find_sources([str(folder)]).found
    names = {str(f.path.resolve()): f.name for f in found}
    stems = id_stems(names)
    out = []
    for f in found:
        path = str(f.path.resolve())
        meeting = parse_meeting(read_source(f.path).text, str(f.path))
        out += [Record(d) for d in documents(meeting, path, stems[path])]
    return out


class Oracle:
    def __init__(self, records: list[Record]):
        self.records = records
        self.everything = {r.id for r in records}

    def answer(self, tree) -> set[str]:
        found = self.eval(tree)
        return set() if found is None else found

    @staticmethod
    def read(tree):
        """The tree as a query of it is read: two or more plain words, all with a capital, as a name may
        be written: each word in the title or the text, or all together as one name among the people."""
        words = tree.children if isinstance(tree, And) else ()
        if len(words) >= 2 and all(type(w) is Word and w.field is None and w.boost == 1.0 and w.text[:1].isupper()
                                   for w in words):
            in_text = And(tuple(Or((Word(w.text, "title"), Word(w.text, "text"))) for w in words))
            return Or((in_text, Phrase(" ".join(w.text for w in words), "people")))
        return tree

    def eval(self, node) -> set[str] | None:
        """The ids the node matches; None when it has nothing to search (only stop words)."""
        if isinstance(node, (Word, Phrase)):
            terms = query_terms(node.text)
            if not terms:
                return None
            fields = (node.field,) if node.field else FIELDS
            if isinstance(node, Word) and len(terms) > 1:
                return {r.id for r in self.records if any(all(t in r.terms[f] for t in terms) for f in fields)}
            return {r.id for r in self.records if any(_phrase(r.terms[f], terms) for f in fields)}
        if isinstance(node, Prefix):
            fields = (node.field,) if node.field else FIELDS
            return {r.id for r in self.records if any(t.startswith(node.text) for f in fields for t in r.terms[f])}
        if isinstance(node, Wildcard):
            fields = (node.field,) if node.field else FIELDS
            return {r.id for r in self.records
                    if any(fnmatch.fnmatchcase(t, node.pattern) for f in fields for t in r.terms[f])}
        if isinstance(node, CaseRef):
            written = self.eval(Phrase(node.raw)) or set()
            return written | {r.id for r in self.records if node.key in r.cases or node.key in r.mentions}
        if isinstance(node, Filter):
            return {r.id for r in self.records if self.passes(r, node.clause)}
        if isinstance(node, All):
            return set(self.everything)
        if isinstance(node, Not):
            inner = self.eval(node.child)
            return None if inner is None else self.everything - inner
        if isinstance(node, Or):
            parts = [p for p in (self.eval(c) for c in node.children) if p is not None]
            return set().union(*parts) if parts else None
        if isinstance(node, And):
            positive = [self.eval(c) for c in node.children if not isinstance(c, Not)]
            negative = [self.eval(c.child) for c in node.children if isinstance(c, Not)]
            positive = [p for p in positive if p is not None]
            negative = [n for n in negative if n is not None]
            if not positive and not negative:
                return None
            out = set(self.everything) if not positive else set.intersection(*positive)
            for n in negative:
                out -= n
            return out
        raise TypeError(node)

    @staticmethod
    def passes(r: Record, clause) -> bool:
        match, value = clause.spec.match, clause.value
        if match == "substring":
            return value.casefold() in r.committee if r.committee else False
        if match == "names":
            people = {"participant": r.participants, "officer": r.officers, "reserved": r.reserved,
                      "proposed": r.proposed}[clause.name]
            wanted = value.casefold().split()
            return any(all(w in name.split() for w in wanted) for name in people)
        if match == "case":
            return value[1] in r.cases
        if match == "span":
            lo, hi = value
            return r.date is not None and (lo is None or lo <= r.date) and (hi is None or r.date <= hi)
        if match == "term":
            return {"kind": r.kind, "voted": r.voted, "outcome": r.outcome}[clause.name] == value
        raise ValueError(match)


def _who(items: list[dict]) -> list[str]:
    """The parties and names of a decision record's proposals or reservations, casefolded."""
    return [w.casefold() for x in items for w in [*x.get("parties", []), *(p["name"] for p in x.get("by", []))]]


def _phrase(positions: dict[str, set[int]], terms: list[str]) -> bool:
    if any(t not in positions for t in terms):
        return False
    return any(all(p + i in positions[t] for i, t in enumerate(terms)) for p in positions[terms[0]])
