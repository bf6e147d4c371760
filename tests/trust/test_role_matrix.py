"""The service × role matrix, on the demo data: nobody sees pupil-level data they shouldn't.

Every service that reads pupil-level data (the registry `cluster.core.audit.AUDITED_SERVICES` minus
the writers) is called as each kind of reader:
- the host, and the deputy host;
- a school user of school A (Aylsham Road Primary, the owner of the records asked for);
- a school user of school B (Bintree Infant), another school, outside the agenda window: on the
  pinned day (23/11/2026) the Spring 1 papers go out only on 13/01/2027;
- the cluster's link governor, school A's own governor, and the LA adviser.
Governors and the LA adviser are always refused; another school is refused, or gets a list with
none of school A's pupil references or requests in it. Every refusal leaves a "refused" audit row.

Then the services that change decisions: only the host and the deputy may, and on an item about the
host's own school only the deputy.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

import cluster
from cluster.core.audit import AUDITED_SERVICES, MUTATING_SERVICES
from cluster.core.clock import today
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.decisions import (
    DecisionInput,
    accept_split,
    meeting_decisions,
    save_decisions,
)
from cluster.meetings.minutes import approve_minutes
from cluster.meetings.split import SplitSettings
from cluster.meetings.urgent import (
    UrgentLine,
    agree_urgent_decision,
    propose_urgent_decision,
    ratify_urgent_decision,
)
from cluster.models import (
    AuditEvent,
    AuditOutcome,
    Award,
    Meeting,
    ProtectedPupil,
    RequestPupil,
    RequestStatus,
    Review,
    School,
    SupportRequest,
)
from cluster.outcomes.reviews import confirm_review, draft_review, review_form
from tests.cluster.meeting_helpers import (
    decide_as_suggested,
    host_item,
    on_meeting_day,
    spring_round,
    take_register,
)
from tests.cluster.outcomes.test_reviews import draft_for
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings

# Every service registers itself when its module is imported: import them all, so a read service
# nobody happens to import here still shows up in the registry (and fails the completeness test).
for _module in pkgutil.walk_packages(cluster.__path__, "cluster."):
    importlib.import_module(_module.name)

READ_SERVICES = frozenset(AUDITED_SERVICES) - frozenset(MUTATING_SERVICES)

SCHOOL_A = "Aylsham Road Primary School"  # the deputy's school; governor.ap governs it
SCHOOL_B = "Bintree Infant School"
A_USER, B_USER = "senco.ap", "senco.bi"
HOSTS = frozenset({"host", "deputy"})
NEVER = frozenset({"governor", "governor.ap", "la.adviser"})  # never pupil-level, whatever the row
ACTORS = ("host", "deputy", A_USER, B_USER, "governor", "governor.ap", "la.adviser")
OWN_SCHOOL = HOSTS | {A_USER, B_USER}  # each school sees only its own (checked for school B)
SCHOOLS_ONLY = frozenset({A_USER, B_USER})
WINDOW_OPENS = "2027-01-13"  # the Spring 1 papers go out


# --- the demo's real records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    spring: int  # the next funding round (Spring 1, 20/01/2027): papers out 13/01/2027
    autumn_2: int  # this half-term's round (11/11/2026), minutes still to approve at Spring 1
    a_request: int  # school A's request submitted for Spring 1
    a_reference: str  # its pupil's reference
    a_minuted_request: int  # school A's request decided at a meeting whose minutes are approved
    a_review: int  # school A's review drafted for Spring 1
    a_review_award: int
    a_ended_award: int  # an award of school A that has ended: its impact form
    both_decided_at: int  # a round that decided requests of both school A and school B
    a_references: frozenset[str]  # every pupil reference school A holds (requests and PSF)
    b_request: int  # school B's request submitted for Spring 1

    def shows_school_a(self, text: str) -> list[str]:
        """School A's pupil references in the text (whole references only: "WV-002" is not
        inside "WV-WV-002")."""
        pattern = r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, sorted(self.a_references))) \
                  + r")(?![A-Za-z0-9])"
        return sorted(set(re.findall(pattern, text)))


@lru_cache(maxsize=8)
def demo(engine: Engine) -> Demo:
    spring = spring_round(engine)  # before this session: SQLite allows one open at a time
    with Session(engine) as session:
        schools = {s.name: s.id for s in session.exec(select(School)).all()}
        a, b = schools[SCHOOL_A], schools[SCHOOL_B]
        autumn_2 = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                      Meeting.half_term == "Autumn 2")).one()

        def submitted(school: int) -> int:
            return session.exec(select(SupportRequest.id).where(
                SupportRequest.school_id == school, SupportRequest.meeting_id == spring.id,
                SupportRequest.status == RequestStatus.SUBMITTED)).one()

        a_request = submitted(a)
        a_reference = session.exec(select(RequestPupil.reference).where(
            RequestPupil.request_id == a_request)).first()
        a_minuted_request = session.exec(
            select(SupportRequest.id).join(Meeting, col(Meeting.id) == SupportRequest.meeting_id)
            .where(SupportRequest.school_id == a, col(Meeting.minutes_approved_on).is_not(None))
            .order_by(col(Meeting.held_on).desc())).first()
        review = session.exec(
            select(Review).join(Award, col(Award.id) == Review.award_id)
            .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .where(SupportRequest.school_id == a, Review.status == "drafted")).first()
        ended = session.exec(
            select(Award.id).join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .where(SupportRequest.school_id == a, col(Award.ended_on).is_not(None),
                   Award.amount_pence > 0).order_by(col(Award.ended_on).desc())).first()
        rounds = {school: set(session.exec(
            select(Award.meeting_id)
            .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .where(SupportRequest.school_id == school, col(Award.draft).is_(False))).all())
            for school in (a, b)}
        references = set(session.exec(
            select(RequestPupil.reference).join(
                SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)
            .where(SupportRequest.school_id == a)).all())
        references |= set(session.exec(select(ProtectedPupil.reference).where(
            ProtectedPupil.school_id == a)).all())
        assert a_reference and a_minuted_request and review and ended
        return Demo(spring.id or 0, autumn_2.id or 0, a_request, a_reference, a_minuted_request,
                    review.id or 0, review.award_id, ended, max(rounds[a] & rounds[b]),
                    frozenset(references), submitted(b))


def letters(engine: Engine, who: Actor) -> object:
    """Letters go out once a round's decisions are confirmed; the demo's past rounds carry no
    confirmation date, so the test gives the round both schools had decisions at one."""
    meeting_id = demo(engine).both_decided_at
    with Session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        if meeting.decisions_confirmed_on is None:
            meeting.decisions_confirmed_on = meeting.held_on
            session.add(meeting)
            session.commit()
    return AUDITED_SERVICES["read_decision_letters"](engine, who, meeting_id)


def members_pack_file(engine: Engine, who: Actor) -> object:
    """The members' pack as a file (a draft: the Spring 1 papers are not out yet)."""
    return AUDITED_SERVICES["read_paper"](engine, who, demo(engine).spring, "members_pack", "pdf")


