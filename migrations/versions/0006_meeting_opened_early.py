"""meeting opened early: the day the host opened a meeting before its date, and why

Revision ID: life_0003
Revises: sessions_0001 (chained after the sign-in sessions)
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "life_0003"
down_revision: str | None = "sessions_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch that drops a column copies and drops
# `meeting`, which many tables reference, so the DROP TABLE fails with foreign keys on.
# SQLite (3.35+) and PostgreSQL both add a nullable or constant-default column and drop an
# unindexed one in place.
def upgrade() -> None:
    op.add_column("meeting", sa.Column("opened_early_on", sa.Date(), nullable=True))
    op.add_column("meeting", sa.Column("opened_early_reason",
                                       sqlmodel.sql.sqltypes.AutoString(length=500),
                                       nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("meeting", "opened_early_reason")
    op.drop_column("meeting", "opened_early_on")
