"""Bad input at the service level: 500 generated values for every form that writes through a
service, and the inventory of every importer and form.

Each property drives the service a view calls with values a person (or a paste, or a tampered
request) could send: sensible, empty, huge, unicode, formula-leading (= + - @), identifiers, odd
dates, negative and overflowing numbers, ids that are nobody's, screens drawn before someone
else's save. The rule (tests/cluster/bad_input.py): the service succeeds, or raises the project's
user-facing error (ClusterError: InvalidInput naming the field and the problem, NotAllowed,
NotFound, StaleEdit, ImportRejected, ChecksFailed) and no table gains or loses a row (a NotAllowed
is itself logged as a "refused" audit row, because every failed authorisation is audited; those
rows are not counted). After a success, nothing stored is longer than its column or past
PostgreSQL's INTEGER, which SQLite would take silently and PostgreSQL would refuse with a crash.
Each property counts its examples and asserts that 500 ran, and that both accepted and refused
examples occurred.

Each runs on its own copy of the seeded demo (SQLite). The state a property's screen was drawn
from is kept (SQLite's backup API) and put back after each accepted example, so every example meets
the same screen and the versions it carries; the row counts of that state are known.

The inventory, one entry per importer or form (view): service(s); test; examples.
- School census CSV/XLSX (host/census_import.py): import_census, check_census_file;
  imports/test_import_hypothesis.py::test_500_census_files_import_all_or_nothing; 500.
- Schools list CSV/XLSX (host/census_import.py): import_schools, check_schools_file;
  imports/test_import_hypothesis.py::test_500_schools_lists_import_all_or_nothing; 500.
- LA benchmarks, DfE national file (host/census_import.py): import_benchmarks;
  imports/test_import_hypothesis.py::test_500_national_files_import_all_or_nothing; 500.
- The import page itself, AppTest: the three above; tests/toolkit/views/host/test_census_import.py;
  20.
- New request / Edit request (school/new_request.py): check_request, save_draft, submit_form;
  requests/test_request_bad_input.py::test_500_new_and_edited_requests_save_or_refuse_cleanly; 500.
- The New request form itself, AppTest: the three above;
  tests/toolkit/views/school/test_new_request.py; 20.
- Withdraw (reason), Return for information (list) (common/request.py): withdraw_request,
  return_for_information;
  requests/test_request_bad_input.py::test_500_withdrawals_and_returns_save_or_refuse_cleanly; 500.
- User accounts: create, change, deactivate, reset (host/users.py): create_user, update_user,
  set_user_active, reset_password; test_user_account_forms; 500.
- Change my password (common/account.py): change_own_password; test_own_password_form; 500.
- Sign in (toolkit/signin.py): sign_in; test_sign_in_form; 500.
- Attendance and quorum (host/run_meeting.py): record_attendance, set_quorum_fraction;
  test_attendance_and_quorum_forms; 500.
- Decisions at a meeting (toolkit/components/decisions.py): save_decisions;
  test_decisions_at_a_meeting_form; 500.
- Minutes: save, redraft, approve (host/run_meeting.py): save_minutes, redraft_minutes,
  approve_minutes; test_minutes_forms; 500.
- Actions: add, done (host/run_meeting.py): add_action, set_action_done; test_action_forms; 500.
- Urgent decision: propose, agree, ratify (host/urgent_decisions.py, run_meeting.py): propose_,
  agree_, ratify_urgent_decision; test_urgent_decision_forms; 500.
- Reviews: draft (school), confirm (host) (toolkit/components/reviews.py): draft_review,
  confirm_review; test_review_forms; 500.
- Impact record (toolkit/components/reviews.py): record_impact; test_impact_record_form; 500.
- Funding year: rates, reserve, top-slices, releases (host/funding_year.py): save_funding_year;
  test_funding_year_form; 500.
- Request rules and need matrix: rate table, rules, matrix and band table
  (host/request_settings.py): save_staff_rates, save_request_rules, save_need_matrix;
  test_request_settings_forms; 500 (about a third each).
- Meetings and agendas: set up a year, change a meeting (host/meetings.py): set_up_year,
  update_meeting; test_academic_year_and_meeting_forms; 500.
- Academic years: roll over, reopen with a reason, close (host/years.py): roll_over_year,
  reopen_year, close_year; test_rollover_and_reopen_forms; 500.
- Ask for reconsideration, withdraw it (school/reconsideration.py): ask_for_reconsideration,
  withdraw_reconsideration; test_reconsideration_forms; 500.
- Terms of reference (common/terms.py): save_terms_of_reference; test_terms_of_reference_form; 500.
- Protected funding: add a pupil, record a move (host/protected_funding.py): add_protected_pupil,
  record_event; test_protected_funding_forms; 500.
- Suggested split: floors, caps, locks, objective (host/suggest_split.py): accept_split;
  test_suggested_split_form; 500.
- Subject-access search (common/privacy.py): subject_access_export; test_subject_access_search_form;
  500.

No other upload exists: the band table, the pot settings and the rate table are forms (above), and
requests take no attachments. Buttons that send no values (confirm the round's decisions, submit a
saved draft, apply retention, Check the file) are reached by the examples above or take nothing to
generate; the LA adviser's need-element scenario (la/clusters.py, need_element) only reads.
My account's reminder choices (common/account.py, set_reminders) send only ticks, for the kinds
the person's role is shown (any other kind is ignored); tests/toolkit/forms/test_reminder_forms.py.
Views are under toolkit/views/ unless they start with toolkit/; tests are under tests/cluster/
unless they start with tests/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import HALF_TERMS
from cluster.common.needs import AREA_CHOICES
from cluster.core.db import make_engine
from cluster.core.permissions import Actor
from cluster.funding.budget import FundingSettings, funding_year, save_funding_year
from cluster.funding.protected import add_protected_pupil, protected_pupils, record_event
from cluster.funding.psf import PSF_PHASES, PsfEventKind
from cluster.meetings.actions import add_action, meeting_actions, set_action_done
from cluster.meetings.attendance import (
    AttendanceMark,
    attendance_sheet,
    record_attendance,
    set_quorum_fraction,
)
from cluster.meetings.decisions import (
    DecisionInput,
    accept_split,
    meeting_decisions,
    save_decisions,
)
from cluster.meetings.minutes import approve_minutes, minutes_state, redraft_minutes, save_minutes
from cluster.meetings.rules import ATTENDANCE_CHOICES, CAPACITIES
from cluster.meetings.split import SplitSettings, split_screen
from cluster.meetings.urgent import (
    agree_urgent_decision,
    propose_urgent_decision,
    ratify_urgent_decision,
)
from cluster.models import (
    DecisionType,
    ImpactRecord,
    Role,
    School,
    SupportRequest,
    UrgentDecision,
    User,
)
from cluster.outcomes.impact import JUDGEMENTS, ImpactEntry, impact_form, record_impact
from cluster.outcomes.reviews import (
    PROGRESS,
    RECOMMENDATIONS,
    OutcomeProgress,
    ReviewDraft,
    confirm_review,
    draft_review,
    open_reviews,
    review_form,
)
from cluster.people.accounts import actor_of, change_own_password, hash_password, sign_in
from cluster.people.privacy import subject_access_export
from cluster.people.users import (
    create_user,
    list_users,
    reset_password,
    set_user_active,
    update_user,
)
from cluster.requests.costing import StaffRate
from cluster.requests.need_score import Band, NeedMatrix
from cluster.requests.reconsiderations import (
    ask_for_reconsideration,
    decisions_open_to_reconsideration,
    withdraw_reconsideration,
)
from cluster.requests.rules import Prerequisite, Rules
from cluster.requests.year_setup import (
    save_need_matrix,
    save_request_rules,
    save_staff_rates,
    year_settings,
)
from cluster.year.rollover import close_year, reopen_year, roll_over_year
from cluster.year.schedule import (
    MeetingDetails,
    MeetingPlan,
    meeting_row,
    set_up_year,
    update_meeting,
)
from cluster.year.terms import save_terms_of_reference, terms_of_reference
from tests.cluster.bad_input import (
    FRESH,
    UPN_SHAPED,
    Pristine,
    Tally,
    assert_ran,
    attempt,
    cheap_passwords,
    copy_database,
    hostile_dates,
    hostile_floats,
    hostile_text,
    long_enough_text,
    postgres_misfits,
    run_examples,
    spoilt,
    table_counts,
    whole_numbers,
    without_audit_count,
)
from tests.cluster.meeting_helpers import on_meeting_day
from tests.helpers.demo_la import TODAY
from tests.helpers.demo_la import wensum_meeting_id as meeting_id

__all__ = ["cheap_passwords", "without_audit_count"]

# Each test here drives 500 generated inputs through a form's service and the database; on a
# 2-core machine that another job keeps busy, the slowest take several minutes. The suite-wide
# 300 s limit is for hangs, so these get more room rather than fewer examples.
pytestmark = pytest.mark.timeout(900)

T = TypeVar("T")
ANY_ID = st.sampled_from([0, -1, 999_999, 2**31, 2**63 - 1])


@dataclass
class Demo:
    """A copy of the seeded demo for one property; put back after each accepted example, so every
    example meets the screen the property drew (versions included)."""

    engine: Engine
    pristine: Pristine | None = None
    users: dict[str, Actor] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        if username not in self.users:
            with Session(self.engine) as session:
                self.users[username] = actor_of(session.exec(
                    select(User).where(User.username == username)).one())
        return self.users[username]

    def ready(self) -> None:
        """The state every example starts from: call after any setting-up writes."""
        self.pristine = Pristine(self.engine)

    def attempt(self, tally: Tally, call: Callable[[], T], *, writes: tuple[str, ...] = ()
                ) -> T | None:
        assert self.pristine is not None
        accepted = tally.accepted
        try:  # every example starts from the pristine state, so its row counts are known
            return attempt(self.engine, tally, call, writes=writes,
                           before=self.pristine.counts)
        finally:  # even when a check on what was accepted fails, so hypothesis can replay it
            if tally.accepted > accepted:
                assert self.pristine is not None
                self.pristine.restore()


@pytest.fixture
def demo(tmp_path: Path, demo_sqlite_file: Path, without_audit_count: None) -> Iterator[Demo]:
    path = copy_database(demo_sqlite_file, tmp_path, "forms.db")
    engine = make_engine(f"sqlite:///{path}")
    yield Demo(engine)
    engine.dispose()


def take_register(demo: Demo, meeting: int) -> None:
    """On the meeting's day: a meeting takes its register from its date."""
    on_meeting_day(demo.engine, meeting)
    host = demo.actor("host")
    sheet = attendance_sheet(demo.engine, host, meeting)
    marks = [AttendanceMark(line.school_id, line.capacity,
                            "present" if line.capacity != "governor" else "apologies")
             for line in sheet.lines]
    record_attendance(demo.engine, host, meeting, marks, drawn=sheet.drawn())


