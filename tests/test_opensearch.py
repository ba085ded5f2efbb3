"""The OpenSearch backend on a real cluster started by the test run: the answers of the whoosh index.

Skipped with the reason where Java or Maven is missing; required under
``.ci/run`` (TRYGG_SEARCH_REQUIRE_OPENSEARCH).  Nothing is mocked: a node of
OpenSearch 2.19 runs in its own JVM, started by scripts/opensearch_dev.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opensearchpy import OpenSearch

from trygg_search.backends import backend_at, open_index
from trygg_search.backends.opensearch.mapping import FOREVER
from trygg_search.errors import IngestLockedError
from trygg_search.filters import Filters
from trygg_search.search import search
from trygg_search.ingest import ingest

from . import test_oracle, test_relevance
from .conftest import CORPUS, REAL, ROOT, start_cluster
from .helpers import run, run_json
from .oracle import Oracle, records_of

GOTEBORG = sorted(REAL.glob("0*_goteborg_*.txt"))


def _needs_goteborg():
    if not GOTEBORG:
        pytest.skip(f"{REAL} not present (the shared folder lies beside the checkout in CI)")


def _name() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def _raw(url: str) -> OpenSearch:
    return OpenSearch(hosts=url.split(","), timeout=60)


@pytest.fixture(scope="module")
def pair(opensearch, tmp_path_factory):
    """The corpus and the Göteborg protocols in a whoosh index and in an OpenSearch index."""
    root = tmp_path_factory.mktemp("pair")
    folder = root / "protocols"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt")) + GOTEBORG:
        shutil.copy(path, folder / path.name)
    whoosh_dir = root / "index"
    location = f"{opensearch}#{_name()}"
    a = ingest([str(folder)], whoosh_dir)
    b = ingest([str(folder)], location)
    assert (a.paragraphs_total, a.files_indexed) == (b.paragraphs_total, b.files_indexed)
    return whoosh_dir, location


def _comparable(data: dict) -> tuple[dict, dict]:
    """A search's JSON apart from scores and order: (everything but hits, id -> hit without score)."""
    hits = {h["id"]: {k: v for k, v in h.items() if k != "score"} for h in data["hits"]}
    rest = {k: v for k, v in data.items() if k not in ("hits", "explain")}
    return rest, hits


QUERIES = [q for q, _, _ in test_relevance.judgments()] + [
    "polis NOT narkotika", '"öppen narkotikahantering"', "brotts*", "trygg?et", "title:trygghet",
    "Ks 930/2023", "ks930/2023", "committee:trygghet polis", "date:2023 samverkan", "from:2023-11 to:2024-05",
    "kind:notice", "participant:Hillding", "GVI OR SSPF", "(skola OR fritid) AND polis", "narkotka",
    "trygghetsvandring", "trygghet -polis", "och", "zorblaxqq", "kommunfullmäktige budget", "hemlöshet",
    "Göteborgs Stads", "motion", "Dnr 0123/23",
    # at the limit of clauses (each word a few of the cluster's), and past it: refused alike
    " OR ".join(f"{w}{i}" for i in range(25) for w in ("polis", "narkotika", "GVI", "skola")),
    " ".join(["polis"] * 101), "(" * 65 + "polis" + ")" * 65, "*olis",
]


@pytest.mark.parametrize("query", QUERIES)
def test_search_gives_the_whoosh_answer(pair, query):
    whoosh_dir, location = pair
    a, da = run_json(whoosh_dir, "search", "--limit", "500", query)
    b, db = run_json(location, "search", "--limit", "500", query)
    assert a.exit_code == b.exit_code, (query, a.stderr, b.stderr)
    assert (da is None) == (db is None)
    if da is None:
        assert a.stderr == b.stderr
        return
    rest_a, hits_a = _comparable(da)
    rest_b, hits_b = _comparable(db)
    assert rest_a == rest_b, query
    assert hits_a.keys() == hits_b.keys(), (query, sorted(hits_a.keys() ^ hits_b.keys())[:5])
    for pid in hits_a:
        assert hits_a[pid] == hits_b[pid], (query, pid)


def test_the_best_hits_are_the_first_of_all_in_order_of_score_path_and_id(pair, monkeypatch):
    """A search's best k hits, read by score alone (one more than k), are the first k of every match sorted by
    score, then path and id: for every k, and where hits tie across the k-th (then the cluster sorts)."""
    from trygg_search.backends.opensearch.backend import _Reader

    _, location = pair
    sorted_by_cluster = []
    asked = _Reader._search

    def observed(self, body, **params):
        if "sort" in body and "query" in body and "size" in body and body["size"] > 0:
            sorted_by_cluster.append(body["size"])
        return asked(self, body, **params)

    monkeypatch.setattr(_Reader, "_search", observed)
    ix = open_index(location)
    read_by_score = asked_for = 0
    for query in ["polis", "trygghet", "narkotika OR droger", "Örebro", "kommun*", "skola fritid", "GVI",
                  "samverkan", "beslut", '"öppen narkotikahantering"']:
        every = search(ix, query, Filters(), limit=1000)
        assert 0 < len(every.hits) == every.total < 1000, query
        order = sorted(every.hits, key=lambda h: (-h.score, h.path, h.id))
        for k in range(1, min(every.total, 40) + 1):
            sorted_by_cluster.clear()
            best = search(ix, query, Filters(), limit=k)
            assert best.total == every.total
            assert [(h.id, h.score) for h in best.hits] == [(h.id, h.score) for h in order[:k]], (query, k)
            read_by_score += not sorted_by_cluster
            asked_for += 1
    assert 0 < read_by_score < asked_for  # both ways were taken: hits do tie across the k-th here


