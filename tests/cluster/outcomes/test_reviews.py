"""Reviews: review points, overdue reviews on the next agenda, the school's draft, the meeting's
confirmation, and unspent money coming back — safely when two saves race."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

import cluster.funding.payments as payments
import cluster.outcomes.reviews as reviews
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.core.permissions import Actor
from cluster.funding.budget import cluster_awards
from cluster.funding.ledger import AwardReturn, left_to_award_this_year
from cluster.models import (
    AuditEvent,
    Award,
    Instalment,
    Meeting,
    RequestOutcome,
    Review,
    School,
    SupportRequest,
    User,
)
from cluster.outcomes.reviews import (
    OutcomeProgress,
    ReviewDraft,
    confirm_review,
    draft_review,
    open_reviews,
    overdue_reviews,
    review_form,
    reviews_for_meeting,
    schedule_reviews,
)
from cluster.reporting.home import host_attention, school_attention
from tests.helpers.actors import actor
from tests.helpers.demo_la import NEXT_MEETING_ON, TODAY, wensum_meeting_ids

# --- helpers -------------------------------------------------------------------------------------


def award_this_year(engine: Engine) -> tuple[int, str]:
    """An award made at this year's Autumn 2 round (two review points still open) to a school
    other than the host's (the host chairs its reviews), and the username of its SENCO."""
    with Session(engine) as session:
        host_school = session.exec(select(User.school_id).where(User.username == "host")).one()
        award, school = session.exec(
            select(Award, School).join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .join(School, col(School.id) == SupportRequest.school_id)
            .join(Meeting, col(Meeting.id) == Award.meeting_id)
            .where(Meeting.held_on == date(2026, 11, 11), Award.amount_pence > 0,
                   School.id != host_school)
            .order_by(col(Award.id))).first()
        senco = session.exec(select(User).where(User.school_id == school.id,
                                                User.title == "SENCO")).one()
        return award.id, senco.username


def open_review_ids(engine: Engine, award_id: int) -> list[int]:
    with Session(engine) as session:
        return list(session.exec(select(Review.id).where(
            Review.award_id == award_id, col(Review.status).in_(("due", "drafted")))
            .order_by(Review.due_on)).all())


def draft_for(engine: Engine, review_id: int, recommendation: str, spend_pence: int,
              notes: str = "Agreed by the school and the family.") -> ReviewDraft:
    with Session(engine) as session:
        review = session.get(Review, review_id)
        award = session.get(Award, review.award_id)
        outcomes = session.exec(select(RequestOutcome).where(
            RequestOutcome.request_id == award.request_id)).all()
    return ReviewDraft(tuple(OutcomeProgress(o.id, "some", "6 of 10") for o in outcomes),
                       spend_pence, recommendation, notes)


def on_review_meeting_day(engine: Engine, review_id: int) -> date:
    """Moves the clock to the day of the meeting the review is booked at: the meeting confirms
    it from that day (the autouse `pinned_clock` puts the clock back after the test)."""
    with Session(engine) as session:
        review = session.get(Review, review_id)
        assert review is not None and review.meeting_id is not None
        meeting = session.get(Meeting, review.meeting_id)
        assert meeting is not None
        held_on = meeting.held_on
    if held_on > date.fromisoformat(os.environ["CLUSTER_TODAY"]):
        os.environ["CLUSTER_TODAY"] = held_on.isoformat()
    return date.fromisoformat(os.environ["CLUSTER_TODAY"])


def confirm(engine: Engine, host: Actor, review_id: int, draft: ReviewDraft
            ) -> reviews.ConfirmedReview:
    on_review_meeting_day(engine, review_id)
    item = review_form(engine, host, review_id).item
    return confirm_review(engine, host, review_id, expected_version=item.version,
                          drawn_from=item.drawn_from(), changes=draft)


def award_row(engine: Engine, award_id: int) -> Award:
    with Session(engine) as session:
        return session.get(Award, award_id)


