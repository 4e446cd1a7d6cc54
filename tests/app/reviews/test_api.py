"""The preparatory review's API: one's own review, blind until submitted, the team's view."""
import threading

import pytest
from sqlmodel import col, select

from benchmark.scales import Phase

from app.audit.tables import AuditEntry
from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate
from app.reviews.tables import PreparatoryReview, ReviewEntry
from support import make_user, rights_of, start_preparatory_review, write_review

MODEL_ROW = {  # the seed's example row (GG-IMP-3, the standing consultative committee)
    "performance": "below",
    "hypothesis": {"known": "A consultative committee exists and meets twice a year.",
                   "unknown": "Whether its advice reaches the council's decisions.",
                   "suspected": "It is consulted after decisions are taken, not before."},
    "questions": ["Who sets the committee's agenda?", "What became of its last three opinions?"],
    "people_to_meet": [{"name": "Hélène Marchetti", "role": "Deputy mayor", "organisation": "City of Velmar",
                        "interpreter": False},
                       {"name": "Youssef Benali", "role": "Member", "organisation": "Consultative committee",
                        "interpreter": True}],
}


@pytest.fixture
def team(session, world):
    """The cycle in its preparatory review, with a second peer."""
    second = make_user(session, "peer2@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    start_preparatory_review(session, world.cycle)
    world.people["second"] = second
    from app.auth.service import API, issue_token
    from datetime import timedelta
    world.tokens["second"] = issue_token(session, second, API, timedelta(hours=1))
    session.commit()
    return world


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/{tail}"


def test_a_peer_writes_the_model_row_and_reads_it_back_with_its_etag(client, team):
    r = client.put(url(team, "reviews/me/GG-IMP-3"), json=MODEL_ROW, headers={**team.auth("peer"), "If-Match": '"0"'})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"1"'
    assert r.json()["hypothesis"]["suspected"] == MODEL_ROW["hypothesis"]["suspected"]
    mine = client.get(url(team, "reviews/me"), headers=team.auth("peer")).json()
    assert mine["status"] == "draft" and mine["submitted"] is False
    assert (mine["completed"], mine["total"]) == (1, 73)
    entry = next(e for e in mine["entries"] if e["indicator_code"] == "GG-IMP-3")
    assert entry["people_to_meet"][1] == MODEL_ROW["people_to_meet"][1]
    assert entry["questions"] == MODEL_ROW["questions"] and entry["version"] == 1
    # the other peer's review is their own: empty
    other = client.get(url(team, "reviews/me"), headers=team.auth("second")).json()
    assert other["completed"] == 0 and all(e["version"] == 0 for e in other["entries"])


def test_racing_writers_with_one_if_match_make_one_winner(client, team):
    client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "at"}, headers=team.auth("peer"))
    answers = []

    def save(n):
        answers.append(client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "above", "questions": [f"Q{n}"]},
                                  headers={**team.auth("peer"), "If-Match": '"1"'}).status_code)
    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200] + [412] * 7
    entry = client.get(url(team, "reviews/me"), headers=team.auth("peer")).json()["entries"][0]
    assert entry["version"] == 2


@pytest.mark.parametrize("body, where", [
    ({"performance": "excellent"}, ["performance"]),
    ({"performance": "at", "questions": ["two\nlines"]}, ["questions", 0]),
    ({"performance": "at", "people_to_meet": [{"name": ""}]}, ["people_to_meet", 0, "name"]),
    ({"performance": "at", "hypothesis": {"known": "x" * 5001}}, ["hypothesis", "known"]),
    ({"performance": "at", "colour": "red"}, ["colour"]),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(client, team, session, body, where):
    r = client.put(url(team, "reviews/me/GG-AMB-1"), json=body, headers=team.auth("peer"))
    assert r.status_code == 422
    assert any(e["loc"][:len(where)] == where for e in r.json()["errors"]), r.json()
    assert session.exec(select(ReviewEntry)).first() is None


def test_an_unknown_indicator_is_404(client, team):
    r = client.put(url(team, "reviews/me/XX-YYY-9"), json={"performance": "at"}, headers=team.auth("peer"))
    assert r.status_code == 404 and "XX-YYY-9" in r.json()["detail"]


def test_submit_lists_what_is_missing_then_locks_the_review(client, team, session):
    write_review(session, team.cycle, team.people["peer"], {"GG-AMB-1": "at", "GG-AMB-2": "more_info"})
    r = client.post(url(team, "reviews/me/submit"), headers=team.auth("peer"))
    assert r.status_code == 409
    assert len(r.json()["missing"]) == 71 and "GG-AMB-1" not in r.json()["missing"]
    write_review(session, team.cycle, team.people["peer"])
    r = client.post(url(team, "reviews/me/submit"), headers=team.auth("peer"))
    assert r.status_code == 200 and r.json()["submitted"] is True
    r = client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "below"}, headers=team.auth("peer"))
    assert r.status_code == 409 and "reopen" in r.json()["detail"]
    assert session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "preparatory_review",
                                                 AuditEntry.action == "submit")).one()


