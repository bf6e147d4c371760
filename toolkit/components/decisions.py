"""The decisions part of "Run a meeting": the requests with need scores, flags and the suggestion,
an editable table with an explicit Save (one transaction), a one-decision form for keyboard users,
and confirming the round. The screen keeps the decisions it was drawn from, so a save over someone
else's newer decision is refused by the service and the refusal says what changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
import streamlit as st

from cluster.common.money import format_pounds, pence_from_pounds, whole_pounds
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.funding.ledger import AGREED_HERE, LEFT_IN_POT, LEFT_TO_AWARD, MONEY_FOR_ROUND
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.decisions import (
    DecisionInput,
    DecisionProblems,
    DecisionRow,
    MeetingDecisions,
    meeting_decisions,
    save_decisions,
)
from cluster.meetings.rules import MAX_TERMS, MAX_TEXT_CHARACTERS
from cluster.models import Decision, DecisionType
from cluster.requests.need_score import score_text
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import Form
from toolkit.components.shared import open_section
from toolkit.components.year import view_link
from toolkit.engine import engine

COLUMNS = {"request": "No.", "school": "School", "asked": "Asked (£)",
           "suggested": "Suggested (£)", "agreed": "Agreed (£)", "defer": "Defer",
           "terms": "Terms", "type": "Decided by", "for": "For", "against": "Against",
           "abstaining": "Abstaining", "reason": "Reason", "shorter": "Why shorter",
           "conditions": "Conditions", "next_time": "Next time, show"}
TYPE_BY_LABEL = {label: key for key, label in DecisionType.labels().items()}


def _drawn(actor: Actor, meeting_id: int) -> tuple[MeetingDecisions, MeetingDecisions, str]:
    """(what the screen was drawn from, the latest, the editor key)."""
    latest = meeting_decisions(engine(), actor, meeting_id)
    key = f"{state.DECISIONS_DRAWN}.{meeting_id}"
    drawn = st.session_state.get(key)
    if not isinstance(drawn, MeetingDecisions):
        drawn = st.session_state[key] = latest
    generation = st.session_state.get(f"{state.DECISIONS_GENERATION}.{meeting_id}", 0)
    return drawn, latest, f"{state.DECISIONS_EDITOR}.{meeting_id}.{generation}"


def _redraw(meeting_id: int, fresh: MeetingDecisions | None) -> None:
    """Draws the screen again from `fresh` (None: from the database), dropping unsaved edits."""
    if fresh is None:
        st.session_state.pop(f"{state.DECISIONS_DRAWN}.{meeting_id}", None)
    else:
        st.session_state[f"{state.DECISIONS_DRAWN}.{meeting_id}"] = fresh
    generation_key = f"{state.DECISIONS_GENERATION}.{meeting_id}"
    st.session_state[generation_key] = st.session_state.get(generation_key, 0) + 1


@st.fragment
def decisions_section(actor: Actor, meeting_id: int, *, said: Collection[str] = ()) -> None:
    """The decisions item. `said`: what the page has already told the host (the quorum line at
    its head), so a reason that is one of them is not repeated: each warning once.

    A fragment: an edit, a request chosen in the form or a saved decision redraws only this item,
    not the meeting's heading and register above it (its save says what it did here, not at the
    page's head). Confirming the decisions changes the heading too and redraws the page."""
    forms.show_flash(state.DECISIONS_MESSAGE)
    drawn, latest, editor_key = _drawn(actor, meeting_id)
    forms.someone_saved("decisions", changed=drawn.drawn() != latest.drawn(),
                        load=lambda: _redraw(meeting_id, latest), key=editor_key)
    if not latest.rows and not latest.case_discussions:
        st.info("No requests are waiting for a decision at this meeting.")
        _reviews_note(actor, latest)
        return
    allowed, why = latest.can_record
    if not allowed and why not in said:
        # Confirmed, or the meeting's day not yet come: a state, not a mistake.
        (st.info if latest.meeting.decisions_confirmed_on or not latest.meeting.opened
         else st.error)(why)
    _suggestion_note(actor, latest)
    _overview(drawn)
    _details(drawn)
    mine = [row for row in drawn.rows if row.can_decide[0]]
    others = [row for row in drawn.rows if not row.can_decide[0]]
    for row in others:
        st.info(f"Request {row.request_id} ({row.school_name}): {row.can_decide[1]}")
    if allowed and mine:
        st.subheader("Set the awards")
        st.caption("Change the figures in the table, then Save: the whole table is written at "
                   "once, or nothing is. Any award that differs from the suggestion, and every "
                   "decline or deferral, needs a reason.")
        _editor(actor, drawn, mine, editor_key)
        _form(actor, drawn, mine)
    if latest.case_discussions:
        st.markdown("**Case discussions (advice, no money):** " + "; ".join(
            f"request {rid}, {school}: {title}" for rid, school, title in latest.case_discussions))
    _confirm(actor, drawn, latest, said=(*said, why))


