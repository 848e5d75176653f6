"""A small client for the LINE Messaging API push endpoint, and the messages a post becomes.

LINE Notify closed on 31 Mar 2025; groups are reached through a bot's channel access token:
``POST {LINE_API_BASE}/v2/bot/message/push`` with at most five messages per call and an
``X-Line-Retry-Key`` so a retried call is never delivered twice (LINE answers 409 instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests  # the HTTP library (our own package for Section 11 requests is ``inquiries``)

MAX_MESSAGES = 5
MAX_TEXT = 5000  # LINE's limit for one text message
TIMEOUT = (5, 20)  # seconds to connect, to read


@dataclass(frozen=True)
class PushResult:
    """What one call answered: the HTTP status (None when there was no answer), LINE's request id, the error."""

    status_code: int | None
    request_id: str | None
    error: str | None

    @property
    def delivered(self) -> bool:
        """Accepted now (200) or already accepted under the same retry key earlier (409)."""
        return self.status_code in (200, 409)

    @property
    def retryable(self) -> bool:
        """Worth trying again later: no answer, rate limited, or a LINE server error."""
        return self.status_code is None or self.status_code == 429 or self.status_code >= 500


class LineClient:
    """Pushes messages to a LINE group or user with the channel access token."""

    def __init__(self, base_url: str, token: str, session: requests.Session | None = None) -> None:
        if not token:
            raise ValueError("no LINE channel access token configured")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str) -> PushResult:
        """Send up to five messages to ``to`` in one call; never raises for HTTP or network errors."""
        if not 1 <= len(messages) <= MAX_MESSAGES:
            raise ValueError(f"LINE accepts 1 to {MAX_MESSAGES} messages per push, got {len(messages)}")
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": retry_key,
        }
        body = json.dumps({"to": to, "messages": messages}, ensure_ascii=False).encode("utf-8")
        try:
            response = self.session.post(f"{self.base_url}/v2/bot/message/push", data=body,
                                         headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            return PushResult(None, None, f"{type(exc).__name__}: {exc}"[:1000])
        request_id = response.headers.get("X-Line-Request-Id")
        if response.status_code == 409:
            # Same retry key already accepted: LINE names the request that was delivered.
            accepted = response.headers.get("X-Line-Accepted-Request-Id")
            return PushResult(409, accepted or request_id, None)
        if response.status_code == 200:
            return PushResult(200, request_id, None)
        return PushResult(response.status_code, request_id, (response.text or response.reason or "")[:2000])


def text_message(text: str) -> dict[str, Any]:
    """A LINE text message, cut to LINE's length limit."""
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return {"type": "text", "text": text}


def image_message(original_url: str, preview_url: str) -> dict[str, Any]:
    """A LINE image message; LINE fetches both URLs itself, so they must be public HTTPS."""
    if not (original_url.startswith("https://") and preview_url.startswith("https://")):
        raise ValueError("LINE image URLs must use https")
    return {"type": "image", "originalContentUrl": original_url, "previewImageUrl": preview_url}
