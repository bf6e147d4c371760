"""The cluster's terms of reference: everyone reads them, the host edits them.

Until the host first saves, the cluster reads the toolkit's default, which the caller passes in as
plain text (the engine does not read the toolkit's content files).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from cluster.common.calendar import academic_year_of
from cluster.common.content import fill_placeholders
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import TermsOfReference, User
from cluster.year.review_points import halfway_review, review_points_text
from cluster.year.schedule import READER_ROLES

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
    require(has_role(actor, READER_ROLES))
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
    if not body_md.strip():
        raise InvalidInput("terms of reference", "cannot be empty")
    with write_session(engine) as session:
        staff = session.exec(select(User.display_name).where(
            User.cluster_id == actor.cluster_id)).all()
        confirmed = require_clean_text("terms of reference", body_md, MAX_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names,
                                       known_people=staff)
        cluster = cluster_of(session, actor)
        assert cluster.id is not None
        saved = session.exec(select(TermsOfReference)
                             .where(TermsOfReference.cluster_id == cluster.id)).first()
        if (saved.version if saved else 0) != expected_version:
            changed_by = last_change_by(session, "terms_of_reference", saved.id) \
                if saved and saved.id else None
            raise StaleEdit(["terms of reference: rewritten"], changed_by)
        previous = saved.body_md if saved else None
        row = saved or TermsOfReference(cluster_id=cluster.id)
        row.body_md, row.updated_on = body_md, today()
        session.add(row)
        try:
            session.flush()
        except IntegrityError as error:  # another host saved the first version a moment earlier
            raise StaleEdit(["terms of reference: first saved by someone else"], None) from error
        record_confirmation(session, actor, confirmed, entity="terms_of_reference",
                            entity_id=row.id)
        audit.record(session, actor, "save_terms_of_reference", entity="terms_of_reference",
                     entity_id=row.id, before={"body_md": previous},
                     after={"body_md": body_md}, text_fields=frozenset({"body_md"}))
        rule = review_points_text(halfway_review(session, cluster.id,
                                                 academic_year_of(today()).start_year))
        return TermsView(cluster.id, cluster.name, row.body_md, row.version, False,
                         row.updated_on, rule)
