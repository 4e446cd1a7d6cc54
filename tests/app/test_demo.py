"""The demo cycle loads once, with a complete, valid initial report in the officer's language."""
from pathlib import Path

from sqlmodel import select

from app.cycles.tables import Cycle, CycleMember
from app.demo import load_demo
from app.self_assessment.service import load_report

DEMO = Path(__file__).resolve().parents[2] / "reviews" / "demo" / "cycle.yaml"


def test_demo_loads_once_with_a_complete_report(session):
    assert load_demo(session, DEMO) is True
    assert load_demo(session, DEMO) is False
    cycle = session.exec(select(Cycle)).one()
    roles = sorted(m.role for m in session.exec(select(CycleMember).where(CycleMember.cycle_id == cycle.id)))
    assert roles == ["host_officer", "peer", "peer", "team_leader"]
    report = load_report(session, cycle)
    assert report.missing() == [] and report.status == "draft"
    committee = report.entries["GG-IMP-3"]
    assert "15 membres" in committee.description and "4 fois par an" in committee.description
    assert all(e.evidence and e.responsible for e in report.entries.values())


def test_demo_report_in_english(session):
    load_demo(session, DEMO, language="en")
    report = load_report(session, session.exec(select(Cycle)).one())
    assert "15 members" in report.entries["GG-IMP-3"].description
