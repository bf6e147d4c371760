"""Benchmark of the disclosure audit on random small clusters.

    .venv/bin/python -m bench.disclosure            # 50 clusters
    .venv/bin/python -m bench.disclosure --clusters 10

Each cluster is drawn by `tests.helpers.random_clusters` (seeded 0, 1, 2, ...): its protected-
funding forecast is suppressed for the LA adviser, the cluster governor and two schools'
governors, the joint way (`disclosure.joint`), then audited (`disclosure.audit`). Prints the
figures shown, hidden and the ranges checked, the failures (hidden figures a reader could work out
or narrow down: there should be none), and the time to choose the pattern and audit it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from tests.helpers.random_clusters import audit_random_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=50)
    clusters = parser.parse_args().clusters
    shown = hidden = checked = failures = readers = 0
    seconds = []
    for seed in range(clusters):
        started = time.perf_counter()
        checks = audit_random_cluster(seed)
        seconds.append(time.perf_counter() - started)
        readers += len(checks)
        for check in checks:
            shown += check.result.shown
            hidden += check.result.hidden
            checked += check.result.checked
            failures += len(check.result.failures)
            for failing in check.result.failures:
                print(f"  cluster {seed}, {check.reader}: {failing.name} is {failing.value}, "
                      f"a reader can tell {failing.low:g} to {failing.high:g}")
    print(f"Disclosure audit: {clusters} random clusters, {readers} readers")
    print(f"  figures shown {shown:,}, hidden {hidden:,}, ranges checked {checked:,}, "
          f"failures {failures:,}")
    print(f"  per cluster (pattern and audit for its readers): median "
          f"{statistics.median(seconds):.2f} s, slowest {max(seconds):.2f} s, "
          f"all {sum(seconds):.1f} s")


if __name__ == "__main__":
    main()
