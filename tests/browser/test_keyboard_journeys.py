"""Every journey with the keyboard alone, in Debian's Chromium.

A headteacher submits a support-for-learning request; the host runs the funding meeting that
decides a request (attendance, a decision with its reason, save); a governor reads and downloads
the impact report. Every step is a key press: Tab / Shift+Tab to move, typing, Enter on buttons and
links, Space on checkboxes, the arrow keys in radio groups, select lists and tables. Locators only
READ the page (what has the focus, what it says). Each step leaves a screenshot in test-artifacts/.

Streamlit's own widgets, from the keyboard: a select box takes the focus, filters as you type,
moves its highlight with the arrow keys and takes the highlighted option on Enter; a radio group
moves its choice with the arrow keys; a checkbox toggles with Space; pressing Enter in a form's text
box submits the form; a table (a data grid) is entered with Tab and read cell by cell with arrows.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.helpers.browser import (
    ARTIFACTS,
    DOWNLOAD_WAIT,
    PASSWORD,
    choose_option,
    focused,
    tab_to,
    type_over,
    wait_for_rerun,
)

pytestmark = pytest.mark.browser
WAIT = 30_000  # ms: a loaded machine can take a while to rerun the script
TITLE = "Phonics catch-up in Year 2"
SCHOOL = "Aylsham Road Primary School"
REASON = "A shorter programme agreed with the school; it funds the rest itself."


# --- moving about with the keyboard --------------------------------------------------------------


def shot(page: Page, name: str) -> None:
    """A screenshot of the step, once the script has finished drawing it; the focused element is
    in view, because the browser scrolls to whatever takes the focus."""
    wait_for_rerun(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"keyboard-{name}.png"), full_page=True)


def sign_in(page: Page, app_url: str, username: str) -> None:
    page.goto(app_url)  # typing the address
    username_box = page.get_by_role("textbox", name="Username", exact=True)
    expect(username_box).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    tab_to(page, username_box, "the Username box")
    page.keyboard.type(username)
    tab_to(page, page.get_by_label("Password", exact=True), "the Password box")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")  # Enter in a form's text box submits the form
    expect(page.get_by_text("Welcome,")).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)


def follow_link(page: Page, link: Locator, what: str, heading: str | re.Pattern[str]) -> None:
    tab_to(page, link, what)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)


def open_view(page: Page, name: str) -> None:
    """A view from the sidebar's menu."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True)
    follow_link(page, link, f"the “{name}” link in the sidebar", name)


def download_impact_report(page: Page, button: str) -> Path:
    """Tab to one of the impact report's buttons, press Enter, keep the file as an artefact."""
    tab_to(page, page.get_by_role("button", name=button), f"the “{button}” button")
    with page.expect_download(timeout=DOWNLOAD_WAIT) as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.startswith("impact-report-aylsham-road-primary-school")
    path = ARTIFACTS / f"keyboard-{download.suggested_filename}"
    download.save_as(str(path))
    return path


def press_button(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name, exact=True), f"the “{name}” button")
    page.keyboard.press("Enter")


def fill(page: Page, field: Locator, what: str, text: str) -> None:
    """Tab to a text box or number box and type over what it holds."""
    tab_to(page, field, what)
    type_over(page, text)


def box(page: Page, label: str) -> Locator:
    return page.get_by_role("textbox", name=label, exact=True)


def number(page: Page, label: str) -> Locator:
    return page.get_by_role("spinbutton", name=label, exact=True)


