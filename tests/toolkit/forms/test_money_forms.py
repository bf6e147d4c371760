"""Round trips of the money forms: the funding year, protected pupils (a move and a new pupil),
and urgent decisions (a new one)."""

from __future__ import annotations

from dataclasses import replace

from cluster.core.db import make_engine
from cluster.funding.budget import FundingYearView, funding_year
from cluster.funding.protected import ProtectedPupilRow, protected_pupils
from cluster.meetings.urgent import urgent_screen
from tests.helpers.actors import demo_actor
from tests.helpers.forms import changed, open_view, press, read_back, round_trip, texts
from tests.toolkit.conftest import APP, ROOT

FUNDING_YEAR = str(ROOT / "toolkit/views/host/funding_year.py")
PROTECTED = str(ROOT / "toolkit/views/host/protected_funding.py")
URGENT = str(ROOT / "toolkit/views/host/urgent_decisions.py")


def year(url: str) -> FundingYearView:
    return read_back(url, "host", funding_year, 2026)


@round_trip("funding-year")
def test_the_funding_year_shows_what_is_stored_and_saves_one_change(demo_database: str) -> None:
    before = year(demo_database)
    at = open_view(APP, demo_database, "host", FUNDING_YEAR)
    key = f"2026-{before.version}"
    s = before.settings
    assert at.number_input(key=f"rate-{key}").value == s.per_pupil_rate_pence / 100
    assert at.number_input(key=f"fixed-{key}").value == s.fixed_sum_per_school_pence / 100
    assert at.number_input(key=f"carried-{key}").value == s.carried_forward_pence / 100
    assert at.number_input(key=f"psf-{key}").value == s.psf_redistributed_pence / 100
    assert at.number_input(key=f"reserve-{key}").value == float(s.reserve_percent)
    at.number_input(key=f"fixed-{key}").set_value(s.fixed_sum_per_school_pence / 100 + 100)
    press(at, "Save the funding year")
    after = year(demo_database)
    assert after.settings == replace(s, fixed_sum_per_school_pence=(
        s.fixed_sum_per_school_pence + 10_000)), texts(at, "error")
    assert "Saved 2026/27" in texts(at)


def pupils(url: str) -> dict[str, ProtectedPupilRow]:
    return {p.reference: p for p in read_back(url, "host", protected_pupils)}


@round_trip("protected.event")
def test_a_move_changes_only_that_pupils_school_and_end(demo_database: str) -> None:
    before = pupils(demo_database)
    at = open_view(APP, demo_database, "host", PROTECTED)
    at.selectbox[0].select("PSF-AP-01")
    at.selectbox[1].select("managed_move")
    at.selectbox[2].select("Bintree Infant School")
    press(at, "Record it")
    after = pupils(demo_database)
    assert {ref for ref in before if before[ref] != after[ref]} == {"PSF-AP-01"}
    assert changed(before["PSF-AP-01"], after["PSF-AP-01"]) <= {
        "school", "school_id", "ends_on", "end_reason", "events", "status"}
    assert after["PSF-AP-01"].school == "Bintree Infant School"


@round_trip("protected.add")
def test_adding_a_protected_pupil_creates_exactly_one(demo_database: str) -> None:
    before = pupils(demo_database)
    at = open_view(APP, demo_database, "host", PROTECTED)
    next(t for t in at.text_input if t.label.startswith("The school's reference")).input(
        "PSF-AP-99")
    next(n for n in at.number_input if n.label == "Amount a year (£)").set_value(6000)
    # A pupil born in 2018 is in primary: nursery funding ended long ago and is refused.
    next(s for s in at.selectbox if s.label == "Phase the funding belongs to").set_value(
        "primary")
    press(at, "Add")
    after = pupils(demo_database)
    assert set(after) - set(before) == {"PSF-AP-99"}, texts(at, "error")
    assert all(after[ref] == before[ref] for ref in before)
    assert "Added PSF-AP-99" in texts(at)


@round_trip("urgent")
def test_proposing_creates_one_urgent_decision(demo_database: str) -> None:
    engine = make_engine(demo_database)
    host = demo_actor(demo_database, "host")
    before = urgent_screen(engine, host).decisions
    at = open_view(APP, demo_database, "host", URGENT)
    box = next(s for s in at.selectbox if s.label == "Request")
    request_id = next(int(o.split(":")[0].removeprefix("Request ")) for o in box.options
                      if "Bintree Junior School" in o)
    box.set_value(request_id)
    next(n for n in at.number_input if n.label == "Amount (£)").set_value(2500)
    next(t for t in at.text_area if t.label.startswith("Why it cannot wait")).input(
        "A newly arrived pupil with complex needs; the next round is too late.")
    press(at, "Propose it")
    after = urgent_screen(engine, host).decisions
    engine.dispose()
    [new] = [u for u in after if u.id not in {b.id for b in before}]
    assert new.request_id == request_id and new.amount_pence == 250_000
    assert "Proposed." in texts(at)
