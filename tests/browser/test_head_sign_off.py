"""The head's sign-off in Debian's Chromium: the host switches the cluster's rule on; a SENCO's
request then waits for the headteacher, who sends it back with a note (the SENCO reads it and
where the request is) and then signs it off; the host sees it only after the sign-off.

Three people at three computers (three browser contexts), each signed in once: a page load keeps
them signed in, so each looks again as a person would, by opening the page afresh."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import WAIT, sign_in, sign_in_cookie, wait_for_rerun

pytestmark = pytest.mark.browser
RULE = "A SENCO's request goes to the school's headteacher to sign off before the cluster sees it"
WAITING = "Waiting for the headteacher's sign-off"
NOTE = "Add the attendance figures for this term."


def _person(browser: Browser, url: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(WAIT)
    sign_in(page, url, username)
    expect(page.get_by_text("Welcome,")).to_be_visible()
    sign_in_cookie(page)  # a page opened afresh from here is still signed in
    return page


def _host_switches_the_rule_on(host: Page) -> None:
    host.get_by_test_id("stSidebarNavItems").get_by_role(
        "link", name="Request rules and need matrix").click()
    expect(host.get_by_role("heading", name="Request rules and need matrix")).to_be_visible()
    host.get_by_role("tab", name="Rules").click()
    rule = host.get_by_role("checkbox", name=RULE)
    expect(rule).not_to_be_checked()
    host.get_by_text(RULE).click()
    expect(rule).to_be_checked()
    host.get_by_role("button", name="Save the rules").click()
    expect(host.get_by_text(re.compile(r"Rules for 2026/27 saved"))).to_be_visible()


def _host_returns_the_sencos_request(host: Page, url: str) -> int:
    """The host returns Aylsham Road's submitted request, so its SENCO can submit it again."""
    host.goto(url)
    triage = host.get_by_role("link", name=re.compile(r"^Triage request \d+ from Aylsham Road"))
    found = re.search(r"request (\d+)", triage.inner_text())
    assert found is not None
    request_id = int(found.group(1))
    triage.click()
    expect(host.get_by_role("heading", name=re.compile(f"^Request {request_id}: "))).to_be_visible()
    host.get_by_role("textbox", name="What is missing (one item a line)").fill("Attendance")
    host.get_by_role("button", name="Return to the school").click()
    expect(host.get_by_text(f"Request {request_id} returned to")).to_be_visible()
    return request_id


def _senco_submits(senco: Page, url: str, request_id: int) -> None:
    senco.goto(f"{url}/request?request={request_id}")
    heading = senco.get_by_role("heading", name=re.compile(f"^Request {request_id}: "))
    expect(heading).to_be_visible()
    senco.get_by_role("button", name="Submit to the cluster").click()
    expect(senco.get_by_text(f"Request {request_id} sent to your headteacher to sign off")
           ).to_be_visible()
    expect(senco.get_by_text(WAITING).first).to_be_visible()


def _host_cannot_see_it_yet(host: Page, url: str, request_id: int) -> None:
    host.goto(f"{url}/host-requests")
    expect(host.get_by_role("heading", name="Requests for the next meeting")).to_be_visible()
    wait_for_rerun(host)
    expect(host.get_by_role("link", name=re.compile(f"^Request {request_id}: "))).to_have_count(0)
    host.goto(url)
    expect(host.get_by_role("heading", name="To do")).to_be_visible()
    wait_for_rerun(host)
    expect(host.get_by_role("link", name=re.compile(f"^Triage request {request_id} "))
           ).to_have_count(0)


def _head_opens_it_from_the_to_do_list(head: Page, url: str, request_id: int) -> None:
    head.goto(url)
    head.get_by_role("link", name=re.compile(f"^Sign off request {request_id} ")).click()
    expect(head.get_by_text("Your sign-off.")).to_be_visible()


def test_a_sencos_request_waits_for_the_head_and_reaches_the_host_once_signed_off(
        page: Page, browser: Browser, app_url: str) -> None:
    page.set_default_timeout(WAIT)
    sign_in(page, app_url, "host")
    expect(page.get_by_text("Welcome,")).to_be_visible()
    sign_in_cookie(page)
    _host_switches_the_rule_on(page)
    request_id = _host_returns_the_sencos_request(page, app_url)

    senco = _person(browser, app_url, "senco.ap")
    _senco_submits(senco, app_url, request_id)
    _host_cannot_see_it_yet(page, app_url, request_id)

    head = _person(browser, app_url, "head.ap")
    _head_opens_it_from_the_to_do_list(head, app_url, request_id)
    head.get_by_role("textbox", name=re.compile(r"^Or send it back to the SENCO")).fill(NOTE)
    head.get_by_role("button", name="Send back to the SENCO").click()
    expect(head.get_by_text(f"Request {request_id} sent back to the SENCO.")).to_be_visible()

    # The SENCO reads the head's note and where the request is: a draft again, theirs to change.
    senco.goto(f"{app_url}/request?request={request_id}")
    expect(senco.get_by_text(f"Sent back by the headteacher: {NOTE}").first).to_be_visible()
    _senco_submits(senco, app_url, request_id)

    _head_opens_it_from_the_to_do_list(head, app_url, request_id)
    head.get_by_role("button", name="Sign off and send to the cluster").click()
    expect(head.get_by_text(f"Request {request_id} signed off and sent to the cluster.")
           ).to_be_visible()

    page.goto(app_url)
    expect(page.get_by_role("link", name=re.compile(f"^Triage request {request_id} "))
           ).to_be_visible()
    for person in (senco, head):
        person.context.close()
