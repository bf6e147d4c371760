"""Benchmark of laying out and issuing a meeting's papers, on the demo cluster.

    .venv/bin/python -m bench.papers            # 3 runs of each, median reported
    .venv/bin/python -m bench.papers --runs 1

1. One members' pack (the host's copy of the Spring 1 round) built as a document, then laid out
   as PDF (fpdf2, DejaVu Sans embedded) and as Word.
2. Sending the Spring 1 papers out: every copy of the packs (the host's, each school's, the
   governors') stored in PDF and Word, in one transaction, as the host's button does.
3. Confirming Spring 1 after the register and the decisions: the packs not yet stored, the
   decisions applied, and every school's decision letter laid out and stored.

Each run seeds a fresh demo database on SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.demo.seed import seed_if_empty
from cluster.meetings.confirmation import confirm_decisions
from cluster.meetings.documents import members_pack_document
from cluster.meetings.issue import send_papers_out
from cluster.meetings.papers import members_pack
from cluster.models import IssuedPaper
from cluster.papers.pdf import render_pdf
from cluster.papers.word import render_docx
from tests.cluster.meeting_helpers import decide_as_suggested, spring_round, take_register
from tests.helpers.actors import actor

os.environ.setdefault("CLUSTER_TODAY", "2026-11-23")


def _demo(folder: Path) -> Engine:
    url = f"sqlite:///{folder / 'demo.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    seed_if_empty(engine)
    return engine


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _stored(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        rows = session.exec(select(IssuedPaper)).all()
        return len(rows), sum(r.size_bytes for r in rows)


def run_once(folder: Path) -> dict[str, float]:
    engine = _demo(folder)
    host, deputy = actor(engine, "host"), actor(engine, "deputy")
    spring = spring_round(engine)
    document = members_pack_document(members_pack(engine, host, spring.id))
    figures = {"pack as PDF (s)": _timed(lambda: render_pdf(document)),
               "pack as Word (s)": _timed(lambda: render_docx(document))}
    figures["send the papers out (s)"] = _timed(lambda: send_papers_out(engine, host, spring.id))
    figures["files after papers out"], _ = _stored(engine)
    take_register(engine, host, spring.id)
    decide_as_suggested(engine, host, spring.id)
    drawn = decide_as_suggested(engine, deputy, spring.id).drawn()
    figures["confirm with letters (s)"] = _timed(
        lambda: confirm_decisions(engine, host, spring.id, drawn=drawn))
    files, size = _stored(engine)
    figures["files stored"], figures["MB stored"] = files, size / 1_000_000
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results: list[dict[str, float]] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            results.append(run_once(Path(folder)))
    print(f"Meeting papers, median of {runs} run(s):")
    for name in results[0]:
        print(f"  {name:<28} {statistics.median(r[name] for r in results):>8.2f}")


if __name__ == "__main__":
    main()
