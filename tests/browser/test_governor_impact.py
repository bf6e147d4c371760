"""A governor signs in to Debian's Chromium, sees the demo cluster's impact dashboard with its
charts drawn, downloads a school's impact report, and cannot reach any request page."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.helpers.browser import (
    ARTIFACTS,
    DOWNLOAD_WAIT,
    PASSWORD,
    choose,
    sign_in,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser
REQUEST_PAGES = ("new-request", "our-requests", "host-requests", "request", "request-settings")
SCHOOL = "Aylsham Road Primary School"


def test_a_governor_reads_the_dashboard_and_downloads_a_schools_report(
        page: Page, shared_app_url: str) -> None:
    sign_in(page, shared_app_url, "governor", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible()
    page.get_by_role("link", name="Read the impact report").click()
    expect(page.get_by_role("heading", name="Impact and outcomes")).to_be_visible()
    expect(page.get_by_text("Wensum Valley Cluster · The whole cluster")).to_be_visible()
    expect(page.get_by_role("heading", name="In a minute")).to_be_visible()
    # Altair charts are drawn by vega-embed into a canvas (or an SVG).
    drawn = page.locator(".vega-embed canvas, .vega-embed svg")
    # Each chart is drawn a moment after the page: wait for the third, not count the first.
    expect(drawn.nth(2)).to_be_visible(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "governor-impact-cluster.png"), full_page=True)

    choose(page, "The cluster or one school", SCHOOL)
    expect(page.get_by_text(f"Wensum Valley Cluster · {SCHOOL}")).to_be_visible()
    expect(drawn.first).to_be_visible(timeout=30_000)
    # Let the rerun for the new choice finish, so the click lands on the fresh button.
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)
    with page.expect_download(timeout=DOWNLOAD_WAIT) as info:
        page.get_by_role("button", name="Download the impact report (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("impact-report-aylsham-road-primary-school")
    saved = ARTIFACTS / download.suggested_filename
    download.save_as(str(saved))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert SCHOOL in " ".join(text.split()) and "Governors' impact report" in text
    assert "Page 1 of" in text and "From hours to needs-led support" in text
    assert not re.search(r"\bWV-[A-Z]+-\d{3}\b", text)
    page.screenshot(path=str(ARTIFACTS / "governor-impact-school.png"), full_page=True)

    # No request page is in a governor's navigation...
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name=re.compile("request", re.IGNORECASE))).to_have_count(0)
    # ...and none opens by its address: the governor stays signed in (the sign-in cookie), and
    # each request page refuses in words, showing no request.
    for url_path in REQUEST_PAGES:
        page.goto(f"{shared_app_url}/{url_path}")
        expect(page.get_by_text(re.compile(
            r"This page is for: .+\. You are signed in as Governor\."))).to_be_visible()
        wait_for_rerun(page)
        expect(page.get_by_role("heading", name=re.compile("request", re.IGNORECASE))) \
            .to_have_count(0)
        expect(page.get_by_text("Requests waiting for triage")).to_have_count(0)
