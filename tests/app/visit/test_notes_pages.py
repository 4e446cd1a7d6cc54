"""The visit's notes on their pages: the interview's page (who, when in the host city's
time, the indicators and the team's questions, one's own notes saved as typed, the others'
read-only), the cycle's notes, the cycle page's panel and My cycles' next steps."""
import re

from sqlmodel import select
from support import browser_login, csrf_of

from app.visit.tables import InterviewNote

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}


def page(client, session, world, who, path, lang="en"):
    client.cookies.clear()
    browser_login(client, session, world.people[who])
    client.cookies.set("inti_lang", lang)
    return client.get(path, headers={**HTML, "Accept-Language": lang})


def interview_page(world):
    return f"/cycles/{world.cycle.id}/interviews/{world.interview.id}"


def write(client, world, who, text, codes=("GG-AMB-1",)):
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/interviews/{world.interview.id}/notes",
                    json={"text": text, "indicator_codes": list(codes)}, headers=world.auth(who))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_the_interview_page_shows_who_when_what_to_ask_and_the_notes(client, session, visit):
    world = visit
    mine = write(client, world, "peer", "She chairs it.\n<script>alert(1)</script>", ("GG-AMB-1", "WP-AMB-1"))
    write(client, world, "team_leader", "Leader's note on the budget.", ("GG-AMB-2",))
    html = page(client, session, world, "peer", interview_page(world)).text
    assert "Interview with Marie Dubois" in html and "Head of unit" in html and "City hall" in html
    # 09:00 UTC is 11:00 in Velmar (France, summer time)
    assert "Tuesday, June 1, 2027, 11:00–12:00" in html and "Europe/Paris" in html
    assert "Held by" in html and "Giulia Peer" in html
    assert "The municipality adopts a strategic plan" in html  # GG-AMB-1 in the page's language
    assert "Who funds the strategy?" in html and "— Giulia Peer" in html  # the team's question, who asked
    # her own note as a form saved as typed; its indicators ticked, the others typed
    form = html.split(f'id="note-{mine}"')[1].split("</article>")[0]
    assert " data-autosave>" in form and "&lt;script&gt;alert(1)&lt;/script&gt;" in form
    assert re.search(r'name="tag-GG-AMB-1" checked', form) and re.search(r'name="tag-GG-AMB-2">', form)
    assert 'name="more_codes" value="WP-AMB-1"' in form
    assert "Add a note" in html and "<script>alert(1)</script>" not in html
    # the team leader's, read-only and signed
    others = html.split("The team&#39;s other notes")[1]
    assert "Lars Leader" in others and "Leader&#39;s note on the budget." in others and "data-autosave" not in others
    # a peer who does not hold the interview reads it all, writes nothing
    other = page(client, session, world, "second", interview_page(world)).text
    assert "data-autosave" not in other and "Add a note" not in other and 'action="' not in other.split("<main>")[1]
    assert "Only the interview&#39;s peers and the team leader write its notes." in other
    assert "She chairs it." in other and "Leader&#39;s note" in other
    # the host city: not before publication
    r = page(client, session, world, "host_officer", interview_page(world))
    assert r.status_code == 403 and "She chairs it." not in r.text


def test_notes_are_saved_as_typed_and_without_script(client, session, visit):
    world = visit
    browser_login(client, session, world.people["peer"])
    token = csrf_of(client, interview_page(world))
    html = client.get(interview_page(world), headers=HTML).text
    assert 'id="note-mine"' in html  # no note yet: an empty one, created by its first save
    base = f"{interview_page(world)}/notes"
    r = client.post(f"{base}/mine", headers=JSON, data={"csrf_token": token, "version": "0", "text": "First words",
                                                       "tag-GG-AMB-2": "on", "more_codes": "ie-lea-1; WP-AMB-1"})
    assert r.status_code == 200 and r.json()["version"] == 1 and r.json()["complete"] is True
    note = session.exec(select(InterviewNote)).one()
    assert (note.text, note.indicator_codes) == ("First words", ["GG-AMB-2", "IE-LEA-1", "WP-AMB-1"])
    r = client.post(f"{base}/mine", headers=JSON,
                    data={"csrf_token": token, "version": "1", "text": "First words, more"})
    assert r.status_code == 200 and r.json()["version"] == 2
    # a save from an out-of-date tab: what is saved now, to take or overwrite
    r = client.post(f"{base}/{note.id}", headers=JSON, data={"csrf_token": token, "version": "1", "text": "Old tab"})
    assert r.status_code == 412
    assert r.json()["current"]["text"] == "First words, more" and r.json()["current"]["version"] == 2
    # an unknown code: named beside the field where codes are typed
    r = client.post(f"{base}/{note.id}", headers=JSON,
                    data={"csrf_token": token, "version": "2", "text": "x", "more_codes": "GG-AMB-1, NOPE-1"})
    assert r.status_code == 422
    assert [(e["field"], e["msg"]) for e in r.json()["errors"]] == [
        ("more_codes", "No indicator NOPE-1 in this cycle's indicator set.")]
    # without script: the Save button, then back to the note with a message
    r = client.post(f"{base}/{note.id}", headers=HTML, data={"csrf_token": token, "version": "2", "text": "Saved."},
                    follow_redirects=True)
    assert r.status_code == 200 and "Note saved." in r.text and "Saved.</textarea>" in r.text
    r = client.post(f"{base}/new", headers=HTML, data={"csrf_token": token}, follow_redirects=True)
    assert r.status_code == 200 and "A new note is ready below" in r.text
    session.expire_all()
    assert [n.text for n in session.exec(select(InterviewNote).order_by(InterviewNote.id))] == ["Saved.", ""]
    assert r.text.count(" data-autosave>") == 2
    # not hers to write: the second peer's post is refused whatever it holds
    browser_login(client, session, world.people["second"])
    r = client.post(f"{base}/{note.id}", headers=HTML, data={"csrf_token": csrf_of(client, interview_page(world)),
                                                             "version": "3", "text": "Mine now"})
    assert r.status_code == 403


