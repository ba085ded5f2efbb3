"""Ingest: incremental updates, bad files, atomicity under kill -9, concurrent ingests, schema versions."""

from __future__ import annotations

import json
import shutil
import os
import signal
import subprocess
import time
from pathlib import Path
import sys

import pytest

from trygg_search.errors import IngestLockedError
from trygg_search.ingest import ingest
from trygg_search.backends.whoosh.store import current_generation, ingest_lock

from .conftest import ROOT
from .helpers import S2023_10_11, ids, run, run_json


def hits(index_dir, *query):
    result, data = run_json(index_dir, "search", *query, "--limit", "100")
    return ids(data)


def test_reingest_changes_nothing_and_gives_no_duplicates(tmp_path, corpus_copy):
    index = tmp_path / "index"
    first = ingest([str(corpus_copy)], index)
    assert (first.files_indexed, first.paragraphs_total) == (5, 45)
    before = hits(index, "GVI")
    second = ingest([str(corpus_copy)], index)
    assert (second.files_indexed, second.files_unchanged, second.paragraphs_total) == (0, 5, 45)
    third = ingest([str(corpus_copy / "000_85df296f62d2738a.txt"), str(corpus_copy)], index, rebuild=False)
    assert third.paragraphs_total == 45
    assert hits(index, "GVI") == before
    assert len(set(before)) == len(before)


def test_changed_file_is_reindexed_and_gone_file_dropped(tmp_path, corpus_copy):
    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    seed = corpus_copy / "001_2a4b40077b5f9c53.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Embrace", "Zorblax"), encoding="utf-8")
    report = ingest([str(corpus_copy)], index)
    assert (report.files_indexed, report.files_unchanged, report.paragraphs_total) == (1, 4, 45)
    assert hits(index, "Embrace") == []
    assert hits(index, "Zorblax") == ["001_2a4b40077b5f9c53#11"]
    (corpus_copy / "000_85df296f62d2738a.txt").unlink()
    report = ingest([str(corpus_copy)], index)
    assert (report.files_removed, report.paragraphs_total) == (1, 40)
    assert hits(index, "skolattacker") == []


def test_bad_files_are_named_skipped_and_the_rest_indexed(tmp_path, corpus_copy):
    (corpus_copy / "scan.txt").write_bytes(bytes(range(256)) * 20)
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "noise.txt").write_text("\n\n   \n")
    result = run(tmp_path / "index", "ingest", corpus_copy, tmp_path / "missing.txt")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any("scan.txt: not a text file" in line for line in lines)
    assert any("empty.txt: empty file" in line for line in lines)
    assert any("missing.txt: no such file or folder" in line for line in lines)
    assert all(line.startswith("trygg-search: ") for line in lines)
    assert "5 files indexed (45 paragraphs)" in result.stdout
    assert hits(tmp_path / "index", "skolattacker") == [f"{S2023_10_11}#22"]


def test_ingest_json_summary(tmp_path, corpus_copy):
    result, data = run_json(tmp_path / "index", "ingest", corpus_copy)
    assert result.exit_code == 0
    assert data["files_indexed"] == 5 and data["paragraphs_total"] == 45 and data["skipped"] == []


def test_second_ingest_stops_with_a_clear_message(tmp_path, corpus_copy):
    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    with ingest_lock(index, wait=0):
        with pytest.raises(IngestLockedError):
            ingest([str(corpus_copy)], index, wait=0.2)
        result = run(index, "ingest", corpus_copy, "--wait", "0.2")
        assert result.exit_code == 2
        assert "another ingest is writing" in result.stderr
        assert hits(index, "skolattacker") == [f"{S2023_10_11}#22"]  # readers are not blocked


# A driver that runs the real command and kills itself with SIGKILL at one moment of the ingest:
# on entering or on leaving a function that the moment names.
_KILL_DRIVER = """
import os, signal, sys
import importlib
module_name, owner, function, when = sys.argv[1:5]
module = importlib.import_module(module_name)
target = getattr(module, owner) if owner != "-" else module
original = getattr(target, function)

def killing(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(target, function, killing)
from trygg_search.cli import main
main(sys.argv[5:], prog_name="trygg-search")
"""

