"""``purge_files``: the retention of ``[privacy]`` as a flow; what it removed, as an artifact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.artifacts import create_markdown_artifact

from config.loader import load_config
from robots.retention import purge


@flow(name="purge-files", flow_run_name="purge files")
def purge_files(config_path: str | None = None) -> dict[str, Any]:
    """Remove what ``[privacy]`` keeps no longer; what went, place by place, as a dict."""
    settings = load_config(Path(config_path) if config_path else None)
    report = purge(settings)  # its lines, one per place, are the run's logs too
    lines = [
        "| place | removed files | bytes | folders | kept | oldest kept |",
        "|---|---|---|---|---|---|",
    ]
    for sweep in report.sweeps:
        if sweep.skipped:
            lines.append(f"| {sweep.place} | skipped: {sweep.skipped} | | | | |")
            continue
        oldest = f"{sweep.oldest_kept:%Y-%m-%d}" if sweep.oldest_kept else ""
        lines.append(
            f"| {sweep.place} | {sweep.files} | {sweep.bytes} | {len(sweep.folders)} "
            f"| {sweep.kept} | {oldest} |"
        )
    create_markdown_artifact(
        "\n".join(lines) + "\n", key="purge-files", description="What the last purge removed"
    )
    return report.as_json()
