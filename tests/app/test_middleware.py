"""Request bodies are counted as they arrive and not read at all when the request will be
refused; caching and transport headers.

Bodies here are really chunked (no Content-Length). TestClient hands the app the whole
of a streamed body at its first ``receive`` (it joins the generator), so it shows that a
body was *not* read (the generator untouched); how much of a body the app reads before
refusing it needs a transport that passes it on chunk by chunk: httpx's ASGITransport,
and uvicorn over a socket.
"""
import asyncio
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlmodel import func, select
from support import browser_login, csrf_of

from app.main import create_app
from app.self_assessment.tables import Document, SelfAssessmentEntry

MB = 1024 * 1024
PROBLEM = "application/problem+json"
MULTIPART = "multipart/form-data; boundary=b0undary"
PREAMBLE = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")


class Body:
    """A streamed body of ``count`` chunks of ``size`` bytes that counts what was taken."""

    def __init__(self, count: int, size: int = MB, first: bytes = b""):
        self.count, self.size, self.first, self.taken = count, size, first, 0

    def _chunk(self) -> bytes:
        self.taken += 1
        return self.first if self.taken == 1 and self.first else b"x" * self.size

    def sync(self):
        for _ in range(self.count):
            yield self._chunk()

    async def stream(self):
        for _ in range(self.count):
            yield self._chunk()


def stream_to_app(app, method: str, url: str, body: Body, headers: dict) -> httpx.Response:
    """Send ``body`` chunk by chunk straight to the ASGI app (its lifespan already run)."""
    async def go():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            return await c.request(method, url, content=body.stream(), headers=headers)
    # In a thread of its own: this thread may already run an event loop (Playwright's sync
    # API keeps one while the browser tests' session lasts).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


def count(session, table) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def entry_url(world) -> str:
    return f"/api/v1/cycles/{world.cycle.id}/self-assessment/GG-AMB-1"


def nothing_written(session) -> bool:
    session.expire_all()
    return count(session, Document) == 0 and count(session, SelfAssessmentEntry) == 0


# --- not read at all ------------------------------------------------------------------------

def test_an_anonymous_chunked_api_write_is_refused_unread(client, world, session):
    for method, url, content_type in (("PUT", entry_url(world), "application/json"),
                                      ("POST", f"/api/v1/cycles/{world.cycle.id}/documents", MULTIPART)):
        body = Body(40)
        r = client.request(method, url, content=body.sync(), headers={"Content-Type": content_type})
        assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
        assert r.headers["www-authenticate"] == "Bearer" and r.json()["status"] == 401
        assert body.taken == 0, f"{method} {url}: {body.taken} chunks read"
    assert nothing_written(session)


