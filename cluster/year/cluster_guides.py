"""The how-to guides a cluster may reword (FAQ 12: guides "adapted and personalised by each
cluster"): everyone reads the cluster's wording, the host edits it, and until the host saves, the
cluster reads the LA's default (the guide's file in toolkit/content/guides)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from cluster.common.content import guide
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotFound, StaleEdit
from cluster.core.permissions import Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import ClusterGuide, User
from cluster.year.schedule import READER_ROLES

MAX_CHARACTERS = 30_000


@dataclass(frozen=True)
class GuideText:
    cluster_id: int
    slug: str
    body_md: str
    version: int  # 0 while the cluster reads the LA's default
    is_default: bool
    updated_on: date | None


def _editable(slug: str) -> None:
    try:
        found = guide(slug)
    except LookupError as error:
        raise NotFound(f"There is no guide called {slug!r}.") from error
    if not found.editable:
        raise InvalidInput("guide", f"'{found.title}' is the toolkit's own guide: it cannot be "
                           "reworded")


def guide_text(engine: Engine, actor: Actor, slug: str, cluster_id: int | None = None
               ) -> GuideText:
    """The cluster's wording of an editable guide, or the LA's default."""
    require(has_role(actor, READER_ROLES))
    _editable(slug)
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        assert cluster.id is not None
        saved = session.exec(select(ClusterGuide).where(ClusterGuide.cluster_id == cluster.id,
                                                        ClusterGuide.slug == slug)).first()
        if saved is None:
            return GuideText(cluster.id, slug, guide(slug).body_md, 0, True, None)
        return GuideText(cluster.id, slug, saved.body_md, saved.version, False,
                         saved.updated_on)


@audit.mutating("save_guide")
def save_guide(engine: Engine, actor: Actor, slug: str, body_md: str, *, expected_version: int,
               confirmed_not_names: ConfirmedNames = False) -> GuideText:
    """Saves the host's wording of an editable guide; refused when someone saved since the
    screen was drawn. The text goes through the one text check, as the terms of reference do."""
    require(can_manage_cluster(actor))
    _editable(slug)
    if not body_md.strip():
        raise InvalidInput("guide", "cannot be empty")
    with write_session(engine) as session:
        staff = session.exec(select(User.display_name).where(
            User.cluster_id == actor.cluster_id)).all()
        confirmed = require_clean_text("guide", body_md, MAX_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names,
                                       known_people=staff)
        cluster = cluster_of(session, actor)
        assert cluster.id is not None
        saved = session.exec(select(ClusterGuide).where(ClusterGuide.cluster_id == cluster.id,
                                                        ClusterGuide.slug == slug)).first()
        if (saved.version if saved else 0) != expected_version:
            raise StaleEdit([f"guide {slug}: rewritten"],
                            last_change_by(session, "cluster_guide", saved.id)
                            if saved and saved.id else None)
        previous = saved.body_md if saved else None
        row = saved or ClusterGuide(cluster_id=cluster.id, slug=slug)
        row.body_md, row.updated_on = body_md, today()
        session.add(row)
        try:
            session.flush()
        except IntegrityError as error:  # another host saved the first version a moment earlier
            raise StaleEdit([f"guide {slug}: first saved by someone else"], None) from error
        record_confirmation(session, actor, confirmed, entity="cluster_guide", entity_id=row.id)
        audit.record(session, actor, "save_guide", entity="cluster_guide", entity_id=row.id,
                     before={"body_md": previous}, after={"body_md": body_md},
                     text_fields=frozenset({"body_md"}))
        return GuideText(cluster.id, slug, row.body_md, row.version, False, row.updated_on)
