"""Report themes, redacted points, withdrawn versions and the archive's bigram index.

Revision ID: b7d2e41c9a05
Revises: a1d9c3e5f702
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e41c9a05"
down_revision = "a1d9c3e5f702"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("opinion", "idea", name="themekind", native_enum=False, length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("highlight", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_theme_report_id_report"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["cafe_round.id"], name=op.f("fk_report_theme_round_id_cafe_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_theme")),
    )
    with op.batch_alter_table("report_theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_theme_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_report_theme_round_id"), ["round_id"], unique=False)

    op.create_table(
        "report_search_gram",
        sa.Column("gram", sa.String(length=2), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_search_gram_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("gram", "report_id", name=op.f("pk_report_search_gram")),
    )
    with op.batch_alter_table("report_search_gram", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_search_gram_report_id"), ["report_id"], unique=False)

    with op.batch_alter_table("report_point", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redacted", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("theme_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_report_point_theme_id"), ["theme_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_report_point_theme_id_report_theme"), "report_theme", ["theme_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_report_version_withdrawn_by_id_organizer"),
            "organizer",
            ["withdrawn_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_report_version_withdrawn_by_id_organizer"), type_="foreignkey")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("fingerprint")
    with op.batch_alter_table("report_point", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_report_point_theme_id_report_theme"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_report_point_theme_id"))
        batch_op.drop_column("theme_id")
        batch_op.drop_column("redacted")
    with op.batch_alter_table("report_search_gram", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_search_gram_report_id"))
    op.drop_table("report_search_gram")
    with op.batch_alter_table("report_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_theme_round_id"))
        batch_op.drop_index(batch_op.f("ix_report_theme_report_id"))
    op.drop_table("report_theme")
