"""Shared pieces of the bad-input properties: hostile values, a count of every table, a check that
what was accepted would also fit PostgreSQL, and the loop that runs a service on each generated
example and tallies what happened.

The rule every property checks: a service either succeeds or raises one of the project's
user-facing errors (`cluster.core.errors.ClusterError`: InvalidInput, NotAllowed, NotFound,
StaleEdit, ImportRejected, ...) whose message says what is wrong; after a refusal no table has
gained or lost a row. Anything else (a KeyError, an OverflowError, a database error) fails the
property with the example that caused it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from cluster.core.errors import ClusterError, InvalidInput

T = TypeVar("T")

EXAMPLES = 500  # the agreed minimum of generated inputs per importer and per form
PG_INTEGER_MAX = 2_147_483_647  # SQLModel's int is INTEGER on PostgreSQL (4 bytes)


def bad_input_settings(examples: int = EXAMPLES) -> settings:
    """The project profile (derandomised, so every run tries the same examples) with the count."""
    # No "explain" phase: tracing every line of the services makes a failure take minutes.
    phases = [p for p in Phase if p is not Phase.explain]
    if os.environ.get("BAD_INPUT_FIRST_FAILURE"):  # while developing: report, do not shrink
        phases = [Phase.generate]
    return settings(max_examples=examples, deadline=None, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


# --- the database ---------------------------------------------------------------------------------


_QUERIES: dict[str, tuple[list[str], str]] = {}
# A refusal (NotAllowed) is itself written to the audit log, because every failed authorisation
# is audited: those rows are the record of the refusal, not a partial write, so the audit count
# leaves them out.
_NOT_REFUSALS = " WHERE outcome <> 'refused'"


def _tables(engine: Engine) -> list[str]:
    """Every model's table that the database has (a model may be ahead of the migrations)."""
    present = set(inspect(engine).get_table_names())
    return [table.name for table in SQLModel.metadata.sorted_tables if table.name in present]


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table, in one statement (cheap enough to run around every example); the
    audit log's rows other than refusals."""
    key = str(engine.url)
    if key not in _QUERIES:
        names = _tables(engine)
        _QUERIES[key] = names, "SELECT " + ", ".join(
            f'(SELECT count(*) FROM "{name}"{_NOT_REFUSALS if name == "auditevent" else ""})'
            for name in names)
    names, query = _QUERIES[key]
    with engine.connect() as connection:
        row = connection.execute(text(query)).one()
    return dict(zip(names, row, strict=True))


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


_MISFIT_QUERIES: dict[str, tuple[list[str], str] | None] = {}


def _misfit_query(table_name: str) -> tuple[list[str], str] | None:
    """One statement per table counting, column by column, values PostgreSQL would refuse."""
    if table_name not in _MISFIT_QUERIES:
        table = SQLModel.metadata.tables[table_name]
        checks: list[str] = []
        for column in table.columns:
            length = getattr(column.type, "length", None)  # String, and SQLModel's AutoString
            if length:
                checks.append(f'length("{column.name}") > {length}')
            elif isinstance(column.type, Integer):
                checks.append(f'abs("{column.name}") > {PG_INTEGER_MAX}')
        _MISFIT_QUERIES[table_name] = (checks, "SELECT " + ", ".join(
            f"coalesce(sum({check}), 0)" for check in checks) + f' FROM "{table_name}"'
            ) if checks else None
    return _MISFIT_QUERIES[table_name]


def postgres_misfits(engine: Engine, tables: tuple[str, ...] | None = None) -> list[str]:
    """Stored values PostgreSQL would have refused with a database error (a crash for the user):
    text longer than its VARCHAR, whole numbers beyond INTEGER. SQLite stores both silently.
    `tables`: the ones a service writes (all when None)."""
    found: list[str] = []
    present = _tables(engine)
    with engine.connect() as connection:
        for name in tables if tables is not None else present:
            query = _misfit_query(name) if name in present else None
            if query is None:
                continue
            checks, statement = query
            counts = connection.execute(text(statement)).one()
            found += [f'"{name}": {bad} row(s) where {check}'
                      for check, bad in zip(checks, counts, strict=True) if bad]
    return found


