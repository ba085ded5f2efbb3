"""The command line as a user meets it: parse output, help for every command, docs in the README."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from trygg_search.cli import main

from .conftest import ROOT, SEEDS


def invoke(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_parse_json_is_the_whole_record():
    result = invoke("parse", SEEDS["2023-10-11"], "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["committee"], data["date"], data["kind"]) == ("Kommunstyrelsens trygghetsutskott", "2023-10-11", "protocol")
    assert [p["paragraph"] for p in data["paragraphs"]] == [22, 23, 24, 25, 26]
    assert data["paragraphs"][1]["case_number"] == "Ks 930/2023"
    assert "Kemal Hoso" not in data["paragraphs"][2]["participants"]
    kemal = next(a for a in data["attendance"] if a["name"] == "Kemal Hoso")
    assert kemal == {"name": "Kemal Hoso", "party": "S", "role": "ledamot", "title": None,
                     "paragraphs": [22, 23], "partial": False, "replaces": []}


def test_parse_summary_for_people():
    result = invoke("parse", SEEDS["2024-04-09"])
    assert result.exit_code == 0
    out = result.stdout
    assert "Kommunstyrelsens trygghetsutskott — protocol" in out
    assert "Datum: 2024-04-09" in out
    assert "ersätter Anna Ekström (C) §§ 7–9" in out
    assert re.search(r"§ 9\s+Lägesbild 2023", out)


def test_parse_binary_file_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = invoke("parse", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"trygg-search: {path}: not a text file (binary data)"


def test_parse_missing_file_exit_2(tmp_path):
    result = invoke("parse", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert len(main.commands[command].help or "") > 40


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"trygg-search {command}" in readme
    assert f"trygg-search {command}" in _docs().replace(readme, "")  # and in its page of the reference


def _docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_every_command_is_documented(command):
    docs = _docs()
    options = [o for p in main.commands[command].params for o in p.opts if o.startswith("--") and o != "--help"]
    options += [o for p in main.params for o in p.opts if o.startswith("--") and o not in ("--help", "--version")]
    missing = [o for o in options if f"`{o}" not in docs and f"{o} " not in docs and f"{o}`" not in docs]
    assert missing == [], missing


def test_the_readme_is_short_and_its_links_lead_somewhere():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 250
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert len(links) >= 8 and all((ROOT / link).is_file() for link in links), links


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert "ingest" in blocks[0] and "search" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_the_installed_command_runs_outside_the_source_tree(tmp_path):
    """From another folder, without PYTHONPATH: the package as pip installed it (in CI, a regular
    install) must hold every subpackage (the backends)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(tmp_path / "ix"), "stats"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 2 and "no index at" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "ModuleNotFoundError" not in out.stderr


def test_the_program_ends_with_all_its_output_and_its_exit_code(corpus_index):
    """A command that only reads ends its process without the interpreter's teardown (cli.run): what it
    printed must all be there, its exit code kept, as the same command run in-process gives them."""
    import os
    import subprocess
    import sys

    some_id = json.loads(invoke("--index", corpus_index, "search", "GVI", "--json").stdout)["hits"][0]["id"]
    cases = [
        (["search", "narkotika", "--json", "--limit", "1000"], None),  # more than a pipe's buffer
        (["search", "narkotika", "--limit", "1000"], None),
        (["search", "zzzqqqxx", "--json"], None),  # nothing found: 1
        (["search", "--from", "2023-13-01", "x"], None),  # a bad argument: 2
        (["case", "-"], "Ks 930/2023\nnot a case\nKs 1/1999\n"),
        (["show", some_id, "--json"], None),
        (["stats", "--json"], None),
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    for args, stdin in cases:
        inproc = CliRunner().invoke(main, ["--index", str(corpus_index), *args], input=stdin,
                                    catch_exceptions=False)
        proc = subprocess.run([sys.executable, "-m", "trygg_search", "--index", str(corpus_index), *args],
                              input=stdin, capture_output=True, text=True, env=env)
        assert proc.returncode == inproc.exit_code, (args, proc.stderr)
        assert proc.stdout == inproc.stdout, args
        assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    codes = {CliRunner().invoke(main, ["--index", str(corpus_index), *a], input=s).exit_code for a, s in cases}
    assert codes == {0, 1, 2}

