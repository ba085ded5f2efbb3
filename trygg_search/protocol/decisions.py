"""What was decided in a § and how: who proposed what (yrkanden), how a vote fell (omröstning), who
reserved themselves (reservation), the notes to the minutes (protokollsanteckning, särskilt yttrande),
and the outcome.  Read from a §'s text in the set forms protocols write them in, whatever the layout:

    Karin Pleijel (MP) och Eva Flyborg (L) yrkar bifall till kommunstyrelsens förslag.
    Ledamöterna från S, V och MP yrkar att ärendet ska återremitteras …
    Godkänd voteringsproposition: ”Ja för avslag och Nej för bifall till …”.
    Omröstningen utfaller med 48 Ja mot 19 Nej. 14 ledamöter avstår från att rösta. … bilaga 3.
    Anna Ek (S), Per Berg (M) … röstar Ja (7).
    Ledamöterna från SD reserverar sig mot beslutet till förmån för det egna yrkandet.
    Jörgen Fogelklou (SD) antecknar följande till protokollet: …

A sentence is read for who speaks (the names with their parties before the verb, or the parties a
group is named by: ``Ledamöterna från M och KD``) and what it says.  Nothing here changes what the
rest of the parser reads.
"""

from __future__ import annotations

import re

from ..records import Decisions, Note, Person, Proposal, Reservation, RollCall, Vote
from .vocabulary import _section_name

# The parties of the Riksdag by their letters, and their names: a party is kept as its letters.
PARTIES = {"s": "S", "m": "M", "sd": "SD", "c": "C", "v": "V", "kd": "KD", "l": "L", "mp": "MP"}
PARTY_NAMES = {"socialdemokraterna": "S", "moderaterna": "M", "sverigedemokraterna": "SD", "centerpartiet": "C",
               "vänsterpartiet": "V", "kristdemokraterna": "KD", "liberalerna": "L", "miljöpartiet": "MP"}

# A name: up to five words (bounded, so that a long run of capitalised words is read in linear time)
_NAME = r"[A-ZÅÄÖÉ][\w'’-]+(?:\s+(?:[A-ZÅÄÖÉ][\w'’-]+|af|von|van|de|der|da)){0,4}"
_PARTY = r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}"
# "Karin Pleijel (MP)", "Anna Ek (kd)": a name and its party in brackets (a Riksdag party in any case)
_PERSON = re.compile(rf"(?P<name>{_NAME})\s*\(\s*(?P<party>{_PARTY}|(?i:s|m|sd|c|v|kd|l|mp))\s*\)")
# The parties a group is named by: "Ledamöterna från S, V och MP", "Representanterna för M", "SD-gruppen"
_GROUP = re.compile(r"(?:ledamöterna|ledamöter|representanterna|representanter|gruppen|partierna|ersättarna)\s+"
                    r"(?:från|för|i)\s+(?P<parties>.+)$", re.IGNORECASE)
_PARTY_LIST_WORD = re.compile(rf"^(?:{_PARTY})$")

# A sentence ends at . ! or ? before a capital, but not after "m.fl.", "bl.a.", "t.ex.", "m.m."
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!m\.fl\.)(?<!bl\.a\.)(?<!t\.ex\.)(?<!m\.m\.)[”\"]?\s+(?=[A-ZÅÄÖ\"”])")

_PROPOSES = re.compile(r"\b(?:yrkar|yrkade|yrkat)\b")
_RESERVES = re.compile(r"\breserver(?:ar|ade|at)\s+sig\b|\banmäler\s+reservation\b|\blämnar\s+(?:en\s+)?(?:skriftlig\s+)?reservation\b",
                       re.IGNORECASE)
_NOTES = re.compile(
    r"\b(?:antecknar\s+(?:följande\s+)?(?:till\s+protokollet|som\s+(?:sitt\s+)?yttrande)|lämnar\s+(?:följande\s+)?"
    r"(?:en\s+|ett\s+)?(?:protokollsanteckning|särskilt\s+yttrande|skriftligt\s+yttrande)|anmäler\s+(?:ett\s+)?"
    r"särskilt\s+yttrande|(?:vill|får)\s+(?:till\s+protokollet\s+)?anteckna|får\s+(?:lämna|göra)\s+en\s+protokollsanteckning)",
    re.IGNORECASE)
