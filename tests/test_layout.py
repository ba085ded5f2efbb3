"""Layouts a line at a time cannot read: contents lists run into one line, pages flattened to one line.

The texts are written here in the forms document sites and municipalities produce (described in
../shared/real-protocols/more/SOURCES.md), with other names and numbers, so that the rules are held
to the form and not to one file.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg_search.protocol.contents import CONTENTS_KEY, contents_entries, contents_key, listed_run
from trygg_search.protocol.headings import _PARA_HEAD, _SIGN_AFTER_HEAD, _TOC_LINE, toc_line
from trygg_search.protocol.flat import title_length
from trygg_search.protocol import parse_meeting

from .conftest import CORPUS, REAL


def entries(text, declared=None):
    return [(e.number, e.title, e.case) for e in contents_entries(text, declared)[0]]


def test_a_contents_run_with_the_page_after_each_title():
    assert entries(" Paragrafer Ärenden Sid 312 Detaljplan för del av Norrby, Ängen m fl 3 313 Medborgarförslag om "
                   "belysning 7 314 Bolagsordning för Hamnen AB 10") == [
        (312, "Detaljplan för del av Norrby, Ängen m fl", None), (313, "Medborgarförslag om belysning", None),
        (314, "Bolagsordning för Hamnen AB", None)]


def test_a_contents_run_with_the_page_before_each_title():
    assert entries(" SIDAN 88 4 Godkännande av dagordning 89 5 Information från revisorerna 90 7 Delgivningar") == [
        (88, "Godkännande av dagordning", None), (89, "Information från revisorerna", None), (90, "Delgivningar", None)]
    # "§ 12 214 Budgetuppföljning": the § sign, the number, the page
    assert entries(" SIDAN 210 § 11 Delgivningar § 12 214 Budgetuppföljning § 13 216 Information om vägarna") == [
        (11, "Delgivningar", None), (12, "Budgetuppföljning", None), (13, "Information om vägarna", None)]


def test_page_numbers_that_rise_too_are_not_taken_for_the_paragraphs():
    # pages 2, 3, 4 … rise one by one as well, but the § numbers make the longer run
    assert [n for n, _, _ in entries(" Justering...2 Dagordning...3 415 Information från kommundirektören...4 "
                                     "416 Allmänhetens frågestund...5 417 Inkomna motioner...6 418 Valärenden...8")] == [
        415, 416, 417, 418]


def test_numbers_a_site_dropped_are_told_by_the_titles_between():
    # 21 was lost: two titles stand between 20 and 22, so the second is 21
    assert entries(" 19 Val av justerare 20 Utegym vid skolan - beslut Anmälan av delegationsbeslut 22 Information") == [
        (19, "Val av justerare", None), (20, "Utegym vid skolan - beslut", None),
        (21, "Anmälan av delegationsbeslut", None), (22, "Information", None)]
    # where the titles between do not say it (one long title), only the first stands
    assert entries(" 5 Budget 7 Taxor för bygglov och tillsyn enligt plan- och bygglagen 8 Övrigt") == [
        (5, "Budget", None), (7, "Taxor för bygglov och tillsyn enligt plan- och bygglagen", None), (8, "Övrigt", None)]


def test_titles_before_their_numbers():
    assert entries(" Antagande av anbud för ny pumpstation vid reningsverket 41 Upphandling av konsulttjänster 42") == [
        (41, "Antagande av anbud för ny pumpstation vid reningsverket", None), (42, "Upphandling av konsulttjänster", None)]


def test_a_case_number_in_the_contents():
    assert entries(" 62 Dnr KS 2018/14 Samordnad skolskjuts 4 63 Budget 2019 5") == [
        (62, "Samordnad skolskjuts", "KS 2018/14"), (63, "Budget 2019", None)]


def test_a_list_of_staff_with_paragraph_numbers_is_no_contents_list():
    line = ("Övriga deltagande Anna Berg, kommunchef, 141 Per Ek, gatuchef, 142 Eva Lind, utredare, 143 "
            "Lars Holm, personalchef, 144 Stina Ros, nämndsekreterare Utses att justera Eva Lind " + "x " * 60)
    assert listed_run(line, None) is None


def test_paragraphs_run_together_on_a_page_are_no_contents_list():
    line = ("3 3 (15) Beslutsärenden 30 Tjänstgörande Anna Ek ersätts av Per Berg (C). 31 Godkännande av dagordning "
            "Nämnden godkänner dagordningen. 32 Förra protokollet Protokollet läggs till handlingarna. 33 Val av "
            "justerare Eva Lind (S) väljs till justerare. 34 Information om museet Chefen berättar om museet. ")
    assert listed_run(line, None) is None


def test_where_a_title_ends_in_running_text():
    def title(text):
        words = text.split()
        return " ".join(words[: title_length(words)])

    assert title("Ändring av reglemente för nämnden Ordföranden föreslår att") == "Ändring av reglemente för nämnden"
    assert title("Information Stadsarkitekten informerar om bygglov") == "Information"
    assert title("Ekonomisk uppföljning efter maj 2009 T.f. ekonomichef Per Ek") == "Ekonomisk uppföljning efter maj 2009"
    assert title("Information om arbetet inom Borås Stad Utvecklaren Per Ek berättar") == (
        "Information om arbetet inom Borås Stad")
    assert title("Val av justerare Per Ekström (S) väljs") == "Val av justerare"
    assert title("Motion från Anna Lind (C) om cykelvägar Nämnden föreslår") == "Motion från Anna Lind (C) om cykelvägar"
    assert title("Val av justerare 1 Som justerare väljs") == "Val av justerare"


def _page(n: int, text: str) -> str:
    """A page as a document site renders it: one line, its number first."""
    return f"{n} {text}"


FRONT = ("Tekniska nämnden Plats och tid Stadshuset, kl 13.00-15.00 Beslutande Anna Ek (S), ordförande Per Berg (M) "
         "Eva Lind (C) Lars Holm (S) Stina Ros (V) Övriga närvarande Karin Dahl, sekreterare Utses att justera "
         "Per Berg Justeringens plats och tid Stadshuset Paragrafer Underskrifter Sekreterare Karin Dahl "
         "Ordförande Anna Ek Justerande Per Berg")


def test_headings_inside_flattened_pages_with_a_bodys_prefix():
    text = "\n\n".join([
        _page(1, FRONT),
        _page(2, "Tekniska nämnden TN 101 Sammanträdets öppnande Dagordningen godkänns. Till att justera dagens "
                 "protokoll utses Per Berg. Sammanträdet ajourneras för överläggningar i de politiska grupperna "
                 "och återupptas efter en kort stund."),
        _page(3, "Tekniska nämnden TN 102 Dnr TN 2023/45 Budgetuppföljning per april Budgetuppföljningen visar att "
                 "de flesta enheterna följer budgeten. Enligt 5 kap. 50 § kommunallagen får nämnden besluta. "
                 "Ärendet bereddes i Au 84 Sn 34 och nämnden beslutar att godkänna uppföljningen."),
    ])
    m = parse_meeting(text)
    assert m.kind == "protocol"
    assert [(p.number, p.title, p.case_number) for p in m.paragraphs] == [
        (101, "Sammanträdets öppnande", None), (102, "Budgetuppföljning per april", "TN 2023/45")]
    assert "följer budgeten" in m.paragraphs[1].text


def test_bare_numbers_inside_a_flattened_page_that_follow_one_another():
    text = "\n\n".join([
        _page(1, FRONT + " Omfattning"),
        _page(2, "2 74 Upprop och val av justerare Att jämte ordföranden justera protokollet utsågs Per Berg (M). "
                 "75 Godkännande av föredragningslista Upprättad föredragningslista godkänns med ett tillägg om "
                 "parkering. 76 Information om integrationsarbetet inom Borås Stad Utvecklaren informerar om "
                 "arbetet med mångfald inom förvaltningen och svarar på frågor från ledamöterna."),
    ])
    m = parse_meeting(text)
    assert [(p.number, p.title) for p in m.paragraphs] == [
        (74, "Upprop och val av justerare"), (75, "Godkännande av föredragningslista"),
        (76, "Information om integrationsarbetet inom Borås Stad")]


def test_a_sites_page_numbers_are_never_paragraphs():
    text = "\n\n".join(_page(n, FRONT + f" Sida {n} med text som fortsätter på nästa sida utan rubriker") for n in (1, 2, 3))
    m = parse_meeting(text)
    assert [p.number for p in m.paragraphs if p.number is not None] == []


def test_a_contents_page_and_the_paragraph_after_it():
    text = "\n\n".join([
        _page(1, FRONT),
        _page(2, "Tekniska nämnden (16) Innehållsförteckning 49 Aktivitetspark vid skolan - beslut medborgarförslag "
                 "50 Snälla väggen - beslut medborgarförslag 51 Anmälan av delegationsbeslut 52 Information"),
        _page(3, "Tekniska nämnden (16) 49 Dnr TN/2020:151 Aktivitetspark vid skolan - beslut medborgarförslag "
                 "Anna Ek föreslår i ett medborgarförslag att en aktivitetspark anläggs vid skolan. Nämnden "
                 "beslutar att bifalla förslaget och uppdrar åt förvaltningen att genomföra det."),
    ])
    m = parse_meeting(text)
    assert [(p.number, p.title, p.case_number) for p in m.paragraphs] == [
        (49, "Aktivitetspark vid skolan - beslut medborgarförslag", "TN/2020:151"),
        (50, "Snälla väggen - beslut medborgarförslag", None), (51, "Anmälan av delegationsbeslut", None),
        (52, "Information", None)]
    assert "aktivitetspark anläggs" in m.paragraphs[0].text


def test_a_flattened_agenda_is_a_notice_with_its_items():
    text = "\n\n".join([
        _page(1, "KALLELSE (12) Plats och tid Konferensrummet Måndagen den 18 juni 2018 kl 18:00 Kallade ledamöter "
                 "Anna Ek (M), ordförande Per Berg (S) Eva Lind (C) Föredragningslista Ärende/Föredragande 1 Upprop "
                 "Dnr 2 Godkännande av föredragningslistan 3 Arbetsutskottets protokoll 4 juni 2018 BUN 2018/41"),
        _page(2, "KALLELSE (12) Ärende/Föredragande Dnr 4 Information om dataskydd Per Berg 5 Lägesrapport om "
                 "byggnationer på skolor Eva Lind 6 Avveckling av förskola Anna Ek och mer text på sidan här"),
    ])
    m = parse_meeting(text)
    assert m.kind == "notice"
    assert [(p.number, p.case_number) for p in m.paragraphs][:4] == [(1, None), (2, None), (3, "BUN 2018/41"), (4, None)]
    assert [p.title for p in m.paragraphs][:3] == ["Upprop", "Godkännande av föredragningslistan",
                                                   "Arbetsutskottets protokoll 4 juni 2018"]


def test_a_real_protocol_flattened_a_line_a_page_reads_the_same_paragraphs():
    """Göteborg's protocol as a document site would render it: each page one line, its number first."""
    from .conftest import REAL
    import pytest
    from trygg_search.sources import read_source

    path = REAL / "01_goteborg_kommunfullmaktige_2023-10-12.txt"
    if not path.exists():
        pytest.skip(f"{path} not present (the shared folder lies beside the checkout in CI)")
    text = read_source(path).text
    flat = "\n\n".join(f"{n} " + " ".join(page.split()) for n, page in enumerate(text.split("\f"), 1) if page.strip())
    lines, pages = parse_meeting(text), parse_meeting(flat)
    assert [(p.number, p.case_number) for p in pages.paragraphs] == [(p.number, p.case_number) for p in lines.paragraphs]
    same = sum(a.title == b.title for a, b in zip(lines.paragraphs, pages.paragraphs))
    assert same >= 0.8 * len(lines.paragraphs), same
    assert pages.committee == lines.committee


