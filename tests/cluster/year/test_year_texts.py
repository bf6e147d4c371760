"""The year's free text (meeting venues and agendas, the terms of reference, a reopening reason)
goes through the one text check: clear names refused, possible names asked about and saved once
confirmed (audited without the words), nothing written on a refusal."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.text_check import CONFIRMATION_ACTION, NamesToConfirm
from cluster.core.errors import InvalidInput
from cluster.models import AuditEvent, Meeting
from cluster.year.rollover import MAX_REOPEN_REASON_CHARACTERS, reopen_year, year_states
from cluster.year.schedule import MAX_VENUE_CHARACTERS, set_up_year, update_meeting
from cluster.year.terms import MAX_CHARACTERS, save_terms_of_reference, terms_of_reference
from tests.cluster.year.test_schedule import next_year_plans, spring_1
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meetings

POSSIBLE_NAME = "The TA works with Zofia on phonics."


def _confirmations(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).where(
            AuditEvent.action == CONFIRMATION_ACTION).order_by(col(AuditEvent.id))).all())


def _meetings_in(engine: Engine, year: int) -> int:
    with Session(engine) as session:
        return len(session.exec(wensum_meetings().where(Meeting.academic_year == year)).all())


def test_setting_up_a_year_refuses_a_name_and_asks_about_a_possible_one(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    with pytest.raises(InvalidInput, match="'Mrs Nowak'") as refused:
        set_up_year(demo_engine, host, 2027, next_year_plans(venue="Mrs Nowak's classroom"))
    assert not isinstance(refused.value, NamesToConfirm)
    with pytest.raises(InvalidInput, match=f"{MAX_VENUE_CHARACTERS} characters at most"):
        set_up_year(demo_engine, host, 2027, next_year_plans(venue="v" * 201))
    plans = next_year_plans()
    plans[2] = replace(plans[2], details=replace(plans[2].details, agenda_md=POSSIBLE_NAME))
    with pytest.raises(NamesToConfirm) as asked:
        set_up_year(demo_engine, host, 2027, plans)
    assert asked.value.words_by_field == {"Spring 1 meeting agenda": ("Zofia",)}
    assert _meetings_in(demo_engine, 2027) == 0
    rows = set_up_year(demo_engine, host, 2027, plans, confirmed_not_names={"Zofia"})
    confirmation = _confirmations(demo_engine)[-1]
    assert confirmation.entity == "meeting" and confirmation.entity_id == rows[2].id
    assert "Zofia" not in str(confirmation.after)


def test_editing_a_meeting_checks_its_venue_and_agenda(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    drawn = spring_1(demo_engine, host)
    with pytest.raises(InvalidInput, match="'Jack Smith'"):
        update_meeting(demo_engine, host, drawn.id,
                       replace(drawn.details(), agenda_md="Jack Smith reads below his age."),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())
    with pytest.raises(NamesToConfirm):
        update_meeting(demo_engine, host, drawn.id,
                       replace(drawn.details(), agenda_md=POSSIBLE_NAME),
                       expected_version=drawn.version, drawn_from=drawn.drawn_from())
    assert spring_1(demo_engine, host).agenda_md == drawn.agenda_md
    saved = update_meeting(demo_engine, host, drawn.id,
                           replace(drawn.details(), agenda_md=POSSIBLE_NAME),
                           expected_version=drawn.version, drawn_from=drawn.drawn_from(),
                           confirmed_not_names=True)
    assert saved.agenda_md == POSSIBLE_NAME


def test_the_terms_of_reference_refuse_a_name_and_ask_about_a_typed_staff_name(
        demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    with pytest.raises(InvalidInput, match="'Mrs Nowak'"):
        save_terms_of_reference(demo_engine, host, "Mrs Nowak chairs the meetings.",
                                expected_version=0)
    with pytest.raises(InvalidInput, match="50,000 characters at most, 50,001 typed"):
        save_terms_of_reference(demo_engine, host, "t" * (MAX_CHARACTERS + 1),
                                expected_version=0)
    text = "The host chairs; the minutes are taken by Kowalczyk."
    with pytest.raises(NamesToConfirm, match="'Kowalczyk'"):
        save_terms_of_reference(demo_engine, host, text, expected_version=0)
    assert terms_of_reference(demo_engine, host, "default").is_default
    # The cluster's own staff, named through their accounts, pass.
    save_terms_of_reference(demo_engine, host, "Sam Hardy chairs the meetings.",
                            expected_version=0)
    saved = save_terms_of_reference(demo_engine, host, text, expected_version=1,
                                    confirmed_not_names=True)
    assert saved.body_md == text
    assert _confirmations(demo_engine)[-1].entity == "terms_of_reference"


def test_a_reopening_reason_is_checked(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    with pytest.raises(InvalidInput, match="'Jack Smith'"):
        reopen_year(demo_engine, host, 2025, "Jack Smith's award was mistyped.")
    with pytest.raises(InvalidInput, match="500 characters at most"):
        reopen_year(demo_engine, host, 2025, "r" * (MAX_REOPEN_REASON_CHARACTERS + 1))
    with pytest.raises(NamesToConfirm):
        reopen_year(demo_engine, host, 2025, "Correcting the award Kowalczyk typed in.")
    assert {s.year_label: s for s in year_states(demo_engine, host)}["2025/26"].read_only
    reopen_year(demo_engine, host, 2025, "Correcting the award Kowalczyk typed in.",
                confirmed_not_names=True)
    assert not {s.year_label: s for s in year_states(demo_engine, host)}["2025/26"].read_only
