"""The final judgements' JSON routes: the contract's ``PUT /cycles/{id}/assessment/{code}``
(the team leader), and the whole assessment beside it."""
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.cycles.deps import ApiCycle
from app.db import SessionDep
from app.etag import expected_version, set_etag
from app.visit import judgements
from app.visit.judgements_schemas import AssessmentPublic, JudgementPublic, JudgementWrite

router = APIRouter(tags=["visit"])
IfMatch = Annotated[str | None, Header()]


@router.get("/cycles/{cycle_id}/assessment", response_model=AssessmentPublic)
def get_assessment(access: ApiCycle, session: SessionDep):
    """Every indicator of the cycle's set with its final judgement (``performance`` null
    while not judged), and how many are judged (the team and coordinators; the host city's
    officer once the report is published)."""
    return judgements.assessment(session, access.rights, access.cycle).public()


@router.put("/cycles/{cycle_id}/assessment/{code}", response_model=JudgementPublic)
def put_judgement(access: ApiCycle, code: str, data: JudgementWrite, session: SessionDep, response: Response,
                  if_match: IfMatch = None):
    """The team leader's final judgement of one indicator, during the visit and the
    reporting. One that departs from the peers' majority needs a ``rationale`` (422
    otherwise); ``If-Match`` with the version read (412 when it changed meanwhile)."""
    entry = judgements.write_judgement(session, access.rights, access.cycle, code, data, expected_version(if_match))
    set_etag(response, entry.version)
    return entry.public()
