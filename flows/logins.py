"""One browser session per cabinet login at a time, across every flow run.

A cabinet that sees its login open a second session may end the first (the manuals are
silent; a bank-like cabinet does). The monthly cycle, a manual ``run`` and the canary may
overlap, so each session holds a Prefect global concurrency limit of 1 named after its
login, created by the session that first needs it: the limit lives on the Prefect server,
so it holds across processes and machines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists

from config.models import CabinetSettings


def login_limit(cabinet: CabinetSettings) -> str:
    """The concurrency limit's name for ``cabinet``'s login (no secret, no special chars)."""
    identity = f"{cabinet.operator}|{cabinet.url}|{cabinet.login}"
    return "cabinet-login-" + hashlib.sha256(identity.encode()).hexdigest()[:16]


def _ensure_limit(name: str) -> None:
    """Create the limit (or set it back to 1) before a session asks for a slot."""
    # Prefect's upsert reads, then creates: another run may create it in between (the
    # same limit of 1), which is no error here.
    with get_client(sync_client=True) as client, suppress(ObjectAlreadyExists):
        client.upsert_global_concurrency_limit_by_name(name, 1)


@contextmanager
def login_slot(cabinet: CabinetSettings) -> Iterator[None]:
    """Wait until no other session of ``cabinet``'s login is open, and hold it meanwhile."""
    name = login_limit(cabinet)
    _ensure_limit(name)
    with concurrency(name, occupy=1, strict=False):
        yield
