"""POSTing watchlist hits to a webhook, with retries and a delivery log.

Every delivery is written to the outbox first (`outbox/<id>.json`) and removed
only once the receiver answered 2xx. Each attempt's outcome is appended to
`deliveries.jsonl`. A delivery that still fails after its retries stays in the
outbox and is sent again before the next one: a failed delivery is logged, never
lost.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOG_NAME = "deliveries.jsonl"
OUTBOX = "outbox"
# Answers worth retrying: the receiver is busy or broken (any 5xx), not refusing the payload.
_RETRY_STATUS = {408, 425, 429}


class WebhookError(ValueError):
    """The webhook is not configured correctly (not an http(s) URL)."""


@dataclass
class Delivery:
    """The outcome of one delivery."""

    delivery_id: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None


def check_url(url: str) -> str:
    """`url` if it is an http or https URL with a host; WebhookError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WebhookError(f"webhook URL must be http(s)://host/...: {url!r}")
    return url


def _retryable(status: int) -> bool:
    return status in _RETRY_STATUS or 500 <= status < 600


def _post(url: str, body: bytes, timeout: float) -> int:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s)
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class Webhook:
    """One webhook receiver and the folder holding its outbox and delivery log."""

    def __init__(
        self,
        url: str,
        folder: Path,
        attempts: int = 4,
        backoff_s: float = 1.0,
        timeout_s: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = check_url(url)
        self.folder = folder
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self.sleep = sleep

    @property
    def log_path(self) -> Path:
        """The delivery log (JSON Lines, one line per delivery)."""
        return self.folder / LOG_NAME

    def pending(self) -> list[Path]:
        """Deliveries not yet accepted by the receiver, oldest first."""
        box = self.folder / OUTBOX
        return sorted(box.glob("*.json")) if box.is_dir() else []

    def send(self, delivery_id: str, payload: dict[str, Any]) -> list[Delivery]:
        """Queue `payload` and deliver every pending delivery (older ones first)."""
        box = self.folder / OUTBOX
        box.mkdir(parents=True, exist_ok=True)
        queued = box / f"{delivery_id}.json"
        tmp = queued.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, sort_keys=True, default=str), encoding="utf-8")
        tmp.replace(queued)
        out = []
        for path in self.pending():
            try:
                body = path.read_bytes()
            except FileNotFoundError:  # delivered meanwhile by another report run
                continue
            out.append(self._deliver(path, body))
        return out

    def _deliver(self, path: Path, body: bytes) -> Delivery:
        status: int | None = None
        error: str | None = None
        attempt = 0
        for attempt in range(1, self.attempts + 1):
            try:
                status = _post(self.url, body, self.timeout_s)
                error = None if 200 <= status < 300 else f"HTTP {status}"
            except (OSError, urllib.error.URLError) as problem:
                status, error = None, f"{type(problem).__name__}: {problem}"
            if error is None or (status is not None and not _retryable(status)):
                break
            if attempt < self.attempts:
                self.sleep(self.backoff_s * 2 ** (attempt - 1))
        delivery = Delivery(path.stem, error is None, attempt, status, error)
        self._log(delivery)
        if delivery.delivered:
            path.unlink(missing_ok=True)
        return delivery

    def _log(self, delivery: Delivery) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = {
            "time": datetime.now(UTC).isoformat(),
            # Without the query: a receiver's token often travels there.
            "url": urlsplit(self.url)._replace(query="", fragment="").geturl(),
            "delivery_id": delivery.delivery_id,
            "delivered": delivery.delivered,
            "attempts": delivery.attempts,
            "status": delivery.status,
            "error": delivery.error,
        }
        with self.log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")
