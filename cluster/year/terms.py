"""The cluster's terms of reference: everyone reads them, the host edits them.

Until the host first saves, the cluster reads the toolkit's default, which the caller passes in as
plain text (the engine does not read the toolkit's content files).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import select

from cluster.common.calendar import academic_year_of
from cluster.common.content import fill_placeholders
from cluster.common.text_check import ConfirmedNames
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.permissions import ALL_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import TermsOfReference
from cluster.year.review_points import halfway_review, review_points_text
from cluster.year.wording import Wording, save_wording

MAX_CHARACTERS = 50_000


# Where the terms state the cluster's review-point rule; filled from its request rules, so the
# terms say what the meeting screens do even after the host changes the rule.
REVIEW_POINTS = "review_points"


@dataclass(frozen=True)
class TermsView:
    cluster_id: int
    cluster_name: str
    body_md: str  # as written, with {{ review_points }} where the rule goes: what the host edits
    version: int  # 0 while the cluster still reads the toolkit's default
    is_default: bool
    updated_on: date | None
    review_points: str = review_points_text(True)

    @property
    def shown_md(self) -> str:
        """The terms as everyone reads them, the cluster's review-point rule written in."""
        return fill_placeholders(self.body_md, {REVIEW_POINTS: self.review_points})


def terms_of_reference(engine: Engine, actor: Actor, default_md: str,
                       cluster_id: int | None = None) -> TermsView:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        assert cluster.id is not None
        saved = session.exec(select(TermsOfReference)
                             .where(TermsOfReference.cluster_id == cluster.id)).first()
        rule = review_points_text(halfway_review(session, cluster.id,
                                                 academic_year_of(today()).start_year))
        if saved is None:
            return TermsView(cluster.id, cluster.name, default_md, 0, True, None, rule)
        return TermsView(cluster.id, cluster.name, saved.body_md, saved.version, False,
                         saved.updated_on, rule)


@audit.mutating("save_terms_of_reference")
def save_terms_of_reference(engine: Engine, actor: Actor, body_md: str, *,
                            expected_version: int,
                            confirmed_not_names: ConfirmedNames = False) -> TermsView:
    """Saves the host's text; refused when someone saved since the screen was drawn. The text
    goes through the one text check: staff appear by role; a typed name is asked about, or
    refused when it is clearly a person."""
    require(can_manage_cluster(actor))
    wording = Wording("terms of reference", "terms of reference", MAX_CHARACTERS,
                      "terms_of_reference", "save_terms_of_reference")
    with write_session(engine) as session:
        cluster, row = save_wording(
            session, actor, wording, body_md, expected_version=expected_version,
            confirmed_not_names=confirmed_not_names,
            find=lambda cluster_id: session.exec(select(TermsOfReference).where(
                TermsOfReference.cluster_id == cluster_id)).first(),
            create=lambda cluster_id: TermsOfReference(cluster_id=cluster_id))
        rule = review_points_text(halfway_review(session, row.cluster_id,
                                                 academic_year_of(today()).start_year))
        return TermsView(row.cluster_id, cluster.name, row.body_md, row.version, False,
                         row.updated_on, rule)
