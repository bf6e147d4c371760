"""The New request form and the one text check: the limit is shown before it is hit, a clear name
is refused with nothing written, and a possible name is asked about, the typed text kept, and
saved once the person ticks that the words are not a name."""

from __future__ import annotations

from cluster.common.text_check import limit_note
from cluster.requests.checks import TEXT_LIMITS
from tests.helpers.forms import open_view
from tests.toolkit.conftest import APP
from tests.toolkit.views.test_requests import NEW, K, fill_complete, press, stored
from toolkit.components.names_prompt import CONFIRM_LABEL


def test_the_limit_is_shown_before_it_is_hit(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    need = at.text_area(key=K + "need_summary")
    assert limit_note(TEXT_LIMITS["long"]) in need.help  # "4,000 characters at most"
    title = at.text_input(key=K + "title")
    assert "200 characters at most" in title.help
    # No max_chars: a longer paste arrives whole and is refused with the count, never cut short.
    assert not need.max_chars and not title.max_chars


def test_a_paste_over_the_limit_is_refused_with_the_count(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    at.text_area(key=K + "need_summary").input("x" * (TEXT_LIMITS["long"] + 240))
    press(at, "save")
    errors = "\n".join(e.value for e in at.error)
    assert "Not saved" in errors
    assert f"{TEXT_LIMITS['long']:,} characters at most, {TEXT_LIMITS['long'] + 240:,} typed" in (
        errors)
    assert stored(demo_database) == []


def test_a_pupils_name_is_refused_and_nothing_is_written(demo_database: str) -> None:
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    at.text_area(key=K + "need_summary").input("Jack Smith reads well below age expectation.")
    press(at, "save")
    errors = "\n".join(e.value for e in at.error)
    assert "'Jack Smith'" in errors and "pseudonymous reference" in errors
    assert not [c for c in at.checkbox if c.label.startswith(CONFIRM_LABEL)]
    assert stored(demo_database) == []


def test_a_possible_name_is_asked_about_then_saved_once_the_box_is_ticked(
        demo_database: str) -> None:
    text = "Reading well below age-related expectations; the TA works with Zofia on phonics."
    at = open_view(APP, demo_database, "senco.ap", NEW)
    fill_complete(at)
    at.text_area(key=K + "need_summary").input(text)
    press(at, "save")
    assert "'Zofia' may be a person's name" in "\n".join(w.value for w in at.warning)
    assert stored(demo_database) == []
    assert at.text_area(key=K + "need_summary").value == text  # what was typed is kept
    box = next(c for c in at.checkbox if c.label.startswith(CONFIRM_LABEL))
    assert "Zofia" in box.label and not box.value
    box.check()
    press(at, "save")
    assert "Draft saved" in "\n".join(s.value for s in at.success)
    [saved] = stored(demo_database)
    assert saved.need_summary == text
    at.run()  # the form drawn after the save asks nothing
    assert not [c for c in at.checkbox if c.label.startswith(CONFIRM_LABEL)]