def _suggestion_note(actor: Actor, decisions: MeetingDecisions) -> None:
    words = {"accepted": "The figures start from the suggested split the host accepted.",
             "default": "The suggestion shown is the default split (most need met, no floors, "
                        "caps or locks): change it on Suggest a split.",
             "none": "No suggestion: this meeting has no money to split."}
    st.caption(words[decisions.suggestion_source])
    view_link(actor, "suggest-split", "Suggest a split: objective, floors, caps and locks")


def _overview(decisions: MeetingDecisions) -> None:
    st.dataframe(pd.DataFrame([{
        "No.": row.request_id, "School": row.school_name, "Title": row.title,
        "Area": row.main_area, "Need score": score_text(row.need_score), "Band": row.band or "-",
        "Flags": len(row.flags), "Asked": format_pounds(row.asked_pence),
        "Suggested": "-" if row.suggested_pounds is None
        else format_pounds(pence_from_pounds(row.suggested_pounds)),
        "Agreed": "-" if row.agreed_pence is None else format_pounds(row.agreed_pence),
        "Decision": row.decision_label + (" (draft)" if row.award_id and row.draft else ""),
        "Chair": row.chair} for row in decisions.rows]), hide_index=True, width="stretch")
    if decisions.budget is not None:
        budget = decisions.budget
        st.markdown(" · ".join(f"{label} **{format_pounds(pence)}**" for label, pence in (
            (MONEY_FOR_ROUND, budget.money_for_round_pence),
            (AGREED_HERE, budget.agreed_here_pence), (LEFT_IN_POT, budget.left_in_pot_pence),
            (LEFT_TO_AWARD, budget.left_to_award_pence))))


def _details(decisions: MeetingDecisions) -> None:
    # One element, not two a request, and only while open: a round of 75 requests sent 150
    # elements on every redraw of the item, and the browser drew them all, folded away or not.
    section, is_open = open_section(
        "Each request: pupils, flags and why the suggestion is what it is",
        f"{state.DECISION_DETAILS_OPEN}.{decisions.meeting.id}")
    if is_open:
        section.markdown("\n\n".join(_detail(row) for row in decisions.rows))


def _detail(row: DecisionRow) -> str:
    lines = [f"- Pupils: {'; '.join(p.words for p in row.pupils)}" if row.pupils else "",
             f"- Need: {row.need_summary}" if row.need_summary else "",
             *[f"- Flag: {flag}" for flag in row.flags],
             f"- Suggestion: {row.suggestion_text}" if row.suggestion_text else "",
             f"- Stand aside: {', '.join(row.stood_aside)}; chair: {row.chair}"]
    return "\n".join([f"**Request {row.request_id}: {row.title}** ({row.school_name})\n",
                      *(line for line in lines if line)])


def _starting_agreed(row: DecisionRow) -> int:
    if row.agreed_pence is not None:
        return whole_pounds(row.agreed_pence)
    return row.suggested_pounds or 0


VOTES_HELP = "Whole number of schools; leave empty for a decision by consensus"


def _frame(rows: list[DecisionRow]) -> pd.DataFrame:
    return pd.DataFrame([{
        COLUMNS["request"]: row.request_id, COLUMNS["school"]: row.school_name,
        COLUMNS["asked"]: row.asked_pounds,
        COLUMNS["suggested"]: row.suggested_pounds,
        COLUMNS["agreed"]: _starting_agreed(row),
        COLUMNS["defer"]: row.decision == Decision.DEFERRED,
        COLUMNS["terms"]: row.terms, COLUMNS["type"]: DecisionType.label_of(row.decision_type),
        COLUMNS["for"]: _votes(row.votes_for), COLUMNS["against"]: _votes(row.votes_against),
        COLUMNS["abstaining"]: _votes(row.votes_abstaining),
        COLUMNS["reason"]: row.starting_reason,
        COLUMNS["shorter"]: row.length_reason, COLUMNS["conditions"]: row.conditions,
        COLUMNS["next_time"]: row.next_time} for row in rows])


