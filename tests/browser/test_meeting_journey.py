"""The host runs the demo cluster's next funding round, on its day, in Debian's Chromium: marks
attendance, runs the suggested split, changes one award with a reason, saves, approves, and
downloads the minutes and a decision letter. The deputy, in a separate browser session, decides
the item about the host's own school, which the host may not. Then the host changes the pot: the
round held keeps its release, and its stored letter is the same file, with the same SHA-256 on
the page."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pypdf import PdfReader

from tests.helpers.browser import (
    ARTIFACTS,
    DOWNLOAD_WAIT,
    PASSWORD,
    SLOW,
    choose,
    sign_in,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser
CHANGED = "Lenwade and Hockering Primary"
REASON = "A smaller programme agreed with the school; it funds the rest itself."


def open_view(page: Page, name: str) -> None:
    """A view from the sidebar's menu (the host's home page has a link of the same name), once
    the page it leaves has finished drawing."""
    wait_for_rerun(page, seconds=60)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=SLOW)
    wait_for_rerun(page, seconds=60)


def agenda_item(page: Page, item: str) -> None:
    page.get_by_role("radiogroup", name="Agenda item").get_by_text(item, exact=True).click()
    expect(page.get_by_role("heading", name=item, exact=True)).to_be_visible(timeout=SLOW)


def settle(page: Page) -> None:
    """Waits until the script has finished running: a file prepared by a run that has since been
    replaced cannot be downloaded any more."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=SLOW)


def shot(page: Page, name: str, show: str | None = None) -> None:
    """A screenshot for the record, scrolled to the text `show` (the main area scrolls itself)."""
    settle(page)
    if show is not None:
        page.get_by_text(show, exact=True).first.scroll_into_view_if_needed(timeout=SLOW)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def pdf_download(page: Page, button: str, name: str) -> str:
    """Presses the download button until the paper arrives (three tries at most): on a busy
    machine a press can land on the button of the run being replaced, which downloads nothing."""
    download = None
    for _ in range(3):
        settle(page)
        try:
            with page.expect_download(timeout=DOWNLOAD_WAIT // 3) as waiting:
                page.get_by_role("button", name=button).click()
            download = waiting.value
            break
        except PlaywrightTimeoutError:
            continue
    assert download is not None, f"{button} gave no download in three presses"
    path = ARTIFACTS / name
    download.save_as(str(path))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def mark_attendance(page: Page) -> None:
    open_view(page, "Run a meeting")
    expect(page.get_by_text("Spring 1 funding round, 20/01/2027").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Take attendance first").first).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Mark every headteacher and SENCO present").click()
    seat = page.get_by_role("combobox", name=re.compile(r"^Swannington St Margaret's CE: "
                                                        r"Headteacher"))
    expect(seat).to_have_value("Present")  # the register is drawn again, everyone present
    # Let that rerun finish first: a click while the page is still being redrawn can land on
    # the wrong widget as the layout moves (the meeting's select box above the register).
    wait_for_rerun(page, seconds=60)
    seat.click()
    seat.fill("Apologies")
    page.get_by_role("option", name="Apologies").first.click()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved. Quorate: 12 of 12 schools represented")
           .first).to_be_visible(timeout=SLOW)
    shot(page, "meeting-attendance", "Attendance and quorum")


def run_and_accept_the_suggestion(page: Page) -> None:
    open_view(page, "Suggest a split")
    expect(page.get_by_text("Money for this round £51,713")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Run the suggestion").click()
    expect(page.get_by_text("Suggested split of £51,713")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("What if the pot were bigger or smaller?")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text(re.compile(r"Ran in \d+ ms"))).to_be_visible(timeout=SLOW)
    shot(page, "meeting-suggested-split", "What if the pot were bigger or smaller?")
    page.get_by_role("button", name="Accept into the meeting's draft decisions").click()
    expect(page.get_by_text("Suggestion accepted: 7 draft decision(s) started from it.")
           ).to_be_visible(timeout=SLOW)


def deputy_decides_the_hosts_school(browser: Browser, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    deputy = context.new_page()
    deputy.set_default_timeout(SLOW)
    sign_in(deputy, app_url, "deputy", PASSWORD)
    open_view(deputy, "Run a meeting")
    agenda_item(deputy, "Requests and decisions")
    expect(deputy.get_by_text("Sam Hardy chairs this item").first).to_be_visible(timeout=SLOW)
    form = deputy.get_by_role("combobox", name="Request to decide")
    expect(form).to_have_value(re.compile("Wensum Valley High School"))
    settle(deputy)
    deputy.get_by_role("button", name="Save this decision").click()
    expect(deputy.get_by_text(re.compile(r"Saved the decisions on request\(s\) \d+"))
           ).to_be_visible(timeout=SLOW)
    shot(deputy, "meeting-deputy-chairs", "Or record one decision with a form")
    context.close()


def change_one_award_and_confirm(page: Page) -> None:
    open_view(page, "Run a meeting")
    agenda_item(page, "Requests and decisions")
    expect(page.get_by_text("Priya Okafor chairs this item").first).to_be_visible(timeout=SLOW)
    choose(page, "Request to decide", CHANGED)
    agreed = page.get_by_role("spinbutton", name="Agreed (£)")
    expect(agreed).to_have_count(1)  # the form is drawn again for the request chosen
    expect(agreed).to_have_value("10750")
    agreed.fill("9000")
    agreed.press("Tab")
    settle(page)  # leaving the box reruns the page: typing into the old one would be lost
    reason = page.get_by_role("textbox", name="Reason", exact=True)
    reason.fill(REASON)
    reason.press("Tab")
    settle(page)
    expect(reason).to_have_value(REASON)
    page.get_by_role("button", name="Save this decision").click()
    saved = page.get_by_text(re.compile(r"Saved the decisions on request\(s\) \d+"))
    expect(saved).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("spinbutton", name="Agreed (£)")).to_have_value("9000")
    shot(page, "meeting-decisions", "Set the awards")
    confirm = page.get_by_role("button", name="Confirm the meeting's decisions")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.get_by_text("The meeting's decisions are confirmed.")).to_be_visible(timeout=SLOW)


