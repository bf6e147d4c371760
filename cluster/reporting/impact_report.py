"""The impact report and the governors' dashboard as published: the report's own suppressed
tables, with the year's money awarded hidden where the governors' minutes need it hidden.

A year's governors' minutes and its money awarded add up (`meetings.minutes_year`): once minutes
are issued their figures cannot change, so a later meeting's hidden total can leave nothing to
hide but the year's total. The report, the dashboard, the governors' home and the LA's overview
read the tables from here, so every page shows the year's total the same way.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.common.calendar import academic_year_of
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import ALL_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import FigureSet
from cluster.meetings.minutes_year import minutes_year
from cluster.models import Cluster, Role
from cluster.outcomes.dashboard import (
    ClusterFigures,
    Dashboard,
    SenInformationExtract,
    dashboard_from,
    extract_text,
    load_cluster_figures,
    money_audit_figures,
)


def published_cluster_figures(session: Session, cluster: Cluster, on: date) -> ClusterFigures:
    """Every table of the impact report as published (see the module's note)."""
    own = load_cluster_figures(session, cluster, on)
    hidden = frozenset(year for year in own.years
                       if minutes_year(session, own.cluster_id, year).hides_year_total)
    return load_cluster_figures(session, cluster, on, hidden) if hidden else own


def impact_report_figures(engine: Engine, actor: Actor, cluster_id: int | None = None
                          ) -> FigureSet:
    """The report's money tables as every reader sees them, for the disclosure audit: each figure
    with its true value, hidden where the published tables hide it."""
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        return money_audit_figures(published_cluster_figures(session, cluster, today()))


def impact_dashboard(engine: Engine, actor: Actor, *, academic_year: int | None = None,
                     school_id: int | None = None, cluster_id: int | None = None) -> Dashboard:
    """The governors' dashboard (and impact report): for the cluster, or for one school. The same
    suppressed figures whoever reads it — it is what governors and the public may see."""
    require(has_role(actor, ALL_ROLES))
    on = today()
    year = academic_year if academic_year is not None else academic_year_of(on).start_year
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        figures = published_cluster_figures(session, cluster, on)
    return dashboard_from(figures, actor, year, school_id, on)


def sen_information_extract(engine: Engine, actor: Actor, school_id: int,
                            academic_year: int | None = None) -> SenInformationExtract:
    """Per school, the paragraph for its SEN information report: anonymous, suppressed, ready to
    paste into the school's website."""
    require(has_role(actor, {Role.HOST, Role.SCHOOL, Role.GOVERNOR}))
    board = impact_dashboard(engine, actor, academic_year=academic_year, school_id=school_id)
    return SenInformationExtract(board.scope_label, board.year_label,
                                 extract_text(board, board.produced_on))
