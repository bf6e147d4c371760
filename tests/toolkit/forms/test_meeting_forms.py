"""Round trips of the meeting forms: Meetings and agendas (one meeting; setting up a year)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cluster.common.calendar import format_date
from cluster.core.db import make_engine
from cluster.year.schedule import MeetingRow, update_meeting, year_meetings
from tests.helpers.actors import demo_actor
from tests.helpers.forms import changed, open_view, round_trip, texts
from tests.toolkit.conftest import APP, ROOT
from toolkit import state

MEETINGS = str(ROOT / "toolkit/views/host/meetings.py")
YEAR = 2026


def stored(url: str, half_term: str) -> MeetingRow:
    engine = make_engine(url)
    try:
        rows = year_meetings(engine, demo_actor(url, "host"), YEAR)
    finally:
        engine.dispose()
    return next(row for row in rows if row.half_term == half_term)


def choose(at, half_term: str, url: str):  # type: ignore[no-untyped-def]
    meeting = stored(url, half_term)
    at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").select(meeting.id).run()
    assert not at.exception, at.exception
    return meeting


def suffix(meeting: MeetingRow) -> str:
    return f"{meeting.id}.{meeting.version}"


@round_trip("meeting")
def test_a_meeting_shows_what_is_stored_and_saves_only_what_changed(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", MEETINGS)
    before = choose(at, "Spring 2", demo_database)
    s = suffix(before)
    assert at.text_input(key=f"meeting-date.{s}").value == format_date(before.held_on)
    assert at.text_input(key=f"meeting-venue.{s}").value == before.venue
    assert at.text_input(key=f"meeting-link.{s}").value == before.video_link
    assert at.checkbox(key=f"meeting-funding.{s}").value == before.is_funding_round
    assert at.text_area(key=f"meeting-agenda.{s}").value == before.agenda_md
    at.text_input(key=f"meeting-venue.{s}").input("The infant school hall")
    _save(at)
    after = stored(demo_database, "Spring 2")
    assert changed(before, after) == {"venue"} and after.venue == "The infant school hall"
    assert "Saved the Spring 2 meeting" in texts(at)
    # Saving never changes which record the page shows.
    assert at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").value == before.id


def _save(at) -> None:  # type: ignore[no-untyped-def]
    next(b for b in at.button if b.label == "Save this meeting").click().run()
    assert not at.exception, at.exception


@round_trip("meeting")
def test_a_second_save_on_the_same_meeting_lands(demo_database: str) -> None:
    """Issue 19: choose Spring 2, change the date, save; change the venue, save."""
    at = open_view(APP, demo_database, "host", MEETINGS)
    first = choose(at, "Spring 2", demo_database)
    labels = at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").options
    at.text_input(key=f"meeting-date.{suffix(first)}").input("10/03/2027")
    _save(at)
    second = stored(demo_database, "Spring 2")
    assert second.held_on == date(2027, 3, 10)
    assert at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").value == first.id
    # A browser sends back the label it showed for the chosen meeting: it must still match.
    assert at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").options == labels
    at.text_input(key=f"meeting-venue.{suffix(second)}").input("The infant school hall")
    _save(at)
    third = stored(demo_database, "Spring 2")
    assert changed(second, third) == {"venue"}
    assert "Saved the Spring 2 meeting" in texts(at)
    assert at.selectbox(key=f"{state.MEETING_CHOSEN}.{YEAR}").value == first.id


@round_trip("meeting")
def test_after_a_stale_refusal_the_form_shows_the_latest_and_the_next_save_works(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", MEETINGS)
    drawn = choose(at, "Spring 2", demo_database)
    engine = make_engine(demo_database)
    update_meeting(engine, demo_actor(demo_database, "host"), drawn.id,
                   replace(drawn.details(), venue="The deputy's choice of room"),
                   expected_version=drawn.version, drawn_from=drawn.drawn_from())
    engine.dispose()
    at.text_input(key=f"meeting-venue.{suffix(drawn)}").input("My own room")
    _save(at)
    assert "Not saved" in texts(at, "error")
    latest = stored(demo_database, "Spring 2")
    assert latest.venue == "The deputy's choice of room"  # nothing of mine was written
    assert at.text_input(key=f"meeting-venue.{suffix(latest)}").value == latest.venue
    assert "My own room" in "\n".join(c.value for c in at.code)  # beside the form, to copy
    at.text_input(key=f"meeting-venue.{suffix(latest)}").input("My own room")
    _save(at)
    assert stored(demo_database, "Spring 2").venue == "My own room"
    assert not at.code  # the kept text goes once the save lands


@round_trip("meetings.set-up")
def test_setting_up_a_year_creates_its_six_meetings_with_the_venue_typed(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", MEETINGS)
    at.selectbox(key=state.MEETINGS_YEAR).select(YEAR + 1).run()
    next(t for t in at.text_input if t.label == "Usual venue").input("The high school library")
    next(b for b in at.button if b.label == "Set up the year").click().run()
    assert not at.exception, at.exception
    engine = make_engine(demo_database)
    rows = year_meetings(engine, demo_actor(demo_database, "host"), YEAR + 1)
    engine.dispose()
    assert len(rows) == 6 and {row.venue for row in rows} == {"The high school library"}
    assert "is set up" in texts(at)


def test_an_impossible_date_is_refused_with_the_reason(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", MEETINGS)
    before = choose(at, "Spring 2", demo_database)
    at.text_input(key=f"meeting-date.{suffix(before)}").input("31/02/2027")
    _save(at)
    assert "31/02/2027 is not a date: February 2027 has 28 days" in texts(at, "error")
    assert "Not saved" in texts(at, "error")
    assert stored(demo_database, "Spring 2") == before
