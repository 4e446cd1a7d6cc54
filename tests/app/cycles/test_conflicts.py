"""Conflicts of interest before a peer joins a team: warnings a coordinator confirms
(app/cycles/conflicts.py), through the API and the cycle page."""
import html
import re

import pytest
from sqlmodel import col, select

from app.audit.tables import AuditEntry
from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import CycleMember
from app.people import service as people_service
from app.people.schemas import CityCreate
from app.people.tables import City
from support import browser_login, csrf_of, make_user, rights_of

HTML = {"Accept": "text/html"}
NB = "\u00a0"


@pytest.fixture
def lyon(session, world):
    """A person of another French city: the same country as the host city, Velmar."""
    city = people_service.create_city(session, world.people["coordinator"].id,
                                      CityCreate(name="Lyon", country="france "))
    session.commit()
    return make_user(session, "pierre@lyon.example", "Pierre Lyonnais", city)


@pytest.fixture
def castelverde_person(session, world):
    """A second person of Castelverde (the world's peer's city)."""
    castelverde = session.get(City, world.people["peer"].city_id)
    return make_user(session, "carla@castelverde.example", "Carla Castel", castelverde)


def new_cycle(session, world, title, host_city_id, members=()):
    """A cycle made through the services, with ``members`` as ``(user, role)`` (their
    conflicts of interest confirmed)."""
    coordinator = world.people["coordinator"]
    cycle = cycle_service.create_cycle(session, coordinator, CycleCreate(title=title, host_city_id=host_city_id))
    session.commit()
    for user, role in members:
        cycle_service.add_member(session, rights_of(session, coordinator, cycle), cycle,
                                 MemberCreate(user_id=user.id, role=role, confirm_conflicts=True))
    session.commit()
    return cycle


def add(client, world, user, role="peer", cycle=None, lang="en", **extra):
    cycle_id = (cycle or world.cycle).id
    return client.post(f"/api/v1/cycles/{cycle_id}/members", json={"user_id": user.id, "role": role, **extra},
                       headers={**world.auth("coordinator"), "Accept-Language": lang})


def member_audit(session, user):
    members = session.exec(select(CycleMember.id).where(CycleMember.user_id == user.id)).all()
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "cycle_member",
                                                 AuditEntry.entity_id.in_([str(m) for m in members]))).all()


def members_of(session, cycle):
    session.expire_all()
    return {(m.user_id, m.role) for m in session.exec(select(CycleMember).where(CycleMember.cycle_id == cycle.id))}


# --- the API -----------------------------------------------------------------------------

def test_a_peer_of_the_host_citys_country_is_listed_and_not_added_until_confirmed(client, world, session, lyon):
    before = members_of(session, world.cycle)
    r = add(client, world, lyon)
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["conflicts"] == [{"kind": "same_country", "message": (
        "Pierre Lyonnais works for Lyon, a city of the same country as the host city (France).")}]
    assert "confirm_conflicts" in body["detail"]
    assert members_of(session, world.cycle) == before and member_audit(session, lyon) == []

    r = add(client, world, lyon, confirm_conflicts=True)
    assert r.status_code == 201
    mine = next(m for m in r.json()["members"] if m["user_id"] == lyon.id)
    assert mine["role"] == "peer" and mine["confirmed_conflicts"] == ["same_country"]
    [entry] = member_audit(session, lyon)
    assert entry.action == "create" and entry.actor_id == world.people["coordinator"].id
    assert entry.after["confirmed_conflicts"] == ["same_country"]
    assert entry.after["conflicts"] == body["conflicts"]  # what the coordinator was shown, kept


def test_the_conflicts_are_listed_in_the_callers_language(client, world, session, lyon):
    body = add(client, world, lyon, lang="fr").json()
    assert body["detail"].startswith(
        f"Pierre Lyonnais a des conflits d'intérêts avec la ville hôte (listés dans «{NB}conflicts{NB}»){NB}:")
    assert body["conflicts"] == [{"kind": "same_country", "message": (
        "Pierre Lyonnais travaille pour Lyon, une ville du même pays que la ville hôte (France).")}]


