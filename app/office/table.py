"""The sheets of a workbook filled offline and imported back: an instructions sheet in French
and English, and a data sheet of one row per indicator — its reference locked and grey, the
fields to fill unlocked, drop-downs for the fixed vocabularies — read back row by row, with
every problem named by sheet and cell. The initial report's workbook and the preparatory
review's are both made so; what differs (their columns, how a row becomes an entry) is
theirs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from benchmark.indicators import IndicatorSet

from app.i18n import N_, gettext_for
from app.office import meta, xlsx
from app.office.problems import Problems, refuse

INSTRUCTIONS_SHEET = "Instructions"
MAX_COLUMNS = 20
W = TypeVar("W")


@dataclass(frozen=True)
class Column:
    """A column of a data sheet: its key, its header (a message id), its width, and whether
    the user fills it (unlocked) or it is there for reference (locked, grey)."""

    key: str
    label: str
    width: float
    editable: bool = False


def reference_columns(indicator_width: float = 60) -> list[Column]:
    """The indicator's reference, first in every data sheet: code, pillar, dimension, text."""
    return [Column("code", N_("Code"), 11), Column("pillar", N_("Pillar"), 20),
            Column("dimension", N_("Dimension"), 15), Column("indicator", N_("Indicator"), indicator_width)]


def reference_values(iset: IndicatorSet, lang: str) -> dict[str, dict[str, str]]:
    """The reference columns' values of each indicator of ``iset`` in ``lang``, by code."""
    pillars = {p.code: p.name.get(lang) for p in iset.pillars}
    dimensions = {d.code: d.name.get(lang) for d in iset.dimensions}
    return {ind.code: {"code": ind.code, "pillar": pillars[ind.pillar], "dimension": dimensions[ind.dimension],
                       "indicator": ind.text.get(lang)} for ind in iset.indicators}


# --- writing ---------------------------------------------------------------------------

def instructions_sheet(ws: Worksheet, title: str, messages: Sequence[str]) -> None:
    """``ws`` as the instructions sheet: ``title``, then each message (ids; the first is
    the heading) in French and in English, whatever the workbook's language."""
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 100
    xlsx.print_setup(ws)
    fr, en = gettext_for("fr"), gettext_for("en")
    rows = [title, ""]
    for message in messages:
        rows += [fr(message), en(message), ""]
    for n, text in enumerate(rows, start=1):
        cell = xlsx.text_cell(ws, n, 1, text)
        cell.alignment = xlsx.WRAP
        ws.row_dimensions[n].height = xlsx.row_height([(text, 100)])
        if n == 1 or text in (fr(messages[0]), en(messages[0])):
            cell.font = Font(bold=True, size=13 if n == 1 else 11)


def choice_list(ws: Worksheet, words: Sequence[str], title: str, error: str) -> DataValidation:
    """A drop-down of ``words`` (empty allowed) on ``ws``, refusing anything else with
    ``error``; cells are added by :func:`write_table`."""
    validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=title, error=error)
    ws.add_data_validation(validation)
    return validation


def write_table(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Mapping[str, str | None]], _,
                choices: Mapping[str, DataValidation] | None = None, *, to_fill: bool = True) -> None:
    """The header (in the language of ``_``) and one row per item of ``rows`` (values by
    column key): wrapped text, rows as high as their text, the header frozen and repeated on
    every printed page, landscape, one page wide. A sheet ``to_fill`` is protected: reference
    columns locked and grey, editable ones unlocked, the drop-downs of ``choices`` (by column
    key) on their column; any other is left open, to sort and filter."""
    choices = choices or {}
    xlsx.write_header(ws, [(_(c.label), c.width) for c in columns])
    for row, values in enumerate(rows, start=2):
        for n, column in enumerate(columns, start=1):
            cell = xlsx.text_cell(ws, row, n, values.get(column.key))
            cell.alignment = xlsx.WRAP
            if column.editable:
                cell.protection = xlsx.UNLOCKED
            elif to_fill:
                cell.fill = xlsx.LOCKED_FILL
            if column.key in choices:
                choices[column.key].add(cell.coordinate)
        ws.row_dimensions[row].height = xlsx.row_height([(values.get(c.key), c.width) for c in columns])
    xlsx.print_setup(ws, "1:1")
    ws.freeze_panes = "B2"
    if to_fill:
        xlsx.protect(ws)  # locks the reference columns; the editable ones are unlocked


# --- reading ---------------------------------------------------------------------------

def words_of(labels: Mapping[str, str]) -> dict[str, str]:
    """Each value of a vocabulary by the words that name it, casefolded: its label in
    French and in English (``labels``: value → message id), and the value itself."""
    lookup = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        for value, label in labels.items():
            lookup[_(label).casefold()] = value
            lookup[value.casefold()] = value
    return lookup


