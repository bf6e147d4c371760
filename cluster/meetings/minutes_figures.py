"""The governors' minutes as figures for the disclosure audit.

Every meeting whose minutes a reader can open publishes its decisions by kind (requests, pupils,
money agreed), with the total, and the number of urgent decisions put to it. The lines of one
table are hidden jointly already (`papers.grouped`); registering them here puts them beside every
other figure the reader sees, so the audit asks what all of them together leave of each hidden
one.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from cluster.core.db import read_session
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import Figure, FigureSet
from cluster.disclosure.suppression import is_small
from cluster.meetings.context import meetings_of
from cluster.meetings.papers import (
    ALL_ROLES,
    decision_members,
    governors_minutes_of,
    group_figures,
    minutes_window,
    urgent_agreed,
)
from cluster.meetings.record import meeting_record


def minutes_name(meeting_id: int, figure: str = "") -> str:
    return f"governors' minutes/{meeting_id}/{figure}"


def minutes_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> FigureSet:
    """The figures of every governors' minutes this reader can open (the same for every reader)."""
    require(has_role(actor, ALL_ROLES))
    figures = FigureSet()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        for meeting in meetings_of(session, cluster.id or 0):
            if not minutes_window(meeting)[0]:
                continue
            record = meeting_record(session, meeting)
            paper = governors_minutes_of(session, meeting, record)
            meeting_id = meeting.id or 0
            figures.merge(group_figures(
                decision_members(record), [line.pupils is not None for line in paper.decisions],
                paper.total.pupils is not None, prefix=minutes_name(meeting_id)))
            urgent = urgent_agreed(record)
            figures.add(Figure(minutes_name(meeting_id, "urgent decisions"), urgent,
                               shown=paper.urgent is not None, protect=is_small(urgent)))
    return figures
