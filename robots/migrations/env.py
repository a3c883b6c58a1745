"""Alembic's environment: migrations run on the connection ``robots.schema`` gives."""

from __future__ import annotations

from alembic import context

from robots.cycle.book import _Base as BookBase
from robots.ledger import _Base as LedgerBase

# Both tables' models, for `alembic revision --autogenerate` (see robots/schema.py).
target_metadata = [LedgerBase.metadata, BookBase.metadata]

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite alters a table by copying it: Alembic's batch mode
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
