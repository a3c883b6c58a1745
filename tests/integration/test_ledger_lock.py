"""The collector's lock across machines: the Postgres ledger's advisory lock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from robots.errors import TransientError
from robots.mail.recovery import exclusive


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_machines_sharing_a_postgres_ledger_collect_one_at_a_time(
    tmp_path: Path, database_url: str
) -> None:
    """Two state folders (two machines) on one ledger: the second gives up, or waits."""
    url = database_url
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    with (
        exclusive(one / "collect.lock", url),
        pytest.raises(TransientError, match="running on another machine"),
        exclusive(two / "collect.lock", url),
    ):
        pass
    finished: list[str] = []
    with exclusive(one / "collect.lock", url):
        waiter = threading.Thread(target=_collect_after_waiting, args=(two, url, finished))
        waiter.start()
        waiter.join(timeout=1.0)
        assert waiter.is_alive() and not finished  # held by the first machine
        finished.append("first")
    waiter.join(timeout=30)
    assert finished == ["first", "second"]


def _collect_after_waiting(state: Path, url: str, finished: list[str]) -> None:
    with exclusive(state / "collect.lock", url, wait=True):
        finished.append("second")
