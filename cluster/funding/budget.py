"""The funding year: read the pot, try a what-if, save the host's edit, and the budget position.

Who sees what: the host edits the funding year; school users and governors read their own school's
and the cluster's figures; the LA adviser reads aggregates. Figures shown to governors and the LA
adviser have small numbers (1-4 awards or pupils) suppressed, with secondary suppression.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear, OfAcademicYear, format_date
from cluster.common.meeting_day import has_opened
from cluster.common.money import format_pounds, pence_from_pounds
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import (
    ALL_ROLES,
    SUPPRESSED_ROLES,
    Actor,
    can_manage_cluster,
    has_role,
    require,
)
from cluster.core.scope import cluster_of
from cluster.disclosure.suppression import hide_with, share_or_hidden, suppress_table
from cluster.funding.pot import PotBreakdown, build_pot
from cluster.funding.release import (
    AwardRun,
    check_release_plan,
    income_by_round,
    part_in_year,
    spread_evenly,
)
from cluster.models import (
    Award,
    CensusSnapshot,
    FundingYear,
    IncomeLine,
    Meeting,
    Role,
    School,
    SupportRequest,
    TopSlice,
)

MAX_TOP_SLICES = 20
# A sanity bound on any single figure (£20m, far above any cluster's pot), which also keeps its
# pence inside a database whole number (PostgreSQL INTEGER holds up to £21.4m in pence).
MAX_POUNDS = 20_000_000
CLUSTER_ROW = "Cluster"

FIELD_LABELS: dict[str, str] = {
    "per_pupil_rate_pence": "rate per pupil",
    "fixed_sum_per_school_pence": "fixed sum per school",
    "carried_forward_pence": "carried forward",
    "psf_redistributed_pence": "re-distributed pupil-tied funding",
    "reserve_percent": "emergency reserve",
    "top_slices": "top-slices",
    "releases": "release plan",
}


# --- who sees which rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which cluster, which school rows, and whether small numbers are hidden."""

    cluster_id: int
    cluster_name: str
    la_name: str
    own_school_id: int | None
    all_schools: bool
    suppress: bool

    def shows(self, school_id: int) -> bool:
        return self.all_schools or school_id == self.own_school_id


def reader_scope(session: Session, actor: Actor, cluster_id: int | None = None) -> Scope:
    """Host: every school. School user: own school and the cluster. Governor: own school (if any)
    and the cluster, small numbers hidden. LA adviser: any cluster, every school's aggregates,
    small numbers hidden."""
    require(has_role(actor, ALL_ROLES))
    cluster = cluster_of(session, actor, cluster_id)
    assert cluster.id is not None
    return Scope(cluster.id, cluster.name, cluster.la_name,
                 actor.school_id if actor.role in (Role.SCHOOL, Role.GOVERNOR) else None,
                 actor.role in (Role.HOST, Role.LA_ADVISER), actor.role in SUPPRESSED_ROLES)


# --- the formula's inputs -------------------------------------------------------------------------


def census_year_for(academic_year: int) -> int:
    """The January census inside the academic year (2026/27 → January 2027); the formula uses the
    latest census up to it, so a year whose January census is not in yet uses the one before."""
    return academic_year + 1


@dataclass(frozen=True)
class SchoolCensus:
    school_id: int
    name: str
    census_year: int | None
    pupils: int
    sen_support: int
    ehc_plan: int

    @property
    def sen_pupils(self) -> int:
        return self.sen_support + self.ehc_plan


def history_ids(session: Session, school: School) -> list[int]:
    """The school and the schools it succeeded (an academy conversion gives a new URN)."""
    chain: list[int] = []
    current: School | None = school
    while current is not None and current.id is not None and current.id not in chain:
        chain.append(current.id)
        current = session.get(School, current.predecessor_id) if current.predecessor_id else None
    return chain


def active_schools(session: Session, cluster_id: int) -> list[School]:
    return list(session.exec(select(School).where(
        School.cluster_id == cluster_id, col(School.active).is_(True))
        .order_by(col(School.name))).all())


