"""The preparatory review: the contract's JSON routes (one's own review, the team's
submitted reviews, the consolidation), and what the team leader needs beside them
(progress, one reviewer's review, reopening)."""
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.cycles.deps import ApiCycle
from app.db import SessionDep
from app.etag import expected_version, set_etag
from app.ids import PathId
from app.reviews import service
from app.reviews.schemas import ReviewEntryPublic, ReviewEntryWrite, ReviewPublic, ReviewReopen, TeamProgress

router = APIRouter(tags=["preparatory review"])
IfMatch = Annotated[str | None, Header()]


@router.get("/cycles/{cycle_id}/reviews/me", response_model=ReviewPublic)
def get_own_review(access: ApiCycle, session: SessionDep):
    """One's own review (a peer's or the team leader's), all indicators, written or not."""
    return service.own_review(session, access.rights, access.cycle).public()


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
