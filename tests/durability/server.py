"""The real app in a subprocess: `contentieux serve` on 127.0.0.1, its own data folder (SQLite
unless CONTENTIEUX_DATABASE_URL is among its settings).

`AppServer` creates the user with `contentieux createuser` (which runs the migrations), starts
the server, waits for /health, and can be stopped, killed with SIGKILL and started again.
`WorkerProcess` is `contentieux worker` on the same settings.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

EMAIL = "claire@lefevre.test"
PASSWORD = "correct horse battery"
CREDITOR = "Menuiserie Lefèvre"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    data_dir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    settings: dict[str, str] = field(default_factory=dict)  # CONTENTIEUX_* for this server
    log_path: Path = field(init=False)

    name: str = "server"

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir.parent / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONTENTIEUX_")}
        # Reading pièces (OCR) is not these tests' subject: left on, its live scratch folders
        # and OCR'd copies would be counted as a dead writer's leftovers. A test may turn it on.
        env.update(CONTENTIEUX_DATA_DIR=str(self.data_dir), CONTENTIEUX_TODAY="2026-11-22",
                   CONTENTIEUX_READ_EVIDENCE="false")
        env.update(self.settings)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli", *args], env=self.env(),
                              capture_output=True, text=True, timeout=120, check=False)

    def create_user(self) -> None:
        done = self.cli("createuser", "--email", EMAIL, "--password", PASSWORD,
                        "--creditor", CREDITOR)
        assert done.returncode == 0, done.stderr

    def start(self) -> AppServer:
        self.port = free_port()
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], env=self.env(), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log()}")
            try:
                if httpx2.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /health:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, like a power cut for the process."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def token(self) -> dict[str, str]:
        response = httpx2.post(self.url + "/api/v1/auth/token",
                               data={"username": EMAIL, "password": PASSWORD}, timeout=30)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@dataclass
class WorkerProcess:
    """`contentieux worker` in a subprocess, with a server's environment."""

    server: AppServer
    name: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.server.data_dir.parent / f"{self.name}.log"

    def start(self) -> WorkerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"],
                                        env=self.server.env(), stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


@contextmanager
def serving(data_dir: Path, **settings: str) -> Iterator[AppServer]:
    """A server with its user created, running until the block ends (CONTENTIEUX_* settings)."""
    app = AppServer(data_dir, settings=settings)
    app.create_user()
    app.start()
    try:
        yield app
    finally:
        app.stop()
