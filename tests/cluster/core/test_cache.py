"""Sums remembered per state of the data: never stale, whoever or whatever changed the data."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from cluster.core import cache
from cluster.core.db import make_engine, read_session, write_session
from cluster.models import Award, School, User
from cluster.people.accounts import actor_of
from cluster.reporting.impact_report import impact_dashboard


@pytest.fixture(autouse=True)
def nothing_remembered() -> Iterator[None]:
    cache.forget_everything()
    yield
    cache.forget_everything()


def _stamp(engine: Engine) -> str | None:
    with read_session(engine) as session:
        return cache.current_stamp(session)


def _count_schools(engine: Engine) -> int:
    with read_session(engine) as session:
        return cache.remembered(session, ("schools",),
                                lambda: len(session.exec(select(School)).all()))


def test_a_committed_change_gives_the_data_a_new_stamp(demo_engine: Engine) -> None:
    before = _stamp(demo_engine)
    with write_session(demo_engine) as session:
        school = session.exec(select(School)).first()
        assert school is not None
        school.name = school.name + " (renamed)"
    after = _stamp(demo_engine)
    assert before and after and after != before


def test_reading_or_rolling_back_leaves_the_stamp_alone(demo_engine: Engine) -> None:
    before = _stamp(demo_engine)
    with read_session(demo_engine) as session:
        session.exec(select(School)).all()
    with pytest.raises(RuntimeError), write_session(demo_engine) as session:
        school = session.exec(select(School)).first()
        assert school is not None
        school.name = "Never saved"
        session.flush()
        raise RuntimeError("the user's action failed half-way")
    assert _stamp(demo_engine) == before


def test_a_sum_is_worked_out_once_per_state_of_the_data(demo_engine: Engine) -> None:
    first = _count_schools(demo_engine)
    assert _count_schools(demo_engine) == first
    assert cache.counts() == {"hits": 1, "misses": 1}
    with write_session(demo_engine) as session:
        session.add(School(cluster_id=1, urn="199999", laestab="9269999", name="New School",
                           phase="primary", school_type="Academy"))
    assert _count_schools(demo_engine) == first + 1
    assert cache.counts()["misses"] == 2


def test_a_change_made_through_another_connection_pool_is_seen(demo_engine: Engine) -> None:
    """A second app process has its own engine: its commit must end this process's answer."""
    first = _count_schools(demo_engine)
    other = make_engine(demo_engine.url.render_as_string(hide_password=False))
    try:
        with write_session(other) as session:
            session.add(School(cluster_id=1, urn="199998", laestab="9269998",
                               name="Opened Elsewhere", phase="primary", school_type="Academy"))
    finally:
        other.dispose()
    assert _count_schools(demo_engine) == first + 1


def test_uncommitted_changes_are_never_remembered(demo_engine: Engine) -> None:
    with write_session(demo_engine) as session:
        session.add(School(cluster_id=1, urn="199997", laestab="9269997", name="Pending",
                           phase="primary", school_type="Academy"))
        session.flush()
        seen = cache.remembered(session, ("schools",),
                                lambda: len(session.exec(select(School)).all()))
        session.rollback()
    assert _count_schools(demo_engine) == seen - 1


def test_governors_see_a_changed_award_at_once(demo_engine: Engine) -> None:
    """The dashboard is remembered between readers, but a decision changed by the host shows on
    the governor's next look, not after some expiry time."""
    with read_session(demo_engine) as session:
        governor = actor_of(session.exec(select(User).where(User.username == "governor")).one())
    year = 2025
    before = impact_dashboard(demo_engine, governor, academic_year=year)
    assert impact_dashboard(demo_engine, governor, academic_year=year) == before
    with write_session(demo_engine) as session:
        awards = session.exec(select(Award).where(Award.amount_pence > 0)).all()
        for award in awards:
            award.returned_pence = award.amount_pence  # every penny handed back
    after = impact_dashboard(demo_engine, governor, academic_year=year)
    assert before.total is not None and after.total is not None
    assert after.total.received_pence != before.total.received_pence
    assert after.total.received_pence in (0, None)


def test_an_audit_row_alone_keeps_the_remembered_sums(demo_engine: Engine) -> None:
    """Reads that are audited (a school opening the agenda) must not make every page slow."""
    from cluster.core.audit import record

    before = _stamp(demo_engine)
    with read_session(demo_engine) as session:
        host = actor_of(session.exec(select(User).where(User.username == "host")).one())
    with write_session(demo_engine) as session:
        record(session, host, "list_agenda_requests", entity="support_request",
               after={"requests": 3})
    assert _stamp(demo_engine) == before


def test_signing_in_and_changing_a_password_keep_the_remembered_sums(demo_engine: Engine) -> None:
    """A school morning's sign-ins threw away every sum, and 20 people's pages stuck behind them."""
    from cluster.people.accounts import change_own_password, sign_in

    before = _stamp(demo_engine)
    assert sign_in(demo_engine, "senco.ap", "wrong password").actor is None
    signed_in = sign_in(demo_engine, "senco.ap", "cluster-demo-1").actor
    assert signed_in is not None
    change_own_password(demo_engine, signed_in, "cluster-demo-1", "senco-ap-new-pass-1")
    assert sign_in(demo_engine, "senco.ap", "senco-ap-new-pass-1").actor is not None
    assert _stamp(demo_engine) == before


def test_changing_what_an_account_is_gives_a_new_stamp(demo_engine: Engine) -> None:
    before = _stamp(demo_engine)
    with write_session(demo_engine) as session:
        user = session.exec(select(User).where(User.username == "senco.ap")).one()
        user.title = "Deputy head"
        user.last_sign_in_at = None  # beside a sign-in column, the title still counts
    assert _stamp(demo_engine) != before


def _two_at_once(engine: Engine, compute: Callable[[], int]) -> list[int | str]:
    """Two people asking for the same sum of the same data at the same moment."""
    together = threading.Barrier(2)

    def ask(_: int) -> int | str:
        with read_session(engine) as session:
            together.wait()
            try:
                return cache.remembered(session, ("slow sum",), compute)
            except RuntimeError as error:
                return str(error)

    with ThreadPoolExecutor(2) as pool:
        return sorted(pool.map(ask, range(2)), key=str)


def test_two_people_asking_at_once_wait_for_one_working_out(demo_engine: Engine) -> None:
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.3)
        return 42

    assert _two_at_once(demo_engine, slow) == [42, 42]
    assert calls == [1]


def test_when_the_first_working_out_fails_the_one_waiting_works_it_out(
        demo_engine: Engine) -> None:
    calls: list[int] = []

    def fails_first() -> int:
        calls.append(1)
        time.sleep(0.3)
        if len(calls) == 1:
            raise RuntimeError("the first try failed")
        return 42

    assert _two_at_once(demo_engine, fails_first) == [42, "the first try failed"]
    assert calls == [1, 1]
