"""§ headings and notice items written a line each: their forms, the §§ a protocol declares it holds,
and what a notice looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chains import PrefixMax, ranks
from .flat import flat
from .vocabulary import NOT_PREFIX, REFERS


# § headings: "§ 23 Title", "§23", "§ 23.", "KF § 266", "KS § 12", "KS AU § 12", "KS-AU § 12" (a body's prefix), "23 §".
_PARA_HEAD = re.compile(r"^(?:(?P<prefix>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5})(?:[\s-](?:[A-ZÅÄÖ]{1,5}|au))?\s+)?§\s*(?P<num>\d{1,9})\.?(?=[\s,]|$)"
                        r"(?P<rest>.*)$")


_SIGN_AFTER_HEAD = re.compile(r"^(?P<num>\d{1,9})\s*§(?=\s|$)(?P<rest>.*)$")


# Read only inside the meeting's declared § range, where a number at a line start can only be a §:
# "74 Upprop", "Ks 80 Title", "SN 139 Title" (a site dropped the §), "KSKF/2014:1 235 Title",
# "49 Dnr KOF/2020:151 Title".
_BARE_HEAD = re.compile(r"^(?:[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}\s+)?(?P<num>\d{1,4})\s+(?P<rest>[A-ZÅÄÖ\"“].*)$")


_CASE_FIRST_HEAD = re.compile(r"^(?:Dnr\.?\s+)?(?P<case>[A-ZÅÄÖ]{2,8}\s?/\s?\d{4}:\d+)\s+(?P<num>\d{1,4})\s+(?P<rest>\S.*)$")


_CASE_BETWEEN_HEAD = re.compile(r"^(?P<num>\d{1,4})\s+Dnr\.?\s+(?P<case>\S+(?:\s\d+/\d{2,4})?)\s+(?P<rest>[A-ZÅÄÖ].*)$")


# A contents line: leaders, then the page it is on ("§ 62 Upprop ........ 4").
_TOC_LINE = re.compile(r"(?<![.…_])(?:\.{3,}|…+|_{3,})\s*\d{1,4}\s*$")  # tried only where a run of leaders starts


def toc_line(line: str) -> re.Match | None:
    """``_TOC_LINE.search(line)``, tried only on a line that holds leaders: every line of every protocol is
    asked, and a substring test takes a tenth of the time the pattern's scan does."""
    return _TOC_LINE.search(line) if "..." in line or "…" in line or "___" in line else None


# The §§ a protocol declares it holds: "Paragrafer 266-284", "Justerade paragrafer 252-273", "Omfattning 74-93".
_DECLARED = re.compile(
    r"(?:justerade\s+paragrafer|paragrafer|paragraf|omfattning)\s*:?\s*(?:§§?\s*)?(\d{1,9})\s*[-–]\s*(\d{1,9})",
    re.IGNORECASE,
)


_DECLARED_ALONE = re.compile(r"(?m)^\s*§§\s*(\d{1,9})\s*[-–]\s*(\d{1,9})\s*$")  # a line of its own


def declared_range(lines: list[str]) -> tuple[int, int] | None:
    """The §§ the front matter declares the protocol holds, or None."""
    front = "\n".join(lines[:150])
    m = _DECLARED.search(front) or _DECLARED_ALONE.search(front)
    if not m:
        return None
    lo, hi = int(m.group(1)), int(m.group(2))
    return (lo, hi) if lo <= hi <= lo + 2000 else None


def _head_match(line: str, known: frozenset[int] | None):
    """(number, rest of the line, case number or None) when the line opens a §, else None.  A number
    without a § sign opens one only where the protocol says it holds that § (``known``)."""
    for rx in (_PARA_HEAD, _SIGN_AFTER_HEAD):
        m = rx.match(line)
        if m and not _LAW_AFTER.match(m.group("rest")):
            return int(m.group("num")), m.group("rest").strip(), None
    if known:
        for rx in (_CASE_FIRST_HEAD, _CASE_BETWEEN_HEAD, _BARE_HEAD):
            m = rx.match(line)
            if m and int(m.group("num")) in known:
                case = m.groupdict().get("case")
                return int(m.group("num")), m.group("rest").strip(), case
    return None


