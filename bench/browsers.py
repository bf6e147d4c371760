"""Many people at once: 20 browser contexts in one headless Chromium use the app for a bounded
time, then each changes its own password (a write). Reports view times, the pages that stuck and
the writes that were lost.

    .venv/bin/python -m bench.browsers                            # 20 contexts for 60 s
    .venv/bin/python -m bench.browsers --contexts 20 --seconds 180
    .venv/bin/python -m bench.browsers --seconds 15 --contexts 5
    .venv/bin/python -m bench.browsers --contexts 20 --seconds 180 --pause 5

By default each person clicks the next page the moment one settles, with no time to read it: a
closed loop, whose view time is the number of people over the pages served a second. `--pause`
gives each person that many seconds on each page, as a reader would take.

Everyone signs in first, then all start using the app together. Here the 20 browsers share the
server's 2 cores, and 20 of them starting Streamlit's front end at once (about a minute of their
CPU) starved the pages of the people already signed in; people's browsers run on their own
computers. The sign-in itself is still timed and reported: from opening the address to "Welcome".

A page is settled when its address is the page clicked, Streamlit's running indicator is gone
and no element of the last run is left greyed out (stale). A page not settled `STUCK_AFTER`
seconds after its click is stuck; it is given `GIVE_UP` seconds in all before the browser
reloads it, so one stuck page does not hide what the rest of the run shows. A write is lost when
the person pressed Change password and the new password does not sign in afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bench.load import ROOT, TODAY

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "cluster-demo-1"
CODES = ("hs", "ap", "bi", "bj", "cp", "fl", "gw", "lh", "re", "sw", "ti", "tj")
PAGES = ("Home", "The year", "Our requests", "SEND profile", "Finance")
STUCK_AFTER = 10.0  # s after a click: the measure of a stuck page
GIVE_UP = 60.0  # s after a click: the browser reloads the page
POLL_MS = 50  # between the page's own looks at itself
QUIET_MS = 100  # settled this long: not between two messages of one run
# Settled: at the page clicked, with no running indicator and nothing greyed out (stale) left of
# the last run, for QUIET_MS. Checked inside the page, so 20 pages waiting do not each send the
# browser a request every POLL_MS (on 2 cores those round trips took CPU from what is measured).
SETTLED = """([address, quiet]) => {
  const here = location.pathname.replace(/\\/+$/, "") === address;
  const busy = document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]');
  if (!here || busy) { window.__settledSince = null; return false; }
  window.__settledSince ??= performance.now();
  return performance.now() - window.__settledSince >= quiet;
}"""


@dataclass
class Tally:
    """What every browser saw, added up."""

    timings: list[float] = field(default_factory=list)  # ms from click to settled
    by_page: dict[str, list[float]] = field(default_factory=dict)  # the same, page by page
    stuck: list[str] = field(default_factory=list)  # "who: page (what was left)"
    reloaded: list[str] = field(default_factory=list)  # stuck pages that never settled
    errors: list[str] = field(default_factory=list)
    pressed: set[str] = field(default_factory=set)  # people who pressed Change password
    confirmed: set[str] = field(default_factory=set)  # ... and were told "Password changed."
    began: float = field(default_factory=time.perf_counter)  # the run's start: when a page stuck
    signing_in: list[float] = field(default_factory=list)  # s from opening the address to Welcome


def school_users(count: int) -> list[str]:
    users = [f"{kind}.{code}" for code in CODES for kind in ("senco", "head")]
    return users[:count]


def _address(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


async def settle(page: Page, address: str, started: float) -> float | None:
    """Seconds from `started` (a click) until the page at `address` is settled, or None when it
    is still unsettled `GIVE_UP` seconds after the click."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    while (left := GIVE_UP - (time.perf_counter() - started)) > 0:
        try:
            await page.wait_for_function(SETTLED, arg=[address, QUIET_MS], polling=POLL_MS,
                                         timeout=left * 1000)
        except PlaywrightTimeout:
            return None
        except PlaywrightError:  # the page reloaded while it looked: look again
            await asyncio.sleep(POLL_MS / 1000)
            continue
        return time.perf_counter() - started
    return None


async def _what_is_left(page: Page) -> str:
    status = page.get_by_test_id("stStatusWidget")
    words = (await status.inner_text()).strip() if await status.count() else "no indicator"
    stale = await page.locator('[data-stale="true"]').count()
    return f"{words.replace(chr(10), ' ')}, {stale} stale element(s), at {_address(page.url)}"


async def open_page(page: Page, username: str, name: str, tally: Tally) -> None:
    """Clicks `name` in the sidebar and waits for it to settle, counting a stuck page."""
    link = page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=name, exact=True)
    address = _address(str(await link.get_attribute("href")))
    await page.evaluate("window.__settledSince = null")
    started = time.perf_counter()
    await link.click()
    took = await settle(page, address, started)
    if took is not None and took < STUCK_AFTER:
        tally.timings.append(took * 1000)
        tally.by_page.setdefault(name, []).append(took * 1000)
        return
    tally.stuck.append(f"{username}: {name} ({await _what_is_left(page)}; clicked "
                       f"{started - tally.began:.0f} s into the run)")
    if took is None:
        tally.reloaded.append(f"{username}: {name}")
        where = urlsplit(page.url)
        await page.goto(f"{where.scheme}://{where.netloc}{address}")
        await settle(page, address, time.perf_counter())


