"""Papers and letters carry a link to each request they name when the toolkit's public address
is set, and none when it is not (a link to nowhere would be worse than none)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cluster.meetings.documents import decision_letter_document, members_pack_document
from cluster.meetings.letters import decision_letters
from cluster.meetings.papers import members_pack
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from tests.cluster.meeting_helpers import spring_round
from tests.helpers.actors import actor
from tests.toolkit.documents.test_meeting_documents import (
    docx_text,
    held,
    pdf_text,
)

__all__ = ["held"]  # the fixture, shared with the papers' own tests
BASE = "https://toolkit.wensum.example.sch.uk"


def flat(text: str) -> str:
    """A long address may wrap across lines in a PDF table cell."""
    return "".join(text.split())


def test_the_members_pack_links_each_request_when_the_address_is_set(
        demo_copy: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = members_pack(demo_copy, actor(demo_copy, "host"), spring_round(demo_copy).id)
    assert pack.requests
    without = pdf_text(render_pdf(members_pack_document(pack)))[1]
    assert "In the toolkit" not in without and "http" not in without
    monkeypatch.setenv("CLUSTER_BASE_URL", BASE + "/")
    pdf = flat(pdf_text(render_pdf(members_pack_document(pack)))[1])
    word = docx_text(render_docx(members_pack_document(pack)))
    for request in pack.requests:
        link = f"{BASE}/request?request={request.request_id}"
        assert link in pdf and link in word, link


def test_a_decision_letter_links_each_of_its_requests(held: tuple[Engine, int, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    engine, meeting_id, changed = held
    monkeypatch.setenv("CLUSTER_BASE_URL", BASE)
    letter = next(item for item in decision_letters(engine, actor(engine, "host"), meeting_id)
                  if any(i.decision.request_id == changed for i in item.items))
    text = flat(pdf_text(render_pdf(decision_letter_document(letter)))[1])
    for item in letter.items:
        assert f"{BASE}/request?request={item.decision.request_id}" in text