def required_sheet(wb: Workbook, name: str, not_ours: str) -> Any:
    """The sheet ``name`` of the uploaded workbook, or 422 with ``not_ours`` (a message id
    given ``sheet``) naming it."""
    ws = xlsx.worksheet(wb, name)
    if ws is None:
        refuse(name, None, not_ours, sheet=name)
    return ws


@dataclass
class TableRow:
    """A data row read: its indicator code, and each column's text and cell by key."""

    code: str
    texts: dict[str, str]
    cells: dict[str, str]


def read_table(ws: Any, sheet: str, columns: Sequence[Column], known: Iterable[str], problems: Problems,
               seen: dict[str, str], max_rows: int) -> Iterator[TableRow]:
    """Each data row of a sheet written by :func:`write_table` that names a known code
    once; every problem of the others goes to ``problems``, and the cell of each code read
    to ``seen``. Columns are found by their header in either language; the code and the
    editable ones must be there (422 at once otherwise). At most ``max_rows`` data rows and
    :data:`MAX_COLUMNS` columns are read (see :func:`app.office.xlsx.read_rows`); a row
    holding a formula is reported and not read further."""
    headers = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        headers.update({_(c.label).casefold(): c.key for c in columns})
    rows = xlsx.read_rows(ws, sheet, problems, max_row=max_rows + 1, max_col=MAX_COLUMNS)
    _number, first = next(rows, (1, ()))
    found = {}
    for n, cell in enumerate(first):
        key = headers.get(xlsx.cell_text(cell.value).casefold())
        if key:
            found[key] = n
    for column in columns:
        if column.key not in found and (column.editable or column.key == "code"):
            problems.add(sheet, "1", N_("The column \"%(column)s\" is missing from the first row."),
                         column=gettext_for("en")(column.label))
    problems.raise_if_any()
    codes = set(known)
    for number, row in rows:
        if number > max_rows:
            if any(c.value is not None for c in row):
                problems.add(sheet, f"A{number}",
                             N_("The sheet has more rows than indicators: at most %(n)s are read."), n=max_rows - 1)
            return
        if all(c.value is None for c in row):
            continue
        formulas = [n for n, c in enumerate(row) if c.data_type == "f"]
        for n in formulas:
            problems.add(sheet, f"{get_column_letter(n + 1)}{number}",
                         N_("The cell holds a formula; type the text itself."))
        if formulas:
            continue
        cells = {key: f"{get_column_letter(n + 1)}{number}" for key, n in found.items()}
        texts = {key: xlsx.cell_text(row[n].value) if n < len(row) else "" for key, n in found.items()}
        code = texts["code"]
        if code not in codes:
            problems.add(sheet, cells["code"], N_("Unknown indicator code \"%(code)s\"."), code=code)
            continue
        if code in seen:
            problems.add(sheet, cells["code"], N_("Indicator %(code)s appears twice (first in %(first)s)."),
                         code=code, first=seen[code])
            continue
        seen[code] = cells["code"]
        yield TableRow(code, texts, cells)


@dataclass(frozen=True)
class Layout:
    """What an uploaded workbook of one kind must be: its ``_meta`` format, its data sheet and
    columns, how many rows are read at most, and what a workbook lacking one of its sheets is
    told (a message id given ``sheet``)."""

    fmt: meta.MetaFormat
    data_sheet: str
    columns: Sequence[Column]
    max_rows: int
    sheet_missing: str


def read_workbook(data: bytes, layout: Layout, cycle_id: int, iset: IndicatorSet,
                  entry: Callable[[TableRow, Problems], W | None], owner_id: int | None = None) -> meta.WorkbookRows[W]:
    """Every row of an uploaded workbook, checked: the file (:func:`app.office.xlsx.open_workbook`),
    its ``_meta`` (:func:`app.office.meta.read_meta`), then each data row, made an entry by
    ``entry(row, problems)`` (None after noting its problems); or 422 listing every problem."""
    with xlsx.open_workbook(data) as wb:
        meta_ws = required_sheet(wb, meta.META_SHEET, layout.sheet_missing)
        data_ws = required_sheet(wb, layout.data_sheet, layout.sheet_missing)
        codes = [i.code for i in iset.indicators]
        exported = meta.read_meta(meta_ws, layout.fmt, cycle_id, iset.version, codes, owner_id)
        problems = Problems()
        cells: dict[str, str] = {}
        entries = {}
        for row in read_table(data_ws, layout.data_sheet, layout.columns, codes, problems, cells, layout.max_rows):
            found = entry(row, problems)
            if found is not None:
                entries[row.code] = found
        problems.raise_if_any()
        return meta.WorkbookRows(entries, cells, exported)
