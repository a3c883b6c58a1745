"""Driving the robot against a running sandbox, as an operator would: the CLI in this
process with the sandbox's configuration and passwords, the collector, a robot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from typer.testing import CliRunner, Result

from cli.main import app
from config.loader import load_config
from robots.cabinets import CabinetRobot, find_cabinet, open_robot
from sandbox.stack import Sandbox


@dataclass
class Driver:
    sandbox: Sandbox

    def cli(self, *args: str, **env: str) -> Result:
        """``cabinet-robot ARGS`` with the sandbox's configuration; ``env`` overrides."""
        environment = {
            **self.sandbox.env,
            "CABINET_ROBOT_CONFIG": str(self.sandbox.config_path),
            **env,
        }
        return CliRunner().invoke(app, list(args), env=environment)

    def add_to_cabinet(self, cabinet: str, line: str) -> None:
        """Add the TOML ``line`` (e.g. ``labels = { … }``) to ``cabinet``'s table."""
        text = self.sandbox.config_path.read_text(encoding="utf-8")
        named = f'name = "{cabinet}"\n'
        assert named in text, f"no cabinet {cabinet} in the sandbox's configuration"
        self.sandbox.config_path.write_text(text.replace(named, named + line + "\n"), "utf-8")

    def order(self, cabinet: str, *args: str) -> dict[str, Any]:
        """``cabinet-robot order --json``, which must succeed; its JSON."""
        result = self.cli("order", "--cabinet", cabinet, "--json", *args)
        assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
        payload: dict[str, Any] = json.loads(result.stdout)
        return payload

    def collect(self, timeout_s: float = 30) -> list[dict[str, Any]]:
        """Wait for the cabinets' e-mails, collect, return every manifest line."""
        assert self.sandbox.outbox.wait_idle(timeout=timeout_s), "the outbox did not empty"
        result = self.cli("collect", "--json")
        assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
        inbox = load_config(self.sandbox.config_path).tarifer.inbox
        lines = (inbox / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    @contextmanager
    def robot(self, cabinet: str) -> Iterator[CabinetRobot]:
        """The cabinet's robot in a browser of its own (passwords from the environment)."""
        config = load_config(self.sandbox.config_path)
        with open_robot(config, find_cabinet(config, cabinet)) as robot:
            yield robot
