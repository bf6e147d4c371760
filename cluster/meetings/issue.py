"""A meeting's papers as issued: rendered once, stored (bytes and SHA-256), served as stored.

When each paper is issued:
- the members' pack (the host's copy and each school's) and the governors' pack: at papers-out,
  a week before the meeting. The first download on or after that date stores every copy, and
  the meeting's confirmation stores any copy still unstored before it changes anything, so the
  papers always read as they went out, whatever the meeting then decides;
- the decision letters: when the meeting confirms its decisions, in the same transaction;
- the minutes and the governors' minutes: when the next meeting approves them.

Before its moment a paper is a draft, made when downloaded and never stored. After it, every
download serves the stored bytes, and the page shows their SHA-256. A correction is an amendment
(`amend_papers`): a new version with its reason, the old one kept and listed. A paper whose
moment passed before papers were stored (a database from before this record) is stored on its
first download and says so.

Each version of the governors' pack also stores its disclosure figures as issued (on its PDF and
Word rows alike), so the disclosure audit checks what readers hold (`pack_figures`); the
governors' minutes store the names of the figures they showed (`minutes_year`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import format_date
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import (
    ALL_ROLES,
    MEMBER_ROLES,
    Actor,
    can_manage_cluster,
    has_role,
    require,
)
from cluster.core.scope import meeting_in_cluster
from cluster.meetings.documents import (
    decision_letter_document,
    file_stem,
    governors_minutes_document,
    governors_pack_document,
    letter_stem,
    members_pack_document,
    minutes_document,
)
from cluster.meetings.letters import build_letters, letters_permission
from cluster.meetings.minutes_year import minutes_year
from cluster.meetings.pack_figures import issued_pack_figures
from cluster.meetings.papers import (
    audited_read,
    build_governors_minutes,
    build_governors_pack,
    build_members_pack,
    build_minutes_paper,
    members_window,
    require_minutes,
)
from cluster.models import Meeting, PaperKind, Role, School
from cluster.papers.document import Document
from cluster.papers.pdf import PDF_MIME, render_pdf
from cluster.papers.record import (
    PaperVersion,
    StoredPaper,
    sha256_of,
    store,
    stored,
    versions,
)
from cluster.papers.word import DOCX_MIME, render_docx
from cluster.year.deadlines import deadlines_for

HOST_EDITION = "host"
EVERYONE = ""
MIMES = {"pdf": PDF_MIME, "docx": DOCX_MIME}
MAX_REASON_CHARACTERS = 1000


class Occasion:
    PAPERS_OUT = "papers_out"
    CONFIRMATION = "confirmation"
    MINUTES_APPROVED = "minutes_approved"
    AMENDMENT = "amendment"
    FIRST_DOWNLOAD = "first_download"


OCCASION_WORDS = {
    Occasion.PAPERS_OUT: "at papers-out",
    Occasion.CONFIRMATION: "at the confirmation of the decisions",
    Occasion.MINUTES_APPROVED: "when the minutes were approved",
    Occasion.AMENDMENT: "amendment",
    Occasion.FIRST_DOWNLOAD: "on its first download (papers were not yet stored when it was due)",
}
# The formats each paper is issued in (letters go to schools as PDF).
FORMATS = {PaperKind.MEMBERS_PACK: ("pdf", "docx"), PaperKind.GOVERNORS_PACK: ("pdf", "docx"),
           PaperKind.MINUTES: ("pdf", "docx"), PaperKind.GOVERNORS_MINUTES: ("pdf", "docx"),
           PaperKind.DECISION_LETTER: ("pdf",)}
STEMS: dict[str, str] = {
    PaperKind.MEMBERS_PACK: "meeting-pack", PaperKind.GOVERNORS_PACK: "governors-pack",
    PaperKind.MINUTES: "minutes", PaperKind.GOVERNORS_MINUTES: "governors-minutes"}
RENDERERS: dict[str, Callable[[Document], bytes]] = {"pdf": render_pdf, "docx": render_docx}


@dataclass(frozen=True)
class PaperFile:
    """A paper to download: as issued (`issued` says when, with its SHA-256), or a draft made
    now because its moment has not come."""

    file_name: str
    content: bytes
    mime: str
    issued: PaperVersion | None
    versions: tuple[PaperVersion, ...]  # every issued version, newest first

    @property
    def sha256(self) -> str:
        return self.issued.sha256 if self.issued else sha256_of(self.content)

    @property
    def is_draft(self) -> bool:
        return self.issued is None


@dataclass(frozen=True)
class PaperStatus:
    """What the papers page says about one paper before anything is downloaded."""

    kind: str
    versions: tuple[PaperVersion, ...]  # every issued version in every format, newest first
    issued_when: str  # when it is (or was) issued, in words

    @property
    def is_issued(self) -> bool:
        return bool(self.versions)

    def current(self, file_format: str) -> PaperVersion | None:
        return next((v for v in self.versions if v.file_format == file_format), None)

    @property
    def amended(self) -> bool:
        return any(v.version > 1 for v in self.versions)


def school_edition(school_id: int) -> str:
    return f"school-{school_id}"


def _reader(meeting: Meeting, edition: str) -> Actor:
    """Who a copy of the members' pack is for: the host, or any member of one school (the copy
    depends only on the school, never on the person)."""
    if edition == HOST_EDITION:
        return Actor(0, "", "", Role.HOST, meeting.cluster_id, None)
    return Actor(0, "", "", Role.SCHOOL, meeting.cluster_id, int(edition.split("-")[1]))


# --- building and rendering -----------------------------------------------------------------------


def _document(session: Session, meeting: Meeting, kind: str, edition: str) -> tuple[Document, str]:
    """The paper as a document, with its file name without extension."""
    stem = file_stem(STEMS.get(kind, kind), meeting.half_term, meeting.held_on)
    if kind == PaperKind.MEMBERS_PACK:
        reader = _reader(meeting, edition)
        return members_pack_document(build_members_pack(session, reader, meeting)), stem
    if kind == PaperKind.GOVERNORS_PACK:
        return governors_pack_document(build_governors_pack(session, meeting)), stem
    if kind == PaperKind.MINUTES:
        return minutes_document(build_minutes_paper(session, meeting)), stem
    if kind == PaperKind.GOVERNORS_MINUTES:
        return governors_minutes_document(build_governors_minutes(session, meeting)), stem
    letter = build_letters(session, meeting, int(edition.split("-")[1]))[0]
    return decision_letter_document(letter), letter_stem(letter)


def _files(session: Session, meeting: Meeting, kind: str, edition: str,
           formats: tuple[str, ...]) -> dict[str, tuple[str, bytes]]:
    document, stem = _document(session, meeting, kind, edition)
    return {f: (f"{stem}.{f}", RENDERERS[f](document)) for f in formats}


def _issue(session: Session, meeting: Meeting, kind: str, edition: str, occasion: str,
           issued_by: str, reason: str = "") -> int:
    files = _files(session, meeting, kind, edition, FORMATS[PaperKind(kind)])
    return store(session, cluster_id=meeting.cluster_id, meeting_id=meeting.id or 0, kind=kind,
                 edition=edition, files=files, occasion=occasion, issued_by=issued_by,
                 reason=reason, shown_figures=_shown_figures(session, meeting, kind),
                 figures=_figures(session, meeting, kind))


def _shown_figures(session: Session, meeting: Meeting, kind: str) -> frozenset[str] | None:
    """The governors' minutes' decision figures as issued: they stay shown whatever happens
    later, so the year's other figures are protected around them (`minutes_year`)."""
    if kind != PaperKind.GOVERNORS_MINUTES:
        return None
    return minutes_year(session, meeting.cluster_id, meeting.academic_year).shown_names(
        meeting.id or 0)


