"""The funding year as the host edits it, the what-if, and the budget position on the demo."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import format_pounds
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.funding.budget import (
    funding_year,
    save_funding_year,
    spread_plan,
    what_if,
)
from cluster.funding.ledger import budget_position, finance_overview
from cluster.models import AuditEvent, Award, Meeting, SupportRequest, TopSlice
from cluster.reporting.home import cluster_headline
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings


def test_the_demo_pot_line_by_line(demo_copy: Engine) -> None:
    view = funding_year(demo_copy, actor(demo_copy, "host"), 2026)
    labels = [line.label for line in view.pot.lines]
    assert labels == [
        "LA formula (pupils × rate + fixed sum per school)", "Carried forward from last year",
        "Share of pupil-tied funding the LA re-distributed",
        "Top-slice: Host's time (one day a week)",
        "Top-slice: Shared speech and language therapist", "Top-slice: Cluster training programme",
        "Emergency reserve (5%)"]
    pupils = sum(s.pupils for s in view.schools)
    assert view.pot.formula_pence == pupils * 2_150 + 12 * 400_000
    assert [line.pence for line in view.pot.lines][1:6] == [
        1_240_000, 310_000, -950_000, -1_400_000, -300_000]
    assert sum(line.pence for line in view.pot.lines) == view.pot.available_pence
    # One definition of the pot: the home page shows the same figure.
    headline = cluster_headline(demo_copy, actor(demo_copy, "host"))
    assert headline.pot_available_pence == view.pot.available_pence
    # The release plan spreads it over the three funding rounds.
    assert [r.half_term for r in view.rounds] == ["Autumn 2", "Spring 1", "Summer 1"]
    assert sum(r.release_pence for r in view.rounds) == view.pot.available_pence


def test_what_if_shows_every_schools_share_and_the_pot_before_saving(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    view = funding_year(demo_copy, host, 2026)
    proposal = replace(view.settings, per_pupil_rate_pence=2_250,
                       top_slices=view.settings.top_slices[:2])
    change = what_if(demo_copy, host, 2026, proposal)
    assert [s.change_pence for s in change.shares] == [s.pupils * 100 for s in view.schools]
    lines = {line.label: (line.now_pence, line.proposed_pence) for line in change.lines}
    assert lines["Top-slice: Cluster training programme"] == (-300_000, None)
    assert change.proposed.available_pence > change.now.available_pence
    assert funding_year(demo_copy, host, 2026).settings == view.settings  # nothing saved


def test_the_host_saves_rates_slices_and_release_plan_together(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    view = funding_year(demo_engine, host, 2026)
    rounds = [r.meeting_id for r in view.rounds]
    proposal = replace(view.settings, per_pupil_rate_pence=2_200, reserve_percent=4.0,
                       top_slices=(("Host's time", 900_000), ("Shared EP days", 500_000)),
                       releases=tuple(zip(rounds, (view.rounds[0].release_pence, 3_000_000,
                                                   2_000_000), strict=True)))
    saved = save_funding_year(demo_engine, host, 2026, proposal, expected_version=view.version,
                              drawn_from=view.drawn_from())
    assert saved.version == view.version + 1
    assert saved.settings == proposal
    # Autumn 2 was held on 11/11/2026: its release stays; the rounds to come take the new plan.
    assert [r.release_pence for r in saved.rounds] == [view.rounds[0].release_pence, 3_000_000,
                                                       2_000_000]
    with Session(demo_engine) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "save_funding_year")).one()
        slices = session.exec(select(TopSlice.label).where(
            TopSlice.funding_year_id == event.entity_id)).all()
    assert sorted(event.changed_fields) == ["per_pupil_rate_pence", "releases", "reserve_percent",
                                            "top_slices"]
    assert event.username == "host"
    assert sorted(slices) == ["Host's time", "Shared EP days"]


def test_a_save_from_a_stale_screen_is_refused_and_says_what_changed(demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    drawn = funding_year(demo_copy, host, 2026)
    save_funding_year(demo_copy, deputy, 2026,
                      replace(drawn.settings, top_slices=drawn.settings.top_slices[:1]),
                      expected_version=drawn.version, drawn_from=drawn.drawn_from())
    with pytest.raises(StaleEdit) as refused:
        save_funding_year(demo_copy, host, 2026,
                          replace(drawn.settings, per_pupil_rate_pence=2_300),
                          expected_version=drawn.version, drawn_from=drawn.drawn_from())
    assert "deputy" in refused.value.message
    assert "top-slices: Host's time (one day a week) £9,500; Shared speech" in refused.value.message
    assert funding_year(demo_copy, host, 2026).settings.per_pupil_rate_pence == 2_150


def test_a_release_plan_beyond_the_money_available_writes_nothing(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    view = funding_year(demo_copy, host, 2026)
    too_much = tuple((r.meeting_id, r.release_pence if r.held else view.pot.available_pence)
                     for r in view.rounds)
    with pytest.raises(InvalidInput, match=r"releases add up to £[\d,]+, more than the "
                                           r"£[\d,]+ available for new awards"):
        save_funding_year(demo_copy, host, 2026,
                          replace(view.settings, releases=too_much, per_pupil_rate_pence=1),
                          expected_version=view.version, drawn_from=view.drawn_from())
    assert funding_year(demo_copy, host, 2026) == view


@pytest.mark.parametrize(("change", "message"), [
    ({"per_pupil_rate_pence": -1}, "rate per pupil: cannot be negative"),
    ({"reserve_percent": 120.0}, "emergency reserve: must be between 0% and 100%"),
    ({"top_slices": (("", 100),)}, "top-slice 1: say what it pays for"),
    ({"top_slices": (("Training", 0),)}, r"top-slice 1 \(Training\): the amount must be more"),
    ({"top_slices": (("Everything", 90_000_000),)}, "top-slices: they take more than the pot"),
])
def test_figures_that_cannot_be_right_are_named(demo_copy: Engine, change: dict[str, object],
                                                message: str) -> None:
    host = actor(demo_copy, "host")
    view = funding_year(demo_copy, host, 2026)
    settings = replace(view.settings, **change)  # type: ignore[arg-type]  # bad values on purpose
    if "top_slices" in change:
        held = {r.meeting_id for r in view.rounds if r.held}
        settings = replace(settings, releases=tuple((r, p if r in held else 0)
                                                    for r, p in settings.releases))
    with pytest.raises(InvalidInput, match=message):
        save_funding_year(demo_copy, host, 2026, settings, expected_version=view.version,
                          drawn_from=view.drawn_from())


def test_a_closed_year_is_read_only(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    closed = funding_year(demo_copy, host, 2025)
    assert closed.read_only
    with pytest.raises(InvalidInput, match="2025/26 is closed and read-only"):
        save_funding_year(demo_copy, host, 2025, closed.settings,
                          expected_version=closed.version, drawn_from=closed.drawn_from())


def test_a_new_year_starts_from_last_years_rates_and_saving_sets_it_up(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    new = funding_year(demo_copy, host, 2027)
    assert not new.exists and new.version == 0
    assert new.settings.per_pupil_rate_pence == 2_150
    assert new.settings.carried_forward_pence == 0 and new.rounds == ()
    saved = save_funding_year(demo_copy, host, 2027, new.settings, expected_version=0,
                              drawn_from=new.drawn_from())
    assert saved.exists and saved.version == 1


@pytest.mark.parametrize("username", ["senco.ap", "governor", "la.adviser"])
def test_only_the_host_edits_or_tries_a_what_if(demo_copy: Engine, username: str) -> None:
    someone = actor(demo_copy, username)
    host_view = funding_year(demo_copy, actor(demo_copy, "host"), 2026)
    with pytest.raises(NotAllowed):
        funding_year(demo_copy, someone, 2026)
    with pytest.raises(NotAllowed):
        what_if(demo_copy, someone, 2026, host_view.settings)
    with pytest.raises(NotAllowed):
        save_funding_year(demo_copy, someone, 2026, host_view.settings,
                          expected_version=host_view.version, drawn_from=host_view.drawn_from())


# --- the budget position --------------------------------------------------------------------------


def this_years_part(amount: int, half_term: str, terms: int) -> int:
    """By hand: a term is two half-terms from the meeting's; the ones before September count."""
    order = ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]
    start = order.index(half_term)
    spans = 2 * terms
    each, extra = divmod(amount, spans)
    return sum(each + (1 if n < extra else 0) for n in range(spans) if start + n < 6)


