"""Finance: the pot line by line, the budget position at each meeting, what each school received
beside its formula share and its share of need, and the protected funding the schools release."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import AcademicYear, format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds, pounds_figure, share_points
from cluster.core.permissions import Actor
from cluster.disclosure.suppression import hidden_note
from cluster.funding.budget import FinanceOverview, funding_years
from cluster.funding.ledger import (
    AVAILABLE,
    LEFT_TO_AWARD,
    RELEASED_SO_FAR,
    STILL_TO_RELEASE,
    BudgetView,
    budget_position,
    finance_overview,
)
from cluster.funding.protected import Forecast, psf_forecast
from cluster.models import Role
from cluster.papers.document import Money
from cluster.reporting.moderation import METHOD, effect_words, how_we_compare
from cluster.reporting.needs_led import needs_led_shares
from toolkit import state
from toolkit.components.charts import (
    chart_and_table,
    grouped_bars,
    lines_over,
    pct,
    shown,
    waterfall,
)
from toolkit.components.forms import show_flash
from toolkit.components.needs_led import correction_form, needs_led_section
from toolkit.components.shared import open_tab
from toolkit.components.year import choose_academic_year, choose_cluster, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

SUPPRESSION_NOTE = hidden_note("pupils or awards")
POT, BUDGET, SHARES = "The pot", "Budget position", label("received_and_shares")
FORECAST, NEEDS_LED = "Protected funding", "Needs-led support"
SECTIONS = (POT, BUDGET, SHARES, FORECAST, NEEDS_LED)
HOW_WE_COMPARE = "How we compare"  # the host's own line of the LA's consistency model


def money(pence: int | None) -> Money:
    """An amount in a table: "£1,234" (or "hidden") on screen, a £-formatted number in the
    Excel download."""
    return Money(pence)


def render() -> None:
    actor = guard_view(__file__)
    st.title("Finance")
    show_flash(state.FINANCE_MESSAGE)
    cluster = choose_cluster(actor)
    year = choose_academic_year(funding_years(engine(), actor, cluster.id), key=state.FINANCE_YEAR)
    overview = finance_overview(engine(), actor, year, cluster.id)
    notes = [f"{overview.cluster_name}, {overview.year_label}"] + (
        [SUPPRESSION_NOTE] if overview.suppressed else [])
    st.caption(f"{overview.cluster_name} · {overview.year_label}"
               + (" · closed (read-only)" if overview.read_only else "")
               + (f" · {SUPPRESSION_NOTE}" if overview.suppressed else ""))
    if not overview.set_up:
        st.info(f"The funding year {overview.year_label} is not set up yet.")
        view_link(actor, "funding-year", "Set up the funding year")
        return
    sections = list(SECTIONS) + ([HOW_WE_COMPARE] if actor.role == Role.HOST else [])
    # Five charts and their tables at once were the slowest page for 20 people (bench.browsers).
    name, tab = open_tab(sections, state.FINANCE_SECTION)
    with tab:
        _section(actor, name, overview, cluster.id, notes)
    view_link(actor, "funding-year", "Edit the funding year (rates, top-slices, reserve, releases)")


def _section(actor: Actor, name: str, overview: FinanceOverview, cluster_id: int | None,
             notes: list[str]) -> None:
    if name == POT:
        _pot(overview, notes)
    elif name == BUDGET:
        _budget(budget_position(engine(), actor, overview.academic_year, cluster_id), notes)
    elif name == SHARES:
        _shares(overview, notes)
    elif name == FORECAST:
        _forecast(psf_forecast(engine(), actor, cluster_id), notes)
    elif name == NEEDS_LED:
        needs_led_section(needs_led_shares(engine(), actor, cluster_id), notes)
        if actor.role == Role.HOST:
            correction_form(actor)
    else:
        _how_we_compare(actor)


def _how_we_compare(actor: Actor) -> None:
    """The host's own line of the LA adviser's consistency model: the same figure and words."""
    st.subheader("How we compare with the LA's other clusters")
    effect, la_average = how_we_compare(engine(), actor)
    if effect is None or effect.effect is None or effect.average_share is None:
        st.info("Too few decided requests yet to compare with the LA.")
        return
    st.markdown(effect_words(effect, la_average))
    left, middle, right = st.columns(3)
    left.metric("We award, of what is asked", f"{share_points(effect.average_share):.0f}%")
    middle.metric("The LA, of what is asked", f"{share_points(la_average):.0f}%")
    right.metric("For the same needs, against the LA", f"{share_points(effect.effect):+.0f} points",
                 help=f"95% interval {share_points(effect.low or 0):+.0f} to "
                      f"{share_points(effect.high or 0):+.0f} points of the ask. {METHOD}")


def _pot(overview: FinanceOverview, notes: list[str]) -> None:
    pot = overview.pot
    st.subheader("The pot, line by line")
    first, second, third = st.columns(3)
    first.metric("LA formula", format_pounds(pot.formula_pence))
    second.metric(label("emergency_reserve"), format_pounds(pot.reserve_pence))
    third.metric(AVAILABLE, format_pounds(pot.available_pence))
    # One money column: a second, unformatted "£" copy pushed "Amount" out of the narrow table.
    table = [{"Line": line.label, "Amount": Money(line.pence)} for line in pot.lines]
    table.append({"Line": f"= {AVAILABLE}", "Amount": Money(pot.available_pence)})
    census = f"January {overview.census_year} census" if overview.census_year else "no census"
    chart_and_table(waterfall([(line.label, line.pence) for line in pot.lines], AVAILABLE),
                    table, key=f"pot-{overview.academic_year}", title="The pot", notes=notes,
                    caption=f"Pupils on roll from the {census}. Each line is the LA's figure or "
                    "the cluster's own decision; together they give the money available for new "
                    "awards over the year.")


def _budget(budget: BudgetView, notes: list[str]) -> None:
    st.subheader("Budget position at each meeting")
    table = [{"Meeting": f"{r.half_term}{' (funding round)' if r.is_funding_round else ''}",
              "Date": format_date(r.held_on), label("released_here"): money(r.released_here_pence),
              RELEASED_SO_FAR: money(r.released_so_far_pence),
              label("awarded_here"): money(r.awarded_here_pence),
              label("awarded_so_far"): money(r.awarded_so_far_pence),
              LEFT_TO_AWARD: money(r.left_to_award_pence),
              STILL_TO_RELEASE: money(r.still_to_release_pence),
              "Reserve": money(r.reserve_pence)} for r in budget.rows]
    points = []
    for r in budget.rows:
        points.append({"Meeting": r.half_term, "Measure": RELEASED_SO_FAR,
                       "£": pounds_figure(r.released_so_far_pence)})
        if r.awarded_so_far_pence is not None:
            points.append({"Meeting": r.half_term, "Measure": label("awarded_so_far"),
                           "£": pounds_figure(r.awarded_so_far_pence)})
    chart = lines_over(points, x="Meeting", y="£", series="Measure", y_title="£",
                       x_sort=[r.half_term for r in budget.rows])
    running = "" if budget.running_on_pence is None else (
        f" Awards made in earlier years that run into this year count from the start of the "
        f"year ({format_pounds(budget.running_on_pence)}), so '{LEFT_TO_AWARD.lower()}' is "
        "below zero until the first funding round releases money.")
    unplanned = "" if budget.unplanned_pence == 0 else (
        f" {format_pounds(budget.unplanned_pence)} of the money available is not yet in the "
        "release plan.")
    chart_and_table(chart, table, key=f"budget-{budget.academic_year}", title="Budget position",
                    notes=notes, caption="Awarded counts each award once, spread over the terms "
                    "it runs: only this year's part is counted here." + running + unplanned)


def _shares(overview: FinanceOverview, notes: list[str]) -> None:
    st.subheader(label("received_and_shares"))
    table = [{"School": "The cluster" if r.is_cluster else r.school,
              label("received_this_year"): money(r.received_pence),
              label("received_share"): pct(r.received_share),
              "Formula (LA)": format_pounds(r.formula_pence),
              "Formula share %": pct(r.formula_share),
              "Need share %": pct(r.need_share)} for r in overview.shares]
    points = []
    for r in (r for r in overview.shares if not r.is_cluster):
        for measure, value in (("Received share %", r.received_share),
                               ("Formula share %", r.formula_share),
                               ("Need share %", r.need_share)):
            points.append({"School": r.school, "Share": measure, "Percent": value})
    chart = grouped_bars(points, category="School", value="Percent", group="Share",
                         value_title="% of the cluster")
    chart_and_table(chart, table, key=f"shares-{overview.academic_year}",
                    title="Received and shares", notes=notes,
                    caption="Received: this year's part of the cluster's awards to the school. "
                    "Need share: the school's share of the cluster's pupils with SEN.")


def _forecast(forecast: Forecast, notes: list[str]) -> None:
    st.subheader("Protected pupil-tied funding: what the schools release")
    if not forecast.rows:
        st.info("No protected pupil-tied funding remains in the cluster's schools.")
        return
    table = [{"Year": AcademicYear(r.academic_year).label,
              "School": "The cluster" if r.is_cluster else r.school,
              "Pupils protected": shown(r.pupils_protected),
              "Protected funding": money(r.protected_pence),
              "Pupils leaving at the year's end": shown(r.pupils_leaving),
              "Back to the LA": money(r.released_pence)} for r in forecast.rows]
    points = [{"Year": AcademicYear(r.academic_year).label, "Measure": "Still protected",
               "£": pounds_figure(r.protected_pence)} for r in forecast.rows
              if r.is_cluster and r.protected_pence is not None]
    chart = lines_over(points, x="Year", y="£", series="Measure", y_title="£ a year")
    last = AcademicYear(forecast.last_year).label if forecast.last_year else ""
    chart_and_table(chart, table, key="psf-forecast", title="Protected funding forecast",
                    notes=notes, caption="Funding stays with a child to the end of their phase, "
                    "judged by age; it ends on moving from nursery to Reception or on a casual "
                    "move, and follows a managed move or a planned transfer. Released money goes "
                    "back to the LA, which shares it among all clusters by formula. The last "
                    f"protected pupil leaves at the end of {last}.")


render()
