"""My cycles; a cycle's page; the coordinator's forms for cycles, members, phases."""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request

from benchmark.scales import CycleRole, Phase

from app.ids import PathId
from app.auth import permissions
from app.auth.deps import PageCoordinator, PageCycle, PageUser, SessionDep
from app.cycles import service
from app.cycles.schemas import CycleCreate, CycleUpdate, MemberCreate, PhaseChange
from app.errors import DomainError
from app.people.service import list_cities, list_users
from app.web import error_message, parse_form, redirect, render

router = APIRouter()


@router.get("/")
def my_cycles(request: Request, session: SessionDep, user: PageUser):
    return render(request, "my_cycles.html", cycles=service.visible_cycles(session, user), phases=list(Phase))


def _new_cycle_page(request, session, status_code=200, **context):
    return render(request, "cycle_new.html", status_code=status_code, cities=list_cities(session),
                  phases=list(Phase), **context)


@router.get("/admin/cycles/new")
def new_cycle_page(request: Request, session: SessionDep, _actor: PageCoordinator):
    return _new_cycle_page(request, session, form={})


@router.post("/admin/cycles/new")
async def create_cycle(request: Request, session: SessionDep, actor: PageCoordinator):
    form = dict(await request.form())
    try:
        deadlines = {p.value: form[f"deadline_{p.value}"] for p in Phase if form.get(f"deadline_{p.value}")}
        data = parse_form(CycleCreate, {"title": form.get("title", ""), "host_city_id": form.get("host_city_id"),
                                        "deadlines": deadlines})
        cycle = service.create_cycle(session, actor, data)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _new_cycle_page(request, session, exc.status, form=form, error=message, errors=errors)
    return redirect(f"/cycles/{cycle.id}")


def _cycle_page(request, session, access, status_code=200, **context):
    view = service.view_cycle(session, access.cycle, access.user)
    member_ids = {u.id for _, u in view.members}
    current = Phase(access.cycle.phase)
    return render(
        request, "cycle.html", status_code=status_code, view=view, phases=list(Phase), current=current,
        roles=list(CycleRole),
        can_manage=permissions.can_manage_network(access.user),
        can_change_phase=permissions.can_change_phase(access.user, access.role, current),
        can_move_back=permissions.can_move_phase_back(access.user),
        candidates=[u for u in list_users(session) if u.id not in member_ids and u.is_active]
        if permissions.can_manage_network(access.user) else [],
        cities={c.id: c.name for c in list_cities(session)},
        **context,
    )


@router.get("/cycles/{cycle_id}")
def cycle_page(request: Request, session: SessionDep, access: PageCycle):
    return _cycle_page(request, session, access)


def _form_action(request, session, access, action):
    """Run a cycle form's service call; on refusal show the cycle page with the reason."""
    try:
        action()
    except DomainError as exc:
        message, errors = error_message(request, exc)
        session.rollback()
        return _cycle_page(request, session, access, exc.status, error=message, errors=errors)
    return redirect(f"/cycles/{access.cycle.id}")


@router.post("/cycles/{cycle_id}/members")
def add_member(request: Request, session: SessionDep, access: PageCycle, actor: PageCoordinator,
               user_id: Annotated[str, Form()] = "", role: Annotated[str, Form()] = ""):
    return _form_action(request, session, access, lambda: service.add_member(
        session, actor, access.cycle, parse_form(MemberCreate, {"user_id": user_id, "role": role})))


@router.post("/cycles/{cycle_id}/members/{user_id}/remove")
def remove_member(request: Request, session: SessionDep, access: PageCycle, actor: PageCoordinator, user_id: PathId):
    return _form_action(request, session, access, lambda: service.remove_member(session, actor, access.cycle, user_id))


@router.post("/cycles/{cycle_id}/phase")
def change_phase(request: Request, session: SessionDep, access: PageCycle,
                 phase: Annotated[str, Form()] = "", version: Annotated[str, Form()] = ""):
    return _form_action(request, session, access, lambda: service.change_phase(
        session, access.user, access.role, access.cycle, parse_form(PhaseChange, {"phase": phase}).phase,
        version or None))


@router.post("/cycles/{cycle_id}/edit")
async def edit_cycle(request: Request, session: SessionDep, access: PageCycle, actor: PageCoordinator):
    form = dict(await request.form())
    deadlines: dict[str, date | None] = {p.value: form.get(f"deadline_{p.value}") or None for p in Phase}
    return _form_action(request, session, access, lambda: service.update_cycle(
        session, actor, access.cycle, parse_form(CycleUpdate, {"title": form.get("title", ""), "deadlines": deadlines}),
        form.get("version") or None))
