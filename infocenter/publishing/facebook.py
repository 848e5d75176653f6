"""Posting to the office's Facebook Page through the Graph API with a Page access token.

``POST {FACEBOOK_API_BASE}/{page-id}/feed`` (``message``, ``link``) for text and links, or
``POST {FACEBOOK_API_BASE}/{page-id}/photos`` (``url``, ``caption``) when the post has an image:
Facebook fetches the image from its public address itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

TIMEOUT = (5, 30)


@dataclass(frozen=True)
class GraphResult:
    """What one call answered: the HTTP status (None: no answer), the new object's id, the error."""

    status_code: int | None
    object_id: str | None
    error: str | None
    transient: bool = False

    @property
    def delivered(self) -> bool:
        return self.status_code == 200 and bool(self.object_id)

    @property
    def retryable(self) -> bool:
        """No answer, rate limited, a server error, or an error Facebook calls transient."""
        return (
            self.status_code is None
            or self.status_code == 429
            or self.status_code >= 500
            or self.transient
        )


class FacebookClient:
    def __init__(
        self, base_url: str, page_id: str, token: str, session: requests.Session | None = None
    ) -> None:
        if not (page_id and token):
            raise ValueError("no Facebook Page id or Page access token configured")
        self.base_url = base_url.rstrip("/")
        self.page_id = page_id
        self.token = token
        self.session = session or requests.Session()

    def publish(
        self, message: str, link: str | None = None, image_url: str | None = None
    ) -> GraphResult:
        """A photo post (image with the text as caption) or a feed post (text and link); never
        raises."""
        if image_url:
            edge, data = "photos", {"url": image_url, "caption": message}
        else:
            edge, data = "feed", {"message": message}
            if link:
                data["link"] = link
        data["access_token"] = self.token
        try:
            response = self.session.post(
                f"{self.base_url}/{self.page_id}/{edge}", data=data, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            return GraphResult(None, None, f"{type(exc).__name__}: {exc}"[:1000])
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code == 200 and isinstance(payload, dict) and payload.get("id"):
            return GraphResult(200, str(payload.get("post_id") or payload["id"]), None)
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict):
            text = (
                f"{error.get('type', '')} {error.get('code', '')}: {error.get('message', '')}"
            ).strip()
            return GraphResult(
                response.status_code, None, text[:2000], bool(error.get("is_transient"))
            )
        return GraphResult(
            response.status_code, None, (response.text or response.reason or "")[:2000]
        )
