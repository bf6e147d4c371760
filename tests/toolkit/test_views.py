"""Every view in the navigation registry, for every role: allowed roles see real data, others are
refused both by the navigation and by the view's own check."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cluster.models import Role
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, DEMO_USER_FOR_ROLE, ROOT
from toolkit import state
from toolkit.registry import VIEWS, View

CASES = [(view, role) for view in VIEWS for role in Role]


def page_text(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts)


def signed_in_app(url: str, role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(url, DEMO_USER_FOR_ROLE[role])
    return at.run()


@pytest.mark.parametrize(("view", "role"), CASES,
                         ids=[f"{v.url_path}-{r}" for v, r in CASES])
def test_view_for_role(view: View, role: str, demo_database: str) -> None:
    at = signed_in_app(demo_database, role)
    if role in view.roles:
        at.switch_page(str(ROOT / view.path)).run()
        assert not at.exception, at.exception
        text = page_text(at)
        assert "Wensum Valley Cluster" in text or DEMO_USER_FOR_ROLE[role] in text, text
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(str(ROOT / view.path))
        direct = AppTest.from_file(str(ROOT / view.path), default_timeout=30)
        direct.session_state[state.ACTOR] = at.session_state[state.ACTOR]
        direct.run()
        assert not direct.exception
        assert [e.value for e in direct.error][0].startswith("This page is for")
        assert "Wensum Valley Cluster" not in page_text(direct)


@pytest.mark.parametrize("view", VIEWS, ids=[v.url_path for v in VIEWS])
def test_view_refuses_a_visitor_who_has_not_signed_in(view: View, demo_database: str) -> None:
    at = AppTest.from_file(str(ROOT / view.path), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Please sign in first."]


def test_sign_in_page_shows_demo_accounts_in_demo_mode_only(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert "cluster-demo-1" in page_text(at)
    monkeypatch.setenv("CLUSTER_MODE", "production")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert "cluster-demo-1" not in page_text(at)
    assert not at.dataframe


def test_signing_in_through_the_form_opens_the_role_home(demo_database: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("governor")
    at.text_input[1].input("cluster-demo-1")
    at.button[0].click().run()
    assert not at.exception
    assert "Wensum Valley Cluster" in page_text(at)
    assert "Awarded to the cluster this year" in page_text(at)


def test_a_wrong_password_shows_an_error(demo_database: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("host")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert "do not match" in at.error[0].value
    assert state.ACTOR not in at.session_state


def test_must_change_password_shows_only_the_account_page(demo_database: str) -> None:
    from dataclasses import replace

    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = replace(demo_actor(demo_database, "senco.ap"),
                                            must_change_password=True)
    at.run()
    assert at.title[0].value == "My account"
    with pytest.raises(ValueError):
        at.switch_page(str(ROOT / "toolkit/views/school/home.py"))


def test_production_mode_with_demo_accounts_refuses_to_start(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_MODE", "production")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.error[0].value.startswith("The toolkit cannot start in production mode yet")
    assert not at.text_input


@pytest.mark.parametrize("query", [{"request": "'; DROP TABLE user; --"}, {"page": "../../etc"},
                                   {"meeting": "99999999999999999999"}, {"x": "\x00\x01"}])
def test_junk_query_parameters_give_a_clean_page(demo_database: str,
                                                 query: dict[str, str]) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    at.session_state[state.ACTOR] = demo_actor(demo_database, "host")
    at.run()
    assert not at.exception
    for view in VIEWS:
        if Role.HOST in view.roles:
            at.switch_page(str(ROOT / view.path)).run()
            assert not at.exception, (view.path, at.exception)
