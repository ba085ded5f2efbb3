"""Saved searches across a history of ingests, checked against the oracle, on whoosh and OpenSearch.

Three saved searches (a topic, a case number, a person) and a committee
without a query are added before anything is indexed; the corpus is then
ingested in the five steps the oracle tests use (files added, one edited, one
removed, the edit reverted).  After each step ``watch run`` must report
exactly the §§ that became matches since its last run (new) and those that
say something else (changed), as the oracle finds them by scanning the
parsed records: everything new reported once, nothing twice, nothing missed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from lxml import etree

from trygg_search.filters import clause
from trygg_search.query import And, Filter, parse_query

from . import test_oracle
from .conftest import ROOT
from .helpers import run, run_json
from .oracle import Oracle, records_of

WATCHES = {  # name -> (query, filter options)
    "topic": ("polis", []),
    "case": ("", ["--case", "Ks 930/2023"]),
    "person": ("", ["--participant", "Kemal Hoso"]),
    "committee": ("trygghet", ["--committee", "trygghetsutskott"]),
}
ATOM = etree.RelaxNG(etree.parse(str(ROOT / "tests" / "data" / "atom.rng")))


def _expected(records, query: str, options: list[str]) -> dict[str, tuple]:
    """The oracle's matches of a saved search: id -> what the § says."""
    tree = parse_query(query).tree if query else None
    clauses = [Filter(clause(options[i].lstrip("-"), options[i + 1])) for i in range(0, len(options), 2)]
    oracle = Oracle(records)
    found = oracle.answer(And(((oracle.read(tree),) if tree is not None else ()) + tuple(clauses)))
    content = {r.id: r.content for r in records}
    return {i: content[i] for i in found}


def _runs(location, *extra) -> dict[str, dict]:
    result = run(location, "watch", "run", "--json", *extra)
    assert result.exit_code in (0, 1), result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    return {r["watch"]: r for r in reports}, result.exit_code


def _check_history(location, folder, tmp_path):
    for name, (query, options) in WATCHES.items():
        result = run(location, "watch", "add", name, *([query] if query else []), *options)
        assert result.exit_code == 0, result.output
    previous = {name: {} for name in WATCHES}  # what each matched at its last run: id -> content
    reported_new = {name: [] for name in WATCHES}
    for step in test_oracle.history_steps(folder, location):
        records = records_of(folder)
        dry, _ = _runs(location, "--dry-run")
        reports, code = _runs(location, "--atom", str(tmp_path / "feeds"))
        assert dry == reports and sorted(reports) == sorted(WATCHES), step  # a dry run shows what a run reports
        anything = False
        for name, (query, options) in WATCHES.items():
            now = _expected(records, query, options)
            before = previous[name]
            seen = set(before.values())
            new = {i for i in now if i not in before and now[i] not in seen}
            changed = {i for i in now if i in before and before[i] != now[i]}
            report = reports[name]
            assert sorted(h["id"] for h in report["new"]) == sorted(new), (step, name)
            assert sorted(h["id"] for h in report["changed"]) == sorted(changed), (step, name)
            assert report["total"] == len(now), (step, name)
            reported_new[name] += [h["id"] for h in report["new"]]
            anything = anything or bool(new or changed)
            previous[name] = now
            feed = etree.parse(str(tmp_path / "feeds" / f"{name}.atom"))
            assert ATOM.validate(feed), (name, ATOM.error_log)
            _rfc_rules(feed)
        assert code == (0 if anything else 1), step
        again, code = _runs(location)  # nothing twice
        assert code == 1 and all(not r["new"] and not r["changed"] for r in again.values()), step
    for name, ids in reported_new.items():  # every § that is new was reported new once
        assert len(ids) == len(set(ids)), name
    assert reported_new["topic"] and reported_new["case"] and reported_new["person"] and reported_new["committee"]


def _rfc_rules(feed) -> None:
    """What RFC 4287 asks that a grammar cannot say: an author for the feed or each entry; each entry's
    content or an alternate link; ids unique."""
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = feed.getroot()
    entries = root.findall("a:entry", ns)
    assert root.find("a:author", ns) is not None or all(e.find("a:author", ns) is not None for e in entries)
    for e in entries:
        assert e.find("a:content", ns) is not None or e.find("a:link[@rel='alternate']", ns) is not None
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(ids) == len(set(ids))


