"""The year's calendar file, parsed back with the `icalendar` package: the right events for each
role, meetings at the right London times (GMT in winter, BST in summer), deadlines as all-day
events."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar, Event
from sqlalchemy.engine import Engine

from cluster.year.schedule import update_meeting, year_meetings
from cluster.year.timeline import year_timeline
from tests.helpers.actors import actor
from toolkit.documents.calendar_file import build_calendar, calendar_file_name

GENERATED_AT = datetime(2026, 11, 23, 9, 15, tzinfo=UTC)


def calendar_for(engine: Engine, username: str) -> tuple[bytes, Calendar]:
    raw = build_calendar(year_timeline(engine, actor(engine, username)), GENERATED_AT)
    return raw, Calendar.from_ical(raw)


def events(calendar: Calendar) -> list[Event]:
    return list(calendar.walk("VEVENT"))


def kinds(calendar: Calendar) -> Counter[str]:
    return Counter(str(e["UID"]).split("@")[0].rsplit("-", 1)[0] for e in events(calendar))


def meeting_event(calendar: Calendar, half_term: str) -> Event:
    return next(e for e in events(calendar)
                if str(e["UID"]).startswith("meeting-") and half_term in str(e["SUMMARY"]))


@pytest.fixture
def demo(demo_copy: Engine) -> Engine:
    """A copy of the demo seeded once per run (seeding it for each test took a minute each)."""
    return demo_copy


def test_each_role_gets_its_own_events(demo: Engine) -> None:
    host = kinds(calendar_for(demo, "host")[1])
    # Two rounds take requests: Autumn 2's decisions are confirmed, so its deadline is gone.
    assert (host["meeting"], host["papers-out"], host["requests-due"]) == (6, 6, 2)
    assert host["preparation"] == 6
    assert host["reviews-due"] >= 3  # every review meeting, and rounds with reviews booked
    assert kinds(calendar_for(demo, "senco.ap")[1]) == Counter(
        {"meeting": 6, "papers-out": 6, "requests-due": 2})
    assert kinds(calendar_for(demo, "governor")[1]) == Counter({"meeting": 6})
    assert kinds(calendar_for(demo, "la.adviser")[1]) == Counter({"meeting": 6,
                                                                  "preparation": 6})


def test_meetings_keep_london_wall_clock_time_in_winter_and_summer(demo: Engine) -> None:
    _, calendar = calendar_for(demo, "governor")
    january = meeting_event(calendar, "Spring 1")
    start, end = january.decoded("DTSTART"), january.decoded("DTEND")
    assert str(january["DTSTART"].params["TZID"]) == "Europe/London"
    assert (start.date(), start.time(), end.time()) == (date(2027, 1, 20), time(13, 30),
                                                        time(16, 30))
    assert start.astimezone(UTC) == datetime(2027, 1, 20, 13, 30, tzinfo=UTC)  # GMT
    june = meeting_event(calendar, "Summer 2").decoded("DTSTART")
    assert (june.date(), june.time()) == (date(2027, 6, 16), time(13, 30))
    assert june.astimezone(UTC) == datetime(2027, 6, 16, 12, 30, tzinfo=UTC)  # BST


def test_the_file_carries_its_own_london_timezone_rules(demo: Engine) -> None:
    raw, calendar = calendar_for(demo, "governor")
    [zone] = calendar.timezones
    assert str(zone["TZID"]) == "Europe/London"
    rules = zone.to_tz(lookup_tzid=False)  # the VTIMEZONE's own rules, not the system's
    assert datetime(2027, 1, 20, 13, 30, tzinfo=rules).utcoffset() == timedelta(0)
    assert datetime(2027, 6, 16, 13, 30, tzinfo=rules).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 3, 28, 2, 30, tzinfo=rules).utcoffset() == timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/London:20270120T133000\r\n" in raw


def test_deadlines_are_free_all_day_events(demo: Engine) -> None:
    _, calendar = calendar_for(demo, "senco.ap")
    due = next(e for e in events(calendar) if str(e["UID"]).startswith("requests-due-")
               and "Spring 1" in str(e["SUMMARY"]))
    assert (due.decoded("DTSTART"), due.decoded("DTEND")) == (date(2027, 1, 6), date(2027, 1, 7))
    assert str(due["TRANSP"]) == "TRANSPARENT"
    assert "Wensum Valley Cluster" in str(due["SUMMARY"])


def test_the_file_is_one_that_outlook_and_google_import(demo: Engine) -> None:
    raw, calendar = calendar_for(demo, "host")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert (str(calendar["VERSION"]), str(calendar["METHOD"])) == ("2.0", "PUBLISH")
    assert calendar["PRODID"]
    uids = [str(e["UID"]) for e in events(calendar)]
    assert len(uids) == len(set(uids))
    assert all("DTSTAMP" in e and "SUMMARY" in e for e in events(calendar))


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(demo: Engine) -> None:
    _, before = calendar_for(demo, "governor")
    host = actor(demo, "host")
    spring = next(m for m in year_meetings(demo, host, 2026) if m.half_term == "Spring 1")
    update_meeting(demo, host, spring.id, replace(spring.details(), held_on=date(2027, 1, 27),
                                                  video_link="https://teams.example.org/m/1"),
                   expected_version=spring.version, drawn_from=spring.drawn_from())
    _, after = calendar_for(demo, "governor")
    old, new = meeting_event(before, "Spring 1"), meeting_event(after, "Spring 1")
    assert str(old["UID"]) == str(new["UID"])
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.decoded("DTSTART").date() == date(2027, 1, 27)
    assert str(new["URL"]) == "https://teams.example.org/m/1"
    assert "https://teams.example.org/m/1" in str(new["DESCRIPTION"])


def test_the_file_name_says_cluster_year_and_role(demo: Engine) -> None:
    timeline = year_timeline(demo, actor(demo, "senco.ap"))
    assert calendar_file_name(timeline) == "wensum-valley-cluster-2026-27-school.ics"


def test_the_hosts_preparation_is_a_half_day_with_the_la_adviser(demo: Engine) -> None:
    _, calendar = calendar_for(demo, "host")
    spring = next(e for e in events(calendar) if str(e["UID"]).startswith("preparation-")
                  and "Spring 1" in str(e["SUMMARY"]))
    # Spring 1 meets on Wednesday 20/01/2027; papers out 13/01; preparation the day before.
    assert spring.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 1, 12, 9, 30)
    assert spring.decoded("DTEND").replace(tzinfo=None) == datetime(2027, 1, 12, 12, 30)
    assert "LA Senior Adviser" in str(spring["SUMMARY"])
    assert str(spring["TRANSP"]) == "OPAQUE"


def test_the_adviser_calendar_holds_every_clusters_meetings_and_preparation(demo: Engine
                                                                            ) -> None:
    from cluster.year.timeline import adviser_year
    from toolkit.documents.calendar_file import build_adviser_calendar

    adviser = actor(demo, "la.adviser")
    mine = adviser_year(demo, adviser, 2026)
    calendar = Calendar.from_ical(build_adviser_calendar(mine, GENERATED_AT))
    clusters = {item.cluster_name for item in mine.entries}
    assert len(clusters) >= 6 and "Wensum Valley Cluster" in clusters
    found = kinds(calendar)
    assert found["preparation"] == found["meeting"] == 6 * len(clusters)
    # The same UIDs as each cluster's own file, so importing both never doubles a meeting.
    own = {str(e["UID"]) for e in events(calendar_for(demo, "la.adviser")[1])}
    assert own <= {str(e["UID"]) for e in events(calendar)}
