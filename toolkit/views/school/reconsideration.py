"""Ask for a decision to be reconsidered (school): choose one of our decisions, give reasons.

It goes onto the agenda of the next funding round whose request deadline has not passed.
"""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.core.permissions import Actor
from cluster.requests.reconsiderations import (
    ASK_WITHIN_DAYS,
    MAX_REASON_CHARACTERS,
    DecisionToReconsider,
    ReconsiderationRow,
    ask_for_reconsideration,
    decisions_open_to_reconsideration,
    our_reconsiderations,
    withdraw_reconsideration,
)
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import show_flash
from toolkit.components.year import cluster_page, guide_link, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

NAMES_FORM = "reconsideration"  # the registered form (toolkit/components/forms.py)


def render() -> None:
    actor = guard_view(__file__)
    cluster_page(actor, "Ask for a decision to be reconsidered",
                 "decisions on our school's requests")
    show_flash(state.RECONSIDERATION_MESSAGE)
    st.markdown("If you think a decision on one of your requests is wrong, ask the cluster to look "
                f"again and say why, within {ASK_WITHIN_DAYS} days of the meeting. It goes onto "
                "the agenda of the "
                "next funding round whose request deadline has not passed. You can ask once for "
                "each decision.")
    guide_link(actor, "asking-for-reconsideration", "How reconsideration works")
    view_link(actor, "terms-of-reference", "The terms of reference")
    decisions = decisions_open_to_reconsideration(engine(), actor)
    if not decisions:
        st.info("Your school has no decisions yet. Once the cluster decides on one of your "
                "requests, it appears here.")
    else:
        _decisions(decisions)
        _ask(actor, [d for d in decisions if d.can_ask])
    _ours(actor, our_reconsiderations(engine(), actor))


def _decisions(decisions: list[DecisionToReconsider]) -> None:
    st.subheader("Our decisions")
    st.caption("Decisions from the last 12 months; older decisions are final.")
    st.dataframe([{"Request": d.request_title, "Decided at": d.decided_at,
                   "Decision": d.decision_label, label("awarded"): format_pounds(d.amount_pence),
                   "Reconsideration": "can ask" if d.can_ask else d.why_not}
                  for d in decisions], hide_index=True, width="stretch")


def _ask(actor: Actor, askable: list[DecisionToReconsider]) -> None:
    if not askable:
        return
    by_id = {d.award_id: d for d in askable}
    with forms.form(NAMES_FORM) as drawn:
        award_id = st.selectbox(
            "Decision", list(by_id),
            format_func=lambda i: f"{by_id[i].request_title}: {by_id[i].decision_label} "
                                  f"({by_id[i].decided_at}); would go to the {by_id[i].goes_to}")
        reasons = drawn.text(
            "Our reasons", MAX_REASON_CHARACTERS, area=True, height=150,
            about="New information, a mistake of fact, or a part of the need score you think "
                  "was scored wrongly. Use the pupil's reference, never a name, UPN or date "
                  "of birth")
        submitted = drawn.buttons("Ask for reconsideration")
    if submitted and award_id is not None:
        forms.save(drawn.name, lambda: ask_for_reconsideration(
            engine(), actor, award_id, reasons,
            confirmed_not_names=names_prompt.confirmed(drawn.name)),
            done=_asked_words, flash_key=state.RECONSIDERATION_MESSAGE, drawn=drawn, fresh=True)


def _asked_words(row: ReconsiderationRow) -> str:
    where = (f"on the agenda of the {row.meeting_label}" if row.meeting_label
             else "waiting for next year's first funding round")
    return f"Asked. It is {where}."


def _ours(actor: Actor, rows: list[ReconsiderationRow]) -> None:
    st.subheader("Our reconsiderations")
    if not rows:
        st.caption("None asked.")
        return
    st.dataframe([{"Request": r.request_title, "Decision": r.decision_label,
                   "Asked": format_date(r.asked_on), "Meeting": r.meeting_label or "not yet booked",
                   "Status": r.status_label, "Our reasons": r.reasons, "Outcome": r.outcome}
                  for r in rows], hide_index=True, width="stretch")
    open_rows = {r.id: r for r in rows if r.can_withdraw}
    if not open_rows:
        return
    with forms.form("reconsideration.withdraw") as drawn:
        chosen = st.selectbox("Withdraw one", list(open_rows),
                              format_func=lambda i: f"{open_rows[i].request_title} (asked "
                                                    f"{format_date(open_rows[i].asked_on)})")
        submitted = drawn.buttons("Withdraw")
    if submitted and chosen is not None:
        row = open_rows[chosen]
        forms.save(drawn.name, lambda: withdraw_reconsideration(
            engine(), actor, row.id, expected_version=row.version, drawn_from=row.drawn_from()),
            done="Withdrawn.", flash_key=state.RECONSIDERATION_MESSAGE)


render()
