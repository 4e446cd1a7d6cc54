"""The final report's way in a real browser, on the demo, as the README walks it: the
Lindenfurt team leader logs in, adds a recommendation on an indicator judged below the
benchmark and attaches a good practice in one click, the missing peer signs off (and the
others again, since the draft changed), she reads the host city's reply, publishes, sees
the files come, and downloads the four formats in both languages — read back as files. The
workspace is checked at 390 px too.

Set ``INTI_SHOTS_DIR`` to keep screenshots of the recommendations and of the published workspace.
"""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from browser_support import shot, submit_login
from markupsafe import escape
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from app.auth.service import WEB, issue_token
from app.cycles.tables import Cycle
from app.demo import load_demo
from app.people.tables import User
from app.reports.tables import Recommendation, ReportFile, ReportSection, ReportVersion

DEMO = Path(__file__).resolve().parents[2] / "reviews" / "demo" / "cycle.yaml"
DEMO_PASSWORD = "inti-demo-2026"  # reviews/demo/cycle.yaml
LEADER = "ingrid.sandberg@ekholm.example"
PEERS = ("tomas.herrera@valdoria.example", "bram.desmet@aldergem.example", "sophie.laurent@velmar.example")
TEXT = "Write social clauses into the city's procurement, starting with the 2027 tenders."
MAGIC = {"html": b"<!doctype html", "pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK"}


@pytest.fixture(scope="module")
def lindenfurt(browser_db) -> int:
    """The demo in the served database (already there if the every-page crawl ran first):
    Lindenfurt's cycle, in its reporting."""
    with Session(browser_db) as session:
        load_demo(session, DEMO)
        session.commit()
        return session.exec(select(Cycle.id).where(Cycle.title.startswith("Lindenfurt"))).one()


def _as(browser: Browser, browser_db, base_url: str, email: str) -> Page:
    """A page of ``email``'s (a web session of theirs: no password to hash), in English."""
    with Session(browser_db) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        token = issue_token(session, user, WEB, timedelta(hours=1))
        session.commit()
    context = browser.new_context(locale="en-GB", base_url=base_url)
    context.add_cookies([{"name": "inti_session", "value": token, "url": base_url},
                         {"name": "inti_lang", "value": "en", "url": base_url}])
    return context.new_page()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_team_leader_takes_the_demo_report_from_draft_to_published_files(
        page: Page, browser: Browser, browser_db, base_url, lindenfurt):
    report = f"/cycles/{lindenfurt}/report"
    # 1. Ingrid logs in and recommends on an indicator judged below the benchmark
    page.goto("/login?lang=en")
    submit_login(page, LEADER, DEMO_PASSWORD)
    page.goto(f"/cycles/{lindenfurt}/recommendations")
    expect(page.get_by_role("heading", name="Judged below the benchmark", exact=False)).to_be_visible()
    form = page.locator("form[action$='/recommendations']")
    form.get_by_label("Recommendation", exact=True).fill(TEXT)
    form.get_by_label("Indicators it rests on").fill("GG-RES-4")
    form.get_by_label("Short term", exact=False).check()
    form.get_by_label("Owner in the municipality").fill("Procurement office")
    form.get_by_role("button", name="Add the recommendation").click()
    card = page.locator("article.recommendation-card", has_text=TEXT)
    expect(card).to_be_visible()
    card.locator("details.suggested summary").click()
    offered = card.locator("ul.practice-offers li").first
    practice = offered.locator("span").inner_text().split(" read")[0]
    offered.get_by_role("button", name="Attach").click()
    card = page.locator("article.recommendation-card", has_text=TEXT)
    expect(card.locator(".practice-chip")).to_contain_text(practice.split(" (")[0][:30])
    shot(page, "report-recommendations")
    with Session(browser_db) as session:
        rec = session.exec(select(Recommendation).where(Recommendation.text == TEXT)).one()
        assert rec.indicator_codes == ["GG-RES-4"] and len(rec.practice_ids) == 1 and rec.horizon == "short"

    # 2. her text saves as she types (and says so: it once said "no connection" after each save)
    page.goto(report)
    summary = page.locator("article#section-summary")
    summary.locator("textarea").fill("Lindenfurt has a strategy; procurement is next.")
    expect(summary.locator("[data-status]")).to_contain_text("Saved", timeout=10_000)
    expect(summary.locator("[data-status]")).not_to_contain_text("connection")
    with Session(browser_db) as session:
        saved = session.exec(select(ReportSection).where(ReportSection.cycle_id == lindenfurt,
                                                         ReportSection.key == "summary")).one()
        assert saved.text == "Lindenfurt has a strategy; procurement is next."
    # the sign-offs: her changes ask every peer again
    page.goto(report)
    expect(page.get_by_text("0 of 3 peers signed off", exact=False)).to_be_visible()
    for email in PEERS:
        peer = _as(browser, browser_db, base_url, email)
        peer.goto(report)
        peer.get_by_role("button", name="Sign off the draft as I read it").click()
        expect(peer.get_by_text("You signed off the draft.")).to_be_visible()
        peer.context.close()

    # 3. she reads the host city's reply beside its section, and publishes
    page.goto(report)
    expect(page.get_by_text("3 of 3 peers signed off", exact=False)).to_be_visible()
    expect(page.locator("#comments, section", has_text="Sabine Huber").first).to_be_visible()
    page.get_by_text("Publish the report", exact=True).click()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("The report is published", exact=False)).to_be_visible()
    expect(page.get_by_text("Version 1", exact=True)).to_be_visible()
    # the files come while she looks (the page follows them), then every one is ready
    expect(page.locator("[data-files] span")).to_have_text("All the files are ready.", timeout=240_000)
    shot(page, "report-published")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 4. the four formats in both languages, as stored
    links = page.locator("table.versions a[href*='format=']")
    expect(links).to_have_count(8)
    with Session(browser_db) as session:
        version = session.exec(select(ReportVersion).where(ReportVersion.cycle_id == lindenfurt)).one()
        stored = {(f.format, f.lang): f.data for f in session.exec(
            select(ReportFile).where(ReportFile.version_id == version.id))}
    seen = set()
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        answer = page.request.get(href)
        fmt = href.split("format=")[1].split("&")[0]
        lang = href.split("lang=")[1].split("&")[0]
        assert answer.status == 200 and answer.body().startswith(MAGIC[fmt]), (href, answer.status)
        assert answer.body() == stored[(fmt, lang)]
        if fmt in ("docx", "xlsx"):
            names = zipfile.ZipFile(io.BytesIO(answer.body())).namelist()
            assert ("word/document.xml" if fmt == "docx" else "xl/workbook.xml") in names
        if fmt == "html":
            assert str(escape(TEXT)) in answer.text() and "Lindenfurt" in answer.text()
        seen.add((fmt, lang))
    assert seen == {(f, lang) for f in MAGIC for lang in ("fr", "en")}