def export_found(engine: Engine, who: Actor) -> object:
    """The export echoes the reference asked for: only what it found is what it shows."""
    export = AUDITED_SERVICES["subject_access_export"](engine, who, demo(engine).a_reference)
    return {key: value for key, value in export.items() if key != "reference"}


def call(action: str, *ids: str, **settings: object) -> Callable[[Engine, Actor], object]:
    """The registered service, with the demo's real records named by `ids` (fields of Demo)."""
    return lambda engine, who: AUDITED_SERVICES[action](
        engine, who, *(getattr(demo(engine), name) for name in ids), **settings)


@dataclass(frozen=True)
class Read:
    call: Callable[[Engine, Actor], object]
    allowed: frozenset[str]
    # The members' minutes name every school beside its reviews (never a pupil): for those the
    # school's name is no sign of a leak, its pupils' references still are.
    names_schools: bool = False


MATRIX: dict[str, Read] = {
    # requests
    "read_request": Read(call("read_request", "a_request"), HOSTS | {A_USER}),
    "list_our_requests": Read(call("list_our_requests"), SCHOOLS_ONLY),
    "list_agenda_requests": Read(call("list_agenda_requests"), SCHOOLS_ONLY),
    "list_meeting_requests": Read(call("list_meeting_requests", "spring"), HOSTS),
    "subject_access_export": Read(export_found, OWN_SCHOOL),
    # the meeting
    "read_members_pack": Read(call("read_members_pack", "spring"), HOSTS),  # papers not out yet
    "read_paper": Read(members_pack_file, HOSTS),
    # Autumn 2's minutes: a meeting's minutes exist once it is held (Spring 1 is not yet).
    "read_members_minutes": Read(call("read_members_minutes", "autumn_2"), OWN_SCHOOL,
                                 names_schools=True),
    "read_meeting_decisions": Read(call("read_meeting_decisions", "spring"), HOSTS),
    "list_reviews_due": Read(call("list_reviews_due", "spring"), HOSTS),
    "read_split": Read(call("read_split", "spring"), HOSTS),
    "suggest_split": Read(call("suggest_split", "spring", settings=SplitSettings()), HOSTS),
    "read_urgent_screen": Read(call("read_urgent_screen"), HOSTS),
    "list_meeting_urgent": Read(call("list_meeting_urgent", "spring"), HOSTS),
    "read_decision_letters": Read(letters, OWN_SCHOOL),
    "read_payment_schedule": Read(call("read_payment_schedule"), OWN_SCHOOL),
    # reconsiderations
    "list_reconsiderations": Read(call("list_reconsiderations"), OWN_SCHOOL),
    "list_agenda_reconsiderations": Read(call("list_agenda_reconsiderations", "spring"),
                                         OWN_SCHOOL),
    "list_decisions_to_reconsider": Read(call("list_decisions_to_reconsider"), SCHOOLS_ONLY),
    # reviews and impact
    "read_review": Read(call("read_review", "a_review"), HOSTS | {A_USER}),
    "read_award_reviews": Read(call("read_award_reviews", "a_review_award"), HOSTS | {A_USER}),
    "list_open_reviews": Read(call("list_open_reviews"), OWN_SCHOOL),
    "list_overdue_reviews": Read(call("list_overdue_reviews"), OWN_SCHOOL),
    "list_meeting_reviews": Read(call("list_meeting_reviews", "spring"), OWN_SCHOOL),
    "read_impact_form": Read(call("read_impact_form", "a_ended_award"), HOSTS | {A_USER}),
    "list_awards_for_impact": Read(call("list_awards_for_impact"), OWN_SCHOOL),
    # protected (pupil-tied) funding
    "list_protected_pupils": Read(call("list_protected_pupils"), OWN_SCHOOL),
    # data protection: stored text that looks like it holds a name
    "list_stored_names": Read(call("list_stored_names"), HOSTS),
}