def test_blind_until_submitted(client, team, session):
    write_review(session, team.cycle, team.people["second"], submit=True)
    # the peer who has not submitted sees nothing of the other's: 403 everywhere, not even counts
    for path in ("reviews", "consolidation", f"reviews/{team.people['second'].id}", "reviews/progress"):
        r = client.get(url(team, path), headers=team.auth("peer"))
        assert r.status_code == 403, (path, r.text)
        assert "Bruno" not in r.text
    # the host officer sees none of the peers' material before publication
    for path in ("reviews", "consolidation", "reviews/me", "reviews/progress"):
        assert client.get(url(team, path), headers=team.auth("host_officer")).status_code == 403
    # once their own is submitted: every submitted review, signed
    write_review(session, team.cycle, team.people["peer"], submit=True)
    reviews = client.get(url(team, "reviews"), headers=team.auth("peer")).json()
    assert {r["reviewer_name"] for r in reviews} == {"Giulia Peer", "Bruno Second"}
    assert all(r["submitted"] and r["completed"] == 73 for r in reviews)


def test_the_team_leader_follows_progress_and_sees_only_submitted_reviews(client, team, session):
    write_review(session, team.cycle, team.people["peer"], {"GG-AMB-1": "at", "GG-AMB-2": "below"})
    write_review(session, team.cycle, team.people["second"], submit=True)
    progress = client.get(url(team, "reviews/progress"), headers=team.auth("team_leader")).json()
    by_name = {p["reviewer_name"]: p for p in progress["reviewers"]}
    assert list(by_name) == ["Lars Leader", "Bruno Second", "Giulia Peer"]  # the team leader first
    assert (by_name["Giulia Peer"]["judged"], by_name["Giulia Peer"]["submitted"]) == (2, False)
    assert (by_name["Bruno Second"]["judged"], by_name["Bruno Second"]["submitted"]) == (73, True)
    assert by_name["Giulia Peer"]["last_activity"] and by_name["Lars Leader"]["last_activity"] is None
    reviews = client.get(url(team, "reviews"), headers=team.auth("team_leader")).json()
    assert [r["reviewer_name"] for r in reviews] == ["Bruno Second"]
    r = client.get(url(team, f"reviews/{team.people['peer'].id}"), headers=team.auth("team_leader"))
    assert r.status_code == 404  # a draft is its writer's own


def test_the_team_leader_reopens_a_review_with_a_reason(client, team, session):
    write_review(session, team.cycle, team.people["peer"], submit=True)
    peer_id = team.people["peer"].id
    r = client.post(url(team, f"reviews/{peer_id}/reopen"), json={"reason": ""}, headers=team.auth("team_leader"))
    assert r.status_code == 422
    r = client.post(url(team, f"reviews/{peer_id}/reopen"), json={"reason": "GG-IMP-3 needs a hypothesis."},
                    headers=team.auth("second"))
    assert r.status_code == 403
    r = client.post(url(team, f"reviews/{peer_id}/reopen"), json={"reason": "GG-IMP-3 needs a hypothesis."},
                    headers=team.auth("team_leader"))
    assert r.status_code == 200 and r.json()["status"] == "draft"
    header = session.get(PreparatoryReview, (team.cycle.id, peer_id))
    session.refresh(header)
    assert header.reopen_reason == "GG-IMP-3 needs a hypothesis." and header.reopened_by == team.people["team_leader"].id
    r = client.post(url(team, f"reviews/{peer_id}/reopen"), json={"reason": "again"}, headers=team.auth("team_leader"))
    assert r.status_code == 409  # not submitted any more
    assert client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "above"},
                      headers=team.auth("peer")).status_code == 200


