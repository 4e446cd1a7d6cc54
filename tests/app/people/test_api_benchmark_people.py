"""The contract's benchmark and people endpoints, on SQLite and PostgreSQL."""
from pathlib import Path

import yaml
from sqlmodel import col, select

from app.audit.tables import AuditEntry
from app.people.tables import City, User

ROOT = Path(__file__).resolve().parents[3]
SOURCE = yaml.safe_load((ROOT / "indicators.yaml").read_text(encoding="utf-8"))


def test_indicators_in_source_order_in_both_languages(client, world):
    fr = client.get("/api/v1/indicators?lang=fr", headers=world.auth("peer")).json()
    en = client.get("/api/v1/indicators?lang=en", headers=world.auth("peer")).json()
    assert [i["code"] for i in fr] == [i["code"] for i in SOURCE["indicators"]]
    assert fr[0] == {"code": "GG-AMB-1", "pillar": "GG", "dimension": "AMB", "number": 1,
                     "text": SOURCE["indicators"][0]["text"]["fr"]}
    assert en[72]["text"] == SOURCE["indicators"][72]["text"]["en"]


def test_indicators_filtered_by_pillar_and_dimension(client, world):
    r = client.get("/api/v1/indicators?pillar=WP&dimension=IMP&lang=en", headers=world.auth("peer"))
    assert [i["code"] for i in r.json()] == [f"WP-IMP-{n}" for n in range(1, 10)]


def test_indicators_language_follows_accept_language_without_lang(client, world):
    r = client.get("/api/v1/indicators?pillar=GG&dimension=LEA",
                   headers={**world.auth("peer"), "Accept-Language": "fr-FR,fr;q=0.9"})
    assert r.json()[0]["text"] == SOURCE["indicators"][6]["text"]["fr"]


def test_bad_filter_is_a_422_problem_naming_the_field(client, world):
    r = client.get("/api/v1/indicators?pillar=XX&lang=de", headers=world.auth("peer"))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    locs = [e["loc"] for e in r.json()["errors"]]
    assert ["query", "pillar"] in locs and ["query", "lang"] in locs


def test_indicator_sets(client, world):
    r = client.get("/api/v1/indicator-sets", headers=world.auth("outsider"))
    assert r.json() == [{"version": SOURCE["version"], "status": "approved", "indicator_count": 73}]


def test_create_city_and_user_as_in_the_contract(client, world, session):
    r = client.post("/api/v1/cities", json={"name": "Lumen", "country": "Belgium"}, headers=world.auth("coordinator"))
    assert r.status_code == 201
    city = r.json()
    assert {k: city[k] for k in ("name", "country")} == {"name": "Lumen", "country": "Belgium"}
    r = client.post("/api/v1/users", headers=world.auth("coordinator"), json={
        "email": "New.Person@Lumen.example", "full_name": "New Person", "password": "long-enough-pw", "city_id": city["id"]})
    assert r.status_code == 201
    body = r.json()
    assert {k: body[k] for k in ("email", "full_name", "city_id")} == {
        "email": "new.person@lumen.example", "full_name": "New Person", "city_id": city["id"]}
    assert body["invite_url"] is None
    token = client.post("/api/v1/auth/token", data={"username": "new.person@lumen.example", "password": "long-enough-pw"})
    assert token.status_code == 200 and token.json()["token_type"] == "bearer"
    actions = [(a.action, a.entity) for a in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("create", "city") in actions and ("create", "user") in actions
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "user")).first()
    assert audit.actor_id == world.people["coordinator"].id and "password_hash" not in audit.after


def test_second_account_with_same_email_is_409_and_nothing_changes(client, world, session):
    before = len(session.exec(select(User)).all())
    r = client.post("/api/v1/users", headers=world.auth("coordinator"), json={
        "email": "PEER@castelverde.example", "full_name": "Twin", "password": "long-enough-pw", "city_id": world.host_city.id})
    assert r.status_code == 409
    assert "peer@castelverde.example" in r.json()["detail"]
    assert len(session.exec(select(User)).all()) == before


