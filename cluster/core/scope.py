"""Which cluster an actor works in: their own, or for an LA adviser the one they chose."""

from __future__ import annotations

from sqlmodel import Session, select

from cluster.core.errors import NotFound
from cluster.core.permissions import Actor
from cluster.models import Cluster, Role


def cluster_of(session: Session, actor: Actor, cluster_id: int | None = None) -> Cluster:
    """The actor's cluster; an LA adviser may name any cluster."""
    chosen = cluster_id if (actor.role == Role.LA_ADVISER and cluster_id) else actor.cluster_id
    cluster = session.get(Cluster, chosen) if chosen else None
    if cluster is None and actor.role == Role.LA_ADVISER:
        cluster = session.exec(select(Cluster).order_by(Cluster.name)).first()
    if cluster is None or cluster.id is None:
        raise NotFound("Your account is not linked to a cluster. Ask your host to fix it.")
    return cluster