def test_only_reviewers_write_and_only_in_the_preparatory_review(client, team, session, world):
    for role in ("host_officer", "coordinator", "outsider"):
        r = client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "at"}, headers=team.auth(role))
        assert r.status_code == (404 if role == "outsider" else 403), role
    # the team leader writes one too
    assert client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "at"},
                      headers=team.auth("team_leader")).status_code == 200
    coordinator = team.people["coordinator"]
    cycles_service.change_phase(session, rights_of(session, coordinator, world.cycle), world.cycle,
                                Phase.SELF_ASSESSMENT)
    session.commit()
    r = client.put(url(team, "reviews/me/GG-AMB-1"), json={"performance": "at"}, headers=team.auth("peer"))
    assert r.status_code == 409


def test_the_cycle_leaves_the_preparatory_review_when_every_reviewer_has_submitted(client, team, session):
    write_review(session, team.cycle, team.people["peer"], submit=True)
    r = client.post(url(team, "phase"), json={"phase": "visit"}, headers=team.auth("team_leader"))
    assert r.status_code == 409
    assert "Bruno Second" in r.json()["detail"] and "Lars Leader" in r.json()["detail"]
    # a coordinator may override, with a recorded reason
    r = client.post(url(team, "phase"), json={"phase": "visit", "override_reason": "Bruno is ill."},
                    headers=team.auth("coordinator"))
    assert r.status_code == 200
    audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "cycle", AuditEntry.action == "phase")
                         .order_by(AuditEntry.id.desc())).first()
    assert audit.after["override_reason"] == "Bruno is ill."
    # from the visit on, every team member sees the pooled reviews
    assert client.get(url(team, "reviews"), headers=team.auth("second")).status_code == 200


def test_the_phase_moves_on_once_all_have_submitted(client, team, session):
    for who in ("peer", "second", "team_leader"):
        write_review(session, team.cycle, team.people[who], submit=True)
    r = client.post(url(team, "phase"), json={"phase": "visit"}, headers=team.auth("team_leader"))
    assert r.status_code == 200 and r.json()["phase"] == "visit"


def test_the_consolidation_pools_the_submitted_reviews(client, team, session):
    import krippendorff

    peer, second, leader = (team.people[k] for k in ("peer", "second", "team_leader"))
    write_review(session, team.cycle, peer)  # "at" everywhere
    write_review(session, team.cycle, peer, {"GG-AMB-1": "below", "GG-AMB-2": "more_info", "IE-AMB-1": "above"},
                 questions=["Who chairs the committee?"],
                 people_to_meet=[{"name": "Hélène Marchetti", "role": "Deputy mayor"}], submit=True)
    write_review(session, team.cycle, second)
    write_review(session, team.cycle, second, {"GG-AMB-1": "below", "IE-AMB-1": "below"})
    write_review(session, team.cycle, second, questions=["who chairs  the COMMITTEE ?"],
                 people_to_meet=[{"name": "helene marchetti", "organisation": "City of Velmar", "interpreter": True}],
                 performances={"GG-AMB-3": "at"})
    # the second peer's draft is theirs: the consolidation pools submitted reviews only
    data = client.get(f"/api/v1/cycles/{team.cycle.id}/consolidation", headers=team.auth("team_leader")).json()
    assert [r["reviewer_name"] for r in data["reviewers"]] == ["Giulia Peer"]
    assert {p["reviewer_name"] for p in data["pending"]} == {"Bruno Second", "Lars Leader"}
    assert data["alpha"] is None  # one reviewer: no agreement to measure
    write_review(session, team.cycle, second, submit=True, performances={})
    write_review(session, team.cycle, leader, submit=True)
    data = client.get(f"/api/v1/cycles/{team.cycle.id}/consolidation", headers=team.auth("peer")).json()
    assert set(data) >= {"alpha", "alpha_by_pillar", "indicators"} and set(data["alpha_by_pillar"]) == {
        "GG", "IE", "AC", "WP"}
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["GG-AMB-1"]["counts"] == {"below": 2, "at": 1, "above": 0, "more_info": 0}
    assert by_code["GG-AMB-1"]["flagged"] and by_code["GG-AMB-2"]["flagged"]  # disagreement; more information
    assert not by_code["GG-AMB-3"]["flagged"]
    assert by_code["GG-AMB-1"]["majority"] == "below" and by_code["GG-AMB-1"]["self_rating"] == "at"
    assert by_code["GG-AMB-1"]["host_vs_peers"] == "higher"
    # one person, named by two peers in different ways; one question
    people = by_code["GG-AMB-3"]["people_to_meet"]
    assert len(people) == 1 and people[0]["interpreter"] is True
    assert len(by_code["GG-AMB-3"]["questions"]) == 1
    # alpha: ordinal, more_info missing, computed independently with the library
    order = {"below": 0, "at": 1, "above": 2}
    reviews = client.get(f"/api/v1/cycles/{team.cycle.id}/reviews", headers=team.auth("peer")).json()
    matrix = [[order.get(e["performance"], float("nan")) for e in r["entries"]] for r in reviews]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal", value_domain=[0, 1, 2])
    assert data["alpha"] == pytest.approx(expected)
    assert data["alpha"] < 1
    # flagged indicators can be put first by a client: the pages do
    assert by_code["GG-AMB-1"]["judgements"] == {str(peer.id): "below", str(second.id): "below",
                                                 str(leader.id): "at"}