def test_french_and_english_pages_hold_no_word_of_the_other_language(client, session, visit):
    world = visit
    write(client, world, "peer", "Note.")
    write(client, world, "team_leader", "Other.", ("GG-AMB-2",))
    paths = [interview_page(world), f"/cycles/{world.cycle.id}/notes",
             f"/cycles/{world.cycle.id}/notes?indicator=GG-AMB-1", f"/cycles/{world.cycle.id}/hypotheses",
             f"/cycles/{world.cycle.id}"]
    english = ("Who is met", "Held by", "My notes", "Add a note", "Interviews", "Notes by indicator", "Save",
               "Where it stands", "still open", "Your interviews", "time in", "The team's")
    french = ("Entretien avec", "Mes notes", "Ajouter une note", "Tenu par", "Qui est rencontré", "Enregistrer",
              "toujours ouverte", "Vos entretiens", "heure de")
    for path in paths:
        fr = page(client, session, world, "peer", path, "fr")
        assert fr.status_code == 200, path
        main = fr.text.split("<main>")[1]
        assert not [w for w in english if w in main.replace("&#39;", "'")], (path, [w for w in english if w in main])
        en = page(client, session, world, "peer", path, "en").text.split("<main>")[1]
        assert not [w for w in french if w in en], (path, [w for w in french if w in en])
    fr = page(client, session, world, "peer", interview_page(world), "fr").text
    assert "Entretien avec Marie Dubois" in fr and "mardi 1 juin 2027, 11:00–12:00" in fr
    assert "La municipalité adopte un plan stratégique" in fr


def test_the_cycles_notes_the_cycle_page_and_my_cycles_lead_to_the_interviews(client, session, visit):
    world = visit
    write(client, world, "peer", "Budget: none, said the deputy mayor.", ("GG-AMB-1",))
    notes = page(client, session, world, "second", f"/cycles/{world.cycle.id}/notes").text
    rows = notes.split('id="interviews"')[1].split("</table>")[0]
    assert rows.index("Marie Dubois") < rows.index("Youssef Benali")  # in the programme's order
    assert f'href="/cycles/{world.cycle.id}/interviews/{world.interview.id}"' in rows
    assert "mine" in rows.split("Youssef Benali")[1]  # the second peer holds Youssef Benali's
    by_code = page(client, session, world, "second", f"/cycles/{world.cycle.id}/notes?indicator=GG-AMB-1").text
    assert "Budget: none, said the deputy mayor." in by_code and "Giulia Peer" in by_code
    cycle = page(client, session, world, "peer", f"/cycles/{world.cycle.id}").text
    panel = cycle.split('id="panel-visit-notes"')[1].split("</section>")[0]
    assert "Your interviews: 1; notes written: 1." in panel and "Hypotheses to settle: 2 of 2." in panel
    assert f"/cycles/{world.cycle.id}/interviews/{world.interview.id}" in panel and "11:00" in panel
    home = page(client, session, world, "peer", "/").text
    assert "Settle my hypotheses — 2 still open" in home and "My interviews and their notes (1)" in home
    host = page(client, session, world, "host_officer", f"/cycles/{world.cycle.id}").text
    assert "panel-visit-notes" not in host
    assert page(client, session, world, "host_officer", f"/cycles/{world.cycle.id}/notes").status_code == 403


def test_the_pages_read_a_fixed_number_of_queries_whatever_the_notes(client, session, visit, engine):
    from support import statements

    world = visit
    paths = [interview_page(world), f"/cycles/{world.cycle.id}/notes", f"/cycles/{world.cycle.id}/hypotheses"]
    write(client, world, "peer", "One.")

    def counts():
        browser_login(client, session, world.people["team_leader"])
        out = []
        for path in paths:
            with statements(engine) as seen:
                assert client.get(path, headers=HTML).status_code == 200
            out.append(len(seen))
        return out

    counts()  # the team's consolidation (its questions) is computed once, then kept
    few = counts()
    for n in range(6):
        write(client, world, "peer" if n % 2 else "team_leader", f"Note {n}.", ("GG-AMB-1", "GG-AMB-2"))
    assert counts() == few
