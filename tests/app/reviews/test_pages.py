"""A reviewer's own preparatory review on its pages: the host's report beside the reviewer's
fields, autosave with If-Match, the no-script forms, submitting, read-only after, reopening;
the cycle page's panel and My cycles' next step; blind to the other reviewers."""
import re

import pytest
from sqlalchemy import event
from sqlmodel import select

from benchmark.scales import Phase

from app.cycles import service as cycles_service
from app.cycles.schemas import MemberCreate
from app.reviews import service
from app.reviews.tables import ReviewEntry
from app.self_assessment import service as report_service
from app.self_assessment.schemas import EntryWrite
from support import (
    browser_login,
    csrf_of,
    make_user,
    officer_of,
    rights_of,
    start_preparatory_review,
    write_review,
)

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
HOST_ENTRY = EntryWrite(
    self_rating="above",
    description="A consultative committee of 15 members meets 4 times a year.\n\nIt advises the council.",
    evidence=[{"title": "Committee charter", "url": "https://www.velmar.example/charter.pdf"}],
    responsible=[{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"},
                 {"name": "Youssef Benali", "role": "Chair", "department": "Consultative committee"}])


@pytest.fixture
def team(session, world):
    """The cycle in its preparatory review, GG-IMP-3 of the host's report with evidence and
    responsible people, and a second peer ("second") who has submitted a review."""
    second = make_user(session, "second@brueckenfeld.example", "Bruno Second", world.other_city)
    cycles_service.add_member(session, rights_of(session, world.people["coordinator"], world.cycle), world.cycle,
                              MemberCreate(user_id=second.id, role="peer"))
    session.commit()
    start_preparatory_review(session, world.cycle)
    report = report_service.load_report(session, world.cycle)
    report_service.apply_entries(session, officer_of(session, world.cycle), world.cycle,
                                 [("GG-IMP-3", report.entries["GG-IMP-3"], HOST_ENTRY)])
    session.commit()
    write_review(session, world.cycle, second, submit=True, questions=["SECRET-QUESTION of the other peer?"])
    world.people["second"] = second
    return world


def url(world, tail=""):
    return f"/cycles/{world.cycle.id}/review{tail}"


def form_of(client, world, **fields):
    return {"csrf_token": csrf_of(client, url(world)), "version": "0", "performance": "", "known": "", "unknown": "",
            "suspected": "", "questions": "", **fields}


def entry(session, world, code, who="peer"):
    session.expire_all()
    return session.exec(select(ReviewEntry).where(ReviewEntry.cycle_id == world.cycle.id,
                                                  ReviewEntry.reviewer_id == world.people[who].id,
                                                  ReviewEntry.indicator_code == code)).first()


def test_a_peer_sees_the_hosts_report_beside_the_four_fields_in_the_pages_language(client, team, session):
    browser_login(client, session, team.people["peer"])
    fr = client.get(url(team) + "?lang=fr", headers=HTML)
    assert fr.status_code == 200
    html = fr.text
    assert "La municipalité adopte un plan stratégique" in html  # GG-AMB-1 in French
    assert html.count(" data-autosave>") == 73
    assert html.index('id="pillar-GG"') < html.index('id="pillar-IE"') < html.index('id="pillar-WP"')
    assert "0 sur 73 indicateurs jugés" in html and '<progress data-progress max="73" value="0">' in html
    card = html[html.index('id="GG-IMP-3"'):html.index('id="GG-IMP-4"')]
    assert "A consultative committee of 15 members meets 4 times a year." in card and "It advises the council." in card
    assert 'class="rating-badge r-above"' in card
    assert 'href="https://www.velmar.example/charter.pdf" target="_blank" rel="noopener noreferrer"' in card
    assert 'name="add_person" value="0"' in card and "Hélène Marchetti, Deputy mayor</button>" in card
    assert 'data-organisation="Mayor&#39;s office"' in card
    for name in ("performance", "known", "unknown", "suspected", "questions", "people-0-name", "people-0-interpreter"):
        assert f'name="{name}"' in card
    assert "informations complémentaires nécessaires" in card and "Ce que nous savons" in card
    en = client.get(url(team) + "?lang=en", headers=HTML).text
    assert "more information needed" in en and "What we don&#39;t know" in en and "Next unjudged" in en
    assert 'href="/api/v1/cycles/%d/reviews/me.xlsx"' % team.cycle.id in en
    assert 'action="/cycles/%d/review/import"' % team.cycle.id in en
    browser_login(client, session, team.people["team_leader"])
    assert client.get(url(team), headers=HTML).status_code == 200  # the team leader writes one too


@pytest.mark.parametrize("role,status", [("coordinator", 403), ("host_officer", 403), ("outsider", 404)])
def test_only_the_reviewers_have_a_review_page(client, team, session, role, status):
    browser_login(client, session, team.people[role])
    assert client.get(url(team), headers=HTML).status_code == status
    assert client.get(url(team, "/submit"), headers=HTML).status_code == status


def test_before_the_preparatory_review_there_is_no_page_nor_panel(client, world, session):
    browser_login(client, session, world.people["peer"])
    refused = client.get(url(world), headers=HTML)
    assert refused.status_code == 409 and "The preparatory review has not begun yet" in refused.text
    assert "My preparatory review" not in client.get(f"/cycles/{world.cycle.id}", headers=HTML).text
    assert "Continue my review" not in client.get("/", headers=HTML).text


def test_blind_nothing_of_the_other_reviewers(client, team, session):
    browser_login(client, session, team.people["peer"])
    for page in (url(team), url(team, "/submit"), f"/cycles/{team.cycle.id}", "/"):
        html = client.get(page, headers=HTML).text
        assert "SECRET-QUESTION" not in html, page
        assert "reviewers" not in html.replace("reviewers&#39;", ""), page  # no count of them either


def test_autosave_round_trip_with_if_match_and_a_conflict(client, team, session):
    browser_login(client, session, team.people["peer"])
    form = form_of(client, team, performance="below", known="A committee of 15.\r\nMeets 4 times a year.",
                   questions="Who sets its agenda?\r\n\r\n  What became of its opinions?  ",
                   **{"people-0-name": "Hélène Marchetti", "people-0-role": "Deputy mayor",
                      "people-0-organisation": "Mayor's office", "people-3-name": "Youssef Benali",
                      "people-3-interpreter": "on", "people-4-name": "", "people-4-role": ""})
    r = client.post(url(team, "/entries/GG-IMP-3"), data=form, headers=JSON)
    assert r.status_code == 200, r.text
    assert r.json() == {"version": 1, "complete": True, "completed": 1, "total": 73,
                        "pillars": {"GG": [1, 24], "IE": [0, 14], "AC": [0, 13], "WP": [0, 22]}}
    saved = entry(session, team, "GG-IMP-3")
    assert saved.known == "A committee of 15.\nMeets 4 times a year."
    assert saved.questions == ["Who sets its agenda?", "What became of its opinions?"]
    assert saved.people_to_meet == [
        {"name": "Hélène Marchetti", "role": "Deputy mayor", "organisation": "Mayor's office", "interpreter": False},
        {"name": "Youssef Benali", "role": "", "organisation": "", "interpreter": True}]
    # the same version again: the page is out of date (another tab saved it)
    stale = client.post(url(team, "/entries/GG-IMP-3"), data={**form, "performance": "at", "suspected": "Not much."},
                        headers=JSON)
    assert stale.status_code == 412
    body = stale.json()
    assert "You saved this indicator at {time} in another tab or window" in body["detail"]
    assert body["saved_at"] and body["current"]["version"] == 1
    assert body["current"]["performance"] == "below" and body["current"]["people-1-interpreter"] == "on"
    assert body["differences"] == [{"label": "Performance", "text": "below the benchmark"},
                                   {"label": "What we suspect", "text": ""}]
    assert entry(session, team, "GG-IMP-3").performance == "below"  # nothing changed
    kept = client.post(url(team, "/entries/GG-IMP-3"), headers=JSON,
                       data={**form, "version": "1", "performance": "more_info", "suspected": "Not much."})
    assert kept.status_code == 200 and kept.json()["version"] == 2
    assert entry(session, team, "GG-IMP-3").performance == "more_info"


def test_a_refused_field_is_named_as_on_the_card(client, team, session):
    browser_login(client, session, team.people["peer"])
    form = form_of(client, team, questions="Fine?\n" + "x" * 501,
                   **{"people-0-name": "Ana", "people-2-name": "", "people-2-role": "Mayor", "people-5-name": "A | B"})
    r = client.post(url(team, "/entries/GG-AMB-1"), data=form, headers=JSON)
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert errors["questions"]["label"] == "Questions to ask, line 2"
    assert errors["questions"]["msg"] == "At most 500 characters."
    assert errors["people-2-name"]["msg"] == "This field may not be empty."
    assert errors["people-5-name"]["msg"] == 'No line break nor "|" here.'
    assert entry(session, team, "GG-AMB-1") is None
    # without script: the card comes back with what was typed, each error beside its field
    page = client.post(url(team, "/entries/GG-AMB-1"), data={**form, "known": "Typed, kept."}, headers=HTML)
    assert page.status_code == 422
    card = page.text[page.text.index('id="GG-AMB-1"'):page.text.index('id="GG-AMB-2"')]
    assert "Typed, kept." in card and 'value="Mayor"' in card
    assert re.search(r'name="people-2-name" value="" maxlength="300"><span class="field-error">'
                     r"People to meet, line 2: This field may not be empty.</span>", card)
    assert '<span class="field-error">Questions to ask, line 2: At most 500 characters.</span>' in card
    other = page.text[page.text.index('id="GG-AMB-2"'):]
    assert "field-error" not in other and "Typed, kept." not in other


def test_without_script_the_buttons_save_add_and_remove_people_and_come_back_to_the_card(client, team, session):
    browser_login(client, session, team.people["peer"])
    form = form_of(client, team, performance="at", **{"people-0-name": "Ana Typed", "people-0-role": "Clerk"})
    r = client.post(url(team, "/entries/GG-IMP-3"), data=form, headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == url(team, "#GG-IMP-3")
    assert "GG-IMP-3 saved." in client.get(url(team), headers=HTML).text
    added = client.post(url(team, "/entries/GG-IMP-3"), headers=HTML,
                        data={**form, "version": "1", "add_person": "1"})
    assert "Youssef Benali added to the people to meet of GG-IMP-3." in added.text
    assert [p["name"] for p in entry(session, team, "GG-IMP-3").people_to_meet] == ["Ana Typed", "Youssef Benali"]
    assert entry(session, team, "GG-IMP-3").people_to_meet[1]["organisation"] == "Consultative committee"
    again = client.post(url(team, "/entries/GG-IMP-3"), headers=HTML, follow_redirects=False,
                        data={**form, "version": "2", "people-1-name": "youssef benali", "add_person": "1"})
    assert again.status_code == 303  # already there: not twice
    assert len(entry(session, team, "GG-IMP-3").people_to_meet) == 2
    removed = client.post(url(team, "/entries/GG-IMP-3"), headers=HTML, follow_redirects=False,
                          data={**form, "version": "3", "people-1-name": "Youssef Benali", "remove_person": "0"})
    assert removed.status_code == 303
    assert [p["name"] for p in entry(session, team, "GG-IMP-3").people_to_meet] == ["Youssef Benali"]
    missing = client.post(url(team, "/entries/GG-IMP-3"), headers=HTML, data={**form, "version": "4", "add_person": "7"})
    assert missing.status_code == 404 and "No responsible person 7 for GG-IMP-3" in missing.text


def test_submit_lists_what_is_missing_then_the_review_is_read_only(client, team, session):
    peer = team.people["peer"]
    browser_login(client, session, peer)
    codes = [i.code for i in service.own_review(session, rights_of(session, peer, team.cycle), team.cycle).iset.indicators]
    write_review(session, team.cycle, peer, dict.fromkeys(codes[:-2], "at"))
    html = client.get(url(team, "/submit"), headers=HTML).text
    assert f'href="{url(team)}#{codes[-2]}"' in html and f'href="{url(team)}#{codes[-1]}"' in html
    assert "Yes, submit" not in html
    csrf = csrf_of(client, url(team))
    refused = client.post(url(team, "/submit"), data={"csrf_token": csrf}, headers=HTML)
    assert refused.status_code == 409 and "Indicators without a performance yet: 2." in refused.text
    assert f'href="{url(team)}#{codes[-1]}"' in refused.text
    write_review(session, team.cycle, peer, {codes[-2]: "above", codes[-1]: "more_info"},
                 questions=["Who chairs it?"], people_to_meet=[{"name": "Ana", "interpreter": True}])
    page = client.get(url(team, "/submit"), headers=HTML).text
    assert "Yes, submit" in page and '<details class="confirm">' in page
    done = client.post(url(team, "/submit"), data={"csrf_token": csrf}, headers=HTML, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == url(team)
    html = client.get(url(team), headers=HTML).text
    assert "Preparatory review submitted." in html
    assert "data-autosave" not in html and html.count('class="entry read review-read"') == 73
    assert "You submitted your review on" in html and "the team leader or a coordinator can reopen it" in html
    last = html[html.index(f'id="{codes[-1]}"'):]
    assert "more information needed" in last and "Who chairs it?" in last and "interpreter needed" in last
    late = client.post(url(team, f"/entries/{codes[0]}"), data={"csrf_token": csrf, "version": "1"}, headers=JSON)
    assert late.status_code == 409
    assert "Your preparatory review is submitted." in client.get(url(team, "/submit"), headers=HTML).text
    assert client.post(url(team, "/submit"), data={"csrf_token": csrf}, headers=HTML).status_code == 409


def test_a_reopened_review_says_why_and_who_until_submitted_again(client, team, session):
    second = team.people["second"]
    leader = team.people["team_leader"]
    service.reopen(session, rights_of(session, leader, team.cycle), team.cycle, second.id,
                   "GG-IMP-3: <b>ask</b> about the committee's budget.")
    session.commit()
    browser_login(client, session, second)
    html = client.get(url(team) + "?lang=fr", headers=HTML).text
    assert "data-autosave" in html
    assert "Votre revue a été rouverte le" in html and f"par {leader.full_name}." in html
    assert ('Motif\u00a0: <span class="reason">GG-IMP-3: &lt;b&gt;ask&lt;/b&gt; about the committee&#39;s '
            "budget.</span>") in html
    cycle_page = client.get(f"/cycles/{team.cycle.id}?lang=en", headers=HTML).text
    assert "Your review was reopened on" in cycle_page and "about the committee" in cycle_page
    service.submit(session, rights_of(session, second, team.cycle), team.cycle)
    session.commit()
    assert "reopened" not in client.get(url(team) + "?lang=en", headers=HTML).text


def test_the_cycle_page_and_my_cycles_say_what_to_do_next(client, team, session):
    peer = team.people["peer"]
    browser_login(client, session, peer)
    cycle_page = client.get(f"/cycles/{team.cycle.id}", headers=HTML).text
    assert "My preparatory review" in cycle_page and "Continue my review — 0 of 73" in cycle_page
    write_review(session, team.cycle, peer, {"GG-AMB-1": "at"})
    assert f'href="{url(team)}">Continue my review — 1 of 73</a>' in client.get("/", headers=HTML).text
    write_review(session, team.cycle, peer)
    assert f'href="{url(team, "/submit")}">Check and submit my review</a>' in client.get("/", headers=HTML).text
    assert "Check and submit my review" in client.get(f"/cycles/{team.cycle.id}", headers=HTML).text
    service.submit(session, rights_of(session, peer, team.cycle), team.cycle)
    session.commit()
    assert "my review" not in client.get("/", headers=HTML).text
    cycle_page = client.get(f"/cycles/{team.cycle.id}", headers=HTML).text
    assert "You submitted your review on" in cycle_page and "Read my review" in cycle_page
    browser_login(client, session, team.people["coordinator"])
    assert "My preparatory review" not in client.get(f"/cycles/{team.cycle.id}", headers=HTML).text
    # once the phase is over, a review not submitted is read, never offered to continue
    coordinator = team.people["coordinator"]
    cycles_service.change_phase(session, rights_of(session, coordinator, team.cycle), team.cycle, Phase.VISIT,
                                override_reason="The team leader is away.")
    session.commit()
    browser_login(client, session, team.people["team_leader"])
    assert "Read my review" in client.get(f"/cycles/{team.cycle.id}", headers=HTML).text
    html = client.get(url(team), headers=HTML).text
    assert "data-autosave" not in html and "The preparatory review phase is over" in html
    assert "Continue my review" not in client.get("/", headers=HTML).text


def test_the_page_reads_in_a_fixed_number_of_statements(client, team, session, engine):
    peer = team.people["peer"]
    browser_login(client, session, peer)
    counts = []
    for codes in (["GG-AMB-1"], None):
        write_review(session, team.cycle, peer, dict.fromkeys(codes, "at") if codes else None,
                     questions=["Why?"], people_to_meet=[{"name": "Ana"}])
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(url(team), headers=HTML).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(seen))
    assert counts[0] == counts[1] <= 12, counts