def _editor(actor: Actor, drawn: MeetingDecisions, rows: list[DecisionRow], key: str) -> None:
    c = st.column_config
    edited = st.data_editor(
        _frame(rows), key=key, hide_index=True, num_rows="fixed", width="stretch",
        disabled=[COLUMNS["request"], COLUMNS["school"], COLUMNS["asked"], COLUMNS["suggested"]],
        column_config={
            COLUMNS["agreed"]: c.NumberColumn(min_value=0, step=1, format="localized",
                                              help="Whole pounds; £0 declines"),
            COLUMNS["asked"]: c.NumberColumn(format="localized"),
            COLUMNS["suggested"]: c.NumberColumn(format="localized"),
            COLUMNS["terms"]: c.NumberColumn(min_value=1, max_value=MAX_TERMS, step=1),
            COLUMNS["type"]: c.SelectboxColumn(options=list(DecisionType.labels().values()),
                                               required=True),
            # Text, so a decision by consensus shows an empty cell rather than a grey "None".
            COLUMNS["for"]: c.TextColumn(validate=r"^\d{0,3}$", help=VOTES_HELP),
            COLUMNS["against"]: c.TextColumn(validate=r"^\d{0,3}$", help=VOTES_HELP),
            COLUMNS["abstaining"]: c.TextColumn(validate=r"^\d{0,3}$", help=VOTES_HELP),
            COLUMNS["reason"]: c.TextColumn(width="large"),
            COLUMNS["conditions"]: c.TextColumn(width="medium")})
    table = f"decision.table.{drawn.meeting.id}"  # the names prompt of the table's save
    names_prompt.confirmation(table)
    if st.button("Save decisions", type="primary", key=f"{key}.save"):
        by_id = {row.request_id: row for row in rows}
        inputs = [_input_from(record, by_id[int(record[COLUMNS["request"]])])
                  for record in edited.to_dict("records")]
        _save(actor, drawn, inputs, table)


def _votes(count: int | None) -> str:
    """A vote count as the table shows it: empty for a decision by consensus."""
    return "" if count is None else str(count)


def _number(value: object) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) \
            or (isinstance(value, str) and not value.strip()):
        return None
    return int(value)  # type: ignore[call-overload]  # an editor cell: a number or numeric text


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _input_from(record: Mapping[str, object], row: DecisionRow) -> DecisionInput:
    return DecisionInput(
        row.request_id, _number(record[COLUMNS["agreed"]]) or 0, bool(record[COLUMNS["defer"]]),
        _number(record[COLUMNS["terms"]]) or row.asked_terms, _text(record[COLUMNS["reason"]]),
        _text(record[COLUMNS["shorter"]]), _text(record[COLUMNS["conditions"]]),
        _text(record[COLUMNS["next_time"]]),
        TYPE_BY_LABEL.get(_text(record[COLUMNS["type"]]), DecisionType.CONSENSUS),
        _number(record[COLUMNS["for"]]), _number(record[COLUMNS["against"]]),
        _number(record[COLUMNS["abstaining"]]), row.review_meeting_ids)


