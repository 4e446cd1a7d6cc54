"""The review's reads and writes run a number of SQL statements that does not grow with
the number of reviewers nor with the indicators they have written."""

from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate
from support import make_user, rights_of, start_preparatory_review, statements, write_review

READS = ["reviews/me", "reviews", "reviews/progress", "consolidation"]


def counts(client, engine, world, headers) -> dict[str, int]:
    out = {}
    for path in READS:
        client.get(f"/api/v1/cycles/{world.cycle.id}/{path}", headers=headers)  # warm (the indicator set)
        with statements(engine) as seen:
            r = client.get(f"/api/v1/cycles/{world.cycle.id}/{path}", headers=headers)
        assert r.status_code == 200, (path, r.text)
        out[path] = len(seen)
    with statements(engine) as seen:
        r = client.put(f"/api/v1/cycles/{world.cycle.id}/reviews/me/GG-AMB-1", json={"performance": "above"},
                       headers=headers)
    assert r.status_code == 200, r.text
    out["put"] = len(seen)
    return out


def test_statements_do_not_grow_with_reviewers_nor_indicators(client, engine, session, world):
    start_preparatory_review(session, world.cycle)
    leader = world.people["team_leader"]
    write_review(session, world.cycle, world.people["peer"], submit=True)  # one submitted review to begin with
    headers = world.auth("team_leader")
    few = counts(client, engine, world, headers)
    coordinator = rights_of(session, world.people["coordinator"], world.cycle)
    for n in range(6):
        peer = make_user(session, f"p{n}@brueckenfeld.example", f"Peer {n}", world.other_city)
        cycles_service.add_member(session, coordinator, world.cycle, MemberCreate(user_id=peer.id, role="peer"))
        session.commit()
        write_review(session, world.cycle, peer, submit=True, questions=[f"Question {n}?"],
                     people_to_meet=[{"name": f"Person {n}", "role": "Officer"}])
    write_review(session, world.cycle, leader, {"GG-AMB-1": "at", "GG-AMB-2": "below"})
    many = counts(client, engine, world, headers)
    assert many == few, (few, many)
    assert max(many.values()) <= 12, many
