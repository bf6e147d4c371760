"""A page's address names the record it shows (`/papers?meeting=12`), so a link from a paper, a
letter or another tab opens that record, and the address of what is on screen can be copied.
The parameter names come from `cluster.core.links`, which papers and letters print."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cluster.core.links import ADDRESSES, Record


def _seen_key(key: str) -> str:
    return f"{key}.address"


def follow_address(record: Record, key: str, ids: Sequence[int]) -> None:
    """Call before drawing the select box keyed `key`: when the address names one of `ids`, the
    box starts on it. Once per address, so the person's own choice afterwards stands."""
    _, parameter = ADDRESSES[record]
    asked = st.query_params.get(parameter)
    if asked is None or asked == st.session_state.get(_seen_key(key)):
        return
    st.session_state[_seen_key(key)] = asked
    if asked.isascii() and asked.isdigit() and len(asked) <= 9 and int(asked) in ids:
        st.session_state[key] = int(asked)
    else:
        st.warning(f"There is no {record.value} “{asked[:20]}” that you can open here, so the "
                   "page shows the first one it has.")


def keep_in_address(record: Record, key: str, chosen: int) -> None:
    """Call after the select box: the address names what is shown, ready to copy or bookmark."""
    _, parameter = ADDRESSES[record]
    if st.query_params.get(parameter) != str(chosen):
        st.query_params[parameter] = str(chosen)
    st.session_state[_seen_key(key)] = str(chosen)
