"""Pieces the reviews views share: the review form (the school drafts, the host confirms) and the
impact form ("what can the child do now that they could not do before?")."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds, pence_from_entry, pounds_figure
from cluster.core.links import Record
from cluster.core.permissions import Actor
from cluster.models import ReviewProgress, ReviewRecommendation
from cluster.outcomes.impact import (
    JUDGEMENTS,
    MAX_ACHIEVED,
    MAX_CAN_DO,
    MAX_VOICE,
    MAX_WHAT_WORKED,
    AwardToClose,
    ImpactEntry,
    ImpactForm,
    ImpactLine,
    record_impact,
)
from cluster.outcomes.reviews import (
    MAX_MEASURE,
    MAX_NOTES,
    PROGRESS,
    RECOMMENDATIONS,
    OutcomeProgress,
    ReviewDraft,
    ReviewForm,
    ReviewItem,
    confirm_review,
    draft_review,
)
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.addresses import follow_address, keep_in_address
from toolkit.components.forms import Form
from toolkit.components.history import who_changed_this
from toolkit.engine import engine


def review_table(items: Sequence[ReviewItem], *, show_school: bool) -> None:
    rows = []
    for item in items:
        # No review number: beside request titles it read as a request's number (96, 94…).
        # The meeting's long name comes last: its date is the Due beside the request, and at
        # 1,366 px it pushed Awarded, Status and Recommendation off the right edge.
        row = {"Request": f"{item.request_id}: {item.request_title}",
               "Due": format_date(item.due_on), "Status": item.status_label,
               label("awarded"): format_pounds(item.awarded_pence),
               "Recommendation": item.recommendation_label, "Meeting": item.meeting_label}
        if show_school:
            row = {"School": item.school_name, **row}
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "School": st.column_config.TextColumn(width="medium", pinned=True),
        "Request": st.column_config.TextColumn(width="medium", pinned=True)})


def choose_review(items: Sequence[ReviewItem], label: str) -> ReviewItem | None:
    if not items:
        return None
    by_id = {item.review_id: item for item in items}
    follow_address(Record.REVIEW, state.REVIEW_CHOSEN, list(by_id))
    chosen = st.selectbox(label, list(by_id), key=state.REVIEW_CHOSEN,
                          format_func=lambda i: f"{by_id[i].school_name}: {by_id[i].request_title}"
                          f" — due {format_date(by_id[i].due_on)} ({by_id[i].status_label})")
    if chosen is not None:
        keep_in_address(Record.REVIEW, state.REVIEW_CHOSEN, chosen)
    return by_id.get(chosen)


def _pounds_to_pence(value: float | None) -> int:
    return 0 if value is None else pence_from_entry(value)


def review_form(actor: Actor, form: ReviewForm, *, confirming: bool) -> None:
    """The review's form. A school drafts it; the host (at the meeting) confirms it, amending
    what the school drafted when the meeting decides differently."""
    item = form.item
    st.markdown(f"**{item.request_title}** ({item.school_name}) · awarded "
                f"{format_pounds(item.awarded_pence)} · due {format_date(item.due_on)} at the "
                f"{item.meeting_label}")
    if confirming:  # the host, at the meeting: what was done to this review and its award
        who_changed_this(actor, "review", item.review_id)
        who_changed_this(actor, "award", item.award_id)
    for earlier in form.earlier:
        progress = ReviewProgress.labels().get(earlier.progress or "", "no progress recorded")
        recommended = (f"; recommendation: {earlier.recommendation_label}"
                       if earlier.recommendation_label else "")
        st.caption(f"Earlier review {format_date(earlier.due_on)}: {progress}{recommended}.")
    with forms.form("review", item.version, instance=item.review_id) as drawn:
        outcomes = []
        for line in form.outcomes:
            st.markdown(f"**Outcome {line.position}:** {line.description}  \n"
                        f"Measure: {line.measure} · baseline {line.baseline} · target "
                        f"{line.target} by {format_date(line.target_on)}")
            left, right = st.columns([1, 2])
            progress = left.radio(f"Progress on outcome {line.position}", PROGRESS,
                                  index=PROGRESS.index(line.progress) if line.progress in PROGRESS
                                  else 0, format_func=ReviewProgress.label_of,
                                  horizontal=True)
            measure = drawn.text(f"The measure now (outcome {line.position})", MAX_MEASURE,
                                 line.measure_now, where=right,
                                 about="As the request measured it, e.g. '4 of 5 lessons'")
            outcomes.append(OutcomeProgress(line.outcome_id, progress, measure))
        spend = st.number_input("Spend to date of the cluster's money (£)", min_value=0.0,
                                max_value=pounds_figure(item.awarded_pence), step=10.0,
                                value=pounds_figure(item.spend_to_date_pence or 0))
        recommendation = st.selectbox(
            "Recommendation", RECOMMENDATIONS, format_func=ReviewRecommendation.label_of,
            index=RECOMMENDATIONS.index(item.recommendation)
            if item.recommendation in RECOMMENDATIONS else 0)
        notes = drawn.text("Notes (what should change, or why stop; no names)", MAX_NOTES,
                           form.notes, area=True)
        pressed = drawn.buttons("Confirm at the meeting" if confirming
                                else "Save the draft for the meeting")
    if not pressed:
        return
    draft = ReviewDraft(tuple(outcomes), _pounds_to_pence(spend), recommendation, notes)
    confirmed = names_prompt.confirmed(drawn.name)
    if confirming:
        forms.save(drawn.name, lambda: confirm_review(
            engine(), actor, item.review_id, expected_version=item.version,
            drawn_from=item.drawn_from(), changes=draft, confirmed_not_names=confirmed),
            done=lambda result: result.message, flash_key=state.REVIEW_MESSAGE, drawn=drawn)
    else:
        forms.save(drawn.name, lambda: draft_review(
            engine(), actor, item.review_id, draft, expected_version=item.version,
            drawn_from=item.drawn_from(), confirmed_not_names=confirmed),
            done="Draft saved: the meeting will confirm it.", flash_key=state.REVIEW_MESSAGE,
            drawn=drawn)


def choose_award(awards: Sequence[AwardToClose]) -> AwardToClose | None:
    if not awards:
        return None
    by_id = {a.award_id: a for a in awards}
    chosen = st.selectbox("Ended award", list(by_id), key=state.IMPACT_AWARD_CHOSEN,
                          format_func=lambda i: f"{by_id[i].school_name}: {by_id[i].request_title}"
                          f" — {by_id[i].ended} ({by_id[i].recorded} of {by_id[i].outcomes} "
                          "outcomes recorded)")
    return by_id.get(chosen)


def impact_form(actor: Actor, form: ImpactForm) -> None:
    award = form.award
    st.markdown(f"**{award.request_title}** ({award.school_name}) · {award.main_area} · "
                f"awarded {format_pounds(award.awarded_pence)}"
                + (f", {format_pounds(award.returned_pence)} returned" if award.returned_pence
                   else "") + f" · {award.ended}")
    st.caption("For each outcome: what the child can do now that they could not do before — not "
               "the hours delivered. Voices are short summaries with no names.")
    versions = form.versions()
    with forms.form("impact", sum(versions.values()), instance=award.award_id) as drawn:
        entries = [_impact_line(drawn, line, form.attendance_matters) for line in form.lines]
        pressed = drawn.buttons("Save the impact record")
    if not pressed:
        return
    forms.save(drawn.name, lambda: record_impact(
        engine(), actor, award.award_id, entries, expected_versions=versions,
        confirmed_not_names=names_prompt.confirmed(drawn.name)),
        done="Impact recorded. Thank you.", flash_key=state.IMPACT_MESSAGE, drawn=drawn)


def _impact_line(drawn: Form, line: ImpactLine, attendance_matters: bool) -> ImpactEntry:
    st.markdown(f"**Outcome {line.position}:** {line.description}  \nMeasure: {line.measure} · "
                f"baseline {line.baseline} · target {line.target}")
    recorded = line.answers
    left, right = st.columns(2)
    achieved = drawn.text(f"Achieved (outcome {line.position})", MAX_ACHIEVED, recorded.achieved,
                          where=left, about="The measure at the end, as the request measured it")
    judgement = right.selectbox(f"Judgement (outcome {line.position})", JUDGEMENTS,
                                index=JUDGEMENTS.index(recorded.judgement)
                                if recorded.judgement in JUDGEMENTS else 1)
    can_do = drawn.text(f"What can the child do now that they could not do before? "
                        f"(outcome {line.position})", MAX_CAN_DO, recorded.can_do_now, area=True)
    worked = drawn.text(f"What worked, and what you would do differently (outcome "
                        f"{line.position})", MAX_WHAT_WORKED, recorded.what_worked, area=True)
    left, right = st.columns(2)
    pupil = drawn.text(f"The pupil's view, in short (outcome {line.position})", MAX_VOICE,
                       recorded.pupil_voice, area=True, where=left)
    parent = drawn.text(f"The parent's or carer's view, in short (outcome {line.position})",
                        MAX_VOICE, recorded.parent_voice, area=True, where=right)
    with st.expander("Attendance and suspensions, where they matter",
                     expanded=attendance_matters):
        first, second, third, fourth = st.columns(4)
        before = first.number_input(f"Attendance before % ({line.position})", 0.0, 100.0,
                                    value=recorded.attendance_before_pct, step=0.5)
        after = second.number_input(f"Attendance after % ({line.position})", 0.0, 100.0,
                                    value=recorded.attendance_after_pct, step=0.5)
        excl_before = third.number_input(f"Days suspended before ({line.position})", 0, 190,
                                         value=recorded.exclusions_before, step=1)
        excl_after = fourth.number_input(f"Days suspended after ({line.position})", 0, 190,
                                         value=recorded.exclusions_after, step=1)
    return ImpactEntry(line.outcome_id, achieved, judgement, can_do, worked, pupil, parent,
                       before, after, None if excl_before is None else int(excl_before),
                       None if excl_after is None else int(excl_after))
