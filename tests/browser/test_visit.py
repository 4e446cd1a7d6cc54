"""The team leader's visit in a real browser: the programme generated, an interview moved,
the calendar downloaded, a final judgement that departs from the peers' majority settled
with its rationale, and the cycle moved on to the reporting — at 1280 and 390 px.

Set ``INTI_SHOTS_DIR`` to keep screenshots of the programme and of the judgement page.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import log_in, shot
from icalendar import Calendar
from playwright.sync_api import Page, expect
from sqlmodel import Session, select
from support import PASSWORD, PEOPLE_TO_MEET, make_user, rights_of, write_review

from benchmark.scales import Phase

from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle
from app.people import service as people_service
from app.people.schemas import CityCreate
from app.people.tables import User
from app.self_assessment import service as report_service
from app.self_assessment.schemas import EntryWrite
from app.visit.tables import FinalJudgement, Interview


@dataclass
class Visit:
    cycle: Cycle
    leader: User


@pytest.fixture
def visit(browser_db, people) -> Visit:
    """A cycle whose reviews are all in: a peer who names three people on GG-AMB-1 and judges
    everything "at", and the team leader, who judges alike."""
    tag = uuid.uuid4().hex[:8]
    with Session(browser_db, expire_on_commit=False) as session:
        coordinator = session.get(User, people.coordinator.id)
        officer = session.get(User, people.host_officer.id)
        towns = [people_service.create_city(session, coordinator.id, CityCreate(name=f"{n} {tag}", country=c))
                 for n, c in (("Peerton", "Italy"), ("Leadham", "Denmark"))]
        session.commit()
        peer = make_user(session, f"peer-{tag}@peerton.example", "Paola Peer", towns[0])
        leader = make_user(session, f"leader-{tag}@leadham.example", "Lea Leader", towns[1])
        cycle = cycle_service.create_cycle(session, coordinator,
                                           CycleCreate(title=f"Velmar visit {tag}", host_city_id=people.city.id))
        rights = rights_of(session, coordinator, cycle)
        for user, role in ((officer, "host_officer"), (peer, "peer"), (leader, "team_leader")):
            cycle_service.add_member(session, rights, cycle, MemberCreate(user_id=user.id, role=role))
        session.commit()
        report = report_service.load_report(session, cycle)
        report_service.apply_entries(session, officer, cycle, [
            (i.code, None, EntryWrite(self_rating="at", description=f"Velmar's practice for {i.code}."))
            for i in report.iset.indicators])
        report_service.submit(session, rights_of(session, officer, cycle), cycle)
        cycle_service.change_phase(session, rights, cycle, Phase.PREPARATORY_REVIEW)
        session.commit()
        write_review(session, cycle, leader, submit=True)
        write_review(session, cycle, peer)
        write_review(session, cycle, peer, {"GG-AMB-1": "at"}, people_to_meet=PEOPLE_TO_MEET, submit=True)
        return Visit(cycle, leader)


def test_the_team_leader_builds_the_programme_and_settles_the_judgements(page: Page, visit, browser_db):
    log_in(page, visit.leader.email, PASSWORD)
    programme = f"/cycles/{visit.cycle.id}/programme"
    page.goto(programme)
    page.get_by_label("Day 1").fill("2027-06-01")
    page.get_by_label("Time to move between places (minutes)").fill("15")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator(".notice")).to_contain_text("The programme is ready: 3 interviews, everyone fitted.")
    expect(page.locator("svg.lane-track svg.block")).to_have_count(6)  # three interviews, two reviewers each
    shot(page, "programme-en-1280")

    # move the first interview to the evening, by hand
    page.get_by_role("link", name="Change — Hélène Marchetti").click()
    page.get_by_label("Start").fill("18:00")
    page.get_by_label("Place").fill("Town hall, room 2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice")).to_contain_text("Saved: Hélène Marchetti.")
    expect(page.locator("#interview-" + str(_interview_of(browser_db, "Hélène Marchetti")))).to_contain_text(
        "Town hall, room 2")

    # the whole programme into a calendar
    with page.expect_download() as download:
        page.get_by_role("link", name="Add the whole programme to a calendar (.ics)").click()
    events = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == [
        "Interview: Hélène Marchetti", "Interview: Jana Novak", "Interview: Youssef Benali"]

    # the phone: the programme fits, no sideways scroll
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(programme)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # into the visit, then a judgement against the peers' majority ("at"): asked why
    with Session(browser_db) as session:
        coordinator = session.exec(select(User).where(User.is_coordinator)).first()
        cycle = session.get(Cycle, visit.cycle.id)
        cycle_service.change_phase(session, rights_of(session, coordinator, cycle), cycle, Phase.VISIT)
        session.commit()
    page.goto(f"/cycles/{visit.cycle.id}/judgements/GG-AMB-1")
    page.get_by_label("below the benchmark").check()
    expect(page.get_by_text("This judgement departs from the peers' majority")).to_be_visible()
    expect(page.get_by_label("Rationale")).to_be_focused()  # asked first, not refused: nothing sent yet
    page.wait_for_timeout(1500)
    expect(page.locator("[data-status]").first).not_to_contain_text("Not saved")
    page.get_by_label("Rationale").fill("The interviews showed the plan has no budget line.")
    expect(page.locator("[data-status]").first).to_contain_text("Saved", timeout=10_000)
    shot(page, "judgement-en-1280")
    with Session(browser_db) as session:
        saved = session.exec(select(FinalJudgement).where(FinalJudgement.cycle_id == visit.cycle.id)).one()
    assert (saved.performance, saved.departs_from_majority, saved.majority) == ("below", True, "at")
    assert saved.rationale == "The interviews showed the plan has no budget line."

    # the reporting waits for every indicator: the cycle page says so instead of offering the move
    page.goto(f"/cycles/{visit.cycle.id}")
    expect(page.get_by_text("72 indicators have no final judgement yet")).to_be_visible()
    with Session(browser_db) as session:
        from support import judge_all

        judge_all(session, session.get(Cycle, visit.cycle.id))
    page.goto(f"/cycles/{visit.cycle.id}")
    page.get_by_text("Move on to: Reporting →").click()
    page.get_by_role("button", name="Yes, move on").click()
    expect(page.locator(".notice")).to_be_visible()
    with Session(browser_db) as session:
        assert session.get(Cycle, visit.cycle.id).phase == "reporting"


def _interview_of(browser_db, name: str) -> int:
    with Session(browser_db) as session:
        return next(i.id for i in session.exec(select(Interview)) if i.interviewees[0]["name"] == name)
