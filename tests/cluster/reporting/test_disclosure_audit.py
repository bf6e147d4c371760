"""The audit of the live data: nothing a governor or the LA adviser sees gives a hidden figure
away, and the figures audited are the figures the pages show."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.core.errors import NotAllowed
from cluster.funding.budget import CLUSTER_ROW
from cluster.funding.finance_figures import URGENT_FIGURE, finance_figures, finance_name
from cluster.funding.ledger import budget_position, finance_overview
from cluster.funding.protected import psf_forecast, psf_forecast_figures
from cluster.funding.protected_figures import figure_name
from cluster.meetings.context import meetings_of
from cluster.meetings.minutes_figures import minutes_figures
from cluster.meetings.minutes_year import minutes_name
from cluster.meetings.papers import governors_minutes
from cluster.meetings.urgent import agree_urgent_decision, propose_urgent_decision
from cluster.reporting.disclosure_audit import audit_for_host, audit_reader, reader_figures
from tests.cluster.meetings.test_urgent import candidate
from tests.helpers.actors import actor

READERS = ("governor", "governor.ap", "la.adviser")


@pytest.mark.parametrize("username", READERS)
def test_nothing_hidden_can_be_worked_out_by_the_demo_readers(demo_copy: Engine,
                                                              username: str) -> None:
    result = audit_reader(demo_copy, actor(demo_copy, username))
    assert result.checked > 0 and result.hidden > 0 and result.shown > 0
    assert result.failures == ()


@pytest.mark.parametrize("username", READERS)
def test_the_audited_figures_are_the_ones_the_forecast_shows(demo_copy: Engine,
                                                             username: str) -> None:
    reader = actor(demo_copy, username)
    figures = psf_forecast_figures(demo_copy, reader)
    assert figures.holds()  # every relation registered is true of the data
    columns = {"pupils": "pupils_protected", "pounds": "protected_pence",
               "leaving": "pupils_leaving", "released": "released_pence"}
    for row in psf_forecast(demo_copy, reader).rows:
        for column, field in columns.items():
            figure = figures.figures[figure_name(row.academic_year, row.school, column)]
            assert figure.in_view
            assert getattr(row, field) == (figure.value if figure.shown else None)


def test_the_cluster_governor_still_sees_the_cluster_s_first_years(demo_copy: Engine) -> None:
    rows = psf_forecast(demo_copy, actor(demo_copy, "governor")).rows
    first = next(r for r in rows if r.is_cluster)
    assert first.pupils_protected is not None and first.pupils_protected >= 5


def test_the_host_runs_the_audit_for_every_reader_and_others_cannot(demo_copy: Engine) -> None:
    audits = audit_for_host(demo_copy, actor(demo_copy, "host"))
    labels = [a.reader for a in audits]
    assert labels[:2] == ["Cluster governor", "LA adviser"] and len(labels) > 3
    assert all(not a.result.failures for a in audits)
    with pytest.raises(NotAllowed):
        audit_for_host(demo_copy, actor(demo_copy, "governor"))


def _one_urgent_award(engine: Engine) -> int:
    """An urgent award of £1,000 over one term from the reserve: this year's part, in pence."""
    host, deputy = actor(engine, "host"), actor(engine, "deputy")
    proposed = propose_urgent_decision(engine, host, candidate(engine, "Bintree Junior School"),
                                       1000, 1, "Newly arrived pupil with complex needs.")
    agree_urgent_decision(engine, deputy, proposed.id, expected_version=proposed.version)
    return 100_000


@pytest.mark.parametrize("username", READERS)
def test_one_urgent_award_cannot_be_worked_out_from_finance(demo_copy: Engine,
                                                            username: str) -> None:
    # Received this year less the budget's last "awarded so far" is the urgent awards' part.
    urgent = _one_urgent_award(demo_copy)
    reader = actor(demo_copy, username)
    assert finance_figures(demo_copy, reader).holds()
    name = finance_name(2026, URGENT_FIGURE)
    assert reader_figures(demo_copy, reader).figures[name].value == urgent
    result = audit_reader(demo_copy, reader)
    assert name in [r.name for r in result.ranges]
    assert result.failures == ()


@pytest.mark.parametrize("username", READERS)
def test_finance_hides_the_cluster_s_received_this_year_with_one_urgent_award(
        demo_copy: Engine, username: str) -> None:
    reader = actor(demo_copy, username)
    before = finance_overview(demo_copy, reader, 2026).shares[-1]
    assert before.received_pence is not None
    _one_urgent_award(demo_copy)
    shares = finance_overview(demo_copy, reader, 2026).shares
    assert shares[-1].school == CLUSTER_ROW and shares[-1].received_pence is None
    assert all(row.received_share is None for row in shares)
    last = budget_position(demo_copy, reader, 2026).rows[-1]
    assert last.awarded_so_far_pence == before.received_pence  # the budget is unchanged


@pytest.mark.parametrize("username", READERS)
def test_the_audited_finance_figures_are_the_ones_finance_shows(demo_copy: Engine,
                                                                username: str) -> None:
    reader = actor(demo_copy, username)
    figures = finance_figures(demo_copy, reader)
    assert figures.holds()
    for row in finance_overview(demo_copy, reader, 2026).shares:
        figure = figures.figures[finance_name(2026, "received", row.school)]
        assert row.received_pence == (figure.value if figure.shown else None)
    budget = budget_position(demo_copy, reader, 2026)
    shown_so_far = [f.value for n, f in figures.figures.items()
                    if n.endswith("/awarded so far") and f.shown]
    assert shown_so_far == [r.awarded_so_far_pence for r in budget.rows
                            if r.awarded_so_far_pence is not None]


def test_the_audited_minutes_figures_are_the_ones_the_governors_minutes_show(
        demo_copy: Engine) -> None:
    reader = actor(demo_copy, "governor")
    figures = minutes_figures(demo_copy, reader)
    assert figures.holds() and figures.shown()
    opened = 0
    with Session(demo_copy) as session:
        meeting_ids = [m.id or 0 for m in meetings_of(session, reader.cluster_id or 0)]
    for meeting_id in meeting_ids:
        name = minutes_name(meeting_id, "urgent decisions")
        if name not in figures.figures:
            continue
        opened += 1
        paper = governors_minutes(demo_copy, reader, meeting_id)
        total = figures.figures[minutes_name(meeting_id, "all/money")]
        assert paper.total.first_pence == (total.value if total.shown else None)
        for i, line in enumerate(paper.decisions):
            pupils = figures.figures[minutes_name(meeting_id, f"{i}/pupils")]
            assert line.pupils == (pupils.value if pupils.shown else None)
    assert opened > 1
