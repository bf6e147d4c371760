"""The one way a form is built and saved: every form is registered here, drawn through `form`,
and saved through `save`.

- `FORMS`: every form of the toolkit, by name, with the view that draws it and the record it
  edits. `form(name)` refuses a name that is not registered, and a test fails when a registered
  form has no round-trip test (tests/toolkit/forms), so no form goes untested.
- `form(name, version)`: an `st.form` whose free-text fields go through `Form.text`, which
  announces the text check's limit before it is hit and keeps each field for the check on save;
  `Form.buttons` draws the names prompt's checkbox above the buttons, so no form can forget it.
- `save(...)`: the one try / refusal / stale edit / flash / rerun. A refused save says "Not saved"
  and changes nothing; a stale save keeps what the person typed (shown beside the form to copy)
  and redraws the form from the latest stored record, so the next save works.
- `someone_saved(...)`: the one "someone else saved this after your screen was drawn" notice.
- `show_flash(key)`: the one place a message left before a rerun is shown.
- `rerun(scope)`: the one redraw after a save: the page, or only the fragment the save ran in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NoReturn, TypeVar

import streamlit as st
from streamlit.errors import StreamlitAPIException

from cluster.common.calendar import date_problem, format_date, parse_date
from cluster.common.text_check import NamesToConfirm, limit_note, require_clean_texts
from cluster.core.errors import ClusterError, InvalidInput, StaleEdit
from toolkit import state
from toolkit.components import names_prompt
from toolkit.registry import VIEWS_FOLDER

T = TypeVar("T")


@dataclass(frozen=True)
class FormSpec:
    """A registered form: its name, the view that draws it and the record it edits."""

    name: str
    view: str  # the view file, from the repository root
    record: str  # the record it edits or creates, in the users' words


def _spec(name: str, view: str, record: str) -> FormSpec:
    return FormSpec(name, f"{VIEWS_FOLDER}/{view}", record)


FORMS: dict[str, FormSpec] = {spec.name: spec for spec in (
    _spec("request", "school/new_request.py", "request (new or a draft to edit)"),
    _spec("meeting", "host/meetings.py", "meeting (date, times, venue, agenda)"),
    _spec("meetings.set-up", "host/meetings.py", "the year's six meetings"),
    _spec("account.create", "host/users.py", "account (new)"),
    _spec("account.change", "host/users.py", "account (name, role, title, school)"),
    _spec("attendance", "host/run_meeting.py", "meeting's register"),
    _spec("meeting.open-early", "host/run_meeting.py", "meeting (opened before its date)"),
    _spec("minutes", "host/run_meeting.py", "meeting's minutes"),
    _spec("ratify", "host/run_meeting.py", "urgent decision's ratification"),
    _spec("action", "host/run_meeting.py", "meeting action (new)"),
    _spec("decision", "host/run_meeting.py", "request's decision"),
    _spec("review", "host/reviews.py", "review of an award"),
    _spec("impact", "school/reviews.py", "award's impact record"),
    _spec("withdraw", "common/request.py", "request (withdrawn)"),
    _spec("return", "common/request.py", "request (returned for information)"),
    _spec("send_back", "common/request.py", "request (sent back to the SENCO)"),
    _spec("terms", "common/terms.py", "terms of reference"),
    _spec("reconsideration", "school/reconsideration.py", "reconsideration (new)"),
    _spec("reconsideration.withdraw", "school/reconsideration.py",
          "reconsideration (withdrawn)"),
    _spec("urgent", "host/urgent_decisions.py", "urgent decision (new)"),
    _spec("reopen", "host/years.py", "academic year (reopened)"),
    _spec("funding-year", "host/funding_year.py", "funding year (rates, slices, releases)"),
    _spec("income", "host/funding_year.py", "funding year's extra income lines"),
    _spec("support-class", "common/finance.py", "award's class of support (a correction)"),
    _spec("guide", "common/guides.py", "cluster's wording of a how-to guide"),
    _spec("protected.event", "host/protected_funding.py", "protected pupil's funding (event)"),
    _spec("protected.add", "host/protected_funding.py", "protected pupil (new)"),
    _spec("rates", "host/request_settings.py", "the year's rate table"),
    _spec("rules", "host/request_settings.py", "the year's request rules"),
    _spec("matrix", "host/request_settings.py", "the year's need matrix"),
    _spec("subject-access", "common/privacy.py", "subject access search"),
    _spec("stored-names", "common/privacy.py", "names found in stored text (removed)"),
    _spec("password", "common/account.py", "own password"),
    _spec("reminders", "common/account.py", "own reminder choices (each kind on or off)"),
    _spec("papers.amend", "common/papers.py", "issued paper (an amendment, a new version)"),
)}


def flash(key: str, kind: str, text: str) -> None:
    """A message for the top of the page after the rerun a save makes."""
    st.session_state[key] = (kind, text)


def show_flash(key: str = state.FLASH) -> None:
    """The message left by the run before a st.rerun(), once: a (kind, text) pair or a text."""
    message = st.session_state.pop(key, None)
    if isinstance(message, tuple) and len(message) == 2:
        kind, text = message
        (st.success if kind == "success" else st.error)(text)
    elif message:
        st.success(str(message))


def flash_and_rerun(message: str) -> None:
    """Redraws the page with fresh data and keeps the confirmation visible at the top."""
    flash(state.FLASH, "success", message)
    st.rerun()


def rerun(scope: Literal["app", "fragment"] = "app") -> NoReturn:
    """Draws the page again, or with `scope="fragment"` only the `st.fragment` the save ran in:
    the rest of the page stays as it was drawn, so the result shows sooner. During a run of the
    whole page (the fragment drawn with it), the whole page is drawn again."""
    if scope == "fragment":
        try:
            st.rerun(scope="fragment")
        except StreamlitAPIException:
            pass  # Streamlit allows it only in a fragment's own rerun
    st.rerun()


def not_saved(message: str) -> str:
    """A refusal always says that nothing was saved."""
    return message if message.lower().startswith("not saved") else f"Not saved: {message}"


def _unsaved_key(name: str) -> str:
    return f"{state.FORM_UNSAVED}.{name}"


@dataclass
class Form:
    """One drawn form: the free-text fields it holds, for the text check on save."""

    name: str
    texts: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # dates that are not dates

    def day(self, label: str, value: date, *, key: str | None = None) -> date:
        """A date typed as DD/MM/YYYY. An impossible day (31/02/2026) is refused on save with
        the reason, never moved to a real one as a date picker would; until then the form
        carries the stored `value`."""
        typed = st.text_input(label, format_date(value), key=key, placeholder="DD/MM/YYYY",
                              help="Day/month/year, such as 03/03/2027.")
        problem = date_problem(typed)
        if problem is not None:
            self.problems[label] = problem
            return value
        return parse_date(typed)

    def text(self, label: str, limit: int, value: str = "", *, about: str = "",
             area: bool = False, where: Any = None, **widget: Any) -> str:
        """A free-text field: its limit in the help before typing; a longer paste is kept and
        refused on save with the count ("1,000 characters at most, 1,240 typed"), never cut
        short without a word."""
        note = limit_note(limit)
        help_text = f"{about.rstrip('.')}. {note}." if about else f"{note}."
        draw = (where or st).text_area if area else (where or st).text_input
        typed = str(draw(label, value, help=help_text, **widget) or "")
        self.texts[label] = (typed, limit)
        if len(typed) > limit:
            st.warning(f"{label}: {note}, {len(typed):,} typed.")
        return typed

    def buttons(self, *labels: str, primary: int = 0, keys: Mapping[str, str] | None = None,
                disabled: Collection[str] = ()) -> str | None:
        """The names prompt (when a save asked about words), then the buttons; returns the label
        pressed."""
        names_prompt.confirmation(self.name)
        unsaved_beside(self.name)
        columns: list[Any] = list(st.columns(len(labels))) if len(labels) > 1 else [st]
        pressed = None
        for n, (column, label) in enumerate(zip(columns, labels, strict=True)):
            if column.form_submit_button(label, type="primary" if n == primary else "secondary",
                                         key=(keys or {}).get(label),
                                         disabled=label in disabled):
                pressed = label
        return pressed

    def check_texts(self) -> tuple[str, ...]:
        """The text check over every free-text field of the form, with the words the person
        confirmed are not names: raises `InvalidInput` or `NamesToConfirm` before any service
        runs, so a form whose service does not check a field still cannot save a name."""
        return require_clean_texts([(label, text, limit) for label, (text, limit)
                                    in self.texts.items()],
                                   confirmed_not_names=names_prompt.confirmed(self.name))

    def typed(self) -> dict[str, str]:
        return {label: text for label, (text, _) in self.texts.items()}


@contextmanager
def form(name: str, version: object = "", *, instance: object = "") -> Iterator[Form]:
    """A registered form (KeyError for one that is not). `instance` tells apart the same form
    drawn for several records on one page (its names prompt and unsaved text are its own);
    `version` is part of the key, so a new stored version draws the form afresh from it."""
    spec = FORMS[name]
    drawn = Form(f"{spec.name}.{instance}" if instance != "" else spec.name)
    with st.form(f"{names_prompt.form_key(drawn.name)}.{version}"):
        yield drawn


def unsaved_beside(name: str) -> None:
    """After a stale refusal: what the person had typed, beside the latest stored values, to
    copy back what they still want."""
    kept: Mapping[str, str] | None = st.session_state.get(_unsaved_key(name))
    if not kept:
        return
    with st.expander("Your unsaved text (the form now shows the latest saved version; copy "
                     "back what you still need)", expanded=True):
        for label, text in kept.items():
            st.caption(label)
            st.code(text or "(empty)", language=None, wrap_lines=True)


def save(name: str, call: Callable[[], T], *, done: str | Callable[[T], str],
         flash_key: str = state.FLASH, drawn: Form | None = None,
         on_saved: Callable[[T], None] | None = None,
         on_stale: Callable[[], None] | None = None, fresh: bool = False,
         refusal: Callable[[ClusterError], bool] | None = None,
         typed: Mapping[str, str] | None = None,
         scope: Literal["app", "fragment"] = "app") -> T | None:
    """Runs one save and says what happened. The form's own text check runs first (when `drawn`
    is given). Refused: an error that says "Not saved", nothing changes, what was typed stays.
    Words that may be names: the form asks and waits. Stale: `on_stale` reloads the latest
    stored record, what was typed is kept beside the form, and the page redraws. Saved: the
    flash, `on_saved`, and a redraw (of the page, or of the fragment the save is in when
    `scope="fragment"`: its flash must then be shown inside it). `refusal` may show a form's own
    refusal (returns True when it did)."""
    try:
        if drawn is not None:
            if drawn.problems:
                label, problem = next(iter(drawn.problems.items()))
                raise InvalidInput(label, problem)
            drawn.check_texts()  # the service records any confirmation; this only refuses
        result = call()
    except NamesToConfirm as asked:
        names_prompt.ask(name, asked)
        return None
    except StaleEdit as stale:
        kept = {**(drawn.typed() if drawn is not None else {}), **(typed or {})}
        if kept:
            st.session_state[_unsaved_key(name)] = kept
        if on_stale is not None:
            on_stale()
        flash(flash_key, "error", stale.message)
        rerun(scope)
    except ClusterError as error:
        if refusal is None or not refusal(error):
            st.error(not_saved(error.message))
        return None
    names_prompt.done(name, fresh=fresh)
    st.session_state.pop(_unsaved_key(name), None)
    if on_saved is not None:
        on_saved(result)
    flash(flash_key, "success", done(result) if callable(done) else done)
    rerun(scope)


def someone_saved(what: str, *, changed: bool, load: Callable[[], None], key: str) -> None:
    """The notice when someone saved `what` after this screen was drawn, with the button that
    loads the latest version (saving first would be refused and lose nothing)."""
    if not changed:
        return
    st.warning(f"Someone saved {what} after this screen was drawn; saving now would be refused. "
               "Load the latest version first.")
    if st.button(f"Load the latest {what}", key=f"load-latest.{key}"):
        load()
        st.rerun()
