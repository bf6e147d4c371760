"""Entry point: page config, sign-in, and navigation built from the signed-in role. Nothing else.

Served by `server.py` (`streamlit run server.py`), which adds the sign-in cookie's routes and the
error page. Every view's address is in every navigation, so a reload or a link never meets
Streamlit's "Page not found": signed out, each address shows the sign-in form and, once signed in,
the page it names; signed in, an address outside the role shows the one refusal message.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from toolkit.guard import current_actor, refusal
from toolkit.page_style import set_page_style
from toolkit.registry import VIEWS, View, views_for
from toolkit.signin import (
    adopt_oidc_identity,
    browser_steps,
    check_deployment,
    render_sign_in,
    render_sign_out,
    restore_sign_in,
)

st.set_page_config(page_title="Cluster SEN Toolkit", page_icon=":material/diversity_3:",
                   layout="wide")


def page_for(view: View) -> st.Page:
    return st.Page(view.path, title=view.title, icon=view.icon, url_path=view.url_path,
                   default=view.home)


def hidden_pages(shown: list[View], page: Callable[[View], Callable[[], None] | str]
                 ) -> list[st.Page]:
    """Every other view's address, drawn by `page(view)` and left out of the menu."""
    taken = {view.url_path for view in shown}
    return [st.Page(page(view), title=view.title, url_path=view.url_path, visibility="hidden")
            for view in VIEWS if view.url_path not in taken]


def signed_out_pages() -> list[st.Page]:
    sign_in = st.Page(render_sign_in, title="Sign in", icon=":material/login:",
                      url_path="sign-in", default=True)
    return [sign_in, *hidden_pages([], lambda view: render_sign_in)]


def navigation_for(role: str, must_change_password: bool) -> dict[str, list[st.Page]]:
    views = views_for(role)
    if must_change_password:
        account = next(v for v in views if v.url_path == "account")
        # Any other address waits behind the new password, then opens as it was asked for.
        return {"Account": [st.Page(account.path, title=account.title, icon=account.icon,
                                    url_path=account.url_path, default=True),
                            *hidden_pages([account], lambda view: account.path)]}
    sections: dict[str, list[st.Page]] = {}
    for view in views:
        sections.setdefault(view.section, []).append(page_for(view))
    sections.setdefault("Account", []).extend(hidden_pages(views, refusal))
    return sections


check_deployment()
set_page_style()
adopt_oidc_identity()
restore_sign_in()
browser_steps()
actor = current_actor()
if actor is None:
    st.navigation(signed_out_pages(), position="hidden").run()
else:
    with st.sidebar:
        st.caption(f"{actor.display_name} · {actor.role_label}")
        render_sign_out()
    st.navigation(navigation_for(actor.role, actor.must_change_password), expanded=True).run()