# A § of a law, not of the meeting, where a wrapped sentence puts it at a line start:
# "9 § upphovsrättslagen", "§ 5 kommunallagen", "3 § första stycket".
_LAW_AFTER = re.compile(r"\s*(?:[a-zåäö]+(?:lagen|lag|balken|förordningen)\b|första|andra|tredje|fjärde|femte|"
                        r"sista\s+stycket|stycket|punkt|p\.|kap\.?\s)")


# An agenda's item: "4 Title", "4. Title", "4) Title", "Ärende 4 Title", "Punkt 4. Title"
_ITEM_HEAD = re.compile(r"^(?:(?:Ärende|Punkt)\s+)?(?P<num>\d{1,3})[.)]?\s+(?P<rest>[A-ZÅÄÖ\"“”].*)$")


# An agenda's item number alone on its line, the title on the next ("4", "4.", " 1. 4." list index and number).
_ITEM_ALONE = re.compile(r"^\s*(?:\d{1,3}\.\s+)?(?P<num>\d{1,3})\.?\s*$")


_AGENDA = re.compile(r"^\s*(?:kallelse|föredragningslista|ärendelista|dagordning|anmälningslista)\b"
                     r"|^möte\s+\d{4}-\d{2}-\d{2}\s*$",
                     re.IGNORECASE | re.MULTILINE)


_DAY_LABEL = re.compile(r"^(?:dag|datum)\s*:", re.IGNORECASE | re.MULTILINE)


# When and where a meeting is held: with a date label, what makes a dated list of items a meeting's
# (a report with a date and numbered chapters is none).
_WHEN_WHERE = re.compile(r"^(?:Tid|Klockan|Plats|Lokal|Plats och tid|Tid och plats)\b|\bkl(?:\.|ockan)?\s*\d{1,2}[.:]\d{2}",
                         re.IGNORECASE | re.MULTILINE)


_NUMBERED_SUBHEAD = re.compile(r"^[A-ZÅÄÖ][a-zåäö]+ \d+$")  # "Fråga 1" starts text, not title


def _heads(lines: list[str], kind: str, layout: "Layout | None" = None) -> list[tuple[int, int, str, str | None]]:
    """(line index, number, rest of line, case number) of each paragraph heading, numbers strictly rising.

    A protocol's §§ are held against the range it declares (``Paragrafer 26–38``), so that a
    reference in running text (``5 kap 50 § kommunallagen``) never opens one; within that range a
    bare number, or a body's prefix without the §, opens one too.  Contents lines are passed over.
    """
    if layout is None:
        from .layout import Layout

        layout = Layout.of(lines)
    if kind not in layout.heads:  # asked by detect, then by read_meeting: found once
        heads = _heads_of(layout.lines, kind, False, layout)
        if not heads and kind == "protocol":  # only a contents list (an excerpt cut before its §§): its entries
            heads = _heads_of(layout.lines, kind, True, layout)
        layout.heads[kind] = heads
    return layout.heads[kind]


def _heads_of(lines: list[str], kind: str, contents: bool, layout: "Layout") -> list[tuple[int, int, str, str | None]]:
    if kind == "protocol" and not contents:
        return [(c.line, c.number, c.rest, c.case) for c in choose(candidates(lines, layout))]
    heads: list[tuple[int, int, str, str | None]] = []
    declared = layout.declared if kind == "protocol" else None
    for i, line in enumerate(lines):
        if kind == "protocol":
            if i in layout.inline:
                found = layout.inline[i]
            else:
                if bool(toc_line(line)) != contents or i in layout.contents_lines:
                    continue
                if contents:
                    line = _TOC_LINE.sub("", line).rstrip()
                found = _head_match(line, layout.known)
                if found is None:
                    continue
            num, rest, case = found
            if declared and not declared[0] <= num <= declared[1]:
                continue
        else:
            if flat(line, layout.mode):
                continue  # a flattened page is no item's heading (its page number is no item number)
            alone = _ITEM_ALONE.match(line)
            if alone and i + 1 < len(lines) and re.match(r"[A-ZÅÄÖ\"“]", lines[i + 1].strip()):
                num, rest, case = int(alone.group("num")), "", None  # the title on the next line
            else:
                m = _ITEM_HEAD.match(line)
                if not m:
                    continue
                num, rest, case = int(m.group("num")), m.group("rest").strip(), None
        if re.match(r",\s+[A-ZÅÄÖ]", rest) and kind == "protocol":
            rest = rest[1:].strip()  # a Word table's row, its cells joined: "§ 12, Val av justerare"
        if rest[:1] in {",", ".", ")", ":", ";"} or re.match(r"^(och|samt|till|i|den|kap)\b", rest):
            continue
        if i > 0 and lines[i - 1].count("(") > lines[i - 1].count(")"):
            continue  # inside a parenthesis the line before opened: a reference wrapped to a line start
        if kind == "notice":
            if rest and i > 0 and lines[i - 1].strip():
                continue
            if heads and num != heads[-1][1] + 1:
                continue
        elif heads and num <= heads[-1][1]:
            continue
        heads.append((i, num, rest, case))
    return heads


