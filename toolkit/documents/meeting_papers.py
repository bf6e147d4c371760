"""A meeting's papers as PDF and Word: the members' pack, the governors' editions of the pack and
the minutes, and the minutes. Built from the plain data `cluster.meetings.papers` returns; no
Streamlit.

Governors' editions are built from aggregate data only: they never receive a pupil reference, so
they cannot print one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.links import Record, record_link
from cluster.disclosure.suppression import count_text, pounds_text
from cluster.meetings.papers import (
    GovernorsMinutes,
    GovernorsPack,
    GroupLine,
    MembersPack,
    MinutesPaper,
    PackRequest,
)
from toolkit.documents.markdown_text import pdf_markdown, word_markdown
from toolkit.documents.office import Heading, OfficePdf, word_bytes, word_document, word_table

MEMBERS = "Members' edition"
GOVERNORS = ("Governors' edition: figures for groups of pupils only; figures about fewer than 5 "
             "pupils are hidden")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"


def _money(pence: int | None) -> str:
    return pounds_text(pence)


def _count(value: int | None) -> str:
    """A count of pupils, requests, reviews or urgent awards."""
    return count_text(value)


def _need(score: float | None) -> str:
    return "-" if score is None else f"{score:g}"


# --- the members' pack ----------------------------------------------------------------------------


def _pack_heading(pack: MembersPack | GovernorsPack, edition: str) -> Heading:
    return Heading("Meeting papers", pack.cluster_name, pack.meeting.subtitle, pack.produced_on,
                   edition)


def _request_lines(request: PackRequest) -> list[tuple[str, str]]:
    lines = [("School", request.school_name), ("Kind", request.kind_label),
             ("Main area of need", request.main_area),
             ("Asked", f"{format_pounds(request.asked_pence)} for {request.terms} term(s); "
                       f"minimum worth doing {format_pounds(request.minimum_pence)}"),
             ("Need score", _need(request.need_score) + (f" ({request.band})"
                                                         if request.band else "")),
             ("Suggested", "-" if request.suggested_pence is None
              else format_pounds(request.suggested_pence))]
    if request.pupils:
        lines.append(("Pupils", "; ".join(
            f"{p.reference}: {p.year_group}, {p.sen_status}, {p.primary_need}"
            for p in request.pupils)))
    link = record_link(Record.REQUEST, request.request_id)
    if link:
        lines.append(("In the toolkit", link))
    return lines


def members_pack_pdf(pack: MembersPack) -> bytes:
    pdf = OfficePdf(_pack_heading(pack, MEMBERS))
    pdf.section("1. Agenda")
    pdf_markdown(pdf, pack.agenda_md or "No agenda has been set for this meeting.")
    if pack.budget_lines:
        pdf.section("2. Budget position")
        pdf.table_of(["", "Amount"], [(label, format_pounds(p)) for label, p in pack.budget_lines],
                     widths=(3, 1))
    if pack.requests:
        pdf.section("3. Requests for this round and the suggested split")
        pdf.paragraph(pack.suggestion_words)
        pdf.table_of(["No.", "School", "Asked", "Need score", "Suggested"],
                     [(r.request_id, r.school_name, format_pounds(r.asked_pence),
                       _need(r.need_score), "-" if r.suggested_pence is None
                       else format_pounds(r.suggested_pence)) for r in pack.requests],
                     widths=(1, 5, 2, 2, 2))
        for request in pack.requests:
            pdf.section(f"Request {request.request_id}: {request.title}")
            pdf.table_of(["", ""], _request_lines(request), widths=(1, 3))
            if request.withheld:
                pdf.paragraph(request.withheld)
            if request.need_summary:
                pdf.paragraph(f"Need: {request.need_summary}")
            for flag in request.flags:
                pdf.paragraph(f"Flag: {flag}")
            if request.suggestion_text:
                pdf.paragraph(f"Why this suggestion: {request.suggestion_text}")
    pdf.section("4. Reviews due at this meeting")
    if pack.reviews_due:
        pdf.table_of(["No.", "School", "Request", "Award", "Status", "Note"],
                     [(r.request_id, r.school_name, r.title, format_pounds(r.agreed_pence),
                       r.status, r.note) for r in pack.reviews_due],
                     widths=(1, 4, 5, 2, 4, 2))
    else:
        pdf.paragraph("None.")
    return pdf.to_bytes()


def members_pack_docx(pack: MembersPack) -> bytes:
    document = word_document(_pack_heading(pack, MEMBERS))
    document.add_heading("1. Agenda", level=1)
    word_markdown(document, pack.agenda_md or "No agenda has been set for this meeting.")
    if pack.budget_lines:
        document.add_heading("2. Budget position", level=1)
        word_table(document, ["", "Amount"],
                   [(label, format_pounds(p)) for label, p in pack.budget_lines])
    if pack.requests:
        document.add_heading("3. Requests for this round and the suggested split", level=1)
        document.add_paragraph(pack.suggestion_words)
        for request in pack.requests:
            document.add_heading(f"Request {request.request_id}: {request.title}", level=2)
            word_table(document, ["", ""], _request_lines(request))
            if request.withheld:
                document.add_paragraph(request.withheld)
            if request.need_summary:
                document.add_paragraph(f"Need: {request.need_summary}")
            for flag in request.flags:
                document.add_paragraph(f"Flag: {flag}", style="List Bullet")
            if request.suggestion_text:
                document.add_paragraph(f"Why this suggestion: {request.suggestion_text}")
    document.add_heading("4. Reviews due at this meeting", level=1)
    if pack.reviews_due:
        word_table(document, ["No.", "School", "Request", "Award", "Status", "Note"],
                   [(r.request_id, r.school_name, r.title, format_pounds(r.agreed_pence),
                     r.status, r.note) for r in pack.reviews_due])
    else:
        document.add_paragraph("None.")
    return word_bytes(document)


# --- the governors' edition of the pack -----------------------------------------------------------


def _group_rows(lines: Sequence[GroupLine], total: GroupLine, second: bool) -> list[tuple]:
    rows = []
    for line in (*lines, total):
        row = [line.label, _count(line.requests), _count(line.pupils), _money(line.first_pence)]
        if second:
            row.append(_money(line.second_pence))
        rows.append(tuple(row))
    return rows


_PACK_HEADERS = ["Area of need", "Requests", "Pupils", "Asked", "Suggested"]


def governors_pack_pdf(pack: GovernorsPack) -> bytes:
    pdf = OfficePdf(_pack_heading(pack, GOVERNORS))
    pdf.section("1. Agenda")
    pdf_markdown(pdf, pack.agenda_md or "No agenda has been set for this meeting.")
    if pack.budget_lines:
        pdf.section("2. Budget position")
        pdf.table_of(["", "Amount"], [(label, _money(p)) for label, p in pack.budget_lines],
                     widths=(3, 1))
    pdf.section("3. Requests for this round, by area of need")
    pdf.table_of(_PACK_HEADERS, _group_rows(pack.areas, pack.total, True), widths=(4, 2, 2, 2, 2))
    pdf.section("4. Reviews due at this meeting")
    pdf.paragraph(f"Reviews due: {_count(pack.reviews_due)}.")
    return pdf.to_bytes()


def governors_pack_docx(pack: GovernorsPack) -> bytes:
    document = word_document(_pack_heading(pack, GOVERNORS))
    document.add_heading("1. Agenda", level=1)
    word_markdown(document, pack.agenda_md or "No agenda has been set for this meeting.")
    if pack.budget_lines:
        document.add_heading("2. Budget position", level=1)
        word_table(document, ["", "Amount"], [(label, _money(p)) for label, p in pack.budget_lines])
    document.add_heading("3. Requests for this round, by area of need", level=1)
    word_table(document, _PACK_HEADERS, _group_rows(pack.areas, pack.total, True))
    document.add_heading("4. Reviews due at this meeting", level=1)
    document.add_paragraph(f"Reviews due: {_count(pack.reviews_due)}.")
    return word_bytes(document)


# --- minutes --------------------------------------------------------------------------------------


def _minutes_heading(paper: MinutesPaper | GovernorsMinutes, edition: str) -> Heading:
    return Heading("Minutes", paper.cluster_name, paper.meeting.subtitle, paper.produced_on,
                   edition)


def _without_title(body: str) -> str:
    """The minutes text opens with its own title line; the page's title block already says it."""
    lines = body.splitlines()
    return "\n".join(lines[1:]) if lines and lines[0].startswith("# ") else body


