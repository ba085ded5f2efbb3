"""A § read from its lines: title, case numbers, officers and sections; the §§ of a meeting in order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator
from .decisions import read_decisions
from ..records import Paragraph
from ..casenum import case_prefix
from .attendance import _JAV_FOR, _not_taking_part
from .clean import _join_text
from .headings import _BARE_HEAD, _ITEM_HEAD, _NUMBERED_SUBHEAD, _PARA_HEAD, _SIGN_AFTER_HEAD
from .vocabulary import REFERS, _CASE_LABEL, _CASE_LINE, _OFFICER_LINE, _PUBLICATIONS, _section_name


def _officers(value: str) -> tuple[str, ...]:
    value = re.sub(r"\bm\.\s?fl\.?", "", value)
    parts = re.split(r",|\boch\b|\bsamt\b|&", value)
    names = []
    for p in parts:
        name = re.sub(r"\s*\([^)]*\)", "", p).strip(" .")
        if name:
            names.append(name)
    return tuple(names)


def _split_title(rest: str, body: list[str]) -> tuple[str, str | None, int]:
    """Title (joined across lines), a case number from the heading line, and lines consumed."""
    case, rest = _case_column(rest)
    m = None if case else re.match(rf"^{_CASE_LABEL}(?P<case>\S.*)?$", rest, re.I)
    title_parts: list[str] = []
    if m:  # Göteborg: "§ 2 Ärendenummer SLK-2023-00364", title on the following lines
        case = (m.group("case") or "").strip() or None
        if case:  # "Dnr KS 2018/14 Title": the case number, then the title on the same line
            case, title_rest = _case_then_title(case)
            if title_rest:
                title_parts.append(title_rest)
    elif rest:
        # "§ 12 KS 2021/123 Budget 2022": a case number with its office's prefix, written without Dnr
        words = rest.split()
        n = case_prefix(words) if re.match(r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,5}\b", rest) else 0
        if n and _case_key_prefix(" ".join(words[:n])):
            case = " ".join(words[:n])
            if words[n:]:
                title_parts.append(" ".join(words[n:]))
        else:
            title_parts.append(rest)
    i = 0
    while i < len(body) and not title_parts and not body[i].strip():
        i += 1  # the title may follow after blank lines
    while i < len(body):
        s = body[i].strip()
        if not s or _section_name(s) or _CASE_LINE.match(s) or _OFFICER_LINE.match(s) or s in ("-", "–", "—", "•"):
            break
        if title_parts and _NUMBERED_SUBHEAD.match(s):
            break
        if title_parts and re.search(r"[^\W\d_]{2}[.!?]$", s) and len(s.split()) >= 2 and not re.search(
                r"[-–,]$|\b(?:och|samt|om|för|av|i|på|till|med|från|vid|inom|mellan)$", title_parts[-1]):
            break  # a sentence after a whole title: the text begins ("Bengt Berg utses.")
        title_parts.append(s)
        i += 1
        if len(title_parts) >= 6:
            break
    title = " ".join(" ".join(title_parts).split())  # a column gap inside a title is layout, not text
    if case is None:  # "Budget 2022 (KS 2021/123)", "Budget 2022, Dnr KS 2021/123": the case number ends the title
        title, case = _title_then_case(title)
    return title, case, i


_GAP = re.compile(r"\s{3,}")  # a column gap: PDF columns and Word cells are written apart by it


def _case_column(rest: str) -> tuple[str | None, str]:
    """A case number in a column of its own on the heading line ("Årsredovisning 2022    KS 2023/123",
    "KS 2023/123    Årsredovisning", "Taxa    Dnr 2023/45"): (it, the other columns), or (None, rest)."""
    cells = _GAP.split(rest.strip())
    if len(cells) < 2:
        return None, rest
    for k, cell in enumerate(cells):
        case = _case_cell(cell)
        if case:
            return case, "    ".join(cells[:k] + cells[k + 1:])
    return None, rest


def _case_cell(cell: str) -> str | None:
    """The case number a cell wholly is, labelled ("Dnr 2023/45", "Dnr: KS 2023/45") or read strictly
    ("KS 2023/123", "123/2023"; not "2024/25" or "Plan 2023-2026"); else None."""
    from ..casenum import try_parse

    inner = re.sub(rf"^{_CASE_LABEL}", "", cell, flags=re.I).strip()
    if not inner:
        return None
    words = inner.split()
    if inner != cell.strip():  # labelled
        return inner if case_prefix(words) == len(words) else None
    found = try_parse(inner)
    return inner if found and (found.prefix or "/" in inner) and (found.prefix or "") not in _PUBLICATIONS else None


_CASE_AT_END = re.compile(rf"(?:[,;]?\s*\((?P<inner>[^()]{{4,40}})\)|[,;]?\s+{_CASE_LABEL}(?P<after>\S+(?:\s+\S+){{0,3}}))\s*$",
                          re.IGNORECASE)


def _title_then_case(title: str) -> tuple[str, str | None]:
    """A case number written at the end of a title, labelled or in brackets with its office's prefix."""
    if not title.endswith(")") and not re.search(r"(?i:dnr|nummer|nr)", title):
        return _office_case_at_end(title)
    m = _CASE_AT_END.search(title)
    if not m or m.start() == 0:
        return title, None
    if m.group("inner"):
        inner = re.sub(rf"^{_CASE_LABEL}", "", m.group("inner"), flags=re.I)
        labelled = inner != m.group("inner")
        words = inner.split()
        ok = case_prefix(words) == len(words) and (_case_key_prefix(inner) or labelled and words[0].lower() not in _PUBLICATIONS)
        return (title[: m.start()].rstrip(" ,;–-"), inner) if ok else (title, None)
    words = m.group("after").split()
    n = case_prefix(words)
    return (title[: m.start()].rstrip(" ,;–-"), " ".join(words)) if n == len(words) else (title, None)


