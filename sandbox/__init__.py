"""The simulated world: cabinets, the mail server harness, operator documents."""
