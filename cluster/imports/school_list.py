"""The simple schools list: one row per school, keyed by URN.

Columns (by name; extra columns ignored): URN, LAESTAB, School name, Phase, Type, and optionally
Predecessor URN. An academy conversion gives a school a new URN: list the new URN with the old one
as its predecessor, and the school's history (census, awards) continues through the link; the old
school is kept, marked as no longer open. Re-importing the same list changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.imports.census import ImportReport
from cluster.imports.files import (
    MAX_FILE_BYTES,
    ImportProblem,
    ImportRejected,
    Progress,
    Table,
    no_progress,
    read_table,
    repeated_row,
    required_columns,
)
from cluster.models import Phase, School, SchoolCreate

COLUMNS: dict[str, tuple[str, ...]] = {
    "urn": ("URN",),
    "laestab": ("LAESTAB", "LA ESTAB", "DfE number"),
    "name": ("School name", "Name", "EstablishmentName", "school_name"),
    "phase": ("Phase", "PhaseOfEducation (name)", "phase_type_grouping"),
    "school_type": ("Type", "School type", "TypeOfEstablishment (name)", "type_of_establishment"),
}
PREDECESSOR_COLUMN = ("Predecessor URN", "Previous URN")
# Phase names as people and GIAS write them, keyed lower-case with spaces for dashes.
_PHASES = {p.value.replace("-", " "): p.value for p in Phase} | {
    "middle deemed primary": Phase.PRIMARY.value, "middle deemed secondary": Phase.SECONDARY.value}


@dataclass(frozen=True)
class SchoolListRow:
    row: int
    school: SchoolCreate
    predecessor_urn: str | None


def parse_schools(table: Table) -> tuple[list[SchoolListRow], list[ImportProblem]]:
    positions = required_columns(table, COLUMNS, "the schools list")
    predecessor_at = table.index_of(PREDECESSOR_COLUMN)
    rows: list[SchoolListRow] = []
    problems = list(table.problems)
    first_seen: dict[str, int] = {}
    for number, values in table.rows:
        parsed, row_problems = _parse_row(number, values, table.columns, positions, predecessor_at)
        if parsed is not None:
            row_problems += repeated_row(first_seen, parsed.school.urn, number,
                                         table.columns[positions["urn"]],
                                         f"URN {parsed.school.urn} appears again")
        problems += row_problems
        if parsed is not None and not row_problems:
            rows.append(parsed)
    return rows, problems


def _parse_row(number: int, values: Sequence[str], names: Sequence[str],
               positions: dict[str, int], predecessor_at: int | None
               ) -> tuple[SchoolListRow | None, list[ImportProblem]]:
    fields = {key: values[at] for key, at in positions.items()}
    fields["urn"] = fields["urn"].removesuffix(".0")
    fields["laestab"] = fields["laestab"].replace("/", "").removesuffix(".0")
    fields["phase"] = _PHASES.get(fields["phase"].strip().lower().replace("-", " "),
                                  fields["phase"])
    try:
        school = SchoolCreate.model_validate(fields)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            key = str(detail["loc"][0]) if detail["loc"] else "urn"
            at = positions.get(key)
            column = names[at] if at is not None else key
            reason = str(detail["msg"]).removeprefix("Value error, ")
            if key == "phase":
                reason = (f"'{values[at][:30] if at is not None else ''}' is not a phase: use "
                          "nursery, infant, junior, primary, secondary or all-through")
            problems.append(ImportProblem(number, column, reason))
        return None, problems
    if not school.school_type.strip():
        return None, [ImportProblem(number, names[positions["school_type"]],
                                    "the type of school is empty")]
    predecessor = values[predecessor_at].strip().removesuffix(".0") if predecessor_at is not None \
        else ""
    if predecessor and not (len(predecessor) == 6 and predecessor.isdigit()):
        return None, [ImportProblem(number, names[predecessor_at or 0],
                                    f"a URN is 6 digits, and this is '{predecessor[:20]}'")]
    if predecessor == school.urn:
        return None, [ImportProblem(number, names[predecessor_at or 0],
                                    "a school cannot be its own predecessor")]
    return SchoolListRow(number, school, predecessor or None), []


def _read_schools(data: bytes, filename: str, max_bytes: int,
                  progress: Progress) -> tuple[list[SchoolListRow], list[ImportProblem]]:
    """Read before the session opens: a large file is not parsed inside a transaction."""
    return parse_schools(read_table(data, filename, max_bytes=max_bytes, progress=progress))


def check_schools_file(engine: Engine, actor: Actor, data: bytes, filename: str, *,
                       max_bytes: int = MAX_FILE_BYTES,
                       progress: Progress = no_progress) -> ImportReport:
    require(can_manage_cluster(actor))
    rows, problems = _read_schools(data, filename, max_bytes, progress)
    with read_session(engine) as session:
        problems = problems + _clashes(session, actor, rows)
        return _apply(session, actor, _without(rows, problems), problems, write=False)


@audit.mutating("import_schools")
def import_schools(engine: Engine, actor: Actor, data: bytes, filename: str, *,
                   import_valid_rows: bool = False, max_bytes: int = MAX_FILE_BYTES,
                   progress: Progress = no_progress) -> ImportReport:
    require(can_manage_cluster(actor))
    rows, problems = _read_schools(data, filename, max_bytes, progress)
    with write_session(engine) as session:
        problems = problems + _clashes(session, actor, rows)
        if problems and not import_valid_rows:
            skipped = tuple(sorted({p.row for p in problems if p.row is not None}))
            raise ImportRejected(problems, report=ImportReport(
                "schools", len(rows) + len(skipped), problems=tuple(problems),
                skipped_rows=skipped))
        report = _apply(session, actor, _without(rows, problems), problems, write=True)
        audit.record(session, actor, "import_schools", entity="school", after={
            "rows": report.rows_read, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "skipped": len(report.skipped_rows)})
    progress(1.0, "Done")
    return report


def _without(rows: list[SchoolListRow], problems: list[ImportProblem]) -> list[SchoolListRow]:
    bad = {p.row for p in problems}
    return [r for r in rows if r.row not in bad]


def _clashes(session: Session, actor: Actor, rows: list[SchoolListRow]) -> list[ImportProblem]:
    """URNs held by another cluster, and predecessors that are neither ours nor in the file."""
    urns = {r.school.urn for r in rows} | {r.predecessor_urn for r in rows if r.predecessor_urn}
    known = {s.urn: s for s in session.exec(select(School).where(
        col(School.urn).in_(sorted(urns)))).all()}
    in_file = {r.school.urn for r in rows}
    problems = []
    for row in rows:
        other = known.get(row.school.urn)
        if other is not None and other.cluster_id != actor.cluster_id:
            problems.append(ImportProblem(row.row, "URN", f"URN {row.school.urn} is a school in "
                                          "another cluster; ask the LA to move it"))
        if row.predecessor_urn:
            before = known.get(row.predecessor_urn)
            if before is None and row.predecessor_urn not in in_file:
                problems.append(ImportProblem(row.row, "Predecessor URN",
                                              f"URN {row.predecessor_urn} is not a school in your "
                                              "cluster or in this file"))
            elif before is not None and before.cluster_id != actor.cluster_id:
                problems.append(ImportProblem(row.row, "Predecessor URN",
                                              f"URN {row.predecessor_urn} is a school in another "
                                              "cluster"))
    return problems


_EDITABLE = ("laestab", "name", "phase", "school_type")


def _apply(session: Session, actor: Actor, rows: list[SchoolListRow],
           problems: list[ImportProblem], *, write: bool) -> ImportReport:
    ours = {s.urn: s for s in session.exec(
        select(School).where(School.cluster_id == actor.cluster_id)).all()}
    created = updated = unchanged = 0
    notes = []
    for row in rows:  # schools first, so a predecessor listed later in the file exists
        school = ours.get(row.school.urn)
        values = {f: str(getattr(row.school, f)) for f in _EDITABLE}
        if school is None:
            created += 1
            if write:
                school = School(cluster_id=actor.cluster_id or 0, urn=row.school.urn,
                                laestab=values["laestab"], name=values["name"],
                                phase=values["phase"], school_type=values["school_type"])
                session.add(school)
                session.flush()
                ours[school.urn] = school
        elif any(getattr(school, f) != v for f, v in values.items()):
            updated += 1
            if write:
                for f, v in values.items():
                    setattr(school, f, v)
                session.add(school)
        else:
            unchanged += 1
    for row in rows:
        if not row.predecessor_urn:
            continue
        successor, predecessor = ours.get(row.school.urn), ours.get(row.predecessor_urn)
        if successor is None or predecessor is None:
            notes.append(f"{row.school.name} will continue the history of URN "
                         f"{row.predecessor_urn}")
            continue
        if successor.predecessor_id != predecessor.id or predecessor.active:
            notes.append(f"{successor.name} (URN {successor.urn}) continues the history of URN "
                         f"{predecessor.urn}, which is marked as closed")
            if write:
                successor.predecessor_id = predecessor.id
                predecessor.active = False
                session.add_all([successor, predecessor])
    if write:
        session.flush()
    skipped = tuple(sorted({p.row for p in problems if p.row is not None}))
    return ImportReport("schools", len(rows) + len(skipped), (), created, updated, unchanged, 0, (),
                        tuple(problems), skipped, write, tuple(notes))
