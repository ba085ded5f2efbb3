"""The backend seam: a second backend is a new package implementing backends/base.py, nothing else changed.

``tests/backends/memory`` keeps §§ in a dict and answers queries with the
test oracle.  Put on the backends' package path, it serves ``memory://``
locations, and every command runs on it as on the whoosh index: the same
§§ found (search sets and totals, case, show, stats).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import trygg_search.backends

from .conftest import CORPUS
from .helpers import S2023_10_11, run_json


@pytest.fixture
def memory_backend(monkeypatch):
    monkeypatch.setattr(trygg_search.backends, "__path__",
                        list(trygg_search.backends.__path__) + [str(Path(__file__).parent / "backends")])
    import importlib

    store = importlib.import_module("trygg_search.backends.memory").STORE  # as the registry imports it
    store.clear()
    yield "memory://corpus"
    assert list(store) == ["memory://corpus"] and store["memory://corpus"]["catalog"]  # it was this backend
    store.clear()


def test_a_second_backend_serves_every_command(memory_backend, corpus_index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a location misread as a folder would show here
    result, data = run_json(memory_backend, "ingest", CORPUS)
    assert result.exit_code == 0, result.output
    assert data["files_indexed"] == 5 and data["paragraphs_total"] == 45
    for query in ("narkotika", "kommun NOT kind:notice", "(date:2018 OR polis)", "Ks 930/2023", "brotts*"):
        (r1, ours), (r2, theirs) = run_json(memory_backend, "search", query, "--limit", "100"), \
            run_json(corpus_index, "search", query, "--limit", "100")
        assert r1.exit_code == r2.exit_code
        assert ours["total"] == theirs["total"] and {h["id"] for h in ours["hits"]} == {h["id"] for h in theirs["hits"]}
    for args in (["case", "Ks 1113/2021"], ["show", f"{S2023_10_11}#22"], ["stats"]):
        (r1, ours), (r2, theirs) = run_json(memory_backend, *args), run_json(corpus_index, *args)
        assert r1.exit_code == r2.exit_code == 0
        for data in (ours, theirs):
            for key in ("index", "last_ingest", "schema_version"):
                data.pop(key, None)
        assert ours == theirs, args
    result, data = run_json(memory_backend, "ingest", CORPUS)
    assert data["files_unchanged"] == 5 and data["files_indexed"] == 0
    assert not any(tmp_path.iterdir())


def test_only_a_backend_imports_its_engine():
    """whoosh is imported only under backends/whoosh/, opensearchpy only under backends/opensearch/."""
    import ast

    from .conftest import ROOT

    engines = {"whoosh": "whoosh", "opensearchpy": "opensearch"}
    found = []
    for path in sorted((ROOT / "trygg_search").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for name in names:
                engine = engines.get(name.split(".")[0])
                if engine:
                    found.append((engine, path.relative_to(ROOT / "trygg_search").parts))
    assert {e for e, _ in found} == set(engines.values())
    for engine, parts in found:
        assert parts[:2] == ("backends", engine), (engine, "/".join(parts))
