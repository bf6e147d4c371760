"""The one review-point rule: halfway through the award and at the last meeting before it ends,
the halfway review a setting of the cluster's request rules, and the terms saying the same."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.models import Award, Decision, Meeting, Review
from cluster.outcomes.reviews import book_review_points
from cluster.requests.rules import Rules
from cluster.requests.year_setup import save_request_rules, year_settings
from cluster.year.review_points import END_ONLY, HALFWAY_AND_END, LaterMeeting, review_meetings
from cluster.year.terms import terms_of_reference
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings

HALVES = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")
MONTHS = (9, 11, 1, 3, 5, 6)


def meetings_each_half_term(years: list[int]) -> list[LaterMeeting]:
    """One meeting a half-term; its id says when: 100 × year + the half-term's place."""
    return [LaterMeeting(100 * year + i, year, half, date(year + (i >= 2), MONTHS[i], 15))
            for year in years for i, half in enumerate(HALVES)]


def after_autumn_2(years: list[int]) -> list[LaterMeeting]:
    return [m for m in meetings_each_half_term(years) if m.order > (2026, 1)]


def test_an_award_is_reviewed_halfway_through_and_at_the_last_meeting_before_it_ends() -> None:
    # Autumn 2 2026 for three terms runs six half-terms, to Autumn 1 2027.
    assert review_meetings(2026, "Autumn 2", 3, after_autumn_2([2026, 2027])) == [
        2026 * 100 + 4, 2027 * 100]
    # One term (two half-terms): a single review, at its last meeting.
    assert review_meetings(2026, "Autumn 2", 1, after_autumn_2([2026, 2027])) == [2026 * 100 + 2]


def test_the_end_review_waits_until_the_meetings_to_the_end_are_set_up() -> None:
    this_year = after_autumn_2([2026])
    assert review_meetings(2026, "Autumn 2", 3, this_year) == [2026 * 100 + 4]
    assert review_meetings(2026, "Autumn 2", 3, []) == []


def test_with_no_meeting_in_its_last_half_term_the_award_ends_at_the_meeting_before() -> None:
    later = [m for m in after_autumn_2([2026, 2027]) if m.id != 2027 * 100]
    assert review_meetings(2026, "Autumn 2", 3, later) == [2026 * 100 + 4, 2026 * 100 + 5]


def test_a_cluster_without_the_halfway_review_reviews_at_the_end_only() -> None:
    assert review_meetings(2026, "Autumn 2", 3, after_autumn_2([2026, 2027]),
                           halfway=False) == [2027 * 100]


def test_the_setting_changes_the_booked_points_and_the_terms_say_so(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    assert _points_booked_for_a_new_three_term_award(demo_copy) == 2
    terms = terms_of_reference(demo_copy, host, "Reviewed {{ review_points }}.")
    assert terms.shown_md == f"Reviewed {HALFWAY_AND_END}."
    year = 2026
    settings = year_settings(demo_copy, host, year)
    rules = settings.rules
    save_request_rules(demo_copy, host, year,
                       Rules(rules.prerequisites, rules.min_review_cycles,
                             rules.assessment_within_months,
                             rules.max_requests_per_school_per_meeting, halfway_review=False),
                       expected_version=settings.rules_version)
    assert year_settings(demo_copy, host, year).rules.halfway_review is False
    assert terms_of_reference(demo_copy, host, "Reviewed {{ review_points }}.").shown_md == (
        f"Reviewed {END_ONLY}.")
    assert _points_booked_for_a_new_three_term_award(demo_copy) == 1


def _points_booked_for_a_new_three_term_award(engine: Engine) -> int:
    """Books the default points for a new award made at the year's first meeting: a three-term
    award from Autumn 1 runs to Summer 2, so its halfway point (Spring 2) has a meeting of its
    own."""
    with Session(engine) as session:
        first = session.exec(wensum_meetings().where(Meeting.academic_year == 2026)
                             .order_by(col(Meeting.held_on))).first()
        model = session.exec(select(Award)).first()
        assert first is not None and model is not None
        award = Award(request_id=model.request_id, meeting_id=first.id or 0, decision=Decision.FULL,
                      amount_pence=100_00, terms=3, decided_by="Host", decided_on=first.held_on)
        session.add(award)
        session.flush()
        booked = book_review_points(session, award)
        assert all(isinstance(r, Review) for r in booked)
        return len(booked)
