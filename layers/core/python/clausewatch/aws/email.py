"""SES: send a fully built MIME message (bodies and the .ics attachment)."""

from __future__ import annotations

from email.message import EmailMessage

from .clients import client


def send_email(message: EmailMessage) -> str:
    """Send through SES; returns SES's message id."""
    recipients = [a.strip() for h in ("To", "Cc") for a in (message.get(h) or "").split(",") if a.strip()]
    response = client("ses").send_raw_email(Source=message["From"], Destinations=recipients,
                                            RawMessage={"Data": message.as_bytes()})
    return response["MessageId"]
