"""Twenty people at once: 20 browser contexts in one headless Chromium use the app for a bounded
time, then each changes its own password (a write). Reports view times and checks that no page
showed an error and no write was lost.

    .venv/bin/python -m bench.browsers              # 20 contexts for 60 s
    .venv/bin/python -m bench.browsers --seconds 15 --contexts 5
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
from pathlib import Path
from typing import TYPE_CHECKING

from bench.load import ROOT, TODAY

if TYPE_CHECKING:
    from playwright.async_api import Browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "cluster-demo-1"
CODES = ("hs", "ap", "bi", "bj", "cp", "fl", "gw", "lh", "re", "sw", "ti", "tj")
PAGES = ("Home", "The year", "Our requests", "SEND profile", "Finance", "Home")


def school_users(count: int) -> list[str]:
    users = [f"{kind}.{code}" for code in CODES for kind in ("senco", "head")]
    return users[:count]


async def one_person(browser: Browser, url: str, username: str, seconds: float,
                     timings: list[float], errors: list[str]) -> None:
    from playwright.async_api import expect

    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(60_000)
    await page.goto(url)
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Welcome,")).to_be_visible(timeout=60_000)
    deadline = time.monotonic() + seconds  # the minute of use starts once signed in
    step = 0
    while time.monotonic() < deadline:
        name = PAGES[step % len(PAGES)]
        step += 1
        started = time.perf_counter()
        await page.get_by_test_id("stSidebarNavItems").get_by_role(
            "link", name=name, exact=True).click()
        await expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)
        await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
        timings.append((time.perf_counter() - started) * 1000)
        if await page.get_by_test_id("stException").count():
            errors.append(f"{username}: error on {name}")
    # A click that lands while the last page is still rerunning is dropped: wait, then retry.
    await expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    for _ in range(3):
        await page.get_by_test_id("stSidebarNavItems").get_by_role("link",
                                                                    name="My account").click()
        try:
            await expect(page.get_by_label("Current password")).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            continue
    await page.get_by_label("Current password").fill(PASSWORD)
    await page.get_by_label("New password", exact=True).fill(f"{username}-new-pass-1")
    await page.get_by_label("New password again").fill(f"{username}-new-pass-1")
    await page.get_by_role("button", name="Change password").click()
    await expect(page.get_by_text("Password changed.")).to_be_visible(timeout=60_000)
    await context.close()


async def run(url: str, users: list[str], seconds: float) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        results = await asyncio.gather(*(one_person(browser, url, u, seconds, timings, errors)
                                         for u in users), return_exceptions=True)
        errors += [f"{u}: {r!r}"[:300] for u, r in zip(users, results, strict=True)
                   if isinstance(r, BaseException)]
        await browser.close()
    return timings, errors


def lost_writes(database_url: str, users: list[str]) -> list[str]:
    from cluster.core.db import make_engine
    from cluster.people.accounts import sign_in

    engine = make_engine(database_url)
    lost = [u for u in users if sign_in(engine, u, f"{u}-new-pass-1").actor is None]
    engine.dispose()
    return lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browsers")
    parser.add_argument("--contexts", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
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
            timings, errors = asyncio.run(run(app, users, arguments.seconds))
        lost = lost_writes(url, users)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{len(users)} browser contexts for {arguments.seconds:.0f} s: {len(timings)} page views")
    if timings:
        ordered = sorted(timings)
        print(f"view time median {statistics.median(timings):.0f} ms, 90th percentile "
              f"{ordered[int(0.9 * (len(ordered) - 1))]:.0f} ms, max {ordered[-1]:.0f} ms")
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
    print(f"lost writes: {len(lost)} of {len(users)} password changes" +
          (f" ({', '.join(lost)})" if lost else ""))
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