def test_saved_searches_report_exactly_what_became_new_on_whoosh(tmp_path):
    _check_history(tmp_path / "index", tmp_path / "protocols", tmp_path)


def test_saved_searches_report_exactly_what_became_new_on_opensearch(opensearch, tmp_path):
    _check_history(f"{opensearch}#t-{uuid.uuid4().hex[:10]}", tmp_path / "protocols", tmp_path)


@pytest.fixture
def watched(tmp_path):
    """An index of three protocols, a saved search on a committee, then the rest of the corpus ingested."""
    steps = test_oracle.history_steps(tmp_path / "protocols", tmp_path / "index")
    next(steps)
    for name, (query, options) in {**WATCHES, "protocols": ("", ["--kind", "protocol"])}.items():  # much to report
        assert run(tmp_path / "index", "watch", "add", name, *([query] if query else []), *options).exit_code == 0
    next(steps)
    return tmp_path / "index"


def test_a_killed_run_reports_again_next_time(watched):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    first, _ = _runs(watched, "--dry-run")
    assert any(r["new"] for r in first.values())
    # A run whose reader does not read: it blocks writing its output, and is killed there.
    process = subprocess.Popen([sys.executable, "-m", "trygg_search", "--index", str(watched), "watch", "run",
                                "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL, "the output should fill the pipe (a larger history?)"
    again, code = _runs(watched)
    assert code == 0 and again == first
    # A reader that goes away (| head): nothing is recorded either.
    closed = subprocess.run(f"{sys.executable} -m trygg_search --index {watched} watch run --json | head -c 10",
                            shell=True, env=env, capture_output=True)
    assert closed.returncode == 0
    after, _ = _runs(watched)
    assert all(not r["new"] and not r["changed"] for r in after.values())


def test_a_rebuild_of_the_same_files_is_nothing_new_and_feed_ids_stay(watched, tmp_path):
    _runs(watched)
    before = run(watched, "watch", "feed", "topic").stdout
    folder = tmp_path / "protocols"
    assert run(watched, "ingest", "--rebuild", str(folder)).exit_code == 0
    after, code = _runs(watched)
    assert code == 1 and all(not r["new"] and not r["changed"] for r in after.values())
    ids = lambda xml: [e.findtext("{http://www.w3.org/2005/Atom}id")  # noqa: E731
                       for e in etree.fromstring(xml.encode()).iter("{http://www.w3.org/2005/Atom}entry")]
    assert ids(run(watched, "watch", "feed", "topic").stdout) == ids(before) and ids(before)


def test_watch_commands_validate_and_say_what_they_did(watched):
    result = run(watched, "watch", "add", "topic", "skola")
    assert result.exit_code == 2 and "a saved search named 'topic' exists: give --replace" in result.stderr
    assert run(watched, "watch", "add", "topic", "skola", "--replace").exit_code == 0
    for bad, message in ((["watch", "add", "-x", "skola"], "no such option"),
                         (["watch", "add", "två ord", "skola"], "is no name for a saved search"),
                         (["watch", "add", "x", "skola", "--from", "2023-13"], "no such date"),
                         (["watch", "add", "x"], "needs a query or a filter"),
                         (["watch", "add", "x", "(" * 70 + "a"], "nested deeper"),
                         (["watch", "run", "nope"], "no saved search named 'nope'"),
                         (["watch", "remove", "nope"], "no saved search named 'nope'"),
                         (["watch", "feed", "nope"], "no saved search named 'nope'")):
        result = run(watched, *bad)
        assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1, bad
    result, data = run_json(watched, "watch", "list")
    assert [w["watch"] for w in data] == sorted([*WATCHES, "protocols"]) and data[-1]["query"] == "skola"
    assert run(watched, "watch", "remove", "topic").exit_code == 0
    assert "topic" not in run(watched, "watch", "list").stdout
    human = run(watched, "watch", "run", "case")
    assert human.stdout.startswith("case: ") and " match now" in human.stdout.splitlines()[0]
