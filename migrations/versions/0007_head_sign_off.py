"""head's sign-off: a cluster's request rules say whether a SENCO's request waits for the
headteacher's sign-off before the cluster sees it (off by default)

Revision ID: words_head_sign_off
Revises: life_0003
Create Date: 2026-12-05 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'words_head_sign_off'
down_revision: str | None = 'life_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('requestrules') as batch:
        batch.add_column(sa.Column('head_sign_off', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('requestrules') as batch:
        batch.drop_column('head_sign_off')
