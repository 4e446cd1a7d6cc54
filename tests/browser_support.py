"""Helpers of the browser tests (importable: tests/ is on pytest's python path)."""
import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("INTI_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def path_is(path: str) -> re.Pattern:
    """A URL whose path (and query, if given) is exactly ``path``."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"$")


def submit_login(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    submit_login(page, email, password)
    expect(page.locator("header form[action='/logout'] button")).to_be_visible()  # in any language
