"""The cycle dependencies: load the cycle with the caller's role and rights, once per request.

A cycle the caller may not see answers 404. A request that may write locks the cycle's
row for its transaction, so that the phase it was allowed in cannot change under it:
shared (``FOR SHARE``) for writes within the cycle, exclusive (``FOR UPDATE``) for the
writes that change the cycle itself (its phase, title, deadlines, team). SQLite needs no
row lock: a writing request holds the database's write lock from its first statement
(``app/db.py``).
"""
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from sqlalchemy import and_
from sqlmodel import Session, col, select

from benchmark.scales import CycleRole, Phase, ReportStatus

from app.auth import permissions
from app.auth.deps import ApiUser, PageUser, reader
from app.cycles.tables import Cycle, CycleMember
from app.db import UNSAFE_METHODS, SessionDep
from app.errors import NotFound
from app.i18n import N_
from app.ids import PathId, id_of
from app.people.tables import User
from app.reviews.tables import PreparatoryReview
from app.self_assessment.tables import SelfAssessment

Lock = Literal["none", "share", "exclusive"]


@dataclass
class CycleAccess:
    """A cycle the user may see, and what they may do in it."""

    cycle: Cycle
    rights: permissions.CycleRights

    @property
    def user(self) -> User:
        return self.rights.user

    @property
    def role(self) -> CycleRole | None:
        return self.rights.role


def load_cycle_access(session: Session, user: User, cycle_id: int, lock: Lock = "none") -> CycleAccess:
    """The cycle, the caller's role, the report's status and their own review's, in one query;
    404 if unseen."""
    query = (
        select(Cycle, CycleMember.role, SelfAssessment.status, PreparatoryReview.status)
        .outerjoin(CycleMember, and_(col(CycleMember.cycle_id) == Cycle.id, col(CycleMember.user_id) == user.id))
        .outerjoin(SelfAssessment, col(SelfAssessment.cycle_id) == Cycle.id)
        .outerjoin(PreparatoryReview, and_(col(PreparatoryReview.cycle_id) == Cycle.id,
                                           col(PreparatoryReview.reviewer_id) == user.id))
        .where(Cycle.id == cycle_id)
        .execution_options(populate_existing=True)
    )
    if lock != "none":
        query = query.with_for_update(read=lock == "share", of=Cycle)
    row = session.exec(query).first()
    role = CycleRole(row[1]) if row and row[1] else None
    if row is None or not permissions.can_view_cycle(user, role):
        raise NotFound(N_("No review cycle %(id)s."), id=cycle_id)
    cycle, _role, status, review_status = row
    rights = permissions.CycleRights(user=user, cycle_id=id_of(cycle), role=role, phase=Phase(cycle.phase),
                                     report_status=ReportStatus(status or ReportStatus.DRAFT),
                                     review_status=ReportStatus(review_status) if review_status else None)
    return CycleAccess(cycle, rights)


def _lock_for(request: Request) -> Lock:
    return "share" if request.method in UNSAFE_METHODS else "none"


def api_cycle(request: Request, cycle_id: PathId, session: SessionDep, user: ApiUser) -> CycleAccess:
    return load_cycle_access(session, user, cycle_id, _lock_for(request))


def api_cycle_change(cycle_id: PathId, session: SessionDep, user: ApiUser) -> CycleAccess:
    return load_cycle_access(session, user, cycle_id, "exclusive")


def page_cycle(request: Request, cycle_id: PathId, session: SessionDep, user: PageUser) -> CycleAccess:
    return load_cycle_access(session, user, cycle_id, _lock_for(request))


def page_cycle_change(cycle_id: PathId, session: SessionDep, user: PageUser) -> CycleAccess:
    return load_cycle_access(session, user, cycle_id, "exclusive")


def reader_cycle(cycle_id: PathId, session: SessionDep, user: Annotated[User, Depends(reader)]) -> CycleAccess:
    return load_cycle_access(session, user, cycle_id)


ApiCycle = Annotated[CycleAccess, Depends(api_cycle)]
#: For the writes that change the cycle itself: its phase, title, deadlines and team.
ApiCycleChange = Annotated[CycleAccess, Depends(api_cycle_change)]
PageCycle = Annotated[CycleAccess, Depends(page_cycle)]
PageCycleChange = Annotated[CycleAccess, Depends(page_cycle_change)]
ReaderCycle = Annotated[CycleAccess, Depends(reader_cycle)]
