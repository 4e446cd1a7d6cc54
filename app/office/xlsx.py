"""Workbooks written and read with openpyxl: what every workbook of the service needs.

Writing: :func:`text_cell` (text stays text, never a formula), :func:`write_header`,
:func:`row_height`, :func:`print_setup`, :func:`protect`, and the shared styles.
Reading: :func:`open_workbook` (the file checks of :mod:`app.office.package`, then openpyxl's
read-only, streaming mode), :func:`worksheet`, :func:`read_rows`, :func:`cell_text`. Whatever
openpyxl fails on becomes a 422 naming the sheet and, where there is one, the cell.
"""
from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from typing import Any

import openpyxl
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.worksheet import Worksheet

from app import labels
from app.i18n import N_
from app.office.package import DAMAGED, check_xlsx
from app.office.problems import Problems, refuse

if not openpyxl.DEFUSEDXML or openpyxl.LXML:  # uploaded XML must never expand entities (app/__init__.py)
    raise ImportError("openpyxl refuses entities only when it parses with defusedxml (installed, "
                      "OPENPYXL_DEFUSEDXML not False) rather than lxml: import app before openpyxl.")

#: What a workbook is served as.
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")  # grey: what the reader may not change
UNLOCKED = Protection(locked=False)
#: A judgement's or a self-rating's cell: on its colour (``"none"``: not judged), white and bold
#: but on "none" (contrast 4.5:1), the word always written in it.
JUDGEMENT_FILLS = {key: PatternFill("solid", fgColor=colour) for key, colour in labels.PERFORMANCE_COLOURS.items()}
ON_FILL, ON_NONE = Font(bold=True, color="FFFFFF"), Font(color=labels.INK)
LINE_POINTS, MAX_ROW_POINTS = 15, 409  # Excel's default line, and its highest row

#: What makes a typed cell a formula in Excel or Calc (and, after a tab or a carriage return,
#: in a spreadsheet the cell is pasted into as CSV).
FORMULA_STARTS = frozenset("=+-@\t\r")
SHEET_DAMAGED = N_("The sheet is damaged: it cannot be read.")
SHEET_DAMAGED_AFTER = N_("The sheet is damaged after row %(row)s: it cannot be read.")
CELL_DAMAGED = N_("The cell is damaged: its content cannot be read.")


# --- writing ---------------------------------------------------------------------------

def text_cell(ws: Worksheet, row: int, col: int, value: str | None) -> Cell:
    """The cell at ``row``, ``col`` holding ``value`` as text, never as a formula whatever it
    starts with, without the characters XML cannot hold; empty for None or "". Text that
    a spreadsheet would read as a formula (:data:`FORMULA_STARTS`: =, +, -, @, a tab, a
    carriage return) is also marked quote-prefixed, so that editing the cell in Excel or
    Calc keeps it text."""
    cell = ws.cell(row=row, column=col)
    value = ILLEGAL_CHARACTERS_RE.sub("", value) if value else value
    cell.value = value if value else None
    if value:
        cell.data_type = "s"
        if value[0] in FORMULA_STARTS:
            cell.quotePrefix = True
    return cell


def judgement_style(cell: Cell, key: str | None) -> None:
    """A judgement's cell on its colour (:data:`JUDGEMENT_FILLS`)."""
    cell.fill = JUDGEMENT_FILLS[key or "none"]
    cell.font = ON_FILL if key else ON_NONE


def write_header(ws: Worksheet, labels_and_widths: list[tuple[str, float]], row: int = 1) -> None:
    """Column labels in ``row``, bold on a tinted ground and wrapped; the columns get their
    widths, and the row a height that shows the labels whole."""
    for col, (label, width) in enumerate(labels_and_widths, start=1):
        cell = text_cell(ws, row, col, label)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = row_height(labels_and_widths)


