"""The need score: one number on a 0-10 scale per request, with every part shown, from the need
matrix the cluster agrees at its first meeting of the year (the host edits it; each year keeps its
own). The optimiser reads `SupportRequest.need_score`; a headteacher reads the parts.

Default matrix (10 points in all; the host can change every figure):

- severity, up to 4: the band (0-4) the school chose for the main area, from the descriptors,
  ÷ 4 × 4.
- area of need, 1 for each broad area, 0.5 for "other": lets a cluster weight this year's priority
  area.
- SEN status, EHC plan 1.5, EHC needs assessment requested 1, SEN support 0.5: averaged over the
  pupils.
- pupils helped, up to 1: 0 for one pupil, rising evenly to 1 at 6 or more.
- graduated approach, 0.5 a review cycle up to 2 cycles, + 0.5 for a dated specialist assessment in
  the rules' window: sudden medical needs and first-year-of-school requests get the cycle points:
  nobody can run cycles before a need arises.
- school context, up to 1: 0.5 when the school's SEN prevalence equals the cluster's; +0.5 per half
  again above it, down to 0 at half of it.

Optional band table (Southend style): each area's band 0-4 adds up to 0-16, and a grid of thresholds
gives a band and its typical £ value, shown beside the amount asked. Off until the host sets it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from cluster.common.needs import AREA_CHOICES, AREAS, OTHER_AREA, SenStatus
from cluster.models import RequestKind, SupportRequest

SEVERITY_BANDS = 5  # 0 (no need in this area) to 4 (severe)

DEFAULT_DESCRIPTORS: dict[str, tuple[str, ...]] = {
    "Communication and interaction": (
        "No additional need in this area",
        "Mild: some difficulty; met by quality-first teaching with small adjustments",
        "Moderate: needs regular targeted support to understand, talk or join in",
        "Significant: daily specialist-informed support; difficulty persists across settings",
        "Severe: cannot communicate or take part without intensive individual support",
    ),
    "Cognition and learning": (
        "No additional need in this area",
        "Mild: slightly behind; catches up with adjusted teaching",
        "Moderate: well below age-related expectations despite targeted intervention",
        "Significant: far below expectations; needs a personalised curriculum much of the day",
        "Severe: needs a highly individual curriculum and adult support for most learning",
    ),
    "Social, emotional and mental health": (
        "No additional need in this area",
        "Mild: occasional difficulty; responds to whole-class strategies",
        "Moderate: regular dysregulation or anxiety affecting learning; targeted support needed",
        "Significant: frequent crises, risk of suspension or non-attendance; daily support",
        "Severe: safety or placement at risk without intensive individual support",
    ),
    "Sensory and/or physical": (
        "No additional need in this area",
        "Mild: manages with equipment or small adjustments",
        "Moderate: needs regular adult support or specialist advice to access lessons",
        "Significant: needs daily specialist programmes or adult support for access and care",
        "Severe: needs continuous adult support for access, mobility or personal care",
    ),
    OTHER_AREA: (
        "No additional need",
        "Mild",
        "Moderate",
        "Significant",
        "Severe",
    ),
}


@dataclass(frozen=True)
class Band:
    label: str
    from_points: int  # the band applies from this total of area bands (0-16) upwards
    typical_pence: int


# The Southend-style example a host can adopt; illustrative values, not Southend's own.
EXAMPLE_BANDS: tuple[Band, ...] = (
    Band("Band 1", 1, 150_000),
    Band("Band 2", 4, 300_000),
    Band("Band 3", 7, 600_000),
    Band("Band 4", 10, 900_000),
    Band("Band 5", 13, 1_200_000),
)


def _default_area_points() -> dict[str, float]:
    return {**{area: 1.0 for area in AREAS}, OTHER_AREA: 0.5}


def _default_status_points() -> dict[str, float]:
    return {SenStatus.EHC_PLAN: 1.5, "assessment_requested": 1.0, SenStatus.SEN_SUPPORT: 0.5}


@dataclass(frozen=True)
class NeedMatrix:
    severity_points: float = 4.0
    area_points: Mapping[str, float] = field(default_factory=_default_area_points)
    sen_status_points: Mapping[str, float] = field(default_factory=_default_status_points)
    pupils_points: float = 1.0
    pupils_for_full_points: int = 6
    points_per_review_cycle: float = 0.5
    review_cycles_for_full_points: int = 2
    assessment_points: float = 0.5
    context_points: float = 1.0
    descriptors: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_DESCRIPTORS))
    bands: tuple[Band, ...] = ()

    @property
    def maximum(self) -> float:
        return round(self.severity_points + max(self.area_points.values(), default=0)
                     + max(self.sen_status_points.values(), default=0) + self.pupils_points
                     + self.points_per_review_cycle * self.review_cycles_for_full_points
                     + self.assessment_points + self.context_points, 2)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["area_points"] = dict(self.area_points)
        data["sen_status_points"] = dict(self.sen_status_points)
        data["descriptors"] = {area: list(words) for area, words in self.descriptors.items()}
        data["bands"] = [{"label": b.label, "from_points": b.from_points,
                          "typical_pence": b.typical_pence} for b in self.bands]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> NeedMatrix:
        """Missing keys take the defaults, so a matrix saved by an older version still loads."""
        default = cls()
        if not data:
            return default
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            if f.name == "bands":
                values["bands"] = tuple(Band(str(b["label"]), int(b["from_points"]),
                                             int(b["typical_pence"])) for b in data["bands"])
            elif f.name == "descriptors":
                values["descriptors"] = {**default.descriptors,
                                         **{a: tuple(w) for a, w in data["descriptors"].items()}}
            elif f.name in ("area_points", "sen_status_points"):
                values[f.name] = {**getattr(default, f.name),
                                  **{k: float(v) for k, v in data[f.name].items()}}
            elif f.name in ("pupils_for_full_points", "review_cycles_for_full_points"):
                values[f.name] = int(data[f.name])
            else:
                values[f.name] = float(data[f.name])
        return cls(**values)


def matrix_problems(matrix: NeedMatrix) -> list[tuple[str, str]]:
    """(field, problem) for every figure a host could get wrong."""
    problems: list[tuple[str, str]] = []
    for name in ("severity_points", "pupils_points", "points_per_review_cycle",
                 "assessment_points", "context_points"):
        if not 0 <= getattr(matrix, name) <= 10:
            problems.append((name.replace("_", " ").capitalize(), "must be between 0 and 10"))
    for label, points in (*matrix.area_points.items(), *matrix.sen_status_points.items()):
        if not 0 <= points <= 10:
            problems.append((f"Points for {label}", "must be between 0 and 10"))
    if matrix.pupils_for_full_points < 2:
        problems.append(("Pupils for full points", "must be 2 or more"))
    if matrix.review_cycles_for_full_points < 1:
        problems.append(("Review cycles for full points", "must be 1 or more"))
    for area in AREA_CHOICES:
        if len(matrix.descriptors.get(area, ())) != SEVERITY_BANDS:
            problems.append((f"Descriptors for {area}",
                             f"need exactly {SEVERITY_BANDS} (bands 0-4)"))
    starts = [band.from_points for band in matrix.bands]
    if starts != sorted(set(starts)):
        problems.append(("Band table", "each band must start above the one before"))
    if any(not 0 <= s <= 4 * len(AREAS) for s in starts):
        problems.append(("Band table", f"bands start between 0 and {4 * len(AREAS)} points"))
    if any(band.typical_pence < 0 for band in matrix.bands):
        problems.append(("Band table", "a typical value cannot be negative"))
    if not 0 < matrix.maximum <= 20:
        problems.append(("Need matrix", "the points must add up to more than 0 and at most 20"))
    return problems


@dataclass(frozen=True)
class PupilStatus:
    sen_status: str
    assessment_requested: bool = False


@dataclass(frozen=True)
class NeedInputs:
    kind: str
    main_area: str
    severity: Mapping[str, int]  # area -> band 0-4
    pupils: Sequence[PupilStatus]
    pupils_helped: int
    review_cycles: int
    recent_assessment: bool
    school_prevalence: float | None
    cluster_prevalence: float | None


@dataclass(frozen=True)
class ScorePart:
    part: str
    points: float
    out_of: float
    why: str


@dataclass(frozen=True)
class BandResult:
    label: str
    typical_pence: int
    area_total: int


@dataclass(frozen=True)
class NeedScore:
    total: float
    out_of: float
    parts: tuple[ScorePart, ...]
    band: BandResult | None

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "out_of": self.out_of,
            "parts": [{"part": p.part, "points": p.points, "out_of": p.out_of, "why": p.why}
                      for p in self.parts],
            "band": None if self.band is None else {"label": self.band.label,
                                                    "typical_pence": self.band.typical_pence,
                                                    "area_total": self.band.area_total},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> NeedScore | None:
        if not data or "parts" not in data:
            return None
        band = data.get("band")
        return cls(float(data["total"]), float(data["out_of"]),
                   tuple(ScorePart(str(p["part"]), float(p["points"]), float(p["out_of"]),
                                   str(p["why"])) for p in data["parts"]),
                   None if not band else BandResult(str(band["label"]), int(band["typical_pence"]),
                                                    int(band["area_total"])))



def score_text(total: float | None, missing: str = "—") -> str:
    """A need score as every screen and paper shows it: to one decimal place, as it is worked out
    ("6.0", not "6" beside "6.6"), or `missing` when the request has no score."""
    return missing if total is None else f"{total:.1f}"

def need_band(request: SupportRequest) -> str | None:
    """The request's need score band in words, where its stored score has one."""
    stored = NeedScore.from_json(request.need_score_parts)
    return stored.band.label if stored and stored.band else None