def test_the_seed_protocols_flattened_read_the_same_meeting():
    """Örebro's protocols cut into pages of 45 lines, each page one line (its number first): the same
    §§ with the same case numbers, titles and decisions, but where a page break falls inside them."""
    from pathlib import Path

    from trygg_search.protocol import decision
    from trygg_search.sources import read_source

    for path in sorted(Path(__file__).parent.parent.joinpath("corpus").glob("*.txt")):
        text = read_source(path).text
        lines = parse_meeting(text)
        if lines.kind != "protocol":
            continue
        rows = text.split("\n")
        flat = "\n\n".join(f"{n} " + " ".join("\n".join(rows[i:i + 45]).split())
                           for n, i in enumerate(range(0, len(rows), 45), 1))
        pages = parse_meeting(flat)
        assert [(p.number, p.case_number) for p in pages.paragraphs] == [
            (p.number, p.case_number) for p in lines.paragraphs], path.name
        pairs = list(zip(lines.paragraphs, pages.paragraphs))
        assert sum(a.title == b.title for a, b in pairs) >= 0.75 * len(pairs), path.name
        same = sum(bool(decision(a.sections)) and (decision(b.sections) or "").startswith(decision(a.sections)[:40])
                   for a, b in pairs)
        assert same >= 0.75 * len(pairs), path.name
        assert (pages.date, pages.committee) == (lines.date, lines.committee), path.name
        assert pages.attendance == lines.attendance, path.name  # every name, role, party, § range and stand-in


