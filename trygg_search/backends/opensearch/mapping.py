"""The OpenSearch index: its settings and mapping, and a § as an OpenSearch document.

The Swedish analysis runs in Python, as for whoosh (:mod:`...analysis`): one
chain decides the terms for indexing, queries and highlighting on both
backends, so that they cannot drift apart.  A text field is sent to
OpenSearch already analyzed: one token per position, the compound parts at
the compound's position joined to it by ``|`` (``lokalpolisområd|lokal|polis``),
and the index splits them with a ``pattern_capture`` filter into tokens at
the same position.  Phrases therefore work as with whoosh; the query side
uses the whitespace analyzer on terms our chain made.

Fields with a ``k_`` or ``t_`` prefix are the indexed forms (keys, terms);
the rest are the stored fields the search core reads, as the whoosh schema
stores them.  ``gen_from``/``gen_to`` are the commits a § lives in (see
:mod:`.`).  Raise ``SCHEMA_VERSION`` whenever any of this, or the analysis,
changes what is indexed.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ... import weights
from ...analysis import analyze, analyze_for_index, people_terms
from ..base import LOOKUP_FIELDS

SCHEMA_VERSION = 12  # 10: a front record per document (kind "front"); 11: decisions; 12: lookup
FOREVER = 2**62  # gen_to of a live §

# What the whoosh schema stores; a hit's fields are these and nothing else.
STORED = ("id", "path", "kind", "committee", "date", "paragraph", "title", "text", "parts", "case_number",
          "decision", "officer", "present", "recused", "meeting", "decisions")
# Comma lists indexed as keys (whoosh KEYWORD(commas=True): each value stripped; names lower-cased).
LISTS = {"case": False, "mentions": False, "acronyms": False, "officer": True, "participant": True,
         "reserved": True, "proposed": True, "voted": False, "outcome": False}
# Our field names -> the indexed field.
FIELDS = {"title": "t_title", "text": "t_text", "people": "t_people", "committee_key": "k_committee",
          **{name: f"k_{name}" for name in LISTS}, "id": "id", "path": "path", "kind": "kind", "date": "date"}
INTERNAL = ["t_*", "k_*", "gen_from", "gen_to", "doc_type", "browse", "digest", "lookup"]
# What a case lookup shows of a § (LOOKUP_FIELDS) as one JSON value in doc values: a lookup reads it, and the
# case keys and order from doc values too, without the stored fields, whose compressed blocks hold whole §§
# (reading them was most of a lookup's time).  A value longer than a doc value may be (a very long Beslut)
# is left out, and a lookup reads that § from _source.
LOOKUP = "lookup"
LOOKUP_BYTES = 32_766


def settings(shards: int | None = None, replicas: int | None = None) -> dict:
    """Index settings and mapping (BM25 with the weights table's parameters, as whoosh scores)."""
    index: dict = {
        "similarity": {"default": {"type": "BM25", "b": weights.BM25_B, "k1": weights.BM25_K1}},
        "analysis": {
            "filter": {"trygg_alternatives": {"type": "pattern_capture", "preserve_original": False,
                                              "patterns": ["([^|]+)"]}},
            "analyzer": {"trygg_terms": {"type": "custom", "tokenizer": "whitespace",
                                         "filter": ["trygg_alternatives"]}},
        },
        # A commit becomes visible by its head document, not by refresh: refresh only when asked.
        "refresh_interval": "30s",
        "max_result_window": 100_000,
    }
    if shards:
        index["number_of_shards"] = shards
    if replicas is not None:
        index["number_of_replicas"] = replicas
    keyword = {"type": "keyword"}
    text = {"type": "text", "analyzer": "trygg_terms", "search_analyzer": "whitespace", "norms": True}
    properties = {
        "doc_type": keyword, "id": keyword, "path": keyword, "kind": keyword, "date": keyword, "browse": keyword,
        "digest": keyword,
        "gen_from": {"type": "long"}, "gen_to": {"type": "long"},
        "t_title": text, "t_text": text, "k_committee": keyword,
        # one value a name: the cluster puts weights.PEOPLE_GAP positions between them, as whoosh's analyzer does
        "t_people": dict(text, position_increment_gap=weights.PEOPLE_GAP),
        **{f"k_{name}": keyword for name in LISTS},
        LOOKUP: {"type": "keyword", "index": False, "doc_values": True},  # read, never searched
        # head and catalog documents: kept, never searched
        "generation": {"type": "long"}, "chunk": {"type": "integer"},
        "data": {"type": "object", "enabled": False},
    }
    return {"settings": {"index": index}, "mappings": {"dynamic": False, "properties": properties}}


# From this many §§, one search reads a shard's segments in slices, on several cores at once (concurrent
# segment search).  On one node of a 2-core machine, at a million §§ the slow queries (a common word, a
# phrase of two) took about 40 % less time; at 100,000 the median took an eighth more, and a batch of case
# lookups a quarter more: Lucene makes a slice of up to 250,000 documents.
CONCURRENT_FROM = 250_000


def concurrent_search(version: tuple[int, ...], paragraphs: int) -> dict:
    """The index settings that turn concurrent segment search on for an index of ``paragraphs`` §§ (off, to
    the cluster's default, below CONCURRENT_FROM), on a cluster of OpenSearch ``version`` (empty: unknown,
    nothing set).  The setting is named "mode" from 2.17, and was a switch from 2.12."""
    large = paragraphs >= CONCURRENT_FROM
    if version >= (2, 17):
        return {"index.search.concurrent_segment_search.mode": "all" if large else None}
    if version >= (2, 12):
        return {"index.search.concurrent_segment_search.enabled": True if large else None}
    return {}


TITLE_WEIGHT = weights.TITLE  # as whoosh's field_boost of the title multiplies a term's frequency, before BM25


def positions(terms, weight: int = 1) -> str:
    """Analyzed terms as one string: positions apart by spaces, the terms at one position joined by ``|``.

    ``weight`` repeats every term at its position, so that its frequency is multiplied as whoosh's
    field boost multiplies it (the field's length, counted by positions, stays the same)."""
    if weight != 1:
        groups: list[list[str]] = []
        last = None
        for t in terms:
            if t.position != last:
                groups.append([t.term])
                last = t.position
            elif t.term not in groups[-1]:
                groups[-1].append(t.term)
        return " ".join("|".join(g * weight) for g in groups)
    # Once a term of every text: the string's pieces in one list, a position's second term the only list.
    out: list[str] = []
    append = out.append
    last = first = more = None  # the position, its first term, the terms after the first (or None)
    for term, _, _, position, _ in terms:
        if position != last:
            append(" ")
            append(term)
            last, first, more = position, term, None
        elif term != first and (more is None or term not in more):
            append("|")
            append(term)
            if more is None:
                more = [term]
            else:
                more.append(term)
    return "".join(out)[1:]


@lru_cache(maxsize=50_000)
def _name_positions(name: str, plain: bool) -> str:
    """One name's terms as :func:`positions`: once per name and ingest (the same people sit in many §§)."""
    return positions(people_terms(name, plain))


def index_terms(text: str, plain: bool, weight: int = 1) -> str:
    """What the whoosh analyzer indexes for ``text`` (the same chain, the same call), as :func:`positions`."""
    if not text:
        return ""
    return positions(analyze(text, plain=True) if plain else analyze_for_index(text), weight)


def keys(value: str | None, lower: bool) -> list[str]:
    """A comma list as whoosh's KEYWORD(commas=True) indexes it."""
    out = []
    for item in (value or "").split(","):
        item = item.strip()
        if item:
            out.append(item.lower() if lower else item)
    return out


def to_source(document: dict, plain: bool, generation: int) -> dict:
    """A § (a field dict from ``ingest.documents``) -> the OpenSearch document of one commit."""
    source = {name: document.get(name) for name in STORED}
    source.update({
        "doc_type": "paragraph",
        "gen_from": generation,
        "gen_to": FOREVER,
        "t_title": index_terms(document.get("title") or "", plain, TITLE_WEIGHT),
        "t_text": index_terms(document.get("text") or "", plain),
        "t_people": [_name_positions(name, plain) for name in (document.get("people") or "").split("\n")
                     if name.strip()],
        "k_committee": document.get("committee_key") or None,
        "browse": document.get("browse"),
        "digest": document.get("digest"),
    })
    for name, lower in LISTS.items():
        source[f"k_{name}"] = keys(document.get(name), lower)
    shown = json.dumps({name: source[name] for name in LOOKUP_FIELDS}, ensure_ascii=False)
    if len(shown.encode("utf-8")) <= LOOKUP_BYTES:
        source[LOOKUP] = shown
    return source