def approve_the_last_minutes(page: Page) -> None:
    agenda_item(page, "Minutes of the last meeting")
    page.get_by_role("button", name="Approve the Autumn 2 funding round minutes as a true "
                                    "record").click()
    expect(page.get_by_text("The Autumn 2 funding round minutes are approved and locked.")
           ).to_be_visible(timeout=SLOW)


# A whole meeting and a pot change after it: longer than the suite's five minutes on a busy machine.
@pytest.mark.timeout(600)
def test_the_host_runs_the_next_funding_round_and_sends_the_papers(
        page: Page, browser: Browser, meeting_day_app_url: str) -> None:
    """On the meeting's day (20/01/2027): a meeting records from its date."""
    app_url = meeting_day_app_url
    sign_in(page, app_url, "host", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=SLOW)
    mark_attendance(page)
    run_and_accept_the_suggestion(page)
    deputy_decides_the_hosts_school(browser, app_url)
    change_one_award_and_confirm(page)
    approve_the_last_minutes(page)
    shot(page, "meeting-minutes-approved")

    open_view(page, "Meeting papers")
    expect(page.get_by_role("combobox", name="Meeting")).to_have_value(
        "Spring 1 2026/27 funding round, 20/01/2027")
    minutes = pdf_download(page, "Download the minutes (PDF)", "minutes-spring-1.pdf")
    for needle in ("Minutes", "Spring 1 funding round", "Quorate: 12 of 12", CHANGED, "£9,000",
                   REASON, "Priya Okafor (deputy host) chaired request", "Page 1 of"):
        assert needle in minutes, needle
    choose(page, "School", CHANGED)
    expect(page.get_by_role("combobox", name="School")).to_have_value(CHANGED)
    wait_for_rerun(page, seconds=60)
    letter = pdf_download(page, "Download the decision letter (PDF)",
                          "decision-letter-lenwade.pdf")
    for needle in (f"Decision letter: {CHANGED}", "£10,750", "£9,000", "Part-funded", REASON,
                   "Next time, show:", "Asking for a reconsideration", "by 17/02/2027",
                   "Sam Hardy", "Page 1 of 1"):
        assert needle in letter, needle
    shot(page, "meeting-papers")
    letter_sha256(page, "decision-letter-lenwade.pdf")
    the_pot_changes_and_the_record_does_not(page, shown_hashes(page))


def letter_sha256(page: Page, saved_as: str) -> str:
    """The downloaded letter's SHA-256, which the papers page shows beside it as issued."""
    digest = hashlib.sha256((ARTIFACTS / saved_as).read_bytes()).hexdigest()
    expect(page.get_by_text(digest, exact=True)).to_be_visible(timeout=SLOW)
    return digest


def shown_hashes(page: Page) -> list[str]:
    """Every SHA-256 the papers page shows: the packs stored at papers-out and the letter."""
    settle(page)
    return sorted(t for t in page.locator("code").all_inner_texts()
                  if re.fullmatch(r"[0-9a-f]{64}", t))


def the_pot_changes_and_the_record_does_not(page: Page, before: list[str]) -> None:
    """After the meeting the host adds £5,000 carried forward and spreads the money evenly (the
    rounds still to come take it): every paper of the meeting held reads as it was issued, with
    the same SHA-256, and the letter downloaded again is the same file."""
    assert len(before) >= 3, before  # the host's pack (PDF and Word) and the letter
    open_view(page, "Funding year")
    carried = page.get_by_role("spinbutton", name="Carried forward from last year (£)")
    carried.fill(f"{float(carried.input_value()) + 5_000:.2f}")
    carried.press("Tab")
    spread = page.get_by_role("checkbox", name=re.compile("Spread the money available evenly"))
    page.get_by_text("Spread the money available evenly across the funding rounds").click()
    expect(spread).to_be_checked()
    page.get_by_role("button", name="Save the funding year").click()
    expect(page.get_by_text(re.compile(r"Saved 2026/27: £[\d,]+ available for new awards"))
           ).to_be_visible(timeout=SLOW)
    open_view(page, "Meeting papers")
    expect(page.get_by_role("combobox", name="Meeting")).to_have_value(
        "Spring 1 2026/27 funding round, 20/01/2027")
    choose(page, "School", CHANGED)
    expect(page.get_by_role("combobox", name="School")).to_have_value(CHANGED)
    wait_for_rerun(page, seconds=60)
    again = pdf_download(page, "Download the decision letter (PDF)",
                         "decision-letter-lenwade-after-the-pot-changed.pdf")
    assert "£9,000" in again and REASON in again
    assert letter_sha256(page, "decision-letter-lenwade-after-the-pot-changed.pdf") in before
    assert shown_hashes(page) == before
    shot(page, "meeting-papers-after-the-pot-changed")