def combobox(page: Page, label: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("combobox", name=label, exact=True)


# The focused cell of a data grid (Streamlit draws tables with glide-data-grid, which mirrors the
# cells around the focus in a table for screen readers): its text, row, column and column heading.
FOCUSED_CELL = """() => {
  const cell = document.activeElement;
  if (!cell || cell.getAttribute('role') !== 'gridcell') return null;
  const column = cell.getAttribute('aria-colindex');
  const heading = cell.closest('table').querySelector(`th[aria-colindex="${column}"]`);
  return {text: cell.innerText.trim(), column: Number(column),
          row: Number(cell.closest('tr').getAttribute('aria-rowindex')),
          heading: heading ? heading.innerText.trim() : null};
}"""
Cell = dict[str, object]


def next_cell(page: Page, key: str, before: Cell | None) -> Cell | None:
    """Presses an arrow key in a data grid; the cell the focus moved to, or None at the edge."""
    page.keyboard.press(key)
    for _ in range(100):  # up to 5 s: a loaded machine can be slow to move the focus
        cell = page.evaluate(FOCUSED_CELL)
        if cell is not None and cell != before:
            return dict(cell)
        page.wait_for_timeout(50)
    return None


def read_row_by_keyboard(page: Page, grid: Locator, what: str, first_cell: str,
                         headings: tuple[str, ...]) -> dict[str, str]:
    """Reads a row of a table the way a keyboard user does: Tab into it, arrow to the first
    column, up or down it to the row that starts with `first_cell`, then right along the row,
    noting the cells under `headings`."""
    tab_to(page, grid.locator("canvas"), what)
    cell = next_cell(page, "ArrowDown", None)  # the first arrow puts the focus on a cell
    if cell is None:
        raise AssertionError(f"{what}: the arrow keys do not move the focus into the cells "
                             f"(the focus is on {focused(page)})")
    while cell["column"] != 1 and (left := next_cell(page, "ArrowLeft", cell)) is not None:
        cell = left
    for key in ("ArrowDown", "ArrowUp"):
        while cell["text"] != first_cell and (moved := next_cell(page, key, cell)) is not None:
            cell = moved
    if cell["column"] != 1 or cell["text"] != first_cell:
        raise AssertionError(f"{what}: no row starts with {first_cell!r}")
    found: dict[str, str] = {}
    while True:
        if cell["heading"] in headings:
            found[str(cell["heading"])] = str(cell["text"])
        if len(found) == len(headings):
            return found
        if (right := next_cell(page, "ArrowRight", cell)) is None:
            raise AssertionError(f"{what}: the columns {headings} were not all reached: {found}")
        cell = right


# --- 1. a headteacher submits a request -----------------------------------------------------------


def test_a_headteacher_submits_a_request_with_the_keyboard_alone(page: Page, app_url: str) -> None:
    page.set_default_timeout(WAIT)
    sign_in(page, app_url, "head.ap")
    shot(page, "request-1-signed-in")
    open_view(page, "New request")

    # The provision map sits outside the form: leaving the box (Tab) recosts it at once.
    fill(page, number(page, "Minutes a week"), "Minutes a week", "120")
    page.keyboard.press("Tab")
    expect(page.get_by_text("£1,307.20").filter(visible=True).first).to_be_visible(timeout=WAIT)
    wait_for_rerun(page)
    shot(page, "request-2-provision-map")

    fill(page, box(page, "Title (a few words, never a pupil's name)"), "the title", TITLE)
    fill(page, box(page, "Pupil 1 reference"), "the pupil's reference", "AP-951")
    choose_option(page, combobox(page, "Year group"), "the year group", "Year 2")
    choose_option(page, combobox(page, "Primary need (census code)"), "the primary need",
                  "SpLD: Specific learning difficulty", filter_text="SpLD")
    consent = page.get_by_role("checkbox", name=re.compile(r"^Parent.carer consents"))
    tab_to(page, consent, "the parent's consent checkbox")
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    fill(page, page.get_by_role("textbox", name="Need in plain words", exact=True),
         "the need in plain words", "Decoding well below age-related expectations.")
    fill(page, number(page, "Assess-plan-do-review cycles run"), "the cycles run", "2")
    fill(page, number(page, "School's own spend on this support a year (£)"),
         "the school's own spend", "6500")
    fill(page, box(page, "Outcome 1"), "the first outcome", "Decodes phase 3 words")
    fill(page, box(page, "Measure"), "the measure", "Words read correctly of 40")
    fill(page, box(page, "Baseline"), "the baseline", "12")
    fill(page, box(page, "Target"), "the target", "32")
    choose_option(page, combobox(page, "Cognition and learning"), "the cognition and learning band",
                  "3: Significant: far below expectations; needs a personalised curriculum much "
                  "of the day", filter_text="3:")
    fill(page, number(page, "Minimum viable amount (£)"), "the minimum viable amount", "1000")
    shot(page, "request-3-form-filled")

    press_button(page, "Check")
    expect(page.get_by_text("Every check passes.")).to_be_visible(timeout=WAIT)
    shot(page, "request-4-checked")
    press_button(page, "Save draft")
    saved = page.get_by_text(re.compile(r"Draft saved as request \d+"))
    expect(saved).to_be_visible(timeout=WAIT)
    found = re.search(r"request (\d+)", saved.inner_text())
    assert found is not None
    request_id = found.group(1)
    shot(page, "request-5-draft-saved")
    press_button(page, "Submit to the cluster")
    expect(page.get_by_text(f"Request {request_id} submitted to the cluster")).to_be_visible(
        timeout=WAIT)
    shot(page, "request-6-submitted")

    follow_link(page, page.get_by_role("link", name="See it in Our requests"),
                "the link to Our requests", "Our requests")
    ours = page.get_by_role("link", name=f"Request {request_id}: {TITLE} ({SCHOOL}, submitted)")
    expect(ours).to_be_visible(timeout=WAIT)
    shot(page, "request-7-our-requests")
    follow_link(page, ours, f"request {request_id} in Our requests",
                f"Request {request_id}: {TITLE}")
    expect(page.get_by_text(f"{SCHOOL} · One pupil · Submitted").first).to_be_visible(
        timeout=WAIT)
    shot(page, "request-8-opened")


# --- 2. the host runs the funding meeting that decides a request ---------------------------------


def test_the_host_runs_the_funding_meeting_with_the_keyboard_alone(
        page: Page, meeting_day_app_url: str) -> None:
    """On the meeting's day (20/01/2027): a meeting records attendance and decisions from its
    date, so before it the register offers nothing to mark."""
    app_url = meeting_day_app_url
    page.set_default_timeout(WAIT)
    sign_in(page, app_url, "host")
    open_view(page, "Run a meeting")
    expect(page.get_by_text("Take attendance first").first).to_be_visible(timeout=WAIT)

    # Attendance: everyone present at a key press, one apology chosen from a select list, saved.
    press_button(page, "Mark every headteacher and SENCO present")
    seat = combobox(page, re.compile(r"^Swannington St Margaret's CE: Headteacher"))
    expect(seat).to_have_value("Present", timeout=WAIT)
    wait_for_rerun(page)
    choose_option(page, seat, "Swannington's headteacher's seat", "Apologies")
    press_button(page, "Save attendance")
    expect(page.get_by_text("Attendance saved. Quorate: 12 of 12 schools represented")
           .first).to_be_visible(timeout=WAIT)
    shot(page, "meeting-1-attendance")

    # The agenda items are a radio group: Shift+Tab back to it, then the right arrow walks it.
    tab_to(page, page.get_by_role("radiogroup", name="Agenda item"), "the agenda items",
           backwards=True)
    for item in ("Minutes of the last meeting", "Budget position", "Requests and decisions"):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_role("heading", name=item, exact=True)).to_be_visible(timeout=WAIT)
        wait_for_rerun(page)
    expect(page.get_by_text("Priya Okafor chairs this item").first).to_be_visible(timeout=WAIT)
    shot(page, "meeting-2-requests-and-decisions")

    # One decision with the form made for the keyboard: a part award, with its reason.
    chosen = choose_option(page, combobox(page, "Request to decide"), "the request to decide",
                           re.compile(rf"Request \d+: {SCHOOL}, asked £5,250"),
                           filter_text="Aylsham")
    request_id = chosen.split(":")[0].removeprefix("Request ")
    wait_for_rerun(page)
    agreed = number(page, "Agreed (£)")
    expect(agreed).to_have_value("5250")
    fill(page, agreed, "the amount agreed", "4000")
    fill(page, page.get_by_role("textbox", name="Reason", exact=True), "the reason", REASON)
    shot(page, "meeting-3-decision-filled")
    press_button(page, "Save this decision")
    expect(page.get_by_text(f"Saved the decisions on request(s) {request_id}")).to_be_visible(
        timeout=WAIT)
    wait_for_rerun(page)

    # What the host sees: the running total, the form drawn again, and the row of the table.
    expect(page.get_by_text(re.compile(r"Agreed at this meeting \(whole awards\)\s*£4,000"))
           ).to_be_visible(timeout=WAIT)
    expect(number(page, "Agreed (£)")).to_have_value("4000")
    expect(page.get_by_role("textbox", name="Reason", exact=True)).to_have_value(REASON)
    row = read_row_by_keyboard(page, page.get_by_test_id("stDataFrame").first,
                               "the table of this round's requests", request_id,
                               ("School", "Asked", "Agreed", "Decision"))
    assert row["School"] == SCHOOL, row
    assert row["Asked"] == "£5,250", row
    assert row["Agreed"] == "£4,000", row
    assert row["Decision"] == "Part-funded (draft)", row
    shot(page, "meeting-4-decision-saved")


