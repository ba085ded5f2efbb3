"""Fault injection: the real command on hostile input, failing disks and damaged indexes.

Each case runs ``python -m trygg_search`` in a subprocess and expects one
clear line (``trygg-search: …``) with the documented exit code, or the right
answer, and the index whole afterwards.  What cannot be set up on this
machine (a tmpfs to fill, a way to be refused a file as root) is skipped with
the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS
from .helpers import S2023_10_11

ENV = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")


def cli(*args, input=None, prefix=(), env=None):
    """Run the real command; (exit code, stdout, stderr lines)."""
    proc = subprocess.run([*prefix, sys.executable, "-m", "trygg_search", *map(str, args)], input=input,
                          capture_output=True, text=True, env=env or ENV, timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, [line for line in proc.stderr.splitlines() if line.strip()]


def one_line(lines: list[str], *words: str) -> str:
    """The one error line, which must name every word given."""
    errors = [line for line in lines if line.startswith("trygg-search: ")]
    assert errors, lines
    for word in words:
        assert any(word in line for line in errors), (word, errors)
    return errors[0]


def search_ids(index, *query) -> list[str]:
    code, out, err = cli("--index", index, "search", *query, "--json", "--limit", "100")
    assert code in (0, 1), err
    return [h["id"] for h in json.loads(out)["hits"]]


@pytest.fixture
def corpus_index_copy(tmp_path, corpus_copy):
    index = tmp_path / "index"
    code, _, err = cli("--index", index, "ingest", corpus_copy)
    assert code == 0, err
    return index, corpus_copy


# --- file names, encodings, permissions --------------------------------------------------------------


def test_a_file_name_in_latin_1_bytes_is_indexed_and_shown_with_replacement_characters(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    name = os.fsdecode(b"prot\xf6koll.txt")  # latin-1: not UTF-8
    try:
        shutil.copy(SEEDS["2023-10-11"], folder / name)
    except (UnicodeEncodeError, OSError) as exc:
        pytest.skip(f"this file system takes no such name: {exc}")
    shutil.copy(SEEDS["2024-04-09"], folder / "other.txt")
    index = tmp_path / "index"
    code, out, err = cli("--index", index, "ingest", folder, "--json")
    assert code == 0, err
    assert json.loads(out)["files_indexed"] == 2
    assert search_ids(index, "skolattacker") == ["prot\ufffdkoll#22"]
    code, out, err = cli("--index", index, "show", "prot\ufffdkoll#22", "--json")
    assert code == 0 and "\ufffd" in json.loads(out)["source"]
    code, _, err = cli("--index", index, "ingest", folder)  # and again: unchanged, nothing removed
    assert code == 0 and not err


def test_a_utf16_file_is_read(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = SEEDS["2023-10-11"].read_text(encoding="utf-8")
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))
    (folder / "utf16le.txt").write_bytes(text.replace("skolattacker", "skolattackerna").encode("utf-16-le"))
    index = tmp_path / "index"
    code, _, err = cli("--index", index, "ingest", folder)
    assert code == 0, err
    assert sorted(search_ids(index, "skolattacker")) == ["utf16#22", "utf16le#22"]


def _refused():
    """A prefix that runs the command unable to read files it may not (root ignores file modes)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: root reads any file, so none can be refused")
    probe = subprocess.run(["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}")
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--")


def test_unreadable_files_and_folders_are_named_and_the_rest_indexed(tmp_path, corpus_copy):
    prefix = _refused()
    locked = corpus_copy / "locked"
    locked.mkdir()
    shutil.copy(SEEDS["2023-10-11"], locked / "hidden.txt")
    secret = corpus_copy / "secret.txt"
    shutil.copy(SEEDS["2023-10-11"], secret)
    locked.chmod(0)
    secret.chmod(0)
    try:
        code, out, err = cli("--index", tmp_path / "index", "ingest", corpus_copy, prefix=prefix)
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    assert code == 2
    one_line(err, "locked: cannot read folder (permission denied)")
    one_line(err, "secret.txt: cannot read (permission denied)")
    assert "5 files indexed" in out
    assert search_ids(tmp_path / "index", "skolattacker") == [f"{S2023_10_11}#22"]


def test_an_index_folder_that_may_not_be_written_is_one_line(tmp_path, corpus_copy):
    prefix = _refused()
    index = tmp_path / "index"
    index.mkdir()
    index.chmod(0o555)
    try:
        code, _, err = cli("--index", index, "ingest", corpus_copy, prefix=prefix)
    finally:
        index.chmod(0o755)
    assert code == 2 and len(err) == 1
    one_line(err, f"cannot write the index at {index}", "permission denied", "--index")


# --- a full disk ------------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs, where mounting is allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _used(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("rebuild", [False, True], ids=["incremental", "rebuild"])
def test_a_full_disk_leaves_the_index_whole_and_the_next_ingest_works(tmp_path, corpus_copy, small_disk, rebuild):
    index = small_disk / "index"
    seeds = sorted(corpus_copy.glob("*.txt"))
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(seeds[0], first / seeds[0].name)
    code, _, err = cli("--index", index, "ingest", first)
    assert code == 0, err
    before = search_ids(index, "skolattacker")
    used = _used(index)
    filler = small_disk / "filler"
    with open(filler, "wb") as f:  # leave about 100 kB free: enough to start, not to finish
        free = shutil.disk_usage(small_disk).free
        f.write(b"\0" * max(0, free - 100_000))
    code, _, err = cli("--index", index, "ingest", corpus_copy, *(["--rebuild"] if rebuild else []))
    assert code == 2
    one_line(err, "no space left", str(index), "free some space")
    assert search_ids(index, "skolattacker") == before  # whole and answering
    assert _used(index) == used  # every partial file removed
    filler.unlink()
    code, _, err = cli("--index", index, "ingest", corpus_copy)
    assert code == 0, err
    assert search_ids(index, "Embrace") == ["001_2a4b40077b5f9c53#11"]


# --- a damaged index -----------------------------------------------------------------------------------------


def _segment_file(index: Path) -> Path:
    gen = next(p for p in index.iterdir() if p.is_dir())
    return max((p for p in gen.iterdir() if p.suffix in (".pst", ".seg", ".trm", ".fdt")), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_a_damaged_index_is_named_by_every_command_and_ingest_rebuilds_it(corpus_index_copy, damage):
    index, corpus = corpus_index_copy
    victim = _segment_file(index)
    if damage == "truncated":
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    else:
        victim.unlink()
    for args in (["search", "narkotika"], ["case", "Ks 930/2023"], ["show", f"{S2023_10_11}#22"], ["stats"]):
        code, _, err = cli("--index", index, *args)
        assert code == 2, args
        assert len(err) == 1, err
        one_line(err, "is damaged", victim.name, "ingest --rebuild")
    code, _, err = cli("--index", index, "ingest", corpus)
    assert code == 0, err
    assert any("built anew" in line and victim.name in line for line in err), err
    assert search_ids(index, "skolattacker") == [f"{S2023_10_11}#22"]


@pytest.mark.parametrize("meta, message", [
    (None, "meta.json is missing"),
    ("{not json", "meta.json cannot be read"),
    ('{"schema_version": "11"}', "holds no schema version number"),
])
def test_a_missing_or_damaged_meta_json_says_so(corpus_index_copy, meta, message):
    index, corpus = corpus_index_copy
    path = next(p for p in index.iterdir() if p.is_dir()) / "meta.json"
    if meta is None:
        path.unlink()
    else:
        path.write_text(meta)
    code, _, err = cli("--index", index, "search", "narkotika")
    assert code == 2
    line = one_line(err, message, "ingest --rebuild")
    assert "None" not in line and "version 11, this" not in line
    code, _, err = cli("--index", index, "ingest", corpus)
    assert code == 0, err
    assert search_ids(index, "skolattacker") == [f"{S2023_10_11}#22"]


def test_a_deleted_vocabulary_is_rebuilt_by_the_next_ingest(corpus_index_copy):
    index, corpus = corpus_index_copy
    gen = next(p for p in index.iterdir() if p.is_dir())
    for p in gen.glob("vocabulary.*.tsv"):
        p.unlink()
    code, _, _ = cli("--index", index, "search", "skolatacker", "--json")
    assert code == 1
    code, _, err = cli("--index", index, "ingest", corpus)
    assert code == 0, err
    code, out, _ = cli("--index", index, "search", "skolatacker", "--json")
    assert json.loads(out)["did_you_mean"] == "skolattacker"


# --- big input ----------------------------------------------------------------------------------------------


def test_a_paragraph_with_100000_matches_is_answered(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "many.txt").write_text("Lägesbild\n\n" + "narkotika handel. " * 100_000 + "\n", encoding="utf-8")
    index = tmp_path / "index"
    code, _, err = cli("--index", index, "ingest", folder)
    assert code == 0, err
    code, out, err = cli("--index", index, "search", "narkotika", "--json")
    assert code == 0, err
    hits = json.loads(out)["hits"]  # 1.8 MB of text: the § in pieces (…#s1, …#s1.2, …)
    assert {h["id"].split(".")[0] for h in hits} == {"many#s1"} and len(hits) == 4
    for hit in hits:
        assert hit["highlights"] and all(hit["snippet"][a:b] == "narkotika" for a, b in hit["highlights"])


def test_a_paragraph_longer_than_a_piece_is_indexed_whole_in_pieces(tmp_path):
    from trygg_search.ingest import PIECE_CHARS

    folder = tmp_path / "docs"
    folder.mkdir()
    words = " ".join(f"ord{i}" for i in range(PIECE_CHARS // 4))  # about 2.5 pieces
    (folder / "long.txt").write_text(f"Protokoll\n\n§ 1 Långt ärende\n\nbörjan {words} slutet\n", encoding="utf-8")
    index = tmp_path / "index"
    code, out, err = cli("--index", index, "ingest", folder, "--json")
    assert code == 0, err
    assert json.loads(out)["paragraphs_total"] == 3
    assert any("long#1 is longer than" in n for n in json.loads(out)["notes"])
    assert search_ids(index, "början") == ["long#1"]
    assert search_ids(index, "slutet") == ["long#1.3"]
    code, out, _ = cli("--index", index, "show", "long#1.3", "--json")
    assert code == 0 and json.loads(out)["paragraph"] == 1


def test_progress_as_json_lines(tmp_path, corpus_copy):
    code, out, err = cli("--index", tmp_path / "index", "ingest", corpus_copy, "--json", "--progress")
    assert code == 0
    events = [json.loads(line) for line in err]
    assert events[0] == {"files_done": 0, "files_total": 5}
    assert events[-1]["files_done"] == 5
    assert json.loads(out)["files_indexed"] == 5


# --- batch modes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command, found, missing, bad", [
    ("case", "Ks 930/2023.", "Ks 1/1999", "not a case"),
    ("show", f"{S2023_10_11}#22", f"{S2023_10_11}#99", None),
])
def test_batch_modes_share_one_contract(corpus_index, command, found, missing, bad):
    def batch(*lines):
        code, out, _ = cli("--index", corpus_index, command, "-", input="".join(lines))
        return code, [json.loads(line) for line in out.splitlines()]

    code, rows = batch(f"{found}\r\n", "\n", "   \n")
    assert code == 0 and [r["input"] for r in rows] == [found] and rows[0]["found"] is True
    code, rows = batch(f"{found}\n", f"{missing}\n")
    assert code == 1 and [r["found"] for r in rows] == [True, False]
    if bad:
        code, rows = batch(f"{found}\n", f"{bad}\n", f"{missing}\n")
        assert code == 2 and [r["found"] for r in rows] == [True, False, False] and "error" in rows[1]


@pytest.mark.parametrize("spelling", ["Ks 930/2023.", "Ks 930-2023", "(Ks 930/2023)", "KS-2023-930,"])
def test_case_reads_punctuation_and_a_dash_for_the_slash(corpus_index, spelling):
    code, out, err = cli("--index", corpus_index, "case", spelling, "--json")
    assert code == 0, err
    assert [h["id"] for h in json.loads(out)["hits"]] == [f"{S2023_10_11}#23"]


# --- messages -----------------------------------------------------------------------------------------------------


def test_usage_errors_are_one_line_and_h_is_help_everywhere(corpus_index):
    for args in (["search", "--nope", "x"], ["bogus"], ["search"], ["ingest", "--wait", "soon"]):
        code, _, err = cli("--index", corpus_index, *args)
        assert code == 2 and len(err) == 1 and err[0].startswith("trygg-search: ") and "--help" in err[0], err
    for command in ("search", "case", "show", "ingest", "stats", "parse", "analyze"):
        code, out, _ = cli(command, "-h")
        assert code == 0 and out.startswith("Usage: "), command


def test_did_you_mean_offers_only_words_the_query_could_mean(corpus_index):
    def suggestion(query):
        code, out, _ = cli("--index", corpus_index, "search", query, "--json")
        return json.loads(out).get("did_you_mean")

    assert suggestion("narkotika^abc") is None
    assert suggestion("Hoso") is None  # a name among the people: found as it is
    assert suggestion("Hosso") == "Hoso"
    assert suggestion('"Kemal Hosso"') == '"Kemal Hoso"'  # the words of a phrase too
    assert suggestion("narkotikka") == "narkotika"


def test_show_on_an_empty_index_suggests_no_id(tmp_path):
    folder = tmp_path / "emptied"
    folder.mkdir()
    (folder / "one.txt").write_text("§ 1 Budget\n\nText.\n", encoding="utf-8")
    index = tmp_path / "index"
    cli("--index", index, "ingest", folder)
    (folder / "one.txt").unlink()  # an index that once held §§ and holds none now
    code, _, err = cli("--index", index, "ingest", folder)
    assert code == 0, err
    code, _, err = cli("--index", index, "show", "x#1")
    assert code == 1 and "it holds no §§" in err[0]


def test_singular_and_plural(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "one.txt").write_text("Protokoll\n\n§ 1 Ett ärende\n\nText om narkotika.\n", encoding="utf-8")
    code, out, _ = cli("--index", tmp_path / "index", "ingest", folder)
    assert "1 file indexed (1 paragraph)" in out and "holds 1 paragraph" in out
    code, out, _ = cli("--index", tmp_path / "index", "search", "narkotika")
    assert out.startswith("1 hit for")


# --- a bug met on the way: said to be one, and no file lost to it -------------------------------------


def _parser_bug(*_args, **_kwargs):
    raise ZeroDivisionError("division by zero")


def test_a_bug_is_named_as_one_with_the_file_and_how_to_see_the_traceback(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from trygg_search import protocol as parse
    from trygg_search.cli import main

    path = tmp_path / "protokoll.txt"
    path.write_text("§ 1 Budget\n\nText.\n", encoding="utf-8")
    monkeypatch.setattr(parse, "parse_meeting", _parser_bug)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr == (f"trygg-search: a bug in trygg-search while reading {path}: ZeroDivisionError: division "
                             f"by zero; run again with --debug (TRYGG_SEARCH_DEBUG=1) to see the traceback, and please "
                             f"report it\n")
    assert "rebuild" not in result.stderr
    for args, env in ((["--debug", "parse", str(path)], {}), (["parse", str(path)], {"TRYGG_SEARCH_DEBUG": "1"})):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[0].startswith(f"trygg-search: a bug in trygg-search while reading {path}")
        assert "Traceback (most recent call last)" in result.stderr and "_parser_bug" in result.stderr
    result = CliRunner().invoke(main, ["parse", str(path)])  # --debug is not kept from one run to the next
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["before the first §", "after some §§"])
def test_a_file_the_parser_fails_on_is_indexed_as_plain_text_with_a_note(tmp_path, monkeypatch, where):
    from trygg_search import ingest as ingest_module
    from trygg_search.protocol import read_meeting

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS["2023-10-11"], folder / "good.txt")
    (folder / "bad.txt").write_text("§ 1 Budget\n\nOm kaffeautomater.\n\f§ 2 Skolor\n\nOm skolgårdar.\n\f"
                                    "§ 3 Vägar\n\nOm gatubelysning.\n", encoding="utf-8")

    def failing(text, source=None):
        if not source.endswith("bad.txt"):
            return read_meeting(text, source)
        if where == "before the first §":
            raise ZeroDivisionError("division by zero")
        header, paragraphs = read_meeting(text, source)

        def some_then_a_bug():
            yield next(paragraphs)
            raise ZeroDivisionError("division by zero")

        return header, some_then_a_bug()

    monkeypatch.setattr(ingest_module, "read_meeting", failing)
    report = ingest_module.ingest([str(folder)], tmp_path / "index")
    assert report.skipped == [] and report.files_indexed == 2
    assert [n for n in report.notes if "bad.txt" in n] == [
        f"{folder / 'bad.txt'}: a bug in trygg-search (ZeroDivisionError: division by zero): indexed as plain text, "
        f"a section a page (run again with --debug to see the traceback, and please report it)"]
    for word, page in (("kaffeautomater", 1), ("skolgårdar", 2), ("gatubelysning", 3)):
        assert search_ids(tmp_path / "index", word) == [f"bad#s{page}"], word
    assert search_ids(tmp_path / "index", "skolattacker") == ["good#22"]


# --- files that are not files: FIFOs, sockets, devices, links that loop or lead out ----------------------


@pytest.fixture
def odd_folder(tmp_path):
    """A folder of one protocol and every kind of thing that is not one, or lies outside it."""
    import socket

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS["2023-10-11"], folder / "protocol.txt")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.txt"))
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("§ 1 Hemligt\n\nLösenordet är ananasmarmelad.\n", encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(outside, folder / "elsewhere")
    os.symlink(folder / "protocol.txt", folder / "again.txt")  # a link inside: the same file, taken once
    yield folder
    server.close()


def test_only_regular_files_are_read_and_links_out_of_the_folder_are_not_followed(tmp_path, odd_folder):
    index = tmp_path / "index"
    code, out, err = cli("--index", index, "ingest", odd_folder, "--json")
    assert code == 2
    report = json.loads(out)
    assert report["files_indexed"] == 1 and report["paragraphs_total"] == 5  # §§ 22-26
    assert sorted((s["path"], s["reason"]) for s in report["skipped"]) == [
        (str(odd_folder / "dangling.txt"), "a symbolic link to nothing (missing.txt): skipped"),
        (str(odd_folder / "loop.txt"), "a symbolic link that leads to itself (a loop): skipped"),
        (str(odd_folder / "pipe.txt"), "not a regular file (a FIFO): skipped"),
        (str(odd_folder / "socket.txt"), "not a regular file (a socket): skipped"),
    ]
    outside = tmp_path / "outside"
    assert sorted(report["notes"]) == [
        f"{odd_folder / 'elsewhere'}: a link to {outside}, outside {odd_folder}: not followed (--follow follows it)",
        f"{odd_folder / 'secret.txt'}: a link to {outside / 'secret.txt'}, outside {odd_folder}: not followed "
        f"(--follow follows it)",
        f"{odd_folder / 'zero.txt'}: a link to /dev/zero, outside {odd_folder}: not followed (--follow follows it)",
    ]
    assert report["followed"] == []
    assert len([line for line in err if line.startswith("trygg-search: ")]) == 4
    assert search_ids(index, "ananasmarmelad") == []
    # An index with a loop beside it is updated as any other.
    (odd_folder / "more.txt").write_text("§ 1 Mer\n\nOm kaffeautomater.\n", encoding="utf-8")
    code, out, err = cli("--index", index, "ingest", odd_folder, "--json")
    assert code == 2 and json.loads(out)["files_indexed"] == 1
    assert search_ids(index, "kaffeautomater") == ["more#1"]


def test_follow_reads_the_links_out_of_the_folder_and_names_them(tmp_path, odd_folder):
    index = tmp_path / "index"
    code, out, err = cli("--index", index, "ingest", "--follow", odd_folder, "--json")
    assert code == 2
    report = json.loads(out)
    assert sorted(report["followed"]) == [str(odd_folder / n) for n in ("elsewhere", "secret.txt", "zero.txt")]
    assert (str(odd_folder / "zero.txt"), "not a regular file (a character device): skipped") in {
        (s["path"], s["reason"]) for s in report["skipped"]}
    # The file is met twice, through the linked folder and the linked file: taken once, by the first name.
    assert search_ids(index, "ananasmarmelad") == ["elsewhere/secret#1"]


@pytest.mark.parametrize("name, reason", [
    ("pipe.txt", "not a regular file (a FIFO): skipped"),
    ("zero.txt", "not a regular file (a character device): skipped"),
    ("loop.txt", "a symbolic link that leads to itself (a loop): skipped"),
])
def test_parse_and_ingest_of_what_is_no_file_say_so_at_once(tmp_path, odd_folder, name, reason):
    path = odd_folder / name
    code, _, err = cli("parse", path)
    assert code == 2 and err == [f"trygg-search: {path}: {reason}"]
    code, _, err = cli("--index", tmp_path / "index", "ingest", path)
    assert code == 2 and f"trygg-search: {path}: {reason}" in err


# --- nothing printed can take over a terminal -------------------------------------------------------------

_RAW_CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7f, 0xa0))] + ["\u202e", "\u2066"]


