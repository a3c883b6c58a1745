"""Prefect flows: when and in what order. Thin: they only call the robots."""
