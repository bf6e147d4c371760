"""What a person does in the browser, for the Playwright tests: sign in, choose from a select box,
wait for Streamlit to settle, and move about with the keyboard alone.

Every wait is on something the app shows (the status widget, a stale element, the text asked for),
with limits generous enough for a busy 2-core machine; none is a fixed pause.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not start within a minute")


DEMO_TODAY = "2026-11-23"  # the day the demo is seeded for
SPRING_1_DAY = "2027-01-20"  # the demo's next funding round: a meeting records from its day


@contextmanager
def serve_app(database_url: str, log_path: Path, today: str = DEMO_TODAY, *,
              expected_error: str | None = None) -> Iterator[str]:
    """`streamlit run` on a free port against the database, its clock on `today`; stopped when
    the block ends, and then its log is read: a traceback in it fails the block (see
    `tracebacks_in`), save the one page error `expected_error` (a pattern) declares."""
    port = free_port()
    env = {**os.environ, "CLUSTER_DATABASE_URL": database_url,
           "CLUSTER_TODAY": today, "CLUSTER_MODE": "demo"}
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    # Reached only when the block itself passed: a failing test's own error stays the one shown.
    unexpected = tracebacks_in(log_path.read_text(encoding="utf-8", errors="replace"),
                               expected_error)
    if unexpected:
        raise AssertionError(f"the server's log {log_path} holds {len(unexpected)} traceback(s) "
                             "no test expected; the first:\n" + unexpected[0])


TRACEBACK = "Traceback"
# The error page's log line (toolkit/error_page.py): the traceback follows it.
REFERENCED = re.compile(r"Error reference ERR-\d{4}-[0-9A-F]{6}")
EXCERPT_LINES = 40
UNCAUGHT = "Uncaught app execution"  # Streamlit logs an error before our page handles it
RECORD = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")  # a log record's first line
CHAINED = re.compile(r"The above exception was the direct cause|During handling of the above")


def tracebacks_in(log: str, expected_error: str | None = None) -> list[str]:
    """Each traceback in a server log, as an excerpt from the line before it: a warning printed
    with its stack counts as much as an uncaught error. The page error a test causes on purpose
    is let through only when `expected_error` matches it (see `_declared`); a chained traceback
    ("the above exception ...") goes with the one before it."""
    lines = log.splitlines()
    found: list[str] = []
    for number, line in enumerate(lines):
        if TRACEBACK not in line:
            continue
        before = next((earlier for earlier in reversed(lines[:number]) if earlier.strip()), "")
        if CHAINED.search(before):
            continue  # part of the traceback already judged
        if not (expected_error and _declared(lines, number, before, expected_error)):
            found.append("\n".join(lines[max(number - 1, 0):number + EXCERPT_LINES]))
    return found


def _declared(lines: list[str], number: int, before: str, expected_error: str) -> bool:
    """The error page's traceback (its reference line just above), or Streamlit's own record of
    the same error ("Uncaught app execution") when the next record is that reference line; either
    way the declared pattern must be in the referenced record."""
    if REFERENCED.search(before):
        start = number - 1
    elif UNCAUGHT in before:
        start = next((n for n in range(number + 1, len(lines)) if RECORD.match(lines[n])),
                     len(lines))
        if start == len(lines) or not REFERENCED.search(lines[start]):
            return False
    else:
        return False
    following = next((n for n in range(start + 1, len(lines)) if RECORD.match(lines[n])),
                     len(lines))
    return bool(re.search(expected_error, "\n".join(lines[start:following])))


PASSWORD = "cluster-demo-1"
WAIT = 30_000  # ms: a loaded machine can take a while to rerun the script
# ms: a paper is made when its button is pressed; a busy 2-core machine may take a minute or more
DOWNLOAD_WAIT = 120_000
SLOW = 60_000  # ms: a heavy page (charts, a whole round of decisions) reruns slowly


def sign_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    """Signs in as `username`; a person still signed in on this tab (the cookie keeps them signed
    in across page loads) signs out first, as the next person at a shared computer would."""
    from playwright.sync_api import expect

    page.goto(url)
    username_box = page.get_by_label("Username")
    sign_out = page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")
    expect(username_box.or_(sign_out)).to_be_visible(timeout=WAIT)
    wait_for_rerun(page, seconds=WAIT / 1000)
    if not username_box.is_visible():
        sign_out.click()
        # Signing out reruns the script (and again once the cookie is cleared): typing before the
        # last run has drawn the form would be wiped, and Sign in would find the boxes empty.
        expect(username_box).to_be_visible(timeout=WAIT)
        wait_for_rerun(page, seconds=WAIT / 1000)
    fill_in_sign_in(page, username, password)


def fill_in_sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fills in the sign-in form the page shows and presses Sign in. The boxes are read back
    first: a rerun that drew the form again would have emptied them, and that fails here rather
    than as a refused sign-in."""
    from playwright.sync_api import expect

    username_box = page.get_by_label("Username")
    password_box = page.get_by_label("Password", exact=True)
    username_box.fill(username)
    password_box.fill(password)
    expect(username_box).to_have_value(username)
    expect(password_box).to_have_value(password)
    page.get_by_role("button", name="Sign in").click()


SIGN_IN_COOKIE = "cluster_session"


