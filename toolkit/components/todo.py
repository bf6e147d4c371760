"""The to-do list every home page shows: each thing this person must do, oldest first, as a link
straight to the record, or "Nothing to do". Beside it, when no mail server is set up, the
reminders that would otherwise arrive by e-mail."""

from __future__ import annotations

import streamlit as st

from cluster.core.permissions import Actor
from cluster.reporting.reminders import Reminder, reminders_to_show
from cluster.reporting.todo import ToDo, todo_list
from toolkit.engine import engine
from toolkit.registry import views_for

NOTHING_TO_DO = "Nothing to do: you are up to date."


def show_todo(actor: Actor) -> None:
    st.subheader("To do")
    items = todo_list(engine(), actor)
    if not items:
        st.success(NOTHING_TO_DO, icon=":material/task_alt:")
        show_reminders(actor)
        return
    st.caption(f"{len(items)} thing(s), oldest first. Each opens the place to do it.")
    for item in items:
        _todo_link(actor, item)
    show_reminders(actor)


def show_reminders(actor: Actor) -> None:
    """Nothing at all when reminders go by e-mail, or there are none."""
    reminders = reminders_to_show(engine(), actor)
    if not reminders:
        return
    st.subheader("Reminders")
    st.caption("What the toolkit would e-mail you if a mail server were set up. Turn any kind "
               "off in My account.")
    for reminder in reminders:
        _link(actor, reminder.subject, reminder)


def _todo_link(actor: Actor, item: ToDo) -> None:
    _link(actor, item.what, item)


def _link(actor: Actor, label: str, item: ToDo | Reminder) -> None:
    for view in views_for(actor.role):
        if view.url_path == item.url_path:
            st.page_link(view.path, label=label, icon=view.icon, query_params=item.query)
            return
    st.markdown(f"- {label}")  # no page for this reader: still said, never dropped
