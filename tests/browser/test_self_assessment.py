"""The host officer's journey: fill three indicators, close the page, come back, submit."""
from __future__ import annotations

import re

import pytest
from browser_support import log_in
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.cycles.tables import Cycle, CycleMember
from app.indicators.service import current_version, get_set
from app.self_assessment.tables import SelfAssessment, SelfAssessmentEntry

LEFT = ["GG-AMB-1", "IE-IMP-2", "WP-EVA-4"]


@pytest.fixture
def cycle(browser_db, people):
    """A cycle whose report is done but for three indicators, the officer as host."""
    with Session(browser_db, expire_on_commit=False) as session:
        version = current_version(session)
        cycle = Cycle(title="Velmar browser test", host_city_id=people.city.id, indicator_set_version=version)
        session.add(cycle)
        session.commit()
        session.add(CycleMember(cycle_id=cycle.id, user_id=people.host_officer.id, role="host_officer"))
        for ind in get_set(session, version).indicators:
            if ind.code not in LEFT:
                session.add(SelfAssessmentEntry(cycle_id=cycle.id, indicator_code=ind.code, self_rating="at",
                                                description="Prepared earlier.", evidence=[], responsible=[]))
        session.commit()
    return cycle


def test_officer_fills_three_closes_the_page_comes_back_and_submits(page: Page, people, cycle, browser_db):
    log_in(page, people.host_officer.email, people.password)
    report = f"/cycles/{cycle.id}/self-assessment"
    page.goto(report)
    expect(page.locator("[data-progress-text]")).to_have_text("70 of 73 indicators done")
    for n, code in enumerate(LEFT):
        card = page.locator(f"article[id='{code}']")
        card.get_by_label("below the benchmark" if n == 0 else "above the benchmark").check()
        card.get_by_label("Description of policy and practice").fill(f"Velmar's practice for {code}.\n\nSecond paragraph.")
        if n == 0:
            card.get_by_label("Responsible people").fill("Hélène Marchetti | Deputy mayor | Mayor's office")
        expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    expect(page.locator("[data-progress-text]")).to_have_text("73 of 73 indicators done")
    expect(page.locator("[data-pillar-text='WP']")).to_have_text("22/22")

    page.goto("about:blank")  # the tab is closed; nothing was submitted by hand
    page.goto(report)
    first = page.locator("article[id='GG-AMB-1']")
    expect(first.get_by_label("Description of policy and practice")).to_have_value(
        "Velmar's practice for GG-AMB-1.\n\nSecond paragraph.")
    expect(first.get_by_label("below the benchmark")).to_be_checked()
    expect(first.get_by_label("Responsible people")).to_have_value("Hélène Marchetti | Deputy mayor | Mayor's office")

    page.get_by_role("link", name="Check and submit").click()
    page.get_by_role("button", name="Submit the initial report").click()
    expect(page.locator(".badge")).to_have_text("Submitted")
    expect(page.locator("form[data-autosave]")).to_have_count(0)
    expect(page.locator("article[id='WP-EVA-4']")).to_contain_text("above the benchmark")
    with Session(browser_db) as session:
        assert session.get(SelfAssessment, cycle.id).status == "submitted"
        entry = session.exec(select(SelfAssessmentEntry).where(SelfAssessmentEntry.cycle_id == cycle.id,
                                                               SelfAssessmentEntry.indicator_code == "IE-IMP-2")).one()
        assert entry.self_rating == "above" and entry.description.startswith("Velmar's practice for IE-IMP-2.")


def test_typing_then_closing_at_once_still_saves(page: Page, people, cycle, browser_db):
    """The pending change is sent when the page goes away, before the autosave delay."""
    log_in(page, people.host_officer.email, people.password)
    page.goto(f"/cycles/{cycle.id}/self-assessment")
    page.locator("article[id='IE-IMP-2']").get_by_label("Description of policy and practice").fill("Typed and left.")
    page.goto("about:blank")
    page.wait_for_timeout(1500)
    with Session(browser_db) as session:
        entry = session.exec(select(SelfAssessmentEntry).where(SelfAssessmentEntry.cycle_id == cycle.id,
                                                               SelfAssessmentEntry.indicator_code == "IE-IMP-2")).first()
    assert entry is not None and entry.description == "Typed and left."


