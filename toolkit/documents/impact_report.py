"""The governors' impact report (PDF and Word) for the cluster or one school, and the tables the
impact dashboard shows: one set of rows for screen, Excel and the documents, so they always agree.

Figures come already suppressed from `cluster.outcomes.dashboard`; a hidden count of pupils reads
"fewer than 5", hidden money, percentages and outcomes "hidden" (`cluster.disclosure`).
No pupil reference, request title or free text from a request, review or impact record is in them.
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cluster.common.calendar import AcademicYear
from cluster.common.file_names import file_slug
from cluster.common.support_class import FAQ_AIM, SUPPORT_CLASSES
from cluster.disclosure.suppression import HIDDEN_COUNT, HIDDEN_FIGURE, hidden_note, percent_text
from cluster.outcomes.dashboard import Dashboard, MoneyRow, OutcomeRow, TrendRow
from cluster.papers.document import (
    Block,
    Cell,
    Count,
    Document,
    Figure,
    Heading,
    Money,
    Paragraph,
    Section,
    table,
)
from cluster.reporting.needs_led import NeedsLedView

EDITION = "Governors' edition: figures for groups of pupils only"
Row = dict[str, Cell]


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    rows: tuple[Row, ...]
    caption: str = ""

    @property
    def headers(self) -> list[str]:
        return list(self.rows[0]) if self.rows else []


def count(value: int | None) -> Count:
    """A count of pupils."""
    return Count(value, HIDDEN_COUNT)


def outcomes(value: int | None) -> Count:
    """A count of outcomes: hidden with its pupils, but not itself fewer than 5."""
    return Count(value, HIDDEN_FIGURE)


def money(pence: int | None) -> Money:
    return Money(pence, HIDDEN_FIGURE)


def pct(percent: float | None) -> Figure:
    """A percentage: a fraction with a % format in a workbook, "45%" on paper."""
    return Figure(None if percent is None else percent / 100, percent_text(percent), "0%")


NOT_APPLICABLE = "–"


def rate(value: float | int | None, whole: int | None, shown: Cell) -> Cell:
    """A percentage or a cost per outcome: a dash when there is nothing to divide by (none
    judged, or nothing received), "hidden" when it is hidden."""
    if whole == 0:
        return NOT_APPLICABLE
    return HIDDEN_FIGURE if value is None else shown


def _label(row: MoneyRow | OutcomeRow, total: str) -> str:
    return total if row.is_total else str(row.label)


def money_table(rows: Sequence[MoneyRow], first: str, total: str) -> tuple[Row, ...]:
    whole = next((r.received_pence for r in rows if r.is_total), None)
    return tuple({first: _label(r, total), "Pupils": count(r.pupils),
                  "Asked": money(r.asked_pence), "Received": money(r.received_pence),
                  "Unmet need": money(r.unmet_pence),
                  "Share received": rate(r.share_pct, whole, pct(r.share_pct))}
                 for r in rows)


def outcome_table(rows: Sequence[OutcomeRow], first: str, total: str) -> tuple[Row, ...]:
    return tuple({first: _label(r, total), "Pupils": count(r.pupils),
                  "Outcomes judged": outcomes(r.outcomes), "Met or exceeded": outcomes(r.met),
                  "% met": rate(r.met_pct, r.outcomes, pct(r.met_pct)),
                  "Spent": money(r.spend_pence),
                  "Cost per outcome met": rate(r.cost_per_met_pence, r.met,
                                               money(r.cost_per_met_pence))} for r in rows)


def trend_table(rows: Sequence[TrendRow]) -> tuple[Row, ...]:
    return tuple({"Year": r.year_label, "Pupils": count(r.pupils),
                  "Received": money(r.received_pence), "Unmet need": money(r.unmet_pence),
                  "Outcomes judged": outcomes(r.outcomes), "Met or exceeded": outcomes(r.met),
                  "% met": rate(r.met_pct, r.outcomes, pct(r.met_pct)),
                  "Cost per outcome met": rate(r.cost_per_met_pence, r.met,
                                               money(r.cost_per_met_pence))}
                 for r in rows)


def report_tables(board: Dashboard) -> list[ReportTable]:
    """The dashboard's tables, in the order the report and the screen show them."""
    one_school = board.school_id is not None
    year = board.year_label
    whole = "the cluster, " if one_school else ""
    split = ("One school's money is not split by area or kind: the groups are too small to "
             "show without identifying pupils." if one_school else "")
    tables = [
        ReportTable("by-school", f"Money received by school, {year}" if not one_school else
                    f"Money received, {year}",
                    money_table(board.by_school, "School", "The cluster"),
                    "Received: awarded at this year's meetings, net of money returned. Unmet "
                    "need: asked for and not awarded."),
        ReportTable("by-area", f"By area of need ({whole}{year})",
                    money_table(board.by_area, "Area of need", "All (the cluster)"), split),
        ReportTable("by-kind", f"By kind of provision ({whole}{year})",
                    money_table(board.by_kind, "Kind of provision", "All (the cluster)"), split),
    ]
    if one_school:
        tables.append(ReportTable("outcomes-school", f"Outcomes met ({board.outcome_years})",
                                  outcome_table(board.outcomes_by_school, "School",
                                                "The cluster"),
                                  "Outcomes are judged when an award ends: exceeded, met, "
                                  "partly met or not met."))
    tables += [
        ReportTable("outcomes-kind", "Which kinds of provision met their outcomes, at what cost "
                    f"(the cluster, {board.outcome_years})",
                    outcome_table(board.outcomes_by_kind, "Kind of provision", "The cluster"),
                    "Cost per outcome met: what the awards cost (net of money returned) divided "
                    "by the outcomes met or exceeded."),
        ReportTable("outcomes-area", f"Outcomes by area of need (the cluster, "
                    f"{board.outcome_years})",
                    outcome_table(board.outcomes_by_area, "Area of need", "The cluster")),
    ]
    if not one_school:
        tables.append(ReportTable("outcomes-school", f"Outcomes by school ({board.outcome_years})",
                                  outcome_table(board.outcomes_by_school, "School",
                                                "The cluster")))
    tables.append(ReportTable("trends", "Trends across years" + (" (our school)" if one_school
                                                                  else ""),
                              trend_table(board.trends),
                              "Outcomes are counted in the year the award was made."))
    return tables


