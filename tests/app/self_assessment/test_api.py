"""The initial report through the API, as the contract writes it (SQLite and PostgreSQL)."""
import hashlib

import pytest
from sqlmodel import col, select

from app.audit.tables import AuditEntry
from app.self_assessment.tables import SelfAssessmentEntry
from support import fill_report, submit_report

ENTRY = {
    "self_rating": "at",
    "description": "Velmar adopted its Plan Velmar Accueil in 2025.\n\nA needs assessment preceded it.",
    "evidence": [{"title": "Plan Velmar Accueil", "url": "https://www.velmar.example/plan.pdf"}],
    "responsible": [{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"}],
}


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/self-assessment{tail}"


def put(client, world, code, body=ENTRY, role="host_officer", **headers):
    return client.put(url(world, f"/{code}"), json=body, headers={**world.auth(role), **headers})



def codes(client, world):
    return [e["indicator_code"] for e in client.get(url(world), headers=world.auth("host_officer")).json()["entries"]]


def test_empty_report_has_one_entry_per_indicator(client, world):
    body = client.get(url(world), headers=world.auth("host_officer")).json()
    assert body["status"] == "draft" and body["completed"] == 0 and body["total"] == 73
    assert len(body["entries"]) == 73 and body["entries"][0] == {
        "indicator_code": "GG-AMB-1", "self_rating": None, "description": "", "evidence": [], "responsible": [],
        "version": 0}


def test_put_entry_keeps_paragraphs_and_returns_version_as_etag(client, world, session):
    r = put(client, world, "GG-AMB-1")
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    assert r.json() == {"indicator_code": "GG-AMB-1", **ENTRY, "version": 1}
    report = client.get(url(world), headers=world.auth("host_officer")).json()
    assert report["completed"] == 1 and report["entries"][0]["description"].count("\n\n") == 1
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "self_assessment_entry")).one()
    assert audit.before is None and audit.after["self_rating"] == "at" and audit.actor_id == world.people["host_officer"].id


def test_stale_if_match_is_412_and_changes_nothing(client, world, session):
    assert put(client, world, "GG-AMB-1", **{"If-Match": '"0"'}).status_code == 200
    assert put(client, world, "GG-AMB-1", {**ENTRY, "self_rating": "above"}, **{"If-Match": '"1"'}).status_code == 200
    stale = put(client, world, "GG-AMB-1", {**ENTRY, "self_rating": "below"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["detail"].startswith("Someone else changed this record")
    session.expire_all()
    entry = session.exec(select(SelfAssessmentEntry)).one()
    assert (entry.self_rating, entry.version) == ("above", 2)


def test_unknown_code_is_404(client, world):
    r = put(client, world, "GG-AMB-99")
    assert r.status_code == 404 and "GG-AMB-99" in r.json()["detail"]


@pytest.mark.parametrize("body,loc", [
    ({"self_rating": "great"}, ["self_rating"]),
    ({"description": "x" * 10_001}, ["description"]),
    ({"evidence": [{"title": "No link", "url": "javascript:alert(1)"}]}, ["evidence", 0, "url"]),
    ({"evidence": [{"title": "", "url": "https://a.example"}]}, ["evidence", 0, "title"]),
    ({"responsible": [{"role": "Head"}]}, ["responsible", 0, "name"]),
    ({"responsible": [{"name": "A | B"}]}, ["responsible", 0, "name"]),
    ({"evidence": [{"title": "Two\nlines", "url": "https://a.example"}]}, ["evidence", 0, "title"]),
    ({"unknown": 1}, ["unknown"]),
])
def test_bad_entry_is_422_naming_the_field_and_changes_nothing(client, world, session, body, loc):
    r = put(client, world, "GG-AMB-1", body)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [loc]
    assert session.exec(select(SelfAssessmentEntry)).all() == []


def test_submit_lists_what_is_missing_then_locks(client, world, session):
    all_codes = codes(client, world)
    fill_report(session, world.cycle, all_codes[:-2])
    r = client.post(url(world, "/submit"), headers=world.auth("host_officer"))
    assert r.status_code == 409 and r.json()["missing"] == all_codes[-2:]
    put(client, world, all_codes[-2])
    put(client, world, all_codes[-1])
    r = client.post(url(world, "/submit"), headers=world.auth("host_officer"))
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["completed"] == 73
    assert put(client, world, "GG-AMB-1").status_code == 409
    assert client.post(url(world, "/submit"), headers=world.auth("host_officer")).status_code == 409


def test_description_of_spaces_does_not_count_as_done(client, world):
    put(client, world, "GG-AMB-1", {**ENTRY, "description": "   \n "})
    assert client.get(url(world), headers=world.auth("host_officer")).json()["completed"] == 0


def test_peers_read_only_once_submitted_and_coordinator_reopens(client, world, session):
    assert client.get(url(world), headers=world.auth("peer")).status_code == 403
    assert client.get(url(world), headers=world.auth("coordinator")).status_code == 200
    assert client.get(url(world), headers=world.auth("outsider")).status_code == 404
    fill_report(session, world.cycle, codes(client, world))
    client.post(url(world, "/submit"), headers=world.auth("host_officer"))
    for role in ("peer", "team_leader", "coordinator"):
        assert client.get(url(world), headers=world.auth(role)).json()["status"] == "submitted"
    assert client.post(url(world, "/reopen"), headers=world.auth("host_officer")).status_code == 403
    r = client.post(url(world, "/reopen"), headers=world.auth("coordinator"))
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert put(client, world, "GG-AMB-1").status_code == 200
    actions = [a.action for a in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "self_assessment"))]
    assert actions == ["submit", "reopen"]


