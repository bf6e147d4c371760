"""Round trip of My account's reminder choices: a kind ticked off is stored off, shown off on the
next drawing, and its reminders leave the home page's list."""

from __future__ import annotations

import pytest

from cluster.core.db import make_engine
from cluster.models import ReminderKind
from cluster.reporting.reminders import reminder_choices
from tests.helpers.actors import demo_actor
from tests.helpers.forms import open_view, round_trip, texts
from tests.toolkit.conftest import APP, ROOT
from tests.toolkit.views.test_home_pages import home_for

ACCOUNT = str(ROOT / "toolkit/views/common/account.py")
REVIEWS = ReminderKind.REVIEW_DUE.label


def choices(url: str, username: str) -> dict[ReminderKind, bool]:
    engine = make_engine(url)
    try:
        return reminder_choices(engine, demo_actor(url, username))
    finally:
        engine.dispose()


def reminder_labels(url: str, username: str) -> list[str]:
    """The home page's Reminders: the links drawn after the list's subheader."""
    at = home_for(url, username)
    assert "Reminders" in [h.value for h in at.subheader]
    return [link.proto.label for link in at.get("page_link")]


@round_trip("reminders")
def test_turning_reviews_off_is_saved_and_they_leave_the_home_list(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLUSTER_SMTP_HOST", raising=False)
    assert "Review of request 77 due 20/01/2027" in reminder_labels(demo_database, "senco.hs")
    at = open_view(APP, demo_database, "senco.hs", ACCOUNT)
    assert [c.label for c in at.checkbox] == [kind.label for kind in ReminderKind]
    assert all(c.value for c in at.checkbox)
    next(c for c in at.checkbox if c.label == REVIEWS).uncheck()
    next(b for b in at.button if b.label == "Save reminder choices").click().run()
    assert not at.exception and "Reminder choices saved." in texts(at)
    assert choices(demo_database, "senco.hs")[ReminderKind.REVIEW_DUE] is False
    assert next(c for c in at.checkbox if c.label == REVIEWS).value is False
    assert all(c.value for c in at.checkbox if c.label != REVIEWS)
    left = reminder_labels(demo_database, "senco.hs")
    assert not any(label.startswith("Review of request 77 due") for label in left)
    assert any(label.startswith("Decision letter from the Autumn 2") for label in left)


def test_a_governor_chooses_only_the_papers_and_home_shows_no_reminders_list_by_e_mail(
        demo_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_view(APP, demo_database, "governor", ACCOUNT)
    assert [c.label for c in at.checkbox] == [ReminderKind.PAPERS_OUT.label]
    monkeypatch.setenv("CLUSTER_SMTP_HOST", "mail.example")
    assert "Reminders" not in [h.value for h in home_for(demo_database, "senco.hs").subheader]