def _office_case_at_end(title: str) -> tuple[str, str | None]:
    """"Motion om laddstolpar KS 2023/1274": a case number with its office in capitals ends the title
    (not after a word that refers: "enligt KS 2021/45"; not a publication: "SOU 2023/45")."""
    words = title.split()
    for n in (2, 1):
        if len(words) <= n:
            continue
        tail = words[-n:]
        if not re.fullmatch(r"[A-ZÅÄÖ]{2,6}", re.split(r"[\s/.-]|\d", tail[0])[0]):
            continue
        if words[-n - 1].lower().strip(",;:") in REFERS or not _case_key_prefix(" ".join(tail)):
            continue
        return " ".join(words[:-n]).rstrip(" ,;–-"), " ".join(tail)
    return title, None


def _case_key_prefix(text: str) -> bool:
    """Whether ``text`` reads as a case number with an office's prefix (``KS 2021/123``, not ``2021/22``)."""
    from ..casenum import try_parse

    found = try_parse(text)
    return bool(found and found.prefix and found.prefix not in _PUBLICATIONS)


def _case_then_title(text: str) -> tuple[str, str]:
    """"KS 2018/14 Samordnad skolskjuts" -> ("KS 2018/14", "Samordnad skolskjuts"): the longest run of
    words at the start that reads as a case number, and the rest (all a case number, when none reads so)."""
    words = text.split()
    n = case_prefix(words)
    return (" ".join(words[:n]), " ".join(words[n:])) if n else (text, "")


def _paragraph(number: int | None, rest: str, body: list[str], head_line: str,
               head_case: str | None = None) -> Paragraph:
    title, case, used = _split_title(rest, body)
    case = case or head_case
    more: list[str] = []
    officers: tuple[str, ...] = ()
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    current: str | None = None
    rest = body[used:]
    for k, line in enumerate(rest):
        s = line.strip()
        cm = _CASE_LINE.match(s)
        if cm and current is None and cm.group("value"):
            value = cm.group("value").strip()
            if case is None:
                case = value
            else:
                more.append(value)  # every Dnr of the § is kept
            continue
        om = _OFFICER_LINE.match(s)
        if om and current is None:
            value = om.group("value")
            j = k + 1
            while re.search(r"(,|\boch|\bsamt)\s*$", value) and j < len(rest) and rest[j].strip():
                value += " " + rest[j].strip()  # a list of officers wrapped onto the next line
                rest[j] = ""
                j += 1
            officers += _officers(value)
            continue
        name = _section_name(s)
        if name:
            current = name
            if name not in sections:
                sections[name] = []
                order.append(name)
            elif sections[name]:
                sections[name].append("")
            continue
        if current is not None:
            sections[current].append(s)
    text = _join_text([head_line] + body)
    found = tuple((n, _join_text(sections[n])) for n in order)
    return Paragraph(
        number=number,
        title=title,
        text=text,
        case_number=case,
        officers=officers,
        sections=found,
        case_numbers=_case_numbers([case] + more if case else more),
        decisions=read_decisions(text, found),
    )


