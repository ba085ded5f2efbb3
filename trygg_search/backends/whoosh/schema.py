"""The whoosh schema and its version.

Raise ``SCHEMA_VERSION`` whenever a field or the analyzer changes what it
stores or produces: an index built by another version is refused with
"re-run ingest" instead of returning wrong results.
"""

from __future__ import annotations

from pickle import dumps, loads

SCHEMA_VERSION = 27  # 21: a front record per document (kind "front"); 22: decisions; 23: the lookup column;
# 24: a date's year and month as terms of their own; 25: posting blocks with their values apart (codec.py);
# 26: positions kept as deltas, a block's header naming what its part B holds; 27: text_pairs


# What a lookup by case shows of a § (base.LOOKUP_FIELDS): kept in a column of their own, so that a
# lookup reads a few hundred bytes a §, not its whole stored text.
from ..base import LOOKUP_FIELDS  # noqa: E402


def lookup_value(document: dict) -> bytes:
    return dumps(tuple(document.get(k) for k in LOOKUP_FIELDS), protocol=5)


def lookup_fields(value: bytes) -> dict:
    return dict(zip(LOOKUP_FIELDS, loads(value)))


def date_parts(document: dict) -> dict:
    """A § 's date (ISO ``YYYY-MM-DD``, as the parser writes it) as the terms of its year and month:
    a date filter reads the whole years and months of its span as one term each (see ``query.span``)."""
    date = document.get("date") or ""
    if len(date) != 10:
        return {}
    return {"date_year": date[:4], "date_month": date[:7]}


def build_schema(plain: bool = False):
    """A fresh schema instance (whoosh imported lazily: the CLI starts faster without it).

    ``plain`` analyzes with plain Snowball only: the baseline that the relevance
    harness and the benchmarks compare against.
    """
    from whoosh import columns
    from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

    from ... import weights
    from .analyzer import PeopleAnalyzer, SwedishAnalyzer, WordPairs

    swedish = SwedishAnalyzer(plain=plain)
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        path=ID(stored=True),  # absolute path of the source file
        kind=ID(stored=True),
        committee=STORED(),  # as written; the committee filter matches committee_key
        committee_key=ID(),  # lowercased committee, for the substring filter
        date=ID(stored=True, sortable=True),  # ISO: a date filter is a range of these terms (filters.py)
        date_year=ID(),  # the date's year and month (date_parts): the whole years and months of a date filter
        date_month=ID(),
        paragraph=STORED(),
        title=TEXT(analyzer=swedish, stored=True, field_boost=float(weights.TITLE)),
        text=TEXT(analyzer=swedish, stored=True),
        # The text's terms two by two (analysis.word_pairs), given as a list: the engine answers a
        # phrase of the text from these, and reads positions only to check a phrase of three words or more.
        text_pairs=WordPairs(),
        people=TEXT(analyzer=PeopleAnalyzer(plain=plain)),  # who was present, chaired, adjusted, handled it
        parts=STORED(),  # {"title": [[start, end, term]], "text": [...]}: compound parts, for highlighting
        case_number=STORED(),  # as written in the protocol
        decision=STORED(),  # the Beslut (or Förslag till beslut) section as one paragraph: parse.decision
        case=KEYWORD(commas=True),  # canonical keys: "ks 930/2023,930/2023"
        mentions=KEYWORD(commas=True),  # keys of case numbers written in the text
        acronyms=KEYWORD(commas=True),  # acronyms defined in the text, both ways: see expand.acronym_entries
        officer=KEYWORD(commas=True, lowercase=True, stored=True),
        participant=KEYWORD(commas=True, lowercase=True),
        present=STORED(),  # [[name, party, role], ...] at this §
        recused=STORED(),  # [name, ...]: present, and took no part for a conflict of interest
        decisions=STORED(),  # proposals, votes, reservations, notes, outcome: protocol.decisions
        reserved=KEYWORD(commas=True, lowercase=True),  # parties and names that reserved themselves
        proposed=KEYWORD(commas=True, lowercase=True),  # parties and names that proposed (yrkade)
        voted=KEYWORD(commas=True),  # "yes": decided by a vote
        outcome=KEYWORD(commas=True),  # bifall, avslag, återremiss, bordläggning, enligt förslag
        browse=ID(sortable=True),  # the order of §§ listed without a query: ingest.browse_key
        digest=ID(sortable=True),  # what the § says, for telling a changed § (watch): ingest.digest_of
        meeting=STORED(),  # header fields of the meeting: time, place, chair, ...
        # what a lookup by case shows of a § (LOOKUP_FIELDS, pickled), read without the stored text
        lookup=COLUMN(columns.VarBytesColumn()),
    )


def is_plain(schema) -> bool:
    """True for a baseline index analyzed with plain Snowball."""
    return bool(getattr(schema["text"].analyzer, "plain", False))
