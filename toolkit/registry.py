"""The navigation registry: every view, who may open it, and where it sits in the menu.

`streamlit_app.py` builds `st.navigation` from this; the tests discover the views to check from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cluster.core.permissions import ALL_ROLES
from cluster.models import Role

TOOLKIT_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = TOOLKIT_ROOT.parent


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
    View("toolkit/views/host/audit_log.py", "Audit log", ":material/history:",
         frozenset({Role.HOST, Role.LA_ADVISER}), "Cluster", "audit-log"),
    # The year: timeline, agendas, terms of reference, reconsideration, guides.
    # The section is not called "The year" like its first page: a click on that heading folded
    # the section away (hiding "Ask for reconsideration") when people meant to open the page.
    View("toolkit/views/common/year.py", "The year", ":material/calendar_month:", ALL_ROLES,
         "Calendar and rules", "timeline"),
    View("toolkit/views/host/meetings.py", "Meetings and agendas", ":material/event_note:",
         frozenset({Role.HOST}), "Calendar and rules", "meeting-agendas"),
    View("toolkit/views/common/terms.py", "Terms of reference", ":material/gavel:", ALL_ROLES,
         "Calendar and rules", "terms-of-reference"),
    View("toolkit/views/school/reconsideration.py", "Ask for reconsideration", ":material/replay:",
         frozenset({Role.SCHOOL}), "Requests", "reconsideration"),
    View("toolkit/views/common/guides.py", "How-to guides", ":material/menu_book:", ALL_ROLES,
         "Help", "guides"),
    # The pot, PSF, census import and the SEND profile.
    View("toolkit/views/common/send_profile.py", "SEND profile", ":material/monitoring:",
         ALL_ROLES, "Profile and finance", "send-profile"),
    View("toolkit/views/common/finance.py", "Finance", ":material/account_balance:", ALL_ROLES,
         "Profile and finance", "funding"),
    View("toolkit/views/host/funding_year.py", "Funding year", ":material/savings:",
         frozenset({Role.HOST}), "Profile and finance", "funding-year"),
    View("toolkit/views/host/protected_funding.py", "Protected funding", ":material/shield:",
         frozenset({Role.HOST}), "Profile and finance", "protected-funding"),
    View("toolkit/views/host/census_import.py", "Census and school imports",
         ":material/upload_file:", frozenset({Role.HOST}), "Profile and finance",
         "census-import"),
    # The request process.
    View("toolkit/views/school/new_request.py", "New request", ":material/note_add:",
         frozenset({Role.SCHOOL}), "Requests", "new-request"),
    View("toolkit/views/school/our_requests.py", "Our requests", ":material/assignment:",
         frozenset({Role.SCHOOL}), "Requests", "our-requests"),
    View("toolkit/views/host/requests.py", "Requests for the next meeting", ":material/fact_check:",
         frozenset({Role.HOST}), "Requests", "host-requests"),
    View("toolkit/views/common/request.py", "Open a request", ":material/description:",
         frozenset({Role.HOST, Role.SCHOOL}), "Requests", "request"),
    View("toolkit/views/host/request_settings.py", "Request rules and need matrix",
         ":material/tune:", frozenset({Role.HOST}), "Requests", "request-settings"),
    # Reviews and impact, the governors' dashboard, the parents' extract, the LA's view.
    View("toolkit/views/governor/impact.py", "Impact and outcomes", ":material/insights:",
         ALL_ROLES, "Impact", "impact"),
    View("toolkit/views/host/reviews.py", "Reviews and impact", ":material/rate_review:",
         frozenset({Role.HOST}), "Impact", "reviews"),
    View("toolkit/views/school/reviews.py", "Reviews and impact", ":material/rate_review:",
         frozenset({Role.SCHOOL}), "Impact", "our-reviews"),
    View("toolkit/views/school/sen_report.py", "SEN information report", ":material/campaign:",
         frozenset({Role.HOST, Role.SCHOOL, Role.GOVERNOR}), "Impact", "sen-information-report"),
    View("toolkit/views/la/clusters.py", "Clusters and need", ":material/compare_arrows:",
         frozenset({Role.LA_ADVISER}), "Local authority", "la-clusters"),
    View("toolkit/views/la/consistency.py", "Consistency across clusters", ":material/balance:",
         frozenset({Role.LA_ADVISER}), "Local authority", "la-consistency"),
    # Running a meeting: attendance, decisions, the suggested split, papers, payments.
    View("toolkit/views/host/run_meeting.py", "Run a meeting", ":material/groups:",
         frozenset({Role.HOST}), "Meetings", "run-meeting"),
    View("toolkit/views/host/suggest_split.py", "Suggest a split", ":material/calculate:",
         frozenset({Role.HOST}), "Meetings", "suggest-split"),
    View("toolkit/views/host/urgent_decisions.py", "Urgent decisions", ":material/emergency:",
         frozenset({Role.HOST}), "Meetings", "urgent-decisions"),
    View("toolkit/views/common/papers.py", "Meeting papers", ":material/folder_open:", ALL_ROLES,
         "Meetings", "papers"),
    View("toolkit/views/common/payments.py", "Payment schedule", ":material/payments:",
         frozenset({Role.HOST, Role.SCHOOL}), "Meetings", "payments"),
    View("toolkit/views/common/privacy.py", "Privacy and data", ":material/shield_person:",
         ALL_ROLES, "Account", "privacy"),
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
