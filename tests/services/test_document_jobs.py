"""Rendering a letter as a job of the queue (Procrastinate's in-memory queue, its worker on a
thread, as `contentieux serve` runs it on SQLite): enqueued, run, retried, given up, relaunched,
never two versions for one job (app/services/document_jobs.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import select

from app import jobs
from app.models import DocumentJob, GeneratedDocument
from app.queue import InlineQueue, Runtime
from app.services import document_jobs, documents, orphans
from app.services.attempts import MAX_ATTEMPTS
from tests.documents.scenario import durand_btp
from tests.jobs import finished_document

LETTER = {"kind": "mise_en_demeure", "date": "2025-09-30", "deadline_days": "8"}


@pytest.fixture
def queue(engine, settings) -> Iterator[InlineQueue]:  # type: ignore[no-untyped-def]
    queue = InlineQueue(Runtime(engine, settings))
    yield queue
    queue.close()


def start(session, owner, debtor, settings, queue=None):  # type: ignore[no-untyped-def]
    job = document_jobs.start(session, owner, debtor, LETTER, settings.data_dir / "forms")
    if queue is not None:
        document_jobs.launch(session, queue, job)
    return job


def versions(session) -> list[GeneratedDocument]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.exec(select(GeneratedDocument)))


def failing(monkeypatch, times: int) -> list[int]:  # type: ignore[no-untyped-def]
    """documents.make raises an unexpected error the first `times` calls."""
    calls: list[int] = []
    real = documents.make

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) <= times:
            raise OSError("disque plein")
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "make", flaky)
    return calls


def test_a_queued_letter_is_rendered_by_the_worker(session, owner, settings, queue):  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings, queue)
    assert (job.status, job.document_id, job.options["kind"]) == ("queued", None, "mise_en_demeure")
    done = finished_document(queue, job.id)
    assert (done.status, done.progress, done.attempts, done.error) == ("done", 100, 1, "")
    assert done.worker.endswith(f":{os.getpid()}") and done.finished_at is not None
    [made] = versions(session)
    assert (made.id, made.kind, made.version, made.status) == (
        done.document_id, "mise_en_demeure", 1, "draft")
    assert made.params["total"] == "4558.43" and made.created_by == owner.user_id


def test_an_unexpected_error_is_retried(session, owner, settings, queue, monkeypatch):  # type: ignore[no-untyped-def]
    calls = failing(monkeypatch, times=1)
    debtor = durand_btp(session, owner)
    done = finished_document(queue, start(session, owner, debtor, settings, queue).id)
    assert (done.status, done.attempts, done.error, len(calls)) == ("done", 2, "", 2)
    assert [d.version for d in versions(session)] == [1]


def test_a_job_failing_three_times_stops_with_its_error_then_can_be_relaunched(
        session, owner, settings, queue, monkeypatch):  # type: ignore[no-untyped-def]
    calls = failing(monkeypatch, times=MAX_ATTEMPTS)
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings, queue)
    failed = finished_document(queue, job.id)
    assert (failed.status, failed.attempts, failed.error) == (
        "failed", MAX_ATTEMPTS, document_jobs.UNEXPECTED)
    assert len(calls) == MAX_ATTEMPTS and failed.document_id is None
    assert versions(session) == []  # nothing half-saved

    session.expire_all()
    document_jobs.relaunch(session, owner, queue, session.get(DocumentJob, job.id))
    done = finished_document(queue, job.id)
    assert (done.status, done.attempts, done.error) == ("done", 1, "")
    assert [d.id for d in versions(session)] == [done.document_id]


def test_a_job_run_again_makes_no_second_version(session, owner, settings, queue, engine,
                                                  monkeypatch):  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings, queue)
    done = finished_document(queue, job.id)
    monkeypatch.setattr(documents, "make", None)  # would break if called
    document_jobs.run(engine, settings.files_dir, settings.data_dir / "forms", job.id)
    assert [d.id for d in versions(session)] == [done.document_id]


def test_two_workers_on_one_job_leave_one_version(session, owner, settings, engine,
                                                  monkeypatch):  # type: ignore[no-untyped-def]
    """A worker taken for dead renders while its job is run again elsewhere: the second one
    to finish keeps nothing."""
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings)
    real, forms = documents.make, settings.data_dir / "forms"

    def meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(documents, "make", real)
        document_jobs.run(engine, settings.files_dir, forms, job.id)  # the other worker
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "make", meanwhile)
    document_jobs.run(engine, settings.files_dir, forms, job.id)
    session.expire_all()
    done = session.get(DocumentJob, job.id)
    assert [(d.id, d.version) for d in versions(session)] == [(done.document_id, 1)]


def test_a_refusal_found_at_run_time_fails_at_once_without_retry(session, owner, settings,
                                                                 queue):  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings)  # checked, then the file changed
    debtor.proceedings_kind, debtor.proceedings_judgment_date = "liquidation", date(2025, 8, 1)
    session.add(debtor)
    session.commit()
    document_jobs.launch(session, queue, job)
    failed = finished_document(queue, job.id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "liquidation judiciaire" in failed.error and "L622-21" in failed.error
    assert versions(session) == []


class QueueDown:
    mode = "inline"

    def defer(self, task: str, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("connection refused")


def test_a_job_the_queue_could_not_take_fails_at_once(session, owner, settings):  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings, QueueDown())
    session.expire_all()
    failed = session.get(DocumentJob, job.id)
    assert (failed.status, failed.error) == ("failed", document_jobs.NOT_QUEUED)
    assert failed.finished_at is not None


def test_a_job_a_stopped_server_left_is_resumed_at_start(session, owner, settings, queue,
                                                          engine):  # type: ignore[no-untyped-def]
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings)  # committed; the server stopped before it ran
    assert jobs.resume_interrupted(Runtime(engine, settings), queue) == 1
    assert finished_document(queue, job.id).status == "done"


def test_an_orphan_job_is_failed_after_the_grace_period(session, owner, settings, engine):  # type: ignore[no-untyped-def]
    orphans._seen.clear()
    debtor = durand_btp(session, owner)
    job = start(session, owner, debtor, settings)
    key = (orphans.DOCUMENT, job.id)
    assert jobs.orphans_of(jobs.RENDER_DOCUMENT, {"job_id": job.id}) == {key}
    assert orphans.sweep(engine, {key}, now=10.0) == 0  # a job of the queue holds it
    assert orphans.sweep(engine, set(), now=20.0) == 0
    assert orphans.sweep(engine, set(), now=20.0 + orphans.GRACE_SECONDS) == 1
    session.expire_all()
    assert session.get(DocumentJob, job.id).error == document_jobs.NOT_QUEUED
    orphans._seen.clear()
