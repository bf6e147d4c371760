"""The year's meetings and deadlines as an iCalendar (.ics) file that Outlook and Google Calendar
import.

Choices that make the file import cleanly:
- meetings are timed events in Europe/London, with the VTIMEZONE written out as yearly rules (the
  form Outlook and Google themselves export), so a January meeting at 13:30 is 13:30 GMT and a June
  one 13:30 BST;
- deadlines are all-day events marked free (TRANSP:TRANSPARENT), so they never block a diary;
- each event's UID is stable and its SEQUENCE is the meeting's version, so importing the file again
  after the host moves a meeting updates the event instead of adding a second one;
- METHOD:PUBLISH: a calendar to add, not an invitation to answer.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from cluster.common.calendar import format_date
from cluster.common.file_names import file_slug
from cluster.year.deadlines import PREPARATION_ENDS, PREPARATION_STARTS, deadlines_for
from cluster.year.timeline import (
    AdviserYear,
    EntryKind,
    TimelineEntry,
    TimelineMeeting,
    YearTimeline,
)

LONDON = "Europe/London"
PRODUCT_ID = "-//Cluster SEN Toolkit//Year calendar//EN"
_UID_DOMAIN = "cluster-sen-toolkit"


def london_timezone() -> Timezone:
    """Europe/London as yearly rules: BST from 01:00 GMT on the last Sunday in March to 02:00 BST on
    the last Sunday in October (the UK rule since 1996)."""
    zone = Timezone()
    zone.add("tzid", LONDON)
    zone.add("x-lic-location", LONDON)
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    zone.add_component(winter)
    zone.add_component(summer)
    return zone


def calendar_file_name(timeline: YearTimeline) -> str:
    return (f"{file_slug(timeline.cluster_name)}-{file_slug(timeline.year_label)}-"
            f"{file_slug(timeline.role)}.ics")


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", LONDON)
    calendar.add_component(london_timezone())
    return calendar


def _uid_name(name: str) -> str:
    # Part of each event's UID, which a calendar matches on when the file is imported again: it
    # must not change between versions of the toolkit, so it keeps its own ASCII-only rule.
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_calendar(timeline: YearTimeline, generated_at: datetime) -> bytes:
    """The role's entries of the year as .ics bytes (CRLF lines, folded at 75 octets)."""
    calendar = _calendar(f"{timeline.cluster_name} SEN meetings {timeline.year_label}")
    stamp = generated_at.astimezone(ZoneInfo("UTC"))
    slug = _uid_name(timeline.cluster_name)
    for entry in timeline.entries:
        calendar.add_component(_event(entry, timeline.cluster_name, slug, stamp))
    return calendar.to_ical()


def adviser_calendar_file_name(year: AdviserYear) -> str:
    return f"la-adviser-{year.year_label.replace('/', '-')}.ics"


def build_adviser_calendar(year: AdviserYear, generated_at: datetime) -> bytes:
    """The LA adviser's own calendar: every cluster's meetings and the hosts' preparation
    meetings with the adviser. Each event keeps the UID the cluster's own file gives it, so
    importing both never doubles a meeting."""
    calendar = _calendar(f"Cluster SEN meetings and preparation {year.year_label}")
    stamp = generated_at.astimezone(ZoneInfo("UTC"))
    for item in year.entries:
        calendar.add_component(_event(item.entry, item.cluster_name, _uid_name(item.cluster_name),
                                      stamp))
    return calendar.to_ical()


def _event(entry: TimelineEntry, cluster_name: str, slug: str, stamp: datetime) -> Event:
    meeting = entry.meeting
    event = Event()
    event.add("uid", f"{entry.kind.replace('_', '-')}-{meeting.id}@{slug}.{_UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.version)
    event.add("summary", f"{entry.title} ({cluster_name})" if not entry.is_meeting
              else f"{cluster_name} SEN meeting: {meeting.name}")
    event.add("description", _description(entry))
    if entry.is_preparation:
        zone = ZoneInfo(LONDON)
        event.add("dtstart", datetime.combine(entry.on, PREPARATION_STARTS, tzinfo=zone))
        event.add("dtend", datetime.combine(entry.on, PREPARATION_ENDS, tzinfo=zone))
        event.add("location", "With the LA Senior Adviser (place agreed with the adviser)")
        event.add("transp", "OPAQUE")
    elif entry.is_meeting:
        zone = ZoneInfo(LONDON)
        event.add("dtstart", datetime.combine(meeting.held_on, meeting.starts_at, tzinfo=zone))
        event.add("dtend", datetime.combine(meeting.held_on, meeting.ends_at, tzinfo=zone))
        event.add("location", _location(meeting))
        event.add("transp", "OPAQUE")
        if meeting.video_link:
            event.add("url", meeting.video_link)
    else:
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    return event


def _location(meeting: TimelineMeeting) -> str:
    if meeting.venue and meeting.video_link:
        return f"{meeting.venue} (or online)"
    return meeting.venue or "Online"


def _description(entry: TimelineEntry) -> str:
    meeting = entry.meeting
    deadlines = deadlines_for(meeting.held_on)
    lines = []
    if entry.kind == EntryKind.PREPARATION:
        lines.append(f"Half a day with the LA Senior Adviser before the {meeting.half_term} "
                     f"meeting on {format_date(meeting.held_on)}: the toolkit's content for the "
                     "meeting, evaluative questions and the practical running of it. Papers out "
                     f"{format_date(deadlines.papers_out)}.")
    elif entry.kind == EntryKind.REQUESTS_DUE:
        lines.append(f"Last day to submit support-for-learning requests and reconsiderations for "
                     f"the {meeting.half_term} funding round on {format_date(meeting.held_on)}.")
    elif entry.kind == EntryKind.PAPERS_OUT:
        lines.append(f"The host sends the papers for the {meeting.half_term} meeting on "
                     f"{format_date(meeting.held_on)}.")
    elif entry.kind == EntryKind.REVIEWS_DUE:
        lines.append(f"Reviews booked for the {meeting.half_term} meeting are heard today.")
    else:
        lines.append(f"Half-termly cluster SEN meeting ({meeting.half_term}"
                     f"{', funding round' if meeting.is_funding_round else ''}). "
                     f"Papers out {format_date(deadlines.papers_out)}.")
        if meeting.requests_due is not None:  # a confirmed round takes no more requests
            lines.append(f"Requests due {format_date(meeting.requests_due)}.")
        if meeting.video_link:
            lines.append(f"Join online: {meeting.video_link}")
    return "\n".join(lines)
