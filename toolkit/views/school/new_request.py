"""New request (headteacher or SENCO): the kind, the pupils, the need, outcomes and a costed
provision map. The provision map sits above the form so its total updates as it is filled in; the
rest is one `st.form` a keyboard can drive (Tab between fields, Enter runs the checks). "Check"
shows every check before anything is sent; "Save draft" keeps a half-done request; "Submit" sends
it to the cluster, or says exactly what stops it. `?edit=ID` opens a draft or returned request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from cluster.common.calendar import HALF_TERMS, YEAR_GROUPS
from cluster.common.money import format_pounds
from cluster.common.needs import AREA_CHOICES, PRIMARY_NEEDS, SEN_STATUS_LABELS
from cluster.common.text_check import NamesToConfirm
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.models import RequestKind
from cluster.reporting.home import cluster_headline
from cluster.requests.checks import (
    AUXILIARY_AIDS_SIGNPOST,
    KIND_LABELS,
    TEXT_LIMITS,
    ChecksFailed,
)
from cluster.requests.costing import (
    DEFAULT_WEEKS,
    ItemLine,
    ProvisionMap,
    StaffLine,
    cost_provision,
    pupils_paid_for,
    rate_table,
)
from cluster.requests.forms import (
    AUXILIARY_AID,
    MAX_OUTCOMES,
    OutcomeInput,
    PupilInput,
    RequestForm,
)
from cluster.requests.need_score import DEFAULT_DESCRIPTORS
from cluster.requests.reading import check_request, get_request, request_form_options
from cluster.requests.screens import FormOptions
from cluster.requests.status import save_draft, submit_form
from toolkit import state
from toolkit.components import names_prompt
from toolkit.components.names_prompt import limited
from toolkit.components.requests import REQUEST_VIEW, show_findings, show_score
from toolkit.components.shared import headline_caption
from toolkit.engine import engine
from toolkit.guard import guard_view

KINDS = (RequestKind.INDIVIDUAL, RequestKind.MEDICAL, RequestKind.FIRST_YEAR, RequestKind.GROUP,
         RequestKind.PROJECT, RequestKind.CASE_DISCUSSION, AUXILIARY_AID)
ONE_PUPIL_KINDS = (RequestKind.INDIVIDUAL, RequestKind.MEDICAL, RequestKind.FIRST_YEAR)
FROM_PUPILS = "(worked out from the pupils' primary needs)"
MAX_LINES = 8
NAMES_FORM = "request"  # the names prompt's key for this form
LONG = TEXT_LIMITS["long"]


def key(name: str) -> str:
    return f"{state.REQUEST_FORM}.{name}"


def value(name: str, default: Any = None) -> Any:
    return st.session_state.get(key(name), default)


def field(name: str, default: Any, choices: Any = None) -> str:
    """The widget key, with its starting value put in the session state first (so a prefilled
    draft and a fresh form work the same way), dropping a value no longer among the choices."""
    widget_key = key(name)
    if choices is not None and widget_key in st.session_state \
            and st.session_state[widget_key] not in list(choices):
        del st.session_state[widget_key]
    st.session_state.setdefault(widget_key, default)
    return widget_key


def render() -> None:
    actor = guard_view(__file__)
    _open_for_editing(actor)
    editing = st.session_state.get(state.REQUEST_EDITING)
    st.title(f"Edit request {editing[0]}" if editing else "New request")
    headline_caption(cluster_headline(engine(), actor))
    message = st.session_state.pop(state.REQUEST_MESSAGE, None)
    if message:
        st.success(message)
        st.page_link("toolkit/views/school/our_requests.py", label="See it in Our requests",
                     icon=":material/assignment:")
    options = request_form_options(engine(), actor)
    if editing and st.button("Start a new request instead"):
        _clear()
        st.rerun()
    st.info("Never write a pupil's name, UPN, ULN, NHS number or date of birth. Refer to each "
            "pupil by the school's own pseudonymous reference, such as AP-017.")
    kind = st.selectbox("Kind of request", KINDS, key=field("kind", KINDS[0], KINDS),
                        format_func=lambda k: KIND_LABELS[k])
    if kind == AUXILIARY_AID:
        st.warning("Not through the cluster: " + AUXILIARY_AIDS_SIGNPOST + ".")
        return
    counts = _layout(kind)
    provision = _provision_map(options, kind, counts)
    pressed = _form(options, kind, counts, provision)
    if pressed:
        _act(actor, pressed, _form_from_state(options, kind, counts))


# --- outside the form: the layout and the provision map (live total) ---------------------------


def _layout(kind: str) -> dict[str, int]:
    columns = st.columns(4)
    if kind in ONE_PUPIL_KINDS:
        pupils = 1
    elif kind == RequestKind.GROUP:
        pupils = columns[0].number_input("Pupils in the group", 2, 15,
                                         key=field("n_pupils", 4, range(2, 16)))
    elif kind == RequestKind.CASE_DISCUSSION:
        pupils = columns[0].number_input("Pupils discussed", 0, 3,
                                         key=field("n_pupils_case", 1, range(4)))
    else:
        pupils = 0
    if kind == RequestKind.CASE_DISCUSSION:
        outcomes = columns[1].number_input("Outcomes sought", 0, MAX_OUTCOMES,
                                           key=field("n_outcomes_case", 0, range(4)))
        return {"pupils": int(pupils), "outcomes": int(outcomes), "staff": 0, "items": 0}
    outcomes = columns[1].number_input("Outcomes sought", 1, MAX_OUTCOMES,
                                       key=field("n_outcomes", 1, range(1, 4)))
    staff = columns[2].number_input("Lines of staff support", 0, MAX_LINES,
                                    key=field("n_staff", 1, range(MAX_LINES + 1)))
    items = columns[3].number_input("Items to buy", 0, MAX_LINES,
                                    key=field("n_items", 0, range(MAX_LINES + 1)))
    return {"pupils": int(pupils), "outcomes": int(outcomes), "staff": int(staff),
            "items": int(items)}


def _provision_map(options: FormOptions, kind: str, counts: dict[str, int]) -> ProvisionMap:
    if not counts["staff"] and not counts["items"]:
        return ProvisionMap(())
    st.subheader("Costed provision map")
    rates = options.settings.rates
    st.caption("Staff time is costed from the cluster's rate table for the year: minutes a week × "
               f"weeks ({DEFAULT_WEEKS} in a school year) × the hourly rate; a pupil's share of a "
               "group session is divided by the group size.")
    grades = [r.grade for r in rates]
    outcome_choices: list[int | None] = [*range(1, counts["outcomes"] + 1)] or [None]
    for n in range(counts["staff"]):
        cols = st.columns([3, 2, 2, 2, 2])
        cols[0].selectbox(f"Support {n + 1}: who", grades,
                          key=field(f"staff.{n}.grade", grades[0], grades),
                          format_func=lambda g: f"{g} ({format_pounds(_rate(rates, g))}/h)")
        cols[1].number_input("Minutes a week", 0, 1_920, step=15,
                             key=field(f"staff.{n}.minutes", 60))
        cols[2].number_input("Group size", 1, 30, key=field(f"staff.{n}.group", 1))
        cols[3].number_input("Weeks", 1, 52, key=field(f"staff.{n}.weeks", DEFAULT_WEEKS))
        cols[4].selectbox("For outcome", outcome_choices,
                          key=field(f"staff.{n}.outcome", outcome_choices[0], outcome_choices))
    for n in range(counts["items"]):
        cols = st.columns([6, 2, 2])
        cols[0].text_input(f"Item {n + 1}: what it buys", key=field(f"item.{n}.description", ""),
                           **limited(TEXT_LIMITS["item"]))
        cols[1].number_input("Cost (£)", 0.0, 100_000.0, step=10.0, format="%.2f",
                             key=field(f"item.{n}.pounds", 0.0))
        cols[2].selectbox("For outcome", outcome_choices,
                          key=field(f"item.{n}.outcome", outcome_choices[0], outcome_choices))
    staff, items = _lines(counts)
    provision = cost_provision(staff, items, rate_table(rates),
                               pupils_paid_for(kind, counts["pupils"]))
    if provision.lines:
        st.dataframe([{"Line": line.label, "Cost": format_pounds(line.cost_pence)}
                      for line in provision.lines], hide_index=True, width="stretch")
    st.metric("Total asked (the lines add up to it)", format_pounds(provision.total_pence))
    return provision


def _rate(rates: tuple[Any, ...], grade: str) -> int:
    return next((r.pence_per_hour for r in rates if r.grade == grade), 0)


def _lines(counts: dict[str, int]) -> tuple[list[StaffLine], list[ItemLine]]:
    staff = [StaffLine(value(f"staff.{n}.grade", ""), int(value(f"staff.{n}.minutes", 0)),
                       int(value(f"staff.{n}.group", 1)), int(value(f"staff.{n}.weeks", 38)),
                       value(f"staff.{n}.outcome"))
             for n in range(counts["staff"]) if value(f"staff.{n}.minutes", 0)]
    items = [ItemLine(str(value(f"item.{n}.description", "")),
                      round(float(value(f"item.{n}.pounds", 0.0)) * 100),
                      value(f"item.{n}.outcome"))
             for n in range(counts["items"])
             if value(f"item.{n}.description", "").strip() or value(f"item.{n}.pounds", 0.0)]
    return staff, items


# --- the form -------------------------------------------------------------------------------


def _form(options: FormOptions, kind: str, counts: dict[str, int],
          provision: ProvisionMap) -> str | None:
    with st.form(key("form")):
        _about(options, kind)
        _pupils(kind, counts["pupils"])
        st.subheader("The need")
        st.text_area("Need in plain words", key=field("need_summary", ""),
                     **limited(LONG, "What the pupil(s) find hard and how it shows, without "
                                     "names"))
        st.text_area("What the school has already done (graduated approach, external advice)",
                     key=field("graduated_approach", ""), **limited(LONG))
        cols = st.columns(3)
        cols[0].number_input("Assess-plan-do-review cycles run", 0, 20, key=field("cycles", 0))
        cols[1].date_input("Date of the latest specialist assessment (if any)", value=None,
                           key=field("assessed_on", None), format="DD/MM/YYYY")
        cols[2].number_input("School's own spend on this support a year (£)", 0.0, 1_000_000.0,
                             step=100.0, format="%.2f", key=field("spend", 0.0))
        st.text_input("External advice (who advised, in a few words)", key=field("advice", ""),
                      **limited(LONG, "By role, not by name"))
        st.checkbox("Parents/carers (or the young person) were involved in the plan",
                    key=field("parents_involved", False))
        _outcomes(options, counts["outcomes"])
        _severity(options)
        _money_and_dates(options, kind, provision)
        st.subheader("Voices")
        st.text_area("Parent's or carer's view, in a few lines", key=field("parent_view", ""),
                     **limited(LONG))
        st.text_area("Pupil's view, in a few lines", key=field("pupil_view", ""),
                     **limited(LONG))
        names_prompt.confirmation(NAMES_FORM)
        cols = st.columns(3)
        check = cols[0].form_submit_button("Check", key=key("check"))
        save = cols[1].form_submit_button("Save draft", key=key("save"))
        submit = cols[2].form_submit_button("Submit to the cluster", type="primary",
                                            key=key("submit"))
    return "submit" if submit else "save" if save else "check" if check else None


def _about(options: FormOptions, kind: str) -> None:
    st.text_input("Title (a few words, never a pupil's name)", key=field("title", ""),
                  **limited(TEXT_LIMITS["title"]))
    ids = [m.id for m in options.meetings]
    if options.default_note:
        st.info(options.default_note)
    if ids:
        default = options.default_meeting_id if options.default_meeting_id in ids else ids[0]
        st.selectbox("Meeting", ids, key=field("meeting", default, ids),
                     format_func=lambda i: next(m.label for m in options.meetings if m.id == i))
    else:
        st.warning("No meeting is taking requests now: save a draft and submit it when the host "
                   "has set the next meeting up.")
    areas = list(AREA_CHOICES) if kind in (RequestKind.PROJECT, RequestKind.CASE_DISCUSSION) \
        else [FROM_PUPILS, *AREA_CHOICES]
    st.selectbox("Main area of need", areas, key=field("main_area", areas[0], areas))
    if kind == RequestKind.PROJECT:
        names = dict(options.partner_schools)
        chosen = [i for i in value("partners", []) or [] if i in names]
        st.session_state[key("partners")] = chosen
        st.multiselect("Partner schools (a joint project; your school leads and is paid)",
                       list(names), key=key("partners"), format_func=lambda i: names[i])
        st.number_input("Pupils the project will help (an estimate)", 0, 5_000,
                        key=field("pupils_helped", 0))


def _pupils(kind: str, count: int) -> None:
    if not count:
        return
    st.subheader("Pupils")
    codes = list(PRIMARY_NEEDS)
    for n in range(count):
        cols = st.columns([2, 2, 2, 3])
        cols[0].text_input(f"Pupil {n + 1} reference", key=field(f"pupil.{n}.reference", ""),
                           **limited(TEXT_LIMITS["reference"], "The school's pseudonymous "
                                     "code, such as AP-017. Never a name"))
        cols[1].selectbox("Year group", YEAR_GROUPS,
                          key=field(f"pupil.{n}.year_group", "Year 3", YEAR_GROUPS))
        statuses = list(SEN_STATUS_LABELS)
        cols[2].selectbox("SEN status", statuses,
                          key=field(f"pupil.{n}.sen_status", statuses[0], statuses),
                          format_func=lambda s: SEN_STATUS_LABELS[s])
        cols[3].selectbox("Primary need (census code)", codes,
                          key=field(f"pupil.{n}.need", codes[0], codes),
                          format_func=lambda c: PRIMARY_NEEDS[c].choice_label)
        st.checkbox("EHC needs assessment requested", key=field(f"pupil.{n}.assessment", False))
        if kind == RequestKind.GROUP:
            st.text_input(f"Pupil {n + 1}: a short profile", key=field(f"pupil.{n}.profile", ""),
                          **limited(LONG, "Without names"))
        st.checkbox("Parent/carer consents to this request, pseudonymised, being read by the "
                    "other schools of the cluster at the meeting",
                    key=field(f"pupil.{n}.consent", False))


def _outcomes(options: FormOptions, count: int) -> None:
    if not count:
        return
    st.subheader("Outcomes sought")
    by_default = date(options.academic_year + 1, 7, 14)
    for n in range(count):
        st.text_input(f"Outcome {n + 1}", key=field(f"outcome.{n}.description", ""),
                      **limited(TEXT_LIMITS["outcome"]))
        cols = st.columns(4)
        part = limited(TEXT_LIMITS["outcome_part"])
        cols[0].text_input("Measure", key=field(f"outcome.{n}.measure", ""), **part)
        cols[1].text_input("Baseline", key=field(f"outcome.{n}.baseline", ""), **part)
        cols[2].text_input("Target", key=field(f"outcome.{n}.target", ""), **part)
        cols[3].date_input("By", key=field(f"outcome.{n}.date", by_default), format="DD/MM/YYYY")


def _severity(options: FormOptions) -> None:
    st.subheader("Severity in each area of need")
    st.caption("Choose the descriptor that fits best (the cluster's own, agreed for the year); "
               "the main area's band counts most in the need score.")
    for area in AREA_CHOICES:
        descriptors = options.settings.matrix.descriptors.get(area, DEFAULT_DESCRIPTORS[area])
        st.selectbox(area, range(5), key=field(f"severity.{area}", 0, range(5)),
                     format_func=_band_label(descriptors))


def _band_label(descriptors: Sequence[str]) -> Callable[[int], str]:
    """Labels each band with its descriptor; a function per area, so each keeps its own words."""
    return lambda band: f"{band}: {descriptors[band]}"


def _money_and_dates(options: FormOptions, kind: str, provision: ProvisionMap) -> None:
    st.subheader("Money and dates")
    cols = st.columns(3)
    if kind != RequestKind.CASE_DISCUSSION:
        cols[0].markdown(f"Amount asked: **{format_pounds(provision.total_pence)}** (the provision "
                         "map's total)")
        cols[0].number_input("Minimum viable amount (£)", 0.0, 1_000_000.0, step=50.0,
                             format="%.2f", key=field("minimum", 0.0),
                             help="Below this the support is not worth starting.")
    default_meeting = next((m for m in options.meetings if m.id == options.default_meeting_id),
                           None)
    start = default_meeting.half_term if default_meeting else HALF_TERMS[0]
    cols[1].selectbox("Start term", HALF_TERMS, key=field("start_term", start, HALF_TERMS))
    cols[2].number_input("Duration in terms (3 = one academic year)", 1, 6,
                         key=field("duration", 3))


# --- reading the widgets and acting -----------------------------------------------------------


def _form_from_state(options: FormOptions, kind: str, counts: dict[str, int]) -> RequestForm:
    staff, items = _lines(counts)
    area = value("main_area")
    assessed = value("assessed_on")
    return RequestForm(
        kind=kind, title=str(value("title", "")),
        meeting_id=value("meeting") if options.meetings else None,
        main_area=None if area in (None, FROM_PUPILS) else area,
        partner_school_ids=tuple(value("partners", []) or ()),
        pupils=tuple(PupilInput(
            str(value(f"pupil.{n}.reference", "")), value(f"pupil.{n}.year_group", "Year 3"),
            value(f"pupil.{n}.sen_status", "sen_support"), value(f"pupil.{n}.need", "SLCN"),
            bool(value(f"pupil.{n}.assessment", False)), str(value(f"pupil.{n}.profile", "")),
            bool(value(f"pupil.{n}.consent", False))) for n in range(counts["pupils"])),
        pupils_helped=int(value("pupils_helped", 0) or 0),
        need_summary=str(value("need_summary", "")),
        graduated_approach=str(value("graduated_approach", "")),
        review_cycles=int(value("cycles", 0)), external_advice=str(value("advice", "")),
        specialist_assessment_on=assessed if isinstance(assessed, date) else None,
        school_spend_pence=round(float(value("spend", 0.0)) * 100),
        parents_involved=bool(value("parents_involved", False)),
        outcomes=tuple(OutcomeInput(
            str(value(f"outcome.{n}.description", "")), str(value(f"outcome.{n}.measure", "")),
            str(value(f"outcome.{n}.baseline", "")), str(value(f"outcome.{n}.target", "")),
            value(f"outcome.{n}.date")) for n in range(counts["outcomes"])),
        staff_lines=tuple(staff), item_lines=tuple(items),
        minimum_pence=round(float(value("minimum", 0.0)) * 100),
        start_term=value("start_term", "Autumn 1"), duration_terms=int(value("duration", 3)),
        severity={area_name: int(value(f"severity.{area_name}", 0)) for area_name in AREA_CHOICES
                  if int(value(f"severity.{area_name}", 0))},
        parent_view=str(value("parent_view", "")), pupil_view=str(value("pupil_view", "")),
    )


def _act(actor: Actor, pressed: str, form: RequestForm) -> None:
    editing = st.session_state.get(state.REQUEST_EDITING)
    where = {"request_id": editing[0], "expected_version": editing[1],
             "drawn_from": editing[2]} if editing else {}
    confirmed = names_prompt.confirmed(NAMES_FORM)
    try:
        if pressed == "check":
            result = check_request(engine(), actor, form, editing[0] if editing else None)
            st.subheader("Checks")
            show_findings(result.findings, submitting=False)
            show_score(result.score, result.amount_pence)
            return
        if pressed == "save":
            saved = save_draft(engine(), actor, form, confirmed_not_names=confirmed, **where)
        else:
            saved = submit_form(engine(), actor, form, confirmed_not_names=confirmed, **where)
    except NamesToConfirm as asked:
        names_prompt.ask(NAMES_FORM, asked)
        return
    except ChecksFailed as refused:
        show_findings(refused.findings, submitting=pressed == "submit")
        return
    except ClusterError as error:
        st.error(error.message)
        return
    names_prompt.done(NAMES_FORM)
    if pressed == "save":
        detail = get_request(engine(), actor, saved.id)
        st.session_state[state.REQUEST_EDITING] = (saved.id, detail.version, detail.drawn_from())
        st.query_params["edit"] = str(saved.id)
        st.success(f"Draft saved as request {saved.id}. Nothing has been sent to the cluster yet.")
        if saved.moved:
            st.info(saved.moved)
        if saved.flags:
            st.warning("Flags the meeting will see:\n" + "\n".join(f"- {f}" for f in saved.flags))
        st.page_link(REQUEST_VIEW, label=f"Open request {saved.id}",
                     query_params={"request": str(saved.id)}, icon=":material/description:")
        return
    _clear()
    st.session_state[state.REQUEST_MESSAGE] = (
        f"Request {saved.id} submitted to the cluster: {format_pounds(saved.amount_pence)} asked"
        + (f", need score {saved.need_score:g}." if saved.need_score is not None else ".")
        + (f" {saved.moved}" if saved.moved else ""))
    st.rerun()


def _clear() -> None:
    for name in [k for k in st.session_state if str(k).startswith(state.REQUEST_FORM + ".")]:
        del st.session_state[name]
    st.session_state.pop(state.REQUEST_EDITING, None)
    st.query_params.pop("edit", None)


def _open_for_editing(actor: Actor) -> None:
    """?edit=ID fills the form from a draft or returned request of the school, once."""
    wanted = st.query_params.get("edit")
    editing = st.session_state.get(state.REQUEST_EDITING)
    if not wanted or (editing and str(editing[0]) == wanted):
        return
    if not (wanted.isascii() and wanted.isdigit()) or len(wanted) > 9:  # never a database overflow
        st.error(f"“{wanted[:20]}” is not a request number.")
        return
    try:
        detail = get_request(engine(), actor, int(wanted))
    except ClusterError as error:
        st.error(error.message)
        return
    if detail.form is None or not detail.can_edit[0]:
        st.error(detail.can_edit[1] or "That request cannot be changed here.")
        return
    _clear()
    _prefill(detail.form)
    st.session_state[state.REQUEST_EDITING] = (detail.id, detail.version, detail.drawn_from())
    st.query_params["edit"] = str(detail.id)


def _prefill(form: RequestForm) -> None:
    values: dict[str, Any] = {
        "kind": form.kind, "title": form.title, "main_area": form.main_area or FROM_PUPILS,
        "partners": list(form.partner_school_ids), "pupils_helped": form.pupils_helped,
        "need_summary": form.need_summary, "graduated_approach": form.graduated_approach,
        "cycles": form.review_cycles, "assessed_on": form.specialist_assessment_on,
        "spend": form.school_spend_pence / 100, "advice": form.external_advice,
        "parents_involved": form.parents_involved, "minimum": form.minimum_pence / 100,
        "start_term": form.start_term, "duration": form.duration_terms,
        "parent_view": form.parent_view, "pupil_view": form.pupil_view,
        "n_outcomes_case" if form.kind == RequestKind.CASE_DISCUSSION else "n_outcomes":
            len(form.outcomes),
        "n_staff": len(form.staff_lines),
        "n_items": len(form.item_lines),
    }
    if form.meeting_id is not None:
        values["meeting"] = form.meeting_id
    if form.kind == RequestKind.GROUP:
        values["n_pupils"] = max(2, len(form.pupils))
    elif form.kind == RequestKind.CASE_DISCUSSION:
        values["n_pupils_case"] = len(form.pupils)
    for n, pupil in enumerate(form.pupils):
        values.update({f"pupil.{n}.reference": pupil.reference,
                       f"pupil.{n}.year_group": pupil.year_group,
                       f"pupil.{n}.sen_status": pupil.sen_status,
                       f"pupil.{n}.need": pupil.primary_need,
                       f"pupil.{n}.assessment": pupil.ehc_assessment_requested,
                       f"pupil.{n}.profile": pupil.profile,
                       f"pupil.{n}.consent": pupil.consent_given})
    for n, outcome in enumerate(form.outcomes):
        values.update({f"outcome.{n}.description": outcome.description,
                       f"outcome.{n}.measure": outcome.measure,
                       f"outcome.{n}.baseline": outcome.baseline,
                       f"outcome.{n}.target": outcome.target,
                       f"outcome.{n}.date": outcome.target_on})
    for n, line in enumerate(form.staff_lines):
        values.update({f"staff.{n}.grade": line.grade, f"staff.{n}.minutes": line.minutes_per_week,
                       f"staff.{n}.group": line.group_size, f"staff.{n}.weeks": line.weeks,
                       f"staff.{n}.outcome": line.outcome})
    for n, item in enumerate(form.item_lines):
        values.update({f"item.{n}.description": item.description,
                       f"item.{n}.pounds": item.cost_pence / 100,
                       f"item.{n}.outcome": item.outcome})
    for area, band in form.severity.items():
        values[f"severity.{area}"] = band
    for name, field_value in values.items():
        st.session_state[key(name)] = field_value


render()
