"""Settings read from the environment (CONTENTIEUX_*), with defaults that work on a laptop.

The data folder holds the SQLite database and the content-addressed file store unless
`CONTENTIEUX_DATABASE_URL` points elsewhere (PostgreSQL).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SMTP_SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


@dataclass(frozen=True)
class SmtpServer:
    security: str  # plain | starttls | tls
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)


def parse_smtp_url(url: str) -> SmtpServer:
    """CONTENTIEUX_SMTP_URL: smtp://host:port, smtp+starttls://user:pw@host:587, smtps://…"""
    parts = urlsplit(url.strip())
    if parts.scheme not in SMTP_SCHEMES:
        raise ValueError("CONTENTIEUX_SMTP_URL : schéma attendu smtp://, smtp+starttls:// ou "
                         "smtps://")
    if not parts.hostname:
        raise ValueError("CONTENTIEUX_SMTP_URL : le nom du serveur manque")
    security, default_port = SMTP_SCHEMES[parts.scheme]
    return SmtpServer(security, parts.hostname, parts.port or default_port,
                      unquote(parts.username or ""), unquote(parts.password or ""))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONTENTIEUX_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    max_upload_mb: int = Field(default=50, ge=1, le=2048)
    max_pdf_pages: int = Field(default=5000, ge=1, le=1_000_000)  # pages of one uploaded PDF
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    secure_cookies: bool = False
    department: str = "75"  # creditor-side default for holiday calendars
    # Requests at work at once (app/web/admission.py); the pool keeps a connection for each.
    concurrency: int = Field(default=4, ge=1, le=64)
    today: date | None = None  # pin "today" (demos, browser tests); None = the real date
    demo: bool = False  # `serve --demo`: the login page shows the demo account's credentials
    # Background jobs (app/queue.py): "inline" runs them in the server process, "queue" puts
    # them on PostgreSQL for `contentieux worker`; empty: "queue" on PostgreSQL, else "inline".
    jobs: str = Field(default="", pattern=r"^(|inline|queue)$")
    # Read each uploaded pièce's text in the background (OCR of scans and photos when
    # OCRmyPDF and Tesseract are installed: app/evidence/ocr.py). The test suite turns it off
    # except where it is under test (each OCR costs seconds).
    read_evidence: bool = True
    # A worker silent (no heartbeat) for this long is dead: its jobs go to another worker.
    stalled_seconds: float = Field(default=60, ge=2, le=3600)
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or
    # networks); empty: none, the peer's address is the client's (app/web/client.py).
    trusted_proxies: str = ""
    # Spreadsheet imports (app/imports/limits.py): rows read at most, and the inflated size
    # of any member of an .xlsx (a zip) checked before it is parsed.
    import_max_rows: int = Field(default=1_000_000, ge=1, le=100_000_000)
    import_max_inflated_mb: int = Field(default=200, ge=1, le=10_000)
    # Reminders (issue 17): the SMTP server (smtp://host:port, smtp+starttls://user:pw@host:587,
    # smtps://user:pw@host:465); empty: messages go to the Maildir outbox under the data folder,
    # marked not sent. SMTP_FROM: the sender of a creditor whose profile names none.
    smtp_url: str = ""
    smtp_from: str = ""
    smtp_timeout: float = Field(default=30, ge=1, le=600)

    @field_validator("smtp_url")
    @classmethod
    def _smtp(cls, value: str) -> str:
        if value.strip():
            parse_smtp_url(value)  # ValueError: refuse to start
        return value.strip()

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            ipaddress.ip_network(part, strict=False)  # ValueError: refuse to start
        return value

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'contentieux.sqlite3'}"

    @property
    def jobs_mode(self) -> str:
        """"queue" (PostgreSQL, `contentieux worker`) or "inline" (in the server process)."""
        if self.jobs:
            return self.jobs
        return "queue" if self.database_url.startswith("postgresql") else "inline"

    @property
    def smtp(self) -> SmtpServer | None:
        return parse_smtp_url(self.smtp_url) if self.smtp_url else None

    @property
    def outbox_dir(self) -> Path:
        """The Maildir where messages go when no SMTP server is configured."""
        return self.data_dir / "outbox"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.files_dir.mkdir(parents=True, exist_ok=True)


@lru_cache
def get_settings() -> Settings:
    return Settings()
