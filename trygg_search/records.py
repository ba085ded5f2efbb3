"""The parsed shape of a meeting document: frozen records with ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

# How a document is read into these records and an index's records (the protocol parser, the case-number
# grammar, the acronyms a text defines).  Raise it whenever any document is read into other records (a rule
# added or changed): an index records the version its files were read with, and the next
# ingest into an index read with another version reads every file again (the index is built anew);
# searches go on as before meanwhile.  tests/test_parser_version.py holds what this version reads of the
# bundled corpus and the real protocols, and fails until it is raised when that changes.
PARSER_VERSION = 1


def changed_parser(recorded) -> str | None:
    """Why an index's files must be read again, where they were read by another version of the parser
    than this one (``recorded``: the index's); None where it is this one."""
    if recorded == PARSER_VERSION:
        return None
    if type(recorded) is not int:
        return "its files were read by a parser that did not record its version"
    return f"its files were read by parser version {recorded}, this trygg-search reads with {PARSER_VERSION}"


@dataclass(frozen=True)
class Replacement:
    """A substitute's stand-in: whom they replaced, and at which §§ (empty = the whole meeting)."""

    name: str
    party: str | None = None
    paragraphs: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {"name": self.name, "party": self.party, "paragraphs": list(self.paragraphs)}


@dataclass(frozen=True)
class Attendee:
    """One line of an attendance list.

    ``paragraphs`` empty means present for the whole meeting; ``partial`` marks
    "Del av § 11" (present for part of that §).
    """

    name: str
    role: str  # ledamot | tjänstgörande ersättare | närvarande ersättare | övrig
    party: str | None = None
    title: str | None = None
    paragraphs: tuple[int, ...] = ()
    partial: bool = False
    replaces: tuple[Replacement, ...] = ()

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "party": self.party,
            "role": self.role,
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "partial": self.partial,
            "replaces": [r.to_dict() for r in self.replaces],
        }


@dataclass(frozen=True)
class Person:
    """Someone who proposed, reserved or noted something: a name and the party's letters, as written."""

    name: str
    party: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "party": self.party}


@dataclass(frozen=True)
class Proposal:
    """A yrkande: who made it, their parties, what it asks (bifall, avslag, återremiss, ändring, tillägg,
    other) and the sentence."""

    by: tuple[Person, ...]
    parties: tuple[str, ...]
    kind: str
    text: str

    def to_dict(self) -> dict:
        return {"by": [p.to_dict() for p in self.by], "parties": list(self.parties), "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class RollCall:
    name: str
    party: str | None
    vote: str  # ja | nej | avstår

    def to_dict(self) -> dict:
        return {"name": self.name, "party": self.party, "vote": self.vote}


@dataclass(frozen=True)
class Vote:
    """An omröstning: the proposition voted on, the counts, the winning side (ja, nej, lika), the roll
    call where the protocol lists it and the appendix where it refers to one."""

    proposition: str | None
    yes: int
    no: int
    abstained: int | None = None
    absent: int | None = None
    outcome: str = "lika"
    roll_call: tuple[RollCall, ...] = ()
    appendix: str | None = None

    def to_dict(self) -> dict:
        return {"proposition": self.proposition, "yes": self.yes, "no": self.no, "abstained": self.abstained,
                "absent": self.absent, "outcome": self.outcome, "roll_call": [r.to_dict() for r in self.roll_call],
                "appendix": self.appendix}


@dataclass(frozen=True)
class Reservation:
    by: tuple[Person, ...]
    parties: tuple[str, ...]
    written: bool
    text: str

    def to_dict(self) -> dict:
        return {"by": [p.to_dict() for p in self.by], "parties": list(self.parties), "written": self.written,
                "text": self.text}


@dataclass(frozen=True)
class Note:
    """A protokollsanteckning or a särskilt yttrande."""

    kind: str
    by: tuple[Person, ...]
    parties: tuple[str, ...]
    text: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "by": [p.to_dict() for p in self.by], "parties": list(self.parties),
                "text": self.text}


