"""Cycles, members and phases as the contract writes them."""
from sqlmodel import select
from support import judge_all, publish_report, submit_all_reviews, submit_report

from app.audit.tables import AuditEntry
from app.cycles.tables import Cycle, CycleMember
from app.people.tables import User


def create_cycle(client, world, **extra):
    r = client.post("/api/v1/cycles", json={"title": "Velmar 2028", "host_city_id": world.host_city.id, **extra},
                    headers=world.auth("coordinator"))
    assert r.status_code == 201, r.text
    return r.json()


def test_create_cycle_uses_current_set_and_starts_in_self_assessment(client, world):
    body = create_cycle(client, world, deadlines={"self_assessment": "2028-01-31"})
    assert body["phase"] == "self_assessment"
    assert body["host_city_id"] == world.host_city.id
    assert body["indicator_set_version"] == client.get("/api/v1/indicator-sets", headers=world.auth("coordinator")).json()[0]["version"]
    assert body["deadlines"] == {"self_assessment": "2028-01-31"} and body["deadline"] == "2028-01-31"
    assert body["members"] == []


def test_unknown_indicator_set_version_is_422(client, world):
    r = client.post("/api/v1/cycles", json={"title": "T", "host_city_id": world.host_city.id, "indicator_set_version": "9.9"},
                    headers=world.auth("coordinator"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["indicator_set_version"]


def test_get_cycle_lists_members_with_roles(client, world):
    body = client.get(f"/api/v1/cycles/{world.cycle.id}", headers=world.auth("peer")).json()
    assert {(m["user_id"], m["role"]) for m in body["members"]} == {
        (world.people[r].id, r) for r in ("host_officer", "peer", "team_leader")}
    assert body["my_role"] == "peer"


def test_members_rules(client, world, session):
    cycle = create_cycle(client, world)
    url = f"/api/v1/cycles/{cycle['id']}/members"
    h = world.auth("coordinator")
    officer, peer, leader = (world.people[r].id for r in ("host_officer", "peer", "team_leader"))
    assert client.post(url, json={"user_id": officer, "role": "host_officer"}, headers=h).status_code == 201
    host_peer = client.post(url, json={"user_id": officer, "role": "peer"}, headers=h)
    assert host_peer.status_code == 409  # already a member
    other_officer = User(email="second@velmar.example", full_name="Second", city_id=world.host_city.id)
    session.add(other_officer)
    session.commit()
    r = client.post(url, json={"user_id": other_officer.id, "role": "peer"}, headers=h)
    assert r.status_code == 409 and "host city" in r.json()["detail"]
    r = client.post(url, json={"user_id": peer, "role": "host_officer"}, headers=h)
    assert r.status_code == 409 and "host officer" in r.json()["detail"]
    assert client.post(url, json={"user_id": leader, "role": "team_leader"}, headers=h).status_code == 201
    r = client.post(url, json={"user_id": peer, "role": "team_leader"}, headers=h)
    assert r.status_code == 409 and "team leader" in r.json()["detail"]
    r = client.post(url, json={"user_id": peer, "role": "peer"}, headers=h)
    assert r.status_code == 201
    assert {(m["user_id"], m["role"]) for m in r.json()["members"]} == {
        (officer, "host_officer"), (leader, "team_leader"), (peer, "peer")}
    members = session.exec(select(CycleMember).where(CycleMember.cycle_id == cycle["id"])).all()
    assert len(members) == 3


def test_bad_role_is_422(client, world):
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/members", json={"user_id": world.people["outsider"].id, "role": "boss"},
                    headers=world.auth("coordinator"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["role"]


def phase(client, world, role, target, **headers):
    return client.post(f"/api/v1/cycles/{world.cycle.id}/phase", json={"phase": target},
                       headers={**world.auth(role), **headers})


def test_cycle_leaves_self_assessment_only_once_the_report_is_submitted(client, world, session):
    r = phase(client, world, "coordinator", "preparatory_review")
    assert r.status_code == 409 and "initial report" in r.json()["detail"]
    session.expire_all()
    assert session.get(Cycle, world.cycle.id).phase == "self_assessment"
    submit_report(session, world.cycle)
    assert phase(client, world, "coordinator", "preparatory_review").status_code == 200


def test_phase_moves_one_step_forward_with_team_leader_from_preparatory_review(client, world, session):
    submit_report(session, world.cycle)
    assert phase(client, world, "team_leader", "preparatory_review").status_code == 403
    assert phase(client, world, "coordinator", "visit").status_code == 409  # two steps
    r = phase(client, world, "coordinator", "preparatory_review")
    assert r.status_code == 200 and r.json()["phase"] == "preparatory_review"
    submit_all_reviews(session, world.cycle)
    assert phase(client, world, "team_leader", "visit").json()["phase"] == "visit"
    assert phase(client, world, "team_leader", "preparatory_review").status_code == 403  # back: coordinator only
    assert phase(client, world, "peer", "reporting").status_code == 403
    assert phase(client, world, "host_officer", "reporting").status_code == 403
    assert phase(client, world, "coordinator", "preparatory_review").json()["phase"] == "preparatory_review"
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "phase").order_by(AuditEntry.id)).all()
    assert [(a.before["phase"], a.after["phase"]) for a in audit] == [
        ("self_assessment", "preparatory_review"), ("preparatory_review", "visit"), ("visit", "preparatory_review")]


def test_published_cycle_is_frozen(client, world, session):
    submit_report(session, world.cycle)
    for target in ("preparatory_review", "visit", "reporting"):
        assert phase(client, world, "coordinator", target).status_code == 200
        if target == "preparatory_review":
            submit_all_reviews(session, world.cycle)
        if target == "visit":
            judge_all(session, world.cycle)
    publish_report(session, world.cycle)
    assert phase(client, world, "coordinator", "reporting").status_code == 409
    r = client.patch(f"/api/v1/cycles/{world.cycle.id}", json={"title": "Renamed"}, headers=world.auth("coordinator"))
    assert r.status_code == 409
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/members", json={"user_id": world.people["outsider"].id, "role": "peer"},
                    headers=world.auth("coordinator"))
    assert r.status_code == 409
    session.expire_all()
    assert (session.get(Cycle, world.cycle.id).phase, session.get(Cycle, world.cycle.id).title) == (
        "published", "Velmar 2027")


