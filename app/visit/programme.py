"""The visit programme: generated from the consolidated people to meet, then edited by hand.

The schedule itself is the pure :func:`benchmark.programme.schedule` (CP-SAT); this module
feeds it from the cycle's data and stores its answer. Times are stored in UTC and shown in
the programme's time zone (the host city's when it was generated). Writes lock the
programme's row (``FOR UPDATE`` on PostgreSQL; SQLite's write turn elsewhere), so that two
edits never check their clashes against the same old programme; each interview's own
UPDATE is conditional on its version (If-Match).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from benchmark import programme as scheduler
from benchmark.scales import CycleRole, Phase
from benchmark.text import folded

from app.audit.service import record, snapshot
from app.auth.permissions import Answer, CycleRights, Refusal, require
from app.cycles.tables import Cycle
from app.db import insert_or_ignore
from app.errors import Conflict, NotFound, field_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import City, User
from app.people.zones import city_zone, is_zone
from app.reviews import service as reviews
from app.timeutil import utcnow
from app.visit.schemas import InterviewChange, InterviewWrite, ProgrammeGenerate
from app.visit.tables import Interview, InterviewNote, VisitProgramme

#: The solver's budget, in CP-SAT's deterministic time (the same programme for the same
#: data on any machine), and the wall-clock bound it never passes (see benchmark/programme.py).
SOLVER_WORK_LIMIT = 0.5
SOLVER_TIME_LIMIT = 8.0

#: The reasons someone could not be fitted, as the pages and the API say them.
UNSCHEDULED_REASONS = {
    "too_long": N_("The interview is longer than a day's hours allow."),
    "no_peers": N_("The team has fewer than two reviewers to hold it."),
    "no_room": N_("No room was left in the programme: add a day, lengthen the days or shorten the lunch break."),
}


@dataclass
class ProgrammeView:
    """The programme as it stands: its frame (``None`` before it is first generated), its
    interviews in time order, the time zone they are shown in, and the reviewers by id."""

    frame: VisitProgramme | None
    interviews: list[Interview]
    zone: ZoneInfo
    reviewers: dict[int, User]

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def days(self) -> list[date]:
        """The programme's days and any other day holding an interview, in order."""
        days = {date.fromisoformat(d) for d in (self.frame.days if self.frame else [])}
        days |= {self.local(i.starts_at).date() for i in self.interviews}
        return sorted(days)

    def on(self, day: date, peer: int | None = None) -> list[Interview]:
        return [i for i in self.interviews if self.local(i.starts_at).date() == day
                and (peer is None or peer in i.peers)]

    def load(self) -> dict[int, int]:
        """Minutes of interviews per reviewer (every reviewer, busy or not)."""
        minutes = dict.fromkeys(self.reviewers, 0)
        for i in self.interviews:
            for peer in i.peers:
                minutes[peer] = minutes.get(peer, 0) + minutes_of(i)
        return minutes


