"""The demo cluster's twelve fictional Norfolk schools."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    phase: str
    school_type: str
    pupils: int


DEMO_SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool("HS", "Wensum Valley High School", "secondary", "Academy converter", 1_020),
    DemoSchool("AP", "Aylsham Road Primary School", "primary", "Community school", 410),
    DemoSchool("BI", "Bintree Infant School", "infant", "Community school", 168),
    DemoSchool("BJ", "Bintree Junior School", "junior", "Community school", 236),
    DemoSchool("CP", "Costessey Park Primary School", "primary", "Academy sponsor led", 385),
    DemoSchool("FL", "Foulsham and Lyng CE Primary", "primary", "Voluntary controlled school", 96),
    DemoSchool("GW", "Great Witchingham Primary", "primary", "Community school", 142),
    DemoSchool("LH", "Lenwade and Hockering Primary", "primary", "Community school", 78),
    DemoSchool("RE", "Reepham Meadow Primary", "primary", "Academy converter", 210),
    DemoSchool("SW", "Swannington St Margaret's CE", "primary", "Voluntary aided school", 58),
    DemoSchool("TI", "Taverham Infant School", "infant", "Community school", 270),
    DemoSchool("TJ", "Taverham Junior School", "junior", "Community school", 355),
)
