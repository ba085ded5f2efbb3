"""Word ``.docx`` to text: the page header, then paragraphs and table rows in document order.

A .docx is a zip of XML parts.  The main part is read as a stream (lxml's
``iterparse``, each element let go once read), so that memory stays bounded
whatever the file holds, with limits a real protocol never reaches: a part
that unpacks to more than MAX_XML bytes (a zip bomb) or a text of more than
MAX_CHARS characters is refused in one line.  Entities are never expanded nor
fetched (a DTD is no part of a Word file); the text around an entity
reference is kept.

What becomes text:

- a paragraph is a line (``w:t`` text, a tab as a tab, a line break as a
  line break); tracked deletions, field codes and the fallback copy of a
  drawing are left out;
- a table row is laid out as a PDF of it reads: its cells side by side,
  apart by a column gap (four spaces, as the PDF reader writes a wide gap),
  a cell's paragraphs on lines of their own, line by line across the row; a
  cell merged across columns counts once, and one merged down a column
  stands in each row it covers, as Word shows it;
- a text box is read after the paragraph that anchors it (signatures and
  stamps stand in them);
- the first section's page header comes first: committee and date often
  stand there.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from .errors import SourceError

MAX_XML = 64 * 2**20  # bytes of XML one part may unpack to (a 1,000-page protocol's main part has a few MB)
MAX_CHARS = 20_000_000  # characters of text one document may hold (about 8,000 pages)
COLUMN_GAP = "    "  # between the cells of a row: what the PDF reader writes between columns

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

# Elements whose content is no text of the document: deleted text, field codes, a drawing's fallback copy.
_SKIPPED = {W + "del", W + "instrText", W + "delInstrText", _MC_FALLBACK, W + "moveFrom"}
_BREAKS = {W + "br": "\n", W + "cr": "\n", W + "tab": "\t", W + "noBreakHyphen": "-"}


class _Limited(io.RawIOBase):
    """A stream that refuses to give more than ``limit`` bytes (what a part unpacks to)."""

    def __init__(self, stream, limit: int, name: str, part: str):
        self.stream, self.left, self.name, self.part = stream, limit, name, part

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise SourceError(f"{self.name}: the Word document's {self.part} unpacks to more than it says: "
                              f"not read (a damaged or hostile file)")
        buffer[:len(data)] = data
        return len(data)


def _events(archive: zipfile.ZipFile, part: str, name: str, limit: int = MAX_XML):
    """(event, element) of a part, streamed: entities neither expanded nor fetched."""
    from lxml import etree

    if archive.getinfo(part).file_size > limit:  # what the zip says it holds; the stream is held to it too
        raise SourceError(f"{name}: the Word document's {part} unpacks to more than {limit // 2**20} MB: "
                          f"not read (a damaged or hostile file)")
    stream = io.BufferedReader(_Limited(archive.open(part), limit, name, part), 1 << 16)
    return etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)


def _text_of(element) -> str:
    """The text of a ``w:t``: its own, and what follows each entity reference inside it."""
    parts = [element.text or ""]
    for child in element:
        parts.append(child.tail or "")
    return "".join(parts)


class _Cell:
    __slots__ = ("paragraphs", "span", "merge")

    def __init__(self):
        self.paragraphs: list[str] = []
        self.span = 1
        self.merge: str | None = None  # "restart" or "continue" where merged down a column


class _Reader:
    """The state of one part's stream: the paragraphs being read (a text box's inside its anchor's),
    the tables (a table inside a cell inside a table), and the text written so far."""

    def __init__(self, name: str):
        self.name = name
        self.out = io.StringIO()
        self.chars = 0
        self.paragraphs: list[list[str]] = []  # the open paragraphs' pieces
        self.boxes: list[list[str]] = []  # per open paragraph, the lines of its text boxes
        self.tables: list[dict] = []  # {"rows": [...], "row": [cells] | None, "above": {column: text}}
        self.cells: list[_Cell] = []
        self.skipping = 0
        self.header_id: str | None = None
        self.sections = 0

    def line(self, text: str) -> None:
        """A finished line: into the cell it stands in, or the text."""
        if self.cells:
            self.cells[-1].paragraphs.append(text)
            return
        self.chars += len(text) + 1
        if self.chars > MAX_CHARS:
            raise SourceError(f"{self.name}: the Word document holds more than {MAX_CHARS:,} characters of text: "
                              f"not read (a damaged or hostile file)")
        self.out.write(text)
        self.out.write("\n")

    def start(self, tag: str, element) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == W + "p":
            self.paragraphs.append([])
            self.boxes.append([])
        elif tag == W + "tbl":
            self.tables.append({"rows": [], "row": None, "above": {}})
        elif tag == W + "tr" and self.tables:
            self.tables[-1]["row"] = []
        elif tag == W + "tc" and self.tables:
            self.cells.append(_Cell())

    def end(self, tag: str, element) -> None:
        if tag in _SKIPPED:
            self.skipping -= 1
            return
        if self.skipping:
            return
        if tag == W + "t":
            if self.paragraphs:
                self.paragraphs[-1].append(_text_of(element))
        elif tag in _BREAKS:
            if self.paragraphs:
                self.paragraphs[-1].append(_BREAKS[tag])
        elif tag == W + "p" and self.paragraphs:
            text = "".join(self.paragraphs.pop())
            boxes = self.boxes.pop()
            if self.paragraphs:  # a paragraph inside a text box: a line after its anchor's
                self.boxes[-1] += [text, *boxes]
            else:
                self.line(text)
                for box_line in boxes:
                    self.line(box_line)
        elif tag == W + "gridSpan" and self.cells:
            value = element.get(W + "val", "1")
            self.cells[-1].span = max(1, min(int(value), 64)) if value.isdigit() else 1
        elif tag == W + "vMerge" and self.cells:
            self.cells[-1].merge = "restart" if element.get(W + "val") == "restart" else "continue"
        elif tag == W + "tc" and self.cells and self.tables:
            cell = self.cells.pop()
            if self.tables[-1]["row"] is not None:
                self.tables[-1]["row"].append(cell)
        elif tag == W + "tr" and self.tables and self.tables[-1]["row"] is not None:
            self._row(self.tables[-1])
        elif tag == W + "tbl" and self.tables:
            table = self.tables.pop()
            lines = table["rows"]
            if self.cells:  # a table inside a cell: its rows are lines of that cell
                self.cells[-1].paragraphs += lines
            else:
                self.line("")
                for row in lines:
                    self.line(row)
                self.line("")
        elif tag == W + "headerReference" and self.sections == 0 and self.header_id is None:
            if element.get(W + "type", "default") == "default":
                self.header_id = element.get(_R_ID)
        elif tag == W + "sectPr":
            self.sections += 1

    def _row(self, table: dict) -> None:
        """A table row as lines: each grid column's cell once (a cell merged down taken from above), the
        cells side by side apart by a column gap, their paragraphs line by line."""
        texts: list[list[str]] = []
        column = 0
        for cell in table["row"]:
            lines = [p.strip() for p in cell.paragraphs if p.strip()]
            if cell.merge == "continue":
                lines = table["above"].get(column, [])
            elif cell.merge == "restart":
                table["above"][column] = lines
            else:
                table["above"].pop(column, None)
            texts.append(lines)
            column += cell.span
        table["row"] = None
        cells = [t for i, t in enumerate(texts) if t and (i == 0 or t != texts[i - 1])]
        for k in range(max((len(c) for c in cells), default=0)):
            table["rows"].append(COLUMN_GAP.join(c[k] for c in cells if k < len(c)))


def _read_part(archive: zipfile.ZipFile, part: str, name: str) -> _Reader:
    from lxml import etree

    reader = _Reader(name)
    try:
        for event, element in _events(archive, part, name):
            tag = element.tag
            if not isinstance(tag, str):  # an entity reference, read with its w:t
                continue
            if event == "start":
                reader.start(tag, element)
                continue
            reader.end(tag, element)
            element.clear(keep_tail=True)  # let go of what has been read, and of the siblings read before it:
            parent = element.getparent()  # the tree holds the path to the element being read, little more
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"{name}: not a readable Word document (damaged XML in {part}: {exc})") from None
    return reader


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    """The main document part, as the package's relationships name it (word/document.xml as a rule)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for event, element in _events(archive, "_rels/.rels", name, limit=2**20):
            if event == "end" and element.tag == _REL and element.get("Type") == _OFFICE_DOCUMENT:
                target = element.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise SourceError(f"{name}: not a readable Word document (it has no main document part)")


