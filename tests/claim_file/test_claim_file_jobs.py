"""The claim-file build as a job of the queue (Procrastinate's in-memory queue, its worker on a
thread, as `contentieux serve` runs it on SQLite): enqueued, run, retried, given up, relaunched."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.queue import InlineQueue, Runtime
from app.services import claim_file, claim_file_build, claim_file_run
from app.services.attempts import MAX_ATTEMPTS
from tests.jobs import finished_build


@pytest.fixture
def queue(engine, settings) -> Iterator[InlineQueue]:  # type: ignore[no-untyped-def]
    queue = InlineQueue(Runtime(engine, settings))
    yield queue
    queue.close()


def start(session, owner, debtor, settings, queue):  # type: ignore[no-untyped-def]
    job = claim_file.start(session, owner, debtor, {}, settings.today)
    claim_file_run.launch(session, queue, job)
    return job


def failing(monkeypatch, times: int) -> list[int]:  # type: ignore[no-untyped-def]
    """build_version raises an unexpected error the first `times` calls."""
    calls: list[int] = []
    real = claim_file_run.build_version

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= times:
            raise OSError("disque plein")
        return real(*args, **kwargs)

    monkeypatch.setattr(claim_file_run, "build_version", flaky)
    return calls


def test_a_queued_build_runs_on_the_worker(session, owner, debtor, exhibits, settings, queue,
                                           engine):  # type: ignore[no-untyped-def]
    job = start(session, owner, debtor, settings, queue)
    assert job.status == "queued"
    done = finished_build(queue, job.id)
    assert (done.status, done.progress, done.attempts) == ("done", 100, 1)
    assert done.worker.endswith(f":{__import__('os').getpid()}")


def test_an_unexpected_error_is_retried(session, owner, debtor, exhibits, settings, queue,
                                        engine, monkeypatch):  # type: ignore[no-untyped-def]
    calls = failing(monkeypatch, times=1)
    done = finished_build(queue, start(session, owner, debtor, settings, queue).id)
    assert (done.status, done.attempts, done.error, len(calls)) == ("done", 2, "", 2)


def test_a_build_failing_three_times_stops_with_its_error_then_can_be_relaunched(
        session, owner, debtor, exhibits, settings, queue, engine, monkeypatch,
        ):  # type: ignore[no-untyped-def]
    calls = failing(monkeypatch, times=MAX_ATTEMPTS)
    job = start(session, owner, debtor, settings, queue)
    failed = finished_build(queue, job.id)
    assert (failed.status, failed.attempts, failed.error) == ("failed", 3, claim_file_run.UNEXPECTED)
    assert len(calls) == MAX_ATTEMPTS and failed.pdf_document_id is None

    session.expire_all()
    claim_file_run.relaunch(session, owner, queue, session.get(type(job), job.id))
    done = finished_build(queue, job.id)
    assert (done.status, done.attempts) == ("done", 1)


def test_a_missing_exhibit_fails_at_once_without_retry(session, owner, debtor, exhibits, store,
                                                       settings, queue, engine, monkeypatch,
                                                       ):  # type: ignore[no-untyped-def]
    store.path_for(exhibits["quote"].sha256).unlink()
    failed = finished_build(queue, start(session, owner, debtor, settings, queue).id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "introuvable" in failed.error


def test_a_job_already_built_is_not_built_again(session, owner, debtor, exhibits, settings,
                                                 queue, engine, monkeypatch):  # type: ignore[no-untyped-def]
    job = start(session, owner, debtor, settings, queue)
    finished_build(queue, job.id)
    monkeypatch.setattr(claim_file_build, "build_claim_file", None)  # would break if called
    claim_file_run.run(engine, settings.files_dir, job.id)
    session.expire_all()
    assert session.get(type(job), job.id).options["version"] == 1


class QueueDown:
    """A queue that cannot take a job (its database or its worker thread is gone)."""

    mode = "inline"

    def defer(self, task: str, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("connection refused")


def test_a_build_the_queue_could_not_take_fails_at_once_and_can_be_relaunched(
        session, owner, debtor, exhibits, settings, queue, owner_client,
        ):  # type: ignore[no-untyped-def]
    job = start(session, owner, debtor, settings, QueueDown())
    session.expire_all()
    failed = session.get(type(job), job.id)
    assert (failed.status, failed.error) == ("failed", claim_file_run.NOT_QUEUED)
    assert failed.finished_at is not None  # not "queued" for ever
    page = owner_client.get(f"/debtors/{debtor.id}").text
    assert "confiée au service des travaux" in page and 'id="claim-file-retry"' in page

    claim_file_run.relaunch(session, owner, queue, failed)
    done = finished_build(queue, job.id)
    assert (done.status, done.attempts, done.error) == ("done", 1, "")
