"""Clean protocols of our own, in the layouts Swedish protocol systems produce, as PDF and as Word.

Not transcripts: what a clerk publishes.  Each protocol is made from a
specification (:class:`Spec`): its committee, date, attendance, signers and
§§, each § with its title, case number, officer and sections.  The
specification is the golden truth; :func:`lines` lays the protocol out in
one of five layouts, and :func:`write_pdf` and :func:`write_docx` render the
same lines as a PDF (reportlab: running heads, page numbers, a signature
footer, columns side by side) and as a Word file (tables where the layout
has columns, the running head in the page header).

The §§ hold what a parser must not misread: numbered lists, references to
other §§ and to laws at a line's start, a long paragraph with a number after
a full stop, titles with years and ranges, page breaks inside a §,
substitutes, partial attendance and a member's conflict of interest (jäv).

Layouts:

- ``label``: a front page of labels in a left column (Plats och tid,
  Beslutande, Övriga närvarande, Utses att justera, Underskrifter,
  Paragrafer), ``§ 12`` with the title on the next line, ``Dnr`` below;
- ``plain``: ``Datum:``/``Tid:``/``Plats:`` lines, the attendance as a
  table of name, party and role, ``§ 12 Title`` and ``Ärendenummer:``;
- ``prefix``: ``KS § 12`` and the title in a row with the case number in a
  right column, the attendance a line a person;
- ``dnr``: ``§ 12`` and ``Dnr`` in one row, the title on the next line;
- ``council``: a council's long protocol: forty §§, yrkanden,
  propositionsordning, a vote with its roll call, reservations.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

FIRST = ["Anna", "Per", "Eva", "Lars", "Karin", "Olle", "Maria", "Johan", "Sara", "Erik", "Lena", "Mats", "Ingrid",
         "Jonas", "Helena", "Björn", "Fatima", "Ahmed", "Kristina", "Nils", "Åsa", "Göran", "Linnéa", "Ulf", "Petra",
         "Mikael", "Elin", "Tobias", "Ylva", "Henrik"]
LAST = ["Berg", "Lund", "Holm", "Ek", "Ström", "Nyberg", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
        "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
        "Sandberg", "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson", "Håkansson", "Bergström", "Öberg",
        "Hedlund"]
PARTIES = ["S", "M", "SD", "C", "V", "KD", "L", "MP"]
COMMITTEES = [("Kommunstyrelsen", "KS"), ("Socialnämnden", "SN"), ("Barn- och utbildningsnämnden", "BUN"),
              ("Tekniska nämnden", "TN"), ("Kultur- och fritidsnämnden", "KFN"), ("Miljö- och byggnämnden", "MBN"),
              ("Kommunstyrelsens arbetsutskott", "KSAU")]
TITLES = ["Val av justerare", "Godkännande av dagordning", "Budget 2024–2026", "Plan för äldreomsorgen 2023–2026",
          "Skolskjuts läsåret 2024/25", "Sportlovsaktiviteter vecka 8–9", "Delårsrapport januari–augusti",
          "Motion om fler laddstolpar", "Medborgarförslag om en hundrastgård", "Taxa för bygglov",
          "Riktlinjer för bostadsanpassning", "Anmälan av delegationsbeslut", "Information från förvaltningen",
          "Upphandling av skolmåltider", "Yttrande över remiss om samhällsbyggnad", "Revidering av arbetsordning",
          "Årsredovisning 2023", "Investeringsbudget för gator och vägar", "Bidrag till föreningen Gula Villan",
          "Detaljplan för Norra hamnen", "Avgifter inom hemtjänsten 2025", "Ny förskola i Västra Skogen",
          "Uppföljning av internkontroll", "Val av ledamot till krisledningsnämnden", "Lokalförsörjningsplan",
          "Svar på revisionsrapport om bisysslor", "Ändring av reglemente", "Trafiksäkerhetsplan 2024–2027",
          "Förlängning av avtal om kollektivtrafik", "Handlingsplan mot ensamhet"]
SENTENCES = [
    "Förvaltningen har tagit fram ett förslag som redovisas i tjänsteskrivelsen.",
    "Ärendet har beretts i samråd med berörda verksamheter och de fackliga organisationerna.",
    "Kostnaderna ryms inom den ram som fullmäktige har beslutat om för innevarande år.",
    "Nämnden har tidigare behandlat frågan och gav då förvaltningen i uppdrag att utreda saken vidare.",
    "En konsekvensanalys visar att förslaget inte påverkar barn och unga negativt.",
    "Under året har antalet ärenden ökat jämfört med föregående period.",
    "Förslaget innebär att verksamheten kan bedrivas med bibehållen kvalitet.",
    "Synpunkter har inhämtats från pensionärsrådet och rådet för funktionshinderfrågor.",
    "Förvaltningen bedömer att åtgärderna bör genomföras under hösten.",
    "Frågan har även diskuterats vid ett dialogmöte med medborgare i området.",
]
SECTION_TEXT = {
    "Ärendebeskrivning": 3, "Beslutsunderlag": 1, "Förslag till beslut": 1, "Beslut": 1,
}


@dataclass
class Person:
    name: str
    party: str | None
    role: str  # ledamot | tjänstgörande ersättare | närvarande ersättare | övrig
    title: str | None = None  # ordförande, 1:e vice ordförande, kommundirektör
    paragraphs: tuple[int, ...] = ()  # empty: the whole meeting
    replaces: str | None = None


@dataclass
class Para:
    number: int
    title: str
    case: str | None
    officer: str | None
    body: list[tuple[str, list[str]]]  # (section name or "", paragraphs)
    recused: str | None = None
    decisions: dict | None = None  # what protocol.decisions must read (council §§ with yrkanden)


@dataclass
class Spec:
    name: str
    layout: str
    committee: str
    prefix: str
    date: str
    time: str
    place: str
    people: list[Person]
    chair: str
    secretary: str
    adjusters: list[str]
    paragraphs: list[Para] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return self.paragraphs[0].number, self.paragraphs[-1].number


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in taken:
            taken.add(name)
            return name


def _sentences(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(SENTENCES, n))


def spec(seed: int, layout: str) -> Spec:
    """A protocol of one layout, all of it drawn from ``seed``."""
    rng = random.Random(seed)
    committee, prefix = rng.choice(COMMITTEES[:1] if layout == "council" else COMMITTEES)
    if layout == "council":
        committee, prefix = "Kommunfullmäktige", "KF"
    taken: set[str] = set()
    size = 41 if layout == "council" else rng.randint(7, 11)
    first = rng.randint(1, 180)
    numbers = list(range(first, first + size))
    members = [Person(_name(rng, taken), rng.choice(PARTIES), "ledamot") for _ in range(31 if layout == "council" else 7)]
    members[0].title = "ordförande"
    members[1].title = "1:e vice ordförande"
    absent = Person(_name(rng, taken), rng.choice(PARTIES), "ledamot")
    substitute = Person(_name(rng, taken), absent.party, "tjänstgörande ersättare", replaces=absent.name)
    partial = Person(_name(rng, taken), rng.choice(PARTIES), "ledamot", paragraphs=tuple(numbers[: size // 2]))
    late = Person(_name(rng, taken), partial.party, "tjänstgörande ersättare", paragraphs=tuple(numbers[size // 2:]),
                  replaces=partial.name)
    listening = Person(_name(rng, taken), rng.choice(PARTIES), "närvarande ersättare")
    staff = [Person(_name(rng, taken), None, "övrig", "kommundirektör"),
             Person(_name(rng, taken), None, "övrig", "nämndsekreterare")]
    people = members + [partial, substitute, late, listening] + staff
    chair, secretary = members[0].name, staff[1].name
    adjusters = [members[2].name] + ([members[3].name] if layout in ("council", "label") else [])
    year = rng.choice([2022, 2023, 2024, 2025])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}"
    place = rng.choice(["Stadshuset, Sessionssalen", "Kommunhuset, Rum Ljusnan", "Rådhuset, Dialogen"])
    start = rng.choice(["13.00", "09.00", "18.30"])
    s = Spec(f"{layout}-{seed}", layout, committee, prefix, date, f"{start}–{int(start[:2]) + 3:02d}.15", place, people,
             chair, secretary, adjusters)
    titles = rng.sample(TITLES, min(size, len(TITLES))) + [f"Interpellation {k} om stadsmiljön" for k in range(size)]
    recused_at = numbers[size // 3]
    for k, number in enumerate(numbers):
        title = titles[k]
        case = None if k < 2 else _case(rng, layout, prefix, year)
        officer = None if k < 2 else _name(rng, set(taken))
        body: list[tuple[str, list[str]]] = [("Ärendebeskrivning", [_sentences(rng, 2), _sentences(rng, 2)])]
        if k == 2:  # a numbered list whose numbers fall inside the meeting's §§
            body[0][1].append(f"{number + 1} Kommunen lämnar bidrag till föreningens verksamhet under året.")
            body[0][1].append(f"{number + 2} Föreningen redovisar hur bidraget har använts.")
        if k == 3:  # a reference at a line's start, and a law's §
            body[0][1].append(f"Se § {number + 2} nedan för bakgrunden till ärendet.")
            body[0][1].append("5 kap. 3 § kommunallagen anger vilka ärenden som ska beslutas av fullmäktige.")
        if k == 4:  # a long paragraph with a number after a full stop
            body[0][1].append(" ".join(SENTENCES[:4]) + f" Arbetet har fortsatt. {number + 2} Medborgare har "
                              f"lämnat synpunkter under samrådet, och " + _sentences(rng, 3).lower())
        if k == 5:
            body[0][1].append(f"Nämnden beslutade den {year - 1}-05-12 § {number - 40 if number > 40 else 3} att "
                              f"ge förvaltningen i uppdrag att utreda frågan.")
        body.append(("Beslutsunderlag", [f"Tjänsteskrivelse {date}"]))
        body.append(("Förslag till beslut", [f"{committee} beslutar att godkänna förslaget."]))
        recused = None
        if number == recused_at:
            recused = members[4].name
            body.insert(0, ("Jäv", [f"{recused} ({members[4].party}) deltar inte i handläggningen av ärendet på "
                                     f"grund av jäv."]))
        decisions = None
        if layout == "council" and k % 5 == 2:
            body, decisions = _debated(rng, body, members, committee, k)
        else:
            body.append(("Beslut", [f"{committee} beslutar att godkänna förslaget."]))
        if k % 4 == 1:
            body.append(("Skickas till", ["Förvaltningen", "Ekonomienheten"]))
        s.paragraphs.append(Para(number, title, case, officer, body, recused, decisions))
    return s


def _debated(rng: random.Random, body, members: list[Person], committee: str, k: int):
    """A § debated in the council: yrkanden in the forms protocols write them, a vote (counts, or a roll
    call), reservations and notes; and what the decision record must hold."""
    a, b, c, d = members[0], members[5], members[6], members[7]
    parties = sorted({m.party for m in members} - {a.party})[:2]
    form = k % 4
    proposals = [((a.name,), (a.party,), "bifall")]
    said = [f"{a.name} ({a.party}) yrkar bifall till kommunstyrelsens förslag."]
    if form == 0:
        said.append(f"{b.name} ({b.party}) och {c.name} ({c.party}) yrkar avslag på kommunstyrelsens förslag.")
        proposals.append(((b.name, c.name), tuple(dict.fromkeys((b.party, c.party))), "avslag"))
    elif form == 1:
        said.append(f"Ledamöterna från {parties[0]} och {parties[1]} yrkar att ärendet ska återremitteras till "
                    f"kommunstyrelsen för en ny beredning.")
        proposals.append(((), tuple(parties), "återremiss"))
    elif form == 2:
        said.append(f"{b.name} ({b.party}) yrkar följande tillägg: att förvaltningen återrapporterar i juni.")
        proposals.append(((b.name,), (b.party,), "tillägg"))
    else:
        said.append(f"{b.name} ({b.party}) yrkar att punkt 2 ändras till: Nämnden får i uppdrag att utreda frågan.")
        proposals.append(((b.name,), (b.party,), "ändring"))
    body.append(("Yrkanden", said))
    body.append(("Propositionsordning", ["Ordföranden ställer proposition på bifall och avslag och finner att "
                                          "fullmäktige beslutar enligt kommunstyrelsens förslag. Omröstning begärs."]))
    votes = []
    if k % 10 == 2:
        yes, no, away = 20 + k % 7, 9 - k % 7, k % 3 + 1
        body.append(("Omröstning", [f"Godkänd voteringsproposition: ”Ja för bifall till kommunstyrelsens förslag och "
                                     f"Nej för bifall till {b.name}s yrkande”.",
                                     f"Omröstningen utfaller med {yes} ja-röster mot {no} nej-röster. {away} ledamöter "
                                     f"avstår från att rösta. Hur var och en röstar framgår av bilaga {k % 9 + 1}."]))
        votes.append((yes, no, away, f"bilaga {k % 9 + 1}", "ja"))
    else:
        ja, nej = members[8:11], [b, c]
        body.append(("Omröstning", ["Godkänd voteringsproposition: ”Ja för bifall och Nej för avslag”.",
                                    ", ".join(f"{m.name} ({m.party})" for m in ja[:-1]) + f" och {ja[-1].name} "
                                    f"({ja[-1].party}) röstar Ja ({len(ja)}).",
                                    f"{nej[0].name} ({nej[0].party}) och {nej[1].name} ({nej[1].party}) röstar Nej "
                                    f"({len(nej)})."]))
        votes.append((len(ja), len(nej), None, None, "ja"))
    back = form == 1 and k % 3 == 0
    body.append(("Beslut", ["Ärendet återremitteras till kommunstyrelsen." if back
                            else f"{committee} beslutar att godkänna förslaget."]))
    reservations = [((b.party,), False)]
    lines = [f"Ledamöterna från {b.party} reserverar sig mot beslutet till förmån för det egna yrkandet."]
    if form in (2, 3):
        lines.append(f"{d.name} ({d.party}) reserverar sig skriftligt mot beslutet. Reservationen bifogas protokollet.")
        reservations.append(((d.party,), True))
    body.append(("Reservation", lines))
    notes = []
    if form == 0:
        body.append(("Protokollsanteckning", [f"{d.name} ({d.party}) lämnar följande protokollsanteckning: "
                                              f"Vi vill se en uppföljning under året."]))
        notes.append(("protokollsanteckning", (d.party,)))
    truth = {"proposals": proposals, "votes": votes, "reservations": reservations, "notes": notes,
             "outcome": "återremiss" if back else None}
    return body, truth


def _case(rng: random.Random, layout: str, prefix: str, year: int) -> str:
    number = rng.randint(12, 1400)
    if layout == "plain":
        return f"{prefix}-{year}-{number:05d}" if rng.random() < 0.5 else f"{prefix} {year}/{number}"
    if layout == "dnr":
        return f"{prefix} {year}.{number:04d}"
    return f"{prefix} {year}/{number}"


# --- the layouts: a protocol as lines of cells ---------------------------------------------------------

@dataclass
class Line:
    cells: list[str]  # one cell: a line of text; more: columns side by side (a table's row)
    wrap: bool = True  # a line of running text, wrapped to the page


def _attendance_line(p: Person, layout: str) -> list[str]:
    """A person as a cell or cells of a line."""
    party = f" ({p.party})" if p.party else ""
    ranges = ""
    if p.paragraphs:
        ranges = f"§§ {p.paragraphs[0]}–{p.paragraphs[-1]}" if len(p.paragraphs) > 1 else f"§ {p.paragraphs[0]}"
    replaces = f"ersätter {p.replaces}" if p.replaces else ""
    if layout == "plain":  # name | party | role or title | §§
        role = p.title or ("ersättare för " + p.replaces if p.replaces else p.role if p.role != "övrig" else "")
        return [p.name, f"({p.party})" if p.party else "", role, ranges]
    text = p.name + party + (f", {p.title}" if p.title else "")
    return [" ".join(x for x in (text, replaces, ranges) if x)]


def lines(s: Spec) -> list[Line]:
    """The protocol laid out as lines, in its layout."""
    out: list[Line] = []
    add = lambda *cells, wrap=True: out.append(Line(list(cells), wrap))  # noqa: E731
    lo, hi = s.span
    groups = [("Beslutande", [p for p in s.people if p.role in ("ledamot", "tjänstgörande ersättare")]),
              ("Ersättare", [p for p in s.people if p.role == "närvarande ersättare"]),
              ("Övriga närvarande", [p for p in s.people if p.role == "övrig"])]
    if s.layout in ("label", "council"):
        add("SAMMANTRÄDESPROTOKOLL")
        add(s.committee)
        add(f"Sammanträdesdatum {s.date}")
        add("")
        add("Plats och tid", f"{s.place}, kl. {s.time}")
        for label, people in groups:
            for k, p in enumerate(people):
                add(label if k == 0 else "", _attendance_line(p, s.layout)[0])
        add("Utses att justera", " och ".join(s.adjusters))
        add("Justeringens plats och tid", f"{s.place.split(',')[0]}, {s.date[:8]}{int(s.date[8:]) + 2:02d}")
        add("")
        add("Underskrifter", "Sekreterare", "....................................", f"Paragrafer {lo}–{hi}")
        add("", "", s.secretary)
        add("", "Ordförande", "....................................")
        add("", "", s.chair)
        add("", "Justerande", "....................................")
        add("", "", " och ".join(s.adjusters))
    else:
        add(f"{s.committee}" if s.layout != "prefix" else f"{s.committee.upper()}")
        add("Protokoll" if s.layout != "prefix" else "SAMMANTRÄDESPROTOKOLL")
        add("")
        add(f"Datum: {s.date}")
        add(f"Tid: {s.time}")
        add(f"Plats: {s.place}")
        add("")
        for label, people in groups:
            add(label if s.layout != "plain" else {"Beslutande": "Närvarande ledamöter"}.get(label, label))
            for p in people:
                add(*_attendance_line(p, s.layout), wrap=s.layout != "plain")
            add("")
        add(f"Justerare: {' och '.join(s.adjusters)}")
        add(f"Paragrafer: {lo}–{hi}")
        add("")
        add("Sekreterare", "Ordförande", "Justerare")
        add("....................", "....................", "....................")
        add(s.secretary, s.chair, s.adjusters[0])
    for p in s.paragraphs:
        add("")
        if s.layout in ("label", "council"):
            add(f"§ {p.number}")
            add(p.title)
            if p.case:
                add(f"Dnr {p.case}")
        elif s.layout == "plain":
            add(f"§ {p.number} {p.title}")
            if p.case:
                add(f"Ärendenummer: {p.case}")
        elif s.layout == "prefix":
            add(f"{s.prefix} § {p.number}", p.title, p.case or "")
        else:  # dnr
            add(f"§ {p.number}", f"Dnr {p.case}" if p.case else "")
            add(p.title)
        if p.officer:
            add(f"Handläggare: {p.officer}")
        for name, texts in p.body:
            add("")
            add(name)
            for t in texts:
                add(t)
    return out


def truth(s: Spec) -> dict:
    """What the parser must read of the protocol."""
    return {
        "committee": s.committee, "date": s.date, "chair": s.chair, "secretary": s.secretary,
        "adjusters": list(s.adjusters),
        "attendance": {p.name: p.party for p in s.people},
        "paragraphs": [(p.number, p.title, p.case) for p in s.paragraphs],
        "participants": {p.number: _present(s, p) for p in s.paragraphs},
        "decisions": {p.number: p.decisions for p in s.paragraphs if p.decisions},
    }


def _present(s: Spec, p: Para) -> list[str]:
    replaced = {x.replaces for x in s.people if x.replaces and (not x.paragraphs or p.number in x.paragraphs)}
    out = []
    for x in s.people:
        if x.paragraphs and p.number not in x.paragraphs or x.name in replaced or x.name == p.recused:
            continue
        out.append(x.name)
    return out


# --- rendering ----------------------------------------------------------------------------------------

WIDTH = 92  # characters a PDF line holds
LINES_PER_PAGE = 46
COLUMNS = {1: [60], 2: [60, 210], 3: [60, 230, 420], 4: [60, 200, 260, 420]}


def _pdf_lines(s: Spec) -> list[list[str]]:
    """The lines as a PDF's pages hold them: running text wrapped, rows kept whole."""
    out: list[list[str]] = []
    for line in lines(s):
        if len(line.cells) == 1 and line.wrap:
            out += [[w] for w in textwrap.wrap(line.cells[0], WIDTH)] or [[""]]
        else:
            out.append(line.cells)
    return out


