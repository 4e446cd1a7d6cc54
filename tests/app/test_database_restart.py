"""PostgreSQL restarted under load: the service answers 503 meanwhile, loses no write it
reported as saved, and recovers by itself.

A throwaway cluster of its own (the session's shared one is left alone), the real app
served by uvicorn on 127.0.0.1, a few host officers' clients reading the initial report
and saving entries with If-Match, and ``pg_ctl restart -m fast`` in the middle.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
import pytest
from pg_cluster import PostgresCluster, PostgresNotInstalled
from sqlmodel import Session, col, select
from support import served

from app.audit.tables import AuditEntry
from app.db import make_engine, upgrade
from app.errors import PROBLEM
from app.indicators.service import current_version, get_set
from app.main import create_app, load_benchmark
from app.self_assessment.tables import SelfAssessmentEntry
from app.settings import get_settings

CLIENTS = 6
#: Each client writes its own entries: no racing writers, so no 412 is expected.
CODES_PER_CLIENT = 2
#: Bounds of the run, in seconds. Before the restart the clients run until each has
#: saved at least once (a slow or busy machine needs longer to warm up), within a bound.
LOAD_BEFORE_RESTART = 1.5
WARM_UP_LIMIT = 30.0
LOAD_AFTER_RESTART = 5.0
RECOVERY = 3.0


@pytest.fixture
def cluster():
    try:
        cluster = PostgresCluster.start(prefix="inti-pg-restart-")
    except PostgresNotInstalled as exc:
        pytest.fail(str(exc))
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def engine(cluster):
    """The served app's engine, on the throwaway cluster (the root conftest's ``world``
    and ``client`` use this one)."""
    eng = make_engine(f"{cluster.url}/postgres")
    upgrade(eng)
    load_benchmark(eng, get_settings())
    yield eng
    eng.dispose()


@dataclass
class Answer:
    sent: float  # time.monotonic() when the request was sent
    answered: float  # time.monotonic() when its answer (or failure) came
    method: str
    status: int | None  # None: no answer at all (connection lost, timeout)
    content_type: str = ""
    retry_after: str | None = None
    problem_status: int | None = None
    error: str = ""


def answer(method: str, call, url: str, **kwargs) -> tuple[Answer, httpx.Response | None]:
    sent = time.monotonic()
    try:
        r = call(url, **kwargs)
    except httpx.HTTPError as exc:
        return Answer(sent, time.monotonic(), method, None, error=repr(exc)), None
    problem_status = None
    if r.headers.get("content-type") == PROBLEM:
        try:
            problem_status = r.json().get("status")
        except ValueError:
            problem_status = -1
    return Answer(sent, time.monotonic(), method, r.status_code, r.headers.get("content-type", ""),
                  r.headers.get("retry-after"), problem_status), r


def officer(base: str, headers: dict, cycle_id: int, codes: list[str], stop: threading.Event,
            answers: list[Answer], saved: list[tuple[str, int, str]], number: int) -> None:
    """Read the report, save one of ``codes`` with If-Match of the version read; again."""
    report = f"/api/v1/cycles/{cycle_id}/self-assessment"
    with httpx.Client(base_url=base, headers=headers, timeout=15) as http:
        for i in range(100_000):
            if stop.is_set():
                return
            got, r = answer("GET", http.get, report)
            answers.append(got)
            if got.status != 200:
                time.sleep(0.05)
                continue
            code = codes[i % len(codes)]
            version = next(e["version"] for e in r.json()["entries"] if e["indicator_code"] == code)
            description = f"client {number}, write {i}"
            got, r = answer("PUT", http.put, f"{report}/{code}", headers={"If-Match": f'"{version}"'},
                            json={"self_rating": "at", "description": description})
            answers.append(got)
            if got.status == 200:
                saved.append((code, r.json()["version"], description))
            else:
                time.sleep(0.05)


def test_a_postgres_restart_under_load_is_503_then_recovers_without_losing_writes(cluster, engine, world):
    with Session(engine) as session:
        codes = [i.code for i in get_set(session, current_version(session)).indicators][:CLIENTS * CODES_PER_CLIENT]
    answers: list[Answer] = []
    saved: list[tuple[str, int, str]] = []
    stop = threading.Event()
    with served(create_app(engine=engine)) as base:
        clients = [threading.Thread(target=officer, name=f"officer-{n}", args=(
            base, world.auth("host_officer"), world.cycle.id, codes[n::CLIENTS], stop, answers, saved, n))
            for n in range(CLIENTS)]
        for t in clients:
            t.start()
        try:
            time.sleep(LOAD_BEFORE_RESTART)
            warm_up_until = time.monotonic() + WARM_UP_LIMIT
            while len({s[2].split(",")[0] for s in saved}) < CLIENTS and time.monotonic() < warm_up_until:
                time.sleep(0.1)
            assert saved, (f"no write succeeded in {LOAD_BEFORE_RESTART + WARM_UP_LIMIT} s before the restart: "
                           f"{sorted({(a.method, a.status, a.error[:80]) for a in answers}, key=str)[:5]}")
            down = time.monotonic()
            cluster.restart("fast")
            up = time.monotonic()
            time.sleep(LOAD_AFTER_RESTART)
        finally:
            stop.set()
            for t in clients:
                t.join(timeout=20)
    assert not any(t.is_alive() for t in clients)

    unanswered = [a for a in answers if a.status is None]
    assert not unanswered, f"requests without an answer: {unanswered[:3]}"
    wrong = [a for a in answers if a.status not in (200, 503)]
    assert not wrong, f"answers other than 200 and 503: {wrong[:3]}"
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "no request noticed the restart: the test did not test it"
    assert all(a.content_type == PROBLEM and a.problem_status == 503 and a.retry_after for a in unavailable), \
        unavailable[:3]
    # Nothing failed before the restart began. A request sent before it may still be in
    # flight when the server goes down, so what counts is when it was answered.
    assert min(a.answered for a in unavailable) >= down, min(unavailable, key=lambda a: a.answered)

    after = [a for a in answers if a.sent >= up + RECOVERY]
    assert after and all(a.status == 200 for a in after), \
        f"still failing {RECOVERY} s after the restart: {[a for a in after if a.status != 200][:3]}"
    assert {"GET", "PUT"} <= {a.method for a in after}

    with Session(engine) as session:
        audited = {(a.after["indicator_code"], a.after["version"], a.after["description"])
                   for a in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "self_assessment_entry"))}
        current = {e.indicator_code: e.version for e in session.exec(select(SelfAssessmentEntry))}
    lost = [s for s in saved if s not in audited]
    assert not lost, f"writes answered 200 but not in the database: {lost[:3]}"
    for code, version, _ in saved:
        assert current[code] >= version
