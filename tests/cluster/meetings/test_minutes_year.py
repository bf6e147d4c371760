"""The governors' minutes of a year are hidden together: the year's money awarded, on the
governors' home, less the minutes' shown totals never gives away a meeting's hidden total."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.meetings import minutes_figures as minutes_figures_module
from cluster.meetings import minutes_year as minutes_year_module
from cluster.meetings.context import meetings_of, minutes_window
from cluster.meetings.grouped import group_figures, table_pattern
from cluster.meetings.minutes_year import (
    awarded_name,
    decision_members,
    minutes_name,
    minutes_year,
)
from cluster.meetings.papers import governors_minutes
from cluster.meetings.record import decisions_at
from cluster.models import Cluster, Meeting, PaperKind
from cluster.papers.record import store
from cluster.reporting.disclosure_audit import audit_reader, reader_figures
from cluster.reporting.home import governor_summary
from cluster.reporting.impact_report import published_cluster_figures
from tests.helpers.actors import actor
from tests.helpers.demo_la import TODAY, WENSUM_VALLEY_ID, ten_then_two

READERS = ["governor", "governor.ap", "la.adviser"]


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


@pytest.mark.parametrize("username", READERS)
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
            members = decision_members(decisions_at(session, meeting))
            own_lines, own_total = table_pattern(members)
            lines, total = minutes_year(session, WENSUM_VALLEY_ID, meeting.academic_year).shown(
                meeting.id or 0, len(members))
            assert all(o or not y for o, y in zip(own_lines, lines, strict=True))
            assert own_total or not total
            if own_total and not total:
                added.append((meeting.academic_year, meeting.half_term))
    assert (2024, "Autumn 2") in added


def issue_as_first_drafted(engine: Engine, meeting_id: int) -> None:
    """Stores the meeting's governors' minutes as they read when issued on their own, before a
    later meeting made anything else to hide (the pattern of their own table)."""
    with Session(engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        members = decision_members(decisions_at(session, meeting))
        shown, total_shown = table_pattern(members)
        figures = group_figures(members, shown, total_shown, prefix=minutes_name(meeting_id))
        store(session, cluster_id=meeting.cluster_id, meeting_id=meeting_id,
              kind=PaperKind.GOVERNORS_MINUTES, edition="", files={"pdf": ("m.pdf", b"%PDF")},
              occasion="minutes_approved", issued_by="test",
              shown_figures=[f.name for f in figures.shown()])
        session.commit()


@pytest.mark.parametrize("username", READERS)
def test_minutes_issued_before_a_small_round_keep_their_total_and_the_year_s_is_hidden(
        demo_copy: Engine, username: str) -> None:
    """Autumn 1's governors' minutes went out showing their total (£19,204) before Autumn 2 made
    its two awards (£1,406). The stored copy cannot change, so the year's money awarded less it
    would give Autumn 2's: the year's total is hidden instead — on the impact report and the
    governor's home — and nothing can be worked out."""
    meetings = ten_then_two(demo_copy, spring_1=False)
    issue_as_first_drafted(demo_copy, meetings["Autumn 1"])
    governor = actor(demo_copy, "governor")
    assert governors_minutes(demo_copy, governor, meetings["Autumn 1"]).total.first_pence
    assert governors_minutes(demo_copy, governor, meetings["Autumn 2"]).total.first_pence is None
    assert governor_summary(demo_copy, governor).awarded_this_year_pence is None
    with Session(demo_copy) as session:
        autumn_1 = session.get_one(Meeting, meetings["Autumn 1"])
        cluster = session.get_one(Cluster, autumn_1.cluster_id)
        report = published_cluster_figures(session, cluster, TODAY).by_area[TODAY.year]
    assert report.received.grand_total is None and report.pupils.grand_total is None
    assert [v for v in report.received.row_totals if v is not None] != []  # the schools still shown
    reader = actor(demo_copy, username)
    assert not reader_figures(demo_copy, reader).figures[awarded_name(TODAY.year)].shown
    assert audit_reader(demo_copy, reader).failures == ()


def test_a_total_only_the_year_gives_away_hides_the_year_s_total(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """With Autumn 2's minutes (2 awards) the only ones out, the year's money awarded less what the
    minutes leave out is their total, and the minutes have nothing to hide beside it: the year's
    total is hidden, and the audit finds nothing to work out."""
    meetings = ten_then_two(demo_copy, spring_1=False)

    def not_autumn_1(meeting: Meeting) -> tuple[bool, str]:
        return (meeting.id != meetings["Autumn 1"] and minutes_window(meeting)[0]), ""

    for module in (minutes_year_module, minutes_figures_module):
        monkeypatch.setattr(module, "minutes_window", not_autumn_1)
    governor = actor(demo_copy, "governor")
    assert governors_minutes(demo_copy, governor, meetings["Autumn 2"]).total.first_pence is None
    assert governor_summary(demo_copy, governor).awarded_this_year_pence is None
    assert audit_reader(demo_copy, governor).failures == ()
