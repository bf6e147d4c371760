from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.deployment import production_problems
from cluster.models import User
from cluster.people.accounts import sign_in


def test_demo_mode_has_no_production_checks(demo_engine: Engine) -> None:
    assert production_problems(demo_engine, oidc_ready=False, show_error_details=True,
                               max_upload_mb=200) == []


def test_production_refuses_demo_accounts_error_details_and_big_uploads(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_MODE", "production")
    problems = production_problems(demo_engine, oidc_ready=True, show_error_details=True,
                                   max_upload_mb=200)
    assert len(problems) == 3
    assert "demo account(s) are still active" in problems[0]
    assert "showErrorDetails" in problems[1]
    assert "maxUploadSize" in problems[2]


def test_production_needs_some_way_to_sign_in(engine: Engine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_MODE", "production")
    problems = production_problems(engine, oidc_ready=False, show_error_details=False,
                                   max_upload_mb=20)
    assert problems == ["No sign-in is configured: set up [auth] in .streamlit/secrets.toml, or "
                        "create a local host account."]
    assert production_problems(engine, oidc_ready=True, show_error_details=False,
                               max_upload_mb=20) == []


def test_demo_accounts_cannot_sign_in_in_production(demo_engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_MODE", "production")
    assert sign_in(demo_engine, "host", "cluster-demo-1").actor is None
    with Session(demo_engine) as session:
        host = session.exec(select(User).where(User.username == "host")).one()
    assert host.failed_sign_ins == 0  # refused as unknown, not counted against the account


def test_production_refuses_a_server_started_without_the_toolkits_routes(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_MODE", "production")
    problems = production_problems(engine, oidc_ready=True, show_error_details=False,
                                   max_upload_mb=20, served_by_toolkit=False)
    assert len(problems) == 1 and "streamlit run server.py" in problems[0]


def test_the_shipped_config_keeps_error_details_from_browsers() -> None:
    """Streamlit reads `false` as "stacktrace": only "none" keeps a traceback off the screen."""
    import tomllib
    from pathlib import Path

    config = Path(__file__).resolve().parents[3] / ".streamlit" / "config.toml"
    assert tomllib.loads(config.read_text(encoding="utf-8"))["client"]["showErrorDetails"] == \
        "none"