@dataclass(frozen=True)
class Decisions:
    """How a § was decided (protocol.decisions): proposals, votes, reservations, notes and the outcome
    (bifall, avslag, återremiss, bordläggning, enligt förslag, or None where the § does not say)."""

    proposals: tuple[Proposal, ...] = ()
    votes: tuple[Vote, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    notes: tuple[Note, ...] = ()
    outcome: str | None = None

    def to_dict(self) -> dict:
        return {"proposals": [p.to_dict() for p in self.proposals], "votes": [v.to_dict() for v in self.votes],
                "reservations": [r.to_dict() for r in self.reservations], "notes": [n.to_dict() for n in self.notes],
                "outcome": self.outcome}

    def __bool__(self) -> bool:
        return bool(self.proposals or self.votes or self.reservations or self.notes or self.outcome)


@dataclass(frozen=True)
class Paragraph:
    """A § of a protocol, an item of a notice, or a headed section of another document."""

    number: int | None
    title: str
    text: str
    case_number: str | None = None
    officers: tuple[str, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()
    participants: tuple[str, ...] = ()
    case_numbers: tuple[str, ...] = ()  # every one the § is filed under (case_number is the first)
    recused: tuple[str, ...] = ()  # members present who took no part in it for a conflict of interest (jäv)
    decisions: Decisions = field(default_factory=Decisions)  # who proposed, how it was voted, who reserved

    def section(self, name: str) -> str | None:
        """The text of the named section (case-insensitive), or None."""
        wanted = name.casefold()
        for heading, body in self.sections:
            if heading.casefold() == wanted:
                return body
        return None

    def to_dict(self) -> dict:
        return {
            "paragraph": self.number,
            "title": self.title,
            "case_number": self.case_number,
            "case_numbers": list(self.case_numbers),
            "officers": list(self.officers),
            "participants": list(self.participants),
            "recused": list(self.recused),
            "sections": dict(self.sections),
            "decisions": self.decisions.to_dict(),
            "text": self.text,
        }


@dataclass(frozen=True)
class Meeting:
    """One source document: its header and its paragraphs."""

    kind: str  # protocol | notice | other
    committee: str | None = None
    date: str | None = None  # ISO 8601
    time: str | None = None
    place: str | None = None
    chair: str | None = None
    secretary: str | None = None
    adjusters: tuple[str, ...] = ()
    attendance: tuple[Attendee, ...] = ()
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)
    source: str | None = None
    date_source: str | None = None  # "text", or "file name" where the text gave none
    attendance_note: str | None = None  # "Enligt närvarolista": the list stands elsewhere
    front: str = ""  # what stands before the first § (front page, contents list): indexed as a record of its own
    layout: str | None = None  # how the text was laid out: lines, pages or numbered pages (pages flattened to lines)
    removed: tuple[str, ...] = ()  # the furniture lines taken out (running heads, page footers): in no record

    def missing(self) -> list[str]:
        """What the parser could not find: date (in the text), committee, paragraphs (read as sections), attendance."""
        out = []
        if self.date_source != "text":
            out.append("date")
        if not self.committee:
            out.append("committee")
        if self.kind == "other":
            out.append("paragraphs")
        if not self.attendance:
            out.append("attendance")
        return out

    def missing_expected(self) -> list[str]:
        """What is missing of what this kind of document should hold (an attendance list: a protocol only)."""
        return [m for m in self.missing() if m != "attendance" or self.kind == "protocol"]

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "kind": self.kind,
            "committee": self.committee,
            "date": self.date,
            "date_source": self.date_source,
            "missing": self.missing(),
            "attendance_note": self.attendance_note,
            "time": self.time,
            "place": self.place,
            "chair": self.chair,
            "secretary": self.secretary,
            "adjusters": list(self.adjusters),
            "attendance": [a.to_dict() for a in self.attendance],
            "layout": self.layout,
            "front": self.front,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "removed": list(self.removed),
        }
