"""Browser tests: the real app served by uvicorn, driven by Debian's Chromium.

One server per run, on a SQLite file migrated and loaded with the benchmark
(the API tests cover PostgreSQL; here the browser is what is under test). The
root conftest's parametrised ``engine`` fixture is deliberately not used.

On a failure the page is saved to ``test-results/<test name>.png``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select

import app.tables  # noqa: F401  (every table registered before the engine is used)
from app.db import make_engine, upgrade
from app.main import create_app, load_benchmark
from app.people.tables import City, User
from app.settings import get_settings

HERE = Path(__file__).resolve().parent
#: The same password as the root conftest's users, hashed once (argon2 is slow on purpose).
from support import PASSWORD, make_user, served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# --- marker and failure screenshots -------------------------------------------------

def pytest_collection_modifyitems(config, items):
    """Every test of this folder drives a browser (a conftest hook sees the whole run's
    items, so only those under this folder are marked)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    if report.when == "call" and report.failed and HERE in Path(item.path).resolve().parents:
        page = getattr(item, "funcargs", {}).get("page")
        if page is not None and not page.is_closed():
            target = item.config.rootpath / "test-results" / f"{item.name}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(target), full_page=True)
                report.sections.append(("screenshot", str(target)))
            except Exception as exc:  # a screenshot must never hide the real failure
                report.sections.append(("screenshot", f"could not be taken: {exc!r}"))
    return report


# --- the browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own here); headless unless --headed."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """An English-speaking browser (Accept-Language: en-GB) unless a test says otherwise."""
    return {**browser_context_args, "locale": "en-GB"}


# --- the served app -------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_db(tmp_path_factory):
    """The engine of the served app's database: migrated, benchmark loaded."""
    path = tmp_path_factory.mktemp("browser") / "inti.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    load_benchmark(engine, get_settings())
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_db):
    """The real app served by uvicorn in a thread on 127.0.0.1; yields its base URL."""
    with served(create_app(engine=browser_db)) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright's base URL: ``page.goto("/benchmark")`` reaches the served app."""
    return live_server


# --- people ---------------------------------------------------------------------------

@dataclass
class People:
    city: City
    coordinator: User
    host_officer: User   # a city officer whose language is not set
    password: str = PASSWORD


@pytest.fixture(scope="session")
def _people(browser_db) -> People:
    with Session(browser_db, expire_on_commit=False) as session:
        city = City(name="Velmar", country="France")
        session.add(city)
        session.commit()
        return People(
            city=city,
            coordinator=make_user(session, "coord@example.org", "Claire Coordinator", None, coordinator=True),
            host_officer=make_user(session, "officer@velmar.example", "Amina Officer", city),
        )


@pytest.fixture
def people(_people, browser_db) -> People:
    """The users of the served database, made once; each test starts with no language
    remembered in their profiles (a language switch while logged in stores one)."""
    with Session(browser_db) as session:
        for user in session.exec(select(User)):
            user.language = None
            session.add(user)
        session.commit()
    return _people