_COUNT = re.compile(r"(?P<yes>\d{1,4})\s+ja(?:-?röster)?\s*(?:,|mot|och|–|-)\s*(?P<no>\d{1,4})\s+nej(?:-?röster)?",
                    re.IGNORECASE)
_ROLL = re.compile(r"röstar\s+(?P<vote>ja|nej|avstår|avstod)(?:\s*\((?P<n>\d{1,4})\))?", re.IGNORECASE)
_ABSTAINED = re.compile(r"(?P<n>\d{1,4})\s+(?:ledamöter\s+|ledamot\s+)?(?:avstår|avstod|avstått)", re.IGNORECASE)
_ABSENT = re.compile(r"(?P<n>\d{1,4})\s+(?:ledamöter\s+|ledamot\s+)?(?:är\s+|var\s+)?frånvarande", re.IGNORECASE)
_PROPOSITION = re.compile(r"voteringsproposition\s*:?\s*[”\"“](?P<text>[^”\"“]{3,400})[”\"“]", re.IGNORECASE)
_APPENDIX = re.compile(r"framgår\s+(?:av|i)\s+(?P<ref>bilaga\s+\d{1,3}[a-z]?)", re.IGNORECASE)


_SAID = ("yrka", "reserv", "röst", "anteckna", "yttrande", "återremi", "bordl", "avslå", "bifall")
_SAID_ANY_CASE = re.compile("|".join(_SAID), re.IGNORECASE)
# Letters that re's IGNORECASE takes for one of _SAID's and str.lower() does not make one (dotless ı and
# dotted İ for i, long ſ for s): a text holding one is read by the pattern.
_OTHER_CASES = ("ı", "İ", "ſ")


def says_a_decision_word(text: str) -> bool:
    """Whether ``text`` holds a word a proposal, reservation, vote or note is told by, in any case: what
    ``_SAID_ANY_CASE`` finds, by substring search in the lowered text (a § at a time at ingest)."""
    if any(c in text for c in _OTHER_CASES):
        return _SAID_ANY_CASE.search(text) is not None
    lowered = text.lower()
    return any(word in lowered for word in _SAID)


def read_decisions(text: str, sections: tuple[tuple[str, str], ...] = ()) -> Decisions:
    """The decision record of one § (empty lists where it says nothing of the kind)."""
    if not text or not says_a_decision_word(text):
        return Decisions(outcome=_outcome(text, sections))
    # A section's heading ends what stands before it: "… kommunstyrelsens förslag. ¶ Omröstning ¶ Godkänd …"
    flat = " ".join(" ".join(_BREAK if _section_name(line.strip()) else line for line in text.split("\n")).split())
    sentences = [s for part in flat.split(_BREAK) for s in _SENTENCE_END.split(part) if s.strip()]
    proposals, reservations, notes = [], [], []
    for sentence in sentences:
        m = _PROPOSES.search(sentence)
        if m:
            by, parties = _speakers(sentence[: m.start()])
            if by or parties:
                said = sentence[m.end():].strip()
                proposals.append(Proposal(by, parties, _kind(said), sentence.strip()))
            # "Vidare yrkar Jörgen Fogelklou (SD) bifall …": the speaker after the verb
            elif _PERSON.match(sentence[m.end():].strip()):
                rest = sentence[m.end():].strip()
                person = _PERSON.match(rest)
                by = (Person(person.group("name"), _party(person.group("party"))),)
                proposals.append(Proposal(by, _parties_of(by, ()), _kind(rest[person.end():].strip()), sentence.strip()))
        m = _RESERVES.search(sentence)
        if m:
            by, parties = _speakers(sentence[: m.start()])
            if by or parties:
                written = bool(re.search(r"skriftlig|bilaga", sentence, re.IGNORECASE))
                reservations.append(Reservation(by, parties, written, sentence.strip()))
        m = _NOTES.search(sentence)
        if m:
            by, parties = _speakers(sentence[: m.start()])
            if by or parties:
                kind = "särskilt yttrande" if re.search(r"särskil|skriftligt\s+yttrande", sentence, re.I) \
                    else "protokollsanteckning"
                notes.append(Note(kind, by, parties, sentence.strip()))
    return Decisions(tuple(proposals), _votes(flat), tuple(reservations), tuple(notes), _outcome(text, sections))


