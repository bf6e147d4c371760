"""Entry point: page config, sign-in, and navigation built from the signed-in role. Nothing else."""

from __future__ import annotations

import streamlit as st

from toolkit.guard import current_actor
from toolkit.page_style import hide_unsafe_exports
from toolkit.registry import View, views_for
from toolkit.signin import adopt_oidc_identity, check_deployment, render_sign_in

st.set_page_config(page_title="Cluster SEN Toolkit", page_icon=":material/diversity_3:",
                   layout="wide")


def page_for(view: View) -> st.Page:
    return st.Page(view.path, title=view.title, icon=view.icon, url_path=view.url_path,
                   default=view.home)


def navigation_for(role: str, must_change_password: bool) -> dict[str, list[st.Page]]:
    views = views_for(role)
    if must_change_password:
        account = next(v for v in views if v.url_path == "account")
        return {"Account": [st.Page(account.path, title=account.title, icon=account.icon,
                                    url_path=account.url_path, default=True)]}
    sections: dict[str, list[st.Page]] = {}
    for view in views:
        sections.setdefault(view.section, []).append(page_for(view))
    return sections


check_deployment()
hide_unsafe_exports()
adopt_oidc_identity()
actor = current_actor()
if actor is None:
    st.navigation([st.Page(render_sign_in, title="Sign in", icon=":material/login:",
                           url_path="sign-in", default=True)], position="hidden").run()
else:
    with st.sidebar:
        st.caption(f"{actor.display_name} · {actor.role_label}")
    st.navigation(navigation_for(actor.role, actor.must_change_password), expanded=True).run()
