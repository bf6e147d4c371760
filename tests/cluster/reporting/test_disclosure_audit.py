"""The audit of the live data: nothing a governor or the LA adviser sees gives a hidden figure
away, and the figures audited are the figures the pages show."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cluster.core.errors import NotAllowed
from cluster.funding.protected import psf_forecast, psf_forecast_figures
from cluster.funding.protected_figures import figure_name
from cluster.reporting.disclosure_audit import audit_for_host, audit_reader
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
