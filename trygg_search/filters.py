"""The filters: one table drives the command-line options, the query syntax, the description and the query.

A row names the filter, its option (``--committee``), its query-syntax key
(``committee:``), how a value is read and checked, the index field it reads
and how it matches there, and how a clause describes itself ("committee ~
'trygghet'").  Adding a filter is one row here plus its index field; the
backend turns each *match* kind into its own query once.

Match kinds:

- ``substring``: the field's values (lowercased) that contain the value;
- ``names``: names in the field holding every word of the value as a whole word;
- ``case``: the canonical key of a case number (see :mod:`casenum`);
- ``span``: ISO days ``(first, last)``, inclusive, either end open;
- ``term``: the value itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .errors import CaseNumberError, QueryError

KINDS = ("protocol", "notice", "other", "front")  # front: what stands before a document's first §
OUTCOMES = ("bifall", "avslag", "återremiss", "bordläggning", "enligt förslag")  # protocol.decisions
FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"


def parse_date_bound(text: str, upper: bool, where: str) -> str:
    """``2023`` / ``2023-10`` / ``2023-10-11`` -> an ISO day: the first or, for an upper bound, the last."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.strip())
    if not m:
        raise QueryError(f"{where} {text!r}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
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
        raise QueryError(f"{where} {text!r}: no such date") from None


def _text(raw: str, where: str) -> str:
    return " ".join(raw.split())


def _case(raw: str, where: str) -> tuple[str, str]:
    from . import casenum  # on first use: the command line starts without its patterns

    try:
        return raw.strip(), casenum.parse(raw).key
    except CaseNumberError as exc:
        raise QueryError(f"{where}: {exc}") from None


def _kind(raw: str, where: str) -> str:
    if raw.strip() not in KINDS:
        raise QueryError(f"{where} {raw!r}: expected one of {', '.join(KINDS)}")
    return raw.strip()


def _outcome(raw: str, where: str) -> str:
    value = " ".join(raw.split()).casefold()
    value = {"as proposed": "enligt förslag", "återremitterad": "återremiss", "bordlagd": "bordläggning"}.get(value, value)
    if value not in OUTCOMES:
        raise QueryError(f"{where} {raw!r}: expected one of {', '.join(OUTCOMES)}")
    return value


def _yes(raw: str, where: str) -> str:
    if raw.strip().casefold() not in ("yes", "ja", "true", "1"):
        raise QueryError(f"{where} {raw!r}: expected yes (leave the filter out for any §; NOT voted:yes for §§ "
                         f"decided without a vote)")
    return "yes"


def _on(raw: str, where: str) -> tuple[str, str]:
    return parse_date_bound(raw, False, where), parse_date_bound(raw, True, where)


def _from(raw: str, where: str) -> tuple[str, None]:
    return parse_date_bound(raw, False, where), None


def _to(raw: str, where: str) -> tuple[None, str]:
    return None, parse_date_bound(raw, True, where)


def _describe_span(span) -> str:
    lo, hi = span
    if lo and hi:
        return f"dated {lo}" if lo == hi else f"dated {lo} to {hi}"
    return f"dated from {lo}" if lo else f"dated up to {hi}"


@dataclass(frozen=True)
class FilterSpec:
    """One filter: its names, how a value is read, the index field and how it matches there."""

    name: str  # the query-syntax key (``committee:``) and the JSON key
    option: str  # the command-line option
    metavar: str
    help: str
    field: str  # the index field it reads
    match: str  # substring | names | case | span | term (see the module docstring)
    read: Callable[[str, str], object]  # (raw value, where it was written) -> value; QueryError if bad
    describe: Callable[[object], str]
    flag: bool = False  # an option without a value (--voted); in a query, key:yes


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("committee", "--committee", "TEXT", "Committee name contains TEXT (case-insensitive).",
               "committee_key", "substring", _text, lambda v: f"committee ~ {v!r}"),
    FilterSpec("date", "--date", "DATE", "Meetings within DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
               "date", "span", _on, _describe_span),
    FilterSpec("from", "--from", "DATE", "Meetings on or after DATE (YYYY[-MM[-DD]]).",
               "date", "span", _from, _describe_span),
    FilterSpec("to", "--to", "DATE", "Meetings on or before DATE (YYYY[-MM[-DD]]).",
               "date", "span", _to, _describe_span),
    FilterSpec("case", "--case", "NUMBER", "Filed under this case number (any spelling).",
               "case", "case", _case, lambda v: f"case {v[0]}"),
    FilterSpec("participant", "--participant", "NAME", "NAME was present at the § (whole words of the name).",
               "participant", "names", _text, lambda v: f"present: {v}"),
    FilterSpec("officer", "--officer", "NAME", "NAME is among the case officers (Handläggare).",
               "officer", "names", _text, lambda v: f"handläggare: {v}"),
    FilterSpec("kind", "--kind", "KIND", f"Kind of document: {', '.join(KINDS)}.",
               "kind", "term", _kind, lambda v: f"kind {v}"),
    FilterSpec("reserved", "--reserved-by", "PARTY|NAME", "A party (SD) or a person reserved themselves against "
               "the decision (Reservation).", "reserved", "names", _text, lambda v: f"reserved: {v}"),
    FilterSpec("proposed", "--proposed-by", "PARTY|NAME", "A party or a person made a proposal (yrkade).",
               "proposed", "names", _text, lambda v: f"proposed by: {v}"),
    FilterSpec("voted", "--voted", "", "Decided by a vote (omröstning).", "voted", "term", _yes,
               lambda v: "decided by a vote", flag=True),
    FilterSpec("outcome", "--outcome", "OUTCOME", f"What the § came to: {', '.join(OUTCOMES)}.",
               "outcome", "term", _outcome, lambda v: f"outcome {v}"),
)
BY_NAME = {spec.name: spec for spec in FILTERS}