def test_malformed_user_is_422_naming_each_field(client, world):
    r = client.post("/api/v1/users", headers=world.auth("coordinator"),
                    json={"email": "not-an-email", "full_name": "", "password": "short", "city_id": "x"})
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422 and body["title"] and body["detail"]
    assert sorted(e["loc"][-1] for e in body["errors"]) == ["city_id", "email", "full_name", "password"]


def test_user_without_password_gets_a_one_time_link_that_works_once(client, world):
    r = client.post("/api/v1/users", headers=world.auth("coordinator"), json={
        "email": "invited@velmar.example", "full_name": "Invited", "city_id": world.host_city.id})
    link = r.json()["invite_url"]
    assert link.startswith("/welcome/")
    assert client.post("/api/v1/auth/token", data={"username": "invited@velmar.example", "password": "anything-at-all"}).status_code == 401
    page = client.get(link)
    assert "Invited" in page.text
    import re
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    short = client.post(link, data={"csrf_token": csrf, "password": "short", "password_again": "short"})
    assert short.status_code == 422 and "10" in short.text
    ok = client.post(link, data={"csrf_token": csrf, "password": "my-own-password", "password_again": "my-own-password"},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert client.post("/api/v1/auth/token", data={"username": "invited@velmar.example", "password": "my-own-password"}).status_code == 200
    assert client.get(link).status_code == 404  # used up


def test_unknown_city_for_user_is_422_on_city_id(client, world):
    r = client.post("/api/v1/users", headers=world.auth("coordinator"), json={
        "email": "x@y.example", "full_name": "X", "password": "long-enough-pw", "city_id": 9999})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"loc": ["city_id"], "msg": "No city 9999."}]


def test_city_update_with_stale_if_match_is_412_and_changes_nothing(client, world, session):
    headers = world.auth("coordinator")
    etag = client.get(f"/api/v1/cities/{world.host_city.id}", headers=headers).headers["ETag"]
    first = client.patch(f"/api/v1/cities/{world.host_city.id}", json={"country": "Belgique"}, headers={**headers, "If-Match": etag})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    stale = client.patch(f"/api/v1/cities/{world.host_city.id}", json={"country": "Suisse"}, headers={**headers, "If-Match": etag})
    assert stale.status_code == 412
    session.expire_all()
    assert session.get(City, world.host_city.id).country == "Belgique"


def test_duplicate_city_name_is_409(client, world):
    r = client.post("/api/v1/cities", json={"name": "Velmar", "country": "France"}, headers=world.auth("coordinator"))
    assert r.status_code == 409 and "Velmar" in r.json()["detail"]


def test_errors_in_french_for_a_french_speaker(client, world):
    r = client.post("/api/v1/cities", json={"name": "Velmar", "country": "France"},
                    headers={**world.auth("coordinator"), "Accept-Language": "fr"})
    assert r.status_code == 409
    assert "existe déjà" in r.json()["detail"]


def test_null_for_a_required_field_is_422_and_changes_nothing(client, world, session):
    r = client.patch(f"/api/v1/users/{world.people['peer'].id}", json={"full_name": None}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["full_name"]
    r = client.patch(f"/api/v1/cities/{world.host_city.id}", json={"name": None}, headers=world.auth("coordinator"))
    assert r.status_code == 422
    session.expire_all()
    assert session.get(User, world.people["peer"].id).full_name == "Giulia Peer"


def test_a_new_one_time_link_replaces_the_earlier_one(client, world, session):
    from app.people.service import new_invitation
    from app.settings import get_settings

    r = client.post("/api/v1/users", headers=world.auth("coordinator"), json={
        "email": "twice@velmar.example", "full_name": "Twice", "city_id": world.host_city.id})
    first = r.json()["invite_url"]
    second = new_invitation(session, get_settings(), world.people["coordinator"], r.json()["id"])
    session.commit()
    assert client.get(first).status_code == 404
    assert client.get(f"/welcome/{second}").status_code == 200


def test_no_cdn_served_docs_page(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "INTI-CITIES peer review"
