"""The host creates a SENCO's account; the SENCO signs in with the one-time password and must
choose a new one before seeing anything else."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.helpers.browser import ARTIFACTS, PASSWORD, sign_in

pytestmark = pytest.mark.browser


def choose(page: Page, selectbox: Locator, option: str) -> None:
    """Keyboard-first, as a person would: open the list, type to filter, press Enter."""
    selectbox.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    expect(selectbox.get_by_role("combobox")).to_have_value(option)


def test_host_creates_a_senco_who_signs_in_and_sets_a_password(page: Page, app_url: str) -> None:
    sign_in(page, app_url, "host", PASSWORD)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="User accounts").click()
    expect(page.get_by_role("heading", name="User accounts")).to_be_visible()
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Name", exact=True).fill("Robin Example")
    form.get_by_label("Username", exact=True).fill("senco.robin")
    form.get_by_label("Title", exact=True).fill("SENCO")
    choose(page, form.get_by_test_id("stSelectbox").first, "Headteacher / SENCO")
    choose(page, form.get_by_test_id("stSelectbox").nth(1), "Bintree Infant School")
    form.get_by_role("button", name="Create account").click()
    notice = page.get_by_text("one-time password")
    expect(notice).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "users-created.png"), full_page=True)
    match = re.search(r"one-time password: (\S+) ", notice.inner_text())
    assert match, notice.inner_text()
    one_time = match.group(1)

    sign_in(page, app_url, "senco.robin", one_time)
    expect(page.get_by_text("You signed in with a one-time password")).to_be_visible()
    page.get_by_label("Current password").fill(one_time)
    page.get_by_label("New password", exact=True).fill("robins-own-pass-7")
    page.get_by_label("New password again").fill("robins-own-pass-7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    sign_in(page, app_url, "senco.robin", "robins-own-pass-7")
    expect(page.get_by_text("Our requests submitted")).to_be_visible()
