"""Helpers shared by the tests (imported as ``support``; conftest modules are not importable)."""
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import uvicorn
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.security import hash_password
from app.auth.service import WEB, issue_token
from app.people.tables import City, User

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


def make_user(session: Session, email: str, name: str, city: City | None, coordinator: bool = False) -> User:
    user = User(email=email, full_name=name, city_id=city.id if city else None,
                is_coordinator=coordinator, password_hash=_PASSWORD_HASH)
    session.add(user)
    session.commit()
    return user


def browser_login(client: TestClient, session: Session, user: User) -> None:
    """Give the test client a web session for ``user`` (without the login form)."""
    client.cookies.set("inti_session", issue_token(session, user, WEB, timedelta(hours=1)))
    session.commit()


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its forms (the cookie is kept)."""
    html = client.get(page).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def rights_of(session: Session, user: User, cycle):
    """What ``user`` may do in ``cycle``, as a request of theirs would find it."""
    from app.cycles.deps import load_cycle_access

    return load_cycle_access(session, user, cycle.id).rights


def officer_of(session: Session, cycle) -> User:
    from sqlmodel import select

    from app.cycles.tables import CycleMember

    return session.exec(select(User).join(CycleMember, CycleMember.user_id == User.id).where(
        CycleMember.cycle_id == cycle.id, CycleMember.role == "host_officer")).one()


def fill_report(session: Session, cycle, codes=None) -> None:
    """The host officer completes the entries for ``codes`` (default: every indicator),
    through the report's service as the pages and the API do."""
    from app.self_assessment import service
    from app.self_assessment.schemas import EntryWrite

    report = service.load_report(session, cycle)
    if codes is None:
        codes = [i.code for i in report.iset.indicators]
    data = EntryWrite(self_rating="at", description="Done.")
    service.apply_entries(session, officer_of(session, cycle), cycle,
                          [(code, report.entries.get(code), data) for code in codes])
    session.commit()


def submit_report(session: Session, cycle) -> None:
    """The host officer completes and submits the initial report, through the service."""
    from app.self_assessment import service

    fill_report(session, cycle)
    service.submit(session, rights_of(session, officer_of(session, cycle), cycle), cycle)
    session.commit()


def api_routes(app) -> list:
    """Every route of the app with its full path, methods and endpoint. FastAPI keeps
    included routers as branches (``app.routes`` no longer lists their routes), so this
    walks them the way FastAPI's own OpenAPI generation does."""
    from fastapi.routing import APIRoute, iter_route_contexts

    return [r for r in iter_route_contexts(app.routes) if isinstance(r.original_route, APIRoute)]


@contextmanager
def served(app) -> Iterator[str]:
    """The app served by a real uvicorn in a thread on 127.0.0.1 (lifespan run); yields
    its base URL, and stops the server on leaving."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held from now on: no race with other processes
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)  # off the main thread it leaves signals alone
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("The app's server stopped while starting: see the log above.")
            if time.monotonic() > deadline:
                raise RuntimeError("The app's server did not start within 30 s.")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def start_preparatory_review(session: Session, cycle) -> None:
    """The host city submits its initial report and a coordinator moves the cycle on to the
    preparatory review, through the services."""
    from sqlmodel import select

    from benchmark.scales import Phase

    from app.cycles import service as cycles_service

    submit_report(session, cycle)
    coordinator = session.exec(select(User).where(User.is_coordinator)).first()
    cycles_service.change_phase(session, rights_of(session, coordinator, cycle), cycle, Phase.PREPARATORY_REVIEW)
    session.commit()


def write_review(session: Session, cycle, reviewer: User, performances: dict | None = None,
                 submit: bool = False, **fields) -> None:
    """``reviewer`` writes a performance for each code of ``performances`` (default: "at"
    for every indicator), with ``fields`` (hypothesis, questions, people_to_meet) in each,
    through the review's service; and submits it if asked."""
    from app.reviews import service
    from app.reviews.schemas import ReviewEntryWrite

    review = service.load_reviews(session, cycle, [(reviewer, None)])[0]
    if performances is None:
        performances = dict.fromkeys((i.code for i in review.iset.indicators), "at")
    service.apply_entries(session, reviewer, cycle, [
        (code, review.entries.get(code), ReviewEntryWrite(performance=p, **fields))
        for code, p in performances.items()])
    session.commit()
    if submit:
        service.submit(session, rights_of(session, reviewer, cycle), cycle)
        session.commit()


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    from sqlalchemy import event

    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def submit_all_reviews(session: Session, cycle) -> None:
    """Every reviewer of ``cycle`` (its peers and team leader) judges every indicator "at"
    and submits, through the review's service: what the preparatory review needs to end."""
    from app.reviews import service

    for reviewer, _role in service.reviewers_of(session, cycle):
        write_review(session, cycle, reviewer, submit=True)


