"""What the cluster's money achieved, as governors, parents and the LA may see it: aggregates only,
with small numbers suppressed.

Every figure here is about a group of pupils: the pupils on the decided requests (money asked,
received, unmet need) or on the awards whose outcomes were judged (outcomes met, cost per outcome
met). A figure about 1 to 4 pupils is hidden — a count, the money and any percentage alike — and
further figures are hidden (secondary suppression) until no hidden figure can be worked out from
the totals published beside it. The money and outcome figures are hidden exactly where their
pupils' figure is (`apply_pattern`), so the same totals cannot give them away.

The figures are computed once for the whole cluster: one table per academic year of schools ×
areas of need and schools × kinds of provision (linked, so a school's total hidden in one is hidden
in the other), and one set of linked outcome tables (by school, area, kind, year, and school and
year). A school's dashboard, its governors' report and its parents' extract are read from those
same tables, so no view, report or download gives a figure that another one hides.

No service here returns a pupil reference, a request title or any free text from a request, a
review or an impact record: governors and the LA adviser never see pupil-level data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.calendar import (
    AcademicYear,
    OfAcademicYear,
    academic_year_of,
    format_date,
    year_choices,
)
from cluster.common.markdown import escape_markdown, unescape_markdown
from cluster.common.money import format_pounds
from cluster.common.needs import AREA_CHOICES
from cluster.common.provision import PROVISION_KINDS
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.errors import NotAllowed
from cluster.core.permissions import ALL_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import Figure, FigureSet, Relation, at_most, total_of
from cluster.disclosure.joint import CannotProtectError
from cluster.disclosure.joint import protect as protect_jointly
from cluster.disclosure.suppression import (
    HIDDEN_NOTE,
    NOT_PUBLISHED,
    SuppressedTable,
    apply_pattern,
    count_text,
    is_small,
    suppress_linked,
)
from cluster.models import Cluster, Role, School
from cluster.outcomes.dashboard_figures import OutcomeColumn, OutcomeGrid, Protected
from cluster.outcomes.dashboard_figures import protect as protect_outcomes
from cluster.outcomes.impact import AwardFact, load_award_facts

CLUSTER_LABEL = "The cluster"
SUPPRESSION_NOTE = HIDDEN_NOTE
MET, NOT_MET = 0, 1


# --- plain data out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyRow:
    """Money for one school, area of need or kind of provision. None = hidden."""

    label: str
    is_total: bool
    pupils: int | None
    asked_pence: int | None
    received_pence: int | None  # awarded, net of money returned
    unmet_pence: int | None  # asked minus awarded
    share_pct: float | None  # of the money received by the whole group shown


@dataclass(frozen=True)
class OutcomeRow:
    """Outcomes judged for the awards of one school, area, kind or year. None = hidden."""

    label: str
    is_total: bool
    pupils: int | None
    outcomes: int | None
    met: int | None  # met or exceeded
    met_pct: float | None
    spend_pence: int | None  # what those awards cost, net of money returned
    cost_per_met_pence: int | None


@dataclass(frozen=True)
class TrendRow(OfAcademicYear):
    academic_year: int
    pupils: int | None
    received_pence: int | None
    unmet_pence: int | None
    outcomes: int | None
    met: int | None
    met_pct: float | None
    cost_per_met_pence: int | None


@dataclass(frozen=True)
class AreaYearRow(OfAcademicYear):
    academic_year: int
    area: str
    received_pence: int | None
    unmet_pence: int | None


@dataclass(frozen=True)
class Dashboard(OfAcademicYear):
    cluster_id: int
    cluster_name: str
    school_id: int | None  # None: the whole cluster
    scope_label: str
    academic_year: int
    years: tuple[int, ...]
    summary: tuple[str, ...]
    by_school: tuple[MoneyRow, ...]
    by_area: tuple[MoneyRow, ...]
    by_kind: tuple[MoneyRow, ...]
    outcomes_by_kind: tuple[OutcomeRow, ...]
    outcomes_by_area: tuple[OutcomeRow, ...]
    outcomes_by_school: tuple[OutcomeRow, ...]
    trends: tuple[TrendRow, ...]
    area_trends: tuple[AreaYearRow, ...]
    schools: tuple[tuple[int, str], ...]  # the schools this reader may choose
    produced_on: date
    suppressed: bool = True
    note: str = SUPPRESSION_NOTE
    outcome_years: str = ""  # e.g. "2023/24 to 2026/27"
    school_count: int = 0  # schools in the cluster

    @property
    def total(self) -> MoneyRow | None:
        return next((row for row in self.by_school if row.is_total), None)

    @property
    def school_row(self) -> MoneyRow | None:
        return next((row for row in self.by_school if not row.is_total), None) \
            if self.school_id is not None else None

    @property
    def outcomes_total(self) -> OutcomeRow | None:
        """Outcomes for the scope: the school's own row, or the cluster's total."""
        if self.school_id is not None:
            return next((row for row in self.outcomes_by_school if not row.is_total), None)
        return next((row for row in self.outcomes_by_kind if row.is_total), None)


# --- the suppressed tables, computed once per cluster ---------------------------------------------


@dataclass(frozen=True)
class MoneyTable:
    """One year's decided requests, schools × categories (areas or kinds)."""

    categories: tuple[str, ...]
    pupils: SuppressedTable
    asked: SuppressedTable
    received: SuppressedTable
    unmet: SuppressedTable


