"""The demo LA holds Wensum Valley and six more clusters (cluster.demo.la_clusters); tests written
about Wensum Valley's meetings pick its meetings out of the LA's."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.sql.expression import SelectOfScalar

from cluster.models import Meeting

WENSUM_VALLEY_ID = 1  # seeded first into an empty database (tests/cluster/demo/test_seed.py)


def wensum_meetings() -> SelectOfScalar[Meeting]:
    """Wensum Valley's meetings: narrow further with `.where(...)`."""
    return select(Meeting).where(Meeting.cluster_id == WENSUM_VALLEY_ID)


def wensum_meeting_ids() -> SelectOfScalar[int | None]:
    """The ids of Wensum Valley's meetings: narrow further with `.where(...)`."""
    return select(Meeting.id).where(Meeting.cluster_id == WENSUM_VALLEY_ID)
