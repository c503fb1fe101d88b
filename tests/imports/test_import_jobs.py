"""Import checks and applies as jobs of the queue (the in-process queue of `contentieux serve`
on SQLite): enqueued, run, retried, given up; an import applies once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from app.models import Invoice
from app.queue import InlineQueue, Runtime
from app.services import import_jobs
from app.services.attempts import MAX_ATTEMPTS, Attempt
from tests.imports.builders import ledger
from tests.jobs import finished_import


@pytest.fixture
def queue(engine, settings) -> Iterator[InlineQueue]:  # type: ignore[no-untyped-def]
    queue = InlineQueue(Runtime(engine, settings))
    yield queue
    queue.close()


def launch(queue, settings, session, owner, batch, mode):  # type: ignore[no-untyped-def]
    session.expire_all()
    batch = session.get(type(batch), batch.id)
    import_jobs.launch(queue, settings, session, owner, batch, mode, inline_bytes=0)
    return finished_import(queue, batch.id)


def flaky(monkeypatch, mode: str, times: int) -> list[int]:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    status, real = import_jobs.MODES[mode]

    def step(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= times:
            raise OSError("connexion perdue")
        return real(*args, **kwargs)

    monkeypatch.setitem(import_jobs.MODES, mode, (status, step))
    return calls


def test_check_then_apply_run_on_the_worker(session, owner, settings, upload, queue):  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    checked = launch(queue, settings, session, owner, batch, "check")
    assert (checked.status, checked.attempts, checked.progress) == ("checked", 1, 100)
    done = launch(queue, settings, session, owner, batch, "apply")
    assert (done.status, done.attempts, done.invoices_created) == ("done", 1, 4)


def test_an_unexpected_error_is_retried(session, owner, settings, upload, queue, monkeypatch):  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    launch(queue, settings, session, owner, batch, "check")
    calls = flaky(monkeypatch, "apply", times=1)
    done = launch(queue, settings, session, owner, batch, "apply")
    assert (done.status, done.attempts, done.error, len(calls)) == ("done", 2, "", 2)
    assert len(session.exec(select(Invoice)).all()) == 4


def test_a_check_failing_three_times_stops_with_its_error_and_a_relaunch_button(
        session, owner, settings, upload, queue, monkeypatch, owner_client):  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    calls = flaky(monkeypatch, "check", times=MAX_ATTEMPTS)
    failed = launch(queue, settings, session, owner, batch, "check")
    assert (failed.status, failed.attempts, failed.error) == ("failed", 3, import_jobs.UNEXPECTED)
    assert len(calls) == MAX_ATTEMPTS

    page = owner_client.get(f"/imports/{batch.id}").text
    assert "rien n&#39;a été enregistré" in page and 'id="import-retry"' in page
    relaunched = owner_client.submit(f"/imports/{batch.id}/check", {"action": "check"})
    assert relaunched.status_code == 200  # small file: checked within the request this time
    session.expire_all()
    assert session.get(type(batch), batch.id).status == "checked"


def test_an_import_applies_once(session, owner, settings, upload, queue, engine):  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    launch(queue, settings, session, owner, batch, "check")
    launch(queue, settings, session, owner, batch, "apply")
    import_jobs.run(engine, settings, batch.id, "apply", owner.user_id, owner.role,  # again
                    Attempt(1, "w"))
    session.expire_all()
    assert len(session.exec(select(Invoice)).all()) == 4


class QueueDown:
    """A queue that cannot take a job (its database or its worker thread is gone)."""

    mode = "queue"

    def defer(self, task: str, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("connection refused")


@pytest.mark.parametrize("mode", ["check", "apply"])
def test_a_step_the_queue_could_not_take_fails_at_once_and_can_be_relaunched(
        session, owner, settings, upload, queue, owner_client, mode):  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    if mode == "apply":
        launch(queue, settings, session, owner, batch, "check")
    session.expire_all()
    import_jobs.launch(QueueDown(), settings, session, owner, session.get(type(batch), batch.id),
                       mode, inline_bytes=0)
    session.expire_all()
    failed = session.get(type(batch), batch.id)
    assert (failed.status, failed.error) == ("failed", import_jobs.NOT_QUEUED)  # not running
    page = owner_client.get(f"/imports/{batch.id}").text
    assert "confié au service des travaux" in page and 'id="import-retry"' in page

    relaunched = owner_client.submit(f"/imports/{batch.id}/check", {"action": "check"})
    assert relaunched.status_code == 200
    session.expire_all()
    assert (session.get(type(batch), batch.id).status,
            session.get(type(batch), batch.id).error) == ("checked", "")  # the reason is gone
    assert "confié au service des travaux" not in owner_client.get(f"/imports/{batch.id}").text
    done = launch(queue, settings, session, owner, batch, "apply")
    assert (done.status, done.error, done.invoices_created) == ("done", "", 4)
