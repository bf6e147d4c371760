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

from cluster.common.calendar import HALF_TERMS
from cluster.common.money import format_pounds
from cluster.common.needs import AREA_CHOICES, PRIMARY_NEEDS, SenStatus
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
    ProvisionMap,
    cost_provision,
    pupils_paid_for,
    rate_table,
)
from cluster.requests.forms import (
    AUXILIARY_AID,
    MAX_OUTCOMES,
    RequestForm,
)
from cluster.requests.need_score import DEFAULT_DESCRIPTORS, score_text
from cluster.requests.reading import check_request, get_request, request_form_options
from cluster.requests.screens import FormOptions
from cluster.requests.status import save_draft, submit_form
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.names_prompt import limited
from toolkit.components.request_fields import (
    FROM_PUPILS,
    ONE_PUPIL_KINDS,
    default,
    form_of,
    lines_of,
    values_of,
)
from toolkit.components.requests import REQUEST_VIEW, show_findings, show_score
from toolkit.components.shared import headline_caption
from toolkit.engine import engine
from toolkit.guard import guard_view

KINDS = (RequestKind.INDIVIDUAL, RequestKind.MEDICAL, RequestKind.FIRST_YEAR, RequestKind.GROUP,
         RequestKind.PROJECT, RequestKind.CASE_DISCUSSION, AUXILIARY_AID)
MAX_LINES = 8
MAX_ITEM_POUNDS = 100_000.0  # the checks' own ceiling for one item (cluster/requests/checks.py)
BUTTONS = {"check": "Check", "save": "Save draft", "submit": "Submit to the cluster"}
NAMES_FORM = "request"  # the registered form's name (toolkit/components/forms.py)
LONG = TEXT_LIMITS["long"]
OVERRIDES: dict[str, Any] = {}  # this run's defaults that come from the year (_year_defaults)


def key(name: str) -> str:
    return f"{state.REQUEST_FORM}.{name}"


def stored(name: str) -> Any:
    """What the record being edited holds for a field, else the field's one default."""
    values = st.session_state.get(state.REQUEST_STORED) or {}
    return values[name] if name in values else default(name, OVERRIDES)


def value(name: str) -> Any:
    return st.session_state.get(key(name), stored(name))


def field(name: str, choices: Any = None) -> str:
    """The widget key, with its starting value put in the session state first: the stored
    record's value or the field's default (request_fields), so a draft opened again after
    leaving the page shows what is stored. A value no longer among the choices is dropped."""
    widget_key = key(name)
    if choices is not None and widget_key in st.session_state \
            and st.session_state[widget_key] not in list(choices):
        del st.session_state[widget_key]
    start = stored(name)
    if choices is not None and start not in list(choices):
        start = list(choices)[0]
    st.session_state.setdefault(widget_key, start)
    return widget_key


def render() -> None:
    actor = guard_view(__file__)
    submitted = st.session_state.pop(state.REQUEST_SUBMITTED, None)
    if submitted is not None:
        _after_submission(actor, submitted)
        return
    _open_for_editing(actor)
    editing = st.session_state.get(state.REQUEST_EDITING)
    st.title(f"Edit request {editing[0]}" if editing else "New request")
    headline_caption(cluster_headline(engine(), actor))
    if state.REQUEST_MESSAGE in st.session_state:
        forms.show_flash(state.REQUEST_MESSAGE)
        st.page_link("toolkit/views/school/our_requests.py", label="See it in Our requests",
                     icon=":material/assignment:")
        if editing:
            st.page_link(REQUEST_VIEW, label=f"Open request {editing[0]}",
                         query_params={"request": str(editing[0])}, icon=":material/description:")
    options = request_form_options(engine(), actor)
    OVERRIDES.update(_year_defaults(options))
    if editing and st.button("Start a new request instead"):
        _clear()
        st.rerun()
    st.info("Never write a pupil's name, UPN, ULN, NHS number or date of birth. Refer to each "
            "pupil by the school's own pseudonymous reference, such as AP-017.")
    kind = st.selectbox("Kind of request", KINDS, key=field("kind", KINDS),
                        format_func=lambda k: KIND_LABELS[k])
    if kind == AUXILIARY_AID:
        st.warning("Not through the cluster: " + AUXILIARY_AIDS_SIGNPOST + ".")
        return
    counts = _layout(kind)
    provision = _provision_map(options, kind, counts)
    pressed = _form(options, kind, counts, provision)
    if pressed:
        _act(actor, pressed, form_of(kind, value, has_meetings=bool(options.meetings)))


