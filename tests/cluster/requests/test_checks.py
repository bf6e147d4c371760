"""Every check, through the services: each refusal names the field and the problem and writes
nothing; each flag is shown and carried to the meeting without blocking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from cluster.core.errors import InvalidInput
from cluster.requests.checks import ChecksFailed
from cluster.requests.costing import ItemLine, StaffLine
from cluster.requests.forms import PupilInput, RequestForm
from cluster.requests.reading import check_request, get_request
from cluster.requests.rules import Prerequisite, Rules
from cluster.requests.status import save_draft, submit_form
from cluster.requests.year_setup import save_request_rules, year_settings
from tests.cluster.requests.conftest import (
    COMPLETE_FORM_PENCE,
    complete_form,
    meeting_id,
    written_rows,
)
from tests.helpers.actors import actor

Change = Callable[[Engine, RequestForm], RequestForm]


def pupil(form: RequestForm, **changes: object) -> tuple[PupilInput, ...]:
    return (replace(form.pupils[0], **changes),)  # type: ignore[arg-type]  # bad values on purpose


# (why, how to spoil the complete form, the field named, words of the problem)
REFUSED_AT_SUBMIT: list[tuple[str, Change, str, str]] = [
    ("UPN in the need",
     lambda e, f: replace(f, need_summary="UPN is a" "12345678901" "B, see file"),
     "Need in plain words", "looks like a UPN"),
    ("ULN in the pupil's view", lambda e, f: replace(f, pupil_view="ULN 4012345678 on record"),
     "Pupil's view", "10-digit number"),
    ("NHS number in an outcome", lambda e, f: replace(f, outcomes=(replace(
        f.outcomes[0], baseline="NHS 943 476 5919"),)), "Outcome 1 baseline", "NHS number"),
    ("date of birth in a profile", lambda e, f: replace(f, parent_view="Born 03/05/2018."),
     "Parent's or carer's view", "date of birth"),
    ("auxiliary aid", lambda e, f: replace(f, kind="auxiliary_aid"), "Kind of request",
     "central fund"),
    ("no outcomes", lambda e, f: replace(f, outcomes=()), "Outcomes", "at least one outcome"),
    ("an outcome without a baseline", lambda e, f: replace(f, outcomes=(replace(
        f.outcomes[0], baseline=""),)), "Outcome 1 baseline", "is missing"),
    ("minimum above the amount", lambda e, f: replace(f, minimum_pence=COMPLETE_FORM_PENCE + 100),
     "Minimum viable amount", "is more than the amount asked (£1,427.20)"),
    ("no minimum", lambda e, f: replace(f, minimum_pence=0), "Minimum viable amount",
     "below which the support is not worth starting"),
    ("outcome date outside the year", lambda e, f: replace(f, outcomes=(replace(
        f.outcomes[0], target_on=date(2027, 10, 1)),)), "Outcome 1 date",
     "01/10/2027 is outside the academic year 2026/27"),
    ("outcome date before the start", lambda e, f: replace(f, outcomes=(replace(
        f.outcomes[0], target_on=date(2026, 12, 1)),)), "Outcome 1 date",
     "before the support starts (01/01/2027)"),
    ("more than is left to award", lambda e, f: replace(
        f, item_lines=(ItemLine("Specialist provision", 9_500_000, 1),)), "Amount asked",
     "more than the cluster has left to award this year (£86,652.04)"),
    ("one review cycle against the cluster's two", lambda e, f: replace(f, review_cycles=1),
     "Cluster prerequisite", "At least 2 cycles of assess-plan-do-review: the request shows 1"),
    ("no consent", lambda e, f: replace(f, pupils=pupil(f, consent_given=False)),
     "Cluster prerequisite", "consent is not recorded for every pupil"),
    ("same pupil already on a submitted request", lambda e, f: replace(
        f, pupils=pupil(f, reference="WV-002")), "Pupil 1 reference",
     "WV-002 is already on request"),
    ("a name as the reference", lambda e, f: replace(f, pupils=pupil(f, reference="Jack S")),
     "Pupil 1 reference", "never a name"),
    ("no need described", lambda e, f: replace(f, need_summary=" "), "Need in plain words",
     "describe the need"),
    ("no severity for the main area", lambda e, f: replace(f, severity={}), "Severity",
     "how severe the need is in Cognition and learning"),
    ("a grade not in the rate table", lambda e, f: replace(
        f, staff_lines=(StaffLine("Butler", 60, 1, 38, 1),)), "Support line 1",
     "'Butler' is not in the cluster's staff rate table for 2026/27"),
    ("start before the meeting", lambda e, f: replace(f, start_term="Autumn 2"), "Start term",
     "Autumn 2 is before the Spring 1 meeting"),
    ("money at a review meeting", lambda e, f: replace(
        f, meeting_id=meeting_id(e, date(2027, 3, 3)), start_term="Spring 2"), "Meeting",
     "is a review meeting; requests for money go to a funding round"),
    ("no costs", lambda e, f: replace(f, staff_lines=(), item_lines=()), "Provision map",
     "add at least one line"),
    ("two pupils on an individual request", lambda e, f: replace(
        f, pupils=(f.pupils[0], replace(f.pupils[0], reference="AP-901"))), "Pupils",
     "exactly one pupil, not 2"),
    ("group without profiles", lambda e, f: replace(
        f, kind="group", pupils=(f.pupils[0], replace(f.pupils[0], reference="AP-901"))),
     "Pupil 1 profile", "short profile of each pupil"),
    ("a project listing pupils", lambda e, f: replace(f, kind="project", pupils_helped=20),
     "Pupils", "a project buys capacity"),
    ("a case discussion with costs", lambda e, f: replace(f, kind="case_discussion"),
     "Provision map", "asks for advice, not money"),
    ("a partner school on an individual request", lambda e, f: replace(
        f, partner_school_ids=(3,)), "Partner schools", "only a project can be joint"),
    ("a far too long title", lambda e, f: replace(f, title="x" * 201), "Title",
     "200 characters at most, 201 typed"),
]


@pytest.mark.parametrize(("why", "spoil", "field", "problem"), REFUSED_AT_SUBMIT,
                         ids=[case[0] for case in REFUSED_AT_SUBMIT])
def test_submission_is_refused_with_the_field_and_the_reason(
        demo_copy: Engine, why: str, spoil: Change, field: str, problem: str) -> None:
    head = actor(demo_copy, "head.ap")
    form = spoil(demo_copy, complete_form(demo_copy))
    before = written_rows(demo_copy)
    with pytest.raises(ChecksFailed) as refused:
        submit_form(demo_copy, head, form)
    texts = [f.text for f in refused.value.findings]
    assert any(t.startswith(f"{field}: ") and problem in t for t in texts), texts
    assert field in refused.value.message and problem in refused.value.message
    assert written_rows(demo_copy) == before


def test_the_complete_form_passes_every_check(demo_copy: Engine) -> None:
    result = check_request(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    assert result.errors == []
    assert result.amount_pence == COMPLETE_FORM_PENCE
    assert result.score is not None and 0 < result.score.total <= 10


def test_after_the_last_deadline_of_the_year_the_meeting_is_refused(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past Summer 1's deadline no round is left to move a late request to (2027/28 is not set
    up yet): the submission is refused, saying why."""
    form = complete_form(demo_copy)
    monkeypatch.setenv("CLUSTER_TODAY", "2027-05-01")
    before = written_rows(demo_copy)
    with pytest.raises(ChecksFailed) as refused:
        submit_form(demo_copy, actor(demo_copy, "head.ap"), form)
    assert "Meeting: requests for the Spring 1 meeting were due by 06/01/2027; choose a later " \
           "meeting" in refused.value.message
    assert written_rows(demo_copy) == before


