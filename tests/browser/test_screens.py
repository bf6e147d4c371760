"""At 1,366 × 768 (a common school laptop) the columns a host decides by are in view on the
requests list without scrolling sideways (Asked, Minimum, Need score and Band), and long links
wrap rather than lose their end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import ARTIFACTS, PASSWORD, WAIT, sign_in, wait_for_rerun

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1366, 768
DECIDING = ("No.", "School", "Asked", "Minimum", "Need score", "Band")
ALL_COLUMNS = (*DECIDING, "Title", "Status", "Kind", "Area", "Flags")


@contextmanager
def laptop_page(browser: Browser, url: str, username: str, view: str, shows: str
                ) -> Iterator[Page]:
    """A school laptop's screen signed in as `username` on `view`, once it shows `shows`."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        sign_in(page, url, username, PASSWORD)
        expect(page.get_by_text("Welcome,")).to_be_visible()
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=view,
                                                             exact=True).click()
        expect(page.get_by_text(shows)).to_be_visible()
        wait_for_rerun(page, seconds=60)
        yield page
    finally:
        context.close()


def test_the_requests_list_shows_the_deciding_columns_at_1366_pixels(
        browser: Browser, shared_app_url: str) -> None:
    with laptop_page(browser, shared_app_url, "host", "Requests for the next meeting",
                     "Highest need score first.") as page:
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "requests-1366.png"))
        # The grid is drawn on a canvas; its accessible table lists only the columns it has
        # drawn, that is the ones in view (it leaves out those scrolled off to the right).
        drawn = grid.locator("th[role=columnheader]")
        expect(drawn.first).to_be_attached()
        headers = drawn.evaluate_all("cells => cells.map(c => c.textContent)")
        assert len(headers) < len(ALL_COLUMNS), headers  # some are off-screen at this width
        assert [h for h in DECIDING if h not in headers] == [], headers


def test_a_long_link_wraps_rather_than_losing_its_end(browser: Browser,
                                                      shared_app_url: str) -> None:
    """Our requests lists other schools' requests as links whose words run past a laptop's page
    ("...; pupil details withheld: consent not"): each shows whole, on two lines if need be."""
    with laptop_page(browser, shared_app_url, "senco.gw", "Our requests",
                     "Other schools' requests on an agenda") as page:
        labels = page.get_by_test_id("stMain").get_by_test_id("stPageLink-NavLink").locator("span")
        widths = labels.evaluate_all(
            "spans => spans.map(s => [s.textContent, s.scrollWidth, s.clientWidth])")
        assert any(len(text) > 120 for text, _, _ in widths), widths  # long enough to be cut
        assert [text for text, scrolled, shown in widths if scrolled > shown + 1] == []


def test_the_budget_position_shows_every_line_without_scrolling_inside_the_table(
        browser: Browser, shared_app_url: str) -> None:
    """The meeting's budget has twelve lines; the table's default height showed ten, and the
    reserve left was behind a scroll inside the table."""
    with laptop_page(browser, shared_app_url, "host", "Run a meeting", "Agenda item") as page:
        page.get_by_text("Budget position", exact=True).first.click()
        expect(page.get_by_role("heading", name="Budget position")).to_be_visible()
        wait_for_rerun(page, seconds=60)
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid).to_be_visible()
        scroller = grid.locator(".dvn-scroller").first
        expect(scroller).to_be_attached()
        hidden_px = scroller.evaluate("element => element.scrollHeight - element.clientHeight")
        assert hidden_px <= 1, f"{hidden_px} px of the budget is behind the table's own scroll"
