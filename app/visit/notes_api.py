"""The visit's notes and hypotheses as JSON: the contract's ``PUT …/interviews/{id}/notes``
(the caller's first note of the interview), grown with the interview's notes, more notes
per author, the cycle's notes by indicator, and the hypotheses' states."""
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from app.cycles.deps import ApiCycle
from app.db import SessionDep
from app.etag import expected_version, set_etag
from app.ids import PathId
from app.visit import hypotheses, notes
from app.visit.notes_schemas import CycleNotePublic, HypothesisPublic, HypothesisWrite, NotePublic, NoteWrite

router = APIRouter(tags=["visit"])
IfMatch = Annotated[str | None, Header()]


@router.put("/cycles/{cycle_id}/interviews/{interview_id}/notes", response_model=NotePublic)
def put_first_note(access: ApiCycle, interview_id: PathId, data: NoteWrite, session: SessionDep, response: Response,
                   if_match: IfMatch = None):
    """The caller's first note of the interview (created if they have none; ``If-Match: "0"``
    creates it only then): the interview's peers and the team leader, during the visit."""
    note = notes.write_first_note(session, access.rights, access.cycle, interview_id, data, expected_version(if_match))
    set_etag(response, note.version)
    return note.public()


@router.get("/cycles/{cycle_id}/interviews/{interview_id}/notes", response_model=list[NotePublic])
def get_interview_notes(access: ApiCycle, interview_id: PathId, session: SessionDep):
    """Every note of the interview, each signed, oldest first (the team and coordinators)."""
    return [n.public() for n in notes.interview_notes(session, access.rights, access.cycle, interview_id)]


@router.post("/cycles/{cycle_id}/interviews/{interview_id}/notes", response_model=NotePublic, status_code=201)
def post_note(access: ApiCycle, interview_id: PathId, data: NoteWrite, session: SessionDep, response: Response):
    """Another note of the caller's in the interview."""
    note = notes.add_note(session, access.rights, access.cycle, interview_id, data)
    set_etag(response, note.version)
    return note.public()


@router.put("/cycles/{cycle_id}/interviews/{interview_id}/notes/{note_id}", response_model=NotePublic)
def put_note(access: ApiCycle, interview_id: PathId, note_id: PathId, data: NoteWrite, session: SessionDep,
             response: Response, if_match: IfMatch = None):
    """One of the caller's notes (its author only)."""
    note = notes.write_note(session, access.rights, access.cycle, interview_id, note_id, data,
                            expected_version(if_match))
    set_etag(response, note.version)
    return note.public()


@router.get("/cycles/{cycle_id}/notes", response_model=list[CycleNotePublic])
def get_cycle_notes(access: ApiCycle, session: SessionDep,
                    indicator: Annotated[str | None, Query(max_length=20)] = None):
    """The cycle's notes in the programme's order, each with its interview; ``?indicator=CODE``:
    those tagged to that indicator."""
    return [n.cycle_public() for n in notes.cycle_notes(session, access.rights, access.cycle, indicator)]


@router.get("/cycles/{cycle_id}/hypotheses", response_model=list[HypothesisPublic])
def get_hypotheses(access: ApiCycle, session: SessionDep):
    """Every reviewer's hypothesis (of a submitted review), indicator by indicator, with its
    state (``open`` and version 0 while never settled)."""
    return [h.public() for h in hypotheses.team_hypotheses(session, access.rights, access.cycle)]


@router.put("/cycles/{cycle_id}/hypotheses/{reviewer_id}/{code}", response_model=HypothesisPublic)
def put_hypothesis(access: ApiCycle, reviewer_id: PathId, code: str, data: HypothesisWrite, session: SessionDep,
                   response: Response, if_match: IfMatch = None):
    """``{"state": "open"|"confirmed"|"refuted", "note_ids", "comment"}``: the hypothesis' author or
    the team leader, during the visit; ``note_ids`` must be notes of this cycle."""
    view = hypotheses.settle(session, access.rights, access.cycle, reviewer_id, code, data,
                             expected_version(if_match))
    set_etag(response, view.version)
    return view.public()
