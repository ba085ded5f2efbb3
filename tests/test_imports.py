"""A command loads only what it uses: a search in a fresh process, as a user runs it.

whoosh is imported with stand-ins for three modules it never uses in a search
(``backends/whoosh/lean.py``); these tests run in fresh interpreters, since the
test process itself has long loaded them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from trygg_search.ingest import ingest

from .helpers import indexed

NEVER_IN_A_SEARCH = [
    "asyncio", "urllib.request", "http.client", "ssl", "whoosh.lang.morph_en",  # whoosh's, stood in for
    "pypdfium2", "trygg_search.word", "trygg_search.sources", "trygg_search.protocol",  # reading documents
    "opensearchpy", "urllib3", "trygg_search.backends.opensearch.client",  # the cluster
    "multiprocessing", "importlib.metadata", "trygg_search.suggest", "trygg_search.explain",
    "snowballstemmer.english_stemmer", "snowballstemmer.swedish_stemmer",  # Snowball runs in C (PyStemmer)
]


def _fresh(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; what it prints last, read as JSON."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _with_deletions(tmp_path):
    """An index of two segments, one with a deleted § (a file changed and ingested again)."""
    index = indexed(tmp_path, {"a.txt": "§ 1 Narkotika\n\nNarkotikahandeln i centrum.\n",
                               "b.txt": "§ 1 Trygghet\n\nTrygghet och narkotika i skolan.\n"})
    (tmp_path / "docs" / "b.txt").write_text("§ 1 Trygghet\n\nTrygghet i skolan, narkotika nämns.\n",
                                             encoding="utf-8")
    ingest([str(tmp_path / "docs")], index)
    return index


def test_a_search_loads_neither_whoosh_s_unused_modules_nor_the_readers_nor_the_cluster(tmp_path):
    index = _with_deletions(tmp_path)
    for output in (["--json"], []):
        loaded = _fresh(f"""
            import json, sys
            from trygg_search.cli import main
            sys.argv = ["trygg-search", "--index", {str(index)!r}, "search", "narkotika", *{output!r}]
            try:
                main()
            except SystemExit as exit:
                assert exit.code == 0, exit.code
            from trygg_search import lexicon
            print(json.dumps({{"modules": sorted(sys.modules), "compounds": lexicon._data is not None}}))
        """)
        assert [m for m in NEVER_IN_A_SEARCH if m in loaded["modules"]] == [], output
        assert not loaded["compounds"]  # a query never loads the compound dictionary
        assert ("rich" in loaded["modules"]) == (output == [])  # JSON for scripts needs no rich


def test_the_stood_in_modules_are_the_real_ones_when_used(tmp_path):
    index = _with_deletions(tmp_path)
    (tmp_path / "page.txt").write_text("fetched", encoding="utf-8")
    out = _fresh(f"""
        import json, sys
        import trygg_search.backends.whoosh
        from trygg_search.backends import open_index
        from trygg_search.filters import Filters
        from trygg_search.search import search
        stood_in = [m for m in ("asyncio", "urllib.request", "whoosh.lang.morph_en") if m in sys.modules]
        hits = [h.id for h in search(open_index({str(index)!r}), "narkotika", Filters()).hits]
        from cached_property import cached_property  # whoosh's; its module holds asyncio's stand-in

        class Answer:
            @cached_property
            def value(self):
                return 42

        from whoosh.compat import urlretrieve
        from whoosh.query.terms import variations
        import asyncio, urllib.request, whoosh.lang.morph_en
        print(json.dumps({{
            "stood_in": stood_in, "hits": sorted(hits), "cached": Answer().value,
            "asyncio": hasattr(asyncio, "run") and type(asyncio).__name__ == "module",
            "urllib": urllib.request.urlopen.__module__ == "urllib.request",
            "fetched": open(urlretrieve(({str(tmp_path / "page.txt")!r}).join(("file://", "")))[0]).read(),
            "variations": sorted(variations("render")) == sorted(whoosh.lang.morph_en.variations("render")),
        }}))
    """)
    assert out == {"stood_in": [], "hits": ["a#1", "b#1"], "cached": 42, "asyncio": True, "urllib": True,
                   "fetched": "fetched", "variations": True}