def test_coordinators_alone_see_which_members_joined_with_a_confirmed_conflict(client, world, session, lyon):
    add(client, world, lyon, confirm_conflicts=True)
    url = f"/api/v1/cycles/{world.cycle.id}"
    members = client.get(url, headers=world.auth("coordinator")).json()["members"]
    seen = {m["user_id"]: m["confirmed_conflicts"] for m in members}
    assert seen[lyon.id] == ["same_country"] and seen[world.people["peer"].id] == []
    for role in ("peer", "host_officer"):
        assert {m["confirmed_conflicts"] for m in client.get(url, headers=world.auth(role)).json()["members"]} == {None}


def test_a_city_the_host_city_reviewed_is_a_conflict(client, world, session, castelverde_person):
    """Velmar's officer led the team of a Castelverde cycle: a Castelverde peer for Velmar
    would make the two cities review each other."""
    officer = world.people["host_officer"]
    new_cycle(session, world, "Castelverde 2026", castelverde_person.city_id, [(officer, "team_leader")])
    body = add(client, world, castelverde_person).json()
    assert body["conflicts"] == [{"kind": "reviewed_by_host", "message": (
        'Velmar has already reviewed Castelverde in the cycle "Castelverde 2026" (Amina Officer): '
        "with Carla Castel, the two cities would review each other.")}]
    fr = add(client, world, castelverde_person, lang="fr").json()
    assert fr["conflicts"][0]["message"] == (
        f"Velmar a déjà évalué Castelverde dans le cycle «{NB}Castelverde 2026{NB}» (Amina Officer){NB}: "
        "avec Carla Castel, les deux villes s'évalueraient l'une l'autre.")
    r = add(client, world, castelverde_person, confirm_conflicts=True)
    assert r.status_code == 201
    assert member_audit(session, castelverde_person)[0].after["confirmed_conflicts"] == ["reviewed_by_host"]


def test_the_same_tie_seen_from_the_other_cycle(client, world, session):
    """Castelverde's Giulia is a peer of Velmar 2027: a Velmar person for a Castelverde cycle
    is warned too, whichever cycle came first."""
    castelverde = world.people["peer"].city_id
    later = new_cycle(session, world, "Castelverde 2028", castelverde)
    velmar_person = make_user(session, "second@velmar.example", "Victor Velmar", world.host_city)
    body = add(client, world, velmar_person, cycle=later).json()
    assert [c["kind"] for c in body["conflicts"]] == ["reviewed_by_host"]
    assert '"Velmar 2027" (Giulia Peer)' in body["conflicts"][0]["message"]


def test_a_city_that_reviewed_the_host_city_before_is_no_conflict(client, world, session, castelverde_person):
    """Giulia, of Castelverde, reviews Velmar in Velmar 2027: another Castelverde peer for a
    later Velmar cycle looks again at the same city, returning no favour."""
    later = new_cycle(session, world, "Velmar 2029", world.host_city.id)
    r = add(client, world, castelverde_person, cycle=later)
    assert r.status_code == 201, r.text
    assert member_audit(session, castelverde_person)[0].after.get("conflicts") is None


def test_both_conflicts_at_once_same_country_first(client, world, session, lyon):
    new_cycle(session, world, "Lyon 2025", lyon.city_id, [(world.people["host_officer"], "peer")])
    body = add(client, world, lyon).json()
    assert [c["kind"] for c in body["conflicts"]] == ["same_country", "reviewed_by_host"]
    r = add(client, world, lyon, confirm_conflicts=True)
    mine = next(m for m in r.json()["members"] if m["user_id"] == lyon.id)
    assert mine["confirmed_conflicts"] == ["same_country", "reviewed_by_host"]


def test_a_peer_from_the_host_city_is_still_refused_confirmed_or_not(client, world, session):
    velmar_person = make_user(session, "second@velmar.example", "Victor Velmar", world.host_city)
    for extra in ({}, {"confirm_conflicts": True}):
        r = add(client, world, velmar_person, **extra)
        assert r.status_code == 409 and r.json()["detail"] == "A peer may not come from the host city."
        assert "conflicts" not in r.json()
    assert member_audit(session, velmar_person) == []


def test_confirming_when_there_is_no_conflict_adds_as_usual(client, world, session):
    r = add(client, world, world.people["outsider"], confirm_conflicts=True)
    assert r.status_code == 201
    assert "conflicts" not in member_audit(session, world.people["outsider"])[0].after


# --- the cycle page ------------------------------------------------------------------------

