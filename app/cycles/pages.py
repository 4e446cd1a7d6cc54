"""My cycles; a cycle's page; the coordinator's forms for cycles, members, phases."""
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request

from benchmark.scales import CycleRole, Phase

from app.auth.deps import PageCoordinator, PageUser
from app.auth.permissions import can_manage_network
from app.cycles import service
from app.cycles.conflicts import KIND_LABELS, ConflictsToConfirm
from app.cycles.deps import CycleAccess, PageCycle, PageCycleChange
from app.cycles.panels import next_steps, panels
from app.cycles.schemas import CycleCreate, CycleUpdate, MemberCreate, PhaseChange
from app.cycles.transitions import unmet_conditions
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import PathId
from app.labels import PHASES
from app.people.service import list_cities, list_users
from app.people.tables import User
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()


@router.get("/")
def my_cycles(request: Request, session: SessionDep, user: PageUser):
    cycles = service.visible_cycles(session, user)
    return render(request, "cycles/my_cycles.html", cycles=cycles, phases=list(Phase),
                  next_steps=next_steps(session, user, cycles, gettext_for(request_language(request))))


def _new_cycle_page(request, session, status_code=200, form=None, **context):
    return render(request, "cycles/cycle_new.html", status_code=status_code, cities=list_cities(session),
                  phases=list(Phase), form=form or {}, cycle_form=form or {}, **context)


@router.get("/admin/cycles/new")
def new_cycle_page(request: Request, session: SessionDep, _actor: PageCoordinator):
    return _new_cycle_page(request, session, form={})


@router.post("/admin/cycles/new")
def create_cycle(request: Request, session: SessionDep, actor: PageCoordinator, form: FormFields):
    def create():
        deadlines = {p.value: form[f"deadline_{p.value}"] for p in Phase if form.get(f"deadline_{p.value}")}
        data = parse_form(CycleCreate, {"title": form.get("title", ""), "host_city_id": form.get("host_city_id"),
                                        "deadlines": deadlines})
        cycle = service.create_cycle(session, actor, data)
        return redirect(f"/cycles/{cycle.id}", Flash(N_("Cycle created: add its team below.")), request)

    return run_form(request, session, create, lambda status, error, errors: _new_cycle_page(
        request, session, status, form=form, error=error, errors=errors))


def _step(access: CycleAccess, offset: int) -> Phase | None:
    """The phase one step away, if the caller may move the cycle there."""
    phases = list(Phase)
    index = access.rights.phase.order + offset
    if not 0 <= index < len(phases):
        return None
    return phases[index] if access.rights.change_phase(phases[index]) is True else None


def _cycle_page(request, session, access: CycleAccess, status_code=200, typed=None, **context):
    """The cycle's page; ``typed``: what was typed in its "Title and deadlines" form, shown
    again when that form was refused (otherwise the form shows what is stored)."""
    view = service.view_cycle(session, access.cycle, access.user)
    member_ids = {u.id for _, u in view.members}
    can_edit = access.rights.edit_cycle() is True
    move_on_to = _step(access, +1)
    # What a forward move still needs: the button is offered only when nothing blocks it,
    # or with a reason field to a coordinator who may override every blocking condition.
    blocked = [(message, params, condition.overridable) for condition, message, params
               in unmet_conditions(session, access.cycle, access.rights.phase, move_on_to)] if move_on_to else []
    may_override = bool(blocked) and all(o for *_m, o in blocked) and (
        access.rights.override_phase_condition() is True)
    return render(
        request, "cycles/cycle.html", status_code=status_code, view=view, phases=list(Phase),
        current=access.rights.phase, roles=list(CycleRole), rights=access.rights, can_edit=can_edit,
        back_to=_step(access, -1), move_on_to=move_on_to, blocked=blocked, may_override=may_override,
        cycle=access.cycle, panels=panels(session, access),
        show_conflicts=can_manage_network(access.user), conflict_labels=KIND_LABELS,
        candidates=[u for u in list_users(session) if u.id not in member_ids and u.is_active] if can_edit else [],
        cities={c.id: c.name for c in list_cities(session)},
        cycle_form=typed or {f"deadline_{p.value}": due.isoformat() for p, due in view.deadlines.items()},
        **context,
    )


