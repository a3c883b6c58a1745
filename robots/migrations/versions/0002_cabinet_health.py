"""Each cabinet's health per run and screen (``robots.health``).

Revision ID: 0002_cabinet_health
Revises: 0001_baseline
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_cabinet_health"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cabinet_health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("cabinet", sa.String(length=64), nullable=False),
        sa.Column("screen", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_cabinet_health_cabinet"), "cabinet_health", ["cabinet"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cabinet_health_cabinet"), table_name="cabinet_health")
    op.drop_table("cabinet_health")
