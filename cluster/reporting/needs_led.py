"""From hours to needs-led support: each cluster's share of money by class of support, year by
year, and the host's correction of one award's class.

Who sees what: the host and the cluster's schools see every figure; governors and the LA adviser
see shares of money over groups of awards, with a class-year cell hidden when fewer than 5 awards
make it up (and, by secondary suppression, any cell that would let a hidden one be worked out
from its year's total). The money is each award's whole amount, net of money returned, in the
academic year of the meeting that made it: a move in how a cluster decides shows in the year it
decided so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear
from cluster.common.money import format_pounds
from cluster.common.provision import CostShape, provision_kind_of
from cluster.common.support_class import SUPPORT_CLASSES, support_class_of
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.core.permissions import Actor, can_manage_cluster, has_role, require
from cluster.disclosure.suppression import suppress_table
from cluster.funding.budget import reader_scope
from cluster.models import Award, Cluster, CostLine, Decision, Meeting, Role, SupportRequest


@dataclass(frozen=True)
class ClassedAward:
    """One paying award as the classes count it (no pupil detail)."""

    award_id: int
    request_id: int
    title: str
    academic_year: int
    half_term: str
    provision_kind: str
    support_class: str
    corrected: bool  # the host chose the class
    pence: int  # net of money returned
    version: int


@dataclass(frozen=True)
class ClassCell:
    """One class in one year: None means hidden (fewer than 5 awards, or would reveal one)."""

    academic_year: int
    support_class: str
    awards: int | None
    pence: int | None
    share: float | None  # % of the year's money


@dataclass(frozen=True)
class NeedsLedView:
    cluster_name: str
    years: tuple[int, ...]
    cells: tuple[ClassCell, ...]
    year_pence: tuple[int | None, ...]  # each year's money over every class (None: hidden)
    suppressed: bool

    def cell(self, academic_year: int, support_class: str) -> ClassCell:
        return next(c for c in self.cells if c.academic_year == academic_year
                    and c.support_class == support_class)

    def share_of(self, academic_year: int, *classes: str) -> float | None:
        """Together, the share of a year's money in these classes (None when any is hidden)."""
        shares = [self.cell(academic_year, name).share for name in classes]
        return None if any(s is None for s in shares) else sum(s or 0.0 for s in shares)


# --- reading the awards -------------------------------------------------------------------------


def classed_awards(session: Session, cluster_id: int) -> list[ClassedAward]:
    """Every confirmed paying award of the cluster with its class, oldest first."""
    rows = session.exec(
        select(  # type: ignore[call-overload]  # SQLModel types select() for up to four columns
            Award.id, Award.amount_pence, Award.returned_pence, Award.support_class,
            Award.version, SupportRequest.id, SupportRequest.title, SupportRequest.kind,
            SupportRequest.provision_kind, Meeting.academic_year, Meeting.half_term)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Award.amount_pence > 0,
               Award.decision != Decision.DEFERRED, col(Award.draft).is_(False))
        .order_by(col(Meeting.held_on), col(Award.id))).all()
    shapes: dict[int, list[CostShape]] = {}
    for request_id, cost, grade, size in session.exec(
            select(CostLine.request_id, CostLine.cost_pence, CostLine.staff_grade,
                   CostLine.group_size).where(col(CostLine.request_id).in_(
                       [row[5] for row in rows]))).all():
        shapes.setdefault(request_id, []).append(CostShape(cost, grade, size))
    found = []
    for (award_id, amount, returned, corrected, version, request_id, title, kind, stored,
         year, half_term) in rows:
        provision = provision_kind_of(stored, kind, shapes.get(request_id, []))
        found.append(ClassedAward(
            award_id, request_id, title, year, half_term, provision,
            support_class_of(provision, corrected), corrected in SUPPORT_CLASSES,
            max(0, amount - returned), version))
    return found


# --- the shares (pure) --------------------------------------------------------------------------


