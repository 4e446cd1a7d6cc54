"""Racing writers: one winner per version, and no phase decided on stale facts.

Each test runs on SQLite and PostgreSQL. Two sessions stand for two requests in flight;
the parallel tests send real concurrent requests through the service.
"""
import inspect
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from benchmark.scales import Phase, ReportStatus

from app.audit.tables import AuditEntry
from app.cycles import service as cycles
from app.cycles.deps import load_cycle_access
from app.cycles.schemas import CycleUpdate
from app.cycles.tables import Cycle
from app.errors import Conflict
from app.main import create_app
from app.people import service as people
from app.people.schemas import CityUpdate
from app.self_assessment import service as reports
from app.self_assessment.tables import SelfAssessment
from support import api_routes, submit_report


def test_no_route_handler_blocks_the_event_loop():
    """Handlers are plain ``def`` (run in a worker thread): an ``async def`` doing the
    synchronous database or file work of this service would stall its whole worker."""
    app = create_app()
    handlers = api_routes(app)
    assert len(handlers) > 30
    assert [r.path for r in handlers if inspect.iscoroutinefunction(r.endpoint)] == []


def test_of_two_writers_who_read_the_same_version_only_the_first_wins(engine, world):
    with Session(engine, expire_on_commit=False) as first, Session(engine, expire_on_commit=False) as second:
        coordinator = world.people["coordinator"]
        a = load_cycle_access(first, first.get(type(coordinator), coordinator.id), world.cycle.id)
        b = load_cycle_access(second, second.get(type(coordinator), coordinator.id), world.cycle.id)
        read = a.cycle.version
        assert b.cycle.version == read
        cycles.update_cycle(first, a.rights, a.cycle, CycleUpdate(title="First"), read)
        first.commit()
        with pytest.raises(StaleDataError):
            cycles.update_cycle(second, b.rights, b.cycle, CycleUpdate(title="Second"), read)
            second.flush()
    with Session(engine) as check:
        cycle = check.get(Cycle, world.cycle.id)
        assert (cycle.title, cycle.version) == ("First", read + 1)


def test_a_city_read_by_two_writers_is_written_once(engine, world):
    with Session(engine) as first, Session(engine) as second:
        people.update_city(first, world.people["coordinator"].id, world.host_city.id, CityUpdate(country="Belgique"), 1)
        read_early = people.get_city(second, world.host_city.id)  # as a request that read before the first committed
        assert read_early.version == 1
        first.commit()
        with pytest.raises(StaleDataError):
            people.update_city(second, world.people["coordinator"].id, world.host_city.id,
                               CityUpdate(country="Belgie"), None)
            second.flush()


def winner_etag(results):
    return next(r for r in results if r.status_code == 200).headers["ETag"]


def _parallel(n, call):
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_parallel_patches_with_one_if_match_have_one_winner(client, world):
    etag = client.get(f"/api/v1/cycles/{world.cycle.id}", headers=world.auth("coordinator")).headers["ETag"]
    results = _parallel(12, lambda i: client.patch(
        f"/api/v1/cycles/{world.cycle.id}", json={"title": f"Title {i}"},
        headers={**world.auth("coordinator"), "If-Match": etag}))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [412] * 11, statuses
    winner = next(r for r in results if r.status_code == 200).json()
    final = client.get(f"/api/v1/cycles/{world.cycle.id}", headers=world.auth("coordinator")).json()
    assert (final["title"], f'"{final["version"]}"') == (winner["title"], winner_etag(results))
    assert all(r.headers["content-type"] == "application/problem+json" for r in results if r.status_code == 412)


def test_parallel_phase_moves_with_one_version_move_once(client, world, session):
    submit_report(session, world.cycle)
    etag = client.get(f"/api/v1/cycles/{world.cycle.id}", headers=world.auth("coordinator")).headers["ETag"]
    results = _parallel(6, lambda i: client.post(
        f"/api/v1/cycles/{world.cycle.id}/phase", json={"phase": "preparatory_review"},
        headers={**world.auth("coordinator"), "If-Match": etag}))
    assert sorted(r.status_code for r in results) == [200] + [412] * 5
    moves = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.action == "phase")).all()
    assert len(moves) == 1


def test_a_reopen_racing_a_phase_move_never_leaves_a_draft_in_review(engine, world):
    """The move holds the cycle's row; the reopen waits for it, then sees the new phase."""
    with Session(engine, expire_on_commit=False) as setup:
        submit_report(setup, setup.get(Cycle, world.cycle.id))
    coordinator = world.people["coordinator"]
    outcome = {}

    def reopen():
        with Session(engine, expire_on_commit=False) as other:
            other.connection(execution_options={"sqlite_begin": "IMMEDIATE"})  # as a writing request does
            try:
                access = load_cycle_access(other, other.get(type(coordinator), coordinator.id), world.cycle.id, "share")
                reports.reopen(other, access.rights, access.cycle)
                other.commit()
                outcome["reopened"] = True
            except Conflict as exc:
                outcome["refused"] = exc.detail

    with Session(engine, expire_on_commit=False) as mover:
        mover.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        access = load_cycle_access(mover, mover.get(type(coordinator), coordinator.id), world.cycle.id, "exclusive")
        reopener = threading.Thread(target=reopen)
        reopener.start()
        reopener.join(timeout=1.0)
        assert reopener.is_alive(), "the reopen did not wait for the phase move in progress"
        cycles.change_phase(mover, access.rights, access.cycle, Phase.PREPARATORY_REVIEW)
        mover.commit()
    reopener.join(timeout=30)
    assert "refused" in outcome, outcome
    with Session(engine) as check:
        assert check.get(Cycle, world.cycle.id).phase == Phase.PREPARATORY_REVIEW
        assert check.get(SelfAssessment, world.cycle.id).status == ReportStatus.SUBMITTED
