"""Durability against the real server (uvicorn subprocess, SQLite file in WAL mode):

- 50 edits (debtor updates and invoice creations on the same debtor) and 50 uploads of distinct
  PDFs, all at once from 16 threads: no error, no lost update (the maintained balance is the
  sum of every invoice created), every upload stored once under the right hash;
- SIGKILL in the middle of uploads, then a restart: no temporary or half file left in the
  store, no row without its file, no file without its row (`contentieux check`), and the
  uploads that were cut can be sent again.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2

from tests.durability.server import AppServer
from tests.security.rich_file import make_pdf

THREADS = 16
DEBTOR = {"kind": "company", "legal_name": "Durand BTP", "city": "Angers", "country": "FR"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files(files_dir: Path) -> dict[str, Path]:
    return {p.name: p for p in files_dir.rglob("*")
            if p.is_file() and ".tmp" not in p.relative_to(files_dir).parts}


def temp_files(files_dir: Path) -> list[Path]:
    temp = files_dir / ".tmp"
    return sorted(temp.iterdir()) if temp.exists() else []


def upload(client: httpx2.Client, debtor_id: int, name: str, content: bytes) -> httpx2.Response:
    return client.post(f"/api/v1/debtors/{debtor_id}/evidence",
                       files={"file": (name, content, "application/pdf")},
                       data={"title": name, "kind": "other"})


def test_fifty_edits_and_fifty_uploads_in_parallel_lose_nothing(server: AppServer) -> None:
    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=120,
                       limits=httpx2.Limits(max_connections=THREADS)) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
        others = [client.post("/api/v1/debtors", json={**DEBTOR, "legal_name": f"Client {k}"}
                              ).json() for k in range(10)]
        pdfs = {f"piece-{i:02d}.pdf": make_pdf(f"pièce {i}") for i in range(50)}
        notes = {f"relance {i}" for i in range(15)}
        tasks: list[tuple[str, Any]] = (
            [("invoice", i) for i in range(25)] + [("note", n) for n in notes]
            + [("other", k) for k in range(10)] + [("upload", name) for name in pdfs])
        random.Random(7).shuffle(tasks)

        def run(task: tuple[str, Any]) -> httpx2.Response:
            kind, arg = task
            if kind == "invoice":
                amount = f"{arg + 1}.00"
                return client.post(f"/api/v1/debtors/{debtor['id']}/invoices", json={
                    "number": f"F-C-{arg:02d}", "issue_date": "2026-01-05",
                    "due_date": "2026-02-04", "amount_ht": amount, "amount_tva": "0.00",
                    "amount_ttc": amount, "description": "Travaux"})
            if kind == "note":
                return client.put(f"/api/v1/debtors/{debtor['id']}", json={**DEBTOR, "notes": arg})
            if kind == "other":
                return client.put(f"/api/v1/debtors/{others[arg]['id']}",
                                  json={**DEBTOR, "legal_name": f"Client {arg}",
                                        "notes": f"client {arg} relancé"})
            return upload(client, debtor["id"], arg, pdfs[arg])

        with ThreadPoolExecutor(THREADS) as pool:
            responses = list(pool.map(run, tasks))
        errors = [(t, r.status_code, r.text[:200]) for t, r in zip(tasks, responses, strict=True)
                  if r.status_code not in (200, 201)]
        assert not errors, f"{errors}\n{server.log()}"

        final = client.get(f"/api/v1/debtors/{debtor['id']}").json()
        invoices = client.get(f"/api/v1/debtors/{debtor['id']}/invoices").json()
        assert sorted(i["number"] for i in invoices) == [f"F-C-{i:02d}" for i in range(25)]
        assert final["invoice_count"] == 25
        assert Decimal(final["outstanding"]) == sum(Decimal(i + 1) for i in range(25))
        assert final["notes"] in notes
        for k, other in enumerate(others):
            assert client.get(f"/api/v1/debtors/{other['id']}").json()["notes"] == \
                f"client {k} relancé"

        exhibits = client.get(f"/api/v1/debtors/{debtor['id']}/evidence").json()
        assert sorted(e["sha256"] for e in exhibits) == sorted(sha(c) for c in pdfs.values())
        for exhibit in exhibits:
            assert exhibit["sha256"] == sha(pdfs[exhibit["original_name"]])
            download = client.get(f"/api/v1/evidence/{exhibit['id']}/download")
            assert sha(download.content) == exhibit["sha256"]
    files = stored_files(server.files_dir)
    for content in pdfs.values():
        assert sha(files[sha(content)].read_bytes()) == sha(content)
    assert temp_files(server.files_dir) == []
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr


def slow_multipart(name: str, content: bytes, sent: threading.Event) -> tuple[str, Iterator[bytes]]:
    """A multipart body sent in small chunks with pauses: the kill lands in the middle of it."""
    boundary = "----contentieux-crash-test"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{name}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for start in range(0, len(content), 8192):
            yield content[start:start + 8192]
            time.sleep(0.02)
        sent.set()
        yield tail

    return f"multipart/form-data; boundary={boundary}", chunks()


def test_a_server_killed_in_the_middle_of_uploads_leaves_a_consistent_store(
        server: AppServer) -> None:
    headers = server.token()
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
    pdfs = {f"scan-{i:02d}.pdf": make_pdf(f"scan {i} " + "x" * 150_000) for i in range(24)}
    finished: list[str] = []
    unexpected: list[str] = []
    some_done = threading.Event()

    def send(name: str) -> None:
        sent = threading.Event()
        content_type, body = slow_multipart(name, pdfs[name], sent)
        try:
            with httpx2.Client(base_url=server.url, timeout=60) as client:
                response = client.post(f"/api/v1/debtors/{debtor['id']}/evidence",
                                       content=body,
                                       headers={**headers, "Content-Type": content_type})
            if response.status_code == 201:
                finished.append(name)
                if len(finished) >= 4:
                    some_done.set()
        except httpx2.TransportError:
            pass  # cut by the kill
        except Exception as exc:  # reported by the assertions below
            unexpected.append(repr(exc))

    threads = [threading.Thread(target=send, args=(name,)) for name in pdfs]
    for index, thread in enumerate(threads):
        thread.start()
        if index % 4 == 3:
            time.sleep(0.15)  # staggered: some finish, some are half sent, some just begun
    assert some_done.wait(60), f"{unexpected}\n{server.log()}"
    server.kill()
    for thread in threads:
        thread.join(timeout=60)
    assert 4 <= len(finished) < len(pdfs), "the kill did not land in the middle of the uploads"

    server.start()
    assert temp_files(server.files_dir) == [], "temporary upload files survived the restart"
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
        exhibits = client.get(f"/api/v1/debtors/{debtor['id']}/evidence").json()
        stored = {e["original_name"]: e["sha256"] for e in exhibits}
        assert set(finished) <= set(stored)
        for name, digest in stored.items():
            assert digest == sha(pdfs[name])
        files = stored_files(server.files_dir)
        assert set(files) == set(stored.values()), "a file without its row, or a row without its file"
        for digest, path in files.items():
            assert sha(path.read_bytes()) == digest, f"half-written file {path}"
        for name in sorted(set(pdfs) - set(stored)):  # the cut uploads can simply be sent again
            assert upload(client, debtor["id"], name, pdfs[name]).status_code == 201
        assert len(client.get(f"/api/v1/debtors/{debtor['id']}/evidence").json()) == len(pdfs)
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
