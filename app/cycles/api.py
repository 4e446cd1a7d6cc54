"""Review cycles: the contract's JSON routes."""
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.ids import PathId
from app.auth.deps import ApiCoordinator, ApiCycle, ApiUser, SessionDep
from app.cycles import service
from app.cycles.schemas import CycleCreate, CyclePublic, CycleUpdate, MemberCreate, MemberPublic, PhaseChange
from app.etag import set_etag

router = APIRouter(tags=["cycles"])
IfMatch = Annotated[str | None, Header()]


def cycle_public(view: service.CycleView) -> CyclePublic:
    c = view.cycle
    return CyclePublic(
        id=c.id, title=c.title, host_city_id=c.host_city_id, host_city_name=view.host_city.name,
        indicator_set_version=c.indicator_set_version, phase=c.phase, version=c.version,
        deadlines=view.deadlines, deadline=view.deadline, my_role=view.my_role,
        members=[MemberPublic(user_id=u.id, role=m.role, full_name=u.full_name, city_id=u.city_id)
                 for m, u in view.members],
    )


def _answer(session, cycle, user, response: Response) -> CyclePublic:
    set_etag(response, cycle.version)
    return cycle_public(service.view_cycle(session, cycle, user))


@router.get("/cycles", response_model=list[CyclePublic])
def list_cycles(session: SessionDep, user: ApiUser):
    return [cycle_public(v) for v in service.visible_cycles(session, user)]


@router.post("/cycles", status_code=201, response_model=CyclePublic)
def create_cycle(data: CycleCreate, session: SessionDep, actor: ApiCoordinator, response: Response):
    return _answer(session, service.create_cycle(session, actor, data), actor, response)


@router.get("/cycles/{cycle_id}", response_model=CyclePublic)
def get_cycle(access: ApiCycle, session: SessionDep, response: Response):
    return _answer(session, access.cycle, access.user, response)


@router.patch("/cycles/{cycle_id}", response_model=CyclePublic)
def update_cycle(access: ApiCycle, data: CycleUpdate, session: SessionDep, actor: ApiCoordinator,
                 response: Response, if_match: IfMatch = None):
    return _answer(session, service.update_cycle(session, actor, access.cycle, data, if_match), actor, response)


@router.post("/cycles/{cycle_id}/members", status_code=201, response_model=CyclePublic)
def add_member(access: ApiCycle, data: MemberCreate, session: SessionDep, actor: ApiCoordinator, response: Response):
    service.add_member(session, actor, access.cycle, data)
    return _answer(session, access.cycle, actor, response)


@router.delete("/cycles/{cycle_id}/members/{user_id}", response_model=CyclePublic)
def remove_member(access: ApiCycle, user_id: PathId, session: SessionDep, actor: ApiCoordinator, response: Response):
    service.remove_member(session, actor, access.cycle, user_id)
    return _answer(session, access.cycle, actor, response)


@router.post("/cycles/{cycle_id}/phase", response_model=CyclePublic)
def change_phase(access: ApiCycle, data: PhaseChange, session: SessionDep, response: Response,
                 if_match: IfMatch = None):
    cycle = service.change_phase(session, access.user, access.role, access.cycle, data.phase, if_match)
    return _answer(session, cycle, access.user, response)