def test_budget_position_at_each_meeting_of_the_demo_year(demo_copy: Engine) -> None:
    budget = budget_position(demo_copy, actor(demo_copy, "host"), 2026)
    with Session(demo_copy) as session:
        autumn_2 = session.exec(wensum_meetings().where(
            Meeting.academic_year == 2026, Meeting.half_term == "Autumn 2")).one()
        awards = session.exec(select(Award).where(Award.meeting_id == autumn_2.id,
                                                  Award.amount_pence > 0)).all()
        expected = sum(this_years_part(a.amount_pence - a.returned_pence, "Autumn 2", a.terms)
                       for a in awards)
    rows = {r.half_term: r for r in budget.rows}
    assert [r.half_term for r in budget.rows] == ["Autumn 1", "Autumn 2", "Spring 1", "Spring 2",
                                                  "Summer 1", "Summer 2"]
    assert rows["Autumn 2"].awarded_here_pence == expected
    assert rows["Autumn 2"].released_so_far_pence == rows["Autumn 2"].released_here_pence > 0
    assert rows["Summer 1"].released_so_far_pence == budget.available_pence
    assert rows["Summer 2"].still_to_release_pence == 0
    running_on = budget.running_on_pence or 0
    assert running_on > 0  # last year's Summer 1 awards run into this year
    assert rows["Autumn 2"].awarded_so_far_pence == running_on + expected
    assert rows["Autumn 2"].left_to_award_pence == (
        rows["Autumn 2"].released_so_far_pence - running_on - expected)
    assert {r.reserve_pence for r in budget.rows} == {budget.reserve_pence}
    assert rows["Autumn 2"].held and not rows["Spring 1"].held