@dataclass(frozen=True)
class Clause:
    """A filter with its value: ``committee:trygghet`` or ``--committee trygghet``."""

    spec: FilterSpec
    value: object
    raw: str

    @property
    def name(self) -> str:
        return self.spec.name

    def describe(self) -> str:
        return self.spec.describe(self.value)


def clause(name: str, raw: str, where: str | None = None) -> Clause:
    """Read one filter value; QueryError (naming ``where``) when it is empty or malformed."""
    from .textnorm import normalize_text

    spec = BY_NAME[name]
    where = where or spec.option
    raw = normalize_text(str(raw)) if raw is not None else raw  # as a query's text: NFC, full-width, zero-width
    if raw is None or not raw.strip():
        raise QueryError(f"{where}: empty value")
    return Clause(spec, spec.read(raw, where), raw)


@dataclass(frozen=True)
class Filters:
    """The filters given as options: every clause must hold (a repeated option too)."""

    clauses: tuple[Clause, ...] = ()

    def describe(self) -> str:
        """The filters in plain words: "committee ~ 'trygghet', dated from 2023-01-01, present: Kemal Hoso"."""
        return ", ".join(c.describe() for c in self.clauses)

    def to_dict(self) -> dict:
        """``{"committee": ["trygghet"], "date_from": "2023-01-01", "date_to": ...}``: names map to
        the values given; the date bounds are those every clause allows."""
        out: dict = {}
        lo, hi = self.span()
        for c in self.clauses:
            if c.spec.match != "span":
                out.setdefault(c.name, []).append(c.raw.strip())
        if lo:
            out["date_from"] = lo
        if hi:
            out["date_to"] = hi
        return out

    def span(self) -> tuple[str | None, str | None]:
        """The narrowest date span the date clauses allow together (None: open)."""
        los = [c.value[0] for c in self.clauses if c.spec.match == "span" and c.value[0]]
        his = [c.value[1] for c in self.clauses if c.spec.match == "span" and c.value[1]]
        return (max(los) if los else None), (min(his) if his else None)

    def is_empty(self) -> bool:
        return not self.clauses


def matching_keys(c: Clause, keys, notes: list[str]) -> list[str]:
    """The index keys a substring or names clause stands for, from a field's live ``keys``; a note
    when there are none (the clause then matches nothing).  One reading for every backend."""
    spec, value = c.spec, c.value
    if spec.match == "substring":
        want = value.casefold()
        found = [k for k in keys if want in k]
        if not found:
            notes.append(f"no {spec.name} in the index matches {value!r}")
        return found
    wanted = value.casefold().split()  # names: every word of the value is a whole word of the name
    found = [n for n in keys if all(w in n.casefold().split() for w in wanted)]
    if not found:
        notes.append(f"nobody named {value!r} in the index ({spec.name})")
    return found


def make_filters(**options) -> Filters:
    """Option values (a string or a sequence of strings per filter name) -> Filters.

    ``make_filters(committee="trygghet", date_from="2023")``; the names are the
    table's, and ``date_from``/``date_to`` stand for ``from``/``to``.  A value
    that is empty or malformed raises QueryError naming the option.
    """
    clauses = []
    for key, values in options.items():
        name = {"date_from": "from", "date_to": "to"}.get(key, key)
        if name not in BY_NAME:
            raise TypeError(f"no filter named {key!r}")
        if values is None or values is False or values == ():
            continue
        if values is True:  # a flag (--voted)
            values = "yes"
        for raw in [values] if isinstance(values, str) else values:
            clauses.append(clause(name, raw))
    result = Filters(tuple(clauses))
    lo, hi = result.span()
    if lo and hi and lo > hi:
        raise QueryError(f"the date filters exclude every day ({lo} is after {hi})")
    return result
