"""The minutes' first draft, written from what the meeting recorded: attendance, declarations,
the budget, decisions, urgent decisions, reviews and actions, as Markdown the host then edits.

Every school reads the members' minutes, so a request without consent to sharing appears by its
kind and area only (`cluster.requests.visibility.withheld_title`).
"""

from __future__ import annotations

from sqlmodel import Session

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.meetings.record import MeetingRecord, meeting_record
from cluster.meetings.rules import CAPACITIES
from cluster.models import Meeting, UrgentStatus
from cluster.requests.visibility import withheld_title

# Every school reads the members' minutes. For a request whose consent to sharing is not recorded
# they follow the request's own rule (`readable_parts`): the kind and area stand in for its title,
# and the reasons, conditions and urgent notes, written about the pupil, are left out. The
# decision, the amounts, how it was decided and the review dates stay: they are the record.
REASONS_NOT_SHARED = ("Reasons are recorded with the request and sent to its school; consent to "
                      "share this pupil's details with other schools is not recorded.")


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    def clean(cell: str) -> str:
        return cell.replace("|", "/").replace("\n", " ")

    return (["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
            + ["| " + " | ".join(clean(c) for c in row) + " |" for row in rows] + [""])


def minutes_from_record(record: MeetingRecord) -> str:
    m = record.meeting
    chairs = record.chairs
    lines = [f"# Minutes: {m.title}, {format_date(m.held_on)}", "",
             f"{record.cluster_name}. Held at {m.venue or 'online'}, {m.starts_at}-{m.ends_at}. "
             f"Chair: {chairs.host_name} (cluster SEN host)."]
    if record.chaired_items:
        items = ", ".join(f"request {d.request_id}" for d in record.chaired_items)
        lines[-1] += f" {chairs.deputy_name} (deputy host) chaired {items}."
    if m.opened and m.day_note:  # opened before its date: the reason is part of the record
        lines += ["", m.day_note]
    lines += ["", "## 1. Attendance and apologies", "", record.quorum.message, ""]
    by_school: dict[str, dict[str, str]] = {}
    for line in record.attendance:
        by_school.setdefault(line.school_name, {})[line.capacity] = line.status_label
    lines += _table(["School", "Headteacher", "SENCO", "Governor"],
                    [[school, *[seats.get(c, "Absent") for c in CAPACITIES]]
                     for school, seats in by_school.items()])
    lines += ["## 2. Declarations of interest", ""]
    conflicts = [d for d in record.decisions if d.stood_aside and not d.from_reserve]
    lines += [f"- {', '.join(d.stood_aside)}: its members stood aside on request {d.request_id}; "
              f"{d.chair} chaired it." for d in conflicts] or ["- None declared."]
    lines += ["", "## 3. Minutes of the last meeting", ""]
    if record.previous is None:
        lines.append("This was the cluster's first meeting.")
    elif record.previous.minutes_approved_on is not None:
        lines.append(f"The minutes of the {record.previous.title} on "
                     f"{format_date(record.previous.held_on)} were approved as a true record.")
    else:
        lines.append(f"The minutes of the {record.previous.title} on "
                     f"{format_date(record.previous.held_on)} are to be approved.")
    if record.budget is not None:
        lines += ["", "## 4. Budget position", ""]
        lines += _table(["", "Amount"], [[label, format_pounds(pence)]
                                         for label, pence in record.budget.lines()])
    lines += _decision_lines(record)
    lines += _urgent_lines(record)
    if record.reviews_due:
        lines += ["## 7. Reviews due at this meeting", ""]
        lines += _table(["Request", "School", "Award", "Status"],
                        [[str(r.request_id), r.school_name, format_pounds(r.agreed_pence),
                          r.status] for r in record.reviews_due])
    lines += ["## 8. Actions", ""]
    lines += _table(["Action", "Owner", "Due", "Done"],
                    [[a.description, a.owner, format_date(a.due_on), "yes" if a.done else "no"]
                     for a in record.actions]) if record.actions else ["- None agreed.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _decision_lines(record: MeetingRecord) -> list[str]:
    decisions = [d for d in record.decisions if not d.from_reserve]
    if not decisions:
        return []
    lines = ["", "## 5. Decisions", ""]
    lines += _table(["Request", "School", "Asked", "Suggested", "Agreed", "Decision", "Chair"],
                    [[str(d.request_id), d.school_name, format_pounds(d.asked_pence),
                      format_pounds(d.suggested_pence) if d.suggested_pence is not None else "-",
                      format_pounds(d.agreed_pence), d.decision_label, d.chair]
                     for d in decisions])
    lines.append(f"Agreed in total: {format_pounds(sum(d.agreed_pence for d in decisions))}.")
    lines.append("")
    for d in decisions:
        title = d.title if d.shareable else withheld_title(d.kind, d.main_area)
        text = (f"- **Request {d.request_id}, {d.school_name}: {title}.** "
                f"{d.decision_label}, {format_pounds(d.agreed_pence)}")
        text += f" for {d.terms} term(s)" if d.agreed_pence else ""
        text += f", by {d.how_decided}. "
        if d.shareable:
            text += f"Reason: {d.reason} " if d.reason else ""
            text += f"Why shorter than asked: {d.length_reason} " if d.length_reason else ""
            text += f"Conditions: {d.conditions} " if d.conditions else ""
        elif d.reason or d.length_reason or d.conditions:
            text += f"{REASONS_NOT_SHARED} "
        if d.reviews:
            text += "Reviews: " + "; ".join(d.review_meetings) + ". "
        text += (f"Decided by {len(d.deciding)} school(s); {', '.join(d.stood_aside)} stood "
                 "aside.")
        lines.append(text)
    return lines + [""]


def _urgent_lines(record: MeetingRecord) -> list[str]:
    if not record.urgent:
        return []
    lines = ["## 6. Urgent decisions since the last meeting", ""]
    for u in record.urgent:
        state = {str(UrgentStatus.RATIFIED): "Ratified",
                 str(UrgentStatus.NOT_RATIFIED): "Not ratified"}.get(u.status, "To ratify")
        reason = f"Reason: {u.reason}" if u.shareable else REASONS_NOT_SHARED
        lines.append(f"- Request {u.request_id}, {u.school_name}: {format_pounds(u.amount_pence)} "
                     f"from the emergency reserve, agreed by {u.proposed_by} and {u.agreed_by} "
                     f"on {format_date(u.agreed_on)}. {reason} {state}."
                     + (f" {u.note}" if u.note and u.shareable else ""))
    return lines + [""]


def draft_minutes_text(session: Session, meeting: Meeting) -> str:
    return minutes_from_record(meeting_record(session, meeting))


