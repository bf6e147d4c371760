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