# --- 3. a governor reads the impact report ------------------------------------------------------


def test_a_governor_reads_and_downloads_the_impact_report_with_the_keyboard_alone(
        page: Page, shared_app_url: str) -> None:
    page.set_default_timeout(WAIT)
    sign_in(page, shared_app_url, "governor")
    shot(page, "impact-1-signed-in")
    follow_link(page, page.get_by_test_id("stMain").get_by_role("link",
                                                               name="Read the impact report"),
                "the link to the impact report on the home page", "Impact and outcomes")
    expect(page.get_by_text("Wensum Valley Cluster · The whole cluster")).to_be_visible(
        timeout=WAIT)
    shot(page, "impact-2-whole-cluster")

    choose_option(page, combobox(page, "The cluster or one school"), "the choice of school",
                  SCHOOL, filter_text="Aylsham")
    expect(page.get_by_text(f"Wensum Valley Cluster · {SCHOOL}")).to_be_visible(timeout=WAIT)
    # The download holds the file made by the latest run: wait for it before pressing Enter.
    wait_for_rerun(page, seconds=60)
    shot(page, "impact-3-one-school")

    data = download_impact_report(page, "Download the impact report (PDF)").read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert text.startswith("Governors' impact report"), text[:80]
    assert SCHOOL in text

    word_path = download_impact_report(page, "Download the impact report (Word)")
    assert word_path.suffix == ".docx" and word_path.stat().st_size > 0
    paragraphs = [p for p in Document(str(word_path)).paragraphs if p.text.strip()]
    assert paragraphs[0].style is not None and paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "Governors' impact report"
    assert any(SCHOOL in p.text for p in paragraphs[:4])
    shot(page, "impact-4-downloaded")
