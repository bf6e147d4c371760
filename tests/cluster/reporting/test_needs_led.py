"""From hours to needs-led support: shares of money by class, year by year, as each reader may see
them; the demo story's move towards early intervention; the host's audited correction."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.support_class import (
    EARLY_INTERVENTION,
    EQUIPMENT,
    INDIVIDUAL_HOURS,
    SUPPORT_CLASSES,
)
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent
from cluster.reporting.needs_led import (
    ClassedAward,
    awards_to_classify,
    class_shares,
    correct_support_class,
    needs_led_across_clusters,
    needs_led_shares,
)
from tests.helpers.actors import actor


def award(n: int, year: int, name: str, pence: int = 100_000) -> ClassedAward:
    return ClassedAward(n, n, "Support", year, "Autumn 2", "", name, False, pence, 1)


def test_a_class_year_cell_of_fewer_than_5_awards_is_hidden_with_one_that_would_reveal_it(
        ) -> None:
    awards = ([award(n, 2025, INDIVIDUAL_HOURS) for n in range(6)]
              + [award(10 + n, 2025, EARLY_INTERVENTION) for n in range(6)]
              + [award(20, 2025, EQUIPMENT)])
    _, cells, totals = class_shares(awards, suppress=True)
    shown = {c.support_class: c for c in cells}
    assert shown[EQUIPMENT].share is None and shown[EQUIPMENT].pence is None
    # Equipment's share would be 100% less the others: a second class is hidden with it.
    assert sum(1 for c in cells if c.share is None and c.support_class != EQUIPMENT) >= 1
    assert totals == (1_300_000,)
    _, open_cells, _ = class_shares(awards, suppress=False)
    assert {c.support_class: round(c.share or 0) for c in open_cells}[EQUIPMENT] == 8


def test_the_demo_moves_from_hours_to_early_intervention(demo_copy: Engine) -> None:
    view = needs_led_shares(demo_copy, actor(demo_copy, "host"))
    first, last = view.years[0], view.years[-1]
    assert len(view.years) == 4 and not view.suppressed
    early = [view.share_of(year, EARLY_INTERVENTION) or 0 for year in view.years]
    hours = [view.share_of(year, INDIVIDUAL_HOURS) or 0 for year in view.years]
    assert early[-1] > early[0] + 20 and hours[-1] < hours[0] - 10
    assert view.share_of(first, *SUPPORT_CLASSES) == pytest.approx(100)
    assert view.year_pence[-1] and last == 2026


@pytest.mark.parametrize("username", ["governor", "la.adviser"])
def test_governors_and_the_la_see_shares_with_small_cells_hidden(demo_copy: Engine,
                                                                 username: str) -> None:
    view = needs_led_shares(demo_copy, actor(demo_copy, username))
    assert view.suppressed
    assert all(c.awards is None or c.awards == 0 or c.awards >= 5 for c in view.cells)
    assert all((c.share is None) == (c.awards is None) for c in view.cells)
    assert any(c.share is not None and c.share > 0 for c in view.cells)


def test_the_la_adviser_reads_each_cluster(demo_copy: Engine) -> None:
    adviser = actor(demo_copy, "la.adviser")
    names = {needs_led_shares(demo_copy, adviser, cluster_id).cluster_name
             for cluster_id in range(1, 8)}
    assert len(names) == 7


def test_the_host_corrects_one_awards_class_and_it_is_audited(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    target = next(a for a in awards_to_classify(demo_copy, host)
                  if a.support_class == INDIVIDUAL_HOURS)
    before = needs_led_shares(demo_copy, host)
    saved = correct_support_class(demo_copy, host, target.award_id, EQUIPMENT,
                                  expected_version=target.version)
    assert saved.support_class == EQUIPMENT and saved.corrected
    after = needs_led_shares(demo_copy, host)
    year = target.academic_year
    assert after.cell(year, EQUIPMENT).pence == (before.cell(year, EQUIPMENT).pence or 0) + \
        target.pence
    with Session(demo_copy) as session:
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "correct_support_class")).one()
    assert event.entity_id == target.award_id and event.after == {"support_class": EQUIPMENT}
    with pytest.raises(StaleEdit):
        correct_support_class(demo_copy, host, target.award_id, "",
                              expected_version=target.version)
    back = correct_support_class(demo_copy, host, target.award_id, "",
                                 expected_version=saved.version)
    assert back.support_class == INDIVIDUAL_HOURS and not back.corrected


def test_a_correction_is_refused_for_others_and_for_a_class_not_on_the_list(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    target = awards_to_classify(demo_copy, host)[0]
    with pytest.raises(NotAllowed):
        correct_support_class(demo_copy, actor(demo_copy, "governor"), target.award_id,
                              EQUIPMENT, expected_version=target.version)
    with pytest.raises(InvalidInput, match="must be one of"):
        correct_support_class(demo_copy, host, target.award_id, "Hours",
                              expected_version=target.version)


def test_the_la_adviser_compares_every_cluster_and_no_one_else_may(demo_copy: Engine) -> None:
    views = needs_led_across_clusters(demo_copy, actor(demo_copy, "la.adviser"))
    assert len(views) == 7 and all(v.suppressed for v in views)
    moved = [v for v in views if (v.share_of(v.years[-2], EARLY_INTERVENTION) or 0)
             > (v.share_of(v.years[0], EARLY_INTERVENTION) or 0)]
    assert moved  # the demo story's move shows across the LA
    with pytest.raises(NotAllowed):
        needs_led_across_clusters(demo_copy, actor(demo_copy, "host"))
