"""Round trips of the year's forms: terms of reference, reconsideration (ask and withdraw),
reopening a year, and the request settings (rates, rules, matrix)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cluster.common.content import default_terms_of_reference
from cluster.core.db import make_engine
from cluster.requests.reconsiderations import our_reconsiderations
from cluster.requests.rules import YearSettings
from cluster.requests.year_setup import year_settings
from cluster.year.terms import TermsView, save_terms_of_reference, terms_of_reference
from tests.helpers.actors import demo_actor
from tests.helpers.demo_la import decided_request
from tests.helpers.forms import changed, open_view, press, read_back, round_trip, texts
from tests.toolkit.conftest import APP, ROOT

TERMS = str(ROOT / "toolkit/views/common/terms.py")
RECONSIDERATION = str(ROOT / "toolkit/views/school/reconsideration.py")
SETTINGS = str(ROOT / "toolkit/views/host/request_settings.py")


def terms(url: str) -> TermsView:
    return read_back(url, "host", terms_of_reference, default_terms_of_reference())


@round_trip("terms")
def test_the_terms_show_what_is_stored_and_a_stale_save_keeps_the_typed_text(
        demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", TERMS)
    before = terms(demo_database)
    box = at.text_area(key=f"terms-body.{before.version}")
    assert box.value == before.body_md
    box.input(before.body_md + "\nWe meet six times a year.\n")
    press(at, "Save the terms of reference")
    after = terms(demo_database)
    assert after.body_md == before.body_md + "\nWe meet six times a year.\n"
    assert "Terms of reference saved." in texts(at)
    # Someone else saves; my next save is refused, shows theirs and keeps mine to copy.
    engine = make_engine(demo_database)
    save_terms_of_reference(engine, demo_actor(demo_database, "deputy"), "## The deputy's terms",
                            expected_version=after.version)
    engine.dispose()
    at.text_area(key=f"terms-body.{after.version}").input("## My terms")
    press(at, "Save the terms of reference")
    assert "Not saved" in texts(at, "error")
    latest = terms(demo_database)
    assert latest.body_md == "## The deputy's terms"
    assert at.text_area(key=f"terms-body.{latest.version}").value == "## The deputy's terms"
    assert "## My terms" in "\n".join(c.value for c in at.code)
    at.text_area(key=f"terms-body.{latest.version}").input("## My terms")
    press(at, "Save the terms of reference")
    assert terms(demo_database).body_md == "## My terms"


def reconsiderations(url: str) -> list:  # type: ignore[type-arg]
    return read_back(url, "senco.ap", our_reconsiderations)


@round_trip("reconsideration")
@round_trip("reconsideration.withdraw")
def test_asking_creates_one_reconsideration_and_withdrawing_changes_only_its_status(
        demo_database: str) -> None:
    decided_request(demo_database)
    at = open_view(APP, demo_database, "senco.ap", RECONSIDERATION)
    assert reconsiderations(demo_database) == []
    reasons = "A specialist teacher's assessment since the meeting shows a greater need."
    next(t for t in at.text_area if t.label == "Our reasons").input(reasons)
    press(at, "Ask for reconsideration")
    [asked] = reconsiderations(demo_database)
    assert "Asked." in texts(at)
    press(at, "Withdraw")
    [withdrawn] = reconsiderations(demo_database)
    assert changed(asked, withdrawn) <= {"status", "status_label", "can_withdraw", "outcome"}
    assert withdrawn.status != asked.status and "Withdrawn." in texts(at)


def settings(url: str) -> YearSettings:
    return read_back(url, "host", year_settings, 2026)


@round_trip("rates")
def test_the_rate_table_shows_the_stored_rates_and_saves_one_change(demo_database: str) -> None:
    at = open_view(APP, demo_database, "host", SETTINGS)
    before = settings(demo_database)
    for n, rate in enumerate(before.rates):
        assert at.text_input(key=f"rate-2026-{n}-grade").value == rate.grade
        assert at.number_input(key=f"rate-2026-{n}-pounds").value == rate.pence_per_hour / 100
    at.number_input(key="rate-2026-0-pounds").set_value(before.rates[0].pence_per_hour / 100 + 1)
    press(at, "Save the rate table")
    after = settings(demo_database)
    assert after.rates == (replace(before.rates[0],
                                   pence_per_hour=before.rates[0].pence_per_hour + 100),
                           *before.rates[1:])
    assert after.rules == before.rules and after.matrix == before.matrix


# The rules and the need matrix are two small forms on one screen: each shows two stored numbers,
# and saving one changed number changes that number alone, in its part and in no other part.
@round_trip("rules")
@round_trip("matrix")
@pytest.mark.parametrize(("part", "shown", "field", "step", "button"), [
    ("rules", {"rules-2026-cycles": "min_review_cycles",
               "rules-2026-months": "assessment_within_months"},
     "assessment_within_months", 1, "Save the rules"),
    ("matrix", {"m-2026-sev": "severity_points", "m-2026-ctx": "context_points"},
     "context_points", 0.25, "Save the need matrix"),
], ids=["rules", "matrix"])
def test_the_rules_and_the_matrix_show_what_is_stored_and_save_one_change(
        demo_database: str, part: str, shown: dict[str, str], field: str, step: float,
        button: str) -> None:
    at = open_view(APP, demo_database, "host", SETTINGS)
    before = settings(demo_database)
    stored = getattr(before, part)
    for key, name in shown.items():
        assert at.number_input(key=key).value == getattr(stored, name)
    key = next(key for key, name in shown.items() if name == field)
    at.number_input(key=key).set_value(getattr(stored, field) + step)
    press(at, button)
    after = settings(demo_database)
    assert getattr(after, part) == replace(stored, **{field: getattr(stored, field) + step})
    for other in {"rates", "rules", "matrix"} - {part}:
        assert getattr(after, other) == getattr(before, other), other
