"""Impact and outcomes: the governors' dashboard for the cluster or one school — money received by
school, area of need and kind of provision; outcomes met and cost per outcome met; unmet need;
trends across years — with a written summary at the top and the governors' impact report (PDF
and Word). Figures about fewer than 5 pupils are hidden for every reader: this is what governors
and the public may see."""

from __future__ import annotations

import altair as alt
import streamlit as st

from cluster.common.glossary import label
from cluster.common.money import pounds_figure
from cluster.core.permissions import Actor
from cluster.disclosure.suppression import percent_text, pounds_text
from cluster.models import Role
from cluster.outcomes.dashboard import Dashboard
from cluster.papers.document import Document
from cluster.papers.pdf import PDF_MIME, render_pdf
from cluster.papers.word import DOCX_MIME, render_docx
from cluster.reporting.impact_report import impact_dashboard
from cluster.reporting.needs_led import needs_led_shares
from toolkit import state
from toolkit.components.charts import bars, chart_and_table, display_frame, grouped_bars, lines_over
from toolkit.components.shared import link_to
from toolkit.components.year import choose_academic_year, choose_cluster, guide_link
from toolkit.documents.impact_report import (
    ReportTable,
    file_name,
    impact_report_document,
    report_tables,
)
from toolkit.engine import engine
from toolkit.guard import guard_view

CLUSTER_SCOPE = 0


def render() -> None:
    actor = guard_view(__file__)
    st.title("Impact and outcomes")
    cluster = choose_cluster(actor)
    first = impact_dashboard(engine(), actor, cluster_id=cluster.id)
    school_id, year = _choose(actor, first)
    board = impact_dashboard(engine(), actor, cluster_id=cluster.id, academic_year=year,
                             school_id=school_id)
    st.caption(f"{board.cluster_name} · {board.scope_label} · {board.year_label} · {board.note}")
    _summary(board)
    _downloads(actor, board)
    tables = {table.key: table for table in report_tables(board)}
    _money(board, tables)
    _outcomes(board, tables)
    _trends(board, tables)
    st.divider()
    link_to(actor.role, "sen-information-report", "The SEN information report extract for parents")
    guide_link(actor, "what-governors-should-ask", "What governors should ask")


def _choose(actor: Actor, board: Dashboard) -> tuple[int | None, int]:
    left, right = st.columns(2)
    options = [CLUSTER_SCOPE] + [school_id for school_id, _ in board.schools]
    names = dict(board.schools)
    own = actor.school_id if actor.role in (Role.SCHOOL, Role.GOVERNOR) else None
    default = options.index(own) if own in options else 0
    chosen = left.selectbox("The cluster or one school", options, index=default,
                            format_func=lambda s: "The whole cluster" if s == CLUSTER_SCOPE
                            else names[s], key=state.IMPACT_SCOPE)
    year = choose_academic_year(board.years, default=board.academic_year, key=state.IMPACT_YEAR,
                                where=right)
    return (None if chosen == CLUSTER_SCOPE else chosen), year


def _summary(board: Dashboard) -> None:
    st.subheader("In a minute")
    st.markdown("\n".join(f"- {line}" for line in board.summary))
    total = board.school_row if board.school_id is not None else board.total
    outcomes = board.outcomes_total
    first, second, third, fourth = st.columns(4)
    first.metric(label("awarded_in_year", year=board.year_label),
                 _money_text(total.received_pence if total else 0))
    second.metric("Unmet need", _money_text(total.unmet_pence if total else 0))
    third.metric(label("outcomes_met"), "none judged yet" if outcomes is None or
                 outcomes.outcomes == 0 else percent_text(outcomes.met_pct))
    # None is a hidden count of outcomes, not "none yet".
    fourth.metric(label("cost_per_outcome_met"),
                  "none yet" if outcomes is None or outcomes.outcomes == 0
                  else _money_text(outcomes.cost_per_met_pence))


def _money_text(pence: int | None) -> str:
    return pounds_text(pence)


def _downloads(actor: Actor, board: Dashboard) -> None:
    left, right = st.columns(2)

    # Made when asked for: building both documents on every change of a filter took longer
    # than the rest of the page.
    def report() -> Document:
        return impact_report_document(board, needs_led_shares(
            engine(), actor, board.cluster_id, published=True))

    left.download_button("Download the impact report (PDF)",
                         data=lambda: render_pdf(report()),
                         file_name=file_name(board, "pdf"), mime=PDF_MIME,
                         icon=":material/picture_as_pdf:", key="impact-report-pdf",
                         on_click="ignore")
    right.download_button("Download the impact report (Word)",
                          data=lambda: render_docx(report()),
                          file_name=file_name(board, "docx"),
                          mime=DOCX_MIME, icon=":material/description:", key="impact-report-docx",
                          on_click="ignore")


