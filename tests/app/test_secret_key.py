"""No built-in secret key: without INTI_SECRET_KEY one is generated at the first start,
kept in the database and shared by every worker and restart."""
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import select
from support import browser_login, csrf_of, make_user

from app.main import create_app
from app.people.tables import City
from app.secret_key import ServiceSecret, stored_secret_key
from app.settings import Settings

HTML = {"Accept": "text/html"}


def key_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "INTI_SECRET_KEY" in r.getMessage()]


def test_a_generated_key_is_stored_once_and_shared_by_workers_and_restarts(engine, session, caplog):
    caplog.set_level(logging.INFO, logger="uvicorn.error")
    coordinator = make_user(session, "coord@example.org", "Claire", None, coordinator=True)
    settings = Settings(secret_key=None)
    with TestClient(create_app(settings=settings, engine=engine)) as a, \
            TestClient(create_app(settings=settings, engine=engine)) as b:
        key = a.app.state.settings.secret_key
        assert key and len(key) >= 32 and b.app.state.settings.secret_key == key
        # A form shown by one worker is accepted by the other.
        browser_login(a, session, coordinator)
        csrf = csrf_of(a, "/admin/cities")
        for name, value in a.cookies.items():
            b.cookies.set(name, value)
        r = b.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": csrf}, headers=HTML,
                   follow_redirects=False)
        assert r.status_code == 303 and session.exec(select(City).where(City.name == "Lumen")).first()
    with TestClient(create_app(settings=settings, engine=engine)) as restarted:
        assert restarted.app.state.settings.secret_key == key
    assert settings.secret_key is None  # the settings given are not changed
    assert [row.value for row in session.exec(select(ServiceSecret)).all()] == [key]
    messages = key_messages(caplog)
    assert len(messages) == 3 and "generated a random secret key" in messages[0]
    assert all("using the secret key stored in the database" in m for m in messages[1:])


def test_workers_starting_together_agree_on_one_key(engine):
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda _: stored_secret_key(engine), range(4)))
    assert len({key for key, _ in found}) == 1 and sum(made for _, made in found) == 1


def test_a_key_from_the_environment_is_used_and_nothing_is_stored(engine, session, caplog):
    caplog.set_level(logging.INFO, logger="uvicorn.error")
    own = "k" * 40
    with TestClient(create_app(settings=Settings(secret_key=own), engine=engine)) as c:
        assert c.app.state.settings.secret_key == own
    assert session.exec(select(ServiceSecret)).all() == [] and key_messages(caplog) == []


@pytest.mark.parametrize("weak", ["change-me-in-production", "short-secret"])
def test_the_former_default_or_a_short_key_is_refused(weak):
    with pytest.raises(ValidationError, match="INTI_SECRET_KEY"):
        Settings(secret_key=weak)
    assert Settings(secret_key="").secret_key is None
