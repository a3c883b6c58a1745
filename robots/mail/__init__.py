"""Mail collection: IMAP intake, extraction, delivery to Tarifer, the ledger."""
