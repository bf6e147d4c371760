"""Reminders reach people: on a copy of the demo, `python -m cluster remind` e-mails each person's
due reminders through a real SMTP server started here, each once; a second run sends nothing; a
kind turned off is not sent; no request's own words are in any message; without a mail server the
same reminders are listed for the home page instead."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from cluster.__main__ import main
from cluster.core.clock import TODAY_VARIABLE
from cluster.core.db import make_engine
from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.models import ReminderKind
from cluster.reporting.reminders import reminder_choices, reminders_to_show, set_reminders
from tests.helpers.actors import actor
from tests.helpers.databases import copy_demo
from tests.helpers.mail import Inbox, smtp_server

PUPIL_WORDS = "Zebedee"  # planted in every request's free text: no e-mail may carry it
PEOPLE = ("senco.hs", "host", "governor", "la.adviser")
BASE = "https://toolkit.example.sch.uk"


def address(username: str) -> str:
    return f"{username}@cluster.example.sch.uk"


@pytest.fixture
def demo(tmp_path: Path, demo_sqlite_file: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A demo copy whose four readers have e-mail addresses and whose requests all hold words
    about a pupil (their title and need)."""
    url = copy_demo(demo_sqlite_file, tmp_path / "remind.db")
    monkeypatch.setenv("CLUSTER_DATABASE_URL", url)
    monkeypatch.setenv("CLUSTER_BASE_URL", BASE)
    engine = make_engine(url)
    with engine.begin() as connection:
        for username in PEOPLE:
            connection.execute(text("UPDATE user SET email = :e WHERE username = :u"),
                               {"e": address(username), "u": username})
        connection.execute(text("UPDATE supportrequest SET title = title || :w, need_summary = "
                                ":n"), {"w": f" for {PUPIL_WORDS}",
                                        "n": f"{PUPIL_WORDS} reads below age expectations."})
    yield engine
    engine.dispose()


def remind(monkeypatch: pytest.MonkeyPatch, on: str) -> None:
    monkeypatch.setenv(TODAY_VARIABLE, on)
    assert main(["remind"]) == 0