def minutes_of(interview: Interview) -> int:
    return int((interview.ends_at - interview.starts_at).total_seconds() // 60)


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def host_zone(session: Session, cycle: Cycle) -> ZoneInfo:
    city = session.get(City, cycle.host_city_id)
    return city_zone(city.country if city else "", city.time_zone if city else None)


def visit_zone(session: Session, cycle: Cycle) -> ZoneInfo:
    """The zone the visit's times are shown in: the programme's, once there is one, else
    the host city's."""
    frame = session.get(VisitProgramme, cycle.id)
    return ZoneInfo(frame.time_zone) if frame is not None and is_zone(frame.time_zone) else host_zone(session, cycle)


def _frame(session: Session, cycle: Cycle) -> VisitProgramme | None:
    return session.exec(select(VisitProgramme).where(VisitProgramme.cycle_id == cycle.id)).first()


def interviews_of(session: Session, cycle: Cycle) -> list[Interview]:
    """The cycle's interviews and workshops, in the programme's order (one query)."""
    return list(session.exec(select(Interview).where(Interview.cycle_id == cycle.id)
                             .order_by(col(Interview.starts_at), col(Interview.id))).all())


def interview_of(session: Session, cycle: Cycle, interview_id: int, lock: bool = False) -> Interview:
    """One interview of ``cycle`` (404 for another cycle's), its row locked if asked."""
    query = select(Interview).where(Interview.id == interview_id, Interview.cycle_id == cycle.id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound(N_("No interview %(id)s in this cycle."), id=interview_id)
    return found


def load_programme(session: Session, cycle: Cycle,
                   team: list[tuple[User, CycleRole]] | None = None) -> ProgrammeView:
    """The programme without asking who reads it (the callers have); ``team``: the cycle's
    reviewers if the caller has read them already (``reviews.reviewers_of``)."""
    frame = _frame(session, cycle)
    zone = ZoneInfo(frame.time_zone) if frame else host_zone(session, cycle)
    reviewers = {id_of(u): u for u, _role in (team if team is not None else reviews.reviewers_of(session, cycle))}
    return ProgrammeView(frame, interviews_of(session, cycle), zone, reviewers)


def programme(session: Session, rights: CycleRights, cycle: Cycle) -> ProgrammeView:
    require(rights.read_programme())
    return load_programme(session, cycle)


def interview(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int) -> Interview:
    require(rights.read_programme())
    return interview_of(session, cycle, interview_id)


def edit_answer(session: Session, rights: CycleRights, cycle: Cycle) -> Answer:
    """May the programme be generated and edited: the team leader, in the preparatory review
    once every review is in, or in the visit (the pages ask it before offering the forms)."""
    answer = rights.edit_programme()
    if answer is True and rights.phase == Phase.PREPARATORY_REVIEW \
            and reviews.unsubmitted_reviews(session, cycle) is not None:
        return Refusal(409, N_("The programme is built from the team's consolidation: every reviewer must have "
                               "submitted their review first."))
    return answer


def _may_edit(session: Session, rights: CycleRights, cycle: Cycle) -> None:
    require(edit_answer(session, rights, cycle))


def _locked_frame(session: Session, cycle: Cycle, zone: str) -> VisitProgramme:
    """The programme's row, created if missing, locked until commit (PostgreSQL; SQLite
    writers take turns already)."""
    insert_or_ignore(session, VisitProgramme, cycle_id=cycle.id, days=[], day_start="09:00", day_end="17:30",
                     lunch_start="12:30", lunch_minutes=60, travel_minutes=0, time_zone=zone, unscheduled=[],
                     version=1)
    return session.exec(select(VisitProgramme).where(VisitProgramme.cycle_id == cycle.id)
                        .with_for_update().execution_options(populate_existing=True)).one()


def with_notes(session: Session, cycle: Cycle) -> set[int]:
    return set(session.exec(select(InterviewNote.interview_id).where(InterviewNote.cycle_id == cycle.id)
                            .group_by(col(InterviewNote.interview_id))))


def _booking(view_zone: ZoneInfo, i: Interview) -> scheduler.Booking:
    """A kept interview as the scheduler's fixed booking, in local wall-clock time: its local
    start plus its length (so that a clock change leaves it as long as it is), cut at the end
    of its day (the scheduler plans within days' hours)."""
    start = i.starts_at.astimezone(view_zone).replace(tzinfo=None)
    end = start + (i.ends_at - i.starts_at)
    end_time = end.time() if end.date() == start.date() else time(23, 59)
    return scheduler.Booking(tuple(i.peers), tuple(folded(p["name"]) for p in i.interviewees),
                             start.date(), start.time(), max(end_time, start.time()))


def generate(session: Session, rights: CycleRights, cycle: Cycle, data: ProgrammeGenerate) -> ProgrammeView:
    """(Re)build the programme from the consolidated people to meet. Interviews added or
    changed by hand, and those that already hold notes, are kept and worked around; the
    other generated ones are replaced."""
    _may_edit(session, rights, cycle)
    zone_name = data.time_zone or host_zone(session, cycle).key
    if not is_zone(zone_name):
        raise field_error(["time_zone"], N_("Unknown time zone: %(zone)s (e.g. Europe/Lisbon)."),
                          zone=zone_name)
    day_start, day_end = _clock(data.day_start), _clock(data.day_end)
    if _minutes(day_end) - _minutes(day_start) < 60:
        raise field_error(["day_end"], N_("The day must end at least an hour after it starts."))
    if len(set(data.days)) != len(data.days):
        raise field_error(["days"], N_("Each day may be given once."))
    if data.lunch_start is not None:
        lunch = _minutes(_clock(data.lunch_start))
        if lunch < _minutes(day_start) or lunch + data.lunch_minutes > _minutes(day_end):
            raise field_error(["lunch_start"], N_("The lunch break must fall within the day's hours."))
    frame = _locked_frame(session, cycle, zone_name)
    zone = ZoneInfo(zone_name)
    before = snapshot(frame)

    team = reviews.team_consolidation(session, rights, cycle)
    consolidation = team.consolidation
    interests: dict[int, set[str]] = {id_of(u): set() for u, _r in reviews.reviewers_of(session, cycle)}
    for item in consolidation.indicators:
        askers = [r for q in item.questions for r in q.asked_by] + [r for p in item.people for r in p.asked_by]
        for reviewer in askers:
            interests.setdefault(reviewer, set()).add(item.code)
    people = {folded(p.name): p for p in consolidation.people_index}

    kept_ids = with_notes(session, cycle)
    existing = interviews_of(session, cycle)
    kept = [i for i in existing if i.origin == "manual" or i.id in kept_ids]
    replaced = [i for i in existing if i not in kept]
    if replaced:
        session.execute(delete(Interview).where(col(Interview.id).in_([i.id for i in replaced])))
    request = scheduler.ProgrammeRequest(
        days=tuple(data.days), day_start=day_start, day_end=day_end,
        people=tuple(scheduler.Person(key, p.name, p.role, p.organisation, p.interpreter, tuple(p.indicators))
                     for key, p in people.items()),
        peers=tuple(scheduler.Peer(peer, frozenset(codes)) for peer, codes in interests.items()),
        lunch_start=_clock(data.lunch_start) if data.lunch_start else None, lunch_minutes=data.lunch_minutes,
        travel_minutes=data.travel_minutes, fixed=tuple(_booking(zone, i) for i in kept),
        work_limit=SOLVER_WORK_LIMIT, time_limit_seconds=SOLVER_TIME_LIMIT)
    planned = scheduler.schedule(request)
    for slot in planned.slots:
        person = people[slot.person_key]
        session.add(Interview(
            cycle_id=id_of(cycle), interviewees=[{"name": person.name, "role": person.role,
                                                  "organisation": person.organisation}],
            peers=list(slot.peers), starts_at=datetime.combine(slot.day, slot.start, zone).astimezone(UTC),
            ends_at=datetime.combine(slot.day, slot.end, zone).astimezone(UTC), interpreter=person.interpreter,
            indicator_codes=list(person.indicators), origin="generated"))
    frame.days = [d.isoformat() for d in sorted(data.days)]
    frame.day_start, frame.day_end = data.day_start, data.day_end
    frame.lunch_start, frame.lunch_minutes = data.lunch_start, data.lunch_minutes
    frame.travel_minutes, frame.time_zone = data.travel_minutes, zone_name
    frame.unscheduled = [{"name": people[u.person_key].name, "role": people[u.person_key].role,
                          "organisation": people[u.person_key].organisation,
                          "interpreter": people[u.person_key].interpreter,
                          "indicator_codes": list(people[u.person_key].indicators), "reason": u.reason}
                         for u in planned.unscheduled]
    frame.generated_at, frame.generated_by = utcnow(), id_of(rights.user)
    session.add(frame)
    session.flush()
    record(session, id_of(rights.user), "generate", "visit_programme", cycle.id, before,
           {**snapshot(frame), "status": planned.status, "interviews": len(planned.slots), "kept": len(kept),
            "replaced": len(replaced)})
    return load_programme(session, cycle)


#: Years an interview may be in (a typing slip such as 0027 or 9999 is refused, not stored).
YEARS = range(2000, 2101)


def _to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """A time from a request: with its offset as given, else in the programme's zone."""
    if moment.year not in YEARS:
        raise field_error(["starts_at"], N_("The interview must take place between the years %(first)s and "
                                            "%(last)s."), first=YEARS[0], last=YEARS[-1])
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


def _check_fields(session: Session, cycle: Cycle, view: ProgrammeView, kind: str, peers: list[int],
                  interviewees: list[dict], codes: list[str]) -> None:
    for n, peer in enumerate(peers):
        if peer not in view.reviewers:
            raise field_error(["peers", n], N_("%(id)s is not a reviewer of this cycle."), id=peer)
    if len(set(peers)) != len(peers):
        raise field_error(["peers"], N_("Each reviewer may be named once."))
    if kind == "interview" and len(interviewees) != 1:
        raise field_error(["interviewees"], N_("An interview meets one person; for several, add a workshop."))
    if kind == "interview" and len(peers) > 2:
        raise field_error(["peers"], N_("An interview is held by one or two reviewers; for more, add a "
                                                "workshop."))
    known = {i.code for i in get_set(session, cycle.indicator_set_version).indicators}
    for n, code in enumerate(codes):
        if code not in known:
            raise field_error(["indicator_codes", n], N_("Unknown indicator code: %(code)s."), code=code)


def _refuse_clashes(view: ProgrammeView, changed: Interview) -> None:
    """409 naming who would be in two places at once (or short of the time to move between
    two places), comparing absolute times: across midnight and clock changes alike."""
    travel = timedelta(minutes=view.frame.travel_minutes if view.frame else 0)
    people = {folded(p["name"]): p["name"] for p in changed.interviewees}
    for other in sorted((i for i in view.interviews if i.id != changed.id), key=lambda i: i.starts_at):
        shared_peers = [p for p in changed.peers if p in other.peers]
        shared_people = [people[k] for k in (folded(p["name"]) for p in other.interviewees) if k in people]
        overlap = changed.starts_at < other.ends_at and other.starts_at < changed.ends_at
        when = (f"{label_of(other)} ({view.local(other.starts_at):%d/%m %H:%M}–"
                f"{view.local(other.ends_at):%H:%M})")
        who = [view.reviewers[p].full_name for p in shared_peers if p in view.reviewers] + shared_people
        if overlap and who:
            raise Conflict(N_("%(who)s would be in two places at once: this slot overlaps %(other)s."),
                           who=", ".join(who), other=when)
        too_close = changed.starts_at < other.ends_at + travel and other.starts_at < changed.ends_at + travel
        if too_close and shared_peers and travel:
            raise Conflict(N_("%(who)s would have less than the %(minutes)s minutes needed to move from "
                              "%(other)s."), who=", ".join(who[:len(shared_peers)]),
                           minutes=int(travel.total_seconds() // 60), other=when)


def label_of(interview: Interview) -> str:
    """An interview's name: its title, else who is met."""
    return interview.title or ", ".join(p["name"] for p in interview.interviewees)


def add_interview(session: Session, rights: CycleRights, cycle: Cycle, data: InterviewWrite) -> Interview:
    """An interview or a workshop added by hand (kept when the programme is generated again)."""
    _may_edit(session, rights, cycle)
    _locked_frame(session, cycle, host_zone(session, cycle).key)
    view = load_programme(session, cycle)
    interviewees = [p.model_dump() for p in data.interviewees]
    _check_fields(session, cycle, view, data.kind, data.peers, interviewees, data.indicator_codes)
    starts_at = _to_utc(data.starts_at, view.zone)
    added = Interview(cycle_id=id_of(cycle), kind=data.kind, title=data.title, interviewees=interviewees,
                      peers=data.peers, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=data.minutes),
                      interpreter=data.interpreter, indicator_codes=data.indicator_codes, location=data.location,
                      origin="manual")
    _refuse_clashes(view, added)
    session.add(added)
    session.flush()
    record(session, id_of(rights.user), "create", "interview", added.id, None, snapshot(added))
    return added


def change_interview(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int,
                     data: InterviewChange, expected: int | None) -> Interview:
    """Move it, change its length, swap a peer, ...: fields left out keep their value."""
    _may_edit(session, rights, cycle)
    _locked_frame(session, cycle, host_zone(session, cycle).key)
    view = load_programme(session, cycle)
    row = interview_of(session, cycle, interview_id)
    check_version(expected, row.version)
    before = snapshot(row)
    minutes = data.minutes if data.minutes is not None else minutes_of(row)
    if data.starts_at is not None:
        row.starts_at = _to_utc(data.starts_at, view.zone)
    row.ends_at = row.starts_at + timedelta(minutes=minutes)
    for name in ("title", "interpreter", "indicator_codes", "location", "peers"):
        value = getattr(data, name)
        if value is not None:
            setattr(row, name, value)
    if data.interviewees is not None:
        row.interviewees = [p.model_dump() for p in data.interviewees]
    _check_fields(session, cycle, view, row.kind, row.peers, row.interviewees, row.indicator_codes)
    _refuse_clashes(view, row)
    row.origin, row.updated_at = "manual", utcnow()
    session.add(row)
    session.flush()
    record(session, id_of(rights.user), "update", "interview", row.id, before, snapshot(row))
    return row


def delete_interview(session: Session, rights: CycleRights, cycle: Cycle, interview_id: int,
                     expected: int | None) -> None:
    """Take an interview out of the programme; never one that holds notes."""
    _may_edit(session, rights, cycle)
    _locked_frame(session, cycle, host_zone(session, cycle).key)
    row = interview_of(session, cycle, interview_id)
    check_version(expected, row.version)
    notes = session.exec(select(func.count()).select_from(InterviewNote)
                         .where(InterviewNote.interview_id == row.id)).one()
    if notes:
        raise Conflict(N_("This interview holds %(count)s notes: it can be moved but not taken out."), count=notes)
    record(session, id_of(rights.user), "delete", "interview", row.id, snapshot(row), None)
    session.delete(row)
    session.flush()
