"""The schools list: keyed by URN, idempotent, and academy conversions keep a school's history."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.funding.budget import school_census
from cluster.imports import ImportRejected, check_schools_file, import_census, import_schools
from cluster.models import School
from tests.cluster.imports.shapes import (
    OUR_SCHOOLS,
    csv_bytes,
    dfe_row,
    row_counts,
    set_up_cluster,
    xlsx_bytes,
)

LIST = [
    {"URN": "121001", "LAESTAB": "9261001", "School name": "Aylsham Road Primary School",
     "Phase": "Primary", "Type": "Community school", "Predecessor URN": ""},
    {"URN": "121002", "LAESTAB": "9261002", "School name": "Bintree Infant School",
     "Phase": "Infant", "Type": "Community school", "Predecessor URN": ""},
    {"URN": "121003", "LAESTAB": "9261003", "School name": "Wensum Valley High School",
     "Phase": "Secondary", "Type": "Community school", "Predecessor URN": ""},
    {"URN": "121004", "LAESTAB": "9261004", "School name": "Bintree Junior School",
     "Phase": "junior", "Type": "Community school", "Predecessor URN": ""},
]


def schools(engine: Engine) -> dict[str, School]:
    with Session(engine) as session:
        return {s.urn: s for s in session.exec(select(School)).all()}


def test_a_schools_list_adds_new_schools_and_is_idempotent(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    report = import_schools(engine, setup.actor, csv_bytes(LIST), "schools.csv")
    # The infant and the high school were set up as "primary": the list corrects their phase.
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    assert schools(engine)["121004"].phase == "junior"
    again = import_schools(engine, setup.actor, xlsx_bytes(LIST), "schools.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_an_academy_conversion_links_the_new_urn_to_the_old_and_history_continues(
        engine: Engine) -> None:
    setup = set_up_cluster(engine)
    import_census(engine, setup.actor, csv_bytes([dfe_row(s) for s in OUR_SCHOOLS]), "c.csv")
    converted = LIST[:2] + [{"URN": "149876", "LAESTAB": "9264001",
                             "School name": "Wensum Valley Academy", "Phase": "Secondary",
                             "Type": "Academy converter", "Predecessor URN": "121003"}]
    report = import_schools(engine, setup.actor, csv_bytes(converted), "schools.csv")
    assert report.created == 1
    assert report.notes == ("Wensum Valley Academy (URN 149876) continues the history of URN "
                            "121003, which is marked as closed",)
    stored = schools(engine)
    assert stored["149876"].predecessor_id == stored["121003"].id
    assert not stored["121003"].active and stored["149876"].active
    with Session(engine) as session:
        academy = session.get(School, stored["149876"].id)
        assert academy is not None
        history = school_census(session, academy, 2026)
    assert (history.census_year, history.pupils) == (2026, 1_020)  # the old URN's census
    again = import_schools(engine, setup.actor, csv_bytes(converted), "schools.csv")
    assert again.notes == () and again.unchanged == 3


def test_bad_rows_are_named_and_nothing_is_written(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    spoiled = csv_bytes(LIST, cells={(1, "Phase"): "College", (2, "LAESTAB"): "926-12",
                                     (3, "Predecessor URN"): "999999"})
    before = row_counts(engine)
    with pytest.raises(ImportRejected) as error:
        import_schools(engine, setup.actor, spoiled, "schools.csv")
    assert row_counts(engine) == before
    assert [p.message for p in error.value.problems] == [
        "Row 3, column 'Phase': 'College' is not a phase: use nursery, infant, junior, primary, "
        "secondary or all-through",
        "Row 4, column 'LAESTAB': LAESTAB must be 7 digits: the 3-digit LA code then 4 digits",
        "Row 5, column 'Predecessor URN': URN 999999 is not a school in your cluster or in this "
        "file",
    ]


def test_a_check_writes_nothing_and_missing_columns_are_named(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    before = row_counts(sqlite_engine)
    report = check_schools_file(sqlite_engine, setup.actor, csv_bytes(LIST), "schools.csv")
    assert report.created == 1 and not report.written
    assert row_counts(sqlite_engine) == before
    with pytest.raises(ImportRejected, match="the schools list has no 'Phase', 'Type' column"):
        import_schools(sqlite_engine, setup.actor,
                       csv_bytes(LIST, ["URN", "LAESTAB", "School name"]), "schools.csv")
