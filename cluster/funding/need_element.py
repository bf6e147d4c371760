"""A need element in the cluster formula (Norfolk's FAQ question 22): what if the LA paid a rate per
SEN-support pupil and per EHC plan, from the same total?

Pure arithmetic. The total stays exactly the same: the need element is taken off the top, and the
rest is shared in proportion to today's formula (pupils × rate + a fixed sum per school), so every
unit keeps the same fraction of the non-need money. A unit's change is therefore
need element × (its share of the need element − its share of today's formula): money moves towards
the clusters (or schools) whose share of SEN pupils is larger than their share of the formula.
Pence are shared by the largest remainder, so the figures add up to the penny.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from cluster.common.money import format_pounds


@dataclass(frozen=True)
class FormulaUnit:
    """A cluster (or a school) as the formula sees it."""

    name: str
    formula_pence: int
    sen_support: int
    ehc_plan: int


@dataclass(frozen=True)
class ScenarioRow:
    name: str
    now_pence: int
    need_part_pence: int
    formula_part_pence: int

    @property
    def proposed_pence(self) -> int:
        return self.need_part_pence + self.formula_part_pence

    @property
    def change_pence(self) -> int:
        return self.proposed_pence - self.now_pence


@dataclass(frozen=True)
class Scenario:
    rows: tuple[ScenarioRow, ...]
    support_rate_pence: int
    ehc_rate_pence: int

    @property
    def total_pence(self) -> int:
        return sum(row.now_pence for row in self.rows)

    @property
    def need_element_pence(self) -> int:
        return sum(row.need_part_pence for row in self.rows)

    @property
    def moved_pence(self) -> int:
        """Money that changes hands: the sum of the gains (equal to the sum of the losses)."""
        return sum(row.change_pence for row in self.rows if row.change_pence > 0)


class NeedElementTooLarge(ValueError):  # noqa: N818 - named for what the person is told, as views and tests import it
    pass


def need_element_scenario(units: Sequence[FormulaUnit], support_rate_pence: int,
                          ehc_rate_pence: int) -> Scenario:
    if support_rate_pence < 0 or ehc_rate_pence < 0:
        raise ValueError("The rates cannot be negative")
    total = sum(unit.formula_pence for unit in units)
    need = [unit.sen_support * support_rate_pence + unit.ehc_plan * ehc_rate_pence
            for unit in units]
    need_total = sum(need)
    if need_total > total:
        raise NeedElementTooLarge(
            f"At these rates the need element would be {format_pounds(need_total)}, more than "
            f"the {format_pounds(total)} there is: lower the rates")
    rest = total - need_total
    exact = [Fraction(unit.formula_pence * rest, total) if total else Fraction(0)
             for unit in units]
    floors = [int(share) for share in exact]  # non-negative, so int() is the floor
    spare = rest - sum(floors)
    by_remainder = sorted(range(len(units)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:spare]:
        floors[i] += 1
    rows = tuple(ScenarioRow(unit.name, unit.formula_pence, need[i], floors[i])
                 for i, unit in enumerate(units))
    return Scenario(rows, support_rate_pence, ehc_rate_pence)
