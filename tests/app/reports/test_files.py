"""The published versions' files, rendered after the publication's commit: none in the
publishing transaction, the page and the API following them as they come, a file asked
for before its turn made then and stored once, the versions a stopped worker left
unfinished finished at start-up — and every answer for a stored file the same bytes."""
import hashlib
import re
import threading

from fastapi.testclient import TestClient
from sqlmodel import Session, select
from support import browser_login, publish_report, rights_of

from app.main import create_app
from app.reports import files, publication
from app.reports.tables import ReportFile, ReportVersion

HTML = {"Accept": "text/html"}


def _stored(session):
    session.expire_all()
    return {(f.format, f.lang): f for f in session.exec(select(ReportFile))}


def _version(session, cycle):
    return session.exec(select(ReportVersion).where(ReportVersion.cycle_id == cycle.id)).one()


def test_publishing_stores_no_file_in_its_transaction_and_a_file_asked_for_is_made_once(client, session, reporting):
    publish_report(session, reporting.cycle)
    assert _stored(session) == {}  # the transaction that published rendered nothing
    url = f"/api/v1/cycles/{reporting.cycle.id}/report"
    officer = reporting.auth("host_officer")
    follow = client.get(url + "/versions/1/files", headers=officer)
    assert follow.status_code == 200 and follow.json() == {"version": 1, "ready": 0, "total": 8, "files": []}
    first = client.get(url + "?format=pdf&lang=en", headers=officer)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    stored = _stored(session)
    assert list(stored) == [("pdf", "en")] and stored[("pdf", "en")].data == first.content
    again = client.get(url + "?format=pdf&lang=en&version=1", headers=reporting.auth("peer"))
    assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]
    follow = client.get(url + "/versions/1/files", headers=officer).json()
    assert follow["ready"] == 1 and follow["files"][0]["sha256"] == hashlib.sha256(first.content).hexdigest()
    assert follow["files"][0]["size"] == len(first.content) and follow["files"][0]["format"] == "pdf"


def test_the_versions_a_stopped_worker_left_unfinished_are_finished_at_start_up(client, session, reporting, engine):
    publish_report(session, reporting.cycle)
    version = _version(session, reporting.cycle)
    publication.download(session, rights_of(session, reporting.people["peer"], reporting.cycle), reporting.cycle,
                         "html", "fr")  # one file made before the worker stopped
    made_before = _stored(session)[("html", "fr")]
    assert files.unfinished_versions(engine) == [version.id]
    stop = threading.Event()
    stop.set()
    assert files.render_version(engine, version.id, stop=stop) == 0  # told to stop: nothing made
    with TestClient(create_app(engine=engine)) as restarted:
        restarted.app.state.report_files.join(300)
    stored = _stored(session)
    assert sorted(stored) == sorted(files.ALL_FILES) and files.unfinished_versions(engine) == []
    assert stored[("html", "fr")].data == made_before.data  # made once, never again
    for f in stored.values():
        assert f.sha256 == hashlib.sha256(f.data).hexdigest() and f.size == len(f.data) > 1000
    assert files.render_unfinished(engine) == 0


def test_of_two_renders_of_one_file_the_first_stored_is_the_one_served(session, reporting, engine):
    publish_report(session, reporting.cycle)
    version = _version(session, reporting.cycle)
    first = files._store(engine, version.id, "html", "en", b"<p>first</p>")
    second = files._store(engine, version.id, "html", "en", b"<p>second</p>")
    assert first.data == second.data == b"<p>first</p>"
    with Session(engine) as other:
        assert files.file_of(other, other.get(ReportVersion, version.id), "html", "en").data == b"<p>first</p>"


def test_a_version_that_fails_to_render_does_not_stop_the_others(session, reporting, engine, monkeypatch, caplog):
    publish_report(session, reporting.cycle)
    session.add(ReportVersion(cycle_id=reporting.cycle.id, number=2, content={"broken": True}, content_sha256="0" * 64,
                              published_at=_version(session, reporting.cycle).published_at,
                              published_by=reporting.people["team_leader"].id))
    session.commit()
    assert files.render_unfinished(engine) == files.TOTAL
    assert "could not be rendered" in caplog.text
    assert len(files.unfinished_versions(engine)) == 1


def test_the_page_shows_the_files_coming_and_the_api_follows_them(client, session, reporting):
    browser_login(client, session, reporting.people["team_leader"])
    publish_report(session, reporting.cycle)
    page = f"/cycles/{reporting.cycle.id}/report"
    html = client.get(page + "?lang=en", headers=HTML).text
    assert "Preparing the files: 0 of 8 ready." in html and '<progress value="0" max="8" aria-label="Files ready">' in html
    assert f'data-files="/api/v1/cycles/{reporting.cycle.id}/report/versions/1/files"' in html
    assert "/static/files.js" in html
    html = client.get(page + "?lang=fr", headers=HTML).text
    assert "Préparation des fichiers\u00a0: 0 sur 8 prêts." in html
    files.render_unfinished(client.app.state.engine)
    html = client.get(page + "?lang=en", headers=HTML).text
    assert "Preparing the files" not in html and not re.search(r"<progress[^>]*max=\"8\"", html)


def test_the_files_of_a_version_are_for_those_who_may_read_it(client, session, reporting):
    url = f"/api/v1/cycles/{reporting.cycle.id}/report/versions/1/files"
    for who in ("team_leader", "host_officer"):
        assert client.get(url, headers=reporting.auth(who)).status_code == 404  # nothing published yet
    publish_report(session, reporting.cycle)
    assert client.get(url, headers=reporting.auth("host_officer")).status_code == 200
    assert client.get(url.replace("/1/", "/2/"), headers=reporting.auth("host_officer")).status_code == 404
    assert client.get(url, headers=reporting.auth("outsider")).status_code == 404  # not in the cycle: no cycle
