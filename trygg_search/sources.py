"""Finding and decoding input files: the only place that reads source documents."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .textnorm import normalize_text

# What a folder contributes (.doc and .rtf only to be named: they cannot be read, and should not pass unseen)
TEXT_SUFFIXES = {".txt", ".text", ".md", ".pdf", ".docx", ".doc", ".rtf"}

# Control characters that never occur in a real text document (form feed, tab,
# CR and LF excluded).  Many of them mean the file is binary.
_CONTROL_CHARS = re.compile("[" + "".join(chr(c) for c in range(32) if c not in (9, 10, 12, 13)) + "\x7f]")


def shown(path: str) -> str:
    """A path as the index stores and shows it: bytes of a file name that are not UTF-8 become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class SourceText:
    """A decoded source file: its path, text, content hash, the encoding (or ``pdf``/``docx``) and
    what could not be read of it (pages without a text layer), one line each."""

    path: str
    text: str
    sha1: str
    encoding: str
    problems: tuple[str, ...] = ()


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


def _not_regular(mode: int) -> str | None:
    """What a file is where it is not a regular file (``a FIFO``), else None."""
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def file_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be read as a document without even opening it (a link that leads nowhere or to
    itself, a FIFO, a device, a socket, a folder), or None: it is a regular file, or a link to one."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that leads to itself (a loop): skipped"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return f"a symbolic link to nothing ({os.readlink(path)}): skipped"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot read ({(exc.strerror or str(exc)).lower()})"
    what = _not_regular(mode)
    if what == "a directory":
        return "is a directory"
    return f"not a regular file ({what}): skipped" if what else None


