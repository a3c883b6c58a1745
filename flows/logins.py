"""One browser session per cabinet login at a time, across every flow run.

A cabinet that sees its login open a second session may end the first (the manuals are
silent; a bank-like cabinet does). The monthly cycle, a manual ``run`` and the canary may
overlap, so each session holds a Prefect global concurrency limit of 1 named after its
login: the limit lives on the Prefect server, so it holds across processes and machines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency

from config.models import CabinetSettings


def login_limit(cabinet: CabinetSettings) -> str:
    """The concurrency limit's name for ``cabinet``'s login (no secret, no special chars)."""
    identity = f"{cabinet.operator}|{cabinet.url}|{cabinet.login}"
    return "cabinet-login-" + hashlib.sha256(identity.encode()).hexdigest()[:16]


def ensure_login_limits(cabinets: Iterable[CabinetSettings]) -> None:
    """Create (or reset to 1) the limit of every login, before any session asks for it."""
    with get_client(sync_client=True) as client:
        for name in dict.fromkeys(login_limit(cabinet) for cabinet in cabinets):
            client.upsert_global_concurrency_limit_by_name(name, 1)


@contextmanager
def login_slot(cabinet: CabinetSettings) -> Iterator[None]:
    """Wait until no other session of ``cabinet``'s login is open, and hold it meanwhile."""
    with concurrency(login_limit(cabinet), occupy=1, strict=False):
        yield
