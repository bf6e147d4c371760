"""People's names through the request services: clear cases refused with nothing written, words
to confirm asked about, the confirmation audited without the words, flags that never quote."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.text_check import CONFIRMATION_ACTION, NamesToConfirm
from cluster.core.errors import InvalidInput
from cluster.meetings.actions import add_action
from cluster.models import AuditEvent
from cluster.requests.forms import RequestForm
from cluster.requests.reading import get_request
from cluster.requests.status import save_draft, submit_form
from tests.cluster.meeting_helpers import spring_round
from tests.cluster.requests.conftest import complete_form, written_rows
from tests.helpers.actors import actor


def _audit_text(engine: Engine) -> str:
    with Session(engine) as session:
        rows = session.exec(select(AuditEvent)).all()
        return " ".join(f"{r.before} {r.after} {r.changed_fields}" for r in rows)


def _group_form(engine: Engine, profile: str) -> RequestForm:
    form = complete_form(engine)
    second = replace(form.pupils[0], reference="AP-902", profile=profile, consent_given=True)
    first = replace(form.pupils[0], profile="Works best in a small group.", consent_given=True)
    return replace(form, kind="group", pupils=(first, second))


@pytest.mark.parametrize(("field", "change"), [
    ("Need in plain words", {"need_summary": "Jack Smith reads well below age expectation."}),
    ("Title", {"title": "Mrs Patel's reading group"}),
    ("Pupil 2 profile", "Olivia finds it hard to settle after playtime."),
    ("Outcome 1", "Olivia's reading age will rise by a year"),
])
def test_clear_cases_are_refused_and_nothing_is_written(
        demo_copy: Engine, field: str, change: dict[str, str] | str) -> None:
    head = actor(demo_copy, "head.ap")
    if isinstance(change, dict):
        form = complete_form(demo_copy, **change)
    elif field == "Outcome 1":
        base = complete_form(demo_copy)
        form = replace(base, outcomes=(replace(base.outcomes[0], description=change),
                                       *base.outcomes[1:]))
    else:
        form = _group_form(demo_copy, change)
    before = written_rows(demo_copy)
    for service in (save_draft, submit_form):
        with pytest.raises(InvalidInput) as refused:
            service(demo_copy, head, form, confirmed_not_names=True)
        assert not isinstance(refused.value, NamesToConfirm)
        assert field in str(refused.value) and "names a person" in str(refused.value)
    assert written_rows(demo_copy) == before


def test_words_to_confirm_need_confirming_and_the_confirmation_is_audited_without_them(
        demo_copy: Engine) -> None:
    head = actor(demo_copy, "head.ap")
    form = _group_form(demo_copy, "Works with Zofia on phonics each morning.")
    before = written_rows(demo_copy)
    with pytest.raises(NamesToConfirm) as asked:
        submit_form(demo_copy, head, form)
    assert asked.value.words_by_field == {"Pupil 2 profile": ("Zofia",)}
    assert written_rows(demo_copy) == before
    saved = submit_form(demo_copy, head, form, confirmed_not_names={"Zofia"})
    with Session(demo_copy) as session:
        rows = session.exec(select(AuditEvent).where(
            AuditEvent.action == CONFIRMATION_ACTION)).all()
    assert [(r.entity, r.entity_id, r.after["fields"]) for r in rows] == [
        ("support_request", saved.id, "Pupil 2 profile")]
    assert "Zofia" not in _audit_text(demo_copy)
    flags = get_request(demo_copy, actor(demo_copy, "host"), saved.id).flags
    assert any(flag.startswith("Pupil 2 profile") for flag in flags)
    assert not any("Zofia" in flag for flag in flags)


def test_specialist_words_save_without_a_prompt(demo_copy: Engine) -> None:
    head = actor(demo_copy, "head.ap")
    form = complete_form(demo_copy, need_summary=(
        "Read Write Inc and Numicon have not closed the gap; the EP and SALT (Norfolk) advise "
        "Lego therapy and Precision Teaching from Spring 1, as for Down syndrome."))
    assert save_draft(demo_copy, head, form).id


def test_a_typed_owner_is_asked_about_and_a_title_with_a_surname_refused(
        demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    spring = spring_round(demo_copy)
    due = date(2027, 1, 27)
    with pytest.raises(InvalidInput, match="names a person"):
        add_action(demo_copy, host, spring.id, "Send the letters", "Mrs Kowalczyk", due,
                   confirmed_not_names=True)
    with pytest.raises(NamesToConfirm, match="Kowalczyk"):
        add_action(demo_copy, host, spring.id, "Send the letters", "Kowalczyk", due)
    action = add_action(demo_copy, host, spring.id, "Send the letters", "Kowalczyk", due,
                        confirmed_not_names=True)
    assert action.owner == "Kowalczyk"
    assert "Kowalczyk" not in _audit_text(demo_copy)
