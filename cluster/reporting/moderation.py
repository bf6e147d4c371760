"""Consistency (moderation) across the LA's clusters: do similar needs get similar support?

One model is fitted on every decided request in the LA: the award as a share of the ask, from
the need score, the kind of request, the area of need and the cost band, with a fixed effect per
cluster. Each cluster's effect is its fixed effect less the request-weighted average of all the
clusters' fixed effects, so it reads "how much more (or less) of the ask this cluster awards than
the LA would expect for the same needs".

The model is ordinary least squares (statsmodels) with HC3 standard errors. Why OLS: its
coefficients are shares of the ask directly, so an effect of -0.14 means "14 points of the ask
less", which a moderation meeting can read; a fractional logit would need marginal effects to say
the same. Why HC3: a share bounded by 0 and 1, with many awards at exactly 1 or 0, has unequal
variance, and HC3 is the heteroscedasticity-robust error that behaves best at a few hundred
requests. Errors clustered by cluster are not used: the cluster is the fixed effect itself, and
seven-odd clusters are far too few groups for cluster-robust errors.

Small numbers: a cluster with fewer than 5 decided requests has no effect shown; a band of similar
requests is compared only where each cluster holds 5 or more requests in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import share_points
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor, has_role, require
from cluster.disclosure.figures import Figure as AuditFigure
from cluster.disclosure.figures import FigureSet, at_most, total_of
from cluster.disclosure.suppression import SMALL_NUMBER, hide_small
from cluster.models import (
    Award,
    Cluster,
    Decision,
    Meeting,
    RequestKind,
    Role,
    School,
    SupportRequest,
)
from cluster.papers.document import (
    HIDDEN_FIGURE,
    Block,
    Count,
    Document,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
    table,
)

DECIDED: tuple[str, ...] = (Decision.FULL, Decision.PART, Decision.NONE)
# The ask's cost band, in pence: a plain split a meeting recognises.
COST_BANDS: tuple[tuple[int, str], ...] = (
    (150_000, "under £1,500"), (250_000, "£1,500 to £2,499"), (500_000, "£2,500 to £4,999"))
TOP_COST_BAND = "£5,000 or more"
NEED_BAND_SPLIT = 6.5  # need scores run 0-10; two bands keep enough requests in each
BAND_MINIMUM = SMALL_NUMBER  # requests each side before a band of similar requests is compared
CONFIDENCE = 0.95


@dataclass(frozen=True)
class DecidedRequest:
    cluster_id: int
    cluster_name: str
    academic_year: int
    kind: str
    area: str
    need_score: float
    ask_pence: int
    award_pence: int

    @property
    def share(self) -> float:
        return min(1.0, self.award_pence / self.ask_pence)


@dataclass(frozen=True)
class ClusterEffect:
    cluster_id: int
    cluster_name: str
    requests: int
    effect: float | None  # share of the ask above (+) or below (-) the LA's expectation
    low: float | None
    high: float | None
    average_share: float | None  # the cluster's plain average award as a share of the ask

    @property
    def flagged(self) -> bool:
        """True when the 95% interval excludes zero: a difference the data support."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Consistency:
    effects: tuple[ClusterEffect, ...]  # ranked: most generous first
    requests: int
    la_average_share: float
    method: str

    def effect_for(self, cluster_id: int) -> ClusterEffect | None:
        return next((e for e in self.effects if e.cluster_id == cluster_id), None)


@dataclass(frozen=True)
class BandComparison:
    kind: str
    area: str
    need_band: str
    first_requests: int
    first_share: float
    second_requests: int
    second_share: float

    @property
    def difference(self) -> float:
        return self.first_share - self.second_share


METHOD = ("Ordinary least squares (statsmodels) of the award as a share of the ask on the need "
          "score, kind of request, area of need and cost band, with a fixed effect per cluster; "
          "95% intervals from HC3 robust standard errors. A cluster's effect is measured against "
          "the request-weighted average of all clusters.")


# --- reading ----------------------------------------------------------------------------------


