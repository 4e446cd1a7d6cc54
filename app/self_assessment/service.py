"""The initial report: reading it whole, writing an entry, submitting, reopening, documents.

A report is read in a fixed number of queries whatever the number of indicators;
an entry is written with a conditional UPDATE on its version, so two writers
with the same If-Match cannot both succeed.
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypedDict, cast

from sqlmodel import Session, col, select

from benchmark.indicators import IndicatorSet
from benchmark.scales import CycleRole, Phase, ReportStatus, SelfRating

from app.audit.service import record, record_many, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.tables import Cycle
from app.cycles.transitions import register_exit_condition
from app.db import lock_status_row
from app.errors import Conflict, NotFound, field_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.office.xlsx import MEDIA_TYPE as XLSX
from app.people.tables import User
from app.schemas import BIDI_CONTROL, CONTROL
from app.self_assessment.schemas import EntryPublic, EntryWrite, Evidence, Responsible, SelfAssessmentPublic
from app.self_assessment.tables import Document, SelfAssessment, SelfAssessmentEntry
from app.timeutil import utcnow
from app.versioning import write_conditionally

DRAFT, SUBMITTED = ReportStatus.DRAFT, ReportStatus.SUBMITTED
STALE_ANY = N_("Someone else changed this report meanwhile: reload it and make your change again.")
DOCUMENT_URL = re.compile(r"^/api/v1/cycles/(\d+)/documents/(\d+)$")


@dataclass
class Report:
    """A cycle's report: its status and its entries by indicator code (absent: never written)."""

    cycle: Cycle
    iset: IndicatorSet
    status: ReportStatus
    entries: dict[str, SelfAssessmentEntry]

    @property
    def submitted(self) -> bool:
        return self.status == SUBMITTED

    def missing(self) -> list[str]:
        """Codes whose entry lacks a self-rating or a description, in source order."""
        return [i.code for i in self.iset.indicators if not is_complete(self.entries.get(i.code))]

    def public(self) -> SelfAssessmentPublic:
        entries = [entry_public(i.code, self.entries.get(i.code)) for i in self.iset.indicators]
        total = len(entries)
        return SelfAssessmentPublic.model_construct(status=self.status.value, completed=total - len(self.missing()),
                                                    total=total, entries=entries)


def format_lines(items: list[dict], keys: tuple[str, ...]) -> str:
    """Items as text, one per line, fields separated by " | " (the workbook's and the form's format)."""
    return "\n".join(" | ".join(str(item.get(k) or "") for k in keys).rstrip(" |") for item in items)


