"""The report's way to publication through the API: sharing, sign-offs held to the draft
as it stands, the host city's replies, publishing (with or without every sign-off), the
frozen versions read back byte for byte, and a coordinator's revision."""
import hashlib

from sqlmodel import col, select
from support import make_user, rights_of

from app.audit.tables import AuditEntry
from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate
from app.cycles.tables import Cycle
from app.reports.tables import ReportFile, ReportVersion


def url(world, tail=""):
    return f"/api/v1/cycles/{world.cycle.id}/report{tail}"


def files_url(world, number):
    return url(world, f"/versions/{number}/files")


def phase_of(session, world):
    session.expire_all()
    return session.get(Cycle, world.cycle.id).phase


def test_publishing_waits_for_the_peers_sign_off_of_the_draft_as_it_stands(client, reporting, session):
    leader, peer = reporting.auth("team_leader"), reporting.auth("peer")
    r = client.post(url(reporting, "/publish"), headers=leader)
    assert r.status_code == 409
    assert r.json()["missing_sign_offs"] == [reporting.people["peer"].id]
    # a peer signs off only what the team leader shared
    assert client.post(url(reporting, "/sign-off"), headers=peer).status_code == 409
    assert client.post(url(reporting, "/share"), json={"sharing": "team"}, headers=leader).status_code == 200
    state = client.get(url(reporting, "/state"), headers=peer)
    assert state.json()["sharing"] == "team" and state.json()["missing_sign_offs"] == [reporting.people["peer"].id]
    r = client.post(url(reporting, "/sign-off"), headers={**peer, "If-Match": state.headers["ETag"]})
    assert r.status_code == 200 and r.json()["signed"] is True
    # the team leader changes the summary: the sign-off was of another draft
    r = client.put(url(reporting, "/sections/summary"), json={"text": "Velmar has a strategy, not yet a budget."},
                   headers={**leader, "If-Match": '"0"'})
    assert r.status_code == 200
    state = client.get(url(reporting, "/state"), headers=leader).json()
    assert state["sign_offs"][0]["stale"] is True and state["missing_sign_offs"] == [reporting.people["peer"].id]
    assert client.post(url(reporting, "/publish"), headers=leader).status_code == 409
    # signing what one read before the change is refused; signing the new draft is not
    stale = hashlib.sha256(b"not the draft").hexdigest()
    assert client.post(url(reporting, "/sign-off"), headers={**peer, "If-Match": f'"{stale}"'}).status_code == 412
    assert client.post(url(reporting, "/sign-off"), headers=peer).status_code == 200
    r = client.post(url(reporting, "/publish"), headers=leader)
    assert r.status_code == 200 and r.json() == {"version": 1, "files": files_url(reporting, 1)}
    assert phase_of(session, reporting) == "published"
    version = session.exec(select(ReportVersion)).one()
    assert version.override_reason is None and version.content["sections"]["summary"].startswith("Velmar has")
    files = session.exec(select(ReportFile).where(ReportFile.version_id == version.id)).all()
    assert {(f.format, f.lang) for f in files} >= {("html", "fr"), ("html", "en"), ("pdf", "fr"), ("pdf", "en")}
    assert all(hashlib.sha256(f.data).hexdigest() == f.sha256 for f in files)


