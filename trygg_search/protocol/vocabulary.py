"""The words protocols are written in, named once: the labels a case number and an officer follow, the
sections of a §, the headings of attendance lists and their roles, signers' labels, the nouns that name
a body, and the words of titles and names.  Every rule reads them from here.
"""

from __future__ import annotations

import re

from ..casenum import CASE_LABELS  # the words a case number follows: one grammar, in casenum


DASH = "-–—‐‑"


_D = f"[{DASH}]"


_MONTHS = {
    m: i
    for i, m in enumerate(
        "januari februari mars april maj juni juli augusti september oktober november december".split(), 1
    )
}


_MONTH_OF = {m[:3]: i for m, i in _MONTHS.items()}  # by the first three letters: "feb", "sept"


_ROLE_HEADINGS = [
    (re.compile(r"^(?:(?:närvarande|beslutande)\s+)?(?:beslutande\s+)?ledamöter$|^beslutande$", re.I), "ledamot"),
    (re.compile(r"^(?:tjänstgörande|tjg\.?|beslutande)\s+ersättare$", re.I), "tjänstgörande ersättare"),
    (re.compile(r"^(?:(?:närvarande|icke tjänstgörande|ej tjänstgörande)\s+)?ersättare$", re.I), "närvarande ersättare"),
    (re.compile(r"^(?:övriga(?:\s+(?:närvarande|deltagande|deltagare))?(?:\s+tjänstemän)?|(?:närvarande\s+)?tjänstemän"
                r"|tjänstepersoner)$",
                re.I), "övrig"),
]


_HEADER_KEYS = re.compile(r"^(Datum|Sammanträdesdatum|Tid|Klockan|Plats|Lokal)\s*:\s*(.*)$", re.I)


_TITLE_WORD = re.compile(
    r"(chef|are|ör|strateg|lektor|adjunkt|ansvarig|specialist|jurist|ekonom|analytiker|assistent|"
    r"koordinator|polis|ordförande|ombud|representant|tjänsteperson|kurator|expert|konsult|rektor|"
    r"praktikant|utvecklare|kommunikatör|controller|sekreterare)$",
    re.IGNORECASE,
)


_NAME_WORD = re.compile(r"^(?:[A-ZÅÄÖÉÜ][\w'’.\-]*|af|av|von|van|de|der|da|di|la|le|al|el|bin|ben)$")


_NOT_NAME = re.compile(r"^(?:Justering|Justerare|Justerande|Justeras|Protokolls?justerare|Underskrifter|Underskrift|Sekreterare|Ordförande|"
                       r"Paragrafer|Paragraf|Utses|Plats|Tid|Organ|Sammanträdesdatum)$")


# Roles written as a run of their own after the names (a two-column list linearised):
# "Anna Ek (S) Per Berg (M) ordförande 1:e vice ordförande ledamot tjänstgörande ersättare".
_ROLE_WORD = re.compile(
    r"(?:(?:\d:e\s+|förste\s+|andre\s+)?vice\s+ordförande|ordförande|ledamot|(?:tjänstgörande|tjg\.?)\s+ersättare"
    r"(?:\s+för\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)?|ersättare\s+för\s+[A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?"
    r"|ersättare)", re.IGNORECASE)


# A signer's label with the name after it, or alone: "Justerare: Bengt Berg", "Utses att justera Per Lund",
# "Sekreterare ......... Hans Holm", "Justerande".
_SIGNERS = r"(?:Justerare|Justerande|Utses att justera|Sekreterare|Ordförande)(?![\wåäö])"


SECTION_NAMES = [
    "Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Beslut", "Yrkanden", "Yrkande",
    "Reservation", "Reservationer", "Jäv", "Beslutsgång", "Propositionsordning", "Omröstning",
    "Omröstningsresultat", "Handling", "Handlingar", "Information", "Protokollsanteckning",
    "Protokollsanteckningar", "Särskilt yttrande", "Särskilda yttranden", "Protokollsutdrag skickas till",
    "Skickas till", "Expedieras till", "Tidigare behandling", "Styrande dokument", "Bakgrund",
    "Sammanfattning", "Överläggning", "Bedömning", "Ekonomiska konsekvenser", "Ärendet",
]


_SECTION = re.compile(
    r"^(?P<name>" + "|".join(re.escape(s) for s in SECTION_NAMES) + r")(?:\s*[-–]\s*\w+(?: \w+){0,2})?\s*:?$",
    re.IGNORECASE,
)


# Other names protocols give these sections, read as the section they are.
_SECTION_ALIAS = re.compile(
    r"^(?:(?P<proposal>[\wåäöÅÄÖ-]+s\s+förslag till beslut|förslag till beslut på sammanträdet)"  # "Förvaltningens …"
    r"|(?P<sent>(?:beslutet|beslut)(?:\s+ska)?\s+(?:skickas|expedieras)\s+till|expediering|sändlista)"
    r"|(?P<summary>sammanfattning av ärendet|ärendet i korthet))\s*:?$", re.IGNORECASE)


_ALIASED = {"proposal": "Förslag till beslut", "sent": "Skickas till", "summary": "Sammanfattning"}


