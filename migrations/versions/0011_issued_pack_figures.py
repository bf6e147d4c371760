"""the disclosure figures of an issued governors' pack, with the sums linking them: the audit
checks the pack a reader holds, as it was issued, not the pack as it would read now

Revision ID: issued_pack_figures_0001
Revises: issued_figures_0001
Create Date: 2026-12-05 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'issued_pack_figures_0001'
down_revision: str | None = 'issued_figures_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('issuedpaper') as batch:
        batch.add_column(sa.Column('figures', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE issuedpaper DROP COLUMN figures')