def parse_lines(text: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The reverse of :func:`format_lines`; blank lines are skipped."""
    items = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            parts = [p.strip() for p in line.split("|")]
            items.append({k: (parts[n] if n < len(parts) else "") for n, k in enumerate(keys)})
    return items


EVIDENCE_KEYS = ("title", "url")
RESPONSIBLE_KEYS = ("name", "role", "department")


class EntryValues(Protocol):
    """What the contract shows of an entry: a stored row, or the same columns read alone."""

    @property
    def self_rating(self) -> str | None: ...
    @property
    def description(self) -> str: ...
    @property
    def evidence(self) -> list[dict[str, Any]]: ...
    @property
    def responsible(self) -> list[dict[str, Any]]: ...
    @property
    def version(self) -> int: ...


def is_complete(entry: EntryValues | None) -> bool:
    return entry is not None and entry.self_rating is not None and bool(entry.description.strip())


def entry_data(code: str, entry: EntryValues | None) -> dict:
    """An entry in the contract's shape as plain data (stored values were validated when written)."""
    if entry is None:
        return {"indicator_code": code, "self_rating": None, "description": "", "evidence": [], "responsible": [],
                "version": 0}
    return {"indicator_code": code, "self_rating": entry.self_rating, "description": entry.description,
            "evidence": entry.evidence, "responsible": entry.responsible, "version": entry.version}


def entry_public(code: str, entry: SelfAssessmentEntry | None) -> EntryPublic:
    """The entry as the API shows it. Built without validating again (``model_construct``):
    only validated values are ever written, and reading the whole report validated every
    text of it once more per request (most of a read's time)."""
    if entry is None:
        return EntryPublic.model_construct(indicator_code=code, self_rating=None, description="", evidence=[],
                                           responsible=[], version=0)
    return EntryPublic.model_construct(
        indicator_code=code, self_rating=SelfRating(entry.self_rating) if entry.self_rating else None,
        description=entry.description, evidence=[Evidence.model_construct(**e) for e in entry.evidence],
        responsible=[Responsible.model_construct(**r) for r in entry.responsible], version=entry.version)


def entry_content(entry: EntryPublic | EntryWrite) -> tuple:
    """What an officer writes in an entry (self-rating, description, evidence, people) as
    plain values, equal for equal content whichever side it comes from (a stored entry
    through :func:`entry_public`, or a form's or a workbook's :class:`EntryWrite`)."""
    return (entry.self_rating.value if entry.self_rating else None, entry.description,
            tuple((e.title, e.url) for e in entry.evidence),
            tuple((r.name, r.role, r.department) for r in entry.responsible))


def load_report(session: Session, cycle: Cycle) -> Report:
    """The whole report in two queries."""
    header = session.get(SelfAssessment, cycle.id)
    rows = session.exec(select(SelfAssessmentEntry).where(SelfAssessmentEntry.cycle_id == cycle.id)).all()
    return Report(cycle, get_set(session, cycle.indicator_set_version),
                  ReportStatus(header.status) if header else DRAFT, {r.indicator_code: r for r in rows})


@dataclass
class ReportHistory:
    """Who submitted the report and when; who last reopened it, when and why (names, not ids)."""

    submitted_at: datetime | None = None
    submitted_by: str | None = None
    reopened_at: datetime | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None


def report_history(session: Session, cycle: Cycle) -> ReportHistory:
    header = session.get(SelfAssessment, cycle.id)
    if header is None:
        return ReportHistory()
    names = {u.id: u.full_name for u in session.exec(select(User).where(
        col(User.id).in_([i for i in (header.submitted_by, header.reopened_by) if i is not None])))}
    return ReportHistory(header.submitted_at, names.get(header.submitted_by or -1), header.reopened_at,
                         names.get(header.reopened_by or -1), header.reopen_reason)


def complete_codes(session: Session, cycle: Cycle) -> set[str]:
    """The codes whose entry has a self-rating and a description, from two columns of each
    entry (what an autosave answers its progress from, on every keystroke pause)."""
    return {row.indicator_code for row in session.execute(
        select(col(SelfAssessmentEntry.indicator_code), col(SelfAssessmentEntry.self_rating),
               col(SelfAssessmentEntry.description)).where(col(SelfAssessmentEntry.cycle_id) == cycle.id))
        if is_complete(cast(EntryValues, row))}


def progress_of(session: Session, cycles: list[Cycle]) -> dict[int, tuple[int, int, bool]]:
    """For each cycle: (indicators done, indicators in its set, submitted), in two queries."""
    if not cycles:
        return {}
    ids = [id_of(c) for c in cycles]
    done: dict[int, int] = dict.fromkeys(ids, 0)
    for row in session.execute(
            select(col(SelfAssessmentEntry.cycle_id), col(SelfAssessmentEntry.self_rating),
                   col(SelfAssessmentEntry.description)).where(col(SelfAssessmentEntry.cycle_id).in_(ids))):
        if is_complete(cast(EntryValues, row)):  # the two columns it reads
            done[row.cycle_id] += 1
    submitted = set(session.exec(select(SelfAssessment.cycle_id).where(
        col(SelfAssessment.cycle_id).in_(ids), SelfAssessment.status == SUBMITTED.value)).all())
    return {id_of(c): (done[id_of(c)], len(get_set(session, c.indicator_set_version).indicators), id_of(c) in submitted)
            for c in cycles}


def lock_report(session: Session, cycle: Cycle, *, exclusive: bool) -> ReportStatus:
    """Lock the report (its header row, ``lock_status_row``) before reading what a write
    depends on, and answer its status."""
    return ReportStatus(lock_status_row(session, SelfAssessment, exclusive, cycle_id=cycle.id))


def report_data(session: Session, rights: CycleRights, cycle: Cycle) -> dict[str, Any]:
    """The whole report as a read of it answers, as plain data ready for JSON — the API's
    most frequent call, so read lean: the entries' columns in one query, no ORM objects
    (building 73 of them took a third of the read), and the status as the cycle's access
    read it (in the same transaction)."""
    require(rights.read_self_assessment())
    iset = get_set(session, cycle.indicator_set_version)
    rows: dict[str, EntryValues] = {row.indicator_code: cast(EntryValues, row) for row in session.execute(
        select(*(col(c) for c in (SelfAssessmentEntry.indicator_code, SelfAssessmentEntry.self_rating,
                                  SelfAssessmentEntry.description, SelfAssessmentEntry.evidence,
                                  SelfAssessmentEntry.responsible, SelfAssessmentEntry.version)))
        .where(col(SelfAssessmentEntry.cycle_id) == cycle.id))}
    entries = [entry_data(i.code, rows.get(i.code)) for i in iset.indicators]
    done = sum(1 for i in iset.indicators if is_complete(rows.get(i.code)))
    return {"status": rights.report_status.value, "completed": done, "total": len(entries), "entries": entries}


def readable_report(session: Session, rights: CycleRights, cycle: Cycle) -> Report:
    require(rights.read_self_assessment())
    return load_report(session, cycle)


def writable_report(session: Session, rights: CycleRights, cycle: Cycle,
                    exclusive: bool = False) -> tuple[Report, CycleRights]:
    """The report under its lock (``lock_report``), once the caller may write it as it now stands."""
    lock_report(session, cycle, exclusive=exclusive)
    report = load_report(session, cycle)
    rights = rights.seeing(report.status)
    require(rights.write_self_assessment())
    return report, rights


def _unsubmitted(session: Session, cycle: Cycle) -> tuple[str, dict] | None:
    header = session.get(SelfAssessment, cycle.id)
    if header is not None and header.status == SUBMITTED:
        return None
    return N_("The host city has not submitted its initial report yet: the peers would have nothing to review."), {}


# Not overridable: without a submitted report the peers would have nothing to review.
register_exit_condition(Phase.SELF_ASSESSMENT, _unsubmitted, overridable=False)


def document_ids(session: Session, cycle: Cycle) -> set[int]:
    ids = session.exec(select(col(Document.id)).where(Document.cycle_id == cycle.id))
    return {i for i in ids if i is not None}  # a stored row's id is never null


def is_foreign_document(url: str, cycle: Cycle, known: set[int]) -> bool:
    """A link that looks like an uploaded document but is not one of this cycle's."""
    match = DOCUMENT_URL.match(url)
    return match is not None and (int(match[1]) != cycle.id or int(match[2]) not in known)


def _check_documents(session: Session, cycle: Cycle, data: EntryWrite) -> None:
    if not any(DOCUMENT_URL.match(e.url) for e in data.evidence):
        return
    known = document_ids(session, cycle)
    for n, item in enumerate(data.evidence):
        if is_foreign_document(item.url, cycle, known):
            raise field_error(["evidence", n, "url"], N_("No uploaded document at %(url)s in this cycle."),
                              url=item.url)


def write_entry(session: Session, rights: CycleRights, cycle: Cycle, code: str, data: EntryWrite,
                expected_version: int | None) -> EntryPublic:
    """Replace one entry; 412 (nothing changed) when ``expected_version`` is not its version
    (0: never written). Reads only that entry and the report's status, under the lock."""
    if code not in get_set(session, cycle.indicator_set_version).by_code():
        raise NotFound(N_("No indicator %(code)s in this cycle's indicator set."), code=code)
    require(rights.seeing(lock_report(session, cycle, exclusive=False)).write_self_assessment())
    _check_documents(session, cycle, data)
    entry = session.exec(select(SelfAssessmentEntry).where(
        SelfAssessmentEntry.cycle_id == cycle.id, SelfAssessmentEntry.indicator_code == code)).first()
    check_version(expected_version, entry.version if entry else 0)
    written = apply_entries(session, rights.user, cycle, [(code, entry, data)])[code]
    return entry_public(code, written)


@dataclass
class SavedEntry:
    """An entry as it is now, with who saved it last and when: what a writer whose copy
    is out of date is shown beside their own text."""

    entry: EntryPublic
    updated_at: datetime | None
    updated_by: str | None
    updated_by_id: int | None


def saved_entry(session: Session, cycle: Cycle, code: str) -> SavedEntry:
    row = session.exec(select(SelfAssessmentEntry, User.full_name)
                       .outerjoin(User, col(User.id) == SelfAssessmentEntry.updated_by)
                       .where(SelfAssessmentEntry.cycle_id == cycle.id,
                              SelfAssessmentEntry.indicator_code == code)).first()
    if row is None:
        return SavedEntry(entry_public(code, None), None, None, None)
    entry, name = row
    return SavedEntry(entry_public(code, entry), entry.updated_at, name, entry.updated_by)


class _EntryValues(TypedDict):
    """What a write sets in an entry, besides its version."""

    self_rating: str | None
    description: str
    evidence: list[dict[str, Any]]
    responsible: list[dict[str, Any]]
    updated_at: datetime
    updated_by: int | None


def apply_entries(session: Session, user: User, cycle: Cycle,
                  writes: list[tuple[str, SelfAssessmentEntry | None, EntryWrite]]) -> dict[str, SelfAssessmentEntry]:
    """Write each ``(code, entry as read, data)`` with its audit record, in the caller's
    transaction and in a fixed number of statements however many there are; 412 (and
    nothing written) if any entry changed since it was read."""
    now = utcnow()
    cycle_id = id_of(cycle)
    created: list[SelfAssessmentEntry] = []
    updated: list[dict[str, Any]] = []
    result: dict[str, SelfAssessmentEntry] = {}
    for code, entry, data in writes:
        values: _EntryValues = {
            "self_rating": data.self_rating.value if data.self_rating else None, "description": data.description,
            "evidence": [e.model_dump() for e in data.evidence],
            "responsible": [r.model_dump() for r in data.responsible], "updated_at": now, "updated_by": user.id}
        if entry is None:
            row = SelfAssessmentEntry(cycle_id=cycle_id, indicator_code=code, version=1, **values)
            created.append(row)
        else:
            row = SelfAssessmentEntry(id=entry.id, cycle_id=cycle_id, indicator_code=code, version=entry.version + 1,
                                      **values)
            updated.append({"b_id": entry.id, "b_version": entry.version, **values})
        result[code] = row
    write_conditionally(session, SelfAssessmentEntry, [row.model_dump(exclude={"id"}) for row in created], updated,
                        STALE_ANY)
    record_many(session, user.id, [
        ("update" if entry else "create", "self_assessment_entry", f"{cycle.id}/{code}", snapshot(entry),
         snapshot(result[code]))
        for code, entry, _data in writes
    ])
    return result


def submit(session: Session, rights: CycleRights, cycle: Cycle) -> Report:
    """Lock the report; 409 with ``missing`` while an entry lacks a rating or a description."""
    report, rights = writable_report(session, rights, cycle, exclusive=True)
    missing = report.missing()
    if missing:
        raise Conflict(N_("%(n)s indicators still lack a self-rating or a description."), n=len(missing),
                       extra={"missing": missing})
    _set_status(session, rights.user, cycle, SUBMITTED)
    report.status = SUBMITTED
    return report


def reopen(session: Session, rights: CycleRights, cycle: Cycle, reason: str = "") -> Report:
    """A coordinator returns a submitted report to its officer, saying why (recorded in the
    audit log, and shown to the officer until the report is submitted again)."""
    require(rights.reopen_self_assessment())
    lock_report(session, cycle, exclusive=True)
    report = load_report(session, cycle)
    require(rights.seeing(report.status).reopen_self_assessment())
    _set_status(session, rights.user, cycle, DRAFT, reason)
    report.status = DRAFT
    return report


def _set_status(session: Session, user: User, cycle: Cycle, status: ReportStatus, reason: str = "") -> None:
    header = session.get(SelfAssessment, cycle.id) or SelfAssessment(cycle_id=id_of(cycle))
    before = snapshot(header) if header.status else None
    header.status = status.value
    header.submitted_at = utcnow() if status == SUBMITTED else None
    header.submitted_by = user.id if status == SUBMITTED else None
    if status == DRAFT:
        header.reopened_at, header.reopened_by, header.reopen_reason = utcnow(), user.id, reason or None
    session.add(header)
    record(session, user.id, "submit" if status == SUBMITTED else "reopen", "self_assessment", cycle.id,
           before, snapshot(header))
    session.flush()


# --- documents -------------------------------------------------------------------------

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
_KINDS = {  # extension -> (content type, accepted leading bytes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    "xlsx": (XLSX, (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", (b"RIFF",)),
}


def add_document(session: Session, rights: CycleRights, cycle: Cycle, filename: str, data: bytes) -> Document:
    """Store an uploaded evidence document (checked by extension and content)."""
    _report, rights = writable_report(session, rights, cycle)
    user = rights.user
    # No control nor direction-changing character: "cv\u202egpj.exe" must not read as "cvexe.jpg".
    name = BIDI_CONTROL.sub("", CONTROL.sub("", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])).strip()[:255]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in _KINDS:
        raise field_error(["file"], N_("%(name)s: only PDF, Word, Excel, OpenDocument and image files are accepted."),
                          name=name or "?")
    if len(data) > DOCUMENT_MAX_BYTES:
        raise field_error(["file"], N_("%(name)s is larger than 20 MB."), name=name)
    content_type, magics = _KINDS[ext]
    if not data or not data.startswith(magics):
        raise field_error(["file"], N_("%(name)s is not a real %(ext)s file."), name=name, ext=ext.upper())
    doc = Document(cycle_id=id_of(cycle), filename=name, content_type=content_type, size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=user.id)
    session.add(doc)
    session.flush()
    record(session, user.id, "upload", "document", doc.id, None,
           {"filename": name, "size": len(data), "sha256": doc.sha256, "cycle_id": cycle.id})
    return doc


def get_document(session: Session, rights: CycleRights, cycle: Cycle, document_id: int) -> Document:
    """A document of the report, to those who may read it. The readers beside the host
    officer and coordinators (the peers, the team leader) get only the documents that the
    report cites as evidence: not one uploaded and never cited, nor one removed from its
    card, which the officer did not mean them to read. 404 alike, so as not to tell which."""
    require(rights.read_self_assessment())
    doc = session.get(Document, document_id)
    if doc is None or doc.cycle_id != cycle.id or not (
            rights.is_coordinator or rights.role == CycleRole.HOST_OFFICER
            or document_url(doc) in cited_urls(session, cycle)):
        raise NotFound(N_("No document %(id)s in this cycle."), id=document_id)
    return doc


def cited_urls(session: Session, cycle: Cycle) -> set[str]:
    """Every evidence address the report's entries cite."""
    return {item.get("url", "") for evidence in session.exec(
        select(SelfAssessmentEntry.evidence).where(col(SelfAssessmentEntry.cycle_id) == cycle.id)) for item in evidence}


def document_url(doc: Document) -> str:
    return f"/api/v1/cycles/{doc.cycle_id}/documents/{doc.id}"