def entry_of(browser_db, cycle, code):
    with Session(browser_db) as session:
        return session.exec(select(SelfAssessmentEntry).where(SelfAssessmentEntry.cycle_id == cycle.id,
                                                              SelfAssessmentEntry.indicator_code == code)).first()


def test_a_refused_save_shows_each_fields_message_beside_that_field(page: Page, people, cycle, browser_db):
    log_in(page, people.host_officer.email, people.password)
    page.goto(f"/cycles/{cycle.id}/self-assessment?lang=fr")
    card = page.locator("article[id='IE-IMP-2']")
    card.get_by_label("Justificatifs").fill("Plan d'accueil | https://velmar.example/plan\nRapport sans lien")
    error = card.locator(".field-error")
    expect(error).to_have_count(1, timeout=10_000)
    expect(error).to_contain_text("Justificatifs, ligne 2\u00a0: ")
    expect(card.locator("label", has=page.locator("textarea[name=evidence]")).locator(".field-error")).to_have_count(1)
    expect(card.locator("[data-status]")).to_contain_text("Non enregistré")
    expect(page.locator("body")).not_to_contain_text("evidence.1")
    card.get_by_label("Justificatifs").fill("Plan d'accueil | https://velmar.example/plan")
    expect(card.locator("[data-status]")).to_contain_text("Enregistré", timeout=10_000)
    expect(error).to_have_count(0)


def test_edits_made_offline_are_kept_in_the_browser_and_saved_when_back(page: Page, people, cycle, browser_db):
    log_in(page, people.host_officer.email, people.password)
    report = f"/cycles/{cycle.id}/self-assessment?lang=fr"
    page.goto(report)
    card = page.locator("article[id='WP-EVA-4']")
    page.context.set_offline(True)
    card.get_by_label("Description de la politique et des pratiques").fill("Écrit dans le train.")
    expect(card.locator("[data-status]")).to_contain_text("pas de connexion", timeout=10_000)
    page.context.set_offline(False)  # the browser says it is back: the save is tried again at once
    expect(card.locator("[data-status]")).to_contain_text("Enregistré", timeout=10_000)
    assert entry_of(browser_db, cycle, "WP-EVA-4").description == "Écrit dans le train."

    page.context.set_offline(True)
    card.get_by_label("Description de la politique et des pratiques").fill("Écrit hors ligne, puis onglet fermé.")
    expect(card.locator("[data-status]")).to_contain_text("pas de connexion", timeout=10_000)
    page.evaluate("window.stop()")
    page.context.clear_cookies()  # and the session ended meanwhile: nothing can reach the server
    page.goto("about:blank")
    page.context.set_offline(False)
    page.wait_for_timeout(500)
    assert entry_of(browser_db, cycle, "WP-EVA-4").description == "Écrit dans le train."
    log_in(page, people.host_officer.email, people.password)
    page.goto(report)  # the text kept in the browser comes back, and is saved
    expect(card.get_by_label("Description de la politique et des pratiques")).to_have_value(
        "Écrit hors ligne, puis onglet fermé.")
    expect(card.locator("[data-status]")).to_contain_text("Enregistré", timeout=10_000)
    assert entry_of(browser_db, cycle, "WP-EVA-4").description == "Écrit hors ligne, puis onglet fermé."


