"""The visit's notes and hypotheses: a cycle in its visit with two interviews and some hypotheses."""
from datetime import UTC, datetime

import pytest
from support import add_interview, make_user, rights_of, start_visit, write_hypothesis

from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate


@pytest.fixture
def visit(session, world):
    """The world's cycle in its visit, with a second peer ("second", Bruno Second); the peer's
    hypotheses on GG-AMB-1 and GG-AMB-2 and the team leader's on GG-AMB-1; the interview of
    Marie Dubois (09:00 UTC, 11:00 in Velmar) held by the peer, named for GG-AMB-1 and
    GG-AMB-2 (``world.interview``), and Youssef Benali's held by the second peer
    (``world.other_interview``)."""
    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    world.people["second"] = second
    start_visit(session, world.cycle)
    peer, leader = world.people["peer"], world.people["team_leader"]
    write_hypothesis(session, world.cycle, peer, "GG-AMB-1", "below", known="A strategy exists.",
                     suspected="It is not <funded>.", questions=("Who funds the strategy?",))
    write_hypothesis(session, world.cycle, peer, "GG-AMB-2", unknown="Who monitors it?")
    write_hypothesis(session, world.cycle, leader, "GG-AMB-1", known="The council adopted it in 2024.")
    world.interview = add_interview(session, world.cycle, [peer], codes=("GG-AMB-1", "GG-AMB-2"))
    world.other_interview = add_interview(session, world.cycle, [second], name="Youssef Benali",
                                          starts_at=datetime(2027, 6, 1, 12, 0, tzinfo=UTC), codes=("IE-LEA-1",))
    return world

