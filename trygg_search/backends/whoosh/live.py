"""The index's term lists as live documents hold them.

whoosh keeps a deleted document's terms in its segment's term list until the
segment is merged away, which is the normal state of an index kept up to date
by incremental ingests.  Whatever decides from term lists (filters by name,
acronym expansion, did-you-mean, the å/ä/ö fallback, ``stats``) reads them
through these functions, so that a deleted § counts for nothing.
"""

from __future__ import annotations


def _btext(reader, fieldname: str, text) -> bytes:
    return text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)


def _leaves(reader):
    return reader.leaf_readers() if hasattr(reader, "leaf_readers") else [(reader, 0)]


def is_live(reader, fieldname: str, text) -> bool:
    """True when a live document holds the term."""
    btext = _btext(reader, fieldname, text)
    for seg, _ in _leaves(reader):
        if (fieldname, btext) not in seg:
            continue
        if not seg.has_deletions() or seg.postings(fieldname, btext).is_active():
            return True
    return False


def doc_frequency(reader, fieldname: str, text) -> int:
    """The number of live documents that hold the term."""
    btext = _btext(reader, fieldname, text)
    total = 0
    for seg, _ in _leaves(reader):
        if (fieldname, btext) not in seg:
            continue
        if not seg.has_deletions():
            total += seg.doc_frequency(fieldname, btext)
            continue
        m = seg.postings(fieldname, btext)
        while m.is_active():
            total += 1
            m.next()
    return total


def terms(reader, fieldname: str, prefix: str | None = None) -> list[str]:
    """Every term of a field that a live document holds, as text, in order (from ``prefix`` on, if given)."""
    if fieldname not in reader.schema:
        return []
    source = reader.expand_prefix(fieldname, prefix) if prefix else reader.lexicon(fieldname)
    deletions = reader.has_deletions()
    out = []
    for raw in source:
        if deletions and not is_live(reader, fieldname, raw):
            continue
        out.append(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    return out
