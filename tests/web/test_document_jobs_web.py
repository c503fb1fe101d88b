"""The debtor page asks for a paper and follows its job: a refusal still shows at once next to
the form (nothing queued); otherwise "en cours", polled, then the version's links; a job that
gave up shows its error and "Relancer" (app/web/routes/documents.py)."""

from __future__ import annotations

from html import unescape

from sqlmodel import select

from app.models import DocumentJob, GeneratedDocument
from app.services import document_jobs
from tests.documents.scenario import durand_btp
from tests.jobs import finished_document
from tests.web.test_generate_documents import HTMX

LETTER = {"kind": "mise_en_demeure", "date": "2025-09-30", "deadline_days": "8"}


def ask(client, debtor_id, **fields):  # type: ignore[no-untyped-def]
    return client.submit(f"/debtors/{debtor_id}/documents", {**LETTER, **fields}, headers=HTMX)


def test_a_refusal_shows_at_once_and_queues_nothing(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    debtor.street = debtor.postal_code = debtor.city = ""
    session.add(debtor)
    session.commit()
    response = ask(owner_client, debtor.id)
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Mise en demeure refusée : 3 points à compléter ou à régler" in text
    assert f'href="/debtors/{debtor.id}/edit#f-street"' in text
    assert 'name="kind"' in text  # next to the form, still filled
    assert "/document-jobs/" not in text and "Génération en" not in text
    assert session.exec(select(DocumentJob)).all() == []


def test_a_form_error_shows_at_once_next_to_its_field(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = ask(owner_client, debtor.id, date="30/13/2025")
    assert response.status_code == 422 and "has-error" in response.text
    assert session.exec(select(DocumentJob)).all() == []


def test_the_page_shows_the_job_running_then_the_document_link(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = ask(owner_client, debtor.id)
    assert response.status_code == 200
    job = session.exec(select(DocumentJob)).one()
    status_url = f"/document-jobs/{job.id}/status"
    assert "Génération en attente" in response.text
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in response.text

    finished_document(owner_client.app.state.queue, job.id)
    done = owner_client.get(status_url, headers=HTMX)
    document = session.exec(select(GeneratedDocument)).one()
    assert done.status_code == 200
    assert done.headers["HX-Retarget"] == "#documents"
    assert "Mise en demeure v1 générée" in done.text
    assert f"/documents/{document.id}/download" in done.text
    assert "Génération en" not in done.text and status_url not in done.text

    page = owner_client.get(f"/debtors/{debtor.id}").text  # any server: the state is in the database
    assert f"/documents/{document.id}/download" in page and "Génération en" not in page


def test_polling_a_running_job_answers_its_progress_block(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    job = DocumentJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                      kind="relance_1", status="running", options={"kind": "relance_1"})
    session.add(job)
    session.commit()
    response = owner_client.get(f"/document-jobs/{job.id}/status", headers=HTMX)
    assert response.status_code == 200 and "HX-Retarget" not in response.headers
    assert response.text.lstrip().startswith('<div id="document-job"')
    assert "Génération en cours" in response.text
    page = owner_client.get(f"/debtors/{debtor.id}").text
    assert f'hx-get="/document-jobs/{job.id}/status"' in page  # a reload keeps following it


def test_a_job_that_gave_up_shows_its_error_and_relancer(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    job = DocumentJob(creditor_id=owner.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                      kind="mise_en_demeure", status="failed", attempts=3, created_by=owner.user_id,
                      error=document_jobs.UNEXPECTED, options=LETTER)
    session.add(job)
    session.commit()
    response = owner_client.get(f"/document-jobs/{job.id}/status", headers=HTMX)
    assert "Document non généré." in unescape(response.text)
    assert document_jobs.UNEXPECTED in unescape(response.text)
    assert 'id="document-job-retry"' in response.text

    relaunched = owner_client.submit(f"/document-jobs/{job.id}/retry", headers=HTMX)
    assert relaunched.status_code == 200 and "Génération en attente" in relaunched.text
    done = finished_document(owner_client.app.state.queue, job.id)
    assert (done.status, done.attempts) == ("done", 1)
    page = owner_client.get(f"/debtors/{debtor.id}").text
    assert f"/documents/{done.document_id}/download" in page and "document-job-retry" not in page


def test_a_job_of_another_creditor_is_not_found(owner_client, session, owner, outsider):
    debtor = durand_btp(session, outsider)
    job = DocumentJob(creditor_id=outsider.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                      kind="relance_1", status="failed", options={})
    session.add(job)
    session.commit()
    assert owner_client.get(f"/document-jobs/{job.id}/status", headers=HTMX).status_code == 404
    assert owner_client.submit(f"/document-jobs/{job.id}/retry", headers=HTMX).status_code == 404


def test_without_javascript_the_page_follows_the_job(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = owner_client.submit(f"/debtors/{debtor.id}/documents", LETTER,
                                   follow_redirects=False)
    assert response.status_code == 303
    job = session.exec(select(DocumentJob)).one()
    finished_document(owner_client.app.state.queue, job.id)
    page = owner_client.get(response.headers["location"]).text
    session.expire_all()
    made = session.get(DocumentJob, job.id)
    assert made.status == "done" and f"/documents/{made.document_id}/download" in page
