"""The cluster's schools: listing and the host's edits."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, has_role, require
from cluster.core.versioning import check_not_stale
from cluster.models import Role, School, SchoolCreate

EDITABLE_FIELDS: tuple[str, ...] = ("urn", "laestab", "name", "phase", "school_type")
FIELD_LABELS: dict[str, str] = {"urn": "URN", "laestab": "LAESTAB", "name": "name",
                                "phase": "phase", "school_type": "type"}


@dataclass(frozen=True)
class SchoolRow:
    id: int
    urn: str
    laestab: str
    name: str
    phase: str
    school_type: str
    active: bool
    version: int

    def drawn_from(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in EDITABLE_FIELDS}


def _row(school: School) -> SchoolRow:
    assert school.id is not None
    return SchoolRow(school.id, school.urn, school.laestab, school.name, school.phase,
                     school.school_type, school.active, school.version)


def list_schools(engine: Engine, actor: Actor) -> list[SchoolRow]:
    require(has_role(actor, {Role.HOST, Role.SCHOOL, Role.GOVERNOR}))
    with read_session(engine) as session:
        schools = session.exec(
            select(School).where(School.cluster_id == actor.cluster_id).order_by(School.name)
        ).all()
        return [_row(school) for school in schools]


@audit.mutating("update_school")
def update_school(engine: Engine, actor: Actor, school_id: int, changes: SchoolCreate, *,
                  expected_version: int, drawn_from: dict[str, object]) -> SchoolRow:
    """Saves the host's edit, refusing it when the screen was drawn from an older version."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        school = session.get(School, school_id)
        if school is None or school.cluster_id != actor.cluster_id:
            raise NotOpenToYou("school", school_id)
        check_not_stale(session, school, expected_version=expected_version,
                        drawn_from=drawn_from, entity="school", labels=FIELD_LABELS)
        before = {field: getattr(school, field) for field in EDITABLE_FIELDS}
        for field in EDITABLE_FIELDS:
            setattr(school, field, str(getattr(changes, field)))
        session.add(school)
        session.flush()
        audit.record(session, actor, "update_school", entity="school", entity_id=school.id,
                     before=before, after={f: getattr(school, f) for f in EDITABLE_FIELDS})
        return _row(school)


def school_changes(**values: object) -> SchoolCreate:
    """Validates a form's values, naming the first field that is wrong."""
    try:
        return SchoolCreate.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = FIELD_LABELS.get(str(first["loc"][0]), str(first["loc"][0]))
        raise InvalidInput(field, str(first["msg"]).removeprefix("Value error, ")) from error


def school_names(session: Session, cluster_id: int, *, active_only: bool = False) -> dict[int, str]:
    query = select(School).where(School.cluster_id == cluster_id).order_by(School.name)
    if active_only:
        query = query.where(col(School.active).is_(True))
    return {s.id: s.name for s in session.exec(query).all() if s.id is not None}
