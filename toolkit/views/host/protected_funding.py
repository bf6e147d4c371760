"""Protected funding (host): the pupil-tied funding the cluster inherited, when each ends by the
rules, and the moves that end it or take it to another school."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds, pence_from_pounds
from cluster.core.clock import today
from cluster.core.permissions import Actor
from cluster.funding.protected import (
    END_REASON_LABELS,
    ProtectedPupilRow,
    add_protected_pupil,
    protected_pupils,
    record_event,
)
from cluster.funding.psf import FOLLOWING_EVENTS, PSF_PHASES, PsfEventKind
from cluster.people.schools import list_schools
from toolkit import state
from toolkit.components import forms
from toolkit.components.forms import show_flash
from toolkit.components.year import view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def render() -> None:
    actor = guard_view(__file__)
    st.title("Protected funding")
    st.caption("Pupil-tied funding from before the move to cluster funding stays with the child to "
               "the end of their phase, judged by age (not the year group they are taught in). It "
               "ends on moving from nursery to Reception and on a casual move; it follows a "
               "managed move and a planned transfer inside the phase (infant to junior). Only a "
               "reference and the year and month of birth are kept.")
    show_flash(state.PROTECTED_MESSAGE)
    pupils = protected_pupils(engine(), actor)
    st.dataframe([_row(p) for p in pupils], hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        _record_event(actor, [p for p in pupils if not p.ended])
    with right:
        _add(actor)
    view_link(actor, "funding", "See the release forecast")


def _row(p: ProtectedPupilRow) -> dict[str, object]:
    return {"Reference": p.reference, "School": p.school,
            "Born": f"{MONTHS[p.birth_month - 1]} {p.birth_year}", "Phase": p.phase,
            "A year": format_pounds(p.annual_amount_pence),
            "Funding ends": format_date(p.ends_on),
            "Why": END_REASON_LABELS.get(p.end_reason, p.end_reason),
            "State": "ended" if p.ended else "funded"}


def _record_event(actor: Actor, funded: list[ProtectedPupilRow]) -> None:
    st.subheader("Record a move")
    if not funded:
        st.info("No pupil's funding is running.")
        return
    schools = {s.name: s.id for s in list_schools(engine(), actor) if s.active}
    by_reference = {p.reference: p for p in funded}
    with forms.form("protected.event") as drawn:
        reference = st.selectbox("Pupil", list(by_reference),
                                 format_func=lambda r: f"{r} ({by_reference[r].school})")
        kind = st.selectbox("What happened", list(PsfEventKind.labels()),
                            format_func=PsfEventKind.label_of)
        on = st.date_input("On", value=today(), format="DD/MM/YYYY")
        to = st.selectbox("Receiving school (managed move or planned transfer)", list(schools))
        submitted = drawn.buttons("Record it")
    if not submitted or reference is None:
        return
    pupil = by_reference[reference]
    forms.save(drawn.name, lambda: record_event(
        engine(), actor, pupil.id, kind=kind, on=on,
        to_school_id=schools.get(to) if kind in FOLLOWING_EVENTS else None,
        expected_version=pupil.version),
        done=lambda row: f"{row.reference}: funding now ends {format_date(row.ends_on)} "
                         f"({END_REASON_LABELS.get(row.end_reason, row.end_reason)}), at "
                         f"{row.school}.", flash_key=state.PROTECTED_MESSAGE)


def _add(actor: Actor) -> None:
    st.subheader("Add a protected pupil")
    schools = {s.name: s.id for s in list_schools(engine(), actor) if s.active}
    with forms.form("protected.add") as drawn:
        school = st.selectbox("School", list(schools))
        # A short code the service checks as a reference (letters, digits and dashes).
        reference = st.text_input("The school's reference (never a name or UPN)")
        year_col, month_col = st.columns(2)
        birth_year = year_col.number_input("Year of birth", min_value=1996,
                                           max_value=today().year, value=today().year - 8)
        birth_month = month_col.selectbox("Month of birth", range(1, 13),
                                          format_func=lambda m: MONTHS[m - 1])
        phase = st.selectbox("Phase the funding belongs to", PSF_PHASES)
        annual = st.number_input("Amount a year (£)", min_value=0, step=100, value=0)
        submitted = drawn.buttons("Add")
    if not submitted or school is None:
        return
    forms.save(drawn.name, lambda: add_protected_pupil(
        engine(), actor, school_id=schools[school], reference=reference,
        birth_year=int(birth_year), birth_month=int(birth_month), phase=phase,
        annual_amount_pence=pence_from_pounds(annual)),
        done=lambda row: f"Added {row.reference}: funding ends {format_date(row.ends_on)}.",
        flash_key=state.PROTECTED_MESSAGE, fresh=True)


render()
