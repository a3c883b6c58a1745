"""A sandbox per test (cabinets in this process, the worker's Dovecot) and a driver for it.

The sandbox calendar is on the 15th of the current month unless a test moves it, and
the back office answers in a fraction of a second. Options for one test:
``@pytest.mark.parametrize("sandbox_options", [{...}], indirect=True)``. The cabinets
serve the markup of their era unless ``pytest --cabinet-markup=semantic`` (or a test's
``markup`` option) says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.cabinets.base import Timings
from sandbox.mailserver import MailServer
from sandbox.stack import Sandbox
from support.driving import Driver

TODAY = dt.date.today().replace(day=15)


@pytest.fixture
def sandbox_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dict(getattr(request, "param", {}))


@pytest.fixture
def sandbox(
    mail_server: MailServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sandbox_options: dict[str, Any],
    pytestconfig: pytest.Config,
) -> Iterator[Sandbox]:
    """A running sandbox whose passwords are in this test's environment."""
    markup = pytestconfig.getoption("--cabinet-markup")
    options = {"today": TODAY, "timings": Timings.uniform(0.2), "markup": markup}
    options |= sandbox_options
    with Sandbox(tmp_path / "sandbox", mail_server=mail_server, **options) as running:
        for key, value in running.env.items():
            monkeypatch.setenv(key, value)
        yield running


@pytest.fixture
def driver(sandbox: Sandbox) -> Driver:
    return Driver(sandbox)
