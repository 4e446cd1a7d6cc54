"""The initial report as a workbook an officer fills offline, and its import.

Import is all-or-nothing: the file is checked as a file (size, zip, macros, zip
bomb, password), then every cell, and only when nothing is wrong is anything
written, in one transaction. Every problem names its sheet and cell.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError
from sqlmodel import Session

from benchmark.scales import SelfRating

from app import labels
from app.audit.service import record
from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.errors import InvalidInput, field_message
from app.i18n import N_, gettext_for
from app.self_assessment import service
from app.self_assessment.schemas import DESCRIPTION_MAX, EntryWrite
from app.self_assessment.tables import SelfAssessmentEntry

FORMAT = "inti-cities/self-assessment/1"
DATA_SHEET, INSTRUCTIONS_SHEET, META_SHEET = "Self-assessment", "Instructions", "_meta"
WORKBOOK_MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200  # the header and the indicators, with room to spare
MAX_COLUMNS = 20
UNZIPPED_MAX_BYTES = 100 * 1024 * 1024
RATIO_MAX = 200
#: (key, header message id, width)
COLUMNS = [
    ("code", N_("Code"), 11),
    ("pillar", N_("Pillar"), 20),
    ("dimension", N_("Dimension"), 15),
    ("indicator", N_("Indicator"), 60),
    ("self_rating", N_("Self-rating"), 15),
    ("description", N_("Description of policy and practice"), 70),
    ("evidence", N_("Evidence (one per line: title | link)"), 45),
    ("responsible", N_("Responsible people (one per line: name | role | department)"), 45),
]
EDITABLE = {"self_rating", "description", "evidence", "responsible"}
RATING_LABELS = labels.RATINGS
INSTRUCTIONS = [
    N_("How to fill in this workbook"),
    N_("One row per indicator on the sheet \"Self-assessment\". Codes and indicator texts are locked."),
    N_("Self-rating: choose from the list (below, at or above the benchmark); leave it empty while not rated."),
    N_("Description: where the city stands and why. Paragraphs are kept (Alt+Enter starts a new line)."),
    N_("Evidence: one document or page per line, as title | link."),
    N_("Responsible people: one person per line, as name | role | department."),
    N_("Do not type formulas, do not rename the sheets and keep the hidden sheet: the import refuses a workbook it cannot trust."),
    N_("Import the workbook on the report's page or with POST …/self-assessment.xlsx: every problem is listed with its cell, and nothing is changed until there is none."),
]
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text_cell(ws, row: int, col: int, value: str | None):
    """A cell holding ``value`` as text, never as a formula, whatever it starts with."""
    cell = ws.cell(row=row, column=col)
    value = ILLEGAL_CHARACTERS_RE.sub("", value) if value else value
    cell.value = value if value else None
    if value:
        cell.data_type = "s"
    return cell


def _row_height(texts_and_widths: list[tuple[str, float]]) -> float:
    """A height that shows the wrapped texts of a row whole (spreadsheets do not fit rows
    to wrapped text by themselves); 15 points a line, at most Excel's 409."""
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(1, int(width * 1.15))
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in (text or "").split("\n")))
    return min(409, 15 * lines + 3)


