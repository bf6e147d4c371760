"""Clusters and need (LA adviser): each cluster's pot, awards, unmet need by area, outcomes met and
next meeting; the evidence for a need element in the formula (FAQ 22) — share of the formula pot
beside share of SEN pupils and share of unmet need, across years — and a scenario in which the LA
pays a rate per SEN-support pupil and per EHC plan from the same total."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import AcademicYear, format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds, pence_from_pounds, pounds_figure, whole_pounds
from cluster.common.support_class import (
    CAPACITY_BUILDING,
    EARLY_INTERVENTION,
    FAQ_AIM,
    SUPPORT_CLASSES,
)
from cluster.core.errors import ClusterError
from cluster.disclosure.suppression import (
    HIDDEN_NOTE,
    count_text,
    figure_text,
    percent_text,
)
from cluster.papers.document import Money
from cluster.reporting.la_overview import (
    DEFAULT_EHC_RATE_PENCE,
    DEFAULT_SUPPORT_RATE_PENCE,
    ClusterImpactRow,
    NeedElementView,
    ScenarioLine,
    clusters_impact,
    need_element,
)
from cluster.reporting.needs_led import NeedsLedView, needs_led_across_clusters
from toolkit import state
from toolkit.components.charts import bars, chart_and_table, grouped_bars, lines_over
from toolkit.engine import engine
from toolkit.guard import guard_view

NOTE = HIDDEN_NOTE


def money(pence: int | None) -> Money:
    """An amount in a table: "£1,234" (or "hidden") on screen, a £-formatted number in the
    Excel download."""
    return Money(pence)


def pct(value: float | None) -> str:
    return percent_text(value, 1)


def count(value: int | None) -> str:
    return count_text(value)


def render() -> None:
    actor = guard_view(__file__)
    st.title("Clusters and need")
    st.caption(f"{actor.display_name} · every cluster in the local authority · {NOTE}")
    rows = clusters_impact(engine(), actor)
    if not rows:
        st.info("No clusters are set up yet.")
        return
    _clusters(rows)
    _needs_led(needs_led_across_clusters(engine(), actor))
    left, right = st.columns(2)
    support = left.number_input("Need element: £ per SEN-support pupil", min_value=0, step=10,
                                value=whole_pounds(DEFAULT_SUPPORT_RATE_PENCE),
                                key=state.NEED_SUPPORT_RATE)
    ehc = right.number_input("Need element: £ per EHC plan", min_value=0, step=10,
                             value=whole_pounds(DEFAULT_EHC_RATE_PENCE), key=state.NEED_EHC_RATE)
    try:
        view = need_element(engine(), actor, support_rate_pence=pence_from_pounds(support),
                            ehc_rate_pence=pence_from_pounds(ehc))
    except ClusterError as error:
        st.error(error.message)
        view = need_element(engine(), actor)
    _evidence(view)
    _scenario(view)


def _clusters(rows: list[ClusterImpactRow]) -> None:
    st.subheader("Across clusters, this year")
    table = []
    points = []
    for r in rows:
        row = {"Cluster": r.cluster_name, "Schools": r.schools,
               label("available_short"): money(r.available_pence),
               "Pupils on decided requests": count(r.pupils),
               label("awarded"): money(r.received_pence),
               "Unmet need": money(r.unmet_pence)}
        for area, pence in r.unmet_by_area:
            row[f"Unmet: {area}"] = money(pence)
            if pence is not None:
                points.append({"Cluster": r.cluster_name, "Area of need": str(area),
                               "£": pounds_figure(pence)})
        # Outcomes, not pupils: hidden ones read "hidden"; None is hidden, not "none judged".
        row["Outcomes met (all years)"] = (
            "none judged" if r.outcomes == 0 else figure_text(None) if r.outcomes is None
            else f"{figure_text(r.met)} of {r.outcomes}")
        row["% met"] = pct(r.met_pct)
        row["Next meeting"] = format_date(r.next_meeting_on) or "none booked"
        table.append(row)
    chart_and_table(grouped_bars(points, category="Cluster", value="£", group="Area of need",
                                 value_title="£ unmet need"), table, key="la-clusters",
                    title="Across clusters", notes=[NOTE],
                    caption="Unmet need: asked for and not awarded, by area of need.")


def _needs_led(views: list[NeedsLedView]) -> None:
    """Each cluster's move from hours to needs-led support (FAQ 20-21), year by year."""
    st.subheader("From hours to needs-led support, cluster by cluster")
    table = [{"Cluster": v.cluster_name, "Year": AcademicYear(year).label,
              **{f"{name} %": pct(v.cell(year, name).share) for name in SUPPORT_CLASSES}}
             for v in views for year in v.years]
    points = [{"Cluster": v.cluster_name, "Year": AcademicYear(year).label, "%": share}
              for v in views for year in v.years
              if (share := v.share_of(year, EARLY_INTERVENTION, CAPACITY_BUILDING)) is not None]
    chart_and_table(lines_over(points, x="Year", y="%", series="Cluster",
                               y_title="% early intervention and capacity building"),
                    table, key="la-needs-led", title=FAQ_AIM, notes=[NOTE],
                    caption=f"{FAQ_AIM} Share of each year's money by class of support; a class "
                    "with fewer than 5 awards in a year is hidden. Finance shows one cluster's "
                    "figures in full detail.")