def class_shares(awards: Sequence[ClassedAward], *, suppress: bool
                 ) -> tuple[tuple[int, ...], tuple[ClassCell, ...], tuple[int | None, ...]]:
    """Each year's money by class, as counts, pounds and shares of the year's money."""
    years = tuple(sorted({a.academic_year for a in awards}))
    counts = [[sum(1 for a in awards if a.academic_year == y and a.support_class == c)
               for c in SUPPORT_CLASSES] for y in years]
    pence = [[sum(a.pence for a in awards if a.academic_year == y and a.support_class == c)
              for c in SUPPORT_CLASSES] for y in years]
    if suppress and years:
        table = suppress_table(counts, show_row_totals=True, show_column_totals=False)
        shown = [list(row) for row in table.cells]
        totals: list[int | None] = list(table.row_totals)
    else:
        shown = [list(row) for row in counts]
        totals = [sum(row) for row in counts]
    cells = []
    year_pence: list[int | None] = []
    for i, year in enumerate(years):
        whole = sum(pence[i])
        year_pence.append(None if totals[i] is None else whole)
        for j, name in enumerate(SUPPORT_CLASSES):
            hidden = shown[i][j] is None or totals[i] is None
            cells.append(ClassCell(year, name, None if hidden else counts[i][j],
                                   None if hidden else pence[i][j],
                                   None if hidden or not whole else 100 * pence[i][j] / whole))
    return years, tuple(cells), tuple(year_pence)


# --- services -----------------------------------------------------------------------------------


def needs_led_shares(engine: Engine, actor: Actor, cluster_id: int | None = None, *,
                     published: bool = False) -> NeedsLedView:
    """The cluster's share of money by class, each academic year, as the reader may see it;
    `published`: as the governors' papers print it, small cells hidden whoever downloads them."""
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        awards = classed_awards(session, scope.cluster_id)
    suppress = scope.suppress or published
    years, cells, year_pence = class_shares(awards, suppress=suppress)
    return NeedsLedView(scope.cluster_name, years, cells, year_pence, suppress)


def needs_led_across_clusters(engine: Engine, actor: Actor) -> list[NeedsLedView]:
    """The LA adviser's comparison: every cluster's shares by class, small cells hidden."""
    require(has_role(actor, {Role.LA_ADVISER}))
    with read_session(engine) as session:
        clusters = [(c.id or 0, c.name) for c in session.exec(
            select(Cluster).order_by(col(Cluster.name))).all()]
        found = []
        for cluster_id, name in clusters:
            years, cells, year_pence = class_shares(classed_awards(session, cluster_id),
                                                    suppress=True)
            found.append(NeedsLedView(name, years, cells, year_pence, True))
    return found


def awards_to_classify(engine: Engine, actor: Actor) -> list[ClassedAward]:
    """The host's awards with their classes, newest first: what the correction form offers."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return list(reversed(classed_awards(session, actor.cluster_id or 0)))


@audit.mutating("correct_support_class")
def correct_support_class(engine: Engine, actor: Actor, award_id: int, support_class: str, *,
                          expected_version: int) -> ClassedAward:
    """The host puts one award in another class ("" goes back to the class its kind of provision
    gives). Refused for another cluster's award, a class not on the list, or a stale screen."""
    require(can_manage_cluster(actor))
    if support_class and support_class not in SUPPORT_CLASSES:
        raise InvalidInput("class of support", f"must be one of {', '.join(SUPPORT_CLASSES)}")
    with write_session(engine) as session:
        award = session.get(Award, award_id)
        meeting = session.get(Meeting, award.meeting_id) if award is not None else None
        if award is None or meeting is None or meeting.cluster_id != actor.cluster_id:
            raise NotAllowed("That award is not one of this cluster's.")
        if award.version != expected_version:
            raise StaleEdit([f"award {award_id}: class of support changed"],
                            last_change_by(session, "award", award_id))
        before = award.support_class
        award.support_class = support_class
        session.add(award)
        session.flush()
        audit.record(session, actor, "correct_support_class", entity="award", entity_id=award_id,
                     before={"support_class": before or "(from its kind)"},
                     after={"support_class": support_class or "(from its kind)"})
        return next(a for a in classed_awards(session, meeting.cluster_id)
                    if a.award_id == award_id)


def award_choice(award: ClassedAward) -> str:
    """How the correction form names an award: its request, year and money, never a pupil."""
    return (f"Request {award.request_id}: {award.title} ({AcademicYear(award.academic_year).label}"
            f" {award.half_term}, {format_pounds(award.pence)}) · {award.support_class}"
            + (" (corrected)" if award.corrected else ""))