def refusals(engine: Engine, action: str, username: str) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.outcome == AuditOutcome.REFUSED,
            AuditEvent.username == username)).one())


def assert_refused_and_logged(engine: Engine, action: str, who: Actor,
                              attempt: Callable[[], object]) -> None:
    before = refusals(engine, action, who.username)
    with pytest.raises(NotAllowed):
        attempt()
    assert refusals(engine, action, who.username) == before + 1, \
        f"{action} refused {who.username} without a '{AuditOutcome.REFUSED}' audit row of its own"


# --- the matrix -----------------------------------------------------------------------------------


def test_every_read_service_in_the_registry_has_a_row() -> None:
    assert len(READ_SERVICES) >= 26
    missing = sorted(READ_SERVICES - set(MATRIX))
    assert not missing, f"Add these pupil-level reads to MATRIX in {__file__}: {missing}"
    gone = sorted(set(MATRIX) - READ_SERVICES)
    assert not gone, f"MATRIX names services no longer registered as reads: {gone}"
    for action, row in MATRIX.items():
        assert not row.allowed & NEVER, f"{action}: governors and the LA adviser never read this"
        assert row.allowed <= set(ACTORS), action


@pytest.mark.parametrize(("action", "username"),
                         [(a, u) for a in sorted(MATRIX) for u in ACTORS],
                         ids=[f"{a}-{u}" for a in sorted(MATRIX) for u in ACTORS])