def test_a_batch_of_case_keys_is_each_key_s_own_lookup_however_its_pages_fall(opensearch, tmp_path, monkeypatch):
    """One search for a batch's keys, given out to the keys by the case keys of each §: the answer of each
    key's own lookup, in its order, and whoosh's §§; with pages of 3 §§ too, so that a batch's answer
    spans pages.  A lookup reads its §§ from doc values, or from _source those whose Beslut is longer than
    a doc value may be."""
    from trygg_search.backends.opensearch import backend
    from trygg_search.backends.opensearch.mapping import LOOKUP_BYTES

    long_decision = "Nämnden beslutar att återremittera ärendet för översyn. " * 700
    assert len(long_decision.encode("utf-8")) > LOOKUP_BYTES

    folder = tmp_path / "protocols"
    folder.mkdir()
    location = f"{opensearch}#{_name()}"
    for files in ((2, 3), (0, 1)):  # the later files first: an index's own order is not the paths'
        for n in files:  # §§ filed under a case, naming two others in their text
            (folder / f"ks{n}.txt").write_text("Kommunstyrelsen\n\nDatum: 2024-0{}-10\n\n".format(n + 1) + "".join(
                f"§ {p + 1} Ärende {p}\n\nDiarienummer: KS 2023/{10 + (n + p) % 6}\n\nSe ärende "
                f"KS 2023/{10 + (n + p + 1) % 6} och KS 2023/{10 + (n + 2 * p + 3) % 7}.\n\n" for p in range(3))
                + (f"§ 4 Långt beslut\n\nDiarienummer: KS 2023/11\n\nBeslut\n\n{long_decision}\n" if n == 1 else ""),
                encoding="utf-8")
        for index in (tmp_path / "index", location):
            ingest([str(folder)], index)
    whoosh_index, cluster = open_index(tmp_path / "index"), open_index(location)
    keys, mentioned = whoosh_index.terms("case"), whoosh_index.terms("mentions")
    assert "ks 10/2023" in keys and set(mentioned) - set(keys)  # KS 2023/16 is only named
    batch = keys + mentioned + keys[:2] + ["ks-1999-1"]  # repeated keys, and one no § has
    alone = [cluster.filed_and_mentioned(key) for key in batch]  # each key's own lookup, in its order
    assert all(f for f, _ in alone[:6]) and all(m for _, m in alone[:6])
    assert [d["decision"] for f, _ in alone for d in f if len(d["decision"] or "") > LOOKUP_BYTES]

    def by_id(answers):  # the backends list a key's §§ each in its own order (lookup.py sorts them by date)
        return [tuple(sorted(group, key=lambda d: d["id"]) for group in answer) for answer in answers]

    assert by_id(alone) == by_id([whoosh_index.filed_and_mentioned(key) for key in batch])
    assert cluster.filed_and_mentioned_many(batch) == alone
    monkeypatch.setattr(backend, "PAGE", 3)
    assert cluster.filed_and_mentioned_many(batch) == alone


def test_filters_case_show_and_stats_give_the_whoosh_answer(pair):
    _needs_goteborg()  # a hundred §§ and more to show
    whoosh_dir, location = pair
    whoosh_index = open_index(whoosh_dir)
    for key in whoosh_index.terms("case")[:40]:
        a, da = run_json(whoosh_dir, "case", key)
        b, db = run_json(location, "case", key)
        assert (a.exit_code, da) == (b.exit_code, db), key
    # a batch read from a file: one search for the lines at hand on the cluster
    from .test_lookup import batch_lines, run_piped

    lines = "\n".join(batch_lines(whoosh_dir)) + "\n"
    assert run_piped(whoosh_dir, "case", "-", stdin=lines) == run_piped(location, "case", "-", stdin=lines)
    every = [d["id"] for d in whoosh_index.with_term("kind", "protocol")] + \
        [d["id"] for d in whoosh_index.with_term("kind", "other")][:20]
    assert len(every) > 100
    ids = "\n".join(pid for pid in every[:150] + ["nope#1", every[0]]) + "\n"  # one unknown, one twice
    assert run_piped(whoosh_dir, "show", "-", stdin=ids) == run_piped(location, "show", "-", stdin=ids)
    for pid in every[::3]:
        a, da = run_json(whoosh_dir, "show", pid)
        b, db = run_json(location, "show", pid)
        assert (a.exit_code, da) == (b.exit_code, db), pid
    for options in (["--committee", "kommunfullmäktige"], ["--from", "2024-01-01"], ["--kind", "notice"],
                    ["--participant", "Axel Josefson"], ["--date", "2023-10"], ["--case", "Ks 930/2023"],
                    ["budget", "--reserved-by", "SD"], ["--proposed-by", "Jörgen Fogelklou"], ["--voted"],
                    ["--outcome", "återremiss"], ["--outcome", "enligt förslag", "--reserved-by", "M"]):
        a, da = run_json(whoosh_dir, "search", "--limit", "500", *options)
        b, db = run_json(location, "search", "--limit", "500", *options)
        assert a.exit_code == b.exit_code, options
        if da is not None:
            assert _comparable(da) == _comparable(db), options
    for name in ["Axel Josefson", "Hoso", "Marina Johansson", "Sollerman", "Zorblax", "Jansson"]:
        a, da = run_json(whoosh_dir, "person", name)
        b, db = run_json(location, "person", name)
        assert (a.exit_code, da) == (b.exit_code, db), name
    for options in ([], ["--committee", "kommunstyrelsen"], ["--from", "2030"]):
        a, da = run_json(whoosh_dir, "stats", "--by", "party", *options)
        b, db = run_json(location, "stats", "--by", "party", *options)
        assert (a.exit_code, da) == (b.exit_code, db), options
    a, da = run_json(whoosh_dir, "stats")
    b, db = run_json(location, "stats")
    for d in (da, db):
        for key in ("index", "last_ingest", "schema_version"):
            d.pop(key)
    assert da == db
    assert run(location, "show", "no-such-id#1").exit_code == 1


def test_explain_parts_sum_to_the_score(pair):
    _, location = pair
    _, data = run_json(location, "search", "--explain", "--limit", "5", "narkotika polis")
    top = data["explain"]["top_hits"]
    assert top
    for hit, explained in zip(data["hits"], top):
        assert hit["id"] == explained["id"]
        assert abs(sum(p["score"] for p in explained["matched"]) - explained["score"]) < 0.01, explained
        assert {p["term"].split(":")[0] for p in explained["matched"]} <= {"title", "text"}


def test_relevance_agrees_with_whoosh(opensearch, corpus_index):
    location = f"{opensearch}#{_name()}"
    ingest([str(CORPUS)], location)
    ours, theirs = test_relevance.evaluate(corpus_index), test_relevance.evaluate(location)
    test_relevance.FIGURES["OpenSearch"] = theirs
    assert abs(ours["precision_at_1"] - theirs["precision_at_1"]) <= 0.02, theirs["misses"]
    assert abs(ours["recall_at_5"] - theirs["recall_at_5"]) <= 0.02, theirs["misses"]


