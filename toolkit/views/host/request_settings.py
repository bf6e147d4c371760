"""Request rules and need matrix (host): the year's staff rate table, the prerequisites a request
must meet before it can be submitted, an optional limit per school per meeting, and the need matrix
the cluster agrees at its first meeting (weights, severity descriptors, an optional band table).
Each year keeps its own; saving the matrix or the rules scores the year's open requests again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from cluster.common.calendar import AcademicYear
from cluster.common.money import (
    format_pounds,
    pence_from_entry,
    pence_from_pounds,
    pounds_figure,
    whole_pounds,
)
from cluster.common.needs import AREA_CHOICES, SenStatus
from cluster.core.permissions import Actor
from cluster.reporting.home import cluster_headline
from cluster.requests.costing import StaffRate
from cluster.requests.need_score import EXAMPLE_BANDS, SEVERITY_BANDS, Band, NeedMatrix
from cluster.requests.rules import Prerequisite, Rules, YearSettings
from cluster.requests.year_setup import (
    save_need_matrix,
    save_request_rules,
    save_staff_rates,
    year_settings,
)
from toolkit import state
from toolkit.components import forms
from toolkit.components.shared import headline_caption
from toolkit.components.year import choose_academic_year
from toolkit.engine import engine
from toolkit.guard import guard_view

T = TypeVar("T")

EXTRA_RATE_ROWS = 2
MAX_BANDS = 6
STATUS_POINT_LABELS = {**SenStatus.labels(),
                       "assessment_requested": "EHC needs assessment requested"}


def render() -> None:
    actor = guard_view(__file__)
    st.title("Request rules and need matrix")
    headline_caption(cluster_headline(engine(), actor))
    forms.show_flash(state.REQUEST_SETTINGS_MESSAGE)
    year = choose_academic_year(ahead=1)
    settings = year_settings(engine(), actor, year)
    _where_from(settings)
    rates, rules, matrix = st.tabs(["Staff rates", "Rules", "Need matrix"])
    with rates:
        _rates(actor, settings)
    with rules:
        _rules(actor, settings)
    with matrix:
        _matrix(actor, settings)


def _where_from(settings: YearSettings) -> None:
    label = AcademicYear(settings.academic_year).label
    for what, year in (("staff rates", settings.rates_from_year),
                       ("rules", settings.rules_from_year),
                       ("need matrix", settings.matrix_from_year)):
        if year is None:
            st.caption(f"The {what} for {label} are the toolkit's defaults until you save them.")
        elif year != settings.academic_year:
            st.caption(f"The {what} for {label} are {AcademicYear(year).label}'s until you save "
                       "them for this year.")


def _save(name: str, call: Callable[[], T], done: str | Callable[[T], str]) -> None:
    forms.save(name, call, done=done, flash_key=state.REQUEST_SETTINGS_MESSAGE)


def _rates(actor: Actor, settings: YearSettings) -> None:
    year = settings.academic_year
    st.caption("£ an hour with on-costs, by grade. Requests cost staff time from this table; "
               "SENCO time is flagged at the meeting (Code of Practice 2001, §5:35).")
    rows = [*settings.rates, *([StaffRate("", 0)] * EXTRA_RATE_ROWS)]
    with forms.form("rates", year) as drawn:
        entered = []
        for n, rate in enumerate(rows):
            cols = st.columns([4, 2, 2])
            grade = cols[0].text_input("Grade", rate.grade, key=f"rate-{year}-{n}-grade",
                                       placeholder="add a grade")
            pounds = cols[1].number_input("£ an hour", 0.0, 500.0,
                                          pounds_figure(rate.pence_per_hour),
                                          step=0.10, format="%.2f", key=f"rate-{year}-{n}-pounds")
            senco = cols[2].checkbox("SENCO time", rate.is_senco_time,
                                     key=f"rate-{year}-{n}-senco")
            if grade.strip():
                entered.append(StaffRate(grade.strip(), pence_from_entry(pounds), senco))
        saved = drawn.buttons("Save the rate table")
    if saved:
        _save(drawn.name, lambda: save_staff_rates(engine(), actor, year, entered,
                                                   drawn_from=settings.rates),
              f"Staff rates for {AcademicYear(year).label} saved.")


def _rules(actor: Actor, settings: YearSettings) -> None:
    year, rules = settings.academic_year, settings.rules
    st.caption("A request missing a prerequisite cannot be submitted; the form says which.")
    with forms.form("rules", year) as drawn:
        chosen = st.multiselect("Prerequisites", list(Prerequisite.labels()),
                                default=list(rules.prerequisites), key=f"rules-{year}-prereq",
                                format_func=lambda p: rules.label(p))
        cols = st.columns(3)
        cycles = cols[0].number_input("Review cycles required", 1, 6, rules.min_review_cycles,
                                      key=f"rules-{year}-cycles")
        months = cols[1].number_input("Specialist assessment within (months)", 1, 36,
                                      rules.assessment_within_months, key=f"rules-{year}-months")
        limit = cols[2].number_input("Requests per school per meeting (0 = no limit)", 0, 20,
                                     rules.max_requests_per_school_per_meeting or 0,
                                     key=f"rules-{year}-limit")
        halfway = st.checkbox("Review each award halfway through as well as at the last meeting "
                              "before it ends", value=rules.halfway_review,
                              key=f"rules-{year}-halfway",
                              help="The terms of reference say the same: they are filled in "
                                   "from this rule.")
        sign_off = st.checkbox("A SENCO's request goes to the school's headteacher to sign off "
                               "before the cluster sees it", value=rules.head_sign_off,
                               key=f"rules-{year}-sign-off")
        saved = drawn.buttons("Save the rules")
    if saved:
        new = Rules(tuple(chosen), int(cycles), int(months), int(limit) or None, halfway,
                    sign_off)
        _save(drawn.name, lambda: save_request_rules(engine(), actor, year, new,
                                                     expected_version=settings.rules_version),
              lambda result: f"Rules for {AcademicYear(year).label} saved; {result.rescored} "
                             "open request(s) checked and scored again.")


def _matrix(actor: Actor, settings: YearSettings) -> None:
    year, matrix = settings.academic_year, settings.matrix
    st.caption(f"The points add up to {matrix.maximum:g} now. The defaults add up to 10; see each "
               "request's score broken into these parts.")
    with forms.form("matrix", year) as drawn:
        cols = st.columns(3)
        severity = cols[0].number_input("Severity: points for band 4 in the main area", 0.0, 10.0,
                                        matrix.severity_points, step=0.5, key=f"m-{year}-sev")
        pupils = cols[1].number_input("Pupils helped: most points", 0.0, 10.0,
                                      matrix.pupils_points, step=0.5, key=f"m-{year}-pup")
        pupils_full = cols[2].number_input("Pupils for the most points", 2, 100,
                                           matrix.pupils_for_full_points, key=f"m-{year}-pupn")
        cols = st.columns(3)
        per_cycle = cols[0].number_input("Points a review cycle", 0.0, 10.0,
                                         matrix.points_per_review_cycle, step=0.25,
                                         key=f"m-{year}-cyc")
        cycles_full = cols[1].number_input("Cycles counted at most", 1, 6,
                                           matrix.review_cycles_for_full_points,
                                           key=f"m-{year}-cycn")
        assessment = cols[2].number_input("Points for a recent specialist assessment", 0.0, 10.0,
                                          matrix.assessment_points, step=0.25,
                                          key=f"m-{year}-ass")
        context = st.number_input("School context (SEN prevalence against the cluster's): most "
                                  "points", 0.0, 10.0, matrix.context_points, step=0.25,
                                  key=f"m-{year}-ctx")
        st.markdown("**Area of need** (weight this year's priority areas)")
        area_cols = st.columns(len(AREA_CHOICES))
        areas = {area: area_cols[n].number_input(area, 0.0, 10.0,
                                                 matrix.area_points.get(area, 0.0), step=0.25,
                                                 key=f"m-{year}-area-{n}")
                 for n, area in enumerate(AREA_CHOICES)}
        st.markdown("**SEN status** (averaged over the pupils)")
        status_cols = st.columns(len(STATUS_POINT_LABELS))
        statuses = {status: status_cols[n].number_input(label, 0.0, 10.0,
                                                        matrix.sen_status_points.get(status, 0.0),
                                                        step=0.25, key=f"m-{year}-status-{n}")
                    for n, (status, label) in enumerate(STATUS_POINT_LABELS.items())}
        descriptors = _descriptors(year, matrix)
        bands = _bands(year, matrix)
        saved = drawn.buttons("Save the need matrix")
    if saved:
        new = NeedMatrix(severity_points=severity, area_points=areas, sen_status_points=statuses,
                         pupils_points=pupils, pupils_for_full_points=int(pupils_full),
                         points_per_review_cycle=per_cycle,
                         review_cycles_for_full_points=int(cycles_full),
                         assessment_points=assessment, context_points=context,
                         descriptors=descriptors, bands=bands)
        _save(drawn.name, lambda: save_need_matrix(engine(), actor, year, new,
                                                   expected_version=settings.matrix_version),
              lambda result: f"Need matrix for {AcademicYear(year).label} saved; "
                             f"{result.rescored} open request(s) scored again.")


def _descriptors(year: int, matrix: NeedMatrix) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    with st.expander("Severity descriptors (bands 0 to 4 for each area)"):
        for n, area in enumerate(AREA_CHOICES):
            st.markdown(f"**{area}**")
            current = matrix.descriptors.get(area, ("",) * SEVERITY_BANDS)
            words[area] = tuple(st.text_input(f"Band {band}", current[band],
                                              key=f"m-{year}-desc-{n}-{band}")
                                for band in range(SEVERITY_BANDS))
    return words


def _bands(year: int, matrix: NeedMatrix) -> tuple[Band, ...]:
    with st.expander("Band table (optional, Southend style)"):
        st.caption("Each area's band (0-4) adds up to 0-16; a request shows the band its total "
                   "reaches and that band's typical value beside the amount asked. Leave the "
                   "labels empty for no band table.")
        use = st.checkbox("Use a band table", bool(matrix.bands), key=f"m-{year}-bands")
        shown = list(matrix.bands) or list(EXAMPLE_BANDS)
        bands = []
        for n in range(MAX_BANDS):
            band = shown[n] if n < len(shown) else Band("", 0, 0)
            cols = st.columns(3)
            label = cols[0].text_input("Band", band.label, key=f"m-{year}-band-{n}-label")
            start = cols[1].number_input("From total", 0, 16, band.from_points,
                                         key=f"m-{year}-band-{n}-from")
            pounds = cols[2].number_input("Typical value (£)", 0, 1_000_000,
                                          whole_pounds(band.typical_pence), step=100,
                                          key=f"m-{year}-band-{n}-value")
            if label.strip():
                bands.append(Band(label.strip(), int(start), pence_from_pounds(pounds)))
        st.caption("Example values are illustrative: "
                   + ", ".join(f"{b.label} from {b.from_points}: {format_pounds(b.typical_pence)}"
                               for b in EXAMPLE_BANDS))
    return tuple(bands) if use else ()


render()
