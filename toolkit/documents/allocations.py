"""The allocations workbook for the LA's finance team (xlsx). No Streamlit here.

Sheets: one row per award; per-school totals; the pot arithmetic; and, for maintained schools
(whose accounts run April to March), each school's payments split by financial year. Every cell
goes through `cluster.papers.workbook.write_row`, so no text can ever be read as a formula.
Money is written as numbers of pounds with a £ format and dates as dates, so the finance team can
add them up and sort them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cluster.common.calendar import format_date
from cluster.papers.document import Money
from cluster.papers.workbook import sheet_title, write_row
from cluster.reporting.allocations import Allocations


def _pounds(pence: int) -> Money:
    return Money(pence)


def _header(sheet: Worksheet, names: Sequence[str]) -> None:
    write_row(sheet, names, bold=True)


def _format(sheet: Worksheet) -> None:
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18


def _notes(sheet: Worksheet, data: Allocations, title: str) -> None:
    for line in (title, f"{data.cluster_name}, {data.la_name}",
                 f"Academic year {data.year_label}; produced {format_date(data.produced_on)}",
                 "Awards are whole pounds, paid in equal instalments, one a term."):
        write_row(sheet, [line])
    write_row(sheet, [])


AWARD_COLUMNS = ("Meeting", "Decided on", "School", "URN", "LAESTAB", "School type",
                 "Maintained", "Request", "Kind", "Area of need", "Decision", "Amount (£)",
                 "Terms", "Instalments", "First payment", "Last payment", "Stopped (£)",
                 "From emergency reserve")


def allocations_workbook(data: Allocations) -> bytes:
    workbook = Workbook()
    awards = workbook.active
    awards.title = sheet_title("Awards")
    _notes(awards, data, "Allocations: one row per award")
    _header(awards, AWARD_COLUMNS)
    for r in data.rows:
        write_row(awards, [r.meeting, r.decided_on, r.school_name, r.urn, r.laestab,
                           r.school_type, "yes" if r.maintained else "no", r.request_id, r.kind,
                           r.main_area, r.decision, _pounds(r.amount_pence), r.terms,
                           r.instalments, r.first_due, r.last_due, _pounds(r.stopped_pence),
                           "yes" if r.from_reserve else "no"])
    write_row(awards, ["Total", None, None, None, None, None, None, None, None, None, None,
                       _pounds(sum(r.amount_pence for r in data.rows)), None, None, None, None,
                       _pounds(sum(r.stopped_pence for r in data.rows)), None])
    _format(awards)

    totals = workbook.create_sheet(sheet_title("School totals"))
    _notes(totals, data, "Per-school totals")
    _header(totals, ["School", "URN", "LAESTAB", "Maintained", "Awards", "Amount (£)",
                     "Stopped (£)", "To be paid (£)"])
    for t in data.totals:
        write_row(totals, [t.school_name, t.urn, t.laestab, "yes" if t.maintained else "no",
                           t.awards, _pounds(t.amount_pence), _pounds(t.stopped_pence),
                           _pounds(t.amount_pence - t.stopped_pence)])
    amount = sum(t.amount_pence for t in data.totals)
    stopped = sum(t.stopped_pence for t in data.totals)
    write_row(totals, ["Cluster", None, None, None, sum(t.awards for t in data.totals),
                       _pounds(amount), _pounds(stopped), _pounds(amount - stopped)])
    _format(totals)

    pot = workbook.create_sheet(sheet_title("Pot"))
    _notes(pot, data, "The pot arithmetic")
    _header(pot, ["Line", "Amount (£)"])
    for label, pence in data.pot_lines:
        write_row(pot, [label, _pounds(pence)])
    write_row(pot, ["Awards agreed this year (full amounts)", _pounds(amount)])
    write_row(pot, ["Instalments stopped after reviews", _pounds(stopped)])
    _format(pot)

    years = workbook.create_sheet(sheet_title("Financial years"))
    _notes(years, data, "Maintained schools: payments by financial year (April to March)")
    _header(years, ["School", "LAESTAB", *[f"FY {y}" for y in data.financial_years], "Total"])
    for name, laestab, split in data.fy_rows:
        write_row(years, [name, laestab, *[_pounds(p) for p in split], _pounds(sum(split))])
    column_totals = [sum(split[i] for _, _, split in data.fy_rows)
                     for i in range(len(data.financial_years))]
    write_row(years, ["All maintained schools", None, *[_pounds(p) for p in column_totals],
                      _pounds(sum(column_totals))])
    _format(years)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def allocations_file_name(data: Allocations) -> str:
    return f"allocations-{data.year_label.replace('/', '-')}.xlsx"
