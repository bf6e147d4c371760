"""Finance's figures for the disclosure audit: what the schools received never gives away the
urgent awards from the reserve that the budget position leaves out."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.disclosure.audit import audit
from cluster.disclosure.figures import Figure, FigureSet
from cluster.disclosure.suppression import is_small, suppress_running
from cluster.funding.budget import (
    Scope,
    load_funding_year,
    received_parts,
    released_runs,
    urgent_parts,
)
from cluster.funding.finance_figures import URGENT_FIGURE, finance_name, received_figures
from cluster.funding.release import part_in_year
from tests.helpers.random_clusters import FROM_YEAR, random_awards


@pytest.mark.parametrize("seed", range(10))
def test_no_reader_works_out_a_random_cluster_s_urgent_awards(demo_copy: Engine,
                                                              seed: int) -> None:
    with Session(demo_copy) as session:
        view = load_funding_year(session, 1, FROM_YEAR)
    school_ids = [s.school_id for s in view.schools]
    awards = random_awards(seed, school_ids)
    readers = [(None, True), (None, False), (school_ids[seed % len(school_ids)], False)]
    urgent = finance_name(FROM_YEAR, URGENT_FIGURE)
    for own_school, all_schools in readers:
        figures = FigureSet()
        parts = [part for run in released_runs(awards) if (part := part_in_year(run, FROM_YEAR))]
        released = sum(parts)
        figures.add(Figure("awarded so far", released, "money"))
        scope = Scope(1, "Cluster", "LA", own_school, all_schools, True)
        # The awarded so far is shown, so the received total is its running series one period on.
        urgent_awards = urgent_parts(FROM_YEAR, awards)
        hidden = suppress_running([len(parts), len(urgent_awards)],
                                  [released, sum(urgent_awards)])[1][-1] is None
        received_figures(figures, scope, view, awards, "awarded so far", hidden)
        assert figures.holds()
        assert sum(map(sum, received_parts(view, awards).values())) - released == \
            figures.figures[urgent].value
        result = audit(figures)
        assert result.failures == (), (seed, own_school, all_schools)
        # About 1 to 4 urgent awards, their money is checked (none: nothing to protect).
        checked = urgent in [r.name for r in result.ranges]
        assert checked == is_small(len(urgent_parts(FROM_YEAR, awards)))
