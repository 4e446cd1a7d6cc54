"""The demo network from ``reviews/demo/cycle.yaml``: cities, people and review cycles,
each left at a phase of the cycle, loaded in one transaction.

Everything is made through the services, as the people would have made it through the
pages (audit log included): the coordinator creates the cities and the cycles and
builds the teams; the host officer writes the initial report (and submits it when the
cycle is past its self-assessment); each reviewer writes a preparatory review and
submits it (but for a draft, left as its reviewer wrote it). For a cycle left in the
visit, the team leader generates the programme once every review is in (the real
scheduler), the coordinator moves the cycle on to the visit, then the interviews' peers
write their notes, the reviewers settle their hypotheses, and the team leader sets the
final judgements so far. For a cycle left in the reporting (or published), the
coordinator moves it on once every indicator is judged, and the team writes, shares,
comments, replies to and signs off the final report (:mod:`app.demo.report`); a cycle
left published is published by its team leader, every format rendered and stored.

A cycle whose title (in either language) is already in the database is left alone, so
loading again adds nothing; existing cities (same name, ignoring case and accents) and
people (same e-mail) are reused, never changed. The files are checked whole before
anything is written (:mod:`app.demo.files`).
"""
from pathlib import Path

from sqlmodel import Session, col, select

from benchmark.indicators import Problem
from benchmark.scales import CycleRole, Phase
from benchmark.text import folded

from app.audit.service import record, snapshot
from app.auth.permissions import CycleRights
from app.auth.security import hash_password
from app.auth.service import normalize_email
from app.cycles import service as cycles
from app.cycles.deps import load_cycle_access
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle
from app.demo.files import (
    AFTER_VISIT,
    LANGUAGES,
    CycleDef,
    DemoCycle,
    DemoDataError,
    DemoVisit,
    NetworkFile,
    VisitHypothesis,
    VisitJudgement,
    read_demo,
)
from app.demo.report import load_final_report, practices_by_key
from app.errors import DomainError
from app.ids import id_of
from app.indicators.service import current_version, get_set
from app.people import service as people_service
from app.people.names import name_key
from app.people.schemas import CityCreate
from app.people.tables import City, User
from app.reviews import service as reviews
from app.self_assessment import service as reports
from app.visit import hypotheses, judgements, notes, programme
from app.visit.judgements_schemas import JudgementWrite
from app.visit.notes_schemas import HypothesisState, HypothesisWrite, NoteWrite
from app.visit.tables import Interview, VisitProgramme

__all__ = ["DemoDataError", "load_demo"]


def load_demo(session: Session, path: Path, language: str = "fr") -> list[str]:
    """Load the demo's cycles that are not in the database yet; their titles (none: nothing
    was loaded). Texts are loaded in ``language`` (``INTI_DEMO_LANGUAGE``: French unless it
    says English). Raises :class:`DemoDataError` (nothing written) when a file is wrong."""
    if language not in LANGUAGES:
        raise ValueError(f"The demo is written in {' and '.join(LANGUAGES)}, not '{language}'.")
    version = current_version(session)
    if version is None:
        raise RuntimeError("No approved indicator set is loaded: load the benchmark before the demo.")
    demo = read_demo(path, [i.code for i in get_set(session, version).indicators], practices_by_key(session))
    titles = [t for c in demo.cycles for t in (c.spec.title.fr, c.spec.title.en)]
    there = set(session.exec(select(Cycle.title).where(col(Cycle.title).in_(titles))).all())
    todo = [c for c in demo.cycles if not {c.spec.title.fr, c.spec.title.en} & there]
    if not todo:
        return []
    network = _Network(session, demo.network)
    loaded = []
    for item in todo:
        try:
            cycle = _load_cycle(session, item, network, language)
        except DomainError as exc:  # the files agree with each other, but not with the rules
            session.rollback()
            raise DemoDataError([Problem(str(path), None, f"cycle '{item.spec.title.en}': {exc}")]) from None
        except DemoDataError:  # nor with what the scheduler made of them
            session.rollback()
            raise
        record(session, None, "load_demo", "cycle", cycle.id, None, {"title": cycle.title, "source": str(path)})
        loaded.append(cycle.title)
    session.commit()
    return loaded