def _figures(session: Session, meeting: Meeting, kind: str) -> dict[str, Any] | None:
    """The governors' pack's disclosure figures as issued, stored with each version: the
    disclosure audit checks the pack its readers hold, not the pack as it would read now
    (`pack_figures`)."""
    if kind != PaperKind.GOVERNORS_PACK:
        return None
    return issued_pack_figures(session, meeting)


def _is_issued(session: Session, meeting: Meeting, kind: str, edition: str) -> bool:
    return stored(session, meeting.id or 0, kind, edition, FORMATS[PaperKind(kind)][0]) is not None


# --- when papers are issued -----------------------------------------------------------------------


def papers_are_out(meeting: Meeting) -> bool:
    return today() >= deadlines_for(meeting.held_on).papers_out


def _is_due(meeting: Meeting, kind: str) -> bool:
    if kind in (PaperKind.MEMBERS_PACK, PaperKind.GOVERNORS_PACK):
        return papers_are_out(meeting) or meeting.decisions_confirmed_on is not None
    if kind in (PaperKind.MINUTES, PaperKind.GOVERNORS_MINUTES):
        return meeting.minutes_approved_on is not None
    return meeting.decisions_confirmed_on is not None


def pack_editions(session: Session, meeting: Meeting) -> list[tuple[str, str]]:
    """Every copy of the packs: (kind, edition) for the host, each school and the governors."""
    schools = session.exec(select(School.id).where(School.cluster_id == meeting.cluster_id)
                           .order_by(col(School.id))).all()
    return [(PaperKind.MEMBERS_PACK, HOST_EDITION),
            *[(PaperKind.MEMBERS_PACK, school_edition(s or 0)) for s in schools],
            (PaperKind.GOVERNORS_PACK, EVERYONE)]