def _section_name(line: str) -> str | None:
    """The section a line heads (``Beslut``, ``Förvaltningens förslag till beslut`` -> ``Förslag till beslut``), or None."""
    m = _SECTION.match(line)
    if m:
        return next(n for n in SECTION_NAMES if n.casefold() == m.group("name").casefold())
    m = _SECTION_ALIAS.match(line) if len(line) <= 64 else None  # the longest alias is some 50 characters
    return _ALIASED[m.lastgroup] if m else None


# Inside a § flattened to one line: its labels and sections, each where a line of its own would start.
# A section word found only as a heading starts one anywhere; one that is also a word of running text
# ("Beslut") only after a sentence.
_SECTIONS_ANYWHERE = ("Ärendebeskrivning", "Beslutsunderlag", "Förslag till beslut", "Propositionsordning",
                      "Protokollsanteckning", "Ärendets behandling", "Särskilt yttrande")


_SECTIONS_AFTER_SENTENCE = ("Beslutet skickas till", "Beslut", "Bakgrund", "Yrkanden", "Yrkande", "Reservation",
                            "Omröstning", "Handlingar", "Handling")


def alternatives(words) -> str:
    """A regular expression's group of alternatives, the longest first (so that none stops a longer one)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


OFFICER_LABELS = ("Handläggare", "Handläggande tjänsteperson", "Föredragande")  # ... and a case officer


_CASE_LABEL = alternatives(CASE_LABELS) + r"\.?\s*:?\s*"


_CASE_LINE = re.compile(rf"^{_CASE_LABEL}(?P<value>.*)$", re.IGNORECASE)


_OFFICER_LINE = re.compile(rf"^{alternatives(OFFICER_LABELS)}\s*:\s*(?P<value>.*)$", re.I)


# Series of the state's publications, numbered as cases are: "(SOU 2023:28)", "(Ds 2021:12)", "(SFS 2018:1234)".
_PUBLICATIONS = {"sou", "ds", "sfs", "prop", "bet", "dir", "rskr", "skr", "kap", "nr"}


# The nouns that name a body, as written alone ("Socialnämnd") and definite ("Socialnämnden").
BODY_NOUNS = {"nämnd": "nämnden", "styrelse": "styrelsen", "fullmäktige": "fullmäktige", "utskott": "utskottet",
              "beredning": "beredningen", "direktion": "direktionen", "förbund": "förbundet",
              "delegation": "delegationen"}
BODY_FORMS = alternatives(set(BODY_NOUNS) | set(BODY_NOUNS.values()))  # either form
BODY_DEFINITE = alternatives(set(BODY_NOUNS.values()))
BODY_INDEFINITE = alternatives(BODY_NOUNS)


_BODY = re.compile(BODY_FORMS + "$", re.IGNORECASE)


# A body's name in the genitive ends a word: "Kommunstyrelsens (arbetsutskott)", "Kommunfullmäktiges".
BODY_GENITIVE = re.compile(BODY_DEFINITE + "s$", re.IGNORECASE)


_DOCUMENT_WORDS = re.compile(
    r"^(?:sammanträdesprotokoll|protokoll|protokollsutdrag|utdrag|kallelse|föredragningslista|dagordning|"
    r"sammanträdesdatum|sammanträde|datum|sida|sid|justerat|möte|kommun|stad|region|landsting)$",
    re.IGNORECASE,
)


# Column heads of a contents list, passed over: "Sid nr", "Paragrafer Ärenden Sida", "SIDAN", "Ärende".
CASE_LABEL = re.compile(alternatives(CASE_LABELS) + r"\.?:?$", re.IGNORECASE)  # a word before a case number


COLUMN_WORDS = {"sid", "sid.", "sida", "sidan", "nr", "paragrafer", "paragraf", "ärenden", "ärende", "rubrik",
                 "sidnr", "sid.nr", "§", "dnr", "ärende/föredragande"}


_SECTION_WORDS = {"beslut", "beslutsunderlag", "ärendebeskrivning", "bakgrund", "handling", "handlingar", "yrkanden",
                  "yrkande", "sammanfattning", "beslutsgång", "propositionsordning", "protokollsanteckning"}


_LABEL_WORD = re.compile(alternatives(CASE_LABELS + OFFICER_LABELS) + r"\b")


# Words that refer to a § rather than head one, where they stand before it: "enligt § 150", "Se § 14".
REFERS = {"enligt", "i", "under", "se", "jfr", "jämför", "paragraf", "och", "samt", "till", "från", "av", "vid",
           "kap", "om", "med", "den", "på", "eller", "tidigare", "beslut", "protokoll"}


# Words that stand before a number without being a body's prefix.
NOT_PREFIX = {"se", "ej", "om", "på", "st", "tf", "sida", "sid", "sidan", "nr", "kl", "kap", "bilaga", "punkt", "paragraf", "paragrafer", "den", "år",
               "dnr", "och", "av", "till", "från", "per", "ca", "cirka", "totalt", "tkr", "mkr", "kr", "vecka", "v",
               "omfattning", "tid", "plats", "rum", "våning", "plan", "nummer", "fråga", "motion", "ärende",
               "lokal", "sal", "hus", "grupp", "steg", "fas", "etapp", "område", "ord", "nej", "ja", "i", "s"}

