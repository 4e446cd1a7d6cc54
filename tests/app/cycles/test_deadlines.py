"""A phase cannot end before the phase before it: refused in the API and on the pages,
naming both phases and dates, and nothing is saved. Equal dates are allowed."""
import re
from datetime import date

from markupsafe import escape
from sqlmodel import select
from support import browser_login, csrf_of

from app.cycles.tables import Cycle, PhaseDeadline

HTML = {"Accept": "text/html"}
BEFORE = ('The deadline of "Visit", March 1, 2028, is before that of "Preparatory review", April 1, 2028, '
          "the phase before it: choose April 1, 2028 or later.")


def deadlines_of(session, cycle_id):
    session.expire_all()
    return {d.phase: d.due_on for d in session.exec(select(PhaseDeadline).where(PhaseDeadline.cycle_id == cycle_id))}


def test_create_refuses_a_phase_ending_before_the_previous_one(client, world, session):
    r = client.post("/api/v1/cycles", headers=world.auth("coordinator"), json={
        "title": "Backwards", "host_city_id": world.host_city.id,
        "deadlines": {"self_assessment": "2028-01-31", "preparatory_review": "2028-04-01", "visit": "2028-03-01"}})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"loc": ["deadlines", "visit"], "msg": BEFORE}]
    assert session.exec(select(Cycle).where(Cycle.title == "Backwards")).first() is None


def test_the_nearest_earlier_deadline_counts_when_a_phase_has_none(client, world, session):
    r = client.post("/api/v1/cycles", headers=world.auth("coordinator"), json={
        "title": "Gap", "host_city_id": world.host_city.id,
        "deadlines": {"self_assessment": "2028-05-01", "visit": "2028-04-30"}})
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["deadlines", "visit"]]
    assert '"Self-assessment", May 1, 2028' in r.json()["errors"][0]["msg"]


def test_equal_dates_are_allowed(client, world):
    same = dict.fromkeys(("self_assessment", "preparatory_review", "visit", "reporting", "published"), "2028-03-01")
    r = client.post("/api/v1/cycles", headers=world.auth("coordinator"),
                    json={"title": "Same day", "host_city_id": world.host_city.id, "deadlines": same})
    assert r.status_code == 201 and r.json()["deadlines"] == same


def test_update_names_the_field_changed_and_saves_nothing(client, world, session):
    url, h = f"/api/v1/cycles/{world.cycle.id}", world.auth("coordinator")
    first = client.patch(url, headers=h, json={"deadlines": {"self_assessment": "2028-01-31", "visit": "2028-05-01"}})
    assert first.status_code == 200
    version = first.json()["version"]
    # The visit's deadline moved before the self-assessment's: the visit is blamed.
    r = client.patch(url, headers={**h, "If-Match": f'"{version}"'},
                     json={"title": "Renamed", "deadlines": {"visit": "2028-01-15"}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["deadlines", "visit"]
    # Only the self-assessment's moved, past the visit's: the self-assessment is blamed.
    r = client.patch(url, headers={**h, "If-Match": f'"{version}"'},
                     json={"deadlines": {"self_assessment": "2028-06-01"}})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"loc": ["deadlines", "self_assessment"], "msg": (
        'The deadline of "Self-assessment", June 1, 2028, is after that of "Visit", May 1, 2028, '
        "the phase after it: choose May 1, 2028 or earlier.")}]
    assert deadlines_of(session, world.cycle.id) == {"self_assessment": date(2028, 1, 31), "visit": date(2028, 5, 1)}
    cycle = session.get(Cycle, world.cycle.id)
    assert (cycle.title, cycle.version) == ("Velmar 2027", version)
    # Removing the later deadline makes the earlier one acceptable.
    ok = client.patch(url, headers=h, json={"deadlines": {"self_assessment": "2028-06-01", "visit": None}})
    assert ok.status_code == 200 and ok.json()["deadlines"] == {"self_assessment": "2028-06-01"}


def test_the_message_is_in_the_callers_language(client, world):
    r = client.post("/api/v1/cycles", headers={**world.auth("coordinator"), "Accept-Language": "fr"}, json={
        "title": "À rebours", "host_city_id": world.host_city.id,
        "deadlines": {"preparatory_review": "2028-04-01", "visit": "2028-03-01"}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["msg"] == (
        "L'échéance de «\u00a0Visite\u00a0», le 1 mars 2028, tombe avant celle de «\u00a0Revue préparatoire\u00a0», "
        "le 1 avril 2028, la phase précédente\u00a0: choisissez le 1 avril 2028 ou plus tard.")


def test_new_cycle_page_shows_the_message_beside_the_field(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, "/admin/cycles/new")
    r = client.post("/admin/cycles/new", headers=HTML, data={
        "title": "Backwards", "host_city_id": str(world.host_city.id), "deadline_preparatory_review": "2028-04-01",
        "deadline_visit": "2028-03-01", "csrf_token": csrf})
    assert r.status_code == 422
    visit = re.search(r'<label>Visit <input type="date" name="deadline_visit"[^>]*>(.*?)</label>', r.text, re.S)
    assert visit and 'value="2028-03-01"' in visit.group(0)  # what was typed, kept
    assert f'<p class="field-error" id="error-visit">{escape(BEFORE)}</p>' in visit.group(1)
    assert "<strong>Deadline: Visit</strong>: " in r.text  # and in the list of problems, named by its label
    assert session.exec(select(Cycle).where(Cycle.title == "Backwards")).first() is None


def test_cycle_page_refuses_deadlines_out_of_order_and_keeps_what_was_typed(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    page = f"/cycles/{world.cycle.id}"
    csrf = csrf_of(client, page)
    r = client.post(f"{page}/edit", headers=HTML, data={
        "title": "Renamed", "version": str(world.cycle.version), "deadline_self_assessment": "2028-02-01",
        "deadline_reporting": "2028-01-31", "csrf_token": csrf})
    assert r.status_code == 422
    reporting = re.search(r'<label>Reporting <input[^>]*>(.*?)</label>', r.text, re.S)
    assert 'value="2028-01-31"' in reporting.group(0)
    assert re.search(r'<p class="field-error" id="error-reporting">The deadline of &#34;Reporting&#34;, '
                     r'January 31, 2028, is before that of &#34;Self-assessment&#34;, February 1, 2028',
                     reporting.group(1))
    assert 'name="title" value="Renamed"' in r.text
    assert deadlines_of(session, world.cycle.id) == {}
    assert session.get(Cycle, world.cycle.id).title == "Velmar 2027"
    ok = client.post(f"{page}/edit", headers=HTML, data={
        "title": "Renamed", "version": str(world.cycle.version), "deadline_self_assessment": "2028-02-01",
        "deadline_reporting": "2028-02-01", "csrf_token": csrf})
    assert ok.status_code == 200 and "Title and deadlines saved." in ok.text
    assert deadlines_of(session, world.cycle.id) == {"self_assessment": date(2028, 2, 1), "reporting": date(2028, 2, 1)}