def sign_in_cookie(page: Page) -> dict[str, object]:
    """Waits until the browser has been handed its sign-in cookie (a moment after the signed-in
    page shows; a reload or a new tab before then is signed out) and returns it."""
    for _ in range(120):
        found = [c for c in page.context.cookies() if c["name"] == SIGN_IN_COOKIE]
        if found:
            return dict(found[0])
        page.wait_for_timeout(250)
    raise AssertionError("the browser was never given its sign-in cookie")


def choose(page: Page, label: str, option: str) -> None:
    """A select box: type the option to filter the list, then pick it."""
    field = page.get_by_role("combobox", name=label, exact=True)
    field.click()
    field.fill(option)
    page.get_by_role("option", name=option).first.click()


# --- the keyboard alone ---------------------------------------------------------------------------
# Helpers for journeys driven only by `page.keyboard`: locators are used to READ the page (what is
# focused, what it says), never to act on it.

# What has the focus, in words a failure message can show: tag, role, label and text.
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'the page itself (nothing focused)';
  const labelled = e.getAttribute('aria-labelledby');
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || (labelled && document.getElementById(labelled)?.innerText) || '';
  const text = (e.innerText || e.value || '').replace(/\\s+/g, ' ').trim();
  const role = e.getAttribute('role') ? `[role=${e.getAttribute('role')}]` : '';
  return [e.tagName.toLowerCase() + role, label.trim(), text].filter(Boolean).join(' · ')
    .slice(0, 120);
}"""
# The focus is on the element or inside it (a radio group's focus is on its chosen radio).
HOLDS_FOCUS = ("els => els.some(e => e === document.activeElement"
               " || e.contains(document.activeElement))")
# The option a select box's open list has highlighted (react-aria points at it with
# aria-activedescendant on the focused input).
HIGHLIGHTED_OPTION = """() => {
  const id = document.activeElement?.getAttribute('aria-activedescendant');
  const option = id && document.getElementById(id);
  return option ? option.innerText.trim() : null;
}"""


def focused(page: Page) -> str:
    return str(page.evaluate(DESCRIBE_FOCUS))


def wait_for_rerun(page: Page, seconds: float = 30) -> None:
    """Waits until Streamlit has run the script and drawn the result: no running indicator, no
    element left over from the last run, and no widget still loading its code (the first widget
    of a type shows a grey placeholder for a moment, which the Tab key passes over)."""
    from playwright.sync_api import expect

    timeout = int(seconds * 1000)
    page.wait_for_timeout(300)  # a rerun shows its indicator only after a moment
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def tab_to(page: Page, target: Locator, what: str, *, backwards: bool = False,
           limit: int = 200) -> int:
    """Presses Tab (Shift+Tab when `backwards`) until the focus is on `target` (a locator that
    names the element by role and accessible name), as a keyboard user would; returns the number
    of presses. Fails saying `what` could not be reached, with where the focus went on the way.
    (A table takes one Tab per column: Streamlit's data grid moves along the row before leaving.)"""
    from playwright.sync_api import expect

    expect(target.first).to_be_attached(timeout=30_000)
    key = "Shift+Tab" if backwards else "Tab"
    trail: list[str] = []
    for presses in range(limit + 1):
        if target.evaluate_all(HOLDS_FOCUS):
            return presses
        if presses == limit:
            break
        page.keyboard.press(key)
        place = focused(page)
        if not trail or trail[-1] != place:
            trail.append(place)
    places = "\n  ".join(trail[-25:])
    raise AssertionError(f"{what} could not be reached with {key} in {limit} presses; the focus "
                         f"went through (the last 25 places):\n  {places}")


def type_over(page: Page, text: str) -> None:
    """Replaces what the focused field holds: select all, then type."""
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def highlighted_option(page: Page, seconds: float = 5) -> str | None:
    """The option the open list highlights, once the list has settled (the same in two reads a
    tenth of a second apart: it filters as the letters arrive)."""
    last: str | None = None
    for _ in range(int(seconds * 10)):
        page.wait_for_timeout(100)
        now = page.evaluate(HIGHLIGHTED_OPTION)
        if now is not None and now == last:
            return str(now)
        last = now
    return last


def choose_option(page: Page, combobox: Locator, what: str, option: str | re.Pattern[str],
                  filter_text: str | None = None, limit: int = 40) -> str:
    """A Streamlit select box from the keyboard: Tab to it, type to filter the list, move the
    highlight down with the arrow key until it is on `option` (the text, or a pattern the whole
    text matches), then Enter takes it. Returns the option chosen."""
    from playwright.sync_api import expect

    if isinstance(option, re.Pattern) and filter_text is None:
        raise ValueError("a pattern needs the text to type as filter_text")
    tab_to(page, combobox, what)
    page.keyboard.type(filter_text if filter_text is not None else str(option))
    seen: list[str | None] = []
    for _ in range(limit):
        highlighted = highlighted_option(page)
        if highlighted is not None and (highlighted == option if isinstance(option, str)
                                        else option.fullmatch(highlighted)):
            page.keyboard.press("Enter")
            expect(combobox).to_have_value(highlighted, timeout=10_000)
            return highlighted
        if highlighted in seen:
            break  # the highlight has stopped moving, or gone round
        seen.append(highlighted)
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{what}: “{option}” was never highlighted; the down arrow went "
                         f"through {seen}")
