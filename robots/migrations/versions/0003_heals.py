"""The controls healed when a document was last ordered or downloaded (``robots.heals``).

Revision ID: 0003_heals
Revises: 0002_cabinet_health
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_heals"
down_revision = "0002_cabinet_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cycle_items") as table:
        table.add_column(sa.Column("heals", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cycle_items") as table:
        table.drop_column("heals")
