"""Review cycles: the contract's JSON routes."""
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.auth.deps import ApiCoordinator, ApiUser
from app.auth.permissions import can_manage_network
from app.cycles import service
from app.cycles.deps import ApiCycle, ApiCycleChange
from app.cycles.schemas import CycleCreate, CyclePublic, CycleUpdate, MemberCreate, MemberPublic, PhaseChange
from app.db import SessionDep
from app.etag import expected_version, set_etag
from app.ids import PathId
from app.people.tables import User

router = APIRouter(tags=["cycles"])
IfMatch = Annotated[str | None, Header()]


def cycle_public(view: service.CycleView, reader: User) -> CyclePublic:
    """The cycle as ``reader`` may see it: members' confirmed conflicts for coordinators only."""
    c = view.cycle
    show_conflicts = can_manage_network(reader)
    return CyclePublic(
        id=c.id, title=c.title, host_city_id=c.host_city_id, host_city_name=view.host_city.name,
        indicator_set_version=c.indicator_set_version, phase=c.phase, version=c.version,
        deadlines=view.deadlines, deadline=view.deadline, my_role=view.my_role,
        members=[MemberPublic(user_id=u.id, role=m.role, full_name=u.full_name, city_id=u.city_id,
                              confirmed_conflicts=(m.confirmed_conflicts or []) if show_conflicts else None)
                 for m, u in view.members],
    )


def _answer(session, cycle, user, response: Response) -> CyclePublic:
    set_etag(response, cycle.version)
    return cycle_public(service.view_cycle(session, cycle, user), user)


@router.get("/cycles", response_model=list[CyclePublic])
def list_cycles(session: SessionDep, user: ApiUser):
    return [cycle_public(v, user) for v in service.visible_cycles(session, user)]


@router.post("/cycles", status_code=201, response_model=CyclePublic)
def create_cycle(data: CycleCreate, session: SessionDep, actor: ApiCoordinator, response: Response):
    return _answer(session, service.create_cycle(session, actor, data), actor, response)


@router.get("/cycles/{cycle_id}", response_model=CyclePublic)
def get_cycle(access: ApiCycle, session: SessionDep, response: Response):
    return _answer(session, access.cycle, access.user, response)


@router.patch("/cycles/{cycle_id}", response_model=CyclePublic)
def update_cycle(access: ApiCycleChange, data: CycleUpdate, session: SessionDep, response: Response,
                 if_match: IfMatch = None):
    cycle = service.update_cycle(session, access.rights, access.cycle, data, expected_version(if_match))
    return _answer(session, cycle, access.user, response)


@router.post("/cycles/{cycle_id}/members", status_code=201, response_model=CyclePublic)
def add_member(access: ApiCycleChange, data: MemberCreate, session: SessionDep, response: Response):
    """Add a member. A peer with conflicts of interest (same country as the host city, or
    from a city the host city has reviewed) answers 409 with ``conflicts: [{"kind",
    "message"}]`` and is not added, unless ``confirm_conflicts`` is true."""
    service.add_member(session, access.rights, access.cycle, data)
    return _answer(session, access.cycle, access.user, response)


@router.delete("/cycles/{cycle_id}/members/{user_id}", response_model=CyclePublic)
def remove_member(access: ApiCycleChange, user_id: PathId, session: SessionDep, response: Response):
    service.remove_member(session, access.rights, access.cycle, user_id)
    return _answer(session, access.cycle, access.user, response)


@router.post("/cycles/{cycle_id}/phase", response_model=CyclePublic)
def change_phase(access: ApiCycleChange, data: PhaseChange, session: SessionDep, response: Response,
                 if_match: IfMatch = None):
    cycle = service.change_phase(session, access.rights, access.cycle, data.phase, expected_version(if_match),
                                 data.override_reason)
    return _answer(session, cycle, access.user, response)
