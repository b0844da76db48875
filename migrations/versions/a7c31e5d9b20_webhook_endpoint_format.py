"""webhook endpoint format (plain JSON, Slack, Teams)

Revision ID: a7c31e5d9b20
Revises: b7d2e41c9a05
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c31e5d9b20'
down_revision = 'b7d2e41c9a05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.String(length=10), server_default='json', nullable=False))


def downgrade():
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.drop_column('format')
