"""Each reader's to-do list on the demo: what is owed, oldest first, each naming its record, and
an item goes once it is done."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.clock import TODAY_VARIABLE
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.meetings.letters import decision_letters
from cluster.models import Award, Meeting, SupportRequest, User
from cluster.reporting.todo import ToDo, oldest_first, todo_list
from cluster.requests.status import return_for_information
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings
from toolkit.registry import views_for


def _listed(engine: Engine, username: str) -> list[ToDo]:
    return todo_list(engine, actor(engine, username))


def _pages_open(reader: Actor, items: list[ToDo]) -> None:
    pages = {view.url_path for view in views_for(reader.role)}
    assert {item.url_path for item in items} <= pages  # every link leads to a page it may open


def test_host_list_runs_oldest_first_and_links_each_record(demo_copy: Engine) -> None:
    items = _listed(demo_copy, "host")
    assert [i.since for i in items] == sorted(i.since for i in items)
    assert any(i.what.startswith("Chase the review of request 66") for i in items)
    triage = next(i for i in items if i.what.startswith("Triage request 91"))
    assert triage.address == "/request?request=91"
    minutes = next(i for i in items if i.what.startswith("Approve the minutes"))
    assert minutes.url_path == "run-meeting" and "11/11/2026" in minutes.what
    _pages_open(actor(demo_copy, "host"), items)


def _autumn_2_2026(engine: Engine) -> Meeting:
    """Wensum Valley's Autumn 2 meeting (the demo LA holds seven clusters, each with its own)."""
    with Session(engine) as session:
        return session.exec(wensum_meetings().where(Meeting.half_term == "Autumn 2",
                                                    Meeting.academic_year == 2026)).one()


def test_school_sees_only_its_own_reviews_owed_and_this_years_letters(demo_copy: Engine) -> None:
    items = _listed(demo_copy, "senco.hs")
    # The demo confirms Autumn 2's round on its day: its letter is unread. Earlier years' letters
    # (the demo confirms every past round) are no longer a thing to do.
    autumn_2 = _autumn_2_2026(demo_copy)
    assert [i.address for i in items] == [
        "/our-reviews?review=100", f"/papers?meeting={autumn_2.id}", "/our-reviews?review=110"]
    assert "overdue since 16/09/2026" in items[0].what
    assert _listed(demo_copy, "senco.ap") == []  # the page then says "Nothing to do"


def test_a_returned_request_is_on_the_schools_list_until_resubmitted(demo_copy: Engine) -> None:
    host, school = actor(demo_copy, "host"), actor(demo_copy, "senco.ap")
    with Session(demo_copy) as session:
        request = session.exec(select(SupportRequest).where(
            SupportRequest.school_id == school.school_id,
            SupportRequest.status == "submitted")).first()
        assert request is not None and request.id is not None
        request_id, version = request.id, request.version
    return_for_information(demo_copy, host, request_id, ["Attendance figures"],
                           expected_version=version)
    items = _listed(demo_copy, "senco.ap")
    assert [i.address for i in items] == [f"/request?request={request_id}"]
    assert "returned for more information" in items[0].what
    assert not any(i.what.startswith(f"Triage request {request_id} ")
                   for i in _listed(demo_copy, "host"))


def test_papers_are_to_read_from_papers_out_until_the_meeting(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TODAY_VARIABLE, "2027-01-14")  # papers out 13/01, the meeting 20/01
    # The adviser (linked to Wensum Valley) reads its papers only, not the LA's other six.
    for reader in ("governor", "la.adviser", "senco.ap"):
        items = _listed(demo_copy, reader)
        papers = [i for i in items if i.url_path == "papers"]
        assert [i.what for i in papers] == [
            "Read the papers before the Spring 1 meeting on 20/01/2027"], reader
        _pages_open(actor(demo_copy, reader), items)
    monkeypatch.setenv(TODAY_VARIABLE, "2027-01-21")
    assert not [i for i in _listed(demo_copy, "governor") if i.url_path == "papers"]


def test_a_decision_letter_is_to_read_until_the_school_opens_it(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:  # the host confirms Wensum Valley's Autumn 2 decisions
        meeting = session.exec(wensum_meetings().where(Meeting.half_term == "Autumn 2",
                                                       Meeting.academic_year == 2026)).one()
        meeting.decisions_confirmed_on = date(2026, 11, 12)
        session.add(meeting)
        award = session.exec(select(Award).where(Award.meeting_id == meeting.id)).first()
        assert award is not None
        school_id = session.get_one(SupportRequest, award.request_id).school_id
        username = session.exec(select(User.username).where(User.school_id == school_id,
                                                            User.role == "school")).first()
        meeting_id = meeting.id
        session.commit()
    assert username is not None
    letters = [i for i in _listed(demo_copy, username) if i.url_path == "papers"]
    assert [(i.what, i.query) for i in letters] == [
        ("Read the decision letter from the Autumn 2 meeting on 11/11/2026",
         {"meeting": str(meeting_id)})]
    assert letters[0].since == date(2026, 11, 12)
    assert meeting_id is not None
    decision_letters(demo_copy, actor(demo_copy, username), meeting_id)
    assert not [i for i in _listed(demo_copy, username) if i.url_path == "papers"]


def test_every_role_may_read_only_its_own_list(demo_copy: Engine) -> None:
    items = _listed(demo_copy, "governor")
    assert all(i.url_path == "papers" for i in items)
    with pytest.raises(NotAllowed):
        todo_list(demo_copy, Actor(0, "nobody", "Nobody", "stranger", None, None))


def test_items_of_one_day_run_oldest_first() -> None:
    """Same day: the earlier moment first, then the lower record number (it was made first),
    never the newest first nor by the words ("request 10" before "request 9")."""
    day = date(2026, 11, 20)
    ninth = ToDo(day, "Triage request 9", "request", {"request": "9"})
    tenth = ToDo(day, "Triage request 10", "request", {"request": "10"})
    assert oldest_first([tenth, ninth]) == [ninth, tenth]
    morning = datetime(2026, 11, 20, 9, 0)
    early = ToDo(day, "Request 12 was returned", "request", {"request": "12"}, morning)
    late = ToDo(day, "Request 3 was returned", "request", {"request": "3"},
                morning + timedelta(hours=5))
    yesterday = ToDo(day - timedelta(days=1), "Write the review of request 99", "our-reviews",
                     {"review": "99"})
    assert oldest_first([late, early, yesterday]) == [yesterday, early, late]


def test_host_list_puts_a_days_requests_in_the_order_they_came(demo_copy: Engine) -> None:
    items = _listed(demo_copy, "host")
    for before, after in zip(items, items[1:], strict=False):
        if before.since == after.since and before.moment is None and after.moment is None:
            assert before.record_id <= after.record_id, (before.what, after.what)
