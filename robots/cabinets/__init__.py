"""The cabinet robots, one per operator, behind one capability (``CabinetRobot``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser

from config.models import CabinetSettings, RobotConfig
from robots.browser import SessionOptions, open_browser
from robots.cabinets.a1 import A1Robot
from robots.cabinets.base import CabinetRobot, DeliverySetting, OrderRequest
from robots.cabinets.kcell import KcellRobot
from robots.cabinets.mts import MtsRobot
from robots.cabinets.sip import SipRobot
from robots.domain import Operator
from robots.errors import ConfigurationError

__all__ = [
    "CabinetRobot",
    "DeliverySetting",
    "OrderRequest",
    "find_cabinet",
    "open_robot",
    "robot_class_for",
]

ROBOTS: dict[Operator, type[CabinetRobot]] = {
    Operator.SIP: SipRobot,
    Operator.MTS: MtsRobot,
    Operator.KCELL: KcellRobot,
    Operator.A1: A1Robot,
}


def find_cabinet(config: RobotConfig, name: str) -> CabinetSettings:
    """The configured cabinet called ``name``; ConfigurationError naming the choices."""
    for cabinet in config.cabinets:
        if cabinet.name == name:
            return cabinet
    known = ", ".join(c.name for c in config.cabinets) or "none"
    raise ConfigurationError(f"no cabinet named {name!r} in the configuration (cabinets: {known})")


def robot_class_for(cabinet: CabinetSettings) -> type[CabinetRobot]:
    """The robot class of ``cabinet``'s operator; ConfigurationError if it has none."""
    robot_class = ROBOTS.get(cabinet.operator)
    if robot_class is None:
        raise ConfigurationError(f"cabinet {cabinet.name!r}: no robot for {cabinet.operator} yet")
    return robot_class


@contextmanager
def open_robot(
    config: RobotConfig,
    cabinet: CabinetSettings,
    options: SessionOptions | None = None,
    browser: Browser | None = None,
) -> Iterator[CabinetRobot]:
    """A robot for ``cabinet`` in a browser of its own (or a new context of ``browser``);
    closed on leaving. ``options``: see ``SessionOptions`` (the canary, recordings)."""
    if not cabinet.has_login:
        raise ConfigurationError(
            f"cabinet {cabinet.name!r} has no url, login and password_env: "
            "the robot only collects its mail"
        )
    robot_class = robot_class_for(cabinet)
    with open_browser(config, cabinet, options, browser) as session:
        robot = robot_class(config, cabinet, session)
        robot.password()  # a missing secret fails before the cabinet is touched
        yield robot
