"""Generating letters and the requête from the debtor page and the API; refusals; sending."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

from pypdf import PdfReader
from sqlmodel import select

from app.models import Court, Evidence, EvidenceInvoice, GeneratedDocument, Invoice, Step
from tests.conftest import api_token
from tests.documents.scenario import durand_btp
from tests.factories import make_step
from tests.jobs import finished_document

HTMX = {"HX-Request": "true"}
JOB_URL = re.compile(r"/document-jobs/(\d+)/status")


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def generate(client, debtor_id, **fields):  # type: ignore[no-untyped-def]
    """Ask for a paper on the debtor page and follow its job to the end, as the page's polling
    does: the refusal (422) at once, or the section the finished job shows."""
    data = {"kind": "mise_en_demeure", "date": "2025-09-30", "deadline_days": "8", **fields}
    response = client.submit(f"/debtors/{debtor_id}/documents", data, headers=HTMX)
    found = JOB_URL.search(response.text)
    if response.status_code != 200 or found is None:
        return response
    finished_document(client.app.state.queue, int(found.group(1)))
    return client.get(found.group(0), headers=HTMX)


def test_owner_generates_a_draft_mise_en_demeure_listed_on_the_page(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = generate(owner_client, debtor.id)
    assert response.status_code == 200
    assert 'id="documents"' in response.text
    assert "Mise en demeure v1 générée" in response.text and "Projet" in response.text
    document = session.exec(select(GeneratedDocument)).one()
    assert document.status == "draft" and document.params["total"] == "4558.43"
    pdf = owner_client.get(f"/documents/{document.id}/download")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "PROJET" in text_of(pdf.content)
    page = owner_client.get(f"/debtors/{debtor.id}")
    assert "Courriers et requête" in page.text and f"/documents/{document.id}/download" in page.text


def test_regenerating_keeps_every_version(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id)
    generate(owner_client, debtor.id, deadline_days="15")
    versions = session.exec(select(GeneratedDocument).order_by(GeneratedDocument.version)).all()
    assert [d.version for d in versions] == [1, 2]
    assert versions[0].sha256 != versions[1].sha256
    # 30/09/2025 + 3 days of post + 15 days = Saturday 18/10 → Monday 20/10/2025 (LAW.md §4)
    assert versions[1].params["deadline"] == "2025-10-20"
    assert owner_client.get(f"/documents/{versions[0].id}/download").status_code == 200


def test_recording_the_mise_en_demeure_as_sent_files_the_final_pdf_and_the_step(
        owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id)
    draft = session.exec(select(GeneratedDocument)).one()
    draft_sha = draft.sha256
    response = owner_client.submit(f"/documents/{draft.id}/sent",
                                   {"sent_on": "2025-10-01", "reference": "1A 234 567 8901 2"},
                                   headers=HTMX)
    assert response.status_code == 200, response.text
    session.expire_all()
    final = session.exec(select(GeneratedDocument)).one()  # the same version, now sent
    step = session.exec(select(Step).where(Step.kind == "mise_en_demeure")).one()
    exhibit = session.exec(select(Evidence).where(Evidence.kind == "mise_en_demeure_copy")).one()
    assert (step.date.isoformat(), step.reference, step.deadline_days) == (
        "2025-10-01", "1A 234 567 8901 2", 8)
    assert exhibit.sha256 == final.sha256 and final.step_id == step.id
    assert final.params["draft_sha256"] == draft_sha != final.sha256  # the draft's bytes kept
    text = text_of(owner_client.get(f"/documents/{final.id}/download").content)
    assert "PROJET" not in text and "1A 234 567 8901 2" in text
    again = owner_client.submit(f"/documents/{draft.id}/sent",
                                {"sent_on": "2025-10-01", "reference": "X"}, headers=HTMX)
    assert again.status_code == 422 and "déjà enregistré" in again.text


def test_recording_a_relance_as_sent_marks_that_version_once(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id, kind="relance_1")
    draft = session.exec(select(GeneratedDocument)).one()
    response = owner_client.submit(f"/documents/{draft.id}/sent",
                                   {"sent_on": "2025-10-01", "channel": "letter"}, headers=HTMX)
    assert response.status_code == 200, response.text
    session.expire_all()
    rows = session.exec(select(GeneratedDocument)).all()
    assert [(d.id, d.version, d.status) for d in rows] == [(draft.id, 1, "sent")]
    assert rows[0].sent_on == date(2025, 10, 1)
    assert response.text.count("Envoyée le 01/10/2025") == 1
    assert not re.search(r"(?<![\w-])v2(?![\w-])", response.text)  # not in a CSRF token


def test_sending_without_the_recommande_number_is_refused_next_to_the_field(
        owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id)
    draft = session.exec(select(GeneratedDocument)).one()
    response = owner_client.submit(f"/documents/{draft.id}/sent", {"sent_on": "2025-10-01"},
                                   headers=HTMX)
    assert response.status_code == 422
    assert "Le numéro du recommandé est obligatoire." in response.text
    assert session.exec(select(Step)).all() == []


def test_a_debtor_in_liquidation_gets_no_letter(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    debtor.proceedings_kind, debtor.proceedings_judgment_date = "liquidation", date(2025, 8, 1)
    session.add(debtor)
    session.commit()
    response = generate(owner_client, debtor.id, kind="relance_1")
    assert response.status_code == 422
    assert "liquidation judiciaire" in response.text and "L622-21" in response.text
    assert "2 mois de la publication au BODACC (4 mois pour un créancier qui ne demeure pas " \
           "sur le territoire du tribunal de la procédure" in unescape(response.text)  # R622-24
    assert session.exec(select(GeneratedDocument)).all() == []


def test_a_prescribed_claim_refuses_the_mise_en_demeure(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = generate(owner_client, debtor.id, date="2031-01-15")
    assert response.status_code == 422
    assert "Créance prescrite : F-2025-001 (dernier jour pour agir : 10/01/2030)" in response.text
    assert "interrompt pas la prescription" in response.text
    assert "(C. civ. 2219, 2247 ; C. com. L110-4 ; C. civ. 2224)" in unescape(response.text)


def test_a_prescribed_carriage_claim_cites_its_own_article(owner_client, session, owner):
    """One year from delivery (C. com. L133-6, LAW.md §1), not the five of L110-4."""
    debtor = durand_btp(session, owner)
    for invoice in session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)):
        invoice.goods_transport = True
        session.add(invoice)
    session.commit()
    response = generate(owner_client, debtor.id, date="2026-06-15")
    assert response.status_code == 422
    refusal = unescape(response.text)
    assert "Créance prescrite : F-2025-001" in refusal
    assert "(C. civ. 2219, 2247 ; C. com. L133-6)" in refusal and "L110-4" not in refusal


def test_an_open_dispute_warns_on_the_letter_and_refuses_the_requete(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    make_step(session, owner, debtor, kind="dispute", date="2025-09-10", level="")
    letter = generate(owner_client, debtor.id)
    assert letter.status_code == 200 and "Contestation en cours depuis le 10/09/2025" in letter.text
    headers = api_token(owner_client, "claire@lefevre.test")
    refused = owner_client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                                json={"kind": "requete_injonction", "date": "2025-09-30"})
    assert refused.status_code == 409
    assert "pas d'injonction de payer" in refused.json()["detail"]


def test_the_api_generates_a_letter_and_lists_it(client, session, owner):
    debtor = durand_btp(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    response = client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                           json={"kind": "relance_1", "date": "2025-09-30", "deadline_days": 8})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["download_url"] == f"/api/v1/documents/{body['id']}/download"
    assert body["warnings"] == ["Facture F-2025-020 : pas encore en retard au 30/09/2025 "
                                "(échéance le 15/10/2025) ; ni pénalités ni indemnité à ce jour."]
    pdf = client.get(body["download_url"], headers=headers)
    assert pdf.status_code == 200 and "F-2025-007" in text_of(pdf.content)
    listed = client.get(f"/api/v1/debtors/{debtor.id}/documents", headers=headers).json()
    assert [(d["id"], d["kind"], d["params"]["total"]) for d in listed] == [
        (body["id"], "relance_1", "4558.43")]


def test_the_api_explains_a_bad_date_field_by_field(client, session, owner):
    debtor = durand_btp(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    response = client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                           json={"kind": "relance_9", "date": "30 septembre"})
    assert response.status_code == 422
    fields = {item["loc"][-1] for item in response.json()["detail"]}
    assert fields == {"kind", "date"}


def test_outsider_and_reader_cannot_generate(client, session, owner, reader, outsider):
    debtor = durand_btp(session, owner)
    other = api_token(client, "paul@roux.test")
    assert client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=other,
                       json={"kind": "relance_1", "date": "2025-09-30"}).status_code == 404
    readonly = api_token(client, "lea@lefevre.test")
    assert client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=readonly,
                       json={"kind": "relance_1", "date": "2025-09-30"}).status_code == 403


def test_a_reminder_downloads_as_an_email_with_the_pdf(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id, kind="relance_2")
    document = session.exec(select(GeneratedDocument)).one()
    response = owner_client.get(f"/documents/{document.id}/email")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("message/rfc822")
    assert b"To: Durand BTP <compta@durand-btp.test>" in response.content
    assert b"Content-Type: application/pdf" in response.content


def test_no_email_of_a_reminder_to_a_debtor_without_an_address(owner_client, session, owner):
    # Seen: "To: Rousseau & Fils <>", a message no mail program can send
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id, kind="relance_1")
    debtor.email = ""
    session.add(debtor)
    session.commit()
    document = session.exec(select(GeneratedDocument)).one()
    response = owner_client.get(f"/documents/{document.id}/email")
    assert response.status_code == 409
    assert "n'a pas d'adresse e-mail" in unescape(response.text)
    assert b"<>" not in response.content


def _prove_invoices(session, debtor):  # type: ignore[no-untyped-def]
    for number, invoice in enumerate(session.exec(select(Invoice)).all(), start=1):
        for kind in ("invoice", "signed_quote", "delivery_note"):
            exhibit = Evidence(creditor_id=debtor.creditor_id, debtor_id=debtor.id,
                               sha256=f"{number:02d}{kind[:2]}".ljust(64, "0"), size=10,
                               media_type="application/pdf", original_name=f"{kind}.pdf",
                               kind=kind, title=f"{kind} {invoice.number}",
                               document_date=invoice.issue_date, position=number)
            session.add(exhibit)
            session.flush()
            session.add(EvidenceInvoice(evidence_id=exhibit.id, invoice_id=invoice.id))
    session.commit()


def test_a_requete_with_a_complete_file_lists_the_pieces(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    court = owner_client.submit(f"/debtors/{debtor.id}/courts", {
        "court_kind": "tribunal_commerce", "court_name": "Tribunal de commerce d'Angers",
        "court_street": "Palais de justice", "court_postal_code": "49000",
        "court_city": "Angers"}, headers=HTMX)
    assert court.status_code == 200 and "Tribunal de commerce d&#39;Angers" in court.text
    court_id = session.exec(select(Court.id)).one()
    response = generate(owner_client, debtor.id, kind="requete_injonction", date="2026-11-22",
                        court_id=str(court_id), refer_if_opposed="1")
    assert response.status_code == 200, response.text
    assert "À lire avant tout envoi" in response.text  # no mise en demeure recorded yet
    document = session.exec(select(GeneratedDocument)).one()
    text = text_of(owner_client.get(f"/documents/{document.id}/download").content)
    assert "Bordereau des pièces communiquées" in text and "1408" in text
    assert "Tribunal de commerce d'Angers" in text


def test_a_requete_without_the_invoices_in_the_file_is_refused(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    response = generate(owner_client, debtor.id, kind="requete_injonction", date="2026-11-22")
    assert response.status_code == 422
    assert "Requête refusée" in response.text and "à compléter ou à régler" in response.text
    assert "facture non jointe" in response.text
    assert f'href="/debtors/{debtor.id}#evidence"' in response.text