def school_census(session: Session, school: School, up_to_census_year: int) -> SchoolCensus:
    """The school's latest census up to the year, following its predecessors' history."""
    return _censuses(session, [school], up_to_census_year)[0]


def cluster_census(session: Session, cluster_id: int, academic_year: int) -> list[SchoolCensus]:
    return _censuses(session, active_schools(session, cluster_id), census_year_for(academic_year))


def _censuses(session: Session, schools: Sequence[School], up_to_census_year: int
              ) -> list[SchoolCensus]:
    """Each school's latest census up to the year, its predecessors' counting as its own: one
    query for all the schools (an LA reads hundreds of them across several years)."""
    chains = {school.id: history_ids(session, school) for school in schools}
    snapshots: dict[int, list[CensusSnapshot]] = {}
    for snapshot in session.exec(select(CensusSnapshot).where(
            col(CensusSnapshot.school_id).in_({i for chain in chains.values() for i in chain}),
            CensusSnapshot.census_year <= up_to_census_year)).all():
        snapshots.setdefault(snapshot.school_id, []).append(snapshot)
    censuses = []
    for school in schools:
        assert school.id is not None
        mine = [s for i in chains[school.id] for s in snapshots.get(i, [])]
        # The newest year; within it, the later school record (a successor over its predecessor).
        latest = max(mine, key=lambda s: (s.census_year, s.school_id), default=None)
        censuses.append(SchoolCensus(school.id, school.name, None, 0, 0, 0) if latest is None
                        else SchoolCensus(school.id, school.name, latest.census_year,
                                          latest.pupils, latest.sen_support, latest.ehc_plan))
    return censuses


# --- the funding year as the host edits it --------------------------------------------------------


@dataclass(frozen=True)
class FundingSettings:
    """What the host sets for a year, from the LA's figures and the cluster's own decisions."""

    per_pupil_rate_pence: int
    fixed_sum_per_school_pence: int
    carried_forward_pence: int = 0
    psf_redistributed_pence: int = 0
    reserve_percent: float = 5.0
    top_slices: tuple[tuple[str, int], ...] = ()
    releases: tuple[tuple[int, int], ...] = ()  # (funding-round meeting id, pence)

    def drawn_from(self) -> dict[str, object]:
        return {
            "per_pupil_rate_pence": self.per_pupil_rate_pence,
            "fixed_sum_per_school_pence": self.fixed_sum_per_school_pence,
            "carried_forward_pence": self.carried_forward_pence,
            "psf_redistributed_pence": self.psf_redistributed_pence,
            "reserve_percent": self.reserve_percent,
            "top_slices": _describe_slices(self.top_slices),
            "releases": _describe_releases(self.releases),
        }


def _describe_slices(slices: Sequence[tuple[str, int]]) -> str:
    return "; ".join(f"{label} {format_pounds(pence)}" for label, pence in slices) or "none"


def _describe_releases(releases: Sequence[tuple[int, int]]) -> str:
    return "; ".join(f"#{meeting_id} {format_pounds(pence)}"
                     for meeting_id, pence in sorted(releases)) or "none"


@dataclass(frozen=True)
class FundingRound:
    meeting_id: int
    half_term: str
    held_on: date
    release_pence: int
    # Held (opened, or its decisions confirmed): its release is the past and never changes.
    held: bool = False
    income: tuple[tuple[str, int], ...] = ()  # extra income lines joining it: (source, pence)

    @property
    def label(self) -> str:
        return f"{self.half_term} funding round"

    @property
    def income_pence(self) -> int:
        return sum(pence for _, pence in self.income)

    @property
    def released_pence(self) -> int:
        """What the round releases: the plan's release and the extra income joining it."""
        return self.release_pence + self.income_pence


