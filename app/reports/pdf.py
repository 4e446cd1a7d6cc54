"""The final report as PDF: WeasyPrint prints the HTML document (its print style sheet
sets the page, the page numbers and the breaks; the heat map stays vector SVG)."""
from weasyprint import HTML

from app.reports.content import ReportContent
from app.reports.html import render_html


def render_pdf(content: ReportContent, lang: str) -> bytes:
    return HTML(string=render_html(content, lang)).write_pdf() or b""