def start_visit(session: Session, cycle) -> None:
    """Every reviewer submits, and a coordinator moves the cycle on to the visit."""
    from sqlmodel import select

    from benchmark.scales import Phase

    from app.cycles import service as cycles_service

    start_preparatory_review(session, cycle)
    submit_all_reviews(session, cycle)
    coordinator = session.exec(select(User).where(User.is_coordinator)).first()
    cycles_service.change_phase(session, rights_of(session, coordinator, cycle), cycle, Phase.VISIT)
    session.commit()


def add_interview(session: Session, cycle, peers: list[User], name: str = "Marie Dubois",
                  starts_at=None, minutes: int = 60, codes: tuple[str, ...] = ("GG-AMB-1",),
                  **fields):
    """An interview of ``name`` by ``peers``, written straight into its table (the
    programme's own services are tested on their own); ``starts_at`` defaults to
    1 June 2027, 09:00 UTC."""
    from datetime import UTC, datetime, timedelta

    from app.visit.tables import Interview

    starts_at = starts_at or datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    interview = Interview(cycle_id=cycle.id, interviewees=[{"name": name, "role": "Head of unit",
                                                            "organisation": "City hall"}],
                          peers=[p.id for p in peers], starts_at=starts_at,
                          ends_at=starts_at + timedelta(minutes=minutes), indicator_codes=list(codes), **fields)
    session.add(interview)
    session.commit()
    return interview


PEOPLE_TO_MEET = [
    {"name": "Hélène Marchetti", "role": "Deputy mayor", "organisation": "City of Velmar", "interpreter": False},
    {"name": "Youssef Benali", "role": "Member", "organisation": "Consultative committee", "interpreter": True},
    {"name": "Jana Novak", "role": "Director", "organisation": "Welcome centre", "interpreter": False},
]
VISIT_DAY = "2027-06-01"
VISIT_FRAME = {"days": [VISIT_DAY, "2027-06-02"], "day_start": "09:00", "day_end": "17:30"}


def reviews_naming_people(session, world, people=None, submit=True):
    """The cycle in its preparatory review: both reviewers judge every indicator; the peer
    names ``people`` on GG-AMB-1, the team leader asks about WP-IMP-9 and names Jana Novak
    again (spelt otherwise); both submit unless told not to."""
    people = PEOPLE_TO_MEET if people is None else people
    start_preparatory_review(session, world.cycle)
    for role in ("peer", "team_leader"):
        write_review(session, world.cycle, world.people[role])
    write_review(session, world.cycle, world.people["peer"], {"GG-AMB-1": "below"}, people_to_meet=people)
    write_review(session, world.cycle, world.people["team_leader"], {"WP-IMP-9": "at"},
                 questions=["Who funds the welcome centre?"],
                 people_to_meet=[{"name": "jana  NOVAK", "role": "", "organisation": "", "interpreter": False}])
    if submit:
        for role in ("peer", "team_leader"):
            write_review(session, world.cycle, world.people[role], {}, submit=True)


def generate_programme(client, world, body=None, role="team_leader", **headers):
    """``POST …/visit-programme`` (default: two days, 09:00–17:30) as ``role``."""
    body = VISIT_FRAME if body is None else body
    return client.post(f"/api/v1/cycles/{world.cycle.id}/visit-programme", json=body,
                       headers={**world.auth(role), **headers})
