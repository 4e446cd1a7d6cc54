"""Review cycles: creating them, their teams, and moving them through the phases.

What acts within a cycle takes the caller's :class:`CycleRights` (built by
``app/cycles/deps.py``, with the cycle's row locked for writes) and requires the right it
needs. Nothing here commits: the request does.
"""
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from benchmark.scales import CycleRole, Phase, SetStatus

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights, require
from app.cycles.conflicts import ConflictsToConfirm, member_conflicts
from app.cycles.schemas import CycleCreate, CycleUpdate, MemberCreate
from app.cycles.tables import Cycle, CycleMember, PhaseDeadline
from app.cycles.transitions import unmet_conditions
from app.errors import Conflict, NotFound, field_error, fields_error
from app.etag import check_version
from app.i18n import N_, Phrase
from app.ids import id_of
from app.indicators.service import current_version, set_exists
from app.labels import PHASES
from app.people.tables import City, User
from app.versioning import bump_version


@dataclass
class CycleView:
    """A cycle with what its pages and the API show, loaded in a fixed number of queries."""

    cycle: Cycle
    host_city: City
    members: list[tuple[CycleMember, User]]
    deadlines: dict[Phase, date]
    my_role: CycleRole | None

    @property
    def deadline(self) -> date | None:
        return self.deadlines.get(Phase(self.cycle.phase))


def visible_cycles(session: Session, user: User) -> list[CycleView]:
    """The cycles ``user`` may see, newest first, with members and deadlines (3 queries)."""
    query = (select(Cycle, City).join(City, col(City.id) == Cycle.host_city_id)
             .order_by(col(Cycle.created_at).desc(), col(Cycle.id).desc()))
    if not user.is_coordinator:
        query = query.join(CycleMember, col(CycleMember.cycle_id) == Cycle.id).where(CycleMember.user_id == user.id)
    rows = list(session.exec(query))
    return _views(session, rows, user)


def view_cycle(session: Session, cycle: Cycle, user: User) -> CycleView:
    return _views(session, [(cycle, session.get_one(City, cycle.host_city_id))], user)[0]


def _views(session: Session, rows: list[tuple[Cycle, City]], user: User) -> list[CycleView]:
    ids = [id_of(c) for c, _ in rows]
    members: dict[int, list] = {i: [] for i in ids}
    deadlines: dict[int, dict] = {i: {} for i in ids}
    if ids:
        for m, u in session.exec(
            select(CycleMember, User).join(User, col(User.id) == CycleMember.user_id)
            .where(col(CycleMember.cycle_id).in_(ids)).order_by(CycleMember.role, User.full_name)
        ):
            members[m.cycle_id].append((m, u))
        for d in session.exec(select(PhaseDeadline).where(col(PhaseDeadline.cycle_id).in_(ids))):
            deadlines[d.cycle_id][Phase(d.phase)] = d.due_on
    views = []
    for cycle, city in rows:
        cycle_id = id_of(cycle)
        role = next((CycleRole(m.role) for m, u in members[cycle_id] if u.id == user.id), None)
        views.append(CycleView(cycle, city, members[cycle_id], deadlines[cycle_id], role))
    return views


def _cycle_snapshot(session: Session, cycle: Cycle) -> dict:
    data = snapshot(cycle)
    data["deadlines"] = {
        d.phase: d.due_on.isoformat()
        for d in session.exec(select(PhaseDeadline).where(PhaseDeadline.cycle_id == cycle.id))
    }
    return data


def _deadlines_of(session: Session, cycle_id: int) -> dict[Phase, date | None]:
    rows = session.exec(select(PhaseDeadline).where(PhaseDeadline.cycle_id == cycle_id))
    return {Phase(d.phase): d.due_on for d in rows}


def _set_deadlines(session: Session, cycle_id: int, deadlines: Mapping[Phase, date | None]) -> None:
    for phase, due in deadlines.items():
        existing = session.get(PhaseDeadline, (cycle_id, phase.value))
        if due is None:
            if existing is not None:
                session.delete(existing)
        elif existing is None:
            session.add(PhaseDeadline(cycle_id=cycle_id, phase=phase.value, due_on=due))
        else:
            existing.due_on = due
            session.add(existing)


