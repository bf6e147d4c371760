"""The home page's deadlines line: each entry in words, dates DD/MM/YYYY."""

from __future__ import annotations

from datetime import date, time

from cluster.year.timeline import EntryKind, TimelineEntry, TimelineMeeting
from toolkit.components.year import short_entry

SPRING_1 = TimelineMeeting(id=1, academic_year=2026, half_term="Spring 1",
                           held_on=date(2027, 1, 20), starts_at=time(13, 30),
                           ends_at=time(16, 30), venue="Library", video_link="",
                           is_funding_round=True, agenda_md="", version=1)


def test_the_preparation_meeting_keeps_the_la_in_capitals() -> None:
    entry = TimelineEntry(date(2027, 1, 12), EntryKind.PREPARATION, "", SPRING_1)
    assert short_entry(entry) == "preparation with the LA 12/01/2027 (Spring 1)"


def test_a_deadline_reads_in_lower_case_mid_line() -> None:
    entry = TimelineEntry(date(2027, 1, 6), EntryKind.REQUESTS_DUE, "", SPRING_1)
    assert short_entry(entry) == "requests due 06/01/2027 (Spring 1)"