def test_phase_with_stale_if_match_is_412(client, world, session):
    r = phase(client, world, "coordinator", "preparatory_review", **{"If-Match": '"999"'})
    assert r.status_code == 412
    session.expire_all()
    assert session.get(Cycle, world.cycle.id).phase == "self_assessment"


def test_unknown_phase_is_422(client, world):
    r = phase(client, world, "coordinator", "party")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["phase"]


def test_list_cycles_shows_only_my_cycles(client, world):
    create_cycle(client, world)
    assert len(client.get("/api/v1/cycles", headers=world.auth("coordinator")).json()) == 2
    mine = client.get("/api/v1/cycles", headers=world.auth("peer")).json()
    assert [(c["id"], c["my_role"]) for c in mine] == [(world.cycle.id, "peer")]
    assert client.get("/api/v1/cycles", headers=world.auth("outsider")).json() == []


def test_update_deadlines_and_remove_member(client, world):
    h = world.auth("coordinator")
    url = f"/api/v1/cycles/{world.cycle.id}"
    etag = client.get(url, headers=h).headers["ETag"]
    r = client.patch(url, json={"deadlines": {"visit": "2027-03-19"}}, headers={**h, "If-Match": etag})
    assert r.status_code == 200 and r.json()["deadlines"] == {"visit": "2027-03-19"}
    assert r.headers["ETag"] != etag  # a change of deadlines is a new version of the cycle
    assert client.patch(url, json={"title": "Other"}, headers={**h, "If-Match": etag}).status_code == 412
    r = client.delete(f"{url}/members/{world.people['peer'].id}", headers=h)
    assert world.people["peer"].id not in [m["user_id"] for m in r.json()["members"]]
    assert client.get(url, headers=world.auth("peer")).status_code == 404



def test_a_member_cannot_change_city_against_the_team_rules(client, world, session):
    h = world.auth("coordinator")
    officer, peer = world.people["host_officer"], world.people["peer"]
    r = client.patch(f"/api/v1/users/{officer.id}", json={"city_id": world.other_city.id}, headers=h)
    assert r.status_code == 409 and "Velmar 2027" in r.json()["detail"]
    r = client.patch(f"/api/v1/users/{peer.id}", json={"city_id": world.host_city.id}, headers=h)
    assert r.status_code == 409
    assert client.patch(f"/api/v1/users/{peer.id}", json={"city_id": world.other_city.id}, headers=h).status_code == 200
    session.expire_all()
    assert session.get(User, officer.id).city_id == world.host_city.id


def test_the_database_itself_holds_one_team_leader_per_cycle(session, world):
    import pytest
    from sqlalchemy.exc import IntegrityError

    session.add(CycleMember(cycle_id=world.cycle.id, user_id=world.people["outsider"].id, role="team_leader"))
    with pytest.raises(IntegrityError):
        session.commit()