def _case_numbers(values: list[str]) -> tuple[str, ...]:
    """Every case number a § is filed under, as written: a Dnr line may hold several ("KS 2018/14, KS 2018/15")."""
    from ..casenum import try_parse

    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in re.split(r",|\boch\b|;", value) if p.strip()]
        if len(parts) > 1 and all(try_parse(p) for p in parts):
            out += parts
        else:
            out.append(value)
    return tuple(dict.fromkeys(out))


def sections_from_text(text: str, kind: str) -> tuple[tuple[str, str], ...]:
    """The named sections of a § from its text alone (as ``Paragraph.text`` holds it).

    The index stores the text and derives the sections when a § is shown,
    rather than storing everything twice.
    """
    lines = text.split("\n")
    if kind == "other":
        body = _join_text(lines[1:])
        return (("Text", body),) if body else ()
    m = (_PARA_HEAD.match(lines[0]) or _SIGN_AFTER_HEAD.match(lines[0]) or _BARE_HEAD.match(lines[0])
         if kind == "protocol" else _ITEM_HEAD.match(lines[0])) if lines else None
    rest = m.group("rest").strip() if m else ""
    return _paragraph(None, rest, lines[1:], lines[0]).sections


def _paragraphs(lines: list[str], heads, present, contents=None) -> Iterator[Paragraph]:
    """The §§ at their headings, in order; a § the contents list names but the text does not head (an
    excerpt cut short, a heading not read) stands by its listed title alone."""
    contents = contents or {}
    headed = {num for _, num, _, _ in heads}
    listed_only = sorted(n for n in contents if n not in headed)
    declared: dict[int, dict[str, str]] = {}  # § -> who declared a conflict of interest (jäv) for it, earlier
    for k, (i, num, rest, case) in enumerate(heads):
        while listed_only and listed_only[0] < num:
            yield _listed(listed_only.pop(0), contents, present)
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        paragraph = _paragraph(num, rest, lines[i + 1:end], lines[i], case)
        listed = contents.get(num)
        if listed and (not paragraph.title or not paragraph.case_number):  # what the contents list gives
            title, listed_case = listed
            listed_case = paragraph.case_number or listed_case
            paragraph = replace(paragraph, title=paragraph.title or title, case_number=listed_case,
                                case_numbers=paragraph.case_numbers or ((listed_case,) if listed_case else ()))
        away = dict(declared.get(num, {}))  # casefolded name -> the name as written
        if "jäv" in paragraph.text:
            for m in _JAV_FOR.finditer(paragraph.text):  # "Marina Johansson (S) anmäler jäv under paragraf 414"
                declared.setdefault(int(m.group("num")), {})[m.group("name").casefold()] = m.group("name")
            away.update(_not_taking_part(paragraph.text))
        people = present(num)
        listed = {a.name.casefold(): a.name for a in people}
        yield replace(paragraph, participants=tuple(a.name for a in people if a.name.casefold() not in away),
                      recused=tuple(listed.get(key, name) for key, name in away.items()))
    for num in listed_only:
        yield _listed(num, contents, present)


def _listed(num: int, contents, present) -> Paragraph:
    title, case = contents[num]
    return Paragraph(number=num, title=title, text="", case_number=case,
                     case_numbers=(case,) if case else (), participants=tuple(a.name for a in present(num)))


def decision(sections) -> str | None:
    """The Beslut section, else the proposal (Förslag till beslut), as one paragraph of text."""
    found = dict(sections)
    for name in ("Beslut", "Förslag till beslut"):
        if found.get(name):
            return " ".join(found[name].split())
    return None
