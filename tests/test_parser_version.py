"""The parser's version (records.PARSER_VERSION) names what the parser reads.

An index records the version its files were read with, and an ingest into an
index read with another version reads every file again: a file whose bytes did
not change is otherwise never read again, and would keep what an older parser
made of it.  So the version must be raised whenever the parser reads a document
differently.  This test holds a digest of what the parser reads of the bundled
corpus and of the real protocols' text files, for the current version: it fails
when the parser reads them differently under the same version.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from .conftest import CORPUS, REAL

# PARSER_VERSION -> the digest of what it reads (test_the_parser_version_is_raised_when_the_parser_reads_differently)
READ = {
    1: "528c7c27b4fcb4f2f16316af33e75ad94b5b4b24",
}


def _read_digest() -> tuple[str, int]:
    """A digest of every record an ingest makes of the corpus and the real protocols' text files (what
    the parser, the case-number grammar and the acronyms read; not the analysis's compound parts, which
    the analysis data's versions cover), and how many files went into it."""
    from trygg_search.ingest import documents
    from trygg_search.protocol import read_meeting
    from trygg_search.sources import read_source

    files = sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("*.txt")) + sorted((REAL / "more").glob("*.txt"))
    digest = hashlib.sha1()
    for f in files:
        header, paragraphs = read_meeting(read_source(f).text, f.name)
        digest.update(json.dumps(header.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        for doc in documents(header, f.name, f.stem, False, paragraphs):
            del doc["parts"]
            digest.update(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return digest.hexdigest(), len(files)


def test_the_parser_version_is_raised_when_the_parser_reads_differently():
    from trygg_search.lexicon import data_versions
    from trygg_search.records import PARSER_VERSION

    if not (REAL / "more").is_dir():
        pytest.skip(f"{REAL} not present (the shared folder lies beside the checkout in CI)")
    digest, files = _read_digest()
    assert files > 50
    assert READ.get(PARSER_VERSION) == digest, (
        f"the parser reads the corpus and the real protocols differently from what parser version "
        f"{PARSER_VERSION} read: raise records.PARSER_VERSION (indexes read with the old one are then read "
        f"again by their next ingest) and add {{{PARSER_VERSION + 1}: {digest!r}}} to READ here.  (The analysis "
        f"data can change what the parser joins at a hyphen too: {data_versions()}.)")
