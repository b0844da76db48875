"""organiser invites: co-organisers added by email, joining at sign-in

Revision ID: f7b2d4e6a8c1
Revises: e5a1f3c9b8d2
Create Date: 2026-12-01 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7b2d4e6a8c1'
down_revision = 'e5a1f3c9b8d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organizer_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_organizer_invite_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizer_invite')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_organizer_invite_event_id_email'))
    )
    with op.batch_alter_table('organizer_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizer_invite_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizer_invite_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('organizer_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizer_invite_event_id'))
        batch_op.drop_index(batch_op.f('ix_organizer_invite_email'))
    op.drop_table('organizer_invite')