def finish(tally: Tally, demo: Demo, *, accepted: int = 1, refused: int = 50) -> None:
    """The examples ran; some were accepted and some refused, so both paths were exercised."""
    assert_ran(tally, demo.engine)
    assert tally.accepted >= accepted and sum(tally.refused.values()) >= refused, tally.line()


NAMES = st.one_of(st.sampled_from(["Sam Hardy", "Priya Okafor", "The SENCO", "Deputy head"]),
                  hostile_text(120))


# --- user accounts (host): create, change, deactivate, reset a password ---------------------------


def test_user_account_forms(demo: Demo, cheap_passwords: None) -> None:
    engine, host = demo.engine, demo.actor("host")
    users = {u.username: u for u in list_users(engine, host)}
    schools = [s for s in sorted({u.school_id for u in users.values()} - {None})]
    demo.ready()
    tally = Tally("user accounts")
    user_ids = st.one_of(st.sampled_from([u.id for u in users.values()]), ANY_ID)
    school_ids = st.one_of(st.none(), st.sampled_from(schools), ANY_ID)
    roles = st.sampled_from([*Role, "", "admin", "HOST"])

    def body(example: tuple[str, str, str, str, str, int | None, str, int, bool]) -> None:
        op, username, name, role, title, school_id, email, user_id, flag = example
        tables = ("user",)
        if op == "create":
            demo.attempt(tally, lambda: create_user(
                engine, host, username=username, display_name=name, role=role,
                school_id=school_id, title=title, email=email or None), writes=tables)
        elif op == "update":
            row = next((u for u in users.values() if u.id == user_id), None)
            demo.attempt(tally, lambda: update_user(
                engine, host, user_id, role=role, school_id=school_id, title=title,
                display_name=name, expected_version=row.version if row and flag else 1,
                drawn_from=row.drawn_from() if row else {}), writes=tables)
        elif op == "active":
            demo.attempt(tally, lambda: set_user_active(engine, host, user_id, flag),
                         writes=tables)
        else:
            demo.attempt(tally, lambda: reset_password(engine, host, user_id), writes=tables)

    usernames = st.one_of(st.sampled_from(["senco.new", "head.zz", "host", "Governor.Two", "ab",
                                           "a" * 81, "a.b@school.org", "new user"]),
                          hostile_text(80))
    run_examples(tally, st.tuples(
        st.sampled_from(["create", "create", "update", "update", "active", "reset"]), usernames,
        NAMES, roles, st.one_of(st.sampled_from(["SENCO", "Headteacher", ""]), hostile_text(60)),
        school_ids, st.one_of(st.sampled_from(["", "senco@school.org", "x" * 250]),
                              hostile_text(200)),
        user_ids, st.booleans()), body)
    finish(tally, demo)


