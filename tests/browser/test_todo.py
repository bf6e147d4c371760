"""The host's to-do list in Debian's Chromium: a link on home opens the very record it names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import WAIT, sign_in

pytestmark = pytest.mark.browser
TRIAGE = "Triage request 93 from Bintree Infant School"


def test_a_to_do_link_lands_on_its_request(page: Page, shared_app_url: str) -> None:
    page.set_default_timeout(WAIT)
    sign_in(page, shared_app_url, "host")
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
    page.get_by_role("link", name=re.compile(f"^{TRIAGE}")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Request 93: "))).to_be_visible()
    assert page.url.endswith("/request?request=93")


def test_the_host_opens_the_audit_log_and_narrows_it(page: Page, app_url: str) -> None:
    """A change made on screen (a request returned) is in the log, with who made it."""
    page.set_default_timeout(WAIT)
    sign_in(page, app_url, "host")
    page.get_by_role("link", name=re.compile(f"^{TRIAGE}")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Request 93: "))).to_be_visible()
    page.get_by_role("textbox", name="What is missing (one item a line)").fill(
        "Attendance since September")
    page.get_by_role("button", name="Return to the school").click()
    expect(page.get_by_text("Request 93 returned to")).to_be_visible()
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_text("row(s) match")).to_be_visible()
    expect(page.get_by_role("button", name="Download these rows (Excel)")).to_be_visible()