def test_the_team_form_shows_the_conflicts_and_adds_once_confirmed(client, world, session, lyon):
    url = f"/cycles/{world.cycle.id}"
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, url)
    english = {**HTML, "Accept-Language": "en"}
    r = client.post(f"{url}/members", headers=english,
                    data={"user_id": str(lyon.id), "role": "peer", "csrf_token": csrf})
    assert r.status_code == 409
    assert "Pierre Lyonnais (Peer) has conflicts of interest with the host city:" in r.text
    assert "<li>Pierre Lyonnais works for Lyon, a city of the same country as the host city (France).</li>" in r.text
    confirm = re.search(r'<form method="post" action="/cycles/\d+/members" class="row">.*?</form>',
                        r.text, re.S).group(0)
    assert '<input type="hidden" name="confirm_conflicts" value="yes">' in confirm
    assert f'<input type="hidden" name="user_id" value="{lyon.id}">' in confirm and "Yes, add to the team" in confirm
    assert "Add to the team" in r.text  # the team form is still there, to choose someone else
    assert (lyon.id, "peer") not in members_of(session, world.cycle)

    done = client.post(f"{url}/members", headers=english, data={
        "user_id": str(lyon.id), "role": "peer", "confirm_conflicts": "yes", "csrf_token": csrf})
    assert done.status_code == 200
    assert "Pierre Lyonnais joined the team; the conflicts of interest you confirmed are recorded." in done.text
    assert (lyon.id, "peer") in members_of(session, world.cycle)
    row = re.search(r"<tr><td>Pierre Lyonnais</td>.*?</tr>", done.text, re.S).group(0)
    assert ('<span class="badge draft"><span class="visually-hidden">Confirmed conflict of interest: </span>'
            "Same country</span>") in row
    assert member_audit(session, lyon)[0].after["confirmed_conflicts"] == ["same_country"]


def test_the_conflicts_and_their_badge_in_french(client, world, session, castelverde_person):
    new_cycle(session, world, "Castelverde 2026", castelverde_person.city_id, [(world.people["host_officer"], "peer")])
    url = f"/cycles/{world.cycle.id}"
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, url)
    french = {**HTML, "Accept-Language": "fr"}
    r = client.post(f"{url}/members", headers=french,
                    data={"user_id": str(castelverde_person.id), "role": "peer", "csrf_token": csrf})
    assert r.status_code == 409
    page = html.unescape(r.text)  # the apostrophes are escaped
    assert f"Carla Castel (Pair) a des conflits d'intérêts avec la ville hôte{NB}:" in page
    assert f"Velmar a déjà évalué Castelverde dans le cycle «{NB}Castelverde 2026{NB}»" in page
    assert "Oui, l'ajouter à l'équipe" in page and f"Ajouter malgré tout cette personne à l'équipe{NB}?" in page
    done = client.post(f"{url}/members", headers=french, data={
        "user_id": str(castelverde_person.id), "role": "peer", "confirm_conflicts": "yes", "csrf_token": csrf})
    shown = html.unescape(done.text)
    assert (f"Carla Castel a rejoint l'équipe{NB}; les conflits d'intérêts que vous avez confirmés "
            "sont enregistrés.") in shown
    assert f"Conflit d'intérêts confirmé{NB}: </span>Ville évaluée par l'hôte</span>" in shown


def test_only_coordinators_see_the_badge(client, world, session, lyon):
    add(client, world, lyon, confirm_conflicts=True)
    browser_login(client, session, world.people["peer"])
    seen_by_peer = client.get(f"/cycles/{world.cycle.id}", headers={**HTML, "Accept-Language": "en"}).text
    assert "Pierre Lyonnais" in seen_by_peer and "Same country" not in seen_by_peer
    browser_login(client, session, world.people["coordinator"])
    assert "Same country</span>" in client.get(f"/cycles/{world.cycle.id}", headers=HTML).text


def test_the_page_still_refuses_a_peer_from_the_host_city(client, world, session):
    velmar_person = make_user(session, "second@velmar.example", "Victor Velmar", world.host_city)
    url = f"/cycles/{world.cycle.id}"
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, url)
    r = client.post(f"{url}/members", headers=HTML, data={
        "user_id": str(velmar_person.id), "role": "peer", "confirm_conflicts": "yes", "csrf_token": csrf})
    assert r.status_code == 409 and "A peer may not come from the host city." in r.text
    assert 'name="confirm_conflicts"' not in r.text
    assert (velmar_person.id, "peer") not in members_of(session, world.cycle)
