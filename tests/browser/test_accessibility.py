"""axe-core on every view each role can open: no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cluster.models import Role
from tests.helpers.browser import PASSWORD, sign_in, wait_for_rerun
from toolkit.registry import views_for

pytestmark = pytest.mark.browser
USERS = {Role.HOST: "host", Role.SCHOOL: "senco.ap", Role.GOVERNOR: "governor",
         Role.LA_ADVISER: "la.adviser"}
BLOCKING = {"serious", "critical"}
# Streamlit's own sidebar menu puts section headings inside its <ul>; that markup is the
# framework's, not ours, so axe checks everything else on the page.
CONTEXT = {"exclude": [['[data-testid="stSidebarNavItems"]']]}


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page, context=CONTEXT)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
            for v in results.response["violations"] if v.get("impact") in BLOCKING]


# Each test walks a handful of one role's views, so a busy machine never runs one test for many
# minutes and the parallel workers share the walk.
VIEWS_A_TEST = 7
WALKS = [pytest.param(role, start, id=f"{role}-{start // VIEWS_A_TEST + 1}")
         for role in USERS for start in range(0, len(views_for(role)), VIEWS_A_TEST)]


@pytest.mark.parametrize(("role", "start"), WALKS)
def test_every_view_of_the_role_passes_axe(page: Page, shared_app_url: str, role: str,
                                           start: int) -> None:
    sign_in(page, shared_app_url, USERS[role], PASSWORD)
    expect(page.get_by_text("Welcome,")).to_be_visible()
    found: dict[str, list[str]] = {}
    for view in views_for(role)[start:start + VIEWS_A_TEST]:
        page.get_by_test_id("stSidebarNavItems").get_by_role(
            "link", name=view.title, exact=True).click()
        if not view.home:
            page.wait_for_url(f"**/{view.url_path}*")
        # The run must have finished drawing: no running indicator, no element left over from
        # the previous page, no widget still loading (axe would judge a half-drawn page).
        wait_for_rerun(page, seconds=60)
        problems = blocking_violations(page)
        if problems:
            found[view.url_path] = problems
    assert found == {}
