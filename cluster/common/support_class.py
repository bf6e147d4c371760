"""From "hours" to needs-led support (FAQ 20-21): the class of support an award buys.

The FAQ's opportunity is a move from hours of support tied to one pupil towards needs-led early
intervention and capacity building across the cluster; its risk is that clusters "simply
distribute hours of support". Each award is put in one of five classes from its kind of provision
(cluster/common/provision.py) by the one rule below; the host may correct one award's class
(Award.support_class), and a correction always wins.
"""

from __future__ import annotations

from cluster.common import provision

INDIVIDUAL_HOURS = "Individual hours"
GROUP_INTERVENTION = "Group intervention"
EARLY_INTERVENTION = "Early intervention"
CAPACITY_BUILDING = "Capacity building and training"
EQUIPMENT = "Equipment"

SUPPORT_CLASSES: tuple[str, ...] = (
    INDIVIDUAL_HOURS, GROUP_INTERVENTION, EARLY_INTERVENTION, CAPACITY_BUILDING, EQUIPMENT)

# The FAQ's aim, in one line, shown beside every chart of these classes.
FAQ_AIM = ("The FAQ's aim: from hours of support to needs-led early intervention and capacity "
           "building.")

# The one rule from kind of provision to class. Hours of an adult with one pupil (a teaching
# assistant, a key adult, a mentor, a specialist's or therapist's sessions) are individual hours;
# speech and language programmes, nurture and specialist assessment and advice act early on an
# emerging need; training and shared capacity build the workforce.
CLASS_OF_KIND: dict[str, str] = {
    provision.ONE_TO_ONE: INDIVIDUAL_HOURS,
    provision.KEY_ADULT: INDIVIDUAL_HOURS,
    provision.MENTORING: INDIVIDUAL_HOURS,
    provision.SPECIALIST_TEACHING: INDIVIDUAL_HOURS,
    provision.THERAPY: INDIVIDUAL_HOURS,
    provision.SENSORY: INDIVIDUAL_HOURS,
    provision.OTHER: INDIVIDUAL_HOURS,
    provision.SMALL_GROUP: GROUP_INTERVENTION,
    provision.SPEECH_AND_LANGUAGE: EARLY_INTERVENTION,
    provision.NURTURE: EARLY_INTERVENTION,
    provision.ASSESSMENT: EARLY_INTERVENTION,
    provision.TRAINING: CAPACITY_BUILDING,
    provision.EQUIPMENT: EQUIPMENT,
}


def support_class_of(provision_kind: str, corrected: str = "") -> str:
    """The award's class: the host's correction when there is one, else the kind's class."""
    if corrected in SUPPORT_CLASSES:
        return corrected
    return CLASS_OF_KIND.get(provision_kind, INDIVIDUAL_HOURS)
