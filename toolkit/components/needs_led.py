"""From hours to needs-led support: each year's share of the cluster's money by class of support,
as a stacked bar chart with its table, the FAQ's aim beside it; the host's correction form."""

from __future__ import annotations

import altair as alt
import streamlit as st

from cluster.common.calendar import AcademicYear
from cluster.common.money import pounds_figure
from cluster.common.support_class import FAQ_AIM, SUPPORT_CLASSES
from cluster.core.permissions import Actor
from cluster.disclosure.suppression import count_text, hidden_note
from cluster.papers.document import Money
from cluster.reporting.needs_led import (
    NeedsLedView,
    award_choice,
    awards_to_classify,
    correct_support_class,
)
from toolkit import state
from toolkit.components import forms
from toolkit.components.charts import chart_and_table, frame, pct
from toolkit.engine import engine

FROM_KIND = "(the class its kind of provision gives)"
SHARE = "Share of the year's money %"


def needs_led_section(view: NeedsLedView, notes: list[str]) -> None:
    st.subheader("From hours to needs-led support")
    st.markdown(f"**{FAQ_AIM}**")
    if not view.years:
        st.info("No awards yet to put in classes of support.")
        return
    rows = [{"Year": AcademicYear(c.academic_year).label, "Class of support": c.support_class,
             "Awards": count_text(c.awards), "Money": Money(c.pence), SHARE: pct(c.share)}
            for c in view.cells]
    points = [{"Year": AcademicYear(c.academic_year).label, "Class of support": c.support_class,
               SHARE: c.share, "£": pounds_figure(c.pence or 0)}
              for c in view.cells if c.share is not None]
    chart = None
    if points:
        chart = alt.Chart(frame(points)).mark_bar().encode(
            x=alt.X("Year:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{SHARE}:Q", title="Share of the year's money (%)",
                    scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("Class of support:N", sort=list(SUPPORT_CLASSES),
                            legend=alt.Legend(title=None, orient="top")),
            order=alt.Order("order:Q"),
            tooltip=["Year", "Class of support", alt.Tooltip(f"{SHARE}:Q", format=".1f")]
        ).transform_calculate(order=_class_order()).properties(height=320)
    caption = ("Each award is counted in the year of the meeting that made it, net of money "
               "returned, in the class its kind of provision gives (or the host's correction).")
    if view.suppressed:
        caption += " " + hidden_note("awards")
    chart_and_table(chart, rows, key=f"needs-led-{view.cluster_name}", title=FAQ_AIM,
                    notes=notes, caption=caption)


def _class_order() -> str:
    cases = " : ".join(f"datum['Class of support'] == '{name}' ? {n}"
                       for n, name in enumerate(SUPPORT_CLASSES))
    return f"{cases} : {len(SUPPORT_CLASSES)}"


def correction_form(actor: Actor) -> None:
    """The host puts one award in another class, when its kind of provision misleads."""
    awards = awards_to_classify(engine(), actor)
    if not awards:
        return
    with st.expander("Correct one award's class of support"):
        by_id = {a.award_id: a for a in awards}
        with forms.form("support-class") as drawn:
            chosen = st.selectbox("Award", list(by_id),
                                  format_func=lambda i: award_choice(by_id[i]),
                                  key="support-class-award")
            picked = st.selectbox("Class of support", [FROM_KIND, *SUPPORT_CLASSES],
                                  key="support-class-class")
            pressed = drawn.buttons("Save the class")
        if pressed and chosen is not None:
            award = by_id[chosen]
            forms.save(drawn.name, lambda: correct_support_class(
                engine(), actor, award.award_id, "" if picked == FROM_KIND else str(picked),
                expected_version=award.version),
                done=lambda saved: f"Request {saved.request_id}'s award is now counted as "
                                   f"{saved.support_class}.", flash_key=state.FINANCE_MESSAGE)
