"""The need taxonomy: the school census's primary-need codes and the SEND Code of Practice's four
broad areas of need they map onto (Code of Practice 2014, §6.28-6.35).

OTH ("other difficulty or disability") and NSA ("SEN support but no specialist assessment of the
type of need") belong to no broad area: they stand apart rather than being forced into one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cluster.core.labelled import LabelledEnum


class Area(StrEnum):
    """The four broad areas, stored by their full names (the words a SENCO uses)."""

    COMMUNICATION = "Communication and interaction"
    COGNITION = "Cognition and learning"
    SEMH = "Social, emotional and mental health"
    SENSORY_PHYSICAL = "Sensory and/or physical"


# Not a broad area: where OTH and NSA pupils (and requests about them) sit.
OTHER_AREA = "Other or not yet assessed"

AREAS: tuple[str, ...] = tuple(Area)
AREA_CHOICES: tuple[str, ...] = (*AREAS, OTHER_AREA)

AREA_SHORT: dict[str, str] = {
    Area.COMMUNICATION: "C&I",
    Area.COGNITION: "C&L",
    Area.SEMH: "SEMH",
    Area.SENSORY_PHYSICAL: "S/P",
    OTHER_AREA: "Other",
}


@dataclass(frozen=True)
class PrimaryNeed:
    code: str
    label: str
    area: str | None  # None for OTH and NSA

    @property
    def choice_label(self) -> str:
        return f"{self.code}: {self.label}"


PRIMARY_NEEDS: dict[str, PrimaryNeed] = {
    need.code: need
    for need in (
        PrimaryNeed("SLCN", "Speech, language and communication needs", Area.COMMUNICATION),
        PrimaryNeed("ASD", "Autistic spectrum disorder", Area.COMMUNICATION),
        PrimaryNeed("SpLD", "Specific learning difficulty", Area.COGNITION),
        PrimaryNeed("MLD", "Moderate learning difficulty", Area.COGNITION),
        PrimaryNeed("SLD", "Severe learning difficulty", Area.COGNITION),
        PrimaryNeed("PMLD", "Profound and multiple learning difficulty", Area.COGNITION),
        PrimaryNeed("SEMH", "Social, emotional and mental health", Area.SEMH),
        PrimaryNeed("HI", "Hearing impairment", Area.SENSORY_PHYSICAL),
        PrimaryNeed("VI", "Visual impairment", Area.SENSORY_PHYSICAL),
        PrimaryNeed("MSI", "Multi-sensory impairment", Area.SENSORY_PHYSICAL),
        PrimaryNeed("PD", "Physical disability", Area.SENSORY_PHYSICAL),
        PrimaryNeed("OTH", "Other difficulty or disability", None),
        PrimaryNeed("NSA", "SEN support but no specialist assessment of type of need", None),
    )
}

PRIMARY_NEED_CODES: tuple[str, ...] = tuple(PRIMARY_NEEDS)


class SenStatus(LabelledEnum):
    SEN_SUPPORT = "sen_support", "SEN support"  # census code K (and pupils under EHC assessment)
    EHC_PLAN = "ehc_plan", "EHC plan"  # census code E


def area_of(code: str) -> str:
    """The broad area a census primary-need code belongs to; OTH and NSA give `OTHER_AREA`."""
    need = PRIMARY_NEEDS.get(code)
    if need is None:
        raise ValueError(f"{code!r} is not a school census primary-need code")
    return need.area or OTHER_AREA


def is_primary_need(code: str) -> bool:
    return code in PRIMARY_NEEDS


def main_area_of(codes: list[str] | tuple[str, ...]) -> str | None:
    """The area most of the pupils' primary needs fall in (first listed wins a tie)."""
    counts: dict[str, int] = {}
    for code in codes:
        if is_primary_need(code):
            area = area_of(code)
            counts[area] = counts.get(area, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda area: counts[area])