class _Network:
    """The network's people by e-mail and cities by key, existing ones reused. The
    coordinator comes first: it is who creates the cities and the cycles. One password
    hash for everyone: they share the demo's password, and argon2 is slow on purpose."""

    def __init__(self, session: Session, spec: NetworkFile):
        self.session, self.spec = session, spec
        self.cities: dict[str, City] = {}
        self.people: dict[str, User] = {}
        password_hash = hash_password(spec.password)
        for person in sorted(spec.people, key=lambda p: not p.coordinator):  # stable: file order otherwise
            email = normalize_email(person.email)
            user = session.exec(select(User).where(User.email == email)).first()
            if user is None:
                city = self.city(person.city) if person.city else None
                user = User(email=email, full_name=person.full_name, is_coordinator=person.coordinator,
                            city_id=city.id if city else None, language=person.language,
                            password_hash=password_hash)
                session.add(user)
                session.flush()
                record(session, None, "create", "user", user.id, None, snapshot(user))
            self.people[email] = user
        self.coordinator = self.person(next(p.email for p in spec.people if p.coordinator))

    def person(self, email: str) -> User:
        return self.people[normalize_email(email)]

    def city(self, key: str) -> City:
        """A city of the same name (ignoring case and accents) if there is one, else made by
        the coordinator."""
        if key not in self.cities:
            spec = next(c for c in self.spec.cities if c.key == key)
            city = self.session.exec(select(City).where(City.name_key == name_key(spec.name))).first()
            if city is None:
                actor = next(u for u in self.people.values() if u.is_coordinator)
                city = people_service.create_city(self.session, id_of(actor),
                                                  CityCreate(name=spec.name, country=spec.country))
            self.cities[key] = city
        return self.cities[key]


def _rights(session: Session, user: User, cycle: Cycle) -> CycleRights:
    """What ``user`` may do in ``cycle`` as a request of theirs would find it."""
    return load_cycle_access(session, user, id_of(cycle)).rights


def _load_cycle(session: Session, item: DemoCycle, network: _Network, lang: str) -> Cycle:
    """The cycle made by the coordinator, its report by its officer, its reviews by its reviewers."""
    spec, coordinator = item.spec, network.coordinator
    cycle = cycles.create_cycle(session, coordinator, CycleCreate(
        title=spec.title.get(lang), host_city_id=id_of(network.city(spec.host)), deadlines=spec.deadlines))
    rights = _rights(session, coordinator, cycle)
    for member in spec.members:
        cycles.add_member(session, rights, cycle, MemberCreate(user_id=id_of(network.person(member.email)),
                                                               role=member.role))
    if item.report:
        officer = next(network.person(m.email) for m in spec.members if m.role == CycleRole.HOST_OFFICER)
        report, officer_rights = reports.writable_report(session, _rights(session, officer, cycle), cycle)
        reports.apply_entries(session, officer, cycle, [
            (code, report.entries.get(code), entry) for code, entry in item.report[lang].items()])
        if spec.phase != Phase.SELF_ASSESSMENT:
            reports.submit(session, officer_rights, cycle)
            cycles.change_phase(session, _rights(session, coordinator, cycle), cycle, Phase.PREPARATORY_REVIEW)
    for email, entries in item.reviews.items():
        reviewer = network.person(email)
        review, reviewer_rights = reviews.writable_review(session, _rights(session, reviewer, cycle), cycle)
        reviews.apply_entries(session, reviewer, cycle, [
            (code, review.entries.get(code), entry) for code, entry in entries[lang].items()])
        if email not in item.drafts:
            reviews.submit(session, reviewer_rights, cycle)
    if item.visit:
        _load_visit(session, item.visit, spec, network, cycle, lang)
    if spec.phase in AFTER_VISIT:
        cycles.change_phase(session, _rights(session, coordinator, cycle), cycle, Phase.REPORTING)
    if item.final_report:
        team: dict[CycleRole, User] = {m.role: network.person(m.email) for m in spec.members
                                       if m.role in (CycleRole.TEAM_LEADER, CycleRole.HOST_OFFICER)}
        load_final_report(session, item.final_report, cycle, team, network.person,
                          lambda user: _rights(session, user, cycle), lang, spec.phase)
    return cycle


