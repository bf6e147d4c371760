"""Every export opens in LibreOffice, as a finance office or a clerk would open it, even when the
record holds what people paste: a Word line break (U+000B) and other control characters, text
that starts like a formula, and names outside Latin-1. The workbooks' money is numbers with a £
format; the PDFs embed DejaVu Sans so "Łukasz" prints.

`make test` installs LibreOffice (scripts/ensure_libreoffice.sh); where it cannot be installed
the opening test skips and says so, and the other checks still run."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.db import make_engine
from cluster.meetings.issue import paper_file
from cluster.meetings.papers import papers_index
from cluster.models import Action, Award, Meeting, PaperKind, School
from cluster.papers.document import Day, Money
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from cluster.papers.workbook import table_workbook
from cluster.reporting.allocations import allocations
from cluster.reporting.impact_report import impact_dashboard
from tests.helpers.actors import actor
from toolkit.documents.allocations import allocations_workbook
from toolkit.documents.impact_report import impact_report_document

PASTED_SCHOOL = "+SUM(1,2) Łukasz\x0bPrimary\x01"  # formula-like, non-Latin-1, control chars
PASTED_TEXT = "Agreed with the\x0bSENCO\x0c= Available for new awards"
SOFFICE = shutil.which("soffice")
DRAW = Path("/usr/lib/libreoffice/share/registry/draw.xcd")


def _pasted(engine: Engine) -> int:
    """A school renamed, an action and the minutes edited with pasted text; returns the id of a
    meeting with confirmed decisions and saved minutes."""
    with Session(engine) as session:
        school = session.exec(select(School).order_by(col(School.id))).first()
        assert school is not None
        school.name = PASTED_SCHOOL
        # The demo's last held funding round with awards, its decisions on record as confirmed.
        meeting = session.exec(select(Meeting).join(Award, col(Award.meeting_id) == Meeting.id)
                               .where(Meeting.held_on < date(2026, 11, 23))
                               .order_by(col(Meeting.held_on).desc())).first()
        assert meeting is not None
        meeting.decisions_confirmed_on = meeting.held_on
        meeting.minutes_md = f"# Minutes\n\n{PASTED_TEXT}\n\n| School | Note |\n|---|---|\n" \
                             f"| {PASTED_SCHOOL} | {PASTED_TEXT} |\n"
        meeting.agenda_md = f"1. {PASTED_TEXT}"
        session.add(Action(meeting_id=meeting.id or 0, description=PASTED_TEXT,
                                  owner="The host", due_on=meeting.held_on))
        session.add_all([school, meeting])
        session.commit()
        return meeting.id or 0


@pytest.fixture(scope="module")
def exports(demo_sqlite_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every paper and workbook the toolkit hands out, from a record with pasted text. Made once
    for the module: issuing a meeting's papers lays out a few dozen files."""
    path = tmp_path_factory.mktemp("exports") / "demo.db"
    shutil.copy(demo_sqlite_file, path)
    demo_copy = make_engine(f"sqlite:///{path}")
    try:
        return _exports(demo_copy)
    finally:
        demo_copy.dispose()


def _exports(demo_copy: Engine) -> dict[str, bytes]:
    meeting_id = _pasted(demo_copy)
    host, governor = actor(demo_copy, "host"), actor(demo_copy, "governor")
    files: dict[str, bytes] = {}
    for kind, who in ((PaperKind.MEMBERS_PACK, host), (PaperKind.GOVERNORS_PACK, governor),
                      (PaperKind.MINUTES, host), (PaperKind.GOVERNORS_MINUTES, governor)):
        for file_format in ("pdf", "docx"):
            paper = paper_file(demo_copy, who, meeting_id, kind, file_format)
            files[f"{kind.value}.{file_format}"] = paper.content
    letter = paper_file(demo_copy, host, meeting_id, PaperKind.DECISION_LETTER, "pdf",
                        school_id=_a_school_with_a_letter(demo_copy, meeting_id))
    files["decision_letter.pdf"] = letter.content
    board = impact_dashboard(demo_copy, governor, academic_year=2025)
    files["impact_report.pdf"] = render_pdf(impact_report_document(board))
    files["impact_report.docx"] = render_docx(impact_report_document(board))
    with Session(demo_copy) as session:
        year = session.get_one(Meeting, meeting_id).academic_year
    files["allocations.xlsx"] = allocations_workbook(allocations(demo_copy, host, year))
    files["table.xlsx"] = table_workbook("Payment schedule", [
        {"School": PASTED_SCHOOL, "Due": Day(board.produced_on), "Amount": Money(-950_000)}])
    return files


