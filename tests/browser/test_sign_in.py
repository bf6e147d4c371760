"""Signing in as a person would, in Debian's Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import ARTIFACTS, PASSWORD, sign_in, sign_in_cookie

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("username", "expected"), [
    ("host", "Requests waiting for triage"),
    ("head.bi", "Our requests submitted"),
    ("governor", "Awarded to the cluster this year"),
    ("la.adviser", "Clusters in the local authority"),
])
def test_each_role_signs_in_to_its_home_page(page: Page, shared_app_url: str, username: str,
                                             expected: str) -> None:
    sign_in(page, shared_app_url, username, PASSWORD)
    expect(page.get_by_text(expected)).to_be_visible()
    expect(page.get_by_text("Welcome,")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{username}.png"), full_page=True)


REFUSED = ("That username and password do not match an active account. After 5 failed attempts "
           "in a row, that username is locked for 15 minutes.")


@pytest.mark.parametrize("username", ["host", "no.such.person"])
def test_a_wrong_password_and_an_unknown_username_get_the_same_words(
        page: Page, app_url: str, username: str) -> None:
    """Nothing on the page tells a real username from a made-up one."""
    sign_in(page, app_url, username, "not-my-password")
    expect(page.get_by_text(REFUSED, exact=True)).to_be_visible()
    expect(page.get_by_text("more failed attempt")).to_have_count(0)
    expect(page.get_by_text("Welcome,")).to_have_count(0)


def test_five_wrong_passwords_lock_the_account(page: Page, app_url: str) -> None:
    for attempt in range(5):
        sign_in(page, app_url, "senco.ap", f"wrong-password-{attempt}")
        if attempt < 4:  # no count of tries left: it would be shown for real usernames only
            expect(page.get_by_text(REFUSED, exact=True)).to_be_visible()
    expect(page.get_by_text("locked after 5 failed sign-ins")).to_be_visible()
    sign_in(page, app_url, "senco.ap", PASSWORD)
    expect(page.get_by_text("locked after 5 failed sign-ins")).to_be_visible()
    expect(page.get_by_text("Welcome,")).to_have_count(0)


def test_a_page_outside_the_role_cannot_be_opened_by_url(page: Page, shared_app_url: str) -> None:
    """The governor stays signed in (the cookie) and reads the one refusal, not the host's page
    nor Streamlit's "Page not found"."""
    sign_in(page, shared_app_url, "governor", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible()
    sign_in_cookie(page)
    page.goto(f"{shared_app_url}/host-home")
    expect(page.get_by_text("This page is for: Cluster SEN host. You are signed in as "
                            "Governor.")).to_be_visible()
    expect(page.get_by_text("Requests waiting for triage")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
