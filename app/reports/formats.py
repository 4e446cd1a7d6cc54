"""The report's formats: each one's media type, file extension and renderer, all from the
one content model (:class:`~app.reports.content.ReportContent`)."""
from collections.abc import Callable
from dataclasses import dataclass

from app.office.xlsx import MEDIA_TYPE
from app.reports.content import ReportContent
from app.reports.docx import render_docx
from app.reports.html import render_html_bytes
from app.reports.pdf import render_pdf
from app.reports.xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str
    render: Callable[[ReportContent, str], bytes]


FORMATS: dict[str, Format] = {
    "html": Format("text/html; charset=utf-8", "html", render_html_bytes),
    "pdf": Format("application/pdf", "pdf", render_pdf),
    "docx": Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", render_docx),
    "xlsx": Format(MEDIA_TYPE, "xlsx", render_xlsx),
}
