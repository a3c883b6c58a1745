"""Documents sent as download links (MTS sends large call details that way).

Only links to the cabinet's own hosts are fetched (never whatever a message points
at), redirects only within those hosts, with a time and a size limit. What a link
brings is a file of the message like an attachment: an archive is opened with the
same limits (``robots.mail.archive.files_in``).
"""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlsplit

import httpx

from config.models import LimitsSettings
from robots.errors import TransientError
from robots.mail.files import FoundFile, Refusal

_MAX_REDIRECTS = 5


class LinkUnavailable(TransientError):
    """The link's server did not answer or answered 5xx: try the message again later."""


def host_allowed(url: str, hosts: tuple[str, ...]) -> bool:
    """The URL is http(s) on one of ``hosts`` or a subdomain of one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in hosts)


def fetch_link(
    url: str, hosts: tuple[str, ...], limits: LimitsSettings, client: httpx.Client
) -> FoundFile | Refusal:
    """Download ``url``; a Refusal for a permanent failure, LinkUnavailable for a transient one."""
    origin = f"link {url}"
    max_bytes = int(limits.max_link_mb * 1_000_000)
    deadline = time.monotonic() + limits.link_timeout_s
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        try:
            with client.stream("GET", current, timeout=limits.link_timeout_s) as response:
                if response.is_redirect:
                    target = urljoin(current, response.headers.get("location", ""))
                    if not host_allowed(target, hosts):
                        return Refusal(
                            origin,
                            f"redirects outside the operator's hosts: {target}",
                            unsafe=False,
                        )
                    current = target
                    continue
                if response.status_code >= 500:
                    raise LinkUnavailable(f"{origin}: HTTP {response.status_code}")
                if response.status_code >= 400:
                    return Refusal(
                        origin,
                        f"HTTP {response.status_code}: the link is expired or wrong",
                        unsafe=False,
                    )
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    return Refusal(
                        origin, f"{declared} bytes, over the {limits.max_link_mb:g} MB limit"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        return Refusal(origin, f"over the {limits.max_link_mb:g} MB limit")
                    if time.monotonic() > deadline:
                        raise LinkUnavailable(f"{origin}: slower than {limits.link_timeout_s:g} s")
                name = urlsplit(current).path.rsplit("/", 1)[-1] or None
                return FoundFile(name=name, data=bytes(body), origin=origin)
        except httpx.TimeoutException:
            raise LinkUnavailable(f"{origin}: timed out") from None
        except httpx.TransportError as exc:
            raise LinkUnavailable(f"{origin}: {exc}") from None
    return Refusal(origin, f"more than {_MAX_REDIRECTS} redirects", unsafe=False)
