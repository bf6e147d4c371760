"""An error on a page, in Debian's Chromium: the person reads our words and a reference, never a
traceback or a server path, and the server's log holds the traceback under that reference."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import PASSWORD, sign_in, wait_for_rerun

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"ERR-\d{4}-[0-9A-F]{6}")


@pytest.mark.server_error(r"no such table: meeting")
def test_a_failing_page_shows_a_reference_the_server_log_holds(page: Page, app_url: str,
                                                               tmp_path: Path) -> None:
    sign_in(page, app_url, "host", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible()
    wait_for_rerun(page)
    # The database loses a table under the running app, as a failed disk or a bad restore would.
    with sqlite3.connect(tmp_path / "browser.db") as database:
        database.execute("ALTER TABLE meeting RENAME TO meeting_lost")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="The year",
                                                          exact=True).click()
    message = page.get_by_test_id("stAlertContentError").filter(has_text="went wrong")
    expect(message).to_be_visible()
    wait_for_rerun(page)
    shown = message.text_content() or ""
    found = REFERENCE.search(shown)
    assert found, shown
    body = page.locator("body").text_content() or ""
    assert "Traceback" not in body and "meeting_lost" not in body and "sqlite" not in body.lower()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    log = (tmp_path / "streamlit.log").read_text(encoding="utf-8", errors="replace")
    logged = log[log.index(f"Error reference {found.group()}"):]
    assert "Traceback (most recent call last)" in logged[:20_000]
    assert "no such table: meeting" in logged[:20_000]