def _print_setup(ws, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def export_workbook(report: service.Report, lang: str) -> bytes:
    _ = gettext_for(lang)
    wb = Workbook()
    _instructions(wb.active, report, _)
    ws = wb.create_sheet(DATA_SHEET)
    pillars = {p.code: p.name.get(lang) for p in report.iset.pillars}
    dimensions = {d.code: d.name.get(lang) for d in report.iset.dimensions}
    for col, (_key, label, width) in enumerate(COLUMNS, start=1):
        cell = _text_cell(ws, 1, col, _(label))
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    labels = [_(RATING_LABELS[r.value]) for r in SelfRating]
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=_("Self-rating"),
                                error=_("Choose from the list: %(labels)s.", labels=", ".join(labels)))
    ws.add_data_validation(validation)
    for row, ind in enumerate(report.iset.indicators, start=2):
        entry = service.entry_public(ind.code, report.entries.get(ind.code))
        values = {
            "code": ind.code, "pillar": pillars[ind.pillar], "dimension": dimensions[ind.dimension],
            "indicator": ind.text.get(lang),
            "self_rating": _(RATING_LABELS[entry.self_rating.value]) if entry.self_rating else None,
            "description": entry.description,
            "evidence": service.format_lines([e.model_dump() for e in entry.evidence], service.EVIDENCE_KEYS),
            "responsible": service.format_lines([r.model_dump() for r in entry.responsible], service.RESPONSIBLE_KEYS),
        }
        for col, (key, _label, _width) in enumerate(COLUMNS, start=1):
            cell = _text_cell(ws, row, col, values[key])
            cell.alignment = _WRAP
            if key in EDITABLE:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = _LOCKED_FILL
        validation.add(f"E{row}")
        ws.row_dimensions[row].height = _row_height([(values[key], width) for key, _label, width in COLUMNS])
    ws.row_dimensions[1].height = _row_height([(_(label), width) for _key, label, width in COLUMNS])
    _print_setup(ws, "1:1")
    ws.freeze_panes = "B2"
    ws.protection.sheet = True  # locks code and text; the editable columns are unlocked
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _meta(wb.create_sheet(META_SHEET), report)
    wb.active = 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(ws, report: service.Report, _) -> None:
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 100
    _print_setup(ws)
    fr, en = gettext_for("fr"), gettext_for("en")
    rows = [f"{report.cycle.title} — {report.iset.version}", ""]
    for message in INSTRUCTIONS:
        rows += [fr(message), en(message), ""]
    for n, text in enumerate(rows, start=1):
        cell = _text_cell(ws, n, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[n].height = _row_height([(text, 100)])
        if n == 1 or text in (fr(INSTRUCTIONS[0]), en(INSTRUCTIONS[0])):
            cell.font = Font(bold=True, size=13 if n == 1 else 11)


def _meta(ws, report: service.Report) -> None:
    rows = [("format", FORMAT), ("cycle_id", str(report.cycle.id)), ("indicator_set_version", report.iset.version),
            ("exported_at", datetime.now(UTC).isoformat(timespec="seconds")), ("", "")]
    rows += [(code, str(e.version)) for code, e in sorted(report.entries.items())]
    for n, (key, value) in enumerate(rows, start=1):
        _text_cell(ws, n, 1, key)
        _text_cell(ws, n, 2, value)
    ws.sheet_state = "hidden"


# --- import ----------------------------------------------------------------------------

@dataclass
class _Problems:
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, sheet: str | None, cell: str | None, msg: str, **params: Any) -> None:
        self.items.append({"sheet": sheet, "cell": cell, "msg": msg, "params": params})

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(N_("The workbook was not imported: %(n)s problems, nothing was changed."),
                               n=len(self.items), extra={"errors": self.items})


def _fail(msg: str, **params: Any) -> None:
    problems = _Problems()
    problems.add(None, None, msg, **params)
    problems.raise_if_any()


