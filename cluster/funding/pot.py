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
    available_pence: int

    @property
    def formula_pence(self) -> int:
        return sum(share.formula_pence for share in self.shares)


def build_pot(
    *,
    schools: Sequence[tuple[str, int]],
    per_pupil_rate_pence: int,
    fixed_sum_pence: int,
    carried_forward_pence: int,
    psf_redistributed_pence: int,
    top_slices: Sequence[tuple[str, int]],
    reserve_percent: float,
) -> PotBreakdown:
    """Each step is its own line; the reserve is a percentage of what is left after top-slices,
    plus any odd pence, so the money available for new awards is whole pounds."""
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
    return PotBreakdown(shares, tuple(lines), reserve, before_reserve - reserve)