@pytest.fixture(scope="module")
def history(opensearch, tmp_path_factory):
    """The oracle test's history of incremental ingests, on OpenSearch: §§ of old generations left behind."""
    root = tmp_path_factory.mktemp("oshistory")
    folder = root / "protocols"
    location = f"{opensearch}#{_name()}"
    test_oracle.ingest_history(folder, location)
    ix = open_index(location)
    records = records_of(folder)
    assert ix.doc_count() == len(records)
    raw = _raw(opensearch)
    dead = raw.count(index=location.split("#")[1], body={"query": {"range": {"gen_to": {"lte": ix.generation}}}})
    assert dead["count"] > 0, "the history should leave §§ of earlier generations in the index"
    return ix, Oracle(records), records


def test_search_agrees_with_the_oracle_on_opensearch(history):
    from hypothesis import HealthCheck, given, settings

    ix, oracle, records = history
    tree, options = test_oracle.strategies(records)
    sizes: list[int] = []

    @settings(max_examples=120, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(tree, options)
    def check(tree, options):
        sizes.append(test_oracle._check(ix, oracle, tree, options) or 0)

    check()
    assert sum(1 for n in sizes if 0 < n < len(records)) >= len(sizes) // 3, sizes


def _ingest_command(location: str, folder, *extra) -> list[str]:
    return [sys.executable, "-m", "trygg_search", "--index", location, "ingest", "--progress", *extra, str(folder)]


def _many(root, copies: int):
    """A folder of ``copies`` copies of the corpus under other names (a few thousand §§)."""
    folder = root / "many"
    folder.mkdir()
    for i in range(copies):  # each copy a protocol of its own (the same one twice is indexed once)
        for seed in sorted(CORPUS.glob("*.txt")):
            (folder / f"{i:03d}_{seed.name}").write_bytes(seed.read_bytes() + f"\n\nKopia {i}.\n".encode())
    return folder


def _kill_after(command: list[str], files: int, env=None) -> int:
    """Run an ingest and SIGKILL it once ``files`` files are done; its exit status."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    done = 0
    for line in process.stderr:
        if '"files_done"' in line and '"path"' in line:
            done += 1
            if done >= files:
                process.send_signal(signal.SIGKILL)
                break
    code = process.wait()
    process.stderr.close()
    return code


def test_a_killed_ingest_leaves_the_index_whole_and_a_rerun_completes_it(opensearch, tmp_path):
    folder = _many(tmp_path, 40)
    location = f"{opensearch}#{_name()}"
    first = [f for f in sorted(folder.iterdir())][:10]
    small = tmp_path / "small"
    small.mkdir()
    for f in first:
        shutil.copy(f, small / f.name)
    ingest([str(small)], location)
    before = run_json(location, "search", "--limit", "1000", "polis")[1]
    stats_before = run_json(location, "stats")[1]

    # Killed in the middle of an incremental ingest: the new files half sent.
    for f in sorted(folder.iterdir())[10:]:
        shutil.copy(f, small / f.name)
    assert _kill_after(_ingest_command(location, small), 80) == -signal.SIGKILL
    assert run_json(location, "search", "--limit", "1000", "polis")[1] == before
    assert run_json(location, "stats")[1]["paragraphs"] == stats_before["paragraphs"]

    # Killed in the middle of a rebuild: the alias still names the old index.
    assert _kill_after(_ingest_command(location, small, "--rebuild"), 80) == -signal.SIGKILL
    assert run_json(location, "search", "--limit", "1000", "polis")[1] == before

    # Run again: the index is what a fresh one of the same files is, nothing twice.
    again = subprocess.run(_ingest_command(location, small), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    fresh = tmp_path / "fresh"
    ingest([str(small)], fresh)
    a = run_json(fresh, "search", "--limit", "5000", "polis")[1]
    b = run_json(location, "search", "--limit", "5000", "polis")[1]
    assert _comparable(a) == _comparable(b)
    ix = open_index(location)
    assert ix.doc_count() == open_index(fresh).doc_count()
    ids = [h["_source"]["id"] for h in ix._scan(None, ["id"])]
    assert len(ids) == len(set(ids)) == ix.doc_count()
    names = _raw(opensearch).indices.get(index=location.split("#")[1] + ".v*")
    assert len(names) == 1, "a killed build's index is removed by the next ingest"


def test_a_second_ingest_waits_for_the_lock_and_then_gives_up(opensearch, tmp_path):
    location = f"{opensearch}#{_name()}"
    ingest([str(CORPUS)], location)
    backend = backend_at(location)
    with backend.update(wait=0, rebuild=False, plain=False):
        result = run(location, "ingest", "--wait", "0.5", str(CORPUS))
        assert result.exit_code == 2
        assert "another ingest is writing the index" in result.stderr and len(result.stderr.splitlines()) == 1
        with pytest.raises(IngestLockedError):
            with backend_at(location).update(wait=0, rebuild=False, plain=False):
                pass
    assert run(location, "ingest", "--wait", "0", str(CORPUS)).exit_code == 0


def test_a_lock_left_by_a_killed_ingest_is_taken_over(opensearch, tmp_path):
    location = f"{opensearch}#{_name()}"
    folder = _many(tmp_path, 20)
    assert _kill_after(_ingest_command(location, folder), 30) == -signal.SIGKILL
    result = run(location, "ingest", "--wait", "5", str(folder))
    assert result.exit_code == 0, result.stderr


def test_an_unreachable_cluster_is_one_line_and_exit_2_without_credentials():
    for args in (["--url", "http://alice:s3cret@127.0.0.1:9"], ["--index", "http://alice:s3cret@127.0.0.1:9#x"]):
        for command in (["search", "polis"], ["stats"], ["ingest", str(CORPUS)], ["case", "Ks 930/2023"]):
            result = run_cli(*args, *command)
            assert result.exit_code == 2, (args, command, result.output)
            assert "s3cret" not in result.stderr + result.stdout
            assert result.stderr.startswith("trygg-search: cannot reach OpenSearch at http://127.0.0.1:9")
            assert len(result.stderr.splitlines()) == 1


def test_request_bodies_are_gzipped_at_the_fastest_level_to_another_machine_only():
    """opensearch-py gzips a body at level 9 (a sixth of an ingest worker's time went to its bulk
    requests' compression); the client ``connect`` makes uses level 1: gzip's header says so (XFL 4).
    To nodes on this machine (loopback) nothing is compressed."""
    import gzip

    from trygg_search.backends.opensearch.client import Location, connect

    for local in (("http://127.0.0.1:9",), ("http://localhost:9", "http://[::1]:10"), ("http://127.0.0.2:9",)):
        assert not any(c.http_compress for c in connect(Location(local, "x")).transport.connection_pool.connections)
    client = connect(Location(("http://10.1.2.3:9", "http://127.0.0.1:10"), "x"))  # one node elsewhere
    connections = client.transport.connection_pool.connections
    assert len(connections) == 2 and all(c.http_compress for c in connections)
    body = json.dumps([{"t_text": "trygghet|trygg narkotika " * 200, "n": i} for i in range(50)]).encode("utf-8")
    for connection in connections:
        sent = connection._gzip_compress(body)
        assert gzip.decompress(sent) == body and sent[8] == 4 and len(sent) < len(body) // 10


def test_an_ingest_and_its_searches_go_through_with_compressed_requests(opensearch, monkeypatch):
    """The cluster of these tests is on this machine, where requests go uncompressed: taken for one
    elsewhere, an ingest's bulk requests and the searches after it are gzipped, and answered alike."""
    from trygg_search.backends.opensearch import client

    connection = client._connection_class()
    compressed = []
    gzip_compress = connection._gzip_compress
    monkeypatch.setattr(connection, "_gzip_compress", lambda self, body: (
        compressed.append(len(body)), gzip_compress(self, body))[1])
    monkeypatch.setattr(client, "_loopback", lambda host: False)
    location = f"{opensearch}#{_name()}"
    report = ingest([str(CORPUS)], location)
    assert report.paragraphs_total == 45 and max(compressed) > 100_000
    sent = len(compressed)
    result, data = run_json(location, "search", "narkotika")
    assert result.exit_code == 0 and data["total"] == 5 and len(compressed) > sent


def test_backend_options_are_checked():
    result = run_cli("--backend", "opensearch", "--index", _name(), "search", "polis")  # the default URL
    assert result.exit_code == 2 and "OpenSearch at http://127.0.0.1:9200#" in result.stderr
    result = run_cli("--url", "http://127.0.0.1:9", "--index", "some/folder", "search", "polis")
    assert result.exit_code == 2 and "index name" in result.stderr
    result = run_cli("--url", "ftp://127.0.0.1:9", "search", "polis")
    assert result.exit_code == 2 and "not an OpenSearch URL" in result.stderr


def test_one_shard_scores_without_asking_for_statistics_and_as_with_them(pair):
    """An index of one shard is searched without the phase that gathers every shard's statistics: its own
    are all of them, and every hit and score is the same."""
    _, location = pair
    ix = open_index(location)
    assert ix.head["meta"]["shards"] == 1 and ix.scored == "query_then_fetch"
    for query in ["polis", "trygghet skola", "narkotika OR droger", '"öppen narkotikahantering"', "GVI", "trygg*",
                  "kommunen samverkan polis", "Ks 930/2023"]:
        for limit in (3, 10, 500):
            ix.scored = "query_then_fetch"
            alone = search(ix, query, Filters(), limit=limit)
            ix.scored = "dfs_query_then_fetch"
            every = search(ix, query, Filters(), limit=limit)
            assert alone.total == every.total > 0, query
            assert [(h.id, h.score) for h in alone.hits] == [(h.id, h.score) for h in every.hits], (query, limit)


def test_a_large_index_searches_its_segments_in_slices_where_the_cluster_can(opensearch, tmp_path, monkeypatch):
    """Concurrent segment search: on from CONCURRENT_FROM §§, off below it again, by the setting the cluster's
    version knows."""
    from trygg_search.backends.opensearch import mapping

    large, small = mapping.CONCURRENT_FROM, mapping.CONCURRENT_FROM - 1
    for version in [(), (1, 3, 19), (2, 11, 1)]:
        assert mapping.concurrent_search(version, large) == mapping.concurrent_search(version, small) == {}
    for version in [(2, 12, 0), (2, 16, 0)]:
        key = "index.search.concurrent_segment_search.enabled"
        assert mapping.concurrent_search(version, large) == {key: True}
        assert mapping.concurrent_search(version, small) == {key: None}
    for version in [(2, 17, 0), (2, 19, 6), (3, 0, 0)]:
        key = "index.search.concurrent_segment_search.mode"
        assert mapping.concurrent_search(version, large) == {key: "all"}
        assert mapping.concurrent_search(version, small) == {key: None}

    folder = tmp_path / "protocols"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    name = _name()
    raw = _raw(opensearch)
    assert raw.info()["version"]["number"].startswith("2.19.")  # the test cluster's

    def mode():
        physical = sorted(raw.indices.get_alias(name=name))[0]
        got = raw.indices.get_settings(index=physical, name="index.search.*").get(physical, {}).get("settings", {})
        return got.get("index", {}).get("search", {}).get("concurrent_segment_search", {}).get("mode")

    records = ingest([str(folder)], f"{opensearch}#{name}").paragraphs_total
    assert mode() is None
    monkeypatch.setattr(mapping, "CONCURRENT_FROM", records)
    (folder / "more.txt").write_text("Kommunstyrelsen\n\nDatum: 2024-05-10\n\n§ 1 Budget\n\nText.\n", encoding="utf-8")
    ingest([str(folder)], f"{opensearch}#{name}")
    assert mode() == "all"
    (folder / "more.txt").unlink()
    (sorted(folder.glob("*.txt"))[0]).unlink()
    ingest([str(folder)], f"{opensearch}#{name}")
    assert mode() is None


def test_a_missing_index_says_to_ingest(opensearch):
    result = run_cli("--url", opensearch, "--index", _name(), "search", "polis")
    assert result.exit_code == 2
    assert "run 'trygg-search --backend opensearch ingest' first" in result.stderr


def _corpus_with_meta(opensearch, change) -> str:
    """The corpus ingested into a new index, its commit's meta changed by ``change`` (given the meta, and
    checking it first); the index's location."""
    name = _name()
    location = f"{opensearch}#{name}"
    ingest([str(CORPUS)], location)
    raw = _raw(opensearch)
    physical = sorted(raw.indices.get_alias(name=name))[0]
    head = raw.get(index=physical, id="head")["_source"]
    change(head["meta"])
    raw.index(index=physical, id="head", body=head, params={"refresh": "true"})
    return location


def test_an_index_built_with_other_analysis_data_is_refused_then_built_anew(opensearch):
    from trygg_search.lexicon import data_versions

    def change(meta):
        assert meta["analysis"] == data_versions()
        meta["analysis"]["simplemma"] = "1.0.0"

    location = _corpus_with_meta(opensearch, change)
    now = data_versions()["simplemma"]
    result = run(location, "search", "GVI")
    assert result.exit_code == 2 and result.stderr == (
        f"trygg-search: the index {location} was built with other analysis data (simplemma 1.0.0 -> {now}): "
        f"re-run 'trygg-search ingest', which builds it anew\n")
    report = ingest([str(CORPUS)], location)
    assert report.rebuilt and report.notes == [
        f"the index was built anew: it was built with other analysis data (simplemma 1.0.0 -> {now})"]
    assert run(location, "search", "GVI").exit_code == 0


def test_an_index_read_by_another_parser_answers_then_its_files_are_read_again(opensearch):
    from trygg_search.records import PARSER_VERSION

    def change(meta):
        assert meta["parser"] == PARSER_VERSION
        meta["parser"] = PARSER_VERSION - 1

    location = _corpus_with_meta(opensearch, change)
    assert run(location, "search", "GVI").exit_code == 0
    report = ingest([str(CORPUS)], location)
    assert report.rebuilt and report.notes == [
        f"the index was built anew: its files were read by parser version {PARSER_VERSION - 1}, "
        f"this trygg-search reads with {PARSER_VERSION}"]
    assert (report.files_indexed, report.files_unchanged) == (5, 0)
    assert not ingest([str(CORPUS)], location).rebuilt
    assert run(location, "search", "GVI").exit_code == 0


def run_cli(*args):
    from click.testing import CliRunner

    from trygg_search.cli import main

    env = {k: None for k in ("TRYGG_SEARCH_URL", "TRYGG_SEARCH_BACKEND", "TRYGG_SEARCH_INDEX")}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


# --- three nodes, one killed -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    dev, state = start_cluster(tmp_path_factory, 3)
    yield dev, state
    dev.stop(state["data"])


def test_three_nodes_one_killed_during_ingest_and_during_searches(three, tmp_path):
    dev, three = three
    url = three["url"]
    location = f"{url}#{_name()}"
    folder = _many(tmp_path, 40)
    env = dict(os.environ, TRYGG_SEARCH_SHARDS="3", TRYGG_SEARCH_REPLICAS="1")
    fresh = tmp_path / "fresh"
    expected = ingest([str(folder)], fresh).paragraphs_total
    records = open_index(str(fresh)).doc_count()  # the §§ and each protocol's front record

    # A node dies during a bulk ingest: the ingest carries on or says why in one line.
    process = subprocess.Popen(_ingest_command(location, folder), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=env)
    done, killed, errors = 0, False, []
    for line in process.stderr:
        if '"files_done"' in line and '"path"' in line:
            done += 1
            if done == 40 and not killed:
                dev.kill_node(three, 2)
                killed = True
        elif not line.startswith("{"):
            errors.append(line)
    code = process.wait()
    process.stderr.close()
    assert killed
    assert code == 0 or (code == 2 and len(errors) == 1 and errors[0].startswith("trygg-search: ")), errors
    again = subprocess.run(_ingest_command(location, folder), capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    ix = open_index(location)
    assert ix.head["meta"]["shards"] == 3 and ix.scored == "dfs_query_then_fetch"  # every shard's statistics
    assert ix.doc_count() == records
    ids = [h["_source"]["id"] for h in ix._scan(None, ["id"])]
    assert len(ids) == len(set(ids)) == records, "nothing lost, nothing twice"

    # The node comes back; then another dies while searches stream and lookups read page after page:
    # every search answers, all found.
    dev.restart_node(three, 2)
    want = {q: run_json(fresh, "search", "--limit", "1", q)[1]["total"] for q in ("polis", "narkotika", "trygghet")}
    protocols = len(open_index(fresh).with_term("kind", "protocol"))
    failures, answers, pages = [], [], []
    stop = threading.Event()

    def stream():  # as the CLI does, a command at a time: open the index, search
        while not stop.is_set():
            for q, total in want.items():
                try:
                    found = search(open_index(location), q, Filters(), limit=1).total
                except Exception as exc:  # noqa: BLE001 - every failure is one to report
                    found = f"{type(exc).__name__}: {exc}"
                if found != total:
                    failures.append((q, found, total))
                answers.append(q)

    def page():  # a lookup of every protocol's §, a hundred at a time
        import trygg_search.backends.opensearch.backend as backend_module

        while not stop.is_set():
            try:
                found = len(open_index(location).with_term("kind", "protocol"))
            except Exception as exc:  # noqa: BLE001 - every failure is one to report
                found = f"{type(exc).__name__}: {exc}"
            if found != protocols:
                failures.append(("pages", found, protocols))
            pages.append(backend_module.PAGE)

    import trygg_search.backends.opensearch.backend as backend_module

    page_size, backend_module.PAGE = backend_module.PAGE, 100
    workers = [threading.Thread(target=stream), threading.Thread(target=page)]
    try:
        for worker in workers:
            worker.start()
        time.sleep(1.0)
        dev.kill_node(three, 1)
        time.sleep(8.0)
        stop.set()
        for worker in workers:
            worker.join()
    finally:
        backend_module.PAGE = page_size
    assert len(answers) > 20 and len(pages) > 3 and protocols > 300
    assert not failures, failures[:3]
    assert run_json(location, "stats")[1]["paragraphs"] == expected


def test_results_and_lookups_past_a_page_are_paged(pair, monkeypatch):
    _needs_goteborg()  # queries with more hits than a page of 7
    import trygg_search.backends.opensearch.backend as backend

    whoosh_dir, location = pair
    monkeypatch.setattr(backend, "PAGE", 7)  # every request a page of 7: what a limit past 5,000 does
    for query in ("polis", "kommun", "motion"):
        _, a = run_json(whoosh_dir, "search", "--limit", "60", query)
        _, b = run_json(location, "search", "--limit", "60", query)
        assert len(b["hits"]) == min(60, b["total"]) and b["total"] > 7, query
        assert _comparable(a)[0] == _comparable(b)[0]
        ours = [h["id"] for h in b["hits"]]
        assert len(ours) == len(set(ours)), "no § twice across pages"
    _, a = run_json(whoosh_dir, "stats")
    _, b = run_json(location, "stats")
    assert (a["paragraphs"], a["case_numbers"], a["committees"]) == (b["paragraphs"], b["case_numbers"], b["committees"])


SECRET = "S3cretPW"
MALFORMED = [
    f"admin:{SECRET}@localhost:9200", f"htps://admin:{SECRET}@localhost:9200", f"http:/admin:{SECRET}@localhost:9200",
    f"http://admin:{SECRET}@localhost:notaport", f"http://admin:S3c@ret/{SECRET}@localhost:9200",
    f"localhost:9200,admin:{SECRET}@localhost:9201", f"http://127.0.0.1:9,htps://admin:{SECRET}@h:9200",
    f"https://{SECRET}@127.0.0.1:9", f"http://admin:{SECRET}@127.0.0.1:9", f" http://admin:{SECRET}@[::1:9 ",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_password_is_never_printed_whatever_the_form_of_the_url(url):
    for how in ("option", "environment", "index"):
        for command in (["search", "polis"], ["stats"], ["ingest", str(CORPUS)], ["show", "x#1"]):
            if how == "option":
                result = run_cli("--url", url, *command)
            elif how == "environment":
                result = run_cli_env({"TRYGG_SEARCH_URL": url}, *command)
            else:
                result = run_cli("--backend", "opensearch", "--index", f"{url}#x", *command)
            assert result.exit_code == 2, (url, how, command, result.output)
            assert SECRET not in result.stdout + result.stderr, (url, how, command)
            assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("trygg-search: ")


def run_cli_env(env: dict, *args):
    from click.testing import CliRunner

    from trygg_search.cli import main

    base = {k: None for k in ("TRYGG_SEARCH_URL", "TRYGG_SEARCH_BACKEND", "TRYGG_SEARCH_INDEX")}
    return CliRunner().invoke(main, list(args), env={**base, **env}, catch_exceptions=False)


# --- failures injected into a real cluster -------------------------------------------------------------------


class Freezer:
    """Stops the session node's JVM (SIGSTOP: a cluster that takes requests and never answers them) and
    lets it go on (SIGCONT), waiting until it answers again."""

    def __init__(self, state: dict):
        self.pid, self.url, self.stopped = state["pids"][0], state["url"], False

    def freeze(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)
        self.stopped = True

    def thaw(self) -> None:
        if not self.stopped:
            return
        os.kill(self.pid, signal.SIGCONT)
        self.stopped = False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _raw(self.url).cluster.health(request_timeout=5)["status"] in ("green", "yellow"):
                    return
            except Exception:  # noqa: BLE001 - still waking
                pass
            time.sleep(0.5)


@pytest.fixture
def freezer(opensearch_node):
    freezer = Freezer(opensearch_node[1])
    yield freezer
    freezer.thaw()


def test_a_frozen_cluster_ends_an_ingest_and_a_search_with_one_line(opensearch, tmp_path, freezer):
    location = f"{opensearch}#{_name()}"
    small = tmp_path / "small"
    small.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, small / f.name)
    ingest([str(small)], location)
    before = run_json(location, "search", "--limit", "100", "polis")[1]
    folder = _many(tmp_path, 30)
    env = dict(os.environ, TRYGG_SEARCH_TIMEOUT="2")
    process = subprocess.Popen(_ingest_command(location, folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env)
    lines, done = [], 0
    for line in process.stderr:
        if '"files_done"' in line and '"path"' in line:
            done += 1
            if done == 20:
                freezer.freeze()
        elif not line.startswith("{"):
            lines.append(line.rstrip("\n"))
    code = process.wait(timeout=120)
    process.stderr.close()
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"trygg-search: OpenSearch at {opensearch}#") and "did not answer within 2 s" in lines[0]
    result = subprocess.run([sys.executable, "-m", "trygg_search", "--index", location, "search", "polis"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "did not answer within 2 s" in result.stderr
    freezer.thaw()  # the index as it was (the scores apart: what the ingest left counts in the statistics)
    assert _comparable(run_json(location, "search", "--limit", "100", "polis")[1]) == _comparable(before)
    again = subprocess.run(_ingest_command(location, folder), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr


def test_a_cluster_that_stops_answering_while_pages_are_read_is_one_error(opensearch, tmp_path, freezer,
                                                                          monkeypatch):
    import trygg_search.backends.opensearch.backend as backend_module
    from trygg_search.errors import BackendError

    location = f"{opensearch}#{_name()}"
    ingest([str(CORPUS)], location)
    monkeypatch.setattr(backend_module, "PAGE", 7)
    monkeypatch.setenv("TRYGG_SEARCH_TIMEOUT", "2")
    with pytest.raises(BackendError, match="did not answer within 2 s"):
        with backend_at(location).update(wait=0, rebuild=False, plain=False) as update:
            texts = update.all_texts()
            assert next(texts)
            freezer.freeze()
            for _ in texts:  # the next page is asked of a cluster that does not answer
                pass
    freezer.thaw()
    assert run(location, "ingest", "--wait", "5", str(CORPUS)).exit_code == 0


def test_a_refused_deletion_in_the_clean_up_is_one_line_and_the_index_stays_whole(opensearch, tmp_path):
    name = _name()
    location = f"{opensearch}#{name}"
    folder = _many(tmp_path, 60)  # enough §§ that the kill comes well before the commit
    ingest([str(CORPUS)], location)
    before = run_json(location, "search", "--limit", "500", "polis")[1]
    raw = _raw(opensearch)
    physical = sorted(raw.indices.get_alias(name=name))[0]
    head = raw.get(index=physical, id="head")["_source"]["generation"]
    # killed once a bulk request of 500 §§ is in (the requests go out from a thread of their own)
    process = subprocess.Popen(_ingest_command(location, folder), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    left = 0
    while left < 500 and process.poll() is None:
        time.sleep(0.05)
        raw.indices.refresh(index=physical)
        left = raw.count(index=physical, body={"query": {"range": {"gen_from": {"gt": head}}}})["count"]
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL and left >= 500, \
        "the killed ingest leaves §§ of a generation that never went live, for the clean-up"
    raw.indices.put_settings(index=physical, body={"index.blocks.write": True})  # every change refused
    try:
        result = run(location, "ingest", "--wait", "5", str(folder))
        assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith(f"trygg-search: OpenSearch at {opensearch}#{name} refused the clean-up of "
                                        f"what an interrupted ingest left: cluster_block_exception: ")
    finally:
        raw.indices.put_settings(index=physical, body={"index.blocks.write": False})
    assert _comparable(run_json(location, "search", "--limit", "500", "polis")[1]) == _comparable(before)
    result = run(location, "ingest", "--wait", "5", str(folder))
    assert result.exit_code == 0, result.stderr


def test_what_a_killed_ingest_sent_last_is_cleaned_up_even_while_the_cluster_still_writes_it(opensearch,
                                                                                             corpus_index):
    """A killed ingest's last bulk request is finished by the cluster without it.  The next ingest, taking
    over the lock at once, waits for that write before its clean-up looks for what to remove: else the
    §§ written after the clean-up's look would live on in the generation it writes."""
    name = _name()
    location = f"{opensearch}#{name}"
    ingest([str(CORPUS)], location)
    raw = _raw(opensearch)
    physical = sorted(raw.indices.get_alias(name=name))[0]
    generation = raw.get(index=physical, id="head")["_source"]["generation"]
    source = {"doc_type": "paragraph", "kind": "paragraph", "path": "/gone/left.txt", "gen_from": generation + 1,
              "gen_to": FOREVER, "text": "Polis.", "t_text": "polis"}
    body: list[dict] = []
    for i in range(60_000):  # the next generation's §§ as a killed ingest sends them: seconds of writing
        body += [{"index": {"_index": physical, "_id": f"left{i}@{generation + 1}"}}, dict(source, id=f"left{i}")]
    sender = threading.Thread(target=lambda: raw.bulk(body=body, request_timeout=300))
    sender.start()
    writing = False
    while sender.is_alive() and not writing:
        tasks = raw.tasks.list(params={"actions": "indices:data/write/bulk*", "detailed": "true"})
        writing = any(physical in task.get("description", "") for node in tasks["nodes"].values()
                      for task in node["tasks"].values())
    assert writing, "the test's bulk request ended before the ingest began: make it larger"
    result = run(location, "ingest", str(CORPUS))
    sender.join()
    assert result.exit_code == 0, result.stderr
    raw.indices.refresh(index=physical)
    assert raw.count(index=physical, body={"query": {"term": {"path": "/gone/left.txt"}}})["count"] == 0
    assert open_index(location).doc_count() == open_index(corpus_index).doc_count()


def test_a_bulk_request_refused_in_the_middle_of_an_ingest_is_one_line_and_blames_no_file(opensearch, tmp_path):
    """The bulk requests go out from a thread while the next batch is made: a refusal still ends the
    ingest with one line (not a file read again as plain text), and the index stays as it was."""
    name = _name()
    location = f"{opensearch}#{name}"
    ingest([str(CORPUS)], location)
    before = run_json(location, "search", "--limit", "500", "polis")[1]
    folder = _many(tmp_path, 14)
    raw = _raw(opensearch)
    physical = sorted(raw.indices.get_alias(name=name))[0]
    process = subprocess.Popen(_ingest_command(location, folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    lines, done = [], 0
    try:
        for line in process.stderr:
            if '"files_done"' in line and '"path"' in line:
                done += 1
                if done == 20:  # past the first bulk requests
                    raw.indices.put_settings(index=physical, body={"index.blocks.write": True})
            elif not line.startswith("{"):
                lines.append(line.rstrip("\n"))
        code = process.wait(timeout=120)
        process.stderr.close()
    finally:
        raw.indices.put_settings(index=physical, body={"index.blocks.write": False})
    assert done >= 20 and code == 2 and len(lines) == 1, (done, code, lines)
    assert lines[0].startswith(f"trygg-search: OpenSearch at {opensearch}#{name} refused a change: "
                               f"cluster_block_exception: "), lines
    assert _comparable(run_json(location, "search", "--limit", "500", "polis")[1]) == _comparable(before)
    again = run(location, "ingest", str(folder))
    assert again.exit_code == 0 and "plain text" not in again.stderr + again.stdout, again.stderr


def test_workers_send_the_index_one_process_sends(opensearch, tmp_path, monkeypatch):
    """With workers, each sends its run of files to the cluster itself, in parts the ingest's process
    takes; a copy of a protocol found after its worker sent it is deleted again before the commit.  The
    index holds and answers what one process sends."""
    from trygg_search.backends.opensearch import backend as os_backend

    from .test_ingest import _many_files, _stored

    folder = _many_files(tmp_path)
    first = sorted(folder.iterdir())[3]
    copy = folder / f"zz-copy-of-{first.name}"
    shutil.copy(first, copy)
    one, two = f"{opensearch}#{_name()}", f"{opensearch}#{_name()}"
    whole = ingest([str(folder)], one, jobs=1)
    taken: list[int] = []
    take = os_backend.OpenSearchUpdate.take
    monkeypatch.setattr(os_backend.OpenSearchUpdate, "take",
                        lambda self, part: (taken.append(len(part["ids"])), take(self, part))[1])
    monkeypatch.setattr(os_backend, "PART_DOCS", 50)
    parts = ingest([str(folder)], two, jobs=2)
    fronts = sum(1 for i in _stored(one) if i.endswith("#front"))
    copied = _raw(opensearch).count(index=one.split("#")[1], body={"query": {"term": {"path": str(first)}}})
    # every record was sent by a worker, the copy's too, in parts of at most 50 (a file's records in one)
    assert len(taken) >= 4 and sum(taken) == whole.paragraphs_total + fronts + copied["count"], taken
    assert whole.duplicates == parts.duplicates == [{"path": str(copy), "duplicate_of": str(first)}]
    for field in ("paragraphs_total", "files_indexed", "skipped", "notes"):
        assert getattr(whole, field) == getattr(parts, field), field
    assert _raw(opensearch).count(index=two.split("#")[1], body={"query": {"term": {"path": str(copy)}}})[
        "count"] == 0
    assert _stored(one) == _stored(two)
    assert open_index(one).vocabulary() == open_index(two).vocabulary()
    assert open_index(one).catalog() == open_index(two).catalog()
    for args in (["budget"], ["narkotika"], ['"detaljplan för"'], ["Dnr"], ["trygg*"], ["title:information"],
                 ["--committee", "kommunstyrelsen"]):
        a = run_json(one, "search", "-n", "500", *args)[1]
        assert a["total"] > 0 and _comparable(a) == _comparable(run_json(two, "search", "-n", "500", *args)[1]), args


def test_the_lock_lives_on_while_only_the_workers_send(opensearch, tmp_path, monkeypatch):
    """While the workers send, the ingest's process sends nothing of its own; it still beats the lock's
    heartbeat, so that no other ingest takes the lock over as one whose holder stopped."""
    from trygg_search.backends.opensearch import backend as os_backend

    location = f"{opensearch}#{_name()}"
    ingest([str(CORPUS)], location, jobs=1)
    folder = _many(tmp_path, 250)  # long enough to watch the heartbeat for a few seconds, with fast workers
    monkeypatch.setattr(os_backend, "HEARTBEAT", 0.2)
    done: list = []
    files: list[float] = []  # when each file was done: the workers' run lies between the first and the last
    thread = threading.Thread(target=lambda: done.append(ingest(
        [str(folder)], location, jobs=2, progress=lambda event, n, path: files.append(time.time()) if event == "file"
        else None)))
    thread.start()
    raw, stale = _raw(opensearch), []
    while thread.is_alive():  # how long ago the lock's holder last said it was alive, as it runs
        found = raw.get(index=location.split("#")[1] + ".lock", id="lock", ignore=404)
        if found.get("found"):
            stale.append((time.time(), time.time() - found["_source"]["beat"]))
        time.sleep(0.1)
    thread.join()
    assert done[0].files_indexed == len(files) == len(list(folder.iterdir()))
    # from a moment after the first file was done (the workers' start, the fork server's loading included,
    # is before it) to the last
    during = [age for at, age in stale if files[0] + 0.5 <= at <= files[-1]]
    assert files[-1] - files[0] > 2 and len(during) > 10, "the workers should send for a few seconds"
    assert max(during) < 2.0, during


def test_pages_past_the_first_are_read_from_one_point_in_time(opensearch, monkeypatch):
    """A scan of more than a page reads every page from one point in time: §§ removed while it reads
    (as another ingest's clean-up removes them) are still given, in order, and the point in time is
    closed at the end, and when the reader leaves early."""
    from trygg_search.backends.opensearch import backend

    name = _name()
    location = f"{opensearch}#{name}"
    ingest([str(CORPUS)], location)
    ix = open_index(location)
    every = [h["_source"]["id"] for h in ix._scan(None, ["id"])]
    assert len(every) > 45
    raw = _raw(opensearch)
    open_pits = lambda: len(raw.transport.perform_request("GET", "/_search/point_in_time/_all").get("pits", []))
    before = open_pits()
    monkeypatch.setattr(backend, "PAGE", 7)
    scan = ix._scan(None, ["id"])
    seen = [next(scan)["_source"]["id"] for _ in range(10)]  # into the second page
    assert open_pits() == before + 1
    physical = sorted(raw.indices.get_alias(name=name))[0]
    doomed = raw.search(index=physical, body={"query": {"terms": {"id": every[30:40]}}, "size": 100})["hits"]["hits"]
    for hit in doomed:
        raw.delete(index=physical, id=hit["_id"])
    raw.indices.refresh(index=physical)
    seen += [h["_source"]["id"] for h in scan]
    assert seen == every and open_pits() == before
    assert [h["_source"]["id"] for h in ix._scan(None, ["id"])] == every[:30] + every[40:]
    left = ix._scan(None, ["id"])
    next(left), next(left), next(left), next(left), next(left), next(left), next(left), next(left)
    assert open_pits() == before + 1
    left.close()  # a reader that stops early
    assert open_pits() == before


def test_a_long_query_is_answered_in_a_few_requests(pair):
    _, location = pair
    ix = open_index(location)
    transport = ix.client.transport
    sent = []
    original = transport.perform_request

    def counting(method, url, *args, **kwargs):
        sent.append(url)
        return original(method, url, *args, **kwargs)

    transport.perform_request = counting
    try:
        words = [f"ord{i}" for i in range(60)] + ["polis", "GVI", "narkotika"] * 10
        found = search(ix, " OR ".join(words), Filters(), limit=5)
        assert found.total > 0
        assert len(sent) <= 4, sent  # the acronym entries, the query, and nothing a word
        sent.clear()
        nothing = search(ix, " ".join(f"zqx{i}" for i in range(90)), Filters(), limit=5)
        assert nothing.total == 0 and len(sent) <= 10, sent  # with the å/ä/ö fallback and did-you-mean
    finally:
        transport.perform_request = original


def _positions_by_groups(terms, weight: int) -> str:
    """The oracle of ``mapping.positions``: the terms grouped by position as they come (a new group each
    time the position changes), each group's distinct terms in order, repeated ``weight`` times."""
    groups: list[tuple[int, list[str]]] = []
    for t in terms:
        if groups and t.position == groups[-1][0]:
            if t.term not in groups[-1][1]:
                groups[-1][1].append(t.term)
        else:
            groups.append((t.position, [t.term]))
    return " ".join("|".join(g * weight) for _, g in groups)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "ab", "c", "a|b", ""]), st.integers(0, 4)), max_size=14),
       st.integers(1, 3))
def test_terms_are_sent_as_their_positions(pairs, weight):
    """Terms stacked at a position (a compound's parts, the same term twice), positions that repeat,
    skip or go back, and a title's weight: one string, as the oracle groups them."""
    from trygg_search.analysis import Term
    from trygg_search.backends.opensearch.mapping import positions

    terms = [Term(term, 0, 1, position, False) for term, position in pairs]
    assert positions(terms, weight) == _positions_by_groups(terms, weight)
