"""Recorded cabinet scenarios for QA: one robot operation kept as a scrubbed HAR and
trace (``record``), replayed offline against today's page objects (``replay``)."""
