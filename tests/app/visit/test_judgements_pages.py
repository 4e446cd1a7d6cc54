"""The final judgements on their pages: one indicator's page (what the team found beside the
team leader's form, autosaved), the overview, the cycle page's panel and My cycles."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from support import add_interview, browser_login, csrf_of, officer_of, statements, visit_with_majorities

from app.self_assessment import service as report_service
from app.self_assessment.schemas import EntryWrite
from app.visit.tables import FinalJudgement, HypothesisCheck, InterviewNote

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
HOST_ENTRY = EntryWrite(self_rating="above",
                        description="A strategy <b>was adopted</b> in 2024.\n\nIt is reviewed yearly.")


@pytest.fixture
def visit(session, world):
    """The visit (GG-AMB-1: the peers' majority "below"), the host's entry for GG-AMB-1,
    two interviews with notes (two tagged to GG-AMB-1, one to another indicator), and the
    peer's hypothesis on GG-AMB-1 confirmed by the first note."""
    world = visit_with_majorities(session, world)
    report = report_service.load_report(session, world.cycle)
    report_service.apply_entries(session, officer_of(session, world.cycle), world.cycle,
                                 [("GG-AMB-1", report.entries["GG-AMB-1"], HOST_ENTRY)])
    peer, second = world.people["peer"], world.people["second"]
    first = add_interview(session, world.cycle, [peer, second], name="Marie Dubois", codes=("GG-AMB-1",))
    later = add_interview(session, world.cycle, [peer, second], name="Youssef Benali",
                          starts_at=datetime(2027, 6, 2, 13, 30, tzinfo=UTC), codes=("GG-AMB-1", "GG-AMB-2"))
    notes = [InterviewNote(cycle_id=world.cycle.id, interview_id=first.id, author_id=peer.id,
                           text="The plan <script>exists</script>, adopted in 2024.", indicator_codes=["GG-AMB-1"]),
             InterviewNote(cycle_id=world.cycle.id, interview_id=later.id, author_id=second.id,
                           text="Budget lines are not ring-fenced.", indicator_codes=["GG-AMB-2", "GG-AMB-1"]),
             InterviewNote(cycle_id=world.cycle.id, interview_id=later.id, author_id=second.id,
                           text="OTHER-INDICATOR note.", indicator_codes=["GG-AMB-10", "GG-AMB-2"])]
    session.add_all(notes)
    session.commit()
    session.add(HypothesisCheck(cycle_id=world.cycle.id, reviewer_id=peer.id, indicator_code="GG-AMB-1",
                                state="confirmed", note_ids=[notes[0].id], comment="The mayor said so."))
    session.commit()
    return world


def page(client, session, world, who, path, lang="en"):
    client.cookies.clear()
    browser_login(client, session, world.people[who])
    return client.get(path + ("&" if "?" in path else "?") + f"lang={lang}", headers=HTML)


def one(world, code="GG-AMB-1"):
    return f"/cycles/{world.cycle.id}/judgements/{code}"


def test_the_team_leader_sees_what_the_team_found_beside_the_form(client, session, visit):
    r = page(client, session, visit, "team_leader", one(visit))
    assert r.status_code == 200
    html = r.text
    assert "The municipality adopts a strategic plan for the integration of immigrants" in html  # in English
    found, form = html.split('id="judgement"')
    # the host's self-rating and description, escaped
    assert 'class="rating-badge r-above"' in found and "A strategy &lt;b&gt;was adopted&lt;/b&gt; in 2024." in found
    assert "It is reviewed yearly." in found
    # each reviewer's preliminary judgement and hypothesis, the majority
    for name in ("Giulia Peer", "Bruno Second", "Lars Leader"):
        assert name in found
    assert "peer knows." in found and "second knows." in found
    assert '<span class="count">2 below the benchmark</span> · <span class="count">1 at the benchmark</span>' in found
    assert "Peers&#39; majority: <span class=\"rating-badge r-below\">below the benchmark</span>" in found
    # the notes tagged to GG-AMB-1 only, in the interviews' order, in the city's time (Paris, summer: UTC+2)
    assert "Interview notes tagged to this indicator (2)" in found
    assert found.index("The plan &lt;script&gt;exists&lt;/script&gt;") < found.index("Budget lines are not ring")
    assert "<script>exists" not in html and "OTHER-INDICATOR" not in html
    assert "Marie Dubois" in found and "June 1, 2027, 11:00" in found and "June 2, 2027, 15:30" in found
    # the hypotheses' states: the peer's confirmed by note 1; the others' still open
    giulia = found.split("Giulia Peer")[1].split("</article>")[0]
    assert "Hypothesis: <strong>confirmed</strong>" in giulia and '<a href="#note-' in giulia and "note 1" in giulia
    assert "The mayor said so." in giulia
    assert "Hypothesis: <strong>still open</strong>" in found.split("Bruno Second")[1].split("</article>")[0]
    # the form: four big choices, the rationale, autosave; the notice hidden until a departure
    assert form.count('name="performance"') == 4 and 'name="rationale"' in form and "data-autosave" in form
    assert 'data-majority="below"' in form and "data-departs hidden" in form
    assert "(the peers&#39; majority)" in form
    # navigation: no previous before the first, the next, the next unjudged
    assert 'rel="prev"' not in html and f'href="{one(visit, "GG-AMB-2")}" rel="next"' in html
    assert "Next unjudged" in html and "0 of 73 indicators judged" in html


def test_autosave_asks_why_for_a_departure_then_saves_and_tells_the_page(client, session, visit):
    browser_login(client, session, visit.people["team_leader"])
    token = csrf_of(client, one(visit))
    form = {"csrf_token": token, "version": "0", "performance": "at", "rationale": ""}
    refused = client.post(one(visit), data=form, headers=JSON)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["loc"] == ["rationale"] and error["label"] == "Rationale"  # autosave.js puts it there
    assert error["msg"] == "This judgement departs from the peers' majority (below the benchmark): say why."
    assert session.exec(select(FinalJudgement)).all() == []
    saved = client.post(one(visit), data={**form, "rationale": "The interviews showed\r\na real plan."}, headers=JSON)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["version"], body["departs_from_majority"], body["majority"], body["completed"], body["total"]) == (
        1, True, "below", 1, 73)
    assert body["pillars"]["GG"] == [1, 24]
    # another tab saved meanwhile: 412 with what is saved now
    stale = client.post(one(visit), data={**form, "performance": "below", "rationale": "Mine."}, headers=JSON)
    assert stale.status_code == 412
    assert stale.json()["current"] == {"version": 1, "performance": "at",
                                       "rationale": "The interviews showed\na real plan."}
    assert [d["label"] for d in stale.json()["differences"]] == ["Performance", "Rationale"]
    html = page(client, session, visit, "team_leader", one(visit)).text
    assert 'data-departs role="note"' in html  # the saved judgement departs: the notice is shown
    assert "1 of 73 indicators judged" in html


