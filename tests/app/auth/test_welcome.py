"""The one-time link's welcome page: in the language chosen for the person, and on to the
login page with the e-mail filled in once the password is set."""
import re
from datetime import timedelta

import pytest
from support import csrf_of

from app.auth.service import INVITE, issue_token
from app.people.tables import User

HTML = {"Accept": "text/html"}
PASSWORD = "my-own-password"


def invited(session, world, email="nora@velmar.example", language=None):
    user = User(email=email, full_name="Nora New", city_id=world.host_city.id, language=language)
    session.add(user)
    session.flush()
    token = issue_token(session, user, INVITE, timedelta(days=7))
    session.commit()
    return f"/welcome/{token}"


def set_password(client, link, **headers):
    csrf = csrf_of(client, link)
    return client.post(link, headers={**HTML, **headers}, follow_redirects=False,
                       data={"csrf_token": csrf, "password": PASSWORD, "password_again": PASSWORD})


def email_field(html):
    return re.search(r'<input type="email" name="email"[^>]*>', html).group(0)


def test_after_the_password_the_login_page_says_so_with_the_email_filled_in(client, world, session):
    link = invited(session, world)
    r = set_password(client, link)
    assert r.status_code == 303 and r.headers["location"] == "/login"  # the e-mail is not in the address
    page = client.get("/login", headers=HTML).text
    assert '<div class="notice" role="status"><p>Password set: log in with it.</p></div>' in page
    assert 'value="nora@velmar.example"' in email_field(page)
    assert re.search(r'name="password" autocomplete="current-password" required autofocus', page)
    again = client.get("/login", headers=HTML).text  # once only
    assert "Password set" not in again and 'value=""' in email_field(again)
    ok = client.post("/login", headers=HTML, follow_redirects=False, data={
        "email": "nora@velmar.example", "password": PASSWORD, "csrf_token": csrf_of(client, "/login")})
    assert ok.status_code == 303 and ok.headers["location"] == "/"


def test_the_email_is_escaped_in_the_field(client, world, session):
    link = invited(session, world, email='a"><script>x</script>@velmar.example')
    set_password(client, link)
    page = client.get("/login", headers=HTML).text
    assert "<script>x</script>" not in page
    assert 'value="a&#34;&gt;&lt;script&gt;x&lt;/script&gt;@velmar.example"' in email_field(page)


def test_an_email_in_the_address_fills_in_nothing(client, world):
    page = client.get("/login?email=someone@else.example", headers=HTML).text
    assert 'value=""' in email_field(page)


@pytest.mark.parametrize("language,browser,cookie,query,expected", [
    ("fr", "en", None, "", "fr"),       # the language chosen for the person
    ("en", "fr", None, "", "en"),
    (None, "fr", None, "", "fr"),       # none chosen: the browser's
    ("fr", "en", "en", "", "en"),       # the visitor chose with the language switch
    ("fr", "en", None, "?lang=en", "en"),
])
def test_the_welcome_page_speaks_the_persons_language(client, world, session, language, browser, cookie, query,
                                                      expected):
    link = invited(session, world, language=language)
    if cookie:
        client.cookies.set("inti_lang", cookie)
    page = client.get(link + query, headers={**HTML, "Accept-Language": browser})
    assert page.status_code == 200 and f'<html lang="{expected}">' in page.text
    assert ("Bienvenue, Nora New" if expected == "fr" else "Welcome, Nora New") in page.text


def test_refusals_and_the_login_page_after_it_speak_it_too(client, world, session):
    link = invited(session, world, language="fr")
    english = {**HTML, "Accept-Language": "en"}
    csrf = csrf_of(client, link)
    short = client.post(link, headers=english,
                        data={"csrf_token": csrf, "password": "court", "password_again": "court"})
    assert short.status_code == 422 and '<html lang="fr">' in short.text and "au moins 10 caractères" in short.text
    set_password(client, link, **{"Accept-Language": "en"})
    page = client.get("/login", headers=english).text
    assert '<html lang="fr">' in page and "Mot de passe enregistré\u00a0: connectez-vous avec." in page
    assert '<html lang="en">' in client.get("/login", headers=english).text  # only that once
