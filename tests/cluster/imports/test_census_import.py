"""The school census import on real-shaped files, and on broken ones: nothing is half-written."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.imports import ImportRejected, check_census_file, import_census
from cluster.imports.files import MAX_FILE_BYTES
from cluster.models import AuditEvent, CensusSnapshot
from tests.cluster.imports.shapes import (
    DFE_COLUMNS,
    ELSEWHERE,
    OUR_SCHOOLS,
    CensusSchool,
    csv_bytes,
    dfe_row,
    row_counts,
    set_up_cluster,
    xlsx_bytes,
)

DFE_FILE = [dfe_row(s) for s in OUR_SCHOOLS + ELSEWHERE]


def snapshots(engine: Engine) -> dict[int, tuple[int, int, int, int, dict[str, int]]]:
    with Session(engine) as session:
        return {s.school_id: (s.census_year, s.pupils, s.sen_support, s.ehc_plan,
                              dict(s.primary_needs))
                for s in session.exec(select(CensusSnapshot)).all()}


def test_a_dfe_school_level_file_imports_the_clusters_schools(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    report = import_census(engine, setup.actor, csv_bytes(DFE_FILE), "sen_school_level.csv")
    assert (report.rows_read, report.created, report.updated, report.unchanged, report.ignored) == (
        5, 3, 0, 0, 2)
    assert report.census_years == (2026,)  # time_period 202526 is the January 2026 census
    assert set(report.ignored_examples) == {"139999", "140001"}
    stored = snapshots(engine)
    high = stored[setup.school_ids["121003"]]
    assert high[:4] == (2026, 1_020, 130, 41)
    assert sum(high[4].values()) == 130 + 41
    assert set(high[4]) == {"SpLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD",
                            "ASD", "OTH", "NSA"}
    with Session(engine) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "import_census")).one()
    assert audit.after["created"] == 3 and audit.username == "host.test"


def test_re_importing_the_same_file_changes_nothing(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    import_census(sqlite_engine, setup.actor, csv_bytes(DFE_FILE), "census.csv")
    before = snapshots(sqlite_engine)
    again = import_census(sqlite_engine, setup.actor, csv_bytes(DFE_FILE), "census.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshots(sqlite_engine) == before
    with Session(sqlite_engine) as session:
        assert {s.version for s in session.exec(select(CensusSnapshot)).all()} == {1}


def test_the_same_census_as_an_excel_workbook_imports_the_same(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    from_excel = import_census(sqlite_engine, setup.actor, xlsx_bytes(DFE_FILE), "census.xlsx")
    assert from_excel.created == 3
    again = import_census(sqlite_engine, setup.actor, csv_bytes(DFE_FILE), "census.csv")
    assert again.unchanged == 3  # the CSV holds exactly what the workbook held


def test_a_changed_figure_updates_one_snapshot_and_a_new_year_adds_one(
        sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    import_census(sqlite_engine, setup.actor, csv_bytes(DFE_FILE), "census.csv")
    changed = [dict(r) for r in DFE_FILE]
    changed[0]["EHC plan"] = 15
    changed[0]["EHC_Primary_need_nsa"] = int(changed[0]["EHC_Primary_need_nsa"]) + 1  # type: ignore[call-overload]  # the cell holds a number
    report = import_census(sqlite_engine, setup.actor, csv_bytes(changed), "census.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    # Another census year is new figures beside these (January 2027 is not taken yet: refused).
    year_before = [dfe_row(s, "202425") for s in OUR_SCHOOLS]
    assert import_census(sqlite_engine, setup.actor, csv_bytes(year_before), "c.csv").created == 3


def test_columns_are_found_by_name_in_any_order_case_or_spacing(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    rows = [{"ehc_plan": s.ehc_plan, "Notes": "ignored", "urn": s.urn, "TOTAL_PUPILS": s.pupils,
             "sen  support": f"{s.sen_support:,}"} for s in OUR_SCHOOLS]
    report = import_census(sqlite_engine, setup.actor, csv_bytes(rows), "ours.csv",
                           census_year=2025)
    assert report.created == 3 and report.census_years == (2025,)
    assert snapshots(sqlite_engine)[setup.school_ids["121003"]][4] == {}  # no need columns


# --- broken files: each is refused whole, with a message naming the row and the problem -----------


def refused(engine: Engine, actor: Actor, data: bytes, name: str, **options: object
            ) -> ImportRejected:
    before = row_counts(engine)
    with pytest.raises(ImportRejected) as error:
        import_census(engine, actor, data, name, **options)  # type: ignore[arg-type]  # options vary by test
    assert row_counts(engine) == before
    return error.value


def test_missing_columns_are_named_exactly(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    columns = [c for c in DFE_COLUMNS if c not in ("SEN support", "EHC plan")]
    error = refused(engine, setup.actor, csv_bytes(DFE_FILE, columns), "census.csv")
    assert "the file has no 'SEN support', 'EHC plan' columns" in error.message
    assert [(p.row, p.column) for p in error.problems] == [(1, "SEN support"), (1, "EHC plan")]


def test_the_trimmed_national_file_is_not_a_census_and_says_why(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    data = b'"la_name","SEN_Unit","RP_Unit","Total pupils","EHC plan"\n"Norfolk","0","0","99","3"\n'
    error = refused(sqlite_engine, setup.actor, data, "national.csv")
    assert "no 'URN', 'SEN support' columns" in error.message


def test_a_windows_1252_file_is_refused_with_how_to_fix_it(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    rows = [dfe_row(CensusSchool(s.urn, s.name, s.pupils, s.sen_support, s.ehc_plan))
            for s in OUR_SCHOOLS]
    rows[2]["school_name"] = "École Wensum Valley"
    error = refused(engine, setup.actor, csv_bytes(rows, encoding="cp1252"), "census.csv")
    assert "not UTF-8 text (line 4 holds the byte 0xC9" in error.message
    assert "CSV UTF-8" in error.message


def test_a_utf16_export_is_refused(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    error = refused(sqlite_engine, setup.actor, csv_bytes(DFE_FILE, encoding="utf-16"), "c.csv")
    assert "not text" in error.message or "not UTF-8" in error.message


def test_duplicate_urns_name_both_rows(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    rows = DFE_FILE + [dfe_row(OUR_SCHOOLS[1])]
    error = refused(engine, setup.actor, csv_bytes(rows), "census.csv")
    assert [p.message for p in error.problems] == [
        "Row 7, column 'URN': URN 121002 appears again for the 2026 census (first on row 3); "
        "keep one row per school"]


def test_non_numeric_and_impossible_cells_are_named_by_row_and_column(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    spoiled = csv_bytes(DFE_FILE, cells={(0, "EHC plan"): "twelve", (1, "Total pupils"): "x",
                                         (2, "SEN support"): "-3", (3, "URN"): "12345",
                                         (4, "EHC plan"): 400})
    error = refused(engine, setup.actor, spoiled, "census.csv")
    assert [p.message for p in error.problems] == [
        "Row 2, column 'EHC plan': 'twelve' is not a whole number",
        "Row 3, column 'Total pupils': 'x' is a suppressed or missing figure; the actual count is "
        "needed",
        "Row 4, column 'SEN support': '-3' is negative; a count cannot be",
        "Row 5, column 'URN': a URN is 6 digits, and this is '12345'",
        "Row 6, column 'EHC plan': SEN support (25) plus EHC plans (400) is more than the 220 "
        "pupils on roll",
    ]
    assert error.message.startswith("Nothing was imported: 5 problems found. Row 2, column")


def test_a_file_that_is_not_csv_or_excel_is_refused(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n" * 10
    assert "only CSV (.csv) and Excel (.xlsx) files" in refused(
        sqlite_engine, setup.actor, pdf, "census.pdf").message
    assert "named .csv but is not text" in refused(
        sqlite_engine, setup.actor, pdf, "census.csv").message
    assert "old Excel 97-2003 (.xls)" in refused(
        sqlite_engine, setup.actor, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "census.xls").message
    assert "could not be opened" in refused(
        sqlite_engine, setup.actor, b"PK\x03\x04 not really a workbook", "census.xlsx").message
    assert "named .csv but is an Excel workbook" in refused(
        sqlite_engine, setup.actor, xlsx_bytes(DFE_FILE), "census.csv").message


def test_an_oversized_file_is_refused_before_it_is_read(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    huge = csv_bytes(DFE_FILE) + b"\n" * (MAX_FILE_BYTES + 1)
    error = refused(sqlite_engine, setup.actor, huge, "census.csv")
    assert "the largest accepted is 20 MB" in error.message


def test_a_file_without_a_time_period_needs_the_census_year(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    columns = [c for c in DFE_COLUMNS if c != "time_period"]
    error = refused(sqlite_engine, setup.actor, csv_bytes(DFE_FILE, columns), "census.csv")
    assert "choose the census year" in error.message


def test_a_file_for_other_schools_only_is_refused(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    error = refused(sqlite_engine, setup.actor, csv_bytes([dfe_row(s) for s in ELSEWHERE]),
                    "census.csv")
    assert "none of the file's 2 schools is in your cluster" in error.message


def test_importing_the_valid_rows_lists_what_was_skipped(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    spoiled = csv_bytes(DFE_FILE, cells={(1, "SEN support"): "n/a"})
    report = import_census(engine, setup.actor, spoiled, "census.csv",
                           import_valid_rows=True)
    assert report.written and report.skipped_rows == (3,)
    assert (report.created, report.ignored) == (2, 2)
    assert [p.message for p in report.problems] == [
        "Row 3, column 'SEN support': 'n/a' is not a whole number"]
    assert setup.school_ids["121002"] not in snapshots(engine)


def test_a_check_reports_what_would_happen_and_writes_nothing(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    before = row_counts(sqlite_engine)
    report = check_census_file(sqlite_engine, setup.actor, xlsx_bytes(DFE_FILE), "census.xlsx")
    assert (report.created, report.ignored, report.written) == (3, 2, False)
    assert row_counts(sqlite_engine) == before


def test_the_progress_bar_moves_forward_to_the_end(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    seen: list[float] = []
    rows = [dfe_row(CensusSchool(f"{200000 + n}", f"School {n}", 100, 10, 2)) for n in range(5000)]
    rows += [dfe_row(s) for s in OUR_SCHOOLS]
    import_census(sqlite_engine, setup.actor, csv_bytes(rows), "census.csv",
                  progress=lambda fraction, _message: seen.append(fraction))
    assert len(seen) > 5
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_only_the_host_imports(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    from dataclasses import replace

    school_user = replace(setup.actor, role="school")
    with pytest.raises(NotAllowed):
        import_census(sqlite_engine, school_user, csv_bytes(DFE_FILE), "census.csv")
