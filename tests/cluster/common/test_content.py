"""The toolkit's content: an exemplar agenda for each half-term, how-to guides per role, and the
default terms of reference, all readable and saying what a real cluster needs."""

from __future__ import annotations

import pytest

from cluster.common.calendar import HALF_TERMS
from cluster.common.content import (
    agenda_exemplars,
    all_guides,
    default_terms_of_reference,
    fill_placeholders,
    guide,
    guides_for,
    placeholders_in,
)
from cluster.models import Role
from cluster.reporting.guides import GUIDE_PLACEHOLDERS
from tests.helpers.identifiers import UPN_OR_TEN_DIGITS


def test_one_exemplar_agenda_per_half_term_with_three_funding_rounds() -> None:
    exemplars = agenda_exemplars()
    assert list(exemplars) == list(HALF_TERMS)
    assert {name for name, e in exemplars.items() if e.funding_round} == {
        "Autumn 2", "Spring 1", "Summer 1"}


@pytest.mark.parametrize(("half_term", "must_cover"), [
    ("Autumn 1", ["terms of reference", "release plan", "need matrix", "deadlines",
                  "SEND profile", "Membership"]),
    ("Autumn 2", ["Requests for support for learning", "Reconsiderations", "quorum"]),
    ("Spring 1", ["Requests for support for learning", "Reconsiderations"]),
    ("Spring 2", ["Reviews due", "Impact"]),
    ("Summer 1", ["Requests for support for learning", "Reconsiderations"]),
    ("Summer 2", ["carry-forward", "PSF", "Next year's plan", "SEN information report",
                  "Transitions"]),
])
def test_each_agenda_covers_what_that_meeting_is_for(half_term: str,
                                                     must_cover: list[str]) -> None:
    body = agenda_exemplars()[half_term].body_md
    missing = [topic for topic in must_cover if topic.lower() not in body.lower()]
    assert missing == []


def test_the_guides_cover_the_five_topics_for_the_right_roles() -> None:
    assert guide("writing-a-good-request").roles >= {Role.SCHOOL}
    assert guide("need-score-and-optimiser").roles == frozenset(Role)
    assert guide("running-a-meeting").roles == {Role.HOST}
    assert guide("reviews-and-impact").roles >= {Role.HOST, Role.SCHOOL}
    assert guide("what-governors-should-ask").roles >= {Role.GOVERNOR}
    assert "Worked example" in guide("writing-a-good-request").body_md
    for role in Role:
        assert guides_for(role), role
    assert "running-a-meeting" not in [g.slug for g in guides_for(Role.GOVERNOR)]


def test_guides_use_only_figures_the_service_provides() -> None:
    used = set().union(*(placeholders_in(g.body_md) for g in all_guides()))
    assert used and used <= GUIDE_PLACEHOLDERS


def test_filling_a_guide_keeps_unknown_placeholders_visible() -> None:
    assert fill_placeholders("{{ cluster_name }} and {{mystery}}", {"cluster_name": "X"}) == (
        "X and {{mystery}}")


def test_the_default_terms_say_how_reconsideration_works() -> None:
    terms = default_terms_of_reference()
    assert "reconsidered" in terms
    assert "next funding round whose request deadline has not" in terms
    assert "two weeks before" in terms and "one week before" in terms


def test_no_content_holds_a_pupil_identifier() -> None:
    texts = [e.body_md for e in agenda_exemplars().values()]
    texts += [g.body_md for g in all_guides()] + [default_terms_of_reference()]
    assert [t for t in texts if UPN_OR_TEN_DIGITS.search(t)] == []
