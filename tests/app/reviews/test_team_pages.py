"""The team's pages: the consolidation page and the team's panel on the cycle page."""
import pytest

from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate
from support import browser_login, csrf_of, make_user, rights_of, start_preparatory_review, write_review


@pytest.fixture
def team(session, world):
    second = make_user(session, "peer2@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    start_preparatory_review(session, world.cycle)
    world.people["second"] = second
    return world


def page(client, session, world, who, path, lang="en"):
    client.cookies.clear()
    browser_login(client, session, world.people[who])
    client.cookies.set("lang", lang)
    return client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})


def test_the_consolidation_page_shows_the_grid_what_to_discuss_and_whom_to_meet(client, session, team):
    peer, second = team.people["peer"], team.people["second"]
    write_review(session, team.cycle, peer, submit=False)
    write_review(session, team.cycle, peer, {"GG-AMB-1": "below", "GG-AMB-2": "more_info"},
                 hypothesis={"known": "A strategy <b>exists</b>.", "unknown": "", "suspected": ""},
                 questions=["Who chairs the committee?"], people_to_meet=[{"name": "Hélène Marchetti"}], submit=True)
    write_review(session, team.cycle, second, people_to_meet=[{"name": "HELENE MARCHETTI", "interpreter": True}],
                 submit=True)
    html = page(client, session, team, "team_leader", f"/cycles/{team.cycle.id}/consolidation").text
    assert "Consolidation of the preparatory reviews" in html
    # the grid: one row per indicator, one cell per reviewer, coloured and signed
    assert html.count('<tr class="flagged">') + html.count("<tr>\n        <th scope=\"row\">") >= 73
    assert 'class="judgement r-below"' in html and 'class="judgement r-more_info"' in html
    # to discuss first: GG-AMB-1 (disagreement) and GG-AMB-2 (more information), before the settled ones
    discuss, settled = html.split('id="to-discuss"')[1].split('id="settled"')
    assert 'id="c-GG-AMB-1"' in discuss and 'id="c-GG-AMB-2"' in discuss and 'id="c-GG-AMB-3"' in settled
    assert "The reviewers disagree" in discuss and "More information asked for" in discuss
    # a hypothesis is signed and escaped
    assert "A strategy &lt;b&gt;exists&lt;/b&gt;." in html and "<b>exists</b>" not in html
    # one person, once, with both askers
    people = html.split('id="people"')[1]
    assert people.lower().count("marchetti") == 1 and "Bruno Second, Giulia Peer" in people
    assert "interpreter needed" in people
    # pending reviewers named, nothing of theirs shown
    assert "Lars Leader" in html.split('id="agreement"')[1].split("</section>")[0]


def test_the_consolidation_page_in_french(client, session, team):
    write_review(session, team.cycle, team.people["peer"], submit=True)
    html = page(client, session, team, "team_leader", f"/cycles/{team.cycle.id}/consolidation", "fr").text
    assert "Consolidation des revues préparatoires" in html
    for english in ("Judgements by indicator", "To discuss first", "Everyone to meet", "not judged"):
        assert english not in html


def test_blind_pages(client, session, team):
    write_review(session, team.cycle, team.people["second"], submit=True)
    r = page(client, session, team, "peer", f"/cycles/{team.cycle.id}/consolidation")
    assert r.status_code == 403 and "Bruno" not in r.text
    cycle_page = page(client, session, team, "peer", f"/cycles/{team.cycle.id}").text
    assert "/consolidation" not in cycle_page and "Bruno Second" in cycle_page  # the team list names him, no more
    assert "reviews submitted" not in cycle_page
    host = page(client, session, team, "host_officer", f"/cycles/{team.cycle.id}").text
    assert "/consolidation" not in host and "The team's preparatory reviews" not in host


