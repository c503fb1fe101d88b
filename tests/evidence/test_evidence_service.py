"""The evidence service: add, duplicates, classify and link, reorder, withdraw, e-mail
attachments, Factur-X invoices; every change audited, other creditors kept out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.errors import DomainError, Forbidden, NotFound, ValidationFailed
from app.evidence import Refusal
from app.models import AuditEvent, Debtor, Evidence, Invoice
from app.services import evidence as exhibits
from app.services import evidence_facturx as facturx
from app.services.context import Actor
from app.services.evidence_names import clean_filename, download_name
from app.storage import FileStore
from tests.evidence.conftest import rows, sample, stored_files
from tests.factories import make_debtor

MB = 1024 * 1024


def add(session: Session, actor: Actor, store: FileStore, debtor: Debtor, name: str,
        data: dict | None = None, as_name: str | None = None) -> Evidence:  # type: ignore[type-arg]
    return exhibits.add_bytes(session, actor, store, debtor, sample(name), as_name or name,
                              MB, data)


def audit_of(session: Session, evidence: Evidence) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.object_type == "evidence",
                                                      AuditEvent.object_id == evidence.id)
                             .order_by(AuditEvent.id)))  # type: ignore[arg-type]


def test_an_added_file_is_stored_then_recorded_with_its_facts_and_an_audit_event(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "text_quote_signed.pdf",
                   {"invoices": "F-2025-001"})
    assert store.read(evidence.sha256) == sample("text_quote_signed.pdf")
    assert (evidence.media_type, evidence.pages, evidence.kind) == \
        ("application/pdf", 1, "signed_quote")
    assert evidence.uploaded_by == owner.user_id
    links = exhibits.linked_invoices(session, [evidence.id])[evidence.id]  # type: ignore[list-item,index]
    assert [i.number for i in links] == ["F-2025-001"]
    (event,) = audit_of(session, evidence)
    assert event.action == "create" and event.user_id == owner.user_id
    assert event.changes["sha256"] == evidence.sha256
    assert event.changes["invoices"] == ["F-2025-001"]


def test_the_same_file_twice_for_a_debtor_is_refused_naming_the_exhibit(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    add(session, owner, store, durand, "screenshot.png")
    add(session, owner, store, durand, "text_quote_signed.pdf")
    with pytest.raises(Refusal) as caught:
        add(session, owner, store, durand, "text_quote_signed.pdf", as_name="copie.pdf")
    assert caught.value.message == \
        "« copie.pdf » refusé : déjà présent : pièce n° 1 (« text_quote_signed.pdf »)."  # a quote comes first
    assert len(rows(session, durand)) == 2
    assert store.temp_files() == []


def test_the_same_file_for_another_debtor_is_a_new_exhibit_sharing_the_stored_copy(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    other = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    first = add(session, owner, store, durand, "screenshot.png")
    second = add(session, owner, store, other, "screenshot.png")
    assert first.sha256 == second.sha256 and first.id != second.id
    assert len(stored_files(store)) == 1


def test_a_refused_file_leaves_no_row_no_file_and_no_temporary_file(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    with pytest.raises(Refusal):
        add(session, owner, store, durand, "encrypted_needs_password.pdf")
    assert rows(session, durand) == []
    assert stored_files(store) == [] and store.temp_files() == []


def test_invalid_fields_refuse_the_file_and_keep_nothing(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    with pytest.raises(ValidationFailed) as caught:
        add(session, owner, store, durand, "screenshot.png",
            {"invoices": "F-9999", "document_date": "31/02/2026"})
    assert caught.value.errors == {"invoices": "Facture inconnue pour ce débiteur : F-9999.",
                                   "document_date": "Date invalide : écrivez JJ/MM/AAAA."}
    assert rows(session, durand) == [] and stored_files(store) == []


def test_a_reader_cannot_add_and_nothing_is_kept(
        session: Session, reader: Actor, store: FileStore, durand: Debtor) -> None:
    with pytest.raises(Forbidden):
        add(session, reader, store, durand, "screenshot.png")
    assert stored_files(store) == [] and store.temp_files() == []


def test_classifying_changes_kind_title_date_and_invoices_and_audits_the_difference(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "photo_exif_rotated_90.jpg")
    exhibits.update(session, owner, evidence, {
        "kind": "delivery_note", "title": "PV de réception signé", "document_date": "2025-01-20",
        "invoices": ["F-2025-001", "F-2025-002"]})
    links = exhibits.linked_invoices(session, [evidence.id])[evidence.id]  # type: ignore[list-item,index]
    assert sorted(i.number for i in links) == ["F-2025-001", "F-2025-002"]
    exhibits.update(session, owner, evidence, {"kind": "delivery_note",
                                               "title": "PV de réception signé",
                                               "document_date": "2025-01-20",
                                               "invoices": ["F-2025-002"]})
    links = exhibits.linked_invoices(session, [evidence.id])[evidence.id]  # type: ignore[list-item,index]
    assert [i.number for i in links] == ["F-2025-002"]
    last = audit_of(session, evidence)[-1]
    assert last.action == "update"
    assert last.changes == {"invoices": [["F-2025-001", "F-2025-002"], ["F-2025-002"]]}


def test_an_invoice_of_another_debtor_cannot_be_linked(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    other = make_debtor(session, owner, legal_name="Garage Central", siren="")
    evidence = add(session, owner, store, other, "screenshot.png")
    with pytest.raises(ValidationFailed) as caught:
        exhibits.update(session, owner, evidence, {"kind": "other", "invoices": ["F-2025-001"]})
    assert "F-2025-001" in caught.value.errors["invoices"]


def test_moving_an_exhibit_changes_the_numbers(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    a = add(session, owner, store, durand, "text_quote_signed.pdf")
    b = add(session, owner, store, durand, "screenshot.png")
    c = add(session, owner, store, durand, "photo_exif_rotated_90.jpg")
    exhibits.move(session, owner, c, "up")
    assert [e.id for e in exhibits.active(session, durand)] == [a.id, c.id, b.id]
    exhibits.move(session, owner, a, "up")  # already first: nothing changes
    assert exhibits.numbers(exhibits.active(session, durand)) == {a.id: 1, c.id: 2, b.id: 3}
    assert audit_of(session, c)[-1].summary.endswith("n° 3 → n° 2")


def test_a_withdrawn_exhibit_leaves_the_numbering_but_keeps_its_file_and_row(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    a = add(session, owner, store, durand, "text_quote_signed.pdf")
    b = add(session, owner, store, durand, "screenshot.png")
    with pytest.raises(ValidationFailed):
        exhibits.withdraw(session, owner, a, {"reason": ""})
    exhibits.withdraw(session, owner, a, {"reason": "Devis non signé, remplacé"})
    assert exhibits.numbers(exhibits.of_debtor(session, durand)) == {b.id: 1}
    assert store.exists(a.sha256) and len(rows(session, durand)) == 2
    event = audit_of(session, a)[-1]
    assert event.action == "withdraw" and "Devis non signé, remplacé" in event.summary
    with pytest.raises(DomainError):
        exhibits.update(session, owner, a, {"kind": "other"})
    with pytest.raises(Refusal) as caught:
        add(session, owner, store, durand, "text_quote_signed.pdf")
    assert "puis retiré le" in caught.value.message


def test_attachments_of_an_email_become_exhibits_of_their_own(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    mail = add(session, owner, store, durand, "email_with_pdf_attachment.eml")
    (outcome,) = exhibits.add_attachments(session, owner, store, mail, [0], MB)
    attached = outcome.evidence
    assert attached is not None and attached.parent_id == mail.id
    assert attached.original_name == "facture F-2025-001.pdf"
    assert (attached.media_type, attached.kind) == ("application/pdf", "invoice")
    again = exhibits.add_attachments(session, owner, store, mail, [0, 5], MB)
    assert "déjà présent : pièce n° 1" in again[0].message  # invoices come before e-mails
    assert again[1].message == "Cette pièce jointe n'existe pas dans l'e-mail."


def test_a_facturx_exhibit_creates_the_invoice_and_is_linked_to_it(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "facturx_invoice_F-2026-042.pdf")
    offer = facturx.offer(session, owner, evidence)
    assert offer is not None and offer.action == "create"
    invoice = facturx.apply(session, owner, evidence)
    assert (invoice.number, invoice.amount_ttc, str(invoice.due_date)) == \
        ("F-2026-042", Decimal("3000.00"), "2026-04-14")
    assert invoice.debtor_id == durand.id
    links = exhibits.linked_invoices(session, [evidence.id])[evidence.id]  # type: ignore[list-item,index]
    assert [i.id for i in links] == [invoice.id]
    assert facturx.offer(session, owner, evidence).action == "up_to_date"  # type: ignore[union-attr]


def test_a_facturx_exhibit_completes_an_invoice_entered_with_other_amounts(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    from tests.factories import make_invoice

    make_invoice(session, owner, durand, number="F-2026-042", issue_date="2026-03-15",
                 due_date="2026-05-15", amount_ht="2000.00", amount_tva="400.00",
                 amount_ttc="2400.00")
    evidence = add(session, owner, store, durand, "facturx_invoice_F-2026-042.pdf")
    offer = facturx.offer(session, owner, evidence)
    assert offer is not None and offer.action == "complete"
    assert offer.changes["amount_ttc"] == ("2400.00", "3000.00")
    invoice = facturx.apply(session, owner, evidence)
    assert (invoice.amount_ttc, str(invoice.due_date)) == (Decimal("3000.00"), "2026-04-14")


def test_a_facturx_invoice_for_another_buyer_is_not_taken_over(
        session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "facturx_other_buyer.pdf")
    offer = facturx.offer(session, owner, evidence)
    assert offer is not None and offer.action == "refused"
    assert offer.problem == ("l'acheteur de la facture (Charpentes Bernard, SIREN 732829320) "
                             "n'est pas Durand BTP (SIREN 487654329).")
    with pytest.raises(DomainError):
        facturx.apply(session, owner, evidence)
    assert session.exec(select(Invoice).where(Invoice.number == "F-2026-077")).first() is None


def test_the_buyer_matches_by_name_when_the_debtor_has_no_siren(
        session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner, legal_name="DURAND  B.T.P.", siren="")
    assert facturx.buyer_problem(debtor, {"name": "Durand BTP SAS", "siren": ""}) == ""
    assert facturx.buyer_problem(debtor, {"name": "Durand Frères", "siren": ""}) != ""
    assert facturx.buyer_problem(debtor, {"name": "", "siren": ""}) == \
        "la facture Factur-X ne nomme pas son acheteur."


def test_another_creditor_cannot_reach_an_exhibit(
        session: Session, owner: Actor, outsider: Actor, store: FileStore,
        durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "screenshot.png")
    with pytest.raises(NotFound):
        exhibits.get(session, outsider, evidence.id)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\claire\\devis.pdf", "devis.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
    ("<script>alert(1)</script>.pdf", "script>.pdf"),  # "/" is a folder separator
    ("facture\x00\n.pdf", "facture.pdf"),
    ("", "fichier"),
])
def test_file_names_lose_their_folders_and_control_characters(name: str, clean: str) -> None:
    assert clean_filename(name) == clean


def test_the_download_name_is_safe_and_carries_the_real_extension() -> None:
    evidence = Evidence(creditor_id=1, debtor_id=1, sha256="0" * 64, size=1,
                        media_type="image/jpeg", original_name='<b>"photo"</b>.pdf')
    assert download_name(evidence) == "b_photo_b_.pdf.jpg"
