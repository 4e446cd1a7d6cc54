"""The preparatory review: the contract's JSON routes (one's own review, the team's
submitted reviews, the consolidation), and what the team leader needs beside them
(progress, one reviewer's review, reopening)."""
from typing import Annotated

from fastapi import APIRouter, File, Header, Request, Response, UploadFile

from app.cycles.deps import ApiCycle, ReaderCycle
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version, set_etag
from app.ids import PathId, id_of
from app.indicators.service import get_set
from app.office.xlsx import MEDIA_TYPE as XLSX
from app.people.tables import City
from app.reviews import consolidation_excel, excel, service
from app.reviews.schemas import ReviewEntryPublic, ReviewEntryWrite, ReviewPublic, ReviewReopen, TeamProgress

router = APIRouter(tags=["preparatory review"])
IfMatch = Annotated[str | None, Header()]


@router.get("/cycles/{cycle_id}/reviews/me", response_model=ReviewPublic)
def get_own_review(access: ApiCycle, session: SessionDep):
    """One's own review (a peer's or the team leader's), all indicators, written or not."""
    return service.own_review(session, access.rights, access.cycle).public()


# Before ``/reviews/{reviewer_id}``, which would take "me.xlsx" for a reviewer's id.
@router.get("/cycles/{cycle_id}/reviews/me.xlsx")
def export_own_review(request: Request, access: ReaderCycle, session: SessionDep):
    """One's own review as a workbook in the caller's language (also with the browser's
    session cookie, so that the pages can link to it)."""
    data = excel.export_workbook(session, access.rights, access.cycle, request_language(request))
    name = f"preparatory-review-cycle-{access.cycle.id}-{id_of(access.user)}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/cycles/{cycle_id}/reviews/me.xlsx")
def import_own_review(access: ApiCycle, session: SessionDep, file: Annotated[UploadFile, File()]):
    """``{"updated", "skipped"}``, as the initial report's import: entries written, and
    rows that had nothing to write (as exported, or already what is online)."""
    data = file.file.read(excel.WORKBOOK_MAX_BYTES + 1)
    imported = excel.import_workbook(session, access.rights, access.cycle, data)
    return {"updated": imported.updated, "skipped": imported.skipped}


@router.put("/cycles/{cycle_id}/reviews/me/{code}", response_model=ReviewEntryPublic)
def put_own_entry(access: ApiCycle, code: str, data: ReviewEntryWrite, session: SessionDep, response: Response,
                  if_match: IfMatch = None):
    entry = service.write_entry(session, access.rights, access.cycle, code, data, expected_version(if_match))
    set_etag(response, entry.version)
    return entry


@router.post("/cycles/{cycle_id}/reviews/me/submit", response_model=ReviewPublic)
def submit_own_review(access: ApiCycle, session: SessionDep):
    """409 with ``missing`` (the codes) while an indicator has no performance."""
    return service.submit(session, access.rights, access.cycle).public()


@router.get("/cycles/{cycle_id}/reviews", response_model=list[ReviewPublic])
def get_submitted_reviews(access: ApiCycle, session: SessionDep):
    """The submitted reviews, each signed; 403 for a peer who has not submitted their own."""
    return [r.public() for r in service.submitted_reviews(session, access.rights, access.cycle)]


@router.get("/cycles/{cycle_id}/reviews/progress", response_model=TeamProgress)
def get_team_progress(access: ApiCycle, session: SessionDep):
    """How far each reviewer is, against the phase's deadline (team leader, coordinators)."""
    return service.team_progress(session, access.rights, access.cycle)


@router.get("/cycles/{cycle_id}/reviews/{reviewer_id}", response_model=ReviewPublic)
def get_reviewer_review(access: ApiCycle, reviewer_id: PathId, session: SessionDep):
    """One reviewer's submitted review (404 while it is a draft)."""
    return service.reviewer_review(session, access.rights, access.cycle, reviewer_id).public()


@router.post("/cycles/{cycle_id}/reviews/{reviewer_id}/reopen", response_model=ReviewPublic)
def reopen_review(access: ApiCycle, reviewer_id: PathId, body: ReviewReopen, session: SessionDep):
    """``{"reason"}``: the team leader or a coordinator returns a submitted review, saying why."""
    return service.reopen(session, access.rights, access.cycle, reviewer_id, body.reason).public()


@router.get("/cycles/{cycle_id}/consolidation")
def get_consolidation(access: ApiCycle, session: SessionDep):
    """The submitted reviews pooled (the contract's shape), with beside it, per indicator,
    each reviewer's judgement, the host's self-rating and the peers' majority, and the
    reviewers (submitted, and still awaited)."""
    team = service.team_consolidation(session, access.rights, access.cycle)
    return Response(service.consolidation_json(team), media_type="application/json")


@router.get("/cycles/{cycle_id}/consolidation.xlsx")
def export_consolidation(request: Request, access: ReaderCycle, session: SessionDep):
    """The consolidation as a workbook in the caller's language (those who may read it,
    as ``GET …/consolidation``; also with the browser's session cookie, for the pages' link)."""
    team = service.team_consolidation(session, access.rights, access.cycle)
    city = session.get(City, access.cycle.host_city_id)
    data = consolidation_excel.export_consolidation(team, get_set(session, access.cycle.indicator_set_version),
                                                    access.cycle, city.name if city else "",
                                                    request_language(request))
    name = f"consolidation-cycle-{access.cycle.id}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
