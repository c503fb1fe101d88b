"""Handing one message to the SMTP server of CONTENTIEUX_SMTP_URL, or to the outbox without one.

The answer says exactly what happened, with the server's reply: accepted (2xx after DATA),
refused for good (5xx: failed), refused for now (4xx, or no connection: retried later), or
unknown (the connection broke after the message was handed over: in doubt, a person decides).
Without a server the message is written to a Maildir under the data folder and marked as not
sent: nothing pretends to be sent.
"""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from dataclasses import dataclass
from pathlib import Path

from app.config import SmtpServer

NOT_SENT = "non envoyé — aucun serveur SMTP configuré"


@dataclass(frozen=True)
class Delivery:
    status: str  # sent | outbox | failed | retry | doubt
    reply: str  # the server's reply (code and text), or why


def to_outbox(outbox: Path, eml: bytes) -> Delivery:
    """No SMTP configured: the message goes to the Maildir outbox, not sent."""
    outbox.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(outbox, create=True)
    key = box.add(eml)
    return Delivery("outbox", f"{NOT_SENT} (boîte d'envoi : {key})")


def _reply(code: int, text: bytes | str) -> str:
    body = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(body.split())}"[:1000]


def _by_code(code: int, reply: str) -> Delivery:
    if 200 <= code < 300:
        return Delivery("sent", reply)
    return Delivery("retry" if 400 <= code < 500 else "failed", reply)


def _refused(code: int, reply: str) -> Delivery:
    """A reply before DATA (connection, login, MAIL, RCPT) that is no go-ahead: nothing was
    handed over. A 4xx is tried again later; any other reply (5xx, or a 2xx/3xx the command
    does not expect, such as 252 to RCPT) fails. Only the reply to DATA means sent."""
    if code < 400:
        return Delivery("failed", f"réponse inattendue du serveur avant l'envoi : {reply}"[:1000])
    return _by_code(code, reply)


def connect(server: SmtpServer, timeout: float) -> smtplib.SMTP:
    if server.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    client.ehlo()
    if server.security == "starttls":
        client.starttls(context=ssl.create_default_context())
        client.ehlo()
    if server.username:
        client.login(server.username, server.password)
    return client


def send(server: SmtpServer, eml: bytes, sender: str, recipient: str,
         timeout: float = 30) -> Delivery:
    """MAIL, RCPT, DATA: the reply to DATA is the server's acceptance (or refusal)."""
    try:
        client = connect(server, timeout)
    except smtplib.SMTPResponseException as exc:  # greeting, STARTTLS, login: nothing handed over
        return _refused(exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error))
    except (OSError, smtplib.SMTPException) as exc:  # nothing was handed over: try again later
        return Delivery("retry", f"connexion impossible au serveur SMTP : {exc}"[:1000])
    try:
        return _transaction(client, eml, sender, recipient)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _transaction(client: smtplib.SMTP, eml: bytes, sender: str, recipient: str) -> Delivery:
    try:
        code, text = client.mail(sender)
        if code != 250:
            return _refused(code, _reply(code, text))
        code, text = client.rcpt(recipient)
        if code not in (250, 251):
            return _refused(code, _reply(code, text))
    except (OSError, smtplib.SMTPException) as exc:  # before DATA: nothing handed over
        return Delivery("retry", f"connexion interrompue avant l'envoi : {exc}"[:1000])
    try:
        code, text = client.data(eml)
    except smtplib.SMTPResponseException as exc:
        return _by_code(exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error))
    except (OSError, smtplib.SMTPException) as exc:
        # The message may have reached the server: only a person can tell (never resent).
        return Delivery("doubt", f"connexion interrompue pendant l'envoi : {exc}"[:1000])
    return _by_code(code, _reply(code, text))
