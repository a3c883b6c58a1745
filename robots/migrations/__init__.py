"""The ledger database's schema history (Alembic): one history for the ledger's tables and
the cycle's order book, on SQLite and Postgres alike. ``robots.schema`` runs it."""
