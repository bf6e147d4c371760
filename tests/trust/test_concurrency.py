"""Concurrent writers on SQLite and PostgreSQL, each thread with its own engine and connections:
nothing is lost and nothing is silently overwritten."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.core.db import make_engine
from cluster.core.errors import StaleEdit
from cluster.funding.clawback import record_returned_money
from cluster.models import AuditEvent, Award, User
from cluster.people.accounts import actor_of
from cluster.people.schools import list_schools, school_changes, update_school

THREADS = 8
EACH = 50
RESULTS: dict[str, object] = {}


def run_threads(work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrapped(number: int) -> None:
        try:
            work(number)
        except BaseException as error:  # reported by the test
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def big_award(engine: Engine) -> int:
    with Session(engine) as session:
        award = session.exec(select(Award).where(Award.amount_pence > 0)
                             .order_by(col(Award.id))).first()
        assert award is not None
        award.returned_pence = 0
        award.amount_pence = 500_000
        session.add(award)
        session.commit()
        return award.id or 0


def test_retried_increments_of_one_figure_end_at_exactly_400(demo_engine: Engine) -> None:
    award_id = big_award(demo_engine)
    url = demo_engine.url.render_as_string(hide_password=False)
    with Session(demo_engine) as session:
        host = actor_of(session.exec(select(User).where(User.username == "host")).one())

    def work(_: int) -> None:
        own = make_engine(url)  # separate engines and connections: no process-wide lock
        try:
            for _ in range(EACH):
                record_returned_money(own, host, award_id, 100)
        finally:
            own.dispose()

    assert run_threads(work) == []
    with Session(demo_engine) as session:
        assert session.get(Award, award_id).returned_pence == THREADS * EACH * 100
        audited = session.exec(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "record_returned_money")).one()
    assert audited == THREADS * EACH


def test_saves_from_screens_drawn_at_different_versions(demo_engine: Engine) -> None:
    """Each save carries the version its screen was drawn from: a save from an old screen is
    refused, never applied; successes + refusals = 400 and the row is the last success."""
    url = demo_engine.url.render_as_string(hide_password=False)
    with Session(demo_engine) as session:
        host = actor_of(session.exec(select(User).where(User.username == "host")).one())
    first = list_schools(demo_engine, host)[0]
    successes: list[tuple[int, str]] = []
    refusals: list[str] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        own = make_engine(url)
        try:
            for attempt in range(EACH):
                drawn = next(s for s in list_schools(own, host) if s.id == first.id)
                name = f"Renamed by screen {number}-{attempt}"
                try:
                    saved = update_school(own, host, drawn.id,
                                          school_changes(**{**drawn.drawn_from(), "name": name}),
                                          expected_version=drawn.version,
                                          drawn_from=drawn.drawn_from())
                except StaleEdit as refused:
                    with lock:
                        refusals.append(refused.message)
                else:
                    with lock:
                        successes.append((saved.version, name))
        finally:
            own.dispose()

    assert run_threads(work) == []
    assert len(successes) + len(refusals) == THREADS * EACH
    assert all("changed this since your screen was drawn" in r for r in refusals)
    final = next(s for s in list_schools(demo_engine, host) if s.id == first.id)
    last_version, last_name = max(successes)
    assert (final.version, final.name) == (last_version, last_name)
    assert len({v for v, _ in successes}) == len(successes)  # no two saves won the same version
    RESULTS[demo_engine.dialect.name] = (len(successes), len(refusals))
    print(f"\n{demo_engine.dialect.name}: {len(successes)} saves, {len(refusals)} refused")


@pytest.mark.parametrize("pence", [0, -100, 150])
def test_bad_returns_are_refused(demo_engine: Engine, pence: int) -> None:
    from cluster.core.errors import InvalidInput

    award_id = big_award(demo_engine)
    with Session(demo_engine) as session:
        host = actor_of(session.exec(select(User).where(User.username == "host")).one())
    with pytest.raises(InvalidInput, match="Amount returned"):
        record_returned_money(demo_engine, host, award_id, pence)
    with pytest.raises(InvalidInput, match="still held"):
        record_returned_money(demo_engine, host, award_id, 600_000)