def heading(board: Dashboard) -> Heading:
    return Heading(title="Governors' impact report", cluster_name=board.cluster_name,
                   subtitle=f"{board.scope_label} · {board.year_label}",
                   produced_on=board.produced_on, edition=EDITION)


def file_name(board: Dashboard, extension: str) -> str:
    scope = "cluster" if board.school_id is None else board.scope_label
    return f"impact-report-{file_slug(scope)}-{file_slug(board.year_label)}.{extension}"


ABOUT = ("Every figure is about a group of pupils. Figures about fewer than 5 pupils, and any "
         "figure that would let one be worked out from the totals, are not shown, so that no "
         "child can be identified. Reviews and impact are recorded by the schools and confirmed "
         "at the cluster's meetings.")


NEEDS_LED = "From hours to needs-led support"


def needs_led_blocks(view: NeedsLedView) -> list[Block]:
    """The cluster's move from hours to needs-led support (FAQ 20-21): each year's share of its
    money by class of support, as Finance shows it to governors."""
    blocks: list[Block] = [Section(NEEDS_LED), Paragraph(FAQ_AIM)]
    if not view.years:
        return [*blocks, Paragraph("No awards yet to put in classes of support.")]
    caption = ("Share of each year's money (the cluster's awards, net of money returned, in the "
               "year of the meeting that made them) by the class their kind of provision gives, "
               "or the host's correction.")
    blocks.append(Paragraph(caption + (" " + hidden_note("awards") if view.suppressed else "")))
    rows: list[list[Cell]] = [
        [AcademicYear(year).label, *[pct(view.cell(year, name).share) for name in SUPPORT_CLASSES],
         money(pence)] for year, pence in zip(view.years, view.year_pence, strict=True)]
    blocks.append(table(["Year", *SUPPORT_CLASSES, "All money"], rows, title="Needs-led shares"))
    return blocks


def impact_report_document(board: Dashboard, needs_led: NeedsLedView | None = None
                           ) -> Document:
    """The report once, for the PDF and Word renderers alike; `needs_led` the cluster's shares by
    class of support (from `needs_led_shares(..., published=True)`)."""
    blocks: list[Block] = [Section("Summary"), *[Paragraph(line) for line in board.summary],
                           Paragraph(board.note)]
    for report in report_tables(board):
        blocks.append(Section(report.title))
        if report.caption:
            blocks.append(Paragraph(report.caption))
        blocks.append(table(report.headers, [list(row.values()) for row in report.rows],
                            title=report.title[:31]))
    if needs_led is not None:
        blocks += needs_led_blocks(needs_led)
    blocks += [Section("About these figures"), Paragraph(ABOUT)]
    return Document(heading(board), tuple(blocks))
