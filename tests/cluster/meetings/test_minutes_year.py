"""The governors' minutes of a year are hidden together: the year's money awarded, on the
governors' home, less the minutes' shown totals never gives away a meeting's hidden total."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.meetings import minutes_figures as minutes_figures_module
from cluster.meetings import minutes_year as minutes_year_module
from cluster.meetings.context import meetings_of, minutes_window
from cluster.meetings.grouped import table_pattern
from cluster.meetings.minutes_year import (
    awarded_name,
    decision_members,
    minutes_name,
    minutes_year,
)
from cluster.meetings.papers import governors_minutes
from cluster.meetings.record import meeting_record
from cluster.models import Meeting
from cluster.reporting.disclosure_audit import audit_reader, reader_figures
from cluster.reporting.home import governor_summary
from tests.helpers.actors import actor
from tests.helpers.demo_la import TODAY, WENSUM_VALLEY_ID, ten_then_two


def test_a_meeting_s_hidden_total_is_not_the_year_s_less_the_others(demo_copy: Engine) -> None:
    """Autumn 1 makes 10 awards, Autumn 2 makes 2: Autumn 2's minutes hide its money, and the
    governor's home shows the year's. Before, Autumn 1's minutes showed theirs, and the home's
    £20,610 less Autumn 1's £19,204 was Autumn 2's two awards, £1,406."""
    meetings = ten_then_two(demo_copy, spring_1=False)
    governor = actor(demo_copy, "governor")
    autumn_1 = governors_minutes(demo_copy, governor, meetings["Autumn 1"])
    autumn_2 = governors_minutes(demo_copy, governor, meetings["Autumn 2"])
    assert autumn_2.total.first_pence is None
    assert governor_summary(demo_copy, governor).awarded_this_year_pence is not None
    assert autumn_1.total.first_pence is None


@pytest.mark.parametrize("username", ["governor", "governor.ap", "la.adviser"])
def test_the_audit_adds_the_minutes_up_to_the_year_s_money_awarded(demo_copy: Engine,
                                                                  username: str) -> None:
    ten_then_two(demo_copy, spring_1=False)
    reader = actor(demo_copy, username)
    figures = reader_figures(demo_copy, reader)
    assert figures.figures[awarded_name(TODAY.year)].shown
    assert figures.holds()
    assert audit_reader(demo_copy, reader).failures == ()


def test_the_year_only_hides_more_than_each_meeting_s_own_table(demo_copy: Engine) -> None:
    """On the demo, 2024/25's Summer 1 minutes hide their whole table (two lines of 1 pupil), so
    the year's money awarded would give their total: Autumn 2's total is hidden with it. Nothing a
    meeting's own table hides is ever shown."""
    added = []
    with Session(demo_copy) as session:
        for meeting in meetings_of(session, WENSUM_VALLEY_ID):
            if not minutes_window(meeting)[0]:
                continue
            members = decision_members(meeting_record(session, meeting))
            own_lines, own_total = table_pattern(members)
            lines, total = minutes_year(session, WENSUM_VALLEY_ID, meeting.academic_year).shown(
                meeting.id or 0, len(members))
            assert all(o or not y for o, y in zip(own_lines, lines, strict=True))
            assert own_total or not total
            if own_total and not total:
                added.append((meeting.academic_year, meeting.half_term))
    assert (2024, "Autumn 2") in added


def test_a_total_only_the_year_gives_away_is_reported_not_a_crash(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """With Autumn 2's minutes (2 awards) the only ones out, the year's money awarded less what the
    minutes leave out is their total, and the minutes have nothing to hide beside it. The minutes
    still open; the audit names the figure for the host to see."""
    meetings = ten_then_two(demo_copy, spring_1=False)

    def not_autumn_1(meeting: Meeting) -> tuple[bool, str]:
        return (meeting.id != meetings["Autumn 1"] and minutes_window(meeting)[0]), ""

    for module in (minutes_year_module, minutes_figures_module):
        monkeypatch.setattr(module, "minutes_window", not_autumn_1)
    governor = actor(demo_copy, "governor")
    assert governors_minutes(demo_copy, governor, meetings["Autumn 2"]).total.first_pence is None
    failing = [r.name for r in audit_reader(demo_copy, governor).failures]
    assert minutes_name(meetings["Autumn 2"], "all/money") in failing
