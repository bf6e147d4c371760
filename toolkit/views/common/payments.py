"""Payment schedule (host; a headteacher or SENCO for their own school): each award's equal
instalments, one a term, and the instalments a review stopped."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.funding.ledger import STOPPED
from cluster.funding.payments import instalment_years, payment_schedule
from cluster.papers.document import Day, Money
from cluster.papers.workbook import XLSX_MIME, table_workbook
from cluster.reporting.home import cluster_headline
from toolkit import state
from toolkit.components.charts import display_frame
from toolkit.components.shared import headline_caption
from toolkit.components.year import choose_academic_year, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title("Payment schedule")
    headline_caption(cluster_headline(engine(), actor))
    st.caption("Each award is paid in equal instalments, one for each term it runs, due as the "
               "term starts. A review that stops an award stops the instalments still to come.")
    year = choose_academic_year(instalment_years(engine(), actor), every_year="Every year",
                                label="Academic year the instalment falls in",
                                key=state.PAYMENTS_YEAR)
    schedule = payment_schedule(engine(), actor, academic_year=year or None)
    if not schedule.lines:
        st.info("No instalments fall in this year.")
        return
    st.subheader("By school")
    totals = [{"School": s.school_name, "To be paid": Money(s.scheduled_pence),
               f"Due by {format_date(schedule.today)}": Money(s.due_by_today_pence),
               STOPPED: Money(s.stopped_pence)} for s in schedule.schools]
    st.dataframe(display_frame(totals), hide_index=True, width="stretch")
    if schedule.ended:
        st.subheader("Awards a review ended")
        for ended in schedule.ended:
            st.markdown(f"**Request {ended.request_id}, {ended.school_name}** (ended "
                        f"{format_date(ended.ended_on)}): {ended.money_back.words()}.")
    st.subheader("Every instalment")
    rows = [{"School": line.school_name, "Request": line.request_id, "Title": line.request_title,
             "Instalment": f"{line.number} of {line.of}", "Term starting": line.when,
             "Due": Day(line.due_on), "Amount": Money(line.amount_pence),
             "State": line.state(schedule.today),
             label("why_stopped"): line.stop_reason} for line in schedule.lines]
    # An empty last column pushed the table past a laptop's width; the download keeps it.
    any_stopped = any(line.stop_reason for line in schedule.lines)
    shown_rows = rows if any_stopped else [
        {k: v for k, v in row.items() if k != label("why_stopped")} for row in rows]
    st.dataframe(display_frame(shown_rows), hide_index=True, width="stretch", column_config={
        "School": st.column_config.TextColumn(pinned=True),
        "Request": st.column_config.NumberColumn(width="small", pinned=True)})
    st.download_button("Download the schedule (Excel)",
                       data=table_workbook("Payment schedule", rows,
                                           notes=[f"{schedule.cluster_name}: payment schedule, "
                                                  f"produced {format_date(schedule.today)}"]),
                       file_name="payment-schedule.xlsx", mime=XLSX_MIME,
                       icon=":material/download:")
    view_link(actor, "reviews", "Reviews and impact: a review can stop an award")


render()
