"""Uploading exhibits on the debtor page: for each scenario, what the user sees, what is
stored, and that a refusal leaves nothing half-stored (no row, no file, no temporary file)."""

from __future__ import annotations

import os
import re

import pytest
from sqlmodel import Session

from app.models import Debtor
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser
from tests.evidence.conftest import LIMIT_MB, rows, sample, stored_files, upload

REFUSALS = [
    ("encrypted_needs_password.pdf", "protégé par un mot de passe ; déposez une copie déverrouillée"),
    ("truncated_tail.pdf", "ce PDF est endommagé ou incomplet"),
    ("random_bytes.pdf", "son nom se termine par .pdf mais son contenu est un fichier d'un type inconnu"),
    ("html_page.pdf", "son nom se termine par .pdf mais son contenu est une page web (HTML)"),
    ("zero_bytes.pdf", "le fichier est vide (0 octet)"),
]
ACCEPTED = [
    ("text_quote_signed.pdf", "application/pdf", "signed_quote", "Devis signé"),
    ("scanned_delivery_note.pdf", "application/pdf", "delivery_note", "Bon de livraison"),
    ("photo_exif_rotated_90.jpg", "image/jpeg", "other", "Autre"),
    ("screenshot.png", "image/png", "other", "Autre"),
    ("email_with_pdf_attachment.eml", "message/rfc822", "email", "Échange d&#39;e-mails"),
    ("facturx_invoice_F-2026-042.pdf", "application/pdf", "invoice", "Facture"),
    ("encrypted_empty_password.pdf", "application/pdf", "signed_quote", "Devis signé"),
    ("damaged_xref_readable.pdf", "application/pdf", "signed_quote", "Devis signé"),
]


def assert_nothing_half_stored(store: FileStore) -> None:
    assert store.temp_files() == []


@pytest.mark.parametrize(("name", "media_type", "kind", "label"), ACCEPTED)
def test_an_accepted_file_is_listed_with_its_kind_and_stored_under_its_hash(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor,
        name: str, media_type: str, kind: str, label: str) -> None:
    response = upload(owner_client, durand, (name, sample(name)))
    assert response.status_code == 200, response.text
    assert f"« {name} » enregistré : pièce n° 1" in response.text
    assert f'<span class="badge kind">{label}' in response.text
    (row,) = rows(session, durand)
    assert (row.media_type, row.kind, row.original_name) == (media_type, kind, name)
    assert store.read(row.sha256) == sample(name)
    assert_nothing_half_stored(store)


@pytest.mark.parametrize(("name", "reason"), REFUSALS)
def test_a_refused_file_is_named_with_its_reason_and_nothing_remains(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor,
        name: str, reason: str) -> None:
    response = upload(owner_client, durand, (name, sample(name)))
    assert response.status_code == 422
    message = re.search(r'<li class="refused"[^>]*>([^<]*)</li>', response.text)
    assert message is not None
    assert message.group(1).startswith(f"« {name} » refusé : ")
    assert reason in message.group(1).replace("&#39;", "'")
    assert rows(session, durand) == [] and stored_files(store) == []
    assert_nothing_half_stored(store)


