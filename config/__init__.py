"""Configuration: pydantic models of cabinet-robot.toml and the loader."""