async def change_password(page: Page, username: str, tally: Tally) -> None:
    from playwright.async_api import expect

    await open_page(page, username, "My account", tally)
    await page.get_by_label("Current password").fill(PASSWORD)
    await page.get_by_label("New password", exact=True).fill(f"{username}-new-pass-1")
    await page.get_by_label("New password again").fill(f"{username}-new-pass-1")
    await page.get_by_role("button", name="Change password").click()
    tally.pressed.add(username)
    await expect(page.get_by_text("Password changed.")).to_be_visible(timeout=GIVE_UP * 1000)
    tally.confirmed.add(username)


async def sign_in(page: Page, url: str, username: str, tally: Tally) -> None:
    from playwright.async_api import expect

    started = time.perf_counter()
    await page.goto(url)
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Welcome,")).to_be_visible(timeout=GIVE_UP * 1000)
    tally.signing_in.append(time.perf_counter() - started)


async def one_person(browser: Browser, url: str, username: str, seconds: float,
                     tally: Tally, everyone: asyncio.Barrier, pause: float = 0.0,
                     first_page: int = 0) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(GIVE_UP * 1000)
    try:
        await sign_in(page, url, username, tally)
    except BaseException:
        await everyone.abort()  # no one waits for a person who never signs in
        raise
    await everyone.wait()
    tally.began = min(tally.began, time.perf_counter())
    deadline = time.monotonic() + seconds  # the time of use starts once everyone is signed in
    step = first_page  # people start on different pages, as a school's staff do
    while time.monotonic() < deadline:
        name = PAGES[step % len(PAGES)]
        step += 1
        await open_page(page, username, name, tally)
        if await page.get_by_test_id("stException").count():
            tally.errors.append(f"{username}: error on {name}")
        await asyncio.sleep(pause)
    await change_password(page, username, tally)
    await context.close()


async def run(url: str, users: list[str], seconds: float, pause: float = 0.0) -> Tally:
    from playwright.async_api import async_playwright

    tally = Tally(began=float("inf"))
    everyone = asyncio.Barrier(len(users))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = await asyncio.gather(*(one_person(browser, url, u, seconds, tally, everyone,
                                                    pause, first_page=n)
                                         for n, u in enumerate(users)), return_exceptions=True)
        tally.errors += [f"{u}: {r!r}"[:300] for u, r in zip(users, results, strict=True)
                         if isinstance(r, BaseException)]
        await browser.close()
    return tally


def lost_writes(database_url: str, users: set[str]) -> list[str]:
    """The people who pressed Change password and whose new password does not sign in."""
    from cluster.core.db import make_engine
    from cluster.people.accounts import sign_in

    engine = make_engine(database_url)
    lost = [u for u in sorted(users) if sign_in(engine, u, f"{u}-new-pass-1").actor is None]
    engine.dispose()
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def report(users: list[str], seconds: float, pause: float, tally: Tally,
           lost: list[str]) -> None:
    if tally.signing_in:
        print(f"signing in, all {len(users)} at once: {len(tally.signing_in)} signed in, from "
              f"opening the address to Welcome median {statistics.median(tally.signing_in):.1f} s, "
              f"max {max(tally.signing_in):.1f} s")
    print(f"{len(users)} browser contexts for {seconds:.0f} s, {pause:g} s on each page: "
          f"{len(tally.timings)} page views settled in time")
    if tally.timings:
        print(f"view time median {statistics.median(tally.timings):.0f} ms, 90th percentile "
              f"{percentile(tally.timings, 0.9):.0f} ms, max {max(tally.timings):.0f} ms")
    for name, times in sorted(tally.by_page.items()):
        stuck = sum(1 for s in tally.stuck if s.split(": ", 1)[1].startswith(f"{name} ("))
        print(f"  {name:<14} {len(times):4} views, median {statistics.median(times):6.0f} ms, "
              f"90th percentile {percentile(times, 0.9):6.0f} ms, {stuck} stuck")
    print(f"stuck pages (not settled {STUCK_AFTER:.0f} s after the click): {len(tally.stuck)}, "
          f"{len(tally.reloaded)} of them not settled after {GIVE_UP:.0f} s"
          + "".join(f"\n  {s}" for s in tally.stuck[:10]))
    print(f"errors: {len(tally.errors)}" + "".join(f"\n  {e}" for e in tally.errors[:10]))
    unconfirmed = sorted(tally.pressed - tally.confirmed)
    print(f"lost writes: {len(lost)} of {len(tally.pressed)} password changes pressed"
          + (f" ({', '.join(lost)})" if lost else "")
          + f"; {len(users) - len(tally.pressed)} never pressed; "
          f"{len(unconfirmed)} pressed but never confirmed on screen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browsers")
    parser.add_argument("--contexts", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds each person spends on a page before the next click")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("CLUSTER_TODAY", TODAY)
    from cluster.core.db import make_engine
    from cluster.core.migrate import upgrade_to_head
    from cluster.demo.seed import seed_if_empty
    from tests.browser.conftest import serve_app

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "people.db"
        url = f"sqlite:///{database}"
        upgrade_to_head(url)
        engine = make_engine(url)
        seed_if_empty(engine)
        engine.dispose()
        users = school_users(arguments.contexts)
        with serve_app(url, Path(folder) / "streamlit.log") as app:
            tally = asyncio.run(run(app, users, arguments.seconds, arguments.pause))
        lost = lost_writes(url, tally.pressed)
        shutil.rmtree(folder, ignore_errors=True)
    report(users, arguments.seconds, arguments.pause, tally, lost)
    problems = tally.errors or tally.stuck or lost or len(tally.pressed) < len(users)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