def test_a_contents_list_read_a_column_at_a_time():
    """All the § numbers a line each, then all the titles, a title wrapped over two lines."""
    text = "\n".join([
        "Kommunstyrelsen", "Sammanträdesdatum 2015-03-16", "Justerade paragrafer 40-43", "",
        "INNEHÅLLSFÖRTECKNING", "Paragrafer", "Ärenden", "§ 40", "§ 41", "§ 42", "§ 43", "Sida",
        "Information från räddningstjänsten", "Årsredovisning", "2014", "Räddningstjänstens verksamhetsberättelse och",
        "överföring av resultat", "Motion om cykelvägar", "", "§ 40", "Information från räddningstjänsten", "",
        "Beslut", "", "Informationen antecknas.",
    ])
    m = parse_meeting(text)
    assert [(p.number, p.title) for p in m.paragraphs] == [
        (40, "Information från räddningstjänsten"), (41, "Årsredovisning 2014"),
        (42, "Räddningstjänstens verksamhetsberättelse och överföring av resultat"), (43, "Motion om cykelvägar")]
    assert "Informationen antecknas." in m.paragraphs[0].text


def test_a_paragraph_named_inside_a_parenthesis_or_a_law_is_no_heading():
    # a long line (a list entry, a flattened page) quoting another body's §, and a law's § wrapped to a line start
    text = ("Anteckningar om protokollen\n\n"
            "- Norrby: innehållsförteckningen står i två spalter, först alla nummer och sedan alla rubriker, och "
            "rubrikerna bryts över flera rader; en rubrik hänvisar till ett annat organs beslut ('MBN 2019-04-02 "
            "§ 31 Föreläggande vid vite- Tallen 4'), vilket ska läsas som en del av rubriken och inte som en ny "
            "paragraf i protokollet.\n"
            "Texten får spridas fritt enligt\n"
            "9 § upphovsrättslagen, som gäller allmänna handlingar.\n")
    m = parse_meeting(text)
    assert m.kind == "other"
    assert [p.number for p in m.paragraphs] == [None]