def test_a_read_service_gives_each_role_only_what_it_may_see(demo_copy: Engine, action: str,
                                                             username: str) -> None:
    row = MATRIX[action]
    who = actor(demo_copy, username)
    facts = demo(demo_copy)
    if username in NEVER or username not in row.allowed:
        assert_refused_and_logged(demo_copy, action, who, lambda: row.call(demo_copy, who))
        return
    before = refusals(demo_copy, action, username)
    shown = repr(row.call(demo_copy, who))
    assert refusals(demo_copy, action, username) == before
    if username == B_USER:
        assert facts.shows_school_a(shown) == [], f"{action} shows school A's pupils to school B"
        if not row.names_schools:
            assert SCHOOL_A not in shown, f"{action} shows school A's records to school B"


def test_the_owner_and_the_host_do_see_school_a_so_its_absence_means_something(
        demo_copy: Engine) -> None:
    facts = demo(demo_copy)
    for username in ("host", A_USER):
        who = actor(demo_copy, username)
        assert facts.a_reference in facts.shows_school_a(
            repr(MATRIX["read_request"].call(demo_copy, who)))
        assert facts.shows_school_a(repr(MATRIX["list_protected_pupils"].call(demo_copy, who)))
        assert facts.shows_school_a(repr(export_found(demo_copy, who)))
    assert SCHOOL_A in repr(MATRIX["list_awards_for_impact"].call(demo_copy,
                                                                 actor(demo_copy, "host")))


