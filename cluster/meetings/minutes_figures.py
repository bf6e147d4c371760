"""The governors' minutes as figures for the disclosure audit.

Every meeting whose minutes a reader can open publishes its decisions by kind (requests, pupils,
money agreed), with the total, and the number of urgent decisions put to it. The decisions are
hidden jointly with the year's other minutes and its money awarded already (`minutes_year`);
registering them here puts them beside every other figure the reader sees, so the audit asks what
all of them together leave of each hidden one.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from cluster.core.db import read_session
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import Figure, FigureSet
from cluster.disclosure.suppression import is_small
from cluster.meetings.context import meetings_of, minutes_window
from cluster.meetings.minutes_year import minutes_name, minutes_year
from cluster.meetings.papers import ALL_ROLES, governors_minutes_of, urgent_agreed
from cluster.meetings.record import meeting_record


def minutes_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> FigureSet:
    """The figures of every governors' minutes this reader can open (the same for every reader)."""
    require(has_role(actor, ALL_ROLES))
    figures = FigureSet()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        open_minutes = [m for m in meetings_of(session, cluster.id or 0) if minutes_window(m)[0]]
        for year in sorted({m.academic_year for m in open_minutes}):
            figures.merge(minutes_year(session, cluster.id or 0, year).figures)
        for meeting in open_minutes:
            record = meeting_record(session, meeting)
            paper = governors_minutes_of(session, meeting, record)
            urgent = urgent_agreed(record)
            figures.add(Figure(minutes_name(meeting.id or 0, "urgent decisions"), urgent,
                               shown=paper.urgent is not None, protect=is_small(urgent)))
    return figures