def _show(table: ReportTable, chart: alt.Chart | None, board: Dashboard) -> None:
    st.markdown(f"**{table.title}**")
    chart_and_table(chart, list(table.rows), key=f"{table.key}-{board.academic_year}",
                    title=table.title[:31], notes=[board.note], caption=table.caption or None)


def _money(board: Dashboard, tables: dict[str, ReportTable]) -> None:
    st.subheader(label("awarded_money"))
    measures = []
    source = board.by_school if board.school_id is None else board.by_area
    category = "School" if board.school_id is None else "Area of need"
    for row in (r for r in source if not r.is_total):
        for measure, pence in ((label("awarded"), row.received_pence),
                               ("Unmet need", row.unmet_pence)):
            if pence is not None:
                measures.append({category: str(row.label), "Measure": measure,
                                 "£": pounds_figure(pence)})
    if board.school_id is None:
        _show(tables["by-school"], grouped_bars(measures, category=category, value="£",
                                                group="Measure", value_title="£"), board)
    else:
        table = tables["by-school"]
        st.markdown(f"**{table.title}**")
        st.dataframe(display_frame(list(table.rows)), hide_index=True, width="stretch")
        st.caption(table.caption)
    area_points = [{"Area of need": str(r.label), "Measure": m, "£": pounds_figure(p)}
                   for r in board.by_area if not r.is_total
                   for m, p in ((label("awarded"), r.received_pence), ("Unmet need", r.unmet_pence))
                   if p is not None]
    _show(tables["by-area"], grouped_bars(area_points, category="Area of need", value="£",
                                          group="Measure", value_title="£"), board)
    kind_points = [{"Kind of provision": str(r.label), "£": pounds_figure(r.received_pence)}
                   for r in board.by_kind if not r.is_total and r.received_pence is not None]
    _show(tables["by-kind"], bars(kind_points, category="Kind of provision", value="£",
                                  value_title=label("awarded_pounds")), board)


def _outcomes(board: Dashboard, tables: dict[str, ReportTable]) -> None:
    st.subheader(label("outcomes_met_cost"))
    st.caption("An outcome is something a child can do that they could not do before. Each is "
               "judged when the award ends: exceeded, met, partly met or not met.")
    for key, rows, category in (("outcomes-kind", board.outcomes_by_kind, "Kind of provision"),
                                ("outcomes-area", board.outcomes_by_area, "Area of need"),
                                ("outcomes-school", board.outcomes_by_school, "School")):
        points = [{category: str(r.label), label("met_percent"): r.met_pct} for r in rows
                  if r.met_pct is not None]
        _show(tables[key], bars(points, category=category, value=label("met_percent"),
                                value_title="% of outcomes met or exceeded"), board)


def _trends(board: Dashboard, tables: dict[str, ReportTable]) -> None:
    st.subheader("Trends across years")
    labels = [r.year_label for r in board.trends]
    # A hidden year stays in as a gap: its line breaks there (toolkit/components/charts.py).
    points = [{"Year": r.year_label, "Measure": m, "£": None if p is None else pounds_figure(p)}
              for r in board.trends
              for m, p in ((label("awarded"), r.received_pence), ("Unmet need", r.unmet_pence))]
    _show(tables["trends"], lines_over(points, x="Year", y="£", series="Measure", y_title="£",
                                       x_sort=labels), board)
    area_points = [{"Year": r.year_label, "Area of need": str(r.area),
                    "£": None if r.received_pence is None else pounds_figure(r.received_pence)}
                   for r in board.area_trends]
    area_rows = [{"Year": r.year_label, "Area of need": str(r.area),
                  label("awarded"): _money_text(r.received_pence),
                  "Unmet need": _money_text(r.unmet_pence)} for r in board.area_trends]
    whose = " (the cluster)" if board.school_id is not None else ""
    st.markdown("**" + label("awarded_by_area") + whose + "**")
    chart_and_table(lines_over(area_points, x="Year", y="£", series="Area of need",
                               y_title=label("awarded_pounds"), x_sort=labels),
                    area_rows, key=f"area-trends-{board.academic_year}",
                    title="By area, year by year", notes=[board.note])


render()
