"""The visit's notes through the API: the contract's PUT (the caller's first note), more
notes per author, reading by interview and by indicator, If-Match and racing writers,
the codes checked against the indicator set, other cycles' interviews, the phase."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select
from support import add_interview, rights_of

from benchmark.scales import Phase

from app.cycles import service as cycles_service
from app.cycles.schemas import CycleCreate
from app.visit.tables import InterviewNote


def notes_url(world, interview=None, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/interviews/{(interview or world.interview).id}/notes{tail}"


def stored_notes(session, world):
    session.expire_all()
    return session.exec(select(InterviewNote).where(InterviewNote.cycle_id == world.cycle.id)
                        .order_by(InterviewNote.id)).all()


def test_a_peer_writes_several_notes_the_team_reads_them_signed(client, session, visit):
    world = visit
    r = client.put(notes_url(world), json={"text": "She chairs the committee.\n\nBudget: none.",
                                           "indicator_codes": ["gg-amb-1", "GG-AMB-1", "WP-AMB-1"]},
                   headers=world.auth("peer"))
    assert r.status_code == 200, r.text
    first = r.json()
    assert r.headers["ETag"] == '"1"'
    assert {k: first[k] for k in ("interview_id", "author_id", "author_name", "text", "indicator_codes", "version")} \
        == {"interview_id": world.interview.id, "author_id": world.people["peer"].id, "author_name": "Giulia Peer",
            "text": "She chairs the committee.\n\nBudget: none.", "indicator_codes": ["GG-AMB-1", "WP-AMB-1"],
            "version": 1}
    assert first["updated_at"] and first["id"]
    # the contract's PUT writes the caller's first note again, not a new one
    r = client.put(notes_url(world), json={"text": "Edited.", "indicator_codes": []},
                   headers={**world.auth("peer"), "If-Match": '"1"'})
    assert (r.status_code, r.json()["id"], r.json()["version"], r.headers["ETag"]) == (200, first["id"], 2, '"2"')
    # another note of hers, then the team leader's own (he holds every interview's notes)
    r = client.post(notes_url(world), json={"text": "Second thought.", "indicator_codes": ["GG-AMB-2"]},
                    headers=world.auth("peer"))
    assert r.status_code == 201 and r.json()["id"] != first["id"] and r.headers["ETag"] == '"1"'
    second_id = r.json()["id"]
    r = client.put(notes_url(world), json={"text": "Leader's view.", "indicator_codes": ["GG-AMB-2"]},
                   headers=world.auth("team_leader"))
    assert r.status_code == 200 and r.json()["author_name"] == "Lars Leader"
    # one of her notes by its id: hers only
    r = client.put(notes_url(world, tail=f"/{second_id}"), json={"text": "Second, revised.",
                                                                  "indicator_codes": ["GG-AMB-2"]},
                   headers={**world.auth("peer"), "If-Match": '"1"'})
    assert (r.status_code, r.json()["text"], r.json()["version"]) == (200, "Second, revised.", 2)
    r = client.put(notes_url(world, tail=f"/{second_id}"), json={"text": "Not mine."},
                   headers=world.auth("team_leader"))
    assert r.status_code == 403 and "author" in r.json()["detail"]
    # the whole team and coordinators read them, signed, oldest first; the host city does not
    for who in ("second", "coordinator"):
        listed = client.get(notes_url(world), headers=world.auth(who) if who != "second" else _auth(client, session,
                                                                                                     world, who))
        assert listed.status_code == 200
        assert [(n["author_name"], n["text"]) for n in listed.json()] == [
            ("Giulia Peer", "Edited."), ("Giulia Peer", "Second, revised."), ("Lars Leader", "Leader's view.")]
    assert client.get(notes_url(world), headers=world.auth("host_officer")).status_code == 403
    # a peer who does not hold the interview writes none of its notes
    r = client.put(notes_url(world), json={"text": "x"}, headers=_auth(client, session, world, "second"))
    assert r.status_code == 403
    # by indicator: the cycle's notes tagged to GG-AMB-2, each with its interview
    tagged = client.get(f"/api/v1/cycles/{world.cycle.id}/notes?indicator=GG-AMB-2",
                        headers=world.auth("team_leader")).json()
    assert [(n["text"], n["interviewees"]) for n in tagged] == [
        ("Second, revised.", ["Marie Dubois"]), ("Leader's view.", ["Marie Dubois"])]
    assert tagged[0]["interview_starts_at"].startswith("2027-06-01T09:00")
    everything = client.get(f"/api/v1/cycles/{world.cycle.id}/notes", headers=world.auth("peer")).json()
    assert len(everything) == 3
    r = client.get(f"/api/v1/cycles/{world.cycle.id}/notes?indicator=XX-NOPE-1", headers=world.auth("peer"))
    assert r.status_code == 422 and "XX-NOPE-1" in r.json()["errors"][0]["msg"]


def _auth(client, session, world, who):
    """A bearer token for a person the world has no token for yet."""
    from datetime import timedelta

    from app.auth.service import API, issue_token

    if who not in world.tokens:
        world.tokens[who] = issue_token(session, world.people[who], API, timedelta(hours=1))
        session.commit()
    return world.auth(who)


def test_stale_writes_are_refused_and_change_nothing(client, session, visit):
    world = visit
    url = notes_url(world)
    assert client.put(url, json={"text": "x"}, headers={**world.auth("peer"), "If-Match": '"3"'}).status_code == 412
    assert stored_notes(session, world) == []  # "3" for a note not written: nothing created
    r = client.put(url, json={"text": "First."}, headers={**world.auth("peer"), "If-Match": '"0"'})
    assert r.status_code == 200
    r = client.put(url, json={"text": "Again from an old tab."}, headers={**world.auth("peer"), "If-Match": '"0"'})
    assert r.status_code == 412 and r.headers["content-type"] == "application/problem+json"
    assert [n.text for n in stored_notes(session, world)] == ["First."]


def test_racing_saves_of_one_note_have_one_winner(client, session, visit):
    world = visit
    url = notes_url(world)
    client.put(url, json={"text": "v1"}, headers=world.auth("peer"))
    barrier = threading.Barrier(8)

    def save(i):
        barrier.wait()
        return client.put(url, json={"text": f"writer {i}"}, headers={**world.auth("peer"), "If-Match": '"1"'})

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(save, range(8)))
    assert sorted(r.status_code for r in results) == [200] + [412] * 7
    winner = next(r for r in results if r.status_code == 200).json()
    (note,) = stored_notes(session, world)
    assert (note.text, note.version) == (winner["text"], 2)


def test_racing_first_saves_create_one_note(client, session, visit):
    """Two tabs save the first note at once with ``If-Match: "0"``: the interview's lock
    lets one create it; the other is refused, rather than making a second note."""
    world = visit
    barrier = threading.Barrier(6)

    def save(i):
        barrier.wait()
        return client.put(notes_url(world), json={"text": f"tab {i}"},
                          headers={**world.auth("peer"), "If-Match": '"0"'})

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(save, range(6)))
    assert sorted(r.status_code for r in results) == [200] + [412] * 5
    assert len(stored_notes(session, world)) == 1


def test_unknown_codes_and_long_texts_are_named_in_the_users_language(client, session, visit):
    world = visit
    r = client.put(notes_url(world), json={"text": "x", "indicator_codes": ["GG-AMB-1", "XX-9", "GG-AMB-99"]},
                   headers={**world.auth("peer"), "Accept-Language": "fr"})
    assert r.status_code == 422
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [
        (["indicator_codes", 1], "Aucun indicateur XX-9 dans le jeu d'indicateurs de ce cycle."),
        (["indicator_codes", 2], "Aucun indicateur GG-AMB-99 dans le jeu d'indicateurs de ce cycle.")]
    r = client.put(notes_url(world), json={"text": "a" * 20_001}, headers=world.auth("peer"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["text"]
    r = client.post(notes_url(world), json={"text": "x", "colour": "red"}, headers=world.auth("peer"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["colour"]
    assert stored_notes(session, world) == []


def test_another_cycles_interview_is_not_found(client, session, visit):
    world = visit
    coordinator = world.people["coordinator"]
    elsewhere = cycles_service.create_cycle(session, coordinator, CycleCreate(title="Nordhaven 2028",
                                                                              host_city_id=world.other_city.id))
    session.commit()
    theirs = add_interview(session, elsewhere, [world.people["peer"]], name="Someone Else")
    for method in ("get", "put", "post"):
        kwargs = {} if method == "get" else {"json": {"text": "x"}}
        r = getattr(client, method)(notes_url(world, theirs), headers=world.auth("peer"), **kwargs)
        assert r.status_code == 404, (method, r.text)
    assert client.get(f"/api/v1/cycles/{world.cycle.id}/interviews/999999/notes",
                      headers=world.auth("peer")).status_code == 404
    r = client.put(notes_url(world, tail="/999999"), json={"text": "x"}, headers=world.auth("peer"))
    assert r.status_code == 404


def test_notes_are_written_during_the_visit_only(client, session, visit):
    world = visit
    assert client.put(notes_url(world), json={"text": "During."}, headers=world.auth("peer")).status_code == 200
    coordinator = world.people["coordinator"]
    cycles_service.change_phase(session, rights_of(session, coordinator, world.cycle), world.cycle,
                                Phase.PREPARATORY_REVIEW)
    session.commit()
    r = client.put(notes_url(world), json={"text": "Before?"}, headers=world.auth("peer"))
    assert r.status_code == 409 and "during the visit" in r.json()["detail"]
    assert client.post(notes_url(world), json={"text": "x"}, headers=world.auth("team_leader")).status_code == 409
    assert [n.text for n in stored_notes(session, world)] == ["During."]
    assert client.get(notes_url(world), headers=world.auth("peer")).status_code == 200  # still read
