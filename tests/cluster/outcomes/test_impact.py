"""Impact records when an award ends, and the arithmetic of outcomes met and cost per outcome
met."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.provision import (
    EQUIPMENT,
    ONE_TO_ONE,
    PROVISION_KINDS,
    SMALL_GROUP,
    SPEECH_AND_LANGUAGE,
    TRAINING,
    CostShape,
    provision_kind_of,
)
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent, Award, ImpactRecord, Meeting, SupportRequest
from cluster.outcomes.impact import (
    ANSWERS,
    AwardFact,
    ImpactEntry,
    awards_for_impact,
    impact_form,
    load_award_facts,
    outcomes_by,
    record_impact,
    run_ends_on,
    summarise_outcomes,
)
from tests.cluster.outcomes.test_reviews import award_this_year, confirm, draft_for, open_review_ids
from tests.helpers.actors import actor
from tests.helpers.demo_la import TODAY


def test_an_award_ends_when_the_half_term_after_its_run_starts() -> None:
    # Autumn 2 2026 for three terms: six half-terms, the last Autumn 1 2027; then Autumn 2 2027.
    assert run_ends_on(2026, "Autumn 2", 3) == date(2027, 10, 28)
    assert run_ends_on(2026, "Summer 1", 1) == date(2027, 9, 1)


def test_the_kind_of_provision_is_named_or_worked_out_from_what_is_bought() -> None:
    assert provision_kind_of(SPEECH_AND_LANGUAGE, "individual", []) == SPEECH_AND_LANGUAGE
    assert provision_kind_of("", "project", [CostShape(100, "Teaching assistant (TA)")]) == TRAINING
    assert provision_kind_of("", "individual", [CostShape(100, "Teaching assistant (TA)")]) \
        == ONE_TO_ONE
    assert provision_kind_of("", "group", [CostShape(900, "TA", 6), CostShape(100, None)]) \
        == SMALL_GROUP
    assert provision_kind_of("", "individual", [CostShape(900, None)]) == EQUIPMENT
    assert provision_kind_of("not a kind", "individual", []) in PROVISION_KINDS


def fact(kind: str, judgements: tuple[str, ...], awarded: int, returned: int = 0,
         pupils: int = 1, award_id: int = 1) -> AwardFact:
    return AwardFact(award_id, 1, "A school", 2025, "Cognition and learning", kind, "individual",
                     "full", awarded, awarded, returned,
                     frozenset(f"1:p{award_id}-{n}" for n in range(pupils)), True, judgements)


def test_outcomes_met_and_cost_per_outcome_met_by_hand() -> None:
    facts = [fact(ONE_TO_ONE, ("met", "exceeded"), 300_000, award_id=1),
             fact(ONE_TO_ONE, ("not met",), 100_000, returned=40_000, award_id=2),
             fact(SMALL_GROUP, ("partly met", "met"), 90_000, pupils=6, award_id=3),
             fact(SMALL_GROUP, (), 50_000, pupils=5, award_id=4)]  # not ended: not counted
    one, group = outcomes_by(facts, "kind", order=PROVISION_KINDS)
    assert (one.label, one.awards, one.pupils, one.outcomes, one.met) == (ONE_TO_ONE, 2, 2, 3, 2)
    # Cost is what was spent: £3,000 + (£1,000 − £400 returned) = £3,600 for 2 outcomes met.
    assert one.spend_pence == 360_000 and one.cost_per_outcome_met_pence == 180_000
    assert one.met_pct == pytest.approx(200 / 3)
    assert (group.outcomes, group.met, group.pupils, group.cost_per_outcome_met_pence) == (
        2, 1, 6, 90_000)
    everything = summarise_outcomes(facts, "all")
    assert (everything.outcomes, everything.met, everything.spend_pence) == (5, 3, 450_000)
    assert summarise_outcomes([fact(ONE_TO_ONE, ("not met",), 1_000)], "x") \
        .cost_per_outcome_met_pence is None


def test_the_demo_facts_count_decided_requests_once_each(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        cluster_id = session.exec(select(Meeting.cluster_id)).first()
        facts = load_award_facts(session, cluster_id, TODAY)
    assert facts and all(f.decision != "deferred" for f in facts)
    assert {f.kind for f in facts} <= set(PROVISION_KINDS)
    assert len({f.award_id for f in facts}) == len(facts)
    with Session(demo_copy) as session:
        deferred = session.exec(select(Award.id).where(Award.decision == "deferred")).all()
    assert deferred and not set(deferred) & {f.award_id for f in facts}
    returned = [f for f in facts if f.returned_pence]
    assert returned and all(f.received_pence == f.awarded_pence - f.returned_pence
                            for f in returned)


# --- recording impact -----------------------------------------------------------------------------


def ended_award(engine: Engine) -> tuple[int, str]:
    """An award of this year stopped at a review today (host), and its school's SENCO."""
    award_id, username = award_this_year(engine)
    review_id = open_review_ids(engine, award_id)[0]
    confirm(engine, actor(engine, "host"), review_id,
            draft_for(engine, review_id, "stop", 20_000, "Stopped: a different approach."))
    return award_id, username


