"""Benchmark of the disclosure audit on random clusters.

    .venv/bin/python -m bench.disclosure                  # 50 forecasts, 50 years of awards
    .venv/bin/python -m bench.disclosure --clusters 10

Two parts, each seeded 0, 1, 2, ... (`tests.helpers.random_clusters`), so a failure can be rerun:
- forecasts: a random cluster's protected-funding forecast, suppressed the joint way for the LA
  adviser, the cluster governor and two schools' governors, then audited;
- awards: the demo cluster with a random year's awards added at its funding rounds (0-4 of them
  urgent awards from the reserve), audited over every page the cluster governor, a school's
  governor and the LA adviser see (dashboards, forecast, Finance, minutes, packs).
Prints the figures shown, hidden and the ranges checked, the failures (hidden figures a reader
could work out or narrow down: there should be none) and the time each cluster took.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cluster.core.db import make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.demo.seed import seed_if_empty
from tests.helpers.demo_la import TODAY
from tests.helpers.random_clusters import ReaderCheck, audit_random_cluster, audit_random_year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=50)
    clusters = parser.parse_args().clusters
    _report("forecasts", clusters, audit_random_cluster)
    with tempfile.TemporaryDirectory() as folder:
        demo = _seeded_demo(Path(folder))
        _report("years of awards on the demo", clusters,
                lambda seed: _audit_year_on_copy(demo, Path(folder) / f"{seed}.db", seed))


def _seeded_demo(folder: Path) -> Path:
    """The demo seeded once, on the day the tests pin (its meetings and rounds are the tests')."""
    os.environ["CLUSTER_TODAY"] = TODAY.isoformat()
    path = folder / "demo.db"
    upgrade_to_head(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    seed_if_empty(engine)
    engine.dispose()
    return path


def _audit_year_on_copy(demo: Path, copy: Path, seed: int) -> list[ReaderCheck]:
    shutil.copy(demo, copy)
    engine = make_engine(f"sqlite:///{copy}")
    try:
        return audit_random_year(engine, seed)
    finally:
        engine.dispose()
        copy.unlink()


def _report(what: str, clusters: int, audit_one: Callable[[int], list[ReaderCheck]]) -> None:
    shown = hidden = checked = failures = readers = 0
    seconds = []
    for seed in range(clusters):
        started = time.perf_counter()
        checks = audit_one(seed)
        seconds.append(time.perf_counter() - started)
        readers += len(checks)
        for check in checks:
            shown += check.result.shown
            hidden += check.result.hidden
            checked += check.result.checked
            failures += len(check.result.failures)
            for failing in check.result.failures:
                print(f"  seed {seed}, {check.reader}: {failing.name} is {failing.value}, "
                      f"a reader can tell {failing.low:g} to {failing.high:g}")
    print(f"Disclosure audit, {what}: {clusters} random, {readers} readers")
    print(f"  figures shown {shown:,}, hidden {hidden:,}, ranges checked {checked:,}, "
          f"failures {failures:,}")
    print(f"  per cluster (all its readers): median {statistics.median(seconds):.2f} s, "
          f"slowest {max(seconds):.2f} s, all {sum(seconds):.1f} s")


if __name__ == "__main__":
    main()