# "SAMMANTRÄDESPROTOKOLL", "PROTOKOLL 1 (19)", "Protokoll från landstingsfullmäktiges sammanträde"
_CALLS_ITSELF_PROTOCOL = re.compile(r"\b(?:SAMMANTRÄDES)?PROTOKOLL(?:SUTDRAG)?\b|^\W*(?:Sammanträdes)?[Pp]rotokoll(?:sutdrag)?\b")


def _says_agenda(lines: list[str]) -> bool:
    """A notice says so at its top (Kallelse, Föredragningslista, Dag:), is no protocol and has no § signs."""
    top = " ".join(lines)[:300]
    head = "\n".join(lines[:40])
    return bool((re.search(r"\b(?:kallelse|föredragningslista)\b", top, re.I) or _AGENDA.search(head)
                 or _DAY_LABEL.search(head) and _WHEN_WHERE.search(head))
                and not re.search(r"\b(?:SAMMANTRÄDESPROTOKOLL|Sammanträdesprotokoll|PROTOKOLL|Protokoll)\b", top)
                and not any(_PARA_HEAD.match(line) or _SIGN_AFTER_HEAD.match(line) for line in lines))


# --- § headings chosen as a whole -------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """A line that may open a §, and what speaks for it (``score``: above 0, more for than against)."""

    line: int
    number: int
    rest: str  # the line after the number: the title, or the start of it
    case: str | None
    form: str  # "sign" (§ 12, 12 §, KS § 12), "unsigned" (12 Title, KS 12 Title: a number the protocol
    #           declares or lists) or "inline" (a heading chosen inside a flattened page)
    score: float


SIGN, UNSIGNED, INLINE = 4.0, 2.0, 6.0  # what a heading's form says for it
LOWER, SENTENCE, OUTNUMBERED = -8.0, -3.0, -4.0  # what a line's words say against it
STEP_ONE, JUMP = 2.0, -1.0  # the next § is the next number, as a rule
OUTSIDE = -3.5  # a § sign above the declared range: a chain takes it by a step of one, not by a jump