def _check_file(data: bytes) -> None:
    """Refuse what is not a plain, reasonable .xlsx before any parser sees it."""
    if len(data) > WORKBOOK_MAX_BYTES:
        _fail(N_("The file is larger than 10 MB."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        _fail(N_("The file is password-protected or in the old .xls format: save it as an .xlsx workbook without a password."))
    if not data.startswith(b"PK\x03\x04"):
        _fail(N_("The file is not an .xlsx workbook."))
    if not zipfile.is_zipfile(BytesIO(data)):
        _fail(N_("The file is damaged: it cannot be opened as an .xlsx workbook."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        _fail(N_("The file is damaged: it cannot be opened as an .xlsx workbook."))
    if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
        _fail(N_("The workbook contains macros: save it as a plain .xlsx workbook."))
    total = sum(i.file_size for i in infos)
    if total > UNZIPPED_MAX_BYTES or any(i.compress_size and i.file_size / i.compress_size > RATIO_MAX for i in infos):
        _fail(N_("The file expands to an unreasonable size: it is refused."))
    if "xl/workbook.xml" not in names or not content_types:
        _fail(N_("The file is not an .xlsx workbook."))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _rating_lookup() -> dict[str, str]:
    lookup = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        for value, label in RATING_LABELS.items():
            lookup[_(label).casefold()] = value
            lookup[value] = value
    return lookup


def _sheet(wb, name: str):
    ws = wb[name] if name in wb.sheetnames else None
    if ws is None or not hasattr(ws, "iter_rows"):  # a chartsheet has no cells
        _fail(N_("This is not a self-assessment workbook exported by this service (sheet %(sheet)s is missing)."),
              sheet=name)
    return ws


def read_workbook(data: bytes, cycle: Cycle, report: service.Report,
                  documents: set[int]) -> tuple[dict[str, EntryWrite], dict[str, int]]:
    """The entries a workbook holds, by code, and the versions it was exported from; or 422.

    Read in openpyxl's read-only (streaming) mode and only within MAX_ROWS x MAX_COLUMNS:
    a tiny file naming a far-away cell must not make the parser build a million cells."""
    _check_file(data)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        _fail(N_("The file is damaged: it cannot be opened as an .xlsx workbook."))
    try:
        meta_ws, data_ws = _sheet(wb, META_SHEET), _sheet(wb, DATA_SHEET)
        meta = {}
        for n, row in enumerate(meta_ws.iter_rows(max_row=MAX_ROWS, max_col=2, values_only=True), start=1):
            if row and row[0] is not None:
                meta[_text(row[0])] = (_text(row[1] if len(row) > 1 else None), f"B{n}")
        _check_meta(meta, cycle, report)
        exported = {k: int(v) for k, (v, _c) in meta.items()
                    if k in report.iset.by_code() and v.isascii() and v.isdigit()}
        problems = _Problems()
        entries = _read_rows(data_ws, cycle, report, documents, problems)
        problems.raise_if_any()
        return entries, exported
    finally:
        wb.close()


def _check_meta(meta: dict[str, tuple[str, str]], cycle: Cycle, report: service.Report) -> None:
    """Wrong workbook: one problem, before any row is read (its rows would mean nothing here)."""
    value = lambda key: meta.get(key, ("", "B1"))  # noqa: E731
    if value("format")[0] != FORMAT:
        _fail(N_("This is not a self-assessment workbook exported by this service."))
    problems = _Problems()
    if value("cycle_id")[0] != str(cycle.id):
        problems.add(META_SHEET, value("cycle_id")[1],
                     N_("This workbook belongs to review cycle %(other)s, not to this one (%(this)s)."),
                     other=value("cycle_id")[0] or "?", this=cycle.id)
    elif value("indicator_set_version")[0] != report.iset.version:
        problems.add(META_SHEET, value("indicator_set_version")[1],
                     N_("This workbook uses indicator set %(other)s; this cycle uses %(this)s."),
                     other=value("indicator_set_version")[0] or "?", this=report.iset.version)
    problems.raise_if_any()


def _read_rows(ws, cycle: Cycle, report: service.Report, documents: set[int],
               problems: _Problems) -> dict[str, EntryWrite]:
    """Every row's entry; every problem of every row goes to ``problems``."""
    headers = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        headers.update({_(label).casefold(): key for key, label, _w in COLUMNS})
    rows = ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    first = next(rows, ())
    columns = {}
    for n, cell in enumerate(first):
        key = headers.get(_text(cell.value).casefold())
        if key:
            columns[key] = n
    for key, label, _w in COLUMNS:
        if key not in columns and (key in EDITABLE or key == "code"):
            problems.add(DATA_SHEET, "1", N_("The column \"%(column)s\" is missing from the first row."),
                         column=gettext_for("en")(label))
    problems.raise_if_any()
    known = report.iset.by_code()
    ratings = _rating_lookup()
    seen: dict[str, str] = {}
    entries: dict[str, EntryWrite] = {}
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            if any(c.value is not None for c in row):
                problems.add(DATA_SHEET, f"A{number}", N_("The sheet has more rows than indicators: at most %(n)s are read."),
                             n=MAX_ROWS - 1)
            break
        if all(c.value is None for c in row):
            continue
        at = lambda key: f"{get_column_letter(columns[key] + 1)}{number}"  # noqa: E731
        value = lambda key: _text(row[columns[key]].value) if columns[key] < len(row) else ""  # noqa: E731
        formulas = [n for n, c in enumerate(row) if c.data_type == "f"]
        for n in formulas:
            problems.add(DATA_SHEET, f"{get_column_letter(n + 1)}{number}",
                         N_("The cell holds a formula; type the text itself."))
        if formulas:
            continue
        code = value("code")
        if code not in known:
            problems.add(DATA_SHEET, at("code"), N_("Unknown indicator code \"%(code)s\"."), code=code)
            continue
        if code in seen:
            problems.add(DATA_SHEET, at("code"), N_("Indicator %(code)s appears twice (first in %(first)s)."),
                         code=code, first=seen[code])
            continue
        seen[code] = at("code")
        entry = _row_entry({key: value(key) for key in EDITABLE}, {key: at(key) for key in EDITABLE},
                           cycle, documents, ratings, problems)
        if entry is not None:
            entries[code] = entry
    return entries


def _row_entry(fields: dict[str, str], cells: dict[str, str], cycle: Cycle, documents: set[int],
               ratings: dict[str, str], problems: _Problems) -> EntryWrite | None:
    """One row's entry, or None after reporting each of its problems."""
    before = len(problems.items)
    rating = fields["self_rating"]
    if rating and rating.casefold() not in ratings:
        problems.add(DATA_SHEET, cells["self_rating"],
                     N_("\"%(value)s\" is not a self-rating: choose below, at or above the benchmark, or leave it empty."),
                     value=rating)
    if len(fields["description"]) > DESCRIPTION_MAX:
        problems.add(DATA_SHEET, cells["description"],
                     N_("The description has %(n)s characters; at most %(max)s are allowed."),
                     n=len(fields["description"]), max=DESCRIPTION_MAX)
    evidence = service.parse_lines(fields["evidence"], service.EVIDENCE_KEYS)
    for item in evidence:
        if service.is_foreign_document(item["url"], cycle, documents):
            problems.add(DATA_SHEET, cells["evidence"], N_("No uploaded document at %(url)s in this cycle."),
                         url=item["url"])
    try:
        entry = EntryWrite(
            self_rating=ratings.get(rating.casefold()) if rating else None,
            description=fields["description"][:DESCRIPTION_MAX],
            evidence=evidence,
            responsible=service.parse_lines(fields["responsible"], service.RESPONSIBLE_KEYS),
        )
    except ValidationError as exc:
        for err in exc.errors():
            if err["loc"][0] in ("self_rating", "description"):
                continue  # reported above in the workbook's words
            msg, params = field_message(err)
            problems.add(DATA_SHEET, cells.get(err["loc"][0], cells["description"]), msg, **params)
        return None
    return entry if len(problems.items) == before else None


def _same(entry: SelfAssessmentEntry | None, data: EntryWrite) -> bool:
    current = service.entry_public("", entry)
    return (current.self_rating == data.self_rating and current.description == data.description
            and current.evidence == data.evidence and current.responsible == data.responsible)


def import_workbook(session: Session, rights: CycleRights, cycle: Cycle, data: bytes) -> int:
    """Check everything, then write every changed entry (in the request's transaction); the count written."""
    report, rights = service.writable_report(session, rights, cycle)
    user = rights.user
    entries, exported = read_workbook(data, cycle, report, service.document_ids(session, cycle))
    changed = {code: d for code, d in entries.items() if not _same(report.entries.get(code), d)}
    problems = _Problems()
    rows = {i.code: n for n, i in enumerate(report.iset.indicators, start=2)}
    for code in changed:
        entry = report.entries.get(code)
        if entry is not None and entry.version > exported.get(code, 0):
            problems.add(DATA_SHEET, f"A{rows[code]}",
                         N_("%(code)s was changed in the service after this workbook was exported: export it again."),
                         code=code)
    problems.raise_if_any()
    service.apply_entries(session, user, cycle, [(code, report.entries.get(code), d) for code, d in changed.items()])
    record(session, user.id, "import", "self_assessment", cycle.id, None, {"updated": sorted(changed)})
    return len(changed)