def write_hypothesis(session: Session, cycle, reviewer: User, code: str, performance: str = "at",
                     questions: tuple[str, ...] = (), **lines) -> None:
    """``reviewer`` writes a hypothesis (``known``, ``unknown``, ``suspected``) and
    ``questions`` on ``code`` in their review, through the review's service (submitted or
    not: the service writes what it is given; the tests of the visit use it on a submitted
    review)."""
    from app.reviews import service
    from app.reviews.schemas import ReviewEntryWrite

    review = service.load_reviews(session, cycle, [(reviewer, None)])[0]
    data = ReviewEntryWrite(performance=performance, hypothesis=lines, questions=list(questions))
    service.apply_entries(session, reviewer, cycle, [(code, review.entries.get(code), data)])
def visit_with_majorities(session: Session, world):
    """The ``world`` fixture's cycle in its visit, three reviewers (two peers and the team leader) having
    submitted: GG-AMB-1's majority is "below" (2 of 3), GG-AMB-2 has none (a three-way
    tie), every other indicator's is "at"."""
    from benchmark.scales import Phase

    from app.auth.service import API
    from app.cycles import service as cycles_service
    from app.cycles.schemas import MemberCreate

    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    world.people["second"] = second
    world.tokens["second"] = issue_token(session, second, API, timedelta(hours=1))
    session.commit()
    start_preparatory_review(session, world.cycle)
    splits = {"peer": ("below", "above"), "second": ("below", "below"), "team_leader": ("at", "at")}
    for who, (amb1, amb2) in splits.items():
        write_review(session, world.cycle, world.people[who], submit=False)
        write_review(session, world.cycle, world.people[who], {"GG-AMB-1": amb1, "GG-AMB-2": amb2}, submit=True,
                     hypothesis={"known": f"{who} knows.", "unknown": "", "suspected": ""})
    cycles_service.change_phase(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                                Phase.VISIT)
    session.commit()
    return world


def judge_all(session: Session, cycle, performance: str = "at") -> None:
    """The team leader gives every indicator not judged yet its final judgement (with a
    rationale, should it depart from the peers' majority), through the judgements' service:
    what the visit needs to end."""
    from sqlmodel import select

    from app.cycles.tables import CycleMember
    from app.visit import judgements
    from app.visit.judgements_schemas import JudgementWrite

    leader = session.exec(select(User).join(CycleMember, CycleMember.user_id == User.id).where(
        CycleMember.cycle_id == cycle.id, CycleMember.role == "team_leader")).one()
    rights = rights_of(session, leader, cycle)
    for entry in judgements.judgement_entries(session, cycle):
        if not entry.judged:
            judgements.write_judgement(session, rights, cycle, entry.code, JudgementWrite(
                performance=performance, rationale="Seen on the visit."), None)
    session.commit()


def start_reporting(session: Session, cycle, performance: str = "at") -> None:
    """The cycle through its visit (every reviewer submitted, every indicator judged
    ``performance``) into its reporting, as a coordinator moves it."""
    from sqlmodel import select

    from benchmark.scales import Phase

    from app.cycles import service as cycles_service

    start_visit(session, cycle)
    judge_all(session, cycle, performance)
    coordinator = session.exec(select(User).where(User.is_coordinator)).first()
    cycles_service.change_phase(session, rights_of(session, coordinator, cycle), cycle, Phase.REPORTING)
    session.commit()


def publish_report(session: Session, cycle, reason: str = "Published by the tests.") -> int:
    """The team leader publishes the report as it stands, without waiting for sign-offs
    (``reason`` recorded): what moves a cycle to ``published``. Its version number."""
    from sqlmodel import select

    from app.cycles.tables import CycleMember
    from app.reports import publication

    leader = session.exec(select(User).join(CycleMember, CycleMember.user_id == User.id).where(
        CycleMember.cycle_id == cycle.id, CycleMember.role == "team_leader")).one()
    version = publication.publish(session, rights_of(session, leader, cycle), cycle, reason)
    session.commit()
    return version.number


def csv_rows_of(data: bytes) -> list[list[str]]:
    """A CSV file's rows (UTF-8, with or without a byte-order mark)."""
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
