"""``collect_mail``: the collector as a flow, its summary as the run's artifact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from config.loader import load_config
from robots.errors import CollectionRunning
from robots.mail.collector import Collector


@flow(name="collect-mail", flow_run_name="collect mail")
def collect_mail(config_path: str | None = None) -> dict[str, Any]:
    """Collect the operators' mail into Tarifer's inbox once; the summary as a dict.

    Another collection holding the lock is not a failure: it is doing this work.
    """
    settings = load_config(Path(config_path) if config_path else None)
    try:
        summary = Collector(settings).run()
    except CollectionRunning as exc:
        get_run_logger().info("%s: leaving the mail to it", exc)
        return {"skipped": str(exc)}
    counts = summary.as_json()
    create_markdown_artifact(
        "| " + " | ".join(counts) + " |\n|" + "---|" * len(counts) + "\n| "
        + " | ".join(str(v) for v in counts.values()) + " |\n",
        key="collect-mail",
        description="What the last collection found",
    )  # fmt: skip
    return counts
