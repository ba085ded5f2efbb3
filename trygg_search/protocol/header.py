"""The front matter of a protocol: date, time and place, the attendance lists, the signers, and the
body that met.
"""

from __future__ import annotations

import re
from ..records import Attendee, Meeting
from .attendance import _ROLE_WITH_NAMES, _cells_as_text, _people, _person_line, _replacements
from .dates import _time, parse_date
from .ranges import _RANGE_ITEM
from .signers import _SIGNATURES_COLUMN, _SIGNATURE, _SIGNER_LABEL, _SIGNER_ROLE, _SIGNER_WORD, _sign, _signer_names
from .vocabulary import (BODY_DEFINITE, BODY_FORMS, BODY_GENITIVE, BODY_INDEFINITE, _BODY, _DOCUMENT_WORDS,
                         _HEADER_KEYS, _ROLE_HEADINGS)


def parse_header(lines: list[str], span: tuple[int, int] | None = None) -> Meeting:
    """The lines before the first paragraph -> a Meeting with the header fields and attendance
    (``span``: the §§ the meeting declares, for ``t.o.m. 20``, ``ej 13`` and bare numbers)."""
    h: dict = {}
    adjusters: list[str] = []
    attendance: list[Attendee] = []
    role: str | None = None
    pending: list[str] | None = None  # the roles of signers' labels read, the names still to come
    first_text: str | None = None
    for line in lines:
        s = _cells_as_text(line.strip())
        if not s:
            continue
        if first_text is None:
            first_text = s
        key = _HEADER_KEYS.match(s)
        if key:
            label, value = key.group(1).lower(), key.group(2).strip()
            if label in ("datum", "sammanträdesdatum"):
                h["date"] = h.get("date") or parse_date(value)
            elif label in ("tid", "klockan"):
                h["time"] = _time(value)
            else:
                h["place"] = value
            role = None
            continue
        heading = next((r for rx, r in _ROLE_HEADINGS if rx.match(s.rstrip(":"))), None)
        if heading:
            role = heading
            continue
        with_names = _ROLE_WITH_NAMES.match(s)
        if with_names:
            role = next(r for rx, r in _ROLE_HEADINGS if rx.match(with_names.group("label")))
            attendance += _people(with_names.group("rest"), role, span)
            continue
        # "Underskrifter    Sekreterare    Paragrafer 1–9": the signatures' label column, then a signer's label
        s = _SIGNATURES_COLUMN.sub("", s)
        signer = _SIGNER_LABEL.match(s)
        if signer:  # "Justerare: Bengt Berg", "Sekreterare ......... Hans Holm", or the label alone, the name below
            names = _signer_names(signer.group("rest"))
            more_labels = [w for w in re.split(r"\s{3,}", signer.group("rest").strip(" .…_:")) if w]
            if not names and re.match(r"\s{3,}\S", s[signer.end("label"):]) and not _SIGNER_WORD.search(signer.group("rest")):
                # the label in a cell of its own, beside what is no name ("Paragrafer 1–9"): the name below
                pending, role = [_SIGNER_ROLE[signer.group("label").lower()[:4]]], None
                continue
            if names or all(_SIGNER_WORD.fullmatch(w) for w in more_labels):  # a name, or labels side by side
                # a run of them on one line: "Sekreterare Ingela Carlsson Ordförande Lars Aronsson Justerare …"
                labels = list(_SIGNER_WORD.finditer(s))
                for here, after in zip(labels, labels[1:] + [None]):
                    found = _signer_names(s[here.end():after.start() if after else len(s)])
                    if found:
                        _sign(h, adjusters, _SIGNER_ROLE[here.group(0).lower()[:4]], found)
                    elif after is None or here is labels[0]:
                        break
                if not names:  # the names on a line below; labels side by side, the names in their columns
                    pending = [_SIGNER_ROLE[m.group(0).lower()[:4]] for m in labels] or \
                        [_SIGNER_ROLE[signer.group("label").lower()[:4]]]
                role = None
                continue
        if pending:
            cells = re.split(r"\s{3,}", line.strip())
            if len(pending) > 1 and len(cells) == len(pending) and all(_signer_names(c) for c in cells):
                for signer_role, cell in zip(pending, cells):
                    _sign(h, adjusters, signer_role, _signer_names(cell))
                pending = None
                continue
            names = _signer_names(s)
            if names:
                _sign(h, adjusters, pending[0], names)
                pending = None
                continue
            if s.strip(" .…_"):
                pending = None
        sig = _SIGNATURE.match(s)
        if sig:
            name = re.sub(r"\s*\([^)]*\)\s*$", "", sig.group("name")).strip()
            kind = sig.group("role").lower()
            if kind.startswith("ordf"):
                h["chair"] = h.get("chair") or name
            elif kind.startswith("sekr"):
                h["secretary"] = h.get("secretary") or name
            elif name not in adjusters:
                adjusters.append(name)
            person = _person_line(s, role, span) if role else None
            if person:  # "Anders Åhrlin (M), ordförande" inside a list of members
                attendance.append(person)
            else:
                role = None
            continue
        if re.match(rf"^Paragraf(?:er)?\s+{_RANGE_ITEM}", s, re.I):  # "Paragraf 22–26" ends the lists
            role = None
            continue
        if role:
            if re.match(r"^ersätter\s", s, re.I) and attendance:
                # A continuation line: another replacement for the person above.
                prev = attendance[-1]
                attendance[-1] = Attendee(
                    prev.name, prev.role, prev.party, prev.title, prev.paragraphs,
                    prev.partial, prev.replaces + _replacements(s, span),
                )
                continue
            people = _people(s, role, span)
            if people:
                attendance += people
                continue
            role = None
    if first_text and not _HEADER_KEYS.match(first_text) and len(first_text) < 120:
        if not any(rx.match(first_text) for rx, _ in _ROLE_HEADINGS):
            h["committee"] = first_text
    return Meeting(kind="protocol", adjusters=tuple(adjusters), attendance=tuple(attendance), **h)


