"""The final report as HTML: one template (``reports/document.html``) for the downloaded
file, the PDF (WeasyPrint prints it) and, inside the service's page, its body.

The document carries its own style sheet (``app/static/report.css``, read once) so that
the file reads the same opened from a disk, without the service. User text reaches the
template as plain strings and Jinja escapes it; the only markup inserted as is, the heat
map's SVG, escapes every text it holds (``app/reports/charts.py``).
"""
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from app import labels
from app.i18n import gettext_for
from app.labels import HORIZON_LABELS, PRIORITY_LABELS
from app.reports import phrasing
from app.reports.charts import heat_map_svg, legend_svg
from app.reports.content import ReportContent, localized
from app.web import env

STYLE_SHEET = Path(__file__).resolve().parent.parent / "static" / "report.css"


@lru_cache
def style_sheet() -> str:
    return STYLE_SHEET.read_text(encoding="utf-8")


def report_context(content: ReportContent, lang: str) -> dict[str, Any]:
    """What the report's templates read, in ``lang``."""
    _ = gettext_for(lang)
    return {"content": content, "c": content, "_": _, "lang": lang, "localized": localized,
            "day": lambda value: phrasing.day(value, lang), "clock": phrasing.clock, "colon": phrasing.colon(lang),
            "heat_map": Markup(heat_map_svg(content, lang, _)), "legend": Markup(legend_svg(_)),
            "horizons": HORIZON_LABELS, "priorities": PRIORITY_LABELS, "performances": labels.PERFORMANCES,
            "ratings": labels.RATINGS, "roles": labels.ROLES, "signs": labels.PERFORMANCE_SIGNS}


def render_html(content: ReportContent, lang: str) -> str:
    """The whole report as one self-contained HTML document."""
    return env.get_template("reports/document.html").render(**report_context(content, lang),
                                                            style=Markup(style_sheet()))


def render_html_bytes(content: ReportContent, lang: str) -> bytes:
    return render_html(content, lang).encode("utf-8")