def _set_rules(demo_copy: Engine, **changes: object) -> None:
    host = actor(demo_copy, "host")
    settings = year_settings(demo_copy, host, 2026)
    rules = replace(settings.rules, **changes)  # type: ignore[arg-type]  # bad values on purpose
    save_request_rules(demo_copy, host, 2026, rules, expected_version=settings.rules_version)


def test_the_limit_per_school_per_meeting(demo_copy: Engine) -> None:
    _set_rules(demo_copy, max_requests_per_school_per_meeting=1)
    before = written_rows(demo_copy)
    with pytest.raises(ChecksFailed) as refused:
        submit_form(demo_copy, actor(demo_copy, "head.ap"), complete_form(demo_copy))
    assert ("Meeting: the cluster takes at most 1 request per school per meeting, and your school "
            "already has 1") in refused.value.message
    assert written_rows(demo_copy) == before
    # a school with nothing on that meeting yet is not held back
    pupil = PupilInput("SW-100", "Year 4", "sen_support", "SpLD", consent_given=True)
    saved = submit_form(demo_copy, actor(demo_copy, "head.sw"),
                        complete_form(demo_copy, pupils=(pupil,)))
    assert saved.status == "submitted"


def test_a_specialist_assessment_prerequisite(demo_copy: Engine) -> None:
    _set_rules(demo_copy, prerequisites=(Prerequisite.SPECIALIST_ASSESSMENT,),
               assessment_within_months=12)
    head = actor(demo_copy, "head.ap")
    with pytest.raises(ChecksFailed) as refused:
        submit_form(demo_copy, head, complete_form(demo_copy, specialist_assessment_on=None))
    assert ("Cluster prerequisite: A dated specialist assessment within 12 months: no "
            "assessment date given") in refused.value.message
    with pytest.raises(ChecksFailed) as old:
        submit_form(demo_copy, head,
                    complete_form(demo_copy, specialist_assessment_on=date(2025, 9, 1)))
    assert "the assessment on 01/09/2025 is older than that" in old.value.message
    assert submit_form(demo_copy, head, complete_form(demo_copy)).status == "submitted"


