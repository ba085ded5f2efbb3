"""A whole document: its kind (protocol, notice, other), header and paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator
from ..records import Meeting, Paragraph
from .attendance import presence_at
from .clean import _join_text, clean_lines
from .contents import _contents
from .dates import _dated, meeting_date, parse_date
from .header import _ATTENDANCE_ELSEWHERE, _unflattened, committee_name, deciding_body, parse_header
from .headings import _CALLS_ITSELF_PROTOCOL, _WHEN_WHERE, _heads, _says_agenda
from .layout import Layout
from .paragraphs import _paragraphs
from .sections import _sections_of


def detect(lines: list[str], layout: "Layout | None" = None) -> str:
    """protocol (has § headings or a contents list of §§), notice (an agenda that says it is one, or a
    dated header, with numbered items) or other."""
    layout = layout or Layout.of(lines)
    lines = layout.lines
    def items() -> int:
        return len(_heads(lines, "notice", layout)) or len(layout.agenda)

    if _says_agenda(lines):
        return "notice" if items() >= 1 else "other"
    if _heads(lines, "protocol", layout) or layout.contents:
        return "protocol"
    top = "\n".join(lines[:40])
    dated = re.search(r"^(Datum|Sammanträdesdatum)\s*(?::|$)", top, re.M | re.I)  # "Datum:", or a label alone
    return "notice" if dated and _WHEN_WHERE.search(top) and items() >= 1 else "other"


def plain_meeting(text: str, source: str | None = None) -> Meeting:
    """The document as plain text, a section per page, titled by its first line: what ingest indexes
    where the parser failed on a file (a bug), so that no file is lost to it."""
    paragraphs = []
    for page in text.split("\f"):
        page = page.strip()
        if page:
            paragraphs.append(Paragraph(None, page.split("\n", 1)[0].strip()[:100], page))
    return Meeting(kind="other", source=source, paragraphs=tuple(paragraphs))


def parse_meeting(text: str, source: str | None = None) -> Meeting:
    """Parse a whole document.  Never raises on arbitrary text."""
    header, paragraphs = read_meeting(text, source)
    return replace(header, paragraphs=tuple(paragraphs))


def read_meeting(text: str, source: str | None = None) -> tuple[Meeting, Iterator[Paragraph]]:
    """The document's header (a Meeting without paragraphs), and its paragraphs one at a time:
    what ingest reads, so that a file of any size is never held parsed whole."""
    removed: list[str] = []
    lines, running_heads = clean_lines(text, removed)
    del text
    layout = Layout.of(lines)
    removed = [line for line in removed if line]
    lines = layout.lines
    kind = detect(lines, layout)
    if kind == "other":
        date = None
        for line in reversed(lines):  # the signature date: "Örebro 2023- 12-11"
            if re.match(r"^[A-ZÅÄÖ][\wåäö]+,?\s+\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}\s*$", line.strip()):
                date = parse_date(line)
                break
        front = lines[:60]
        date = date or meeting_date(front)
        read = parse_header(_unflattened(front), layout.declared)  # a protocol whose §§ were not found still lists them
        # A protocol whose § headings were not found (or an excerpt of its front page) is still one
        # when it says so at its top or lists who attended: its text is indexed as sections, with its signers.
        protocol = not _says_agenda(lines) and (len(read.attendance) >= 3 or any(
            _CALLS_ITSELF_PROTOCOL.search(line) for line in lines[:10]))
        signers = {"chair": read.chair, "secretary": read.secretary, "adjusters": read.adjusters} if protocol else {}
        header = Meeting(kind="protocol" if protocol else "other", committee=committee_name(front),
                         attendance=read.attendance, source=source, **signers, **_dated(date, source),
                         layout=layout.mode, removed=tuple(removed))
        return header, iter(_sections_of(lines))

    heads = _heads(lines, kind, layout)
    front = lines[: heads[0][0]] if heads else lines[:60]
    header = parse_header(_unflattened(front), layout.declared)
    date = header.date or meeting_date(front)
    for head in running_heads:  # Göteborg: committee and date only in running heads
        if date is None and parse_date(head) and re.search(r"datum", head, re.I):
            date = parse_date(head)
    committee = committee_name(front) or committee_name(running_heads) or deciding_body(lines)
    note = None if header.attendance else _ATTENDANCE_ELSEWHERE.search("\n".join(front))
    header = replace(header, kind=kind, committee=committee, source=source,
                     attendance_note=note.group(0) if note else None, **_dated(date, source))
    listed = layout.contents if kind == "protocol" else ({} if heads else layout.agenda)
    contents = {**{e.number: (e.title, e.case) for e in listed.values()}, **_contents(front)}
    before = _join_text(lines[: heads[0][0]] if heads else lines)  # the front page; all of a text whose §§ are only listed
    header = replace(header, front=before if re.search(r"[^\W\d_]", before) else "", layout=layout.mode,
                     removed=tuple(removed))
    return header, _paragraphs(lines, heads, presence_at(header.attendance), contents)
