"""Migration 0012 fills the published results from the versions published before it."""
from alembic import command
from sqlmodel import select

from app.comparison.tables import PublishedCycle, PublishedResult
from app.db import alembic_config


def _recorded(session):
    return {c.cycle_id: (c.indicator_set_version, c.report_version, c.first_published_at, c.published_at,
                         {k: list(v) for k, v in c.counts.items()}) for c in session.exec(select(PublishedCycle))}


def test_the_results_of_the_reports_published_before_are_filled_in(session, engine, network):
    recorded = _recorded(session)
    assert len(recorded) == 2 and len(recorded[network.velmar.id][4]) == 20
    assert recorded[network.velmar.id][4]["IE-IMP"][0] == recorded[network.velmar.id][4]["IE-IMP"][1] > 0
    before = {(r.cycle_id, r.indicator_code): (r.performance, r.self_rating, r.recommendations)
              for r in session.exec(select(PublishedResult))}
    assert len(before) == 2 * 73
    session.close()
    command.downgrade(alembic_config(engine), "0011")
    command.upgrade(alembic_config(engine), "head")
    session.expire_all()
    after = {(r.cycle_id, r.indicator_code): (r.performance, r.self_rating, r.recommendations)
             for r in session.exec(select(PublishedResult))}
    assert after == before and _recorded(session) == recorded
    assert after[(network.velmar.id, "GG-AMB-2")] == ("more_info", "at", 1)
    assert after[(network.velmar.id, "GG-AMB-3")][2] == 0
    assert after[(network.lumen.id, "GG-AMB-1")][0] == "below"