def test_only_the_host_officer_writes(client, world):
    for role in ("peer", "team_leader", "coordinator"):
        assert put(client, world, "GG-AMB-1", role=role).status_code == 403
    assert put(client, world, "GG-AMB-1", role="outsider").status_code == 404


def test_no_writes_or_reopening_after_the_self_assessment_phase(client, world, session):
    from support import submit_report

    submit_report(session, world.cycle)
    assert client.post(f"/api/v1/cycles/{world.cycle.id}/phase", json={"phase": "preparatory_review"},
                       headers=world.auth("coordinator")).status_code == 200
    r = put(client, world, "GG-AMB-1")
    assert r.status_code == 409 and "self-assessment phase" in r.json()["detail"]
    r = client.post(url(world, "/reopen"), headers=world.auth("coordinator"))
    assert r.status_code == 409 and "self-assessment phase" in r.json()["detail"]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, world, name, data, role="host_officer"):
    return client.post(f"/api/v1/cycles/{world.cycle.id}/documents", files={"file": (name, data, "application/octet-stream")},
                       headers=world.auth(role))


def test_upload_is_stored_with_checksum_and_served_only_as_download(client, world, session):
    r = upload(client, world, "Plan accueil.pdf", PDF)
    assert r.status_code == 201
    doc = r.json()
    assert doc["sha256"] == hashlib.sha256(PDF).hexdigest() and doc["content_type"] == "application/pdf"
    assert put(client, world, "GG-AMB-1", {**ENTRY, "evidence": [{"title": "Plan", "url": doc["url"]}]}).status_code == 200
    got = client.get(doc["url"], headers=world.auth("host_officer"))
    assert got.content == PDF
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''Plan%20accueil.pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert client.get(doc["url"], headers=world.auth("peer")).status_code == 403  # not submitted yet
    assert client.get(doc["url"], headers=world.auth("outsider")).status_code == 404


