"""Page-wide style the app sets on every page, before sign-in and navigation."""

from __future__ import annotations

import streamlit as st

# Streamlit's own "Download as CSV" on every table writes cells as typed, so a title beginning
# "=" becomes a formula in Excel. Our downloads (toolkit/documents/excel.py) neutralise such
# cells; the framework's button is hidden so every export a user can reach is a safe one.
UNSAFE_EXPORTS_HIDDEN = """<style>
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]) {display: none;}
</style>"""


def hide_unsafe_exports() -> None:
    st.markdown(UNSAFE_EXPORTS_HIDDEN, unsafe_allow_html=True)
