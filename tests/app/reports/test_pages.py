"""The final report on its pages: the team leader's workspace and texts (autosaved), the
recommendations page with good practices offered and attached in one click, a peer's
sign-off and comment, the host city's reply, publishing with a reason, the report read in
the page — in French and in English, hostile text shown as text."""
import re

from markupsafe import escape
from sqlmodel import select
from support import browser_login, csrf_of

from app.cycles.tables import Cycle
from app.reports.tables import Recommendation, ReportComment, ReportSection, ReportSignOff, ReportVersion

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
HOSTILE = '<script>alert("x")</script> & =HYPERLINK("http://evil")'


def login(client, session, world, who):
    client.cookies.clear()
    browser_login(client, session, world.people[who])


def get(client, path, lang="en"):
    return client.get(path + ("&" if "?" in path else "?") + f"lang={lang}", headers=HTML)


def post(client, path, data, **headers):
    return client.post(path, data={**data, "csrf_token": csrf_of(client)}, headers={**HTML, **headers},
                       follow_redirects=False)


def test_the_team_leader_writes_the_summary_as_they_type_and_reads_it_in_the_report(client, session, reporting):
    login(client, session, reporting, "team_leader")
    base = f"/cycles/{reporting.cycle.id}/report"
    html = get(client, base).text
    assert 'action="' + base + '/sections/summary"' in html and "Share the draft with the team" in html
    r = client.post(base + "/sections/summary", data={"text": HOSTILE, "version": "0", "csrf_token": csrf_of(client)},
                    headers=JSON)
    assert r.status_code == 200 and r.json() == {"version": 1, "complete": True}
    r = client.post(base + "/sections/summary", data={"text": "Late tab.", "version": "0",
                                                      "csrf_token": csrf_of(client)}, headers=JSON)
    assert r.status_code == 412 and r.json()["current"]["text"] == HOSTILE
    assert session.exec(select(ReportSection)).one().text == HOSTILE
    read = get(client, base + "/read").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in read and "<script>alert" not in read
    french = get(client, base + "/read", "fr").text
    assert "Résumé" in french and "Summary" not in french


def test_a_peer_proposes_and_the_leader_attaches_a_good_practice_in_one_click(client, session, reporting):
    from app.practices.service import practices_for_indicators

    base = f"/cycles/{reporting.cycle.id}/recommendations"
    login(client, session, reporting, "peer")
    r = post(client, base, {"text": "Fund the strategy.", "indicator_codes": "gg-amb-1", "horizon": "short",
                            "priority": "high", "owner": "", "follow_up_on": ""})
    assert r.status_code == 303
    rec = session.exec(select(Recommendation)).one()
    assert (rec.status, rec.indicator_codes, rec.priority) == ("proposed", ["GG-AMB-1"], "high")
    login(client, session, reporting, "team_leader")
    page = get(client, base).text
    assert "Judged below the benchmark (1)" in page and "proposed by a peer" in page
    offered = practices_for_indicators(session, ["GG-AMB-1"])["GG-AMB-1"]
    assert offered, "the library has practices speaking to GG-AMB-1"
    assert f'name="practice_id" value="{offered[0].id}"' in page
    assert post(client, f"{base}/{rec.id}/accept", {"version": rec.version}).status_code == 303
    session.expire_all()
    rec = session.get(Recommendation, rec.id)
    r = post(client, f"{base}/{rec.id}/practices", {"version": rec.version, "practice_id": offered[0].id})
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Recommendation, rec.id).practice_ids == [offered[0].id]
    read = get(client, f"/cycles/{reporting.cycle.id}/report/read").text
    assert str(escape(offered[0].title_en)) in read and "Fund the strategy." in read


def test_a_refused_recommendation_says_why_beside_the_field_in_french(client, session, reporting):
    login(client, session, reporting, "team_leader")
    base = f"/cycles/{reporting.cycle.id}/recommendations"
    r = client.post(base + "?lang=fr", data={"text": "X", "indicator_codes": "GG-AMB-1, ZZ-TOP-1", "horizon": "short",
                                             "csrf_token": csrf_of(client)}, headers=HTML)
    assert r.status_code == 422
    assert "ZZ-TOP-1" in r.text and 'id="error-indicator_codes"' in r.text
    assert session.exec(select(Recommendation)).all() == []


