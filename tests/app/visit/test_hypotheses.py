"""The reviewers' hypotheses carried through the visit: the API (reading, settling with the
notes that settled it, If-Match, bad note ids, nothing to settle), the hypotheses' page,
and the consolidation page showing which hypotheses stand."""
import re

from sqlmodel import select
from support import add_interview, browser_login, csrf_of

from app.cycles import service as cycles_service
from app.cycles.schemas import CycleCreate
from app.visit import hypotheses
from app.visit.tables import HypothesisCheck, InterviewNote

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/hypotheses{tail}"


def note_of(client, world, who="peer", text="The budget line was cut in 2025.", codes=("GG-AMB-1",)):
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/interviews/{world.interview.id}/notes",
                    json={"text": text, "indicator_codes": list(codes)}, headers=world.auth(who))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def page(client, session, world, who, path, lang="en"):
    client.cookies.clear()
    browser_login(client, session, world.people[who])
    client.cookies.set("inti_lang", lang)
    return client.get(path, headers={**HTML, "Accept-Language": lang})


def test_each_reviewer_settles_their_hypothesis_with_the_notes_that_settled_it(client, session, visit):
    world = visit
    peer, leader = world.people["peer"], world.people["team_leader"]
    listed = client.get(url(world), headers=world.auth("coordinator")).json()
    # the submitted reviews' hypotheses, indicator by indicator, the team leader first; all open
    assert [(h["indicator_code"], h["reviewer_name"], h["state"], h["version"]) for h in listed] == [
        ("GG-AMB-1", "Lars Leader", "open", 0), ("GG-AMB-1", "Giulia Peer", "open", 0),
        ("GG-AMB-2", "Giulia Peer", "open", 0)]
    assert listed[1]["known"] == "A strategy exists." and listed[1]["suspected"] == "It is not <funded>."
    note = note_of(client, world)
    r = client.put(url(world, f"/{peer.id}/GG-AMB-1"),
                   json={"state": "refuted", "note_ids": [note, note], "comment": "  Funded since 2025.  "},
                   headers={**world.auth("peer"), "If-Match": '"0"'})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"1"'
    assert {k: r.json()[k] for k in ("state", "note_ids", "comment", "version", "updated_by")} == {
        "state": "refuted", "note_ids": [note], "comment": "Funded since 2025.", "version": 1,
        "updated_by": "Giulia Peer"}
    # the team leader settles anyone's; an old version is refused and changes nothing
    r = client.put(url(world, f"/{peer.id}/GG-AMB-1"), json={"state": "confirmed"},
                   headers={**world.auth("team_leader"), "If-Match": '"0"'})
    assert r.status_code == 412
    r = client.put(url(world, f"/{peer.id}/GG-AMB-2"), json={"state": "confirmed", "note_ids": [note]},
                   headers=world.auth("team_leader"))
    assert r.status_code == 200 and r.json()["updated_by"] == "Lars Leader"
    # a peer settles only their own
    r = client.put(url(world, f"/{leader.id}/GG-AMB-1"), json={"state": "confirmed"}, headers=world.auth("peer"))
    assert r.status_code == 403
    states = {(h["indicator_code"], h["reviewer_id"]): (h["state"], h["note_ids"], h["version"])
              for h in client.get(url(world), headers=world.auth("team_leader")).json()}
    assert states == {("GG-AMB-1", leader.id): ("open", [], 0), ("GG-AMB-1", peer.id): ("refuted", [note], 1),
                      ("GG-AMB-2", peer.id): ("confirmed", [note], 1)}
    # what the final judgement's page reads
    by_code = hypotheses.hypotheses_by_indicator(session, world.cycle)
    assert [(h.reviewer_name, h.state) for h in by_code["GG-AMB-1"]] == [("Lars Leader", "open"),
                                                                         ("Giulia Peer", "refuted")]
    assert hypotheses.state_counts(by_code["GG-AMB-1"]) == {"open": 1, "confirmed": 0, "refuted": 1}
    assert client.get(url(world), headers=world.auth("host_officer")).status_code == 403


