"""Every form is registered, built through the form helper, and has a round-trip test.

A form drawn with `st.form` outside the helper would skip the names prompt and the text check; a
registered form without a round-trip test could lose what is stored without a test noticing."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.components.forms import FORMS

ROOT = Path(__file__).resolve().parents[3]
HELPER = "toolkit/components/forms.py"
# Forms that save no record, drawn with st.form on purpose.
NOT_RECORDS = {
    "toolkit/signin.py": "signing in (the sessions work owns it)",
    "toolkit/views/common/request.py": "opening a request by its number: a search",
    "toolkit/views/host/suggest_split.py": "the split's floors, caps and locks: a what-if kept "
                                          "on the screen until the host accepts the split",
}
ROUND_TRIP = re.compile(r"""@round_trip\(["']([\w.-]+)["']\)""")
FORM_USE = re.compile(r"""forms\.form\(\s*(?:["']([\w.-]+)["']|(NAMES_FORM))""")
NAMES_FORM = re.compile(r"""^NAMES_FORM\s*=\s*["']([\w.-]+)["']""", re.MULTILINE)


def toolkit_files() -> list[Path]:
    return sorted((ROOT / "toolkit").rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_form_is_built_through_the_form_helper() -> None:
    raw = [relative(path) for path in toolkit_files()
           if "st.form(" in path.read_text() and relative(path) != HELPER
           and relative(path) not in NOT_RECORDS]
    assert raw == [], f"forms drawn outside toolkit/components/forms.py: {raw}"


def used_forms() -> dict[str, set[str]]:
    """Each form name the toolkit draws, with the files that draw it."""
    used: dict[str, set[str]] = {}
    for path in toolkit_files():
        text = path.read_text()
        constant = NAMES_FORM.search(text)
        for literal, via_constant in FORM_USE.findall(text):
            name = literal or (constant.group(1) if via_constant and constant else "")
            used.setdefault(name, set()).add(relative(path))
    return used


def test_every_form_drawn_is_registered_and_every_registered_form_is_drawn() -> None:
    used = used_forms()
    assert set(used) - set(FORMS) == set(), "drawn but not registered"
    assert set(FORMS) - set(used) == set(), "registered but never drawn"
    for spec in FORMS.values():
        assert (ROOT / spec.view).exists(), spec.view


def test_every_registered_form_has_a_round_trip_test() -> None:
    tested = {name for path in (ROOT / "tests/toolkit/forms").glob("test_*.py")
              for name in ROUND_TRIP.findall(path.read_text())}
    missing = sorted(set(FORMS) - tested)
    assert missing == [], f"registered forms without a round-trip test: {missing}"
