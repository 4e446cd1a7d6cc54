"""Recommendations through the API: the contract's POST, the action plan's fields, the
peers' proposals, If-Match, and bad input named field by field (nothing written)."""
from sqlmodel import col, select

from app.audit.tables import AuditEntry
from app.reports.tables import Recommendation

BODY = {"indicator_codes": ["GG-AMB-1", "ie-lea-1"], "text": "Give the strategy a budget line.", "horizon": "short"}


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/recommendations{tail}"


def stored(session):
    session.expire_all()
    return session.exec(select(Recommendation)).all()


def test_the_team_leader_recommends_and_the_team_reads_it(client, reporting, session):
    body = {**BODY, "priority": "high", "owner": "Integration office", "follow_up_on": "2027-12-31"}
    r = client.post(url(reporting), json=body, headers=reporting.auth("team_leader"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["indicator_codes"] == ["GG-AMB-1", "IE-LEA-1"]  # upper case, the set's spelling
    assert (made["status"], made["priority"], made["owner"], made["follow_up_on"]) == (
        "accepted", "high", "Integration office", "2027-12-31")
    assert r.headers["ETag"] == '"1"'
    listed = client.get(url(reporting), headers=reporting.auth("peer")).json()
    assert [x["text"] for x in listed] == ["Give the strategy a budget line."]
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "recommendation")).one()
    assert audit.after["horizon"] == "short"


def test_a_peer_proposes_and_the_team_leader_accepts(client, reporting, session):
    r = client.post(url(reporting), json=BODY, headers=reporting.auth("peer"))
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    rec_id = r.json()["id"]
    # the peer may still change their proposal; the host city does not see it
    r = client.patch(url(reporting, f"/{rec_id}"), json={"text": "A budget line, each year."},
                     headers={**reporting.auth("peer"), "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["text"] == "A budget line, each year."
    r = client.post(url(reporting, f"/{rec_id}/accept"), headers=reporting.auth("peer"))
    assert r.status_code == 403
    r = client.post(url(reporting, f"/{rec_id}/accept"), headers={**reporting.auth("team_leader"), "If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    # once accepted, the proposal is the team leader's to change
    r = client.patch(url(reporting, f"/{rec_id}"), json={"text": "Mine again."}, headers=reporting.auth("peer"))
    assert r.status_code == 403
    assert [x.text for x in stored(session)] == ["A budget line, each year."]


def test_the_host_city_may_not_write_a_recommendation(client, reporting, session):
    r = client.post(url(reporting), json=BODY, headers=reporting.auth("host_officer"))
    assert r.status_code == 403
    assert stored(session) == []


def test_a_stale_if_match_changes_nothing(client, reporting, session):
    rec_id = client.post(url(reporting), json=BODY, headers=reporting.auth("team_leader")).json()["id"]
    h = reporting.auth("team_leader")
    assert client.patch(url(reporting, f"/{rec_id}"), json={"horizon": "long"},
                        headers={**h, "If-Match": '"1"'}).status_code == 200
    r = client.patch(url(reporting, f"/{rec_id}"), json={"horizon": "medium"}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 412
    assert [x.horizon for x in stored(session)] == ["long"]
    r = client.delete(url(reporting, f"/{rec_id}"), headers={**h, "If-Match": '"1"'})
    assert r.status_code == 412 and len(stored(session)) == 1
    assert client.delete(url(reporting, f"/{rec_id}"), headers={**h, "If-Match": '"2"'}).status_code == 204
    assert stored(session) == []


def test_bad_input_names_each_field_in_the_callers_language(client, reporting, session):
    h = {**reporting.auth("team_leader"), "Accept-Language": "fr"}
    r = client.post(url(reporting), json={**BODY, "indicator_codes": ["GG-AMB-1", "XX-YYY-9"]}, headers=h)
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["loc"] == ["indicator_codes", 1] and "XX-YYY-9" in error["msg"]
    r = client.post(url(reporting), json={**BODY, "horizon": "someday"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["horizon"]
    r = client.post(url(reporting), json={**BODY, "follow_up_on": "1999-01-01"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["follow_up_on"]
    assert "2000" in r.json()["errors"][0]["msg"]
    r = client.post(url(reporting), json={**BODY, "owner": "Mayor\u202eevil"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["owner"]
    r = client.post(url(reporting), json={**BODY, "text": "   "}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["text"]
    assert stored(session) == []


def test_recommendations_wait_for_the_visit(client, world, session):
    r = client.post(url(world), json=BODY, headers=world.auth("team_leader"))
    assert r.status_code == 409
    assert stored(session) == []
