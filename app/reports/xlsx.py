"""The final report's data as a workbook, in the reader's language: the tables of the report
to sort, filter and follow up, on the shared office layer (:mod:`app.office.xlsx`).

1. *Indicators*: one row per indicator — its reference, the city's self-rating and the
   team's judgement (each word on its colour), the rationale, the peers' majority and
   whether the judgement departs from it.
2. *Heat map*: the pillar × dimension grid of the share judged at or above the benchmark
   (numbers formatted as percentages, on the heat map's colours), then every cell's counts.
3. *Action plan*: every recommendation by horizon, priority and follow-up date (a date
   cell), with its indicators, owner and good practices.
4. *People met* and 5. *Programme* (start and end as date-times, the host city's time).

Every text a person wrote is written through :func:`app.office.xlsx.text_cell`: text,
never a formula. Nothing is read back: the sheets are not protected.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app import labels
from app.i18n import N_, gettext_for
from app.office import table, xlsx
from app.office.docx import safe_text
from app.office.table import Column
from app.reports import phrasing
from app.reports.charts import heat_cells
from app.reports.content import ReportContent, localized

YES = N_("yes")
CENTRED = Alignment(horizontal="center", vertical="center")
DATE_FORMAT, DATE_TIME_FORMAT, SHARE_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0%"
INDICATORS = [
    *table.reference_columns(indicator_width=55),
    Column("self_rating", N_("City's self-rating"), 18), Column("judgement", N_("Team's judgement"), 18),
    Column("rationale", N_("Rationale"), 50), Column("majority", N_("Peers' majority"), 18),
    Column("departs", N_("Departs from the peers' majority"), 14)]
PLAN = [
    Column("number", N_("Number"), 9), Column("text", N_("Recommendation"), 60),
    Column("indicators", N_("Indicators"), 16),
    Column("horizon", N_("Horizon"), 18), Column("priority", N_("Priority"), 10), Column("owner", N_("Owner"), 24),
    Column("follow_up", N_("Follow-up"), 12), Column("practices", N_("Good practices"), 40)]
PEOPLE = [Column("name", N_("Name"), 30), Column("role", N_("Role"), 30),
          Column("organisation", N_("Organisation"), 34)]
PROGRAMME = [
    Column("start", N_("Start"), 17), Column("end", N_("End"), 17), Column("kind", N_("Kind"), 11),
    Column("title", N_("Title"), 26), Column("met", N_("Who was met"), 45), Column("peers", N_("Reviewers"), 30),
    Column("location", N_("Place"), 22)]


def _filtered(ws: Worksheet, columns: int, rows: int) -> None:
    """Filters on the header of a table of ``rows`` rows below it."""
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def _indicators(ws: Worksheet, c: ReportContent, lang: str, _: Callable[..., str]) -> None:
    pillars = {p.code: localized(p.name, lang) for p in c.pillars}
    dimensions = {d.code: localized(d.name, lang) for d in c.dimensions}
    table.write_table(ws, INDICATORS, [{
        "code": i.code, "pillar": pillars.get(i.pillar, i.pillar),
        "dimension": dimensions.get(i.dimension, i.dimension),
        "indicator": localized(i.text, lang), "self_rating": phrasing.rating(i.self_rating, _),
        "judgement": phrasing.judgement(i.performance, _), "rationale": i.rationale,
        "majority": phrasing.judgement(i.majority, _) if i.majority else None,
        "departs": _(YES) if i.departs_from_majority else None} for i in c.indicators], _, to_fill=False)
    first = len(table.reference_columns()) + 1
    for row, i in enumerate(c.indicators, start=2):
        xlsx.judgement_style(ws.cell(row, first), i.self_rating)
        xlsx.judgement_style(ws.cell(row, first + 1), i.performance)
    _filtered(ws, len(INDICATORS), len(c.indicators))


def _heat_map(ws: Worksheet, c: ReportContent, lang: str, _: Callable[..., str]) -> None:
    """The grid of shares on their colours, then one row per cell with its counts."""
    rows = heat_cells(c)
    title = _("Final judgements by pillar and dimension: share of indicators at or above the benchmark")
    xlsx.text_cell(ws, 1, 1, title).font = Font(bold=True, size=13)
    xlsx.write_header(ws, [(_("Pillar"), 34), *((localized(d.name, lang), 16) for d in c.dimensions)], row=3)
    for r, (pillar, cells) in enumerate(zip(c.pillars, rows, strict=True), start=4):
        xlsx.text_cell(ws, r, 1, f"{pillar.code} {localized(pillar.name, lang)}").font = Font(bold=True)
        for col, cell in enumerate(cells, start=2):
            target = ws.cell(r, col)
            if cell.share is None:
                xlsx.text_cell(ws, r, col, "—")
            else:
                target.value, target.number_format = cell.share, SHARE_FORMAT
            target.fill = PatternFill("solid", fgColor=cell.fill)
            target.font, target.alignment = Font(bold=True, color=cell.ink), CENTRED
        ws.row_dimensions[r].height = 24
    top = 5 + len(rows)
    notes = [_("Each square is a pillar and a dimension of the benchmark: the share of its indicators the team judged "
               "at or above the benchmark (indicators needing more information left out), and how many of how many."),
             _("These are the judgements of a team of peers after reading the city's report and interviewing its "
               "people, not measurements.")]
    for n, note in enumerate(notes):
        xlsx.text_cell(ws, top + n, 1, note)
    counts = top + len(notes) + 1
    how_many = [_("How many: %(judgement)s", judgement=_(labels.PERFORMANCES[p])) for p in labels.PERFORMANCES]
    xlsx.write_header(ws, [(_("Pillar"), 34), (_("Dimension"), 16), (_("Share at or above the benchmark"), 16),
                           (_("At or above the benchmark"), 16), (_("Judged on the scale"), 16),
                           *((h, 16) for h in how_many), (_("Indicators"), 12)], row=counts)
    for r, cell in enumerate((cell for row in rows for cell in row), start=counts + 1):
        xlsx.text_cell(ws, r, 1, cell.pillar)
        xlsx.text_cell(ws, r, 2, localized(next(d.name for d in c.dimensions if d.code == cell.dimension), lang))
        share = ws.cell(r, 3)
        share.value, share.number_format = cell.share, SHARE_FORMAT
        counted = c.cell(cell.pillar, cell.dimension)["counts"]
        for col, value in enumerate([cell.at_or_above, cell.judged, *(counted[p] for p in labels.PERFORMANCES),
                                     cell.total], start=4):
            ws.cell(r, col).value = value
    ws.auto_filter.ref = f"A{counts}:{get_column_letter(5 + len(how_many) + 1)}{counts + len(rows) * len(c.dimensions)}"
    xlsx.print_setup(ws)


def _action_plan(ws: Worksheet, c: ReportContent, lang: str, _: Callable[..., str]) -> None:
    plan = c.action_plan()
    table.write_table(ws, PLAN, [{
        "number": str(r.number), "text": r.text, "indicators": ", ".join(r.indicator_codes),
        "horizon": _(labels.HORIZON_LABELS[r.horizon]), "priority": _(labels.PRIORITY_LABELS[r.priority]),
        "owner": r.owner, "practices": "\n".join(
            f"{localized(p.title, lang)} — {p.city}" if p.city else localized(p.title, lang)
            for p in (c.practices.get(pid) for pid in r.practice_ids) if p)} for r in plan], _, to_fill=False)
    for row, r in enumerate(plan, start=2):
        ws.cell(row, 1).value = r.number  # a number, to sort by
        if r.follow_up_on:
            cell = ws.cell(row, 7)
            cell.value, cell.number_format = date.fromisoformat(r.follow_up_on), DATE_FORMAT
    _filtered(ws, len(PLAN), len(plan))


def _people(ws: Worksheet, c: ReportContent, _: Callable[..., str]) -> None:
    people = c.people_met()
    table.write_table(ws, PEOPLE, [{"name": p.name, "role": p.role, "organisation": p.organisation} for p in people],
                      _, to_fill=False)
    _filtered(ws, len(PEOPLE), len(people))


def _programme(ws: Worksheet, c: ReportContent, _: Callable[..., str]) -> None:
    table.write_table(ws, PROGRAMME, [{
        "kind": _("Workshop") if m.kind == "workshop" else _("Interview"), "title": m.title,
        "met": "\n".join(", ".join(x for x in (p.name, p.role, p.organisation) if x) for p in m.interviewees),
        "peers": ", ".join(m.peers), "location": m.location} for m in c.meetings], _, to_fill=False)
    for row, m in enumerate(c.meetings, start=2):
        for col, value in ((1, m.starts_at), (2, m.ends_at)):
            cell = ws.cell(row, col)  # the host city's local time, as the programme reads (Excel has no zones)
            cell.value, cell.number_format = datetime.fromisoformat(value).replace(tzinfo=None), DATE_TIME_FORMAT
    _filtered(ws, len(PROGRAMME), len(c.meetings))


def render_xlsx(content: ReportContent, lang: str) -> bytes:
    """The report's tables as a workbook in ``lang``."""
    _ = gettext_for(lang)
    wb = Workbook()
    wb.properties.title = safe_text(f"{_('Peer review report')} — {content.city}")
    wb.properties.subject = safe_text(content.title)
    wb.properties.language, wb.properties.creator = lang, "INTI-CITIES"
    if content.published_at:
        wb.properties.created = datetime.fromisoformat(content.published_at).replace(tzinfo=None)
    indicators = wb.active
    indicators.title = _("Indicators")
    _indicators(indicators, content, lang, _)
    _heat_map(wb.create_sheet(_("Heat map")), content, lang, _)
    _action_plan(wb.create_sheet(_("Action plan")), content, lang, _)
    _people(wb.create_sheet(_("People met")), content, _)
    _programme(wb.create_sheet(_("Programme")), content, _)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