def _year_defaults(options: FormOptions) -> dict[str, Any]:
    """The defaults that come from the year: the next meeting taking requests and its
    half-term, the first grade of the rate table, outcomes due by the summer."""
    ids = [m.id for m in options.meetings]
    meeting = options.default_meeting_id if options.default_meeting_id in ids else (
        ids[0] if ids else None)
    half_term = next((m.half_term for m in options.meetings if m.id == meeting), HALF_TERMS[0])
    grades = [r.grade for r in options.settings.rates]
    return {"meeting": meeting, "start_term": half_term,
            "staff.*.grade": grades[0] if grades else "",
            "outcome.*.date": date(options.academic_year + 1, 7, 14)}


# --- outside the form: the layout and the provision map (live total) ---------------------------


def _layout(kind: str) -> dict[str, int]:
    columns = st.columns(4)
    if kind in ONE_PUPIL_KINDS:
        pupils = 1
    elif kind == RequestKind.GROUP:
        pupils = columns[0].number_input("Pupils in the group", 2, 15,
                                         key=field("n_pupils", range(2, 16)))
    elif kind == RequestKind.CASE_DISCUSSION:
        pupils = columns[0].number_input("Pupils discussed", 0, 3,
                                         key=field("n_pupils_case", range(4)))
    else:
        pupils = 0
    if kind == RequestKind.CASE_DISCUSSION:
        outcomes = columns[1].number_input("Outcomes sought", 0, MAX_OUTCOMES,
                                           key=field("n_outcomes_case", range(4)))
        return {"pupils": int(pupils), "outcomes": int(outcomes), "staff": 0, "items": 0}
    outcomes = columns[1].number_input("Outcomes sought", 1, MAX_OUTCOMES,
                                       key=field("n_outcomes", range(1, 4)))
    staff = columns[2].number_input("Lines of staff support", 0, MAX_LINES,
                                    key=field("n_staff", range(MAX_LINES + 1)))
    items = columns[3].number_input("Items to buy", 0, MAX_LINES,
                                    key=field("n_items", range(MAX_LINES + 1)))
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
                          key=field(f"staff.{n}.grade", grades),
                          format_func=lambda g: f"{g} ({format_pounds(_rate(rates, g))}/h)")
        cols[1].number_input("Minutes a week", 0, 1_920, step=15,
                             key=field(f"staff.{n}.minutes"))
        cols[2].number_input("Group size", 1, 30, key=field(f"staff.{n}.group"))
        cols[3].number_input("Weeks", 1, 52, key=field(f"staff.{n}.weeks"))
        cols[4].selectbox("For outcome", outcome_choices,
                          key=field(f"staff.{n}.outcome", outcome_choices))
    for n in range(counts["items"]):
        cols = st.columns([6, 2, 2])
        cols[0].text_input(f"Item {n + 1}: what it buys", key=field(f"item.{n}.description"),
                           **limited(TEXT_LIMITS["item"]))
        # No lower bound in the box: a browser would outline a negative cost in red and keep
        # the old total without a word; here the total says which line it leaves out, and why.
        cols[1].number_input("Cost (£)", None, MAX_ITEM_POUNDS, step=10.0, format="%.2f",
                             key=field(f"item.{n}.pounds"))
        cols[2].selectbox("For outcome", outcome_choices,
                          key=field(f"item.{n}.outcome", outcome_choices))
    staff, items = lines_of(counts, value)
    left_out = [n for n, item in enumerate(items) if item.cost_pence < 0]
    for n in left_out:
        st.error(f"Item {n + 1}: a cost cannot be below £0. The total below leaves it out until "
                 "it is corrected, and the request cannot be saved with it.")
    provision = cost_provision(staff, [i for i in items if i.cost_pence >= 0],
                               rate_table(rates), pupils_paid_for(kind, counts["pupils"]))
    if provision.lines:
        st.dataframe([{"Line": line.label, "Cost": format_pounds(line.cost_pence)}
                      for line in provision.lines], hide_index=True, width="stretch")
    st.metric("Total asked (the lines add up to it)", format_pounds(provision.total_pence))
    return provision