def load_decided(session: Session) -> list[DecidedRequest]:
    """Every final decision in the LA on a request with an ask and a need score."""
    rows = session.exec(
        select(Award, SupportRequest, Cluster, Meeting)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(School, col(School.id) == SupportRequest.school_id)
        .join(Cluster, col(Cluster.id) == School.cluster_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(col(Award.decision).in_(DECIDED), col(Award.draft).is_(False),
               SupportRequest.amount_pence > 0, col(SupportRequest.need_score).is_not(None))
    ).all()
    return [DecidedRequest(cluster.id or 0, cluster.name, meeting.academic_year, request.kind,
                           request.main_area, float(request.need_score or 0),
                           request.amount_pence, award.amount_pence)
            for award, request, cluster, meeting in rows]


def cost_band(ask_pence: int) -> str:
    return next((label for limit, label in COST_BANDS if ask_pence < limit), TOP_COST_BAND)


def need_band(score: float) -> str:
    return f"under {NEED_BAND_SPLIT}" if score < NEED_BAND_SPLIT else f"{NEED_BAND_SPLIT} or more"


# --- the model --------------------------------------------------------------------------------


def fit_consistency(requests: Sequence[DecidedRequest]) -> Consistency:
    """Each cluster's effect with its 95% interval, most generous first."""
    counts: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for r in requests:
        counts[r.cluster_id] += 1
        names[r.cluster_id] = r.cluster_name
    shown = sorted(c for c, n in counts.items() if n >= SMALL_NUMBER)
    usable = [r for r in requests if r.cluster_id in shown]
    estimates = _estimates(usable, shown) if len(shown) >= 2 else {}
    effects = [_effect(c, names[c], counts[c], estimates.get(c), usable) for c in counts]
    ranked = sorted(effects, key=lambda e: (e.effect is None, -(e.effect or 0), e.cluster_name))
    average = sum(r.share for r in usable) / len(usable) if usable else 0.0
    return Consistency(tuple(ranked), len(usable), average, METHOD)


def _effect(cluster_id: int, name: str, count: int,
            estimate: tuple[float, float, float] | None,
            usable: Sequence[DecidedRequest]) -> ClusterEffect:
    if count < SMALL_NUMBER or estimate is None:
        return ClusterEffect(cluster_id, name, count, None, None, None, None)
    shares = [r.share for r in usable if r.cluster_id == cluster_id]
    return ClusterEffect(cluster_id, name, count, *estimate, sum(shares) / len(shares))


def _frame(requests: Sequence[DecidedRequest]) -> pd.DataFrame:
    return pd.DataFrame({
        "share": [r.share for r in requests],
        "need": [r.need_score for r in requests],
        "kind": [r.kind for r in requests],
        "area": [r.area for r in requests],
        "band": [cost_band(r.ask_pence) for r in requests],
        "cluster": [f"c{r.cluster_id}" for r in requests],
    })


def _estimates(requests: Sequence[DecidedRequest],
               clusters: Sequence[int]) -> dict[int, tuple[float, float, float]]:
    frame = _frame(requests)
    terms = ["0", "C(cluster)", "need"] + [
        f"C({name})" for name in ("kind", "area", "band") if frame[name].nunique() > 1]
    result = smf.ols("share ~ " + " + ".join(terms), data=frame).fit(cov_type="HC3")
    names = list(result.params.index)
    columns = [names.index(f"C(cluster)[c{c}]") for c in clusters]
    weights = np.array([(frame["cluster"] == f"c{c}").sum() for c in clusters], dtype=float)
    weights /= weights.sum()
    estimates = {}
    for position, cluster_id in enumerate(clusters):
        contrast = np.zeros(len(names))
        contrast[columns] -= weights  # less the LA's weighted average of cluster effects
        contrast[columns[position]] += 1.0
        test = result.t_test(contrast)
        low, high = np.asarray(test.conf_int(alpha=1 - CONFIDENCE))[0]
        estimates[cluster_id] = (float(np.asarray(test.effect)[0]), float(low), float(high))
    return estimates


# --- plain words ------------------------------------------------------------------------------


def effect_words(effect: ClusterEffect, la_average_share: float) -> str:
    """"X awards about 18% less than the LA would expect for the same needs", or why not."""
    if effect.effect is None:
        return f"{effect.cluster_name}: too few decided requests to compare."
    relative = round(100 * abs(effect.effect) / la_average_share) if la_average_share else 0
    points = round(share_points(abs(effect.effect)))
    if not effect.flagged:
        return (f"{effect.cluster_name} awards about what the LA would expect for the same needs "
                "(the difference is within chance).")
    more_or_less = "more" if effect.effect > 0 else "less"
    return (f"{effect.cluster_name} awards about {relative}% {more_or_less} than the LA would "
            f"expect for the same needs ({points} points of the ask).")


# --- bands of similar requests ----------------------------------------------------------------


def compare_bands(requests: Sequence[DecidedRequest], first: int, second: int
                  ) -> list[BandComparison]:
    """Bands of similar requests (kind x area x need band) in which both clusters hold at least
    `BAND_MINIMUM` requests, the widest difference first."""
    shares: dict[tuple[str, str, str], dict[int, list[float]]] = defaultdict(
        lambda: defaultdict(list))
    for r in requests:
        if r.cluster_id in (first, second):
            shares[(r.kind, r.area, need_band(r.need_score))][r.cluster_id].append(r.share)
    bands = []
    for (kind, area, band), by_cluster in shares.items():
        a, b = by_cluster.get(first, []), by_cluster.get(second, [])
        if len(a) >= BAND_MINIMUM and len(b) >= BAND_MINIMUM:
            bands.append(BandComparison(RequestKind.label_of(kind), area, band, len(a),
                                        sum(a) / len(a), len(b), sum(b) / len(b)))
    return sorted(bands, key=lambda c: (-abs(c.difference), c.kind, c.area, c.need_band))


# --- services ---------------------------------------------------------------------------------


def la_consistency(engine: Engine, actor: Actor) -> Consistency:
    """The LA adviser's ranking of every cluster."""
    require(has_role(actor, {Role.LA_ADVISER}))
    with read_session(engine) as session:
        return fit_consistency(load_decided(session))


def la_band_comparison(engine: Engine, actor: Actor, first: int, second: int
                       ) -> list[BandComparison]:
    require(has_role(actor, {Role.LA_ADVISER}))
    with read_session(engine) as session:
        return compare_bands(load_decided(session), first, second)


def how_we_compare(engine: Engine, actor: Actor) -> tuple[ClusterEffect | None, float]:
    """A host's own cluster's effect from the same LA-wide model, and the LA's average share;
    no other cluster's figure."""
    require(has_role(actor, {Role.HOST}))
    if actor.cluster_id is None:
        raise NotAllowed("Your account is not linked to a cluster.")
    with read_session(engine) as session:
        result = fit_consistency(load_decided(session))
    return result.effect_for(actor.cluster_id), result.la_average_share


# --- the figures for the disclosure audit -------------------------------------------------------


def moderation_figures(engine: Engine, actor: Actor,
                       cluster_id: int | None = None) -> FigureSet:
    """The consistency tables' counts as the LA adviser sees them, for the disclosure audit: each
    cluster's decided requests (hidden when 1 to 4), the total of the clusters compared (only
    clusters with 5 or more are in it), and each band's requests, at most its cluster's. Other
    readers do not see these tables. (`cluster_id` is the audited cluster; the LA adviser sees
    every cluster, so it changes nothing here.)"""
    if not has_role(actor, {Role.LA_ADVISER})[0]:
        return FigureSet()
    with read_session(engine) as session:
        decided = load_decided(session)
    result = fit_consistency(decided)
    figures = FigureSet()
    compared = []
    for e in result.effects:
        name = f"moderation/{e.cluster_id}/requests"
        figures.add(AuditFigure(name, e.requests, shown=hide_small(e.requests) is not None))
        if e.effect is not None:
            compared.append(name)
    figures.add(AuditFigure("moderation/requests", result.requests))
    figures.relate(total_of("moderation/requests", compared))
    ranked = [e.cluster_id for e in result.effects if e.effect is not None]
    if len(ranked) >= 2:
        _register_bands(figures, compare_bands(decided, ranked[0], ranked[-1]),
                        ranked[0], ranked[-1])
    return figures


def _register_bands(figures: FigureSet, bands: Sequence[BandComparison], first: int,
                    second: int) -> None:
    for b in bands:
        band = f"moderation/band/{b.kind}/{b.area}/{b.need_band}"
        for cluster_id, count in ((first, b.first_requests), (second, b.second_requests)):
            name = f"{band}/{cluster_id}"
            figures.add(AuditFigure(name, count))
            figures.relate(at_most(name, f"moderation/{cluster_id}/requests"))


# --- the moderation pack ----------------------------------------------------------------------


def _percent(value: float | None, signed: bool = False) -> Figure:
    if value is None:
        return Figure(None, HIDDEN_FIGURE)
    shown = f"{share_points(value):+.0f}" if signed else f"{share_points(value):.0f}%"
    return Figure(round(share_points(value), 1), shown)


def effect_table(consistency: Consistency) -> Table:
    """The ranked clusters: one table for screen, PDF and workbook."""
    rows = [(str(rank), e.cluster_name, Count(hide_small(e.requests)),
             _percent(e.average_share), _percent(e.effect, signed=True),
             Figure(None, HIDDEN_FIGURE) if e.low is None or e.high is None
             else Figure(None, f"{share_points(e.low):+.0f} to {share_points(e.high):+.0f}"),
             "yes" if e.flagged else "no")
            for rank, e in enumerate(consistency.effects, start=1)]
    return table(("Rank", "Cluster", "Decided requests", "Average share of the ask",
                  "Effect (points of the ask)", "95% interval", "Differs from the LA"),
                 rows, widths=(0.6, 3, 1.2, 1.4, 1.4, 1.6, 1.2), title="Clusters ranked")


def band_table(bands: Sequence[BandComparison], first: str, second: str) -> Table:
    rows = [(b.kind, b.area, b.need_band, Count(b.first_requests), _percent(b.first_share),
             Count(b.second_requests), _percent(b.second_share),
             _percent(b.difference, signed=True)) for b in bands]
    return table(("Kind of request", "Area of need", "Need score", f"{first}: requests",
                  f"{first}: share of ask", f"{second}: requests", f"{second}: share of ask",
                  "Difference (points)"), rows, title="Similar requests")


def moderation_pack(engine: Engine, actor: Actor, first: int | None = None,
                    second: int | None = None) -> Document:
    """The LA's moderation meeting pack: method, ranked clusters in plain words, and the bands
    of similar requests decided differently by two clusters (by default the most and the least
    generous)."""
    require(has_role(actor, {Role.LA_ADVISER}))
    with read_session(engine) as session:
        decided = load_decided(session)
        la = session.exec(select(Cluster.la_name)).first()
    la_name = f"{la} local authority" if la else "The local authority"
    result = fit_consistency(decided)
    ranked = [e for e in result.effects if e.effect is not None]
    blocks: list[Block] = [
        Section("How the clusters compare"), Paragraph(result.method),
        Paragraph(f"{result.requests:,} decided requests; on average the LA awards "
                  f"{share_points(result.la_average_share):.0f}% of what is asked."),
        effect_table(result)]
    blocks += [Paragraph(effect_words(e, result.la_average_share), bullet=True)
               for e in result.effects]
    if len(ranked) >= 2:
        one = first if first is not None else ranked[0].cluster_id
        two = second if second is not None else ranked[-1].cluster_id
        names = {e.cluster_id: e.cluster_name for e in result.effects}
        bands = compare_bands(decided, one, two)
        blocks += [Section("Similar requests decided differently"),
                   Paragraph(f"{names[one]} beside {names[two]}: bands of similar requests "
                             f"(kind x area x need score) where each holds {BAND_MINIMUM} or "
                             "more requests.")]
        blocks.append(band_table(bands, names[one], names[two]) if bands else Paragraph(
            f"No band holds {BAND_MINIMUM} or more requests in both clusters."))
    heading = Heading("Consistency across clusters: moderation pack", la_name,
                      "Every decided request in the local authority", today())
    return Document(heading, tuple(blocks))
