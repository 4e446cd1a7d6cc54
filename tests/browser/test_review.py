"""A peer's preparatory review in a real browser: judging beside the host's report, people
to meet picked in one click, autosave and its conflicts, a refused field, offline drafts,
the page without script, submitting, and the phone's width.

Set ``INTI_SHOTS_DIR`` to keep screenshots of the page and of a card at 1280 and 390 px.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from browser_support import log_in, shot
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select
from support import PASSWORD, make_user, rights_of, write_review

from benchmark.scales import Phase

from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle
from app.people import service as people_service
from app.people.schemas import CityCreate
from app.people.tables import User
from app.reviews.tables import PreparatoryReview, ReviewEntry
from app.self_assessment import service as report_service
from app.self_assessment.schemas import EntryWrite

RESPONSIBLE = [{"name": "Hélène Marchetti", "role": "Deputy mayor", "department": "Mayor's office"},
               {"name": "Youssef Benali", "role": "Chair", "department": "Consultative committee"}]
FIELD = "What we know"


@dataclass
class Review:
    cycle: Cycle
    peer: User

    @property
    def url(self) -> str:
        return f"/cycles/{self.cycle.id}/review"


@pytest.fixture
def review(browser_db, people) -> Review:
    """A cycle in its preparatory review: the host's report submitted (GG-IMP-3 with its
    evidence and two responsible people), a peer from another city in the team."""
    tag = uuid.uuid4().hex[:8]
    with Session(browser_db, expire_on_commit=False) as session:
        coordinator = session.get(User, people.coordinator.id)
        officer = session.get(User, people.host_officer.id)
        town = people_service.create_city(session, coordinator.id, CityCreate(name=f"Peerton {tag}", country="Italy"))
        session.commit()
        peer = make_user(session, f"peer-{tag}@peerton.example", "Paola Peer", town)
        cycle = cycle_service.create_cycle(session, coordinator,
                                           CycleCreate(title=f"Velmar review {tag}", host_city_id=people.city.id))
        rights = rights_of(session, coordinator, cycle)
        for user, role in ((officer, "host_officer"), (peer, "peer")):
            cycle_service.add_member(session, rights, cycle, MemberCreate(user_id=user.id, role=role))
        session.commit()
        report = report_service.load_report(session, cycle)
        report_service.apply_entries(session, officer, cycle, [
            (i.code, None, EntryWrite(self_rating="at", description=f"Velmar's practice for {i.code}.",
                                      responsible=RESPONSIBLE if i.code == "GG-IMP-3" else [],
                                      evidence=[{"title": "Committee charter",
                                                 "url": "https://www.velmar.example/charter.pdf"}]
                                      if i.code == "GG-IMP-3" else []))
            for i in report.iset.indicators])
        report_service.submit(session, rights_of(session, officer, cycle), cycle)
        cycle_service.change_phase(session, rights, cycle, Phase.PREPARATORY_REVIEW)
        session.commit()
        return Review(cycle, peer)


def entry_of(browser_db, review: Review, code: str) -> ReviewEntry | None:
    with Session(browser_db) as session:
        return session.exec(select(ReviewEntry).where(ReviewEntry.cycle_id == review.cycle.id,
                                                      ReviewEntry.reviewer_id == review.peer.id,
                                                      ReviewEntry.indicator_code == code)).first()


def person(card, n: int):
    return card.locator("li.person").nth(n)


def test_a_peer_judges_beside_the_hosts_report_and_picks_people_in_one_click(page: Page, review, browser_db):
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url)
    expect(page.locator("[data-progress-text]")).to_have_text("0 of 73 indicators judged")
    card = page.locator("article[id='GG-IMP-3']")
    expect(card.locator(".host-side")).to_contain_text("Velmar's practice for GG-IMP-3.")
    expect(card.locator(".host-side a[target=_blank]")).to_have_text(re.compile("Committee charter"))
    card.get_by_label("below the benchmark").check()
    card.get_by_label(FIELD).fill("A committee of 15 members meets 4 times a year.")
    card.get_by_label("Questions to ask (one per line)").fill("Who sets the agenda?\nWhat became of its opinions?")
    card.get_by_role("button", name="Hélène Marchetti").click()
    expect(person(card, 0).get_by_label("Name", exact=True)).to_have_value("Hélène Marchetti")
    expect(person(card, 0).get_by_label("Organisation")).to_have_value("Mayor's office")
    expect(card.locator("li.person")).to_have_count(2)  # and an empty row for the next one
    person(card, 0).get_by_label("Interpreter needed").check()
    person(card, 1).get_by_label("Name", exact=True).fill("Ana Typed")
    person(card, 1).get_by_label("Name", exact=True).press("Enter")  # saves; removes nobody
    expect(card.locator("li.person")).to_have_count(3)
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    expect(page.locator("[data-progress-text]")).to_have_text("1 of 73 indicators judged")
    expect(page.locator("[data-pillar-text='GG']")).to_have_text("1/24")
    expect(card.get_by_role("button", name="Hélène Marchetti")).to_have_attribute("data-added", "")

    page.goto("about:blank")
    page.goto(review.url)
    expect(card.get_by_label("below the benchmark")).to_be_checked()
    expect(card.get_by_label(FIELD)).to_have_value("A committee of 15 members meets 4 times a year.")
    expect(person(card, 0).get_by_label("Interpreter needed")).to_be_checked()
    expect(person(card, 1).get_by_label("Name", exact=True)).to_have_value("Ana Typed")
    person(card, 0).get_by_role("button", name="Remove").click()
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    saved = entry_of(browser_db, review, "GG-IMP-3")
    assert saved.performance == "below" and saved.questions == ["Who sets the agenda?", "What became of its opinions?"]
    assert saved.people_to_meet == [{"name": "Ana Typed", "role": "", "organisation": "", "interpreter": False}]
    shot(page, "review-en-1280")


def test_a_second_tab_is_told_and_can_take_the_saved_version_people_included(page: Page, review, browser_db):
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url)
    other = page.context.new_page()
    other.goto(review.url)
    first = page.locator("article[id='GG-IMP-3']")
    first.get_by_label(FIELD).fill("Written in the first tab.")
    first.get_by_role("button", name="Youssef Benali").click()
    expect(first.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    card = other.locator("article[id='GG-IMP-3']")
    card.get_by_label(FIELD).fill("Written in the second tab.")
    conflict = card.locator(".conflict")
    expect(conflict).to_contain_text("You saved this indicator at", timeout=10_000)
    expect(conflict).to_contain_text("Written in the first tab.")
    expect(conflict).to_contain_text("Youssef Benali, Chair, Consultative committee")
    expect(card.get_by_label(FIELD)).to_have_value("Written in the second tab.")  # nothing reloaded away
    conflict.get_by_role("button", name="Take the saved version").click()
    expect(card.get_by_label(FIELD)).to_have_value("Written in the first tab.")
    expect(person(card, 0).get_by_label("Name", exact=True)).to_have_value("Youssef Benali")
    expect(card.locator("li.person")).to_have_count(2)
    expect(card.locator("[data-status]")).to_have_text("The saved version is shown.")
    card.get_by_label("at the benchmark").check()  # and it saves again from there
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    saved = entry_of(browser_db, review, "GG-IMP-3")
    assert saved.known == "Written in the first tab." and saved.performance == "at"
    assert [p["name"] for p in saved.people_to_meet] == ["Youssef Benali"]
    other.close()


def test_a_refused_field_says_why_beside_it_in_french(page: Page, review, browser_db):
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url + "?lang=fr")
    card = page.locator("article[id='GG-AMB-1']")
    questions = card.get_by_label("Questions à poser (une par ligne)")
    questions.fill("Qui ?\n" + "x" * 501)
    error = card.locator("label", has=page.locator("textarea[name=questions]")).locator(".field-error")
    expect(error).to_have_text("Questions à poser, ligne 2\u00a0: Au plus 500 caractères.", timeout=10_000)
    expect(questions).to_have_attribute("aria-invalid", "true")
    expect(card.locator("[data-status]")).to_contain_text("Non enregistré")
    questions.fill("Qui ?")
    expect(card.locator("[data-status]")).to_contain_text("Enregistré", timeout=10_000)
    expect(card.locator(".field-error")).to_have_count(0)
    person(card, 0).get_by_label("Rôle").fill("Maire")
    name_error = person(card, 0).locator("label", has=page.locator("input[name$='-name']")).locator(".field-error")
    expect(name_error).to_contain_text("Personnes à rencontrer, ligne 1\u00a0: ", timeout=10_000)
    person(card, 0).locator("input[name$='-name']").fill("Anne Maire")
    expect(card.locator("[data-status]")).to_contain_text("Enregistré", timeout=10_000)
    assert entry_of(browser_db, review, "GG-AMB-1").people_to_meet[0]["name"] == "Anne Maire"


def test_a_person_added_offline_is_kept_in_the_browser_and_saved_when_back(page: Page, review, browser_db):
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url)
    card = page.locator("article[id='GG-IMP-3']")
    page.context.set_offline(True)
    card.get_by_role("button", name="Youssef Benali").click()
    person(card, 0).get_by_label("Interpreter needed").check()
    expect(card.locator("[data-status]")).to_contain_text("no connection", timeout=10_000)
    page.evaluate("window.stop()")
    page.context.clear_cookies()  # and the session ended meanwhile: nothing can reach the server
    page.goto("about:blank")
    page.context.set_offline(False)
    page.wait_for_timeout(500)
    assert entry_of(browser_db, review, "GG-IMP-3") is None
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url)  # the draft comes back, its rows made again, and is saved
    expect(person(card, 0).get_by_label("Name", exact=True)).to_have_value("Youssef Benali")
    expect(person(card, 0).get_by_label("Interpreter needed")).to_be_checked()
    expect(card.locator("li.person")).to_have_count(2)
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    saved = entry_of(browser_db, review, "GG-IMP-3")
    assert saved.people_to_meet == [{"name": "Youssef Benali", "role": "Chair", "organisation": "Consultative committee",
                                     "interpreter": True}]


def test_without_script_the_buttons_post_the_card(browser: Browser, base_url, review, browser_db):
    context = browser.new_context(java_script_enabled=False, locale="en-GB", base_url=base_url)
    try:
        page = context.new_page()
        log_in(page, review.peer.email, PASSWORD)
        page.goto(review.url)
        card = page.locator("article[id='GG-IMP-3']")
        card.get_by_label("more information needed").check()
        card.get_by_role("button", name="Hélène Marchetti").click()
        expect(page.locator(".notice")).to_have_text("Hélène Marchetti added to the people to meet of GG-IMP-3.")
        expect(page).to_have_url(re.compile(r"/review#GG-IMP-3$"))
        expect(person(card, 0).get_by_label("Name", exact=True)).to_have_value("Hélène Marchetti")
        expect(card.get_by_label("more information needed")).to_be_checked()
        person(card, 1).get_by_label("Name", exact=True).fill("Ana Typed")
        person(card, 1).get_by_label("Name", exact=True).press("Enter")  # the card's Save, not a Remove
        expect(page.locator(".notice")).to_have_text("GG-IMP-3 saved.")
        saved = entry_of(browser_db, review, "GG-IMP-3")
        assert saved.performance == "more_info"
        assert [p["name"] for p in saved.people_to_meet] == ["Hélène Marchetti", "Ana Typed"]
    finally:
        context.close()


def test_next_unjudged_then_submit_and_the_review_is_read_only(page: Page, review, browser_db):
    with Session(browser_db, expire_on_commit=False) as session:
        codes = [i.code for i in report_service.load_report(session, review.cycle).iset.indicators]
        write_review(session, review.cycle, session.get(User, review.peer.id),
                     dict.fromkeys([c for c in codes if c not in ("GG-AMB-1", "WP-EVA-4")], "at"))
    log_in(page, review.peer.email, PASSWORD)
    page.goto(review.url)
    page.get_by_role("link", name="Next unjudged").click()
    expect(page).to_have_url(re.compile(r"#GG-AMB-1$"))
    expect(page.locator("article[id='GG-AMB-1'] input[name=performance]").first).to_be_focused()
    page.locator("article[id='GG-AMB-1']").get_by_label("above the benchmark").check()
    expect(page.locator("article[id='GG-AMB-1'] [data-status]")).to_contain_text("Saved", timeout=10_000)
    page.get_by_role("link", name="Only the unjudged (2)").click()  # counted when the page was made
    expect(page.locator("article.entry")).to_have_count(1)

    page.get_by_role("link", name="Check and submit").click()
    page.get_by_role("link", name=re.compile("WP-EVA-4")).click()
    expect(page).to_have_url(re.compile(r"/review#WP-EVA-4$"))
    page.locator("article[id='WP-EVA-4']").get_by_label("more information needed").check()
    expect(page.locator("article[id='WP-EVA-4'] [data-status]")).to_contain_text("Saved", timeout=10_000)
    page.goto(review.url + "/submit")
    page.get_by_text("Submit my review").click()
    page.get_by_role("button", name="Yes, submit").click()
    expect(page.locator(".notice").first).to_contain_text("Preparatory review submitted.")
    expect(page.locator("h1 + .sub .badge, .sub .badge").first).to_have_text("Submitted")
    expect(page.locator("form[data-autosave]")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("You submitted your review on")
    expect(page.locator("article[id='WP-EVA-4']")).to_contain_text("more information needed")
    with Session(browser_db) as session:
        assert session.get(PreparatoryReview, (review.cycle.id, review.peer.id)).status == "submitted"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_fits_a_phone_the_hosts_report_above_the_fields(page: Page, review, lang):
    log_in(page, review.peer.email, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{review.url}?lang={lang}")
    card = page.locator("article[id='GG-IMP-3']")
    card.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    host = card.locator(".host-side").bounding_box()
    form = card.locator("form.peer-side").bounding_box()
    assert host and form and host["y"] + host["height"] <= form["y"] and form["width"] > 300
    names = card.locator("li.person input[name$='-name']").first.bounding_box()
    assert names and names["x"] + names["width"] <= 390
    shot(page, f"review-{lang}-390")
    shot(page, f"review-card-{lang}-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    host = card.locator(".host-side").bounding_box()
    form = card.locator("form.peer-side").bounding_box()
    assert host and form and host["x"] + host["width"] <= form["x"] and abs(host["y"] - form["y"]) < 40  # beside
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