def issue_packs(session: Session, meeting: Meeting, issued_by: str, occasion: str) -> int:
    """Stores every copy of the packs not stored yet, all as of this moment; returns how many
    copies it stored. Copies that read the same (a school with nothing of its own on the agenda
    reads what the next such school reads) are laid out once: a PDF takes about a second."""
    laid_out: dict[str, dict[str, tuple[str, bytes]]] = {}
    issued = 0
    for kind, edition in pack_editions(session, meeting):
        if _is_issued(session, meeting, kind, edition):
            continue
        document, stem = _document(session, meeting, kind, edition)
        key = repr(document)
        if key not in laid_out:
            laid_out[key] = {f: (f"{stem}.{f}", RENDERERS[f](document))
                             for f in FORMATS[PaperKind(kind)]}
        store(session, cluster_id=meeting.cluster_id, meeting_id=meeting.id or 0, kind=kind,
              edition=edition, files=laid_out[key], occasion=occasion, issued_by=issued_by,
              figures=_figures(session, meeting, kind))
        issued += 1
    return issued


def issue_letters(session: Session, meeting: Meeting, issued_by: str) -> int:
    """At confirmation: every school's decision letter, from the decisions just confirmed."""
    letters = build_letters(session, meeting)
    for letter in letters:
        document = decision_letter_document(letter)
        store(session, cluster_id=meeting.cluster_id, meeting_id=meeting.id or 0,
              kind=PaperKind.DECISION_LETTER, edition=school_edition(letter.school_id),
              files={"pdf": (f"{letter_stem(letter)}.pdf", render_pdf(document))},
              occasion=Occasion.CONFIRMATION, issued_by=issued_by)
    return len(letters)


def issue_minutes(session: Session, meeting: Meeting, issued_by: str) -> None:
    """When the next meeting approves them: the minutes and the governors' minutes."""
    for kind in (PaperKind.MINUTES, PaperKind.GOVERNORS_MINUTES):
        if not _is_issued(session, meeting, kind, EVERYONE):
            _issue(session, meeting, kind, EVERYONE, Occasion.MINUTES_APPROVED, issued_by)


