"""Logging in and out, throttling, CSRF, and the shape of every error."""
import re

from sqlmodel import select

from app.auth.tables import AuthToken, LoginAttempt
from app.people.tables import City
from app.settings import get_settings
from support import PASSWORD, browser_login, csrf_of


def token(client, email, password):
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def test_wrong_email_and_wrong_password_answer_the_same_401(client, world):
    wrong_password = token(client, "peer@castelverde.example", "not-the-password")
    wrong_email = token(client, "nobody@castelverde.example", PASSWORD)
    assert wrong_password.status_code == wrong_email.status_code == 401
    assert wrong_password.json() == wrong_email.json()
    assert wrong_password.json()["detail"] == "Wrong e-mail or password."
    assert wrong_password.headers["content-type"] == "application/problem+json"


def test_no_token_or_a_bad_token_is_401_problem(client, world):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        r = client.get("/api/v1/cycles", headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert r.json()["status"] == 401


def test_token_login_is_case_insensitive_on_email(client, world):
    r = token(client, "PEER@Castelverde.example", PASSWORD)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
    assert me["email"] == "peer@castelverde.example" and me["full_name"] == "Giulia Peer"


def test_throttling_after_repeated_failures_is_counted_in_the_database(client, world, session):
    limit = get_settings().login_max_failures
    for _ in range(limit):
        assert token(client, "peer@castelverde.example", "wrong-password").status_code == 401
    locked = token(client, "peer@castelverde.example", PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0 and "minutes" in locked.json()["detail"]
    failures = session.exec(select(LoginAttempt).where(LoginAttempt.email == "peer@castelverde.example")).all()
    assert len(failures) == limit and not any(a.succeeded for a in failures)
    assert token(client, "leader@nordhaven.example", PASSWORD).status_code == 200  # others unaffected


def test_a_success_resets_the_failure_count(client, world):
    limit = get_settings().login_max_failures
    for _ in range(limit - 1):
        token(client, "peer@castelverde.example", "wrong-password")
    assert token(client, "peer@castelverde.example", PASSWORD).status_code == 200
    for _ in range(limit - 1):
        token(client, "peer@castelverde.example", "wrong-password")
    assert token(client, "peer@castelverde.example", PASSWORD).status_code == 200


def test_login_page_sets_a_hardened_session_cookie_and_logout_revokes_it(client, world, session):
    csrf = csrf_of(client)
    r = client.post("/login", data={"email": "peer@castelverde.example", "password": PASSWORD, "csrf_token": csrf,
                                     "next": "/benchmark"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/benchmark"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("inti_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert len(session.exec(select(AuthToken).where(AuthToken.kind == "web")).all()) == 1
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})  # the logged-in session's token
    assert session.exec(select(AuthToken).where(AuthToken.kind == "web")).all() == []
    r = client.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_session_cookie_is_secure_over_https(engine, world):
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(engine=engine), base_url="https://testserver") as c:
        csrf = csrf_of(c)
        r = c.post("/login", data={"email": "peer@castelverde.example", "password": PASSWORD, "csrf_token": csrf},
                   follow_redirects=False)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("inti_session="))
    assert "Secure" in cookie


def test_login_page_with_wrong_password_says_so_and_sets_no_session(client, world):
    r = client.post("/login", data={"email": "peer@castelverde.example", "password": "nope", "csrf_token": csrf_of(client)})
    assert r.status_code == 401
    assert "Wrong e-mail or password." in r.text
    assert not any(h.startswith("inti_session=") for h in r.headers.get_list("set-cookie"))


