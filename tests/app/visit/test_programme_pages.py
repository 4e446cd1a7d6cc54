"""The visit programme's pages: the programme at a glance, generating it, changing an
interview by hand, the printable agenda; offered to whom may use them."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select
from support import add_interview, browser_login, csrf_of, statements
from support import generate_programme as _generate
from support import reviews_naming_people as _reviews

from app.visit.tables import Interview


def test_the_team_leader_generates_sees_and_changes_the_programme(client, session, world):
    _reviews(session, world)
    browser_login(client, session, world.people["team_leader"])
    url = f"/cycles/{world.cycle.id}/programme"
    page = client.get(url)
    assert page.status_code == 200 and "Generate the programme" in page.text
    r = client.post(f"{url}/generate", data={"csrf_token": csrf_of(client, url), "day-0": "2027-06-01",
                                             "day_start": "09:00", "day_end": "17:30", "lunch_start": "12:30",
                                             "lunch_minutes": "60", "travel_minutes": "15"})
    assert r.status_code == 200 and "The programme is ready: 3 interviews, everyone fitted." in r.text
    for name in ("Hélène Marchetti", "Youssef Benali", "Jana Novak"):
        assert name in r.text
    assert "Add my interviews to a calendar" in r.text and "Generate the programme again" in r.text
    # generating again is asked first: without the box ticked, nothing is replaced
    before = [(i.id, i.starts_at) for i in session.exec(select(Interview))]
    again = {"csrf_token": csrf_of(client, url), "day-0": "2027-06-02", "day_start": "10:00", "day_end": "16:00"}
    r = client.post(f"{url}/generate", data=again)
    assert r.status_code == 422 and "tick the box to confirm" in r.text
    session.expire_all()
    assert [(i.id, i.starts_at) for i in session.exec(select(Interview))] == before
    interview = session.exec(select(Interview).order_by(Interview.starts_at)).first()
    edit = f"{url}/interviews/{interview.id}/edit"
    page = client.get(edit)
    assert page.status_code == 200 and "Take out of the programme" in page.text
    # a move to the evening is allowed (by hand, outside the hours), onto another interview is not
    form = {"csrf_token": csrf_of(client, edit), "version": str(interview.version), "kind": "interview",
            "people": "Hélène Marchetti ; Deputy mayor ; City of Velmar", "date": "2027-06-01", "time": "18:00",
            "minutes": "60", "location": "Salle du conseil", f"peer-{world.people['peer'].id}": "on"}
    r = client.post(edit, data=form)
    assert r.status_code == 200, r.text[r.text.find("role=\"alert\""):][:400]
    assert "Saved: Hélène Marchetti." in r.text and "Salle du conseil" in r.text
    session.refresh(interview)
    assert interview.peers == [world.people["peer"].id] and interview.origin == "manual"
    other = session.exec(select(Interview).where(Interview.id != interview.id)).first()
    form.update(version=str(interview.version), time=f"{other.starts_at.astimezone(ZoneInfo('Europe/Paris')):%H:%M}")
    r = client.post(edit, data=form)
    assert r.status_code == 409 and "two places at once" in r.text
    # the printable agenda of one reviewer
    agenda = client.get(f"{url}/agenda?peer={world.people['peer'].id}")
    assert agenda.status_code == 200
    assert "Salle du conseil" in agenda.text and world.people["peer"].full_name in agenda.text


def test_a_peer_reads_the_programme_without_the_team_leaders_controls(client, session, world):
    _reviews(session, world)
    _generate(client, world)
    browser_login(client, session, world.people["peer"])
    page = client.get(f"/cycles/{world.cycle.id}/programme?lang=fr")
    assert page.status_code == 200
    assert "Programme de la visite" in page.text
    assert "/generate" not in page.text and "/edit" not in page.text and "Ajouter un entretien" not in page.text
    assert "Ajouter mes entretiens à un agenda" in page.text
    assert client.get(f"/cycles/{world.cycle.id}/programme/new").status_code == 403
    browser_login(client, session, world.people["host_officer"])
    assert client.get(f"/cycles/{world.cycle.id}/programme").status_code == 403


def test_the_programme_page_asks_as_many_queries_for_many_interviews_as_for_few(client, session, world, engine):
    _reviews(session, world)
    _generate(client, world)
    browser_login(client, session, world.people["team_leader"])
    url = f"/cycles/{world.cycle.id}/programme"
    with statements(engine) as few:
        assert client.get(url).status_code == 200
    for n in range(12):  # twelve more, by hand, on a third day
        add_interview(session, world.cycle, [world.people["peer"]], name=f"Extra {n}",
                      starts_at=datetime(2027, 6, 3, 6, 0, tzinfo=UTC) + timedelta(hours=n), origin="manual")
    with statements(engine) as many:
        page = client.get(url)
    assert page.status_code == 200 and page.text.count('id="interview-') == 3 + 12
    assert len(many) == len(few)
