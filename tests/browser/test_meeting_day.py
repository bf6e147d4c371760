"""A meeting is held on its day, in Debian's Chromium. The same copy of the demo is served twice:
on 23/11/2026, when the Spring 1 round (20/01/2027) cannot take its register, record a decision
or give minutes; then on 20/01/2027, when the host holds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import (
    DEMO_TODAY,
    PASSWORD,
    SLOW,
    SPRING_1_DAY,
    serve_app,
    sign_in,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser
BEFORE = ("The meeting is on 20/01/2027: attendance, decisions, reviews and ratifications are "
          "recorded from that day.")


def open_view(page: Page, name: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=SLOW)


def agenda_item(page: Page, item: str) -> None:
    page.get_by_role("radiogroup", name="Agenda item").get_by_text(item, exact=True).click()
    expect(page.get_by_role("heading", name=item, exact=True)).to_be_visible(timeout=SLOW)


def before_the_day(page: Page, url: str) -> None:
    sign_in(page, url, "host", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=SLOW)
    open_view(page, "Run a meeting")
    expect(page.get_by_text("Spring 1 funding round, 20/01/2027").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text(BEFORE, exact=False).first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Open this meeting early (up to 7 days)")).to_be_visible()
    expect(page.get_by_role("button", name="Save attendance")).to_have_count(0)
    agenda_item(page, "Requests and decisions")
    expect(page.get_by_text(BEFORE, exact=False).first).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("button", name="Confirm the meeting's decisions")).to_be_disabled()
    open_view(page, "Meeting papers")
    expect(page.get_by_text("The minutes of the Spring 1 meeting exist once it is held, on "
                            "20/01/2027.").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("button", name="Download the minutes (PDF)")).to_have_count(0)


def on_the_day(page: Page, url: str) -> None:
    sign_in(page, url, "host", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=SLOW)
    open_view(page, "Run a meeting")
    expect(page.get_by_text("Spring 1 funding round, 20/01/2027").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Take attendance first").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text(BEFORE, exact=False)).to_have_count(0)
    wait_for_rerun(page, seconds=SLOW / 1000)
    page.get_by_role("button", name="Mark every headteacher and SENCO present").click()
    expect(page.get_by_role("button", name="Save attendance")).to_be_enabled(timeout=SLOW)
    # Let the register's redraw finish first: a click while the layout still moves can land on
    # the meeting's select box above it and open another meeting.
    wait_for_rerun(page, seconds=SLOW / 1000)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved. Quorate: 12 of 12 schools represented")
           .first).to_be_visible(timeout=SLOW)
    agenda_item(page, "Requests and decisions")
    expect(page.get_by_role("button", name="Save this decision")).to_be_visible(timeout=SLOW)
    open_view(page, "Meeting papers")
    expect(page.get_by_role("button", name="Download the minutes (PDF)")).to_be_visible(
        timeout=SLOW)


def test_a_meeting_cannot_be_held_before_its_day_and_is_held_on_it(
        page: Page, tmp_path: Path, demo_sqlite_file: Path) -> None:
    database = tmp_path / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    with serve_app(f"sqlite:///{database}", tmp_path / "before.log", today=DEMO_TODAY) as url:
        before_the_day(page, url)
    page.context.clear_cookies()
    with serve_app(f"sqlite:///{database}", tmp_path / "on-the-day.log",
                   today=SPRING_1_DAY) as url:
        on_the_day(page, url)
