"""A meeting's papers built once as documents (`cluster.papers.document`): the members' pack, the
governors' editions of the pack and the minutes, the minutes, and the decision letters. The PDF,
Word and Excel renderers in `cluster.papers` lay each one out; nothing here knows a format.

Governors' editions are built from aggregate data only: they never receive a pupil reference, so
they cannot print one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cluster.common.calendar import format_date
from cluster.common.file_names import file_slug
from cluster.core.links import Record, record_link
from cluster.disclosure.suppression import HIDDEN_COUNT
from cluster.meetings.context import MeetingPaper
from cluster.meetings.grouped import GroupLine
from cluster.meetings.letters import DecisionLetter, LetterItem
from cluster.meetings.papers import (
    GovernorsMinutes,
    GovernorsPack,
    MembersPack,
    MinutesPaper,
    PackRequest,
)
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
    Space,
    from_markdown,
    table,
)
from cluster.requests.need_score import score_text
from cluster.requests.reconsiderations import ASK_WITHIN_DAYS

MEMBERS = "Members' edition"
GOVERNORS = ("Governors' edition: figures for groups of pupils only; figures about fewer than 5 "
             "pupils are hidden")
NO_AGENDA = "No agenda has been set for this meeting."
PACK, MINUTES = "Meeting papers", "Minutes"


def _need(score: float | None) -> Cell:
    return "-" if score is None else Figure(score, score_text(score))


def _count(value: int | None) -> Count:
    return Count(value, HIDDEN_COUNT)


def _heading(title: str, paper: MeetingPaper, edition: str = "") -> Heading:
    return Heading(title, paper.cluster_name, paper.meeting.subtitle, paper.produced_on, edition)


# --- the members' pack ----------------------------------------------------------------------------


def _request_lines(request: PackRequest) -> list[tuple[Cell, Cell]]:
    lines: list[tuple[Cell, Cell]] = [
        ("School", request.school_name), ("Kind", request.kind_label),
        ("Main area of need", request.main_area), ("Asked", Money(request.asked_pence)),
        ("For", f"{request.asked_terms} term(s)"),
        ("Minimum worth doing", Money(request.minimum_pence)),
        ("Need score", _need(request.need_score)),
        ("Suggested", "-" if request.suggested_pence is None else Money(request.suggested_pence))]
    if request.band:
        lines.insert(7, ("Need band", request.band))
    if request.pupils:
        lines.append(("Pupils", "; ".join(p.words for p in request.pupils)))
    link = record_link(Record.REQUEST, request.request_id)
    if link:
        lines.append(("In the toolkit", link))
    return lines


def _request_blocks(request: PackRequest) -> list[Block]:
    blocks: list[Block] = [Section(f"Request {request.request_id}: {request.title}", 2),
                           table(["", ""], _request_lines(request), widths=(1, 3),
                                 title=f"Request {request.request_id}")]
    if request.withheld:
        blocks.append(Paragraph(request.withheld))
    if request.need_summary:
        blocks.append(Paragraph(f"Need: {request.need_summary}"))
    blocks += [Paragraph(f"Flag: {flag}", bullet=True) for flag in request.flags]
    if request.suggestion_text:
        blocks.append(Paragraph(f"Why this suggestion: {request.suggestion_text}"))
    return blocks


def _agenda(markdown: str) -> list[Block]:
    return [Section("1. Agenda"), *from_markdown(markdown or NO_AGENDA, top_level=2)]


def _budget(lines: Sequence[tuple[str, int | None]]) -> list[Block]:
    if not lines:
        return []
    return [Section("2. Budget position"),
            table(["", "Amount"], [(label, Money(p)) for label, p in lines], widths=(3, 1),
                  title="Budget position")]


def members_pack_document(pack: MembersPack) -> Document:
    blocks = [*_agenda(pack.agenda_md), *_budget(pack.budget_lines)]
    if pack.requests:
        blocks += [Section("3. Requests for this round and the suggested split"),
                   Paragraph(pack.suggestion_words),
                   table(["No.", "School", "Asked", "Need score", "Suggested"],
                         [(r.request_id, r.school_name, Money(r.asked_pence), _need(r.need_score),
                           "-" if r.suggested_pence is None else Money(r.suggested_pence))
                          for r in pack.requests], widths=(1, 5, 2, 2, 2),
                         title="Requests")]
        for request in pack.requests:
            blocks += _request_blocks(request)
    blocks.append(Section("4. Reviews due at this meeting"))
    if pack.reviews_due:
        blocks.append(table(["No.", "School", "Request", "Award", "Status", "Note"],
                            [(r.request_id, r.school_name, r.title, Money(r.agreed_pence),
                              r.status, r.note) for r in pack.reviews_due],
                            widths=(1, 4, 5, 2, 4, 2), title="Reviews due"))
    else:
        blocks.append(Paragraph("None."))
    return Document(_heading(PACK, pack, MEMBERS), tuple(blocks))


# --- the governors' edition of the pack -----------------------------------------------------------


def _group_rows(lines: Sequence[GroupLine], total: GroupLine,
                second: bool) -> list[tuple[Cell, ...]]:
    rows = []
    for line in (*lines, total):
        row: list[Cell] = [line.label, _count(line.requests), _count(line.pupils),
                           Money(line.first_pence)]
        if second:
            row.append(Money(line.second_pence))
        rows.append(tuple(row))
    return rows


def governors_pack_document(pack: GovernorsPack) -> Document:
    blocks = [*_agenda(pack.agenda_md), *_budget(pack.budget_lines),
              Section("3. Requests for this round, by area of need"),
              table(["Area of need", "Requests", "Pupils", "Asked", "Suggested"],
                    _group_rows(pack.areas, pack.total, True), widths=(4, 2, 2, 2, 2),
                    title="Requests by area of need"),
              Section("4. Reviews due at this meeting"),
              Paragraph(f"Reviews due: {Count(pack.reviews_due, HIDDEN_COUNT).text}.")]
    return Document(_heading(PACK, pack, GOVERNORS), tuple(blocks))


# --- minutes --------------------------------------------------------------------------------------


def _without_title(body: str) -> str:
    """The minutes text opens with its own title line; the page's title block already says it."""
    lines = body.split("\n")  # not splitlines(): a pasted Word break (U+000B) is no new line
    return "\n".join(lines[1:]) if lines and lines[0].startswith("# ") else body


