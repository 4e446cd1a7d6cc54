"""The People and Cities pages: search, one-time links, confirmed deactivation, a message
after every form that worked."""
import re

import pytest
from sqlmodel import select
from support import browser_login, csrf_of

from app.people.tables import City, User

HTML = {"Accept": "text/html"}


@pytest.fixture
def coordinator_page(client, world, session):
    """The test client as the coordinator on the People page; returns the forms' CSRF token."""
    browser_login(client, session, world.people["coordinator"])
    return csrf_of(client, "/admin/people")


def names_listed(html):
    return re.findall(r'<input form="person-\d+" name="full_name" value="([^"]*)"', html)


def row_of(html, user):
    return re.search(rf'<tr[^>]*>\s*<td class="who-cell">\s*<form id="person-{user.id}".*?</tr>', html, re.S).group(0)


def invite(client, csrf, **fields):
    data = {"full_name": "Nora New", "email": "nora@velmar.example", "csrf_token": csrf, **fields}
    return client.post("/admin/people", headers=HTML, data=data)


def test_search_finds_people_by_name_email_or_city_ignoring_case_and_accents(client, world, coordinator_page):
    everyone = names_listed(client.get("/admin/people", headers=HTML).text)
    assert len(everyone) == 5
    for query, found in [("velmar", ["Amina Officer"]), ("GIULIA", ["Giulia Peer"]),
                         ("nordhaven.example", ["Lars Leader", "Otto Outsider"]), ("Nördhaven otto", ["Otto Outsider"]),
                         ("castelverde", ["Giulia Peer"])]:
        page = client.get("/admin/people", params={"q": query}, headers=HTML).text
        assert names_listed(page) == found, query
        assert f"Matching &#34;{query}&#34;: {len(found)} of 5." in page
        assert f'name="q" value="{query}"' in page  # kept in the box
    nobody = client.get("/admin/people?q=zzz", headers=HTML).text
    assert names_listed(nobody) == [] and 'Nobody matches "zzz".' in nobody.replace("&#34;", '"')


def test_search_is_escaped_and_kept_by_the_forms_of_the_filtered_list(client, world, coordinator_page):
    page = client.get("/admin/people", params={"q": '"><b>giulia'}, headers=HTML).text
    assert "<b>giulia" not in page and "&lt;b&gt;giulia" in page
    page = client.get("/admin/people?q=giulia", headers=HTML).text
    assert '<input type="hidden" name="q" value="giulia">' in row_of(page, world.people["peer"])
    peer = world.people["peer"]
    r = client.post(f"/admin/people/{peer.id}", headers=HTML, follow_redirects=False, data={
        "full_name": "Giulia P.", "city_id": str(peer.city_id), "language": "fr", "version": str(peer.version),
        "q": "giulia", "csrf_token": coordinator_page})
    assert r.status_code == 303 and r.headers["location"] == "/admin/people?q=giulia"
    after = client.get(r.headers["location"], headers=HTML).text
    assert '<div class="notice" role="status"><p>Giulia P. saved.</p></div>' in after
    assert "Giulia P. saved." not in client.get("/admin/people", headers=HTML).text  # shown once


def test_saving_a_person_keeps_them_active_and_sets_their_language(client, world, session, coordinator_page):
    peer = world.people["peer"]
    client.post(f"/admin/people/{peer.id}", headers=HTML, data={
        "full_name": "Giulia Peer", "city_id": str(peer.city_id), "language": "fr", "version": str(peer.version),
        "csrf_token": coordinator_page})
    session.expire_all()
    saved = session.get(User, peer.id)
    assert (saved.language, saved.is_active) == ("fr", True)


def test_no_link_nor_deactivation_for_oneself(client, world, session, coordinator_page):
    me, peer = world.people["coordinator"], world.people["peer"]
    page = client.get("/admin/people", headers=HTML).text
    mine, theirs = row_of(page, me), row_of(page, peer)
    assert f"/admin/people/{me.id}/invite" not in mine and f"/admin/people/{me.id}/deactivate" not in mine
    assert f"/admin/people/{peer.id}/invite" in theirs and f"/admin/people/{peer.id}/deactivate" in theirs
    # Nor through a form made by hand, nor through the API.
    r = client.post(f"/admin/people/{me.id}/invite", headers=HTML, data={"csrf_token": coordinator_page})
    assert r.status_code == 409 and "Not for your own account: ask another coordinator." in r.text
    assert "/welcome/" not in r.text
    r = client.post(f"/admin/people/{me.id}/deactivate", headers=HTML, data={"csrf_token": coordinator_page})
    assert r.status_code == 409 and "Not for your own account" in r.text
    r = client.patch(f"/api/v1/users/{me.id}", json={"is_active": False}, headers=world.auth("coordinator"))
    assert r.status_code == 409
    session.expire_all()
    assert session.get(User, me.id).is_active is True


