"""the FAQ's year: an award's corrected class of support, extra income lines in the pot, and a
cluster's own wording of the LA's editable how-to guides

Revision ID: faq_year_0001
Revises: reminders_0001
Create Date: 2026-12-05 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'faq_year_0001'
down_revision: str | None = 'reminders_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('award') as batch:
        batch.add_column(sa.Column('support_class',
                                   sqlmodel.sql.sqltypes.AutoString(length=40),
                                   nullable=False, server_default=''))
    op.create_table(
        'incomeline',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('funding_year_id', sa.Integer(), nullable=False),
        sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('amount_pence', sa.Integer(), nullable=False),
        sa.Column('rounds', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['funding_year_id'], ['fundingyear.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_incomeline_funding_year_id', 'incomeline', ['funding_year_id'])
    op.create_table(
        'clusterguide',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('body_md', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('updated_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cluster_id', 'slug'))
    op.create_index('ix_clusterguide_cluster_id', 'clusterguide', ['cluster_id'])


def downgrade() -> None:
    op.drop_index('ix_clusterguide_cluster_id', 'clusterguide')
    op.drop_table('clusterguide')
    op.drop_index('ix_incomeline_funding_year_id', 'incomeline')
    op.drop_table('incomeline')
    # Not a batch: on SQLite a batch rebuilds the award table, which the tables that refer to
    # awards forbid; SQLite (3.35+) and PostgreSQL both drop a column in place.
    op.execute('ALTER TABLE award DROP COLUMN support_class')
