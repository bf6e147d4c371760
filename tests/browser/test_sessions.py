"""Staying signed in, in Debian's Chromium: a reload keeps the page, a link opened while signed
out opens once signed in, a new tab is signed in, and after Sign out the browser's old cookie is
refused and the next person at the same tab sees nothing of the last.

One server for the module: each test signs in as its own people, so none sees another's
sessions.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.models import School, SupportRequest
from tests.helpers.browser import (
    SIGN_IN_COOKIE,
    WAIT,
    fill_in_sign_in,
    serve_app,
    sign_in,
    sign_in_cookie,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser
COOKIE = SIGN_IN_COOKIE
SCHOOL_A = "Aylsham Road Primary School"  # senco.ap's
SCHOOL_C = "Costessey Park Primary School"  # head.cp's


def demo_requests(database: Path) -> tuple[int, int]:
    """School A's submitted request (open to its staff) and school C's draft (editable)."""
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        def first(school: str, status: str) -> int:
            found = session.exec(select(SupportRequest.id).join(
                School, School.id == SupportRequest.school_id).where(
                School.name == school, SupportRequest.status == status)).first()
            assert found is not None, (school, status)
            return found

        submitted, draft = first(SCHOOL_A, "submitted"), first(SCHOOL_C, "draft")
    engine.dispose()
    return submitted, draft


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory,
           demo_sqlite_file: Path) -> Iterator[tuple[str, int, int]]:
    folder = tmp_path_factory.mktemp("sessions")
    database = folder / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    submitted, draft = demo_requests(database)
    with serve_app(f"sqlite:///{database}", folder / "streamlit.log") as url:
        yield url, submitted, draft


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    opened.set_default_timeout(WAIT)
    yield opened
    opened.close()


def request_heading(number: int) -> re.Pattern[str]:
    return re.compile(rf"^Request {number}: ")


def no_page_not_found(page: Page) -> None:
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_a_link_opened_while_signed_out_opens_once_signed_in_and_survives_a_reload(
        context: BrowserContext, served: tuple[str, int, int]) -> None:
    url, submitted, _ = served
    page = context.new_page()
    page.goto(f"{url}/request?request={submitted}")
    expect(page.get_by_label("Username")).to_be_visible()
    wait_for_rerun(page)
    no_page_not_found(page)
    fill_in_sign_in(page, "senco.ap")
    expect(page.get_by_role("heading", name=request_heading(submitted))).to_be_visible()
    expect(page).to_have_url(f"{url}/request?request={submitted}")
    cookie = sign_in_cookie(page)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert str(cookie["value"]) not in page.url

    page.reload()
    expect(page.get_by_role("heading", name=request_heading(submitted))).to_be_visible()
    expect(page.get_by_label("Username")).to_have_count(0)
    no_page_not_found(page)


def test_a_new_tab_is_signed_in_and_another_roles_page_is_refused_in_words(
        context: BrowserContext, served: tuple[str, int, int]) -> None:
    url, _, _ = served
    page = context.new_page()
    sign_in(page, url, "governor")
    expect(page.get_by_text("Welcome,")).to_be_visible()
    sign_in_cookie(page)

    tab = context.new_page()
    tab.goto(f"{url}/impact")
    expect(tab.get_by_role("heading", name="Impact and outcomes")).to_be_visible()
    expect(tab.get_by_label("Username")).to_have_count(0)
    tab.goto(f"{url}/users")  # the host's page, by its address
    expect(tab.get_by_text("This page is for: Cluster SEN host. You are signed in as "
                           "Governor.")).to_be_visible()
    wait_for_rerun(tab)
    no_page_not_found(tab)


def test_after_sign_out_the_copied_cookie_is_refused_and_the_next_person_sees_nothing(
        browser: Browser, context: BrowserContext, served: tuple[str, int, int]) -> None:
    url, _, draft = served
    page = context.new_page()
    sign_in(page, f"{url}/new-request?edit={draft}", "head.cp")
    expect(page.get_by_text(f"Edit request {draft}")).to_be_visible()
    copied = sign_in_cookie(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"^{re.escape(url)}/(sign-in)?$"))
    assert not [c for c in context.cookies() if c["name"] == COOKIE]

    # Someone who copied the cookie before the sign-out gets the sign-in page, nothing more.
    thief = browser.new_context()
    try:
        thief.add_cookies([{"name": COOKIE, "value": str(copied["value"]), "url": url}])
        stolen = thief.new_page()
        stolen.goto(f"{url}/new-request?edit={draft}")
        expect(stolen.get_by_label("Username")).to_be_visible()
        wait_for_rerun(stolen)
        expect(stolen.get_by_text(f"Edit request {draft}")).to_have_count(0)
        expect(stolen.get_by_text("Welcome,")).to_have_count(0)
    finally:
        thief.close()

    # The next person at the same tab: their own school's pages, nothing of head.cp's draft.
    fill_in_sign_in(page, "senco.bi")
    expect(page.get_by_text("Welcome,")).to_be_visible()
    page.get_by_role("link", name="New request").click()
    expect(page.get_by_role("heading", name="New request")).to_be_visible()
    wait_for_rerun(page)
    expect(page.get_by_text(f"Edit request {draft}")).to_have_count(0)
    assert SCHOOL_C not in (page.locator("body").text_content() or "")


def test_signing_out_of_every_device_signs_out_the_other_tabs_too(
        browser: Browser, context: BrowserContext, served: tuple[str, int, int]) -> None:
    url, _, _ = served
    laptop = context.new_page()
    sign_in(laptop, f"{url}/account", "senco.bj")
    expect(laptop.get_by_role("heading", name="My account")).to_be_visible()
    sign_in_cookie(laptop)
    other = browser.new_context()
    try:
        phone = other.new_page()
        phone.set_default_timeout(WAIT)
        sign_in(phone, f"{url}/timeline", "senco.bj")
        expect(phone.get_by_role("heading", name="The year")).to_be_visible()
        wait_for_rerun(phone)

        laptop.get_by_role("button", name="Sign out of every device").click()
        expect(laptop.get_by_label("Username")).to_be_visible()

        phone.get_by_role("link", name="Guides").or_(
            phone.get_by_role("link", name="How-to guides")).first.click()
        expect(phone.get_by_text("your account was signed out of every device")).to_be_visible()
        expect(phone.get_by_label("Username")).to_be_visible()
    finally:
        other.close()