def write_pdf(s: Spec, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rows = _pdf_lines(s)
    pages = [rows[i:i + LINES_PER_PAGE] for i in range(0, len(rows), LINES_PER_PAGE)]
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number, page in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(60, height - 36, s.committee)
        c.drawString(width / 2 - 20, height - 36, "Protokoll")
        c.drawString(width - 120, height - 36, s.date)
        c.setFont("Helvetica", 10)
        y = height - 70
        for cells in page:
            xs = COLUMNS.get(len(cells), COLUMNS[4])
            for x, cell in zip(xs, cells):
                if cell:
                    c.drawString(x, y, cell)
            y -= 15
        c.setFont("Helvetica", 8)
        c.drawString(60, 40, "Justerandes signatur")
        c.drawString(240, 40, "Utdragsbestyrkande")
        c.drawString(width - 110, 40, f"Sida {number} ({len(pages)})")
        c.showPage()
    c.save()


def write_docx(s: Spec, path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"{s.committee}\tProtokoll\t{s.date}"
    table = None
    for line in lines(s):
        if len(line.cells) == 1:
            table = None
            if line.cells[0] or True:
                document.add_paragraph(line.cells[0])
            continue
        if table is None or len(table.columns) != len(line.cells):
            table = document.add_table(rows=0, cols=len(line.cells))
        row = table.add_row().cells
        for cell, text in zip(row, line.cells):
            cell.text = text
    document.save(str(path))


LAYOUTS = ("label", "plain", "prefix", "dnr", "council")


def corpus(first: int = 0) -> list[Spec]:
    """Thirteen protocols: two or three of each layout, the council's once."""
    out = []
    for layout in LAYOUTS:
        for seed in range(first, first + (1 if layout == "council" else 3)):
            out.append(spec(1000 * LAYOUTS.index(layout) + seed, layout))
    return out


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())
