"""Pupils on roll × a per-pupil rate + a fixed sum per school, then the cluster's own lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cluster.common.glossary import label as glossary_label
from cluster.common.money import odd_pence, percent_of


@dataclass(frozen=True)
class SchoolShare:
    school_name: str
    pupils: int
    formula_pence: int


@dataclass(frozen=True)
class PotLine:
    label: str
    pence: int  # signed: deductions are negative


@dataclass(frozen=True)
class PotBreakdown:
    shares: tuple[SchoolShare, ...]
    lines: tuple[PotLine, ...]
    reserve_pence: int
    available_pence: int  # the extra income lines included
    income_pence: int = 0  # extra income lines: they join named rounds' releases on their own

    @property
    def formula_pence(self) -> int:
        return sum(share.formula_pence for share in self.shares)

    @property
    def plannable_pence(self) -> int:
        """What the host's release plan shares out: available, less the extra income, which
        joins the rounds its lines name."""
        return self.available_pence - self.income_pence


def build_pot(
    *,
    schools: Sequence[tuple[str, int]],
    per_pupil_rate_pence: int,
    fixed_sum_pence: int,
    carried_forward_pence: int,
    psf_redistributed_pence: int,
    top_slices: Sequence[tuple[str, int]],
    reserve_percent: float,
    income: Sequence[tuple[str, int]] = (),
) -> PotBreakdown:
    """Each step is its own line; the reserve is a percentage of what is left after top-slices,
    plus any odd pence, so the money available for new awards is whole pounds. Extra income
    (delegated learning support, say) comes after the reserve: it is given for support, and is
    released in whole at the rounds it joins."""
    if per_pupil_rate_pence < 0 or fixed_sum_pence < 0:
        raise ValueError("Rates cannot be negative")
    if not 0 <= reserve_percent <= 100:
        raise ValueError("The reserve must be between 0% and 100%")
    shares = tuple(
        SchoolShare(name, pupils, pupils * per_pupil_rate_pence + fixed_sum_pence)
        for name, pupils in schools
    )
    formula = sum(share.formula_pence for share in shares)
    lines = [
        PotLine("LA formula (pupils × rate + fixed sum per school)", formula),
        PotLine(glossary_label("carried_forward"), carried_forward_pence),
        PotLine("Share of pupil-tied funding the LA re-distributed", psf_redistributed_pence),
    ]
    lines += [PotLine(f"Top-slice: {label}", -pence) for label, pence in top_slices]
    before_reserve = sum(line.pence for line in lines)
    reserve = max(0, percent_of(before_reserve, reserve_percent))
    # Awards are whole pounds, so the odd pence stay in the reserve rather than look awardable.
    reserve += odd_pence(before_reserve - reserve)
    lines.append(PotLine(glossary_label("emergency_reserve_percent",
                                        percent=f"{reserve_percent:g}"), -reserve))
    lines += [PotLine(glossary_label("extra_income", source=source), pence)
              for source, pence in income]
    extra = sum(pence for _, pence in income)
    return PotBreakdown(shares, tuple(lines), reserve, before_reserve - reserve + extra, extra)