@dataclass(frozen=True)
class IncomeLineRow:
    """An extra income line: a named source, an amount, and the funding rounds it joins."""

    source: str
    amount_pence: int
    rounds: tuple[str, ...]  # half-terms of the year's funding rounds

    def as_line(self) -> tuple[str, int, tuple[str, ...]]:
        return self.source, self.amount_pence, self.rounds


@dataclass(frozen=True)
class FundingYearView(OfAcademicYear):
    academic_year: int
    exists: bool
    read_only: bool
    version: int  # 0 when the year is not set up yet
    settings: FundingSettings
    rounds: tuple[FundingRound, ...]
    pot: PotBreakdown
    schools: tuple[SchoolCensus, ...]
    income: tuple[IncomeLineRow, ...] = ()

    def drawn_from(self) -> dict[str, object]:
        return self.settings.drawn_from()

    def even_release_plan(self) -> tuple[tuple[int, int], ...]:
        return even_release_plan(self.rounds, self.pot.plannable_pence)

    def income_pairs(self) -> tuple[tuple[str, int], ...]:
        return tuple((line.source, line.amount_pence) for line in self.income)


def round_held(meeting: Meeting) -> bool:
    return has_opened(meeting) or meeting.decisions_confirmed_on is not None


def even_release_plan(rounds: Sequence[FundingRound], available_pence: int
                      ) -> tuple[tuple[int, int], ...]:
    """"Spread evenly": the rounds already held keep what they released (the past is frozen);
    what is left of the money available is spread over the rounds still to come."""
    held = {r.meeting_id: r.release_pence for r in rounds if r.held}
    to_come = [r for r in rounds if not r.held]
    amounts = spread_evenly(available_pence - sum(held.values()), len(to_come))
    plan = held | {r.meeting_id: pence for r, pence in zip(to_come, amounts, strict=True)}
    return tuple((r.meeting_id, plan[r.meeting_id]) for r in rounds)


def spread_plan(view: FundingYearView, settings: FundingSettings) -> FundingSettings:
    """The settings with the release plan spread evenly over the rounds to come, from the pot
    these settings make (the screen's "Spread evenly")."""
    available = pot_of(settings, view.schools, view.income_pairs()).plannable_pence
    return replace(settings, releases=even_release_plan(view.rounds, available))


def pot_of(settings: FundingSettings, schools: Sequence[SchoolCensus],
           income: Sequence[tuple[str, int]] = ()) -> PotBreakdown:
    return build_pot(
        income=income,
        schools=[(s.name, s.pupils) for s in schools],
        per_pupil_rate_pence=settings.per_pupil_rate_pence,
        fixed_sum_pence=settings.fixed_sum_per_school_pence,
        carried_forward_pence=settings.carried_forward_pence,
        psf_redistributed_pence=settings.psf_redistributed_pence,
        top_slices=list(settings.top_slices),
        reserve_percent=settings.reserve_percent,
    )


def _funding_row(session: Session, cluster_id: int, academic_year: int) -> FundingYear | None:
    return session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == academic_year)).first()


def _rounds(session: Session, cluster_id: int, academic_year: int) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(
        Meeting.cluster_id == cluster_id, Meeting.academic_year == academic_year,
        col(Meeting.is_funding_round).is_(True)).order_by(col(Meeting.held_on))).all())


def _settings_of(session: Session, funding: FundingYear, rounds: Sequence[Meeting]
                 ) -> FundingSettings:
    slices = session.exec(select(TopSlice).where(TopSlice.funding_year_id == funding.id)
                          .order_by(col(TopSlice.id))).all()
    return FundingSettings(
        funding.per_pupil_rate_pence, funding.fixed_sum_per_school_pence,
        funding.carried_forward_pence, funding.psf_redistributed_pence, funding.reserve_percent,
        tuple((s.label, s.amount_pence) for s in slices),
        tuple((m.id or 0, m.release_pence) for m in rounds))


