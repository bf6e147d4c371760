"""Meeting papers (every role, each its own edition): the members' pack, the governors' editions,
the minutes, decision letters and the allocations workbook.

A paper is a draft, made when downloaded, until it is issued (the packs at papers-out, letters at
confirmation, minutes at their approval); from then on every download is the stored file, and
the page shows its SHA-256 so anyone can check a copy they hold. The host can issue an amendment,
with its reason; every version is listed."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cluster.common.calendar import AcademicYear, format_date
from cluster.core.errors import ClusterError
from cluster.core.links import Record
from cluster.core.permissions import Actor
from cluster.meetings.context import MeetingSummary
from cluster.meetings.issue import (
    MAX_REASON_CHARACTERS,
    OCCASION_WORDS,
    PaperStatus,
    amend_papers,
    paper_file,
    paper_status,
    send_papers_out,
)
from cluster.meetings.papers import PapersIndex, papers_index
from cluster.models import PaperKind, Role
from cluster.papers.workbook import XLSX_MIME
from cluster.reporting.allocations import allocations
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.addresses import follow_address, keep_in_address
from toolkit.components.forms import flash_and_rerun, show_flash
from toolkit.components.year import cluster_page
from toolkit.documents.allocations import allocations_workbook
from toolkit.engine import engine
from toolkit.guard import guard_view

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}
MIMES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def render() -> None:
    actor = guard_view(__file__)
    cluster = cluster_page(actor, "Meeting papers",
                           "papers go out a week before each meeting; minutes and decision "
               "letters follow it.")
    first = papers_index(engine(), actor, cluster_id=cluster.id)
    if first.meeting is None:
        st.info("No meetings are set up yet.")
        return
    ids = [m.id for m in first.meetings]
    labels = {m.id: m.label for m in first.meetings}
    follow_address(Record.MEETING, state.PAPERS_MEETING, ids)
    if st.session_state.get(state.PAPERS_MEETING) not in ids:
        st.session_state[state.PAPERS_MEETING] = first.meeting.id
    chosen = st.selectbox("Meeting", ids, format_func=labels.__getitem__,
                          key=state.PAPERS_MEETING)
    keep_in_address(Record.MEETING, state.PAPERS_MEETING, chosen)
    index = first if chosen == first.meeting.id else papers_index(engine(), actor, chosen,
                                                                  cluster.id)
    show_flash()
    _packs(actor, index)
    _minutes(actor, index)
    _letters(actor, index)
    _workbook(actor, index)


def _download(label: str, make: Callable[[], bytes], name: str, mime: str, key: str) -> None:
    st.download_button(label, data=make, file_name=name, mime=mime, key=key,
                       icon=":material/download:", on_click="ignore")


def _paper(actor: Actor, meeting: MeetingSummary, what: str, kind: PaperKind,
           school_id: int | None = None) -> PaperStatus | None:
    """One paper: whether it is issued (with its SHA-256) or a draft, its downloads, and every
    version once amended. Each file is fetched only when its button is pressed."""
    eng = engine()
    try:
        status = paper_status(eng, actor, meeting.id, kind, school_id)
    except ClusterError as error:
        st.caption(error.message)
        return None
    formats = [f for f in ("pdf", "docx") if f != "docx" or kind != PaperKind.DECISION_LETTER]
    _state_line(status, formats)
    columns = st.columns(len(formats))
    for column, file_format in zip(columns, formats, strict=True):
        current = status.current(file_format)
        name = current.file_name if current else f"{kind.value.replace('_', '-')}.{file_format}"

        def make(file_format: str = file_format) -> bytes:
            return paper_file(eng, actor, meeting.id, kind, file_format, school_id).content

        with column:
            _download(f"Download {what} ({FORMAT_LABELS[file_format]})", make, name,
                      MIMES[file_format], f"{kind.value}-{file_format}.{meeting.id}.{school_id}")
    if status.amended:
        _versions(actor, meeting, kind, status, school_id)
    return status


def _state_line(status: PaperStatus, formats: list[str]) -> None:
    if not status.is_issued:
        st.caption(f"Draft: made from the record when you download it. It is issued "
                   f"{status.issued_when}; from then on every download is the same file.")
        return
    first = status.current(formats[0])
    assert first is not None
    how = "amended" if first.version > 1 else f"issued {OCCASION_WORDS.get(first.occasion, '')}"
    hashes = " · ".join(f"{FORMAT_LABELS[f]} SHA-256 `{v.sha256}`" for f in formats
                        if (v := status.current(f)) is not None)
    st.caption(f"Version {first.version}, {how} on {format_date(first.issued_on)} by "
               f"{first.issued_by or 'the toolkit'}. {hashes}")


def _versions(actor: Actor, meeting: MeetingSummary, kind: PaperKind, status: PaperStatus,
              school_id: int | None) -> None:
    with st.expander(f"Every version ({max(v.version for v in status.versions)})"):
        st.dataframe([{"Version": v.version, "Format": FORMAT_LABELS[v.file_format],
                       "Issued": format_date(v.issued_on), "By": v.issued_by,
                       "Why": v.reason or OCCASION_WORDS.get(v.occasion, ""),
                       "SHA-256": v.sha256} for v in status.versions],
                     hide_index=True, width="stretch")
        for v in status.versions:
            if v.version == max(x.version for x in status.versions):
                continue

            def make(v_format: str = v.file_format, number: int = v.version) -> bytes:
                return paper_file(engine(), actor, meeting.id, kind, v_format, school_id,
                                  version=number).content

            _download(f"Version {v.version} ({FORMAT_LABELS[v.file_format]})", make,
                      v.file_name, MIMES[v.file_format],
                      f"{kind.value}-{v.file_format}-v{v.version}.{meeting.id}.{school_id}")


def _amend(actor: Actor, meeting: MeetingSummary, choices: dict[PaperKind, str],
           school_id: int | None = None) -> None:
    """The host corrects an issued paper: a new version, with the reason printed beside it."""
    if actor.role != Role.HOST or not choices:
        return
    instance = f"{meeting.id}.{'-'.join(choices)}.{school_id}"
    with st.expander("Correct an issued paper (an amendment)"):
        with forms.form("papers.amend", instance=instance) as drawn:
            kind = st.selectbox("Paper", list(choices), format_func=choices.__getitem__)
            reason = drawn.text("Why it is amended", MAX_REASON_CHARACTERS, area=True,
                                about="Printed beside the new version; the old one is kept")
            pressed = drawn.buttons("Issue the amendment")
        if pressed:
            forms.save(drawn.name, lambda: amend_papers(
                engine(), actor, meeting.id, kind, reason, school_id,
                confirmed_not_names=names_prompt.confirmed(drawn.name)),
                done=lambda version: f"Version {version} issued; the earlier versions are kept "
                                     "and listed.", drawn=drawn, fresh=True)


def _packs(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting = index.meeting
    st.subheader("Meeting pack")
    allowed, why = index.members_pack
    issued: dict[PaperKind, str] = {}
    if allowed:
        st.markdown("**Members' edition**: agenda, budget position, each request with its "
                    "pupils' references, need score and flags, the suggested split with reasons, "
                    "and the reviews due.")
        status = _paper(actor, meeting, "the members' pack", PaperKind.MEMBERS_PACK)
        if status and status.is_issued:
            issued[PaperKind.MEMBERS_PACK] = "The members' pack"
    else:
        st.caption(why)
    st.markdown("**Governors' edition**: the same, with figures for groups of pupils only.")
    status = _paper(actor, meeting, "the governors' pack", PaperKind.GOVERNORS_PACK)
    if status and status.is_issued:
        issued[PaperKind.GOVERNORS_PACK] = "The governors' pack"
    elif actor.role == Role.HOST and meeting.decisions_confirmed_on is None:
        if st.button("Send the papers out now", key=f"send-papers.{meeting.id}",
                     help="Stores every copy of the packs as they stand; at the latest they go "
                          "out on papers-out day."):
            try:
                with st.spinner("Laying out every copy of the packs: this takes a little while."):
                    count = send_papers_out(engine(), actor, meeting.id)
            except ClusterError as error:
                st.error(error.message)
            else:
                flash_and_rerun(f"The papers are out: {count} copies stored.")
    _amend(actor, meeting, issued)


def _minutes(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting = index.meeting
    st.subheader("Minutes")
    state_words = (f"approved {format_date(meeting.minutes_approved_on)}"
                   if meeting.minutes_approved_on else "draft until the next meeting approves them")
    st.caption(f"These minutes are {state_words}.")
    issued: dict[PaperKind, str] = {}
    allowed, why = index.minutes
    if allowed:
        status = _paper(actor, meeting, "the minutes", PaperKind.MINUTES)
        if status and status.is_issued:
            issued[PaperKind.MINUTES] = "The minutes"
    else:
        st.caption(why)
    if index.governors_minutes[0]:
        status = _paper(actor, meeting, "the governors' minutes", PaperKind.GOVERNORS_MINUTES)
        if status and status.is_issued:
            issued[PaperKind.GOVERNORS_MINUTES] = "The governors' minutes"
    elif index.governors_minutes[1] != why:  # each reason once
        st.caption(index.governors_minutes[1])
    _amend(actor, meeting, issued)


def _letters(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting = index.meeting
    st.subheader("Decision letters")
    allowed, why = index.letters
    if not allowed:
        st.caption(why)
        return
    if not index.letter_schools:
        st.caption("No school has a decision from this meeting.")
        return
    names = dict(index.letter_schools)
    school_id = st.selectbox("School", list(names), format_func=names.__getitem__,
                             key=f"{state.PAPERS_SCHOOL}.{meeting.id}")
    status = _paper(actor, meeting, "the decision letter", PaperKind.DECISION_LETTER, school_id)
    if status and status.is_issued:
        _amend(actor, meeting, {PaperKind.DECISION_LETTER: f"The letter to {names[school_id]}"},
               school_id)


def _workbook(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    allowed, _ = index.allocations
    if not allowed:
        return
    year, eng = index.meeting.academic_year, engine()
    st.subheader("Allocations workbook for the LA's finance team")
    st.caption("Every confirmed award this academic year, per-school totals, the pot arithmetic "
               "and the April-March split for maintained schools.")
    name = f"allocations-{AcademicYear(year).label.replace('/', '-')}.xlsx"
    _download("Download the allocations workbook (Excel)",
              lambda: allocations_workbook(allocations(eng, actor, year)), name, XLSX_MIME,
              f"allocations.{year}")


render()
