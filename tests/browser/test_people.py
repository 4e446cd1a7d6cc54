"""The People page in a real browser: one line of buttons per person at 1280 px, nothing
wider than the screen at 390 px, the search, and the copy button of a one-time link, in
English and French.

Set ``INTI_SHOTS_DIR`` to keep screenshots of the People and Cities pages at both widths.
"""
from __future__ import annotations

import uuid

import pytest
from browser_support import log_in, shot
from playwright.sync_api import Page, expect

from app.i18n import gettext_for

WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def _in(page: Page, lang: str, path: str) -> None:
    page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _invite(page: Page, lang: str, people) -> str:
    """Add a person through the page; the one-time link shown."""
    _ = gettext_for(lang)
    _in(page, lang, "/admin/people")
    form = page.locator("#add-person")
    form.get_by_label(_("Full name")).fill("Nora New")
    form.get_by_label(_("E-mail")).fill(f"nora-{uuid.uuid4().hex[:8]}@velmar.example")
    form.get_by_label(_("City")).select_option(label=people.city.name)
    form.get_by_role("button").click()
    return page.locator("#invite-link").input_value()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_persons_buttons_stay_on_one_line_at_1280(page: Page, people, lang):
    page.set_viewport_size(WIDE)
    log_in(page, people.coordinator.email, people.password)
    _invite(page, lang, people)
    _in(page, lang, "/admin/people")
    rows = page.locator("table.people tbody tr")
    assert rows.count() >= 3
    for n in range(rows.count()):
        controls = rows.nth(n).locator("td.row-actions > button, td.row-actions > details > summary")
        tops = {round(controls.nth(i).bounding_box()["y"]) for i in range(controls.count())}
        assert len(tops) == 1, f"row {n}: the buttons wrap onto {len(tops)} lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    shot(page, f"people-{lang}-1280")
    _in(page, lang, "/admin/cities")
    shot(page, f"cities-{lang}-1280")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_nothing_is_wider_than_a_phone_and_the_search_works(page: Page, people, lang):
    _ = gettext_for(lang)
    page.set_viewport_size(NARROW)
    log_in(page, people.coordinator.email, people.password)
    for path in ("/admin/people", "/admin/cities"):
        _in(page, lang, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], path
        shot(page, f"{path.rsplit('/', 1)[1]}-{lang}-390")
    _in(page, lang, "/admin/people")
    page.get_by_role("searchbox").fill(people.host_officer.email.upper())
    page.get_by_role("search").get_by_role("button", name=_("Search")).click()
    names = page.locator("table.people input[name=full_name]")
    expect(names).to_have_count(1)
    expect(names).to_have_value(people.host_officer.full_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    deactivate = page.locator("table.people details.confirm.danger")
    deactivate.locator("summary").click()  # asked first: the question opens below the button
    expect(deactivate.locator("form")).to_be_visible()
    expect(deactivate.locator("form p")).to_contain_text(people.host_officer.full_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


@pytest.mark.parametrize("lang,clipboard_api", [("en", True), ("fr", True), ("en", False)])
def test_the_copy_button_copies_the_link_and_says_so(browser, browser_context_args, people, lang, clipboard_api):
    context = browser.new_context(**browser_context_args)
    if clipboard_api:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    else:  # an older browser, or a page over plain http on another host: the select-and-copy way
        context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = context.new_page()
    try:
        log_in(page, people.coordinator.email, people.password)
        link = _invite(page, lang, people)
        _ = gettext_for(lang)
        page.get_by_role("button", name=_("Copy"), exact=True).click()
        expect(page.locator(".copy-status")).to_have_text(_("Copied"))
        assert _("Copied") != "Copied" or lang == "en"
        if clipboard_api:
            assert page.evaluate("navigator.clipboard.readText()") == link
        else:
            assert page.evaluate("window.getSelection().toString() || document.activeElement.value") == link
    finally:
        context.close()
