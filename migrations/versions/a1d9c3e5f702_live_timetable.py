"""live timetable (rounds' live times replace the manual round), the clock's log, plan versions, structured plan history, public meeting link choice

Revision ID: a1d9c3e5f702
Revises: da8b38309ae3
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d9c3e5f702'
down_revision = 'da8b38309ae3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_url_public', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('meeting_url_public', server_default=None)

    with op.batch_alter_table('cafe_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('live_starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('live_ends_at', sa.DateTime(timezone=True), nullable=True))

    # Revisions: personal pages fingerprint rounds, items and rooms by (count, sum of revisions).
    for table in ('cafe_round', 'programme_item', 'room'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='1'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('revision', server_default=None)

    # A round started by hand becomes that round's live times (it ran for its planned length).
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT live_state.round_id, live_state.started_at, cafe_round.starts_at, cafe_round.ends_at "
        "FROM live_state JOIN cafe_round ON cafe_round.id = live_state.round_id "
        "WHERE live_state.started_at IS NOT NULL"
    )).fetchall()
    for round_id, started_at, starts_at, ends_at in rows:
        if isinstance(started_at, str):  # SQLite hands back text
            from datetime import datetime
            started_at, starts_at, ends_at = (datetime.fromisoformat(v) for v in (started_at, starts_at, ends_at))
        connection.execute(
            sa.text("UPDATE cafe_round SET live_starts_at = :s, live_ends_at = :e WHERE id = :id"),
            {"s": started_at, "e": started_at + (ends_at - starts_at), "id": round_id},
        )

    with op.batch_alter_table('live_state', schema=None) as batch_op:
        batch_op.drop_constraint('fk_live_state_round_id_cafe_round', type_='foreignkey')
        batch_op.drop_column('round_id')
        batch_op.drop_column('started_at')

    op.create_table('clock_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('start', 'extend', 'shorten', 'end', 'postpone', 'advance', name='clockaction', native_enum=False, length=20), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_clock_entry_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organizer_id'], ['organizer.id'], name=op.f('fk_clock_entry_organizer_id_organizer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['cafe_round.id'], name=op.f('fk_clock_entry_round_id_cafe_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clock_entry'))
    )
    with op.batch_alter_table('clock_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clock_entry_event_id'), ['event_id'], unique=False)

    # The plan's history: structured values instead of English developer text (old lines keep their action).
    with op.batch_alter_table('cafe_plan_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('organizer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cafe_plan_change_organizer_id_organizer'), 'organizer', ['organizer_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE cafe_plan_change SET data = '{}'")
    with op.batch_alter_table('cafe_plan_change', schema=None) as batch_op:
        batch_op.alter_column('data', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('detail')

    op.create_table('cafe_plan_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('rounds', sa.JSON(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('seats', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['programme_item.id'], name=op.f('fk_cafe_plan_version_item_id_programme_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organizer_id'], ['organizer.id'], name=op.f('fk_cafe_plan_version_organizer_id_organizer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['organizer.id'], name=op.f('fk_cafe_plan_version_undone_by_id_organizer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafe_plan_version')),
    sa.UniqueConstraint('item_id', 'number', name=op.f('uq_cafe_plan_version_item_id_number'))
    )
    with op.batch_alter_table('cafe_plan_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cafe_plan_version_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cafe_plan_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cafe_plan_version_item_id'))
    op.drop_table('cafe_plan_version')
    with op.batch_alter_table('cafe_plan_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))
    op.execute("UPDATE cafe_plan_change SET detail = ''")
    with op.batch_alter_table('cafe_plan_change', schema=None) as batch_op:
        batch_op.alter_column('detail', existing_type=sa.Text(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_cafe_plan_change_organizer_id_organizer'), type_='foreignkey')
        batch_op.drop_column('organizer_id')
        batch_op.drop_column('data')

    with op.batch_alter_table('clock_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clock_entry_event_id'))
    op.drop_table('clock_entry')

    with op.batch_alter_table('live_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_live_state_round_id_cafe_round', 'cafe_round', ['round_id'], ['id'], ondelete='SET NULL')

    for table in ('room', 'programme_item', 'cafe_round'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('revision')

    with op.batch_alter_table('cafe_round', schema=None) as batch_op:
        batch_op.drop_column('live_ends_at')
        batch_op.drop_column('live_starts_at')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('meeting_url_public')
