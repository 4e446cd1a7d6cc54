"""User journeys in a real browser: logging in and out, the benchmark grid, the language switch.

Set ``INTI_SHOTS_DIR`` to a folder to keep screenshots of the login page, the benchmark
grid and a benchmark cell in French (to look at the layout).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from browser_support import log_in, path_is, shot, submit_login
from playwright.sync_api import Page, expect

from app.i18n import gettext_for
from app.settings import get_settings

BENCHMARK = yaml.safe_load(Path(get_settings().indicators_path).read_text(encoding="utf-8"))
TEXTS = {i["code"]: i["text"] for i in BENCHMARK["indicators"]}
PILLARS = {p["code"]: p["name"] for p in BENCHMARK["pillars"]}
DIMENSIONS = {d["code"]: d["name"] for d in BENCHMARK["dimensions"]}
COUNTS = Counter(tuple(i["code"].split("-")[:2]) for i in BENCHMARK["indicators"])
BAD_CREDENTIALS = "Wrong e-mail or password."




def test_wrong_password_is_refused_and_right_one_opens_my_cycles(page: Page, people):
    officer = people.host_officer
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Log in")
    shot(page, "login")

    submit_login(page, officer.email, "not-the-password")
    expect(page).to_have_url(path_is("/login"))
    expect(page.get_by_role("alert")).to_have_text(BAD_CREDENTIALS)
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.get_by_label("E-mail")).to_have_value(officer.email)  # kept, to correct the password
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/benchmark")  # still not logged in
    expect(page).to_have_url(path_is("/login?next=/benchmark"))

    page.goto("/login")
    submit_login(page, officer.email, people.password)
    expect(page).to_have_url(path_is("/"))
    expect(page.locator("h1")).to_have_text("My cycles")
    expect(page.locator("header .who")).to_have_text(officer.full_name)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_benchmark_grid_and_a_cell(page: Page, people):
    log_in(page, people.coordinator.email, people.password)
    page.goto("/benchmark")
    expect(page.locator("h1")).to_have_text("The INTI-CITIES benchmark")
    expect(page.locator(".heading .sub")).to_contain_text("73 indicators in 4 pillars and 5 dimensions")

    grid = page.locator("table.grid")
    expect(grid.locator("thead th")).to_have_text(["Pillar", *(name["en"] for name in DIMENSIONS.values())])
    rows = grid.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.locator("th[scope=row]")).to_have_text(
        [f"{code} {name['en']}" for code, name in PILLARS.items()])

    shown = {}
    for pillar in PILLARS:
        for dimension in DIMENSIONS:
            count = grid.locator(f'a[href="/benchmark/{pillar}/{dimension}"] .count')
            expect(count).to_have_count(1)
            shown[(pillar, dimension)] = int(count.inner_text())
    assert shown == dict(COUNTS)
    assert shown[("GG", "AMB")] == 6 and shown[("WP", "IMP")] == 9
    assert sum(shown.values()) == 73
    expect(grid.locator('a[href="/benchmark/AC/LEA"] .unit')).to_have_text("indicator")  # the one with 1
    shot(page, "benchmark")

    grid.locator('a[href="/benchmark/GG/AMB"]').click()
    expect(page).to_have_url(path_is("/benchmark/GG/AMB"))
    expect(page.locator("h1")).to_have_text("General governance: Ambition")
    items = page.locator("ol.indicators > li")
    expect(items).to_have_count(6)
    codes = [f"GG-AMB-{n}" for n in range(1, 7)]
    for code in codes:
        item = page.locator(f"li#{code}")
        expect(item.locator(".code")).to_have_text(code)
        expect(item.locator(".text")).to_have_text(TEXTS[code]["en"])
    assert [items.nth(n).get_attribute("id") for n in range(6)] == codes


def _expect_english(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("li#GG-AMB-1 .text")).to_have_text(TEXTS["GG-AMB-1"]["en"])
    expect(page.locator("h1")).to_have_text(f"{PILLARS['GG']['en']}: {DIMENSIONS['AMB']['en']}")
    expect(page.locator("header nav a[href='/']")).to_have_text("My cycles")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("header .langs strong")).to_have_text("EN")


def _expect_french(page: Page, my_cycles_fr: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("li#GG-AMB-1 .text")).to_have_text(TEXTS["GG-AMB-1"]["fr"])
    expect(page.locator("h1")).to_have_text(f"{PILLARS['GG']['fr']} : {DIMENSIONS['AMB']['fr']}")
    expect(page.locator("header nav a[href='/']")).to_have_text(my_cycles_fr)
    expect(page.locator("header .langs strong")).to_have_text("FR")


def test_language_switch_on_a_benchmark_cell(page: Page, people):
    my_cycles_fr = gettext_for("fr")("My cycles")
    assert my_cycles_fr != "My cycles", "the French catalog does not translate 'My cycles'"

    log_in(page, people.host_officer.email, people.password)  # no language in the profile
    page.goto("/benchmark/GG/AMB")
    _expect_english(page)  # from the browser's Accept-Language (en-GB)

    page.locator("header a[hreflang=fr]").click()
    expect(page).to_have_url(path_is("/benchmark/GG/AMB"))  # back on the same page
    _expect_french(page, my_cycles_fr)
    shot(page, "benchmark-cell-fr")
    page.reload()
    _expect_french(page, my_cycles_fr)
    page.goto("/benchmark")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("table.grid thead th").nth(4)).to_have_text(DIMENSIONS["IMP"]["fr"])

    page.goto("/benchmark/GG/AMB")
    page.locator("header a[hreflang=en]").click()
    expect(page).to_have_url(path_is("/benchmark/GG/AMB"))
    _expect_english(page)
    page.reload()
    _expect_english(page)


def test_language_choice_follows_the_user_to_another_browser(browser, browser_context_args, page: Page, people):
    """A switch made while logged in is kept in the profile, not only in this browser."""
    my_cycles_fr = gettext_for("fr")("My cycles")
    log_in(page, people.host_officer.email, people.password)
    page.goto("/benchmark/GG/AMB")
    page.locator("header a[hreflang=fr]").click()
    _expect_french(page, my_cycles_fr)

    other = browser.new_context(**browser_context_args)  # English browser, no cookies
    try:
        elsewhere = other.new_page()
        elsewhere.goto("/login")
        expect(elsewhere.locator("html")).to_have_attribute("lang", "en")
        log_in(elsewhere, people.host_officer.email, people.password)
        elsewhere.goto("/benchmark/GG/AMB")
        _expect_french(elsewhere, my_cycles_fr)
    finally:
        other.close()


def test_log_out_then_benchmark_needs_login(page: Page, people):
    log_in(page, people.coordinator.email, people.password)
    page.goto("/benchmark")
    expect(page.locator("table.grid")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(path_is("/login"))
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    page.goto("/benchmark")
    expect(page).to_have_url(path_is("/login?next=/benchmark"))
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page.locator("table.grid")).to_have_count(0)

    submit_login(page, people.coordinator.email, people.password)  # and back where we were going
    expect(page).to_have_url(path_is("/benchmark"))
    expect(page.locator("table.grid")).to_be_visible()
