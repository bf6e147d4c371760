"""The navigation registry: every view, who may open it, and where it sits in the menu.

`streamlit_app.py` builds `st.navigation` from this; the tests discover the views to check from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cluster.models import Role

TOOLKIT_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = TOOLKIT_ROOT.parent

ALL_ROLES: frozenset[str] = frozenset(Role)


@dataclass(frozen=True)
class View:
    path: str  # relative to the project root
    title: str
    icon: str
    roles: frozenset[str]
    section: str
    url_path: str
    home: bool = False


VIEWS: tuple[View, ...] = (
    View("toolkit/views/host/home.py", "Home", ":material/home:", frozenset({Role.HOST}),
         "Cluster", "host-home", home=True),
    View("toolkit/views/school/home.py", "Home", ":material/home:", frozenset({Role.SCHOOL}),
         "Our school", "school-home", home=True),
    View("toolkit/views/governor/home.py", "Home", ":material/home:",
         frozenset({Role.GOVERNOR}), "Governors", "governor-home", home=True),
    View("toolkit/views/la/home.py", "Home", ":material/home:", frozenset({Role.LA_ADVISER}),
         "Local authority", "la-home", home=True),
    View("toolkit/views/host/users.py", "User accounts", ":material/group:", frozenset({Role.HOST}),
         "Cluster", "users"),
    View("toolkit/views/host/years.py", "Academic years", ":material/event_repeat:",
         frozenset({Role.HOST}), "Cluster", "years"),
    View("toolkit/views/common/account.py", "My account", ":material/person:", ALL_ROLES,
         "Account", "account"),
)


def views_for(role: str) -> list[View]:
    return [view for view in VIEWS if role in view.roles]


def view_at(file_path: str) -> View:
    relative = Path(file_path).resolve().relative_to(PROJECT_ROOT).as_posix()
    for view in VIEWS:
        if view.path == relative:
            return view
    raise LookupError(f"{relative} is not in toolkit/registry.py")