@router.get("/cycles/{cycle_id}")
def cycle_page(request: Request, session: SessionDep, access: PageCycle):
    return _cycle_page(request, session, access)


def _cycle_form(request, session, access: CycleAccess, action, done: Callable[[], Flash], typed=None):
    """Run a cycle form's service call, then back to the cycle saying ``done()``; a refusal
    is shown there (with ``typed``, the fields as typed, for the title and deadlines)."""
    def run():
        action()
        return redirect(f"/cycles/{access.cycle.id}", done(), request)

    return run_form(request, session, run, lambda status, error, errors: _cycle_page(
        request, session, access, status, typed=typed, error=error, errors=errors))


@router.post("/cycles/{cycle_id}/members")
def add_member(request: Request, session: SessionDep, access: PageCycleChange,
               user_id: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
               confirm_conflicts: Annotated[str, Form()] = ""):
    """``confirm_conflicts``: "yes" from the confirmation that lists a peer's conflicts of
    interest. Without it, a peer who has some is not added: the cycle page lists them and
    asks (409, like the API)."""
    def add():  # inside the form's run: a bad field is shown on the cycle page, not as an error page
        data = parse_form(MemberCreate, {"user_id": user_id, "role": role,
                                         "confirm_conflicts": confirm_conflicts == "yes"})
        try:
            member = service.add_member(session, access.rights, access.cycle, data)
        except ConflictsToConfirm as warned:
            session.rollback()  # nothing was written; as for any refusal, the page is read afresh
            return _cycle_page(request, session, access, warned.status, to_confirm=warned, to_confirm_role=data.role)
        name = _name(session, data.user_id)
        if member.confirmed_conflicts:
            flash = Flash(N_("%(name)s joined the team; the conflicts of interest you confirmed are recorded."),
                          name=name)
        else:
            flash = Flash(N_("%(name)s joined the team."), name=name)
        return redirect(f"/cycles/{access.cycle.id}", flash, request)

    return run_form(request, session, add, lambda status, error, errors: _cycle_page(
        request, session, access, status, error=error, errors=errors))


@router.post("/cycles/{cycle_id}/members/{user_id}/remove")
def remove_member(request: Request, session: SessionDep, access: PageCycleChange, user_id: PathId):
    name = _name(session, user_id)
    return _cycle_form(request, session, access, lambda: service.remove_member(
        session, access.rights, access.cycle, user_id), lambda: Flash(N_("%(name)s left the team."), name=name))


@router.post("/cycles/{cycle_id}/phase")
def change_phase(request: Request, session: SessionDep, access: PageCycleChange,
                 phase: Annotated[str, Form()] = "", version: Annotated[str, Form()] = "",
                 reason: Annotated[str, Form()] = ""):
    """``reason``: a coordinator's reason for moving on although a condition is not met."""
    def move():
        data = parse_form(PhaseChange, {"phase": phase, "override_reason": reason.strip() or None})
        service.change_phase(session, access.rights, access.cycle, data.phase, expected_version(version or None),
                             data.override_reason)

    return _cycle_form(request, session, access, move,
        lambda: Flash(N_("The cycle is now in the phase: %(phase)s."), translate=("phase",),
                      phase=PHASES.get(phase, phase)))


@router.post("/cycles/{cycle_id}/edit")
def edit_cycle(request: Request, session: SessionDep, access: PageCycleChange, form: FormFields):
    deadlines = {p.value: form.get(f"deadline_{p.value}") or None for p in Phase}
    return _cycle_form(request, session, access, lambda: service.update_cycle(
        session, access.rights, access.cycle,
        parse_form(CycleUpdate, {"title": form.get("title", ""), "deadlines": deadlines}),
        expected_version(form.get("version") or None)), lambda: Flash(N_("Title and deadlines saved.")),
        typed={k: v for k, v in form.items() if k == "title" or k.startswith("deadline_")})


def _name(session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user else ""


def show_cycle_page(request, session, access: CycleAccess, status_code: int = 200, **context):
    """The cycle page, for a part of the cycle whose panel's form was refused: with the
    refusal (``error``, ``errors``) shown on it."""
    return _cycle_page(request, session, access, status_code, **context)