_BREAK = "¶"


def _speakers(before: str) -> tuple[tuple[Person, ...], tuple[str, ...]]:
    """Who speaks in the words before the verb: the persons named with their parties, or the parties
    a group is named by; (persons, every party among them), each once, in order."""
    persons = tuple(dict.fromkeys(Person(m.group("name").removeprefix("Ordföranden ").strip(), _party(m.group("party")))
                                  for m in _PERSON.finditer(before)))
    persons = tuple(p for p in persons if not re.fullmatch(r"(?:Ordföranden|Vidare|Även)", p.name))
    group = _GROUP.search(before.strip())
    listed: tuple[str, ...] = ()
    if group:
        listed = _party_list(group.group("parties"))
    elif not persons:
        words = before.strip()
        whole = PARTY_NAMES.get(words.casefold())
        if whole:
            listed = (whole,)
        elif re.fullmatch(rf"{_PARTY}(?:\s*(?:,|och|samt)\s*{_PARTY})*(?:-gruppen)?", words):
            listed = _party_list(words.removesuffix("-gruppen"))
    return persons, _parties_of(persons, listed)


def _party_list(text: str) -> tuple[str, ...]:
    words = [w for w in re.split(r"\s*(?:,|\boch\b|\bsamt\b)\s*", text.strip()) if w]
    out = []
    for w in words:
        w = w.strip(" .:")
        if PARTY_NAMES.get(w.casefold()):
            out.append(PARTY_NAMES[w.casefold()])
        elif _PARTY_LIST_WORD.match(w) and (w.isupper() or w.casefold() in PARTIES):
            out.append(_party(w))
        else:
            break  # the list is over: "från S och V i kommunstyrelsen"
    return tuple(dict.fromkeys(out))


def _party(written: str) -> str:
    """A party as its letters: the Riksdag's parties in capitals whatever the case written; others as written."""
    return PARTIES.get(written.casefold(), written)


def _parties_of(persons: tuple[Person, ...], listed: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(p.party for p in persons if p.party), *listed]))


def _kind(said: str) -> str:
    """What a proposal asks: bifall, avslag, återremiss, ändring, tillägg or other."""
    s = said.casefold()
    if re.match(r"(?:att\s+ärendet\s+(?:ska\s+)?återremitteras|återremi)", s):
        return "återremiss"
    if s.startswith("bifall"):
        return "bifall"
    if s.startswith("avslag") or re.match(r"att\s+\S+(?:\s+\S+)?\s+(?:ska\s+)?avslås", s):
        return "avslag"
    if re.match(r"(?:följande\s+)?(?:tillägg|att\s+(?:följande\s+)?(?:tillägg|tilläggs))", s):
        return "tillägg"
    if re.match(r"(?:följande\s+)?ändring|att\s+.{0,60}\bändras\b", s):
        return "ändring"
    if re.match(r"att\s+ärendet\s+(?:ska\s+)?återremitteras|.{0,40}återremiss", s):
        return "återremiss"
    return "other"


