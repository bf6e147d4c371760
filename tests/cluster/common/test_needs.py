from __future__ import annotations

import pytest

from cluster.common.needs import AREAS, OTHER_AREA, PRIMARY_NEED_CODES, area_of, main_area_of


@pytest.mark.parametrize(("codes", "area"), [
    (("SLCN", "ASD"), "Communication and interaction"),
    (("SpLD", "MLD", "SLD", "PMLD"), "Cognition and learning"),
    (("SEMH",), "Social, emotional and mental health"),
    (("HI", "VI", "MSI", "PD"), "Sensory and/or physical"),
    (("OTH", "NSA"), OTHER_AREA),
])
def test_census_codes_map_to_the_four_broad_areas(codes: tuple[str, ...], area: str) -> None:
    assert {area_of(code) for code in codes} == {area}


def test_every_code_is_mapped_and_the_four_areas_are_the_code_of_practices() -> None:
    assert len(PRIMARY_NEED_CODES) == 13
    assert len(AREAS) == 4 and OTHER_AREA not in AREAS
    with pytest.raises(ValueError, match="not a school census primary-need code"):
        area_of("ADHD")


def test_the_main_area_is_where_most_pupils_needs_fall() -> None:
    assert main_area_of(["SLCN", "SEMH", "ASD"]) == "Communication and interaction"
    assert main_area_of(["NSA"]) == OTHER_AREA
    assert main_area_of([]) is None
