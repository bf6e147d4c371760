"""Stale screens: the version a screen was drawn from travels with its save."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.models import AuditEvent, School
from cluster.people.schools import list_schools, school_changes, update_school
from tests.helpers.actors import actor


def test_host_renames_a_school_and_the_change_is_audited(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    school = list_schools(demo_engine, host)[0]
    changes = school_changes(**{**school.drawn_from(), "name": "Renamed Primary School"})
    saved = update_school(demo_engine, host, school.id, changes,
                          expected_version=school.version, drawn_from=school.drawn_from())
    assert saved.name == "Renamed Primary School"
    assert saved.version == school.version + 1
    with Session(demo_engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "update_school")).one()
    assert event.changed_fields == ["name"]
    assert event.username == "host"


def test_a_stale_screen_is_refused_and_told_what_changed(demo_engine: Engine) -> None:
    host, deputy = actor(demo_engine, "host"), actor(demo_engine, "deputy")
    drawn = list_schools(demo_engine, host)[0]
    first = school_changes(**{**drawn.drawn_from(), "name": "Deputy's Name"})
    update_school(demo_engine, deputy, drawn.id, first, expected_version=drawn.version,
                  drawn_from=drawn.drawn_from())
    second = school_changes(**{**drawn.drawn_from(), "school_type": "Academy converter"})
    with pytest.raises(StaleEdit) as refused:
        update_school(demo_engine, host, drawn.id, second, expected_version=drawn.version,
                      drawn_from=drawn.drawn_from())
    assert "deputy" in refused.value.message
    assert f"name: {drawn.name} → Deputy's Name" in refused.value.message
    assert list_schools(demo_engine, host)[0].school_type == drawn.school_type


def test_the_version_column_guards_the_race_between_check_and_commit(demo_engine: Engine) -> None:
    """Two screens load the same row; the later commit matches no row at its old version."""
    with Session(demo_engine, expire_on_commit=False) as first, \
            Session(demo_engine, expire_on_commit=False) as second:
        a = first.exec(select(School).order_by(School.id)).first()
        first.commit()
        b = second.exec(select(School).order_by(School.id)).first()
        second.commit()
        assert a is not None and b is not None
        a.name = "First"
        first.commit()
        b.name = "Second"
        with pytest.raises(StaleDataError):
            second.commit()
    with Session(demo_engine) as session:
        assert session.exec(select(School).order_by(School.id)).first().name == "First"


def test_only_the_host_edits_schools(demo_engine: Engine) -> None:
    senco = actor(demo_engine, "senco.ap")
    school = list_schools(demo_engine, senco)[0]
    with pytest.raises(NotAllowed):
        update_school(demo_engine, senco, school.id, school_changes(**school.drawn_from()),
                      expected_version=school.version, drawn_from=school.drawn_from())


def test_la_adviser_cannot_list_a_clusters_schools_as_a_member(demo_engine: Engine) -> None:
    with pytest.raises(NotAllowed):
        list_schools(demo_engine, actor(demo_engine, "la.adviser"))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("urn", "12345", "URN: URN must be 6 digits"),
    ("laestab", "92612", "LAESTAB: LAESTAB must be 7 digits"),
    ("name", "   ", "name: School name is required"),
    ("phase", "college", "phase:"),
])
def test_bad_school_details_name_the_field(field: str, value: str, message: str) -> None:
    values = {"urn": "123456", "laestab": "9261234", "name": "X", "phase": "primary",
              "school_type": "Community school", field: value}
    with pytest.raises(InvalidInput) as refused:
        school_changes(**values)
    assert refused.value.message.startswith(message)