def _previous_settings(session: Session, cluster_id: int, academic_year: int) -> FundingSettings:
    """A year not set up yet starts from the latest earlier year's rates (the LA's change
    little)."""
    earlier = session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year < academic_year)
        .order_by(col(FundingYear.academic_year).desc())).first()
    if earlier is None:
        return FundingSettings(0, 0)
    previous = _settings_of(session, earlier, [])
    return replace(previous, carried_forward_pence=0, psf_redistributed_pence=0, releases=())


def income_lines(session: Session, funding: FundingYear | None) -> tuple[IncomeLineRow, ...]:
    if funding is None or funding.id is None:
        return ()
    return tuple(IncomeLineRow(line.source, line.amount_pence, tuple(line.rounds))
                 for line in session.exec(select(IncomeLine).where(
                     IncomeLine.funding_year_id == funding.id).order_by(col(IncomeLine.id))))


def funding_rounds(rounds: Sequence[Meeting], income: Sequence[IncomeLineRow]
                   ) -> tuple[FundingRound, ...]:
    """The year's funding rounds, each with the extra income joining it."""
    joining = income_by_round([line.as_line() for line in income],
                              [(m.id or 0, m.half_term) for m in rounds])
    return tuple(FundingRound(m.id or 0, m.half_term, m.held_on, m.release_pence, round_held(m),
                              tuple(joining.get(m.id or 0, ()))) for m in rounds)


def load_funding_year(session: Session, cluster_id: int, academic_year: int) -> FundingYearView:
    funding = _funding_row(session, cluster_id, academic_year)
    rounds = _rounds(session, cluster_id, academic_year)
    if funding is None:
        settings = _previous_settings(session, cluster_id, academic_year)
        settings = replace(settings, releases=tuple((m.id or 0, 0) for m in rounds))
    else:
        settings = _settings_of(session, funding, rounds)
    schools = tuple(cluster_census(session, cluster_id, academic_year))
    income = income_lines(session, funding)
    return FundingYearView(
        academic_year, funding is not None,
        bool(funding and funding.read_only), funding.version if funding else 0, settings,
        funding_rounds(rounds, income),
        pot_of(settings, schools, [(line.source, line.amount_pence) for line in income]),
        schools, income)


def load_pot(session: Session, cluster_id: int, academic_year: int) -> PotBreakdown | None:
    """The year's pot, or None when the funding year is not set up. The one definition of the pot:
    the home pages and the rollover use it too."""
    if _funding_row(session, cluster_id, academic_year) is None:
        return None
    return load_funding_year(session, cluster_id, academic_year).pot


def funding_year(engine: Engine, actor: Actor, academic_year: int) -> FundingYearView:
    """The host's edit screen for a year (a year not set up yet starts from last year's rates)."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return load_funding_year(session, actor.cluster_id or 0, academic_year)


def funding_years(engine: Engine, actor: Actor, cluster_id: int | None = None) -> list[int]:
    """The academic years with a funding year set up, oldest first."""
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        return sorted(session.exec(select(FundingYear.academic_year).where(
            FundingYear.cluster_id == scope.cluster_id)).all())


# --- what-if --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareChange:
    school: str
    pupils: int
    now_pence: int
    proposed_pence: int

    @property
    def change_pence(self) -> int:
        return self.proposed_pence - self.now_pence


@dataclass(frozen=True)
class LineChange:
    label: str
    now_pence: int | None
    proposed_pence: int | None


@dataclass(frozen=True)
class ReleaseChange:
    round: str
    held_on: date
    held: bool
    now_pence: int
    proposed_pence: int


@dataclass(frozen=True)
class WhatIf:
    shares: tuple[ShareChange, ...]
    lines: tuple[LineChange, ...]
    now: PotBreakdown
    proposed: PotBreakdown
    releases: tuple[ReleaseChange, ...] = ()  # every round's release, now and as proposed
    # What a save of these figures would refuse, as (where, problem): the same checks the save runs
    refusals: tuple[tuple[str, str], ...] = ()

    @property
    def available_change_pence(self) -> int:
        return self.proposed.available_pence - self.now.available_pence


def compare_pots(now: PotBreakdown, proposed: PotBreakdown) -> WhatIf:
    """Every school's formula share and every line of the pot, now and as proposed."""
    shares = tuple(ShareChange(a.school_name, a.pupils, a.formula_pence, b.formula_pence)
                   for a, b in zip(now.shares, proposed.shares, strict=True))
    labels = list(dict.fromkeys([line.label for line in now.lines]
                                + [line.label for line in proposed.lines]))
    before = {line.label: line.pence for line in now.lines}
    after = {line.label: line.pence for line in proposed.lines}
    lines = tuple(LineChange(label, before.get(label), after.get(label)) for label in labels)
    return WhatIf(shares, lines, now, proposed)