def test_without_script_the_form_saves_or_shows_the_field_error_with_the_text_kept(client, session, visit):
    browser_login(client, session, visit.people["team_leader"])
    form = {"csrf_token": csrf_of(client, one(visit)), "version": "0", "performance": "above", "rationale": "  "}
    refused = client.post(one(visit), data=form, headers=HTML)
    assert refused.status_code == 422
    rationale = refused.text.split('name="rationale"')[1].split("</label>")[0]
    assert '<p class="field-error" id="error-rationale">This judgement departs' in rationale
    assert 'value="above" checked' in refused.text
    done = client.post(one(visit, "GG-AMB-3"), data={**form, "performance": "at"}, headers=HTML,
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == one(visit, "GG-AMB-3")
    shown = client.get(done.headers["location"], headers=HTML).text
    assert "GG-AMB-3: final judgement saved." in shown and 'value="at" checked' in shown


def test_the_rest_of_the_team_reads_without_a_form(client, session, visit):
    client.put(f"/api/v1/cycles/{visit.cycle.id}/assessment/GG-AMB-1", headers=visit.auth("team_leader"),
               json={"performance": "at", "rationale": "The plan <i>is</i> applied."})
    for who in ("peer", "coordinator"):
        html = page(client, session, visit, who, one(visit)).text
        assert "data-autosave" not in html and 'name="performance"' not in html and "/static/autosave.js" not in html
        final = html.split('id="judgement"')[1]
        assert 'class="rating-badge r-at"' in final and "The plan &lt;i&gt;is&lt;/i&gt; applied." in final
        assert "departs from the peers&#39; majority (below the benchmark)" in final
        assert "Set by Lars Leader on" in final
    assert page(client, session, visit, "host_officer", one(visit)).status_code == 403
    assert page(client, session, visit, "peer", one(visit, "XX-YYY-9")).status_code == 404


def test_french_and_english_pages_have_no_word_of_the_other_language(client, session, visit):
    client.put(f"/api/v1/cycles/{visit.cycle.id}/assessment/GG-AMB-1", headers=visit.auth("team_leader"),
               json={"performance": "at", "rationale": "Vu sur place."})
    english = ("Final judgement", "Peers' majority", "Interview notes tagged", "What we know", "not yet judged",
               "Previous", "Next unjudged", "indicators judged", "Departures from")
    french = ("Jugement final", "Majorité des pairs", "Notes d'entretien", "Ce que nous savons", "pas encore jugé",
              "Précédent", "indicateurs jugés", "Écarts par rapport")
    for path in (one(visit), one(visit, "GG-AMB-2"), f"/cycles/{visit.cycle.id}/judgements"):
        fr = page(client, session, visit, "team_leader", path, "fr").text.replace("&#39;", "'")
        en = page(client, session, visit, "team_leader", path, "en").text.replace("&#39;", "'")
        assert any(w in fr for w in french) and any(w in en for w in english), path
        assert not [w for w in english if w in fr], path
        assert not [w for w in french if w in en], path
    fr = page(client, session, visit, "team_leader", one(visit), "fr").text
    assert "1 juin 2027, 11:00" in fr and "en dessous du référentiel" in fr and "confirmée" in fr


def test_the_overview_shows_progress_the_picture_and_the_departures(client, session, visit):
    api = f"/api/v1/cycles/{visit.cycle.id}/assessment"
    client.put(f"{api}/GG-AMB-1", json={"performance": "above", "rationale": "A strong plan."},
               headers=visit.auth("team_leader"))
    client.put(f"{api}/GG-AMB-3", json={"performance": "at"}, headers=visit.auth("team_leader"))
    overview = f"/cycles/{visit.cycle.id}/judgements"
    html = page(client, session, visit, "team_leader", overview).text
    assert "2 of 73 indicators judged" in html and '<progress max="73" value="2">' in html
    assert "1 depart from the peers" in html
    # the picture: every indicator a square, signed, linked, by pillar and dimension
    picture = html.split('id="map-title"')[1].split('id="departures-title"')[0]
    assert picture.count(f'<li><a href="/cycles/{visit.cycle.id}/judgements/') == 73
    assert 'class="judgement r-above departs"' in picture and 'class="judgement r-at"' in picture
    assert picture.count('class="judgement r-none"') == 71 + 1  # 71 squares and the legend's
    assert 'title="GG-AMB-1: above the benchmark — departs from the peers&#39; majority"' in picture
    departures = html.split('id="departures-title"')[1].split('id="list-title"')[0]
    assert "GG-AMB-1" in departures and "A strong plan." in departures and "GG-AMB-3" not in departures
    assert f'href="{one(visit, "GG-AMB-2")}">Judge the next: GG-AMB-2' in html
    unjudged = page(client, session, visit, "team_leader", overview + "?show=unjudged").text
    listed = unjudged.split('id="list-title"')[1]
    assert listed.count("<tr>") == 71 + 1 and "GG-AMB-1</span></a>" not in listed
    peer = page(client, session, visit, "peer", overview).text
    assert "Judge the next" not in peer and "The first indicator not judged yet: GG-AMB-2" in peer


def test_the_cycle_page_and_my_cycles_lead_to_the_judgements(client, session, visit):
    client.put(f"/api/v1/cycles/{visit.cycle.id}/assessment/GG-AMB-3", json={"performance": "at"},
               headers=visit.auth("team_leader"))
    cycle = f"/cycles/{visit.cycle.id}"
    leader = page(client, session, visit, "team_leader", cycle).text.split('id="panel-judgements"')[1]
    assert "Final judgements: 1 / 73" in leader and "Settle the final judgements" in leader
    # moving on is not offered yet: the page says what is missing
    assert "72 indicators have no final judgement yet: GG-AMB-1, GG-AMB-2" in page(
        client, session, visit, "team_leader", cycle).text
    peer = page(client, session, visit, "peer", cycle).text.split('id="panel-judgements"')[1]
    assert "Read the final judgements" in peer and "Settle" not in peer
    assert 'id="panel-judgements"' not in page(client, session, visit, "host_officer", cycle).text
    mine = page(client, session, visit, "team_leader", "/").text
    assert "Settle the final judgements — 1 of 73" in mine and f'href="{cycle}/judgements"' in mine
    assert "Settle the final judgements" not in page(client, session, visit, "peer", "/").text


def test_the_page_runs_as_many_statements_with_2_notes_as_with_12(client, session, engine, visit):
    browser_login(client, session, visit.people["team_leader"])
    client.get(one(visit), headers=HTML)  # warm: the indicator set, the consolidation

    def count() -> int:
        with statements(engine) as seen:
            r = client.get(one(visit), headers=HTML)
        assert r.status_code == 200
        return len(seen)
    few = count()
    interviews = [add_interview(session, visit.cycle, [visit.people["peer"]], name=f"Person {n}",
                                starts_at=datetime(2027, 6, 3, 9, tzinfo=UTC) + timedelta(hours=n)) for n in range(5)]
    session.add_all([InterviewNote(cycle_id=visit.cycle.id, interview_id=interviews[n % 5].id,
                                   author_id=visit.people["peer"].id, text=f"Note {n}.", indicator_codes=["GG-AMB-1"])
                     for n in range(10)])
    session.commit()
    assert count() == few
    assert "Interview notes tagged to this indicator (12)" in client.get(one(visit), headers=HTML).text