def entry_for(engine: Engine, username: str, award_id: int, **changes: object) -> ImpactEntry:
    form = impact_form(engine, actor(engine, username), award_id)
    line = form.lines[0]
    entry = ImpactEntry(line.outcome_id, "8 of 10", "met",
                        "Follows three-step instructions in class without a prompt.",
                        "Short daily sessions with the same adult.",
                        "Says the sessions help.", "Family see more confidence at home.",
                        71.0, 90.5, 4, 0)
    return replace(entry, **changes)  # type: ignore[arg-type]  # bad values on purpose


def test_the_school_records_impact_for_its_ended_award(demo_copy: Engine) -> None:
    award_id, username = ended_award(demo_copy)
    school = actor(demo_copy, username)
    owed = awards_for_impact(demo_copy, school, owed_only=True)
    assert award_id in {a.award_id for a in owed}
    entry = entry_for(demo_copy, username, award_id)
    closed = record_impact(demo_copy, school, award_id, [entry], expected_versions={})
    assert closed.complete and "stopped at a review" in closed.ended
    form = impact_form(demo_copy, school, award_id)
    line = form.lines[0]
    assert line.answers == entry
    assert award_id not in {a.award_id for a in awards_for_impact(demo_copy, school,
                                                                  owed_only=True)}
    with Session(demo_copy) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "record_impact")
                             .order_by(col(AuditEvent.id).desc())).first()
    assert audit.after["pupil_voice"] == "(text changed)" and audit.after["judgement"] == "met"
    # Saving again from the old screen is refused; from the new one it updates.
    with pytest.raises(StaleEdit):
        record_impact(demo_copy, school, award_id, [replace(entry, judgement="exceeded")],
                      expected_versions={line.outcome_id: line.version - 1})
    record_impact(demo_copy, school, award_id, [replace(entry, judgement="exceeded")],
                  expected_versions=form.versions())
    assert impact_form(demo_copy, school, award_id).lines[0].answers.judgement == "exceeded"


def test_every_answer_on_the_impact_form_has_its_column_on_the_record() -> None:
    # The form's answers are the one list; a column the record lacks would be dropped on save.
    assert set(ANSWERS) <= set(ImpactRecord.model_fields)


@pytest.mark.parametrize(("change", "problem"), [
    ({"judgement": "brilliant"}, "judgement"),
    ({"can_do_now": ""}, "what the child can do now: is needed"),
    ({"achieved": ""}, "achieved: is needed"),
    ({"pupil_voice": "Oliver says he likes it"}, "names a person"),
    ({"parent_voice": "Mrs Smith is pleased"}, "names a person"),
    ({"what_worked": "Pupil A" "12345678901" "B did well"}, "UPN"),
    ({"can_do_now": "Born 12/03/2017, now reads"}, "date of birth"),
    ({"pupil_voice": "x" * 301}, "300 characters"),
    ({"attendance_after_pct": 120.0}, "percentage"),
    ({"exclusions_after": -1}, "number of days"),
])
def test_an_impact_record_that_cannot_be_right_is_refused(
        demo_copy: Engine, change: dict[str, object], problem: str) -> None:
    award_id, username = ended_award(demo_copy)
    with pytest.raises(InvalidInput, match=problem):
        record_impact(demo_copy, actor(demo_copy, username), award_id,
                      [entry_for(demo_copy, username, award_id, **change)], expected_versions={})
    with Session(demo_copy) as session:
        assert not session.exec(select(ImpactRecord).where(
            ImpactRecord.award_id == award_id)).all()


def test_impact_waits_for_the_award_to_end_and_stays_with_its_school(demo_copy: Engine) -> None:
    award_id, username = award_this_year(demo_copy)
    school = actor(demo_copy, username)
    with pytest.raises(InvalidInput, match="has not ended yet"):
        record_impact(demo_copy, school, award_id, [entry_for(demo_copy, username, award_id)],
                      expected_versions={})
    other = actor(demo_copy, "senco.bi" if username != "senco.bi" else "senco.ap")
    with pytest.raises(NotAllowed):
        impact_form(demo_copy, other, award_id)
    for username in ("governor", "la.adviser"):
        with pytest.raises(NotAllowed):
            awards_for_impact(demo_copy, actor(demo_copy, username))


def test_the_demo_has_impact_with_what_the_child_can_do_now(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        records = session.exec(select(ImpactRecord)).all()
        stopped = session.exec(select(Award).where(Award.end_reason == "stopped")).all()
        kinds = set(session.exec(select(SupportRequest.provision_kind)).all())
        meetings = session.exec(select(Meeting)).all()
    assert records and all(r.can_do_now for r in records)
    assert any(r.attendance_after_pct is not None for r in records)
    assert len(stopped) == 1 and stopped[0].returned_pence > 0
    assert len(kinds - {""}) >= 6
    assert meetings