# --- who may read which copy ----------------------------------------------------------------------


def _edition_for(session: Session, actor: Actor, meeting: Meeting, kind: str,
                 school_id: int | None) -> str:
    """The copy this reader gets, after checking they may read the paper at all."""
    if kind == PaperKind.MEMBERS_PACK:
        require(has_role(actor, MEMBER_ROLES))
        require(members_window(actor, meeting))
        return HOST_EDITION if actor.role == Role.HOST else school_edition(actor.school_id or 0)
    if kind == PaperKind.MINUTES:
        require(has_role(actor, MEMBER_ROLES))
        require_minutes(meeting)
        return EVERYONE
    if kind in (PaperKind.GOVERNORS_PACK, PaperKind.GOVERNORS_MINUTES):
        require(has_role(actor, ALL_ROLES))
        if kind == PaperKind.GOVERNORS_MINUTES:
            require_minutes(meeting)
        return EVERYONE
    require(has_role(actor, MEMBER_ROLES))
    require(letters_permission(actor, meeting))
    school = actor.school_id if actor.role == Role.SCHOOL else school_id
    if school is None:
        raise InvalidInput("School", "choose the school whose letter you want")
    build_letters(session, meeting, school)  # refuses a school with no decisions here
    return school_edition(school)


def _issued_when(meeting: Meeting, kind: str) -> str:
    if kind in (PaperKind.MEMBERS_PACK, PaperKind.GOVERNORS_PACK):
        return f"at papers-out, {format_date(deadlines_for(meeting.held_on).papers_out)}"
    if kind in (PaperKind.MINUTES, PaperKind.GOVERNORS_MINUTES):
        return "when the next meeting approves them"
    return "when the meeting confirms its decisions"


def paper_status(engine: Engine, actor: Actor, meeting_id: int, kind: str,
                 school_id: int | None = None) -> PaperStatus:
    """Whether the reader's copy of a paper is issued, with every version; nothing is made."""
    kind = PaperKind(kind)
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        edition = _edition_for(session, actor, meeting, kind, school_id)
        return PaperStatus(kind, versions(session, meeting_id, kind, edition),
                           _issued_when(meeting, kind))


# --- downloads ------------------------------------------------------------------------------------


@audit.refusals_logged("read_paper")
def paper_file(engine: Engine, actor: Actor, meeting_id: int, kind: str, file_format: str,
               school_id: int | None = None, version: int | None = None) -> PaperFile:
    """The paper as issued (the newest version unless one is named), or a draft before its
    moment. The first download after its moment stores it."""
    kind = PaperKind(kind)
    if file_format not in FORMATS[kind]:
        raise InvalidInput("Format", f"this paper comes as {' or '.join(FORMATS[kind])}")
    draft: PaperFile | None = None
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        edition = _edition_for(session, actor, meeting, kind, school_id)
        found = stored(session, meeting_id, kind, edition, file_format, version)
        due = _is_due(meeting, kind)
        if found is None and not due:
            name, content = _files(session, meeting, kind, edition, (file_format,))[file_format]
            draft = PaperFile(name, content, MIMES[file_format], None, ())
    if found is None and due:
        found = _issue_late(engine, actor, meeting_id, kind, edition, file_format)
    if kind == PaperKind.MEMBERS_PACK:
        # Another school's requests, with pupil references: the read is on record.
        audited_read(engine, actor, "read_members_pack", meeting_id)
    if found is None:
        assert draft is not None
        return draft
    with read_session(engine) as session:
        listed = versions(session, meeting_id, kind, edition)
    return PaperFile(found.about.file_name, found.content, MIMES[file_format], found.about,
                     listed)


