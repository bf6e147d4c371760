"""A real `streamlit run` on a free port with a temporary demo database, driven by Debian's
Chromium.

A test that only reads opens `shared_app_url`: one server on one copy of the demo for the whole
run. A test that changes data opens `app_url`: its own copy of the demo (copied, never re-seeded)
behind its own server, so no test sees another's writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import missing_service
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, SPRING_1_DAY, WAIT, serve_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture
def app_url(request: pytest.FixtureRequest, tmp_path: Path,
            demo_sqlite_file: Path) -> Iterator[str]:
    """Its own copy of the demo; the server's log must hold no traceback when the test ends,
    save the page error a `server_error(pattern)` mark declares."""
    database = tmp_path / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    marker = request.node.get_closest_marker("server_error")
    with serve_app(f"sqlite:///{database}", tmp_path / "streamlit.log",
                   expected_error=marker.args[0] if marker else None) as url:
        yield url


@pytest.fixture
def meeting_day_app_url(tmp_path: Path, demo_sqlite_file: Path) -> Iterator[str]:
    """A copy of the demo served on the Spring 1 round's day (20/01/2027): a meeting records
    attendance and decisions from its date."""
    database = tmp_path / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    with serve_app(f"sqlite:///{database}", tmp_path / "streamlit.log",
                   today=SPRING_1_DAY) as url:
        yield url


@pytest.fixture(scope="session")
def shared_app_url(tmp_path_factory: pytest.TempPathFactory,
                   demo_sqlite_file: Path) -> Iterator[str]:
    """One server for the tests that only read: starting Streamlit costs seconds a test."""
    folder = tmp_path_factory.mktemp("shared-app")
    database = folder / "browser.db"
    shutil.copy(demo_sqlite_file, database)
    with serve_app(f"sqlite:///{database}", folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        missing_service(f"Debian's Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Every expectation waits as long as the slowest rerun of a busy 2-core machine may take,
    # not Playwright's 5 seconds: a wait ends as soon as the app shows what is expected.
    expect.set_options(timeout=WAIT)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT)
    yield opened
    context.close()