def test_a_front_page_without_paragraphs_is_still_a_protocol():
    text = ("Socialnämnden SAMMANTRÄDESPROTOKOLL Sida 1(12)\nSammanträdesdatum 2021-05-04\n"
            "Plats och tid Stadshuset kl 13.00-15.30\nBeslutande\nAnna Berg (S), ordförande\nPer Lund (M)\n"
            "Eva Holm (C)\nÖvriga närvarande\nKarin Ek, sekreterare\nParagrafer 41-52\n")
    m = parse_meeting(text)
    assert m.kind == "protocol" and m.committee == "Socialnämnden" and m.date == "2021-05-04"
    assert [a.name for a in m.attendance][:3] == ["Anna Berg", "Per Lund", "Eva Holm"]
    # a text that neither says it is a protocol nor lists who attended stays what it was
    assert parse_meeting("Riktlinjer för bidrag\n\nBidrag ges till föreningar med verksamhet i kommunen.\n").kind == "other"


def test_staff_written_with_the_title_before_the_name():
    text = ("Kommunstyrelsen SAMMANTRÄDESPROTOKOLL\nSammanträdesdatum 2021-05-04\nBeslutande\nAnna Berg (S), ordförande\n"
            "Per Lund (M)\nÖvriga deltagande\nKommundirektör Jan Fransson\nEkonomichef Lisa Ek, §§ 3-5\n"
            "Protokolljusterare Se nästa sida\nUtses att justera Per Lund\n\n§ 3 Budget 2022\n\nBeslut\n\nGodkänns.\n")
    m = parse_meeting(text)
    staff = [(a.name, a.title, a.paragraphs) for a in m.attendance if a.role == "övrig"]
    assert staff == [("Jan Fransson", "kommundirektör", ()), ("Lisa Ek", "ekonomichef", (3, 4, 5))]


