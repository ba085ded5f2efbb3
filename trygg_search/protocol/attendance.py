"""Who attended: lines of names with parties, titles, roles, § ranges and substitutes, and who was
present at each §, including those a § says took no part in it for a conflict of interest (jäv).
"""

from __future__ import annotations

import re
from dataclasses import replace
from ..records import Attendee, Replacement
from .ranges import _RANGE_ITEM, _ranges_in
from .vocabulary import _NAME_WORD, _NOT_NAME, _ROLE_WORD, _TITLE_WORD


# A list's heading and its first names on one line: "Beslutande: Leif Persson (S) ordf ..."
_ROLE_WITH_NAMES = re.compile(
    r"^(?P<label>(?:närvarande\s+|beslutande\s+)?ledamöter|(?:tjänstgörande|tjg\.?|beslutande)\s+ersättare|beslutande|"
    r"(?:närvarande\s+|ej tjänstgörande\s+|icke tjänstgörande\s+)?ersättare|övriga(?:\s+(?:närvarande|deltagande|deltagare))?"
    r"|tjänstemän|tjänstepersoner)\s*:?\s+(?P<rest>[A-ZÅÄÖÉ][\w'’.-]+\s+[A-ZÅÄÖÉ].*)$",
    re.IGNORECASE,
)


# Where a name on a line of names starts: "Name (P)" or "Name, P," -- not the one replaced ("istf Name (P)").
_PERSON_START = re.compile(
    r"(?<![\w'’-])(?!(?:Ersätter|Istf|Ersättare|Tjg|Tjänstgör\w*|Ordf\w*|Vice|Ledamot|Ej|Del|Se|Enligt)\b)"
    r"[A-ZÅÄÖÉ][a-zåäöéüø'’.-][\w'’.-]*(?:\s+(?:af|av|von|van|de)?\s*[A-ZÅÄÖÉ][a-zåäöéüø'’.-][\w'’.-]*){1,3}"
    r"(?=\s*\([A-Za-zÅÄÖåäö]{1,5}\)|,\s*(?:[A-ZÅÄÖ]{1,3}|[a-zåäö]{1,2})\s*(?:,|$|\s))"
)


_REPLACING = re.compile(r"(?:ersätter|istf\.?|i\s+st\s+f\.?|ersättare\s+för|tjg\.?\s+för|tjänstgör(?:ande)?\s+för|ers\.?\s+för|för)\s*$",
                        re.IGNORECASE)


_PARTY = re.compile(r"^\((?P<party>[A-Za-zÅÄÖåäö]{1,5})\)|^,\s*(?P<bare>[A-ZÅÄÖ]{1,3}|[a-zåäö]{1,2})(?=\s*(?:,|$))")


_NAME = re.compile(r"^(?P<name>.+?)(?=\s*(?:\(|§|\bdel av\b|\bersätter\b|\bistf\b|,|$))", re.IGNORECASE)


_REPLACES = re.compile(
    rf"(?:ersätter|istf\.?|i\s+st\s+f\.?|(?:ersättare|tjg\.?|tjänstgör(?:ande)?|ers\.?)\s+för)\s+"
    rf"(?P<name>[A-ZÅÄÖÉÜ][^()§,.]*?)\s*(?:\((?P<party>[A-Za-zÅÄÖåäö]{{1,5}})\))?"
    rf"\s*(?P<ranges>(?:(?:§§?\s*)?{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*)?)"
    rf"(?=\s*(?:,|\.|$|\bersätter\b))",
    re.IGNORECASE,
)


def _replacements(text: str, span: tuple[int, int] | None = None) -> tuple[Replacement, ...]:
    found = []
    for m in _REPLACES.finditer(text):
        ranges, _ = _ranges_in(m.group("ranges") or "", span)
        party = m.group("party")
        found.append(Replacement(m.group("name").strip(), party.upper() if party else None, ranges))
    return tuple(found)


