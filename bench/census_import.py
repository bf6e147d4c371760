"""Benchmark of the census imports at national scale.

    .venv/bin/python -m bench.census_import            # 3 runs of each, median reported
    .venv/bin/python -m bench.census_import --runs 1

1. LA benchmarks: the DfE national school-level file (shared/data/dfe, 24,413 real schools) read,
   checked row by row, added up by LA and saved (152 rows: 151 LAs and England).
2. School census: a file in the DfE's full school-level schema (46 columns, as the published file
   has) with as many rows as the national file, of which the cluster's 12 schools are saved and
   the rest passed over: read, checked row by row (URN, counts, 26 primary-need columns,
   duplicates), matched and saved in one transaction.
3. The same census as an Excel workbook, LA-sized (2,000 schools): openpyxl reads a workbook cell
   by cell, far slower than CSV, so the national scale is left to the CSV the DfE publishes.

Each runs against a fresh migrated SQLite database in a temporary folder, through the same service
the import page calls (so the audit row and the transaction are included). Rows/s counts file rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.core.db import make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.core.permissions import Actor
from cluster.imports import import_benchmarks, import_census
from cluster.models import Cluster, Role, School, User
from tests.cluster.imports.shapes import DFE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / ".." / "shared" / "data" / "dfe" / "sen_school_level_2021_trimmed.csv"
CLUSTER_SCHOOLS = 12
EXCEL_ROWS = 2_000


@dataclass(frozen=True)
class Result:
    name: str
    rows: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def line(self) -> str:
        rate = self.rows / self.median
        return (f"{self.name:<50} {self.rows:>7,} rows  median {self.median * 1000:>7.0f} ms  "
                f"{rate:>9,.0f} rows/s  (best {self.rows / min(self.seconds):,.0f})")


def fresh_database(folder: Path, run: int) -> tuple[Engine, Actor]:
    url = f"sqlite:///{folder / f'bench-{run}.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        cluster = Cluster(name="Bench Cluster", la_code="926", la_name="Norfolk",
                          funded_since=date(2023, 9, 1))
        session.add(cluster)
        session.flush()
        for index in range(CLUSTER_SCHOOLS):
            session.add(School(cluster_id=cluster.id or 0, urn=f"{100_000 + index * 1_000}",
                               laestab=f"926{2000 + index:04d}", name=f"School {index}",
                               phase="primary", school_type="Community school"))
        host = User(username="bench.host", display_name="Bench Host", role=Role.HOST,
                    cluster_id=cluster.id)
        session.add(host)
        session.commit()
        actor = Actor(host.id or 0, host.username, host.display_name, host.role, cluster.id, None)
    return engine, actor


def census_rows(count: int) -> tuple[list[str], list[list[object]]]:
    """A DfE-schema census as wide as the published file, one row per school."""
    columns = list(DFE_COLUMNS)
    rows = []
    for index in range(count):
        urn = 100_000 + index * 1_000 if index < CLUSTER_SCHOOLS else 200_000 + index
        pupils = 80 + (index * 37) % 1_400
        support = pupils * 12 // 100
        ehc = pupils * 4 // 100
        needs = [ehc // 13] * 12 + [ehc - 12 * (ehc // 13)]
        needs += [support // 13] * 12 + [support - 12 * (support // 13)]
        rows.append(["202021", "January", "School", "E92000001", "England", "E12000006",
                     "East of England", "926", "E10000020", "Norfolk", urn, f"School {index}",
                     9_260_000 + index % 10_000, "State-funded primary", "Community school",
                     pupils, support, ehc, *needs, 0, 0])
    return columns, rows


def as_csv(columns: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(columns: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(folder: Path, runs: int,
          action: Callable[[Engine, Actor], int]) -> tuple[int, list[float]]:
    seconds, rows = [], 0
    for run in range(runs):
        engine, actor = fresh_database(folder, len(list(folder.iterdir())) + run)
        start = time.perf_counter()
        rows = action(engine, actor)
        seconds.append(time.perf_counter() - start)
        engine.dispose()
    return rows, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.census_import")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args(argv)
    national = NATIONAL.read_bytes()
    columns, rows = census_rows(24_413)
    census_csv, census_xlsx = as_csv(columns, rows), as_xlsx(columns, rows[:EXCEL_ROWS])
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        count, seconds = timed(path, arguments.runs, lambda engine, actor: import_benchmarks(
            engine, actor, national, NATIONAL.name, census_year=2021).rows_read)
        results.append(Result("LA benchmarks, national file (CSV)", count, seconds))
        count, seconds = timed(path, arguments.runs, lambda engine, actor: import_census(
            engine, actor, census_csv, "sen_school_level.csv").rows_read)
        results.append(Result("School census, DfE full schema (CSV)", count, seconds))
        count, seconds = timed(path, arguments.runs, lambda engine, actor: import_census(
            engine, actor, census_xlsx, "sen_school_level.xlsx").rows_read)
        results.append(Result("School census, DfE full schema (Excel, LA-sized)", count,
                              seconds))
    print(f"Census import benchmark: {arguments.runs} run(s) each, fresh SQLite database per run")
    print(f"  national file {len(national) / 1_048_576:.1f} MB; census CSV "
          f"{len(census_csv) / 1_048_576:.1f} MB with {len(columns)} columns; Excel "
          f"{len(census_xlsx) / 1_048_576:.1f} MB ({EXCEL_ROWS:,} rows)")
    for result in results:
        print("  " + result.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