def test_each_reader_sees_their_own_school_and_the_cluster(demo_copy: Engine) -> None:
    host = finance_overview(demo_copy, actor(demo_copy, "host"), 2026)
    school = finance_overview(demo_copy, actor(demo_copy, "senco.ap"), 2026)
    governor = finance_overview(demo_copy, actor(demo_copy, "governor.ap"), 2026)
    link_governor = finance_overview(demo_copy, actor(demo_copy, "governor"), 2026)
    la = finance_overview(demo_copy, actor(demo_copy, "la.adviser"), 2026)
    assert len(host.shares) == 13 and len(la.shares) == 13
    assert [r.school for r in school.shares] == ["Aylsham Road Primary School", "Cluster"]
    assert [r.school for r in governor.shares] == ["Aylsham Road Primary School", "Cluster"]
    assert [r.school for r in link_governor.shares] == ["Cluster"]
    host_ap = host.shares[0]
    assert school.shares[0] == host_ap  # a school's own people see their figures in full
    assert host_ap.awards is not None and 0 < host_ap.awards < 5
    # The governor sees the same school with its few awards hidden.
    assert governor.shares[0].awards is None and governor.shares[0].received_pence is None
    assert governor.shares[0].formula_pence == host_ap.formula_pence
    assert governor.shares[-1].received_pence == host.shares[-1].received_pence


def test_formula_share_and_need_share_add_up_and_the_gap_is_their_difference(
        demo_copy: Engine) -> None:
    overview = finance_overview(demo_copy, actor(demo_copy, "host"), 2026)
    schools = [r for r in overview.shares if not r.is_cluster]
    assert sum(r.formula_share for r in schools) == pytest.approx(100)
    assert sum(r.need_share or 0 for r in schools) == pytest.approx(100)
    assert sum(r.received_pence or 0 for r in schools) == overview.shares[-1].received_pence
    for r in schools:
        assert r.gap == pytest.approx(r.formula_share - (r.need_share or 0))
    high = next(r for r in schools if r.school == "Wensum Valley High School")
    assert high.gap is not None and high.gap < 0  # the secondary has more need than formula


