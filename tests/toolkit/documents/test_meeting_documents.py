"""The meeting's papers opened again: PDFs through pypdf, Word through python-docx, the workbook
through openpyxl. Each must carry the named awards, schools, amounts and page numbers; the
governors' editions no pupil reference; the workbook no formula, whatever the text holds."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.money import format_pounds
from cluster.core.errors import NotAllowed
from cluster.funding.ledger import AVAILABLE
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.decisions import DecisionInput, meeting_decisions, save_decisions
from cluster.meetings.documents import (
    decision_letter_document,
    governors_minutes_document,
    governors_pack_document,
    members_pack_document,
    minutes_document,
)
from cluster.meetings.letters import decision_letters
from cluster.meetings.papers import (
    governors_minutes,
    governors_pack,
    members_pack,
    minutes_paper,
)
from cluster.models import Meeting, RequestPupil
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from cluster.papers.workbook import FORMULA_TRIGGERS
from cluster.reporting.allocations import AllocationRow, Allocations, SchoolTotal, allocations
from tests.cluster.meeting_helpers import (
    HOST_SCHOOL,
    decide_as_suggested,
    spring_round,
    take_register,
)
from tests.helpers.actors import actor
from toolkit.documents.allocations import allocations_workbook

CHANGED_REASON = "Agreed a smaller programme with the school; it funds the rest itself."


def pdf_text(data: bytes) -> tuple[int, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    footer = document.sections[0].footer
    parts += [p.text for p in footer.paragraphs]
    parts.append(footer._element.xml)  # the PAGE / NUMPAGES fields live in the XML
    return "\n".join(parts)


@pytest.fixture
def held(demo_copy: Engine) -> tuple[Engine, int, int]:
    """Spring 1 held: register taken, one award changed with a reason, decisions confirmed.
    Returns (engine, meeting id, the changed request's id)."""
    host, deputy = actor(demo_copy, "host"), actor(demo_copy, "deputy")
    spring = spring_round(demo_copy)
    take_register(demo_copy, host, spring.id, absent=["Swannington St Margaret's CE"])
    decisions = meeting_decisions(demo_copy, host, spring.id)
    changed = max((r for r in decisions.rows if r.can_decide[0]), key=lambda r: r.asked_pence)
    save_decisions(demo_copy, host, spring.id, [DecisionInput(
        changed.request_id, 9000, terms=2, reason=CHANGED_REASON,
        length_reason="Two terms, then the school's own budget takes over.",
        conditions="Termly progress data to the host.")], drawn=decisions.drawn())
    decide_as_suggested(demo_copy, host, spring.id)
    decisions = decide_as_suggested(demo_copy, deputy, spring.id)
    confirm_decisions(demo_copy, host, spring.id, drawn=decisions.drawn())
    return demo_copy, spring.id, changed.request_id


def references(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(RequestPupil.reference)).all())


def test_the_members_pack_carries_requests_pupil_references_scores_and_the_split(
        held: tuple[Engine, int, int]) -> None:
    engine, meeting_id, _ = held
    pack = members_pack(engine, actor(engine, "host"), meeting_id)
    pages, text = pdf_text(render_pdf(members_pack_document(pack)))
    assert pages >= 2 and "Page 1 of" in text and f"Page {pages} of {pages}" in text
    for needle in ("Meeting papers", "Wensum Valley Cluster", "Spring 1 funding round, 20/01/2027",
                   "Members' edition", "Budget position", HOST_SCHOOL, "Bintree Infant School",
                   "WV-003", "Need score", "Why this suggestion", "Reviews due at this meeting"):
        assert needle in text, needle
    request = pack.requests[0]
    assert f"Request {request.request_id}" in text
    assert format_pounds(request.asked_pence) in text
    word = docx_text(render_docx(members_pack_document(pack)))
    for needle in (HOST_SCHOOL, "WV-003", format_pounds(request.asked_pence), "PAGE", "NUMPAGES",
                   "Members' edition"):
        assert needle in word, needle


def test_the_governors_editions_hold_aggregates_only_and_no_pupil_reference(
        held: tuple[Engine, int, int]) -> None:
    engine, meeting_id, _ = held
    with Session(engine) as session:  # the host once typed a pupil reference into the agenda
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.agenda_md += "\n- Case discussion about WV-003 (members only)\n"
        session.add(meeting)
        session.commit()
    governor = actor(engine, "governor")
    refs = references(engine)
    assert "WV-003" in refs
    pack = governors_pack_document(governors_pack(engine, governor, meeting_id))
    minutes = governors_minutes_document(governors_minutes(engine, governor, meeting_id))
    documents = {"pack pdf": pdf_text(render_pdf(pack))[1],
                 "pack docx": docx_text(render_docx(pack)),
                 "minutes pdf": pdf_text(render_pdf(minutes))[1],
                 "minutes docx": docx_text(render_docx(minutes))}
    for name, text in documents.items():
        found = [ref for ref in refs if ref in text]
        assert found == [], (name, found)
        assert "Governors' edition" in text, name
        assert "fewer than 5" in text, name
    assert "Page 1 of 1" in documents["pack pdf"]
    assert "Requests for this round, by area of need" in documents["pack pdf"]
    assert "Quorate: 11 of 12 schools represented" in documents["minutes pdf"]
    host_pack = members_pack(engine, actor(engine, "host"), meeting_id)
    members = pdf_text(render_pdf(members_pack_document(host_pack)))[1]
    assert "Case discussion about WV-003" in members