def test_another_school_reads_school_a_only_inside_the_agenda_window(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before papers-out refused; from papers-out (13/01/2027) read, and the read is on record;
    a request whose meeting's minutes are approved is closed again."""
    facts = demo(demo_copy)
    other = actor(demo_copy, B_USER)
    read = AUDITED_SERVICES["read_request"]
    for request_id in (facts.a_request, facts.a_minuted_request):
        assert_refused_and_logged(demo_copy, "read_request", other,
                                  lambda r=request_id: read(demo_copy, other, r))
    monkeypatch.setenv("CLUSTER_TODAY", WINDOW_OPENS)
    detail = read(demo_copy, other, facts.a_request)
    assert facts.a_reference in facts.shows_school_a(repr(detail))
    listed = AUDITED_SERVICES["list_agenda_requests"](demo_copy, other)
    assert facts.a_request in [r.id for r in listed]
    with Session(demo_copy) as session:
        logged = session.exec(select(AuditEvent).where(
            AuditEvent.action == "read_other_school_request",
            AuditEvent.entity_id == facts.a_request)).all()
    assert [e.username for e in logged] == [B_USER]
    assert_refused_and_logged(demo_copy, "read_request", other,
                              lambda: read(demo_copy, other, facts.a_minuted_request))
    assert_refused_and_logged(demo_copy, "read_request", actor(demo_copy, "governor.ap"),
                              lambda: read(demo_copy, actor(demo_copy, "governor.ap"),
                                           facts.a_request))


# --- decisions ------------------------------------------------------------------------------------


def host_drawn(engine: Engine) -> dict[int, tuple[int, dict[str, object]]]:
    return meeting_decisions(engine, actor(engine, "host"), demo(engine).spring).drawn()


def proposed_for_school_b(engine: Engine, *, agreed: bool) -> UrgentLine:
    """An urgent decision on school B's request (neither host's school), proposed by the host
    and, when `agreed`, agreed by the deputy."""
    line = propose_urgent_decision(engine, actor(engine, "host"), demo(engine).b_request, 500, 1,
                                   "A newly arrived pupil cannot wait for the meeting.")
    if agreed:
        line = agree_urgent_decision(engine, actor(engine, "deputy"), line.id,
                                     expected_version=line.version)
    return line


def session_meeting_of_review(engine: Engine, review_id: int) -> int:
    with Session(engine) as session:
        review = session.get(Review, review_id)
        assert review is not None and review.meeting_id is not None
        return review.meeting_id


def confirm_as(engine: Engine, who: Actor, review_id: int) -> object:
    item = review_form(engine, actor(engine, "host"), review_id).item
    return confirm_review(engine, who, review_id, expected_version=item.version,
                          drawn_from=item.drawn_from())


def approve_autumn_2(engine: Engine, who: Actor) -> object:
    facts = demo(engine)
    with Session(engine) as session:
        meeting = session.get(Meeting, facts.autumn_2)
        assert meeting is not None
        version = meeting.version
    return approve_minutes(engine, who, facts.autumn_2, at_meeting_id=facts.spring,
                           expected_version=version)


DECISIONS: dict[str, Callable[[Engine, Actor], object]] = {
    "save_decisions": lambda e, who: save_decisions(
        e, who, demo(e).spring, [DecisionInput(demo(e).a_request, 1000)], drawn=host_drawn(e)),
    "accept_split": lambda e, who: accept_split(e, who, demo(e).spring, SplitSettings()),
    "confirm_decisions": lambda e, who: confirm_decisions(e, who, demo(e).spring,
                                                          drawn=host_drawn(e)),
    "propose_urgent_decision": lambda e, who: propose_urgent_decision(
        e, who, demo(e).a_request, 500, 1, "A newly arrived pupil cannot wait for the meeting."),
    "agree_urgent_decision": lambda e, who: agree_urgent_decision(
        e, who, (line := proposed_for_school_b(e, agreed=False)).id,
        expected_version=line.version),
    "ratify_urgent_decision": lambda e, who: ratify_urgent_decision(
        e, who, (line := proposed_for_school_b(e, agreed=True)).id, True,
        expected_version=line.version),
    "confirm_review": lambda e, who: confirm_as(e, who, demo(e).a_review),
    "approve_minutes": approve_autumn_2,
}
NOT_HOSTS = tuple(u for u in ACTORS if u not in HOSTS)


def test_every_decision_service_is_a_registered_writer() -> None:
    assert set(DECISIONS) <= set(MUTATING_SERVICES)


@pytest.mark.parametrize(("action", "username"),
                         [(a, u) for a in DECISIONS for u in NOT_HOSTS],
                         ids=[f"{a}-{u}" for a in DECISIONS for u in NOT_HOSTS])
def test_only_the_hosts_change_decisions(demo_copy: Engine, action: str, username: str) -> None:
    who = actor(demo_copy, username)
    assert_refused_and_logged(demo_copy, action, who, lambda: DECISIONS[action](demo_copy, who))


def test_the_host_is_refused_on_the_hosts_own_school_and_the_deputy_decides_it(
        demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    own = host_item(demo_copy)
    meeting_id = demo(demo_copy).spring
    take_register(demo_copy, host, meeting_id)
    decisions = meeting_decisions(demo_copy, host, meeting_id)
    row = next(r for r in decisions.rows if r.request_id == own)
    assert_refused_and_logged(demo_copy, "save_decisions", host, lambda: save_decisions(
        demo_copy, host, meeting_id, [DecisionInput(own, row.suggested_pounds or 0)],
        drawn=decisions.drawn()))
    assert_refused_and_logged(demo_copy, "propose_urgent_decision", host,
                              lambda: propose_urgent_decision(
                                  demo_copy, host, own, 500, 1, "Rising risk of exclusion now."))
    decided = decide_as_suggested(demo_copy, deputy, meeting_id)
    mine = next(r for r in decided.rows if r.request_id == own)
    assert mine.award_id is not None and mine.chair == deputy.display_name


def test_the_host_is_refused_a_review_of_the_hosts_own_school(demo_copy: Engine) -> None:
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    own = host_item(demo_copy)
    with Session(demo_copy) as session:
        school_id = session.get(SupportRequest, own).school_id  # type: ignore[union-attr]  # the demo item exists
        review_id = session.exec(
            select(Review.id).join(Award, col(Award.id) == Review.award_id)
            .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
            .where(SupportRequest.school_id == school_id, Review.status == "due",
                   Review.due_on >= today()).order_by(Review.due_on)).first()
    assert review_id is not None
    item = review_form(demo_copy, host, review_id).item
    draft_review(demo_copy, actor(demo_copy, "senco.hs"), review_id,
                 draft_for(demo_copy, review_id, "continue", 500),
                 expected_version=item.version, drawn_from=item.drawn_from())
    on_meeting_day(demo_copy, session_meeting_of_review(demo_copy, review_id))
    with pytest.raises(NotAllowed, match="deputy chairs|chairs this item"):
        confirm_as(demo_copy, host, review_id)
    assert refusals(demo_copy, "confirm_review", host.username) == 1
    confirm_as(demo_copy, deputy, review_id)
