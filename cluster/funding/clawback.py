"""Money coming back: unspent award money a school reports (an underspend found at year end, a
pupil who left) returns to the cluster's money left to award. Recorded and audited.

Reviews return money too when they stop or complete an award (cluster/outcomes/reviews.py); this
is the host's way to record a return outside a review.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from cluster.common.money import is_whole_pounds, whole_pounds
from cluster.core import audit
from cluster.core.concurrency import retry_on_conflict
from cluster.core.db import write_session
from cluster.core.errors import InvalidInput, NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.models import Award, School, SupportRequest


@dataclass(frozen=True)
class ReturnedMoney:
    award_id: int
    returned_pence: int  # in all, after this return
    still_held_pence: int


@audit.mutating("record_returned_money")
def record_returned_money(engine: Engine, actor: Actor, award_id: int,
                          pence: int) -> ReturnedMoney:
    require(can_manage_cluster(actor))
    if pence <= 0 or not is_whole_pounds(pence):
        raise InvalidInput("Amount returned", "Enter a whole number of pounds above £0.")

    def attempt() -> ReturnedMoney:
        with write_session(engine) as session:
            row = session.exec(
                select(Award).join(SupportRequest, col(SupportRequest.id) == Award.request_id)
                .join(School, col(School.id) == SupportRequest.school_id)
                .where(Award.id == award_id, School.cluster_id == actor.cluster_id)
                # PostgreSQL: concurrent returns queue on the row instead of colliding and
                # retrying; SQLite's IMMEDIATE transactions already queue.
                .with_for_update(of=Award)).first()
            if row is None:
                raise NotOpenToYou("award", award_id)
            held = row.amount_pence - row.returned_pence
            if pence > held:
                raise InvalidInput("Amount returned",
                                   f"Only £{whole_pounds(held):,} of this award is "
                                   "still held; a school cannot return more than that.")
            before = row.returned_pence
            row.returned_pence += pence
            session.add(row)
            session.flush()  # the version check happens here, inside the retried transaction
            audit.record(session, actor, "record_returned_money", entity="award",
                         entity_id=row.id, before={"returned_pence": before},
                         after={"returned_pence": row.returned_pence})
            return ReturnedMoney(award_id, row.returned_pence,
                                 row.amount_pence - row.returned_pence)

    return retry_on_conflict(attempt, what="the award")