SUDDEN_KINDS = frozenset({RequestKind.MEDICAL, RequestKind.FIRST_YEAR})


def score(inputs: NeedInputs, matrix: NeedMatrix) -> NeedScore:
    """The score and its parts; pure, so the optimiser's tests and the host's what-ifs can call
    it."""
    parts = (
        _severity(inputs, matrix),
        _area(inputs, matrix),
        _sen_status(inputs, matrix),
        _pupils_helped(inputs, matrix),
        _graduated_approach(inputs, matrix),
        _school_context(inputs, matrix),
    )
    total = round(sum(part.points for part in parts), 1)
    return NeedScore(total, matrix.maximum, parts, band_for(inputs.severity, matrix))


def band_for(severity: Mapping[str, int], matrix: NeedMatrix) -> BandResult | None:
    if not matrix.bands:
        return None
    area_total = sum(max(0, min(4, severity.get(area, 0))) for area in AREAS)
    chosen = None
    for band in sorted(matrix.bands, key=lambda b: b.from_points):
        if area_total >= band.from_points:
            chosen = band
    if chosen is None:
        return BandResult("Below the first band", 0, area_total)
    return BandResult(chosen.label, chosen.typical_pence, area_total)


def _severity(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    band = max(0, min(4, inputs.severity.get(inputs.main_area, 0)))
    descriptors = matrix.descriptors.get(inputs.main_area, DEFAULT_DESCRIPTORS[OTHER_AREA])
    points = round(matrix.severity_points * band / 4, 2)
    return ScorePart("Severity", points, matrix.severity_points,
                     f"{inputs.main_area}: band {band} of 4, \"{descriptors[band]}\"")


def _area(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    points = matrix.area_points.get(inputs.main_area, 0.0)
    return ScorePart("Area of need", round(points, 2), max(matrix.area_points.values(), default=0),
                     f"the cluster's weight for {inputs.main_area} this year")


def _sen_status(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    weights = matrix.sen_status_points
    out_of = max(weights.values(), default=0)
    if not inputs.pupils:
        points = weights.get(SenStatus.SEN_SUPPORT, 0.0)
        return ScorePart("SEN status", round(points, 2), out_of,
                         "no named pupils: scored at the SEN support level")
    each = [weights.get(SenStatus.EHC_PLAN, 0.0) if p.sen_status == SenStatus.EHC_PLAN
            else weights.get("assessment_requested", 0.0) if p.assessment_requested
            else weights.get(SenStatus.SEN_SUPPORT, 0.0) for p in inputs.pupils]
    plans = sum(1 for p in inputs.pupils if p.sen_status == SenStatus.EHC_PLAN)
    asked = sum(1 for p in inputs.pupils if p.sen_status != SenStatus.EHC_PLAN
                and p.assessment_requested)
    why = (f"{plans} with an EHC plan, {asked} with an EHC needs assessment requested, "
           f"{len(each) - plans - asked} at SEN support (averaged over {len(each)} pupil"
           f"{'s' if len(each) != 1 else ''})")
    return ScorePart("SEN status", round(sum(each) / len(each), 2), out_of, why)


def _pupils_helped(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    helped = max(1, inputs.pupils_helped)
    share = min(1.0, (helped - 1) / (matrix.pupils_for_full_points - 1))
    return ScorePart("Pupils helped", round(matrix.pupils_points * share, 2), matrix.pupils_points,
                     f"{helped} pupil{'s' if helped != 1 else ''}; full points from "
                     f"{matrix.pupils_for_full_points}")


def _graduated_approach(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    full_cycles = matrix.review_cycles_for_full_points
    out_of = matrix.points_per_review_cycle * full_cycles + matrix.assessment_points
    if inputs.kind in SUDDEN_KINDS:
        cycles, cycle_why = full_cycles, "review cycles not expected for a sudden need"
    else:
        cycles = max(0, min(inputs.review_cycles, full_cycles))
        cycle_why = (f"{inputs.review_cycles} assess-plan-do-review cycle"
                     f"{'s' if inputs.review_cycles != 1 else ''}")
    points = matrix.points_per_review_cycle * cycles
    if inputs.recent_assessment:
        points += matrix.assessment_points
    why = cycle_why + ("; a recent dated specialist assessment" if inputs.recent_assessment
                       else "; no recent specialist assessment")
    return ScorePart("Graduated approach", round(points, 2), round(out_of, 2), why)


def _school_context(inputs: NeedInputs, matrix: NeedMatrix) -> ScorePart:
    school, cluster = inputs.school_prevalence, inputs.cluster_prevalence
    if school is None or not cluster:
        return ScorePart("School context", round(matrix.context_points / 2, 2),
                         matrix.context_points, "no census figures: scored as the cluster average")
    ratio = school / cluster
    share = max(0.0, min(1.0, 0.5 + (ratio - 1)))
    return ScorePart("School context", round(matrix.context_points * share, 2),
                     matrix.context_points,
                     f"SEN prevalence {school:.1%} against the cluster's {cluster:.1%}")