def minutes_document(paper: MinutesPaper) -> Document:
    return Document(_heading(MINUTES, paper, MEMBERS),
                    (Paragraph(paper.status_line), *from_markdown(_without_title(paper.body_md))))


def governors_minutes_document(paper: GovernorsMinutes) -> Document:
    blocks: list[Block] = [
        Paragraph(paper.status_line), Section("1. Attendance and apologies"),
        Paragraph(paper.quorum),
        table(["School", "Headteacher", "SENCO", "Governor"], paper.attendance,
              widths=(4, 2, 2, 2), title="Attendance"),
        Section("2. Decisions"),
        table(["Decision", "Requests", "Pupils", "Agreed"],
              _group_rows(paper.decisions, paper.total, False), widths=(4, 2, 2, 2),
              title="Decisions"),
        Paragraph("Urgent decisions from the emergency reserve put to this meeting: "
                  f"{Count(paper.urgent, HIDDEN_COUNT).text}."),
        Section("3. Actions")]
    if paper.actions:
        blocks.append(table(["Action", "Owner", "Due", "Done"], paper.actions,
                            widths=(6, 3, 2, 1), title="Actions"))
    else:
        blocks.append(Paragraph("None agreed."))
    return Document(_heading(MINUTES, paper, GOVERNORS), tuple(blocks))


# --- decision letters -----------------------------------------------------------------------------


def _item(item: LetterItem) -> list[Block]:
    decision = item.decision
    suggested: Cell = ("-" if decision.suggested_pence is None
                       else Money(decision.suggested_pence))
    blocks: list[Block] = [
        Section(f"Request {decision.request_id}: {decision.title}"),
        table(["Asked", "Suggested", "Agreed", "Decision"],
              [(Money(decision.asked_pence), suggested, Money(decision.agreed_pence),
                decision.decision_label)], widths=(1, 1, 1, 1),
              title=f"Request {decision.request_id}")]
    if decision.agreed_pence:
        length = f"Length: {decision.terms} term(s), {item.runs}."
        if decision.shorter:
            length += (f" That is shorter than the {decision.asked_terms} terms asked, because: "
                       f"{decision.length_reason}")
        blocks.append(Paragraph(length))
    if decision.reason:
        blocks.append(Paragraph(f"Reason: {decision.reason}"))
    blocks.append(Paragraph(f"Conditions: {decision.conditions or 'none'}."))
    if decision.reviews:
        blocks.append(Paragraph("Reviews: at the " + "; ".join(decision.review_meetings)
                                + " meeting(s). Bring the progress against each outcome."))
    if item.instalments:
        blocks.append(Paragraph("Payments: " + "; ".join(
            f"{Money(p).text} on {format_date(d)}" for d, p in item.instalments) + "."))
    if item.next_time:
        blocks.append(Paragraph("Next time, show:"))
        blocks += [Paragraph(line, bullet=True) for line in item.next_time]
    link = record_link(Record.REQUEST, decision.request_id)
    if link:
        blocks.append(Paragraph(f"The request in the toolkit: {link}"))
    return blocks


def decision_letter_document(letter: DecisionLetter) -> Document:
    meeting = letter.meeting
    chairs = " and ".join(letter.chairs)
    blocks: list[Block] = [
        Paragraph(f"To the headteacher and SENCO, {letter.school_name}"),
        Paragraph(f"The cluster considered {len(letter.items)} request(s) from your school at its "
                  f"{meeting.title} on {format_date(meeting.held_on)}. For each one this letter "
                  "sets out what you asked for, what the toolkit's need-weighted split "
                  "suggested, and what the meeting agreed. Your school's own people did not take "
                  "part in these decisions.")]
    for item in letter.items:
        blocks += _item(item)
    blocks += [
        Section("Asking for a reconsideration"),
        Paragraph(f"If you think a decision is wrong, you can ask the cluster to look at it "
                  f"again, once for each decision, within {ASK_WITHIN_DAYS} days of the meeting: "
                  f"by {format_date(letter.reconsider_by)}. Open 'Ask for reconsideration' in "
                  "the toolkit, choose the decision and give your reasons (new information, a "
                  "mistake of fact, or a part of the need score you think was wrongly scored). "
                  "It goes to the next funding round whose request deadline has not passed; your "
                  "school's own people do not take part in deciding it."),
        Space(), Paragraph("Yours sincerely,"),
        Paragraph(f"{chairs}, chair{'s' if len(letter.chairs) > 1 else ''} for these "
                  f"decisions, {letter.cluster_name}")]
    return Document(_heading(f"Decision letter: {letter.school_name}", letter), tuple(blocks))


# --- file names -----------------------------------------------------------------------------------


def file_stem(kind: str, meeting_half_term: str, held_on: date) -> str:
    day = format_date(held_on).replace("/", "-")
    return f"{kind}-{file_slug(meeting_half_term)}-{day}"


def letter_stem(letter: DecisionLetter) -> str:
    day = format_date(letter.meeting.held_on).replace("/", "-")
    return f"decision-letter-{file_slug(letter.school_name)}-{day}"
