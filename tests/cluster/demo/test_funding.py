"""The demo's money beyond the formula: release plans, protected funding and LA benchmarks."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, func, select

from cluster.core.db import make_engine
from cluster.funding.budget import load_pot
from cluster.models import LaBenchmark, Meeting, ProtectedPupil, ProtectedPupilEvent
from tests.helpers.databases import copy_demo
from tests.helpers.demo_la import WENSUM_VALLEY_ID


def test_every_funding_round_has_its_share_of_the_years_money(tmp_path: Path,
                                                             demo_sqlite_file: Path) -> None:
    engine = make_engine(copy_demo(demo_sqlite_file, tmp_path / "d.db"))
    with Session(engine) as session:
        for year in (2023, 2024, 2025, 2026):
            pot = load_pot(session, WENSUM_VALLEY_ID, year)
            assert pot is not None
            rounds = session.exec(select(Meeting.release_pence).where(
                Meeting.cluster_id == WENSUM_VALLEY_ID, Meeting.academic_year == year,
                col(Meeting.is_funding_round).is_(True))).all()
            others = session.exec(select(Meeting.release_pence).where(
                Meeting.cluster_id == WENSUM_VALLEY_ID, Meeting.academic_year == year,
                col(Meeting.is_funding_round).is_(False))).all()
            assert len(rounds) == 3 and all(r > 0 and r % 100 == 0 for r in rounds)
            assert pot.available_pence - 100 < sum(rounds) <= pot.available_pence
            assert set(others) == {0}
        pupils = session.exec(select(ProtectedPupil)).all()
        assert {p.phase for p in pupils} == {"nursery", "primary", "secondary"}
        assert all(1 <= p.birth_month <= 12 and p.reference.startswith("PSF-") for p in pupils)
        events = session.exec(select(ProtectedPupilEvent.kind)).all()
        assert set(events) == {"nursery_to_reception", "casual_move", "managed_move",
                               "planned_transfer"}
        assert session.exec(select(func.count()).select_from(LaBenchmark)).one() == 152
    engine.dispose()
