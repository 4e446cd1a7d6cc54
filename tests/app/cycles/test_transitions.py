"""The phase transition table, and the exit conditions the parts of the cycle register."""
from sqlmodel import col, select
from support import submit_report

from benchmark.scales import Phase

from app.audit.tables import AuditEntry
from app.cycles.transitions import TRANSITIONS, Step


def test_the_table_holds_one_step_each_way_and_only_a_revision_leaves_published():
    order = list(Phase)
    forward = {(a, b) for (a, b), step in TRANSITIONS.items() if step == Step.FORWARD}
    back = {(a, b) for (a, b), step in TRANSITIONS.items() if step == Step.BACK}
    assert forward == set(zip(order, order[1:], strict=False))
    assert back == {(b, a) for a, b in zip(order, order[1:], strict=False)} - {(Phase.PUBLISHED, Phase.REPORTING)}
    assert {k: v for k, v in TRANSITIONS.items() if k[0] == Phase.PUBLISHED} == {
        (Phase.PUBLISHED, Phase.REPORTING): Step.REVISE}


def move(client, world, role, target, **body):
    return client.post(f"/api/v1/cycles/{world.cycle.id}/phase", json={"phase": target, **body},
                       headers=world.auth(role))


def test_an_unmet_condition_is_409_naming_it_and_only_a_coordinator_overrides_it(client, world, session):
    """The preparatory review's condition (every reviewer has submitted), as the phase's
    part registers it (app/reviews/service.py)."""
    submit_report(session, world.cycle)
    assert move(client, world, "coordinator", "preparatory_review").status_code == 200
    refused = move(client, world, "team_leader", "visit")
    waiting = ("Not every reviewer has submitted a preparatory review yet (waiting for: Lars Leader, "
               "Giulia Peer).")
    assert refused.status_code == 409 and refused.json()["detail"] == waiting
    assert move(client, world, "team_leader", "visit", override_reason="Visit dates fixed").status_code == 403
    done = move(client, world, "coordinator", "visit", override_reason="Visit dates fixed with the city")
    assert done.status_code == 200 and done.json()["phase"] == "visit"
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.action == "phase")).all()[-1]
    assert audit.after["override_reason"] == "Visit dates fixed with the city"
    assert audit.after["overridden"] == [waiting]


def test_the_initial_report_condition_cannot_be_overridden(client, world):
    r = move(client, world, "coordinator", "preparatory_review", override_reason="We are in a hurry")
    assert r.status_code == 409 and "has not submitted its initial report" in r.json()["detail"]
