"""A deactivated person's tokens and sessions end: reactivating the account does not revive them."""
from sqlmodel import select
from support import PASSWORD, browser_login

from app.auth.tables import AuthToken

HTML = {"Accept": "text/html"}


def test_deactivating_ends_tokens_and_sessions_for_good(client, world, session):
    peer = world.people["peer"]
    browser_login(client, session, peer)
    assert client.get("/", headers=HTML).status_code == 200
    for active in (False, True):
        r = client.patch(f"/api/v1/users/{peer.id}", json={"is_active": active}, headers=world.auth("coordinator"))
        assert r.status_code == 200 and r.json()["is_active"] is active
    assert client.get("/api/v1/me", headers=world.auth("peer")).status_code == 401
    page = client.get("/", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert session.exec(select(AuthToken).where(AuthToken.user_id == peer.id)).all() == []
    again = client.post("/api/v1/auth/token", data={"username": peer.email, "password": PASSWORD})
    assert again.status_code == 200  # the person, reactivated, logs in anew
    assert client.get("/api/v1/me", headers=world.auth("team_leader")).status_code == 200  # others untouched
