"""Faults a cabinet can be told to show: random 500 pages, slow responses, sessions
that expire, the cabinet's own maintenance page.

A fault spec is one string, the same on the command line, in Python and in
``POST /_sandbox/faults``::

    error_rate=0.1,latency_ms=300,session_ttl_s=60,maintenance=sip,seed=7

``hold_files=true`` keeps every file answer (``Content-Disposition: attachment``) waiting
until the faults are set again: a test can stop a session while it is inside a download.

``maintenance`` names cabinets (``sip``, ``sip+mts``, or ``all``). The random 500s
come from a generator seeded by ``seed`` (0 by default) and reset whenever the spec
is set, so the same spec and the same sequence of requests fail the same way.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, fields

import anyio

__all__ = ["FaultInjector", "FaultSpec"]


@dataclass(frozen=True)
class FaultSpec:
    """Parsed faults; the default is a healthy cabinet."""

    error_rate: float = 0.0  # probability that a page answers 500
    latency_ms: int = 0  # delay added to every response
    session_ttl_s: float | None = None  # sessions older than this are gone
    maintenance: frozenset[str] = frozenset()  # cabinets showing their maintenance page
    seed: int = 0
    hold_files: bool = False  # file answers wait until the faults change

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Parse ``key=value,...``; an empty string (or ``none``) is no faults.

        Raises:
            ValueError: an unknown key, a repeated key or a bad value, named.
        """
        values: dict[str, object] = {}
        text = text.strip()
        if text in ("", "none"):
            return cls()
        known = {f.name for f in fields(cls)}
        for item in text.split(","):
            key, sep, raw = (part.strip() for part in item.partition("="))
            if not sep or not key:
                raise ValueError(f"fault {item.strip()!r} must be key=value")
            if key not in known:
                raise ValueError(f"unknown fault {key!r}: use {', '.join(sorted(known))}")
            if key in values:
                raise ValueError(f"fault {key!r} given twice")
            values[key] = _value(key, raw)
        return cls(**values)  # type: ignore[arg-type]

    def __str__(self) -> str:
        parts = []
        if self.error_rate:
            parts.append(f"error_rate={self.error_rate:g}")
        if self.latency_ms:
            parts.append(f"latency_ms={self.latency_ms}")
        if self.session_ttl_s is not None:
            parts.append(f"session_ttl_s={self.session_ttl_s:g}")
        if self.maintenance:
            parts.append(f"maintenance={'+'.join(sorted(self.maintenance))}")
        if self.seed:
            parts.append(f"seed={self.seed}")
        if self.hold_files:
            parts.append("hold_files=true")
        return ",".join(parts)


def _value(key: str, raw: str) -> object:
    try:
        if key == "error_rate":
            rate = float(raw)
            if not 0.0 <= rate <= 1.0:
                raise ValueError
            return rate
        if key == "latency_ms":
            latency = int(raw)
            if latency < 0:
                raise ValueError
            return latency
        if key == "session_ttl_s":
            ttl = float(raw)
            if not ttl > 0:
                raise ValueError
            return ttl
        if key == "seed":
            return int(raw)
        if key == "hold_files":
            if raw not in ("true", "false"):
                raise ValueError
            return raw == "true"
    except ValueError:
        raise ValueError(f"bad value for fault {key}: {raw!r}") from None
    names = frozenset(name.strip() for name in raw.split("+") if name.strip())
    if not names:
        raise ValueError("maintenance needs a cabinet name (or 'all')")
    return names


class FaultInjector:
    """The faults one cabinet shows now; thread-safe and changeable at runtime.

    Args:
        cabinet: the cabinet's name (what ``maintenance=`` refers to).
        spec: the initial faults.
    """

    def __init__(self, cabinet: str, spec: FaultSpec | str = "") -> None:
        self.cabinet = cabinet
        self._lock = threading.Lock()
        self._spec = FaultSpec()
        self._rng = random.Random(0)
        self.held = 0  # file answers waiting now (hold_files)
        self.set(spec)

    def set(self, spec: FaultSpec | str) -> FaultSpec:
        """Replace the faults (a spec string is parsed); the generator restarts at the seed.

        Raises:
            ValueError: the spec string is malformed.
        """
        parsed = FaultSpec.parse(spec) if isinstance(spec, str) else spec
        with self._lock:
            self._spec = parsed
            self._rng = random.Random(parsed.seed)
        return parsed

    @property
    def spec(self) -> FaultSpec:
        with self._lock:
            return self._spec

    @property
    def in_maintenance(self) -> bool:
        names = self.spec.maintenance
        return self.cabinet in names or "all" in names

    @property
    def latency_s(self) -> float:
        return self.spec.latency_ms / 1000

    @property
    def session_ttl_s(self) -> float | None:
        return self.spec.session_ttl_s

    def draw_error(self) -> bool:
        """Whether this request fails; draws from the seeded generator only when it can."""
        with self._lock:
            rate = self._spec.error_rate
            return rate > 0 and self._rng.random() < rate

    async def hold_file(self) -> None:
        """Keep a file answer waiting while ``hold_files`` is set (polled: the faults are
        changed from another thread, and a test needs no promptness finer than this)."""
        with self._lock:
            self.held += 1
        try:
            while self.spec.hold_files:
                await anyio.sleep(0.05)
        finally:
            with self._lock:
                self.held -= 1
