"""The navigation registry: every view, who may open it, and where it sits in the menu.

`streamlit_app.py` builds `st.navigation` from this; the tests discover the views to check from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cluster.core.permissions import ALL_ROLES
from cluster.models import Role

TOOLKIT_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = TOOLKIT_ROOT.parent
VIEWS_FOLDER = "toolkit/views"  # from the project root


@dataclass(frozen=True)
class View:
    path: str  # relative to the project root
    title: str
    icon: str
    roles: frozenset[str]
    section: str
    url_path: str
    home: bool = False


def _view(path: str, title: str, icon: str, roles: Iterable[str], section: str, url_path: str,
          *, home: bool = False) -> View:
    """A row of the menu: `path` is under toolkit/views, `icon` is a Material Symbols name."""
    return View(f"{VIEWS_FOLDER}/{path}", title, f":material/{icon}:", frozenset(roles), section,
                url_path, home)


VIEWS: tuple[View, ...] = (
    _view("host/home.py", "Home", "home", {Role.HOST}, "Cluster", "host-home", home=True),
    _view("school/home.py", "Home", "home", {Role.SCHOOL}, "Our school", "school-home", home=True),
    _view("governor/home.py", "Home", "home", {Role.GOVERNOR}, "Governors", "governor-home",
          home=True),
    _view("la/home.py", "Home", "home", {Role.LA_ADVISER}, "Local authority", "la-home", home=True),
    _view("host/users.py", "User accounts", "group", {Role.HOST}, "Cluster", "users"),
    _view("host/years.py", "Academic years", "event_repeat", {Role.HOST}, "Cluster", "years"),
    _view("host/audit_log.py", "Audit log", "history", {Role.HOST, Role.LA_ADVISER}, "Cluster",
          "audit-log"),
    # The year: timeline, agendas, terms of reference, reconsideration, guides.
    # The section is not called "The year" like its first page: a click on that heading folded
    # the section away (hiding "Ask for reconsideration") when people meant to open the page.
    _view("common/year.py", "The year", "calendar_month", ALL_ROLES, "Calendar and rules",
          "timeline"),
    _view("host/meetings.py", "Meetings and agendas", "event_note", {Role.HOST},
          "Calendar and rules", "meeting-agendas"),
    _view("common/terms.py", "Terms of reference", "gavel", ALL_ROLES, "Calendar and rules",
          "terms-of-reference"),
    _view("school/reconsideration.py", "Ask for reconsideration", "replay", {Role.SCHOOL},
          "Requests", "reconsideration"),
    _view("common/guides.py", "How-to guides", "menu_book", ALL_ROLES, "Help", "guides"),
    # The pot, PSF, census import and the SEND profile.
    _view("common/send_profile.py", "SEND profile", "monitoring", ALL_ROLES, "Profile and finance",
          "send-profile"),
    _view("common/finance.py", "Finance", "account_balance", ALL_ROLES, "Profile and finance",
          "funding"),
    _view("host/funding_year.py", "Funding year", "savings", {Role.HOST}, "Profile and finance",
          "funding-year"),
    _view("host/protected_funding.py", "Protected funding", "shield", {Role.HOST},
          "Profile and finance", "protected-funding"),
    _view("host/census_import.py", "Census and school imports", "upload_file", {Role.HOST},
          "Profile and finance", "census-import"),
    # The request process.
    _view("school/new_request.py", "New request", "note_add", {Role.SCHOOL}, "Requests",
          "new-request"),
    _view("school/our_requests.py", "Our requests", "assignment", {Role.SCHOOL}, "Requests",
          "our-requests"),
    _view("host/requests.py", "Requests for the next meeting", "fact_check", {Role.HOST},
          "Requests", "host-requests"),
    _view("common/request.py", "Open a request", "description", {Role.HOST, Role.SCHOOL},
          "Requests", "request"),
    _view("host/request_settings.py", "Request rules and need matrix", "tune", {Role.HOST},
          "Requests", "request-settings"),
    # Reviews and impact, the governors' dashboard, the parents' extract, the LA's view.
    _view("governor/impact.py", "Impact and outcomes", "insights", ALL_ROLES, "Impact", "impact"),
    _view("host/reviews.py", "Reviews and impact", "rate_review", {Role.HOST}, "Impact", "reviews"),
    _view("school/reviews.py", "Reviews and impact", "rate_review", {Role.SCHOOL}, "Impact",
          "our-reviews"),
    _view("school/sen_report.py", "SEN information report", "campaign",
          {Role.HOST, Role.SCHOOL, Role.GOVERNOR}, "Impact", "sen-information-report"),
    _view("la/clusters.py", "Clusters and need", "compare_arrows", {Role.LA_ADVISER},
          "Local authority", "la-clusters"),
    _view("la/consistency.py", "Consistency across clusters", "balance", {Role.LA_ADVISER},
          "Local authority", "la-consistency"),
    # Running a meeting: attendance, decisions, the suggested split, papers, payments.
    _view("host/run_meeting.py", "Run a meeting", "groups", {Role.HOST}, "Meetings", "run-meeting"),
    _view("host/suggest_split.py", "Suggest a split", "calculate", {Role.HOST}, "Meetings",
          "suggest-split"),
    _view("host/urgent_decisions.py", "Urgent decisions", "emergency", {Role.HOST}, "Meetings",
          "urgent-decisions"),
    _view("common/papers.py", "Meeting papers", "folder_open", ALL_ROLES, "Meetings", "papers"),
    _view("common/payments.py", "Payment schedule", "payments", {Role.HOST, Role.SCHOOL},
          "Meetings", "payments"),
    _view("common/privacy.py", "Privacy and data", "shield_person", ALL_ROLES, "Account",
          "privacy"),
    _view("common/account.py", "My account", "person", ALL_ROLES, "Account", "account"),
)


def views_for(role: str) -> list[View]:
    return [view for view in VIEWS if role in view.roles]


def view_at(file_path: str) -> View:
    relative = Path(file_path).resolve().relative_to(PROJECT_ROOT).as_posix()
    for view in VIEWS:
        if view.path == relative:
            return view
    raise LookupError(f"{relative} is not in toolkit/registry.py")
