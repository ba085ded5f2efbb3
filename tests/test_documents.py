"""Documents as published: PDF and Word files of the seed protocols parse to the same meeting as the text.

The fixtures are made here (tests/documents.py, with reportlab and
python-docx): running heads, page numbers, a signature footer, attendance as a
table, a word hyphenated across a page break.  Scanned pages, damaged and
encrypted PDFs are named with what to do, and the rest is indexed.
"""

from __future__ import annotations

import json

import pytest

from trygg_search.protocol import clean_lines, parse_meeting
from trygg_search.sources import read_source

from .conftest import CORPUS, SEEDS
from .documents import make_docx, make_pdf, same_meeting
from .helpers import run, run_json

SEED_FILES = sorted(CORPUS.glob("*.txt"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_published_document_parses_to_the_same_meeting_as_its_text(tmp_path, seed, kind):
    target = tmp_path / f"{seed.stem}.{kind}"
    (make_pdf if kind == "pdf" else make_docx)(seed, target)
    want = parse_meeting(read_source(seed).text).to_dict()
    got = parse_meeting(read_source(target).text).to_dict()
    assert same_meeting(want, got) == []


def test_a_word_hyphenated_across_a_page_break_is_found_whole(tmp_path):
    seed = SEEDS["agreement"]
    folder = tmp_path / "pdf"
    folder.mkdir()
    word = make_pdf(seed, folder / "agreement.pdf")
    assert word == "utredningsverksamhet"  # the fixture broke it: "utrednings-" | page break | "verksamhet"
    text = read_source(folder / "agreement.pdf").text
    assert "utrednings-" in text and "utredningsverksamhet" not in text
    result, _ = run_json(tmp_path / "index", "ingest", folder)
    assert result.exit_code == 0
    result, data = run_json(tmp_path / "index", "search", word)
    assert data["total"] == 1 and data["hits"][0]["source"].endswith("agreement.pdf")


def test_a_folder_of_pdfs_and_word_files_is_ingested(tmp_path):
    folder = tmp_path / "published"
    folder.mkdir()
    make_pdf(SEEDS["2023-10-11"], folder / "ks-2023-10-11.pdf")
    make_docx(SEEDS["2024-04-09"], folder / "ks-2024-04-09.docx")
    (folder / "notes.txt").write_text((SEEDS["2018-06-19"]).read_text(encoding="utf-8"), encoding="utf-8")
    result, data = run_json(tmp_path / "index", "ingest", folder)
    assert result.exit_code == 0 and data["files_indexed"] == 3
    _, data = run_json(tmp_path / "index", "search", "skolattacker")
    assert [h["id"] for h in data["hits"]] == ["ks-2023-10-11#22"]
    _, data = run_json(tmp_path / "index", "search", "skolattacker", "--participant", "Mats Sjöström")
    assert data["total"] == 1  # a substitute at § 22 (the PDF's attendance list)
    _, data = run_json(tmp_path / "index", "search", "Embrace", "--participant", "Kemal Hoso")
    assert data["total"] == 1  # present at the 2024-04-09 meeting (the Word table)


def test_scanned_pages_are_named_and_the_rest_indexed(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    make_pdf(SEEDS["2023-10-11"], folder / "partly.pdf", blank_pages=(2,))
    result = run(tmp_path / "index", "ingest", folder)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "partly.pdf" in line and "page 2 of" in line and "ocrmypdf" in line
    result, data = run_json(tmp_path / "index", "stats")
    assert data["paragraphs"] > 0
    result = run(tmp_path / "index", "parse", folder / "partly.pdf")
    assert result.exit_code == 2 and "page 2 of" in result.stderr


def test_a_pdf_without_any_text_layer_is_skipped_with_the_cure(tmp_path):
    from reportlab.pdfgen import canvas

    folder = tmp_path / "scans"
    folder.mkdir()
    c = canvas.Canvas(str(folder / "scan.pdf"))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    result = run(tmp_path / "index", "ingest", folder)
    assert result.exit_code == 2
    assert "scan.pdf: no page has a text layer (a scan): OCR it first" in result.stderr


def test_a_damaged_or_encrypted_pdf_is_one_line(tmp_path):
    from reportlab.pdfgen import canvas

    folder = tmp_path / "bad"
    folder.mkdir()
    make_pdf(SEEDS["2023-10-11"], folder / "whole.pdf")
    data = (folder / "whole.pdf").read_bytes()
    (folder / "damaged.pdf").write_bytes(data[: len(data) // 3])
    c = canvas.Canvas(str(folder / "locked.pdf"), encrypt="hemligt")
    c.drawString(60, 700, "§ 1 Hemligt ärende")
    c.showPage()
    c.save()
    result = run(tmp_path / "index", "ingest", folder)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any("damaged.pdf: not a readable PDF" in line for line in lines), lines
    assert any("locked.pdf: the PDF is encrypted" in line for line in lines), lines
    assert "1 file indexed" in result.stdout


def test_a_file_named_as_a_document_that_is_none_says_so_and_a_header_after_junk_is_read(tmp_path):
    folder = tmp_path / "named"
    folder.mkdir()
    make_pdf(SEEDS["2023-10-11"], tmp_path / "whole.pdf")
    # a mail gateway's line before the header: readers look for %PDF- in the first kilobyte
    (folder / "forwarded.pdf").write_bytes(b"X-Scanned: ok\r\n" + (tmp_path / "whole.pdf").read_bytes())
    noise = bytes(range(256)) * 20
    (folder / "noise.pdf").write_bytes(noise)
    (folder / "noise.docx").write_bytes(noise)
    (folder / "gammal.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise)
    (folder / "gammal.rtf").write_bytes(b"{\\rtf1\\ansi Protokoll}")
    result = run(tmp_path / "index", "ingest", folder)  # a folder names the files it cannot read, too
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert any("noise.pdf: not a PDF (no %PDF header" in line for line in lines), lines
    assert any("noise.docx: not a Word document (not a zip file" in line for line in lines), lines
    assert any("gammal.doc: an old Word document (.doc): save it as .docx or PDF" in line for line in lines), lines
    assert any("gammal.rtf: an RTF document: save it as .docx or PDF" in line for line in lines), lines
    assert len(lines) == 4
    assert "1 file indexed" in result.stdout
    assert read_source(folder / "forwarded.pdf").encoding == "pdf"


def test_a_hyphen_before_och_stays_and_a_broken_word_is_joined():
    lines, _ = clean_lines("Arbetet inom EU-\noch Sverige.\n\nnarkotika-\nhantering och samverkans-\növerenskommelse\n")
    assert lines[0] == "Arbetet inom EU-" and lines[1] == "och Sverige."
    assert "narkotikahantering och samverkansöverenskommelse" in lines


@pytest.mark.parametrize("furniture", ["Sida 3 (41)", "3(68)", "Justerandes signatur", "Justerandes sign",
                                       "Utdragsbestyrkande", "Digitala Signaturer", "__________"])
def test_page_furniture_is_removed_wherever_it_falls(furniture):
    text = f"Kommunstyrelsen\n\n§ 1 Ett ärende\n\nText om narkotika.\n{furniture}\nMer text.\n"
    lines, _ = clean_lines(text)
    assert furniture not in lines and "Mer text." in lines


def test_running_heads_with_page_numbers_go_page_by_page():
    texts = ["Nämnden beslutar enligt förslaget.", "Informationen läggs till handlingarna.", "Ärendet bordläggs."]
    pages = [f"Socialnämnden 2019-02-12\n\n§ {n} Ärende {n}\n\n{texts[n - 1]}\nSida {n} (3)\n" for n in (1, 2, 3)]
    lines, heads = clean_lines("\f".join(pages))
    assert not any(line.startswith("Socialnämnden") or line.startswith("Sida") for line in lines)
    assert heads == ["Socialnämnden 2019-02-12"]
    assert [line for line in lines if line.startswith("§")] == ["§ 1 Ärende 1", "§ 2 Ärende 2", "§ 3 Ärende 3"]


def test_json_source_names_the_pdf(tmp_path):
    make_pdf(SEEDS["2023-10-11"], tmp_path / "x.pdf")
    result = run(tmp_path / "index", "parse", tmp_path / "x.pdf", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"].endswith("x.pdf")


def test_paragraph_headings_in_a_word_table_are_read(tmp_path):
    """A Word template that sets each § number and title in the cells of a table row."""
    import docx

    document = docx.Document()
    document.add_paragraph("Socialnämnden")
    document.add_paragraph("Sammanträdesdatum 2023-03-01")
    for number, title, body in [("§ 12", "Val av justerare", "Per Lund utses att justera."),
                                ("§ 13", "Budget 2024", "Budgeten godkänns.")]:
        row = document.add_table(rows=1, cols=2).rows[0]
        row.cells[0].text, row.cells[1].text = number, title
        document.add_paragraph(body)
    document.save(tmp_path / "sn.docx")
    m = parse_meeting(read_source(tmp_path / "sn.docx").text)
    assert m.kind == "protocol"
    assert [(p.number, p.title) for p in m.paragraphs] == [(12, "Val av justerare"), (13, "Budget 2024")]


# --- Word: what the XML holds, read as Word shows it --------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write_docx(path, body: str, prolog: str = "", header: str | None = None) -> None:
    """A minimal .docx whose main part's body is ``body`` (WordprocessingML), written as Word packs one."""
    import zipfile

    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>')
    section = ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", rels)
        if header is not None:
            z.writestr("word/header1.xml", f'<?xml version="1.0"?><w:hdr {_W}>{header}</w:hdr>')
            z.writestr("word/_rels/document.xml.rels", rels.replace(
                "officeDocument/2006/relationships/officeDocument", "officeDocument/2006/relationships/header")
                .replace("word/document.xml", "header1.xml"))
            section = ('<w:sectPr><w:headerReference w:type="default" r:id="rId1" xmlns:r="http://schemas.'
                       'openxmlformats.org/officeDocument/2006/relationships"/></w:sectPr>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?>{prolog}<w:document {_W} xmlns:mc="http://schemas.'
                   f'openxmlformats.org/markup-compatibility/2006"><w:body>{body}{section}</w:body></w:document>')


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text)}</w:tc>"


def test_word_cells_merged_down_and_across_are_read_as_word_shows_them(tmp_path):
    merged_down = '<w:vMerge w:val="restart"/>'
    rows = [
        _tc("Ledamöter", merged_down) + _tc("Kemal Hoso") + _tc("(S)"),
        _tc("", "<w:vMerge/>") + _tc("Helena Ståhl") + _tc("(SD)"),
        _tc("", "<w:vMerge/>") + _tc("Anna Berg, ordförande", '<w:gridSpan w:val="2"/>'),
        _tc("Ersättare") + _tc("Per Lund") + _tc("(M)"),
    ]
    body = _p("Närvarande") + "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>" + _p("§ 1 Budget")
    write_docx(tmp_path / "t.docx", body)
    gap = "    "  # the column gap the PDF reader writes between the cells of a row
    assert read_source(tmp_path / "t.docx").text == (
        f"Närvarande\n\nLedamöter{gap}Kemal Hoso{gap}(S)\nLedamöter{gap}Helena Ståhl{gap}(SD)\n"
        f"Ledamöter{gap}Anna Berg, ordförande\nErsättare{gap}Per Lund{gap}(M)\n\n§ 1 Budget")


def test_word_text_boxes_tabs_and_breaks_are_read_and_deletions_and_field_codes_are_not(tmp_path):
    box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
           + _p("Justerare: Per Lund") + '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>'
           '<w:txbxContent>' + _p("Justerare: Per Lund") + '</w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    body = ("<w:p><w:r><w:t>Ordförande</w:t><w:tab/><w:t>Anna Berg</w:t><w:br/><w:t>Sekreterare</w:t></w:r>"
            + box + "</w:p>"
            + "<w:p><w:r><w:t>Beslutet </w:t></w:r><w:del><w:r><w:delText>inte </w:delText></w:r></w:del>"
              "<w:ins><w:r><w:t>gäller</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>")
    write_docx(tmp_path / "t.docx", body, header=_p("Socialnämnden") + _p("") + _p("2023-03-01"))
    assert read_source(tmp_path / "t.docx").text == (
        "Socialnämnden\n2023-03-01\nOrdförande\tAnna Berg\nSekreterare\nJusterare: Per Lund\nBeslutet gäller")


def test_the_text_around_an_entity_reference_is_kept_and_no_entity_is_expanded(tmp_path):
    prolog = ('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    write_docx(tmp_path / "t.docx", _p("A &xxe; B &lol2; C"), prolog=prolog)
    text = read_source(tmp_path / "t.docx").text
    assert text == "A  B  C"


def test_a_word_attendance_table_gives_parties_and_titles_and_a_signature_table_the_signers(tmp_path):
    """Name, party and role in cells of their own, and signatures side by side in a table, as protocol
    templates set them: read as the same protocol written as text."""
    rows = [("Anna Berg", "(S)", "ordförande"), ("Per Lund", "(M)", ""), ("Eva Holm", "(C)", "§§ 1-2")]
    attendance = "<w:tbl>" + "".join("<w:tr>" + "".join(_tc(c) for c in row) + "</w:tr>" for row in rows) + "</w:tbl>"
    signatures = ("<w:tbl><w:tr>" + _tc("Ordförande") + _tc("Justerare") + "</w:tr><w:tr>" + _tc("...........")
                  + _tc("...........") + "</w:tr><w:tr>" + _tc("Anna Berg") + _tc("Per Lund") + "</w:tr></w:tbl>")
    body = (_p("Socialnämnden") + _p("Sammanträdesdatum 2024-03-12") + _p("Beslutande") + attendance
            + _p("Sekreterare") + _p("...........") + _p("Lisa Ek") + signatures
            + _p("§ 1 Budget") + _p("Budgeten antas.") + _p("§ 2 Skolor") + _p("Skolorna byggs."))
    write_docx(tmp_path / "p.docx", body)
    word = parse_meeting(read_source(tmp_path / "p.docx").text)
    text = parse_meeting("Socialnämnden\nSammanträdesdatum 2024-03-12\nBeslutande\nAnna Berg (S), ordförande\n"
                         "Per Lund (M)\nEva Holm (C) §§ 1-2\nSekreterare\n...........\nLisa Ek\nOrdförande\n"
                         "...........\nAnna Berg\nJusterare\n...........\nPer Lund\n\n§ 1 Budget\n\nBudgeten antas.\n\n"
                         "§ 2 Skolor\n\nSkolorna byggs.\n")
    assert [(a.name, a.party, a.title, a.paragraphs) for a in word.attendance] == [
        ("Anna Berg", "S", "ordförande", ()), ("Per Lund", "M", None, ()), ("Eva Holm", "C", None, (1, 2))]
    assert (word.chair, word.secretary, word.adjusters) == ("Anna Berg", "Lisa Ek", ("Per Lund",))
    assert same_meeting(word.to_dict(), text.to_dict()) == []
