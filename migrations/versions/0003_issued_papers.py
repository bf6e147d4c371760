"""issued papers: each meeting paper as issued (bytes and SHA-256), every version kept

Revision ID: papers_0001
Revises: 0002
Create Date: 2026-12-05 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'papers_0001'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'issuedpaper',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('edition', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('file_format', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('occasion', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id']),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meeting_id', 'kind', 'edition', 'file_format', 'version'),
    )
    op.create_index(op.f('ix_issuedpaper_cluster_id'), 'issuedpaper', ['cluster_id'],
                    unique=False)
    op.create_index(op.f('ix_issuedpaper_meeting_id'), 'issuedpaper', ['meeting_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_issuedpaper_meeting_id'), table_name='issuedpaper')
    op.drop_index(op.f('ix_issuedpaper_cluster_id'), table_name='issuedpaper')
    op.drop_table('issuedpaper')
