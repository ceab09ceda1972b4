"""The ``email`` channel: one message with plain-text and HTML parts, sent with smtplib over
STARTTLS, SSL or (on a trusted network only) plain SMTP, logging in when a username is set."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from netraven_notify.config import EmailChannel
from netraven_notify.errors import SendFailed
from netraven_notify.events import Event


def build_message(channel: EmailChannel, event: Event) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = event.subject
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=channel.sender.rpartition("@")[2] or None)
    message["X-NetRaven-Event"] = event.name
    message.set_content(event.plain() + "\n")
    message.add_alternative(event.html(), subtype="html")
    return message


def send_email(channel: EmailChannel, event: Event, secrets: Mapping[str, str], timeout: float) -> None:
    """Send ``event`` to the channel's recipients; a :class:`SendFailed` if the server will not take it."""
    message = build_message(channel, event)
    context = ssl.create_default_context(cafile=channel.ca_file or None)
    try:
        if channel.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                channel.host, channel.server_port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(channel.host, channel.server_port, timeout=timeout)
        with client:
            if channel.security == "starttls":
                client.starttls(context=context)
            if channel.username:
                client.login(
                    channel.username, secrets[channel.password_secret] if channel.password_secret else ""
                )
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendFailed(
            f"the SMTP server refused the login ({exc.smtp_code})", channel.name, retry=False
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(
            f"the SMTP server answered {exc.smtp_code}", channel.name, retry=exc.smtp_code < 500
        ) from None
    except smtplib.SMTPRecipientsRefused:
        raise SendFailed("the SMTP server refused every recipient", channel.name, retry=False) from None
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        raise SendFailed(
            f"cannot send through {channel.host}:{channel.server_port} ({type(exc).__name__})", channel.name
        ) from None
