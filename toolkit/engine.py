"""The one engine per app process, cached; sessions are opened per action inside the services."""

from __future__ import annotations

import streamlit as st

from cluster.core.db import Engine, database_url, make_engine


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    return _engine_for(database_url())