def _form(actor: Actor, drawn: MeetingDecisions, rows: list[DecisionRow]) -> None:
    """The same decision, one request at a time, for keyboard and screen-reader users."""
    st.subheader("Or record one decision with a form")
    ids = [row.request_id for row in rows]
    chosen = st.selectbox("Request to decide", ids, key=f"decision-form-request.{drawn.meeting.id}",
                          format_func=lambda i: next(f"Request {r.request_id}: {r.school_name}, "
                                                     f"asked {format_pounds(r.asked_pence)}"
                                                     for r in rows if r.request_id == i))
    row = next(r for r in rows if r.request_id == chosen)
    later = {m.id: m.label for m in drawn.later}
    suffix = f"{row.request_id}.{row.version}"
    with forms.form("decision", suffix, instance=drawn.meeting.id) as form:
        suggested = ("no suggestion" if row.suggested_pounds is None
                     else format_pounds(pence_from_pounds(row.suggested_pounds)))
        st.markdown(f"Asked **{format_pounds(row.asked_pence)}** for {row.asked_terms} term(s) · "
                    f"suggested **{suggested}**")
        agreed = st.number_input("Agreed (£)", min_value=0, max_value=row.asked_pounds,
                                 value=_starting_agreed(row), step=1)
        deferred = st.checkbox("Defer to the next funding round", row.decision == Decision.DEFERRED)
        terms = st.number_input("Terms the award runs", min_value=1, max_value=MAX_TERMS,
                                value=row.terms, step=1)
        kind = st.radio("How the meeting decided", list(DecisionType.labels().values()),
                        index=list(DecisionType.labels()).index(row.decision_type), horizontal=True)
        first, second, third = st.columns(3)
        votes_for = first.number_input("Votes for", min_value=0, value=row.votes_for or 0)
        votes_against = second.number_input("Votes against", min_value=0,
                                            value=row.votes_against or 0)
        abstaining = third.number_input("Abstaining", min_value=0, value=row.votes_abstaining or 0)
        reason = form.text("Reason", MAX_TEXT_CHARACTERS, row.starting_reason, area=True,
                           about="Needed when the award differs from the suggestion, and for "
                                 "every decline or deferral")
        shorter = form.text("Why shorter than asked", MAX_TEXT_CHARACTERS, row.length_reason,
                            area=True)
        conditions = form.text("Conditions", MAX_TEXT_CHARACTERS, row.conditions, area=True)
        next_time = form.text("Next time, show (for a decline or part-funding)",
                              MAX_TEXT_CHARACTERS, row.next_time, area=True)
        reviews = st.multiselect("Review at", list(later),
                                 default=[i for i in row.review_meeting_ids if i in later],
                                 format_func=later.__getitem__,
                                 help="Leave empty for the default review points")
        submitted = form.buttons("Save this decision")
    if submitted:
        is_vote = TYPE_BY_LABEL[kind] == DecisionType.VOTE
        _save(actor, drawn, [DecisionInput(
            row.request_id, int(agreed), deferred, int(terms), reason, shorter, conditions,
            next_time, TYPE_BY_LABEL[kind], int(votes_for) if is_vote else None,
            int(votes_against) if is_vote else None, int(abstaining) if is_vote else None,
            tuple(reviews))], form.name, form)


def _save(actor: Actor, drawn: MeetingDecisions, inputs: list[DecisionInput], name: str,
          form: Form | None = None) -> None:
    meeting_id = drawn.meeting.id
    numbers = ", ".join(str(i.request_id) for i in inputs)
    forms.save(name, lambda: save_decisions(
        engine(), actor, meeting_id, inputs, drawn=drawn.drawn(),
        confirmed_not_names=names_prompt.confirmed(name)),
        done=f"Saved the decisions on request(s) {numbers} (draft until the meeting confirms "
             "them).", flash_key=state.DECISIONS_MESSAGE, drawn=form,
        on_saved=lambda fresh: _redraw(meeting_id, fresh),
        on_stale=lambda: _redraw(meeting_id, None), refusal=_problems, scope="fragment")


def _problems(error: ClusterError) -> bool:
    """Each request's problem on its own line, then that nothing was saved."""
    if not isinstance(error, DecisionProblems):
        return False
    for request_id, field, problem in error.problems:
        st.error(f"Request {request_id}, {field}: {problem}")
    st.caption("Nothing was saved.")
    return True


def _confirm(actor: Actor, drawn: MeetingDecisions, latest: MeetingDecisions, *,
             said: Collection[str] = ()) -> None:
    st.subheader("Confirm the meeting's decisions")
    if latest.meeting.decisions_confirmed_on is not None:
        st.success("The decisions are confirmed: instalments are scheduled, reviews booked and "
                   "the minutes drafted. Letters and minutes are in Meeting papers.")
        view_link(actor, "papers", "Meeting papers: minutes and decision letters")
        return
    allowed, why = latest.can_confirm
    st.caption("Confirming makes the decisions the record: each request is decided, the "
               "instalments are scheduled, the review points booked and the minutes drafted.")
    if not allowed and why not in said:  # the button's help still gives the reason
        st.caption(why)
    if st.button("Confirm the meeting's decisions", disabled=not allowed, help=why or None):
        forms.save("decision", lambda: confirm_decisions(engine(), actor, drawn.meeting.id,
                                                         drawn=drawn.drawn()),
                   done="The meeting's decisions are confirmed. The minutes are drafted; "
                        "decision letters are ready in Meeting papers.",
                   flash_key=state.RUN_MEETING_MESSAGE,
                   on_saved=lambda _: _redraw(drawn.meeting.id, None),
                   on_stale=lambda: _redraw(drawn.meeting.id, None), refusal=_problems)


def _reviews_note(actor: Actor, decisions: MeetingDecisions) -> None:
    if decisions.reviews_due:
        st.caption(f"{len(decisions.reviews_due)} review(s) are due at this meeting.")
    view_link(actor, "reviews", "Reviews and impact")
