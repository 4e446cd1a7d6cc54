"""The final report's workbook: rendered from content built in memory (no database), read back
with openpyxl, and opened by LibreOffice."""
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from report_content import FORMULA, HOSTILE_SHOWN, RECOMMENDATION, full_content, make_content, to_pdf

from app import labels
from app.i18n import gettext_for
from app.reports.charts import heat_cells
from app.reports.formats import FORMATS
from app.reports.xlsx import INDICATORS, PLAN, PROGRAMME, render_xlsx

SHEETS = ["Indicators", "Heat map", "Action plan", "People met", "Programme"]


@pytest.fixture(scope="module")
def content():
    return full_content()


@pytest.fixture(scope="module")
def rendered(content):
    return {lang: render_xlsx(content, lang) for lang in ("en", "fr")}


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def header(ws, row: int = 1) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def test_registered_as_a_report_format():
    assert FORMATS["xlsx"].render is render_xlsx and FORMATS["xlsx"].extension == "xlsx"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sheets_and_headers_in_the_readers_language(rendered, lang):
    _ = gettext_for(lang)
    wb = opened(rendered[lang])
    assert wb.sheetnames == [_(s) for s in SHEETS]
    assert header(wb[_("Indicators")]) == [_(c.label) for c in INDICATORS]
    assert header(wb[_("Action plan")]) == [_(c.label) for c in PLAN]
    assert header(wb[_("Programme")]) == [_(c.label) for c in PROGRAMME]
    assert wb.properties.language == lang and wb.properties.title.endswith("Hostileville")


def test_french_has_no_english_header_and_english_no_french_one(rendered):
    en, fr = opened(rendered["en"]), opened(rendered["fr"])
    english = {h for ws in en for h in header(ws)} | set(en.sheetnames)
    french = {h for ws in fr for h in header(ws)} | set(fr.sheetnames)
    # the words both languages write alike
    assert english & french == {"Code", "Dimension", "Organisation", "Horizon", "Programme"}


def test_one_row_per_indicator_with_judgements_in_words_on_their_colour(rendered, content):
    ws = opened(rendered["en"])["Indicators"]
    assert ws.max_row == len(content.indicators) + 1 == 74
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:I74"
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    for row, item in enumerate(content.indicators, start=2):
        assert ws.cell(row, 1).value == item.code
        judgement = ws.cell(row, 6)
        if item.performance:
            assert judgement.value.endswith(labels.PERFORMANCES[item.performance])
        else:
            assert judgement.value == "not judged"
        assert judgement.fill.fgColor.rgb[-6:] == labels.PERFORMANCE_COLOURS[item.performance or "none"]
        assert ws.cell(row, 9).value == ("yes" if item.departs_from_majority else None)
    assert ws.cell(2, 7).value == content.indicators[0].rationale.replace("\x07", "")


def test_heat_map_shares_are_numbers_on_the_heat_maps_colours(rendered, content):
    ws = opened(rendered["en"])["Heat map"]
    cells = heat_cells(content)
    assert [ws.cell(3, col).value for col in range(2, 7)] == [d.name["en"] for d in content.dimensions]
    for r, row in enumerate(cells, start=4):
        assert ws.cell(r, 1).value.startswith(content.pillars[r - 4].code)
        for col, cell in enumerate(row, start=2):
            target = ws.cell(r, col)
            assert target.fill.fgColor.rgb[-6:] == cell.fill
            if cell.share is None:
                assert target.value == "—"
            else:
                assert target.value == pytest.approx(cell.share) and target.number_format == "0%"
    counts = next(r for r in range(9, 20) if ws.cell(r, 1).value == "Pillar" and ws.cell(r, 2).value == "Dimension")
    first = ws.cell(counts + 1, 1)
    assert [c.value for c in ws[counts + 1][:5]] == ["GG", "Ambition", cells[0][0].share, cells[0][0].at_or_above,
                                                     cells[0][0].judged]
    assert first.value == "GG" and ws.max_row == counts + 20


def test_action_plan_with_real_dates_and_user_text_that_stays_text(rendered, content):
    ws = opened(rendered["en"])["Action plan"]
    plan = content.action_plan()
    assert [ws.cell(r, 1).value for r in range(2, len(plan) + 2)] == [r.number for r in plan]
    first = next(r for r in range(2, len(plan) + 2) if ws.cell(r, 1).value == 1)
    text = ws.cell(first, 2)
    assert text.value == RECOMMENDATION.replace("\x07", "") and text.value.startswith(FORMULA)
    assert text.data_type == "s" and text.quotePrefix  # never a formula, even once edited in Excel or Calc
    owner = ws.cell(first, 6)
    assert owner.value == f"@SUM(1+1) {HOSTILE_SHOWN}" and owner.quotePrefix
    assert ws.cell(first, 8).value == f"Migrant council — Genoa\nTitle {HOSTILE_SHOWN} — Evil {HOSTILE_SHOWN}"
    dated = [(ws.cell(r, 7).value, next(p for p in plan if p.number == ws.cell(r, 1).value).follow_up_on)
             for r in range(2, len(plan) + 2)]
    assert all(isinstance(v, datetime) and v.date() == date.fromisoformat(iso) for v, iso in dated if iso)
    assert all(v is None for v, iso in dated if not iso)
    assert ws.cell(2, 7).number_format == "yyyy-mm-dd" or ws.cell(2, 7).value is None


def test_people_and_programme(rendered, content):
    wb = opened(rendered["fr"])
    people = wb["Personnes rencontrées"]
    assert people.max_row == len(content.people_met()) + 1
    organisation = people.cell(2, 3)
    assert organisation.value.startswith("\t") and organisation.quotePrefix  # a leading tab: marked as text too
    programme = wb["Programme"]
    assert programme.max_row == len(content.meetings) + 1
    start, end = programme.cell(2, 1), programme.cell(2, 2)
    assert start.value == datetime(2027, 1, 12, 9, 0) and end.value == datetime(2027, 1, 12, 10, 0)
    assert start.is_date and start.number_format == "yyyy-mm-dd hh:mm"
    assert programme.cell(2, 3).value == "Entretien"
    assert HOSTILE_SHOWN in programme.cell(2, 5).value and "\x07" not in programme.cell(2, 5).value


def test_a_report_without_recommendations_nor_interviews():
    wb = opened(render_xlsx(make_content(recommendations=0, meetings=0, sections=False), "en"))
    assert wb["Action plan"].max_row == 1 and wb["Programme"].max_row == 1 and wb["People met"].max_row == 1


def test_libreoffice_opens_both_languages(rendered, soffice, tmp_path):
    pdfs = to_pdf(soffice, {f"report-{lang}.xlsx": data for lang, data in rendered.items()}, tmp_path)
    for name, pdf in pdfs.items():
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000, name
