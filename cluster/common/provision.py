"""Kinds of provision: one short list the whole cluster uses, so that "which kinds of support met
their outcomes, and at what cost" compares like with like across schools and years.

A request may name its kind (SupportRequest.provision_kind). When it does not, the kind is worked
out from what the request buys: a project buys training or shared capacity; otherwise the costed
line that takes most of the money says who delivers the support (a specialist teacher, a therapist,
a teaching assistant with one pupil or with a group) or that it is equipment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cluster.models import RequestKind

ONE_TO_ONE = "One-to-one adult support"
SMALL_GROUP = "Small-group intervention"
SPECIALIST_TEACHING = "Specialist teaching"
SPEECH_AND_LANGUAGE = "Speech and language programme"
THERAPY = "Therapy programme (OT or physiotherapy)"
NURTURE = "Nurture and emotional support"
MENTORING = "Mentoring and attendance support"
KEY_ADULT = "Key adult and structured times"
SENSORY = "Sensory support"
EQUIPMENT = "Equipment and resources"
TRAINING = "Training and shared capacity"
ASSESSMENT = "Specialist assessment and advice"
OTHER = "Other support"

PROVISION_KINDS: tuple[str, ...] = (
    ONE_TO_ONE, SMALL_GROUP, SPECIALIST_TEACHING, SPEECH_AND_LANGUAGE, THERAPY, NURTURE,
    MENTORING, KEY_ADULT, SENSORY, EQUIPMENT, TRAINING, ASSESSMENT, OTHER,
)


@dataclass(frozen=True)
class CostShape:
    """What one costed line says about the support (no pupil detail)."""

    cost_pence: int
    staff_grade: str | None
    group_size: int = 1


def provision_kind_of(stored: str, request_kind: str, lines: Sequence[CostShape]) -> str:
    """The request's kind of provision: the one it names, else worked out from what it buys."""
    if stored in PROVISION_KINDS:
        return stored
    if request_kind == RequestKind.PROJECT:
        return TRAINING
    if not lines:
        return OTHER
    main = max(lines, key=lambda line: line.cost_pence)
    if not main.staff_grade:
        return EQUIPMENT
    grade = main.staff_grade.lower()
    if "speech" in grade:
        return SPEECH_AND_LANGUAGE
    if "psycholog" in grade:
        return ASSESSMENT
    if "therap" in grade:
        return THERAPY
    if "specialist" in grade:
        return SPECIALIST_TEACHING
    return SMALL_GROUP if main.group_size > 1 else ONE_TO_ONE