def test_the_minutes_record_attendance_conflicts_decisions_reasons_and_actions(
        held: tuple[Engine, int, int]) -> None:
    engine, meeting_id, changed = held
    paper = minutes_paper(engine, actor(engine, "host"), meeting_id)
    pages, text = pdf_text(render_pdf(minutes_document(paper)))
    assert f"Page {pages} of {pages}" in text
    flat = " ".join(text.split())
    for needle in ("Minutes", "Draft: to be approved at the Spring 2 meeting on 03/03/2027.",
                   "Attendance and apologies", "Declarations of interest",
                   "Priya Okafor (deputy host) chaired request", HOST_SCHOOL, "£9,000",
                   CHANGED_REASON, "Why shorter than asked", "Agreed in total"):
        assert needle in flat, needle
    assert f"Request {changed}" in flat
    word = docx_text(render_docx(minutes_document(paper)))
    assert CHANGED_REASON in word and "£9,000" in word and HOST_SCHOOL in word


def test_a_decision_letter_says_asked_suggested_agreed_length_why_next_time_and_the_chair(
        held: tuple[Engine, int, int]) -> None:
    engine, meeting_id, changed = held
    letters = decision_letters(engine, actor(engine, "host"), meeting_id)
    assert len(letters) == 8
    letter = next(item for item in letters
                  if any(i.decision.request_id == changed for i in item.items))
    item = next(i.decision for i in letter.items if i.decision.request_id == changed)
    pages, text = pdf_text(render_pdf(decision_letter_document(letter)))
    flat = " ".join(text.split())
    for needle in (f"Decision letter: {letter.school_name}", f"Request {changed}",
                   format_pounds(item.asked_pence), format_pounds(item.suggested_pence or 0),
                   "£9,000", "Part-funded", "Length: 2 term(s)",
                   "shorter than the 3 terms asked, because: Two terms, then the school's own "
                   "budget takes over.", CHANGED_REASON, "Conditions: Termly progress data",
                   "Next time, show:", "Asking for a reconsideration", "by 17/02/2027",
                   "Sam Hardy", "Page 1 of"):
        assert needle in flat, needle
    own = next(item for item in letters if item.school_name == HOST_SCHOOL)
    assert own.chairs == ("Priya Okafor",)
    assert "Priya Okafor" in pdf_text(render_pdf(decision_letter_document(own)))[1]
    school = decision_letters(engine, actor(engine, "head.bi"), meeting_id)
    assert [item.school_name for item in school] == ["Bintree Infant School"]


def test_the_allocations_workbook_for_the_la_has_awards_totals_pot_and_financial_years(
        held: tuple[Engine, int, int]) -> None:
    engine, _, _ = held
    data = allocations(engine, actor(engine, "host"), 2026)
    workbook = load_workbook(io.BytesIO(allocations_workbook(data)))
    assert workbook.sheetnames == ["Awards", "School totals", "Pot", "Financial years"]
    values = [str(cell.value) for sheet in workbook for row in sheet.iter_rows()
              for cell in row if cell.value is not None]
    assert "£9,000" not in values  # money is numbers, not text
    assert 9000.0 in [cell.value for row in workbook["Awards"].iter_rows() for cell in row]
    assert HOST_SCHOOL in values and "Bintree Infant School" in values
    assert "FY 2026-27" in values and "FY 2027-28" in values
    assert AVAILABLE in values
    totals = {row[0].value: row[5].value for row in workbook["School totals"].iter_rows()
              if row[0].value}
    assert totals["Cluster"] == sum(t.amount_pence for t in data.totals) / 100
    assert not any(cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows()
                   for cell in row)
    with pytest.raises(NotAllowed):
        allocations(engine, actor(engine, "la.adviser"), 2026)


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS, ids=["equals", "plus", "minus", "at", "tab",
                                                            "cr"])
def test_no_text_in_the_workbook_can_become_a_formula(trigger: str) -> None:
    evil = f"{trigger}HYPERLINK(\"http://example.invalid\",\"x\")"
    row = AllocationRow(evil, date(2027, 1, 20), evil, evil, evil, evil, True, 1, evil, evil,
                        evil, 100_000, 3, 3, date(2027, 1, 20), date(2027, 9, 1), 0, False)
    data = Allocations(evil, evil, 2026, date(2026, 11, 23), (row,),
                       (SchoolTotal(evil, evil, evil, True, 1, 100_000, 0),),
                       ((evil, 100_000),), ("2026-27",), ((evil, evil, (100_000,)),))
    workbook = load_workbook(io.BytesIO(allocations_workbook(replace(data))))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not any(cell.data_type == "f" for cell in cells)
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    # The text reads as typed (no apostrophe shows) and Excel's quote prefix keeps it text.
    evil_cells = [cell for cell in texts if cell.value == evil.replace("\r", "\n")
                  or cell.value == evil]
    assert len(evil_cells) >= 10
    assert all(cell.quotePrefix for cell in evil_cells)
    assert not any(cell.value.startswith("'") for cell in texts)


def test_a_school_reads_the_members_pack_only_once_the_papers_are_out(demo_copy: Engine) -> None:
    spring = spring_round(demo_copy)
    with pytest.raises(NotAllowed, match="go out on 13/01/2027"):
        members_pack(demo_copy, actor(demo_copy, "senco.ap"), spring.id)
    with pytest.raises(NotAllowed):
        members_pack(demo_copy, actor(demo_copy, "governor"), spring.id)