def test_deactivating_asks_first_then_says_it_is_done(client, world, session, coordinator_page):
    peer = world.people["peer"]
    read = peer.version
    row = row_of(client.get("/admin/people", headers=HTML).text, peer)
    confirm = re.search(r'<details class="confirm danger">.*?</details>', row, re.S).group(0)
    assert f'action="/admin/people/{peer.id}/deactivate"' in confirm
    assert "Deactivate Giulia Peer? They can no longer log in, and their sessions and one-time link end now." in confirm
    assert f'name="version" value="{peer.version}"' in confirm
    r = client.post(f"/admin/people/{peer.id}/deactivate", headers=HTML, follow_redirects=False,
                    data={"version": str(peer.version), "csrf_token": coordinator_page})
    assert r.status_code == 303 and r.headers["location"] == "/admin/people"
    page = client.get("/admin/people", headers=HTML).text
    assert "Giulia Peer is deactivated: their sessions and links have ended." in page
    row = row_of(page, peer)
    assert "deactivated" in row and f"/admin/people/{peer.id}/reactivate" in row
    assert f"/admin/people/{peer.id}/invite" not in row  # a link would be no use to them
    session.expire_all()
    assert session.get(User, peer.id).is_active is False
    stale = client.post(f"/admin/people/{peer.id}/reactivate", headers=HTML,
                        data={"version": str(read), "csrf_token": coordinator_page})
    assert stale.status_code == 412  # the page was read before the deactivation
    r = client.post(f"/admin/people/{peer.id}/reactivate", headers=HTML,
                    data={"version": str(read + 1), "csrf_token": coordinator_page})
    assert r.status_code == 200 and "Giulia Peer can log in again." in r.text
    session.expire_all()
    assert session.get(User, peer.id).is_active is True


def test_a_new_link_asks_first_saying_the_previous_one_stops_working(client, world, session, coordinator_page):
    created = invite(client, coordinator_page, city_id=str(world.host_city.id))
    first = re.search(r'id="invite-link" class="copy" readonly value="http://testserver(/welcome/[^"]+)"',
                      created.text).group(1)
    nora = session.exec(select(User).where(User.email == "nora@velmar.example")).one()
    page = client.get("/admin/people", headers=HTML).text
    assert "Issue a new one-time link for Nora New? The link sent before stops working." in row_of(page, nora)
    assert ("Issue a one-time link for Giulia Peer? With it they choose their password."
            in row_of(page, world.people["peer"]))  # who has no link pending
    again = client.post(f"/admin/people/{nora.id}/invite", headers=HTML, data={"csrf_token": coordinator_page})
    assert again.status_code == 200 and "The previous link no longer works." in again.text
    assert client.get(first, headers=HTML).status_code == 404


def test_the_link_has_a_copy_button_in_the_pages_language(client, world, coordinator_page):
    r = invite(client, coordinator_page, city_id=str(world.host_city.id))
    assert r.status_code == 201
    assert ('<button type="button" class="secondary" data-copy="invite-link" data-copied="Copied" hidden>Copy</button>'
            in r.text)
    assert '<script src="/static/copy.js" defer></script>' in r.text
    french = client.post("/admin/people?lang=fr", headers=HTML, data={
        "full_name": "Nora Deux", "email": "nora2@velmar.example", "city_id": str(world.host_city.id),
        "csrf_token": coordinator_page})
    assert 'data-copied="Copié" hidden>Copier</button>' in french.text
    assert client.get("/static/copy.js").status_code == 200


@pytest.mark.parametrize("language,lang,said", [
    ("fr", "en", "The welcome page will be in French, the language chosen for them."),
    ("fr", "fr", "La page d'accueil sera en français, la langue choisie pour cette personne."),
    ("", "en", "No language was chosen for them: the welcome page will be in their browser's language."),
])
def test_the_invitation_says_which_language_the_person_will_see(client, world, coordinator_page, language, lang, said):
    r = client.post(f"/admin/people?lang={lang}", headers=HTML, data={
        "full_name": "Nora New", "email": "nora@velmar.example", "city_id": str(world.host_city.id),
        "language": language, "csrf_token": coordinator_page})
    assert r.status_code == 201 and said in r.text.replace("&#39;", "'")


def test_city_forms_say_what_they_did(client, world, session, coordinator_page):
    r = client.post("/admin/cities", headers=HTML, data={"name": "Lumen", "country": "Belgium",
                                                        "csrf_token": coordinator_page})
    assert r.status_code == 200 and "City Lumen added." in r.text
    lumen = session.exec(select(City).where(City.name == "Lumen")).one()
    r = client.post(f"/admin/cities/{lumen.id}", headers=HTML, data={
        "name": "Lumen-Nord", "country": "Belgium", "version": str(lumen.version), "csrf_token": coordinator_page})
    assert r.status_code == 200 and "City Lumen-Nord saved." in r.text
    assert "City Lumen-Nord saved." not in client.get("/admin/cities", headers=HTML).text