def test_the_team_leader_follows_progress_and_reopens_with_a_reason(client, session, team):
    write_review(session, team.cycle, team.people["peer"], {"GG-AMB-1": "at"})
    write_review(session, team.cycle, team.people["second"], submit=True)
    html = page(client, session, team, "team_leader", f"/cycles/{team.cycle.id}").text
    panel = html.split('id="panel-team-reviews"')[1].split("</section>")[0]
    assert "1 of 3 reviews submitted" in panel and "1 of 73 judged" in panel and "73 of 73 judged" in panel
    assert panel.count("/reopen") == 1  # only the submitted review can be reopened
    url = f"/cycles/{team.cycle.id}/reviews/{team.people['second'].id}/reopen"
    r = client.post(url, data={"csrf_token": csrf_of(client, f"/cycles/{team.cycle.id}"), "reason": ""},
                    headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 422 and "Say why" in r.text
    r = client.post(url, data={"csrf_token": csrf_of(client, f"/cycles/{team.cycle.id}"),
                               "reason": "IE-LEA needs hypotheses."}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "Bruno Second&#39;s review is reopened" in r.text
    assert "0 of 3 reviews submitted" in r.text


def test_my_cycles_leads_the_team_leader_to_the_consolidation(client, session, team):
    write_review(session, team.cycle, team.people["peer"], submit=True)
    html = page(client, session, team, "team_leader", "/").text
    assert f'href="/cycles/{team.cycle.id}/consolidation"' in html
    assert "Open the team&#39;s consolidation — 1 of 3 reviews submitted" in html
    assert "/consolidation" not in page(client, session, team, "host_officer", "/").text


def test_every_judgement_has_its_colour_and_the_stylesheet_no_conflict_marker():
    """The grid's cells are coloured by class: a judgement without its rule is a blank cell
    (as "more information needed" once was, after a merge left a marker in the file)."""
    import re
    from pathlib import Path

    from app.labels import PERFORMANCE_COLOURS

    css = (Path(__file__).resolve().parents[3] / "app" / "static" / "style.css").read_text()
    assert not re.search(r"^(<<<<<<<|=======|>>>>>>>)", css, re.M)
    for key in PERFORMANCE_COLOURS:
        assert re.search(rf"\.r-{key} \{{ background:var\(--r-{key}\); \}}", css), key


def test_the_host_city_s_draft_self_ratings_are_not_in_the_consolidation(client, session, world):
    """Before the initial report is submitted the team leader sees the consolidation (empty)
    but never the host's draft self-ratings, in the API, on the page or in the workbook."""
    from support import fill_report

    fill_report(session, world.cycle)  # a draft: every indicator rated "at", not submitted
    data = client.get(f"/api/v1/cycles/{world.cycle.id}/consolidation", headers=world.auth("team_leader")).json()
    assert {i["self_rating"] for i in data["indicators"]} == {None}
    html = page(client, session, world, "team_leader", f"/cycles/{world.cycle.id}/consolidation").text
    assert "r-at" not in html


def test_the_team_panel_says_which_review_was_reopened(client, session, team):
    from app.reviews import service

    write_review(session, team.cycle, team.people["peer"], submit=True)
    service.reopen(session, rights_of(session, team.people["team_leader"], team.cycle), team.cycle,
                   team.people["peer"].id, "Look again at IE.")
    session.commit()
    html = page(client, session, team, "team_leader", f"/cycles/{team.cycle.id}").text
    row = html.split("<td>Giulia Peer")[1].split("</tr>")[0]
    assert "Reopened" in row
    mine = client.get(f"/api/v1/cycles/{team.cycle.id}/reviews/me", headers=team.auth("peer")).json()
    assert mine["reopen_reason"] == "Look again at IE." and mine["reopened_by"] == "Lars Leader"


def test_a_kept_consolidation_outlives_the_session_that_made_it(engine, session, team):
    """The consolidation is kept across requests: what it holds of the reviewers still reads
    after the session that computed it was rolled back and closed."""
    from sqlmodel import Session

    from app.cycles.deps import load_cycle_access
    from app.reviews import service

    write_review(session, team.cycle, team.people["peer"], submit=True)
    with Session(engine) as first:
        team_first = service.team_consolidation(first, load_cycle_access(first, team.people["team_leader"],
                                                                         team.cycle.id).rights, team.cycle)
        first.rollback()
    with Session(engine) as second:
        again = service.team_consolidation(second, load_cycle_access(second, team.people["team_leader"],
                                                                     team.cycle.id).rights, team.cycle)
    assert again is team_first  # kept
    assert [r.reviewer.full_name for r in again.reviews] == ["Giulia Peer"]
    assert {u.full_name for u in again.pending} == {"Lars Leader", "Bruno Second"}
