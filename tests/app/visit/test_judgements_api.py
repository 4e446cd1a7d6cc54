"""The final judgements' API: the team leader's judgement per indicator against the peers'
majority, the whole assessment, and the visit's exit rule on the phase API."""
import threading

import pytest
from sqlmodel import col, select
from support import rights_of, start_preparatory_review, visit_with_majorities

from app.audit.tables import AuditEntry
from app.visit import judgements
from app.visit.judgements_schemas import JudgementWrite
from app.visit.tables import FinalJudgement


@pytest.fixture
def visit(session, world):
    return visit_with_majorities(session, world)


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/assessment{tail}"


def stored(session):
    session.expire_all()
    return session.exec(select(FinalJudgement)).all()


def test_the_team_leader_judges_and_everyone_of_the_team_reads_the_assessment(client, visit, session):
    r = client.put(url(visit, "/GG-AMB-3"), json={"performance": "at", "rationale": "  As the peers said.  "},
                   headers={**visit.auth("team_leader"), "If-Match": '"0"'})
    assert r.status_code == 200, r.text
    body = r.json()
    assert r.headers["ETag"] == '"1"'
    assert {k: body[k] for k in ("indicator_code", "performance", "rationale", "majority", "departs_from_majority",
                                 "judged_by", "version")} == {
        "indicator_code": "GG-AMB-3", "performance": "at", "rationale": "As the peers said.", "majority": "at",
        "departs_from_majority": False, "judged_by": visit.people["team_leader"].id, "version": 1}
    assert body["updated_at"]
    # no majority (a tie): nothing to depart from, no rationale asked
    r = client.put(url(visit, "/GG-AMB-2"), json={"performance": "more_info"}, headers=visit.auth("team_leader"))
    assert r.status_code == 200 and r.json()["majority"] is None and r.json()["departs_from_majority"] is False
    for who in ("peer", "second", "team_leader", "coordinator"):
        read = client.get(url(visit), headers=visit.auth(who))
        assert read.status_code == 200, who
    data = read.json()
    assert (data["judged"], data["total"], len(data["entries"])) == (2, 73, 73)
    entries = {e["indicator_code"]: e for e in data["entries"]}
    assert [e["indicator_code"] for e in data["entries"]][:3] == ["GG-AMB-1", "GG-AMB-2", "GG-AMB-3"]
    assert entries["GG-AMB-3"]["performance"] == "at" and entries["GG-AMB-3"]["version"] == 1
    # not judged yet: no performance, and the peers' majority as it stands
    assert entries["GG-AMB-1"] == {"indicator_code": "GG-AMB-1", "performance": None, "rationale": "",
                                   "majority": "below", "departs_from_majority": False, "judged_by": None,
                                   "version": 0, "updated_at": None}
    assert client.get(url(visit), headers=visit.auth("host_officer")).status_code == 403
    audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "final_judgement").order_by(AuditEntry.id)).all()
    assert [(a.action, a.entity_id, a.after["performance"]) for a in audit] == [
        ("create", f"{visit.cycle.id}/GG-AMB-3", "at"), ("create", f"{visit.cycle.id}/GG-AMB-2", "more_info")]