def test_the_heading_forms_municipalities_write():
    front = "Kommunstyrelsens arbetsutskott\nSammanträdesdatum 2021-05-04\nParagrafer 11-13\n\n"
    for first, second in [("KS AU § 12", "KS AU § 13"), ("KS-AU § 12", "KS-AU § 13"), ("KSAU § 12", "KSAU § 13"),
                          ("§ 12.", "§ 13."), ("12 §", "13 §"), ("Kf § 12", "Kf § 13")]:
        m = parse_meeting(front + f"{first} Budget 2022\n\nBeslut\n\nGodkänns.\n\n{second} Motion om skolan\n")
        assert [(p.number, p.title) for p in m.paragraphs] == [(12, "Budget 2022"), (13, "Motion om skolan")], first
    # a case number with its office's prefix right after the number, without Dnr; a school year is no case number
    m = parse_meeting(front + "§ 12 KS 2021/123 Budget 2022\n\nGodkänns.\n\n§ 13 2021/22 års skolplan\n\nGodkänns.\n")
    assert [(p.number, p.title, p.case_numbers) for p in m.paragraphs] == [
        (12, "Budget 2022", ("KS 2021/123",)), (13, "2021/22 års skolplan", ())]


def test_a_case_number_at_the_end_of_a_title_or_under_another_label():
    front = "Kommunstyrelsen\nSammanträdesdatum 2021-05-04\nParagrafer 11-16\n\n"
    body = ("§ 11 Budget 2022 (KS 2021/123)\n\nGodkänns.\n\n§ 12 Taxa för bygglov, Dnr KS 2021/124\n\nGodkänns.\n\n"
            "§ 13 Motion om skolan\nÄrendenr: KS 2021/125\n\nGodkänns.\n\n"
            "§ 14 Remissvar om skolattacker (SOU 2023:28)\n\nGodkänns.\n\n§ 15 Skolplan (2021/22)\n\nGodkänns.\n\n"
            "§ 16 Ändring av taxa (bilaga 3)\n\nGodkänns.\n")
    m = parse_meeting(front + body)
    assert [(p.number, p.title, p.case_numbers) for p in m.paragraphs] == [
        (11, "Budget 2022", ("KS 2021/123",)), (12, "Taxa för bygglov", ("KS 2021/124",)),
        (13, "Motion om skolan", ("KS 2021/125",)),
        # a state publication, a school year and an attachment are no case numbers
        (14, "Remissvar om skolattacker (SOU 2023:28)", ()), (15, "Skolplan (2021/22)", ()),
        (16, "Ändring av taxa (bilaga 3)", ())]


