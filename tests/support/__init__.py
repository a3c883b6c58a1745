"""Helpers shared by test packages (importable because pytest puts ``tests/`` on the path)."""
