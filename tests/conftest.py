"""Shared fixtures: the bundled corpus, the Göteborg protocols, and real indexes in temporary folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
REAL = ROOT.parent / "shared" / "real-protocols"

SEEDS = {
    "2023-10-11": CORPUS / "000_85df296f62d2738a.txt",
    "2024-04-09": CORPUS / "001_2a4b40077b5f9c53.txt",
    "2023-03-28": CORPUS / "002_fe33fae3f282ebd8.txt",
    "agreement": CORPUS / "003_4de19bd87722bf86.txt",
    "2018-06-19": CORPUS / "004_5cee533aa628c866.txt",
}


def real_protocol(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present (the shared folder lies beside the checkout in CI)")
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of the bundled corpus, built once for the whole test session (read-only for tests)."""
    from trygg_search.ingest import ingest

    index_dir = tmp_path_factory.mktemp("index")
    report = ingest([str(CORPUS)], index_dir)
    assert not report.skipped
    return index_dir


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus, for tests that change files."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def pytest_terminal_summary(terminalreporter):
    """Print the relevance and paradigm figures beside plain Snowball's, when those tests ran."""
    from . import test_paradigms, test_relevance

    lines = []
    for name, f in test_relevance.FIGURES.items():
        lines.append(f"relevance  {name:<15} P@1 {f['precision_at_1']:.3f}  R@5 {f['recall_at_5']:.3f}"
                     f"  ({f['queries']} judged queries)")
    for name, f in test_paradigms.FIGURES.items():
        lines.append(f"paradigms  {name:<15} conflation {f['conflation']:.3f}  over-merging {f['over_merging']:.6f}"
                     f"  ({f['lemmas']} words, {f['forms']} forms)")
    if lines:
        terminalreporter.section("Swedish analysis against plain Snowball")
        for line in lines:
            terminalreporter.write_line(line)


# --- OpenSearch: a real cluster, started by the test run (scripts/opensearch_dev.py) -----------------

REQUIRE_OPENSEARCH = "TRYGG_SEARCH_REQUIRE_OPENSEARCH"  # set by .ci/run: no skipping there


def _dev():
    import importlib.util

    spec = importlib.util.spec_from_file_location("opensearch_dev", ROOT / "scripts" / "opensearch_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_ports(count: int) -> int:
    """A base port such that base..base+count-1 and base+100.. are free on loopback."""
    import random
    import socket

    for _ in range(200):
        base = random.randint(20000, 40000)
        try:
            for port in [*range(base, base + count), *range(base + 100, base + 100 + count)]:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports on loopback")


def start_cluster(tmp_path_factory, nodes: int):
    """(the dev script's module, the cluster's state) for ``nodes`` nodes; a skip without Java and
    Maven (a failure under .ci/run)."""
    import os

    dev = _dev()
    reason = dev.missing_tools()
    if reason:
        if os.environ.get(REQUIRE_OPENSEARCH):
            pytest.fail(f"OpenSearch tests are required here ({REQUIRE_OPENSEARCH}) but {reason}")
        pytest.skip(reason)
    data = tmp_path_factory.mktemp(f"opensearch{nodes}")
    try:
        state = dev.start(nodes, _free_ports(nodes), data, heap="384m")
    except dev.DevError as exc:
        pytest.fail(f"the development cluster did not start: {exc}")
    return dev, state


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory):
    """One OpenSearch node for the whole session: (the dev script's module, the cluster's state)."""
    dev, state = start_cluster(tmp_path_factory, 1)
    yield dev, state
    dev.stop(state["data"])


@pytest.fixture(scope="session")
def opensearch(opensearch_node):
    """The session's OpenSearch node: its URL."""
    return opensearch_node[1]["url"]
