"""Papers as issued: rendered once, stored with their SHA-256, and served as stored whatever
changes afterwards; a correction is a new version with its reason, the old one kept and listed.

The packs are stored at papers-out (or, at the latest, as the meeting confirms its decisions,
before anything changes), the decision letters at confirmation, the minutes when the next
meeting approves them."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import format_pounds
from cluster.core.errors import InvalidInput, NotAllowed
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.documents import members_pack_document
from cluster.meetings.issue import (
    Occasion,
    amend_papers,
    paper_file,
    paper_status,
    send_papers_out,
)
from cluster.meetings.minutes import approve_minutes, minutes_state
from cluster.meetings.papers import MembersPack, members_pack
from cluster.models import FundingYear, IssuedPaper, Meeting, PaperKind, School
from cluster.papers.pdf import render_pdf
from cluster.requests.visibility import CONSENT_NOT_RECORDED
from tests.cluster.meeting_helpers import decided_round, spring_round, take_register
from tests.cluster.requests.test_consent import OTHER_SCHOOL
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID, wensum_meetings
from tests.toolkit.documents.test_meeting_documents import pdf_text

Confirmed = tuple[Engine, int, MembersPack]


@pytest.fixture
def confirmed(demo_copy: Engine) -> Confirmed:
    """Spring 1 held and confirmed, with the host's members' pack as the meeting saw it."""
    host = actor(demo_copy, "host")
    spring, decisions = decided_round(demo_copy)
    before = members_pack(demo_copy, host, spring.id)
    confirm_decisions(demo_copy, host, spring.id, drawn=decisions.drawn())
    return demo_copy, spring.id, before


def _later_changes(engine: Engine) -> None:
    """What happens after a meeting: the pot is changed and a school is renamed."""
    with Session(engine) as session:
        for year in session.exec(select(FundingYear)).all():
            year.carried_forward_pence += 5_000_000
            session.add(year)
        for school in session.exec(select(School)).all():
            school.name = f"{school.name} (renamed)"
            session.add(school)
        session.commit()


def _text(data: bytes) -> str:
    return " ".join(pdf_text(data)[1].split())


def test_the_pack_downloaded_after_confirmation_is_the_pack_that_went_out(
        confirmed: Confirmed) -> None:
    engine, meeting_id, before = confirmed
    host = actor(engine, "host")
    first = paper_file(engine, host, meeting_id, PaperKind.MEMBERS_PACK, "pdf")
    assert first.issued is not None and first.issued.occasion == Occasion.CONFIRMATION
    assert first.sha256 == hashlib.sha256(first.content).hexdigest()
    text = _text(first.content)
    for request in before.requests:  # every request the meeting had before it, deferred too
        assert f"Request {request.request_id}:" in text
        if request.suggested_pence is not None:
            assert format_pounds(request.suggested_pence) in text
    word = paper_file(engine, host, meeting_id, PaperKind.MEMBERS_PACK, "docx")
    governors = paper_file(engine, actor(engine, "governor"), meeting_id,
                           PaperKind.GOVERNORS_PACK, "pdf")
    _later_changes(engine)
    assert "(renamed)" in _text(members_pack_now(engine, meeting_id))  # the record did change
    again = paper_file(engine, host, meeting_id, PaperKind.MEMBERS_PACK, "pdf")
    assert (again.content, again.sha256) == (first.content, first.sha256)
    assert "(renamed)" not in _text(again.content)
    assert paper_file(engine, host, meeting_id, PaperKind.MEMBERS_PACK,
                      "docx").content == word.content
    assert paper_file(engine, actor(engine, "governor"), meeting_id, PaperKind.GOVERNORS_PACK,
                      "pdf").sha256 == governors.sha256


def members_pack_now(engine: Engine, meeting_id: int) -> bytes:
    """The pack as it would be laid out from the record today."""
    return render_pdf(members_pack_document(members_pack(engine, actor(engine, "host"),
                                                         meeting_id)))


def test_letters_are_stored_at_confirmation_and_an_amendment_keeps_both_versions(
        confirmed: Confirmed) -> None:
    engine, meeting_id, _ = confirmed
    host, school = actor(engine, "host"), actor(engine, "head.bi")
    letter = paper_file(engine, school, meeting_id, PaperKind.DECISION_LETTER, "pdf")
    assert letter.issued is not None and letter.issued.occasion == Occasion.CONFIRMATION
    assert letter.file_name.startswith("decision-letter-bintree-infant-school")
    _later_changes(engine)
    again = paper_file(engine, school, meeting_id, PaperKind.DECISION_LETTER, "pdf")
    assert (again.content, again.sha256) == (letter.content, letter.sha256)
    with pytest.raises(InvalidInput, match="say why"):
        amend_papers(engine, host, meeting_id, PaperKind.DECISION_LETTER, "  ",
                     school_id=school.school_id)
    with pytest.raises(NotAllowed):
        amend_papers(engine, school, meeting_id, PaperKind.DECISION_LETTER, "Wrong name",
                     school_id=school.school_id)
    version = amend_papers(engine, host, meeting_id, PaperKind.DECISION_LETTER,
                           "The school's name was corrected.", school_id=school.school_id)
    assert version == 2
    amended = paper_file(engine, school, meeting_id, PaperKind.DECISION_LETTER, "pdf")
    assert amended.issued is not None and amended.issued.version == 2
    assert "Bintree Infant School (renamed)" in _text(amended.content)
    listed = [(v.version, v.reason, v.sha256) for v in amended.versions]
    assert listed == [(2, "The school's name was corrected.", amended.sha256),
                      (1, "", letter.sha256)]
    old = paper_file(engine, school, meeting_id, PaperKind.DECISION_LETTER, "pdf", version=1)
    assert old.content == letter.content
    # Another school's letter stays as it was issued.
    other = paper_file(engine, host, meeting_id, PaperKind.DECISION_LETTER, "pdf",
                       school_id=actor(engine, "head.ap").school_id)
    assert other.issued is not None and other.issued.version == 1


def test_the_minutes_are_stored_when_the_next_meeting_approves_them(demo_copy: Engine) -> None:
    host, governor = actor(demo_copy, "host"), actor(demo_copy, "governor")
    spring = spring_round(demo_copy)
    with Session(demo_copy) as session:
        autumn = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                    Meeting.half_term == "Autumn 2")).one()
    draft = paper_file(demo_copy, host, autumn.id, PaperKind.MINUTES, "pdf")
    assert draft.is_draft and "Draft: to be approved" in _text(draft.content)
    assert not paper_status(demo_copy, host, autumn.id, PaperKind.MINUTES).is_issued
    take_register(demo_copy, host, spring.id)
    approve_minutes(demo_copy, host, autumn.id, at_meeting_id=spring.id,
                    expected_version=minutes_state(demo_copy, host, autumn.id).version)
    minutes = paper_file(demo_copy, host, autumn.id, PaperKind.MINUTES, "pdf")
    governors = paper_file(demo_copy, governor, autumn.id, PaperKind.GOVERNORS_MINUTES, "docx")
    assert minutes.issued is not None and minutes.issued.occasion == Occasion.MINUTES_APPROVED
    assert "Approved on 20/01/2027" in _text(minutes.content)
    _later_changes(demo_copy)
    assert paper_file(demo_copy, host, autumn.id, PaperKind.MINUTES, "pdf").content == \
        minutes.content
    assert paper_file(demo_copy, governor, autumn.id, PaperKind.GOVERNORS_MINUTES,
                      "docx").sha256 == governors.sha256


def test_before_papers_out_a_pack_is_a_draft_and_sending_it_out_stores_every_copy(
        demo_copy: Engine) -> None:
    host, spring = actor(demo_copy, "host"), spring_round(demo_copy)
    draft = paper_file(demo_copy, actor(demo_copy, "governor"), spring.id,
                       PaperKind.GOVERNORS_PACK, "pdf")
    assert draft.is_draft and draft.versions == ()
    with Session(demo_copy) as session:
        # The demo stores only Autumn 2's decision letters (at its confirmation): none of Spring 1.
        assert session.exec(select(IssuedPaper).where(IssuedPaper.meeting_id == spring.id)
                            ).all() == []
        schools = len(session.exec(select(School).where(
            School.cluster_id == WENSUM_VALLEY_ID)).all())
    assert send_papers_out(demo_copy, host, spring.id) == schools + 2  # host, schools, governors
    with pytest.raises(InvalidInput, match="already gone out"):
        send_papers_out(demo_copy, host, spring.id)
    status = paper_status(demo_copy, host, spring.id, PaperKind.MEMBERS_PACK)
    assert status.is_issued and {v.file_format for v in status.versions} == {"pdf", "docx"}


def test_each_school_gets_its_own_stored_copy_of_the_members_pack(demo_copy: Engine) -> None:
    """Autumn 2 is confirmed and nobody sent its packs: the first download stores every copy at
    once. Another school's copy leaves out what it may not read; the host's keeps
    it."""
    with Session(demo_copy) as session:
        autumn = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                    Meeting.half_term == "Autumn 2")).one()
        # Its decision letters were stored at its confirmation; no pack has been.
        assert session.exec(select(col(IssuedPaper.id)).where(
            IssuedPaper.kind != PaperKind.DECISION_LETTER)).all() == []
    school = paper_file(demo_copy, actor(demo_copy, OTHER_SCHOOL), autumn.id,
                        PaperKind.MEMBERS_PACK, "pdf")
    host = paper_file(demo_copy, actor(demo_copy, "host"), autumn.id, PaperKind.MEMBERS_PACK,
                      "pdf")
    assert school.issued is not None and host.issued is not None
    # Nobody pressed "send", and the demo's confirmation stored only the letters (laying out
    # every pack would double the seed's time): the packs are stored on their first download.
    assert school.issued.occasion == Occasion.FIRST_DOWNLOAD
    assert school.sha256 != host.sha256
    assert CONSENT_NOT_RECORDED[:40] in _text(school.content)
    assert CONSENT_NOT_RECORDED[:40] not in _text(host.content)
    with pytest.raises(NotAllowed):
        paper_file(demo_copy, actor(demo_copy, "governor"), autumn.id, PaperKind.MEMBERS_PACK,
                   "pdf")
