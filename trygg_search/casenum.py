"""Case numbers as an entity: one canonical key for the spellings protocols use.

``Ks 930/2023``, ``KS 930/2023``, ``ks930/2023``, ``Dnr KS 00930/2023``,
``Ks 930-2023``, ``KS-2023-930`` and ``"Ks 930/2023."`` all have the key ``ks 930/2023``; a bare ``930/2023`` has only
the number key ``930/2023``, which every prefixed spelling also carries, so a
bare number matches that number under any prefix.  Göteborg's
``SLK-2023-00226:3`` is case ``slk 226/2023`` (the ``:3`` suffix numbers a
document within the case and is kept for display only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CaseNumberError

# The words a protocol writes before a case number (the parser's vocabulary reads them from here), and
# those a person may type or a text may use before one: also "ärende" ("ärende KS 2023/12").
CASE_LABELS = ("Ärendenummer", "Ärendenr", "Diarienummer", "Diarienr", "Dnr")
_LABEL_WORDS = {w.casefold() for w in CASE_LABELS} | {"ärende"}
_LABEL = "(?:(?:" + "|".join(sorted(_LABEL_WORDS, key=len, reverse=True)) + r")\.?\s*:?\s*)"
_PREFIX = r"[A-Za-zÅÄÖåäö]{1,6}"
_YEAR = r"(?:19[5-9]\d|20\d\d)"

# What may follow the number: a document's number within the case, a filing code, or both
# ("KS 2019/0456-10", "2021/123-1.1.2", "KS 2021.123 1.1.2.1", "SN 2020/45 - 750"); read, not kept.
_TAIL = r"(?:\s*-\s*\d{1,4}(?:\.\d{1,3})*|\s+\d{1,2}(?:\.\d{1,3}){1,4})?"
_SLASH = re.compile(
    rf"^{_LABEL}?(?:(?P<prefix>{_PREFIX})[\s.]*)?(?P<num>\d{{1,7}})\s*(?:/\s*(?P<year>\d{{4}}|\d{{2}})|-\s*(?P<dyear>{_YEAR}))"
    rf"(?::(?P<suffix>\d+))?{_TAIL}$",
    re.IGNORECASE,
)
_DASHED = re.compile(
    rf"^{_LABEL}?(?P<prefix>{_PREFIX})\s*-\s*(?P<year>\d{{4}})\s*-\s*(?P<num>\d{{1,7}})(?::(?P<suffix>\d+))?$",
    re.IGNORECASE,
)
# The year first: "KS 2017/484", "RJL 2016/1288", "BUN 2018/41", "KSKF/2014:1", "SÄN/2012:3", Stockholm's
# "Dnr 2007-8109", "Dnr KS 2021.0123", "KS2021/123".
_YEAR_FIRST = re.compile(
    rf"^{_LABEL}?(?:(?P<prefix>{_PREFIX})(?:\s*[/\s.]\s*|(?=\d)))?(?P<year>{_YEAR})\s*(?:[/:-]\s*|\.)(?P<num>\d{{1,6}})"
    rf"(?::(?P<suffix>\d+))?{_TAIL}$",
    re.IGNORECASE,
)
# The year, then the office and the number, then a filing code: "Dnr 2011/KS 0193 10".
_YEAR_OFFICE = re.compile(
    rf"^{_LABEL}?(?P<year>{_YEAR})\s*/\s*(?P<prefix>{_PREFIX})\s*(?P<num>\d{{1,6}})(?:\s+\d{{1,4}})?$",
    re.IGNORECASE,
)
# A two-digit year, a dash, the number and a filing code: "Dnr KS 02-820 107".
_SHORT_YEAR_DASH = re.compile(
    rf"^{_LABEL}?(?P<prefix>{_PREFIX})\s+(?P<year>\d{{2}})-(?P<num>\d{{1,6}})(?:\s+\d{{1,4}})?$",
    re.IGNORECASE,
)
# The number glued to its filing code: "00382/20231.1.7" is 00382/2023 filed under 1.1.7.
_GLUED_CODE = re.compile(
    rf"^{_LABEL}?(?:(?P<prefix>{_PREFIX})\s*)?(?P<num>\d{{1,7}})\s*/\s*(?P<year>{_YEAR})\d{{1,2}}(?:\.\d{{1,3}})+$",
    re.IGNORECASE,
)
# Office, two-digit year and number in one token: "(RV180949)" is RV 949/2018.
_PACKED = re.compile(r"^\(?(?P<prefix>[A-ZÅÄÖ]{2,4})(?P<year>\d{2})(?P<num>\d{4})\)?$")
_FORMS = (_DASHED, _YEAR_FIRST, _SLASH, _YEAR_OFFICE, _SHORT_YEAR_DASH, _GLUED_CODE, _PACKED)

# Case numbers inside running text: a prefix is required so that ratios and
# dates are not taken for cases.
_MENTION_AT = r"(?<![\w/-])"
_MENTION = (
    rf"(?P<raw>(?P<yprefix>{_PREFIX})\s?(?P<yyear>{_YEAR})/(?P<ynum>\d{{1,6}})(?!\d)"
    rf"|(?P<prefix>{_PREFIX})\s?(?P<num>\d{{1,7}})/(?P<year>\d{{4}})"
    rf"|(?P<dprefix>{_PREFIX})-(?P<dyear>\d{{4}})-(?P<dnum>\d{{3,7}})(?::\d+)?)(?![\w/])"
)
# Each of the three forms begins with the word's letters (at most six: a longer run of letters is no
# prefix) and then a digit, after a space or not, or a hyphen and a digit: looked at once, without
# backtracking (possessive), at every word's start, before the forms are tried there one by one.
MENTION = re.compile(_MENTION_AT + rf"(?={_PREFIX}+(?:\s?\d|-\d))" + _MENTION)


@dataclass(frozen=True)
class CaseNumber:
    """A parsed case number; ``prefix`` is None for a bare ``930/2023``."""

    prefix: str | None
    number: int
    year: int
    suffix: int | None = None

    @property
    def key(self) -> str:
        """The canonical key: ``ks 930/2023``, or ``930/2023`` without prefix."""
        return f"{self.prefix} {self.number_key}" if self.prefix else self.number_key

    @property
    def number_key(self) -> str:
        """The prefix-free key every spelling of this number shares."""
        return f"{self.number}/{self.year}"

    def keys(self) -> tuple[str, ...]:
        """Every key under which a § filed under this case is indexed."""
        return (self.key, self.number_key) if self.prefix else (self.number_key,)


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse(text: str, strict: bool = False) -> CaseNumber:
    """Parse one case number, or raise CaseNumberError naming the argument.

    ``strict`` reads text not known to be a case number (a protocol's words, a query's): an office is
    then written in capitals or short (``KS``, ``BUN``, ``Ks``, ``Kfn``), so ``Budget 2024-2026`` is none,
    and two years without a label or an office (``2024-2026``, ``2023/2024``, the school year
    ``2024/25``) are a span of years.  Given as a case number (``trygg-search case``), any spelling is read."""
    s = " ".join(text.split()).strip("\"'“”‘’()[]").rstrip(".,;:!?").strip()
    labelled = re.match(_LABEL, s, re.IGNORECASE) is not None
    if re.fullmatch(r"\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}", s):
        s = ""  # a date, not a year, a number and a document number
    for pattern in _FORMS:
        m = pattern.match(s)
        if m and pattern is _YEAR_FIRST and re.fullmatch(_YEAR, m.group("num")):
            continue  # "2019/2020": both could be the year; read as number/year
        if m:
            groups = m.groupdict()
            prefix = groups.get("prefix")
            if prefix and prefix.casefold() in _LABEL_WORDS:
                prefix = None
            if strict and prefix and not (prefix.isupper() or len(prefix) <= 3):
                continue
            if strict and not prefix and not labelled and _years(groups):
                continue
            suffix = groups.get("suffix")
            return CaseNumber(
                prefix.casefold() if prefix else None,
                int(m.group("num")),
                _year(groups.get("year") or groups.get("dyear")),
                int(suffix) if suffix else None,
            )
    raise CaseNumberError(
        f"{text!r} is not a case number (expected a form such as 'Ks 930/2023', 'KS 2017/484', '930/2023' or 'SLK-2023-00364')"
    )


def _years(groups: dict) -> bool:
    """Whether a number and its year, read without an office, are a span of years: ``2024-2026``,
    ``2023/2024``, the school year ``2024/25``."""
    num, year = groups.get("num") or "", groups.get("year") or groups.get("dyear") or ""
    if re.fullmatch(_YEAR, num) and re.fullmatch(_YEAR, year):
        return 0 < int(year) - int(num) <= 10 or 0 < int(num) - int(year) <= 10
    if re.fullmatch(_YEAR, num) and len(year) == 2:
        return int(year) == (int(num) + 1) % 100
    if re.fullmatch(_YEAR, year) and len(num) == 2:  # read year first
        return int(num) == (int(year) + 1) % 100
    return False


def try_parse(text: str | None, strict: bool = True) -> CaseNumber | None:
    """Parse text that may be a case number (strictly, as :func:`parse` says), or None."""
    if not text:
        return None
    try:
        return parse(text, strict)
    except CaseNumberError:
        return None


def mentions(text: str) -> list[CaseNumber]:
    """Case numbers written in running text (``dnr KS 229/2021``), in order, without repeats."""
    found: list[CaseNumber] = []
    for m in MENTION.finditer(text):
        if m.group("yprefix") and not re.fullmatch(_YEAR, m.group("ynum")):
            prefix, num, year = m.group("yprefix"), m.group("ynum"), m.group("yyear")
        elif m.group("yprefix"):
            prefix, num, year = m.group("yprefix"), m.group("yyear"), m.group("ynum")
        elif m.group("prefix"):
            prefix, num, year = m.group("prefix"), m.group("num"), m.group("year")
        else:
            prefix, num, year = m.group("dprefix"), m.group("dnum"), m.group("dyear")
        prefix_cf = prefix.casefold()
        case = CaseNumber(None if prefix_cf in _LABEL_WORDS else prefix_cf, int(num), int(year))
        if case not in found:
            found.append(case)
    return found


# --- case numbers among other words (a protocol's lines) -----------------------------------------


def case_prefix(words: list[str]) -> int:
    """How many words at the start read as one case number (the most, up to four: "KS 02-820 107"), or 0."""
    return next((n for n in range(min(4, len(words)), 0, -1) if try_parse(" ".join(words[:n]))), 0)


def case_words(words: list[str]) -> tuple[str | None, list[str]]:
    """After ``Dnr``: (the case number, when one is written; the title after it)."""
    n = case_prefix(words)
    if n:
        return " ".join(words[:n]), words[n:]
    k = 0  # a number the site cut short ("Dnr MB Information", "Dnr Ks Ekonomisk", "Dnr 2019/"): dropped
    while k < len(words) and k < 3 and re.fullmatch(r"[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,2}|[A-ZÅÄÖ]{2,6}|[\w/:-]*\d[\w/:-]*",
                                                    words[k]) and k + 1 < len(words) and words[k + 1].lstrip("\"“”'(")[:1].isupper():
        k += 1
    return None, words[k:]
