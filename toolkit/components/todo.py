"""The to-do list every home page shows: each thing this person must do, oldest first, as a link
straight to the record, or "Nothing to do"."""

from __future__ import annotations

import streamlit as st

from cluster.core.permissions import Actor
from cluster.reporting.todo import ToDo, todo_list
from toolkit.engine import engine
from toolkit.registry import views_for

NOTHING_TO_DO = "Nothing to do: you are up to date."


def show_todo(actor: Actor) -> None:
    st.subheader("To do")
    items = todo_list(engine(), actor)
    if not items:
        st.success(NOTHING_TO_DO, icon=":material/task_alt:")
        return
    st.caption(f"{len(items)} thing(s), oldest first. Each opens the place to do it.")
    for item in items:
        _todo_link(actor, item)


def _todo_link(actor: Actor, item: ToDo) -> None:
    for view in views_for(actor.role):
        if view.url_path == item.url_path:
            st.page_link(view.path, label=item.what, icon=view.icon, query_params=item.query)
            return
    st.markdown(f"- {item.what}")  # no page for this reader: still said, never dropped