def test_prerequisites_are_the_clusters_own_per_year(demo_copy: Engine) -> None:
    _set_rules(demo_copy, prerequisites=())
    saved = submit_form(demo_copy, actor(demo_copy, "head.ap"),
                        complete_form(demo_copy, review_cycles=0,
                                      pupils=(PupilInput("AP-900", "Year 4", "sen_support",
                                                         "SpLD"),)))
    assert saved.status == "submitted"


def test_a_draft_keeps_gaps_but_never_an_identifier(demo_copy: Engine) -> None:
    head = actor(demo_copy, "head.ap")
    draft = save_draft(demo_copy, head, complete_form(demo_copy, outcomes=(), minimum_pence=0))
    assert draft.status == "draft"
    before = written_rows(demo_copy)
    with pytest.raises(ChecksFailed) as refused:
        save_draft(demo_copy, head,
                   complete_form(demo_copy, need_summary="Date of birth 12/03/2016"))
    assert refused.value.field == "Need in plain words"
    assert "date of birth (12/03/2016)" in refused.value.problem
    assert written_rows(demo_copy) == before


def test_a_draft_outcome_needs_its_date(demo_copy: Engine) -> None:
    form = complete_form(demo_copy)
    before = written_rows(demo_copy)
    with pytest.raises(InvalidInput) as refused:
        save_draft(demo_copy, actor(demo_copy, "head.ap"),
                   replace(form, outcomes=(replace(form.outcomes[0], target_on=None),)))
    assert refused.value.message.startswith("Outcome 1 date: is missing")
    assert written_rows(demo_copy) == before


# --- flags: shown, stored for the meeting, never blocking ---------------------------------------


@pytest.mark.parametrize(("why", "change", "field", "words"), [
    ("SENCO time", lambda f: replace(f, staff_lines=(*f.staff_lines,
                                                     StaffLine("SENCO", 30, 1, 38, 1))),
     "Provision map", "Code of Practice (2001, §5:35)"),
    ("spend under £6,000", lambda f: replace(f, school_spend_pence=420_000),
     "School's own spend", "£4,200 a year is under £6,000"),
    ("a word that may be a name", lambda f: replace(f, need_summary="Reading is hard for Zofia."),
     "Need in plain words", "has words the school confirmed are not a person's name"),
    ("an adaptation", lambda f: replace(f, graduated_approach="A ramp would help too."),
     "Provision map", "central fund"),
    ("first year of school in Year 4", lambda f: replace(f, kind="first_year"),
     "Pupil 1 year group", "first-year-of-school funding is for a pupil starting school"),
], ids=["senco", "element-2", "name", "adaptation", "first-year"])
def test_flags_warn_and_travel_to_the_meeting(demo_copy: Engine, why: str,
                                              change: Callable[[RequestForm], RequestForm],
                                              field: str, words: str) -> None:
    head = actor(demo_copy, "head.ap")
    form = change(complete_form(demo_copy))
    warnings = [f.text for f in check_request(demo_copy, head, form).warnings]
    assert any(t.startswith(field) and words in t for t in warnings), warnings
    saved = submit_form(demo_copy, head, form, confirmed_not_names=True)
    assert saved.status == "submitted"
    detail = get_request(demo_copy, actor(demo_copy, "host"), saved.id)
    assert any(words in flag for flag in detail.flags)
    assert not any("Zofia" in flag for flag in detail.flags)  # flags say where, never what


def test_the_form_rules_are_the_years_own(demo_copy: Engine) -> None:
    settings = year_settings(demo_copy, actor(demo_copy, "head.ap"), 2026)
    assert settings.rules == Rules((Prerequisite.REVIEW_CYCLES, Prerequisite.PARENT_CONSENT), 2, 12,
                                   None)
    assert settings.matrix.bands  # the demo cluster uses a band table
