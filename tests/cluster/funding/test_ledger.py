"""One ledger: every screen's figure for a round is the ledger's, and an ended award's return reads
the same on the review and on the payment schedule."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import pence_from_pounds, whole_pounds
from cluster.core import cache
from cluster.core.db import read_session, write_session
from cluster.funding.ledger import (
    LEFT_TO_AWARD,
    MONEY_FOR_ROUND,
    AwardReturn,
    award_return,
    budget_position,
    left_to_award_this_year,
    year_ledger,
)
from cluster.funding.payments import payment_schedule
from cluster.meetings.decisions import meeting_decisions
from cluster.meetings.papers import governors_pack, members_pack
from cluster.meetings.record import meeting_record
from cluster.meetings.split import split_screen
from cluster.models import Award, Instalment, InstalmentStatus, Meeting, Review
from cluster.reporting.home import host_attention
from tests.cluster.outcomes.test_reviews import (
    award_this_year,
    confirm,
    draft_for,
    open_review_ids,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings

# --- the rule for a stopped award's return ---


def test_a_stop_gives_back_the_instalments_stopped_and_the_money_paid_but_not_spent() -> None:
    back = award_return(amount_pence=300_000, paid_pence=100_000, to_come_pence=200_000,
                        spent_pence=60_000, returned_before_pence=0)
    assert back == AwardReturn(stopped_pence=200_000, reclaimed_pence=40_000, kept_pence=0)
    assert back.words() == ("£2,400 goes back to the cluster: £2,000 of instalments stopped and "
                            "£400 paid but not spent reclaimed")


def test_an_award_ended_after_its_last_instalment_with_all_of_it_spent_says_nothing_goes_back(
) -> None:
    # The payment schedule read "£0 goes back to the cluster: £0 of instalments stopped and £0
    # paid but not spent reclaimed".
    back = award_return(amount_pence=261_300, paid_pence=261_300, to_come_pence=0,
                        spent_pence=261_300, returned_before_pence=0)
    assert back.total_pence == 0
    assert back.words() == ("nothing goes back to the cluster, as no instalment was still to come "
                            "and nothing paid is left to reclaim")


def test_money_spent_beyond_the_instalments_paid_is_still_paid_and_named() -> None:
    """The case a user met: the review said "£534 not spent goes back" while the payment schedule
    stopped £678. The school had spent £144 more than it was paid: that much of the instalments to
    come is still paid, so £534 is stopped, and both screens say so."""
    back = award_return(amount_pence=102_000, paid_pence=34_200, to_come_pence=67_800,
                        spent_pence=48_600, returned_before_pence=0)
    assert (back.stopped_pence, back.reclaimed_pence, back.kept_pence) == (53_400, 0, 14_400)
    assert back.total_pence == 102_000 - 48_600  # in all, what was not spent
    assert "£144 of the instalments to come is still paid" in back.words()


def test_money_already_returned_is_not_returned_twice_and_an_unscheduled_award_counts_as_paid(
) -> None:
    back = award_return(amount_pence=300_000, paid_pence=100_000, to_come_pence=200_000,
                        spent_pence=60_000, returned_before_pence=30_000)
    assert back == AwardReturn(200_000, 10_000, 0)
    old = award_return(amount_pence=300_000, paid_pence=0, to_come_pence=0, spent_pence=60_000,
                       returned_before_pence=0, scheduled=False)
    assert old == AwardReturn(0, 240_000, 0)


# --- every screen's "left" for a round is the ledger's ---


def _round_lines(lines: tuple[tuple[str, int | None], ...] | list[tuple[str, int]]
                 ) -> dict[str, int | None]:
    return dict(lines)


def test_every_screen_shows_the_ledgers_figures_for_each_round(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    with Session(demo_copy) as session:
        ledger = year_ledger(session, 1, 2026)
        rounds = session.exec(wensum_meetings().where(
            Meeting.academic_year == 2026, col(Meeting.is_funding_round).is_(True))
            .order_by(col(Meeting.held_on))).all()
        records = {m.id: meeting_record(session, m).budget for m in rounds}
    finance = {row.held_on: row for row in budget_position(demo_copy, host, 2026).rows}
    assert rounds
    for meeting in rounds:
        figures = ledger.round(meeting.id or 0)
        assert figures is not None
        left = figures.left_to_award_pence
        decisions = meeting_decisions(demo_copy, host, meeting.id or 0).budget
        record = records[meeting.id]
        pack = _round_lines(members_pack(demo_copy, host, meeting.id or 0).budget_lines)
        governors = _round_lines(governors_pack(demo_copy, host, meeting.id or 0).budget_lines)
        split = split_screen(demo_copy, host, meeting.id)
        assert decisions is not None and record is not None and split is not None
        shown_left = {
            "Finance": finance[meeting.held_on].left_to_award_pence,
            "Decisions": decisions.left_to_award_pence,
            "Minutes": _round_lines(record.lines())[LEFT_TO_AWARD],
            "Members' pack": pack[LEFT_TO_AWARD],
        }
        assert shown_left == dict.fromkeys(shown_left, left), meeting.half_term
        shown_money = {
            "Decisions": decisions.money_for_round_pence,
            "Members' pack": pack[MONEY_FOR_ROUND],
            "Governors' pack": governors[MONEY_FOR_ROUND],
            "Split": None if split.pot_pounds is None else pence_from_pounds(split.pot_pounds),
        }
        whole = pence_from_pounds(whole_pounds(max(0, figures.money_for_round_pence)))
        assert shown_money == {"Decisions": figures.money_for_round_pence,
                               "Members' pack": figures.money_for_round_pence,
                               "Governors' pack": figures.money_for_round_pence,
                               "Split": whole}, meeting.half_term
        # The two "left" figures, each named, differ by exactly the part running into later years.
        assert figures.left_in_pot_pence + figures.later_years_pence == left
    # The year's figure: the home page, the request form's check and the rollover read one number.
    not_yet = ledger.not_yet_awarded_pence
    assert host_attention(demo_copy, host).not_yet_awarded_pence == not_yet
    with Session(demo_copy) as session:
        assert left_to_award_this_year(session, 1, 2026) == not_yet
    assert ledger.rounds[-1].left_to_award_pence + ledger.unplanned_pence == not_yet


# --- a stopped award reads the same on the review and the payment schedule ---


def test_a_stop_reads_the_same_on_the_review_and_on_the_payment_schedule(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    award_id, _ = award_this_year(demo_copy)
    first = open_review_ids(demo_copy, award_id)[0]
    result = confirm(demo_copy, host, first, draft_for(demo_copy, first, "stop", 30_000,
                                                       "No progress: a different approach."))
    ended = next(e for e in payment_schedule(demo_copy, host).ended if e.award_id == award_id)
    assert ended.money_back.total_pence == result.money_back.total_pence == result.returned_pence
    assert ended.money_back.stopped_pence == result.money_back.stopped_pence
    assert ended.money_back.reclaimed_pence == result.money_back.reclaimed_pence
    assert ended.money_back.words() in result.message
    with Session(demo_copy) as session:
        stopped = sum(session.exec(select(Instalment.amount_pence).where(
            Instalment.award_id == award_id,
            Instalment.status == InstalmentStatus.STOPPED)).all())
    assert stopped == result.money_back.stopped_pence


def test_the_demos_ended_awards_stop_what_their_reviews_say_goes_back(demo_copy: Engine) -> None:
    """The demo's history has awards its reviews ended (one stopped at its first review, some
    completed under budget): what each review gave back is what the payment schedule says came
    back, and its instalments, stopped and paid, still add up to the award."""
    host = actor(demo_copy, "host")
    schedule = payment_schedule(demo_copy, host)
    assert schedule.ended
    with Session(demo_copy) as session:
        for ended in schedule.ended:
            award = session.get(Award, ended.award_id)
            assert award is not None
            reviews = session.exec(select(Review).where(Review.award_id == award.id)).all()
            assert ended.money_back.total_pence == award.returned_pence == sum(
                r.returned_pence for r in reviews)
            planned = sum(session.exec(select(Instalment.amount_pence).where(
                Instalment.award_id == award.id)).all())
            assert planned == award.amount_pence


def test_the_ledger_is_worked_out_once_per_state_of_the_data_and_a_change_shows_at_once(
        demo_copy: Engine) -> None:
    """The decisions screen asks for the year's ledger twice a redraw: the second is remembered,
    and a changed award shows on the next look, never a remembered figure from before it."""
    cache.forget_everything()
    with read_session(demo_copy) as session:
        before = year_ledger(session, 1, 2026)
        assert year_ledger(session, 1, 2026) == before
    assert cache.counts() == {"hits": 1, "misses": 1}
    with write_session(demo_copy) as session:
        award = session.exec(select(Award).join(Meeting, col(Meeting.id) == Award.meeting_id)
                             .where(Meeting.cluster_id == 1, Meeting.academic_year == 2026,
                                    Award.amount_pence > 0, col(Award.from_reserve).is_(False))
                             ).first()
        assert award is not None
        award.amount_pence += 100_000
    with read_session(demo_copy) as session:
        after = year_ledger(session, 1, 2026)
    assert after.awarded_pence > before.awarded_pence  # this year's part of the £1,000 more
