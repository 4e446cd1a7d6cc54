"""The initial report as a workbook an officer fills offline, and its import.

Import is all-or-nothing: the file is checked as a file (size, zip, macros, zip
bomb, password: :mod:`app.office.package`), then every cell, and only when nothing
is wrong is anything written, in the request's transaction. Every problem names its
sheet and cell. What any workbook needs is in :mod:`app.office`; this module holds
what is the self-assessment's own: its columns, instructions, ``_meta`` sheet and rows.
"""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from pydantic import ValidationError
from sqlmodel import Session, col, select

from benchmark.scales import SelfRating

from app import labels
from app.audit.service import record
from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.errors import field_message
from app.i18n import N_, Phrase, gettext_for
from app.ids import id_of
from app.office import meta, package, table
from app.office.meta import META_SHEET, Imported, WorkbookRows
from app.office.problems import Problems
from app.office.table import Column
from app.people.tables import User
from app.self_assessment import service
from app.self_assessment.schemas import DESCRIPTION_MAX, EntryWrite
from app.timeutil import as_utc

DATA_SHEET, INSTRUCTIONS_SHEET = "Self-assessment", table.INSTRUCTIONS_SHEET
WORKBOOK_MAX_BYTES = package.MAX_BYTES
MAX_ROWS = 200  # the header and the indicators, with room to spare
COLUMNS = [
    *table.reference_columns(),
    Column("self_rating", N_("Self-rating"), 15, editable=True),
    Column("description", N_("Description of policy and practice"), 70, editable=True),
    Column("evidence", N_("Evidence (one per line: title | link)"), 45, editable=True),
    Column("responsible", N_("Responsible people (one per line: name | role | department)"), 45, editable=True),
]
EDITABLE = {c.key for c in COLUMNS if c.editable}
RATING_LABELS = labels.RATINGS
#: Format 1 (versions of written entries only) is still read: see :mod:`app.office.meta`.
META_FORMAT = meta.MetaFormat(
    current="inti-cities/self-assessment/2", legacy="inti-cities/self-assessment/1",
    not_ours=N_("This is not a self-assessment workbook exported by this service."))
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
    table.instructions_sheet(wb.active, f"{report.cycle.title} — {report.iset.version}", INSTRUCTIONS)
    ws = wb.create_sheet(DATA_SHEET)
    reference = table.reference_values(report.iset, lang)
    words = [_(RATING_LABELS[r.value]) for r in SelfRating]
    ratings = table.choice_list(ws, words, _("Self-rating"), _("Choose from the list: %(labels)s.",
                                                                labels=", ".join(words)))
    rows = []
    for ind in report.iset.indicators:
        entry = service.entry_public(ind.code, report.entries.get(ind.code))
        rows.append({
            **reference[ind.code],
            "self_rating": _(RATING_LABELS[entry.self_rating.value]) if entry.self_rating else None,
            "description": entry.description,
            "evidence": service.format_lines([e.model_dump() for e in entry.evidence], service.EVIDENCE_KEYS),
            "responsible": service.format_lines([r.model_dump() for r in entry.responsible], service.RESPONSIBLE_KEYS),
        })
    table.write_table(ws, COLUMNS, rows, _, {"self_rating": ratings})
    online = [(ind.code, _online(report, ind.code)) for ind in report.iset.indicators]
    meta.write_meta(wb.create_sheet(META_SHEET), META_FORMAT, id_of(report.cycle), report.iset.version,
                    [(code, now.version, now.content) for code, now in online])
    wb.active = 1
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _online(report: service.Report, code: str) -> meta.Online:
    """What is saved now for ``code``: its version (0: never written) and content."""
    entry = report.entries.get(code)
    return meta.Online(entry.version if entry else 0, service.entry_content(service.entry_public(code, entry)))


# --- import ----------------------------------------------------------------------------

LAYOUT = table.Layout(META_FORMAT, DATA_SHEET, COLUMNS, MAX_ROWS, N_(
    "This is not a self-assessment workbook exported by this service (sheet %(sheet)s is missing)."))


def read_workbook(data: bytes, cycle: Cycle, report: service.Report, documents: set[int]) -> WorkbookRows[EntryWrite]:
    """Every row of the workbook, checked; or 422 listing every problem.

    Only within MAX_ROWS x MAX_COLUMNS (see :func:`app.office.xlsx.read_rows`)."""
    ratings = table.words_of(RATING_LABELS)
    return table.read_workbook(data, LAYOUT, id_of(cycle), report.iset, lambda row, problems: _row_entry(
        {key: row.texts[key] for key in EDITABLE}, {key: row.cells[key] for key in EDITABLE}, cycle, documents,
        ratings, problems))


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


def import_workbook(session: Session, rights: CycleRights, cycle: Cycle, data: bytes) -> Imported:
    """Check everything, then write every row that is an edit (in the request's transaction),
    by the rules of :mod:`app.office.meta`; 422 (nothing written) listing every problem,
    conflicts included."""
    report, rights = service.writable_report(session, rights, cycle)
    user = rights.user
    rows = read_workbook(data, cycle, report, service.document_ids(session, cycle))
    decided = meta.plan(rows.entries, rows.exported, lambda code: _online(report, code), service.entry_content)
    if decided.conflicts:
        _refuse_conflicts(session, report, rows, decided.conflicts)
    service.apply_entries(session, user, cycle,
                          [(code, report.entries.get(code), d) for code, d in decided.writes.items()])
    record(session, user.id, "import", "self_assessment", cycle.id, None,
           {"updated": sorted(decided.writes), "skipped": len(decided.skipped)})
    return Imported(len(decided.writes), len(decided.skipped))


#: The fields of :func:`~app.self_assessment.service.entry_content`, in its order, as a conflict names them.
FIELD_LABELS = (N_("Self-rating"), N_("Description of policy and practice"), N_("Evidence"), N_("Responsible people"))


def _refuse_conflicts(session: Session, report: service.Report, rows: WorkbookRows[EntryWrite],
                      codes: list[str]) -> None:
    """422: one problem per conflicting row, at its code's cell, with both versions."""
    editors = {report.entries[c].updated_by for c in codes} - {None}
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(editors))).all()) \
        if editors and rows.exported.digests is not None else {}

    def conflict(code: str) -> meta.Conflict:
        entry = report.entries[code]  # a conflict is an entry saved online (see meta.plan)
        return meta.Conflict(
            who=names.get(entry.updated_by) if entry.updated_by is not None else None, when=as_utc(entry.updated_at),
            differences=meta.differences(FIELD_LABELS, service.entry_content(rows.entries[code]),
                                         _online(report, code).content, _shown))

    meta.refuse_conflicts(DATA_SHEET, rows.exported, rows.cells, codes, conflict)


def _shown(field: int, value) -> Phrase:
    """A field's value (of :func:`~app.self_assessment.service.entry_content`) as a conflict shows it."""
    if field == 0:
        return Phrase(RATING_LABELS[value] if value else N_("not yet rated"))
    if field == 1:
        return meta.excerpt(value)
    return meta.excerpt("; ".join(" | ".join(part for part in item if part) for item in value))