def _a_school_with_a_letter(engine: Engine, meeting_id: int) -> int:
    index = papers_index(engine, actor(engine, "host"), meeting_id)
    assert index.letter_schools
    return index.letter_schools[0][0]


def test_every_export_is_made_despite_pasted_control_characters(
        exports: dict[str, bytes]) -> None:
    for name, data in exports.items():
        assert data, name
    members = " ".join("\n".join(p.extract_text() for p in PdfReader(
        io.BytesIO(exports["members_pack.pdf"])).pages).split())
    assert "Łukasz" in members  # DejaVu prints it; Helvetica printed "?ukasz"
    # The four Word files that failed on a pasted line break hold the text, the break a break.
    for name in ("members_pack.docx", "governors_minutes.docx", "impact_report.docx"):
        assert "Łukasz\nPrimary" in _word_text(exports[name]), name
    minutes = _word_text(exports["minutes.docx"])  # Markdown: there a break is a space
    assert "+SUM(1,2) Łukasz Primary" in minutes
    assert "Agreed with the SENCO = Available for new awards" in minutes


def _word_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_workbook_money_is_numbers_with_a_pound_format(exports: dict[str, bytes]) -> None:
    for name in ("allocations.xlsx", "table.xlsx"):
        workbook = load_workbook(io.BytesIO(exports[name]))
        cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row
                 if c.value is not None]
        money = [c for c in cells if "£" in c.number_format]
        assert money and all(c.data_type == "n" for c in money), name
        assert not any(isinstance(c.value, str) and c.value.startswith(("£", "-£", "'"))
                       for c in cells), name
        named = [c for c in cells if c.value == "+SUM(1,2) Łukasz\nPrimary"]
        assert named and all(c.quotePrefix and c.data_type == "s" for c in named), name
    table = load_workbook(io.BytesIO(exports["table.xlsx"])).active
    assert any(c.value == -9500 for row in table.iter_rows() for c in row)


def _open_in_libreoffice(files: list[Path], out: Path, *extra: str) -> None:
    """Converts the files to PDF with LibreOffice; each must come out as a readable PDF."""
    profile = (out.parent / "profile").as_uri()  # its own profile: runs never share a lock
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", *extra,
         "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    for path in files:
        made = out / f"{path.stem}.pdf"
        assert made.is_file() and made.stat().st_size > 1000, (path.name, result.stdout)
        assert len(PdfReader(made).pages) >= 1


def _written(exports: dict[str, bytes], folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    folder.mkdir()
    for name, data in exports.items():
        if name.endswith(suffixes):
            (folder / name).write_bytes(data)
    return sorted(folder.iterdir())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed and could not be "
                    "installed here (scripts/ensure_libreoffice.sh, run by `make test`)")
def test_every_word_file_and_workbook_opens_in_libreoffice(exports: dict[str, bytes],
                                                           tmp_path: Path) -> None:
    files = _written(exports, tmp_path / "exports", (".docx", ".xlsx"))
    assert len(files) == 7
    _open_in_libreoffice(files, tmp_path / "converted")


@pytest.mark.skipif(not DRAW.is_file(), reason="LibreOffice Draw, which opens PDFs, is not "
                    "installed and could not be installed here (scripts/ensure_libreoffice.sh)")
def test_every_pdf_opens_in_libreoffice(exports: dict[str, bytes], tmp_path: Path) -> None:
    files = _written(exports, tmp_path / "exports", (".pdf",))
    assert len(files) == 6
    _open_in_libreoffice(files, tmp_path / "converted", "--infilter=draw_pdf_import")
