"""Suggest a split on the demo's Spring 1 round: the pot, the optimiser's rules, locks that re-run
well under a second, floors and caps, and accepting it."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import Engine

from cluster.common.money import format_pounds
from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.meetings.decisions import accept_split
from cluster.meetings.split import SplitSettings, split_screen, suggest_split
from tests.cluster.meeting_helpers import HOST_SCHOOL, spring_round
from tests.helpers.actors import actor


def test_the_next_funding_round_is_split_within_its_money(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    screen = split_screen(demo_copy, host)
    assert screen is not None and screen.meeting.half_term == "Spring 1"
    assert len(screen.requests) == 8
    assert screen.pot_pounds == 51_713
    assert "for this round" in screen.pot_words
    result = suggest_split(demo_copy, host, screen.meeting.id, SplitSettings())
    assert result is not None and result.status == "optimal"
    assert result.total_suggested <= screen.pot_pounds
    for line in result.lines:
        assert line.suggested_pounds == 0 or \
            line.minimum_pounds <= line.suggested_pounds <= line.asked_pounds
        assert line.explanation
    assert result.marginal_need_per_pound is not None
    assert [p.pot_factor for p in result.what_if] == [0.5, 0.75, 1.0, 1.25, 1.5]
    funded = [p.requests_funded for p in result.what_if]
    assert funded == sorted(funded)  # a bigger pot never funds fewer requests here
    assert {s.school_id for s in result.schools} >= {line.school_name for line in result.lines}


def test_rerunning_after_a_lock_takes_well_under_a_second(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting = spring_round(demo_copy)
    first = suggest_split(demo_copy, host, meeting.id, SplitSettings())
    assert first is not None
    line = next(line for line in first.lines if line.suggested_pounds)
    lock = line.minimum_pounds  # a lock from the minimum to the ask
    started = time.perf_counter()
    locked = suggest_split(demo_copy, host, meeting.id,
                           SplitSettings(locks={line.request_id: lock}))
    elapsed = time.perf_counter() - started
    assert locked is not None
    assert elapsed < 1.0, f"re-run took {elapsed:.3f} s"
    assert locked.suggested_for(line.request_id).suggested_pounds == lock
    assert locked.suggested_for(line.request_id).outcome == "locked by the host"


def test_a_cap_and_a_floor_hold_and_a_lock_outside_the_limits_is_refused_naming_them(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting = spring_round(demo_copy)
    screen = split_screen(demo_copy, host, meeting.id)
    assert screen is not None
    high = next(sid for sid, name in screen.schools if name == HOST_SCHOOL)
    capped = suggest_split(demo_copy, host, meeting.id, SplitSettings(caps={high: 2000}))
    assert capped is not None
    assert sum(line.suggested_pounds or 0 for line in capped.lines
               if line.school_name == HOST_SCHOOL) <= 2000
    big = max(screen.requests, key=lambda r: r.asked_pounds)
    asked, minimum = format_pounds(big.asked_pounds * 100), format_pounds(big.minimum_pounds * 100)
    limits = f"lock it at £0 \\(not funded\\) or from the {minimum} minimum to the {asked} asked"
    over = f"{format_pounds((big.asked_pounds + 1) * 100)} is more than the {asked} asked; "
    with pytest.raises(InvalidInput, match=over + limits):
        suggest_split(demo_copy, host, meeting.id,
                      SplitSettings(locks={big.request_id: big.asked_pounds + 1}))
    with pytest.raises(InvalidInput, match="is below the .* minimum that makes it worth doing"):
        accept_split(demo_copy, host, meeting.id,
                     SplitSettings(locks={big.request_id: big.minimum_pounds - 1}))
    declined = suggest_split(demo_copy, host, meeting.id, SplitSettings(locks={big.request_id: 0}))
    assert declined is not None and declined.suggested_for(big.request_id).suggested_pounds == 0
    with pytest.raises(InvalidInput, match="floor cannot be above its cap"):
        suggest_split(demo_copy, host, meeting.id, SplitSettings(floors={high: 5000},
                                                              caps={high: 1000}))


def test_accepting_stores_the_settings_and_a_stale_accept_is_refused(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    meeting = spring_round(demo_copy)
    settings = SplitSettings(objective="fair_shares")
    done = accept_split(demo_copy, host, meeting.id, settings)
    assert done.drafted == ()  # not quorate yet: the suggestion is stored, no drafts
    assert "No draft decisions yet" in done.left[0]
    screen = split_screen(demo_copy, host, meeting.id)
    assert screen is not None and screen.accepted is not None
    assert screen.accepted.objective == "fair_shares"
    assert screen.accepted.accepted_by == "Sam Hardy"
    again = accept_split(demo_copy, host, meeting.id, SplitSettings(),
                         expected_version=screen.accepted.version)
    assert again.accepted.objective == "need_per_pound"
    with pytest.raises(StaleEdit):
        accept_split(demo_copy, host, meeting.id, settings,
                     expected_version=screen.accepted.version)


def test_only_the_host_splits_the_pot(demo_copy: Engine) -> None:
    meeting = spring_round(demo_copy)
    with pytest.raises(NotAllowed):
        suggest_split(demo_copy, actor(demo_copy, "head.ap"), meeting.id, SplitSettings())
