"""Several app processes share one PostgreSQL database: a write in one is read by the other."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, expect

from cluster.core.db import make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.demo.seed import seed_if_empty
from tests.browser.test_user_admin import choose
from tests.conftest import PG_ADMIN_DSN, missing_service
from tests.helpers.browser import PASSWORD, serve_app, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def shared_postgres() -> Iterator[str]:
    name = f"cluster_two_apps_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        missing_service(f"PostgreSQL is not reachable: {error}")
    url = f"{PG_ADMIN_DSN.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    upgrade_to_head(url)
    engine = make_engine(url)
    seed_if_empty(engine)
    engine.dispose()
    yield url
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_user_created_in_one_app_process_is_seen_in_the_other(
        browser: Browser, shared_postgres: str, tmp_path: Path) -> None:
    with serve_app(shared_postgres, tmp_path / "a.log") as first_url, \
            serve_app(shared_postgres, tmp_path / "b.log") as second_url:
        first = browser.new_context().new_page()
        first.set_default_timeout(30_000)
        sign_in(first, first_url, "host", PASSWORD)
        first.get_by_test_id("stSidebarNavItems").get_by_role("link", name="User accounts").click()
        form = first.get_by_test_id("stForm").first
        form.get_by_label("Name", exact=True).fill("Shared Example")
        form.get_by_label("Username", exact=True).fill("shared.governor")
        choose(first, form.get_by_test_id("stSelectbox").first, "Governor")
        form.get_by_role("button", name="Create account").click()
        expect(first.get_by_text("one-time password")).to_be_visible()

        second = browser.new_context().new_page()
        second.set_default_timeout(30_000)
        sign_in(second, second_url, "deputy", PASSWORD)
        second.get_by_test_id("stSidebarNavItems").get_by_role("link",
                                                               name="User accounts").click()
        expect(second.get_by_role("heading", name="User accounts")).to_be_visible()
        assert second_url != first_url
        second.get_by_role("tab", name="Change an account").click()
        account = second.get_by_label("Account (username)", exact=True)
        account.click()
        second.keyboard.type("shared")
        option = second.get_by_role("option", name="shared.governor", exact=True)
        expect(option).to_be_visible()