# Where atomicity matters: whoosh writing its table of contents (the commit), and the switch
# of CURRENT to a rebuilt generation.  "before": the old index must answer; "after": the new one.
_MOMENTS = {
    "commit": ("whoosh.index", "TOC", "write"),
    "switch": ("trygg_search.backends.whoosh", "-", "switch_generation"),
}


@pytest.mark.parametrize("moment, when, rebuild", [
    ("commit", "before", False), ("commit", "after", False),
    ("commit", "before", True), ("switch", "before", True), ("switch", "after", True),
])
def test_an_ingest_killed_at_the_commit_or_the_switch_leaves_a_whole_index(tmp_path, corpus_copy, moment, when, rebuild):
    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    before = hits(index, "GVI")
    seed = corpus_copy / "001_2a4b40077b5f9c53.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Embrace", "Zorblax"), encoding="utf-8")
    (corpus_copy / "000_85df296f62d2738a.txt").unlink()
    args = [sys.executable, "-c", _KILL_DRIVER, *_MOMENTS[moment], when,
            "--index", str(index), "ingest", str(corpus_copy)] + (["--rebuild"] if rebuild else [])
    proc = subprocess.run(args, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr  # it died where it was meant to
    if when == "before":  # the previous index, whole
        assert hits(index, "GVI") == before
        assert hits(index, "Zorblax") == [] and hits(index, "Embrace") == ["001_2a4b40077b5f9c53#11"]
        assert hits(index, "skolattacker") == ["000_85df296f62d2738a#22"]
    else:  # the new index, whole
        assert hits(index, "Zorblax") == ["001_2a4b40077b5f9c53#11"] and hits(index, "Embrace") == []
        assert hits(index, "skolattacker") == []
    assert run(index, "stats").exit_code == 0
    # The next ingest recovers: the lock died with the process, leftovers are cleaned, the state is right.
    report = ingest([str(corpus_copy)], index, wait=1)
    assert report.paragraphs_total == 40
    assert hits(index, "Zorblax") == ["001_2a4b40077b5f9c53#11"] and hits(index, "skolattacker") == []
    assert [p.name for p in index.glob("g*")] == [current_generation(index).name]
    fresh = tmp_path / "fresh"
    ingest([str(corpus_copy)], fresh)
    assert _stats_of(index) == _stats_of(fresh)


def _stats_of(index) -> dict:
    _, data = run_json(index, "stats")
    return {k: v for k, v in data.items() if k not in ("index", "last_ingest")}


def test_schema_version_change_asks_for_reingest_then_rebuilds(tmp_path, corpus_copy):
    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    meta_path = current_generation(index) / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = 0
    meta_path.write_text(json.dumps(meta))
    result = run(index, "search", "GVI")
    assert result.exit_code == 2
    assert "schema version 0" in result.stderr and "re-run 'trygg-search ingest'" in result.stderr
    report = ingest([str(corpus_copy)], index)
    assert report.rebuilt and report.paragraphs_total == 45
    assert run(index, "search", "GVI").exit_code == 0


def test_an_index_built_with_other_analysis_data_is_refused_then_built_anew(tmp_path, corpus_copy):
    from trygg_search.lexicon import data_versions

    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    meta_path = current_generation(index) / "meta.json"
    meta = json.loads(meta_path.read_text())
    assert meta["analysis"] == data_versions() and meta["analysis"]["simplemma"] not in ("none", "1.0.0")
    meta["analysis"] = dict(meta["analysis"], simplemma="1.0.0")
    meta_path.write_text(json.dumps(meta))
    now = data_versions()["simplemma"]
    for args in (("search", "GVI"), ("case", "Ks 930/2023"), ("stats",)):
        result = run(index, *args)
        assert result.exit_code == 2 and result.stderr == (
            f"trygg-search: the index at {index} was built with other analysis data (simplemma 1.0.0 -> {now}): "
            f"re-run 'trygg-search ingest', which builds it anew\n"), args
    report = ingest([str(corpus_copy)], index)
    assert report.rebuilt and report.paragraphs_total == 45
    assert report.notes == [f"the index was built anew: it was built with other analysis data (simplemma 1.0.0 -> {now})"]
    assert run(index, "search", "GVI").exit_code == 0
    del meta["analysis"]  # an index from before the data was recorded
    meta_path = current_generation(index) / "meta.json"
    meta_path.write_text(json.dumps(meta))
    assert "other analysis data (not recorded in the index)" in run(index, "search", "GVI").stderr


@pytest.mark.parametrize("recorded", [0, None])
def test_an_index_read_by_another_parser_answers_then_its_files_are_read_again(tmp_path, corpus_copy, recorded):
    """An index whose files an older parser read (``recorded``: its version, or none recorded, as before
    the version was): searches answer from it as before; the next ingest reads every file again, though
    none changed, and says why; the one after reads none."""
    from trygg_search.records import PARSER_VERSION

    index = tmp_path / "index"
    ingest([str(corpus_copy)], index)
    meta_path = current_generation(index) / "meta.json"
    meta = json.loads(meta_path.read_text())
    assert meta["parser"] == PARSER_VERSION
    if recorded is None:
        del meta["parser"]
        why = "its files were read by a parser that did not record its version"
    else:
        meta["parser"] = recorded
        why = f"its files were read by parser version {recorded}, this trygg-search reads with {PARSER_VERSION}"
    meta_path.write_text(json.dumps(meta))
    assert run(index, "search", "GVI").exit_code == 0
    assert run_json(index, "stats")[1]["parser_version"] == recorded
    assert f"Parser version: {recorded if recorded is not None else 'not recorded'}\n" in run(index, "stats").stdout
    report = ingest([str(corpus_copy)], index)
    assert report.rebuilt and report.notes == [f"the index was built anew: {why}"]
    assert report.paragraphs_total == 45 and (report.files_indexed, report.files_unchanged) == (5, 0)
    assert json.loads((current_generation(index) / "meta.json").read_text())["parser"] == PARSER_VERSION
    assert run_json(index, "stats")[1]["parser_version"] == PARSER_VERSION
    again = ingest([str(corpus_copy)], index)
    assert not again.rebuilt and (again.files_indexed, again.files_unchanged) == (0, 5) and again.notes == []


def test_index_option_and_environment(tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "elsewhere"
    monkeypatch.setenv("TRYGG_SEARCH_INDEX", str(index))
    from click.testing import CliRunner

    from trygg_search.cli import main

    result = CliRunner().invoke(main, ["ingest", str(corpus_copy)])
    assert result.exit_code == 0, result.output
    assert current_generation(index) is not None
    result = CliRunner().invoke(main, ["search", "skolattacker"])
    assert result.exit_code == 0 and "§ 22" in result.stdout


def test_python_dash_m_works(tmp_path, corpus_copy):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(tmp_path / "ix"), "ingest",
                          str(corpus_copy)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    out = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(tmp_path / "ix"), "search",
                          "Embrace", "--json"], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["total"] == 1


def test_one_protocol_as_text_pdf_and_word_is_indexed_once_and_the_copies_step_in(tmp_path):
    from .documents import make_docx, make_pdf

    folder = tmp_path / "docs"
    folder.mkdir()
    seed = ROOT / "corpus" / "000_85df296f62d2738a.txt"
    shutil.copy(seed, folder / "c.txt")
    make_docx(seed, folder / "b.docx")
    make_pdf(seed, folder / "a.pdf")
    shutil.copy(ROOT / "corpus" / "001_2a4b40077b5f9c53.txt", folder / "other.txt")
    index = tmp_path / "index"
    report = ingest([str(folder)], index)
    assert report.files_indexed == 2 and report.paragraphs_total == 5 + 5  # §§ 22–26 and §§ 7–11
    assert report.duplicates == [{"path": str(folder / "b.docx"), "duplicate_of": str(folder / "a.pdf")},
                                 {"path": str(folder / "c.txt"), "duplicate_of": str(folder / "a.pdf")}]
    _, data = run_json(index, "search", "skolattacker")
    assert [h["id"] for h in data["hits"]] == ["a#22"]
    _, stats = run_json(index, "stats")
    assert (stats["documents"], stats["duplicates"]) == (2, 2)
    again = ingest([str(folder)], index)  # nothing changed: nothing read, the copies stay copies
    assert (again.files_unchanged, again.files_indexed, again.duplicates) == (4, 0, [])
    (folder / "a.pdf").unlink()  # the indexed one goes: the first copy by path steps in
    report = ingest([str(folder)], index)
    assert report.files_removed == 1 and report.duplicates == [
        {"path": str(folder / "c.txt"), "duplicate_of": str(folder / "b.docx")}]
    _, data = run_json(index, "search", "skolattacker")
    assert [h["id"] for h in data["hits"]] == ["b#22"]
    (folder / "c.txt").write_text(seed.read_text(encoding="utf-8").replace("skolattacker", "skolvåld"),
                                  encoding="utf-8")  # a copy edited: a protocol of its own
    report = ingest([str(folder)], index)
    assert report.files_indexed == 1 and report.duplicates == []
    assert [h["id"] for h in run_json(index, "search", "skolvåld")[1]["hits"]] == ["c#22"]
    assert run_json(index, "stats")[1]["duplicates"] == 0


# --- worker processes (ingest --jobs) ----------------------------------------------------------------------

def _many_files(root):
    """The seeds and the excerpts of other municipalities: more files than are worth reading in workers."""
    from .conftest import CORPUS, REAL

    folder = root / "many"
    folder.mkdir()
    files = sorted(CORPUS.glob("*.txt")) + sorted((REAL / "more").glob("*.txt"))
    if len(files) < 20:
        pytest.skip(f"{REAL / 'more'} not present")
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def _stored(index_dir) -> dict[str, dict]:
    from trygg_search.backends import open_index
    from trygg_search.filters import KINDS

    ix = open_index(index_dir)
    return {d["id"]: d for kind in KINDS for d in ix.with_term("kind", kind)}


def test_workers_make_the_same_index_as_one_process(tmp_path):
    from trygg_search.ingest import WORTH_WORKERS

    folder = _many_files(tmp_path)
    assert len(list(folder.iterdir())) >= WORTH_WORKERS  # the workers are used
    one = ingest([str(folder)], tmp_path / "one", jobs=1)
    two = ingest([str(folder)], tmp_path / "two", jobs=2)
    for field in ("paragraphs_total", "files_indexed", "skipped", "duplicates", "notes"):
        assert getattr(one, field) == getattr(two, field), field
    a, b = _stored(tmp_path / "one"), _stored(tmp_path / "two")
    assert len(a) > 300 and a == b  # every stored field of every record, the compound parts too
    for query in ("budget", "narkotika", '"detaljplan för"', "kommunstyrelsen NOT kind:front", "Dnr"):
        assert run_json(tmp_path / "one", "search", "-n", "100", query)[1] == \
            run_json(tmp_path / "two", "search", "-n", "100", query)[1], query


def _processes_marked(mark: str) -> list[int]:
    """The processes whose environment holds ``mark`` (NAME=value), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.parametrize("moment", [_MOMENTS["commit"], ("trygg_search.ingest", "-", "_index_file")],
                         ids=["at the commit", "while the workers write"])
def test_an_ingest_with_workers_killed_leaves_the_index_whole_and_no_lock_or_worker(tmp_path, moment):
    folder = _many_files(tmp_path)
    index = tmp_path / "index"
    ingest([str(folder)], index, jobs=1)
    before = _stored(index)
    (folder / "extra.txt").write_text("§ 1 Zorblaxärende\n\nNämnden beslutar om zorblax.\n", encoding="utf-8")
    args = [sys.executable, "-c", _KILL_DRIVER, *moment, "before",
            "--index", str(index), "ingest", "--jobs", "2", "--rebuild", str(folder)]
    mark = f"TRYGG_TEST_KILLED={tmp_path.name}"
    proc = subprocess.run(args, env=dict(os.environ, PYTHONPATH=str(ROOT), TRYGG_TEST_KILLED=tmp_path.name),
                          capture_output=True, text=True, timeout=300)  # a worker left holding its stdout: hangs
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert _stored(index) == before and hits(index, "zorblax") == []
    # The workers (and their fork server) end with the ingest's process: none is left waiting for work.
    deadline = time.monotonic() + 10
    while _processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_marked(mark) == []
    report = ingest([str(folder)], index, wait=1, jobs=2)  # no worker left holds the lock
    assert hits(index, "zorblax") == ["extra#1"] and report.paragraphs_total == len(
        [i for i in _stored(index) if not i.endswith("#front")])


def _postings(index) -> list:
    """Every term of every field with its postings (document, weight, value), and every stored document."""
    from trygg_search.backends import open_index

    reader = open_index(index).reader
    out = []
    for fieldname, text in reader.all_terms():
        m = reader.postings(fieldname, text)
        items = []
        while m.is_active():
            items.append((m.id(), m.weight(), m.value()))
            m.next()
        out.append((fieldname, text, items))
    return out + [sorted(reader.all_stored_fields(), key=lambda d: d["id"])]


def test_postings_spilled_in_marshalled_chunks_come_back_as_they_went(tmp_path, monkeypatch):
    """The segment writer's pool writes its sorted runs in chunks of terms (writer.TermPool): with
    runs of 2,000 postings and chunks of 100 terms (dozens of runs, merged), the index holds exactly
    what a pool that never spilled makes."""
    from trygg_search.backends.whoosh import writer

    from .conftest import CORPUS

    ingest([str(CORPUS)], tmp_path / "whole")
    chunks = []
    write_chunk = writer._write_chunk
    monkeypatch.setattr(writer, "_write_chunk", lambda f, chunk: (chunks.append(len(chunk)), write_chunk(f, chunk)))
    monkeypatch.setattr(writer, "RUN_POSTINGS", 2_000)
    monkeypatch.setattr(writer, "RUN_TERMS", 100)
    ingest([str(CORPUS)], tmp_path / "spilled", jobs=1)
    assert len(chunks) > 20 and max(chunks) == 100
    assert _postings(tmp_path / "spilled") == _postings(tmp_path / "whole")


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_ingest_written_in_many_segments_answers_as_one_segment(tmp_path, monkeypatch, jobs):
    """Records are written into segments of at most SEGMENT_DOCS, all named in the ingest's one commit, by
    the ingest's process or (jobs=2) by its workers, each a run of consecutive files: with segments of 60
    records the same files make several segments that hold and answer exactly what one segment written by
    one process does (stored fields, vocabulary, hits, scores, snippets and the order of equal scores)."""
    from trygg_search.backends import open_index
    from trygg_search.backends import whoosh

    folder = _many_files(tmp_path)
    first = sorted(folder.iterdir())[3]  # a copy of a protocol, later by path: its records are discarded
    shutil.copy(first, folder / f"zz-copy-of-{first.name}")
    whole = ingest([str(folder)], tmp_path / "whole", jobs=1)
    monkeypatch.setattr(whoosh, "SEGMENT_DOCS", 60)
    parts = ingest([str(folder)], tmp_path / "parts", jobs=jobs)
    assert len(open_index(tmp_path / "whole").reader.leaf_readers()) == 1
    segments = [r.doc_count_all() for r, _ in open_index(tmp_path / "parts").reader.leaf_readers()]
    assert len(segments) >= 4 and max(segments) <= 60
    # A worker adds the copy's records before the copy is known: they are discarded (deleted) at the commit.
    assert open_index(tmp_path / "parts").reader.has_deletions() == (jobs > 1)
    assert whole.duplicates == [{"path": str(folder / f"zz-copy-of-{first.name}"), "duplicate_of": str(first)}]
    for field in ("paragraphs_total", "files_indexed", "skipped", "duplicates", "notes"):
        assert getattr(whole, field) == getattr(parts, field), field
    assert _stored(tmp_path / "whole") == _stored(tmp_path / "parts")
    assert open_index(tmp_path / "whole").vocabulary() == open_index(tmp_path / "parts").vocabulary()
    for args in (["budget"], ["narkotika"], ['"detaljplan för"'], ["kommunstyrelsen NOT kind:front"], ["Dnr"],
                 ["trygg*"], ["narkotika OR polis"], ["title:information"],
                 ["--committee", "kommunstyrelsen"], ["--from", "2020", "--kind", "front"]):  # the last two browse
        one = run_json(tmp_path / "whole", "search", "-n", "500", *args)[1]
        assert one["total"] > 0 and one["hits"][0]["score"] is not None and one == run_json(
            tmp_path / "parts", "search", "-n", "500", *args)[1], args


def test_workers_are_forked_with_the_compound_data_loaded_and_frozen():
    """The fork server loads the compound data once, and every worker forked from it shares its pages
    (instead of about 140 MB each): a worker holds it before it is given anything to do, among objects a
    collection never scans (which would copy their pages)."""
    import concurrent.futures

    from trygg_search import ingest as ingest_module

    context = ingest_module._context()
    if context.get_start_method() != "forkserver":
        pytest.skip("workers are not forked from a fork server on this platform")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        loaded = pool.submit(eval, "__import__('trygg_search.lexicon', fromlist=['_data'])._data is not None")
        frozen = pool.submit(eval, "__import__('gc').get_freeze_count()")
        assert loaded.result() is True and frozen.result() > 10_000


def test_workers_tell_the_progress_one_process_tells(tmp_path):
    """A long PDF's pages and a large file's §§ are told as they are read and indexed, by a worker as by
    the ingest's own process: the same events, each file's in its order."""
    from collections import Counter

    from reportlab.pdfgen import canvas

    folder = _many_files(tmp_path)
    (folder / "large.txt").write_text("".join(f"§ {i} Ärende {i}\n\nOm ärende nummer {i}.\n\n"
                                              for i in range(1, 1201)), encoding="utf-8")
    c = canvas.Canvas(str(folder / "long.pdf"))
    for page in range(1, 251):
        c.drawString(100, 700, f"§ {page} Sida {page}")
        c.drawString(100, 680, f"Om sidan {page}.")
        c.showPage()
    c.save()
    events = {}
    for jobs in (1, 2):
        told: list[tuple] = []
        ingest([str(folder)], tmp_path / f"index{jobs}", jobs=jobs, progress=lambda *event: told.append(event))
        events[jobs] = told
    large, long_pdf = str(folder / "large.txt"), str(folder / "long.pdf")
    for jobs, told in events.items():
        assert [e for e in told if e[2] == large] == [("paragraphs", 500, large), ("paragraphs", 1000, large),
                                                      ("file", 1, large)], jobs
        assert [e for e in told if e[2] == long_pdf] == [("pages", 100, long_pdf), ("pages", 200, long_pdf),
                                                         ("file", 1, long_pdf)], jobs
    assert Counter(events[1]) == Counter(events[2])
    assert events[1][0] == events[2][0] == ("total", len(list(folder.iterdir())), None)


# In the script: the pool's second run is given only once its first worker has died (the pool is then
# broken and refuses it), as happens when the machine is slow to start the second worker.
_BROKEN_BEFORE_THE_SECOND_RUN = """
import concurrent.futures
import trygg_search.ingest as ingest_module

def _pool_broken_first(*args, _real=ingest_module._pool):
    pool = _real(*args)
    submit, given = pool.submit, []

    def submit_once_broken(*args, **kwargs):
        if given:
            concurrent.futures.wait(given)
        given.append(submit(*args, **kwargs))
        return given[-1]

    pool.submit = submit_once_broken
    return pool

ingest_module._pool = _pool_broken_first
"""


@pytest.mark.parametrize("timing", ["as they start", "broken before the second run is given"])
def test_workers_that_cannot_start_leave_the_files_to_the_ingest_s_own_process(tmp_path, timing):
    """A script read from standard input cannot be started again in a worker process (multiprocessing
    needs its main module as a file): the pool breaks, and the ingest reads and writes every file itself,
    making the index one process makes; whether the pool breaks before or after it has been given every
    run of files."""
    folder = _many_files(tmp_path)
    ingest([str(folder)], tmp_path / "one", jobs=1)
    script = ((_BROKEN_BEFORE_THE_SECOND_RUN if timing != "as they start" else "") +
              f"from trygg_search.ingest import ingest\n"
              f"report = ingest([{str(folder)!r}], {str(tmp_path / 'two')!r}, jobs=2)\n"
              f"print(report.files_indexed, report.paragraphs_total)\n")
    proc = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    assert "FileNotFoundError" in proc.stderr  # the workers did fail to start
    assert proc.stdout.split() == [str(len(list(folder.iterdir()))), str(len(
        [i for i in _stored(tmp_path / "one") if not i.endswith("#front")]))]
    assert _stored(tmp_path / "one") == _stored(tmp_path / "two")


def test_runs_of_files_for_the_workers_are_consecutive_whole_and_about_equal():
    """ranges: every file in exactly one run, in order; jobs runs (a multiple of jobs past RANGE_BYTES a
    worker, never more than files); each run ends where the bytes so far reach its share."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from trygg_search import ingest as ingest_module

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(1, 10**9), min_size=1, max_size=60), st.integers(1, 8))
    def check(sizes, jobs):
        runs = ingest_module.ranges(sizes, jobs)
        assert [i for r in runs for i in r] == list(range(len(sizes))) and all(len(r) for r in runs)
        total = sum(sizes)
        wanted = jobs * max(1, -(-total // (jobs * ingest_module.RANGE_BYTES)))
        n = min(len(sizes), wanted)
        # fewer only where a file takes the bytes past more than one share (one cut a file)
        assert len(runs) <= n and (len(runs) == n or len(set(sizes)) > 1)
        for k, r in enumerate(runs[:-1]):  # a run ends at the first file that takes the bytes so far to
            before_last = sum(sizes[:r.stop - 1])  # its share of them, or is one file (cut as soon as it can)
            assert sum(sizes[:r.stop]) * n >= total * (k + 1)
            assert before_last * n < total * (k + 1) or len(r) == 1

    check()


@pytest.mark.parametrize("before", [(700, 10, 10), (0, 10, 10), (100_000, 5, 5)])
def test_an_ingest_collects_garbage_less_often_and_gives_the_collector_back_as_it_was(tmp_path, before):
    """Its allocations live until their part is written: the youngest generation is collected after
    GC_YOUNG of them (never more often, and never where collecting was off), and after the ingest,
    finished or failed, the thresholds are what they were."""
    import gc

    from trygg_search import ingest as ingest_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / f"{S2023_10_11}.txt", corpus)
    seen = []
    old = gc.get_threshold()

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    try:
        gc.set_threshold(*before)
        ingest([str(corpus)], tmp_path / "index", progress=lambda *a, **k: seen.append(gc.get_threshold()), jobs=1)
        assert gc.get_threshold() == before
        assert seen and set(seen) == {(max(ingest_module.GC_YOUNG, before[0]) if before[0] else 0, *before[1:])}
        with pytest.raises(KeyboardInterrupt):  # an ingest that fails: the thresholds come back all the same
            ingest([str(corpus)], tmp_path / "index", rebuild=True, progress=stop, jobs=1)
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*old)


def test_an_ingest_s_worker_collects_garbage_as_its_ingest_does():
    import gc

    from trygg_search import ingest as ingest_module

    old = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        ingest_module._worker_start(None, None)  # as a worker process starts
        assert gc.get_threshold() == (ingest_module.GC_YOUNG, 10, 10)
    finally:
        gc.set_threshold(*old)
        ingest_module._WORKER.clear()