def _evidence(view: NeedElementView) -> None:
    st.subheader("Does the formula follow need?")
    st.markdown("The LA's formula gives each cluster money for pupils on roll and a fixed sum per "
                "school; it does not look at need (FAQ 22). Below, each cluster's share of the "
                "formula beside its share of pupils with SEN and its share of unmet need, year "
                "by year.")
    clusters = [e for e in view.evidence if e.is_cluster]
    table = [{"Year": e.year_label, "Cluster": e.name, "Formula": Money(e.formula_pence),
              "Formula share": pct(e.formula_share), "SEN pupils": count(e.sen_pupils),
              "SEN share": pct(e.sen_share), "Unmet need": money(e.unmet_pence),
              "Unmet share": pct(e.unmet_share)} for e in clusters]
    points = [{"Year": e.year_label, "Measure": f"{e.name}: {m}", "%": v} for e in clusters
              for m, v in (("formula share", e.formula_share), ("SEN share", e.sen_share),
                           ("unmet share", e.unmet_share))]  # a hidden year breaks the line
    chart_and_table(lines_over(points, x="Year", y="%", series="Measure", y_title="% of the LA"),
                    table, key="need-evidence-clusters", title="Formula and need, clusters",
                    notes=[NOTE])
    schools = [e for e in view.evidence
               if not e.is_cluster and e.academic_year == view.academic_year]
    st.markdown(f"**Schools within their cluster, {view.year_label}**")
    table = [{"Cluster": e.cluster_name, "School": e.name, "Formula share": pct(e.formula_share),
              "SEN share": pct(e.sen_share), "Unmet need share": pct(e.unmet_share),
              label("awarded_share"): pct(e.received_share)} for e in schools]
    points = [{"School": e.name, "Share": m, "%": v} for e in schools
              for m, v in (("Formula share", e.formula_share), ("SEN share", e.sen_share),
                           ("Unmet need share", e.unmet_share)) if v is not None]
    chart_and_table(grouped_bars(points, category="School", value="%", group="Share",
                                 value_title="% of the cluster"), table,
                    key="need-evidence-schools", title="Formula and need, schools", notes=[NOTE])
    st.caption("Years: " + ", ".join(AcademicYear(y).label for y in view.years))


def _scenario_rows(lines: tuple[ScenarioLine, ...]) -> list[dict[str, object]]:
    return [{"Cluster": line.cluster_name, **({} if line.is_cluster else {"School": line.name}),
             "Now (formula)": Money(line.now_pence),
             "SEN support": count(line.sen_support), "EHC plans": count(line.ehc_plan),
             "Need element": money(line.need_part_pence),
             "With a need element": money(line.proposed_pence),
             "Change": money(line.change_pence)} for line in lines]


def _scenario(view: NeedElementView) -> None:
    st.subheader(f"Scenario: a need element in the formula, {view.year_label}")
    st.markdown(
        f"The LA pays **{format_pounds(view.support_rate_pence)} per SEN-support pupil** and "
        f"**{format_pounds(view.ehc_rate_pence)} per EHC plan** "
        f"({format_pounds(view.need_element_pence)} in all) out of the same total of "
        f"**{format_pounds(view.total_pence)}**, and shares the rest by today's formula. The total "
        "is unchanged; money follows need."
        + ("" if view.moved_pence is None else
           f" {format_pounds(view.moved_pence)} would move between clusters."))
    points = [{"Cluster": line.name, "£ change": pounds_figure(line.change_pence)}
              for line in view.between_clusters if line.change_pence is not None]
    chart_and_table(bars(points, category="Cluster", value="£ change",
                         value_title="£ more (+) or less (−) than now"),
                    _scenario_rows(view.between_clusters), key="need-scenario-clusters",
                    title="Need element, clusters", notes=[NOTE])
    st.markdown("**If each cluster shared its own pot the same way: its schools**")
    points = [{"School": line.name, "£ change": pounds_figure(line.change_pence)}
              for line in view.within_clusters if line.change_pence is not None]
    chart_and_table(bars(points, category="School", value="£ change",
                         value_title="£ more (+) or less (−) than now"),
                    _scenario_rows(view.within_clusters), key="need-scenario-schools",
                    title="Need element, schools", notes=[NOTE],
                    caption="Within each cluster the total is its formula money, unchanged.")


render()
