"""A headteacher drafts and submits a request in Debian's Chromium, then finds it in "Our
requests"; another school cannot open it by its number before the meeting papers go out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers.browser import ARTIFACTS, PASSWORD, choose, sign_in

pytestmark = pytest.mark.browser
TITLE = "Reading catch-up in Year 4"
WAIT = 30_000  # ms: a loaded machine can take a while to rerun the script


def box(page: Page, label: str) -> Locator:
    return page.get_by_role("textbox", name=label, exact=True)


def number(page: Page, label: str) -> Locator:
    return page.get_by_role("spinbutton", name=label, exact=True)


def draft_and_submit(page: Page, app_url: str) -> int:
    page.set_default_timeout(WAIT)
    sign_in(page, app_url, "head.ap", PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=WAIT)
    page.get_by_role("link", name="New request").click()
    expect(page.get_by_role("heading", name="New request")).to_be_visible(timeout=WAIT)
    # the provision map (outside the form) updates its total as it is filled in
    minutes = number(page, "Minutes a week")
    minutes.fill("120")
    minutes.press("Tab")
    expect(page.get_by_text("£1,307.20").filter(visible=True).first).to_be_visible(timeout=WAIT)
    # the form, mostly from the keyboard
    box(page, "Title (a few words, never a pupil's name)").fill(TITLE)
    box(page, "Pupil 1 reference").fill("AP-950")
    choose(page, "Primary need (census code)", "SpLD: Specific learning difficulty")
    page.get_by_text("Parent/carer consents to this request").click()
    box(page, "Need in plain words").fill("Reading well below age-related expectations.")
    number(page, "Assess-plan-do-review cycles run").fill("2")
    number(page, "School's own spend on this support a year (£)").fill("6500")
    box(page, "Outcome 1").fill("Reads with 90% accuracy")
    box(page, "Measure").fill("Accuracy on a benchmarked text")
    box(page, "Baseline").fill("70%")
    box(page, "Target").fill("90%")
    choose(page, "Cognition and learning",
           "3: Significant: far below expectations; needs a personalised curriculum much of "
           "the day")
    number(page, "Minimum viable amount (£)").fill("1000")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_text("Every check passes.")).to_be_visible(timeout=WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "new-request.png"), full_page=True)
    save = page.get_by_role("button", name="Save draft")
    save.focus()
    page.keyboard.press("Enter")
    saved = page.get_by_text(re.compile(r"Draft saved as request \d+"))
    expect(saved).to_be_visible(timeout=WAIT)
    found = re.search(r"request (\d+)", saved.inner_text())
    assert found is not None
    request_id = int(found.group(1))
    submit = page.get_by_role("button", name="Submit to the cluster")
    submit.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Request {request_id} submitted to the cluster")).to_be_visible(
        timeout=WAIT)
    return request_id


def test_a_head_drafts_submits_and_another_school_cannot_open_it(
        page: Page, browser: Browser, app_url: str) -> None:
    request_id = draft_and_submit(page, app_url)
    page.get_by_role("link", name="See it in Our requests").click()
    expect(page.get_by_role("heading", name="Our requests")).to_be_visible(timeout=WAIT)
    link = page.get_by_role("link", name=re.compile(f"Request {request_id}: {TITLE}"))
    expect(link).to_contain_text("submitted", timeout=WAIT)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "our-requests.png"), full_page=True)
    link.click()
    expect(page.get_by_role("heading", name=f"Request {request_id}: {TITLE}")).to_be_visible(
        timeout=WAIT)
    assert f"request={request_id}" in page.url

    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    other.set_default_timeout(WAIT)
    sign_in(other, app_url, "head.bi", PASSWORD)
    expect(other.get_by_text("Welcome,")).to_be_visible(timeout=WAIT)
    other.get_by_role("link", name="Open a request").click()
    wanted = number(other, "Request number")
    wanted.fill(str(request_id))
    wanted.press("Enter")
    expect(other.get_by_text(f"There is no request {request_id} that you can open.")
           ).to_be_visible(timeout=WAIT)
    expect(other.get_by_text("13/01/2027")).to_have_count(0)  # nor when it opens
    assert f"request={request_id}" in other.url
    expect(other.get_by_text(TITLE)).to_have_count(0)
    expect(other.get_by_text("AP-950")).to_have_count(0)
    # A fresh visit to the address is a fresh session: the sign-in page, never the request.
    other.goto(f"{app_url}/request?request={request_id}")
    expect(other.get_by_text(TITLE)).to_have_count(0)
    other.context.close()
