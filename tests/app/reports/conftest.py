"""The final report: the world's cycle in its reporting, every indicator judged."""
import pytest
from support import start_reporting


@pytest.fixture
def reporting(session, world):
    """The world's cycle in its reporting: the peer and the team leader submitted their
    reviews, every indicator is judged "at" but GG-AMB-1, judged "below"."""
    start_reporting(session, world.cycle)
    from support import rights_of

    from app.visit import judgements
    from app.visit.judgements_schemas import JudgementWrite

    judgements.write_judgement(session, rights_of(session, world.people["team_leader"], world.cycle), world.cycle,
                               "GG-AMB-1", JudgementWrite(performance="below", rationale="No budget line."), None)
    session.commit()
    return world
