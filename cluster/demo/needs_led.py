"""The demo's move from hours to needs-led support (FAQ 20-21): year by year, more of a cluster's
individual requests are met by early intervention, so the host, governors and the LA adviser see
the shares move on Finance. Written after the history, as stored kinds of provision: no random
draw of the story changes, and it costs one query per cluster."""

from __future__ import annotations

from sqlmodel import Session, col, select

from cluster.common.provision import ASSESSMENT, NURTURE, SPEECH_AND_LANGUAGE
from cluster.models import Award, Meeting, RequestKind, SupportRequest

# Of a year's individual requests with money, the share met by early intervention, oldest year
# first (three years of history, then the current year).
EARLY_SHARE_BY_YEAR: tuple[float, ...] = (0.0, 0.3, 0.55, 0.8)
_EARLY_KINDS = (SPEECH_AND_LANGUAGE, ASSESSMENT, NURTURE)


def plant_the_move(session: Session, cluster_id: int, current_year: int) -> None:
    session.flush()
    rows = session.exec(
        select(SupportRequest, Meeting.academic_year)
        .join(Award, col(Award.request_id) == SupportRequest.id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, SupportRequest.kind == RequestKind.INDIVIDUAL,
               Award.amount_pence > 0)
        .order_by(col(SupportRequest.id))).all()
    first = current_year - len(EARLY_SHARE_BY_YEAR) + 1
    by_year: dict[int, list[SupportRequest]] = {}
    for request, year in rows:
        by_year.setdefault(year, []).append(request)
    for year, requests in by_year.items():
        index = min(max(year - first, 0), len(EARLY_SHARE_BY_YEAR) - 1)
        moved = round(len(requests) * EARLY_SHARE_BY_YEAR[index])
        for n, request in enumerate(requests[:moved]):
            request.provision_kind = _EARLY_KINDS[n % len(_EARLY_KINDS)]
            session.add(request)
