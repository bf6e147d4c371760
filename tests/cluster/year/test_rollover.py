from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.meetings.urgent import propose_urgent_decision, urgent_screen
from cluster.models import AuditEvent, Award, FundingYear
from cluster.reporting.home import cluster_headline
from cluster.year.rollover import (
    close_year,
    reopen_year,
    roll_over_year,
    rollover_checklist,
    year_states,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID


def test_past_years_are_read_only_and_the_current_year_open(demo_engine: Engine) -> None:
    states = {s.year_label: s.read_only
              for s in year_states(demo_engine, actor(demo_engine, "host"))}
    assert states == {"2023/24": True, "2024/25": True, "2025/26": True, "2026/27": False}


def test_rolling_over_too_early_is_refused(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="still running: roll over from 01/06/2027"):
        roll_over_year(demo_engine, actor(demo_engine, "host"), 2026)


def test_rollover_closes_the_year_carries_running_awards_and_opens_the_next(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-07-20")
    host = actor(demo_engine, "host")
    checklist = rollover_checklist(demo_engine, host, 2026)
    result = roll_over_year(demo_engine, host, 2026,
                            carried_over={end.key for end in checklist.loose_ends})
    assert (result.closed_year, result.opened_year) == ("2026/27", "2027/28")
    assert result.awards_carried > 0
    assert result.carried_forward_pence > 0
    with Session(demo_engine) as session:
        years = {y.academic_year: y for y in session.exec(select(FundingYear).where(
            FundingYear.cluster_id == host.cluster_id)).all()}
        carried = session.exec(select(Award).where(col(Award.carried_into_year) == 2027)).all()
    assert years[2026].read_only and not years[2027].read_only
    assert years[2027].carried_forward_pence == result.carried_forward_pence
    assert years[2027].per_pupil_rate_pence == years[2026].per_pupil_rate_pence
    assert len(carried) == result.awards_carried
    with pytest.raises(InvalidInput, match="already closed"):
        roll_over_year(demo_engine, host, 2026)


def test_reopening_needs_a_reason_and_is_audited(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    with pytest.raises(InvalidInput, match="Say why"):
        reopen_year(demo_engine, host, 2025, "oops")
    upn = "A" "12345678901" "B"  # UPN-shaped, assembled so no such literal is committed
    with pytest.raises(InvalidInput, match="Reason"):
        reopen_year(demo_engine, host, 2025, f"Correcting the award for pupil {upn}")
    reopen_year(demo_engine, host, 2025, "Correcting a mistyped award amount for the LA return")
    states = {s.year_label: s for s in year_states(demo_engine, host)}
    assert not states["2025/26"].read_only
    assert states["2025/26"].reopened_reason.startswith("Correcting")
    close_year(demo_engine, host, 2025)
    with Session(demo_engine) as session:
        events = [e for e in session.exec(select(AuditEvent)).all() if e.outcome == "ok"]
    assert [e.action for e in events[-2:]] == ["reopen_year", "close_year"]
    assert events[-2].after["reason"] == "(text changed)"  # free text never enters the log


def test_only_the_host_rolls_over(demo_engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        roll_over_year(demo_engine, actor(demo_engine, "senco.ap"), 2025)


def test_every_loose_end_is_listed_with_a_link_and_must_be_resolved_or_carried_over(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's rollover was one click with a request undecided, an urgent proposal waiting for
    its second host, overdue reviews and unapproved minutes outstanding."""
    host = actor(demo_engine, "host")
    request_id = next(c.request_id for c in urgent_screen(demo_engine, host).candidates
                      if c.school_name == "Bintree Junior School")
    proposed = propose_urgent_decision(demo_engine, host, request_id, 1000, 1,
                                       "Newly arrived pupil with complex needs; cannot wait.")
    monkeypatch.setenv("CLUSTER_TODAY", "2027-07-20")
    checklist = rollover_checklist(demo_engine, host, 2026)
    kinds = {end.kind for end in checklist.loose_ends}
    assert {"Request not decided", "Urgent decision open", "Review overdue",
            "Minutes not approved"} <= kinds
    urgent = next(e for e in checklist.loose_ends if e.key == f"urgent:{proposed.id}")
    assert urgent.what == (f"Urgent decision {proposed.id} (request {request_id}) is waiting for "
                           "the second host to agree") and urgent.view == "urgent-decisions"
    request = next(e for e in checklist.loose_ends if e.kind == "Request not decided")
    assert request.view == "request" and request.query == {"request": request.key.split(":")[1]}
    keys = {end.key for end in checklist.loose_ends}
    with pytest.raises(InvalidInput, match=f"{len(keys)} item\\(s\\) of 2026/27 are neither "
                                           "resolved nor carried over"):
        roll_over_year(demo_engine, host, 2026)
    with pytest.raises(InvalidInput, match="1 item\\(s\\) of 2026/27"):
        roll_over_year(demo_engine, host, 2026, carried_over=keys - {urgent.key})
    with Session(demo_engine) as session:
        # The host's own year, Wensum Valley's: the LA's other clusters roll over on their own.
        assert not session.exec(select(FundingYear).where(
            FundingYear.academic_year == 2026, FundingYear.cluster_id == WENSUM_VALLEY_ID)
                                ).one().read_only
    roll_over_year(demo_engine, host, 2026, carried_over=keys)
    with Session(demo_engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "roll_over_year",
                                                      AuditEvent.outcome == "ok")).one()
    kinds_carried = {k: v for k, v in event.after.items() if k.startswith("carried_over_")}
    assert sum(kinds_carried.values()) == len(keys) and kinds_carried["carried_over_urgent"] == 1
    # Home then leads the host into the next year's set-up.
    headline = cluster_headline(demo_engine, host)
    assert headline.next_meeting is None and headline.year_to_set_up == "2027/28"
