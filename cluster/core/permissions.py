"""Who may do what. Checks return (allowed, reason) so a screen can say why a button is disabled;
services call `require` so the rule holds whichever screen, script or URL reached them."""

from __future__ import annotations

from dataclasses import dataclass

from cluster.core.errors import NotAllowed
from cluster.models import Role


@dataclass(frozen=True)
class Actor:
    """The signed-in person, as plain data (never an ORM row: it lives in the session state)."""

    user_id: int
    username: str
    display_name: str
    role: str
    cluster_id: int | None
    school_id: int | None
    title: str = ""
    must_change_password: bool = False

    @property
    def role_label(self) -> str:
        return Role.label_of(self.role)


Permission = tuple[bool, str]

ALL_ROLES: frozenset[str] = frozenset(Role)
# The cluster's members, who take part in its meetings; governors and the LA adviser only read.
MEMBER_ROLES: frozenset[str] = frozenset({Role.HOST, Role.SCHOOL})
PUPIL_LEVEL_ROLES: frozenset[str] = MEMBER_ROLES
# Who sees a figure about fewer than 5 pupils hidden (DESIGN.md §4).
SUPPRESSED_ROLES: frozenset[str] = ALL_ROLES - MEMBER_ROLES


def has_role(actor: Actor | None, roles: frozenset[str] | set[str] | tuple[str, ...]) -> Permission:
    if actor is None:
        return False, "Please sign in first."
    if actor.role in roles:
        return True, ""
    allowed = ", ".join(sorted(Role.label_of(role) for role in roles))
    return False, f"This page is for: {allowed}. You are signed in as {actor.role_label}."


def can_read_pupil_level(actor: Actor | None) -> Permission:
    allowed, reason = has_role(actor, PUPIL_LEVEL_ROLES)
    if not allowed and actor is not None:
        return False, ("Governors and LA advisers see figures for groups of pupils only, "
                       "never one pupil.")
    return allowed, reason


def can_manage_cluster(actor: Actor | None) -> Permission:
    allowed, _ = has_role(actor, {Role.HOST})
    return allowed, "" if allowed else "Only the cluster's SEN host can change this."


def require(permission: Permission) -> None:
    allowed, reason = permission
    if not allowed:
        raise NotAllowed(reason)
