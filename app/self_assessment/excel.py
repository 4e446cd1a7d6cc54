"""The initial report as a workbook an officer fills offline, and its import.

Import is all-or-nothing: the file is checked as a file (size, zip, macros, zip
bomb, password: :mod:`app.office.package`), then every cell, and only when nothing
is wrong is anything written, in the request's transaction. Every problem names its
sheet and cell. What any workbook needs is in :mod:`app.office`; this module holds
what is the self-assessment's own: its columns, instructions, ``_meta`` sheet and rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError
from sqlmodel import Session, col, select

from benchmark.scales import SelfRating

from app import labels
from app.audit.service import record
from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.errors import field_message
from app.i18n import N_, Phrase, gettext_for
from app.office import package, xlsx
from app.office.problems import Problems, refuse
from app.people.tables import User
from app.self_assessment import service
from app.self_assessment.excel_meta import META_SHEET, Exported, plan, read_meta, write_meta
from app.self_assessment.schemas import DESCRIPTION_MAX, EntryWrite
from app.timeutil import as_utc

DATA_SHEET, INSTRUCTIONS_SHEET = "Self-assessment", "Instructions"
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
        for column, (key, _label, _width) in enumerate(COLUMNS, start=1):
            cell = xlsx.text_cell(ws, row, column, values[key])
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
    write_meta(wb.create_sheet(META_SHEET), report)
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


@dataclass
class WorkbookRows:
    """What a workbook holds: its entries by code, the cell of each one's code, and what
    it was exported from."""

    entries: dict[str, EntryWrite]
    cells: dict[str, str]
    exported: Exported


def read_workbook(data: bytes, cycle: Cycle, report: service.Report, documents: set[int]) -> WorkbookRows:
    """Every row of the workbook, checked; or 422 listing every problem.

    Only within MAX_ROWS x MAX_COLUMNS (see :func:`app.office.xlsx.read_rows`)."""
    with xlsx.open_workbook(data) as wb:
        meta_ws, data_ws = _sheet(wb, META_SHEET), _sheet(wb, DATA_SHEET)
        exported = read_meta(meta_ws, cycle, report)
        problems = Problems()
        cells: dict[str, str] = {}
        entries = _read_rows(data_ws, cycle, report, documents, problems, cells)
        problems.raise_if_any()
        return WorkbookRows(entries, cells, exported)


def _read_rows(ws, cycle: Cycle, report: service.Report, documents: set[int],
               problems: Problems, seen: dict[str, str]) -> dict[str, EntryWrite]:
    """Every row's entry; every problem of every row goes to ``problems``, and the cell of
    each code read to ``seen``."""
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


@dataclass(frozen=True)
class Imported:
    """What an import did: entries written, and rows skipped with nothing to write (the
    same as when exported, or already what is online)."""

    updated: int
    skipped: int


def import_workbook(session: Session, rights: CycleRights, cycle: Cycle, data: bytes) -> Imported:
    """Check everything, then write every row that is an edit (in the request's transaction),
    by the rules of :mod:`app.self_assessment.excel_meta`; 422 (nothing written) listing
    every problem, conflicts included."""
    report, rights = service.writable_report(session, rights, cycle)
    user = rights.user
    rows = read_workbook(data, cycle, report, service.document_ids(session, cycle))
    decided = plan(report, rows.entries, rows.exported)
    if decided.conflicts:
        _refuse_conflicts(session, report, rows, decided.conflicts)
    service.apply_entries(session, user, cycle,
                          [(code, report.entries.get(code), d) for code, d in decided.writes.items()])
    record(session, user.id, "import", "self_assessment", cycle.id, None,
           {"updated": sorted(decided.writes), "skipped": len(decided.skipped)})
    return Imported(len(decided.writes), len(decided.skipped))


EXCERPT_MAX = 200
#: The fields of :func:`~app.self_assessment.service.entry_content`, in its order, as a conflict names them.
FIELD_LABELS = (N_("Self-rating"), N_("Description of policy and practice"), N_("Evidence"), N_("Responsible people"))


def _refuse_conflicts(session: Session, report: service.Report, rows: WorkbookRows, codes: list[str]) -> None:
    """422: one problem per conflicting row, at its code's cell."""
    problems = Problems()
    if rows.exported.digests is None:
        for code in codes:
            problems.add(DATA_SHEET, rows.cells[code],
                         N_("%(code)s was changed in the service after this workbook was exported: export it again."),
                         code=code)
        problems.raise_if_any()
    editors = {report.entries[c].updated_by for c in codes} - {None}
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(editors))).all())
    for code in codes:
        entry = report.entries[code]  # a conflict is an entry saved online (see excel_meta.plan)
        workbook = service.entry_content(rows.entries[code])
        online = service.entry_content(service.entry_public(code, entry))
        differences = tuple(
            Phrase(N_("%(field)s in this workbook: %(workbook)s; online now: %(online)s."),
                   {"field": Phrase(label), "workbook": _shown(n, workbook[n]), "online": _shown(n, online[n])})
            for n, label in enumerate(FIELD_LABELS) if workbook[n] != online[n])
        who = names.get(entry.updated_by) if entry.updated_by is not None else None
        problems.add(DATA_SHEET, rows.cells[code],
                     N_("%(code)s was changed both in this workbook and online since the export (online by %(who)s "
                        "on %(when)s). %(differences)s To keep the workbook's version, enter it online; to keep "
                        "the online one, undo the change in this row. Then import the workbook again."),
                     code=code, who=who or Phrase(N_("someone")),
                     when=as_utc(entry.updated_at).strftime("%Y-%m-%d %H:%M UTC"), differences=differences)
    problems.raise_if_any()


def _shown(field: int, value) -> Phrase:
    """A field's value (of :func:`~app.self_assessment.service.entry_content`) as a conflict shows it."""
    if field == 0:
        return Phrase(RATING_LABELS[value] if value else N_("not yet rated"))
    if not value:
        return Phrase(N_("empty"))
    text = value if field == 1 else "; ".join(" | ".join(part for part in item if part) for item in value)
    text = " ".join(text.split())
    if len(text) > EXCERPT_MAX:
        text = text[:EXCERPT_MAX - 1] + "…"
    return Phrase(N_("\"%(text)s\""), {"text": text})
