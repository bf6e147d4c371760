"""Meeting papers (every role, each its own edition): the members' pack, the governors' editions,
the minutes, decision letters and the allocations workbook. Files are made when downloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from cluster.common.calendar import AcademicYear, format_date
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.meetings.context import MeetingSummary
from cluster.meetings.letters import decision_letters
from cluster.meetings.papers import (
    PapersIndex,
    governors_minutes,
    governors_pack,
    members_pack,
    minutes_paper,
    papers_index,
)
from cluster.reporting.allocations import allocations
from toolkit import state
from toolkit.components.year import choose_cluster
from toolkit.documents.allocations import allocations_workbook
from toolkit.documents.decision_letter import decision_letter_pdf, letter_file_name
from toolkit.documents.excel import XLSX_MIME
from toolkit.documents.meeting_papers import (
    DOCX_MIME,
    PDF_MIME,
    file_stem,
    governors_minutes_docx,
    governors_minutes_pdf,
    governors_pack_docx,
    governors_pack_pdf,
    members_pack_docx,
    members_pack_pdf,
    minutes_docx,
    minutes_pdf,
)
from toolkit.engine import engine
from toolkit.guard import guard_view

P = TypeVar("P")  # a paper's contents, before it is laid out as PDF or Word


def render() -> None:
    actor = guard_view(__file__)
    st.title("Meeting papers")
    cluster = choose_cluster(actor)
    st.caption(f"{cluster.name} · papers go out a week before each meeting; minutes and decision "
               "letters follow it.")
    first = papers_index(engine(), actor, cluster_id=cluster.id)
    if first.meeting is None:
        st.info("No meetings are set up yet.")
        return
    ids = [m.id for m in first.meetings]
    labels = {m.id: m.label for m in first.meetings}
    chosen = st.selectbox("Meeting", ids, index=ids.index(first.meeting.id),
                          format_func=labels.__getitem__, key=state.PAPERS_MEETING)
    index = first if chosen == first.meeting.id else papers_index(engine(), actor, chosen,
                                                                  cluster.id)
    _packs(actor, index)
    _minutes(actor, index)
    _letters(actor, index)
    _workbook(actor, index)


def _download(label: str, make: Callable[[], bytes], name: str, mime: str, key: str) -> None:
    st.download_button(label, data=make, file_name=name, mime=mime, key=key,
                       icon=":material/download:", on_click="ignore")


def _pdf_and_word(what: str, paper: Callable[[], P], to_pdf: Callable[[P], bytes],
                  to_docx: Callable[[P], bytes], name: str, meeting: MeetingSummary) -> None:
    """The same paper as PDF and as Word, side by side; each is made only when clicked."""
    stem = file_stem(name, meeting.half_term, meeting.held_on)
    left, right = st.columns(2)
    with left:
        _download(f"Download {what} (PDF)", lambda: to_pdf(paper()), f"{stem}.pdf", PDF_MIME,
                  f"{name}-pdf.{meeting.id}")
    with right:
        _download(f"Download {what} (Word)", lambda: to_docx(paper()), f"{stem}.docx",
                  DOCX_MIME, f"{name}-docx.{meeting.id}")


def _packs(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting, eng = index.meeting, engine()
    st.subheader("Meeting pack")
    allowed, why = index.members_pack
    if allowed:
        st.markdown("**Members' edition**: agenda, budget position, each request with its "
                    "pupils' references, need score and flags, the suggested split with reasons, "
                    "and the reviews due.")
        _pdf_and_word("the members' pack", lambda: members_pack(eng, actor, meeting.id),
                      members_pack_pdf, members_pack_docx, "meeting-pack", meeting)
    else:
        st.caption(why)
    st.markdown("**Governors' edition**: the same, with figures for groups of pupils only.")
    _pdf_and_word("the governors' pack", lambda: governors_pack(eng, actor, meeting.id),
                  governors_pack_pdf, governors_pack_docx, "governors-pack", meeting)


def _minutes(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting, eng = index.meeting, engine()
    st.subheader("Minutes")
    state_words = (f"approved {format_date(meeting.minutes_approved_on)}"
                   if meeting.minutes_approved_on else "draft until the next meeting approves them")
    st.caption(f"These minutes are {state_words}.")
    allowed, why = index.minutes
    if allowed:
        _pdf_and_word("the minutes", lambda: minutes_paper(eng, actor, meeting.id), minutes_pdf,
                      minutes_docx, "minutes", meeting)
    else:
        st.caption(why)
    if index.governors_minutes[0]:
        _pdf_and_word("the governors' minutes", lambda: governors_minutes(eng, actor, meeting.id),
                      governors_minutes_pdf, governors_minutes_docx, "governors-minutes",
                      meeting)
    elif index.governors_minutes[1] != why:
        st.caption(index.governors_minutes[1])


def _letters(actor: Actor, index: PapersIndex) -> None:
    assert index.meeting is not None
    meeting, eng = index.meeting, engine()
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

    def make() -> bytes:
        return decision_letter_pdf(decision_letters(eng, actor, meeting.id, school_id)[0])

    try:
        name = letter_file_name(decision_letters(eng, actor, meeting.id, school_id)[0])
    except ClusterError as error:
        st.error(error.message)
        return
    _download("Download the decision letter (PDF)", make, name, PDF_MIME,
              f"letter.{meeting.id}.{school_id}")


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
