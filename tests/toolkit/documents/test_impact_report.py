"""The governors' impact report, opened again: PDF text and Word tables hold the school names, the
figures and page numbers, and no pupil reference or pupil text."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from cluster.common.calendar import AcademicYear
from cluster.common.money import format_pounds
from cluster.common.support_class import FAQ_AIM, SUPPORT_CLASSES
from cluster.disclosure.suppression import percent_text
from cluster.outcomes.dashboard import Dashboard
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from cluster.reporting.impact_report import impact_dashboard
from cluster.reporting.needs_led import needs_led_shares
from tests.helpers.actors import actor
from toolkit.documents.impact_report import (
    NEEDS_LED,
    file_name,
    impact_report_document,
    report_tables,
)

REFERENCE = re.compile(r"\bWV-[A-Z]+-\d{3}\b|\b[A-Z]{2}-\d{3}\b")
PUPIL_TEXT = ("Says the sessions help", "Family report more confidence", "different approach")


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def docx_text(data: bytes) -> tuple[str, str]:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    footer = document.sections[0].footer._element.xml  # python-docx has no public footer XML
    return "\n".join(parts), footer


def impact_report_pdf(board: Dashboard) -> bytes:
    return render_pdf(impact_report_document(board))


def impact_report_docx(board: Dashboard) -> bytes:
    return render_docx(impact_report_document(board))


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def cluster_board(demo_copy: Engine) -> Dashboard:
    return impact_dashboard(demo_copy, actor(demo_copy, "governor"), academic_year=2025)


def test_the_cluster_report_as_a_pdf(cluster_board: Dashboard) -> None:
    text, pages = pdf_text(impact_report_pdf(cluster_board))
    flattened = flat(text)
    assert "Governors' impact report" in flattened and "Wensum Valley Cluster" in flattened
    assert f"Page 1 of {pages}" in flattened and pages >= 2
    assert f"Page {pages} of {pages}" in flattened
    for _, name in cluster_board.schools:
        assert name.replace("’", "'") in flattened
    total = cluster_board.total
    assert total is not None and f"£{total.received_pence // 100:,}" in flattened
    assert "fewer than 5" in flattened
    assert cluster_board.summary[0][:40] in flattened
    assert not REFERENCE.search(text)
    assert not any(phrase in text for phrase in PUPIL_TEXT)


def test_the_cluster_report_as_a_word_file(cluster_board: Dashboard) -> None:
    text, footer = docx_text(impact_report_docx(cluster_board))
    for _, name in cluster_board.schools:
        assert name in text
    total = cluster_board.total
    assert total is not None and f"£{total.received_pence // 100:,}" in text
    assert "PAGE" in footer and "NUMPAGES" in footer
    for table in report_tables(cluster_board):
        assert table.title in text
    assert not REFERENCE.search(text)
    assert not any(phrase in text for phrase in PUPIL_TEXT)


def test_a_schools_report_holds_that_school_and_the_clusters_comparisons(demo_copy: Engine
                                                                         ) -> None:
    governor = actor(demo_copy, "governor.ap")
    board = impact_dashboard(demo_copy, governor, academic_year=2023,
                             school_id=governor.school_id)
    assert file_name(board, "pdf") == "impact-report-aylsham-road-primary-school-2023-24.pdf"
    text, pages = pdf_text(impact_report_pdf(board))
    flattened = flat(text)
    assert "Aylsham Road Primary School" in flattened and f"Page 1 of {pages}" in flattened
    assert "Which kinds of provision met their outcomes" in flattened
    row = board.school_row
    assert row is not None
    shown = "hidden" if row.received_pence is None else f"£{row.received_pence // 100:,}"
    assert shown in flattened
    words, _ = docx_text(impact_report_docx(board))
    assert "Aylsham Road Primary School" in words and shown in words
    assert not REFERENCE.search(text + words)


def test_the_report_shows_the_move_from_hours_to_needs_led_support(demo_copy: Engine,
                                                                   cluster_board: Dashboard
                                                                   ) -> None:
    # The host downloads the governors' edition: small cells hidden as governors see them.
    shares = needs_led_shares(demo_copy, actor(demo_copy, "host"), published=True)
    assert shares.suppressed and shares.years
    document = impact_report_document(cluster_board, shares)
    text, _ = pdf_text(render_pdf(document))
    words, _ = docx_text(render_docx(document))
    for shown in (flat(text), words):
        assert NEEDS_LED in shown and FAQ_AIM in shown
        assert all(name in shown for name in SUPPORT_CLASSES)
    # Word's table holds each year's shares and money, hidden where Finance hides them from
    # governors.
    governors = needs_led_shares(demo_copy, actor(demo_copy, "governor"))
    lines = words.splitlines()
    for year, pence in zip(governors.years, governors.year_pence, strict=True):
        shares = [percent_text(governors.cell(year, name).share) for name in SUPPORT_CLASSES]
        whole = "hidden" if pence is None else format_pounds(pence)
        assert " | ".join([AcademicYear(year).label, *shares, whole]) in lines
