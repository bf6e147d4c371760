"""The how-to guides a cluster may reword (FAQ 12: guides "adapted and personalised by each
cluster"): everyone reads the cluster's wording, the host edits it, and until the host saves, the
cluster reads the LA's default (the guide's file in toolkit/content/guides)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import select

from cluster.common.content import guide
from cluster.common.text_check import ConfirmedNames
from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotFound
from cluster.core.permissions import ALL_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import ClusterGuide
from cluster.year.wording import Wording, save_wording

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
    require(has_role(actor, ALL_ROLES))
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
    wording = Wording("guide", f"guide {slug}", MAX_CHARACTERS, "cluster_guide", "save_guide")
    with write_session(engine) as session:
        _, row = save_wording(
            session, actor, wording, body_md, expected_version=expected_version,
            confirmed_not_names=confirmed_not_names,
            find=lambda cluster_id: session.exec(select(ClusterGuide).where(
                ClusterGuide.cluster_id == cluster_id, ClusterGuide.slug == slug)).first(),
            create=lambda cluster_id: ClusterGuide(cluster_id=cluster_id, slug=slug))
        return GuideText(row.cluster_id, slug, row.body_md, row.version, False, row.updated_on)
