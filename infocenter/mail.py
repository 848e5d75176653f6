"""Plain-text e-mail through the office's SMTP server; the app works without one.

Settings come from the app config (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS,
MAIL_FROM — read from the environment when the app is created). With no SMTP_HOST nothing is
sent and ``send_mail`` returns False.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import gettext as _


def smtp_configured() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config.get("SMTP_HOST"))


def build_message(to: Iterable[str], subject: str, body: str) -> EmailMessage:
    """A UTF-8 plain-text message from MAIL_FROM (named after the office, in the current
    language)."""
    cfg = current_app.config
    msg = EmailMessage()
    sender = _("ศูนย์ข้อมูลข่าวสาร %(office)s", office=cfg.get("OFFICE_NAME", "")).strip()
    msg["From"] = formataddr((sender, cfg["MAIL_FROM"]))
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=cfg["MAIL_FROM"].rpartition("@")[2] or "localhost")
    msg.set_content(body)
    return msg


def send_mail(to: str | Iterable[str], subject: str, body: str) -> bool:
    """Send a message; False when SMTP is not configured, there is no recipient, or sending failed
    (the failure is logged: a mail server being down must never lose the request being saved)."""
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [r.strip() for r in recipients if r and r.strip()]
    if not recipients or not smtp_configured():
        return False
    cfg = current_app.config
    msg = build_message(recipients, subject, body)
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 25), timeout=15) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD", ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("e-mail to %s not sent: %s", recipients, exc)
        return False
    return True