class Pristine:
    """The database as it was before a property's first example, to put back after an example that
    was accepted (so every example meets the screen the property drew, versions included, and the
    one thing a form can do once is there to do again). SQLite's online backup copies the 1 MB
    demo back through the engine's own connection in a millisecond or two; the row counts of this
    state are kept, since every example starts from it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.copy = sqlite3.connect(":memory:")
        with self._raw() as live:
            live.backup(self.copy)
        self.counts = table_counts(engine)

    @contextmanager
    def _raw(self) -> Iterator[sqlite3.Connection]:
        pooled = self.engine.raw_connection()  # autocommit: cluster.core.db took over BEGIN
        try:
            yield pooled.driver_connection  # type: ignore[misc]  # SQLite's driver connection
        finally:
            pooled.close()

    def restore(self) -> None:
        with self._raw() as live:
            self.copy.backup(live)


def copy_database(source: Path, folder: Path, name: str) -> Path:
    path = folder / name
    shutil.copy(source, path)
    return path


# --- the loop -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a property saw: examples run, accepted, and refused by kind of error."""

    name: str
    examples: int = 0
    accepted: int = 0
    refused: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.refused.items()))
        return (f"{self.name}: {self.examples} examples, {self.accepted} accepted, "
                f"{sum(self.refused.values())} refused ({kinds})")


def check_message(error: ClusterError) -> None:
    """A refusal a person can act on: a message, and for InvalidInput a field and a problem."""
    assert error.message.strip(), f"{type(error).__name__} with no message"
    if isinstance(error, InvalidInput):
        assert str(error.field).strip(), f"InvalidInput without a field: {error.message}"
        assert str(error.problem).strip(), f"InvalidInput without a problem: {error.message}"


def attempt(engine: Engine, tally: Tally, call: Callable[[], T], *, writes: tuple[str, ...] = (),
            on_refusal: Callable[[ClusterError], None] = check_message,
            before: dict[str, int] | None = None) -> T | None:
    """Runs one service call: success, or a ClusterError with a message and no row written
    (`before`: the row counts, when the caller knows them). Any other exception is left to fail
    the property. After a success, the tables the service `writes` must hold nothing PostgreSQL
    would refuse."""
    before = table_counts(engine) if before is None else before
    try:
        result = call()
    except ClusterError as error:
        tally.refused[type(error).__name__] += 1
        on_refusal(error)
        after = table_counts(engine)
        assert after == before, (f"refused ({error.message[:200]}) but rows changed: "
                                 f"{changed_tables(before, after)}")
        return None
    tally.accepted += 1
    assert postgres_misfits(engine, writes) == [], "accepted a value PostgreSQL would refuse"
    return result


def run_examples(tally: Tally, strategy: st.SearchStrategy[T], body: Callable[[T], None], *,
                 examples: int = EXAMPLES) -> Tally:
    """Runs `body` on `examples` generated values (hypothesis, the project's derandomised profile)
    and counts them, so the caller can assert that the examples really ran."""

    @bad_input_settings(examples)
    @given(strategy)
    def each(value: T) -> None:
        tally.examples += 1
        body(value)

    each()
    print(tally.line())  # shown with -s; the report quotes these lines
    return tally


def assert_ran(tally: Tally, engine: Engine | None = None, *, at_least: int = EXAMPLES) -> None:
    assert tally.examples >= at_least, tally.line()
    assert tally.accepted + sum(tally.refused.values()) >= tally.examples, tally.line()
    if engine is not None:
        assert postgres_misfits(engine) == [], tally.line()