def what_if(engine: Engine, actor: Actor, academic_year: int,
            proposed: FundingSettings) -> WhatIf:
    """The pot and every school's share as they would be, before anything is saved."""
    require(can_manage_cluster(actor))
    check_settings(proposed)
    with read_session(engine) as session:
        current = load_funding_year(session, actor.cluster_id or 0, academic_year)
    pot = pot_of(proposed, current.schools, current.income_pairs())
    planned = dict(proposed.releases)
    releases = tuple(ReleaseChange(r.label, r.held_on, r.held, r.release_pence,
                                   planned.get(r.meeting_id, 0)) for r in current.rounds)
    refusals = tuple(release_plan_refusals(proposed, current.rounds, pot))
    if current.read_only:
        refusals = ((("Academic year", f"{current.year_label} is closed and read-only"),)
                    + refusals)
    return replace(compare_pots(current.pot, pot), releases=releases, refusals=refusals)


# --- saving ---------------------------------------------------------------------------------------


def check_settings(settings: FundingSettings) -> None:
    """Names the first figure that cannot be right."""
    for name in ("per_pupil_rate_pence", "fixed_sum_per_school_pence", "psf_redistributed_pence"):
        value = getattr(settings, name)
        if value < 0:
            raise InvalidInput(FIELD_LABELS[name], "cannot be negative")
    for name in ("per_pupil_rate_pence", "fixed_sum_per_school_pence", "carried_forward_pence",
                 "psf_redistributed_pence"):
        if abs(getattr(settings, name)) > pence_from_pounds(MAX_POUNDS):
            raise InvalidInput(FIELD_LABELS[name],
                               f"is more than £{MAX_POUNDS:,}: check the figure")
    if not 0 <= settings.reserve_percent <= 100:
        raise InvalidInput(FIELD_LABELS["reserve_percent"], "must be between 0% and 100%")
    if len(settings.top_slices) > MAX_TOP_SLICES:
        raise InvalidInput("top-slices", f"at most {MAX_TOP_SLICES} lines")
    for position, (label, pence) in enumerate(settings.top_slices, start=1):
        if not label.strip():
            raise InvalidInput(f"top-slice {position}", "say what it pays for")
        if len(label.strip()) > 120:
            raise InvalidInput(f"top-slice {position}", "the description is over 120 characters")
        if pence <= 0:
            raise InvalidInput(f"top-slice {position} ({label.strip()})",
                               "the amount must be more than £0")
        if pence > pence_from_pounds(MAX_POUNDS):
            raise InvalidInput(f"top-slice {position} ({label.strip()})",
                               f"is more than £{MAX_POUNDS:,}: check the figure")
    if any(abs(pence) > pence_from_pounds(MAX_POUNDS) for _, pence in settings.releases):
        raise InvalidInput("release plan", f"a release is more than £{MAX_POUNDS:,}: check the "
                                           "figure")


