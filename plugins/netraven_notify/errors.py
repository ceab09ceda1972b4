"""The one error a channel raises when a message did not get through."""

from __future__ import annotations

from netraven.exceptions import NotificationError


class SendFailed(NotificationError):
    """One attempt failed; ``retry`` says whether another attempt may succeed (a timeout, a 5xx)
    or not (a 4xx, a refused login). The message never holds a secret."""

    def __init__(self, message: str, channel: str, retry: bool = True) -> None:
        super().__init__(message, channel=channel)
        self.retry = retry