# --- fast password hashing ------------------------------------------------------------------------


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the smallest parameters: the same code path, 1 ms a hash instead of 180 ms,
    so 500 account forms run in seconds. What is checked here is input handling, not the KDF."""
    from argon2 import PasswordHasher

    from cluster.people import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                           parallelism=1))


# --- hostile values -------------------------------------------------------------------------------

FORMULAS = ("=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "=HYPERLINK(\"http://x\",\"y\")", "\t=1",
            "\r=1", "=cmd|' /C calc'!A0")
# UPN-shaped values are assembled at run time, so the repository holds no UPN-shaped literal.
UPN_SHAPED = "A" + "12345678901" + "B"
IDENTIFIERS = (UPN_SHAPED, "upn a" + "123456789012", "NHS 943 476 5919", "9434765919",
               "born 03/05/2018", "DOB 2015-03-12", "Jane Smith", "Mrs Patel")
ODD_DATES = ("31/02/2026", "29/02/2027", "00/00/0000", "2026-02-31", "13/13/2026", "31/04/2026",
             "1/1/1", "9999-12-31")
ODD_TEXT = ("", " ", "   \t ", "\n\n", "\x00", "a\x00b", "\u202eevil", "\ufeffBOM", "😀" * 5,
            "Ω≈ç√∫", "日本語のテキスト", "ﷺ", "\u0301", "null", "None", "NaN", "undefined",
            "'; DROP TABLE user; --", "<script>alert(1)</script>", "**bold** | table |",
            "x" * 10_000)
SENSIBLE = ("Reading support in Year 4", "Speech and language sessions twice a week",
            "Small-group maths intervention", "Attends well; enjoys the sessions",
            "Parents support the plan and attend reviews", "Specialist teacher advice, autumn",
            "Reads age-appropriate texts with 90% accuracy", "AP-017", "WV-AP-014", "senco.new",
            "The pupil can now join the class for phonics without an adult alongside.")


def hostile_text(limit: int | None = None) -> st.SearchStrategy[str]:
    """Text a person or a paste could put in a box: sensible, empty, unicode, formula-leading,
    identifiers, odd dates, control characters, and lengths either side of `limit`."""
    choices: list[st.SearchStrategy[str]] = [
        st.sampled_from(SENSIBLE), st.sampled_from(SENSIBLE), st.sampled_from(ODD_TEXT),
        st.sampled_from(FORMULAS), st.sampled_from(IDENTIFIERS), st.sampled_from(ODD_DATES),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60),
    ]
    if limit is not None:
        choices.append(st.sampled_from([limit - 1, limit, limit + 1, 2 * limit]).map(
            lambda n: ("Reading support " * (n // 16 + 1))[:n]))
    return st.one_of(*choices)


def long_enough_text(minimum: int, limit: int | None = None) -> st.SearchStrategy[str]:
    """Mostly a sensible reason long enough to be accepted, sometimes anything hostile."""
    reason = st.sampled_from(SENSIBLE).filter(lambda s: len(s) >= minimum)
    return st.one_of(reason, reason, hostile_text(limit))


# A screen drawn just now (the save should go through) nine times in ten; otherwise drawn before
# someone else's save. Hypothesis leans to small integers, so 9 is the rare one.
FRESH = st.integers(0, 9).map(lambda n: n != 9)


def spoilt(valid: Mapping[str, st.SearchStrategy[object]],
           hostile: Mapping[str, st.SearchStrategy[object]], most: int = 3
           ) -> st.SearchStrategy[dict[str, object]]:
    """Values for every field from `valid`, with none, one or a few of them replaced by a hostile
    value: the rest of the form passes, so a bad value the checks miss reaches the database."""
    names = sorted(hostile)
    return st.fixed_dictionaries(dict(valid)).flatmap(
        lambda base: st.lists(st.sampled_from(names), max_size=most, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries({n: hostile[n] for n in chosen}).map(
                lambda bad: {**base, **bad})))


def whole_numbers(low: int, high: int) -> st.SearchStrategy[int]:
    """In range mostly; sometimes just outside, negative, past INTEGER or far past 64 bits."""
    return st.one_of(st.integers(low, high),
                     st.sampled_from([low - 1, high + 1, -1, 0, -(2**31), 2**31 - 1, 2**31,
                                      2**63, -(2**63) - 1, 10**30]))


def hostile_floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.one_of(st.floats(low, high), st.floats(low, high),
                     st.sampled_from([low - 0.01, high + 0.01, -0.0, float("nan"), float("inf"),
                                      float("-inf"), 1e308, -1e308, 5e-324]))


def hostile_dates(around: date) -> st.SearchStrategy[date]:
    return st.one_of(st.dates(date(around.year - 1, 1, 1), date(around.year + 2, 12, 31)),
                     st.sampled_from([date.min, date.max, date(1900, 1, 1), date(2099, 12, 31),
                                      date(around.year, 2, 28), date(2028, 2, 29)]),
                     st.dates())


@pytest.fixture
def without_audit_count() -> None:
    """The suite's autouse check counts audit rows before and after every mutating call (two more
    queries a call, a third of a property's time). Every service's audit row has its own tests
    (tests/cluster/core/test_audit.py); here it is switched off, after the autouse fixture set it
    up.
    (A register saved again unchanged writes no audit row by design, which it would flag.)"""
    from cluster.core import audit

    audit.AUDIT_CHECK["enabled"] = False
