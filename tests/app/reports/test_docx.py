"""The final report as Word: rendered from content built in memory (no database), read back
with python-docx, and opened by LibreOffice."""
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from report_content import HOSTILE, HOSTILE_SHOWN, RECOMMENDATION, full_content, make_content, to_pdf

from app.i18n import N_, gettext_for
from app.office.docx import add_table, add_text, safe_text, saved
from app.reports.docx import render_docx
from app.reports.formats import FORMATS

#: The fixed headings, in the order they come (the pillars' and dimensions' between them).
FIXED_HEADINGS = [N_("Summary"), N_("Where the city stands"), N_("The city's self-assessment and the team's judgement"),
                  N_("Annex A — The people met"), N_("Annex B — The visit programme"), N_("Annex C — The method"),
                  N_("Annex D — Every indicator"), N_("Annex E — Action plan")]
INNER_HEADINGS = [N_("Strengths"), N_("Weaknesses"), N_("Recommendations"), N_("Short term (0–12 months)")]


@pytest.fixture(scope="module")
def content():
    return full_content()


@pytest.fixture(scope="module")
def rendered(content):
    return {lang: render_docx(content, lang) for lang in ("en", "fr")}


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(document, level: int | None = None) -> list[str]:
    names = {f"Heading {level}"} if level else {f"Heading {n}" for n in range(1, 5)}
    return [p.text for p in document.paragraphs if p.style.name in names]


def body_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_registered_as_a_report_format():
    assert FORMATS["docx"].render is render_docx and FORMATS["docx"].extension == "docx"
    assert FORMATS["docx"].media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_headings_are_words_headings_in_the_html_reports_order(rendered, content, lang):
    _ = gettext_for(lang)
    document = opened(rendered[lang])
    pillars = [f"{p.code} {p.name[lang]}" for p in content.pillars]
    assert headings(document, 1) == [_(h) for h in FIXED_HEADINGS[:3]] + pillars + [_(h) for h in FIXED_HEADINGS[3:]]
    second = headings(document, 2)
    assert second[:2] == [_("Strengths"), _("Weaknesses")] and second.count(_("Strengths")) == 4
    assert content.dimensions[0].name[lang] in second
    assert _("Recommendations") in headings(document, 3)
    assert set(headings(document, 4)) <= {_(h) for h in (N_("Short term (0–12 months)"), N_(
        "Medium term (1–3 years)"), N_("Long term (3–5 years)"))} and headings(document, 4)
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == content.city


def test_french_has_no_english_heading_and_english_no_french_one(rendered):
    fixed = FIXED_HEADINGS + INNER_HEADINGS
    en, fr = gettext_for("en"), gettext_for("fr")
    french, english = set(headings(opened(rendered["fr"]))), set(headings(opened(rendered["en"])))
    assert all(fr(h) != h for h in fixed)  # translated
    assert not french & {en(h) for h in fixed}
    assert not english & {fr(h) for h in fixed}
    assert "Page" in opened(rendered["fr"]).sections[0].footer.paragraphs[0].text
    assert " sur " in opened(rendered["fr"]).sections[0].footer.paragraphs[0].text


def test_the_heat_map_is_a_picture_with_its_description_and_caption(rendered):
    document = opened(rendered["en"])
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert abs(shape.width - Cm(16)) < Cm(0.01)
    described = shape._inline.docPr.get("descr")
    assert described.startswith("Final judgements by pillar and dimension") and "GG × Ambition: " in described
    with zipfile.ZipFile(io.BytesIO(rendered["en"])) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(pictures) == 1 and package.read(pictures[0]).startswith(b"\x89PNG")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [described.splitlines()[0]]


def test_user_text_comes_out_verbatim_and_harmless(rendered, content):
    document = opened(rendered["en"])
    paragraphs = [p.text for p in document.paragraphs]
    assert f"R1 {RECOMMENDATION.replace(chr(7), '')}" in paragraphs  # the bell is refused by XML: dropped
    assert f"The summary.\n{HOSTILE_SHOWN}" in paragraphs and "A second paragraph." in paragraphs
    text = body_text(document)
    assert text.count(HOSTILE_SHOWN) >= 10 and "\x07" not in text
    assert f"Hostileville 2027 {HOSTILE_SHOWN}" in paragraphs
    with zipfile.ZipFile(io.BytesIO(rendered["en"])) as package:
        xml = package.read("word/document.xml").decode()
    assert "<w:p>]]>" not in xml and "&lt;w:p&gt;]]&gt;&amp;amp;" in xml and "HYPERLINK" not in xml.split("<w:t")[0]
    assert "w:instrText" in package_xml(rendered["en"], "word/footer1.xml")  # the only fields: page numbers
    assert xml.count("<w:instrText") == 0


