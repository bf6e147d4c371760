"""Every demo record passes the checks a live record gets: the request checks (with the text check
for names) on the day it was submitted, costing at the year's rates, a history saying who moved it
and when, awards that keep the decision rules, reviews that match their awards, and for every
past decision a confirmed round and a decision letter stored as issued that day."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from cluster.models import (
    Award,
    CostLine,
    Decision,
    IssuedPaper,
    Meeting,
    PaperKind,
    RequestStatus,
    Review,
    School,
    StatusChange,
    SupportRequest,
)
from cluster.requests.checks import run_checks
from cluster.requests.lookups import check_context, form_of
from tests.helpers.demo_la import TODAY, WENSUM_VALLEY_ID
from tests.toolkit.documents.test_meeting_documents import pdf_text

WORDS = {1: "one", 2: "two", 3: "three"}
# The one finding a past record may carry: consent to sharing is recorded from the Spring 1 2027
# round's requests on (cluster/demo/history.py); earlier ones have none, as the consent tests use.
CONSENT_RECORDED_FROM = date(2026, 12, 1)
NO_CONSENT = "consent is not recorded for every pupil"


def _requests(session: Session) -> list[SupportRequest]:
    return list(session.exec(select(SupportRequest).order_by(col(SupportRequest.id))).all())


def test_every_submitted_or_decided_request_passes_the_live_checks_on_its_day(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = []
    with Session(demo_copy) as session:
        for request in _requests(session):
            if request.status not in (RequestStatus.SUBMITTED, RequestStatus.DECIDED):
                continue
            school = session.get_one(School, request.school_id)
            assert request.submitted_on is not None and request.submitted_on <= TODAY, request.id
            monkeypatch.setenv("CLUSTER_TODAY", request.submitted_on.isoformat())
            report = run_checks(form_of(session, request),
                                check_context(session, school, request.meeting_id, request.id))
            problems += [(request.id, f.problem) for f in report.blocking_submit
                         if not (request.submitted_on < CONSENT_RECORDED_FROM
                                 and f.problem.endswith(NO_CONSENT))]
            # The amount asked is what the year's rates cost the provision map at.
            if report.provision.lines:
                assert report.amount_pence == request.amount_pence, request.id
    assert problems == []


def test_staff_lines_show_the_rate_they_were_costed_at(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        lines = session.exec(select(CostLine).where(col(CostLine.staff_grade).is_not(None))).all()
    assert lines
    assert all(line.rate_pence_per_hour > 0 for line in lines)
    assert all(line.cost_pence > 0 for line in lines)


def test_the_graduated_approach_agrees_with_the_review_cycles(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        for request in _requests(session):
            text = request.graduated_approach.lower()
            for number, word in WORDS.items():
                if f"{word} cycle" in text or f"{word} review cycle" in text:
                    assert request.review_cycles == number, (request.id, text)


def test_every_status_change_says_who_and_when(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        for request in _requests(session):
            changes = session.exec(select(StatusChange).where(
                StatusChange.request_id == request.id).order_by(col(StatusChange.at))).all()
            assert changes and changes[0].to_status == RequestStatus.DRAFT, request.id
            assert changes[-1].to_status == request.status, request.id
            assert all(c.by_user_id is not None for c in changes), request.id
            assert all(c.at.date() <= TODAY for c in changes), request.id
            for before, after in zip(changes, changes[1:], strict=False):
                assert after.from_status == before.to_status, request.id
            if request.status == RequestStatus.DECIDED and request.meeting_id is not None:
                meeting = session.get_one(Meeting, request.meeting_id)
                assert changes[-1].at.date() == meeting.held_on, request.id
                assert changes[0].at.date() < meeting.held_on, request.id


def test_awards_keep_the_decision_rules_and_reviews_match_them(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        awards = session.exec(select(Award)).all()
        assert awards
        for award in awards:
            request = session.get_one(SupportRequest, award.request_id)
            if award.decision == Decision.FULL:
                # The meeting agrees whole pounds: the ask less any odd pence.
                assert award.amount_pence == request.amount_pence // 100 * 100, award.id
            elif award.decision == Decision.PART:
                assert request.minimum_pence <= award.amount_pence < request.amount_pence
            elif award.amount_pence == 0:
                assert award.decision in (Decision.NONE, Decision.DEFERRED), award.id
            reviews = session.exec(select(Review).where(Review.award_id == award.id)).all()
            if award.amount_pence == 0:
                assert not reviews, award.id
            for review in reviews:
                assert review.due_on >= session.get_one(Meeting, award.meeting_id).held_on
                assert (review.spend_to_date_pence or 0) <= award.amount_pence, review.id
                assert review.returned_pence <= award.amount_pence, review.id
                if review.status == "confirmed":
                    assert review.confirmed_on is not None and review.confirmed_by, review.id
            assert award.returned_pence <= award.amount_pence, award.id


def test_every_past_round_is_confirmed_on_its_day(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        # Every cluster in the LA confirmed its past rounds on their day.
        for meeting in session.exec(_past_rounds()).all():
            assert meeting.decisions_confirmed_on == meeting.held_on, meeting.id
            assert meeting.chaired_by, meeting.id


def _past_rounds() -> SelectOfScalar[Meeting]:
    return select(Meeting).where(col(Meeting.is_funding_round).is_(True),
                                 Meeting.held_on < TODAY).order_by(col(Meeting.held_on))


def _decided(session: Session, meeting: Meeting) -> dict[int, set[int]]:
    """Each school with a decision at the meeting: its requests decided there."""
    rows = session.exec(select(SupportRequest.school_id, Award.request_id).join(
        Award, col(Award.request_id) == SupportRequest.id).where(
        Award.meeting_id == meeting.id)).all()
    decided: dict[int, set[int]] = {}
    for school_id, request_id in rows:
        decided.setdefault(school_id, set()).add(request_id)
    return decided


def test_every_past_decision_has_its_letter_stored_as_issued_on_the_day(
        demo_copy: Engine) -> None:
    """Wensum Valley's story: each past round's letters were issued at its confirmation, one to
    each school with a decision, and every stored file's SHA-256 is the hash of its bytes. (The
    LA's six other clusters have decisions but no stored papers: cluster/demo/seed.py.)"""
    with Session(demo_copy) as session:
        rounds = session.exec(_past_rounds().where(
            Meeting.cluster_id == WENSUM_VALLEY_ID)).all()
        assert len(rounds) == 10  # three years of three rounds, and this year's Autumn 2
        for meeting in rounds:
            decided = _decided(session, meeting)
            letters = session.exec(select(IssuedPaper).where(
                IssuedPaper.meeting_id == meeting.id)).all()
            assert {p.edition for p in letters} == {f"school-{s}" for s in decided}, meeting.id
            for paper in letters:
                assert (paper.kind, paper.file_format, paper.version, paper.occasion) == (
                    PaperKind.DECISION_LETTER, "pdf", 1, "confirmation"), paper.id
                assert paper.issued_on == meeting.held_on, paper.id
                assert paper.issued_by == meeting.chaired_by, paper.id
                assert meeting.held_on.strftime("%d-%m-%Y") in paper.file_name, paper.id
            # One letter a round read through: it answers each of its school's requests.
            first = min(letters, key=lambda p: p.id or 0)
            text = " ".join(pdf_text(first.content)[1].split())
            for request_id in decided[int(first.edition.removeprefix("school-"))]:
                assert f"Request {request_id}:" in text, (meeting.id, request_id)
        for paper in session.exec(select(IssuedPaper)).all():
            assert paper.sha256 == hashlib.sha256(paper.content).hexdigest(), paper.id
            assert paper.size_bytes == len(paper.content), paper.id
