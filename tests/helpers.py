"""Running the CLI in-process (click's CliRunner) against real indexes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from trygg_search.cli import main


def run(index_dir, *args, input=None):
    """Invoke ``trygg-search --index INDEX ARGS``; returns click's Result (stdout, stderr, exit_code)."""
    return CliRunner().invoke(main, ["--index", str(index_dir), *map(str, args)], input=input, catch_exceptions=False)


def run_json(index_dir, *args, input=None):
    result = run(index_dir, *args, "--json", input=input)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


def indexed(tmp_path, files: dict[str, str]):
    """Write ``files`` (name -> text) into a folder and ingest it; the index's folder."""
    from trygg_search.ingest import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest([str(folder)], tmp_path / "index")
    return tmp_path / "index"


def ids(data):
    return [h["id"] for h in data["hits"]]


S2023_10_11 = "000_85df296f62d2738a"
S2024_04_09 = "001_2a4b40077b5f9c53"
S2023_03_28 = "002_fe33fae3f282ebd8"
AGREEMENT = "003_4de19bd87722bf86"
S2018_06_19 = "004_5cee533aa628c866"