def test_sign_off_comment_reply_and_publish_through_the_pages(client, session, reporting):
    base = f"/cycles/{reporting.cycle.id}/report"
    login(client, session, reporting, "team_leader")
    assert post(client, base + "/share", {"sharing": "team"}).status_code == 303
    login(client, session, reporting, "peer")
    html = get(client, base).text
    draft = re.search(r'name="draft" value="([0-9a-f]{64})"', html).group(1)
    assert post(client, base + "/comments", {"section": "summary", "text": "Say it plainly."}).status_code == 303
    assert post(client, base + "/sign-off", {"draft": draft}).status_code == 303
    assert session.exec(select(ReportSignOff)).one().content_sha256 == draft
    signed = get(client, base).text
    assert "You signed off this draft" in signed
    assert signed.count("You signed off the draft.") == 1  # the page's notice, said once
    login(client, session, reporting, "team_leader")
    assert post(client, base + "/share", {"sharing": "host"}).status_code == 303
    login(client, session, reporting, "host_officer")
    html = get(client, base, "fr").text
    assert "Envoyer la réponse" in html and "Say it plainly." in html
    reply = {"section": "pillar:GG", "text": "Le budget est de 1,2 M€."}
    assert post(client, base + "/comments", reply).status_code == 303
    assert [c.kind for c in session.exec(select(ReportComment))] == ["comment", "reply"]
    login(client, session, reporting, "team_leader")
    html = get(client, base).text
    assert "1 of 1 peers signed off" in html and "Le budget est de 1,2 M€." in html
    assert post(client, base + "/publish", {}).status_code == 303
    session.expire_all()
    assert session.get(Cycle, reporting.cycle.id).phase == "published"
    assert session.exec(select(ReportVersion)).one().number == 1
    html = get(client, base).text
    assert "Version 1" in html and "/report/share" not in html and "/report/publish" not in html


def test_a_recommendation_shows_the_notes_and_hypotheses_it_rests_on(client, session, reporting):
    from support import add_interview, rights_of

    from app.reports import recommendations
    from app.reports.schemas import RecommendationWrite
    from app.visit.tables import InterviewNote

    interview = add_interview(session, reporting.cycle, [reporting.people["peer"]], codes=("GG-AMB-1",))
    session.add_all([InterviewNote(cycle_id=reporting.cycle.id, interview_id=interview.id,
                                   author_id=reporting.people["peer"].id, text=f"Note {n}.",
                                   indicator_codes=["GG-AMB-1"]) for n in range(2)])
    recommendations.create_recommendation(session, rights_of(session, reporting.people["team_leader"], reporting.cycle),
                                          reporting.cycle, RecommendationWrite(indicator_codes=["GG-AMB-1"],
                                                                               text="Fund it.", horizon="short"))
    session.commit()
    login(client, session, reporting, "peer")
    html = get(client, f"/cycles/{reporting.cycle.id}/recommendations", "fr").text
    assert "Notes d&#39;entretien\u00a0: 2" in html and "No budget line." in html
    assert f'href="/cycles/{reporting.cycle.id}/judgements/GG-AMB-1"' in html
    # the host city reads the recommendations once the draft is shared with it, but the
    # judgements' pages and the team's notes stay the team's: no link that would answer 403
    from app.reports import sharing

    leader = rights_of(session, reporting.people["team_leader"], reporting.cycle)
    sharing.share(session, leader, reporting.cycle, "team")
    sharing.share(session, leader, reporting.cycle, "host")
    session.commit()
    login(client, session, reporting, "host_officer")
    html = get(client, f"/cycles/{reporting.cycle.id}/recommendations").text
    assert "Fund it." in html and "GG-AMB-1" in html
    assert "/judgements/" not in html and "Interview notes" not in html
    assert client.get(f"/cycles/{reporting.cycle.id}/judgements/GG-AMB-1?lang=en", headers=HTML).status_code == 403
