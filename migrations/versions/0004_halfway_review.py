"""halfway review: a cluster's request rules say whether awards are reviewed halfway through as
well as at the last meeting before they end (on by default, as the terms of reference say)

Revision ID: split_halfway_review
Revises: papers_0001
Create Date: 2026-12-05 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'split_halfway_review'
down_revision: str | None = 'papers_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('requestrules') as batch:
        batch.add_column(sa.Column('halfway_review', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('requestrules') as batch:
        batch.drop_column('halfway_review')