def test_a_departure_without_rationale_is_422_saying_why_and_nothing_is_stored(client, visit, session):
    for rationale in ("", "   \n  "):
        r = client.put(url(visit, "/GG-AMB-1"), json={"performance": "at", "rationale": rationale},
                       headers=visit.auth("team_leader"))
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [{"loc": ["rationale"], "msg": "This judgement departs from the peers' majority "
                                       "(below the benchmark): say why."}]
    french = client.put(url(visit, "/GG-AMB-1"), json={"performance": "above"},
                        headers={**visit.auth("team_leader"), "Accept-Language": "fr"})
    assert french.status_code == 422
    assert french.json()["errors"][0]["msg"] == ("Ce jugement s'écarte de la majorité des pairs (en dessous du "
                                                 "référentiel)\u00a0: dites pourquoi.")
    assert stored(session) == []
    assert session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "final_judgement")).all() == []
    r = client.put(url(visit, "/GG-AMB-1"), json={"performance": "at", "rationale": "The interviews showed a plan."},
                   headers=visit.auth("team_leader"))
    assert r.status_code == 200 and r.json()["departs_from_majority"] is True and r.json()["majority"] == "below"
    [row] = stored(session)
    assert (row.indicator_code, row.performance, row.majority, row.departs_from_majority, row.rationale) == (
        "GG-AMB-1", "at", "below", True, "The interviews showed a plan.")
    # judged as the majority now: no longer a departure
    r = client.put(url(visit, "/GG-AMB-1"), json={"performance": "below"},
                   headers={**visit.auth("team_leader"), "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["departs_from_majority"] is False and r.json()["version"] == 2


@pytest.mark.parametrize("body, where", [
    ({"performance": "excellent"}, ["performance"]),
    ({"rationale": "Why not."}, ["performance"]),
    ({"performance": "at", "rationale": "x" * 10_001}, ["rationale"]),
    ({"performance": "at", "colour": "red"}, ["colour"]),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(client, visit, session, body, where):
    r = client.put(url(visit, "/GG-AMB-3"), json=body, headers=visit.auth("team_leader"))
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [where], r.json()
    assert stored(session) == []


def test_racing_writers_with_one_if_match_make_one_winner(client, visit, session):
    assert client.put(url(visit, "/GG-AMB-3"), json={"performance": "at"},
                      headers=visit.auth("team_leader")).status_code == 200
    answers = []

    def save(n):
        answers.append(client.put(url(visit, "/GG-AMB-3"), json={"performance": "above", "rationale": f"R{n}"},
                                  headers={**visit.auth("team_leader"), "If-Match": '"1"'}).status_code)
    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200] + [412] * 7
    [row] = stored(session)
    assert row.version == 2 and row.performance == "above"
    stale = client.put(url(visit, "/GG-AMB-3"), json={"performance": "below", "rationale": "Late."},
                       headers={**visit.auth("team_leader"), "If-Match": '"1"'})
    assert stale.status_code == 412 and stored(session)[0].rationale == row.rationale


def test_racing_first_judgements_make_one_winner(client, visit, session):
    answers = []

    def save(n):
        answers.append(client.put(url(visit, "/GG-AMB-4"), json={"performance": "at", "rationale": f"R{n}"},
                                  headers={**visit.auth("team_leader"), "If-Match": '"0"'}).status_code)
    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200] + [412] * 5
    assert len(stored(session)) == 1


@pytest.mark.parametrize("who, status", [("peer", 403), ("second", 403), ("host_officer", 403), ("coordinator", 403),
                                         ("outsider", 404)])
def test_only_the_team_leader_judges(client, visit, session, who, status):
    r = client.put(url(visit, "/GG-AMB-3"), json={"performance": "at"}, headers=visit.auth(who))
    assert r.status_code == status
    if status == 403 and who != "host_officer":
        assert r.json()["detail"] == "Only the team leader sets the final judgements."
    assert stored(session) == []


def test_an_unknown_indicator_is_404(client, visit):
    r = client.put(url(visit, "/XX-YYY-9"), json={"performance": "at"}, headers=visit.auth("team_leader"))
    assert r.status_code == 404 and "XX-YYY-9" in r.json()["detail"]


def test_before_the_visit_nothing_is_judged(client, world, session):
    start_preparatory_review(session, world.cycle)
    r = client.put(url(world, "/GG-AMB-3"), json={"performance": "at"}, headers=world.auth("team_leader"))
    assert r.status_code == 409
    assert r.json()["detail"] == "Final judgements are set during the visit and the reporting."
    assert stored(session) == []


def move(client, world, role, target, **body):
    return client.post(f"/api/v1/cycles/{world.cycle.id}/phase", json={"phase": target, **body},
                       headers=world.auth(role))


def judge_all_but(session, world, left_out=()):
    rights = rights_of(session, world.people["team_leader"], world.cycle)
    for entry in judgements.judgement_entries(session, world.cycle):
        if entry.code not in left_out and not entry.judged:
            judgements.write_judgement(session, rights, world.cycle, entry.code,
                                       JudgementWrite(performance="below", rationale="Seen on the visit."), None)
    session.commit()


def test_the_cycle_moves_to_reporting_once_every_indicator_is_judged(client, visit, session):
    refused = move(client, visit, "team_leader", "reporting")
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("73 indicators have no final judgement yet: GG-AMB-1, GG-AMB-2, GG-AMB-3, "
                                        "GG-AMB-4, GG-AMB-5, ….")
    judge_all_but(session, visit, left_out=("WP-EVA-3",))
    refused = move(client, visit, "team_leader", "reporting")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "One indicator has no final judgement yet: WP-EVA-3."
    # the cycle page says what is missing, and offers no move
    judge_all_but(session, visit)
    done = move(client, visit, "team_leader", "reporting")
    assert done.status_code == 200 and done.json()["phase"] == "reporting"
    # the team leader may still refine a judgement while writing the report
    r = client.put(url(visit, "/WP-EVA-3"), json={"performance": "at"}, headers=visit.auth("team_leader"))
    assert r.status_code == 200


def test_a_coordinator_moves_on_regardless_with_a_recorded_reason(client, visit, session):
    judge_all_but(session, visit, left_out=("IE-LEA-1", "IE-RES-1"))
    assert move(client, visit, "team_leader", "reporting", override_reason="No time left").status_code == 403
    done = move(client, visit, "coordinator", "reporting", override_reason="The city could not host IE interviews.")
    assert done.status_code == 200 and done.json()["phase"] == "reporting"
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.action == "phase")).all()[-1]
    assert audit.after["override_reason"] == "The city could not host IE interviews."
    assert audit.after["overridden"] == ["2 indicators have no final judgement yet: IE-LEA-1, IE-RES-1."]