def test_the_consolidation_follows_a_reopened_and_resubmitted_review(client, team, session):
    """The consolidation is kept while its reviews stay submitted: reopening one and
    submitting it again with another judgement shows at once."""
    peer, second = team.people["peer"], team.people["second"]
    write_review(session, team.cycle, peer, submit=True)
    write_review(session, team.cycle, second, submit=True)
    path = f"/api/v1/cycles/{team.cycle.id}/consolidation"

    def gg_amb_1():
        data = client.get(path, headers=team.auth("team_leader")).json()
        return next(i for i in data["indicators"] if i["code"] == "GG-AMB-1")["counts"], len(data["reviewers"])

    assert gg_amb_1() == ({"below": 0, "at": 2, "above": 0, "more_info": 0}, 2)
    r = client.post(f"/api/v1/cycles/{team.cycle.id}/reviews/{second.id}/reopen", json={"reason": "Look again."},
                    headers=team.auth("team_leader"))
    assert r.status_code == 200
    assert gg_amb_1() == ({"below": 0, "at": 1, "above": 0, "more_info": 0}, 1)
    assert client.put(f"/api/v1/cycles/{team.cycle.id}/reviews/me/GG-AMB-1", json={"performance": "above"},
                      headers=team.auth("second")).status_code == 200
    assert client.post(f"/api/v1/cycles/{team.cycle.id}/reviews/me/submit",
                       headers=team.auth("second")).status_code == 200
    assert gg_amb_1() == ({"below": 0, "at": 1, "above": 1, "more_info": 0}, 2)


def test_before_the_preparatory_review_a_peer_is_told_when_reviews_begin(client, world):
    r = client.get(f"/api/v1/cycles/{world.cycle.id}/consolidation", headers=world.auth("peer"))
    assert r.status_code == 403 and "once the host city has submitted its initial report" in r.json()["detail"]


@pytest.mark.parametrize("body, where, french", [
    ({"performance": "at", "questions": "one question"}, ["questions"], "Une liste est attendue ici."),
    ({"performance": "at", "hypothesis": "known"}, ["hypothesis"], "Un objet aux champs nommés est attendu ici."),
    ({"performance": "at", "questions": [5]}, ["questions", 0], "Un texte est attendu ici."),
])
def test_a_wrong_type_is_named_in_the_users_language(client, team, session, body, where, french):
    r = client.put(url(team, "reviews/me/GG-AMB-1"), json=body, headers={**team.auth("peer"), "Accept-Language": "fr"})
    assert r.status_code == 422
    assert any(e["loc"] == where and e["msg"] == french for e in r.json()["errors"]), r.json()
    assert session.exec(select(ReviewEntry)).first() is None
