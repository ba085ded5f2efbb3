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