@pytest.mark.parametrize("name,data,message", [
    ("script.html", b"<script>", "only PDF, Word, Excel, OpenDocument and image files"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "is not a real PDF file"),
    ("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "larger than 20 MB"),
])
def test_bad_uploads_are_refused_with_a_reason(client, world, session, name, data, message):
    r = upload(client, world, name, data)
    assert r.status_code == 422 and message in r.json()["errors"][0]["msg"]
    from app.self_assessment.tables import Document

    assert session.exec(select(Document)).all() == []


def test_evidence_cannot_point_at_another_cycles_document(client, world):
    r = put(client, world, "GG-AMB-1", {**ENTRY, "evidence": [{"title": "x", "url": f"/api/v1/cycles/{world.cycle.id}/documents/999"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["evidence", 0, "url"]


def test_report_reads_in_a_fixed_number_of_queries(client, world, session, engine):
    from sqlalchemy import event

    def count_queries():
        seen = []
        listener = lambda *a: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        client.get(url(world), headers=world.auth("host_officer"))
        event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    count_queries()  # warm: the indicator set is read once per process
    few = count_queries()
    fill_report(session, world.cycle, codes(client, world))
    assert count_queries() == few <= 6


def test_a_submit_waits_for_a_write_in_progress_and_sees_it(engine, world, session):
    """Two transactions: while a write holds the report's lock the submit waits, then finds
    the entry the write emptied. Without the lock the submit would go through at once."""
    import threading

    from sqlmodel import Session

    from app.cycles.deps import load_cycle_access
    from app.errors import Conflict
    from app.self_assessment import service
    from app.self_assessment.schemas import EntryWrite

    fill_report(session, world.cycle, [i.code for i in service.load_report(session, world.cycle).iset.indicators])
    officer = world.people["host_officer"]
    outcome = {}

    def submit():
        with Session(engine, expire_on_commit=False) as other:
            try:
                access = load_cycle_access(other, officer, world.cycle.id)
                service.submit(other, access.rights, world.cycle)
                other.commit()
                outcome["submitted"] = True
            except Conflict as exc:
                outcome["missing"] = exc.extra["missing"]

    with Session(engine, expire_on_commit=False) as writer:
        service.lock_report(writer, world.cycle, exclusive=False)
        report = service.load_report(writer, world.cycle)
        submitter = threading.Thread(target=submit)
        submitter.start()
        submitter.join(timeout=1.0)
        assert submitter.is_alive(), "the submit did not wait for the write in progress"
        service.apply_entries(writer, officer, world.cycle,
                              [("GG-AMB-1", report.entries["GG-AMB-1"], EntryWrite(self_rating="at", description=""))])
        writer.commit()
    submitter.join(timeout=30)
    assert outcome == {"missing": ["GG-AMB-1"]}


def test_an_uploaded_name_loses_its_direction_controls(client, world):
    r = upload(client, world, "minutes\u202eftp.pdf", b"%PDF-1.4 minutes")
    assert r.status_code == 201 and r.json()["filename"] == "minutesftp.pdf"


def test_the_plain_read_says_what_the_models_say(client, world, session):
    """The whole-report read is encoded from plain data: it must match the contract's models."""
    from app.self_assessment import service

    fill_report(session, world.cycle, ["GG-AMB-1", "WP-IMP-9"])
    put(client, world, "IE-LEA-1", {"self_rating": "below", "description": "Évaluation « partielle ».",
                                     "evidence": [{"title": "Plan", "url": "https://www.velmar.example/p.pdf"}],
                                     "responsible": [{"name": "Hélène Marchetti", "role": "Adjointe"}]})
    session.expire_all()
    report = service.load_report(session, world.cycle)
    read = client.get(url(world), headers=world.auth("host_officer")).json()
    assert read == report.public().model_dump(mode="json")
    assert read["completed"] == 3 and read["status"] == "draft"
    assert next(e for e in read["entries"] if e["indicator_code"] == "IE-LEA-1")["responsible"] == [
        {"name": "Hélène Marchetti", "role": "Adjointe", "department": ""}]


def test_a_reopening_keeps_its_reason_for_the_officer_and_refuses_a_bad_one(client, world, session):
    from app.self_assessment.tables import SelfAssessment

    submit_report(session, world.cycle)
    bad = client.post(url(world, "/reopen"), json={"reason": "x" * 2001}, headers=world.auth("coordinator"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["reason"]
    session.expire_all()
    assert session.get(SelfAssessment, world.cycle.id).status == "submitted"
    ok = client.post(url(world, "/reopen"), json={"reason": "Sources missing for GG-AMB-1."},
                     headers=world.auth("coordinator"))
    assert ok.status_code == 200 and ok.json()["status"] == "draft"
    session.expire_all()
    header = session.get(SelfAssessment, world.cycle.id)
    assert header.reopen_reason == "Sources missing for GG-AMB-1."
    assert header.reopened_by == world.people["coordinator"].id and header.reopened_at is not None


def test_peers_get_only_the_documents_the_report_cites(client, world, session):
    """An upload never cited, or removed from its card, is not for the peers to read; the
    officer and coordinators still get it."""
    first = upload(client, world, "Plan accueil.pdf", PDF).json()
    cited = upload(client, world, "Budget.pdf", PDF).json()
    fill_report(session, world.cycle)
    assert put(client, world, "GG-AMB-1", {"self_rating": "at", "description": "Plan.",
                                            "evidence": [{"title": "Budget", "url": cited["url"]}]}).status_code == 200
    assert client.post(url(world, "/submit"), headers=world.auth("host_officer")).status_code == 200
    assert client.get(cited["url"], headers=world.auth("peer")).status_code == 200
    hidden = client.get(first["url"], headers=world.auth("peer"))
    assert hidden.status_code == 404 and hidden.json()["detail"] == f"No document {first['id']} in this cycle."
    assert client.get(first["url"], headers=world.auth("team_leader")).status_code == 404
    for role in ("host_officer", "coordinator"):
        assert client.get(first["url"], headers=world.auth(role)).status_code == 200
