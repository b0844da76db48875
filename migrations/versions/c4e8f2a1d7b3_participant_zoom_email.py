"""participant zoom sign-in email

Revision ID: c4e8f2a1d7b3
Revises: a7c31e5d9b20
Create Date: 2026-12-01 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8f2a1d7b3'
down_revision = 'a7c31e5d9b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zoom_email', sa.String(length=254), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('zoom_email')