def test_the_published_report_is_read_back_as_stored_never_changes_and_a_revision_makes_v2(client, reporting, session):
    leader = reporting.auth("team_leader")
    client.put(url(reporting, "/sections/summary"), json={"text": "First version."}, headers=leader)
    r = client.post(url(reporting, "/publish"), json={"override_reason": "The peer is on leave."}, headers=leader)
    assert r.status_code == 200 and r.json() == {"version": 1, "files": files_url(reporting, 1)}
    version = session.exec(select(ReportVersion)).one()
    assert version.override_reason == "The peer is on leave."
    stored = {(f.format, f.lang): f for f in session.exec(select(ReportFile))}
    for who in ("host_officer", "peer", "coordinator"):
        r = client.get(url(reporting, "?format=pdf&lang=en"), headers=reporting.auth(who))
        assert r.status_code == 200 and r.content == stored[("pdf", "en")].data
        assert r.headers["ETag"] == f'"{stored[("pdf", "en")].sha256}"'
    html = client.get(url(reporting, "?format=html&lang=fr"), headers=reporting.auth("host_officer"))
    assert html.content == stored[("html", "fr")].data and "First version." in html.text
    assert "script-src" not in html.headers["Content-Security-Policy"]
    # frozen: nothing of the report changes any more
    assert client.put(url(reporting, "/sections/summary"), json={"text": "Changed."},
                      headers=leader).status_code == 409
    assert client.post(f"/api/v1/cycles/{reporting.cycle.id}/recommendations", headers=leader, json={
        "indicator_codes": ["GG-AMB-1"], "text": "Late.", "horizon": "short"}).status_code == 409
    assert client.post(url(reporting, "/publish"), headers=leader).status_code == 409
    audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.action == "publish")).one()
    assert audit.after["override_reason"] == "The peer is on leave."
    assert audit.after["missing_sign_offs"] == [reporting.people["peer"].id]

    # a coordinator's revision makes version 2; version 1 stays as it was, byte for byte
    coordinator = reporting.auth("coordinator")
    first = client.get(url(reporting, "?format=html&lang=en&version=1"), headers=leader).content
    assert client.post(url(reporting, "/revise"), json={"reason": "x"}, headers=leader).status_code == 403
    r = client.post(url(reporting, "/revise"), json={"reason": "The city corrected its budget figures."},
                    headers=coordinator)
    assert r.status_code == 200 and r.json()["sharing"] == "writing" and r.json()["versions"] == [1]
    assert phase_of(session, reporting) == "reporting"
    r = client.put(url(reporting, "/sections/summary"), json={"text": "Second version."},
                   headers={**leader, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    assert client.post(url(reporting, "/publish"), json={"override_reason": "On leave."},
                       headers=leader).json() == {"version": 2, "files": files_url(reporting, 2)}
    assert client.get(url(reporting, "?format=html&lang=en&version=1"), headers=leader).content == first
    assert client.get(url(reporting, "?format=pdf&lang=en&version=1"), headers=leader).content == stored[
        ("pdf", "en")].data
    latest = client.get(url(reporting, "?format=html&lang=en"), headers=reporting.auth("host_officer")).text
    assert "Second version." in latest and "The city corrected its budget figures." in latest
    assert client.get(url(reporting, "?format=html&lang=en&version=3"), headers=leader).status_code == 404
    changed = client.get(url(reporting, "/versions/2/changes"), headers={**leader, "Accept-Language": "en"}).json()
    assert changed == [{"what": "Text summary changed", "before": "First version.", "after": "Second version."}]
    assert client.get(url(reporting, "/versions/1/changes"), headers=leader).json() == []


def test_a_plain_phase_change_cannot_publish(client, reporting, session):
    r = client.post(f"/api/v1/cycles/{reporting.cycle.id}/phase", json={"phase": "published"},
                    headers=reporting.auth("coordinator"))
    assert r.status_code == 409 and "Publish the final report from its page" in r.json()["detail"]
    r = client.post(f"/api/v1/cycles/{reporting.cycle.id}/phase",
                    json={"phase": "published", "override_reason": "Go."}, headers=reporting.auth("coordinator"))
    assert r.status_code == 409
    assert phase_of(session, reporting) == "reporting"


def test_the_host_city_reads_the_shared_draft_and_replies_beside_a_section(client, reporting, session):
    leader, host = reporting.auth("team_leader"), reporting.auth("host_officer")
    assert client.get(url(reporting, "?format=html&lang=en"), headers=host).status_code == 403
    assert client.post(url(reporting, "/comments"), json={"section": "summary", "text": "x"},
                       headers=host).status_code == 409
    client.post(url(reporting, "/share"), json={"sharing": "team"}, headers=leader)
    r = client.post(url(reporting, "/comments"), json={"section": "strengths:GG", "text": "Say more about the budget."},
                    headers=reporting.auth("peer"))
    assert r.status_code == 201 and r.json()["kind"] == "comment"
    assert client.post(url(reporting, "/share"), json={"sharing": "host"}, headers=leader).status_code == 200
    assert client.post(url(reporting, "/share"), json={"sharing": "team"}, headers=leader).status_code == 409
    draft = client.get(url(reporting, "?format=html&lang=en"), headers=host)
    assert draft.status_code == 200 and "Draft — not published" in draft.text and "ETag" not in draft.headers
    r = client.post(url(reporting, "/comments"), json={"section": "pillar:GG", "text": "The budget is 1.2 M€."},
                    headers=host)
    assert r.status_code == 201 and r.json()["kind"] == "reply" and r.json()["author_name"] == "Amina Officer"
    r = client.post(url(reporting, "/comments"), json={"section": "nowhere", "text": "x"}, headers=host)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["section"]
    listed = client.get(url(reporting, "/comments"), headers=leader).json()
    assert [(c["section"], c["kind"]) for c in listed] == [("strengths:GG", "comment"), ("pillar:GG", "reply")]


def test_only_the_teams_peers_sign_off(client, reporting, session):
    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", reporting.other_city)
    cycles_service.add_member(session, rights_of(session, reporting.people["coordinator"], reporting.cycle),
                              reporting.cycle, MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    client.post(url(reporting, "/share"), json={"sharing": "team"}, headers=reporting.auth("team_leader"))
    for who in ("team_leader", "host_officer", "coordinator"):
        assert client.post(url(reporting, "/sign-off"), headers=reporting.auth(who)).status_code == 403
    client.post(url(reporting, "/sign-off"), headers=reporting.auth("peer"))
    r = client.post(url(reporting, "/publish"), headers=reporting.auth("team_leader"))
    assert r.status_code == 409 and r.json()["missing_sign_offs"] == [second.id]
    assert "One peer has not signed off" in r.json()["detail"]