def test_login_next_never_leaves_the_site(client, world):
    r = client.post("/login", data={"email": "peer@castelverde.example", "password": PASSWORD,
                                     "csrf_token": csrf_of(client), "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_form_without_csrf_token_is_refused_and_changes_nothing(client, world, session):
    browser_login(client, session, world.people["coordinator"])
    csrf_of(client, "/admin/cities")  # the browser has its CSRF cookie
    for data in ({"name": "Lumen", "country": "BE"}, {"name": "Lumen", "country": "BE", "csrf_token": "forged"}):
        r = client.post("/admin/cities", data=data, headers={"Accept": "text/html"})
        assert r.status_code == 403 and "reload the page" in r.text
    assert session.exec(select(City).where(City.name == "Lumen")).first() is None


def test_api_errors_are_problem_json_including_frameworks_own(client, world):
    missing = client.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["title"] == "Not Found"
    wrong_method = client.put("/api/v1/indicators", headers=world.auth("peer"))
    assert wrong_method.status_code == 405 and wrong_method.headers["content-type"] == "application/problem+json"
    bad_json = client.post("/api/v1/cities", content=b"{not json", headers={**world.auth("coordinator"),
                                                                              "Content-Type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.json()["errors"]
    other_city = client.get("/api/v1/cycles/999", headers=world.auth("peer"))
    assert other_city.status_code == 404 and other_city.json()["detail"] == "No review cycle 999."


def test_pages_show_errors_as_html_for_browsers(client, world, session):
    browser_login(client, session, world.people["outsider"])
    r = client.get(f"/cycles/{world.cycle.id}", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert f"No review cycle {world.cycle.id}." in r.text


def test_security_headers_on_pages(client):
    r = client.get("/login")
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_user_text_is_escaped_in_pages(client, world, session):
    world.people["peer"].full_name = "<script>alert(1)</script>"
    session.add(world.people["peer"])
    session.commit()
    browser_login(client, session, world.people["coordinator"])
    html = client.get(f"/cycles/{world.cycle.id}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r'name="csrf_token" value="[0-9a-f]{64}"', html)


def test_two_service_instances_share_sessions_tokens_and_throttling(engine, world):
    """Nothing lives in a process: what one worker issues or counts, another sees."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(engine=engine)) as a, TestClient(create_app(engine=engine)) as b:
        bearer = token(a, "peer@castelverde.example", PASSWORD).json()["access_token"]
        assert b.get("/api/v1/me", headers={"Authorization": f"Bearer {bearer}"}).json()["email"] == "peer@castelverde.example"
        a.post("/login", data={"email": "leader@nordhaven.example", "password": PASSWORD, "csrf_token": csrf_of(a)})
        b.cookies.set("inti_session", a.cookies.get("inti_session"))
        assert "Lars Leader" in b.get("/", headers={"Accept": "text/html"}).text
        limit = get_settings().login_max_failures
        for i in range(limit):
            assert token(a if i % 2 else b, "outsider@nordhaven.example", "wrong-password").status_code == 401
        assert token(a, "outsider@nordhaven.example", PASSWORD).status_code == 429
        assert token(b, "outsider@nordhaven.example", PASSWORD).status_code == 429


def test_nul_characters_are_refused_not_crashing(client, world):
    assert token(client, "peer@castelverde.example\x00", PASSWORD).status_code == 401
    r = client.post("/api/v1/cities", json={"name": "Lu\x00men", "country": "BE"}, headers=world.auth("coordinator"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["name"]
    r = client.get("/api/v1/cycles/99999999999", headers=world.auth("coordinator"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["path", "cycle_id"]


def test_concurrent_guesses_check_at_most_the_allowed_number_of_passwords(engine, world):
    """Guesses arriving together see each other's attempts (recorded before checking)."""
    from concurrent.futures import ThreadPoolExecutor

    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(engine=engine)) as c:
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(lambda _: token(c, "peer@castelverde.example", "wrong-password").status_code, range(16)))
    assert codes.count(401) <= get_settings().login_max_failures
    assert codes.count(429) >= 16 - get_settings().login_max_failures


def test_very_long_email_is_a_plain_401(client, world):
    assert token(client, "a" * 400 + "@x.example", PASSWORD).status_code == 401


def test_an_oversized_request_is_refused_before_its_body_is_read(client, world):
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/documents", headers={**world.auth("host_officer"),
                    "Content-Length": str(30 * 1024 * 1024), "Content-Type": "multipart/form-data; boundary=x"},
                    content=b"--x--")
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert "20 MB" in r.json()["detail"]


def test_the_settings_given_to_the_app_are_the_ones_it_uses(engine, world):
    """``create_app(settings=...)`` is obeyed: here, one failure locks the account out."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    with TestClient(create_app(settings=Settings(login_max_failures=1), engine=engine)) as strict:
        assert token(strict, "peer@castelverde.example", "wrong-password").status_code == 401
        assert token(strict, "peer@castelverde.example", "wrong-password").status_code == 429
        assert token(strict, "peer@castelverde.example", PASSWORD).status_code == 429