ENDS_BEFORE_PREVIOUS = N_("The deadline of \"%(phase)s\", %(date)s, is before that of \"%(previous)s\", "
                         "%(previous_date)s, the phase before it: choose %(previous_date)s or later.")
ENDS_AFTER_NEXT = N_("The deadline of \"%(previous)s\", %(previous_date)s, is after that of \"%(phase)s\", "
                     "%(date)s, the phase after it: choose %(date)s or earlier.")


def check_deadline_order(deadlines: Mapping[Phase, date | None], changed: Collection[Phase]) -> None:
    """Refuse (422) deadlines out of the phases' order: each phase's deadline is on or after
    the deadline of the nearest earlier phase that has one (equal dates are allowed, a phase
    may be skipped). Each pair out of order is one error, its ``loc`` ``["deadlines",
    <phase>]`` naming the later phase, or the earlier one when only that one is being
    changed (``changed``): the field to correct is the one just typed. The message names
    both phases and both dates, in the reader's language."""
    errors = []
    previous: tuple[Phase, date] | None = None
    for phase in Phase:  # in the cycle's order
        due = deadlines.get(phase)
        if due is None:
            continue
        if previous is not None and due < previous[1]:
            blame_earlier = previous[0] in changed and phase not in changed
            errors.append({
                "loc": ["deadlines", (previous[0] if blame_earlier else phase).value],
                "msg": ENDS_AFTER_NEXT if blame_earlier else ENDS_BEFORE_PREVIOUS,
                "params": {"phase": Phrase(PHASES[phase.value]), "date": due,
                           "previous": Phrase(PHASES[previous[0].value]), "previous_date": previous[1]},
            })
        previous = (phase, due)
    if errors:
        raise fields_error(errors)


def create_cycle(session: Session, actor: User, data: CycleCreate) -> Cycle:
    if session.get(City, data.host_city_id) is None:
        raise field_error(["host_city_id"], N_("No city %(id)s."), id=data.host_city_id)
    check_deadline_order(data.deadlines, changed=set(data.deadlines))
    version = data.indicator_set_version
    if version is None:
        version = current_version(session)
        if version is None:
            raise Conflict(N_("No approved indicator set is loaded."))
    else:
        row = set_exists(session, version)
        if row is None or row.status == SetStatus.RETIRED.value:
            raise field_error(["indicator_set_version"], N_("No usable indicator set version %(version)s."),
                              version=version)
    cycle = Cycle(title=data.title, host_city_id=data.host_city_id, indicator_set_version=version,
                  phase=Phase.SELF_ASSESSMENT.value)
    session.add(cycle)
    session.flush()
    _set_deadlines(session, id_of(cycle), data.deadlines)
    session.flush()
    record(session, actor.id, "create", "cycle", cycle.id, None, _cycle_snapshot(session, cycle))
    session.flush()
    return cycle


def update_cycle(session: Session, rights: CycleRights, cycle: Cycle, data: CycleUpdate,
                 expected_version: int | None) -> Cycle:
    """Title and deadlines; 412 when ``expected_version`` is not the cycle's."""
    check_version(expected_version, cycle.version)  # a stale request is told so first (RFC 9110 13.2.2)
    require(rights.edit_cycle())
    before = _cycle_snapshot(session, cycle)
    if data.title is not None:
        cycle.title = data.title
    if data.deadlines:
        current = _deadlines_of(session, id_of(cycle))
        merged = {**current, **data.deadlines}
        check_deadline_order(merged, changed={p for p, due in data.deadlines.items() if current.get(p) != due})
        _set_deadlines(session, id_of(cycle), data.deadlines)
    bump_version(cycle)
    session.add(cycle)
    session.flush()
    record(session, rights.user.id, "update", "cycle", cycle.id, before, _cycle_snapshot(session, cycle))
    return cycle