@audit.mutating("save_funding_year")
def save_funding_year(engine: Engine, actor: Actor, academic_year: int,
                      settings: FundingSettings, *, expected_version: int,
                      drawn_from: dict[str, object]) -> FundingYearView:
    """Saves rates, top-slices, reserve and release plan together, in one transaction.

    Refused when the screen was drawn from an older version (naming what changed and who changed
    it), when the year is closed, or when the figures do not add up."""
    require(can_manage_cluster(actor))
    check_settings(settings)
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        funding = _funding_row(session, cluster_id, academic_year)
        _refuse_closed(funding, academic_year)
        current = load_funding_year(session, cluster_id, academic_year)
        _refuse_stale(session, funding, current, expected_version, drawn_from)
        rounds = {m.id: m for m in _rounds(session, cluster_id, academic_year) if m.id is not None}
        refusals = release_plan_refusals(settings, current.rounds,
                                         pot_of(settings, current.schools,
                                                current.income_pairs()))
        if refusals:
            raise InvalidInput(*refusals[0])
        releases = dict(settings.releases)
        before = current.settings.drawn_from()
        funding = _write_funding(session, funding, cluster_id, academic_year, settings)
        for meeting_id, meeting in rounds.items():
            pence = releases.get(meeting_id, 0)
            if meeting.release_pence != pence:
                meeting.release_pence = pence
                session.add(meeting)
        session.flush()
        audit.record(session, actor, "save_funding_year", entity="funding_year",
                     entity_id=funding.id, before=before, after=settings.drawn_from(),
                     text_fields=frozenset())
        return load_funding_year(session, cluster_id, academic_year)


def _refuse_closed(funding: FundingYear | None, academic_year: int) -> None:
    if funding is not None and funding.read_only:
        raise InvalidInput("Academic year", f"{AcademicYear(academic_year).label} is closed and "
                           "read-only. The host can reopen it, giving a reason.")


def _refuse_stale(session: Session, funding: FundingYear | None, current: FundingYearView,
                  expected_version: int, drawn_from: dict[str, object]) -> None:
    if current.version == expected_version:
        return
    now = current.drawn_from()
    changes = [f"{FIELD_LABELS.get(name, name)}: {_shown(name, old)} → {_shown(name, now[name])}"
               for name, old in drawn_from.items() if name in now and now[name] != old]
    who = last_change_by(session, "funding_year", funding.id) if funding and funding.id else None
    raise StaleEdit(changes, who)


def _shown(name: str, value: object) -> str:
    if name.endswith("_pence") and isinstance(value, int):
        return format_pounds(value)
    if name == "reserve_percent":
        return f"{value:g}%" if isinstance(value, (int, float)) else str(value)
    return str(value)


def release_plan_refusals(settings: FundingSettings, rounds: Sequence[FundingRound],
                          pot: PotBreakdown) -> list[tuple[str, str]]:
    """Everything a save of these figures refuses, as (where, problem), in the order the host
    would fix them. "Show what changes" lists them all; the save refuses with the first."""
    releases = dict(settings.releases)
    by_id = {r.meeting_id: r for r in rounds}
    refusals: list[tuple[str, str]] = []
    if pot.available_pence < 0:  # the cause of every other shortfall: named first
        refusals.append(("top-slices", "they take more than the pot: available for new awards "
                         f"would be {format_pounds(pot.available_pence)}"))
    if any(meeting_id not in by_id for meeting_id in releases):
        refusals.append(("release plan", "money can be released only at this year's funding "
                         "rounds; a meeting in the plan is not one (mark it as a funding round "
                         "first)"))
    for held in (r for r in rounds if r.held):
        if releases.get(held.meeting_id, 0) != held.release_pence:
            refusals.append((f"release plan ({held.label})",
                             f"the round was held on {format_date(held.held_on)} with "
                             f"{format_pounds(held.release_pence)} released; a held round's "
                             "release stays as it was"))
    problems = check_release_plan(pot.plannable_pence,
                                  [(by_id[m].label, pence) for m, pence in releases.items()
                                   if m in by_id])
    refusals += [(f"release plan ({p.meeting})", p.problem) for p in problems]
    already = sum(r.release_pence for r in rounds if r.held)
    if already > max(pot.plannable_pence, 0):
        refusals.append(("money available", f"{format_pounds(already)} was released at rounds "
                         "already held, more than the "
                         f"{format_pounds(max(pot.plannable_pence, 0))} these figures leave "
                         "available for new awards"))
    return refusals


