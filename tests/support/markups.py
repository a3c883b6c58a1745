"""The markups a test that must hold on both runs with (``sandbox_options``)."""

from __future__ import annotations

import pytest

# The cabinets' own era (legacy or single-page), and the accessible markup.
BOTH_MARKUPS = [
    pytest.param({}, id="realistic"),
    pytest.param({"markup": "semantic"}, id="semantic"),
]