def test_received_counts_this_years_part_of_each_award(demo_copy: Engine) -> None:
    overview = finance_overview(demo_copy, actor(demo_copy, "host"), 2026)
    budget = budget_position(demo_copy, actor(demo_copy, "host"), 2026)
    assert overview.shares[-1].received_pence == budget.rows[-1].awarded_so_far_pence
    with Session(demo_copy) as session:
        full = session.exec(select(Award.amount_pence).join(
            Meeting, col(Meeting.id) == Award.meeting_id).join(
            SupportRequest, col(SupportRequest.id) == Award.request_id).where(
            Meeting.academic_year == 2026)).all()
    assert overview.shares[-1].received_pence != sum(full)  # parts, not whole awards


def test_other_services_read_the_same_budget_in_their_own_session(demo_copy: Engine) -> None:
    from cluster.funding.ledger import year_ledger

    shown = budget_position(demo_copy, actor(demo_copy, "host"), 2026)
    with Session(demo_copy) as session:
        full = year_ledger(session, 1, 2026)
    assert [p.left_to_award_pence for p in full.rounds] == [
        r.left_to_award_pence for r in shown.rows]


# --- the past is frozen: a held round's release never changes ------------------------------------


def test_spreading_evenly_keeps_a_held_rounds_release_and_spreads_the_rest(demo_engine: Engine
                                                                            ) -> None:
    host = actor(demo_engine, "host")
    view = funding_year(demo_engine, host, 2026)
    held = [r for r in view.rounds if r.held]
    assert [r.half_term for r in held] == ["Autumn 2"]  # held on 11/11/2026; today 23/11/2026
    spread = dict(spread_plan(view, view.settings).releases)
    assert spread[held[0].meeting_id] == held[0].release_pence
    to_come = [spread[r.meeting_id] for r in view.rounds if not r.held]
    assert max(to_come) - min(to_come) <= 100  # whole pounds, evenly
    assert sum(spread.values()) <= view.pot.available_pence
    saved = save_funding_year(demo_engine, host, 2026, spread_plan(view, view.settings),
                              expected_version=view.version, drawn_from=view.drawn_from())
    assert next(r for r in saved.rounds if r.held).release_pence == held[0].release_pence


def test_a_held_rounds_release_is_refused_and_show_what_changes_says_so_first(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    view = funding_year(demo_engine, host, 2026)
    autumn = next(r for r in view.rounds if r.held)
    rewritten = tuple((r.meeting_id, r.release_pence - 100_000 if r.held else r.release_pence)
                      for r in view.rounds)
    proposed = replace(view.settings, releases=rewritten)
    preview = what_if(demo_engine, host, 2026, proposed)
    line = next(r for r in preview.releases if r.held)
    assert (line.now_pence, line.proposed_pence) == (autumn.release_pence,
                                                     autumn.release_pence - 100_000)
    words = (f"the round was held on 11/11/2026 with {format_pounds(autumn.release_pence)} "
             "released; a held round's release stays as it was")
    assert preview.refusals == (("release plan (Autumn 2 funding round)", words),)
    with pytest.raises(InvalidInput, match="a held round's release stays as it was"):
        save_funding_year(demo_engine, host, 2026, proposed, expected_version=view.version,
                          drawn_from=view.drawn_from())
    assert funding_year(demo_engine, host, 2026) == view


def test_lowering_carry_forward_below_the_releases_is_shown_before_the_save_refuses_it(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    view = funding_year(demo_copy, host, 2026)
    planned = sum(pence for _, pence in view.settings.releases)
    lower = replace(view.settings, carried_forward_pence=view.settings.carried_forward_pence
                    - (view.pot.available_pence - planned) - 500_000)
    preview = what_if(demo_copy, host, 2026, lower)
    assert preview.refusals and "pounds" not in preview.refusals[0][1]
    assert preview.refusals[0][1].startswith(f"releases add up to {format_pounds(planned)}, "
                                             "more than the £")
    with pytest.raises(InvalidInput) as refused:
        save_funding_year(demo_copy, host, 2026, lower, expected_version=view.version,
                          drawn_from=view.drawn_from())
    assert refused.value.problem == preview.refusals[0][1]