def test_each_reminder_arrives_once_and_a_second_run_sends_nothing(
        demo: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server(monkeypatch) as inbox:
        remind(monkeypatch, "2026-11-23")
        assert sorted(inbox.subjects(address("senco.hs"))) == [
            "Decision letter from the Autumn 2 meeting of Wensum Valley Cluster on 11/11/2026",
            "Review of request 69 overdue since 16/09/2026",
            "Review of request 77 due 20/01/2027"]
        host = inbox.subjects(address("host"))
        assert "Review of request 66 overdue since 16/09/2026" in host
        assert "Review of request 74 to confirm" in host and len(host) == 6
        assert not inbox.to(address("governor")) and not inbox.to(address("la.adviser"))
        first = len(inbox.messages)
        assert "Sent 9 reminder(s) to 2 person(s)." in capsys.readouterr().out
        remind(monkeypatch, "2026-11-23")
        remind(monkeypatch, "2026-11-24")
        assert len(inbox.messages) == first  # nothing twice
        assert "Sent 0 reminder(s)" in capsys.readouterr().out
        remind(monkeypatch, "2027-01-02")  # the week before Spring 1's requests are due
        assert inbox.subjects(address("senco.hs"))[first - 6:] == [
            "Requests due by 06/01/2027 for the Spring 1 meeting of Wensum Valley Cluster on "
            "20/01/2027"]
        remind(monkeypatch, "2027-01-13")  # Spring 1's papers are out
        spring_papers = ("Papers out for the Spring 1 meeting of Wensum Valley Cluster on "
                         "20/01/2027")
        for username in ("senco.hs", "governor", "la.adviser"):
            assert inbox.subjects(address(username)).count(spring_papers) == 1
        pairs = [(m["To"], str(m["Subject"]).strip()) for m in inbox.messages]
        assert len(pairs) == len(set(pairs))
    _no_pupil_words_and_a_link_to_the_record(inbox)


def _no_pupil_words_and_a_link_to_the_record(inbox: Inbox) -> None:
    for message in inbox.messages:
        whole = message.as_string()
        assert PUPIL_WORDS not in whole and "reads below" not in whole
        assert message["From"] == "toolkit@cluster.example.sch.uk"
    letter = next(m for m in inbox.to(address("senco.hs"))
                  if str(m["Subject"]).startswith("Decision letter"))
    body = Inbox.body(letter)
    assert body.startswith("Dear ") and f"{BASE}/papers?meeting=2" in body.splitlines()
    assert max(len(line) for line in body.splitlines()) <= 72  # plain text, no soft breaks
    words = " ".join(body.split())
    assert "were confirmed on 11/11/2026" in words
    assert "turn them off in My account" in words


def test_a_kind_turned_off_is_not_sent_and_the_others_still_are(
        demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    senco = actor(demo, "senco.hs")
    set_reminders(demo, senco, {ReminderKind.REVIEW_DUE: False})
    assert reminder_choices(demo, senco) == {
        ReminderKind.REQUESTS_DUE: True, ReminderKind.PAPERS_OUT: True,
        ReminderKind.REVIEW_DUE: False, ReminderKind.DECISIONS_SENT: True}
    with smtp_server(monkeypatch) as inbox:
        remind(monkeypatch, "2026-11-23")
    assert [s.split(" meeting")[0] for s in inbox.subjects(address("senco.hs"))] == [
        "Decision letter from the Autumn 2"]
    assert len(inbox.to(address("host"))) == 6  # her choice is hers alone


def test_without_a_mail_server_the_reminders_are_listed_for_home_and_none_sent(
        demo: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CLUSTER_SMTP_HOST", raising=False)
    remind(monkeypatch, "2026-11-23")
    assert "Nothing sent" in capsys.readouterr().out
    senco = actor(demo, "senco.hs")
    listed = reminders_to_show(demo, senco)
    assert [r.subject for r in listed] == [
        "Review of request 69 overdue since 16/09/2026", "Review of request 77 due 20/01/2027",
        "Decision letter from the Autumn 2 meeting of Wensum Valley Cluster on 11/11/2026"]
    assert listed[1].address == "/our-reviews?review=110"
    assert all(PUPIL_WORDS not in r.subject + r.body for r in listed)
    monkeypatch.setenv("CLUSTER_SMTP_HOST", "mail.example")  # they go by e-mail instead
    assert reminders_to_show(demo, senco) == []


def test_people_with_no_address_are_counted_and_a_stranger_has_no_choices(
        demo: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server(monkeypatch) as inbox:
        remind(monkeypatch, "2026-11-23")
    assert "person(s) have no e-mail address on their account" in capsys.readouterr().out
    assert {m["To"] for m in inbox.messages} == {address("senco.hs"), address("host")}
    stranger = Actor(user_id=0, username="x", display_name="X", role="public", cluster_id=None,
                     school_id=None)
    with pytest.raises(NotAllowed):
        reminder_choices(demo, stranger)


def test_a_reminder_the_server_refuses_is_sent_on_the_next_run_and_only_then(
        demo: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(TODAY_VARIABLE, "2026-11-23")
    with smtp_server(monkeypatch) as inbox:
        inbox.refused.add(address("host"))
        assert main(["remind"]) == 1
        assert "refused 6 reminder(s); the next run tries again" in capsys.readouterr().err
        assert not inbox.to(address("host")) and len(inbox.to(address("senco.hs"))) == 3
        inbox.refused.clear()
        assert main(["remind"]) == 0
        assert len(inbox.to(address("host"))) == 6 and len(inbox.to(address("senco.hs"))) == 3


def test_a_mail_server_that_cannot_be_reached_is_reported_in_plain_words(
        demo: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server(monkeypatch):
        pass  # its port is free again: nothing answers there
    assert main(["remind"]) == 1
    assert "did not take the reminders" in capsys.readouterr().err
