"""Invitations as sent (one row per person, with their facts) and attendance answers on participants.

The invitation's calendar part becomes METHOD:PUBLISH with an entry per programme item and café round, so
calendar_entry rows of kind "invite" are now per UID; what was emailed moves to the new invitation table.

Revision ID: b7e4c2a91d35
Revises: fe13c0c70132
Create Date: 2026-05-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = "b7e4c2a91d35"
down_revision = "fe13c0c70132"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_invitation_event_id_event"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox_message.id"], name=op.f("fk_invitation_outbox_id_outbox_message"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participant.id"], name=op.f("fk_invitation_participant_id_participant"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_invitation_participant_id")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_event_id"), ["event_id"], unique=False)

    # What was emailed so far: an empty fingerprint marks every invitation "changed since" (the format changed).
    op.execute(
        """
        INSERT INTO invitation (event_id, participant_id, fingerprint, facts, cancelled, sends, sent_at, outbox_id)
        SELECT event_id, participant_id, '', '{}', method = 'CANCEL', 1, sent_at, outbox_id
        FROM calendar_entry WHERE kind = 'invite' AND participant_id IS NOT NULL
        """
    )
    with op.batch_alter_table("calendar_entry", schema=None) as batch_op:
        batch_op.drop_constraint("fk_calendar_entry_outbox_id_outbox_message", type_="foreignkey")
        batch_op.drop_column("outbox_id")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("method")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rsvp", sa.Enum("yes", "no", "maybe", name="rsvp", native_enum=False, length=10), nullable=True))
        batch_op.add_column(sa.Column("rsvp_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("rsvp_at")
        batch_op.drop_column("rsvp")
    with op.batch_alter_table("calendar_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("method", sa.String(length=10), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_calendar_entry_outbox_id_outbox_message", "outbox_message", ["outbox_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_event_id"))
    op.drop_table("invitation")
