"""The ``webhook`` channel: the event as JSON, POSTed with httpx; ``text`` is what Slack, Teams and
Mattermost show. With ``hmac_secret``, the body's HMAC-SHA256 goes in ``signature_header`` as
``sha256=<hex>``, so the receiver can check the message came from NetRaven."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping

import httpx

from netraven_notify.config import WebhookChannel
from netraven_notify.errors import SendFailed
from netraven_notify.events import Event

RETRY_STATUSES = {408, 425, 429}


class _NoRequestLines(logging.Filter):
    """Drops httpx's ``HTTP Request: POST <url>`` lines: a webhook URL often is the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("HTTP Request:")


_QUIET = _NoRequestLines()


def send_webhook(channel: WebhookChannel, event: Event, secrets: Mapping[str, str], timeout: float) -> None:
    """POST ``event``; a :class:`SendFailed` unless the receiver answers 2xx within ``timeout``."""
    body = json.dumps(event.payload(), sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "netraven", **channel.headers}
    headers.update({name: secrets[secret] for name, secret in channel.secret_headers.items()})
    if channel.hmac_secret:
        digest = hmac.new(secrets[channel.hmac_secret].encode("utf-8"), body, hashlib.sha256).hexdigest()
        headers[channel.signature_header] = f"sha256={digest}"
    url = secrets[channel.url_secret] if channel.url_secret else channel.url
    logging.getLogger("httpx").addFilter(_QUIET)  # once: a filter is added only if not there
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise SendFailed(f"no answer within {timeout:g} s", channel.name) from None
    except httpx.HTTPError as exc:  # connection refused, DNS, TLS: the text may hold the URL
        raise SendFailed(f"cannot reach the receiver ({type(exc).__name__})", channel.name) from None
    if not response.is_success:
        retry = response.status_code >= 500 or response.status_code in RETRY_STATUSES
        reason = response.reason_phrase or "error"
        raise SendFailed(f"the receiver answered HTTP {response.status_code} {reason}", channel.name, retry)
