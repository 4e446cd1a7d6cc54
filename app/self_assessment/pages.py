"""The officer's pages for the initial report; the read-only report for its readers."""
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from benchmark.scales import SelfRating

from app.auth import permissions
from app.auth.deps import PageCycle, SessionDep
from app.errors import DomainError
from app.self_assessment import excel, service
from app.self_assessment.schemas import EntryWrite
from app.web import error_message, parse_form, redirect, render

router = APIRouter()


@dataclass
class Section:
    """A pillar of the report with its dimensions' indicators and its progress."""

    pillar: object
    done: int
    total: int
    dimensions: list[tuple[object, list[tuple[object, object]]]]  # (dimension, [(indicator, entry)])


def sections(report: service.Report) -> list[Section]:
    out = []
    for pillar in report.iset.pillars:
        dims, done, total = [], 0, 0
        for dim in report.iset.dimensions:
            items = [(i, service.entry_public(i.code, report.entries.get(i.code))) for i in report.iset.indicators
                     if i.pillar == pillar.code and i.dimension == dim.code]
            done += sum(1 for i, _e in items if service.is_complete(report.entries.get(i.code)))
            total += len(items)
            dims.append((dim, items))
        out.append(Section(pillar, done, total, dims))
    return out


def _page(request, session, access, status_code=200, **context):
    report = service.readable_report(session, access.user, access.role, access.cycle)
    writable = permissions.can_write_self_assessment(access.user, access.role) and not report.submitted \
        and access.cycle.phase == "self_assessment"
    return render(request, "self_assessment.html" if writable else "self_assessment_read.html",
                  status_code=status_code, cycle=access.cycle, report=report, sections=sections(report),
                  missing=report.missing(), ratings=[r.value for r in SelfRating],
                  can_reopen=permissions.can_reopen_self_assessment(access.user) and report.submitted
                  and access.cycle.phase == "self_assessment",
                  evidence_text=lambda e: service.format_lines([x.model_dump() for x in e.evidence], service.EVIDENCE_KEYS),
                  responsible_text=lambda e: service.format_lines([x.model_dump() for x in e.responsible],
                                                                  service.RESPONSIBLE_KEYS),
                  **context)


@router.get("/cycles/{cycle_id}/self-assessment")
def report_page(request: Request, session: SessionDep, access: PageCycle):
    return _page(request, session, access)


def _entry_from_form(form: dict) -> EntryWrite:
    return parse_form(EntryWrite, {
        "self_rating": form.get("self_rating") or None,
        "description": (form.get("description") or "").replace("\r\n", "\n"),
        "evidence": service.parse_lines(form.get("evidence") or "", service.EVIDENCE_KEYS),
        "responsible": service.parse_lines(form.get("responsible") or "", service.RESPONSIBLE_KEYS),
    })


@router.post("/cycles/{cycle_id}/self-assessment/entries/{code}")
async def save_entry(request: Request, session: SessionDep, access: PageCycle, code: str):
    """Save one indicator. The page's script calls it as you type (autosave, JSON answer);
    without script the card's Save button posts it and comes back to the card."""
    form = dict(await request.form())
    as_json = "application/json" in request.headers.get("accept", "")
    try:
        entry = service.write_entry(session, access.user, access.role, access.cycle, code, _entry_from_form(form),
                                    form.get("version") or None)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        if as_json:
            return JSONResponse({"detail": message, "errors": errors}, status_code=exc.status)
        return _page(request, session, access, exc.status, error=message, errors=errors, error_code=code)
    if as_json:
        report = service.load_report(session, access.cycle)
        pillars = sections(report)
        return {"version": entry.version, "complete": service.is_complete(report.entries.get(code)),
                "completed": sum(s.done for s in pillars), "total": len(report.iset.indicators),
                "pillars": {s.pillar.code.value: [s.done, s.total] for s in pillars}}
    return redirect(f"/cycles/{access.cycle.id}/self-assessment#{code}")


@router.post("/cycles/{cycle_id}/self-assessment/entries/{code}/document")
async def upload_document(request: Request, session: SessionDep, access: PageCycle, code: str,
                          file: Annotated[UploadFile, File()], title: Annotated[str, Form()] = ""):
    """Upload a document and add it to the indicator's evidence."""
    data = await file.read(service.DOCUMENT_MAX_BYTES + 1)
    try:
        report = service.load_report(session, access.cycle)
        current = service.entry_public(code, report.entries.get(code))
        evidence = [e.model_dump() for e in current.evidence]
        placeholder = f"/api/v1/cycles/{access.cycle.id}/documents/0"
        name = (title.strip() or (file.filename or "").rsplit("/", 1)[-1] or "document")[:300]
        entry = parse_form(EntryWrite, {  # checked before anything is stored
            "self_rating": current.self_rating, "description": current.description,
            "evidence": [*evidence, {"title": name, "url": placeholder}],
            "responsible": [r.model_dump() for r in current.responsible]})
        doc = service.add_document(session, access.user, access.role, access.cycle, file.filename or "", data,
                                   commit=False)
        entry.evidence[-1].url = service.document_url(doc)
        service.write_entry(session, access.user, access.role, access.cycle, code, entry, str(current.version))
    except DomainError as exc:
        session.rollback()  # the document goes with the entry, or not at all
        message, errors = error_message(request, exc)
        return _page(request, session, access, exc.status, error=message, errors=errors, error_code=code)
    return redirect(f"/cycles/{access.cycle.id}/self-assessment#{code}")


@router.get("/cycles/{cycle_id}/self-assessment/submit")
def submit_page(request: Request, session: SessionDep, access: PageCycle):
    report = service.readable_report(session, access.user, access.role, access.cycle)
    return render(request, "self_assessment_submit.html", cycle=access.cycle, report=report,
                  missing=[report.iset.by_code()[c] for c in report.missing()])


@router.post("/cycles/{cycle_id}/self-assessment/submit")
def submit(request: Request, session: SessionDep, access: PageCycle):
    try:
        service.submit(session, access.user, access.role, access.cycle)
    except DomainError as exc:
        message, _errors = error_message(request, exc)
        report = service.load_report(session, access.cycle)
        return render(request, "self_assessment_submit.html", status_code=exc.status, cycle=access.cycle,
                      report=report, missing=[report.iset.by_code()[c] for c in report.missing()], error=message)
    return redirect(f"/cycles/{access.cycle.id}/self-assessment")


@router.post("/cycles/{cycle_id}/self-assessment/reopen")
def reopen(request: Request, session: SessionDep, access: PageCycle):
    try:
        service.reopen(session, access.user, access.cycle)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _page(request, session, access, exc.status, error=message, errors=errors)
    return redirect(f"/cycles/{access.cycle.id}/self-assessment")


@router.post("/cycles/{cycle_id}/self-assessment/import")
async def import_workbook(request: Request, session: SessionDep, access: PageCycle,
                          file: Annotated[UploadFile, File()]):
    data = await file.read(excel.WORKBOOK_MAX_BYTES + 1)
    try:
        updated = excel.import_workbook(session, access.user, access.role, access.cycle, data)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _page(request, session, access, exc.status, error=message, errors=errors)
    return _page(request, session, access, imported=updated)
