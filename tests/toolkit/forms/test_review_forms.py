"""Round trips of reviews and impact (a school's draft review, an ended award's impact record),
reopening a closed year, a password change, and the privacy forms."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from cluster.core.db import make_engine
from cluster.models import Award, RequestPupil, Review, SupportRequest, User
from cluster.outcomes.impact import awards_for_impact, impact_form
from cluster.outcomes.reviews import review_form
from cluster.people.accounts import sign_in
from cluster.people.stored_names import NAME_REMOVED
from cluster.year.rollover import year_states
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_view, press, round_trip, texts
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

SCHOOL_REVIEWS = str(ROOT / "toolkit/views/school/reviews.py")
YEARS = str(ROOT / "toolkit/views/host/years.py")
ACCOUNT = str(ROOT / "toolkit/views/common/account.py")
PRIVACY = str(ROOT / "toolkit/views/common/privacy.py")


def due_review(url: str) -> tuple[int, str]:
    """A review due, and the SENCO of its school."""
    engine = make_engine(url)
    with Session(engine) as session:
        review = session.exec(select(Review).where(Review.status == "due")
                              .order_by(col(Review.due_on).desc(), col(Review.id))).first()
        assert review is not None
        award = session.get(Award, review.award_id)
        request = session.get(SupportRequest, award.request_id if award else 0)
        senco = session.exec(select(User).where(
            User.school_id == (request.school_id if request else 0),
            User.title == "SENCO")).one()
        found = (review.id or 0, senco.username)
    engine.dispose()
    return found


@round_trip("review")
def test_a_draft_review_shows_what_is_stored_and_saves_only_the_notes(demo_database: str) -> None:
    review_id, senco = due_review(demo_database)
    engine = make_engine(demo_database)
    before = review_form(engine, demo_actor(demo_database, senco), review_id)
    at = open_view(APP, demo_database, senco, SCHOOL_REVIEWS)
    at.selectbox(key=state.REVIEW_CHOSEN).set_value(review_id).run()
    notes = next(t for t in at.text_area if t.label.startswith("Notes"))
    assert notes.value == before.notes
    for line in before.outcomes:
        box = next(t for t in at.text_input
                   if t.label == f"The measure now (outcome {line.position})")
        assert box.value == line.measure_now
    notes.input("Reading age up by a year; keep the daily sessions.")
    press(at, "Save the draft for the meeting")
    after = review_form(engine, demo_actor(demo_database, senco), review_id)
    engine.dispose()
    assert after.notes == "Reading age up by a year; keep the daily sessions."
    assert [(o.outcome_id, o.measure_now) for o in after.outcomes] == [
        (o.outcome_id, o.measure_now) for o in before.outcomes]
    assert "Draft saved" in texts(at)


def test_a_long_paste_into_review_notes_is_refused_with_the_count(demo_database: str) -> None:
    review_id, senco = due_review(demo_database)
    at = open_view(APP, demo_database, senco, SCHOOL_REVIEWS)
    at.selectbox(key=state.REVIEW_CHOSEN).set_value(review_id).run()
    next(t for t in at.text_area if t.label.startswith("Notes")).input("x" * 1_240)
    press(at, "Save the draft for the meeting")
    assert "1,000 characters at most, 1,240 typed" in texts(at, "error")
    assert "Not saved" in texts(at, "error")


@round_trip("impact")
def test_the_impact_record_shows_what_is_stored_and_saves_one_outcome_change(
        demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:  # an ended award's school and its SENCO
        sencos = {u.username: u.school_id for u in session.exec(
            select(User).where(User.title == "SENCO")).all()}
    senco, award = next((name, awards[0]) for name in sorted(sencos)
                        if (awards := awards_for_impact(engine, demo_actor(demo_database, name))))
    host = demo_actor(demo_database, senco)
    before = impact_form(engine, host, award.award_id)
    at = open_view(APP, demo_database, senco, SCHOOL_REVIEWS)
    at.selectbox(key=state.IMPACT_AWARD_CHOSEN).set_value(award.award_id).run()
    line = before.lines[0]
    achieved = next(t for t in at.text_input if t.label == f"Achieved (outcome {line.position})")
    assert achieved.value == line.answers.achieved
    achieved.input("Reads 9 of 10 words")
    press(at, "Save the impact record")
    after = impact_form(engine, host, award.award_id)
    engine.dispose()
    assert replace(after.lines[0], version=0) == replace(
        line, answers=replace(line.answers, achieved="Reads 9 of 10 words"), version=0), texts(
        at, "error")
    assert [replace(x, version=0) for x in after.lines[1:]] == [
        replace(x, version=0) for x in before.lines[1:]]


@round_trip("reopen")
def test_reopening_a_closed_year_changes_only_that_year(demo_database: str) -> None:
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    before = year_states(engine, host)
    closed = [y for y in before if y.read_only]
    assert closed, "the demo has a closed year"
    at = open_view(APP, demo_database, "host", YEARS)
    next(t for t in at.text_area if t.label.startswith("Why it must be reopened")).input(
        "A decision letter gave the wrong amount; correcting the record.")
    press(at, "Reopen the year")
    after = year_states(engine, host)
    engine.dispose()
    moved = [a.academic_year for a, b in zip(before, after, strict=True) if a != b]
    assert moved == [closed[0].academic_year] and not after[0].read_only
    assert "reopened" in texts(at)


@round_trip("password")
def test_a_password_change_lands_and_only_the_new_password_signs_in(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", ACCOUNT)
    next(t for t in at.text_input if t.label == "Current password").input("cluster-demo-1")
    next(t for t in at.text_input if t.label == "New password").input("a-new-pass-42")
    next(t for t in at.text_input if t.label == "New password again").input("a-new-pass-42")
    press(at, "Change password")
    engine = make_engine(demo_database)
    assert sign_in(engine, "senco.ap", "a-new-pass-42").actor is not None
    assert sign_in(engine, "senco.ap", "cluster-demo-1").actor is None
    engine.dispose()


@round_trip("subject-access")
def test_a_subject_access_search_shows_every_request_held_for_the_reference(
        demo_database: str) -> None:
    school_id = demo_actor(demo_database, "senco.ap").school_id
    engine = make_engine(demo_database)
    with Session(engine) as session:
        pupil = session.exec(select(RequestPupil).join(
            SupportRequest, col(SupportRequest.id) == RequestPupil.request_id).where(
            SupportRequest.school_id == school_id)).first()
        assert pupil is not None
        held = len(set(session.exec(select(RequestPupil.request_id).where(
            RequestPupil.reference == pupil.reference)).all()))
    engine.dispose()
    at = open_view(APP, demo_database, "senco.ap", PRIVACY)
    next(t for t in at.text_input if t.label.startswith("The school's reference")).input(
        pupil.reference)
    press(at, "Find everything held")
    assert f"{held} request(s) hold {pupil.reference}." in texts(at)


@round_trip("stored-names")
def test_removing_a_ticked_name_changes_only_those_words(demo_database: str) -> None:
    engine = make_engine(demo_database)
    with Session(engine) as session:
        request = session.exec(select(SupportRequest).order_by(col(SupportRequest.id))).first()
        assert request is not None
        request.need_summary = "Jack Smith finds reading hard."
        session.add(request)
        session.commit()
        request_id, title = request.id, request.title
    at = open_view(APP, demo_database, "host", PRIVACY)
    at.toggle(key=state.STORED_NAMES_CHECK).set_value(True).run()
    tick = next(c for c in at.checkbox if "Jack Smith" in c.label)
    tick.check()
    press(at, "Remove the ticked names")
    with Session(engine) as session:
        after = session.get(SupportRequest, request_id)
        assert after is not None
        assert after.need_summary == f"{NAME_REMOVED} finds reading hard."
        assert after.title == title
    engine.dispose()
