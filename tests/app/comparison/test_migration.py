"""Migration 0012 fills the published results from the versions published before it."""
from alembic import command
from sqlmodel import select

from app.comparison.tables import PublishedResult
from app.db import alembic_config


def test_the_results_of_the_reports_published_before_are_filled_in(session, engine, network):
    before = {(r.cycle_id, r.indicator_code): (r.performance, r.self_rating, r.report_version, r.recommendations)
              for r in session.exec(select(PublishedResult))}
    assert len(before) == 2 * 73
    session.close()
    command.downgrade(alembic_config(engine), "0011")
    command.upgrade(alembic_config(engine), "head")
    session.expire_all()
    after = {(r.cycle_id, r.indicator_code): (r.performance, r.self_rating, r.report_version, r.recommendations)
             for r in session.exec(select(PublishedResult))}
    assert after == before
    assert after[(network.velmar.id, "GG-AMB-2")] == ("more_info", "at", 1, 1)
    assert after[(network.velmar.id, "GG-AMB-3")][3] == 0
    assert after[(network.lumen.id, "GG-AMB-1")][0] == "below"