def _rate(rates: tuple[Any, ...], grade: str) -> int:
    return next((r.pence_per_hour for r in rates if r.grade == grade), 0)


# --- the form -------------------------------------------------------------------------------


def _form(options: FormOptions, kind: str, counts: dict[str, int],
          provision: ProvisionMap) -> str | None:
    with forms.form(NAMES_FORM) as drawn:
        _about(options, kind)
        _pupils(options, kind, counts["pupils"])
        st.subheader("The need")
        st.text_area("Need in plain words", key=field("need_summary"),
                     **limited(LONG, "What the pupil(s) find hard and how it shows, without "
                                     "names"))
        st.text_area("What the school has already done (graduated approach, external advice)",
                     key=field("graduated_approach"), **limited(LONG))
        cols = st.columns(3)
        cols[0].number_input("Assess-plan-do-review cycles run", 0, 20, key=field("cycles"))
        cols[1].date_input("Date of the latest specialist assessment (if any)", value=None,
                           key=field("assessed_on"), format="DD/MM/YYYY")
        cols[2].number_input("School's own spend on this support a year (£)", 0.0, 1_000_000.0,
                             step=100.0, format="%.2f", key=field("spend"))
        st.text_input("External advice (who advised, in a few words)", key=field("advice"),
                      **limited(LONG, "By role, not by name"))
        st.checkbox("Parents/carers (or the young person) were involved in the plan",
                    key=field("parents_involved"))
        _outcomes(options, counts["outcomes"])
        _severity(options)
        _money_and_dates(options, kind, provision)
        st.subheader("Voices")
        st.text_area("Parent's or carer's view, in a few lines", key=field("parent_view"),
                     **limited(LONG))
        st.text_area("Pupil's view, in a few lines", key=field("pupil_view"),
                     **limited(LONG))
        pressed = drawn.buttons(*BUTTONS.values(), primary=2,
                                keys={label: key(name) for name, label in BUTTONS.items()})
    return next((name for name, label in BUTTONS.items() if label == pressed), None)


def _about(options: FormOptions, kind: str) -> None:
    st.text_input("Title (a few words, never a pupil's name)", key=field("title"),
                  **limited(TEXT_LIMITS["title"]))
    ids = [m.id for m in options.meetings]
    if options.default_note:
        st.info(options.default_note)
    if ids:
        st.selectbox("Meeting", ids, key=field("meeting", ids),
                     format_func=lambda i: next(m.label for m in options.meetings if m.id == i))
    else:
        st.warning("No meeting is taking requests now: save a draft and submit it when the host "
                   "has set the next meeting up.")
    areas = list(AREA_CHOICES) if kind in (RequestKind.PROJECT, RequestKind.CASE_DISCUSSION) \
        else [FROM_PUPILS, *AREA_CHOICES]
    st.selectbox("Main area of need", areas, key=field("main_area", areas))
    if kind == RequestKind.PROJECT:
        names = dict(options.partner_schools)
        chosen = [i for i in value("partners") or [] if i in names]
        st.session_state[key("partners")] = chosen
        st.multiselect("Partner schools (a joint project; your school leads and is paid)",
                       list(names), key=key("partners"), format_func=lambda i: names[i])
        st.number_input("Pupils the project will help (an estimate)", 0, 5_000,
                        key=field("pupils_helped"))