def candidates(lines: list[str], layout: "Layout") -> list[Candidate]:
    """Every line that may open a §, in order, with its evidence.

    For: a § sign (``§ 12``, ``12 §``, a body's prefix before it: ``KS § 12``), a number the protocol
    declares or lists (``12 Title`` inside ``Paragrafer 10–20``).  Against: the line refers to the §
    rather than heads it (``Se § 14``, ``enligt § 5``, a law's ``3 § kommunallagen``, inside a
    parenthesis), the words after the number go on in lower case (a sentence wrapped to a line start),
    or, for a number without a sign, they make a sentence (a numbered list) or the protocol writes its §§
    with the sign.
    """
    declared = layout.declared
    out: list[Candidate] = []
    for i, line in enumerate(lines):
        if i in layout.inline:
            num, rest, case = layout.inline[i]
            out.append(Candidate(i, num, rest, case, "inline", INLINE))
            continue
        if toc_line(line) or i in layout.contents_lines:
            continue
        found = _signed(line) or _unsigned(line, layout.known)
        if found is None:
            continue
        num, rest, case, form = found
        if declared and num < declared[0]:
            continue
        outside = bool(declared) and num > declared[1]
        if outside and form == "unsigned":
            continue
        if re.match(r",\s+[A-ZÅÄÖ]", rest):
            rest = rest[1:].strip()  # a Word table's row, its cells joined: "§ 12, Val av justerare"
        if rest[:1] in {",", ".", ")", ":", ";"} or re.match(r"^(och|samt|till|i|den|kap)\b", rest):
            continue
        if i > 0 and lines[i - 1].count("(") > lines[i - 1].count(")"):
            continue  # inside a parenthesis the line before opened: a reference wrapped to a line start
        score = SIGN if form == "sign" else UNSIGNED
        if outside:  # past the declared §§ (the next meeting's, pasted after): only as the next § of a run
            score += OUTSIDE
        if rest[:1].islower():
            score += LOWER
        if form == "unsigned" and re.search(r"[^\W\d_]{2}[.!?]$", rest) and len(rest.split()) >= 4:
            score += SENTENCE
        out.append(Candidate(i, num, rest, case, form, score))
    signed = sum(1 for c in out if c.form != "unsigned" and c.score > 0)
    if signed >= 3:  # the §§ are written with their sign: a number without one is most likely something else
        out = [c if c.form != "unsigned" else Candidate(c.line, c.number, c.rest, c.case, c.form, c.score + OUTNUMBERED)
               for c in out]
    return out


def _signed(line: str):
    """(number, rest, None, "sign") where a § sign heads the line and nothing says it only refers to it."""
    if "§" not in line:  # both patterns need the sign: most lines are asked in vain
        return None
    for rx in (_PARA_HEAD, _SIGN_AFTER_HEAD):
        m = rx.match(line)
        if not m or _LAW_AFTER.match(m.group("rest")):
            continue
        prefix = m.groupdict().get("prefix")
        if prefix and prefix.lower().strip(".") in REFERS | NOT_PREFIX:
            return None  # "Se § 14 nedan", "Enligt § 5": a reference at a line's start
        return int(m.group("num")), m.group("rest").strip(), None, "sign"
    return None


def _unsigned(line: str, known: frozenset[int]):
    """(number, rest, case, "unsigned") for a number without a § sign that the protocol declares or lists."""
    if not known:
        return None
    for rx in (_CASE_FIRST_HEAD, _CASE_BETWEEN_HEAD, _BARE_HEAD):
        m = rx.match(line)
        if m and int(m.group("num")) in known:
            return int(m.group("num")), m.group("rest").strip(), m.groupdict().get("case"), "unsigned"
    return None


def choose(found: list[Candidate]) -> list[Candidate]:
    """The headings of the document: of every chain of candidates whose numbers rise, the one with the most
    evidence, a step of one counting for it and a jump against it.  In time n log n: the best chain ending
    below each number is kept in a tree of prefix maxima over the numbers met."""
    if not found:
        return []
    rank = ranks(c.number for c in found)
    tree: PrefixMax[tuple[float, int]] = PrefixMax(len(rank))  # best (score, candidate) of a chain ending at a rank
    ending: dict[int, tuple[float, int]] = {}  # number -> the best chain ending there (for a step of one)
    best: list[tuple[float, int]] = []  # per candidate: (score of the best chain ending there, previous)

    for k, c in enumerate(found):
        if c.score <= 0:
            best.append((float("-inf"), -1))
            continue
        start = (c.score, -1)
        prior, j = tree.get(rank[c.number] - 1) or (0.0, -1)
        jump = (prior + c.score + JUMP, j) if j >= 0 else start
        step = ending.get(c.number - 1)
        one = (step[0] + c.score + STEP_ONE, step[1]) if step else start
        chosen = max(start, jump, one)
        best.append(chosen)
        if chosen[0] > ending.get(c.number, (float("-inf"), -1))[0]:
            ending[c.number] = (chosen[0], k)
        tree.put(rank[c.number], (chosen[0], k))
    k = max(range(len(best)), key=lambda n: (best[n][0], -n))
    if best[k][0] <= 0:
        return []
    path = []
    while k >= 0:
        path.append(found[k])
        k = best[k][1]
    return path[::-1]