def test_signers_under_their_labels_and_vice_chairs_keep_their_titles():
    text = ("Kommunstyrelsen\nDatum: 2023-02-14\nBeslutande ledamöter\nAnna Andersson (S), ordförande\n"
            "Bengt Berg (M), 1:e vice ordförande\nCecilia Carlsson (C), 2:a vice ordförande\n\nJusterare\nBengt Berg\n\n"
            "Justeringens plats och tid\nStadshuset 2023-02-20\n\nUnderskrifter\nSekreterare ............. Hans Holm\n"
            "Ordförande ............. Anna Andersson\n\n§ 15 Val av justerare\nBengt Berg utses att jämte ordföranden "
            "justera protokollet.\n\n§ 16 Motion om bättre\nskolmat i kommunen\n\nBeslut\n\nMotionen bifalls.\n")
    m = parse_meeting(text)
    assert (m.chair, m.secretary, m.adjusters) == ("Anna Andersson", "Hans Holm", ("Bengt Berg",))
    assert [(a.name, a.title) for a in m.attendance] == [
        ("Anna Andersson", "ordförande"), ("Bengt Berg", "1:e vice ordförande"), ("Cecilia Carlsson", "2:a vice ordförande")]
    # a sentence after a whole title begins the text; a title broken after a word that needs more runs on
    assert [p.title for p in m.paragraphs] == ["Val av justerare", "Motion om bättre skolmat i kommunen"]
    assert parse_meeting("Kommunstyrelsen\nUtses att justera: Per Lund och Eva Holm (C)\n\n§ 1 Upprop\n").adjusters == (
        "Per Lund", "Eva Holm")


def test_meeting_dates_written_with_abbreviated_months_or_dots():
    for written, iso in [("14 febr. 2023", "2023-02-14"), ("den 3 sept 2019", "2019-09-03"),
                         ("14.02.2023", "2023-02-14"), ("tisdagen den 9 juni 2020", "2020-06-09")]:
        m = parse_meeting(f"Socialnämnden\nSammanträdesdatum {written}\n\n§ 1 Upprop\n\nUpprop förrättas.\n")
        assert (m.date, m.date_source) == (iso, "text"), written
    # a version or filing number is no date
    assert parse_meeting("Riktlinjer version 1.2.2023.5\n\nText.\n").date is None


def test_a_member_with_a_conflict_of_interest_is_not_present_at_that_paragraph():
    text = ("Socialnämnden\nSammanträdesdatum 2023-02-14\nBeslutande\nAnna Berg (S), ordförande\nPer Lund (M)\n"
            "Eva Holm (C)\n\n§ 2 Anmälan av jäv\n\nEva Holm (C) anmäler jäv under paragraf 4: bidrag till föreningen.\n\n"
            "§ 3 Bygglov för Norrby 2:1\n\nJäv\n\nPer Lund (M) deltar inte i handläggningen av ärendet på grund av jäv.\n\n"
            "Beslut\n\nBygglov beviljas.\n\n§ 4 Bidrag till föreningen\n\nBeslut\n\nBidrag beviljas.\n")
    m = parse_meeting(text)
    assert {p.number: p.participants for p in m.paragraphs} == {
        2: ("Anna Berg", "Per Lund", "Eva Holm"), 3: ("Anna Berg", "Eva Holm"), 4: ("Anna Berg", "Per Lund")}
    assert {p.number: p.recused for p in m.paragraphs} == {2: (), 3: ("Per Lund",), 4: ("Eva Holm",)}


def test_sections_under_the_other_names_protocols_give_them():
    text = ("Kommunstyrelsen\nSammanträdesdatum 2023-02-14\n\n§ 5 Taxa för bygglov\n\nSammanfattning av ärendet\n"
            "Taxan ses över.\n\nKommunledningsförvaltningens förslag till beslut\nTaxan antas.\n\nBeslut\n"
            "Kommunstyrelsen beslutar att anta taxan.\n\nBeslutet skickas till\nBygglovsenheten\n")
    (p,) = parse_meeting(text).paragraphs
    assert p.title == "Taxa för bygglov"
    assert dict(p.sections) == {"Sammanfattning": "Taxan ses över.", "Förslag till beslut": "Taxan antas.",
                                "Beslut": "Kommunstyrelsen beslutar att anta taxan.", "Skickas till": "Bygglovsenheten"}


