"""Every table a person can download is one of our formula-safe exports: Streamlit's own
"Download as CSV" (which writes "=…" cells as formulas) is hidden on every table."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.helpers.browser import DOWNLOAD_WAIT, PASSWORD, sign_in, wait_for_rerun

pytestmark = pytest.mark.browser
WAIT = 30_000


def test_tables_offer_the_safe_excel_download_and_not_streamlits_csv(page: Page,
                                                                     shared_app_url: str) -> None:
    sign_in(page, shared_app_url, "host", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=WAIT)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="SEND profile",
                                                          exact=True).click()
    expect(page.get_by_role("heading", name="SEND profile")).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    table = page.get_by_test_id("stDataFrame").first
    table.hover()
    toolbar = page.locator('[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) '
                           '[data-testid="stElementToolbar"]').first
    expect(toolbar.get_by_role("button", name="Fullscreen")).to_be_visible(timeout=WAIT)
    framework_csv = toolbar.locator('button[aria-label^="Download as CSV"]')
    expect(framework_csv).to_have_count(1)  # Streamlit still draws it beside Fullscreen ...
    expect(framework_csv).to_be_hidden()  # ... and nobody can see or reach it
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    with page.expect_download(timeout=DOWNLOAD_WAIT) as waiting:
        page.get_by_role("button", name="Download this table (Excel)").first.click()
    workbook = load_workbook(io.BytesIO(waiting.value.path().read_bytes()))
    assert workbook.active is not None and workbook.active.max_row > 1