def _header_part(archive: zipfile.ZipFile, main: str, rid: str, name: str) -> str | None:
    """The part a relationship id of the main part names (its page header)."""
    folder, file = posixpath.split(main)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    if rels not in archive.namelist():
        return None
    for event, element in _events(archive, rels, name, limit=4 * 2**20):
        if event == "end" and element.tag == _REL and element.get("Id") == rid:
            target = posixpath.normpath(posixpath.join(folder, element.get("Target", "")))
            return target if target in archive.namelist() else None
    return None


def docx_text(data: bytes, name: str) -> str:
    """The text of a Word document (see the module's docstring); SourceError, one line, when it cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"{name}: not a readable Word document ({type(exc).__name__})") from None
    with archive:
        try:
            main = _main_part(archive, name)
            body = _read_part(archive, main, name)
            head = ""
            if body.header_id:
                part = _header_part(archive, main, body.header_id, name)
                if part:
                    head = "".join(line + "\n" for line in _read_part(archive, part, name).out.getvalue()
                                   .splitlines() if line.strip())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
            raise SourceError(f"{name}: not a readable Word document ({type(exc).__name__}: {exc})") from None
    text = head + body.out.getvalue()[:-1]  # the lines, each ended but the last
    if not text.strip():
        raise SourceError(f"{name}: empty file")
    return text
