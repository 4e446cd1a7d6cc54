"""The officer's pages for the initial report; the read-only report for its readers."""
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from benchmark.indicators import DimensionDef, Indicator, PillarDef
from benchmark.scales import CycleRole, Phase, SelfRating

from app import labels
from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import NotFound, field_error, request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.people.tables import City
from app.self_assessment import excel, service
from app.self_assessment.schemas import EntryPublic, EntryWrite, ReopenRequest
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()


@dataclass
class Section:
    """A pillar of the report with its dimensions' indicators and its progress."""

    pillar: PillarDef
    done: int
    total: int
    dimensions: list[tuple[DimensionDef, list[tuple[Indicator, EntryPublic]]]]  # (dimension, [(indicator, entry)])


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


#: The self-ratings in the order the read view's summary shows them; "none": not yet rated.
RATING_KEYS = [*(r.value for r in SelfRating), "none"]


def rating_counts(items: list[tuple[Indicator, EntryPublic]]) -> dict[str, int]:
    """How many of ``items`` have each self-rating, by :data:`RATING_KEYS`."""
    counts = dict.fromkeys(RATING_KEYS, 0)
    for _ind, entry in items:
        counts[entry.self_rating.value if entry.self_rating else "none"] += 1
    return counts


def is_document(url: str) -> bool:
    """Evidence uploaded to this service (served by its document endpoint), not a link elsewhere."""
    return service.DOCUMENT_URL.match(url) is not None


def link_host(url: str) -> str:
    """The site a link goes to, as its reader sees it first (``www.`` left out)."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _page(request, session, access: CycleAccess, status_code=200, **context):
    """The officer's editing page while she may write the report (with the progress); for
    everyone else, and for her once it is submitted, the read view: the self-ratings
    summed up per pillar and dimension, then the whole report, print-friendly."""
    report = service.readable_report(session, access.rights, access.cycle)
    context.setdefault("history", service.report_history(session, access.cycle))
    rights = access.rights.seeing(report.status)
    editing = rights.write_self_assessment() is True
    if editing:
        template = "self_assessment/self_assessment.html"
    else:
        template = "self_assessment/self_assessment_read.html"
        city = session.get(City, access.cycle.host_city_id)
        context.update(city=city.name if city else "", rating_keys=RATING_KEYS, rating_counts=rating_counts,
                       is_document=is_document, link_host=link_host)
    return render(request, template, editing=editing,
                  status_code=status_code, cycle=access.cycle, report=report, sections=sections(report),
                  missing=report.missing(), ratings=[r.value for r in SelfRating], rights=rights,
                  can_reopen=rights.reopen_self_assessment() is True,
                  evidence_text=lambda e: service.format_lines(
                      [x.model_dump() for x in e.evidence if not is_document(x.url)], service.EVIDENCE_KEYS),
                  documents_of=lambda e: [x for x in e.evidence if is_document(x.url)],
                  responsible_text=lambda e: service.format_lines([x.model_dump() for x in e.responsible],
                                                                  service.RESPONSIBLE_KEYS),
                  **context)


def _show_on_page(request, session, access, code: str | None = None):
    """A refused form shown on the report's page, beside the card it came from."""
    return lambda status, error, errors: _page(request, session, access, status, error=error, errors=errors,
                                               error_code=code)


def _cycle_panel(session, access: CycleAccess) -> dict:
    """The report on the cycle page: its state for everyone in the cycle, its progress for
    those who may read it, and the way in only for those it is open to."""
    rights = access.rights
    readable = rights.read_self_assessment() is True
    progress = None
    if readable:
        done, total, _submitted = service.progress_of(session, [access.cycle])[id_of(access.cycle)]
        progress = (done, total)
    return {"phase": Phase.SELF_ASSESSMENT, "submitted": rights.report_submitted, "readable": readable,
            "writable": rights.write_self_assessment() is True, "progress": progress,
            "history": service.report_history(session, access.cycle)}


