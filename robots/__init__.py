"""The robot: domain models, errors, the mail collector, recognition, the ledger, delivery."""
