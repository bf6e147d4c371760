"""Consistency across clusters: on the demo LA the model finds the generosity the demo planted,
shows bands of similar requests only where both clusters hold enough, and is the LA adviser's
(a host sees only its own cluster's figure)."""

from __future__ import annotations

import io
import math

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from cluster.core.errors import NotAllowed
from cluster.demo.la_clusters import LA_CLUSTERS
from cluster.disclosure.audit import audit
from cluster.funding.ledger import finance_overview
from cluster.papers.pdf import render_pdf
from cluster.papers.workbook import render_xlsx
from cluster.reporting.moderation import (
    DecidedRequest,
    compare_bands,
    effect_words,
    how_we_compare,
    la_consistency,
    moderation_figures,
    moderation_pack,
)
from tests.helpers.actors import actor


def test_the_model_recovers_each_clusters_planted_generosity(demo_copy: Engine) -> None:
    result = la_consistency(demo_copy, actor(demo_copy, "la.adviser"))
    by_name = {e.cluster_name: e for e in result.effects}
    for planted in LA_CLUSTERS:
        effect = by_name[planted.name].effect
        assert effect is not None and math.copysign(1, effect) == math.copysign(
            1, planted.generosity - 1), (planted.name, effect)
    most = max(LA_CLUSTERS, key=lambda c: c.generosity)
    least = min(LA_CLUSTERS, key=lambda c: c.generosity)
    assert result.effects[0].cluster_name == most.name
    assert result.effects[-1].cluster_name == least.name


def test_the_clearest_differences_are_said_in_plain_words(demo_copy: Engine) -> None:
    result = la_consistency(demo_copy, actor(demo_copy, "la.adviser"))
    least = result.effects[-1]
    assert least.flagged and least.high is not None and least.high < 0
    words = effect_words(least, result.la_average_share)
    assert words.startswith(f"{least.cluster_name} awards about ")
    assert "% less than the LA would expect for the same needs" in words


@pytest.mark.parametrize("username", ["host", "governor", "senco.ap"])
def test_only_the_la_adviser_sees_every_cluster(demo_copy: Engine, username: str) -> None:
    with pytest.raises(NotAllowed):
        la_consistency(demo_copy, actor(demo_copy, username))
    with pytest.raises(NotAllowed):
        moderation_pack(demo_copy, actor(demo_copy, username))


def test_a_host_sees_only_its_own_cluster(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host.bh")
    effect, _ = how_we_compare(demo_copy, host)
    assert effect is not None and effect.cluster_name == "Breckland Heath Cluster"
    assert finance_overview(demo_copy, host).cluster_name == "Breckland Heath Cluster"
    with pytest.raises(NotAllowed, match="your own cluster only"):
        finance_overview(demo_copy, host, cluster_id=actor(demo_copy, "host").cluster_id)


def _requests(cluster_id: int, count: int, share: float) -> list[DecidedRequest]:
    return [DecidedRequest(cluster_id, f"Cluster {cluster_id}", 2025, "individual",
                           "Cognition and learning", 7.0, 200_000, round(200_000 * share))
            for _ in range(count)]


def test_a_band_is_compared_only_where_both_clusters_hold_five() -> None:
    assert compare_bands(_requests(1, 5, 1.0) + _requests(2, 4, 0.5), 1, 2) == []
    [band] = compare_bands(_requests(1, 5, 1.0) + _requests(2, 5, 0.5), 1, 2)
    assert (band.first_requests, band.second_requests) == (5, 5)
    assert band.difference == pytest.approx(0.5)


def test_the_moderation_pack_holds_the_ranking(demo_copy: Engine) -> None:
    pack = moderation_pack(demo_copy, actor(demo_copy, "la.adviser"))
    assert render_pdf(pack).startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(render_xlsx(pack)))
    rows = list(workbook["Clusters ranked"].iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Rank"))
    clusters = [row[1] for row in rows[header + 1:]]
    assert clusters[0] == max(LA_CLUSTERS, key=lambda c: c.generosity).name
    assert len(clusters) == len(LA_CLUSTERS) + 1  # and Wensum Valley


def test_a_cluster_with_fewer_than_five_decisions_shows_no_figure() -> None:
    from cluster.reporting.moderation import effect_table, fit_consistency

    result = fit_consistency(_requests(1, 30, 0.9) + _requests(2, 30, 0.6) + _requests(3, 4, 1.0))
    small = result.effect_for(3)
    assert small is not None and small.effect is None and small.average_share is None
    row = next(r for r in effect_table(result).rows if r[1] == "Cluster 3")
    assert [cell.text for cell in row[2:6]] == ["hidden"] * 4  # type: ignore[union-attr]


def test_the_consistency_tables_give_no_small_cluster_s_count_away(demo_copy: Engine) -> None:
    """Registered for the audit: a cluster's decided requests hidden when 1 to 4, the total of the
    clusters compared and each band's requests; the LA adviser can work none of them out, and no
    other reader sees these tables."""
    figures = moderation_figures(demo_copy, actor(demo_copy, "la.adviser"))
    assert figures.holds() and figures.shown()
    assert audit(figures).failures == ()
    assert moderation_figures(demo_copy, actor(demo_copy, "governor")).figures == {}

