"""The costed provision map: support costed from the cluster's staff rate table, plus items.

A staff line costs minutes a week × weeks × the grade's hourly rate. When the sessions are shared by
a group, the request pays only for its own pupils' share: the session cost ÷ the group size × the
pupils this request pays for (one for an individual request; the group request's pupils in that
group; the whole session for a project, which buys capacity rather than a place). Each line is
rounded to the penny on its own and the amount asked is the sum of the rounded lines, so the lines
always add up to the amount asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cluster.common.money import format_pounds

DEFAULT_WEEKS = 38  # the weeks of a school year a pupil is taught
MAX_MINUTES_PER_WEEK = 32 * 60  # a whole school week
MAX_GROUP_SIZE = 30
MAX_WEEKS = 52


@dataclass(frozen=True)
class StaffRate:
    grade: str
    pence_per_hour: int
    is_senco_time: bool = False  # SENCO time is flagged: Code of Practice 2001 §5:35


# Used until the host sets the year's own table. The TA figure is the (about £17.20 an hour
# with on-costs); the others are typical hourly costs with on-costs, for illustration only.
DEFAULT_STAFF_RATES: tuple[StaffRate, ...] = (
    StaffRate("Teaching assistant (TA)", 1_720),
    StaffRate("Higher level teaching assistant (HLTA)", 2_010),
    StaffRate("Teacher", 3_850),
    StaffRate("Specialist teacher", 4_600),
    StaffRate("Speech and language therapist", 5_500),
    StaffRate("Educational psychologist", 9_500),
    StaffRate("SENCO", 4_200, is_senco_time=True),
)


@dataclass(frozen=True)
class StaffLine:
    """Support from a member of staff, as the form collects it."""

    grade: str
    minutes_per_week: int
    group_size: int = 1
    weeks: int = DEFAULT_WEEKS
    outcome: int | None = None  # the outcome's position (1-3) it serves


@dataclass(frozen=True)
class ItemLine:
    """Something bought: resources, training, an assessment."""

    description: str
    cost_pence: int
    outcome: int | None = None


@dataclass(frozen=True)
class CostedLine:
    label: str
    cost_pence: int
    outcome: int | None
    staff_grade: str | None = None
    minutes_per_week: int = 0
    group_size: int = 1
    weeks: int = DEFAULT_WEEKS
    rate_pence_per_hour: int = 0
    pupils_paid_for: int = 1
    item_description: str | None = None
    is_senco_time: bool = False


@dataclass(frozen=True)
class ProvisionMap:
    lines: tuple[CostedLine, ...]

    @property
    def total_pence(self) -> int:
        return sum(line.cost_pence for line in self.lines)

    @property
    def senco_lines(self) -> tuple[CostedLine, ...]:
        return tuple(line for line in self.lines if line.is_senco_time)


def staff_cost_pence(rate_pence_per_hour: int, minutes_per_week: int, weeks: int,
                     group_size: int = 1, pupils_paid_for: int = 1) -> int:
    """rate × minutes/60 × weeks × pupils/group size, rounded half up to the penny, in integers
    so no float error creeps into money."""
    if group_size < 1:
        raise ValueError("The group size must be at least 1")
    numerator = rate_pence_per_hour * minutes_per_week * weeks * min(pupils_paid_for, group_size)
    denominator = 60 * group_size
    return (2 * numerator + denominator) // (2 * denominator)


def rate_table(rates: Sequence[StaffRate]) -> dict[str, StaffRate]:
    return {rate.grade: rate for rate in rates}


def cost_provision(staff: Sequence[StaffLine], items: Sequence[ItemLine],
                   rates: Mapping[str, StaffRate], pupils_paid_for: int | None = 1) -> ProvisionMap:
    """Costs every line. `pupils_paid_for=None` pays for the whole session (projects).
    Lines with a grade missing from the rate table, or no one in the group, are skipped: the checks
    name them."""
    lines: list[CostedLine] = []
    for line in staff:
        rate = rates.get(line.grade)
        if rate is None or line.group_size < 1:  # the checks name both
            continue
        paid_for = line.group_size if pupils_paid_for is None else max(1, pupils_paid_for)
        cost = staff_cost_pence(rate.pence_per_hour, line.minutes_per_week, line.weeks,
                                line.group_size, paid_for)
        lines.append(CostedLine(
            label=staff_label(line, rate, min(paid_for, line.group_size)), cost_pence=cost,
            outcome=line.outcome, staff_grade=line.grade, minutes_per_week=line.minutes_per_week,
            group_size=line.group_size, weeks=line.weeks, rate_pence_per_hour=rate.pence_per_hour,
            pupils_paid_for=min(paid_for, line.group_size), is_senco_time=rate.is_senco_time))
    for item in items:
        lines.append(CostedLine(label=item.description, cost_pence=item.cost_pence,
                                outcome=item.outcome, item_description=item.description,
                                pupils_paid_for=0))
    return ProvisionMap(tuple(lines))


def staff_label(line: StaffLine, rate: StaffRate, paid_for: int) -> str:
    share = ""
    if line.group_size > 1:
        share = (" (whole group)" if paid_for == line.group_size
                 else f" ÷ group of {line.group_size}" + (f" × {paid_for}" if paid_for > 1 else ""))
    return (f"{rate.grade}: {line.minutes_per_week} min a week × {line.weeks} weeks at "
            f"{format_pounds(rate.pence_per_hour)}/h{share}")


def places_paid_for(rate_pence_per_hour: int, minutes_per_week: int, weeks: int, group_size: int,
                    cost_pence: int) -> int:
    """Works back from a stored staff line how many places in the group it paid for."""
    for paid_for in range(1, max(1, group_size) + 1):
        if staff_cost_pence(rate_pence_per_hour, minutes_per_week, weeks, group_size,
                            paid_for) == cost_pence:
            return paid_for
    return 1


def pupils_paid_for(kind: str, pupils: int) -> int | None:
    """How many places in a shared session a request pays for: a project pays for the whole
    session (None), a group request for its pupils, anything else for one pupil."""
    if kind == "project":
        return None
    if kind == "group":
        return max(1, pupils)
    return 1
