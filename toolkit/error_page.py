"""What a person sees when a page fails: our words and a reference, never a traceback.

`server.py` hands `show_error_page` to Streamlit, which calls it for any error a page or a
button's callback raises. The traceback goes to the server log under the reference, so the host
(or whoever runs the server) can find it from what the person reads out.
"""

from __future__ import annotations

import secrets

import streamlit as st
from streamlit.logger import get_logger

from cluster.core.clock import now

_log = get_logger(__name__)


def error_reference() -> str:
    """Short enough to read out over the phone; the log line has the time beside it."""
    return f"ERR-{now():%d%m}-{secrets.token_hex(3).upper()}"


def show_error_page(error: Exception) -> bool:
    reference = error_reference()
    _log.error("Error reference %s: %s on a page", reference, type(error).__name__,
               exc_info=error)
    st.error(
        "Sorry, something went wrong on this page. Anything you saved before this message is "
        "kept; check what the page shows before doing it again.\n\n"
        "If it happens again, give your cluster host this reference: "
        f"**{reference}**. The details are in the server's log under it.",
        icon=":material/error:")
    return True  # Streamlit shows nothing of its own