def _issue_late(engine: Engine, actor: Actor, meeting_id: int, kind: str, edition: str,
                file_format: str) -> StoredPaper | None:
    """Stores a paper whose moment has passed: the packs (every copy at once, so they all read
    as of the same moment) at papers-out; anything else that predates stored papers."""
    with write_session(engine) as session:
        meeting = session.get_one(Meeting, meeting_id)
        if not _is_issued(session, meeting, kind, edition):  # another download may have won
            if kind in (PaperKind.MEMBERS_PACK, PaperKind.GOVERNORS_PACK):
                occasion = (Occasion.PAPERS_OUT if meeting.decisions_confirmed_on is None
                            else Occasion.FIRST_DOWNLOAD)
                count = issue_packs(session, meeting, actor.display_name, occasion)
            else:
                _issue(session, meeting, kind, edition, Occasion.FIRST_DOWNLOAD,
                       actor.display_name)
                count = 1
            audit.record(session, actor, "issue_papers", entity="meeting", entity_id=meeting_id,
                         after={"kind": kind, "copies": count})
        return stored(session, meeting_id, kind, edition, file_format)


# --- the host's acts ------------------------------------------------------------------------------


@audit.mutating("issue_papers")
def send_papers_out(engine: Engine, actor: Actor, meeting_id: int) -> int:
    """The host sends the packs out now (at the latest they go out on papers-out day): every copy
    is stored as it stands. Returns how many copies were stored."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        if meeting.decisions_confirmed_on is not None:
            raise InvalidInput("Papers", "this meeting has confirmed its decisions: its papers "
                               "went out before it")
        count = issue_packs(session, meeting, actor.display_name, Occasion.PAPERS_OUT)
        if count == 0:
            raise InvalidInput("Papers", "the papers for this meeting have already gone out; "
                               "a correction is an amendment, with its reason")
        audit.record(session, actor, "issue_papers", entity="meeting", entity_id=meeting_id,
                     after={"kind": "packs", "copies": count})
        return count


def _issued_editions(session: Session, meeting: Meeting, kind: str,
                     school_id: int | None) -> list[str]:
    if kind == PaperKind.DECISION_LETTER and school_id is not None:
        candidates = [school_edition(school_id)]
    elif kind == PaperKind.MEMBERS_PACK:
        candidates = [e for k, e in pack_editions(session, meeting) if k == kind]
    elif kind == PaperKind.DECISION_LETTER:
        candidates = [school_edition(s) for s in {
            letter.school_id for letter in build_letters(session, meeting)}]
    else:
        candidates = [EVERYONE]
    return [e for e in candidates if _is_issued(session, meeting, kind, e)]


@audit.mutating("amend_papers")
def amend_papers(engine: Engine, actor: Actor, meeting_id: int, kind: str, reason: str,
                 school_id: int | None = None, *,
                 confirmed_not_names: ConfirmedNames = False) -> int:
    """A correction to an issued paper: every issued copy (or one school's letter) is issued
    again from the record as it is now, as a new version carrying the reason; the old versions
    are kept and listed. Returns the new version number."""
    require(can_manage_cluster(actor))
    kind = PaperKind(kind)
    if not reason.strip():
        raise InvalidInput("Reason", "say why the paper is amended: it is printed beside the "
                           "new version")
    confirmed = require_clean_text("Reason", reason, MAX_REASON_CHARACTERS,
                                   confirmed_not_names=confirmed_not_names)
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        editions = _issued_editions(session, meeting, kind, school_id)
        if not editions:
            raise InvalidInput("Paper", "this paper has not been issued yet, so there is nothing "
                               "to amend: until it is, a download is a draft made from the "
                               "record as it stands")
        version = 0
        for edition in editions:
            version = _issue(session, meeting, kind, edition, Occasion.AMENDMENT,
                             actor.display_name, reason.strip())
        audit.record(session, actor, "amend_papers", entity="meeting", entity_id=meeting_id,
                     after={"kind": kind, "copies": len(editions), "version": version},
                     text_fields=frozenset({"reason"}))
        record_confirmation(session, actor, confirmed, entity="meeting", entity_id=meeting_id)
        return version
