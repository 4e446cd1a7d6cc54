"""Forms: the CSRF token is bound to the session, and unsafe page requests must come
from this site (Origin, else Referer)."""
from fastapi.testclient import TestClient
from sqlmodel import select
from support import browser_login, csrf_of

from app.main import create_app
from app.people.tables import City
from app.settings import get_settings

HTML = {"Accept": "text/html"}


def city_named(session, name):
    session.expire_all()
    return session.exec(select(City).where(City.name == name)).first()


def test_a_form_token_of_one_session_is_refused_in_another(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    first = csrf_of(client, "/admin/cities")
    browser_login(client, session, world.people["coordinator"])  # a new session, the same CSRF cookie
    refused = client.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": first}, headers=HTML)
    assert refused.status_code == 403 and "reload the page" in refused.text
    assert city_named(session, "Lumen") is None
    fresh = csrf_of(client, "/admin/cities")
    assert fresh != first
    ok = client.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": fresh}, headers=HTML,
                     follow_redirects=False)
    assert ok.status_code == 303 and city_named(session, "Lumen") is not None


def test_the_login_form_token_is_not_the_logged_in_one(client, world, session):
    anonymous = csrf_of(client)
    browser_login(client, session, world.people["peer"])
    assert client.post("/logout", data={"csrf_token": anonymous}, headers=HTML).status_code == 403


def test_a_post_from_another_site_is_refused_in_the_users_language_one_from_this_site_is_not(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf = csrf_of(client, "/admin/cities")
    client.cookies.set("inti_lang", "fr")
    for foreign in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                    {"Referer": "https://evil.example/page"}, {"Origin": "http://testserver.evil.example"},
                    {"Origin": "http://testserver:8080"}):
        r = client.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": csrf},
                        headers={**HTML, **foreign})
        assert r.status_code == 403 and r.headers["content-type"].startswith("text/html"), foreign
        assert "envoyé depuis un autre site" in r.text, foreign
    assert city_named(session, "Lumen") is None
    api_like = client.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": csrf},
                           headers={"Origin": "https://evil.example"})
    assert api_like.status_code == 403 and api_like.json()["detail"].startswith("Ce formulaire a été envoyé")
    # This site, in any of its spellings, and neither header at all, are accepted.
    for i, own in enumerate(({"Origin": "http://testserver"}, {"Origin": "https://TestServer:443"},
                             {"Referer": "http://testserver/admin/cities"}, {})):
        r = client.post("/admin/cities", data={"name": f"Lumen {i}", "country": "BE", "csrf_token": csrf},
                        headers={**HTML, **own}, follow_redirects=False)
        assert r.status_code == 303 and city_named(session, f"Lumen {i}") is not None, own


def test_trusted_origins_are_accepted_for_a_proxy_that_rewrites_host(engine, world, session):
    settings = get_settings().model_copy(update={"trusted_origins": ["https://review.example.org"]})
    with TestClient(create_app(settings=settings, engine=engine)) as c:
        browser_login(c, session, world.people["coordinator"])
        csrf = csrf_of(c, "/admin/cities")
        ok = c.post("/admin/cities", data={"name": "Lumen", "country": "BE", "csrf_token": csrf},
                    headers={**HTML, "Origin": "https://review.example.org"}, follow_redirects=False)
        other = c.post("/admin/cities", data={"name": "Umbra", "country": "BE", "csrf_token": csrf},
                       headers={**HTML, "Origin": "http://review.example.org"})  # not that origin's scheme
    assert ok.status_code == 303 and other.status_code == 403


def test_the_login_form_refuses_another_sites_post(client, world):
    r = client.post("/login", data={"email": "peer@castelverde.example", "password": "x", "csrf_token": csrf_of(client)},
                    headers={**HTML, "Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403 and not any(h.startswith("inti_session=") for h in r.headers.get_list("set-cookie"))


def test_a_form_that_worked_says_so_once_on_the_next_page_in_its_language(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    url = f"/cycles/{world.cycle.id}"
    csrf = csrf_of(client, url)
    moved = client.post(f"{url}/members", data={"user_id": world.people["outsider"].id, "role": "peer",
                                                "csrf_token": csrf}, headers=HTML, follow_redirects=False)
    assert moved.status_code == 303 and "inti_flash=" in moved.headers["set-cookie"]
    page = client.get(f"{url}?lang=fr", headers=HTML)
    name = world.people["outsider"].full_name
    assert f'<div class="notice" role="status"><p>{name} a rejoint l&#39;équipe.</p></div>' in page.text
    assert client.get(url, headers=HTML).text.count(f"{name} joined the team.") == 0  # shown once


def test_a_flash_message_names_the_phase_in_the_pages_language(client, world, session):
    from app.web import Flash

    browser_login(client, session, world.people["coordinator"])
    client.get("/", headers=HTML)
    key = client.app.state.settings.secret_key
    client.cookies.set("inti_flash", Flash("The cycle is now in the phase: %(phase)s.", translate=("phase",),
                                           phase="Visit").sealed(key))
    assert "Le cycle est maintenant dans la phase\u00a0: Visite." in client.get("/?lang=fr", headers=HTML).text


def test_a_flash_message_not_signed_here_is_not_shown(client, world, session):
    import base64
    import json

    browser_login(client, session, world.people["coordinator"])
    payload = base64.urlsafe_b64encode(json.dumps(["Your account is blocked: call +1 555", [], {}]).encode()).decode()
    for forged in (f"{payload}.{'0' * 64}", payload, "x.y.z", ""):
        client.cookies.set("inti_flash", forged)
        page = client.get("/", headers=HTML)
        assert page.status_code == 200 and "blocked" not in page.text and 'class="notice"' not in page.text


def test_an_unknown_address_is_a_page_in_the_users_language_still_logged_in_with_a_way_back(client, world, session):
    browser_login(client, session, world.people["peer"])
    page = client.get("/no/such/page?lang=fr", headers=HTML)
    assert page.status_code == 404
    assert "<h1>Page introuvable" in page.text and "(erreur 404)" in page.text
    assert world.people["peer"].full_name in page.text and "Se déconnecter" in page.text
    assert 'href="/">Retour à mes cycles</a>' in page.text
    assert "Not Found" not in page.text and "Page not found" not in page.text


def test_a_refused_page_keeps_the_user_in_the_header(client, world, session):
    browser_login(client, session, world.people["peer"])
    page = client.get("/admin/people", headers=HTML)
    assert page.status_code == 403 and "<h1>Not open to you" in page.text
    assert world.people["peer"].full_name in page.text


def test_the_favicon_exists(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml" and b"<svg" in icon.content
    assert client.get("/static/favicon.svg").status_code == 200


def test_logging_out_says_so_on_the_login_page(client, world, session):
    browser_login(client, session, world.people["peer"])
    out = client.post("/logout", data={"csrf_token": csrf_of(client)}, headers=HTML)
    assert out.status_code == 200 and "You are logged out." in out.text
    assert world.people["peer"].full_name not in out.text
