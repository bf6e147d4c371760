"""Which cluster an actor may read: their own, or for an LA adviser the one they chose. Every
service that reads a cluster's data, or one of its meetings, asks here."""

from __future__ import annotations

from sqlmodel import Session, col, select

from cluster.core.errors import NotAllowed, NotFound, NotOpenToYou
from cluster.core.permissions import Actor
from cluster.models import Cluster, Meeting, Role


def cluster_of(session: Session, actor: Actor, cluster_id: int | None = None) -> Cluster:
    """The cluster the actor reads. An LA adviser may name any cluster; without one, their own
    (if any) or else the first by name. Anyone else reads their own cluster, and naming another
    is refused."""
    if actor.role == Role.LA_ADVISER:
        chosen = cluster_id if cluster_id is not None else actor.cluster_id
        cluster = session.get(Cluster, chosen) if chosen is not None else \
            session.exec(select(Cluster).order_by(col(Cluster.name))).first()
    else:
        if cluster_id is not None and cluster_id != actor.cluster_id:
            raise NotAllowed("You can see your own cluster only.")
        cluster = session.get(Cluster, actor.cluster_id) if actor.cluster_id is not None else None
    if cluster is None or cluster.id is None:
        raise NotFound("Your account is not linked to a cluster. Ask your host to fix it.")
    return cluster


def meeting_in_cluster(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """One of the meetings of a cluster the actor reads; another cluster's meeting is refused in
    the words a meeting that does not exist gets."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotOpenToYou("meeting", meeting_id)
    asked_for = meeting.cluster_id if actor.role == Role.LA_ADVISER else None
    if cluster_of(session, actor, asked_for).id != meeting.cluster_id:
        raise NotOpenToYou("meeting", meeting_id)
    return meeting
