"""A small client for the LINE Messaging API (push, group summary, unit statistics), the messages a
post becomes, and the webhook's signature check (done by the official ``line-bot-sdk``).

LINE Notify closed on 31 Mar 2025; groups are reached through a bot's channel access token:
``POST {LINE_API_BASE}/v2/bot/message/push`` with at most five messages per call and an
``X-Line-Retry-Key`` so a retried call is never delivered twice (LINE answers 409 instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests  # the HTTP library (our own package for Section 11 requests is ``inquiries``)

MAX_MESSAGES = 5
MAX_TEXT = 5000  # LINE's limit for one text message
TIMEOUT = (5, 20)  # seconds to connect, to read
SUMMARY_TIMEOUT = (1, 1.5)  # the webhook waits for the group's name: LINE wants a quick answer


@dataclass(frozen=True)
class PushResult:
    """What one call answered: the HTTP status (None when there was no answer), LINE's request id,
    the error."""

    status_code: int | None
    request_id: str | None
    error: str | None
    sent_message_ids: list[str] = field(
        default_factory=list
    )  # LINE's id of each message it accepted

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

    def push(
        self,
        to: str,
        messages: list[dict[str, Any]],
        retry_key: str,
        aggregation_unit: str | None = None,
    ) -> PushResult:
        """Send up to five messages to ``to`` in one call; never raises for HTTP or network errors.

        ``aggregation_unit`` names the statistics unit the messages count in
        (customAggregationUnits).
        """
        if not 1 <= len(messages) <= MAX_MESSAGES:
            raise ValueError(
                f"LINE accepts 1 to {MAX_MESSAGES} messages per push, got {len(messages)}"
            )
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": retry_key,
        }
        payload: dict[str, Any] = {"to": to, "messages": messages}
        if aggregation_unit:
            payload["customAggregationUnits"] = [aggregation_unit]
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            response = self.session.post(
                f"{self.base_url}/v2/bot/message/push", data=body, headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            return PushResult(None, None, f"{type(exc).__name__}: {exc}"[:1000])
        request_id = response.headers.get("X-Line-Request-Id")
        if response.status_code == 409:
            # Same retry key already accepted: LINE names the request that was delivered.
            accepted = response.headers.get("X-Line-Accepted-Request-Id")
            return PushResult(409, accepted or request_id, None)
        if response.status_code == 200:
            try:
                sent = [str(m.get("id", "")) for m in response.json().get("sentMessages", [])]
            except (ValueError, AttributeError):
                sent = []
            return PushResult(200, request_id, None, sent)
        return PushResult(
            response.status_code, request_id, (response.text or response.reason or "")[:2000]
        )

    def _get(self, path: str, params: dict | None = None, timeout=TIMEOUT) -> dict:
        """GET a LINE API path; raises LineError with what LINE answered."""
        try:
            response = self.session.get(
                f"{self.base_url}{path}",
                params=params,
                timeout=timeout,
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except requests.RequestException as exc:
            raise LineError(f"{type(exc).__name__}: {exc}"[:500]) from exc
        if response.status_code != 200:
            raise LineError(
                f"HTTP {response.status_code}: {(response.text or '')[:500]}", response.status_code
            )
        try:
            return response.json()
        except ValueError as exc:
            raise LineError("LINE answered something that is not JSON") from exc

    def group_name(self, group_id: str) -> str:
        """The group's name from ``GET /v2/bot/group/{groupId}/summary`` (quick: the webhook
        waits)."""
        return str(
            self._get(f"/v2/bot/group/{group_id}/summary", timeout=SUMMARY_TIMEOUT).get("groupName")
            or ""
        )

    def unit_statistics(self, unit: str, start: date, end: date) -> dict:
        """``GET /v2/bot/insight/message/event/aggregation`` for one unit, days in LINE's time
        (UTC+9)."""
        return self._get(
            "/v2/bot/insight/message/event/aggregation",
            {"customAggregationUnit": unit, "from": f"{start:%Y%m%d}", "to": f"{end:%Y%m%d}"},
        )


class LineError(Exception):
    """A LINE API call other than a push failed (no answer, or an HTTP error)."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


def parse_webhook(body: str, signature: str, channel_secret: str) -> list:
    """The events of a webhook call, after checking ``X-Line-Signature`` with the official SDK.

    Raises ``InvalidSignatureError`` (from ``linebot.v3.exceptions``) for a missing or wrong
    signature.
    """
    from linebot.v3.webhook import WebhookParser

    return WebhookParser(channel_secret).parse(body, signature or "")


def load_sdk() -> None:
    """Import the SDK now: it takes seconds (all its models), which LINE's first webhook call must
    not wait for."""
    import linebot.v3.webhook  # noqa: F401


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