def _person_line(line: str, role: str, span: tuple[int, int] | None = None) -> Attendee | None:
    """One attendance line -> Attendee (``Name (P) §§ 22–23``, ``Name, title § 12`` ...)."""
    line = line.strip().rstrip(".").strip()
    m = _NAME.match(line)
    if not m:
        return None
    words = m.group("name").split()
    # A name is capitalised words (particles allowed); "Digitalt justerat protokoll" is not, nor a label
    # of the front page ("Justering Justerande", "Justerare Jennie Lundgren").
    if len(words) < 2 or not all(_NAME_WORD.match(w) for w in words[:2]) or _NOT_NAME.match(words[0]):
        return None
    rest = line[m.end():].strip()
    party = None
    pm = _PARTY.match(rest)
    if pm:
        party = (pm.group("party") or pm.group("bare")).upper()
        rest = rest[pm.end():]
    rest = re.sub(r"^\s{3,}(?=[^\W\d])", ", ", rest).strip()  # a table's column gap before a title: a comma
    title = None
    if rest.startswith(","):
        rest = rest[1:].strip()
        title = re.split(r"(?:\bdel av\s+)?§|\bersätter\b|(?<![\w.])\d(?!:[ae]\b)|\b(?:t\.?\s?o\.?\s?m|fr\.?\s?o\.?\s?m|ej|utom)\b",
                         rest, maxsplit=1, flags=re.I)[0].strip(" ,") or None
    if title is None and role == "övrig" and not party:  # "Anders Edlund Planerare" (then § ranges, if any)
        if not _NAME_WORD.match(words[-1]):
            title, words = words[-1], words[:-1]
        elif len(words) >= 3 and _TITLE_WORD.search(words[-1]):
            title, words = words[-1], words[:-1]
        elif len(words) >= 3 and len(words[0]) >= 6 and _TITLE_WORD.search(words[0]):
            title, words = words[0].lower(), words[1:]  # the title first: "Kommundirektör Jan Fransson"
    replaces = _replacements(rest, span)
    ranges, partial = _ranges_in(_REPLACES.sub(" ", rest), span)
    if replaces and role == "ledamot":  # "Björn Mårtensson (S) ersättare istf Roland Bäckman (S)" among the members
        role = "tjänstgörande ersättare"
    return Attendee(" ".join(words), role, party, title, ranges, partial, replaces)


def _people(line: str, role: str, span: tuple[int, int] | None = None) -> list[Attendee]:
    """The people on a line of an attendance list: one, or several in a run ("Leif Persson (S) ordf
    Annelie Wallberg (S) Stina Michelson (S) § 62-75", "Jannike Hillding, M, Ordförande Astrid Lönn
    Jern, C"), each with what follows their name up to the next."""
    starts = [m.start() for m in _PERSON_START.finditer(line) if not _REPLACING.search(line[max(0, m.start() - 30):m.start()])]
    # Staff without parties, each with the §§ they attended: "Anna Berg, VD § 142 Per Ek, ekonom §§ 166-186"
    starts += [m.start("name") for m in _AFTER_RANGE.finditer(line)]
    if role == "övrig":  # "Ulf Johansson, förvaltningschef Liselott Björkman, sekreterare …", "Mats Ek Säkerhetschef Robert Lind …"
        starts += [m.start("name") for rx in (_AFTER_TITLE, _AFTER_TITLE_WORD) for m in rx.finditer(line)]
    starts = sorted(set(starts))
    if len(starts) <= 1:
        person = _person_line(line, role, span)
        return [person] if person else []
    people = []
    if starts[0] > 0 and line[: starts[0]].strip():
        starts.insert(0, 0)
    roles = None
    tail = _ROLE_RUN.search(line, starts[-1])
    if tail and len(_ROLE_WORD.findall(tail.group(0))) == len(starts):
        roles, line = _ROLE_WORD.findall(tail.group(0)), line[: tail.start()]
    for a, b in zip(starts, starts[1:] + [len(line)]):
        person = _person_line(line[a:b].strip(" ,;"), role, span)
        if person:
            people.append(person)
    if roles and len(roles) == len(people):  # names first, then their roles in a run of their own
        people = [_with_role(p, r) for p, r in zip(people, roles)]
    return people


_AFTER_RANGE = re.compile(
    rf"§§?\s*{_RANGE_ITEM}(?:\s*(?:,|och)\s*{_RANGE_ITEM})*\s+(?P<name>[A-ZÅÄÖ][a-zåäö]+(?:[\s-][A-ZÅÄÖ][\wåäö-]+){{1,3}},)")


_AFTER_TITLE_WORD = re.compile(
    r"(?<![\wåäö])(?=[A-ZÅÄÖ])(?i:[a-zåäö]*(?:chef|are|ör|strateg|lektor|adjunkt|ansvarig|ekonom|jurist|controller))"
    r"(?:\s+(?:§§?\s*)?\d+(?:\s*[-–]\s*\d+)?)?\s+(?P<name>[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ])")


_AFTER_TITLE = re.compile(r"[a-zåäö/)\d],?\s+(?P<name>[A-ZÅÄÖ][a-zåäöé]+(?:[\s-][A-ZÅÄÖ][\wåäö-]+){1,2},)")


