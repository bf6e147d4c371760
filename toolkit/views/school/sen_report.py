"""The SEN information report extract for parents: per school, what it received from the cluster
this year, for which areas of need and kinds of support, and how it checked the support worked.
Anonymous and suppressed (no figure about fewer than 5 pupils), ready to paste into the school's
website report."""

from __future__ import annotations

import streamlit as st

from cluster.common.file_names import file_slug
from cluster.reporting.impact_report import impact_dashboard, sen_information_extract
from toolkit import state
from toolkit.components.year import choose_academic_year, choose_cluster
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title("SEN information report: what the cluster's money did")
    cluster = choose_cluster(actor)
    board = impact_dashboard(engine(), actor, cluster_id=cluster.id)
    st.caption(f"{board.cluster_name} · for parents and carers, to paste into the school's SEN "
               "information report on its website")
    schools = dict(board.schools)
    if not schools:
        st.info("No school is set up in the cluster yet.")
        return
    left, right = st.columns(2)
    ids = list(schools)
    default = ids.index(actor.school_id) if actor.school_id in ids else 0
    school_id = left.selectbox("School", ids, index=default, format_func=schools.__getitem__,
                               key=state.SEN_REPORT_SCHOOL)
    year = choose_academic_year(board.years, default=board.academic_year,
                                key=state.SEN_REPORT_YEAR, where=right)
    extract = sen_information_extract(engine(), actor, school_id, year)
    st.info("The SEND Code of Practice asks each school to publish an SEN information report. "
            "Parents have asked how SEN money is spent: this extract says what the school "
            "received from the cluster and how it checked that the support worked. It names no "
            "child, and figures about fewer than 5 pupils are left out.")
    st.subheader("How it reads")
    with st.container(border=True):
        st.markdown(extract.markdown)
    st.subheader("Copy it")
    st.caption("Use the copy button at the top right of the box. Markdown keeps the headings; "
               "plain text suits a website editor that takes no formatting.")
    markdown_tab, text_tab = st.tabs(["Markdown", "Plain text"])
    with markdown_tab:
        st.code(extract.markdown, language="markdown", wrap_lines=True)
    with text_tab:
        st.code(extract.plain_text, language=None, wrap_lines=True)
    slug = file_slug(extract.school_name)
    first, second, _ = st.columns([1, 1, 2])
    first.download_button("Download (Markdown)", extract.markdown, file_name=f"{slug}-sen.md",
                          mime="text/markdown", icon=":material/download:")
    second.download_button("Download (plain text)", extract.plain_text,
                           file_name=f"{slug}-sen.txt", mime="text/plain",
                           icon=":material/download:")


render()
