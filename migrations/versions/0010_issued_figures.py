"""which disclosure figures an issued paper showed (the governors' minutes): a stored copy's
figures cannot change, so the year's other figures are protected around them

Revision ID: issued_figures_0001
Revises: faq_year_0001
Create Date: 2026-12-05 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'issued_figures_0001'
down_revision: str | None = 'faq_year_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('issuedpaper') as batch:
        batch.add_column(sa.Column('shown_figures', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE issuedpaper DROP COLUMN shown_figures')