def add_member(session: Session, rights: CycleRights, cycle: Cycle, data: MemberCreate) -> CycleMember:
    """Add a member; a peer or team leader may not come from the host city, a host
    officer must; one role per person, one team leader per cycle (409 otherwise).

    A peer or team leader with conflicts of interest (``app/cycles/conflicts.py``: same
    country as the host city, or from a city the host city has reviewed) is added only
    with ``data.confirm_conflicts``; otherwise :class:`ConflictsToConfirm` (409 listing
    them), before anything is written. Confirmed conflicts are kept with the member
    (``confirmed_conflicts``, their kinds) and in the audit entry (kinds and messages)."""
    require(rights.edit_cycle())
    user = session.get(User, data.user_id)
    if user is None:
        raise field_error(["user_id"], N_("No person %(id)s."), id=data.user_id)
    if session.exec(
        select(CycleMember).where(CycleMember.cycle_id == cycle.id, CycleMember.user_id == user.id)
    ).first():
        raise Conflict(N_("%(name)s is already a member of this cycle."), name=user.full_name)
    from_host = user.city_id == cycle.host_city_id
    if data.role == CycleRole.HOST_OFFICER and not from_host:
        raise Conflict(N_("A host officer must work for the host city."))
    if data.role in (CycleRole.PEER, CycleRole.TEAM_LEADER) and from_host:
        raise Conflict(N_("A peer may not come from the host city."))
    if data.role == CycleRole.TEAM_LEADER and session.exec(
        select(CycleMember).where(CycleMember.cycle_id == cycle.id, CycleMember.role == CycleRole.TEAM_LEADER.value)
    ).first():
        raise Conflict(N_("This cycle already has a team leader."))
    conflicts = member_conflicts(session, cycle, user) if data.role != CycleRole.HOST_OFFICER else []
    if conflicts and not data.confirm_conflicts:
        raise ConflictsToConfirm(user, conflicts)
    member = CycleMember(cycle_id=id_of(cycle), user_id=id_of(user), role=data.role.value,
                         confirmed_conflicts=list(dict.fromkeys(c.kind.value for c in conflicts)) or None)
    session.add(member)
    try:
        session.flush()
    except IntegrityError:  # added meanwhile by someone else (the checks above raced)
        raise Conflict(N_("This person or a team leader was added to the cycle meanwhile: reload the page.")) from None
    bump_version(cycle)
    after = snapshot(member)
    if conflicts:  # what the coordinator was shown and confirmed
        after["conflicts"] = [c.recorded() for c in conflicts]
    record(session, rights.user.id, "create", "cycle_member", member.id, None, after)
    session.flush()
    return member


def remove_member(session: Session, rights: CycleRights, cycle: Cycle, user_id: int) -> None:
    require(rights.edit_cycle())
    member = session.exec(
        select(CycleMember).where(CycleMember.cycle_id == cycle.id, CycleMember.user_id == user_id)
    ).first()
    if member is None:
        raise NotFound(N_("Person %(id)s is not a member of this cycle."), id=user_id)
    record(session, rights.user.id, "delete", "cycle_member", member.id, snapshot(member), None)
    session.delete(member)
    bump_version(cycle)
    session.flush()


def change_phase(session: Session, rights: CycleRights, cycle: Cycle, target: Phase,
                 expected_version: int | None = None, override_reason: str | None = None) -> Cycle:
    """Take a step of the transition table (``app/cycles/transitions.py``). A forward step
    needs the current phase's exit conditions met; a coordinator may override one that
    allows it, with a reason, which the audit log keeps. 409 naming what is missing."""
    check_version(expected_version, cycle.version)
    require(rights.change_phase(target))
    source = Phase(cycle.phase)
    overridden = []
    for condition, message, params in unmet_conditions(session, cycle, source, target):
        if not (override_reason and condition.overridable):
            raise Conflict(message, **params)
        require(rights.override_phase_condition())
        overridden.append(message % params if params else message)
    before = snapshot(cycle)
    cycle.phase = target.value
    session.add(cycle)
    session.flush()
    after = snapshot(cycle)
    if overridden:
        after = {**after, "override_reason": override_reason, "overridden": overridden}
    record(session, rights.user.id, "phase", "cycle", cycle.id, before, after)
    return cycle


def role_conflicts(session: Session, user_id: int, city_id: int | None) -> list[str]:
    """Titles of the open cycles whose rules ``user_id`` would break by working for ``city_id``
    (a host officer must work for the host city, a peer or team leader must not)."""
    rows = session.exec(
        select(Cycle.title, Cycle.host_city_id, CycleMember.role)
        .join(CycleMember, col(CycleMember.cycle_id) == Cycle.id)
        .where(CycleMember.user_id == user_id, Cycle.phase != Phase.PUBLISHED.value)
    ).all()
    return [title for title, host, role in rows
            if (role == CycleRole.HOST_OFFICER.value) != (city_id == host)]
