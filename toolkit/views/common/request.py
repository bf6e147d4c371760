"""One request, opened by its number (?request=ID): the school's own in full, another school's only
while it is on an agenda (the service decides and audits), with the steps this reader may take."""

from __future__ import annotations

import streamlit as st

from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.models import RequestStatus, Role
from cluster.reporting.home import cluster_headline
from cluster.requests.checks import ChecksFailed
from cluster.requests.reading import agenda_requests, get_request
from cluster.requests.screens import RequestDetail, SavedRequest
from cluster.requests.status import (
    MAX_MISSING_ITEMS,
    MAX_NOTE_CHARACTERS,
    is_headteacher,
    return_for_information,
    send_back_to_senco,
    sign_off_request,
    submit_request,
    withdraw_request,
)
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.history import who_changed_this
from toolkit.components.requests import (
    NEW_REQUEST_VIEW,
    request_links,
    show_detail,
    show_findings,
)
from toolkit.components.shared import headline_caption
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline_caption(cluster_headline(engine(), actor))
    forms.show_flash(state.REQUEST_MESSAGE)
    wanted = st.query_params.get("request")
    if not wanted:
        _choose(actor)
        return
    # ASCII digits, and few enough for the database: "99999999999999999999" crashed the read.
    if not (wanted.strip().isascii() and wanted.strip().isdigit()) or len(wanted.strip()) > 9:
        st.title("Open a request")
        st.error(f"“{wanted[:20]}” is not a request number.")
        _choose(actor)
        return
    try:
        detail = get_request(engine(), actor, int(wanted))
    except ClusterError as error:
        st.title("Open a request")
        st.error(error.message)
        _choose(actor)
        return
    st.title(f"Request {detail.id}: {detail.title}")
    show_detail(detail)
    who_changed_this(actor, "request", detail.id)
    _steps(actor, detail)
    # The sidebar's "Open a request" names this same page, so a click there changes nothing while
    # a request is open: the way to another one is here.
    with st.expander("Open another request", icon=":material/search:"):
        _number_form()


def _choose(actor: Actor) -> None:
    if "request" not in st.query_params:
        st.title("Open a request")
    _number_form()
    if actor.role == Role.SCHOOL:
        rows = agenda_requests(engine(), actor)
        st.subheader("Other schools' requests you can read now")
        if rows:
            st.caption("On a meeting's agenda: open from papers-out until the minutes are "
                       "approved. Each read is recorded.")
            request_links(rows)
        else:
            st.caption("None: other schools' requests open when a meeting's papers go out.")


def _number_form() -> None:
    with st.form("open_request"):  # a search, not a record's form: nothing is saved
        number = st.number_input("Request number", min_value=1, step=1, value=None,
                                 placeholder="for example 12")
        opened = st.form_submit_button("Open")
    if opened and number:
        st.query_params["request"] = str(int(number))
        st.rerun()


def _steps(actor: Actor, detail: RequestDetail) -> None:
    if detail.status == RequestStatus.AWAITING_HEAD and is_headteacher(actor):
        _sign_off(actor, detail)
    if actor.role == Role.SCHOOL and detail.form is not None:
        _school_steps(actor, detail)
    if actor.role == Role.HOST and detail.can_return[0]:
        _return(actor, detail)


def _sign_off(actor: Actor, detail: RequestDetail) -> None:
    """The headteacher's sign-off (a cluster rule): send it to the cluster, or back with a note."""
    st.divider()
    st.markdown("**Your sign-off.** The SENCO sent this request to you; the cluster sees it once "
                "you sign it off.")
    if st.button("Sign off and send to the cluster", type="primary"):
        forms.save("request", lambda: sign_off_request(engine(), actor, detail.id,
                                                        expected_version=detail.version),
                   done=lambda saved: f"Request {saved.id} signed off and sent to the cluster.",
                   flash_key=state.REQUEST_MESSAGE, refusal=_checks_refused)
    with forms.form("send_back", detail.version) as drawn:
        note = drawn.text("Or send it back to the SENCO: what should change? (no pupil names)",
                          MAX_NOTE_CHARACTERS, area=True)
        pressed = drawn.buttons("Send back to the SENCO")
    if pressed:
        forms.save(drawn.name, lambda: send_back_to_senco(
            engine(), actor, detail.id, note, expected_version=detail.version,
            confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done=f"Request {detail.id} sent back to the SENCO.", flash_key=state.REQUEST_MESSAGE,
            drawn=drawn)


def _submitted_words(saved: SavedRequest) -> str:
    """Where the request went: to the cluster, or (the cluster's rule) to the head first."""
    if saved.status == RequestStatus.AWAITING_HEAD:
        return (f"Request {saved.id} sent to your headteacher to sign off; the cluster sees it "
                f"once they do. {saved.moved}").strip()
    return f"Request {saved.id} submitted. {saved.moved}".strip()


def _school_steps(actor: Actor, detail: RequestDetail) -> None:
    st.divider()
    edit, submit = st.columns(2)
    if edit.button("Edit this request", disabled=not detail.can_edit[0],
                   help=detail.can_edit[1] or None):
        st.switch_page(NEW_REQUEST_VIEW, query_params={"edit": str(detail.id)})
    if submit.button("Submit to the cluster", type="primary", disabled=not detail.can_submit[0],
                     help=detail.can_submit[1] or None):
        forms.save("request", lambda: submit_request(engine(), actor, detail.id,
                                                      expected_version=detail.version),
                   done=_submitted_words,
                   flash_key=state.REQUEST_MESSAGE, refusal=_checks_refused)
    if detail.can_withdraw[0]:
        with forms.form("withdraw", detail.version) as drawn:
            reason = drawn.text("Why withdraw it? (optional, no pupil names)",
                                MAX_NOTE_CHARACTERS)
            pressed = drawn.buttons("Withdraw this request")
        if pressed:
            forms.save(drawn.name, lambda: withdraw_request(
                engine(), actor, detail.id, expected_version=detail.version, reason=reason,
                confirmed_not_names=names_prompt.confirmed(drawn.name)),
                done=f"Request {detail.id} withdrawn.", flash_key=state.REQUEST_MESSAGE,
                drawn=drawn)
    else:
        st.caption(detail.can_withdraw[1])


def _checks_refused(error: ClusterError) -> bool:
    if not isinstance(error, ChecksFailed):
        return False
    show_findings(error.findings, submitting=True)
    return True


def _return(actor: Actor, detail: RequestDetail) -> None:
    st.divider()
    with forms.form("return", detail.version) as drawn:
        st.markdown("**Return it for more information.** The school sees the list and can "
                    "resubmit; the request is never silently dropped.")
        # Each line is one item the service checks (200 characters each, at most 12 items).
        missing = drawn.text("What is missing (one item a line)", 200 * MAX_MISSING_ITEMS,
                             area=True)
        pressed = drawn.buttons("Return to the school")
    if pressed:
        forms.save(drawn.name, lambda: return_for_information(
            engine(), actor, detail.id, missing.splitlines(), expected_version=detail.version,
            confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done=f"Request {detail.id} returned to {detail.school_name}.",
            flash_key=state.REQUEST_MESSAGE, drawn=drawn)


render()