def _write_funding(session: Session, funding: FundingYear | None, cluster_id: int,
                   academic_year: int, settings: FundingSettings) -> FundingYear:
    if funding is None:
        funding = FundingYear(cluster_id=cluster_id, academic_year=academic_year,
                              per_pupil_rate_pence=settings.per_pupil_rate_pence,
                              fixed_sum_per_school_pence=settings.fixed_sum_per_school_pence)
    funding.per_pupil_rate_pence = settings.per_pupil_rate_pence
    funding.fixed_sum_per_school_pence = settings.fixed_sum_per_school_pence
    funding.carried_forward_pence = settings.carried_forward_pence
    funding.psf_redistributed_pence = settings.psf_redistributed_pence
    funding.reserve_percent = settings.reserve_percent
    if funding.id is not None:
        # Top-slices and releases live in other rows: bump the year's version on every save so a
        # screen drawn before this save is always refused.
        flag_modified(funding, "per_pupil_rate_pence")
    session.add(funding)
    session.flush()
    for old in session.exec(select(TopSlice).where(TopSlice.funding_year_id == funding.id)).all():
        session.delete(old)
    for label, pence in settings.top_slices:
        session.add(TopSlice(funding_year_id=funding.id or 0, label=label.strip(),
                             amount_pence=pence))
    return funding


# --- awards as the budget counts them -------------------------------------------------------------


@dataclass(frozen=True)
class AwardForBudget:
    run: AwardRun
    school_id: int
    from_reserve: bool = False  # an urgent award between meetings, paid from the reserve


def released_runs(awards: Sequence[AwardForBudget]) -> list[AwardRun]:
    """The awards the release plan pays for. Urgent awards come out of the emergency reserve,
    so they are not taken from any round's release as well."""
    return [award.run for award in awards if not award.from_reserve]


def cluster_awards(session: Session, cluster_id: int, up_to_year: int) -> list[AwardForBudget]:
    """Every paying award made at the cluster's meetings up to the year, net of money returned."""
    rows = session.exec(
        select(  # type: ignore[call-overload]  # SQLModel types select() for up to four columns
            Award.meeting_id, Meeting.academic_year, Meeting.half_term, Award.terms,
            Award.amount_pence, Award.returned_pence, SupportRequest.school_id, Award.from_reserve)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .where(Meeting.cluster_id == cluster_id, Meeting.academic_year <= up_to_year,
               Award.amount_pence > 0)
    ).all()
    return [AwardForBudget(AwardRun(meeting_id, year, half_term, terms,
                                    max(0, amount - returned)), school_id, bool(from_reserve))
            for meeting_id, year, half_term, terms, amount, returned, school_id, from_reserve
            in rows]


# --- received, formula share and need share, school by school -------------------------------------


@dataclass(frozen=True)
class ShareRow:
    """One school (or the cluster) in "does the formula follow need?". None = hidden."""

    school: str
    is_cluster: bool
    pupils: int
    sen_pupils: int | None
    formula_pence: int
    formula_share: float  # % of the cluster's formula money
    need_share: float | None  # % of the cluster's SEN pupils (SEN support + EHC plans)
    received_pence: int | None  # this year's part of the awards the school received
    received_share: float | None
    awards: int | None

    @property
    def gap(self) -> float | None:
        """Formula share minus need share, in percentage points: + means more than its need."""
        return None if self.need_share is None else self.formula_share - self.need_share


@dataclass(frozen=True)
class FinanceOverview(OfAcademicYear):
    cluster_name: str
    academic_year: int
    set_up: bool
    read_only: bool
    census_year: int | None
    pot: PotBreakdown
    shares: tuple[ShareRow, ...]
    suppressed: bool
    years: tuple[int, ...] = field(default=())


