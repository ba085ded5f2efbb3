"""The 45 excerpts of other municipalities' protocols (../shared/real-protocols/more): what each one holds.

Each file's name gives its body and its date as the protocol states them
(SOURCES.md; ``odaterat``: the excerpt holds no date).  What the parser
reads must be right: a committee or a date taken from the text is never
wrong, whatever it cannot find; and the share it finds may only grow.  No
§ or section is ever titled by a document site's wrapper text.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from trygg_search.protocol import parse_meeting
from trygg_search.sources import read_source

from .conftest import REAL

MORE = REAL / "more"
# Where a protocol names its body otherwise than the file name, as read in the document:
OWN_NAMES = {"09": "osthammars-socialnamnd"}  # "Östhammars socialnämnd Sammanträdesdatum"
WRAPPER = re.compile(r"storlek: px|starta visningen|download \"|transkript|save this pdf|no results found|"
                     r"full text|academic year|copied!|ladda ner", re.IGNORECASE)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _excerpts():
    files = sorted(MORE.glob("[0-9][0-9]_*.txt"))
    if not files:
        pytest.skip(f"{MORE} not present (the shared folder lies beside the checkout in CI)")
    for path in files:
        m = re.match(r"(?P<n>\d+)_(?P<place>[^_]+)_(?P<body>[^_]+)_(?P<date>[^_.]+)", path.name)
        date = m.group("date") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.group("date")) else None
        yield path, m.group("n"), OWN_NAMES.get(m.group("n"), m.group("body")), date


@pytest.fixture(scope="module")
def parsed():
    return [(path, n, body, date, parse_meeting(read_source(path).text, str(path))) for path, n, body, date in _excerpts()]


def test_a_committee_read_from_the_text_is_the_body_that_met(parsed):
    found = 0
    for path, _, body, _, meeting in parsed:
        if meeting.committee:
            found += 1
            assert _slug(meeting.committee) == body, (path.name, meeting.committee)
    assert found >= 38, found  # of 45: the others name no body in their excerpt, or only in a way not read yet


def test_a_date_read_from_the_text_is_the_meeting_date(parsed):
    found = 0
    for path, _, _, date, meeting in parsed:
        if meeting.date_source == "text":
            found += 1
            assert meeting.date == date, (path.name, meeting.date, date)  # never a date for an undated excerpt
        elif meeting.date:
            assert meeting.date_source == "file name", path.name
    assert found >= 25, found


def test_no_paragraph_or_section_is_titled_by_a_sites_wrapper(parsed):
    for path, _, _, _, meeting in parsed:
        for p in meeting.paragraphs:
            assert not WRAPPER.search(p.title), (path.name, p.title)
        assert not (meeting.committee and WRAPPER.search(meeting.committee)), path.name


def test_parse_says_what_it_could_not_find(parsed):
    for path, _, _, _, meeting in parsed:
        data = meeting.to_dict()
        assert set(data["missing"]) <= {"date", "committee", "paragraphs", "attendance"}
        assert ("committee" in data["missing"]) == (not meeting.committee), path.name
        assert ("date" in data["missing"]) == (meeting.date_source != "text"), path.name


# Attendance as these protocols write it, read from the documents: several names on a line, parties
# after a comma, substitutes with "istf", "ersättare för", "tjänstgörande ersättare för".
ATTENDANCE = {
    "04": [("Leif Persson", "S", None), ("Björn Mårtensson", "S", "Roland Bäckman"), ("Leif Hansen", "SRD", None)],
    "10": [("Jannike Hillding", "M", None), ("Marcus Danielsson", "SD", None), ("Carina Fröberg", "S", None)],
    "18": [("Carl-Gustaf Dybeck", "M", "Leif Carlsson"), ("Susanne Wismen", "KD", None)],
    "29": [("Gudrun Augustsson", "C", "Niklas Hellström")],
    "28": [("Kristin Kellander", "L", None), ("Fredrik Bertilsson", "SD", "Sara Åberg")],  # "ande" for Beslutande
}


@pytest.mark.parametrize("number", sorted(ATTENDANCE))
def test_attendance_in_the_forms_these_protocols_use(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    people = {a.name: a for a in meeting.attendance}
    for name, party, replaces in ATTENDANCE[number]:
        assert name in people, (number, name, list(people))
        assert people[name].party == party
        assert [r.name for r in people[name].replaces] == ([replaces] if replaces else [])


def test_attendance_is_found_in_most_excerpts_that_have_a_list(parsed):
    assert sum(1 for *_, m in parsed if m.attendance) >= 30


# Agendas as these bodies publish them, read from the documents: the item number alone on its line
# (" 1. 4." a list index and the item, or "4"), the title on the next line.
AGENDAS = {
    "05": [(1, "Inledning och upprop"), (2, "Kungörelse och annonsering"), (3, "Justering")],
    "06": [(2, "Sammanträdets öppnande"), (3, "Upprop"), (4, "Val av justerare samt tid för justering")],
}


@pytest.mark.parametrize("number", sorted(AGENDAS))
def test_agendas_are_notices_with_their_items(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    assert meeting.kind == "notice"
    assert [(p.number, p.title) for p in meeting.paragraphs][: len(AGENDAS[number])] == AGENDAS[number]


# Chair, secretary and adjusters as the front pages and signature blocks name them (read in the documents).
SIGNERS = {
    "02": ("Kurt Pettersson", None, ("Annette Tagesson", "Jan Emanuel Johansson")),
    "03": (None, None, ("Marie-Louise Hellström",)),
    "17": ("Agne Nilsson", None, ("Greger Johnsson",)),
    "20": (None, "Kerstin Frimodig", ()),
    "31": ("Yvonne Stålnacke", "Sofia Riström", ("Anette Asplund",)),
    "32": ("Yvonne Stålnacke", "Henrik Berg", ("Thomas Olofsson",)),
    # a flattened signature block: "Sekreterare Ingela Carlsson Ordförande Lars Aronsson Justerare Joakim Rylin"
    "22": ("Lars Aronsson", "Ingela Carlsson", ("Joakim Rylin",)),
    "37": (None, "Christel Öhgren", ()),  # "Sekreterare Christel Öhgren Justeras …"
    "10": (None, None, ("Carina Grahn Hellberg",)),  # a front page alone
}


@pytest.mark.parametrize("number", sorted(SIGNERS))
def test_signers_are_read_under_their_labels(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    chair, secretary, adjusters = SIGNERS[number]
    assert (meeting.secretary, meeting.adjusters) == (secretary, adjusters)
    assert chair is None or meeting.chair == chair


def test_every_signer_read_is_named_in_the_document(parsed):
    for path, n, _, _, meeting in parsed:
        text = " ".join(path.read_text(encoding="utf-8").split())
        for name in (meeting.chair, meeting.secretary, *meeting.adjusters):
            assert name is None or name in text, (n, name)


# The excerpts that are no minutes: agendas (föredragningslista, kallelse) and Stockholm's meeting page.
NOT_MINUTES = {"05", "06", "11", "16", "43"}


def test_every_excerpt_of_minutes_is_a_protocol_even_where_no_paragraph_is_found(parsed):
    """A front page alone (Krokom, Jönköping, Karlstad) or a protocol whose § headings a site lost
    (Skellefteå, Ljungby) is still a protocol: it says so at its top or lists who attended."""
    kinds = {n: m.kind for _, n, _, _, m in parsed}
    assert {n for n, kind in kinds.items() if kind != "protocol"} == NOT_MINUTES
    assert all(kinds[n] == "notice" for n in NOT_MINUTES)


def test_a_contents_list_gives_titles_and_case_numbers_to_the_paragraphs_it_lists():
    text = ("Kommunstyrelsen\n\nDatum: 2024-01-15\nParagrafer 62-63\n\nInnehållsförteckning\n"
            "62 Dnr KS 2018/14 Samordnad skolskjuts ........ 3\n63 Dnr KS 2018/20 Budget 2019 ......... 4\n\n"
            "§ 62\n\nBeslut\n\nBifall.\n\n§ 63 Budget 2019\n\nDnr KS 2018/20\n\nBeslut\n\nBifall.\n")
    m = parse_meeting(text)
    assert [(p.number, p.title, p.case_number) for p in m.paragraphs] == [
        (62, "Samordnad skolskjuts", "KS 2018/14"), (63, "Budget 2019", "KS 2018/20")]


# The §§ (and an agenda's items) each excerpt holds, read in the documents: a heading in the text or a
# line of a contents list, with the start of its title and its case number where the document gives
# them (None: not given, or not read here).  Numbers a site dropped count where the list's order and
# its titles say them (Mjölby 56 and 58, Alingsås 28 and 29, Södertälje 121-123), and not where they
# cannot be told (Timrå's list after 39, Luleå 263-265).
def _run(first: int, titles: str) -> dict[int, tuple[str | None, str | None]]:
    return {first + k: (t or None, None) for k, t in enumerate(titles.split("|"))}


PARAGRAPHS: dict[str, dict[int, tuple[str | None, str | None]]] = {
    "01": {6: ("Ändring i bestämmelser för ersättningar till kommunalt förtroendevalda", "KS/2011:286")},
    "02": {266: ("Val av justeringsmän och tillkännagivande om justering", None),
           267: ("Bildning av kommunal bolagskoncern för de helägda bolagen", "KS 02-820 107")},
    "03": {141: ("Gatubelysning i Ljusdals kommun", None)},
    "04": _run(62, "Information från kommunchefen|Plan och riktlinjer för budget och budgetuppföljning|"
                   "Bokslut 2013 för kommunstyrelsen|Resursinventering gällande ungdomsarbetslöshet|"
                   "Samordnad fastighetsförvaltning i Ljusdals kommun|Detaljplan för Järvsö Kyrkby 23:19, Alpbyn"),
    "05": _run(1, "Inledning och upprop|Kungörelse och annonsering|Justering|Anmälan av länsstyrelsens beslut|"
                  "Överlämnande av slutförd utredning|Arbetsordning för landstingsfullmäktige|"
                  "Ökade resurser till hälso- och sjukvårdsnämnden|Borgensåtagande för AB Storstockholms Lokaltrafik|"
                  "Ändrade förutsättningar för ingångna leasingtransaktioner"),
    "06": _run(2, "Sammanträdets öppnande|Upprop|Val av justerare samt tid för justering"),
    "07": {163: ("Information från AB Bostäder", None)},
    "08": _run(3, "Justering och fastställande av föredragningslista|Sekretessgenomgång|Faderskapsutredning|"
                  "Internetbaserade inköp för enskilda med hemtjänst|Uppföljningsrapport dataskyddsförordningen|"
                  "Årsbokslut och bokslut|Uppföljning av internkontroll 2018|Detaljbudget och upphandlingsplan 2019|"
                  "Sammanställning avvikelser, synpunkter och klagomål 2018|Statsbidrag för verksamhet med personliga ombud|"
                  "PR Vård|Omhändertagande avlidna|Rapportering ej verkställda beslut kvartal 4 2018|Kontaktpolitiker 2019|"
                  "Redovisning av delegeringsbeslut|Utestående uppdrag 2019|Val av representant (opposition)"),
    "09": {63: ("Fastställande av dagordning", None)},
    "11": {**_run(1, "Upprop|Godkännande av föredragningslistan och val av justerare|Arbetsutskottets protokoll 4 juni 2018|"
                     "Information GDPR|Lägesrapport om byggnationer på skolor|Närvarofrämjande arbete|"
                     "Lägesrapport om SFI i samarbete med Eslöv|Utvärdering elevhälsans organisation|"
                     "Tilläggsbelopp och kartläggning av stöd i form av elevassistent|"
                     "Justering av upptagningsområde för skolskjuts|Samråd detaljplan för Höör 57:17, Kvarnbäck|"
                     "Ekonomisk uppföljning maj 2018|Uppsägning av lokal som inrymmer förskoleavdelningen Flodhästen|"
                     "Avveckling av förskola"),
           3: ("Arbetsutskottets protokoll 4 juni 2018", "BUN 2018/41")},
    "12": _run(9, "Val av justerare|Information till barn- och utbildningsnämnden|Motion om könsneutrala omklädningsrum|"
                  "Öppen förskola i Ullared|Namnbyte av Långavekaskolan|Genomförandeplan med budget|"
                  "Timplan för grundskolan|Dokumenthanteringsplan barn- och utbildningsnämnden|"
                  "Arkivbeskrivning för barn- och utbildningsnämnden|Mötestider för barn- och utbildningsnämnden|"
                  "Meddelanden till barn- och utbildningsnämnden|Redovisning av delegationsbeslut"),
    "13": {39: ("Val av justerare", None)},
    "14": {77: ("Val av justerare", None)},
    "16": {**_run(2, "Val av justerare och tid för justering|Anmälan av föregående protokoll|"
                     "Anmälan av delegationsbeslut fattade inom miljöförvaltningen|Anmälan av handikapprådets protokoll|"
                     "Tertialrapport 2 2010|Överklagande av beslut om klagomål över lukt och buller|"
                     "Ansökan om utdömande av vite - Holmfrid 13|Överklagande av beslut om avgift för tillsyn|"
                     "Motion från (2010:11) Stellan Hamrin (V)|Förslag till revidering av föreskrifter|"
                     "Rapport om temperaturer i butikskyldiskar|Motion (2010:2) av Malte Sigemalm (S)|"
                     "Ansökan från Trafikkontoret om dispens|Motion (2010:12) från Maria Hannäs (V)|"
                     "Detaljplan för Vattenfallet 2 i stadsdelen Råcksta"),
           **{n: (None, case) for n, case in [(7, "2007-8109"), (9, "2009-4194"), (10, "2010-11028"), (11, "2010-12343"),
                                              (12, "2010-14724"), (13, "2010-12272"), (14, "2010-14383")]}},
    "17": {101: ("Miljöpris 2012", None)},
    "19": {27: ("Information", None)},
    "20": {18: ("Ändring av dagordning", None)},
    "21": _run(74, "Upprop och val av justeringsmän och justering|Godkännande av föredragningslista|"
                   "Information om integrationsarbetet inom Borås"),
    "22": _run(22, "Antagande av anbud gällande leverans och montage|Upphandling ramavtal av konsulttjänster|"
                   "Upphandling ramavtal av konsulttjänster"),
    "23": _run(24, "Dagvattenplan för Alingsås tätort|Ny huvudvattenledning mellan Gråbovägen och Mariedals vattentorn|"
                   "Installation av UV-filter på Hjälmareds vattenverk|Uppföljning och prognos per den 31 mars|"
                   "Ny delegationsordning, 1 juni|Investeringsprojekt formell nämndhantering|"
                   "Samråd av reviderad detaljplan för evenemangshall|Detaljplan för Alingsås, bostäder mm vid Prästerydsvägen|"
                   "Inkomna/avgående skrivelser och meddelanden|Delegerade beslut"),
    "24": {101: ("Sammanträdets öppnande", None)},
    "25": _run(59, "Redovisning av demokratiprojekt|4R-analys - information"),
    "26": {10: ("Information ang forskningsorienterad studie av Fria pengar", None)},
    "27": {60: ("Val av justeringsperson", None), 65: ("Allmänhetens frågestund", None)},
    "28": {**_run(49, "Aktivitetspark Mantorp - beslut medborgarförslag|Snälla väggen|Aktivitetspark Östra Eldslösa|"
                      "Stadspromenader|Utegym Mjölby|Anmälan av delegationsbeslut|Taxor o avgifter|"
                      "Internkontroll kultur- och fritidsnämnden 2020 rapportering|Internkontrollplan för kultur- och fritidsnämnden|"
                      "Tillfälligt föreningsstöd med anledning av Coronapandemin|Information (muntligt)"),
           49: ("Aktivitetspark Mantorp - beslut medborgarförslag", "KOF/2020:151")},
    "29": _run(30, "Tjänstgörande|Godkännande av dagordning/kallelse|Förra protokollet|Val av justerare|Unika historiska"),
    "31": {**_run(252, "Information om Luleå Energi AB:s verksamhet|Meddelanden kommunstyrelsen 2016-11-07|"
                       "Delegationsrapport kommunstyrelsen 2016-11-07|Prissättning av mark inom Kronandalen|"
                       "Markanvisning samt planuppdrag|Markanvisning parkområdet vid Sundsgården|Markanvisning Bergnäset 1:1|"
                       "Markanvisning kvarteret Fågeln|Upplåtelse av tomträtt på del av Bergnäset 1:1|"
                       "Medborgarförslag om bredbandsutbyggnaden i byarna|Medborgarförslag om kvällstrafik"),
           **_run(266, "Samverkansavtal mellan Kalix kommun och kommunerna i Norrbottens|"
                       "Finansiering från Europeiska socialfonden|Arbetsmarknadsförvaltningens verksamhetsplan")},
    # the contents list in columns: its numbers, then its titles (cut after the 19th)
    "32": _run(77, "Information från F21|Meddelanden kommunstyrelsen mars 2015|Delegationer kommunstyrelsen mars 2015|"
                   "Projektansökan \"Mötesplats Hertsön\"|Intresseanmälan Eurobasket Women 2017|"
                   "Motion om hållbart resande i Luleå kommun|Målbild Luleå resecentrum|"
                   "Kommunledningsförvaltningens verksamhetsberättelse 2014|Stadsbyggnadskontorets verksamhetsberättelse 2014|"
                   "Räddningstjänstens verksamhetsberättelse 2014 och överföring av 2014 års resultat|"
                   "Arbetsmarknadsförvaltningens verksamhetsberättelse 2014|Årsredovisning år 2014|"
                   "Beslutsförslag angående ansökan om att genomföra Sveriges Musik och Kulturskoleråds årskonferens|"
                   "Motion om etikombud|Årlig uppföljning av kommunens uppgifter enligt lagen om skydd mot olyckor 2014|"
                   "RBU 2015-02-18 § 12 Förbud vid vite|Tjänsteman i beredskap|Tillsynsplan enligt lag om skydd mot olyckor|"
                   "Uppföljning av int" + "|" * 8),
    "33": _run(235, "Detaljplan för del av Björsbyn, Lejde m fl|Detaljplan för del av Centrum, Tjädern|"
                    "Medborgarförslag om småskalighet|Medborgarförslag om att glasa in Köpmantorget|Utlösande av option|"
                    "Överenskommelse om samarbete|Bolagsordning för Luleå Hamn AB|Bolagsordning och övergripande principer|"
                    "Varumärkesplattform Luleå kommun|Policy för god ekonomisk hushållning|Delårsrapport 2013-08-31|"
                    "Redovisning av handläggning av medborgarförslag|Allmänna lokala ordningsföreskrifter|"
                    "Ändrad valkretsindelning|Interpellation om delade turer|Interpellation om rätt till tjänstledighet|"
                    "Val av ny ledamot och ersättare för socialdemokraterna i fritidsnämnden|"
                    "Val av ny ledamot och ersättare för socialdemokraterna i valnämnden|"
                    "Val av ny ordförande i Lulebo ABs styrelse|Motion om central resurspool"),
    "34": {235: ("Detaljplan för del av Björsbyn, Lejde m fl", None)},
    "35": _run(141, "Godkännande av dagordning|Information från revisorerna|Information om samhällsomvandlingen|"
                    "Ändring av bolagsordning|Antagande detaljplan för Vägmästaren 1|Medling mellan Gällivare kommun och LKAB|"
                    "Omdisponering från sandmagasin|Omdisponering av anslag snöslunga|Omdisponering för projekt rondell|"
                    "Reglemente för Krisledningsnämnden|TOP bostäder AB|Förvärv av aktier i Inera AB|"
                    "Förlängning tillträdesdatum|Motion av Eric Palmqvist (SD)|Motion av Johannes Sundelin (S)|Delgivningar"),
    "36": _run(141, "Delgivningar/Anmälningar/Kurser|Budgetuppföljning|Information om samhällsomvandlingen|Information fr"),
    "38": _run(654, "Anmälan av länsstyrelsens röstsammanräkningsprotokoll|Information från kommundirektören|"
                    "Allmänhetens frågestund|Korta frågor - korta svar|Kulturskolan 50 år|Valärenden|"
                    "Fastighetsstrategi för Sundsvalls kommun|Kompletteringsbudget 2009|Revisorernas utlåtande|"
                    "Kommuner och regioner i internationellt klimatarbete|Utredning angående förutsättningar|"
                    "Utvidgning av Räddningstjänstförbundet|Gemensam nämnd för överförmyndarverksamhet|"
                    "Upphävande av invandrarpolitiskt program|Avtal med Blomsterforum i Sundsvall AB|"
                    "Delegation till stadsbyggnadsnämnden"),
    "39": _run(215, "Information från kommundirektören|Allmänhetens frågestund|Korta frågor - korta svar|Inkomna motioner|"
                    "Inkomna interpellationer|Interpellationssvar angående invandringsmottagningen|"
                    "Interpellationssvar angående den upphandling|Valärenden|Justeringar av uppdrag|"
                    "Mål och resursplan 2013-2016 fastställande av investeringsbudget|Mål och resursplan 2013 för kommunstyrelsen|"
                    "Utökad budget för Överförmyndarnämnden Mitt|Södra bergets slalombacke|Stenstan Visitor Center|"
                    "Övertagande av hemsjukvård|Projektdirektiv och finansiering|Kartläggning av nationella minoriteters behov|"
                    "Back 2 Basics|Reglemente för överförmyndarnämnden Mitt|Taxa inom miljöbalkens område|"
                    "Mål- och resursplan 2013-2014|Kommunal anslutning till RAKEL|Tillbakadragande av motion (M)|"
                    "Sommar SM-veckan i Sundsvall 2015|Frågor enligt kommunallagen|För kännedom"),
    "40": _run(113, "Fastställande av dagordningen|Information från kommundirektören och koncerndirektören|"
                    "Information om vissa ekonomiska uppgifter|Information om flyktingintroduktion mm|"
                    "Revidering av kommundelsnämndernas satsning|Södra stadskärnan|Granskning av utveckling av Södertälje stadskärna|"
                    "Övergripande infrastrukturstrategi|Fastställande av befolkningsprognos|Miljöbokslut|"
                    "Semesterregler för förtroendevalda|Erbjud personalen möjlighet|Internkontrollen 2008"),
    "41": {**_run(26, "Närvarande|Protokollets justering|Omfördelning av kommunbidrag|Utbildningsplan"),
           **_run(31, "Återinför bidraget till statsbidragsberättigade enskilda vägar|Avsägelser av uppdrag|Val|"
                      "Bad med förhinder|Brolundaskolans framtid|Motverka nätmobbning!|Mer byggklar mark i Moraberg|"
                      "Glöm inte livsviktig P-plats!|Låt Nyköpingsvägen åter bli Järnagatan|Trafikhänvisningssystem i Södertälje|"
                      "Spegla citysaneringen|Inrättande av en HBT-telefonjour|Utan spaning ingen aning i skolans värld")},
    "43": _run(1, "Meddelanden om nya ledamöter och ersättare|Protokollets justering, upprop samt fastställande av "
                  "dagordning|Interpellationer och frågor|Budget 2010 och flerårsplan för Östersunds kommun"),
    "45": {80: ("Ekonomisk uppföljning efter maj 2009", None)},
}


def test_every_paragraph_read_is_one_the_excerpt_holds(parsed):
    for path, n, _, _, meeting in parsed:
        read = [p.number for p in meeting.paragraphs if p.number is not None]
        assert set(read) <= set(PARAGRAPHS.get(n, {})), (path.name, sorted(set(read) - set(PARAGRAPHS.get(n, {}))))
        assert len(read) == len(set(read)), path.name


def test_titles_and_case_numbers_are_the_documents(parsed):
    for path, n, _, _, meeting in parsed:
        for p in meeting.paragraphs:
            title, case = PARAGRAPHS.get(n, {}).get(p.number, (None, None))
            if title:
                assert p.title.startswith(title), (path.name, p.number, p.title)
            if case:
                assert p.case_number == case, (path.name, p.number, p.case_number)


def test_most_paragraphs_are_found_with_their_titles(parsed):
    found = total = 0
    for _, n, _, _, meeting in parsed:
        read = {p.number: p for p in meeting.paragraphs}
        for number, (title, _) in PARAGRAPHS.get(n, {}).items():
            total += 1
            found += number in read and bool(read[number].title or title is None)
    assert found / total >= 0.97, (found, total)


# Roles, chairs and the §§ each person attended, read in the documents: roles in a run of their own after
# the names (19, 22), "t o m § 108" within the declared §§ 101-115 (17), staff each with their §§ (36),
# a substitute among the members ("ersättare istf", 04).
PRESENCE = {
    "04": [("Björn Mårtensson", "tjänstgörande ersättare", None, ()), ("Stina Michelson", "ledamot", None, range(62, 76))],
    "17": [("Sven-Inge Svensson", "övrig", "miljöchef", range(101, 109))],
    "19": [("Jerry Ahlström", "ledamot", "ordförande", ()), ("Elisabeth Svensson", "ledamot", "1:e vice ordförande", ()),
           ("Thomas Nilsson", "tjänstgörande ersättare", None, ()), ("Stig Svensson", "tjänstgörande ersättare", None, ())],
    "22": [("Lars Aronsson", "ledamot", "Ordförande", ()), ("Yvonne Bergvall", "tjänstgörande ersättare", None, ()),
           ("Jan-Eric Lindberg", "tjänstgörande ersättare", None, ())],
    "36": [("Göran Sandström", "övrig", "ekonomichef", range(166, 187)), ("Mattias Berglund", "övrig", "VD Ávki", (148,))],
}


@pytest.mark.parametrize("number", sorted(PRESENCE))
def test_roles_and_the_paragraphs_each_attended(parsed, number):
    (meeting,) = [m for _, n, _, _, m in parsed if n == number]
    people = {a.name: a for a in meeting.attendance}
    for name, role, title, paragraphs in PRESENCE[number]:
        assert name in people, (number, name, list(people))
        assert (people[name].role, people[name].title, people[name].paragraphs) == (role, title, tuple(paragraphs))
