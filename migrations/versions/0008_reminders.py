"""reminders: a row per reminder e-mailed (person x kind x subject), so none is sent twice, and a
row per kind of reminder a person has turned off

Revision ID: reminders_0001
Revises: words_head_sign_off
Create Date: 2026-12-05 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'reminders_0001'
down_revision: str | None = 'words_head_sign_off'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('remindersent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('subject_key', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind', 'subject_key')
    )
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remindersent_user_id'), ['user_id'], unique=False)
    op.create_table('reminderoff',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'kind')
    )


def downgrade() -> None:
    op.drop_table('reminderoff')
    with op.batch_alter_table('remindersent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remindersent_user_id'))
    op.drop_table('remindersent')
