"""The two encrypted ways of CONTENTIEUX_SMTP_URL against a real server: STARTTLS on a plain
port (smtp+starttls://user:password@host:port) and TLS from the first byte (smtps://…), each
with a login, and the server's certificate checked as a relay's would be.

The certificate is made for 127.0.0.1 by the test and trusted through SSL_CERT_FILE, which
Python's default context reads: nothing in the app turns verification off.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.config import parse_smtp_url
from app.services.reminders import send
from tests.reminders.conftest import Recorder, free_port

USER, PASSWORD = "relais", "mot-de-passe-secret"
EML = (b"From: relances@lefevre.test\r\nTo: compta@durand.test\r\nSubject: Relance 1\r\n"
       b"Message-ID: <tls-1@lefevre.test>\r\n\r\nMadame, Monsieur,\r\n")


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Logins:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.seen.append(auth_data.login.decode())
            ok = (auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
            return AuthResult(success=ok)
        return AuthResult(success=False, handled=False)


@pytest.fixture
def trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    cert, key = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by ssl.create_default_context()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def serve(**options: Any) -> Iterator[tuple[Recorder, Logins, int]]:
    recorder, logins, port = Recorder(), Logins(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, authenticator=logins,
                            **options)
    controller.start()
    try:
        yield recorder, logins, port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(trusted: ssl.SSLContext) -> Iterator[tuple[Recorder, Logins, int]]:
    yield from serve(tls_context=trusted, require_starttls=True)


@pytest.fixture
def smtps_server(trusted: ssl.SSLContext) -> Iterator[tuple[Recorder, Logins, int]]:
    # TLS from the first byte: aiosmtpd does not count it as TLS for AUTH, so allow it here
    yield from serve(ssl_context=trusted, server_hostname="127.0.0.1", auth_require_tls=False)


def test_starttls_with_a_login_delivers(starttls_server) -> None:  # type: ignore[no-untyped-def]
    recorder, logins, port = starttls_server
    server = parse_smtp_url(f"smtp+starttls://{USER}:{PASSWORD}@127.0.0.1:{port}")

    delivery = send.send(server, EML, "relances@lefevre.test", "compta@durand.test", timeout=10)

    assert delivery.status == "sent", delivery.reply
    assert logins.seen == [USER]
    assert [m.recipients for m in recorder.messages] == [["compta@durand.test"]]
    assert b"Message-ID: <tls-1@lefevre.test>" in recorder.messages[0].data


def test_smtps_with_a_login_delivers(smtps_server) -> None:  # type: ignore[no-untyped-def]
    recorder, logins, port = smtps_server
    server = parse_smtp_url(f"smtps://{USER}:{PASSWORD}@127.0.0.1:{port}")

    delivery = send.send(server, EML, "relances@lefevre.test", "compta@durand.test", timeout=10)

    assert delivery.status == "sent", delivery.reply
    assert logins.seen == [USER]
    assert len(recorder.messages) == 1


def test_an_untrusted_certificate_is_never_sent_to(starttls_server,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    recorder, _logins, port = starttls_server
    (tmp_path / "other").mkdir()
    other, _key = certificate(tmp_path / "other")
    monkeypatch.setenv("SSL_CERT_FILE", str(other))  # trusts another certificate only
    server = parse_smtp_url(f"smtp+starttls://{USER}:{PASSWORD}@127.0.0.1:{port}")

    delivery = send.send(server, EML, "relances@lefevre.test", "compta@durand.test", timeout=10)

    assert delivery.status == "retry"  # nothing handed over: tried again later, never in clear
    assert "certificate" in delivery.reply.lower() or "certificat" in delivery.reply.lower()
    assert recorder.messages == []
