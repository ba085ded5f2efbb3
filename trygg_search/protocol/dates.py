"""Dates and times: the meeting's date from the front matter, a time span, the file name's date.
"""

from __future__ import annotations

import re
from .vocabulary import _MONTHS, _MONTH_OF


_ISO = re.compile(r"(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})")


# "19 juni 2018", "14 feb 2023", "14 febr. 2023", "3 sept. 2019"
_WORDY = re.compile(r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r"|jan|febr?|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.?\s+(\d{4})",
                    re.IGNORECASE)


_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.]\d)")  # "14.02.2023"


def parse_date(text: str) -> str | None:
    """The first date in the text as ISO ``YYYY-MM-DD`` (``2023-10-11`` or ``19 juni 2018``)."""
    m = _ISO.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif m := _WORDY.search(text):
        d, mo, y = int(m.group(1)), _MONTH_OF[m.group(2).lower()[:3]], int(m.group(3))
    elif m := _DOTTED.search(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _time(text: str) -> str:
    """``13.15–15.20`` -> ``13:15–15:20``; other text unchanged but tidied."""
    times = re.findall(r"(\d{1,2})[.:](\d{2})", text)
    if 1 <= len(times) <= 2:
        return "–".join(f"{int(h):02d}:{m}" for h, m in times)
    return " ".join(text.split())


def _dated(date: str | None, source: str | None) -> dict:
    """The date and where it came from: the text, else (a last resort) the file name."""
    if date:
        return {"date": date, "date_source": "text"}
    from_name = _date_from_name(source)
    return {"date": from_name, "date_source": "file name" if from_name else None}


_DATE_LABELS = [  # where a protocol says when the meeting was, best first
    re.compile(r"\b(?:Sammanträdesdatum|Mötesdatum|Sammanträdesdag)\b", re.I),
    re.compile(r"\b(?:SAMMANTRÄDESPROTOKOLL|Sammanträdesprotokoll|PROTOKOLL|Protokoll)\b(?=[\s,]{0,3}\d)"),
    re.compile(r"(?<![\wåäö])(?:Datum|Dag)\b(?!\s+(?:när|för|då))\s*:?", re.I),
    re.compile(r"(?<![\wåäö])(?:Plats och tid|Tid och plats|Tid)\b(?!\s+(?:och plats|för justering))", ),
]


_NOT_MEETING = re.compile(r"(justering|anslag|tas ned|sätts upp|expedier|utdrag)", re.I)


_DATE_ANY = re.compile(_ISO.pattern + "|" + _WORDY.pattern + "|" + _DOTTED.pattern, re.IGNORECASE)


def meeting_date(front: list[str]) -> str | None:
    """The meeting's date from the front matter: after a label (Sammanträdesdatum, Datum, Plats och tid)
    within the next ~120 characters, else the first date near the top; never a date of the adjustment
    or the notice board (Justeringens plats och tid, Datum när anslaget sätts upp)."""
    text = "\n".join(front)
    for rank, label in enumerate(_DATE_LABELS):
        for m in label.finditer(text):
            before = text[max(0, m.start() - 30): m.start()]
            if rank and _NOT_MEETING.search(before.split("\n")[-1]):
                continue  # "Datum för anslags uppsättande"; "Sammanträdesdatum" names the meeting wherever it stands
            d = _DATE_ANY.search(text, m.end(), m.end() + 120)
            if d and not _NOT_MEETING.search(text[m.end(): d.start()]):
                found = parse_date(d.group(0))
                if found:
                    return found
    for d in _DATE_ANY.finditer(text, 0, 600):
        line_start = text.rfind("\n", 0, d.start()) + 1
        if not _NOT_MEETING.search(text[line_start: d.start()]):
            found = parse_date(d.group(0))
            if found:
                return found
    return None


def _date_from_name(source: str | None) -> str | None:
    """A last resort: an ISO date in the file name (``..._2024-05-08.txt``)."""
    if not source:
        return None
    m = re.search(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", source.replace("\\", "/").rsplit("/", 1)[-1])
    return parse_date(m.group(0)) if m else None