def test_bad_notes_and_hypotheses_that_do_not_exist_are_refused(client, session, visit):
    world = visit
    peer, second = world.people["peer"], world.people["second"]
    note = note_of(client, world)
    elsewhere = cycles_service.create_cycle(session, world.people["coordinator"],
                                            CycleCreate(title="Nordhaven 2028", host_city_id=world.other_city.id))
    session.commit()
    theirs = add_interview(session, elsewhere, [peer])
    foreign = InterviewNote(cycle_id=elsewhere.id, interview_id=theirs.id, author_id=peer.id, text="Elsewhere.")
    session.add(foreign)
    session.commit()
    r = client.put(url(world, f"/{peer.id}/GG-AMB-1"), json={"state": "confirmed", "note_ids": [note, foreign.id]},
                   headers={**world.auth("peer"), "Accept-Language": "fr"})
    assert r.status_code == 422
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [
        (["note_ids", 1], f"Aucune note {foreign.id} dans la visite de ce cycle.")]
    r = client.put(url(world, f"/{peer.id}/GG-AMB-1"), json={"state": "maybe"}, headers=world.auth("peer"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["state"]
    # nothing to settle: the second peer wrote no hypothesis; an unknown indicator or reviewer
    r = client.put(url(world, f"/{second.id}/GG-AMB-1"), json={"state": "confirmed"}, headers=world.auth("team_leader"))
    assert r.status_code == 404 and "Bruno Second wrote no hypothesis on GG-AMB-1" in r.json()["detail"]
    r = client.put(url(world, f"/{peer.id}/GG-AMB-3"), json={"state": "confirmed"}, headers=world.auth("peer"))
    assert r.status_code == 404 and "no hypothesis on GG-AMB-3" in r.json()["detail"]
    r = client.put(url(world, f"/{peer.id}/XX-1"), json={"state": "confirmed"}, headers=world.auth("peer"))
    assert r.status_code == 404
    r = client.put(url(world, "/999999/GG-AMB-1"), json={"state": "confirmed"}, headers=world.auth("team_leader"))
    assert r.status_code == 404 and "No reviewer 999999" in r.json()["detail"]
    session.expire_all()
    assert session.exec(select(HypothesisCheck)).all() == []


def test_the_hypotheses_page_settles_with_big_choices_and_shows_progress(client, session, visit):
    world = visit
    peer = world.people["peer"]
    note = note_of(client, world, text="The council's budget has no line for the strategy, said Marie Dubois.")
    html = page(client, session, world, "peer", f"/cycles/{world.cycle.id}/hypotheses").text
    assert "My hypotheses" in html and "0 of 2 hypotheses settled" in html
    assert '<progress data-progress max="2" value="0">' in html
    card = html.split('id="h-GG-AMB-1"')[1].split("</article>")[0]
    assert "It is not &lt;funded&gt;." in card and "<funded>" not in card
    assert card.count('type="radio" name="state"') == 3 and "✓" in card and "✗" in card
    # the note tagged to the indicator is offered, with who was met, its author and first words
    assert f'name="note-{note}"' in card and "Marie Dubois — Giulia Peer" in card and "The council&#39;s budget" in card
    token = csrf_of(client, f"/cycles/{world.cycle.id}/hypotheses")
    post = f"/cycles/{world.cycle.id}/hypotheses/{peer.id}/GG-AMB-1"
    r = client.post(post, data={"csrf_token": token, "version": "0", "state": "confirmed", f"note-{note}": "on",
                                "other_notes": "", "comment": "Said twice."}, headers=JSON)
    assert r.status_code == 200 and r.json() == {"version": 1, "complete": True, "completed": 1, "total": 2,
                                                 "pillars": {}}
    # an out-of-date save: what is saved now, to take or to overwrite
    r = client.post(post, data={"csrf_token": token, "version": "0", "state": "refuted", "comment": ""}, headers=JSON)
    assert r.status_code == 412 and r.json()["current"]["state"] == "confirmed"
    assert r.json()["current"][f"note-{note}"] == "on"
    # a note number that is no note, without script: the page again, the field named
    r = client.post(post, data={"csrf_token": token, "version": "1", "state": "refuted", "other_notes": "12, abc"},
                    headers=HTML)
    assert r.status_code == 422 and "Type notes by their numbers" in r.text
    r = client.post(post, data={"csrf_token": token, "version": "1", "state": "refuted", "other_notes": str(note)},
                    headers=HTML, follow_redirects=True)
    assert r.status_code == 200 and "Giulia Peer&#39;s hypothesis on GG-AMB-1: refuted." in r.text
    assert "1 of 2 hypotheses settled" in r.text
    # the team leader chooses whose to see and settle; another peer reads them only
    leader = page(client, session, world, "team_leader", f"/cycles/{world.cycle.id}/hypotheses?reviewer={peer.id}").text
    assert "Hypotheses of Giulia Peer" in leader and leader.count("data-autosave") == 2
    assert re.search(rf'<option value="{peer.id}" selected>Giulia Peer \(1 of 2 settled\)', leader)
    other = page(client, session, world, "second", f"/cycles/{world.cycle.id}/hypotheses?reviewer={peer.id}").text
    assert "data-autosave" not in other and 'name="state"' not in other and "refuted" in other
    assert page(client, session, world, "host_officer", f"/cycles/{world.cycle.id}/hypotheses").status_code == 403


def test_the_consolidation_shows_which_hypotheses_stand(client, session, visit):
    world = visit
    peer = world.people["peer"]
    client.put(url(world, f"/{peer.id}/GG-AMB-1"), json={"state": "refuted"}, headers=world.auth("peer"))
    html = page(client, session, world, "team_leader", f"/cycles/{world.cycle.id}/consolidation").text
    section = html.split('id="c-GG-AMB-1"')[1].split("</article>")[0]
    states = section.split('class="hypothesis-states"')[1].split("</p>")[0]
    assert "1 refuted" in states and "1 still open" in states and "confirmed" not in states
    assert 'class="state-badge state-refuted"' in section  # beside the peer's signed hypothesis
    gg2 = html.split('id="c-GG-AMB-2"')[1].split("</article>")[0]
    assert "1 still open" in gg2
    fr = page(client, session, world, "team_leader", f"/cycles/{world.cycle.id}/consolidation", "fr").text
    assert "1 réfutée" in fr.split('id="c-GG-AMB-1"')[1] and "still open" not in fr
