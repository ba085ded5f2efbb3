"""Queries and filters: user text -> whoosh query objects, each filter able to describe itself.

Query syntax: words (all must match), "phrases", OR, NOT or a leading -,
prefix*, and ``field:value``.  ``title:`` and ``text:`` restrict a word to
that field; ``committee:``, ``participant:``, ``officer:``, ``case:``,
``date:`` and ``kind:`` are filters, the same as the command-line options,
and apply to the whole query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from . import casenum
from .errors import CaseNumberError, QueryError

FILTER_FIELDS = ("committee", "participant", "officer", "case", "date", "kind")
KINDS = ("protocol", "notice", "other")
_FIELD_FILTER = re.compile(
    r'(?:(?<=\s)|^)(?P<field>' + "|".join(FILTER_FIELDS) + r'):(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))',
    re.IGNORECASE,
)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def parse_date_bound(text: str, upper: bool, option: str) -> str:
    """``2023`` / ``2023-10`` / ``2023-10-11`` -> an ISO day: the first or, for an upper bound, the last."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.strip())
    if not m:
        raise QueryError(f"{option} {text!r}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            return date(y, int(mo), int(d)).isoformat()
        if mo:
            first = date(y, int(mo), 1)
            if not upper:
                return first.isoformat()
            nxt = date(y + (first.month == 12), first.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1).isoformat()
        return date(y, 12, 31).isoformat() if upper else date(y, 1, 1).isoformat()
    except ValueError:
        raise QueryError(f"{option} {text!r}: no such date") from None


@dataclass(frozen=True)
class Filters:
    """Restrictions on which §§ may be hits; empty means no restriction."""

    committee: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    case: str | None = None
    participant: str | None = None
    officer: str | None = None
    kind: str | None = None

    def describe(self) -> str:
        """The filters in plain words: "committee ~ 'trygghet', from 2023-01-01, present: Kemal Hoso"."""
        parts = []
        if self.committee:
            parts.append(f"committee ~ {self.committee!r}")
        if self.date_from and self.date_to:
            parts.append(f"dated {self.date_from} to {self.date_to}")
        elif self.date_from:
            parts.append(f"dated from {self.date_from}")
        elif self.date_to:
            parts.append(f"dated up to {self.date_to}")
        if self.case:
            parts.append(f"case {self.case}")
        if self.participant:
            parts.append(f"present: {self.participant}")
        if self.officer:
            parts.append(f"handläggare: {self.officer}")
        if self.kind:
            parts.append(f"kind {self.kind}")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}

    def is_empty(self) -> bool:
        return not any(self.__dict__.values())


def make_filters(
    committee=None, date_from=None, date_to=None, case=None, participant=None, officer=None, kind=None
) -> Filters:
    """Validate option values into Filters (QueryError names the bad option)."""
    lo = parse_date_bound(date_from, False, "--from") if date_from else None
    hi = parse_date_bound(date_to, True, "--to") if date_to else None
    if lo and hi and lo > hi:
        raise QueryError(f"--from {date_from} is after --to {date_to}")
    if case:
        try:
            casenum.parse(case)
        except CaseNumberError as exc:
            raise QueryError(f"--case: {exc}") from None
    if kind and kind not in KINDS:
        raise QueryError(f"--kind {kind!r}: expected one of {', '.join(KINDS)}")
    return Filters(committee or None, lo, hi, case or None, participant or None, officer or None, kind or None)


def split_field_filters(text: str, filters: Filters) -> tuple[str, Filters]:
    """Move ``committee:x``-style clauses out of the query text into the filters."""
    found: dict[str, str] = {}

    def take(m: re.Match) -> str:
        value = m.group("quoted") if m.group("quoted") is not None else m.group("bare")
        found[m.group("field").lower()] = value
        return " "

    rest = _FIELD_FILTER.sub(take, text)
    if not found:
        return text, filters
    updates = {}
    if "date" in found:
        updates["date_from"] = parse_date_bound(found["date"], False, "date:")
        updates["date_to"] = parse_date_bound(found["date"], True, "date:")
    if "case" in found:
        try:
            casenum.parse(found["case"])
        except CaseNumberError as exc:
            raise QueryError(f"case: {exc}") from None
    if "kind" in found and found["kind"] not in KINDS:
        raise QueryError(f"kind:{found['kind']}: expected one of {', '.join(KINDS)}")
    for name in ("committee", "participant", "officer", "case", "kind"):
        if name in found:
            updates[name] = found[name]
    return " ".join(rest.split()), replace(filters, **updates)


def normalize_syntax(text: str) -> str:
    """A leading ``-`` means NOT; prefix and wildcard words are lowercased (the index is)."""
    text = re.sub(r'(?:(?<=\s)|^)-(?=[\w"(])', "NOT ", text)
    out = []
    for token in re.split(r"(\s+)", text):
        if token.strip() and token not in OPERATORS and ("*" in token or "?" in token):
            token = token.lower()
        out.append(token)
    return "".join(out)


@dataclass
class ParsedQuery:
    """The whoosh query built from user text, and how it was built."""

    text: str
    query: object  # whoosh.query.Query
    literal: bool = False  # the syntax was malformed: searched as plain words
    notes: list[str] = field(default_factory=list)


def _parser(schema):
    from whoosh import qparser

    parser = qparser.MultifieldParser(["title", "text"], schema)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(qparser.FieldsPlugin(expr=r"(?P<text>title|text):"))
    return parser


_PLAIN = re.compile(r"^[^\W_]+(?:[-/:][^\W_]+)*(?:\s+[^\W_]+(?:[-/:][^\W_]+)*)+$")
PHRASE_BOOST = 3.0


def proximity_boost(text: str, q, schema):
    """Plain words (no syntax): §§ whose title holds them together (slop 2) rank higher."""
    from whoosh import query as wq

    if not _PLAIN.match(text.strip()) or set(text.split()) & OPERATORS:
        return q
    terms = [t.text for t in schema["text"].analyzer(text, mode="query")]
    if len(terms) < 2:
        return q
    # Titles only: phrase matching over whole texts costs whoosh more than all the rest of a query.
    return wq.AndMaybe(q, wq.Phrase("title", terms, slop=2, boost=PHRASE_BOOST))


def build_query(text: str, schema) -> ParsedQuery:
    """Parse the query text; malformed syntax falls back to its plain words."""
    from whoosh import query as wq

    cleaned = normalize_syntax(text)
    try:
        q = _parser(schema).parse(cleaned)
        return ParsedQuery(text, proximity_boost(cleaned, q, schema))
    except Exception:
        words = re.findall(r"[^\W_]+(?:[-/:][^\W_]+)*", text)
        if not words:
            return ParsedQuery(text, wq.NullQuery, literal=True)
        plain = " ".join(words)
        q = _parser(schema).parse(plain)
        return ParsedQuery(text, q, literal=True, notes=[f"the query syntax was not understood; searched for the words: {plain}"])


def positive_leaves(q):
    """The leaf queries of ``q`` that are not under a NOT."""
    from whoosh import query as wq

    if isinstance(q, (wq.Not, wq.AndNot)):
        if isinstance(q, wq.AndNot):
            yield from positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)