def test_a_second_tab_is_told_who_saved_and_keeps_its_text_until_it_chooses(page: Page, people, cycle, browser_db):
    log_in(page, people.host_officer.email, people.password)
    report = f"/cycles/{cycle.id}/self-assessment"
    page.goto(report)
    other = page.context.new_page()
    other.goto(report)
    field = "Description of policy and practice"
    page.locator("article[id='GG-AMB-1']").get_by_label(field).fill("Written in the first tab.")
    expect(page.locator("article[id='GG-AMB-1'] [data-status]")).to_contain_text("Saved", timeout=10_000)
    card = other.locator("article[id='GG-AMB-1']")
    card.get_by_label(field).fill("Written in the second tab.")
    conflict = card.locator(".conflict")
    expect(conflict).to_contain_text("You saved this indicator at", timeout=10_000)
    expect(conflict).to_contain_text("Written in the first tab.")
    expect(conflict).not_to_contain_text(re.compile(r"version \d"))  # who and when, never a version number
    expect(card.get_by_label(field)).to_have_value("Written in the second tab.")  # nothing reloaded away
    conflict.get_by_role("button", name="Keep my text").click()
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    assert entry_of(browser_db, cycle, "GG-AMB-1").description == "Written in the second tab."
    other.close()


def test_the_read_view_fits_a_phone_its_summary_scrolling_in_its_own_box(page: Page, people, cycle):
    """At 390 px the page never scrolls sideways: the summary's table does, inside its box;
    a cell leads to its dimension's indicators."""
    log_in(page, people.coordinator.email, people.password)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/cycles/{cycle.id}/self-assessment")
    expect(page.locator("a[data-cell='GG-AMB']")).to_contain_text("5 at")
    expect(page.locator("a[data-cell='GG-AMB']")).to_contain_text("1 not rated")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    client_width, scroll_width = page.evaluate(
        "(() => { const b = document.querySelector('.heatmap-box'); return [b.clientWidth, b.scrollWidth]; })()")
    assert client_width < 390 < scroll_width  # the table scrolls, inside its box
    page.locator("a[data-cell='WP-IMP']").click()
    expect(page.locator("h3#WP-IMP")).to_be_in_viewport()


def test_a_document_is_added_to_its_card_or_refused_there_without_leaving_the_page(page: Page, people, cycle,
                                                                                  tmp_path):
    log_in(page, people.host_officer.email, people.password)
    report = f"/cycles/{cycle.id}/self-assessment"
    page.goto(report)
    card = page.locator("article[id='IE-IMP-2']")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    card.get_by_label("Title").fill("Plan d'accueil 2026")
    card.locator("input[type=file]").set_input_files(str(pdf))
    card.get_by_role("button", name="Upload").click()
    expect(card.locator("[data-documents] a")).to_have_text("Plan d'accueil 2026", timeout=10_000)
    expect(card.locator("[data-upload-status]")).to_contain_text("Document added to the evidence of IE-IMP-2")
    bad = tmp_path / "run.exe"
    bad.write_bytes(b"MZ\x90\x00 not a document")
    card.locator("input[type=file]").set_input_files(str(bad))
    card.get_by_role("button", name="Upload").click()
    expect(card.locator(".documents .field-error")).to_be_visible(timeout=10_000)
    assert page.url.endswith(report)  # still on the report, not on the form's address
    card.get_by_label("Description of policy and practice").fill("Plan adopted in 2026.")
    expect(card.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)  # the version followed the upload


def test_next_unfinished_and_the_unfinished_filter(page: Page, people, cycle):
    log_in(page, people.host_officer.email, people.password)
    page.goto(f"/cycles/{cycle.id}/self-assessment")
    page.get_by_role("link", name="Next unfinished").click()
    expect(page).to_have_url(re.compile(r"#GG-AMB-1$"))
    expect(page.locator("article[id='GG-AMB-1'] input[name=self_rating]").first).to_be_focused()
    page.goto(f"/cycles/{cycle.id}/self-assessment")  # from the top again, nothing scrolling
    page.get_by_role("link", name="Only the unfinished (3)").click()
    expect(page).to_have_url(re.compile(r"show=unfinished$"))
    expect(page.locator("article.entry")).to_have_count(3)
    expect(page.locator("article.entry h4 .code")).to_have_text(LEFT)
    expect(page.locator("section.pillar h3")).to_have_count(3)  # only the dimensions with one left
