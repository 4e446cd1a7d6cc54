"""The initial report as a workbook an officer fills offline, and its import.

Import is all-or-nothing: the file is checked as a file (size, zip, macros, zip
bomb, password: :mod:`app.office.package`), then every cell, and only when nothing
is wrong is anything written, in the request's transaction. Every problem names its
sheet and cell. What any workbook needs is in :mod:`app.office`; this module holds
what is the self-assessment's own: its columns, instructions, ``_meta`` sheet and rows.
"""
from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError
from sqlmodel import Session

from benchmark.scales import SelfRating

from app import labels
from app.audit.service import record
from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.errors import field_message
from app.i18n import N_, gettext_for
from app.office import package, xlsx
from app.office.problems import Problems, refuse
from app.self_assessment import service
from app.self_assessment.schemas import DESCRIPTION_MAX, EntryWrite
from app.self_assessment.tables import SelfAssessmentEntry

FORMAT = "inti-cities/self-assessment/1"
DATA_SHEET, INSTRUCTIONS_SHEET, META_SHEET = "Self-assessment", "Instructions", "_meta"
WORKBOOK_MAX_BYTES = package.MAX_BYTES
MAX_ROWS = 200  # the header and the indicators, with room to spare
MAX_COLUMNS = 20
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
    N_("Do not type formulas, do not rename the sheets and keep the hidden sheet: the import refuses a workbook "
       "it cannot trust."),
    N_("Import the workbook on the report's page or with POST …/self-assessment.xlsx: every problem is listed "
       "with its cell, and nothing is changed until there is none."),
]


def export_workbook(report: service.Report, lang: str) -> bytes:
    """The report as a workbook in ``lang``: instructions, one row per indicator, the hidden ``_meta``."""
    _ = gettext_for(lang)
    wb = Workbook()
    _instructions(wb.active, report, _)
    ws = wb.create_sheet(DATA_SHEET)
    pillars = {p.code: p.name.get(lang) for p in report.iset.pillars}
    dimensions = {d.code: d.name.get(lang) for d in report.iset.dimensions}
    xlsx.write_header(ws, [(_(label), width) for _key, label, width in COLUMNS])
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
            cell = xlsx.text_cell(ws, row, col, values[key])
            cell.alignment = xlsx.WRAP
            if key in EDITABLE:
                cell.protection = xlsx.UNLOCKED
            else:
                cell.fill = xlsx.LOCKED_FILL
        validation.add(f"E{row}")
        ws.row_dimensions[row].height = xlsx.row_height([(values[key], width) for key, _label, width in COLUMNS])
    xlsx.print_setup(ws, "1:1")
    ws.freeze_panes = "B2"
    xlsx.protect(ws)  # locks code and text; the editable columns are unlocked
    _meta(wb.create_sheet(META_SHEET), report)
    wb.active = 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _instructions(ws, report: service.Report, _) -> None:
    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 100
    xlsx.print_setup(ws)
    fr, en = gettext_for("fr"), gettext_for("en")
    rows = [f"{report.cycle.title} — {report.iset.version}", ""]
    for message in INSTRUCTIONS:
        rows += [fr(message), en(message), ""]
    for n, text in enumerate(rows, start=1):
        cell = xlsx.text_cell(ws, n, 1, text)
        cell.alignment = xlsx.WRAP
        ws.row_dimensions[n].height = xlsx.row_height([(text, 100)])
        if n == 1 or text in (fr(INSTRUCTIONS[0]), en(INSTRUCTIONS[0])):
            cell.font = Font(bold=True, size=13 if n == 1 else 11)


def _meta(ws, report: service.Report) -> None:
    rows = [("format", FORMAT), ("cycle_id", str(report.cycle.id)), ("indicator_set_version", report.iset.version),
            ("exported_at", datetime.now(UTC).isoformat(timespec="seconds")), ("", "")]
    rows += [(code, str(e.version)) for code, e in sorted(report.entries.items())]
    for n, (key, value) in enumerate(rows, start=1):
        xlsx.text_cell(ws, n, 1, key)
        xlsx.text_cell(ws, n, 2, value)
    ws.sheet_state = "hidden"


# --- import ----------------------------------------------------------------------------

def _rating_lookup() -> dict[str, str]:
    lookup = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        for value, label in RATING_LABELS.items():
            lookup[_(label).casefold()] = value
            lookup[value] = value
    return lookup