def row_height(texts_and_widths: Sequence[tuple[str | None, float]]) -> float:
    """A height in points that shows the wrapped texts of a row whole, each in a column of
    the given width (spreadsheets do not fit rows to wrapped text by themselves): a line
    per 15 points, at most Excel's 409."""
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(1, int(width * 1.15))
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in (text or "").split("\n")))
    return min(MAX_ROW_POINTS, LINE_POINTS * lines + 3)


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Printed landscape, one page wide and as many long as needed; ``title_rows`` (such as
    ``"1:1"``) repeated at the top of every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def protect(ws: Worksheet) -> None:
    """Lock every cell not styled :data:`UNLOCKED`; rows and columns can still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# --- reading ---------------------------------------------------------------------------

@contextmanager
def open_workbook(data: bytes) -> Iterator[Workbook]:
    """The uploaded workbook, checked as a file (:func:`~app.office.package.check_xlsx`) then
    opened in openpyxl's read-only, streaming mode, formulas as typed (not their last values);
    closed on leaving. 422 if openpyxl cannot open it, naming the sheet it failed on."""
    check_xlsx(data)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises many kinds on a damaged file
        sheet, _cell = _where_openpyxl_failed(exc)
        refuse(sheet, None, SHEET_DAMAGED if sheet else DAMAGED)
    try:
        yield wb
    finally:
        wb.close()


def worksheet(wb: Workbook, name: str) -> ReadOnlyWorksheet | None:
    """The sheet of that name if it has cells (a chartsheet has none), else None."""
    ws = wb[name] if name in wb.sheetnames else None
    return ws if hasattr(ws, "iter_rows") else None


def read_rows(ws: ReadOnlyWorksheet, sheet: str, problems: Problems, *, max_row: int, max_col: int,
              values_only: bool = False) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """``(row number, cells or values)`` for the first ``max_row`` rows and ``max_col``
    columns of ``ws`` (named ``sheet``); rows missing from the file come empty.

    Bounded so that a tiny file naming a far-away cell does not make the parser build a
    million. openpyxl's read-only mode parses as it goes, so a damaged part fails here: it
    is refused, with every problem already in ``problems``, naming the cell when openpyxl got
    that far, else the last row read."""
    rows = ws.iter_rows(max_row=max_row, max_col=max_col, values_only=values_only)
    number = 0
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:  # noqa: BLE001 -- the parser's, on damaged XML or a value it cannot convert
            _sheet, cell = _where_openpyxl_failed(exc)
            if cell:
                problems.refuse(sheet, cell, CELL_DAMAGED)
            if number:
                problems.refuse(sheet, None, SHEET_DAMAGED_AFTER, row=number)
            problems.refuse(sheet, None, SHEET_DAMAGED)
        if row is None:
            return
        number += 1
        yield number, row


def cell_text(value: Any) -> str:
    """A cell's value as the text typed: whole numbers without ".0", line ends as "\\n",
    no blanks around; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


# openpyxl's exceptions do not say where in the workbook they arose; the frames of its
# read-only reader that were running do: opening a worksheet (its title) and converting a
# cell's value (its row and column). Tested against the locked openpyxl in tests/app/office.
_OPENING_SHEET = ReadOnlyWorksheet.__init__.__code__
_READING_CELL = WorkSheetParser.parse_cell.__code__


def _where_openpyxl_failed(exc: BaseException) -> tuple[str | None, str | None]:
    """The sheet openpyxl was opening and the cell it was reading when ``exc`` arose, if any."""
    sheet = cell = None
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:  # openpyxl wraps some errors in others
        seen.add(id(error))
        for frame, _line in traceback.walk_tb(error.__traceback__):
            found = frame.f_locals
            if frame.f_code is _OPENING_SHEET and isinstance(found.get("title"), str):
                sheet = found["title"]
            elif frame.f_code is _READING_CELL:
                cell = _reference(found.get("row"), found.get("column"))
        error = error.__cause__ or error.__context__
    return sheet, cell


def _reference(row: Any, column: Any) -> str | None:
    """``"C5"`` for row 5, column 3; None unless both are numbers a sheet can hold."""
    if not (isinstance(row, int) and isinstance(column, int) and row >= 1):
        return None
    try:
        return f"{get_column_letter(column)}{row}"
    except ValueError:  # past column XFD
        return None