def test_a_file_over_the_limit_is_refused_while_streaming_and_nothing_remains(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    big = b"%PDF-1.7\n" + os.urandom(LIMIT_MB * 1024 * 1024 + 10)
    response = upload(owner_client, durand, ("gros scan.pdf", big),
                      ("screenshot.png", sample("screenshot.png")))
    assert response.status_code == 422
    assert "« gros scan.pdf » refusé : le fichier dépasse la taille maximale de 1 Mo." \
        in response.text
    assert "« screenshot.png » enregistré : pièce n° 1" in response.text
    assert [r.original_name for r in rows(session, durand)] == ["screenshot.png"]
    assert len(stored_files(store)) == 1
    assert_nothing_half_stored(store)


def test_names_with_folders_and_html_are_cleaned_and_escaped(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    response = upload(owner_client, durand,
                      ("../../../etc/devis.pdf", sample("text_quote_signed.pdf")),
                      ("<img src=x onerror=alert(1)>.png", sample("screenshot.png")))
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert "« &lt;img src=x onerror=alert(1)&gt;.png » enregistré" in response.text
    names = sorted(r.original_name for r in rows(session, durand))
    assert names == ["<img src=x onerror=alert(1)>.png", "devis.pdf"]
    assert all(p.is_relative_to(store.root) for p in stored_files(store))
    image = next(r for r in rows(session, durand) if r.media_type == "image/png")
    download = owner_client.get(f"/evidence/{image.id}/download")
    assert download.headers["content-disposition"] == \
        "attachment; filename*=utf-8''img%20src%3Dx%20onerror%3Dalert%281%29_.png"


def test_the_same_file_twice_is_refused_as_already_present(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    upload(owner_client, durand, ("devis.pdf", sample("text_quote_signed.pdf")))
    response = upload(owner_client, durand, ("devis (1).pdf", sample("text_quote_signed.pdf")))
    assert response.status_code == 422
    assert "« devis (1).pdf » refusé : déjà présent : pièce n° 1 (« devis.pdf »)." in \
        response.text.replace("&#39;", "'")
    assert len(rows(session, durand)) == 1 and len(stored_files(store)) == 1
    assert_nothing_half_stored(store)


def test_twenty_files_at_once_are_all_stored_and_numbered_in_order(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    base = sample("screenshot.png")
    files = [(f"photo chantier {n:02d}.png", base.replace(b"IEND", b"IEND" + bytes([n])))
             for n in range(1, 21)]
    response = upload(owner_client, durand, *files)
    assert response.status_code == 200
    stored = rows(session, durand)
    assert [r.original_name for r in stored] == [name for name, _ in files]
    assert len({r.sha256 for r in stored}) == 20 == len(stored_files(store))
    assert "« photo chantier 20.png » enregistré : pièce n° 20" in response.text
    assert_nothing_half_stored(store)


def test_without_javascript_the_plain_form_redirects_to_the_page_listing_the_files(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    page = owner_client.get(f"/debtors/{durand.id}")
    assert 'enctype="multipart/form-data"' in page.text
    assert '<input id="evidence-files" type="file" name="files" multiple' in page.text
    response = upload(owner_client, durand, ("devis.pdf", sample("text_quote_signed.pdf")),
                      ("cgv.png", sample("screenshot.png")), htmx=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/debtors/{durand.id}?ok=saved#evidence"
    page = owner_client.get(response.headers["location"])
    assert "devis.pdf" in page.text and "Conditions générales de vente" in page.text


def test_without_javascript_a_refusal_shows_the_page_with_the_reason(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    response = upload(owner_client, durand, ("faux.pdf", sample("html_page.pdf")),
                      ("devis.pdf", sample("text_quote_signed.pdf")), htmx=False)
    assert response.status_code == 422
    assert "<h1>Durand BTP" in response.text
    assert "« faux.pdf » refusé : son nom se termine par .pdf" in response.text
    assert "« devis.pdf » enregistré : pièce n° 1" in response.text


def test_an_upload_without_the_csrf_token_stores_nothing(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    response = owner_client.post(f"/debtors/{durand.id}/evidence",
                                 files=[("files", ("devis.pdf", sample("text_quote_signed.pdf")))])
    assert response.status_code == 403
    assert rows(session, durand) == [] and stored_files(store) == []
    assert_nothing_half_stored(store)


def test_a_reader_cannot_upload_and_sees_no_upload_form(
        client: Browser, session: Session, store: FileStore, durand: Debtor,
        reader: Actor) -> None:
    client.login("lea@lefevre.test")
    assert "evidence-files" not in client.get(f"/debtors/{durand.id}").text
    response = upload(client, durand, ("devis.pdf", sample("text_quote_signed.pdf")))
    assert response.status_code == 403
    assert stored_files(store) == [] and store.temp_files() == []


def test_another_creditor_cannot_upload_to_or_download_from_this_debtor(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor,
        outsider: Actor) -> None:
    upload(owner_client, durand, ("devis.pdf", sample("text_quote_signed.pdf")))
    (row,) = rows(session, durand)
    owner_client.post("/logout", data={"csrf_token": owner_client.csrf})
    owner_client.login("paul@roux.test")
    assert owner_client.get(f"/evidence/{row.id}/download").status_code == 404
    response = upload(owner_client, durand, ("x.png", sample("screenshot.png")))
    assert response.status_code == 404
    assert len(stored_files(store)) == 1 and store.temp_files() == []


def test_download_serves_the_original_with_type_name_and_nosniff(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    upload(owner_client, durand, ("Devis signé.pdf", sample("text_quote_signed.pdf")),
           ("relance.eml", sample("email_with_pdf_attachment.eml")))
    pdf, mail = rows(session, durand)
    response = owner_client.get(f"/evidence/{pdf.id}/download")
    assert response.content == sample("text_quote_signed.pdf")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == \
        "attachment; filename*=utf-8''Devis%20sign%C3%A9.pdf"
    inline = owner_client.get(f"/evidence/{pdf.id}/download?inline=1")
    assert inline.headers["content-disposition"].startswith("inline;")
    eml = owner_client.get(f"/evidence/{mail.id}/download?inline=1")
    assert eml.headers["content-type"] == "message/rfc822"
    assert eml.headers["content-disposition"] == 'attachment; filename="relance.eml"'


def test_edit_in_place_sets_kind_title_date_and_invoices(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    upload(owner_client, durand, ("IMG_2041.jpg", sample("photo_exif_rotated_90.jpg")))
    (row,) = rows(session, durand)
    form = owner_client.get(f"/evidence/{row.id}/edit", headers={"HX-Request": "true"})
    assert form.text.lstrip().startswith('<div id="evidence-list">')
    assert 'name="kind"' in form.text and "F-2025-002" in form.text
    invoice_ids = re.findall(r'name="invoices" value="(\d+)"', form.text)
    bad = owner_client.post(f"/evidence/{row.id}", headers={"HX-Request": "true"},
                            data={"csrf_token": owner_client.csrf, "kind": "delivery_note",
                                  "document_date": "32/01/2025", "invoices": invoice_ids[:1]})
    assert bad.status_code == 422 and "Date invalide" in bad.text
    saved = owner_client.post(f"/evidence/{row.id}", headers={"HX-Request": "true"},
                              data={"csrf_token": owner_client.csrf, "kind": "delivery_note",
                                    "title": "PV de réception", "document_date": "2025-01-20",
                                    "invoices": invoice_ids})
    assert saved.status_code == 200
    assert "PV de réception" in saved.text and "du 20/01/2025" in saved.text
    assert '<span class="badge">F-2025-001</span> <span class="badge">F-2025-002</span>' \
        in saved.text


def test_reorder_and_withdraw_with_a_reason(
        owner_client: Browser, session: Session, store: FileStore, durand: Debtor) -> None:
    upload(owner_client, durand, ("chantier.png", sample("screenshot.png")),
           ("vitrine.jpg", sample("photo_exif_rotated_90.jpg")))
    first, second = rows(session, durand)
    assert first.kind == second.kind == "other"  # a move stays within its kind
    hx = {"HX-Request": "true"}
    moved = owner_client.post(f"/evidence/{second.id}/move", headers=hx,
                              data={"csrf_token": owner_client.csrf, "direction": "up"})
    assert moved.text.index("vitrine.jpg") < moved.text.index("chantier.png")
    refused = owner_client.post(f"/evidence/{first.id}/withdraw", headers=hx,
                                data={"csrf_token": owner_client.csrf, "reason": ""})
    assert refused.status_code == 422 and "Le motif du retrait est obligatoire." in refused.text
    done = owner_client.post(f"/evidence/{first.id}/withdraw", headers=hx,
                             data={"csrf_token": owner_client.csrf, "reason": "Doublon du PV"})
    assert "Pièces retirées (1)" in done.text and "Doublon du PV" in done.text
    assert store.exists(first.sha256)
    history = owner_client.get(f"/debtors/{durand.id}").text
    assert "Pièce retirée : chantier — Doublon du PV" in history


def test_email_attachments_are_added_from_the_page(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    upload(owner_client, durand, ("relance.eml", sample("email_with_pdf_attachment.eml")))
    (mail,) = rows(session, durand)
    response = owner_client.post(f"/evidence/{mail.id}/attachments",
                                 headers={"HX-Request": "true"},
                                 data={"csrf_token": owner_client.csrf, "attachment": ["0"]})
    # An invoice comes before e-mails in the bordereau's legal order.
    assert "« facture F-2025-001.pdf » enregistré : pièce n° 1, facture." in response.text
    assert rows(session, durand)[1].parent_id == mail.id


def test_a_facturx_upload_offers_the_invoice_and_creates_it(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    response = upload(owner_client, durand, ("f.pdf", sample("facturx_invoice_F-2026-042.pdf")))
    assert "Créer la facture F-2026-042" in response.text
    (row,) = rows(session, durand)
    created = owner_client.post(f"/evidence/{row.id}/facturx",
                                data={"csrf_token": owner_client.csrf}, follow_redirects=False)
    assert created.status_code == 303
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert "F-2026-042" in page and "correspond déjà" in page


def test_a_facturx_invoice_of_another_buyer_says_why_it_is_not_taken_over(
        owner_client: Browser, durand: Debtor) -> None:
    response = upload(owner_client, durand, ("f.pdf", sample("facturx_other_buyer.pdf")))
    assert "Non reprise : l&#39;acheteur de la facture (Charpentes Bernard, SIREN 732829320)" \
        in response.text
    assert "Créer la facture" not in response.text


def test_of_two_attachments_with_one_name_the_other_can_still_be_added(
        owner_client: Browser, session: Session, durand: Debtor) -> None:
    # dup-names.eml: two different "facture.pdf". Once the first was added, both said
    # "(déjà ajoutée)" and the second could not be added from the page.
    mail_bytes = sample("hostile-mail/dup-names.eml")
    upload(owner_client, durand, ("dup-names.eml", mail_bytes))
    (mail,) = rows(session, durand)
    hx = {"HX-Request": "true"}
    page = owner_client.post(f"/evidence/{mail.id}/attachments", headers=hx,
                             data={"csrf_token": owner_client.csrf, "attachment": ["0"]}).text
    assert page.count("facture.pdf (déjà ajoutée)") == 1
    assert 'name="attachment" value="1"' in page and "Ajouter comme pièces" in page
    owner_client.post(f"/evidence/{mail.id}/attachments", headers=hx,
                      data={"csrf_token": owner_client.csrf, "attachment": ["1"]})
    children = [e for e in rows(session, durand) if e.parent_id == mail.id]
    assert len(children) == 2 and children[0].sha256 != children[1].sha256


def test_pieces_produced_in_a_claim_file_keep_their_numbers_until_the_user_renumbers(
        owner_client: Browser, session: Session, owner: Actor, durand: Debtor) -> None:
    """LAW.md §5: one numbering kept stable for the whole case."""
    from datetime import date

    from app.services import claim_file

    upload(owner_client, durand, ("chantier.png", sample("screenshot.png")))
    job = claim_file.start(session, owner, durand, {}, date(2026, 11, 30))
    assert job.options["numbering"] == [[1, rows(session, durand)[0].id]]
    hx = {"HX-Request": "true"}
    page = upload(owner_client, durand, ("devis.pdf", sample("text_quote_signed.pdf")))
    # a signed quote comes first in ordre d'usage, but n° 1 was produced: it is n° 2
    assert "« devis.pdf » enregistré : pièce n° 2, devis signé." in page.text
    assert "Numérotation conservée pour toute l'affaire" in page.text
    assert page.text.count("n° conservé") == 1
    renumbered = owner_client.post(f"/debtors/{durand.id}/evidence/renumber", headers=hx,
                                   data={"csrf_token": owner_client.csrf})
    assert renumbered.status_code == 200
    assert "Numérotation conservée" not in renumbered.text
    assert renumbered.text.index("devis.pdf") < renumbered.text.index("chantier.png")
    history = owner_client.get(f"/debtors/{durand.id}").text
    assert "Pièces renumérotées dans l&#39;ordre d&#39;usage" in history
