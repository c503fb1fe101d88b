"""A reminder as a ready-to-send e-mail: RFC 5322 headers and the PDF attached, intact."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy

import pytest

from app.documents.eml import build_eml


def test_the_eml_carries_the_letter_as_a_pdf_attachment():
    pdf = b"%PDF-1.7 letter"
    raw = build_eml(sender=("Menuiserie Lefèvre", "claire@lefevre.test"),
                    recipient=("Durand BTP", "compta@durand-btp.test"),
                    subject="Rappel de facture impayée — Menuiserie Lefèvre",
                    body="Madame, Monsieur,\n\nVeuillez trouver ci-joint notre courrier.\n",
                    pdf=pdf, filename="relance_1-durand-btp-2025-09-30-v1.pdf",
                    day=date(2025, 9, 30), message_id="<document-1-v1@lefevre.test>")
    assert b"\r\n" in raw  # RFC 5322 line endings
    message = message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "Durand BTP <compta@durand-btp.test>"
    assert message["Subject"] == "Rappel de facture impayée — Menuiserie Lefèvre"
    assert message["Date"].datetime.date() == date(2025, 9, 30)
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "relance_1-durand-btp-2025-09-30-v1.pdf"
    assert attachment.get_content() == pdf
    assert "Veuillez trouver ci-joint" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize("name", [
    "Dupont, Durand and Associates (General joinery, fitting and carpentry works) SARL",
    "Société Générale de Menuiserie, Charpente et Couverture du Grand-Ouest Réunis SARL",
    'Rousseau & Fils "Ateliers", Couverture - Zinguerie - Étanchéité - Bardage - Charpente',
    "Menuiserie Lefèvre",
])
def test_long_names_with_a_comma_read_back_as_one_mailbox(name: str) -> None:
    # Seen: Python folded the first name out of its quotes; read back as two mailboxes,
    # "Dupont" (no domain) and "Durand and Associates SARL <contact@lefevre.fr>"
    raw = build_eml(sender=(name, "contact@lefevre.fr"), recipient=(name, "compta@durand.test"),
                    subject="Relance", body="Madame, Monsieur,\n", pdf=b"%PDF-1.7",
                    filename="relance.pdf", day=date(2025, 9, 30), message_id="<m@lefevre.fr>")
    message = message_from_bytes(raw, policy=policy.default)
    for header, address in (("From", "contact@lefevre.fr"), ("To", "compta@durand.test")):
        assert [(a.display_name, a.addr_spec) for a in message[header].addresses] == \
            [(name, address)]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