def _pupils(options: FormOptions, kind: str, count: int) -> None:
    if not count:
        return
    st.subheader("Pupils")
    codes = list(PRIMARY_NEEDS)
    for n in range(count):
        cols = st.columns([2, 2, 2, 3])
        cols[0].text_input(f"Pupil {n + 1} reference", key=field(f"pupil.{n}.reference"),
                           **limited(TEXT_LIMITS["reference"], "The school's pseudonymous "
                                     "code, such as AP-017. Never a name"))
        cols[1].selectbox("Year group", options.year_groups,
                          key=field(f"pupil.{n}.year_group", options.year_groups))
        statuses = list(SenStatus.labels())
        cols[2].selectbox("SEN status", statuses,
                          key=field(f"pupil.{n}.sen_status", statuses),
                          format_func=SenStatus.label_of)
        cols[3].selectbox("Primary need (census code)", codes,
                          key=field(f"pupil.{n}.need", codes),
                          format_func=lambda c: PRIMARY_NEEDS[c].choice_label)
        st.checkbox("EHC needs assessment requested", key=field(f"pupil.{n}.assessment"))
        if kind == RequestKind.GROUP:
            st.text_input(f"Pupil {n + 1}: a short profile", key=field(f"pupil.{n}.profile"),
                          **limited(LONG, "Without names"))
        st.checkbox("Parent/carer consents to this request, pseudonymised, being read by the "
                    "other schools of the cluster at the meeting",
                    key=field(f"pupil.{n}.consent"))


def _outcomes(options: FormOptions, count: int) -> None:
    if not count:
        return
    st.subheader("Outcomes sought")
    for n in range(count):
        st.text_input(f"Outcome {n + 1}", key=field(f"outcome.{n}.description"),
                      **limited(TEXT_LIMITS["outcome"]))
        cols = st.columns(4)
        part = limited(TEXT_LIMITS["outcome_part"])
        cols[0].text_input("Measure", key=field(f"outcome.{n}.measure"), **part)
        cols[1].text_input("Baseline", key=field(f"outcome.{n}.baseline"), **part)
        cols[2].text_input("Target", key=field(f"outcome.{n}.target"), **part)
        cols[3].date_input("By", key=field(f"outcome.{n}.date"), format="DD/MM/YYYY")


def _severity(options: FormOptions) -> None:
    st.subheader("Severity in each area of need")
    st.caption("Choose the descriptor that fits best (the cluster's own, agreed for the year); "
               "the main area's band counts most in the need score.")
    for area in AREA_CHOICES:
        descriptors = options.settings.matrix.descriptors.get(area, DEFAULT_DESCRIPTORS[area])
        st.selectbox(area, range(5), key=field(f"severity.{area}", range(5)),
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
                             format="%.2f", key=field("minimum"),
                             help="Below this the support is not worth starting.")
    cols[1].selectbox("Start term", HALF_TERMS, key=field("start_term", HALF_TERMS))
    cols[2].number_input("Duration in terms (3 = one academic year)", 1, 6,
                         key=field("duration"))


# --- reading the widgets and acting -----------------------------------------------------------


def _act(actor: Actor, pressed: str, form: RequestForm) -> None:
    if pressed == "check":
        _check(actor, form)
        return
    editing = st.session_state.get(state.REQUEST_EDITING)
    where = {"request_id": editing[0], "expected_version": editing[1],
             "drawn_from": editing[2]} if editing else {}
    confirmed = names_prompt.confirmed(NAMES_FORM)
    if pressed == "save":
        forms.save(NAMES_FORM, lambda: save_draft(engine(), actor, form,
                                                  confirmed_not_names=confirmed, **where),
                   done=_draft_saved, flash_key=state.REQUEST_MESSAGE,
                   on_saved=lambda saved: _now_editing(actor, saved.id),
                   on_stale=lambda: _reload(actor), refusal=_refused, typed=_typed(form))
    else:
        forms.save(NAMES_FORM, lambda: submit_form(engine(), actor, form,
                                                   confirmed_not_names=confirmed, **where),
                   done=_submitted, flash_key=state.REQUEST_MESSAGE,
                   on_saved=_now_submitted, on_stale=lambda: _reload(actor),
                   refusal=_refused, typed=_typed(form))


def _typed(form: RequestForm) -> dict[str, str]:
    """The free text typed, kept beside the form when a save is refused as stale."""
    texts = {"Title": form.title, "Need in plain words": form.need_summary,
             "What the school has already done": form.graduated_approach,
             "External advice": form.external_advice, "Parent's or carer's view": form.parent_view,
             "Pupil's view": form.pupil_view}
    texts.update({f"Outcome {n + 1}": o.description for n, o in enumerate(form.outcomes)})
    texts.update({f"Item {n + 1}": i.description for n, i in enumerate(form.item_lines)})
    return {label: text for label, text in texts.items() if text}