def package_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode()


def test_tables_have_a_repeated_header_and_judgements_in_words(rendered, content):
    document = opened(rendered["en"])
    tables = [t for t in document.tables if t.rows[0]._tr.trPr is not None
              and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    # self vs team, people met, programme, every indicator, action plan (the scale's row is no table of data)
    assert len(tables) == 5
    every = next(t for t in tables if len(t.rows) == len(content.indicators) + 1)
    assert [c.text for c in every.rows[0].cells] == ["Indicator", "City's self-rating", "Team's judgement"]
    first = content.indicators[0]
    assert every.rows[1].cells[0].text.startswith(f"{first.code} ") and every.rows[1].cells[2].text == (
        "− below the benchmark" if first.performance == "below" else every.rows[1].cells[2].text)
    judgements = {row.cells[2].text for row in every.rows[1:]}
    assert judgements == {"− below the benchmark", "= at the benchmark", "+ above the benchmark",
                          "? more information needed", "not judged"}
    plan = tables[-1]
    assert len(plan.rows) == len(content.recommendations) + 1
    assert any(row.cells[0].text.startswith(f"R1 {RECOMMENDATION.replace(chr(7), '')}") for row in plan.rows)


def test_a4_page_numbers_and_properties(rendered, content):
    document = opened(rendered["fr"])
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert "PAGE" in package_xml(rendered["fr"], "word/footer1.xml")
    props = document.core_properties
    assert props.title == f"{gettext_for('fr')('Peer review report')} — Hostileville" and props.language == "fr"
    assert props.created.year == 2027  # the published version's date
    assert 'w:val="fr-FR"' in package_xml(rendered["fr"], "word/styles.xml")


def test_a_draft_without_sections_nor_recommendations_says_so():
    content = make_content(recommendations=0, meetings=0, sections=False)
    document = opened(render_docx(content, "en"))
    text = [p.text for p in document.paragraphs]
    assert "No summary written yet." in text and "None written." in text
    assert "No interview recorded." in text and "No recommendation yet." in text and "Draft — not published" in text


def test_libreoffice_opens_both_languages(rendered, soffice, tmp_path):
    pdfs = to_pdf(soffice, {f"report-{lang}.docx": data for lang, data in rendered.items()}, tmp_path)
    for name, pdf in pdfs.items():
        assert pdf.startswith(b"%PDF") and len(pdf) > 50_000, name


# --- the office layer --------------------------------------------------------------------

def test_safe_text_drops_only_what_xml_refuses():
    assert safe_text(None) == "" and safe_text("") == ""
    assert safe_text("a\x00b\x07c\x1fd\ufffe") == "abcd"
    assert safe_text("tab\tline\nreturn\r\nend\r") == "tab\tline\nreturn\nend\n"
    assert safe_text("\u202eevil\u202c <w:p> ]]> &amp;") == "\u202eevil\u202c <w:p> ]]> &amp;"


def test_hostile_text_in_paragraphs_and_cells_reads_back_verbatim():
    hostile = f"{HOSTILE}\n=HYPERLINK(\"http://x\")\ttab\n\nnext paragraph"
    document = docx.Document()
    add_text(document, hostile)
    add_table(document, ["<w:tc>"], [Cm(5)], [[hostile]])
    back = docx.Document(io.BytesIO(saved(document)))
    shown = HOSTILE_SHOWN + "\n=HYPERLINK(\"http://x\")\ttab"
    assert [p.text for p in back.paragraphs] == [shown, "next paragraph"]
    assert back.tables[0].rows[0].cells[0].text == "<w:tc>"
    assert [p.text for p in back.tables[0].rows[1].cells[0].paragraphs] == [shown, "next paragraph"]
