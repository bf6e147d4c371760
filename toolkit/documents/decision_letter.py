"""The decision letter a school receives after a meeting (PDF). No Streamlit here.

For each request: what was asked, suggested and agreed; how long the award runs (and why, when
shorter than asked); the reasons and conditions; when it will be reviewed; the instalments; and,
when it was declined, part-funded or deferred, what to show next time. Then how to ask for a
reconsideration, and the chair's name.
"""

from __future__ import annotations

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.links import Record, record_link
from cluster.meetings.letters import DecisionLetter, LetterItem
from cluster.requests.reconsiderations import ASK_WITHIN_DAYS
from toolkit.documents.office import Heading, OfficePdf


def _item(pdf: OfficePdf, item: LetterItem) -> None:
    pdf.section(f"Request {item.request_id}: {item.title}")
    suggested = "-" if item.suggested_pence is None else format_pounds(item.suggested_pence)
    pdf.table_of(["Asked", "Suggested", "Agreed", "Decision"],
                 [(format_pounds(item.asked_pence), suggested, format_pounds(item.agreed_pence),
                   item.decision_label)], widths=(1, 1, 1, 1))
    if item.agreed_pence:
        length = f"Length: {item.terms} term(s), {item.runs}."
        if item.shorter:
            length += (f" That is shorter than the {item.asked_terms} terms asked, because: "
                       f"{item.length_reason}")
        pdf.paragraph(length)
    if item.reason:
        pdf.paragraph(f"Reason: {item.reason}")
    pdf.paragraph(f"Conditions: {item.conditions or 'none'}.")
    if item.reviews:
        pdf.paragraph("Reviews: at the " + "; ".join(item.reviews) + " meeting(s). Bring the "
                      "progress against each outcome.")
    if item.instalments:
        pdf.paragraph("Payments: " + "; ".join(f"{format_pounds(p)} on {format_date(d)}"
                                               for d, p in item.instalments) + ".")
    if item.next_time:
        pdf.paragraph("Next time, show:")
        for line in item.next_time:
            pdf.paragraph(f"- {line}")
    link = record_link(Record.REQUEST, item.request_id)
    if link:
        pdf.paragraph(f"The request in the toolkit: {link}")


def decision_letter_pdf(letter: DecisionLetter) -> bytes:
    meeting = letter.meeting
    pdf = OfficePdf(Heading(f"Decision letter: {letter.school_name}", letter.cluster_name,
                            meeting.subtitle, letter.produced_on))
    pdf.paragraph(f"To the headteacher and SENCO, {letter.school_name}")
    pdf.paragraph(f"The cluster considered {len(letter.items)} request(s) from your school at its "
                  f"{meeting.title} on {format_date(meeting.held_on)}. For each one this letter "
                  "sets out what you asked for, what the toolkit's need-weighted split suggested, "
                  "and what the meeting agreed. Your school's own people did not take part in "
                  "these decisions.")
    for item in letter.items:
        _item(pdf, item)
    pdf.section("Asking for a reconsideration")
    pdf.paragraph(f"If you think a decision is wrong, you can ask the cluster to look at it again, "
                  f"once for each decision, within {ASK_WITHIN_DAYS} days of the meeting: by "
                  f"{format_date(letter.reconsider_by)}. Open 'Ask for reconsideration' in the "
                  "toolkit, choose the decision and give your reasons (new information, a mistake "
                  "of fact, or a part of the need score you think was wrongly scored). It goes to "
                  "the next funding round whose request deadline has not passed; your school's "
                  "own people do not take part in deciding it.")
    pdf.ln(4)
    pdf.paragraph("Yours sincerely,")
    pdf.paragraph(" and ".join(letter.chairs) + ", chair" + ("s" if len(letter.chairs) > 1
                                                              else "")
                  + f" for these decisions, {letter.cluster_name}")
    return pdf.to_bytes()


def letter_file_name(letter: DecisionLetter) -> str:
    school = "".join(c if c.isalnum() else "-" for c in letter.school_name.lower()).strip("-")
    day = format_date(letter.meeting.held_on).replace("/", "-")
    return f"decision-letter-{school}-{day}.pdf"