def _votes(flat: str) -> tuple[Vote, ...]:
    """Each vote: its counts (``48 Ja mot 19 Nej``, or a roll call's ``röstar Ja (7)``), abstentions and
    absences, the proposition voted on and the appendix that lists the votes."""
    out: list[Vote] = []
    counted = list(_COUNT.finditer(flat))
    starts = [m.start() for m in counted]
    for k, m in enumerate(counted):
        lo = counted[k - 1].end() if k else 0
        hi = starts[k + 1] if k + 1 < len(starts) else len(flat)
        before, after = flat[lo: m.start()], flat[m.end(): hi]
        proposition = list(_PROPOSITION.finditer(before.replace(_BREAK, " ")))
        tail = re.split(rf"{_BREAK}|Ordföranden ställer", after)[0]
        abstained = _ABSTAINED.search(tail[:200])
        absent = _ABSENT.search(tail[:200])
        appendix = _APPENDIX.search(tail[:300])
        out.append(_vote(proposition[-1].group("text").strip() if proposition else None, int(m.group("yes")),
                         int(m.group("no")), int(abstained.group("n")) if abstained else None,
                         int(absent.group("n")) if absent else None, (), appendix.group("ref") if appendix else None))
    if not counted:  # a roll call with its counts: "A (S), B (V) … röstar Ja (7). C (M) … röstar Nej (6)."
        for block in re.split(r"(?=voteringsproposition)", flat, flags=re.IGNORECASE):
            rolls = list(_ROLL.finditer(block))
            if not rolls:
                continue
            calls: list[RollCall] = []
            counts = {"ja": 0, "nej": 0, "avstår": 0}
            start = 0
            for r in rolls:
                vote = {"avstod": "avstår"}.get(r.group("vote").casefold(), r.group("vote").casefold())
                names = [m for m in _PERSON.finditer(block, start, r.start())]
                calls += [RollCall(_clean_name(m.group("name")), _party(m.group("party")), vote) for m in names]
                counts[vote] += int(r.group("n")) if r.group("n") else len(names)
                start = r.end()
            proposition = _PROPOSITION.search(block)
            out.append(_vote(proposition.group("text").strip() if proposition else None, counts["ja"], counts["nej"],
                             counts["avstår"] or None, None, tuple(calls), None))
    return tuple(out)


def _clean_name(name: str) -> str:
    """A name in a roll call without the role written before it ("tjänstgörande ersättaren", "ordföranden")."""
    return re.sub(r"^(?:Ordföranden|Och|Samt)\s+", "", name).strip()


def _vote(proposition, yes, no, abstained, absent, roll_call, appendix) -> Vote:
    outcome = "ja" if yes > no else "nej" if no > yes else "lika"
    return Vote(proposition, yes, no, abstained, absent, outcome, roll_call, appendix)


def _outcome(text: str, sections: tuple[tuple[str, str], ...]) -> str | None:
    """What the § came to, from its Beslut (else its text): återremiss, bordläggning, avslag, bifall,
    or ``enligt förslag`` (decided as the proposal before it said)."""
    decided = dict(sections).get("Beslut") or ""
    said = " ".join((decided or text or "").split())[:600]
    s = said.casefold()
    if not s:
        return None
    if re.search(r"\båterremitter(?:as|a|ar)\b|\bbeslutar\s+att\s+återremittera|\båterremiss\b", s) and decided:
        return "återremiss"
    if re.search(r"\bbordl(?:äggs|ägga|ägger)\b", s) and decided:
        return "bordläggning"
    # what the § is about (a motion, a request, a proposal) granted or refused: "Yrkandet från M, D, L och KD avslås"
    about = r"\b(?:motionen|medborgarförslaget|förslaget|ansökan|begäran|framställan|överklagandet|yrkandet|hemställan)\b[^.:]{0,80}?"
    if re.search(about + r"\bavslås\b|\bbeslutar\s+att\s+avslå\b", s):
        return "avslag"
    if re.search(about + r"\b(?:bifalls|beviljas)\b", s):
        return "bifall"
    if decided and re.match(r"(?:enligt|i enlighet med|på förslag (?:av|från))\s+(?:\S+\s+){0,8}?(?:förslag|yrkande)"
                            r"|(?:\w+\s+){0,2}(?:beslutar\s+(?:härefter\s+)?att\s+bifalla|tillstyrker)\s+\S+\s+förslag", s):
        return "enligt förslag"
    return None