def minutes_pdf(paper: MinutesPaper) -> bytes:
    pdf = OfficePdf(_minutes_heading(paper, MEMBERS))
    pdf.paragraph(paper.status_line)
    pdf_markdown(pdf, _without_title(paper.body_md))
    return pdf.to_bytes()


def minutes_docx(paper: MinutesPaper) -> bytes:
    document = word_document(_minutes_heading(paper, MEMBERS))
    document.add_paragraph(paper.status_line)
    word_markdown(document, _without_title(paper.body_md))
    return word_bytes(document)


_DECISION_HEADERS = ["Decision", "Requests", "Pupils", "Agreed"]
_ATTENDANCE_HEADERS = ["School", "Headteacher", "SENCO", "Governor"]
_ACTION_HEADERS = ["Action", "Owner", "Due", "Done"]


def governors_minutes_pdf(paper: GovernorsMinutes) -> bytes:
    pdf = OfficePdf(_minutes_heading(paper, GOVERNORS))
    pdf.paragraph(paper.status_line)
    pdf.section("1. Attendance and apologies")
    pdf.paragraph(paper.quorum)
    pdf.table_of(_ATTENDANCE_HEADERS, paper.attendance, widths=(4, 2, 2, 2))
    pdf.section("2. Decisions")
    pdf.table_of(_DECISION_HEADERS, _group_rows(paper.decisions, paper.total, False),
                 widths=(4, 2, 2, 2))
    pdf.paragraph(f"Urgent decisions from the emergency reserve put to this meeting: "
                  f"{_count(paper.urgent)}.")
    pdf.section("3. Actions")
    if paper.actions:
        pdf.table_of(_ACTION_HEADERS, paper.actions, widths=(6, 3, 2, 1))
    else:
        pdf.paragraph("None agreed.")
    return pdf.to_bytes()


def governors_minutes_docx(paper: GovernorsMinutes) -> bytes:
    document = word_document(_minutes_heading(paper, GOVERNORS))
    document.add_paragraph(paper.status_line)
    document.add_heading("1. Attendance and apologies", level=1)
    document.add_paragraph(paper.quorum)
    word_table(document, _ATTENDANCE_HEADERS, paper.attendance)
    document.add_heading("2. Decisions", level=1)
    word_table(document, _DECISION_HEADERS, _group_rows(paper.decisions, paper.total, False))
    document.add_paragraph(f"Urgent decisions from the emergency reserve put to this meeting: "
                           f"{_count(paper.urgent)}.")
    document.add_heading("3. Actions", level=1)
    if paper.actions:
        word_table(document, _ACTION_HEADERS, paper.actions)
    else:
        document.add_paragraph("None agreed.")
    return word_bytes(document)


def file_stem(kind: str, meeting_half_term: str, held_on: date) -> str:
    day = format_date(held_on).replace("/", "-")
    return f"{kind}-{meeting_half_term.lower().replace(' ', '-')}-{day}"