def _load_visit(session: Session, visit: DemoVisit, spec: CycleDef, network: _Network, cycle: Cycle,
                lang: str) -> None:
    """The programme generated by the team leader in the preparatory review, the cycle moved
    on by the coordinator, then what the team wrote during the visit."""
    leader = next(network.person(m.email) for m in spec.members if m.role == CycleRole.TEAM_LEADER)
    programme.generate(session, _rights(session, leader, cycle), cycle, visit.programme)
    cycles.change_phase(session, _rights(session, network.coordinator, cycle), cycle, Phase.VISIT)
    interviews = {folded(i.interviewees[0]["name"]): i for i in session.exec(
        select(Interview).where(Interview.cycle_id == cycle.id).order_by(col(Interview.starts_at)))
        if len(i.interviewees) == 1}
    frame = session.get(VisitProgramme, cycle.id)
    unscheduled = {folded(p["name"]): p.get("reason", "") for p in (frame.unscheduled if frame else [])}
    problems, found = [], []
    for item in visit.interviews:
        interview = interviews.get(folded(item.name[lang]))
        if interview is None:
            why = unscheduled.get(folded(item.name[lang]))
            problems.append(Problem(visit.file, item.line, f"'{item.name[lang]}' has no interview in the generated "
                                    "programme" + (f" (unscheduled: {why})" if why is not None else "")))
        else:
            found.append(interview)
    if problems:
        raise DemoDataError(problems)
    note_ids = _write_notes(session, visit, cycle, found, lang)
    for check in visit.hypotheses:
        cited = [note_id for i in check.settled_by for note_id, codes in note_ids[i] if check.code in codes]
        _settle_hypothesis(session, check, network.person(check.reviewer), cycle, cited, lang)
    leader_rights = _rights(session, leader, cycle)
    for judgement in visit.judgements:
        _write_judgement(session, leader_rights, cycle, judgement, lang)


# --- What the team writes during the visit, through the services ------------------------------

def _write_notes(session: Session, visit: DemoVisit, cycle: Cycle,
                 interviews: list[Interview], lang: str) -> list[list[tuple[int, list[str]]]]:
    """Each interview's notes, written by its peers in turn (the first note by the first);
    per interview, the (id, indicators) of its notes."""
    written = []
    for item, interview in zip(visit.interviews, interviews, strict=True):
        ids = []
        for n, note in enumerate(item.notes):
            author = session.get_one(User, interview.peers[n % len(interview.peers)])
            view = notes.add_note(session, _rights(session, author, cycle), cycle, id_of(interview),
                                  NoteWrite(text=note.text[lang], indicator_codes=note.codes))
            ids.append((view.id, list(view.indicator_codes)))
        written.append(ids)
    return written


def _settle_hypothesis(session: Session, check: VisitHypothesis, reviewer: User, cycle: Cycle, note_ids: list[int],
                       lang: str) -> None:
    """A reviewer marks their own hypothesis confirmed, refuted or open, citing the notes."""
    hypotheses.settle(session, _rights(session, reviewer, cycle), cycle, id_of(reviewer), check.code,
                      HypothesisWrite(state=HypothesisState(check.state), note_ids=note_ids,
                                      comment=check.comment[lang]), None)


def _write_judgement(session: Session, rights: CycleRights, cycle: Cycle, judgement: VisitJudgement,
                     lang: str) -> None:
    """The team leader's final judgement of one indicator (with why, where it departs from
    the peers' majority)."""
    judgements.write_judgement(session, rights, cycle, judgement.code, JudgementWrite(
        performance=judgement.performance, rationale=judgement.rationale[lang]), None)