# The labels of a front page, where a flattened page (one line for the whole page) is cut back into lines.
_FRONT_LABELS = re.compile(
    r"\s(?=(?:Beslutande|Närvarande ledamöter|Ledamöter|Tjänstgörande ersättare|Tjg ersättare|Närvarande ersättare|Ersättare|"
    r"Ej tjänstgörande ersättare|Övriga närvarande|Övriga deltagande|Övriga deltagare|Övriga|Utses att justera|"
    r"Justerare|Justeringens|Plats och tid|Tid och plats|Paragrafer|Paragraf|Underskrifter|Sekreterare|Tjänstemän|Tjänstepersoner)\b)"
)


def _unflattened(front: list[str]) -> list[str]:
    """Front matter with each long line (a page flattened to one line) cut before its list labels."""
    out: list[str] = []
    for line in front:
        line = _SITE_DROPPED.sub("Beslutande", line)
        out += _FRONT_LABELS.split(line) if len(line) > 200 else [line]
    return out


# A document site's transcript drops "Beslut" from the words it begins: "ande Kristin Kellander (L)" is the
# list of members (Beslutande) -- read so where a name with its party follows.
_SITE_DROPPED = re.compile(r"(?<![\wåäö])ande(?=\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+){1,2}\s*\()")


_COMMITTEE_LABEL = re.compile(r"(?<![\wåäö])(?:Organ|Forum|Nämnd|Instans|Beslutsinstans)\s*:?\s+(?P<value>[^\n]+)")


_NAME_JOINERS = {"och", "för", "i", "med", "&"}


_GENITIVE_BODY = re.compile(
    rf"(?<![\wåäö-])(?P<name>[A-ZÅÄÖ][\wåäö-]*{BODY_INDEFINITE})s"
    r"\s+(?:protokoll|sammanträde|beslut)\b"
)


# The definite genitive, as a document's first words: "Socialnämndens protokoll" (further down, "Arbetsutskottets
# protokoll" is an agenda's item about another body's minutes).
_GENITIVE_TOP = re.compile(r"\W*(?P<name>(?:[A-ZÅÄÖ][a-zåäö]+a\s+[a-zåäö]*|[A-ZÅÄÖ][\wåäö-]*)"
                           rf"{BODY_DEFINITE})s"
                           r"\s+(?:protokoll|sammanträde)\b")


_MEETING_OF = re.compile(r"\bsammanträde(?:t)?\s+med\s+(?P<value>(?:[\wåäöÅÄÖ-]+\s+){0,5}?[\wåäöÅÄÖ-]+"
                         rf"{BODY_FORMS})\b", re.IGNORECASE)


_GENITIVE_BODY_FOR = re.compile(  # "nämnden för support och lokalers protokoll"
    rf"(?<![\wåäö-])(?P<name>{BODY_DEFINITE}\s+för\s+[a-zåäö]+(?:\s+(?:och\s+)?[a-zåäö]+){0,3}?)s"
    r"\s+(?:protokoll|sammanträde)\b",
    re.IGNORECASE,
)