@dataclass(frozen=True)
class OutcomeTable:
    """Outcomes judged: rows met / not met × columns (schools, areas, kinds or years)."""

    columns: tuple[object, ...]
    pupils: SuppressedTable
    outcomes: SuppressedTable
    spend: tuple[int | None, ...]  # per column, hidden with the column's pupils
    spend_total: int | None


@dataclass(frozen=True)
class ClusterFigures:
    cluster_id: int
    cluster_name: str
    schools: tuple[tuple[int, str], ...]
    years: tuple[int, ...]
    by_area: dict[int, MoneyTable]  # academic year → table
    by_kind: dict[int, MoneyTable]
    outcomes: dict[str, OutcomeTable] = field(default_factory=dict)
    # Each year's money tables as published, with true values: the audit's source only.
    money_figures: dict[int, FigureSet] = field(default_factory=dict)


def _pupils(facts: Iterable[AwardFact]) -> int:
    seen: set[str] = set()
    for fact in facts:
        seen |= fact.pupils
    return len(seen)


def _grouped(facts: Iterable[AwardFact], key: Callable[[AwardFact], object]
             ) -> dict[object, list[AwardFact]]:
    groups: dict[object, list[AwardFact]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return groups


def _money_tables(facts: Sequence[AwardFact], schools: Sequence[int], year: int,
                  hide_grand: bool = False) -> tuple[MoneyTable, MoneyTable, FigureSet]:
    """The year's money tables and their figures for the audit: each school's total, each area of
    need's and each kind of provision's across the cluster, and the year's total. No school's
    money is split by area or kind: those cells are about 1 to 4 pupils almost always (all but
    5 of 600 were hidden on the demo), and what was left shown beside them let the audit narrow
    71 hidden figures down, unmet need to within £1.60 of a single request's."""
    figures = FigureSet()
    _money_figures(figures, facts, schools, year)
    if hide_grand:
        figures.hide([f"{money_name(year, 'all')}/pupils"])
    _protect_money(figures)
    by_school = _grouped(facts, lambda f: f.school_id)

    def table(name: str, categories: tuple[str, ...]) -> MoneyTable:
        groups = _grouped(facts, CATEGORY_OF[name])

        def published(measure: str) -> SuppressedTable:
            amount = MONEY_MEASURES[measure]
            return SuppressedTable(tuple(tuple(None for _ in categories) for _ in schools),
                                   *_money_places(figures, year, name, schools, categories,
                                                  measure, lambda awards: sum(map(amount, awards)),
                                                  by_school, groups, facts))

        pupils = SuppressedTable(tuple(tuple(None for _ in categories) for _ in schools),
                                 *_money_places(figures, year, name, schools, categories,
                                                "pupils", _pupils, by_school, groups, facts))
        return MoneyTable(categories, pupils, *(published(m) for m in MONEY_MEASURES))

    return table("area", CATEGORIES["area"]), table("kind", CATEGORIES["kind"]), figures


CATEGORY_OF: dict[str, Callable[[AwardFact], str]] = {
    "area": lambda f: f.area, "kind": lambda f: f.kind}
CATEGORIES: dict[str, tuple[str, ...]] = {
    "area": tuple(str(a) for a in AREA_CHOICES), "kind": tuple(PROVISION_KINDS)}
MONEY_MEASURES: dict[str, Callable[[AwardFact], int]] = {
    "asked": lambda f: f.asked_pence, "received": lambda f: f.received_pence,
    "unmet": lambda f: f.unmet_pence}


def money_name(year: int, *parts: object) -> str:
    return "/".join(("impact report", str(year), *(str(p) for p in parts)))


def _money_places(figures: FigureSet, year: int, table: str, schools: Sequence[int],
                  categories: Sequence[str], measure: str,
                  value: Callable[[list[AwardFact]], int],
                  by_school: dict[object, list[AwardFact]],
                  groups: dict[object, list[AwardFact]], facts: Sequence[AwardFact]
                  ) -> tuple[tuple[int | None, ...], tuple[int | None, ...], int | None]:
    """A table's school totals, category totals and grand total of `measure` as published
    (None where hidden)."""
    def shown(name: str, awards: list[AwardFact]) -> int | None:
        return value(awards) if figures.is_shown(f"{name}/{measure}") else None

    return (tuple(shown(money_name(year, "school", s), by_school.get(s, [])) for s in schools),
            tuple(shown(money_name(year, table, c), groups.get(c, [])) for c in categories),
            shown(money_name(year, "all"), list(facts)))


def _money_figures(figures: FigureSet, facts: Sequence[AwardFact], schools: Sequence[int],
                   year: int) -> None:
    """Every school's, area's and kind's pupils and money, and the year's, each group of 1 to 4
    pupils hidden with its money; with the sums a reader knows link them."""
    by_school = _grouped(facts, lambda f: f.school_id)
    places = [(money_name(year, "school", s), by_school.get(s, [])) for s in schools]
    for table, category in CATEGORY_OF.items():
        groups = _grouped(facts, category)
        places += [(money_name(year, table, c), groups.get(c, [])) for c in CATEGORIES[table]]
    places.append((money_name(year, "all"), list(facts)))
    for name, awards in places:
        pupils = _pupils(awards)
        figures.add(Figure(f"{name}/pupils", pupils, shown=not is_small(pupils)))
        for measure, amount in MONEY_MEASURES.items():
            figures.add(Figure(f"{name}/{measure}", sum(map(amount, awards)), "money",
                               shown=not is_small(pupils),
                               largest_part=max(map(amount, awards), default=0)))
    _relate_money(figures, year, schools)


def _relate_money(figures: FigureSet, year: int, schools: Sequence[int]) -> None:
    """Money adds up over the schools, the areas and the kinds; so do pupils over the schools
    (a pupil belongs to one school), while a pupil on two awards can be in two areas or kinds:
    those add up to at least the year's pupils, each no more than them."""
    grand = money_name(year, "all")
    rows = [money_name(year, "school", s) for s in schools]
    columns = {table: [money_name(year, table, c) for c in names]
               for table, names in CATEGORIES.items()}
    for measure in MONEY_MEASURES:
        for parts in (rows, *columns.values()):
            figures.relate(total_of(f"{grand}/{measure}", [f"{p}/{measure}" for p in parts]))
    figures.relate(total_of(f"{grand}/pupils", [f"{row}/pupils" for row in rows]))
    for parts in columns.values():
        figures.relate(Relation(((f"{grand}/pupils", -1),
                                 *((f"{p}/pupils", 1) for p in parts)), ">="))
        for part in parts:
            figures.relate(at_most(f"{part}/pupils", f"{grand}/pupils"))


def _protect_money(figures: FigureSet) -> None:
    """Hide more until nothing hidden can be worked out. A group's money goes with its hidden
    count, but an amount may hide on its own (its count shown)."""
    while True:
        try:
            protect_jointly(figures)
        except CannotProtectError:
            figures.hide(list(figures.figures))  # nothing safe can be shown: the year shows none
            return
        with_count = [f"{f.name.removesuffix('/pupils')}/{m}" for f in figures.hidden()
                      if f.name.endswith("/pupils") for m in MONEY_MEASURES]
        newly = [name for name in with_count if figures.is_shown(name)]
        if not newly:
            return
        figures.hide(newly)


@dataclass(frozen=True)
class _Outcomes:
    """The outcomes judged, grouped every way the dashboard shows them, and the hidden places
    chosen over every table at once."""

    judged: list[AwardFact]
    groups: dict[str, dict[object, list[AwardFact]]]
    counts: dict[str, list[list[int]]]  # table → [met, not met] by column
    protected: Protected


def _protected_outcomes(facts: Sequence[AwardFact], columns: dict[str, list[object]],
                        keys: dict[str, Callable[[AwardFact], object]],
                        links: tuple[Sequence[int], Sequence[int]]) -> _Outcomes:
    """Linked tables of outcomes judged, one per way of grouping (they share the met / not met
    totals and the grand total, so a total hidden in one is hidden in all). `links` are the
    schools and years: each school's years add up to its all-years figures, and each year's
    schools to the year's, so the hidden places are chosen over every table at once."""
    judged = [f for f in facts if f.judgements]
    met_pupils = [f for f in judged if f.met]
    other_pupils = [f for f in judged if f.not_met]
    names = list(columns)
    sizes, counts, column_sizes, groups = [], {}, [], {}
    for name in names:
        key, values = keys[name], columns[name]
        every, met, other = (_grouped(judged, key), _grouped(met_pupils, key),
                             _grouped(other_pupils, key))
        groups[name] = every
        sizes.append([[_pupils(met.get(v, [])) for v in values],
                      [_pupils(other.get(v, [])) for v in values]])
        counts[name] = [[sum(f.met for f in every.get(v, [])) for v in values],
                        [sum(f.not_met for f in every.get(v, [])) for v in values]]
        column_sizes.append([_pupils(every.get(v, [])) for v in values])
    # A group of 1 to 4 pupils shows no met / not met split, not even a part that is 0.
    patterns = suppress_linked(sizes, row_sizes=[_pupils(met_pupils), _pupils(other_pupils)],
                               grand_size=_pupils(judged), column_sizes=column_sizes,
                               hide_parts_of_small_columns=True)
    grids = {name: OutcomeGrid(tuple(columns[name]), _outcome_columns(columns[name], groups[name]),
                               pattern) for name, pattern in zip(names, patterns, strict=True)}
    return _Outcomes(judged, groups, counts,
                     protect_outcomes(grids, _outcome_column(judged), *links))


def _outcome_tables(outcomes: _Outcomes, columns: dict[str, list[object]]
                    ) -> dict[str, OutcomeTable]:
    protected, tables = outcomes.protected, {}
    for name, values in columns.items():
        pattern, group = protected.patterns[name], outcomes.groups[name]
        spend = tuple(None if pattern.column_totals[i] is None
                      or f"outcomes/{name}/{v}/spend" in protected.hidden_spend
                      else sum(f.received_pence for f in group.get(v, []))
                      for i, v in enumerate(values))
        hidden_total = (pattern.grand_total is None
                        or "outcomes/all/spend" in protected.hidden_spend)
        counts = SuppressedTable(*apply_pattern(pattern, outcomes.counts[name]))
        tables[name] = OutcomeTable(tuple(values), pattern, counts, spend,
                                    None if hidden_total
                                    else sum(f.received_pence for f in outcomes.judged))
    return tables


def _outcome_column(facts: Sequence[AwardFact]) -> OutcomeColumn:
    met, not_met = sum(f.met for f in facts), sum(f.not_met for f in facts)
    return OutcomeColumn(met, not_met, met + not_met, _pupils(facts),
                         sum(f.received_pence for f in facts),
                         max((f.received_pence for f in facts), default=0),
                         (_pupils(f for f in facts if f.met),
                          _pupils(f for f in facts if f.not_met)))


def _outcome_columns(values: Sequence[object], groups: dict[object, list[AwardFact]]
                     ) -> tuple[OutcomeColumn, ...]:
    return tuple(_outcome_column(groups.get(v, [])) for v in values)


def _outcomes_of(facts: Sequence[AwardFact], school_ids: Sequence[int],
                 years: Sequence[int]) -> tuple[dict[str, list[object]], _Outcomes]:
    """Outcomes by school, area of need, kind of provision, year, and school and year."""
    pairs: list[object] = [(s, y) for s in school_ids for y in years]
    columns: dict[str, list[object]] = {
        "school": list(school_ids), "area": [str(a) for a in AREA_CHOICES],
        "kind": list(PROVISION_KINDS), "year": list(years), "school_year": pairs}
    keys: dict[str, Callable[[AwardFact], object]] = {
        "school": lambda f: f.school_id, "area": lambda f: f.area, "kind": lambda f: f.kind,
        "year": lambda f: f.academic_year,
        "school_year": lambda f: (f.school_id, f.academic_year)}
    return columns, _protected_outcomes([f for f in facts if f.school_id in set(school_ids)],
                                        columns, keys, (school_ids, list(years)))


def cluster_figures(facts: Sequence[AwardFact], cluster_id: int, cluster_name: str,
                    schools: Sequence[tuple[int, str]], years: Sequence[int],
                    hide_year_totals: frozenset[int] = frozenset()) -> ClusterFigures:
    """Every suppressed table for the cluster, from its award facts (pure: no database).
    `hide_year_totals`: years whose money awarded the governors' minutes need hidden."""
    school_ids = [s for s, _ in schools]
    by_area, by_kind, money_figures = {}, {}, {}
    for year in years:
        area, kind, money = _money_tables([f for f in facts if f.academic_year == year],
                                          school_ids, year, hide_grand=year in hide_year_totals)
        by_area[year], by_kind[year], money_figures[year] = area, kind, money
    columns, outcomes = _outcomes_of(facts, school_ids, years)
    return ClusterFigures(cluster_id, cluster_name, tuple(schools), tuple(years), by_area, by_kind,
                          _outcome_tables(outcomes, columns), money_figures)


def load_cluster_figures(session: Session, cluster: Cluster, on: date,
                         hide_year_totals: frozenset[int] = frozenset()) -> ClusterFigures:
    """Every suppressed table for the cluster as its data stands, by the report's own rule (and
    with `hide_year_totals` hidden: see `reporting.impact_report`). Working them out reads every
    award and checks every published table for figures that could be worked back, so the answer
    is remembered until the data next changes."""
    assert cluster.id is not None
    return remembered(session, ("cluster_figures", cluster.id, on, hide_year_totals),
                      lambda: _work_out_cluster_figures(session, cluster, on, hide_year_totals))


def year_total_shown(session: Session, cluster_id: int, academic_year: int) -> bool:
    """Whether the report's own rule shows a year's money awarded (hidden where the year's awards
    are about 1 to 4 pupils), before the governors' minutes ask for more."""
    own = load_cluster_figures(session, session.get_one(Cluster, cluster_id), today())
    money = own.by_area.get(academic_year)
    return money is not None and money.received.grand_total is not None


def _work_out_cluster_figures(session: Session, cluster: Cluster, on: date,
                              hide_year_totals: frozenset[int]) -> ClusterFigures:
    assert cluster.id is not None
    facts, schools, years = _cluster_facts(session, cluster, on)
    return cluster_figures(facts, cluster.id, cluster.name, schools, years, hide_year_totals)


def _cluster_facts(session: Session, cluster: Cluster, on: date
                   ) -> tuple[list[AwardFact], list[tuple[int, str]], list[int]]:
    """The awards up to this year, the schools the dashboard lists (active, or with awards) and
    its years."""
    assert cluster.id is not None
    facts = load_award_facts(session, cluster.id, on)
    active = session.exec(select(School).where(School.cluster_id == cluster.id)
                          .order_by(School.name)).all()
    involved = {f.school_id for f in facts}
    schools = [(s.id or 0, s.name) for s in active if s.active or s.id in involved]
    current = academic_year_of(on).start_year
    years = year_choices((f.academic_year for f in facts if f.academic_year <= current), on)
    return [f for f in facts if f.academic_year <= current], schools, list(years)


# --- rows for a scope (the cluster, or one school) ------------------------------------------------


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return 100 * part / whole


def _money_row(label: str, is_total: bool, pupils: int | None, asked: int | None,
               received: int | None, unmet: int | None, whole: int | None) -> MoneyRow:
    return MoneyRow(label, is_total, pupils, asked, received, unmet, _share(received, whole))


def _is_zero(row: MoneyRow) -> bool:
    """A row whose every figure is shown as zero: leaving it out hides nothing."""
    return row.pupils == 0 and row.asked_pence == 0 and row.received_pence == 0


def money_by_school(table: MoneyTable, schools: Sequence[tuple[int, str]],
                    school_id: int | None) -> tuple[MoneyRow, ...]:
    grand = table.received.grand_total
    rows = [_money_row(name, False, table.pupils.row_totals[i], table.asked.row_totals[i],
                       table.received.row_totals[i], table.unmet.row_totals[i], grand)
            for i, (sid, name) in enumerate(schools) if school_id is None or sid == school_id]
    rows.append(_money_row(CLUSTER_LABEL, True, table.pupils.grand_total, table.asked.grand_total,
                           grand, table.unmet.grand_total, grand))
    return tuple(rows)


def money_by_category(table: MoneyTable) -> tuple[MoneyRow, ...]:
    """The cluster's money by area of need or kind of provision: a school's is not split (see
    `_money_tables`), so a school's governors see the cluster's too."""
    whole = table.received.grand_total
    rows = [_money_row(str(name), False, table.pupils.column_totals[c],
                       table.asked.column_totals[c], table.received.column_totals[c],
                       table.unmet.column_totals[c], whole)
            for c, name in enumerate(table.categories)]
    total = _money_row("All", True, table.pupils.grand_total, table.asked.grand_total, whole,
                       table.unmet.grand_total, whole)
    return tuple(row for row in rows if not _is_zero(row)) + (total,)


def _outcome_row(label: str, is_total: bool, pupils: int | None, outcomes: int | None,
                 met: int | None, spend: int | None) -> OutcomeRow:
    pct = None if met is None or not outcomes else 100 * met / outcomes
    cost = None if spend is None or met is None or met == 0 else round(spend / met)
    return OutcomeRow(label, is_total, pupils, outcomes, met, pct, spend, cost)


def outcome_rows(table: OutcomeTable, labels: Sequence[str], *, only: object | None = None,
                 total_label: str = CLUSTER_LABEL) -> tuple[OutcomeRow, ...]:
    rows = []
    for c, (value, label) in enumerate(zip(table.columns, labels, strict=True)):
        if only is not None and value != only:
            continue
        row = _outcome_row(label, False, table.pupils.column_totals[c],
                           table.outcomes.column_totals[c], table.outcomes.cells[MET][c],
                           table.spend[c])
        if only is None and row.pupils == 0 and row.outcomes == 0:
            continue  # nothing judged here: leaving the row out hides nothing
        rows.append(row)
    rows.append(_outcome_row(total_label, True, table.pupils.grand_total,
                             table.outcomes.grand_total, table.outcomes.row_totals[MET],
                             table.spend_total))
    return tuple(rows)


def _trends(figures: ClusterFigures, school_id: int | None) -> tuple[TrendRow, ...]:
    rows = []
    ids = [sid for sid, _ in figures.schools]
    for year in figures.years:
        table = figures.by_area[year]
        if school_id is None:
            pupils, received, unmet = (table.pupils.grand_total, table.received.grand_total,
                                       table.unmet.grand_total)
            outcomes = figures.outcomes["year"]
            c = list(outcomes.columns).index(year)
        else:
            i = ids.index(school_id)
            pupils, received, unmet = (table.pupils.row_totals[i], table.received.row_totals[i],
                                       table.unmet.row_totals[i])
            outcomes = figures.outcomes["school_year"]
            c = list(outcomes.columns).index((school_id, year))
        judged = outcomes.outcomes.column_totals[c]
        met = outcomes.outcomes.cells[MET][c]
        row = _outcome_row("", False, None, judged, met, outcomes.spend[c])
        rows.append(TrendRow(year, pupils, received, unmet, judged, met,
                             row.met_pct, row.cost_per_met_pence))
    return tuple(rows)


def _area_trends(figures: ClusterFigures) -> tuple[AreaYearRow, ...]:
    """The cluster's money by area, year by year (a school's is not split by area)."""
    rows = []
    for year in figures.years:
        table = figures.by_area[year]
        for c, area in enumerate(table.categories):
            rows.append(AreaYearRow(year, area,
                                    table.received.column_totals[c], table.unmet.column_totals[c]))
    return tuple(rows)


# --- the written summary --------------------------------------------------------------------------


def _money(pence: int | None) -> str:
    return "an amount that is hidden" if pence is None else format_pounds(pence)


def _best(rows: Sequence[OutcomeRow]) -> OutcomeRow | None:
    shown = [r for r in rows if not r.is_total and r.met_pct is not None and r.outcomes]
    return max(shown, key=lambda r: (r.met_pct or 0, r.outcomes or 0)) if shown else None


def written_summary(scope: str, year_label: str, money: MoneyRow | None,
                    areas: Sequence[MoneyRow], outcomes: OutcomeRow | None,
                    kinds: Sequence[OutcomeRow], outcome_years: str) -> tuple[str, ...]:
    """Four or five sentences a governor can read in a minute; hidden figures are said to be."""
    lines = []
    if money is None or money.pupils == 0:
        lines.append(f"In {year_label} no request from {scope} has been decided yet.")
    elif money.pupils is None:
        lines.append(f"In {year_label} the cluster decided requests from {scope}; the number "
                     f"of pupils and the amounts are hidden ({NOT_PUBLISHED}).")
    else:
        lines.append(f"In {year_label} the cluster awarded {_money(money.received_pence)} to "
                     f"{scope} for the support of {money.pupils} pupils; "
                     f"{_money(money.unmet_pence)} of the need asked for was not funded "
                     "(unmet need).")
    top = [a for a in areas if not a.is_total and a.received_pence]
    if top:
        largest = max(top, key=lambda a: a.received_pence or 0)
        hidden = any(a.received_pence is None for a in areas if not a.is_total)
        # The areas are always the cluster's: a school's money is not split (`_money_tables`).
        lines.append(("Across the cluster, of the areas of need whose figures can be shown, "
                      f"{largest.label.lower()} received the most" if hidden else
                      f"Across the cluster, the largest share went to {largest.label.lower()}")
                     + f" ({_money(largest.received_pence)}).")
    if outcomes is None or not outcomes.outcomes:
        lines.append(f"No outcomes have been judged yet for {scope}."
                     if outcomes is None or outcomes.outcomes == 0 else
                     f"Outcomes judged for {scope} are hidden ({NOT_PUBLISHED}).")
    elif outcomes.met is None:
        lines.append(f"{outcomes.outcomes} outcomes were judged ({outcome_years}) for "
                     f"{count_text(outcomes.pupils)} pupils; how many were met is hidden "
                     f"({NOT_PUBLISHED}).")
    else:
        cost = ("" if outcomes.cost_per_met_pence is None else
                f", at {format_pounds(outcomes.cost_per_met_pence)} per outcome met")
        lines.append(f"Of {outcomes.outcomes} outcomes judged when awards ended ({outcome_years})"
                     f", {outcomes.met} ({outcomes.met_pct:.0f}%) were met or exceeded{cost}.")
    best = _best(kinds)
    if best is not None:
        lines.append(f"Among kinds of provision, {best.label.lower()} met the most of its "
                     f"outcomes ({best.met_pct:.0f}% of {best.outcomes}).")
    return tuple(lines)


# --- the services ---------------------------------------------------------------------------------


def school_choices(actor: Actor, schools: Sequence[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """A headteacher, SENCO or a school's governor chooses their own school; the host, the
    cluster's link governor and the LA adviser any school in the cluster."""
    if actor.role in (Role.SCHOOL, Role.GOVERNOR) and actor.school_id is not None:
        return tuple(s for s in schools if s[0] == actor.school_id)
    return tuple(schools)


def _check_school(actor: Actor, schools: Sequence[tuple[int, str]], school_id: int | None) -> None:
    if school_id is None:
        return
    if school_id not in {s for s, _ in school_choices(actor, schools)}:
        raise NotAllowed("You can see your own school's figures and the cluster's only.")


def dashboard_from(figures: ClusterFigures, actor: Actor, academic_year: int,
                   school_id: int | None, on: date) -> Dashboard:
    """The dashboard for the cluster (school_id None) or one school, from the cluster's tables."""
    _check_school(actor, figures.schools, school_id)
    year = academic_year if academic_year in figures.years else figures.years[-1]
    names: dict[object, str] = dict(figures.schools)  # the school table's columns are its ids
    scope = CLUSTER_LABEL.lower() if school_id is None else names[school_id]
    outcome = figures.outcomes
    by_school = money_by_school(figures.by_area[year], figures.schools, school_id)
    by_area = money_by_category(figures.by_area[year])
    by_kind = money_by_category(figures.by_kind[year])
    kinds = outcome_rows(outcome["kind"], list(PROVISION_KINDS))
    areas = outcome_rows(outcome["area"], [str(a) for a in AREA_CHOICES])
    schools = outcome_rows(outcome["school"], [names[s] for s in outcome["school"].columns],
                           only=school_id)
    years = [AcademicYear(y).label for y in figures.years]
    outcome_years = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    money = by_school[0] if school_id is not None else by_school[-1]
    judged = schools[0] if school_id is not None else kinds[-1]
    summary = written_summary(scope if school_id is not None else "the cluster's schools",
                              AcademicYear(year).label, money, by_area, judged, kinds,
                              outcome_years)
    return Dashboard(figures.cluster_id, figures.cluster_name, school_id,
                     "The whole cluster" if school_id is None else names[school_id], year,
                     figures.years, summary, by_school, by_area, by_kind,
                     kinds, areas, schools, _trends(figures, school_id),
                     _area_trends(figures), school_choices(actor, figures.schools), on,
                     outcome_years=outcome_years, school_count=len(figures.schools))


def outcome_audit_figures(engine: Engine, actor: Actor,
                          cluster_id: int | None = None) -> FigureSet:
    """The dashboard's outcome figures as every reader of it sees them, for the disclosure audit
    (the same published tables for the cluster, a school's governors and the LA adviser): each
    with its true value, hidden where the published tables hide it."""
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        on = today()
        return remembered(session, ("outcome_audit_figures", cluster.id, on),
                          lambda: cluster_outcome_figures(*_cluster_facts(session, cluster, on)))


def cluster_outcome_figures(facts: Sequence[AwardFact], schools: Sequence[tuple[int, str]],
                            years: Sequence[int]) -> FigureSet:
    """The outcome figures the dashboard publishes from these facts, chosen the same way."""
    return _outcomes_of(facts, [s for s, _ in schools], years)[1].protected.figures


def money_audit_figures(published: ClusterFigures) -> FigureSet:
    """The report's money tables as published, each figure with its true value, for the
    disclosure audit (the same for every reader)."""
    figures = FigureSet()
    for year in published.years:
        figures.merge(published.money_figures[year])
    return figures


# --- the parents' extract: the school's SEN information report ------------------------------------


@dataclass(frozen=True)
class SenInformationExtract:
    school_name: str
    year_label: str
    markdown: str

    @property
    def plain_text(self) -> str:
        """The same words without Markdown marks, for a website editor that takes plain text."""
        lines = []
        for line in self.markdown.splitlines():
            lines.append(unescape_markdown(line.lstrip("#").strip().replace("**", "")))
        return "\n".join(lines).strip() + "\n"


def _pupils_text(pupils: int | None) -> str:
    return f"{count_text(pupils)} pupils"


def extract_text(board: Dashboard, on: date) -> str:
    """Plain words for parents, from the school's dashboard figures (already suppressed). Names
    the host typed are escaped: the Markdown goes onto school websites, where a renderer may pass
    raw HTML (a name's `<script>`) straight through."""
    assert board.school_id is not None
    school = escape_markdown(board.scope_label)
    cluster_name = escape_markdown(board.cluster_name)
    row = board.school_row
    lines = [f"## Support from the {cluster_name}, {board.year_label}", ""]
    lines.append(f"{school} is one of the {board.school_count} schools in the "
                 f"{cluster_name}, which shares the local authority's "
                 "funding for special educational needs (SEN). Schools ask the cluster for extra "
                 "support for learning; the cluster's headteachers and SENCOs decide together, "
                 "with written reasons, at meetings held each half-term.")
    lines.append("")
    if row is None or row.pupils == 0:
        lines.append(f"By {format_date(on)} the cluster had not yet decided any request from our "
                     f"school in {board.year_label}.")
    elif row.received_pence is None:
        lines.append(f"In {board.year_label} (to {format_date(on)}) the cluster decided requests "
                     "from our school. To protect pupils' privacy we do not publish the number "
                     f"of pupils or the amounts ({NOT_PUBLISHED}).")
    else:
        lines.append(f"In {board.year_label} (to {format_date(on)}) the cluster awarded our school "
                     f"**{format_pounds(row.received_pence)}** of extra support for "
                     f"{_pupils_text(row.pupils)}.")
        if row.unmet_pence:
            lines.append(f"We also asked for {format_pounds(row.unmet_pence)} that the cluster "
                         "could not fund this year; that need is recorded, and we meet it from "
                         "our own budget or ask again.")
    lines += _across_the_cluster(board)
    lines += ["", "### How we checked that it worked", ""]
    lines.append("Every award has agreed outcomes: things a child should be able to do that they "
                 "could not do before. The school reviews progress against each outcome at "
                 "later cluster meetings, where the support can be continued, changed or stopped "
                 "(unspent money goes back to the cluster). When an award ends we record what "
                 "was achieved against each outcome, with the views of the pupil and of their "
                 "parents or carers.")
    outcome = next((r for r in board.outcomes_by_school if not r.is_total), None)
    lines.append("")
    if outcome is None or outcome.outcomes == 0:
        lines.append("No award to our school has ended yet, so there are no results to report.")
    elif outcome.outcomes is None:
        lines.append(f"To protect pupils' privacy we do not publish the results "
                     f"({board.outcome_years}) ({NOT_PUBLISHED}).")
    elif outcome.met is None:
        # The group is shown, so it is not small: it is how many met (or did not) that would be.
        lines.append(f"Results ({board.outcome_years}) concern {_pupils_text(outcome.pupils)} "
                     f"and {outcome.outcomes} outcomes. To protect pupils' privacy we do not "
                     f"publish how many were met ({NOT_PUBLISHED}).")
    else:
        lines.append(f"Since {board.outcome_years.split(' to ')[0]}, {outcome.met} of the "
                     f"{outcome.outcomes} outcomes set for our pupils' cluster-funded support "
                     f"were met or exceeded ({outcome.met_pct:.0f}%).")
    lines += ["", f"*Figures about fewer than 5 pupils are not published, so that no child can "
              f"be identified. Source: {cluster_name} records, {format_date(on)}.*"]
    return "\n".join(lines) + "\n"


def _across_the_cluster(board: Dashboard) -> list[str]:
    """The cluster's money by area and kind: one school's is not split (`_money_tables`)."""
    return ["", "### Across the cluster", "",
            f"To protect pupils' privacy the cluster does not publish one school's support by "
            f"area of need or kind of provision. Across all {board.school_count} schools in "
            f"{board.year_label}:", "", "#### Areas of need supported", "",
            *_category_lines(board.by_area), "", "#### Kinds of support", "",
            *_category_lines(board.by_kind)]


def _category_lines(rows: Sequence[MoneyRow]) -> list[str]:
    shown = [r for r in rows if not r.is_total and r.pupils != 0]
    if not shown:
        return ["- None this year."]
    lines = []
    for row in shown:
        if row.received_pence is None:
            lines.append(f"- {escape_markdown(row.label)}: support for "
                         f"{_pupils_text(row.pupils)} (amount not published)")
        else:
            lines.append(f"- {escape_markdown(row.label)}: {format_pounds(row.received_pence)} "
                         f"({_pupils_text(row.pupils)})")
    return lines
