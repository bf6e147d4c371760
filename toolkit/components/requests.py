"""Pieces the request views share: findings, the score's parts, the provision map, one request."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.common.needs import SenStatus
from cluster.models import RequestStatus
from cluster.requests.checks import Finding
from cluster.requests.need_score import NeedScore, score_text
from cluster.requests.screens import RequestDetail, RequestRow

REQUEST_VIEW = "toolkit/views/common/request.py"
NEW_REQUEST_VIEW = "toolkit/views/school/new_request.py"


def show_findings(findings: Sequence[Finding], *, submitting: bool) -> None:
    """Errors first (what stops the step), then flags (what the meeting will see)."""
    errors = [f for f in findings if f.level == "error"]
    warnings = [f for f in findings if f.level == "warning"]
    if errors:
        heading = "Not submitted. Put these right first:" if submitting else \
            "These would stop the request being submitted:"
        st.error(heading + "\n" + "\n".join(f"- **{f.field}**: {f.problem}" for f in errors))
    if warnings:
        st.warning("Flags the meeting will see (they do not stop the request):\n"
                   + "\n".join(f"- **{f.field}**: {f.problem}" for f in warnings))
    if not errors and not warnings:
        st.success("Every check passes.")


def show_score(score: NeedScore | None, amount_pence: int) -> None:
    if score is None:
        st.info("The need score appears once the main area of need is known.")
        return
    st.markdown(f"**Need score: {score_text(score.total)} out of {score.out_of:g}**, from the "
                "cluster's need matrix for the year. Each part:")
    st.dataframe([{"Part": p.part, "Points": f"{p.points:g} of {p.out_of:g}", "Why": p.why}
                  for p in score.parts], hide_index=True, width="stretch")
    if score.band is not None:
        st.markdown(f"**{score.band.label}** (areas of need add up to {score.band.area_total} of "
                    f"16): typical value {format_pounds(score.band.typical_pence)}, beside "
                    f"{format_pounds(amount_pence)} asked.")


def request_links(rows: Sequence[RequestRow]) -> None:
    """A keyboard-friendly link per request, opening it in the request view (?request=ID)."""
    for row in rows:
        st.page_link(REQUEST_VIEW, label=f"Request {row.id}: {row.title} ({row.school_name}, "
                                         f"{RequestStatus.label_of(row.status).lower()})"
                                         + ("; pupil details withheld: consent not recorded"
                                            if row.withheld else ""),
                     icon=":material/description:", query_params={"request": str(row.id)})


def _awarded_text(detail: RequestDetail) -> str:
    if detail.awarded_pence is not None:
        return format_pounds(detail.awarded_pence)
    # A withdrawn request will never be decided: "not decided" would suggest it still might be.
    return "none: withdrawn" if detail.status == RequestStatus.WITHDRAWN else "not decided"


def show_detail(detail: RequestDetail) -> None:
    meeting = detail.meeting.label if detail.meeting else "no meeting chosen"
    st.markdown(f"**{detail.school_name}** · {detail.kind_label} · **{detail.status_label}** · "
                f"for {meeting}")
    if detail.partner_schools:
        st.markdown("Joint project with " + ", ".join(detail.partner_schools) + ".")
    if detail.missing_items:
        st.warning("Returned for more information. The host asks for:\n"
                   + "\n".join(f"- {item}" for item in detail.missing_items))
    sent_back = _head_sent_back(detail)
    if sent_back:
        st.warning(sent_back)
    first, second, third, fourth = st.columns(4)
    first.metric("Amount asked", format_pounds(detail.amount_pence))
    second.metric("Minimum viable", format_pounds(detail.minimum_pence))
    third.metric("Need score", score_text(detail.need_score, missing="not scored"))
    fourth.metric(label("awarded"), _awarded_text(detail))
    st.markdown(f"Main area of need: **{detail.main_area}**. Support from {detail.start_term} for "
                f"{detail.duration_terms} term(s): {format_date(detail.support_starts)} to "
                f"{format_date(detail.support_ends)}.")
    if detail.withheld:  # the service sent no pupil-level text: say why there is none
        st.info(detail.withheld)
        _history(detail)
        return
    _pupils(detail)
    st.subheader("The need")
    st.markdown(detail.need_summary or "_Not described yet._")
    st.markdown(f"**What the school has already done** ({detail.review_cycles} assess-plan-do-"
                f"review cycle(s)): {detail.graduated_approach or 'not described yet'}")
    if detail.external_advice or detail.specialist_assessment_on:
        dated = f" (specialist assessment {format_date(detail.specialist_assessment_on)})" \
            if detail.specialist_assessment_on else ""
        st.markdown(f"**External advice**{dated}: {detail.external_advice or '—'}")
    st.markdown(f"**School's own spend** on this support a year: "
                f"{format_pounds(detail.school_spend_pence)}. Parents/carers involved: "
                f"{'yes' if detail.parents_involved else 'no'}.")
    _outcomes_and_costs(detail)
    if detail.parent_view or detail.pupil_view:
        st.subheader("Voices")
        st.markdown(f"**Parent's or carer's view:** {detail.parent_view or '—'}")
        st.markdown(f"**Pupil's view:** {detail.pupil_view or '—'}")
    if detail.flags:
        st.warning("Flags for the meeting:\n" + "\n".join(f"- {flag}" for flag in detail.flags))
    st.subheader("Need score")
    show_score(detail.score, detail.amount_pence)
    _history(detail)


def _pupils(detail: RequestDetail) -> None:
    if detail.pupils:
        st.subheader("Pupils (pseudonymous references)")
        st.dataframe([{"Reference": p.reference, "Year group": p.year_group,
                       "SEN status": SenStatus.label_of(p.sen_status)
                       + (", EHC needs assessment requested" if p.ehc_assessment_requested else ""),
                       "Primary need": p.primary_need, "Profile": p.profile,
                       "Consent": "yes" if p.consent_given else "no"} for p in detail.pupils],
                     hide_index=True, width="stretch")
    elif detail.pupils_helped:
        st.markdown(f"Pupils the project will help: about **{detail.pupils_helped}**.")


def _outcomes_and_costs(detail: RequestDetail) -> None:
    st.subheader("Outcomes sought")
    if detail.outcomes:
        st.dataframe([{"No.": o.position, "Outcome": o.description, "Measure": o.measure,
                       "Baseline": o.baseline, "Target": o.target,
                       "By": format_date(o.target_on)} for o in detail.outcomes],
                     hide_index=True, width="stretch")
    else:
        st.markdown("_No outcomes yet._")
    if detail.lines:
        st.subheader("Provision map")
        st.dataframe([{"Line": line.label,
                       # Text in every row: numbers beside the total's "" made pyarrow refuse
                       # the column (a traceback in the log on every render).
                       "For outcome": "" if line.outcome is None else str(line.outcome),
                       "Cost": format_pounds(line.cost_pence)} for line in detail.lines]
                     + [{"Line": "Total asked", "For outcome": "",
                         "Cost": format_pounds(detail.amount_pence)}],
                     hide_index=True, width="stretch")


def _head_sent_back(detail: RequestDetail) -> str:
    """The head's note while the request is the draft they sent back ("" otherwise): the table
    of changes holds it too, but a SENCO should not have to look for what to change."""
    last = detail.history[-1] if detail.history else None
    if (last is None or detail.status != RequestStatus.DRAFT
            or last.from_status != RequestStatus.AWAITING_HEAD):
        return ""
    return last.note


def _history(detail: RequestDetail) -> None:
    st.subheader("Status history")
    st.dataframe([{"On": format_date(change.at),
                   "Change": f"{RequestStatus.labels().get(change.from_status or '', 'new')} → "
                             f"{RequestStatus.label_of(change.to_status)}",
                   "By": change.by, "Note": change.note} for change in detail.history],
                 hide_index=True, width="stretch")
    if detail.reviews_due:
        st.markdown("Reviews due: " + ", ".join(format_date(d) for d in detail.reviews_due))
