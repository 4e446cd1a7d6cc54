"""The visit programme's API: generate it (the contract), read it, edit it by hand, and
export it as iCalendar."""
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from app.cycles.deps import ApiCycle, ReaderCycle
from app.db import SessionDep
from app.errors import field_error, request_language
from app.etag import expected_version, set_etag
from app.i18n import N_
from app.ids import PathId
from app.visit import calendar, programme
from app.visit.schemas import InterviewChange, InterviewPublic, InterviewWrite, ProgrammeGenerate, ProgrammePublic
from app.visit.views import interview_public, programme_public

router = APIRouter(tags=["visit"])
IfMatch = Annotated[str | None, Header()]
ICS = "text/calendar; charset=utf-8"


@router.post("/cycles/{cycle_id}/visit-programme", response_model=ProgrammePublic)
def generate_programme(request: Request, access: ApiCycle, data: ProgrammeGenerate, session: SessionDep):
    """The team leader generates the programme from the consolidated people to meet: each
    person once, two reviewers each, 60 minutes (90 with an interpreter), within the days'
    hours and around the lunch break; who cannot fit is listed in ``unscheduled`` with why.
    Interviews added or changed by hand, and those holding notes, are kept."""
    view = programme.generate(session, access.rights, access.cycle, data)
    return programme_public(view, request_language(request))


@router.get("/cycles/{cycle_id}/visit-programme", response_model=ProgrammePublic)
def get_programme(request: Request, access: ApiCycle, session: SessionDep):
    """The programme as it stands (empty before it is generated)."""
    return programme_public(programme.programme(session, access.rights, access.cycle), request_language(request))


@router.get("/cycles/{cycle_id}/visit-programme.ics")
def programme_calendar(request: Request, access: ReaderCycle, session: SessionDep,
                       peer: Annotated[int | None, Query(description="Only this reviewer's interviews")] = None):
    """The programme as iCalendar (RFC 5545), or one reviewer's own interviews with
    ``?peer=`` (also with the browser's session cookie, for the pages' links)."""
    view = programme.programme(session, access.rights, access.cycle)
    if peer is not None and peer not in view.reviewers:
        raise field_error(["peer"], N_("%(id)s is not a reviewer of this cycle."), id=peer)
    data = calendar.programme_ics(view, access.cycle, peer, request_language(request))
    name = f"visit-programme-cycle-{access.cycle.id}{f'-peer-{peer}' if peer else ''}.ics"
    return Response(data, media_type=ICS, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/cycles/{cycle_id}/interviews", response_model=InterviewPublic, status_code=201)
def add_interview(access: ApiCycle, data: InterviewWrite, session: SessionDep, response: Response):
    """An interview or a workshop added by hand; 409 naming who would be in two places at once."""
    row = programme.add_interview(session, access.rights, access.cycle, data)
    set_etag(response, row.version)
    return interview_public(row, programme.visit_zone(session, access.cycle))


@router.get("/cycles/{cycle_id}/interviews/{interview_id}", response_model=InterviewPublic)
def get_interview(access: ApiCycle, interview_id: PathId, session: SessionDep, response: Response):
    row = programme.interview(session, access.rights, access.cycle, interview_id)
    set_etag(response, row.version)
    return interview_public(row, programme.visit_zone(session, access.cycle))


@router.patch("/cycles/{cycle_id}/interviews/{interview_id}", response_model=InterviewPublic)
def change_interview(access: ApiCycle, interview_id: PathId, data: InterviewChange, session: SessionDep,
                     response: Response, if_match: IfMatch = None):
    """Move it, change its length, swap a reviewer...: fields left out keep their value."""
    row = programme.change_interview(session, access.rights, access.cycle, interview_id, data,
                                     expected_version(if_match))
    set_etag(response, row.version)
    return interview_public(row, programme.visit_zone(session, access.cycle))


@router.delete("/cycles/{cycle_id}/interviews/{interview_id}", status_code=204)
def delete_interview(access: ApiCycle, interview_id: PathId, session: SessionDep, if_match: IfMatch = None):
    """Take an interview out (409 when it holds notes)."""
    programme.delete_interview(session, access.rights, access.cycle, interview_id, expected_version(if_match))
    return Response(status_code=204)
