"""Writing workbooks and reading them back, every parser failure a 422 naming sheet and cell.
No database."""
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from xlsx_support import replace_cell, rezip, sheet_part

from app.errors import InvalidInput
from app.office import xlsx
from app.office.package import DAMAGED
from app.office.problems import Problems, refuse

ENTITIES = b'<!DOCTYPE worksheet [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'


def saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def two_sheets(rows: int = 6) -> bytes:
    """Sheets "Data" (A1..C{rows}, numbers in C) and "Notes"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for n in range(1, rows + 1):
        ws.append([f"code {n}", f"text {n}", n])
    wb.create_sheet("Notes")["B2"] = "note"
    return saved(wb)


def in_sheet(data: bytes, title: str, edit) -> bytes:
    return rezip(data, {sheet_part(data, title): edit})


def errors_of(caught) -> list[tuple]:
    return [(e["sheet"], e["cell"], e["msg"], e["params"]) for e in caught.value.extra["errors"]]


def read_all(data: bytes, title: str, problems: Problems | None = None, **bounds) -> list:
    with xlsx.open_workbook(data) as wb:
        return list(xlsx.read_rows(xlsx.worksheet(wb, title), title, problems or Problems(),
                                   values_only=True, **{"max_row": 50, "max_col": 5, **bounds}))


# --- writing ---------------------------------------------------------------------------

def test_text_cells_hold_text_never_a_formula_nor_illegal_characters():
    wb = Workbook()
    ws = wb.active
    xlsx.text_cell(ws, 1, 1, "=HYPERLINK(\"http://evil\")")
    xlsx.text_cell(ws, 2, 1, "bell\x07 and tab\tkept")
    xlsx.text_cell(ws, 3, 1, "")
    back = load_workbook(io.BytesIO(saved(wb)))["Sheet"]
    assert back["A1"].value == "=HYPERLINK(\"http://evil\")" and back["A1"].data_type == "s"
    assert back["A1"].quotePrefix  # editing the cell in Excel or Calc keeps it text
    assert back["A2"].value == "bell and tab\tkept" and not back["A2"].quotePrefix
    assert back["A3"].value is None
    for n, start in enumerate("+-@", start=4):
        xlsx.text_cell(ws, n, 1, f"{start}cmd|' /C calc'!A0")
    back = load_workbook(io.BytesIO(saved(wb)))["Sheet"]
    assert all(back.cell(n, 1).quotePrefix and back.cell(n, 1).data_type == "s" for n in range(4, 7))


def test_row_height_shows_wrapped_text_whole_within_excels_limit():
    assert xlsx.row_height([("short", 20)]) == 18
    assert xlsx.row_height([("two\nlines", 20), (None, 10)]) == 33
    assert xlsx.row_height([("x" * 46, 20)]) == 33  # 23 characters a line in a column 20 wide
    assert xlsx.row_height([("line\n" * 100, 20)]) == 409


def test_header_print_setup_and_protection_read_back():
    wb = Workbook()
    ws = wb.active
    xlsx.write_header(ws, [("Code", 11), ("A long label over two lines of the column", 20)])
    xlsx.print_setup(ws, "1:1")
    xlsx.protect(ws)
    back = load_workbook(io.BytesIO(saved(wb)))["Sheet"]
    assert back["A1"].font.bold and back["B1"].fill.fgColor.rgb.endswith("DCE6F0") and back["B1"].alignment.wrap_text
    assert back.column_dimensions["A"].width == 11 and back.row_dimensions[1].height == 33
    assert back.page_setup.orientation == "landscape" and back.print_title_rows == "$1:$1"
    assert back.sheet_properties.pageSetUpPr.fitToPage and back.page_setup.fitToHeight == 0
    assert back.protection.sheet and not back.protection.formatColumns and not back.protection.formatRows


def test_cell_text_is_what_was_typed():
    assert xlsx.cell_text(None) == ""
    assert xlsx.cell_text(3.0) == "3" and xlsx.cell_text(2.5) == "2.5"
    assert xlsx.cell_text("  a\r\nb\rc ") == "a\nb\nc"


# --- problems --------------------------------------------------------------------------

def test_problems_make_one_422_listing_each_with_its_place():
    problems = Problems()
    problems.raise_if_any()  # nothing yet
    problems.add("Data", None, "The sheet %(sheet)s is missing.", sheet="Data")  # a parameter named sheet
    with pytest.raises(InvalidInput) as caught:
        problems.refuse("Data", "B2", "Bad %(what)s.", what="cell")
    assert caught.value.status == 422 and caught.value.params == {"n": 2}
    assert errors_of(caught) == [("Data", None, "The sheet %(sheet)s is missing.", {"sheet": "Data"}),
                                 ("Data", "B2", "Bad %(what)s.", {"what": "cell"})]
    with pytest.raises(InvalidInput) as caught:
        refuse(None, None, "Whole file.")
    assert errors_of(caught) == [(None, None, "Whole file.", {})]


# --- reading ---------------------------------------------------------------------------

def test_rows_come_numbered_within_bounds():
    rows = read_all(two_sheets(), "Data", max_row=4, max_col=2)
    assert rows == [(n, (f"code {n}", f"text {n}")) for n in range(1, 5)]
    assert read_all(two_sheets(), "Notes") == [(1, (None, None, None, None, None)), (2, (None, "note", None, None, None))]


def test_a_missing_sheet_or_a_chartsheet_is_none():
    wb = Workbook()
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet("Chart").add_chart(chart)
    with xlsx.open_workbook(saved(wb)) as opened:
        assert xlsx.worksheet(opened, "Sheet") is not None
        assert xlsx.worksheet(opened, "Chart") is None and xlsx.worksheet(opened, "Nowhere") is None


DAMAGED_CELLS = {  # the <c> element put in place of C4
    "not a number": '<c r="C4" t="n"><v>abc</v></c>',
    "not a date": '<c r="C4" t="d"><v>garbage</v></c>',
    "not a shared string": '<c r="C4" t="s"><v>999</v></c>',
    "not a boolean": '<c r="C4" t="b"><v>maybe</v></c>',
}


@pytest.mark.parametrize("case", DAMAGED_CELLS)
def test_a_value_the_parser_cannot_convert_names_its_cell(case):
    data = in_sheet(two_sheets(), "Data", replace_cell("C4", DAMAGED_CELLS[case]))
    with pytest.raises(InvalidInput) as caught:
        read_all(data, "Data")
    assert errors_of(caught) == [("Data", "C4", xlsx.CELL_DAMAGED, {})]


def test_a_truncated_sheet_names_the_last_row_read_and_keeps_earlier_problems():
    data = in_sheet(two_sheets(), "Data", lambda xml: xml[: xml.index(b'<row r="4"') + 25])
    problems = Problems()
    problems.add("Data", "A2", "Earlier.")
    with pytest.raises(InvalidInput) as caught:
        read_all(data, "Data", problems)
    assert errors_of(caught) == [("Data", "A2", "Earlier.", {}),
                                 ("Data", None, xlsx.SHEET_DAMAGED_AFTER, {"row": 3})]


def test_a_sheet_damaged_before_its_first_row():
    data = in_sheet(two_sheets(), "Data", lambda xml: xml[: xml.index(b"<sheetData>") + 11])
    with pytest.raises(InvalidInput) as caught:
        read_all(data, "Data")
    assert errors_of(caught) == [("Data", None, xlsx.SHEET_DAMAGED, {})]


def test_entities_are_refused_naming_the_sheet_or_the_file():
    with pytest.raises(InvalidInput) as caught:
        read_all(in_sheet(two_sheets(), "Notes", lambda xml: ENTITIES + xml), "Data")
    assert errors_of(caught) == [("Notes", None, xlsx.SHEET_DAMAGED, {})]
    with pytest.raises(InvalidInput) as caught:
        read_all(rezip(two_sheets(), {"xl/workbook.xml": lambda xml: ENTITIES + xml}), "Data")
    assert errors_of(caught) == [(None, None, DAMAGED, {})]


def test_the_file_checks_come_first():
    with pytest.raises(InvalidInput) as caught:
        read_all(rezip(two_sheets(), {"xl/macrosheets/sheet1.xml": b"<x/>"}), "Data")
    assert "macros" in errors_of(caught)[0][2]
