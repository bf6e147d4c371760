"""The one way a form announces its length limits and asks about words that may be a name.

- `limited(limit, help)`: the keyword arguments of a Streamlit text widget that say the text
  check's limit in the help ("1,000 characters at most") before it is hit: the numbers come from
  the services' own limits, never from the view.
- When a save is asked about words (`NamesToConfirm`), `ask` keeps them for the form and reruns:
  the form shows the message and a checkbox (`confirmation`) above its buttons, with what the
  person typed kept, and the next save passes `confirmed(form)` as `confirmed_not_names`. `done`
  forgets them once a save goes through.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cluster.common.text_check import ConfirmedNames, NamesToConfirm, limit_note, names_prompt
from toolkit import state

CONFIRM_LABEL = "These words are not a person's name"


def limited(limit: int, about: str = "") -> dict[str, Any]:
    """`help` for a text widget: the limit shown before it is hit, after what the field is
    `about`. No `max_chars`: a browser cuts a longer paste short without a word, so the text
    arrives whole and the save refuses it with the count ("1,000 characters at most, 1,240
    typed")."""
    note = limit_note(limit)
    return {"help": f"{about.rstrip('.')}. {note}." if about else f"{note}."}


def _key(form: str) -> str:
    return f"{state.NAMES_PROMPT}.{form}"


def message(asked: NamesToConfirm) -> str:
    """Which words, field by field: shown on the form, never stored."""
    return "; ".join(f"{field}: {names_prompt(words)}"
                     for field, words in asked.words_by_field.items())


def _ticked_key(form: str, words: tuple[str, ...]) -> str:
    # The words are part of the key: new words asked about start with the box unticked.
    return f"{_key(form)}.ticked.{'|'.join(words)}"


def confirmation(form: str) -> None:
    """Inside the form, before its buttons: the words the last save asked about, and the
    checkbox. Nothing shows while nothing is asked."""
    asked = st.session_state.get(_key(form))
    if not asked:
        return
    text, words = asked
    st.warning(f"Not saved yet. {text}. Change the words, or tick the box and save again.")
    st.checkbox(f"{CONFIRM_LABEL}: {', '.join(words)}", key=_ticked_key(form, words))


def confirmed(form: str) -> ConfirmedNames:
    """What the save passes as `confirmed_not_names`: the words asked about once the box is
    ticked, else False."""
    asked = st.session_state.get(_key(form))
    if not asked or not st.session_state.get(_ticked_key(form, asked[1])):
        return False
    return frozenset(asked[1])


def ask(form: str, asked: NamesToConfirm) -> None:
    """Keeps the words asked about for the form and draws it again with the checkbox."""
    st.session_state[_key(form)] = (message(asked), tuple(asked.words))
    st.rerun()


def form_key(form: str) -> str:
    """The `st.form` key: a form that clears after a save (`done(form, fresh=True)`) is drawn
    anew, so a refused or asked-about save keeps what was typed (no `clear_on_submit`)."""
    return f"{form}.{st.session_state.get(f'{_key(form)}.generation', 0)}"


def done(form: str, *, fresh: bool = False) -> None:
    """A save went through: nothing is waiting to be confirmed on this form. (The checkbox's own
    state goes with the checkbox when it is no longer drawn.)"""
    st.session_state.pop(_key(form), None)
    if fresh:
        generation = f"{_key(form)}.generation"
        st.session_state[generation] = st.session_state.get(generation, 0) + 1
