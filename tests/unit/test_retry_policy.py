"""Each error class says once who retries it: the robot's attempt (seconds apart) or the
flow's next session (minutes apart), never both."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from robots.cabinets.base import ATTEMPTS, CabinetRobot
from robots.errors import (
    CabinetMaintenance,
    CabinetServerError,
    CabinetUnavailable,
    OrderUnconfirmed,
    Retry,
    RobotError,
    UnexpectedScreen,
    retry_of,
)


def _raising(error: RobotError) -> tuple[list[int], object]:
    calls: list[int] = []

    def operation() -> None:
        calls.append(1)
        raise error

    return calls, operation


@pytest.mark.parametrize(
    ("error", "retried", "tries"),
    [
        (CabinetUnavailable("net::ERR_CONNECTION_REFUSED"), Retry.LATER_SESSION, 1),
        (CabinetMaintenance("Технические работы"), Retry.NEVER, 1),
        (UnexpectedScreen("no control «Далее»"), Retry.NEVER, 1),
        (OrderUnconfirmed("neither"), Retry.NEVER, 1),
    ],
)
def test_the_attempt_retries_only_what_its_class_gives_it(
    error: RobotError, retried: Retry, tries: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tenacity.nap.time.sleep", lambda _: None)  # the wait, not the rule
    assert retry_of(error) is retried
    calls, operation = _raising(error)
    robot = SimpleNamespace(named=lambda account=None: "sip", session=SimpleNamespace(page=None))
    with pytest.raises(type(error)):
        CabinetRobot._attempt(robot, operation)  # type: ignore[arg-type]
    assert len(calls) == tries


def test_error_pages_outlasting_the_attempt_leave_the_cabinet_to_a_later_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tenacity.nap.time.sleep", lambda _: None)
    error = CabinetServerError("Внутренняя ошибка")
    assert retry_of(error) is Retry.IN_ATTEMPT
    calls, operation = _raising(error)
    robot = SimpleNamespace(named=lambda account=None: "sip", session=SimpleNamespace(page=None))
    with pytest.raises(CabinetUnavailable) as raised:
        CabinetRobot._attempt(robot, operation)  # type: ignore[arg-type]
    assert len(calls) == ATTEMPTS
    assert not isinstance(raised.value, CabinetServerError)
    assert retry_of(raised.value) is Retry.LATER_SESSION
    assert "Внутренняя ошибка" in str(raised.value)


def test_a_library_error_is_nobodys_to_retry() -> None:
    assert retry_of(ValueError("x")) is Retry.NEVER
