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


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("opened_early_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("opened_early_reason",
                                   sqlmodel.sql.sqltypes.AutoString(length=500),
                                   nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("opened_early_reason")
        batch.drop_column("opened_early_on")
