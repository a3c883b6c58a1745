"""What a browser session leaves on disk: scrubbed, owner-only, nothing raw kept.

A trace as Playwright writes it holds what the pages held: the session cookie in every
request, CSRF tokens in the forms, a password a page echoed back. Such raw files are only
ever written in a session's private folder, ``<state>/evidence/.raw/<pid>-<random>/``
(0700), removed when the session ends however it ends. A process killed outright
(SIGKILL, a power cut) cannot remove its folder: the next session removes every folder
whose pid is no running process. What stays (``trace.zip``, screenshots) is written
scrubbed by the scenario recorder's ``Scrubber`` (the same placeholders), mode 0600, in
folders 0700.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tenacity import Retrying, retry_if_result, stop_after_delay, wait_fixed

from robots.permissions import private_dirs, write_private
from robots.scenarios.har import scrub_har
from robots.scenarios.scrub import TOKEN_NAME, Scrubber

RAW_FOLDERS = Path("evidence") / ".raw"  # under the state folder
__all__ = ["private_dirs", "raw_folder", "remove_abandoned", "scrub_trace", "write_private"]


@contextlib.contextmanager
def raw_folder(state_dir: Path) -> Iterator[Path]:
    """A private folder for this session's unscrubbed files, removed on leaving
    (an exception, Ctrl-C, SystemExit alike); abandoned ones are removed first."""
    root = state_dir / RAW_FOLDERS
    private_dirs(root)
    root.parent.chmod(0o700)  # the evidence folder, also when an older version made it
    remove_abandoned(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))  # 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(root: Path) -> list[Path]:
    """Remove the raw folders under ``root`` whose process no longer runs."""
    removed = []
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)) and _removed(folder):
            removed.append(folder)
    return removed


def _removed(folder: Path) -> bool:
    """Remove ``folder``; again while it is still there: a killed session's browser may
    go on flushing its trace into it for a moment after its process is gone."""
    still_there = Retrying(
        retry=retry_if_result(bool),
        stop=stop_after_delay(5),
        wait=wait_fixed(0.2),
        retry_error_callback=lambda state: True,
    )
    return not still_there(_remove_tree, folder)


def _remove_tree(folder: Path) -> bool:
    """Whether ``folder`` is still there after removing what is in it."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder.exists()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def scrub_trace(
    raw: Path,
    target: Path,
    secrets: Iterable[str],
    cookies: Iterable[str],
    masked_numbers: Iterable[str] | None = None,
    pages: Mapping[Path, str] | None = None,
) -> Path:
    """Write the Playwright trace ``raw`` to ``target`` (0600) with every secret, cookie
    value and token replaced by the recorder's placeholders, and, given
    ``masked_numbers`` (``[privacy] mask_numbers``), subscribers' numbers (those and any
    written with a country code) and the names the pages list masked as people see them.
    ``pages``: the HTML of the session's last page, each written (0600) to its path
    scrubbed alike.

    The trace's network log is a HAR's entries (one per line): the recorder's HAR scrubbing
    learns the cookies and tokens of every request and answer there; the tokens of the
    pages (hidden inputs, JSON keys) are learnt from the stored bodies; then every text
    member is scrubbed. E-mail addresses stay: evidence is read here, by the operator,
    and a refused address must be seen.
    """
    masking = masked_numbers is not None
    scrubber = Scrubber(secrets, masked_numbers or (), contacts=False, mask_people=masking)
    for value in cookies:
        scrubber.learn_cookie(value)
    with zipfile.ZipFile(raw) as trace:
        members = {item.filename: trace.read(item) for item in trace.infolist()}
    texts: dict[str, str] = {}
    for name, data in members.items():
        with contextlib.suppress(UnicodeDecodeError):  # pictures and fonts stay as they are
            texts[name] = data.decode("utf-8")
    networks = {name: _network_lines(text) for name, text in texts.items() if _is_network(name)}
    har = {"log": {"entries": [e for lines in networks.values() for e in _entries(lines)]}}
    pages = pages or {}
    for text in [*(t for name, t in texts.items() if name not in networks), *pages.values()]:
        _learn_page(scrubber, text)
    scrub_har(har, scrubber)  # learns first, then scrubs the entries in place
    for name, lines in networks.items():
        texts[name] = "".join(scrubber.text(json.dumps(line, ensure_ascii=False)) + "\n"
                              for line in lines)  # fmt: skip
    scrubbed = io.BytesIO()
    with zipfile.ZipFile(scrubbed, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            member = texts.get(name)
            if member is not None and name not in networks:
                member = scrubber.text(member)
            out.writestr(name, data if member is None else member.encode("utf-8"))
    for path, html in pages.items():
        write_private(path, scrubber.text(html).encode("utf-8"))
    return write_private(target, scrubbed.getvalue())


def _is_network(name: str) -> bool:
    return name.endswith(".network")


def _network_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _entries(lines: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for line in lines:
        entry = line.get("snapshot")
        if line.get("type") == "resource-snapshot" and isinstance(entry, dict):
            entry.setdefault("request", {})
            entry.setdefault("response", {})
            yield entry


def _learn_page(scrubber: Scrubber, text: str) -> None:
    """Tokens and subscribers' names of a stored page (HTML, JSON) or of the trace's DOM
    snapshots (JSON lines)."""
    scrubber.learn_tokens_in_html(text)
    scrubber.learn_names(text)
    for line in text.splitlines() or [text]:
        with contextlib.suppress(ValueError):  # not JSON
            value = json.loads(line)
            scrubber.learn_tokens_in_json(value)
            _learn_snapshot_tokens(scrubber, value)


def _learn_snapshot_tokens(scrubber: Scrubber, value: object) -> None:
    """A snapshot keeps an element's attributes as a dict: ``{"name": "csrf_token",
    "value": "..."}`` is a hidden input holding a token."""
    if isinstance(value, dict):
        named = f"{value.get('name', '')} {value.get('id', '')}"
        if TOKEN_NAME.search(named):
            for key in ("value", "content"):
                if isinstance(value.get(key), str):
                    scrubber.learn_token(value[key])
        for item in value.values():
            _learn_snapshot_tokens(scrubber, item)
    elif isinstance(value, list):
        for item in value:
            _learn_snapshot_tokens(scrubber, item)
