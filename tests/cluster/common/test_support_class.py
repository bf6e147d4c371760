"""The one rule from kind of provision to class of support, and the host's correction winning."""

from __future__ import annotations

from cluster.common.provision import (
    ONE_TO_ONE,
    PROVISION_KINDS,
    SMALL_GROUP,
    SPEECH_AND_LANGUAGE,
    TRAINING,
)
from cluster.common.support_class import (
    CAPACITY_BUILDING,
    CLASS_OF_KIND,
    EARLY_INTERVENTION,
    EQUIPMENT,
    GROUP_INTERVENTION,
    INDIVIDUAL_HOURS,
    SUPPORT_CLASSES,
    support_class_of,
)


def test_every_kind_of_provision_has_one_class() -> None:
    assert set(CLASS_OF_KIND) == set(PROVISION_KINDS)
    assert set(CLASS_OF_KIND.values()) == set(SUPPORT_CLASSES)


def test_hours_groups_early_intervention_and_training_each_land_in_their_class() -> None:
    assert support_class_of(ONE_TO_ONE) == INDIVIDUAL_HOURS
    assert support_class_of(SMALL_GROUP) == GROUP_INTERVENTION
    assert support_class_of(SPEECH_AND_LANGUAGE) == EARLY_INTERVENTION
    assert support_class_of(TRAINING) == CAPACITY_BUILDING


def test_the_hosts_correction_wins_and_an_unknown_one_is_ignored() -> None:
    assert support_class_of(ONE_TO_ONE, EQUIPMENT) == EQUIPMENT
    assert support_class_of(ONE_TO_ONE, "Something else") == INDIVIDUAL_HOURS
