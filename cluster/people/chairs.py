"""Who chairs an item: the host, or the deputy host for the items about the host's own school.

A school's own people never decide on its requests; the chair records the decision."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cluster.core.permissions import Actor, Permission
from cluster.models import Role, User


@dataclass(frozen=True)
class Chairs:
    """The cluster's host and deputy host (both have the host role; the deputy's title says so)."""

    host_user_id: int | None
    host_name: str
    host_school_id: int | None
    deputy_user_id: int | None
    deputy_name: str
    deputy_school_id: int | None


def is_deputy_title(title: str) -> bool:
    return "deputy" in title.lower()


def item_chair(chairs: Chairs, school_ids: Iterable[int]) -> tuple[int | None, str]:
    """The deputy chairs the items about the host's own school; the host chairs the rest."""
    if chairs.host_school_id is not None and chairs.host_school_id in set(school_ids):
        return chairs.deputy_user_id, chairs.deputy_name
    return chairs.host_user_id, chairs.host_name


def may_decide(actor: Actor, chairs: Chairs, school_ids: Iterable[int],
               school_names: Sequence[str] = ()) -> Permission:
    """Only the item's chair records its decision, and never for the chair's own school."""
    if actor.role != Role.HOST:
        return False, "Only the cluster's SEN host (or the deputy) records decisions."
    ids = set(school_ids)
    whose = " and ".join(school_names) or "this school"
    chair_id, chair_name = item_chair(chairs, ids)
    if chair_id is None:
        return False, ("This item is about the host's own school, so the deputy chairs it, and "
                       "no deputy host is set up. Add one in User accounts.")
    if actor.school_id is not None and actor.school_id in ids:
        return False, (f"You are from {whose}: a school's own people do not decide on its "
                       f"requests. {chair_name} chairs this item.")
    if chair_id != actor.user_id:
        return False, f"{chair_name} chairs this item and records its decision."
    return True, ""


def chairs_of(session: Session, cluster_id: int) -> Chairs:
    hosts = session.exec(select(User).where(User.cluster_id == cluster_id, User.role == Role.HOST,
                                            col(User.active).is_(True))
                         .order_by(col(User.id))).all()
    deputy = next((u for u in hosts if is_deputy_title(u.title)), None)
    host = next((u for u in hosts if not is_deputy_title(u.title)), None)
    return Chairs(host.id if host else None, host.display_name if host else "the host",
                  host.school_id if host else None, deputy.id if deputy else None,
                  deputy.display_name if deputy else "the deputy host",
                  deputy.school_id if deputy else None)