def test_own_password_form(demo: Demo, cheap_passwords: None) -> None:
    engine, senco = demo.engine, demo.actor("senco.ap")
    current = "cluster-demo-1"
    with Session(engine) as session:  # the demo's hash, made again with the cheap parameters
        user = session.get(User, senco.user_id)
        assert user is not None
        user.password_hash = hash_password(current)
        session.add(user)
        session.commit()
    demo.ready()
    tally = Tally("change own password")
    passwords = st.one_of(st.sampled_from([current, "a much better one 7", "short1", "0123456789",
                                           "abcdefghij", "x" * 10_000]), hostile_text(100))

    def body(example: tuple[str, str]) -> None:
        old, new = example
        demo.attempt(tally, lambda: change_own_password(engine, senco, old, new),
                     writes=("user",))

    run_examples(tally, st.tuples(st.one_of(st.just(current), passwords), passwords), body)
    finish(tally, demo)


# --- running a meeting (host): attendance and quorum, decisions, minutes, actions -----------------


def test_attendance_and_quorum_forms(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    spring = meeting_id(engine, 2026, "Spring 1")
    sheet = attendance_sheet(engine, host, spring)
    schools = sorted({line.school_id for line in sheet.lines})
    demo.ready()
    tally = Tally("attendance and quorum")
    marks = st.builds(AttendanceMark, st.one_of(st.sampled_from(schools), ANY_ID),
                      st.one_of(st.sampled_from(CAPACITIES),
                                st.sampled_from(["", "Head", "chair"])),
                      st.one_of(st.sampled_from(ATTENDANCE_CHOICES),
                                st.sampled_from(["", "Present", "late", "yes"])))

    def body(example: tuple[bool, int, list[AttendanceMark], float, bool]) -> None:
        register, meeting, given, fraction, fresh = example
        if register:
            demo.attempt(tally, lambda: record_attendance(
                engine, host, meeting, given, drawn=sheet.drawn() if fresh else
                {(schools[0], "senco"): 9}), writes=("attendance",))
        else:
            demo.attempt(tally, lambda: set_quorum_fraction(
                engine, host, fraction, expected_version=sheet.cluster_version if fresh else 99),
                writes=("cluster",))

    run_examples(tally, st.tuples(
        st.booleans(), st.one_of(st.just(spring), st.sampled_from(
            [meeting_id(engine, 2025, "Autumn 2"), meeting_id(engine, 2026, "Autumn 2")]), ANY_ID),
        st.lists(marks, max_size=40), hostile_floats(0.5, 1.0), FRESH), body)
    finish(tally, demo)


def test_decisions_at_a_meeting_form(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    spring = meeting_id(engine, 2026, "Spring 1")
    take_register(demo, spring)
    screen = meeting_decisions(engine, host, spring)
    rows = [row for row in screen.rows if row.can_decide[0]]
    later = [m.id for m in screen.later]
    demo.ready()
    tally = Tally("decisions at a meeting")
    reason = st.sampled_from(["Funded as the meeting agreed.", "Not funded this round: the pot "
                              "ran out.", "Deferred to the summer round for more evidence."])
    valid = {"request_id": st.sampled_from([r.request_id for r in rows]),
             "agreed_pounds": st.sampled_from([r.suggested_pounds or 0 for r in rows]
                                              + [r.asked_pounds for r in rows] + [0, 100]),
             "reason": reason}
    hostile = {
        "request_id": st.one_of(st.sampled_from([r.request_id for r in screen.rows]), ANY_ID),
        "agreed_pounds": whole_numbers(0, 20_000), "deferred": st.booleans(),
        "terms": st.one_of(st.none(), whole_numbers(1, 6)),
        "reason": hostile_text(2_000), "length_reason": hostile_text(2_000),
        "conditions": hostile_text(2_000), "next_time": hostile_text(2_000),
        "decision_type": st.sampled_from([DecisionType.VOTE, DecisionType.VOTE, "", "unanimous",
                                           "Consensus"]),
        "votes_for": st.one_of(st.none(), whole_numbers(0, 12)),
        "votes_against": st.one_of(st.none(), whole_numbers(0, 12)),
        "votes_abstaining": st.one_of(st.none(), whole_numbers(0, 12)),
        "review_meeting_ids": st.lists(st.one_of(st.sampled_from(later), ANY_ID),
                                       max_size=3).map(tuple)}
    decision = spoilt(valid, hostile).map(
        lambda values: DecisionInput(**values))  # type: ignore[arg-type]  # hostile values on purpose

    def body(example: tuple[list[DecisionInput], bool]) -> None:
        decisions, fresh = example
        drawn = screen.drawn() if fresh else {r.request_id: (5, {}) for r in screen.rows}
        demo.attempt(tally, lambda: save_decisions(engine, host, spring, decisions, drawn=drawn),
                     writes=("award",))

    run_examples(tally, st.tuples(st.lists(decision, min_size=1, max_size=2),
                                  FRESH), body)
    finish(tally, demo)


def test_minutes_forms(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    autumn, spring = meeting_id(engine, 2026, "Autumn 2"), meeting_id(engine, 2026, "Spring 1")
    take_register(demo, spring)  # approval is a decision of the next meeting: it must be quorate
    states = {m: minutes_state(engine, host, m) for m in (autumn, spring)}
    demo.ready()
    tally = Tally("minutes")
    meetings = st.one_of(st.sampled_from([autumn, autumn, spring,
                                          meeting_id(engine, 2025, "Summer 2")]), ANY_ID)

    def body(example: tuple[str, int, str, int, bool]) -> None:
        op, meeting, text, at, fresh = example
        state = states.get(meeting)
        version = state.version if state and fresh else 77
        tables = ("meeting",)
        if op == "save":
            demo.attempt(tally, lambda: save_minutes(
                engine, host, meeting, text, expected_version=version,
                drawn_from=state.drawn_from() if state else {}), writes=tables)
        elif op == "redraft":
            demo.attempt(tally, lambda: redraft_minutes(engine, host, meeting,
                                                        expected_version=version), writes=tables)
        else:
            demo.attempt(tally, lambda: approve_minutes(engine, host, meeting, at_meeting_id=at,
                                                        expected_version=version), writes=tables)

    run_examples(tally, st.tuples(
        st.sampled_from(["save", "save", "save", "redraft", "approve"]), meetings,
        st.one_of(hostile_text(60_000), st.just("# Minutes\n\n| a | b |\n|---|---|\n| 1 | 2 |")),
        st.one_of(st.just(spring), meetings), FRESH), body)
    finish(tally, demo)


def test_action_forms(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    autumn = meeting_id(engine, 2026, "Autumn 2")
    actions = meeting_actions(engine, host, autumn)
    open_ones = [*actions.agreed_here, *actions.still_open]
    demo.ready()
    tally = Tally("meeting actions")

    def body(example: tuple[bool, int, str, str, date, int, bool, bool]) -> None:
        adding, meeting, description, owner, due, action_id, done, fresh = example
        if adding:
            demo.attempt(tally, lambda: add_action(engine, host, meeting, description, owner, due),
                         writes=("action",))
            return
        action = next((a for a in open_ones if a.id == action_id), None)
        demo.attempt(tally, lambda: set_action_done(
            engine, host, action_id, done,
            expected_version=action.version if action and fresh else 42), writes=("action",))

    run_examples(tally, st.tuples(
        st.booleans(), st.one_of(st.just(autumn), st.sampled_from(
            [meeting_id(engine, 2025, "Summer 2"), meeting_id(engine, 2026, "Spring 1")]), ANY_ID),
        long_enough_text(1, 500), NAMES, hostile_dates(TODAY),
        st.one_of(st.sampled_from([a.id for a in open_ones] or [1]), ANY_ID), st.booleans(),
        FRESH), body)
    finish(tally, demo)


def test_urgent_decision_forms(demo: Demo) -> None:
    """Propose (the host), agree (the deputy, the second signature), ratify (the next meeting)."""
    engine, host, deputy = demo.engine, demo.actor("host"), demo.actor("deputy")
    with Session(engine) as session:
        candidates = [r.id for r in session.exec(select(SupportRequest).where(
            SupportRequest.status == "submitted", SupportRequest.amount_pence > 0)
            .order_by(SupportRequest.id)).all() if r.id is not None]
    reason = "A newly arrived pupil with complex needs cannot wait for the next round."
    awaiting = propose_urgent_decision(engine, host, candidates[2], 500, 3, reason)
    agreed = propose_urgent_decision(engine, host, candidates[3], 400, 3, reason)
    agreed = agree_urgent_decision(engine, deputy, agreed.id, expected_version=agreed.version)
    with Session(engine) as session:
        ratify_at = session.get(UrgentDecision, agreed.id).meeting_id  # type: ignore[union-attr]  # just agreed, so it exists
    take_register(demo, ratify_at)
    with Session(engine) as session:
        versions = {u.id: u.version for u in session.exec(select(UrgentDecision)).all()}
    demo.ready()
    tally = Tally("urgent decisions")
    urgent_ids = st.one_of(st.sampled_from([awaiting.id, agreed.id]), ANY_ID)

    def body(example: tuple[str, int, int, int, str, str, int, bool, bool]) -> None:
        op, request_id, pounds, terms, why, conditions, urgent_id, ratified, fresh = example
        version = versions.get(urgent_id, 1) if fresh else 33
        tables = ("urgentdecision", "award", "instalment", "review")
        if op == "propose":
            demo.attempt(tally, lambda: propose_urgent_decision(
                engine, host, request_id, pounds, terms, why, conditions), writes=tables)
        elif op == "agree":
            demo.attempt(tally, lambda: agree_urgent_decision(
                engine, deputy, urgent_id, expected_version=version), writes=tables)
        else:
            demo.attempt(tally, lambda: ratify_urgent_decision(
                engine, host, urgent_id, ratified, why, expected_version=version), writes=tables)

    run_examples(tally, st.tuples(
        st.sampled_from(["propose", "propose", "propose", "agree", "ratify", "ratify"]),
        st.one_of(st.sampled_from(candidates), ANY_ID), whole_numbers(1, 2_000),
        whole_numbers(1, 6), long_enough_text(10, 2_000), hostile_text(2_000), urgent_ids,
        st.booleans(), FRESH), body)
    finish(tally, demo)


# --- reviews and impact (a school drafts, the host confirms at the meeting) -----------------------


def test_review_forms(demo: Demo) -> None:
    engine, senco, host = demo.engine, demo.actor("senco.ap"), demo.actor("host")
    drafted = next(r for r in open_reviews(engine, senco) if r.school_name.startswith("Aylsham"))
    due = next(r for r in open_reviews(engine, host) if r.status == "due")
    forms = {item.review_id: review_form(engine, host, item.review_id) for item in (drafted, due)}
    demo.ready()
    tally = Tally("reviews")

    def draft_of(review_id: int) -> st.SearchStrategy[ReviewDraft]:
        form = forms.get(review_id) or forms[drafted.review_id]
        valid = {
            "outcomes": st.tuples(*[st.builds(OutcomeProgress, st.just(line.outcome_id),
                                              st.sampled_from(PROGRESS),
                                              st.sampled_from(["4 of 5 lessons", ""]))
                                    for line in form.outcomes]),
            "spend_to_date_pence": st.integers(0, form.item.awarded_pence),
            "recommendation": st.sampled_from(RECOMMENDATIONS),
            "notes": st.sampled_from(["Continue as planned; review in the summer.", ""])}
        hostile = {
            "outcomes": st.lists(st.builds(OutcomeProgress, st.one_of(
                st.sampled_from([line.outcome_id for line in form.outcomes]), ANY_ID),
                st.sampled_from([*PROGRESS, "", "great"]), hostile_text(200)),
                max_size=4).map(tuple),
            "spend_to_date_pence": whole_numbers(0, form.item.awarded_pence),
            "recommendation": st.sampled_from(["", "stop now", "Continue"]),
            "notes": hostile_text(1_000)}
        return spoilt(valid, hostile).map(
            lambda values: ReviewDraft(**values))  # type: ignore[arg-type]  # hostile values on purpose

    reviews = st.sampled_from([drafted.review_id, due.review_id, drafted.review_id])

    def body(example: tuple[bool, int, ReviewDraft, bool]) -> None:
        confirming, review_id, draft, fresh = example
        item = forms[review_id].item if review_id in forms else None
        version = item.version if item and fresh else 12
        drawn = item.drawn_from() if item else {}
        tables = ("review", "reviewoutcome", "award", "instalment")
        if confirming:
            demo.attempt(tally, lambda: confirm_review(
                engine, host, review_id, expected_version=version, drawn_from=drawn,
                changes=draft), writes=tables)
        else:
            demo.attempt(tally, lambda: draft_review(
                engine, senco, review_id, draft, expected_version=version, drawn_from=drawn),
                writes=tables)

    run_examples(tally, st.tuples(st.booleans(), st.one_of(reviews, ANY_ID), FRESH).flatmap(
        lambda picked: st.tuples(st.just(picked[0]), st.just(picked[1]), draft_of(picked[1]),
                                 st.just(picked[2]))), body)
    finish(tally, demo)


def test_impact_record_form(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    with Session(engine) as session:
        award_id = session.exec(select(ImpactRecord.award_id)).first()
    assert award_id is not None
    form = impact_form(engine, host, award_id)
    demo.ready()
    tally = Tally("impact records")
    outcome_ids = [line.outcome_id for line in form.lines]
    valid = {"outcome_id": st.sampled_from(outcome_ids),
             "achieved": st.sampled_from(["90% accuracy", "5 of 5 lessons"]),
             "judgement": st.sampled_from(JUDGEMENTS),
             "can_do_now": st.sampled_from(["Reads a class text aloud with confidence."])}
    hostile = {"outcome_id": ANY_ID, "achieved": hostile_text(200),
               "judgement": st.sampled_from(["", "Met", "excellent"]),
               "can_do_now": hostile_text(500), "what_worked": hostile_text(1_000),
               "pupil_voice": hostile_text(300), "parent_voice": hostile_text(300),
               "attendance_before_pct": st.one_of(st.none(), hostile_floats(0, 100)),
               "attendance_after_pct": st.one_of(st.none(), hostile_floats(0, 100)),
               "exclusions_before": st.one_of(st.none(), whole_numbers(0, 190)),
               "exclusions_after": st.one_of(st.none(), whole_numbers(0, 190))}
    entries = st.lists(spoilt(valid, hostile).map(
        lambda v: ImpactEntry(**v)), max_size=3)  # type: ignore[arg-type]  # hostile values on purpose

    def body(example: tuple[int, list[ImpactEntry], bool]) -> None:
        award, given, fresh = example
        versions = form.versions() if fresh else {i: 8 for i in outcome_ids}
        demo.attempt(tally, lambda: record_impact(engine, host, award, given,
                                                  expected_versions=versions),
                     writes=("impactrecord",))

    run_examples(tally, st.tuples(st.one_of(st.just(award_id), st.just(award_id), ANY_ID),
                                  entries, FRESH), body)
    finish(tally, demo)


# --- money and settings for the year (host) -------------------------------------------------------


def test_funding_year_form(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    view = funding_year(engine, host, 2026)
    rounds = [r.meeting_id for r in view.rounds]
    demo.ready()
    tally = Tally("funding year (pot)")
    pence = whole_numbers(0, 100_000_000)
    now = view.settings
    valid = {"per_pupil_rate_pence": st.just(now.per_pupil_rate_pence),
             "fixed_sum_per_school_pence": st.just(now.fixed_sum_per_school_pence),
             "carried_forward_pence": st.just(now.carried_forward_pence),
             "psf_redistributed_pence": st.just(now.psf_redistributed_pence),
             "reserve_percent": st.sampled_from([now.reserve_percent, 0.0, 5.0, 10.0]),
             "top_slices": st.just(now.top_slices), "releases": st.just(now.releases)}
    hostile = {"per_pupil_rate_pence": pence, "fixed_sum_per_school_pence": pence,
               "carried_forward_pence": whole_numbers(-100_000_000, 100_000_000),
               "psf_redistributed_pence": pence, "reserve_percent": hostile_floats(0, 100),
               "top_slices": st.lists(st.tuples(hostile_text(120), pence), max_size=12).map(tuple),
               "releases": st.lists(st.tuples(st.one_of(st.sampled_from(rounds), ANY_ID), pence),
                                    max_size=5).map(tuple)}

    def body(example: tuple[int, dict[str, object], bool]) -> None:
        year, values, fresh = example
        settings = FundingSettings(**values)  # type: ignore[arg-type]  # hostile values on purpose
        demo.attempt(tally, lambda: save_funding_year(
            engine, host, year, settings, expected_version=view.version if fresh else 40,
            drawn_from=view.drawn_from()), writes=("fundingyear", "topslice", "meeting"))

    run_examples(tally, st.tuples(st.sampled_from([2026, 2026, 2026, 2025, 2027]),
                                  spoilt(valid, hostile), FRESH), body)
    finish(tally, demo)


def test_request_settings_forms(demo: Demo) -> None:
    """The staff rate table, the rules for requests and the need matrix, for one year."""
    engine, host = demo.engine, demo.actor("host")
    settings = year_settings(engine, host, 2026)
    demo.ready()
    tally = Tally("request settings")
    rates = st.lists(st.builds(
        StaffRate, st.one_of(st.sampled_from([r.grade for r in settings.rates]), hostile_text(40)),
        whole_numbers(1, 50_000), st.booleans()), max_size=10)
    rules = st.builds(Rules, st.lists(st.one_of(st.sampled_from(list(Prerequisite)),
                                                st.sampled_from(["", "consent"])),
                                      max_size=4).map(tuple),
                      whole_numbers(1, 6), whole_numbers(1, 36),
                      st.one_of(st.none(), whole_numbers(1, 20)))
    points = hostile_floats(0, 10)
    now = settings.matrix
    descriptors = st.dictionaries(st.one_of(st.sampled_from(AREA_CHOICES), hostile_text(40)),
                                  st.lists(hostile_text(300), min_size=4, max_size=6).map(tuple),
                                  max_size=6)
    valid = {"severity_points": st.just(now.severity_points)}
    hostile = {"severity_points": points, "pupils_points": points,
               "area_points": st.dictionaries(st.sampled_from(AREA_CHOICES), points, max_size=5),
               "sen_status_points": st.dictionaries(st.sampled_from(["sen_support", "ehc_plan",
                                                                      "assessment_requested"]),
                                                    points, max_size=3),
               "pupils_for_full_points": whole_numbers(2, 30),
               "points_per_review_cycle": points, "review_cycles_for_full_points":
                   whole_numbers(1, 6), "assessment_points": points, "context_points": points,
               "descriptors": descriptors,
               "bands": st.lists(st.builds(Band, hostile_text(40), whole_numbers(0, 16),
                                           whole_numbers(0, 10_000_000)), max_size=6).map(tuple)}
    matrices = spoilt(valid, hostile).map(lambda v: NeedMatrix(**{  # type: ignore[arg-type]  # hostile values on purpose
        **{"descriptors": dict(now.descriptors)}, **v}))

    def body(example: tuple[str, int, list[StaffRate], Rules, NeedMatrix, bool]) -> None:
        op, year, table, rule, matrix, fresh = example
        if op == "rates":
            demo.attempt(tally, lambda: save_staff_rates(
                engine, host, year, table, drawn_from=settings.rates if fresh else ()),
                writes=("staffgraderate",))
        elif op == "rules":
            demo.attempt(tally, lambda: save_request_rules(
                engine, host, year, rule,
                expected_version=settings.rules_version if fresh else 66),
                writes=("requestrules", "supportrequest"))
        else:
            demo.attempt(tally, lambda: save_need_matrix(
                engine, host, year, matrix,
                expected_version=settings.matrix_version if fresh else 66),
                writes=("needmatrixsetting", "supportrequest"))

    run_examples(tally, st.tuples(st.sampled_from(["rates", "rules", "matrix"]),
                                  st.sampled_from([2026, 2026, 2026, 2027]),
                                  rates, rules, matrices, FRESH), body)
    finish(tally, demo)


def test_academic_year_and_meeting_forms(demo: Demo) -> None:
    """Setting up a year's six meetings, and changing one meeting."""
    engine, host = demo.engine, demo.actor("host")
    spring = meeting_id(engine, 2026, "Spring 1")
    row = meeting_row(engine, host, spring)
    demo.ready()
    tally = Tally("academic year and meetings")
    times = st.sampled_from(["13:30", "16:30", "09:00", "23:59", "13:30\n", "24:00", "9:00", "1330",
                             "", "13:60", "ab:cd", "１３:３０", " 13:30"])
    valid = {"held_on": st.dates(date(2027, 1, 10), date(2027, 1, 30)),
             "starts_at": st.just("13:30"), "ends_at": st.just("16:30"),
             "venue": st.just("Wensum Valley High School library"),
             "is_funding_round": st.just(True)}
    hostile = {"held_on": hostile_dates(TODAY), "starts_at": times, "ends_at": times,
               "venue": hostile_text(200),
               "video_link": st.one_of(st.sampled_from(["https://meet.example.org/abc",
                                                        "http://x", "https://a b"]),
                                       hostile_text(300)),
               "is_funding_round": st.booleans(), "agenda_md": hostile_text(20_000)}
    details = spoilt(valid, hostile).map(lambda v: MeetingDetails(**v))  # type: ignore[arg-type]  # hostile values on purpose

    def year_plans(year: int) -> st.SearchStrategy[list[MeetingPlan]]:
        dates = [date(year, 9, 20), date(year, 11, 15), date(year + 1, 1, 20),
                 date(year + 1, 3, 5), date(year + 1, 5, 5), date(year + 1, 6, 20)]
        plain = [MeetingPlan(h, MeetingDetails(d, venue="The library")) for h, d in
                 zip(HALF_TERMS, dates, strict=True)]
        return st.one_of(st.just(plain), st.lists(st.builds(
            MeetingPlan, st.sampled_from([*HALF_TERMS, "Autumn 3"]), details), max_size=7),
            st.integers(0, 5).flatmap(lambda n: details.map(
                lambda d: [*plain[:n], MeetingPlan(HALF_TERMS[n], d), *plain[n + 1:]])))

    def body(example: tuple[bool, int, object, MeetingDetails, bool]) -> None:
        setting_up, year, plans, changed, fresh = example
        if setting_up:
            demo.attempt(tally, lambda: set_up_year(
                engine, host, year, plans), writes=("meeting",))  # type: ignore[arg-type]  # plans are hostile on purpose
        else:
            demo.attempt(tally, lambda: update_meeting(
                engine, host, spring, changed, expected_version=row.version if fresh else 9,
                drawn_from=row.drawn_from()), writes=("meeting",))

    run_examples(tally, st.tuples(st.booleans(), st.sampled_from([2027, 2027, 2026, 2030])).flatmap(
        lambda picked: st.tuples(st.just(picked[0]), st.just(picked[1]), year_plans(picked[1]),
                                 details, FRESH)), body)
    finish(tally, demo)


def test_rollover_and_reopen_forms(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    demo.ready()
    tally = Tally("academic-year rollover and reopen")
    years = st.sampled_from([2025, 2025, 2024, 2026, 2023, 1999, 2100])

    def body(example: tuple[str, int, str]) -> None:
        op, year, reason = example
        tables = ("fundingyear", "award")
        if op == "reopen":
            demo.attempt(tally, lambda: reopen_year(engine, host, year, reason), writes=tables)
        elif op == "close":
            demo.attempt(tally, lambda: close_year(engine, host, year), writes=tables)
        else:
            demo.attempt(tally, lambda: roll_over_year(engine, host, year), writes=tables)

    run_examples(tally, st.tuples(st.sampled_from(["reopen", "reopen", "reopen", "close", "roll"]),
                                  years, long_enough_text(10, 500)), body)
    finish(tally, demo)


def test_reconsideration_forms(demo: Demo) -> None:
    engine = demo.engine
    bi, bj = demo.actor("senco.bi"), demo.actor("senco.bj")
    open_to_bi = [d.award_id for d in decisions_open_to_reconsideration(engine, bi)]
    open_to_bj = [d.award_id for d in decisions_open_to_reconsideration(engine, bj) if d.can_ask]
    reasons = "The meeting did not have the speech therapist's report, which shows more need."
    asked = ask_for_reconsideration(engine, bj, open_to_bj[0], reasons)
    demo.ready()
    tally = Tally("reconsideration")

    def body(example: tuple[bool, int, str, int, bool]) -> None:
        asking, award_id, why, item_id, fresh = example
        if asking:
            demo.attempt(tally, lambda: ask_for_reconsideration(engine, bi, award_id, why),
                         writes=("reconsideration",))
        else:
            demo.attempt(tally, lambda: withdraw_reconsideration(
                engine, bj, item_id, expected_version=asked.version if fresh else 5,
                drawn_from={"status": asked.status}), writes=("reconsideration",))

    run_examples(tally, st.tuples(
        st.booleans(), st.one_of(st.sampled_from(open_to_bi + open_to_bj), ANY_ID),
        long_enough_text(20, 3_000), st.one_of(st.just(asked.id), ANY_ID), FRESH), body)
    finish(tally, demo)


def test_terms_of_reference_form(demo: Demo) -> None:
    engine, host = demo.engine, demo.actor("host")
    drawn = terms_of_reference(engine, host, "# Terms of reference\n")
    demo.ready()
    tally = Tally("terms of reference")

    def body(example: tuple[str, bool]) -> None:
        text, fresh = example
        demo.attempt(tally, lambda: save_terms_of_reference(
            engine, host, text, expected_version=drawn.version if fresh else 3),
            writes=("termsofreference",))

    run_examples(tally, st.tuples(st.one_of(hostile_text(50_000), st.just("# Terms\n\n- Quorum")),
                                  FRESH), body)
    finish(tally, demo)


def test_protected_funding_forms(demo: Demo) -> None:
    """Adding a pupil with inherited pupil-tied funding, and recording a move or transfer."""
    engine, host = demo.engine, demo.actor("host")
    pupils = protected_pupils(engine, host)
    live = [p for p in pupils if not p.ended]
    with Session(engine) as session:
        schools = [s for s in session.exec(select(School.id)).all() if s is not None]
    demo.ready()
    tally = Tally("protected funding")

    def body(example: tuple[bool, int, str, int, int, str, int, int, str, date, int, bool]
             ) -> None:
        adding, school, reference, birth_year, birth_month, phase, pounds, pupil, kind, on, \
            to_school, fresh = example
        tables = ("protectedpupil", "protectedpupilevent")
        if adding:
            demo.attempt(tally, lambda: add_protected_pupil(
                engine, host, school_id=school, reference=reference, birth_year=birth_year,
                birth_month=birth_month, phase=phase, annual_amount_pence=pounds * 100),
                writes=tables)
        else:
            row = next((p for p in pupils if p.id == pupil), None)
            demo.attempt(tally, lambda: record_event(
                engine, host, pupil, kind=kind, on=on, to_school_id=to_school,
                expected_version=row.version if row and fresh else 21), writes=tables)

    run_examples(tally, st.tuples(
        st.booleans(), st.one_of(st.sampled_from(schools), ANY_ID),
        st.one_of(st.sampled_from(["WV-AP-101", "AP-7", UPN_SHAPED]), hostile_text(30)),
        whole_numbers(2010, 2024), whole_numbers(1, 12),
        st.sampled_from([*PSF_PHASES, "", "Primary", "college"]), whole_numbers(1, 100_000),
        st.one_of(st.sampled_from([p.id for p in live] or [1]), ANY_ID),
        st.sampled_from([*PsfEventKind.labels(), "", "moved"]), hostile_dates(TODAY),
        st.one_of(st.none(), st.sampled_from(schools), ANY_ID), FRESH), body)
    finish(tally, demo)


def test_suggested_split_form(demo: Demo) -> None:
    """Accepting the optimiser's split with the host's floors, caps and locks."""
    engine, host = demo.engine, demo.actor("host")
    spring = meeting_id(engine, 2026, "Spring 1")
    screen = split_screen(engine, host, spring)
    assert screen is not None
    schools = [s for s, _ in screen.schools]
    requests = [r.request_id for r in screen.requests]
    demo.ready()
    tally = Tally("suggested split")
    pounds = whole_numbers(0, 20_000)
    valid = {"objective": st.sampled_from(["need_per_pound", "fair_shares"])}
    hostile = {"objective": st.sampled_from(["", "cheapest"]),
               "floors": st.dictionaries(st.one_of(st.sampled_from(schools), ANY_ID), pounds,
                                         max_size=3),
               "caps": st.dictionaries(st.one_of(st.sampled_from(schools), ANY_ID), pounds,
                                       max_size=3),
               "locks": st.dictionaries(st.one_of(st.sampled_from(requests), ANY_ID), pounds,
                                        max_size=3)}

    def body(example: tuple[dict[str, object], bool]) -> None:
        values, fresh = example
        settings = SplitSettings(**values)  # type: ignore[arg-type]  # hostile values on purpose
        demo.attempt(tally, lambda: accept_split(
            engine, host, spring, settings, expected_version=0 if fresh else 4),
            writes=("splitsuggestion", "award"))

    run_examples(tally, st.tuples(spoilt(valid, hostile), FRESH), body)
    finish(tally, demo)


# --- signing in, and the subject-access search (both write an audit row) --------------------------


def test_sign_in_form(demo: Demo, cheap_passwords: None) -> None:
    """Never an error page: a result with a message; a refusal changes no account but its counter
    of failed attempts (and the lock), and leaves an audit row."""
    engine = demo.engine
    with Session(engine) as session:  # the demo's hashes, made again with the cheap parameters
        for user in session.exec(select(User)).all():
            user.password_hash = hash_password("cluster-demo-1")
            session.add(user)
        session.commit()
    demo.ready()
    tally = Tally("sign in")
    usernames = st.one_of(st.sampled_from(["host", "senco.ap", " HOST ", "governor", "nobody",
                                           "la.adviser", "x" * 500]), hostile_text(80))
    passwords = st.one_of(st.sampled_from(["cluster-demo-1", "wrong password 1", ""]),
                          hostile_text(1_000))

    def body(example: tuple[str, str]) -> None:
        username, password = example
        before = table_counts(engine)
        result = sign_in(engine, username, password)
        assert result.message.strip()
        if result.actor is None:
            tally.refused["refused"] += 1
            after = table_counts(engine)
            assert {k: v for k, v in after.items() if k != "auditevent"} == \
                {k: v for k, v in before.items() if k != "auditevent"}
        else:
            tally.accepted += 1
        assert postgres_misfits(engine, ("user", "auditevent")) == []
        demo.pristine.restore()  # type: ignore[union-attr]  # kept at set-up

    run_examples(tally, st.tuples(usernames, passwords), body)
    finish(tally, demo)


def test_subject_access_search_form(demo: Demo) -> None:
    engine = demo.engine
    demo.ready()
    tally = Tally("subject-access search")
    people = st.sampled_from(["host", "senco.ap", "governor"])

    def body(example: tuple[str, str]) -> None:
        username, reference = example
        who = demo.actor(username)
        found = demo.attempt(tally, lambda: subject_access_export(engine, who, reference),
                             writes=("auditevent",))
        if found is not None:
            assert found["reference"] == reference.strip()

    references = st.one_of(st.sampled_from(["AP-017", "WV-002", " ap-017 "]), hostile_text(30))
    run_examples(tally, st.tuples(people, references), body)
    finish(tally, demo)