def _check(actor: Actor, form: RequestForm) -> None:
    editing = st.session_state.get(state.REQUEST_EDITING)
    try:
        result = check_request(engine(), actor, form, editing[0] if editing else None)
    except ClusterError as error:
        st.error(error.message)
        return
    st.subheader("Checks")
    show_findings(result.findings, submitting=False)
    show_score(result.score, result.amount_pence)


def _refused(error: ClusterError) -> bool:
    """The request's own refusal: every check that stops it, field by field."""
    if not isinstance(error, ChecksFailed):
        return False
    st.error("Not saved: the checks below stop it.")
    show_findings(error.findings, submitting=True)
    return True


def _draft_saved(saved: Any) -> str:
    flags = "".join(f"\n- {flag}" for flag in saved.flags)
    return (f"Draft saved as request {saved.id}. Nothing has been sent to the cluster yet."
            + (f" {saved.moved}" if saved.moved else "")
            + (f"\n\nFlags the meeting will see:{flags}" if flags else ""))


def _submitted(saved: Any) -> str:
    scored = "" if saved.need_score is None else f", need score {score_text(saved.need_score)}"
    return (f"Request {saved.id} submitted to the cluster: {format_pounds(saved.amount_pence)} "
            f"asked{scored}." + (f" {saved.moved}" if saved.moved else ""))


def _now_submitted(saved: Any) -> None:
    _clear()
    st.session_state[state.REQUEST_SUBMITTED] = saved.id


def _after_submission(actor: Actor, request_id: int) -> None:
    """What a submission leaves on screen: what was sent and where to go next, not a blank form
    straight away (drawing the whole form again made the answer slow to appear)."""
    st.title(f"Request {request_id} submitted")
    headline_caption(cluster_headline(engine(), actor))
    forms.show_flash(state.REQUEST_MESSAGE)
    st.page_link(REQUEST_VIEW, label=f"Open request {request_id}",
                 query_params={"request": str(request_id)}, icon=":material/description:")
    st.page_link("toolkit/views/school/our_requests.py", label="See it in Our requests",
                 icon=":material/assignment:")
    st.button("Start a new request", type="primary")  # pressed: the page draws a blank form


def _now_editing(actor: Actor, request_id: int) -> None:
    """After a draft is saved the page goes on editing that request (and says so in its
    address), holding what is now stored."""
    detail = get_request(engine(), actor, request_id)
    _hold(detail)


def _hold(detail: Any) -> None:
    st.session_state[state.REQUEST_EDITING] = (detail.id, detail.version, detail.drawn_from())
    st.session_state[state.REQUEST_STORED] = values_of(detail.form) if detail.form else {}
    st.query_params["edit"] = str(detail.id)


def _reload(actor: Actor) -> None:
    """After a stale refusal: the form shows the latest stored request (what was typed is
    shown beside it), so the next save goes over the latest version."""
    editing = st.session_state.get(state.REQUEST_EDITING)
    if not editing:
        return
    detail = get_request(engine(), actor, editing[0])
    _clear_fields()
    _hold(detail)


def _clear_fields() -> None:
    for name in [k for k in st.session_state if str(k).startswith(state.REQUEST_FORM + ".")]:
        del st.session_state[name]


def _clear() -> None:
    _clear_fields()
    st.session_state.pop(state.REQUEST_EDITING, None)
    st.session_state.pop(state.REQUEST_STORED, None)
    st.query_params.pop("edit", None)


def _open_for_editing(actor: Actor) -> None:
    """The address says what the form edits: ?edit=ID opens a draft or returned request of the
    school; no ?edit is always a new request (the sidebar's New request never edits one)."""
    wanted = st.query_params.get("edit")
    editing = st.session_state.get(state.REQUEST_EDITING)
    if not wanted:
        if editing:
            _clear()
        return
    if editing and str(editing[0]) == wanted:
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
    _hold(detail)


render()
