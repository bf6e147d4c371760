"""The members' pack goes to every school: a request without consent to sharing carries only its
kind, amounts, area of need and need score in another school's copy (data, PDF and Word), while
the host's copy and the request's own school's keep everything. Autumn 2 (11/11/2026) is in its
window on the pinned date and holds the demo's requests without consent (82–90)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.meetings.documents import members_pack_document, minutes_document
from cluster.meetings.minutes import minutes_state, redraft_minutes
from cluster.meetings.papers import members_pack, minutes_paper
from cluster.models import SupportRequest
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from cluster.requests.visibility import CONSENT_NOT_RECORDED, withheld_title
from tests.cluster.requests.test_consent import (
    AUTUMN_2_WITHOUT_CONSENT,
    OTHER_SCHOOL,
    PROJECT_WITHOUT_PUPILS,
    WENSUM_VALLEY_HIGH,
    stored_texts,
)
from tests.helpers.actors import actor
from tests.helpers.demo_la import wensum_meeting_id
from tests.toolkit.documents.test_meeting_documents import docx_text, pdf_text


def test_another_schools_pack_has_no_pupil_level_text_without_consent(demo_copy: Engine) -> None:
    autumn_2 = wensum_meeting_id(demo_copy, 2026, "Autumn 2")
    pack = members_pack(demo_copy, actor(demo_copy, OTHER_SCHOOL), autumn_2)
    by_id = {r.request_id: r for r in pack.requests}
    assert set(AUTUMN_2_WITHOUT_CONSENT) <= set(by_id)
    with Session(demo_copy) as session:
        stored = {i: session.get_one(SupportRequest, i) for i in AUTUMN_2_WITHOUT_CONSENT}
    for request_id in AUTUMN_2_WITHOUT_CONSENT:
        request = by_id[request_id]
        assert request.withheld == CONSENT_NOT_RECORDED
        assert (request.asked_pence, request.main_area, request.need_score) == (
            stored[request_id].amount_pence, stored[request_id].main_area,
            stored[request_id].need_score)
        assert request.pupils == () and request.flags == () and request.need_summary == ""
    assert not by_id[PROJECT_WITHOUT_PUPILS].withheld
    _, pdf = pdf_text(render_pdf(members_pack_document(pack)))
    word = docx_text(render_docx(members_pack_document(pack)))
    everything = repr(pack)
    for request_id in AUTUMN_2_WITHOUT_CONSENT:
        for text in stored_texts(demo_copy, request_id):
            assert text not in everything, text
            assert text not in word, text
            # The PDF wraps long lines: compare without line breaks, on the first words.
            assert text[:40] not in pdf.replace("\n", " "), text
    assert CONSENT_NOT_RECORDED in word
    assert "only the kind, amount, area of need" in pdf.replace("\n", " ")


def test_the_host_and_the_own_school_keep_the_full_pack(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        need = session.get_one(SupportRequest, WENSUM_VALLEY_HIGH).need_summary
    autumn_2 = wensum_meeting_id(demo_copy, 2026, "Autumn 2")
    for username in ("host", "senco.hs"):
        pack = members_pack(demo_copy, actor(demo_copy, username), autumn_2)
        own = next(r for r in pack.requests if r.request_id == WENSUM_VALLEY_HIGH)
        assert own.withheld == "" and own.need_summary == need
        assert [p.reference for p in own.pupils] == ["WV-WV-009"]
        assert need in docx_text(render_docx(members_pack_document(pack)))
    # Wensum Valley High reads its own in full and the other schools' without consent withheld.
    pack = members_pack(demo_copy, actor(demo_copy, "senco.hs"), autumn_2)
    assert {r.request_id for r in pack.requests if r.withheld} == \
        set(AUTUMN_2_WITHOUT_CONSENT) - {WENSUM_VALLEY_HIGH}


def test_the_members_minutes_documents_follow_consent(demo_copy: Engine) -> None:
    """The minutes go to every school: drafted afresh from the record, their PDF and Word copies
    carry no title of a request without consent, only its kind and area."""
    host, meeting_id = actor(demo_copy, "host"), wensum_meeting_id(demo_copy, 2026, "Autumn 2")
    redraft_minutes(demo_copy, host, meeting_id,
                    expected_version=minutes_state(demo_copy, host, meeting_id).version)
    paper = minutes_paper(demo_copy, actor(demo_copy, OTHER_SCHOOL), meeting_id)
    word = docx_text(render_docx(minutes_document(paper)))
    pdf = pdf_text(render_pdf(minutes_document(paper)))[1].replace("\n", " ")
    with Session(demo_copy) as session:
        requests = [session.get_one(SupportRequest, i) for i in AUTUMN_2_WITHOUT_CONSENT]
    for request in requests:
        assert request.title not in word and request.title not in pdf, request.id
    first = requests[0]
    assert withheld_title(first.kind, first.main_area) in word