def test_an_anonymous_chunked_page_post_goes_to_login_unread(client, world, session):
    url = f"/cycles/{world.cycle.id}/self-assessment/entries/GG-AMB-1/document"
    csrf_of(client)  # a CSRF cookie, but no session
    body = Body(40, first=PREAMBLE)
    r = client.post(url, content=body.sync(), headers={"Content-Type": MULTIPART, "Accept": "text/html"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    other = Body(40, first=PREAMBLE)
    r = client.post(url, content=other.sync(), headers={"Content-Type": MULTIPART})  # not a browser
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert body.taken == other.taken == 0
    assert nothing_written(session)


def test_a_large_body_with_a_bad_credential_is_refused_unread(client, world, session):
    api = Body(40, first=PREAMBLE)
    r = client.post(f"/api/v1/cycles/{world.cycle.id}/documents", content=api.sync(),
                    headers={"Authorization": "Bearer forged-or-expired", "Content-Type": MULTIPART})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM and r.headers["www-authenticate"] == "Bearer"
    client.cookies.set("inti_session", "forged-or-expired")
    page = Body(40, first=PREAMBLE)
    r = client.post(f"/cycles/{world.cycle.id}/self-assessment/import", content=page.sync(),
                    headers={"Content-Type": MULTIPART, "Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert api.taken == page.taken == 0
    assert nothing_written(session)
    good = client.put(entry_url(world), content=iter([b'{"description": ', b'"Chunked."}']),  # checked, then read
                      headers={**world.auth("host_officer"), "Content-Type": "application/json"})
    assert good.status_code == 200 and good.json()["description"] == "Chunked."


def test_a_declared_length_over_the_anonymous_cap_is_refused_unread(client, world):
    body = Body(1, size=100 * 1024)
    r = client.post("/api/v1/auth/token", content=body.sync(),
                    headers={"Content-Length": str(100 * 1024), "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM and body.taken == 0


# --- read up to the limit, not further ------------------------------------------------------

@pytest.fixture
def started(client):
    """The app of ``client``, its lifespan run (secret key loaded)."""
    return client.app


@pytest.mark.parametrize("kind", ["json", "upload"])
def test_a_chunked_body_is_cut_off_at_the_limit_with_a_413(started, world, session, kind):
    url, content_type, first = ((entry_url(world), "application/json", b'{"description": "')
                                if kind == "json" else
                                (f"/api/v1/cycles/{world.cycle.id}/documents", MULTIPART, PREAMBLE))
    body = Body(60, first=first)
    r = stream_to_app(started, "PUT" if kind == "json" else "POST", url, body,
                      {**world.auth("host_officer"), "Content-Type": content_type, "Accept-Language": "fr"})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    assert r.json()["detail"].startswith("La requête est trop volumineuse") and "20 Mo" in r.json()["detail"]
    assert 21 <= body.taken <= 23, f"{body.taken} chunks of 1 MB read"
    assert nothing_written(session)


def test_an_anonymous_login_is_cut_off_at_64_kb(started, world):
    body = Body(1000, size=16 * 1024, first=b"username=a%40b.example&password=")
    r = stream_to_app(started, "POST", "/api/v1/auth/token", body,
                      {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "The request is too large."
    assert body.taken <= 6


def test_a_page_upload_over_the_limit_is_a_413_page(client, world, session):
    browser_login(client, session, world.people["host_officer"])  # a logged-in browser's cookies and token
    csrf = csrf_of(client, f"/cycles/{world.cycle.id}/self-assessment")
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    preamble = (b'--b0undary\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + csrf.encode()
                + b"\r\n" + PREAMBLE)
    body = Body(60, first=preamble)
    r = stream_to_app(client.app, "POST", f"/cycles/{world.cycle.id}/self-assessment/entries/GG-AMB-1/document", body,
                      {"Cookie": cookies, "Content-Type": MULTIPART, "Accept": "text/html"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "files up to 20 MB are accepted" in r.text
    assert body.taken <= 23
    assert nothing_written(session)


# --- over a real socket ----------------------------------------------------------------------

@contextmanager
def served(engine):
    """The app served by uvicorn on 127.0.0.1 in a thread; yields its port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(engine=engine), log_level="warning", access_log=False,
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_uvicorn_answers_an_anonymous_chunked_write_after_its_first_chunk(engine, world):
    """Only the headers and one chunk are sent: the answer comes without waiting for more."""
    with served(engine) as port, socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"PUT {entry_url(world)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode() + b"400\r\n" + b"x" * 1024 + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = conn.recv(65536)
            assert data, "connection closed without an answer"
            answer += data
    head = answer.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 401") and "content-type: application/problem+json" in head


# --- headers -------------------------------------------------------------------------------

def test_no_store_on_pages_api_and_downloads_but_not_static_files(client, world, session):
    assert client.get("/api/v1/me", headers=world.auth("peer")).headers["cache-control"] == "no-store"
    assert client.get("/api/v1/me").headers["cache-control"] == "no-store"  # errors too
    xlsx = client.get(f"/api/v1/cycles/{world.cycle.id}/self-assessment.xlsx", headers=world.auth("host_officer"))
    assert xlsx.status_code == 200 and xlsx.headers["cache-control"] == "no-store"
    browser_login(client, session, world.people["peer"])
    assert client.get("/", headers={"Accept": "text/html"}).headers["cache-control"] == "no-store"
    static = client.get("/static/style.css")
    assert static.status_code == 200 and "cache-control" not in static.headers


def test_strict_transport_security_only_over_https(engine):
    with TestClient(create_app(engine=engine), base_url="https://testserver") as https:
        assert https.get("/login").headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(create_app(engine=engine)) as http:
        assert "strict-transport-security" not in http.get("/login").headers