def audit_actions(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


# --- review points --------------------------------------------------------------------------------


def test_the_host_books_review_points_on_later_meetings_only(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    award_id, senco = award_this_year(demo_copy)
    items = schedule_reviews(demo_copy, host, award_id)
    # The default points: Summer 1 2027 (halfway) is new; Autumn 1 2027 is not set up yet.
    assert sorted(i.due_on for i in items) == [date(2027, 3, 3), date(2027, 5, 5),
                                               date(2027, 6, 16)]
    assert audit_actions(demo_copy, "book_review_points")
    with Session(demo_copy) as session:
        earlier = session.exec(wensum_meeting_ids().where(
            Meeting.held_on == date(2026, 9, 16))).one()
    with pytest.raises(InvalidInput, match="later meeting"):
        schedule_reviews(demo_copy, host, award_id, [earlier])
    with pytest.raises(NotAllowed):
        schedule_reviews(demo_copy, actor(demo_copy, senco), award_id)


# --- overdue, and the next agenda -----------------------------------------------------------------


def test_overdue_reviews_are_flagged_and_put_on_the_next_meetings_agenda(demo_copy: Engine
                                                                        ) -> None:
    host = actor(demo_copy, "host")
    overdue = overdue_reviews(demo_copy, host)
    assert overdue and all(i.overdue and i.due_on < TODAY for i in overdue)
    assert host_attention(demo_copy, host).reviews.overdue == len(overdue)
    following = reviews_for_meeting(demo_copy, host)
    assert following is not None and following.held_on == NEXT_MEETING_ON
    assert {i.review_id for i in following.carried_forward} == {i.review_id for i in overdue}
    assert all(i.due_on == NEXT_MEETING_ON for i in following.booked)
    assert host_attention(demo_copy, host).reviews.due_next_meeting == len(following.booked)
    lines = reviews.agenda_lines(following)
    assert sum("carried forward" in line for line in lines) == len(overdue)
    # A later meeting hears only its own: the overdue ones go to the next meeting, not to every one.
    with Session(demo_copy) as session:
        spring_2 = session.exec(wensum_meeting_ids().where(
            Meeting.held_on == date(2027, 3, 3))).one()
    assert reviews_for_meeting(demo_copy, host, spring_2).carried_forward == ()
    # A school sees its own only.
    school_id = overdue[0].school_id
    with Session(demo_copy) as session:
        senco = session.exec(select(User).where(User.school_id == school_id,
                                                User.title == "SENCO")).one()
    mine = overdue_reviews(demo_copy, actor(demo_copy, senco.username))
    assert mine and {i.school_id for i in mine} == {school_id}
    assert school_attention(demo_copy, actor(demo_copy, senco.username)).reviews_owed.overdue \
        == len(mine)


def test_governors_and_the_la_adviser_cannot_read_reviews(demo_copy: Engine) -> None:
    review_id = overdue_reviews(demo_copy, actor(demo_copy, "host"))[0].review_id
    for username in ("governor", "governor.ap", "la.adviser"):
        someone = actor(demo_copy, username)
        with pytest.raises(NotAllowed):
            open_reviews(demo_copy, someone)
        with pytest.raises(NotAllowed):
            review_form(demo_copy, someone, review_id)


# --- the school drafts ----------------------------------------------------------------------------


def test_a_school_drafts_its_own_review_and_no_other_schools(demo_copy: Engine) -> None:
    award_id, username = award_this_year(demo_copy)
    school = actor(demo_copy, username)
    review_id = open_review_ids(demo_copy, award_id)[0]
    item = review_form(demo_copy, school, review_id).item
    saved = draft_review(demo_copy, school, review_id,
                         draft_for(demo_copy, review_id, "continue", 50_000),
                         expected_version=item.version, drawn_from=item.drawn_from())
    assert (saved.status, saved.progress, saved.spend_to_date_pence) == ("drafted", "some", 50_000)
    form = review_form(demo_copy, school, review_id)
    assert [line.measure_now for line in form.outcomes] == ["6 of 10"]
    assert audit_actions(demo_copy, "draft_review")[-1].after["notes"] == "(text changed)"
    # Someone else's school, and a stale screen, are refused.
    other = actor(demo_copy, "senco.ap" if username != "senco.ap" else "senco.bi")
    with pytest.raises(NotAllowed):
        draft_review(demo_copy, other, review_id, draft_for(demo_copy, review_id, "continue", 0),
                     expected_version=form.item.version, drawn_from=form.item.drawn_from())
    with pytest.raises(StaleEdit, match="spend to date"):
        draft_review(demo_copy, school, review_id, draft_for(demo_copy, review_id, "continue", 0),
                     expected_version=item.version, drawn_from=item.drawn_from())


@pytest.mark.parametrize(("change", "problem"), [
    ({"recommendation": "carry on"}, "Recommendation"),
    ({"spend_to_date_pence": -1}, "cannot be negative"),
    ({"spend_to_date_pence": 10**9}, "cannot be more than the award"),
    ({"notes": ""}, "say what should change"),
    ({"notes": "Pupil A" "12345678901" "B has done well"}, "UPN"),
    ({"outcomes": ()}, "say what progress"),
])
def test_a_draft_that_cannot_be_right_is_refused(demo_copy: Engine, change: dict[str, object],
                                                 problem: str) -> None:
    from dataclasses import replace

    award_id, username = award_this_year(demo_copy)
    school = actor(demo_copy, username)
    review_id = open_review_ids(demo_copy, award_id)[0]
    item = review_form(demo_copy, school, review_id).item
    draft = replace(draft_for(demo_copy, review_id, "adjust", 10_000), **change)  # type: ignore[arg-type]  # bad values on purpose
    with pytest.raises(InvalidInput, match=problem):
        draft_review(demo_copy, school, review_id, draft, expected_version=item.version,
                     drawn_from=item.drawn_from())


# --- the meeting confirms; money comes back -------------------------------------------------------


def test_a_stopped_award_returns_its_unspent_money_to_the_money_left_to_award(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    award_id, _ = award_this_year(demo_engine)
    first, second = open_review_ids(demo_engine, award_id)
    amount = award_row(demo_engine, award_id).amount_pence
    left_before = host_attention(demo_engine, host).not_yet_awarded_pence
    with Session(demo_engine) as session:
        cluster_id = session.exec(select(School.cluster_id)).first()
        budget_before = left_to_award_this_year(session, cluster_id, 2026)
    draft = draft_for(demo_engine, first, "stop", 30_000, "No progress: a different approach.")
    on = on_review_meeting_day(demo_engine, first)
    result = confirm(demo_engine, host, first, draft)
    assert result.award_ended and result.returned_pence == amount - 30_000
    assert result.cancelled_reviews == 1
    award = award_row(demo_engine, award_id)
    assert (award.returned_pence, award.ended_on, award.end_reason) == (
        amount - 30_000, on, "stopped")
    with Session(demo_engine) as session:
        later = session.get(Review, second)
        assert (later.status, later.meeting_id) == ("cancelled", None)
        # The payment schedule stops the instalments still to come; the ones already due stand.
        instalments = session.exec(select(Instalment).where(Instalment.award_id == award_id)).all()
        assert any(i.status == "stopped" for i in instalments)
        assert all((i.status == "stopped") == (i.due_on > on) for i in instalments)
        assert session.get(Review, first).status == "confirmed"
        net = {a.run.meeting_id: a.run.amount_pence
               for a in cluster_awards(session, cluster_id, 2026)
               if a.run.amount_pence == 30_000}
        assert net  # the budget counts the award net of the money returned
        # This year's part of the money returned comes back to this year's money left to award
        # (the award runs into next year too, so next year gets the rest).
        budget_after = left_to_award_this_year(session, cluster_id, 2026)
        assert budget_before < budget_after <= budget_before + amount - 30_000
    left_after = host_attention(demo_engine, host).not_yet_awarded_pence
    assert left_after is not None and left_before is not None
    assert left_before < left_after <= left_before + amount - 30_000
    money = audit_actions(demo_engine, "return_unspent")[-1]
    assert (money.entity, money.entity_id) == ("award", award_id)
    assert (money.before["returned_pence"], money.after["returned_pence"]) == (0, amount - 30_000)
    assert audit_actions(demo_engine, "confirm_review")[-1].entity_id == first
    # A confirmed review cannot be confirmed again.
    with pytest.raises(InvalidInput, match="cannot be changed"):
        confirm(demo_engine, host, first, draft_for(demo_engine, first, "stop", 0))


def test_completing_under_budget_returns_the_rest_and_on_budget_returns_nothing(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    with Session(demo_copy) as session:
        host_school = session.exec(select(User.school_id).where(User.username == "host")).one()
        awards = session.exec(select(Award.id).join(Meeting, col(Meeting.id) == Award.meeting_id)
                              .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
                              .where(Meeting.held_on == date(2026, 11, 11),
                                     Award.amount_pence > 0,
                                     SupportRequest.school_id != host_school)  # the deputy's
                              .order_by(col(Award.id))).all()
    under, exact = awards[0], awards[1]
    amount = award_row(demo_copy, under).amount_pence
    done = confirm(demo_copy, host, open_review_ids(demo_copy, under)[0],
                   draft_for(demo_copy, open_review_ids(demo_copy, under)[0], "complete",
                             amount - 12_300))
    assert (done.returned_pence, award_row(demo_copy, under).end_reason) == (12_300, "completed")
    full = award_row(demo_copy, exact).amount_pence
    review = open_review_ids(demo_copy, exact)[0]
    done = confirm(demo_copy, host, review, draft_for(demo_copy, review, "complete", full))
    assert done.returned_pence == 0 and award_row(demo_copy, exact).returned_pence == 0
    # "Continue" ends nothing and returns nothing.
    third = awards[2]
    review = open_review_ids(demo_copy, third)[0]
    done = confirm(demo_copy, host, review, draft_for(demo_copy, review, "continue", 1_000))
    assert not done.award_ended and award_row(demo_copy, third).ended_on is None


def test_only_the_host_confirms_and_only_a_drafted_review_without_changes(demo_copy: Engine
                                                                          ) -> None:
    award_id, username = award_this_year(demo_copy)
    review_id = open_review_ids(demo_copy, award_id)[0]
    school = actor(demo_copy, username)
    item = review_form(demo_copy, school, review_id).item
    with pytest.raises(NotAllowed):
        confirm_review(demo_copy, school, review_id, expected_version=item.version,
                       drawn_from=item.drawn_from())
    host = actor(demo_copy, "host")
    with pytest.raises(InvalidInput, match="confirmed at the .* meeting from its day"):
        confirm_review(demo_copy, host, review_id, expected_version=item.version,
                       drawn_from=item.drawn_from())
    on_review_meeting_day(demo_copy, review_id)
    with pytest.raises(InvalidInput, match="nothing is drafted"):
        confirm_review(demo_copy, host, review_id, expected_version=item.version,
                       drawn_from=item.drawn_from())


def test_a_race_on_the_award_is_retried_so_the_return_is_neither_lost_nor_doubled(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the meeting confirms a stop, someone else saves the award (its conditions). On
    PostgreSQL the other save really commits in between, so the version check fails at flush; on
    SQLite writers queue (BEGIN IMMEDIATE), so the failed flush is simulated once. Either way the
    confirmation runs again from fresh figures."""
    host = actor(demo_engine, "host")
    award_id, _ = award_this_year(demo_engine)
    review_id = open_review_ids(demo_engine, award_id)[0]
    amount = award_row(demo_engine, award_id).amount_pence
    calls = {"n": 0}
    real = payments.award_return

    def racing(**figures: int) -> AwardReturn:
        calls["n"] += 1
        if calls["n"] == 1:
            if demo_engine.dialect.name == "postgresql":
                with demo_engine.connect() as other:
                    other.execute(text("UPDATE award SET conditions = conditions || ' Amended.', "
                                       "version = version + 1 WHERE id = :id"), {"id": award_id})
                    other.commit()
            else:
                raise StaleDataError("award was changed by another save")
        return real(**figures)

    monkeypatch.setattr(payments, "award_return", racing)
    result = confirm(demo_engine, host, review_id,
                     draft_for(demo_engine, review_id, "stop", 40_000, "Stopped at review."))
    assert calls["n"] == 2
    assert result.returned_pence == amount - 40_000
    award = award_row(demo_engine, award_id)
    assert award.returned_pence == amount - 40_000
    if demo_engine.dialect.name == "postgresql":
        assert award.conditions.endswith("Amended.")  # the other save is kept too
    assert len([e for e in audit_actions(demo_engine, "confirm_review")
                if e.entity_id == review_id]) == 1
    assert len([e for e in audit_actions(demo_engine, "return_unspent")
                if e.entity_id == award_id]) == 1
