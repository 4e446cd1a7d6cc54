"""A draft's content built from the cycle's tables: the host city's self-ratings beside the
team's judgements, in a fixed number of queries whatever the cycle's size."""
from sqlmodel import Session, select
from support import add_interview, rights_of, statements

from app.cycles.tables import Cycle
from app.practices.service import list_practices
from app.reports.build import build_content
from app.reports.recommendations import create_recommendation
from app.reports.schemas import RecommendationWrite
from app.self_assessment.tables import SelfAssessmentEntry


def test_the_draft_sets_the_city_s_self_rating_beside_the_team_s_judgement(reporting, session):
    entries = {e.indicator_code: e for e in session.exec(select(SelfAssessmentEntry).where(
        SelfAssessmentEntry.cycle_id == reporting.cycle.id))}
    entries["GG-AMB-2"].self_rating = "above"
    session.delete(entries["GG-AMB-3"])  # an entry the city never wrote
    session.commit()
    found = {i.code: i for i in build_content(session, reporting.cycle).indicators}
    assert len(found) == 73
    assert (found["GG-AMB-1"].self_rating, found["GG-AMB-1"].performance, found["GG-AMB-1"].rated_apart) == (
        "at", "below", 1)  # the city rates itself higher than the team judged
    assert (found["GG-AMB-2"].self_rating, found["GG-AMB-2"].rated_apart) == ("above", 1)
    assert (found["GG-AMB-3"].self_rating, found["GG-AMB-3"].rated_apart) == (None, None)
    assert found["WP-IMP-9"].rated_apart == 0


def test_building_a_draft_runs_as_many_statements_for_a_small_cycle_as_for_a_large_one(
        reporting, session, engine):
    leader, peer = reporting.people["team_leader"], reporting.people["peer"]
    rights = rights_of(session, leader, reporting.cycle)
    practices = [p.id for p in list_practices(session)]

    def grow(first: int, last: int) -> None:
        for n in range(first, last):
            add_interview(session, reporting.cycle, [leader, peer], name=f"Interlocutor {n}")
            create_recommendation(session, rights, reporting.cycle, RecommendationWrite(
                indicator_codes=["GG-AMB-1", "IE-LEA-1"][:1 + n % 2], text=f"Recommendation {n}.", horizon="short",
                practice_ids=practices[n:n + 2]))
        session.commit()

    def counted() -> tuple[int, int, int, int]:
        with Session(engine) as fresh:  # as a request has: nothing in the identity map yet
            cycle = fresh.get(Cycle, reporting.cycle.id)
            with statements(engine) as seen:
                content = build_content(fresh, cycle)
        return len(seen), len(content.recommendations), len(content.meetings), len(content.practices)

    grow(0, 1)
    few = counted()
    grow(1, 12)
    many = counted()
    assert few[1:] == (1, 1, 2) and many[1:] == (12, 12, 13)
    assert few[0] == many[0]
