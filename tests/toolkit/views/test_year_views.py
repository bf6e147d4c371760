"""AppTest for the year's views: the timeline and its calendar file, the guides, agenda editing,
terms of reference and asking for reconsideration, each against the demo cluster."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from cluster.core.db import make_engine
from cluster.year.schedule import update_meeting, year_meetings
from tests.helpers.actors import demo_actor
from tests.helpers.demo_la import decided_request
from tests.helpers.forms import open_view, press
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.test_views import page_text
from toolkit import state

YEAR = str(ROOT / "toolkit/views/common/year.py")
GUIDES = str(ROOT / "toolkit/views/common/guides.py")
MEETINGS = str(ROOT / "toolkit/views/host/meetings.py")
TERMS = str(ROOT / "toolkit/views/common/terms.py")
RECONSIDERATION = str(ROOT / "toolkit/views/school/reconsideration.py")


def table_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def test_the_host_timeline_shows_every_deadline_and_offers_the_calendar(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", YEAR)
    assert at.title[0].value == "The year"
    assert "Wensum Valley Cluster · 2026/27" in page_text(at)
    table = table_text(at)
    for text in ("Requests due for the Spring 1 funding round", "06/01/2027",
                 "Papers out for the Spring 1 meeting", "13/01/2027", "Reviews due",
                 "8 request(s) received", "13:30–16:30, Wensum Valley High School, library"):
        assert text in table, text
    assert "Next: **Requests due for the Spring 1 funding round** on Wednesday 06/01/2027" in (
        page_text(at))
    [download] = at.get("download_button")
    assert "calendar (.ics)" in download.proto.label
    assert len(at.expander) == 6


def test_the_timeline_puts_the_day_in_the_date_and_the_hosts_notes_before_the_place(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", YEAR)
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["Date", "When", "What", "Details", "Notes", "Time and place"]
    assert "Wed 06/01/2027" in set(frame["Date"])


def test_a_school_sees_meetings_requests_due_and_papers_out_only(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", YEAR)
    table = at.dataframe[0].value
    assert set(table["What"]) == {"Meeting", "Requests due", "Papers out"}
    assert "Notes" not in table.columns  # the host's counts stay with the host


def test_a_governor_sees_the_meetings_and_their_agendas(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor", YEAR)
    table = at.dataframe[0].value
    assert set(table["What"]) == {"Meeting"} and len(table) == 6
    assert "Autumn 1: setting up the year" in page_text(at)  # the demo's exemplar agenda


def test_guides_are_filtered_by_role_and_use_the_demos_figures(demo_database: str) -> None:
    at = open_view(APP, demo_database, "governor", GUIDES)
    assert at.title[0].value == "How-to guides"
    options = at.selectbox(key=state.GUIDE_CHOSEN).options
    assert "What governors should ask" in options
    assert "How to run a meeting" not in options
    at.selectbox(key=state.GUIDE_CHOSEN).set_value("need-score-and-optimiser").run()
    text = page_text(at)
    assert "How the need score and the suggested split work" in text
    assert "At the Spring 1 meeting on 20/01/2027, Wensum Valley Cluster has **8** requests" in text
    assert "{{" not in text


def test_a_link_can_open_one_guide_directly(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", GUIDES, guide="writing-a-good-request")
    text = page_text(at)
    assert "How to write a good request" in [h.value for h in at.header]
    assert "The next request deadline is **06/01/2027**" in text
    assert "£2,504" in text


def test_the_host_rewrites_an_agenda_and_a_stale_save_is_refused(demo_database: str) -> None:
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    spring = next(m for m in year_meetings(engine, host, 2026) if m.half_term == "Spring 1")
    at = open_view(APP, demo_database, "host", MEETINGS)
    at.selectbox(key=f"{state.MEETING_CHOSEN}.2026").set_value(spring.id).run()
    at.text_area(key=f"meeting-agenda.{spring.id}.{spring.version}").input("1. Requests\n")
    press(at, "Save this meeting")
    assert "Saved the Spring 1 meeting: 20/01/2027" in page_text(at)
    saved = next(m for m in year_meetings(engine, host, 2026) if m.half_term == "Spring 1")
    assert saved.agenda_md == "1. Requests\n"
    deputy = demo_actor(demo_database, "deputy")
    update_meeting(engine, deputy, saved.id, replace(saved.details(), venue="Costessey Park"),
                   expected_version=saved.version, drawn_from=saved.drawn_from())
    at.text_area(key=f"meeting-agenda.{saved.id}.{saved.version}").input("2. Reviews\n")
    press(at, "Save this meeting")
    assert any("Not saved" in e.value and "venue" in e.value for e in at.error)
    latest = next(m for m in year_meetings(engine, host, 2026) if m.half_term == "Spring 1")
    assert (latest.venue, latest.agenda_md) == ("Costessey Park", "1. Requests\n")
    engine.dispose()


def test_the_host_sets_up_next_year_from_the_exemplars(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", MEETINGS)
    at.selectbox(key=state.MEETINGS_YEAR).set_value(2027).run()
    assert "2027/28 is not set up yet" in page_text(at)
    at.text_input[0].input("Reepham Meadow Primary, hall")
    press(at, "Set up the year")
    assert "2027/28 is set up" in page_text(at)
    meetings = year_meetings(make_engine(demo_database), demo_actor(demo_database, "host"), 2027)
    assert [m.venue for m in meetings] == ["Reepham Meadow Primary, hall"] * 6
    assert meetings[0].agenda_md.startswith("**Cluster SEN meeting, Autumn 1")


def test_the_host_edits_the_terms_of_reference_and_a_school_reads_them(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", TERMS)
    assert "the host has not changed it yet" in page_text(at)
    assert "Asking for a decision to be reconsidered" in page_text(at)
    at = open_view(APP, demo_database, "host", TERMS)
    at.text_area(key="terms-body.0").input("## Our terms\n\nWe meet six times a year.\n")
    press(at, "Save the terms of reference")
    assert "Terms of reference saved." in page_text(at)
    at = open_view(APP, demo_database, "senco.ap", TERMS)
    assert "We meet six times a year." in page_text(at)


def test_a_school_asks_for_reconsideration_from_the_screen(demo_database: str) -> None:
    decided_request(demo_database)
    at = open_view(APP, demo_database, "senco.ap", RECONSIDERATION)
    assert "Reading support for WV-AP-007" in table_text(at)
    at.text_area[0].input("A specialist teacher's assessment since the meeting shows a greater "
                          "need than the papers described.")
    press(at, "Ask for reconsideration")
    assert "Asked. It is on the agenda of the Spring 1 meeting on 20/01/2027." in page_text(at)
    assert "on the agenda" in table_text(at)
