"""The checks production mode makes before it serves anyone."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from cluster.core.db import read_session
from cluster.core.settings import PRODUCTION, mode
from cluster.models import Role, User

MAX_UPLOAD_MB = 20


def production_problems(engine: Engine, *, oidc_ready: bool, show_error_details: bool,
                        max_upload_mb: int, served_by_toolkit: bool = True) -> list[str]:
    """Empty when the app may start; otherwise each reason, for the operator to fix.
    `show_error_details`: an error's text would reach the browser (anything but "none").
    `served_by_toolkit`: started through server.py, whose routes keep people signed in and whose
    error page shows a reference instead of the error."""
    if mode() != PRODUCTION:
        return []
    problems = []
    with read_session(engine) as session:
        demo_users = session.exec(select(func.count()).select_from(User).where(
            col(User.is_demo).is_(True), col(User.active).is_(True))).one()
        hosts = session.exec(select(func.count()).select_from(User).where(
            User.role == Role.HOST, col(User.is_demo).is_(False), col(User.active).is_(True))).one()
    if demo_users:
        problems.append(f"{demo_users} demo account(s) are still active: deactivate them, or "
                        "start from a database without the demo "
                        "(python -m cluster setup --no-demo).")
    if not oidc_ready and hosts == 0:
        problems.append("No sign-in is configured: set up [auth] in .streamlit/secrets.toml, or "
                        "create a local host account.")
    if show_error_details:
        problems.append('client.showErrorDetails must be "none" in production (in '
                        ".streamlit/config.toml): any other value, false included, lets an "
                        "error's details, which can hold data, reach the browser.")
    if not served_by_toolkit:
        problems.append("Start the toolkit with `streamlit run server.py` (as `make run` does), "
                        "not streamlit_app.py: server.py adds the sign-in cookie and the error "
                        "page.")
    if max_upload_mb > MAX_UPLOAD_MB:
        problems.append(f"server.maxUploadSize must be at most {MAX_UPLOAD_MB} MB.")
    return problems