def _sheet(wb: Workbook, name: str):
    ws = xlsx.worksheet(wb, name)
    if ws is None:
        refuse(name, None, N_("This is not a self-assessment workbook exported by this service "
                              "(sheet %(sheet)s is missing)."), sheet=name)
    return ws


def read_workbook(data: bytes, cycle: Cycle, report: service.Report,
                  documents: set[int]) -> tuple[dict[str, EntryWrite], dict[str, int]]:
    """The entries a workbook holds, by code, and the versions it was exported from; or 422.

    Only within MAX_ROWS x MAX_COLUMNS (see :func:`app.office.xlsx.read_rows`)."""
    with xlsx.open_workbook(data) as wb:
        meta_ws, data_ws = _sheet(wb, META_SHEET), _sheet(wb, DATA_SHEET)
        meta = {}
        for n, row in xlsx.read_rows(meta_ws, META_SHEET, Problems(), max_row=MAX_ROWS, max_col=2,
                                     values_only=True):
            if row and row[0] is not None:
                meta[xlsx.cell_text(row[0])] = (xlsx.cell_text(row[1] if len(row) > 1 else None), f"B{n}")
        _check_meta(meta, cycle, report)
        exported = {k: int(v) for k, (v, _c) in meta.items()
                    if k in report.iset.by_code() and v.isascii() and v.isdigit()}
        problems = Problems()
        entries = _read_rows(data_ws, cycle, report, documents, problems)
        problems.raise_if_any()
        return entries, exported


def _check_meta(meta: dict[str, tuple[str, str]], cycle: Cycle, report: service.Report) -> None:
    """Wrong workbook: one problem, before any row is read (its rows would mean nothing here)."""
    def value(key: str) -> tuple[str, str]:
        return meta.get(key, ("", "B1"))

    if value("format")[0] != FORMAT:
        refuse(None, None, N_("This is not a self-assessment workbook exported by this service."))
    problems = Problems()
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
               problems: Problems) -> dict[str, EntryWrite]:
    """Every row's entry; every problem of every row goes to ``problems``."""
    headers = {}
    for lang in ("fr", "en"):
        _ = gettext_for(lang)
        headers.update({_(label).casefold(): key for key, label, _w in COLUMNS})
    rows = xlsx.read_rows(ws, DATA_SHEET, problems, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    _number, first = next(rows, (1, ()))
    columns = {}
    for n, cell in enumerate(first):
        key = headers.get(xlsx.cell_text(cell.value).casefold())
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
    for number, row in rows:
        if number > MAX_ROWS:
            if any(c.value is not None for c in row):
                problems.add(DATA_SHEET, f"A{number}",
                             N_("The sheet has more rows than indicators: at most %(n)s are read."),
                             n=MAX_ROWS - 1)
            break
        if all(c.value is None for c in row):
            continue
        formulas = [n for n, c in enumerate(row) if c.data_type == "f"]
        for n in formulas:
            problems.add(DATA_SHEET, f"{get_column_letter(n + 1)}{number}",
                         N_("The cell holds a formula; type the text itself."))
        if formulas:
            continue
        at = {key: f"{get_column_letter(n + 1)}{number}" for key, n in columns.items()}
        texts = {key: xlsx.cell_text(row[n].value) if n < len(row) else "" for key, n in columns.items()}
        code = texts["code"]
        if code not in known:
            problems.add(DATA_SHEET, at["code"], N_("Unknown indicator code \"%(code)s\"."), code=code)
            continue
        if code in seen:
            problems.add(DATA_SHEET, at["code"], N_("Indicator %(code)s appears twice (first in %(first)s)."),
                         code=code, first=seen[code])
            continue
        seen[code] = at["code"]
        entry = _row_entry({key: texts[key] for key in EDITABLE}, {key: at[key] for key in EDITABLE},
                           cycle, documents, ratings, problems)
        if entry is not None:
            entries[code] = entry
    return entries


def _row_entry(fields: dict[str, str], cells: dict[str, str], cycle: Cycle, documents: set[int],
               ratings: dict[str, str], problems: Problems) -> EntryWrite | None:
    """One row's entry, or None after reporting each of its problems."""
    before = len(problems)
    rating = fields["self_rating"]
    if rating and rating.casefold() not in ratings:
        problems.add(DATA_SHEET, cells["self_rating"],
                     N_("\"%(value)s\" is not a self-rating: choose below, at or above the benchmark, "
                        "or leave it empty."),
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
            problems.add(DATA_SHEET, cells.get(str(err["loc"][0]), cells["description"]), msg, **params)
        return None
    return entry if len(problems) == before else None


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
    problems = Problems()
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

