"""Census and school imports (host): the school census (DfE school-level SEN file), the schools
list, and the LA benchmarks from the DfE national file. CSV or Excel; nothing is written from a
file with problems unless the host chooses to import the valid rows."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cluster.core.clock import today
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.imports import (
    MAX_FILE_BYTES,
    ImportRejected,
    ImportReport,
    check_census_file,
    check_schools_file,
    import_benchmarks,
    import_census,
    import_schools,
)
from cluster.imports.census_years import (
    census_year_choice,
    imported_years,
    remove_benchmark_year,
    remove_census_year,
)
from toolkit import state
from toolkit.components.year import view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

CENSUS = "School census (DfE school-level SEN file, by URN)"
SCHOOLS = "Schools list (URN, LAESTAB, school name, phase, type, predecessor URN)"
BENCHMARKS = "LA benchmarks (the DfE national school-level SEN file)"
KINDS = (CENSUS, SCHOOLS, BENCHMARKS)
HELP = {
    CENSUS: "Columns by name: URN, Total pupils, SEN support, EHC plan (required); time_period; "
            "EHC_Primary_need_<code> and SUP_Primary_need_<code>. Schools outside the cluster are "
            "passed over, so the national file itself can be imported.",
    SCHOOLS: "Columns by name: URN, LAESTAB, School name, Phase, Type, and optionally Predecessor "
             "URN: after an academy conversion, list the new URN with the old one as predecessor "
             "and the school's history continues.",
    BENCHMARKS: "Columns by name: la_name, Total pupils, EHC plan (required); SEN support and "
                "time_period when present. Every row is a school; identical rows are different "
                "schools.",
}


def render() -> None:
    actor = guard_view(__file__)
    st.title("Census and school imports")
    st.caption(f"CSV (UTF-8) or Excel (.xlsx), up to {MAX_FILE_BYTES // 1_048_576} MB. Columns "
               "are found by name; extra columns are ignored. Re-importing the same file changes "
               "nothing.")
    kind = st.radio("What are you importing?", KINDS, key=state.IMPORT_KIND)
    st.caption(HELP[kind])
    upload = st.file_uploader("The file", key=f"{state.IMPORT_FILE}.{KINDS.index(kind)}",
                              max_upload_size=50)
    if upload is None:
        _imported_years(actor)
        return
    data, name = upload.getvalue(), upload.name
    census_year = _census_year(data, name) if kind != SCHOOLS else None
    valid_only = st.checkbox("If some rows have problems, import the valid rows and list the rows "
                             "skipped", key=state.IMPORT_VALID_ROWS)
    first, second = st.columns(2)
    check = first.button("Check the file", disabled=kind == BENCHMARKS)
    go = second.button("Import", type="primary")
    if check:
        _run(lambda progress: _check(actor, kind, data, name, census_year, progress))
    if go:
        _run(lambda progress: _import(actor, kind, data, name, census_year, valid_only, progress))
    view_link(actor, "send-profile", "See the SEND profile")


def _census_year(data: bytes, name: str) -> int | None:
    """The host's choice when the file does not say its census year; None when the file says
    it (the service reads it row by row), when none is chosen yet (the import is refused, saying
    so) or the file cannot be read (the import names its problems). Never a default."""
    try:
        choice = census_year_choice(data, name)
    except ClusterError:
        return None
    if choice.has_time_period:
        years = ", ".join(f"January {y}" for y in choice.from_file) or "no year it can read"
        st.info(f"The file's time_period column says which census it holds: {years}.")
        return None
    st.markdown("**This file does not say which census it holds.** Choose the January census "
                "it is from: the figures are filed under that year.")
    latest = today().year
    year = st.number_input(
        "Census year (January)", min_value=2000, max_value=latest, value=choice.suggested,
        step=1, placeholder="for example 2021", key=f"{state.IMPORT_CENSUS_YEAR}.{name}",
        help="Suggested from the year in the file name." if choice.suggested else
        "The file name has no year in it.")
    if year is None:
        st.warning("Choose the census year before importing.")
        return None
    if choice.suggested:
        st.caption(f"Suggested from the file name '{name}'.")
    return int(year)


def _imported_years(actor: Actor) -> None:
    """Each census year on record, with a way to remove one imported under the wrong year."""
    years = imported_years(engine(), actor)
    if not years.census and not years.benchmarks:
        return
    st.subheader("Census years on record")
    st.caption("Each year stands on its own: charts and tables never add two years together. "
               "Remove a year imported under the wrong year, then import it again.")
    for label, rows, noun, remove in (
            ("School census", years.census, "schools", remove_census_year),
            ("LA benchmarks", years.benchmarks, "LAs and England", remove_benchmark_year)):
        for item in rows:
            first, second = st.columns([3, 1])
            first.markdown(f"{label}, January {item.census_year}: {item.rows:,} {noun}")
            if second.button("Remove", key=f"remove.{label}.{item.census_year}"):
                try:
                    gone = remove(engine(), actor, item.census_year)
                except ClusterError as error:
                    st.error(error.message)
                    return
                st.toast(f"Removed {label.lower()} for January {item.census_year} "
                         f"({gone:,} {noun}).")
                st.rerun()


def _check(actor: Actor, kind: str, data: bytes, name: str, year: int | None,
           progress: Callable[[float, str], None]) -> ImportReport:
    if kind == CENSUS:
        return check_census_file(engine(), actor, data, name, census_year=year, progress=progress)
    return check_schools_file(engine(), actor, data, name, progress=progress)


def _import(actor: Actor, kind: str, data: bytes, name: str, year: int | None, valid_only: bool,
            progress: Callable[[float, str], None]) -> ImportReport:
    if kind == CENSUS:
        return import_census(engine(), actor, data, name, census_year=year,
                             import_valid_rows=valid_only, progress=progress)
    if kind == SCHOOLS:
        return import_schools(engine(), actor, data, name, import_valid_rows=valid_only,
                              progress=progress)
    return import_benchmarks(engine(), actor, data, name, census_year=year,
                             import_valid_rows=valid_only, progress=progress)


def _run(action: Callable[[Callable[[float, str], None]], ImportReport]) -> None:
    bar = st.progress(0.0, text="Starting")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        report = action(progress)
    except ImportRejected as error:
        bar.empty()
        st.error(error.message)
        _problems(error.problems)
        if any(p.row is not None and p.row > 1 for p in error.problems):
            st.info("Fix these rows and upload the file again, or tick 'import the valid rows' "
                    "to import the rest and skip these.")
        return
    except ClusterError as error:
        bar.empty()
        st.error(error.message)
        return
    bar.progress(1.0, text="Done")
    _report(report)


def _report(report: ImportReport) -> None:
    verb = "Imported" if report.written else "Checked"
    years = ", ".join(str(y) for y in report.census_years)
    st.success(f"{verb} {report.rows_read:,} rows" + (f" (census {years})" if years else "") +
               f": {report.created:,} new, {report.updated:,} changed, "
               f"{report.unchanged:,} unchanged" +
               (f", {report.ignored:,} for schools outside the cluster" if report.ignored else "")
               + ("." if report.written else ". Nothing has been written yet."))
    for note in report.notes:
        st.markdown(f"- {note}")
    if report.problems:
        st.warning(f"{len(report.skipped_rows):,} row(s) "
                   f"{'were skipped' if report.written else 'have problems'}:")
        _problems(report.problems)


def _problems(problems: tuple) -> None:
    st.dataframe([{"Row": p.row if p.row is not None else "file", "Column": p.column or "",
                   "Problem": p.reason} for p in problems[:500]], hide_index=True,
                 width="stretch")


render()