def test_agenda_items_numbered_with_a_dot_or_a_word_and_a_dated_report_is_no_agenda():
    front = "KALLELSE\nSocialnämnden\nDatum: 2023-03-01\nTid: 13.00\nPlats: Stadshuset\n\n"
    for items in ("1. Val av justerare\n\n2. Budget 2024\nDnr SN 2023/45\n\n3. Information\n",
                  "Ärende 1 Val av justerare\n\nÄrende 2 Budget 2024\nDnr SN 2023/45\n\nÄrende 3 Information\n"):
        m = parse_meeting(front + items)
        assert m.kind == "notice"
        assert [(p.number, p.title, p.case_numbers) for p in m.paragraphs] == [
            (1, "Val av justerare", ()), (2, "Budget 2024", ("SN 2023/45",)), (3, "Information", ())]
    report = "Rapport om trygghet\nDatum: 2023-01-01\n\n1. Bakgrund\n\nKommunen har arbetat.\n\n2. Syfte\n\nSyftet är att.\n"
    assert parse_meeting(report).kind == "other"


def test_the_committee_named_in_the_genitive_or_after_sammantrade_med():
    for first, body in [("Socialnämndens protokoll", "Socialnämnden"), ("Kommunstyrelsens sammanträde", "Kommunstyrelsen"),
                        ("Tekniska nämndens protokoll", "Tekniska nämnden"),
                        ("Protokoll fört vid sammanträde med socialnämnden", "Socialnämnden")]:
        m = parse_meeting(f"{first}\nSammanträdesdatum 2023-03-01\n\n§ 1 Upprop\n\nText.\n")
        assert m.committee == body, first
    # an agenda's item about another body's minutes names no committee
    notice = ("KALLELSE\nDatum: 2023-03-01\nTid: 13.00\n\n1 Val av justerare\n\n2 Arbetsutskottets protokoll 4 juni 2018\n")
    assert parse_meeting(notice).committee != "Arbetsutskottet"


# --- the substring tests in front of the patterns every line is asked ------------------------------------

_LINE_PARTS = st.sampled_from([
    ".", "..", "...", "....", "…", "……", "_", "__", "___", " ", "  ", "\t", "1", "12", "123", "1234", "12345",
    "§ 4", "Upprop", "INNEHÅLLSFÖRTECKNING", "Innehållsförteckning", "ÄRENDEFÖRTECKNING", "Ärendeförteckning",
    "INNEHÅLL", "Innehåll", "innehåll", "ÄRENDELISTA", "Ärendelista", "Förteckning över", "förteckning",
    "Ärende", "rende", "NNEHÅLL", "teckning", "a", "s", "Ö", "å", "-", ":", "§", "§§", "KS ", "Ks-au ",
])
_LINES = st.one_of(st.lists(_LINE_PARTS, max_size=12).map("".join), st.text(max_size=40))


def _span(m):
    return None if m is None else (m.span(), m.group())


@settings(max_examples=2000, deadline=None)
@given(_LINES)
def test_a_lines_leaders_contents_key_and_sign_are_found_as_the_patterns_find_them(line):
    assert _span(toc_line(line)) == _span(_TOC_LINE.search(line))
    assert _span(contents_key(line)) == _span(CONTENTS_KEY.search(line))
    # a heading with its sign is looked for only where the line holds one
    unsigned = line.replace("§", "")
    assert _PARA_HEAD.match(unsigned) is None and _SIGN_AFTER_HEAD.match(unsigned) is None


def test_every_line_of_the_corpus_and_the_real_protocols_is_read_as_the_patterns_read_it():
    if not REAL.is_dir():
        pytest.skip(f"{REAL} not present (the shared folder lies beside the checkout in CI)")
    lines = [line for f in sorted(CORPUS.glob("*.txt")) + sorted(REAL.glob("**/*.txt"))
             for line in f.read_text(encoding="utf-8").split("\n")]
    assert len(lines) > 4_000
    assert [_span(toc_line(line)) for line in lines] == [_span(_TOC_LINE.search(line)) for line in lines]
    assert [_span(contents_key(line)) for line in lines] == [_span(CONTENTS_KEY.search(line)) for line in lines]
    # both kinds of line are among them, so that the comparison above compares something
    assert sum(1 for line in lines if toc_line(line)) > 5
    assert sum(1 for line in lines if contents_key(line)) > 5