def committee_name(front: list[str]) -> str | None:
    """The body that met, from the front matter, by what says it best: a label (Organ, Forum, Nämnd); the body
    whose protocol or meeting it is ("Kommunfullmäktiges protokoll är justerat"); a line that is nothing but
    the body's name (with PROTOKOLL, a date, a page number); the first body named near the top.  Read in
    the case a name is written (KOMMUNSTYRELSEN -> Kommunstyrelsen); an agenda's titles further down are
    not the body that met."""
    text = "\n".join(front)
    for m in _COMMITTEE_LABEL.finditer(text):
        name = _body_in(m.group("value"))
        if name:
            return name
    m = _GENITIVE_BODY.search(text) or _GENITIVE_BODY_FOR.search(text) or _GENITIVE_TOP.match(text)
    if m:
        name = m.group("name")
        return name[:1].upper() + name[1:]
    for m in _MEETING_OF.finditer(text):  # "Avser sammanträde med Kommunfullmäktige"
        name = _body_in(m.group("value"))
        if name:
            return name
    for line in front[:15]:
        name = _body_in(line)
        if name:
            rest = [w for w in re.findall(r"[^\W\d_][\w-]*", line) if not _DOCUMENT_WORDS.match(w)]
            if len(rest) == len(name.split()):
                return name
    used = 0  # the first 400 characters of the front matter
    for line in front:
        if used >= 400:
            break
        name = _body_in(line[: 400 - used])
        if name:
            return name
        used += len(line) + 1
    return None


_DECIDES = re.compile(rf"(?P<body>(?:[A-ZÅÄÖ][\wåäö-]*\s+)?(?:och\s+)?[\wåäö-]*{BODY_FORMS})"
                      r"\s+(?:beslutar|beslöt|beslutade)\b")


def deciding_body(lines: list[str]) -> str | None:
    """The body that decides in the §§ (``Kommunstyrelsen beslutar …``), most often named so: a last resort
    for a protocol without a front page or running heads."""
    counts: dict[str, int] = {}
    for line in lines:
        for m in _DECIDES.finditer(line):
            name = _body_in(m.group("body"))
            if name and m.group("body")[:1].isupper():  # at a sentence's start: the body deciding, not proposed to
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _body_in(line: str) -> str | None:
    """The first body name in a line: the word that names the body and what belongs to the name before it
    (Barn- och utbildningsnämnden, Kommunstyrelsens arbetsutskott, Tekniska nämnden), and a ``för …`` phrase
    after it that ends the line."""
    words = [w.strip(",.:;()\"'“”‘’") for w in line.split()]
    if line.isupper():  # "TEKNISKA NÄMNDEN", "PROTOKOLL BARN- OCH UTBILDNINGSNÄMNDEN": read as written in text
        body = next((k for k, w in enumerate(words) if _BODY.search(w) or BODY_GENITIVE.search(w)), len(words))
        words = [w.lower() if k >= body or w.lower() == "och" else w.capitalize() for k, w in enumerate(words)]
    for k, word in enumerate(words):
        if not _BODY.search(word) or not re.search(r"[^\W\d_]{3}", word):
            continue
        start = k
        while start > 0:
            prev, here = words[start - 1], words[start]
            if prev.endswith("-") or (prev.lower() == "och" and start >= 2 and words[start - 2].endswith("-")):
                start -= 1  # Barn- och utbildningsnämnden
            elif BODY_GENITIVE.search(prev):
                start -= 1  # Kommunstyrelsens arbetsutskott
            elif prev.islower() and start >= 2 and BODY_GENITIVE.search(words[start - 2]):
                start -= 1  # Kommunstyrelsens allmänna utskott
            elif start == k and here[:1].islower() and prev[:1].isupper() and prev[1:].islower() \
                    and not _DOCUMENT_WORDS.match(prev):
                start -= 1  # Tekniska nämnden
                break
            else:
                break
        end = k + 1
        tail = words[end:]
        if tail and tail[0].lower() in ("för", "i"):
            run = next((n for n, w in enumerate(tail) if not w.islower()), len(tail))  # up to a capital: the line went on
            if 1 < run <= 5 and (run == len(tail) or tail[run][:1].isupper()):
                end += run  # "utskott för socialt förebyggande arbete" (then "Datum: …" on a flattened page)
        name = " ".join(words[start:end])
        if len(name) < 5 or len(name.split()) > 9:
            continue
        name = name[:1].upper() + name[1:].lower() if name.isupper() else name
        return name[:1].upper() + name[1:]
    return None


_ATTENDANCE_ELSEWHERE = re.compile(
    r"\b(?:enligt\s+(?:särskild\s+|bifogad\s+)?(?:närvarolista|förteckning|bilaga)|se\s+(?:bilaga|sid\.?\s*\d+))",
    re.IGNORECASE,
)
