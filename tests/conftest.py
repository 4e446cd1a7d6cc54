"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

PostgreSQL: ``INTI_TEST_POSTGRES_URL`` names a server to use (a database per run is
created in it); without it a throwaway cluster is started from Debian's binaries
(as the ``postgres`` user when we are root, since PostgreSQL refuses to run as root)
on a Unix socket and loopback, and removed afterwards.
"""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pg_cluster import PostgresCluster, PostgresNotInstalled
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import app.tables  # noqa: F401
from app.auth.service import API, issue_token
from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle
from app.db import make_engine, upgrade
from app.main import create_app, load_benchmark
from app.people import service as people_service
from app.people.schemas import CityCreate
from app.people.tables import City, User
from app.settings import get_settings
from support import make_user, rights_of

ROOT = Path(__file__).resolve().parents[1]
KEEP = {"indicator_set", "indicator", "alembic_version"}


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server URL (without database), for the whole run."""
    given = os.environ.get("INTI_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    try:
        cluster = PostgresCluster.start()
    except PostgresNotInstalled as exc:
        pytest.fail(str(exc))
    try:
        yield cluster.url
    finally:
        cluster.remove()


def _migrated(engine) -> None:
    upgrade(engine)
    load_benchmark(engine, get_settings())


@pytest.fixture(scope="session")
def postgres_url(postgres_server):
    name = f"inti_test_{uuid.uuid4().hex[:8]}"
    admin = make_engine(f"{postgres_server}/postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{postgres_server}/{name}"
    engine = make_engine(url)
    _migrated(engine)
    engine.dispose()
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    _migrated(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A migrated database holding the benchmark and nothing else."""
    if request.param == "sqlite":
        db = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), db)
        eng = make_engine(f"sqlite:///{db}")
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
        names = [t.name for t in SQLModel.metadata.sorted_tables if t.name not in KEEP]
        with eng.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(engine):
    with TestClient(create_app(engine=engine)) as c:
        yield c


@pytest.fixture
def database(engine, monkeypatch):
    """The command line (``app.cli``, which reads the settings) on the test's database."""
    monkeypatch.setenv("INTI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@dataclass
class World:
    """A cycle with one person in each role, an outsider and a coordinator."""

    host_city: City
    other_city: City
    cycle: Cycle
    people: dict[str, User]  # role name -> user
    tokens: dict[str, str]   # role name -> API bearer token

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}


@pytest.fixture
def world(session, client) -> World:
    """Made through the services, as a coordinator would (people get a password hashed once
    for the whole run: argon2 is slow on purpose)."""
    coordinator = make_user(session, "coord@example.org", "Claire Coordinator", None, coordinator=True)
    host, other, third = (people_service.create_city(session, coordinator.id, CityCreate(name=n, country=c))
                          for n, c in (("Velmar", "France"), ("Nordhaven", "Denmark"), ("Castelverde", "Italy")))
    session.commit()
    people = {
        "coordinator": coordinator,
        "host_officer": make_user(session, "officer@velmar.example", "Amina Officer", host),
        "peer": make_user(session, "peer@castelverde.example", "Giulia Peer", third),
        "team_leader": make_user(session, "leader@nordhaven.example", "Lars Leader", other),
        "outsider": make_user(session, "outsider@nordhaven.example", "Otto Outsider", other),
    }
    cycle = cycle_service.create_cycle(session, coordinator, CycleCreate(title="Velmar 2027", host_city_id=host.id))
    session.commit()
    rights = rights_of(session, coordinator, cycle)
    for role in ("host_officer", "peer", "team_leader"):
        cycle_service.add_member(session, rights, cycle, MemberCreate(user_id=people[role].id, role=role))
    session.commit()
    tokens = {role: issue_token(session, user, API, timedelta(hours=1)) for role, user in people.items()}
    session.commit()
    return World(host, other, cycle, people, tokens)


@pytest.fixture(scope="session")
def soffice():
    """LibreOffice's command, for the tests that open workbooks with it."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice is not installed: run the README's test command, which installs it.")
    return path
