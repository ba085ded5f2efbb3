"""Decoding input files: encodings, BOMs, line ends, and files that are not text."""

from __future__ import annotations

import pytest

from trygg_search.errors import SourceError
from trygg_search.protocol import parse_meeting
from trygg_search.sources import find_sources, read_source

from .conftest import SEEDS


def test_crlf_bom_and_cp1252_give_the_same_record(tmp_path):
    original = SEEDS["2024-04-09"].read_text(encoding="utf-8")
    variants = {
        "crlf.txt": original.replace("\n", "\r\n").encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + original.encode("utf-8"),
        "cp1252.txt": original.replace("–", "-").encode("cp1252"),
    }
    expected = parse_meeting(original.replace("–", "-")).to_dict()
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        got = parse_meeting(read_source(path).text).to_dict()
        if name != "cp1252.txt":
            got = parse_meeting(read_source(path).text.replace("–", "-")).to_dict()
        assert got == expected, name
    assert read_source(tmp_path / "cp1252.txt").encoding == "cp1252"


def test_binary_file_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(SourceError, match="scan.txt: not a text file"):
        read_source(path)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    with pytest.raises(SourceError, match="empty.txt: empty file"):
        read_source(path)


def test_find_sources_reports_missing_paths(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "b.txt").write_text("x")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "d.docx").write_bytes(b"PK")
    (tmp_path / "e.jpg").write_bytes(b"\xff\xd8")
    sources = find_sources([str(tmp_path), str(tmp_path / "nope")])
    assert [f.path.name for f in sources.found] == ["a.txt", "c.pdf", "d.docx"]  # text, PDF and Word; not pictures
    assert [f.name for f in sources.found] == ["a", "c", "d"]
    assert sources.problems == [(str(tmp_path / "nope"), "no such file or folder")]