def read_file(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file; SourceError, one line, for anything else: a FIFO is never waited on and
    a device never read (opened without blocking, and checked again once open)."""
    name = shown(str(path))
    problem = file_problem(path)
    if problem:
        raise SourceError(f"{name}: {problem}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError(f"{name}: cannot read ({(exc.strerror or str(exc)).lower()})") from None
    with os.fdopen(fd, "rb") as f:
        what = _not_regular(os.fstat(f.fileno()).st_mode)  # replaced between the look and the open
        if what:
            raise SourceError(f"{name}: not a regular file ({what}): skipped")
        try:
            return f.read()
        except OSError as exc:
            raise SourceError(f"{name}: cannot read ({(exc.strerror or str(exc)).lower()})") from None


PAGES_EVERY = 100  # pages of a PDF between progress reports


def read_source(path: str | os.PathLike, pages=None) -> SourceText:
    """Read and decode one file; ``pages(n)`` is told every PAGES_EVERY pages of a PDF read."""
    p = Path(path)
    data = read_file(p)
    name = shown(str(p))
    sha1 = hashlib.sha1(data).hexdigest()
    suffix = p.suffix.lower()
    # A PDF's header starts it, or (a .pdf file) stands in its first kilobyte, where readers look for it too
    if data.startswith(b"%PDF-") or suffix == ".pdf" and b"%PDF-" in data[:1024]:
        text, problems = pdf_text(data, name, pages)
        return SourceText(str(p), text, sha1, "pdf", problems)
    if data.startswith(b"PK\x03\x04") and suffix == ".docx":
        return SourceText(str(p), docx_text(data, name), sha1, "docx")
    if suffix == ".doc" and data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(f"{name}: an old Word document (.doc): save it as .docx or PDF")
    if data[:64].lstrip()[:5] == b"{\\rtf":
        raise SourceError(f"{name}: an RTF document: save it as .docx or PDF")
    try:
        text, encoding = decode(data, name)
    except SourceError:  # named as a document, but neither that nor text
        if suffix == ".pdf":
            raise SourceError(f"{name}: not a PDF (no %PDF header: damaged, or another kind of file)") from None
        if suffix == ".docx":
            raise SourceError(f"{name}: not a Word document (not a zip file: damaged, or another kind of file)") \
                from None
        raise
    return SourceText(str(p), text, sha1, encoding)


def pdf_text(data: bytes, name: str, progress=None) -> tuple[str, tuple[str, ...]]:
    """The text layer of a PDF, page by page (pages joined by a form feed), and the pages that have none.

    pypdfium2 (PDFium) reads the text; a hyphen PDFium marks as a line-end
    break (U+FFFE) becomes a plain one, which the parser joins where the
    joined word is a word.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise SourceError(f"{name}: the PDF is encrypted (it needs a password): save a copy without one") from None
        raise SourceError(f"{name}: not a readable PDF ({reason})") from None
    pages: list[str] = []
    empty: list[int] = []
    try:
        for number in range(len(pdf)):
            if progress and number and number % PAGES_EVERY == 0:
                progress(number)
            page = pdf[number]
            textpage = page.get_textpage()
            text = _page_text(textpage)
            textpage.close()
            # PDFium marks a hyphen that breaks a word at a line end as U+FFFE or U+0002: the parser joins it
            text = re.sub("[\ufffe\x02](?=[ \t]*\n)", "-", text).replace("\ufffe", "").replace("\x02", "")
            if not text.strip() and pdfium.raw.FPDFPage_CountObjects(page) > 0:  # an image, no text: a scan
                empty.append(number + 1)
            page.close()
            pages.append(text)
    finally:
        pdf.close()
    if pages and empty and len(empty) == len(pages):
        raise SourceError(f"{name}: no page has a text layer (a scan): OCR it first, e.g. with ocrmypdf, "
                          f"and ingest the result")
    problems = ()
    if empty:
        listed = ", ".join(map(str, empty[:10])) + (" …" if len(empty) > 10 else "")
        problems = (f"{name}: page{'s' if len(empty) > 1 else ''} {listed} of {len(pages)} "
                    f"{'have' if len(empty) > 1 else 'has'} no text layer (a scan): OCR the file first, "
                    f"e.g. with ocrmypdf; the other pages are indexed",)
    return normalize_text("\f\n".join(pages)), problems


MAX_RECTS = 1000  # text runs on a page read one by one (PDFium scans the page for each: quadratic)


def _runs_by_rect(textpage, count: int) -> list[tuple[float, float, float, float, str]]:
    """(top, bottom, left, right, text) of each run of text PDFium finds on a page."""
    runs = []
    for i in range(count):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", " ").replace("\n", " ")
        if text.strip():
            runs.append((top, bottom, left, right, text.strip()))
    return runs


def _runs_by_char(textpage) -> list[tuple[float, float, float, float, str]]:
    """The runs of a page with more than MAX_RECTS of them, made in one pass over its characters: a run
    ends at a line break, where the text steps back or off its line, or at a gap wider than its height."""
    text = textpage.get_text_range()
    runs: list[list] = []  # [top, bottom, left, right, [chars]]
    current = None
    for i, ch in enumerate(text[:textpage.count_chars()]):
        if ch in "\r\n":
            current = None
            continue
        if ch.isspace():  # between words: part of the run it stands in (its box says little)
            if current is not None:
                current[4].append(" ")
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        height = max(current[0] - current[1], top - bottom, 1.0) if current is not None else 0.0
        if current is None or left < current[3] - height or left - current[3] > height \
                or top < current[1] or bottom > current[0]:  # back, far on, or off the run's line
            current = [top, bottom, left, right, [ch]]
            runs.append(current)
        else:
            current[4].append(ch)
            current[0], current[1], current[3] = max(current[0], top), min(current[1], bottom), max(current[3], right)
    return [(top, bottom, left, right, "".join(chars).strip()) for top, bottom, left, right, chars in runs
            if "".join(chars).strip()]


def _page_text(textpage) -> str:
    """A page's text as lines, laid out as on the page: the text runs on one baseline make a line (a wide
    gap between them becomes four spaces, as between the columns of a table), and a gap between lines
    wider than the page's usual spacing becomes a blank line, as between paragraphs."""
    count = textpage.count_rects()
    runs = _runs_by_rect(textpage, count) if count <= MAX_RECTS else _runs_by_char(textpage)
    if not runs:
        return textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    runs.sort(key=lambda r: (-r[0], r[2]))
    lines: list[list] = []  # [top, bottom, [(left, right, text)]]
    for top, bottom, left, right, text in runs:
        if lines and abs(lines[-1][0] - top) < 0.5 * max(lines[-1][0] - lines[-1][1], 1.0):
            lines[-1][2].append((left, right, text))
            lines[-1][0], lines[-1][1] = max(lines[-1][0], top), min(lines[-1][1], bottom)
        else:
            lines.append([top, bottom, [(left, right, text)]])
    heights = sorted(top - bottom for top, bottom, _ in lines)
    height = heights[len(heights) // 2]
    # The line spacing, measured at the tops of the lines (bottoms move with descenders): the smallest
    # gap at least a line high (blank lines make wider ones).
    pitches = [a[0] - b[0] for a, b in zip(lines, lines[1:]) if a[0] - b[0] >= 0.9 * height]
    usual = min(pitches) if pitches else 0
    out: list[str] = []
    previous_top = None
    for top, bottom, parts in lines:
        if previous_top is not None and usual and previous_top - top > 1.6 * usual:
            out.append("")
        parts.sort()
        height = max(top - bottom, 1.0)
        line = parts[0][2]
        for (_, right, _), (left, _, text) in zip(parts, parts[1:]):
            line += ("    " if left - right > 2 * height else " ") + text
        out.append(line)
        previous_top = top
    return "\n".join(out) + "\n"


def docx_text(data: bytes, name: str) -> str:
    """The text of a Word document: its page header, then paragraphs and table rows (see :mod:`.word`)."""
    from .word import docx_text as read

    return normalize_text(read(data, name))


@dataclass
class Sources:
    """What a list of files and folders holds: the documents, the paths that cannot be read ((path,
    reason), one line each), the notes (links not followed) and the links followed (``--follow``)."""

    found: list["Found"]
    problems: list[tuple[str, str]]
    notes: list[str]
    followed: list[str]


@dataclass(frozen=True)
class Found:
    """A source file and its name: the path relative to the folder given, without its suffix
    (``sub/protokoll``), or the file's stem when it was named directly.  Ids are made from names."""

    path: Path
    name: str


def find_sources(paths: list[str], follow: bool = False) -> Sources:
    """Expand files and folders into source files, sorted, with the problems met on the way.

    Folders contribute their ``.txt``-like files, recursively, hidden ones
    skipped; a file named directly is taken whatever its suffix.  A file
    reached more than once is taken once, named by the outermost folder that
    holds it (so that the order of the paths changes nothing).  Only regular
    files are read: a FIFO, socket or device is named and skipped, and so is a
    symbolic link that loops or leads nowhere.  A link inside a folder that leads
    outside it (to a file or a folder) is not followed unless ``follow`` says so
    (ripgrep's ``-L``), and a note names it.
    """
    named: dict[str, tuple[int, str, Path]] = {}  # resolved -> (rank, name, path as met)
    out = Sources([], [], [], [])
    for raw in paths:
        p = Path(raw)
        if os.path.isdir(p):
            root = os.path.realpath(p)
            depth = len(Path(root).parts)
            for sub in _walk(p, root, follow, out):
                if sub.suffix.lower() not in TEXT_SUFFIXES:
                    continue
                if os.path.islink(sub):
                    target = os.path.realpath(sub)  # a link that loops or leads nowhere: its problem below
                    if not _inside(target, root):
                        if not follow:
                            out.notes.append(f"{shown(str(sub))}: a link to {shown(target)}, outside {shown(str(p))}: "
                                             f"not followed (--follow follows it)")
                            continue
                        out.followed.append(shown(str(sub)))
                problem = file_problem(sub)
                if problem:
                    out.problems.append((shown(str(sub)), problem))
                    continue
                _take(named, sub, (depth, sub.relative_to(p).with_suffix("").as_posix()))
        else:
            problem = file_problem(p)
            if problem:
                out.problems.append((shown(str(p)), problem))
            else:
                _take(named, p, (10**6, p.stem))
    out.found = [Found(path, name) for _, (_, name, path) in sorted(named.items())]
    return out


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(folder: Path, root: str, follow: bool, out: Sources):
    """The files below a folder, hidden ones and hidden folders left out; a folder that cannot be
    read is named in ``out.problems`` (and the rest still walked).  A linked folder is walked only with
    ``follow``, each real folder once (a link that loops is walked no more); without, one that leads
    outside ``root`` gets a note."""
    seen: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        out.problems.append((shown(str(exc.filename)), f"cannot read folder ({(exc.strerror or str(exc)).lower()})"))

    for top, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(top)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:  # a folder met again through a link: walked once
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        keep = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            path = os.path.join(top, d)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not follow:
                    if not _inside(target, root):
                        out.notes.append(f"{shown(path)}: a link to {shown(target)}, outside {shown(str(folder))}: "
                                         f"not followed (--follow follows it)")
                    continue  # a link to a folder inside: its files are met by their own path
                out.followed.append(shown(path))
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(top) / name


def _take(named: dict, path: Path, rank_name: tuple[int, str]) -> None:
    key = os.path.realpath(path)
    if key not in named or rank_name < named[key][:2]:
        named[key] = (*rank_name, path)
