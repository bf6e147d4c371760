"""Page-wide style the app sets on every page, before sign-in and navigation."""

from __future__ import annotations

import streamlit as st

# Streamlit's own "Download as CSV" on every table writes cells as typed, so a title beginning
# "=" becomes a formula in Excel. Our downloads (toolkit/documents/excel.py) neutralise such
# cells; the framework's button is hidden so every export a user can reach is a safe one.
UNSAFE_EXPORTS_HIDDEN = """
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]) {display: none;}
"""

# A link's label is kept to one line and cut off at the page's edge, so a long one lost its end
# ("...; pupil details withheld: consent not"): long labels wrap instead.
LONG_LINKS_WRAP = """
[data-testid="stPageLink-NavLink"] span,
[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"],
[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"] p {white-space: normal;}
"""

PAGE_STYLE = f"<style>{UNSAFE_EXPORTS_HIDDEN}{LONG_LINKS_WRAP}</style>"


def set_page_style() -> None:
    st.markdown(PAGE_STYLE, unsafe_allow_html=True)