_ROLE_RUN = re.compile(rf"(?<=\))\s+(?:{_ROLE_WORD.pattern})(?:\s+(?:{_ROLE_WORD.pattern}))+\s*$", re.IGNORECASE)


def _with_role(person: Attendee, role: str) -> Attendee:
    """A person with the role a run of roles gives: a chair's title, or a substitute serving (for someone)."""
    low = role.lower()
    if "ersättare" in low:
        m = re.search(r"\bför\s+(.+)$", role)
        replaces = (Replacement(m.group(1).strip()),) if m else ()
        serving = low.startswith(("tjänstgörande", "tjg")) or bool(m)
        return replace(person, role="tjänstgörande ersättare" if serving else "närvarande ersättare",
                       replaces=person.replaces + replaces)
    if "ordförande" in low:
        return replace(person, title=person.title or role)
    return person


_GAP_PARTY = re.compile(r"(?<=\S)\s{3,}(\([A-Za-zÅÄÖåäö]{1,5}\))")


_PARTY_GAP = re.compile(r"(\([A-Za-zÅÄÖåäö]{1,5}\))\s{3,}(?=[^\W\d])")


def _cells_as_text(line: str) -> str:
    """A table row of a front page (name, party, title in cells; a column gap between them, as a PDF's
    columns or a Word table read) as it is written in text: ``Anna Berg (S), ordförande``."""
    if "   " not in line:
        return line
    return _PARTY_GAP.sub(r"\1, ", _GAP_PARTY.sub(r" \1", line))


def presence_at(attendance: tuple[Attendee, ...]):
    """A function: § number -> who was present at that § and in which capacity.

    An entry without § ranges covers the whole meeting; a substitute without
    ranges of their own covers the §§ of their replacements; a member with no
    ranges of their own is absent where someone replaced them.  Asked one §
    at a time, so that a meeting of any size is never held whole.
    """
    replaced: dict[str, list[tuple[int, ...]]] = {}  # name -> the § ranges of each replacement ((): all)
    for a in attendance:
        for r in a.replaces:
            replaced.setdefault(r.name.casefold(), []).append(r.paragraphs)

    def at(ranges: tuple[int, ...], n: int) -> bool:
        return not ranges or n in ranges

    def present(n: int) -> tuple[Attendee, ...]:
        people: list[Attendee] = []
        for a in attendance:
            if a.replaces and not a.paragraphs:
                here = any(at(r.paragraphs, n) for r in a.replaces)
            elif a.paragraphs:
                here = n in a.paragraphs
            else:
                here = not any(at(ranges, n) for ranges in replaced.get(a.name.casefold(), ()))
            if here and all(p.name != a.name for p in people):
                people.append(a)
        return tuple(people)

    return present


def presence(attendance: tuple[Attendee, ...], meeting: tuple[int, ...]) -> dict[int, tuple[Attendee, ...]]:
    """Who was present at each § of ``meeting`` (see :func:`presence_at`)."""
    present = presence_at(attendance)
    return {n: present(n) for n in meeting}


def participants(attendance: tuple[Attendee, ...], meeting: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    """The names present at each §."""
    return {n: tuple(a.name for a in people) for n, people in presence(attendance, meeting).items()}


_ABSTAINER = (r"(?<![\w'’-])(?P<name>[A-ZÅÄÖÉ][\w'’-]+(?:[ \t]+(?:(?:af|av|von|van|de)[ \t]+)?[A-ZÅÄÖÉ][\w'’-]+){1,3})"
              r"[ \t]*(?:\([\wÅÄÖåäö]{1,5}\))?,?\s+")


# Who takes no part in a § for a conflict of interest: "X (C) deltar inte i handläggningen av ärendet på grund
# av jäv", "X anmäler jäv och lämnar sammanträdet", "X är jävig".
_JAV = re.compile(_ABSTAINER + r"(?:anmäler jäv(?!\s+(?:under|i|för|vid)\s+(?:paragraf|§))|är jävig|deltar inte i (?:handläggningen|beslutet|behandlingen|"
                  r"överläggningen)[^.]*\bjäv|lämnar (?:sammanträdet|lokalen|rummet)[^.]*\bjäv)")


_JAV_FOR = re.compile(_ABSTAINER + r"anmäler jäv (?:under|i|för|vid) (?:paragraf|§)\s*(?P<num>\d{1,9})")


def _not_taking_part(text: str) -> dict[str, str]:
    """The names that a § says take no part in it for a conflict of interest: case-folded -> as written."""
    return {m.group("name").casefold(): m.group("name") for m in _JAV.finditer(text)}
