"""The cluster's own wording of a text the toolkit ships (terms of reference, a how-to guide):
one way to save it, so the text check, the stale-edit check and the audit cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor
from cluster.core.scope import cluster_of
from cluster.models import Cluster, ClusterGuide, TermsOfReference
from cluster.people.users import staff_names

Row = TypeVar("Row", ClusterGuide, TermsOfReference)


@dataclass(frozen=True)
class Wording:
    """Which text is saved, in the words its refusals and audit use."""

    field: str  # the text check's and the empty check's word: "guide"
    label: str  # the stale-edit message's: "guide sen-support"
    limit: int  # characters
    entity: str
    action: str


def save_wording(session: Session, actor: Actor, wording: Wording, body_md: str, *,
                 expected_version: int, confirmed_not_names: ConfirmedNames,
                 find: Callable[[int], Row | None],
                 create: Callable[[int], Row]) -> tuple[Cluster, Row]:
    """Saves the host's text, refused when empty, when the one text check refuses it, or when
    someone saved since the screen was drawn. `find` and `create` take the cluster's id."""
    if not body_md.strip():
        raise InvalidInput(wording.field, "cannot be empty")
    confirmed = require_clean_text(wording.field, body_md, wording.limit,
                                   confirmed_not_names=confirmed_not_names,
                                   known_people=staff_names(session, actor.cluster_id))
    cluster = cluster_of(session, actor)
    assert cluster.id is not None
    saved = find(cluster.id)
    if (saved.version if saved else 0) != expected_version:
        raise StaleEdit([f"{wording.label}: rewritten"],
                        last_change_by(session, wording.entity, saved.id)
                        if saved and saved.id else None)
    previous = saved.body_md if saved else None
    row = saved or create(cluster.id)
    row.body_md, row.updated_on = body_md, today()
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # another host saved the first version a moment earlier
        raise StaleEdit([f"{wording.label}: first saved by someone else"], None) from error
    record_confirmation(session, actor, confirmed, entity=wording.entity, entity_id=row.id)
    audit.record(session, actor, wording.action, entity=wording.entity, entity_id=row.id,
                 before={"body_md": previous}, after={"body_md": body_md},
                 text_fields=frozenset({"body_md"}))
    return cluster, row
