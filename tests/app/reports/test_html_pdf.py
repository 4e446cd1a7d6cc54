"""The final report as HTML and PDF: rendered from content built in memory, read back (the
HTML's text, the PDF's text with pypdfium2) and looked at as a person would (the PDF's
pages as pictures: none blank, the heat map's colours on the page that shows it); user
text shown verbatim and harmless; both languages."""
import re
from html import unescape

import pypdfium2 as pdfium
import pytest
from report_content import HOSTILE_SHOWN, RECOMMENDATION, make_content

from app.reports.charts import heat_cells
from app.reports.html import render_html
from app.reports.pdf import render_pdf


@pytest.fixture(scope="module")
def content():
    return make_content(recommendations=4, meetings=6)


@pytest.fixture(scope="module")
def pdf_en(content):
    return render_pdf(content, "en")


def pdf_text(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def test_the_html_report_escapes_every_text_people_wrote(content):
    html = render_html(content, "en")
    assert "<w:p>" not in html and "<b>x</b>" not in html
    assert "&lt;w:p&gt;]]&gt;&amp;amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert "<script" not in html  # a document without scripts
    assert html.count("<svg") == 2  # the heat map and its scale, drawn inline


def test_the_html_report_in_french_has_no_english_heading(content):
    french = render_html(content, "fr")
    headings = [unescape(h) for h in re.findall(r"<h[1-5][^>]*>(.*?)</h[1-5]>", french, re.S)]
    assert "Résumé" in headings and "Annexe E — Plan d'action" in headings
    assert not {"Summary", "Strengths", "Weaknesses", "Annex E — Action plan"} & set(headings)
    assert "Projet — non publié" in french


def test_the_pdf_reads_back_with_its_sections_and_the_text_people_wrote(content, pdf_en):
    pages = pdf_text(pdf_en)
    whole = "\n".join(pages)
    assert len(pages) >= 10
    for heading in ("Summary", "Where the city stands", "Annex A — The people met", "Annex E — Action plan"):
        assert heading in whole
    flat = " ".join(whole.split())
    assert " ".join(RECOMMENDATION.replace("\x07", "").split())[:40] in flat
    assert "<w:p>" in flat  # the hostile text printed as the characters it is
    assert f"1 / {len(pages)}" in whole  # page numbers from the print style sheet


def test_the_pdf_pages_are_not_blank_and_the_heat_map_is_drawn(content, pdf_en):
    doc = pdfium.PdfDocument(pdf_en)
    wanted = {tuple(int(c.fill[i:i + 2], 16) for i in (0, 2, 4)) for row in heat_cells(content) for c in row
              if c.share is not None}
    heat_page = None
    for number in range(min(len(doc), 4)):
        image = doc[number].render(scale=1).to_pil().convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 5, f"page {number + 1} is blank"
        present = {rgb for _n, rgb in colours}
        if heat_page is None and len(wanted & present) >= min(3, len(wanted)):
            heat_page = number
    assert heat_page is not None and heat_page <= 1, "the heat map is on the first pages, in its colours"


def test_the_pdf_in_french(content):
    whole = "\n".join(pdf_text(render_pdf(content, "fr")))
    assert "Résumé" in whole and "Annexe A — Les personnes rencontrées" in whole
    assert "Annex A — The people met" not in whole
    assert HOSTILE_SHOWN.split()[0] in whole


def test_each_recommendation_is_printed_once_and_named_beside_each_of_its_indicators(content):
    html = render_html(content, "en")
    several = next(r for r in content.recommendations if len(r.indicator_codes) > 1)
    assert html.count(f'id="rec-{several.number}"') == 1
    assert html.count(f'href="#rec-{several.number}"') == len(several.indicator_codes)
