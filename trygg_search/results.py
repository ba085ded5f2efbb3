"""What search and the lookups return: one typed Hit for search, case and show, and a search's result."""

from __future__ import annotations

from dataclasses import dataclass, field

from .filters import Filters


@dataclass
class Hit:
    """One § found: what identifies it, its score and a highlighted snippet."""

    id: str
    date: str | None
    committee: str | None
    paragraph: int | None
    title: str
    case_number: str | None
    kind: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]]
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    path: str | None = None
    decision: str | None = None  # the Beslut (or the proposal), for case lookups
    matched: list[str] = field(default_factory=list)  # where the query matched: title, text, and how people did
    people: list[dict] = field(default_factory=list)  # the § 's people the query matched: {"name", "as": [...]}
    decisions: dict | None = None  # proposals, votes, reservations, notes, outcome (records.Decisions.to_dict)

    def to_dict(self) -> dict:
        """The search hit's JSON (docs/search.md)."""
        return {
            "id": self.id,
            "date": self.date,
            "committee": self.committee,
            "paragraph": self.paragraph,
            "title": self.title,
            "case_number": self.case_number,
            "kind": self.kind,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "title_highlights": [list(h) for h in self.title_highlights],
            "matched": list(self.matched),
            "people": [dict(p) for p in self.people],
            "decisions": self.decisions,
            "source": self.path,
        }

def lookup_record(stored: dict, decision: bool = True) -> dict:
    """A § found by a lookup by identity (case, show), straight from its stored fields: a search hit's
    JSON (``Hit.to_dict``) without its score, snippet, highlights and what matched; its decision if asked.
    No Hit is made: a batch of case lookups makes thousands."""
    out = {
        "id": stored["id"],
        "date": stored.get("date"),
        "committee": stored.get("committee"),
        "paragraph": stored.get("paragraph"),
        "title": stored.get("title", ""),
        "case_number": stored.get("case_number"),
        "kind": stored.get("kind", ""),
        "decisions": stored.get("decisions"),
        "source": stored.get("path"),
    }
    if decision:
        out["decision"] = stored.get("decision")
    return out


@dataclass
class SearchResult:
    """Hits for one query, with what was searched and any notes for the reader."""

    query: str
    total: int
    hits: list[Hit]
    filters: Filters
    notes: list[str] = field(default_factory=list)
    did_you_mean: str | None = None
    showing_results_for: str | None = None
    explanation: dict | None = None

    def to_dict(self) -> dict:
        out = {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits]}
        if self.showing_results_for:
            out["showing_results_for"] = self.showing_results_for
        if self.explanation:
            out["explain"] = self.explanation
        if not self.filters.is_empty():
            out["filters"] = self.filters.to_dict()
        if self.did_you_mean:
            out["did_you_mean"] = self.did_you_mean
        if self.notes:
            out["notes"] = self.notes
        return out
