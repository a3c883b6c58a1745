"""The ledger and the order book as they were before migrations.

A ledger made by an earlier version (its tables made at start, no ``alembic_version``)
is brought here as those versions did: the tables it lacks are made, the column added
since (``documents.evidence``) is added, and its rows are kept. A new one gets them all.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

log = logging.getLogger("robots.schema")

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("documents"):
        op.create_table(
            "documents",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("doc_id", sa.String(length=255), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("path", sa.Text(), nullable=False),
            sa.Column("size", sa.Integer(), nullable=False),
            sa.Column("source", sa.Text(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("supersedes", sa.String(length=64), nullable=True),
            sa.Column("evidence", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("sha256"),
        )
        op.create_index(op.f("ix_documents_doc_id"), "documents", ["doc_id"], unique=False)
    elif "evidence" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}:
        op.add_column("documents", sa.Column("evidence", sa.Text(), nullable=True))
        log.info("ledger: added the documents.evidence column (older rows have none)")
    if _missing("folders"):
        op.create_table(
            "folders",
            sa.Column("mailbox", sa.String(length=255), nullable=False),
            sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
            sa.Column("last_uid", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("mailbox", "uidvalidity"),
        )
    if _missing("messages"):
        op.create_table(
            "messages",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("mailbox", sa.String(length=255), nullable=False),
            sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
            sa.Column("uid", sa.BigInteger(), nullable=False),
            sa.Column("message_id", sa.String(length=998), nullable=True),
            sa.Column("sender", sa.String(length=320), nullable=True),
            sa.Column("subject", sa.Text(), nullable=True),
            sa.Column("outcome", sa.String(length=16), nullable=False),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.Column("target_folder", sa.String(length=255), nullable=True),
            sa.Column("moved", sa.Boolean(), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("mailbox", "uidvalidity", "uid"),
        )
    if _missing("review_items"):
        op.create_table(
            "review_items",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("mailbox", sa.String(length=255), nullable=False),
            sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
            sa.Column("uid", sa.BigInteger(), nullable=False),
            sa.Column("source", sa.Text(), nullable=False),
            sa.Column("origin", sa.Text(), nullable=False),
            sa.Column("name", sa.Text(), nullable=True),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("path", sa.Text(), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("size", sa.Integer(), nullable=False),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("resolved_by", sa.String(length=255), nullable=True),
            sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("resolution", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(op.f("ix_review_items_state"), "review_items", ["state"], unique=False)
    if _missing("state"):
        op.create_table(
            "state",
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    if _missing("cycle_items"):
        op.create_table(
            "cycle_items",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("period", sa.String(length=7), nullable=False),
            sa.Column("cabinet", sa.String(length=64), nullable=False),
            sa.Column("operator", sa.String(length=16), nullable=False),
            sa.Column("account", sa.String(length=64), nullable=False),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("format", sa.String(length=8), nullable=True),
            sa.Column("via", sa.String(length=16), nullable=True),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("available_from", sa.Date(), nullable=False),
            sa.Column("deadline_s", sa.Integer(), nullable=False),
            sa.Column("orders", sa.Integer(), nullable=False),
            sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.Column("evidence", sa.Text(), nullable=True),
            sa.Column("delivered", sa.Text(), nullable=True),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("period", "cabinet", "account", "kind"),
        )
        op.create_index(op.f("ix_cycle_items_period"), "cycle_items", ["period"], unique=False)


def downgrade() -> None:
    for table in ("cycle_items", "state", "review_items", "messages", "folders", "documents"):
        op.drop_table(table)