def test_control_sequences_in_a_document_are_shown_escaped_never_raw(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    hostile = ("§ 1 Titel \x1b]0;HACKED\x07 och \x1b[2J \x9b2J\n\nÄrendenummer: Ks 5/2024\n\n"
               "Text om narkotika \x1b[31mröd\x1b[0m, \u202ebaklänges\u202c och \x08\x7f.\n")
    (folder / "esc\x1b[1m.txt").write_text(hostile, encoding="utf-8")
    (folder / "bad\x1b]0;X\x07.pdf").write_bytes(b"\x00\x01\x02 binary")
    index = tmp_path / "index"
    code, out, err = cli("--index", index, "ingest", folder)
    assert code == 2
    outputs = [out, *err]
    for args in (("search", "narkotika"), ("show", "esc\x1b[1m#1"), ("case", "Ks 5/2024"), ("search", "rod\x1b[2J"),
                 ("parse", folder / "esc\x1b[1m.txt"), ("analyze", "röd\x1b[2J\x9b")):
        code, out, err = cli("--index", index, *args, env=dict(ENV, COLUMNS="200"))
        assert code in (0, 1), (args, err)
        outputs += [out, *err]
    text = "\n".join(outputs)
    assert not [c for c in _RAW_CONTROLS if c in text], [hex(ord(c)) for c in _RAW_CONTROLS if c in text]
    assert "\\x1b]0;HACKED" in text and "\\x1b[2J" in text and "\\u202ebaklänges" in text
    code, out, _ = cli("--index", index, "search", "narkotika", "--json")
    assert json.loads(out)["hits"][0]["title"] == "Titel \x1b]0;HACKED\x07 och \x1b[2J \x9b2J"


# --- hostile documents: bounded memory and one line ------------------------------------------------------

MEMORY_BOUND_MB = 500


# The command runs under a small Python that reports its peak: the peak resident memory of a child
# started straight from the test process would be at least the test process's own (Linux keeps the high
# water mark of the memory a child was forked or vforked with, across its exec).
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_measured(*args) -> tuple[int, list[str], float]:
    """Run the real command; (exit code, stderr lines, its peak resident memory in MB)."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "trygg_search", *map(str, args)],
                          capture_output=True, env=ENV)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    code, peak_kb = map(int, proc.stdout.split())
    return code, [line for line in err.splitlines() if line.strip()], peak_kb / 1024


def _zipped_docx(path, piece: str, count: int) -> None:
    """A .docx whose body is ``piece`` written ``count`` times: a few hundred kB that unpack to much more."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w") as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                    b'2006/main"><w:body>')
            chunk = (piece * 1000).encode()
            for _ in range(count // 1000):
                f.write(chunk)
            f.write(b"</w:body></w:document>")


@pytest.mark.parametrize("piece, count, message", [
    ("<w:p><w:r><w:t>" + "narkotika " * 100 + "</w:t></w:r></w:p>", 30_000,
     "the Word document holds more than 20,000,000 characters of text"),
    ("<w:p/>", 12_000_000, "the Word document's word/document.xml unpacks to more than 64 MB"),
])
def test_a_docx_zip_bomb_is_refused_in_one_line_within_bounded_memory(tmp_path, piece, count, message):
    bomb = tmp_path / "bomb.docx"
    _zipped_docx(bomb, piece, count)
    assert bomb.stat().st_size < 2**20
    code, err, peak = run_measured("parse", bomb)
    assert code == 2 and err == [f"trygg-search: {bomb}: {message}: not read (a damaged or hostile file)"], err
    assert peak < MEMORY_BOUND_MB, peak
    folder = tmp_path / "docs"
    folder.mkdir()
    bomb.rename(folder / "bomb.docx")
    shutil.copy(SEEDS["2023-10-11"], folder / "protocol.txt")
    code, err, peak = run_measured("--index", tmp_path / "index", "ingest", folder)
    assert code == 2 and len([line for line in err if line.startswith("trygg-search: ")]) == 1
    assert peak < MEMORY_BOUND_MB, peak
    assert search_ids(tmp_path / "index", "skolattacker") == ["protocol#22"]


def test_a_pdf_page_of_100000_text_runs_is_read_whole(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "runs.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 2)
    for i in range(100_000):  # a page of a hundred thousand text objects, each a word
        c.drawString(10 + (i % 200) * 2.9, 10 + (i // 200) * 1.6, "ab")
    c.showPage()
    c.save()
    code, out, err = cli("parse", path, "--json")
    assert code == 0, err
    texts = " ".join(p["text"] for p in json.loads(out)["paragraphs"])  # (an "other" section holds its title)
    assert texts.split().count("ab") == 100_000


def test_blank_pages_are_no_scans_and_a_long_pdf_reports_its_pages(tmp_path):
    from reportlab.pdfgen import canvas

    folder = tmp_path / "docs"
    folder.mkdir()
    c = canvas.Canvas(str(folder / "long.pdf"))
    c.drawString(100, 700, "§ 1 Budget")
    c.drawString(100, 680, "Om kaffeautomater.")
    c.showPage()
    for _ in range(2500):  # blank pages: nothing on them
        c.showPage()
    c.setFillGray(0.8)  # a page with a picture and no text: a scan
    c.rect(60, 200, 400, 500, fill=1, stroke=0)
    c.showPage()
    c.drawString(100, 700, "§ 2 Skolor")
    c.drawString(100, 680, "Om skolgårdar.")
    c.showPage()
    c.save()
    code, out, err = cli("--index", tmp_path / "index", "ingest", "--progress", folder)
    assert code == 2
    errors = [line for line in err if line.startswith("trygg-search: ")]
    assert errors == [f"trygg-search: {folder / 'long.pdf'}: page 2502 of 2503 has no text layer (a scan): OCR the "
                      f"file first, e.g. with ocrmypdf; the other pages are indexed"]
    pages = [json.loads(line)["pages"] for line in err if '"pages"' in line]
    assert pages == list(range(100, 2501, 100))
    assert search_ids(tmp_path / "index", "skolgårdar") == ["long#2"]


def test_a_run_of_20000_blank_pages_in_a_text_is_read(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("§ 1 Budget\n\nOm kaffeautomater.\n" + "\f\n" * 20_000 + "§ 2 Skolor\n\nOm skolgårdar.\n")
    code, out, err = cli("parse", path, "--json")
    assert code == 0, err
    assert [(p["paragraph"], p["title"]) for p in json.loads(out)["paragraphs"]] == [(1, "Budget"), (2, "Skolor")]


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_a_file_changed_or_deleted_while_ingest_reads_it_leaves_a_true_catalog(tmp_path, monkeypatch, change):
    from trygg_search import ingest as ingest_module
    from trygg_search.backends import open_index
    from trygg_search.sources import read_source

    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "protocol.txt"
    path.write_text("§ 1 Budget\n\nOm kaffeautomater.\n", encoding="utf-8")
    index = tmp_path / "index"
    ingest_module.ingest([str(folder)], index)
    path.write_text("§ 1 Budget\n\nOm skolgårdar.\n", encoding="utf-8")  # hashed as this by the next ingest ...

    def changed_under_it(p, **kwargs):
        if change == "edited":  # ... and changed again before it is read
            path.write_text("§ 1 Budget\n\nOm gatubelysning.\n", encoding="utf-8")
        else:
            path.unlink()
        return read_source(p, **kwargs)

    monkeypatch.setattr(ingest_module, "read_source", changed_under_it)
    report = ingest_module.ingest([str(folder)], index)
    monkeypatch.undo()
    catalog = open_index(index).catalog()
    if change == "edited":  # what was read is what the catalog says was read
        assert report.skipped == [] and search_ids(index, "gatubelysning") == ["protocol#1"]
        assert catalog[os.path.realpath(path)]["sha1"] == read_source(path).sha1
        assert search_ids(index, "skolgårdar") == []
    else:  # the file could not be read: the index keeps what it had, and says so in its catalog
        assert report.skipped == [(str(path), "no such file or folder")]
        assert search_ids(index, "kaffeautomater") == ["protocol#1"]
        assert catalog[os.path.realpath(path)]["sha1"] == __import__("hashlib").sha1(
            "§ 1 Budget\n\nOm kaffeautomater.\n".encode()).hexdigest()
    report = ingest_module.ingest([str(folder)], index)  # and the next ingest sets it right
    assert search_ids(index, "kaffeautomater" if change == "edited" else "skolgårdar") == []


def test_ranges_of_paragraphs_are_expanded_in_bounded_memory_and_any_number_is_a_heading(tmp_path):
    path = tmp_path / "ranges.txt"
    many = ", ".join(["1-2001"] * 6000 + [f"{n}-{n + 2000}" for n in range(0, 120_000, 7)])
    path.write_text("Närvarande ledamöter\nKemal Hoso (S) §§ " + many + "\nAnna Berg (M) t.o.m. 12346 "
                    + "t.o.m. 12345 " * 5000 + "\n\nParagrafer 12345-12346\n\n§ 12345 Budget\n\nText.\n\n"
                    "§ 12346 Skolor\n\nText.\n", encoding="utf-8")
    code, err, peak = run_measured("parse", path, "--json")
    assert code == 0, err
    assert peak < MEMORY_BOUND_MB, peak
    code, out, _ = cli("parse", path, "--json")
    meeting = json.loads(out)
    assert [(p["paragraph"], p["title"]) for p in meeting["paragraphs"]] == [(12345, "Budget"), (12346, "Skolor")]
    hoso, berg = meeting["attendance"]
    assert len(hoso["paragraphs"]) == 10_000 and hoso["paragraphs"][:3] == [1, 2, 3]
    assert berg["paragraphs"] == [12345, 12346]


# --- readers never lose their index ---------------------------------------------------------------------


def test_searches_beside_rebuilds_and_incremental_ingests_answer_from_the_old_or_the_new_index(tmp_path, corpus_copy):
    import threading

    from trygg_search.backends import open_index
    from trygg_search.filters import Filters
    from trygg_search.search import search

    index = tmp_path / "index"
    extra = tmp_path / "extra.txt"
    extra.write_text("§ 1 Polisen\n\nPolisen och kommunen om polisens arbete.\n", encoding="utf-8")
    code, _, err = cli("--index", index, "ingest", corpus_copy)
    assert code == 0, err
    before = search(open_index(index), "polis", Filters(), limit=1).total
    shutil.copy(extra, corpus_copy / "extra.txt")
    code, _, err = cli("--index", index, "ingest", corpus_copy)
    after = search(open_index(index), "polis", Filters(), limit=1).total
    assert after == before + 1
    # An ingest loop in another process: rebuilds and incremental ingests, the extra file coming and going.
    script = (
        "import os, shutil, sys\n"
        "from trygg_search.ingest import ingest\n"
        "corpus, index, extra = sys.argv[1:4]\n"
        "for i in range(14):\n"
        "    target = os.path.join(corpus, 'extra.txt')\n"
        "    if i % 2: shutil.copy(extra, target)\n"
        "    elif os.path.exists(target): os.unlink(target)\n"
        "    ingest([corpus], index, rebuild=i % 3 != 2)\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(corpus_copy), str(index), str(extra)], env=ENV,
                              stderr=subprocess.PIPE, text=True)
    answers, failures = [], []

    def read():
        while writer.poll() is None:
            try:
                ix = open_index(index)
                total = search(ix, "polis", Filters(), limit=3).total
                for hit in search(ix, "polisens arbete", Filters(), limit=3).hits:
                    ix.stored(hit.id)
            except Exception as exc:  # noqa: BLE001 - every failure is one to report
                failures.append(f"{type(exc).__name__}: {exc}")
                continue
            answers.append(total)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert writer.wait() == 0, writer.stderr.read()
    writer.stderr.close()
    assert failures == []
    assert len(answers) > 30 and set(answers) <= {before, after}, set(answers)
    assert set(answers) == {before, after}  # both states were seen: the readers did run beside the writer
    import gc

    gc.collect()  # the readers' last snapshots let go
    code, _, err = cli("--index", index, "ingest", "--rebuild", corpus_copy)
    assert code == 0, err
    generations = [p.name for p in index.iterdir() if p.is_dir() or p.name.startswith(".g")]
    assert len(generations) == 1, generations  # what was still read then is removed by the next ingest


def test_an_entity_expansion_payload_in_a_docx_is_not_expanded(tmp_path):
    from .test_documents import _p, write_docx

    levels = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    prolog = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{levels}]>'  # a thousand million lols, expanded
    path = tmp_path / "laughs.docx"
    write_docx(path, _p("Före &lol9; efter") + _p("§ 1 Budget"), prolog=prolog)
    code, err, peak = run_measured("parse", path)
    # libxml2 refuses a DTD that would amplify so (a Word file never has one): one line, as for damaged XML
    assert code == 2 and len(err) == 1 and err[0].startswith(f"trygg-search: {path}: not a readable Word document")
    assert "amplification" in err[0]
    assert peak < MEMORY_BOUND_MB, peak
