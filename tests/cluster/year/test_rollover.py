from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import InvalidInput, NotAllowed
from cluster.models import AuditEvent, Award, FundingYear
from cluster.year.rollover import close_year, reopen_year, roll_over_year, year_states
from tests.helpers.actors import actor


def test_past_years_are_read_only_and_the_current_year_open(demo_engine: Engine) -> None:
    states = {s.label: s.read_only for s in year_states(demo_engine, actor(demo_engine, "host"))}
    assert states == {"2023/24": True, "2024/25": True, "2025/26": True, "2026/27": False}


def test_rolling_over_too_early_is_refused(demo_engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="still running: roll over from 01/06/2027"):
        roll_over_year(demo_engine, actor(demo_engine, "host"), 2026)


def test_rollover_closes_the_year_carries_running_awards_and_opens_the_next(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-07-20")
    host = actor(demo_engine, "host")
    result = roll_over_year(demo_engine, host, 2026)
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
    states = {s.label: s for s in year_states(demo_engine, host)}
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
