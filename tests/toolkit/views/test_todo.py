"""Every home page shows its reader's to-do list as links to the records, or "Nothing to do"."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cluster.core.clock import TODAY_VARIABLE
from tests.helpers.actors import demo_actor
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.views.test_home_pages import home_for
from toolkit import state
from toolkit.components.todo import NOTHING_TO_DO


def todo_links(at: AppTest) -> list[tuple[str, str]]:
    """(label, address) of each link on the page: AppTest has no page-link type of its own."""
    return [(link.proto.label, f"{link.proto.page}?{link.proto.query_string}")
            for link in at.get("page_link")]


def test_host_home_lists_triage_reviews_and_minutes_as_links(demo_database: str) -> None:
    links = dict(todo_links(home_for(demo_database, "host")))
    assert links["Triage request 91 from Wensum Valley High School: Targeted support: "
                 "communication and interaction"] == "request?request=91"
    assert any(label.startswith("Approve the minutes of the Autumn 2 meeting") for label in links)
    assert any(label.startswith("Chase the review of request 66") for label in links)


def test_school_home_lists_the_reviews_it_owes(demo_database: str) -> None:
    labels = [label for label, _ in todo_links(home_for(demo_database, "senco.hs"))]
    owed = [label for label in labels if label.startswith("Write the review")]
    assert owed[0].startswith("Write the review of request 69") and len(owed) == 2


def test_school_with_nothing_owed_says_so(demo_database: str) -> None:
    at = home_for(demo_database, "senco.ap")
    assert [s.value for s in at.success] == [NOTHING_TO_DO]


@pytest.mark.parametrize("username", ["governor", "la.adviser"])
def test_readers_get_the_papers_to_read_once_they_are_out(
        demo_database: str, username: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert NOTHING_TO_DO in [s.value for s in home_for(demo_database, username).success]
    monkeypatch.setenv(TODAY_VARIABLE, "2027-01-14")
    links = dict(todo_links(home_for(demo_database, username)))
    assert "Read the papers before the Spring 1 meeting on 20/01/2027" in links


def test_a_review_to_do_opens_that_review(demo_database: str) -> None:
    """The school's to-do link (our-reviews?review=110) opens review 110, not the first one."""
    links = dict(todo_links(home_for(demo_database, "senco.hs")))
    address = next(a for label, a in links.items() if "request 77" in label)
    page, query = address.split("?")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[state.ACTOR] = demo_actor(demo_database, "senco.hs")
    at.run()
    at.switch_page(str(ROOT / "toolkit/views/school/reviews.py"))
    at.query_params.update(dict([query.split("=")]))
    at.run()
    assert page == "our-reviews" and not at.exception
    assert at.selectbox(key=state.REVIEW_CHOSEN).value == int(query.split("=")[1])


def test_the_schools_count_of_reviews_owed_matches_its_list(demo_database: str) -> None:
    """Aylsham Road's one review due is drafted already: the count said "1 owed" while the list
    said there was nothing to do."""
    at = home_for(demo_database, "senco.ap")
    figures = {m.label: m.value for m in at.metric}
    assert figures["Reviews we owe for the next meeting"] == "0"
    assert NOTHING_TO_DO in [s.value for s in at.success]
