"""iMIP emails: plain text, HTML and a text/calendar part built once; SMTP delivery for the outbox."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from app.outbox import DeliveryError, Envelope, Outcome

# Every part base64 or quoted-printable: the stored message is plain ASCII and needs no 8BITMIME.
POLICY = SMTP.clone(cte_type="7bit")
TIMEOUT = 30


def one_line(text: str) -> str:
    """The text with its line breaks (and other vertical whitespace) folded into single spaces."""
    return " ".join(text.split()) if any(c in text for c in "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029") else text


def build_email(
    *,
    sender: str,
    sender_name: str,
    recipient: str,
    recipient_name: str,
    subject: str,
    text: str,
    html: str,
    ics: bytes,
    method: str,
    message_id: str,
    date: Any,
) -> EmailMessage:
    """multipart/alternative: text/plain, text/html and `text/calendar; method=…` (what Outlook expects)."""
    message = EmailMessage(policy=POLICY)
    # Header text on one line whatever the stored data holds (a title or name with a line break, saved before
    # the forms refused them or arriving another way): the email policy would refuse it, failing every send.
    message["Subject"] = one_line(subject)
    message["From"] = Address(display_name=one_line(sender_name), addr_spec=sender)
    message["To"] = Address(display_name=one_line(recipient_name), addr_spec=recipient)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = f"<{message_id}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    message.add_alternative(
        ics.decode("utf-8"), subtype="calendar", charset="utf-8", params={"method": method}, cte="base64"
    )
    return message


def send_email(envelope: Envelope, config: Mapping[str, Any]) -> Outcome:
    """Hand one stored message to the SMTP server; classify failures as worth retrying or not."""
    host, port, mode = config["SMTP_HOST"], int(config["SMTP_PORT"]), config.get("SMTP_TLS", "none")
    try:
        if mode == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with client:
            if mode == "starttls":
                client.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
            refused = client.sendmail(config["MAIL_FROM"], [envelope.recipient], envelope.payload.encode("ascii"))
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        raise DeliveryError(f"recipient refused: {code} {text!r}", retry=400 <= code < 500, status_code=code) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            f"SMTP {error.smtp_code}: {error.smtp_error!r}", retry=error.smtp_code < 500, status_code=error.smtp_code
        ) from error
    except (OSError, smtplib.SMTPException) as error:  # refused, timed out, disconnected: the server may come back
        raise DeliveryError(f"{type(error).__name__}: {error}") from error
    if refused:
        raise DeliveryError(f"recipient refused: {refused}", retry=False)
    return Outcome(status_code=250, excerpt="")
