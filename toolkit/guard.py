"""The role check every view runs first: a hidden page can still be opened by its URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from cluster.core.permissions import Actor, has_role
from cluster.people.accounts import record_refused_view
from toolkit import state
from toolkit.engine import engine
from toolkit.registry import View, view_at


def current_actor() -> Actor | None:
    actor = st.session_state.get(state.ACTOR)
    return actor if isinstance(actor, Actor) else None


def require_view_role(view: str, roles: Iterable[str]) -> Actor:
    """Returns the signed-in actor, or stops the page with the reason when the role may not see
    it."""
    actor = current_actor()
    allowed, reason = has_role(actor, frozenset(roles))
    if allowed and actor is not None:
        return actor
    record_refused_view(engine(), actor, view)
    st.error(reason)
    st.stop()
    raise AssertionError("st.stop() returned")  # keeps type checkers honest


def guard_view(file_path: str) -> Actor:
    """Call first in every view with `__file__`: the roles come from the navigation registry."""
    view = view_at(file_path)
    return require_view_role(view.url_path, view.roles)


def refusal(view: View) -> Callable[[], None]:
    """The page drawn at a view's address for a role that may not open it: the one refusal
    message every view gives, rather than Streamlit's "Page not found"."""

    def refuse() -> None:
        require_view_role(view.url_path, view.roles)

    refuse.__name__ = f"refused_{view.url_path.replace('-', '_')}"
    return refuse
