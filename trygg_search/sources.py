"""Finding and decoding input files: the only place that reads source documents."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .textnorm import normalize_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}

# Control characters that never occur in a real text document (form feed, tab,
# CR and LF excluded).  Many of them mean the file is binary.
_CONTROL_CHARS = re.compile("[" + "".join(chr(c) for c in range(32) if c not in (9, 10, 12, 13)) + "\x7f]")


def shown(path: str) -> str:
    """A path as the index stores and shows it: bytes of a file name that are not UTF-8 become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class SourceText:
    """A decoded source file: its path, text, content hash and the encoding used."""

    path: str
    text: str
    sha1: str
    encoding: str


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not) or else cp1252; raise SourceError for binary data."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    utf16 = _utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise SourceError(f"{name}: not a text file (damaged UTF-16)") from None
        return _checked(normalize_text(text.lstrip("\ufeff")), name), "utf-16"
    if b"\x00" in data[:8192]:
        raise SourceError(f"{name}: not a text file (binary data)")
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 is a superset of latin-1 for printable text; the five bytes it
        # leaves undefined fall back to latin-1 so decoding never fails.
        encoding = "cp1252"
        text = data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
    return _checked(normalize_text(text), name), encoding


def _checked(text: str, name: str) -> str:
    sample = text[:8192]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise SourceError(f"{name}: not a text file (control characters)")
    return text


def _utf16(data: bytes) -> str | None:
    """'utf-16' for UTF-16 with a byte-order mark, 'utf-16-le'/'-be' for text without one
    (every other byte NUL: ASCII and Swedish letters alike), else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_source(path: str | os.PathLike) -> SourceText:
    """Read and decode one file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise SourceError(f"{shown(str(p))}: is a directory") from None
    except OSError as exc:
        raise SourceError(f"{shown(str(p))}: cannot read ({(exc.strerror or str(exc)).lower()})") from None
    text, encoding = decode(data, shown(str(p)))
    return SourceText(str(p), text, hashlib.sha1(data).hexdigest(), encoding)


@dataclass(frozen=True)
class Found:
    """A source file and its name: the path relative to the folder given, without its suffix
    (``sub/protokoll``), or the file's stem when it was named directly.  Ids are made from names."""

    path: Path
    name: str


def find_sources(paths: list[str]) -> tuple[list[Found], list[str]]:
    """Expand files and folders into source files, sorted; also the problems met (one line each).

    Folders contribute their ``.txt``-like files, recursively, hidden ones skipped;
    a file named directly is taken whatever its suffix.  A file reached more than
    once is taken once, named by the outermost folder that holds it (so that the
    order of the paths changes nothing).
    """
    named: dict[Path, tuple[int, str, Path]] = {}  # resolved -> (rank, name, path as met)
    problems: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            depth = len(p.resolve().parts)
            for sub in _walk(p, problems):
                rel = sub.relative_to(p)
                if sub.suffix.lower() in TEXT_SUFFIXES:
                    _take(named, sub, (depth, rel.with_suffix("").as_posix()))
        elif p.exists():
            _take(named, p, (10**6, p.stem))
        else:
            problems.append(f"{p}: no such file or folder")
    found = [Found(path, name) for _, (_, name, path) in sorted(named.items(), key=lambda kv: str(kv[0]))]
    return found, problems


def _walk(folder: Path, problems: list[str]):
    """The files below a folder, hidden ones and hidden folders left out; a folder that cannot be
    read is named in ``problems`` (and the rest still walked)."""

    def unreadable(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot read folder ({(exc.strerror or str(exc)).lower()})")

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(top) / name


def _take(named: dict, path: Path, rank_name: tuple[int, str]) -> None:
    key = path.resolve()
    if key not in named or rank_name < named[key][:2]:
        named[key] = (*rank_name, path)