register_panel(Phase.SELF_ASSESSMENT.order, "self_assessment/cycle_panel.html", _cycle_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, the host officer's report while she may still write it: "continue my
    report — 41 of 73"."""
    mine = [v.cycle for v in views if v.my_role == CycleRole.HOST_OFFICER and v.cycle.phase == Phase.SELF_ASSESSMENT]
    out = {}
    for cycle, (done, total, submitted) in service.progress_of(session, mine).items():
        if submitted:
            continue
        if done == total:
            out[cycle] = [(_(N_("Check and submit my report")), f"/cycles/{cycle}/self-assessment/submit")]
        else:
            out[cycle] = [(_(N_("Continue my report — %(done)s of %(total)s"), done=done, total=total),
                           f"/cycles/{cycle}/self-assessment")]
    return out


register_next_steps(_next_steps)


@router.get("/cycles/{cycle_id}/self-assessment")
def report_page(request: Request, session: SessionDep, access: PageCycle, show: str = ""):
    """``?show=unfinished``: only the indicators still lacking a self-rating or a description."""
    return _page(request, session, access, only_unfinished=show == "unfinished")


def _entry_from_form(form: dict, documents: list[dict]) -> EntryWrite:
    """The card's fields as an entry. Its uploaded ``documents`` are not in the form's
    evidence field (which holds the links, one per line): they are kept as they are, first,
    and only the card's remove button takes one away."""
    return parse_form(EntryWrite, {
        "self_rating": form.get("self_rating") or None,
        "description": (form.get("description") or "").replace("\r\n", "\n"),
        "evidence": [*documents, *service.parse_lines(form.get("evidence") or "", service.EVIDENCE_KEYS)],
        "responsible": service.parse_lines(form.get("responsible") or "", service.RESPONSIBLE_KEYS),
    })


def _documents(session, access: CycleAccess, code: str) -> list[dict]:
    """The entry's uploaded documents as evidence items, as saved now."""
    return [e.model_dump() for e in service.saved_entry(session, access.cycle, code).entry.evidence
            if is_document(e.url)]


@router.post("/cycles/{cycle_id}/self-assessment/entries/{code}")
def save_entry(request: Request, session: SessionDep, access: PageCycle, code: str, form: FormFields):
    """Save one indicator. The page's script calls it as you type (autosave, JSON answer);
    without script the card's Save button posts it and comes back to the card."""
    as_json = "application/json" in request.headers.get("accept", "")

    def save():
        entry = service.write_entry(session, access.rights, access.cycle, code,
                                    _entry_from_form(form, _documents(session, access, code)),
                                    expected_version(form.get("version") or None))
        if not as_json:
            return redirect(f"/cycles/{access.cycle.id}/self-assessment#{code}",
                            Flash(N_("%(code)s saved."), code=code), request)
        done = service.complete_codes(session, access.cycle)
        indicators = get_set(session, access.cycle.indicator_set_version).indicators
        pillars: dict[str, list[int]] = {}
        for ind in indicators:
            counts = pillars.setdefault(ind.pillar.value, [0, 0])
            counts[0] += ind.code in done
            counts[1] += 1
        return JSONResponse({"version": entry.version, "complete": code in done, "completed": len(done),
                             "total": len(indicators), "pillars": pillars})

    def refused(status, error, errors):
        if as_json:
            body: dict = {"detail": error, "errors": errors}
            if status == 412:  # out of date: show what is saved now, by whom and when, beside the user's text
                body.update(_saved_now(request, session, access, code, form))
            return JSONResponse(body, status_code=status)
        return _page(request, session, access, status, error=error, errors=errors, error_code=code)

    return run_form(request, session, save, refused)


def _saved_now(request: Request, session, access: CycleAccess, code: str, form: dict) -> dict:
    """What an out-of-date save is shown: who saved the entry and when, its fields as saved
    (to take them), and those that differ from what was sent, as the reader names them."""
    saved = service.saved_entry(session, access.cycle, code)
    _ = gettext_for(request_language(request))
    when = "{time}"  # the page's script puts the time there, in the browser's time zone (``saved_at``)
    if saved.updated_by_id == access.user.id:
        detail = _(N_("You saved this indicator at %(time)s in another tab or window; what is saved there is "
                      "shown below. Your text here is kept: choose which to keep."), time=when)
    else:
        detail = _(N_("%(name)s saved this indicator at %(time)s; what they saved is shown below. Your text "
                      "here is kept: choose which to keep."), name=saved.updated_by or "?", time=when)
    e = saved.entry
    current = {
        "self_rating": e.self_rating.value if e.self_rating else "", "description": e.description,
        # the links only, as the card's field holds them (documents are items of their own)
        "evidence": service.format_lines([x.model_dump() for x in e.evidence if not is_document(x.url)],
                                         service.EVIDENCE_KEYS),
        "responsible": service.format_lines([x.model_dump() for x in e.responsible], service.RESPONSIBLE_KEYS)}
    differences = []
    for name, value in current.items():
        if (form.get(name) or "").replace("\r\n", "\n") == value:
            continue  # the same on both sides
        text = value
        if name == "self_rating":
            text = _(labels.RATINGS[value]) if value else _(N_("not yet rated"))
        differences.append({"label": _(labels.FIELDS[name]), "text": text})
    return {"detail": detail, "saved_at": saved.updated_at.isoformat() if saved.updated_at else None,
            "current": {"version": e.version, **current}, "differences": differences}


@router.post("/cycles/{cycle_id}/self-assessment/entries/{code}/document")
def upload_document(request: Request, session: SessionDep, access: PageCycle, code: str,
                    file: Annotated[UploadFile, File()], title: Annotated[str, Form()] = ""):
    """Upload a document and add it to the indicator's evidence, in one transaction. The
    page's script sends it (JSON answer: the card shows the document, or the refusal,
    without leaving the page); without script the form posts and comes back to the card."""
    data = file.file.read(service.DOCUMENT_MAX_BYTES + 1)
    as_json = "application/json" in request.headers.get("accept", "")

    def upload():
        report = service.load_report(session, access.cycle)
        current = service.entry_public(code, report.entries.get(code))
        evidence = [e.model_dump() for e in current.evidence]
        placeholder = f"/api/v1/cycles/{access.cycle.id}/documents/0"
        name = (title.strip() or (file.filename or "").rsplit("/", 1)[-1] or "document")[:300]
        entry = parse_form(EntryWrite, {  # checked before anything is stored
            "self_rating": current.self_rating, "description": current.description,
            "evidence": [*evidence, {"title": name, "url": placeholder}],
            "responsible": [r.model_dump() for r in current.responsible]})
        doc = service.add_document(session, access.rights, access.cycle, file.filename or "", data)
        entry.evidence[-1].url = service.document_url(doc)
        written = service.write_entry(session, access.rights, access.cycle, code, entry, current.version)
        flash = Flash(N_("Document added to the evidence of %(code)s: %(title)s."), code=code, title=name)
        if as_json:
            return JSONResponse({"version": written.version, "title": name, "url": entry.evidence[-1].url,
                                 "message": flash.text(gettext_for(request_language(request)))})
        return redirect(f"/cycles/{access.cycle.id}/self-assessment#{code}", flash, request)

    def refused(status, error, errors):
        if as_json:
            return JSONResponse({"detail": error, "errors": errors}, status_code=status)
        return _page(request, session, access, status, error=error, errors=errors, error_code=code)

    return run_form(request, session, upload, refused)


@router.post("/cycles/{cycle_id}/self-assessment/entries/{code}/documents/{document_id}/remove")
def remove_document(request: Request, session: SessionDep, access: PageCycle, code: str, document_id: PathId):
    """Take an uploaded document out of the indicator's evidence (the file itself stays, as
    the audit log may name it)."""
    def remove():
        require(access.rights.write_self_assessment())  # who may not is told so, not "no such document"
        current = service.saved_entry(session, access.cycle, code).entry
        url = f"/api/v1/cycles/{access.cycle.id}/documents/{document_id}"
        kept = [e.model_dump() for e in current.evidence if e.url != url]
        gone = [e.title for e in current.evidence if e.url == url]
        if not gone:
            raise NotFound(N_("No document %(id)s in the evidence of %(code)s."), id=document_id, code=code)
        entry = parse_form(EntryWrite, {
            "self_rating": current.self_rating, "description": current.description, "evidence": kept,
            "responsible": [r.model_dump() for r in current.responsible]})
        service.write_entry(session, access.rights, access.cycle, code, entry, current.version)
        return redirect(f"/cycles/{access.cycle.id}/self-assessment#{code}",
                        Flash(N_("Document removed from the evidence of %(code)s: %(title)s."), code=code,
                              title=gone[0] if gone else "—"), request)

    return run_form(request, session, remove, _show_on_page(request, session, access, code))


def _submit_page(request, session, access: CycleAccess, status_code=200, error=None):
    report = service.readable_report(session, access.rights, access.cycle)
    return render(request, "self_assessment/self_assessment_submit.html", status_code=status_code, cycle=access.cycle,
                  report=report, missing=[report.iset.by_code()[c] for c in report.missing()], error=error)


@router.get("/cycles/{cycle_id}/self-assessment/submit")
def submit_page(request: Request, session: SessionDep, access: PageCycle):
    return _submit_page(request, session, access)


@router.post("/cycles/{cycle_id}/self-assessment/submit")
def submit(request: Request, session: SessionDep, access: PageCycle):
    # Someone who may not submit gets the error page, never the list of what is missing.
    require(access.rights.write_self_assessment())

    def do_submit():
        service.submit(session, access.rights, access.cycle)
        return redirect(f"/cycles/{access.cycle.id}/self-assessment",
                        Flash(N_("Initial report submitted: the review team can now read it.")), request)

    return run_form(request, session, do_submit, lambda status, error, _errors: _submit_page(
        request, session, access, status, error))


@router.post("/cycles/{cycle_id}/self-assessment/reopen")
def reopen(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    def do_reopen():
        reason = parse_form(ReopenRequest, {"reason": form.get("reason") or ""}).reason
        require(access.rights.reopen_self_assessment())  # a refusal first, not the missing reason
        if not reason:
            raise field_error(["reason"], N_("Say why: the host officer will read it."))
        service.reopen(session, access.rights, access.cycle, reason)
        return redirect(f"/cycles/{access.cycle.id}/self-assessment",
                        Flash(N_("Initial report reopened: the host city can change it again.")), request)

    return run_form(request, session, do_reopen, _show_on_page(request, session, access))


@router.post("/cycles/{cycle_id}/self-assessment/import")
def import_workbook(request: Request, session: SessionDep, access: PageCycle, file: Annotated[UploadFile, File()]):
    """Import a filled workbook, then back to the report (a reload does not send it again),
    saying what was updated and what was skipped; a refusal lists every problem by cell."""
    data = file.file.read(excel.WORKBOOK_MAX_BYTES + 1)

    def do_import():
        imported = excel.import_workbook(session, access.rights, access.cycle, data)
        return redirect(f"/cycles/{access.cycle.id}/self-assessment", Flash(N_(
            "Workbook imported: %(n)s indicators updated, %(skipped)s unchanged rows skipped (what is online was "
            "kept)."), n=imported.updated, skipped=imported.skipped), request)

    return run_form(request, session, do_import, _show_on_page(request, session, access))