def finance_year(session: Session, actor: Actor, academic_year: int, cluster_id: int | None
                 ) -> tuple[Scope, FundingYearView, list[AwardForBudget]]:
    """What Finance reads for a year, inside the caller's session: the reader's scope, the
    funding year and the awards counting in it."""
    scope = reader_scope(session, actor, cluster_id)
    return (scope, load_funding_year(session, scope.cluster_id, academic_year),
            cluster_awards(session, scope.cluster_id, academic_year))


def received_parts(view: FundingYearView, awards: Sequence[AwardForBudget]
                   ) -> dict[int, list[int]]:
    """This year's part of each award each school received (awards not running this year left
    out): the "received this year" column, its award counts and its largest award."""
    year = view.academic_year
    return {s.school_id: [part for a in awards if a.school_id == s.school_id
                          if (part := part_in_year(a.run, year))] for s in view.schools}


def urgent_parts(academic_year: int, awards: Sequence[AwardForBudget]) -> list[int]:
    """This year's part of each urgent award from the reserve: in what the schools received, not
    in the budget position's "awarded" (the release plan does not pay for them)."""
    return [part for a in awards if a.from_reserve if (part := part_in_year(a.run, academic_year))]


def share_rows(scope: Scope, view: FundingYearView, awards: Sequence[AwardForBudget],
               total_hidden: bool) -> tuple[ShareRow, ...]:
    """Each school's received vs formula share vs need share, and the cluster's. For readers who
    must not see small numbers, `total_hidden` (the ledger's `received_hidden`) hides the
    cluster's total, with a second school when the rest would give it."""
    schools = view.schools
    formula = {share.school_name: share.formula_pence for share in view.pot.shares}
    parts = received_parts(view, awards)
    received = {school_id: sum(each) for school_id, each in parts.items()}
    counts = {school_id: len(each) for school_id, each in parts.items()}
    total_formula = sum(formula.values()) or 1
    total_sen = sum(s.sen_pupils for s in schools)
    total_received = sum(received.values())
    sen = [s.sen_pupils for s in schools]
    award_counts = [counts[s.school_id] for s in schools]
    if scope.suppress:
        sen_shown = _column(sen)
        counts_shown = _column(award_counts, hide_total=total_hidden)
    else:
        sen_shown = [(list(sen), total_sen)]
        counts_shown = [(list(award_counts), sum(award_counts))]
    (sen_cells, sen_total), (count_cells, count_total) = sen_shown[0], counts_shown[0]
    rows = []
    for index, school in enumerate(schools):
        if not scope.shows(school.school_id):
            continue
        shown_sen = sen_cells[index]
        shown_count = count_cells[index]
        money = received[school.school_id] if shown_count is not None else None
        rows.append(ShareRow(
            school.name, False, school.pupils, shown_sen, formula.get(school.name, 0),
            100 * formula.get(school.name, 0) / total_formula,
            None if shown_sen is None or not total_sen else 100 * shown_sen / total_sen,
            # A share of a hidden total would give the total away.
            money, share_or_hidden(money, hide_with(total_received, count_total)),
            shown_count))
    rows.append(ShareRow(
        CLUSTER_ROW, True, sum(s.pupils for s in schools), sen_total, sum(formula.values()),
        100.0 if formula else 0.0, None if sen_total is None else 100.0,
        hide_with(total_received, count_total),
        100.0 if count_total is not None else None, count_total))
    return tuple(rows)


def _column(values: list[int], hide_total: bool = False
            ) -> list[tuple[list[int | None], int | None]]:
    """One column of counts, published with its total, after suppression; `hide_total` hides the
    total whatever its size (another figure would give a small part of it away)."""
    if not values:
        return [([], None if hide_total else 0)]
    table = suppress_table([values], show_row_totals=True, show_column_totals=False,
                           hidden_row_totals=(0,) if hide_total else ())
    return [(list(table.cells[0]), table.row_totals[0])]
