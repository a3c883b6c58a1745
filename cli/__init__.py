"""The cabinet-robot command line."""
