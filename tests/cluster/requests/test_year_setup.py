"""The host's rate table, rules and need matrix: per year, audited, stale-safe, and rescoring."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent, SupportRequest
from cluster.requests.costing import StaffRate
from cluster.requests.need_score import NeedMatrix
from cluster.requests.reading import check_request
from cluster.requests.rules import Rules
from cluster.requests.status import save_draft
from cluster.requests.year_setup import (
    save_need_matrix,
    save_request_rules,
    save_staff_rates,
    year_settings,
)
from tests.cluster.requests.conftest import TA, complete_form
from tests.helpers.actors import actor


def test_the_hosts_rates_cost_new_requests(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    settings = year_settings(demo_copy, host, 2026)
    rates = tuple(StaffRate(r.grade, 1_800 if r.grade == TA else r.pence_per_hour,
                            r.is_senco_time) for r in settings.rates)
    save_staff_rates(demo_copy, host, 2026, rates, drawn_from=settings.rates)
    result = check_request(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    assert result.amount_pence == 2 * 38 * 1_800 + 12_000
    with Session(demo_copy) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "save_staff_rates")).one()
    assert event.after == {TA: 1_800}
    with pytest.raises(StaleEdit):
        save_staff_rates(demo_copy, host, 2026, rates, drawn_from=settings.rates)


def test_a_new_year_inherits_the_last_years_settings_until_the_host_changes_them(
        demo_copy: Engine) -> None:
    settings = year_settings(demo_copy, actor(demo_copy, "host"), 2027)
    assert (settings.rates_from_year, settings.rules_from_year, settings.matrix_from_year) == \
        (2026, 2026, 2026)
    assert settings.rules_version is None


def test_a_changed_matrix_rescores_open_requests_only(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    draft = save_draft(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    with Session(demo_copy) as session:
        decided = {r.id: r.need_score for r in session.exec(select(SupportRequest).where(
            SupportRequest.status == "decided")).all()}
    settings = year_settings(demo_copy, host, 2026)
    matrix = replace(settings.matrix, severity_points=2.0)
    saved = save_need_matrix(demo_copy, host, 2026, matrix,
                             expected_version=settings.matrix_version)
    assert saved.rescored >= 9  # the eight waiting requests and this draft, at least
    with Session(demo_copy) as session:
        rescored = session.get(SupportRequest, draft.id)
        assert rescored is not None and rescored.need_score == draft.need_score - 1.5
        assert {r.id: r.need_score for r in session.exec(select(SupportRequest).where(
            SupportRequest.status == "decided")).all()} == decided
    with pytest.raises(StaleEdit):
        save_need_matrix(demo_copy, host, 2026, matrix, expected_version=settings.matrix_version)


def test_only_the_host_changes_the_settings(demo_copy: Engine) -> None:
    senco = actor(demo_copy, "senco.ap")
    settings = year_settings(demo_copy, senco, 2026)
    with pytest.raises(NotAllowed):
        save_request_rules(demo_copy, senco, 2026, Rules(), expected_version=settings.rules_version)
    with pytest.raises(NotAllowed):
        year_settings(demo_copy, actor(demo_copy, "governor"), 2026)


@pytest.mark.parametrize(("call", "message"), [
    (lambda e, h, s: save_request_rules(e, h, 2026, Rules(prerequisites=("astrology",)),
                                        expected_version=s.rules_version),
     "Prerequisites: 'astrology' is not a prerequisite"),
    (lambda e, h, s: save_request_rules(e, h, 2026, Rules(max_requests_per_school_per_meeting=0),
                                        expected_version=s.rules_version),
     "Requests per school per meeting: give 1 to 20"),
    (lambda e, h, s: save_need_matrix(e, h, 2026, NeedMatrix(context_points=-1),
                                      expected_version=s.matrix_version),
     "Context points: must be between 0 and 10"),
    (lambda e, h, s: save_staff_rates(e, h, 2026, (StaffRate(TA, 0),), drawn_from=s.rates),
     "Rate for Teaching assistant (TA): give £0.01 to £500 an hour"),
    (lambda e, h, s: save_staff_rates(e, h, 2026, (StaffRate(TA, 100), StaffRate(TA, 200)),
                                      drawn_from=s.rates),
     "Grade: Teaching assistant (TA) is in the table twice"),
])
def test_bad_settings_name_the_field(demo_copy: Engine, call: object, message: str) -> None:
    host = actor(demo_copy, "host")
    settings = year_settings(demo_copy, host, 2026)
    with pytest.raises(InvalidInput) as refused:
        call(demo_copy, host, settings)  # type: ignore[operator]  # a parametrised service
    assert refused.value.message.startswith(message)
    assert year_settings(demo_copy, host, 2026) == settings
