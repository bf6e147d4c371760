"""The funding year (host): the LA's rates, the cluster's top-slices, reserve and release plan, with
a what-if of every school's share and the pot before anything is saved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds, pence_from_entry, pounds_figure
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.funding.budget import (
    FundingSettings,
    FundingYearView,
    IncomeLineRow,
    WhatIf,
    funding_year,
    funding_years,
    save_funding_year,
    spread_plan,
    what_if,
)
from cluster.funding.income import save_income_lines
from toolkit import state
from toolkit.components import forms
from toolkit.components.forms import show_flash
from toolkit.components.year import choose_academic_year, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

SLICE_LABEL = "What it pays for"
SLICE_AMOUNT = "£ a year"
RELEASE_MEETING = "Funding round"
RELEASE_AMOUNT = "Release (£)"


def render() -> None:
    actor = guard_view(__file__)
    st.title("Funding year")
    st.caption("Set the LA's rates for the year, the cluster's top-slices and emergency reserve, "
               "and how the money available for new awards is released across the funding "
               "rounds. Try a change with 'Show what changes' before you save.")
    show_flash(state.FUNDING_MESSAGE)
    year = choose_academic_year(funding_years(engine(), actor), ahead=1,
                                key=state.FUNDING_YEAR_CHOSEN)
    view = funding_year(engine(), actor, year)
    drawn_key = f"{state.FUNDING_DRAWN}.{year}"
    if drawn_key not in st.session_state:
        st.session_state[drawn_key] = (view.version, view.drawn_from())
    if view.read_only:
        st.warning(f"{view.year_label} is closed and read-only. Reopen it on 'Academic years' to "
                   "correct it.")
        view_link(actor, "years", "Academic years")
    elif not view.exists:
        st.info(f"{view.year_label} is not set up yet: the figures below start from the latest "
                "earlier year. Saving sets it up.")
    _form(actor, view, drawn_key)
    if view.exists:
        _income_form(actor, view)
    view_link(actor, "funding", "See the pot, budget position and forecast")


SAVE = "Save the funding year"


def _form(actor: Actor, view: FundingYearView, drawn_key: str) -> None:
    s = view.settings
    key = f"{view.academic_year}-{view.version}"
    with forms.form("funding-year", key) as drawn_form:
        first, second = st.columns(2)
        rate = first.number_input("Rate per pupil on roll (£, from the LA)", min_value=0.0,
                                  value=pounds_figure(s.per_pupil_rate_pence), step=0.01,
                                  format="%.2f",
                                  key=f"rate-{key}")
        fixed = second.number_input("Fixed sum per school (£, from the LA)", min_value=0.0,
                                    value=pounds_figure(s.fixed_sum_per_school_pence), step=100.0,
                                    format="%.2f", key=f"fixed-{key}")
        carried = first.number_input("Carried forward from last year (£)",
                                     value=pounds_figure(s.carried_forward_pence), step=100.0,
                                     format="%.2f", key=f"carried-{key}")
        psf = second.number_input("Share of pupil-tied funding the LA re-distributed (£)",
                                  min_value=0.0, value=pounds_figure(s.psf_redistributed_pence),
                                  step=100.0, format="%.2f", key=f"psf-{key}")
        reserve = first.number_input("Emergency reserve (% of what is left after top-slices)",
                                     min_value=0.0, max_value=100.0, value=float(s.reserve_percent),
                                     step=0.5, key=f"reserve-{key}")
        st.markdown("**Top-slices the cluster agrees** (the host's time, a shared specialist, "
                    "training)")
        slices = st.data_editor(
            [{SLICE_LABEL: label, SLICE_AMOUNT: pounds_figure(pence)}
             for label, pence in s.top_slices],
            num_rows="dynamic", key=f"slices-{key}", width="stretch",
            column_config={SLICE_AMOUNT: st.column_config.NumberColumn(min_value=0, step=1,
                                                                       format="%.2f")})
        st.markdown("**Release plan**: how much of the money available for new awards each "
                    "funding round may award")
        releases = st.data_editor(
            [{RELEASE_MEETING: f"{r.half_term}, {format_date(r.held_on)}"
                               + (" (held: stays as released)" if r.held else "")
                               + (f", plus {format_pounds(r.income_pence)} extra income"
                                  if r.income_pence else ""),
              RELEASE_AMOUNT: pounds_figure(r.release_pence)} for r in view.rounds],
            num_rows="fixed", disabled=[RELEASE_MEETING], key=f"releases-{key}", width="stretch",
            column_config={RELEASE_AMOUNT: st.column_config.NumberColumn(min_value=0, step=1,
                                                                         format="%.0f")})
        spread = st.checkbox("Spread the money available evenly across the funding rounds still "
                             "to come (whole pounds; rounds already held keep their release)",
                             key=f"spread-{key}")
        pressed = drawn_form.buttons("Show what changes", SAVE, primary=1,
                                     disabled={SAVE} if view.read_only else ())
    if not pressed:
        return
    try:
        settings = _settings(view, rate, fixed, carried, psf, reserve, slices, releases, spread)
        if pressed != SAVE:
            _what_if(what_if(engine(), actor, view.academic_year, settings))
            return
    except (ClusterError, ValueError) as error:
        st.error(forms.not_saved(getattr(error, "message", str(error))))
        return
    version, drawn = st.session_state[drawn_key]
    forms.save(drawn_form.name, lambda: save_funding_year(
        engine(), actor, view.academic_year, settings, expected_version=version,
        drawn_from=drawn),
        done=lambda saved: f"Saved {saved.year_label}: {format_pounds(saved.pot.available_pence)} "
                           "available for new awards.", flash_key=state.FUNDING_MESSAGE,
        on_saved=lambda _: st.session_state.pop(drawn_key, None),
        on_stale=lambda: st.session_state.pop(drawn_key, None))


def _pence(pounds: object) -> int:
    if pounds is None or pounds != pounds:  # None or NaN from an empty editor cell
        return 0
    return pence_from_entry(pounds)  # type: ignore[arg-type]  # an editor cell: a number or text


def _rows(edited: Iterable[Mapping[str, object]]) -> list[Mapping[str, object]]:
    if hasattr(edited, "to_dict"):  # a DataFrame, should the editor ever hand one back
        return list(edited.to_dict("records"))
    return list(edited)


def _settings(view: FundingYearView, rate: float, fixed: float, carried: float, psf: float,
              reserve: float, slices: Iterable[Mapping[str, object]],
              releases: Iterable[Mapping[str, object]], spread: bool) -> FundingSettings:
    top = tuple((str(r.get(SLICE_LABEL) or "").strip(), _pence(r.get(SLICE_AMOUNT)))
                for r in _rows(slices) if str(r.get(SLICE_LABEL) or "").strip()
                or _pence(r.get(SLICE_AMOUNT)))
    settings = FundingSettings(_pence(rate), _pence(fixed), _pence(carried), _pence(psf),
                               float(reserve), top)
    planned = [_pence(r.get(RELEASE_AMOUNT)) for r in _rows(releases)]
    settings = replace(settings, releases=tuple((r.meeting_id, p) for r, p in zip(
        view.rounds, planned, strict=True)))
    return spread_plan(view, settings) if spread else settings


def _what_if(change: WhatIf) -> None:
    st.subheader("What changes (nothing is saved yet)")
    for where, problem in change.refusals:
        st.error(f"Saving these figures would be refused: {where}: {problem}.")
    delta = change.available_change_pence
    st.metric(label("available_short"), format_pounds(change.proposed.available_pence),
              delta=f"{'+' if delta >= 0 else ''}{format_pounds(delta)}" if delta else None)
    st.dataframe([{"Line": line.label, "Now": format_pounds(line.now_pence) or "—",
                   "Proposed": format_pounds(line.proposed_pence) or "—"}
                  for line in change.lines], hide_index=True, width="stretch")
    st.dataframe([{"School": s.school, "Pupils on roll": s.pupils,
                   "Formula share now": format_pounds(s.now_pence),
                   "Proposed": format_pounds(s.proposed_pence),
                   "Change": format_pounds(s.change_pence)} for s in change.shares],
                 hide_index=True, width="stretch")
    st.dataframe([{"Funding round": f"{r.round}, {format_date(r.held_on)}",
                   label("released_now"): format_pounds(r.now_pence),
                   "Proposed": format_pounds(r.proposed_pence),
                   "Held": "yes: stays as released" if r.held else "no"}
                  for r in change.releases], hide_index=True, width="stretch")


INCOME_SOURCE = "Source"
INCOME_AMOUNT = "Amount (£)"
SAVE_INCOME = "Save the extra income"


def _joins(half_term: str) -> str:
    return f"Joins {half_term}"


def _income_form(actor: Actor, view: FundingYearView) -> None:
    """Extra income lines (FAQ 23-24): a named source, an amount and the rounds it joins."""
    st.subheader(label("income_lines"))
    st.caption("Money beyond the LA formula, such as delegated learning support: it is added to "
               "the releases of the funding rounds it joins, split evenly in whole pounds. A "
               "round already held keeps what it released.")
    key = f"{view.academic_year}-{view.version}"
    with forms.form("income", key) as drawn_form:
        edited = st.data_editor(
            [{INCOME_SOURCE: line.source, INCOME_AMOUNT: pounds_figure(line.amount_pence),
              **{_joins(r.half_term): r.half_term in line.rounds for r in view.rounds}}
             for line in view.income] or [{INCOME_SOURCE: "", INCOME_AMOUNT: None,
                                          **{_joins(r.half_term): False for r in view.rounds}}],
            num_rows="dynamic", key=f"income-{key}", width="stretch",
            column_config={INCOME_AMOUNT: st.column_config.NumberColumn(min_value=0, step=1,
                                                                        format="%.0f"),
                           **{_joins(r.half_term): st.column_config.CheckboxColumn()
                              for r in view.rounds}})
        pressed = drawn_form.buttons(SAVE_INCOME, disabled={SAVE_INCOME} if view.read_only else ())
    if not pressed:
        return
    lines = [IncomeLineRow(str(r.get(INCOME_SOURCE) or "").strip(), _pence(r.get(INCOME_AMOUNT)),
                           tuple(x.half_term for x in view.rounds if r.get(_joins(x.half_term))))
             for r in _rows(edited)
             if str(r.get(INCOME_SOURCE) or "").strip() or _pence(r.get(INCOME_AMOUNT))]
    forms.save(drawn_form.name, lambda: save_income_lines(
        engine(), actor, view.academic_year, lines, expected_version=view.version),
        done=lambda saved: f"Saved the extra income for {saved.year_label}: "
                           f"{format_pounds(saved.pot.income_pence)} joins the rounds named.",
        flash_key=state.FUNDING_MESSAGE,
        on_saved=lambda _: st.session_state.pop(f"{state.FUNDING_DRAWN}.{view.academic_year}",
                                                None))


render()
