"""A database unavailable for a moment answers 503 problem+json with Retry-After, in the
user's language (an HTML error page on the pages); any other unexpected error 500 in
the same shape, never Starlette's plain-text page.

On SQLite, in-process: a write waiting too long for another writer's lock, and a
commit that fails (which runs after the handler has returned, before the response).
The real thing, a PostgreSQL restart under load, is in ``test_database_restart.py``.
"""
from __future__ import annotations

import shutil
import sqlite3

import psycopg
import psycopg.errors
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from support import browser_login

from app import db
from app.errors import PROBLEM, RETRY_AFTER_SECONDS, database_unavailable
from app.main import create_app

ENTRY = {"self_rating": "at", "description": "Plan Velmar Accueil, adopted in 2025."}
UNAVAILABLE_EN = "The database is unavailable for a moment: try again in a few seconds."
UNAVAILABLE_FR = "La base de données est momentanément indisponible\u00a0: réessayez dans quelques secondes."


@pytest.fixture
def engine(sqlite_template, tmp_path, monkeypatch):
    """SQLite only (the root conftest's ``world`` and ``client`` use this one), with a
    busy timeout short enough for a test to run it out."""
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.2)
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    eng = db.make_engine(f"sqlite:///{path}")
    eng.test_path = path
    yield eng
    eng.dispose()


def report_url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/self-assessment{tail}"


def assert_unavailable(response, detail=UNAVAILABLE_EN):
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert response.json()["status"] == 503 and response.json()["detail"] == detail


def entry_version(client, world, code="GG-AMB-1") -> int:
    entries = client.get(report_url(world), headers=world.auth("host_officer")).json()["entries"]
    return next(e["version"] for e in entries if e["indicator_code"] == code)


def fail_commits(monkeypatch, engine, error: Exception) -> None:
    """Every commit from now on raises ``error`` from the driver (and commits nothing)."""
    def do_commit(_dbapi_connection):
        raise error

    monkeypatch.setattr(engine.dialect, "do_commit", do_commit)


def locked() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorname = "SQLITE_BUSY"  # as the driver sets it
    return error


def test_a_write_that_waits_too_long_for_the_lock_is_503_then_succeeds(client, world, engine):
    other = sqlite3.connect(engine.test_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        busy = client.put(report_url(world, "/GG-AMB-1"), json=ENTRY, headers=world.auth("host_officer"))
        assert_unavailable(busy)
        french = client.put(report_url(world, "/GG-AMB-1?lang=fr"), json=ENTRY, headers=world.auth("host_officer"))
        assert_unavailable(french, UNAVAILABLE_FR)
        assert french.json()["title"] == "Service indisponible"
        assert entry_version(client, world) == 0  # readers are not held up by a writer
    finally:
        other.rollback()
        other.close()
    assert client.put(report_url(world, "/GG-AMB-1"), json=ENTRY, headers=world.auth("host_officer")).status_code == 200


def test_a_failed_commit_is_503_and_saves_nothing(client, world, engine, monkeypatch):
    with monkeypatch.context() as patch:
        fail_commits(patch, engine, locked())
        assert_unavailable(client.put(report_url(world, "/GG-AMB-1"), json=ENTRY, headers=world.auth("host_officer")))
    assert entry_version(client, world) == 0
    assert client.put(report_url(world, "/GG-AMB-1"), json=ENTRY, headers=world.auth("host_officer")).status_code == 200


def test_a_page_whose_database_is_unavailable_is_the_error_page_with_retry_after(client, world, engine, session,
                                                                                 monkeypatch):
    browser_login(client, session, world.people["host_officer"])
    with monkeypatch.context() as patch:
        fail_commits(patch, engine, locked())
        page = client.get(f"/cycles/{world.cycle.id}/self-assessment?lang=fr", headers={"Accept": "text/html"})
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert UNAVAILABLE_FR in page.text


def test_an_unexpected_database_error_is_500_problem_json_not_plain_text(world, engine, monkeypatch):
    error = sqlite3.IntegrityError("UNIQUE constraint failed: something")
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as client:
        fail_commits(monkeypatch, engine, error)
        r = client.put(report_url(world, "/GG-AMB-1"), json=ENTRY, headers=world.auth("host_officer"))
    assert r.status_code == 500 and r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "Something went wrong on our side: try again in a moment."
    assert "retry-after" not in r.headers


def real_sqlite_error(tmp_path, sql: str) -> sqlite3.Error:
    holder = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        sqlite3.connect(tmp_path / "x.db", timeout=0, isolation_level=None).execute(sql)
    except sqlite3.Error as exc:
        return exc
    finally:
        holder.close()
    raise AssertionError(f"{sql} did not fail")


def wrapped(orig: Exception, cls=OperationalError, **kw) -> DBAPIError:
    return cls("SELECT 1", {}, orig, **kw)


@pytest.mark.parametrize("make_error, unavailable", [
    (lambda tmp: wrapped(real_sqlite_error(tmp, "BEGIN IMMEDIATE")), True),  # database is locked
    (lambda tmp: wrapped(real_sqlite_error(tmp, "SELECT * FROM nowhere")), False),  # our fault
    (lambda tmp: wrapped(psycopg.errors.AdminShutdown()), True),
    (lambda tmp: wrapped(psycopg.errors.CannotConnectNow()), True),
    (lambda tmp: wrapped(psycopg.errors.DeadlockDetected()), True),
    (lambda tmp: wrapped(psycopg.errors.SerializationFailure()), True),
    (lambda tmp: wrapped(psycopg.errors.TooManyConnections()), True),
    (lambda tmp: wrapped(psycopg.OperationalError("connection refused")), True),  # no SQLSTATE: no server
    (lambda tmp: wrapped(psycopg.errors.UndefinedTable(), cls=DBAPIError), False),
    (lambda tmp: wrapped(psycopg.errors.UniqueViolation(), cls=IntegrityError), False),
    (lambda tmp: wrapped(psycopg.errors.UndefinedTable(), connection_invalidated=True), True),
    (lambda tmp: PoolTimeout("QueuePool limit reached"), True),
    (lambda tmp: ValueError("not the database"), False),
])
def test_which_database_errors_mean_unavailable(tmp_path, make_error, unavailable):
    assert database_unavailable(make_error(tmp_path)) is unavailable
