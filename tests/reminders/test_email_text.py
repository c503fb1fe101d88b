"""The plain-text part of a reminder e-mail: one figure a line, and a signature that names the
creditor once."""

from __future__ import annotations

from decimal import Decimal
from email import message_from_bytes, policy

from sqlmodel import Session

from app.config import Settings
from app.formatting import eur
from app.models import Creditor, Debtor
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.reminders.run import run
from tests.reminders.conftest import TODAY, Recorder


def _parts(engine, session: Session, owner: Actor, smtp: tuple[Recorder, int],  # type: ignore[no-untyped-def]
           settings: Settings) -> tuple[str, str]:
    assert [o.status for o in run(engine, settings, owner.creditor_id, TODAY)] == ["sent"]
    mail = message_from_bytes(smtp[0].messages[0].data, policy=policy.default)
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return text, mail.get_body(("html",)).get_content()


def test_each_figure_has_its_own_line(engine, session: Session, owner: Actor, durand: Debtor,
                                      smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    text, _ = _parts(engine, session, owner, smtp, smtp_settings)
    decompte = debtor_decompte(session, durand, TODAY)
    # the ECB rate of the 2nd half of 2026 is unconfirmed: the penalties line says so
    assert (f"Pénalités de retard à ce jour : {eur(decompte.interest)} (à vérifier : taux non "
            "encore confirmé)\nIndemnités forfaitaires pour frais de recouvrement : "
            f"{eur(Decimal('80.00'))}\nTotal dû à ce jour : {eur(decompte.total)}\n") in text
    assert "restant dû (pénalités de retard" in text
    lines = [line for line in text.splitlines() if line.startswith("- Facture n° ")]
    assert [line.split(",")[0] for line in lines] == ["- Facture n° F-1", "- Facture n° F-2"]


def test_signature_names_the_creditor_once(engine, session: Session, owner: Actor,
                                           durand: Debtor, smtp: tuple[Recorder, int],
                                           smtp_settings: Settings) -> None:
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.sender_name, creditor.representative = "", ""
    session.add(creditor)
    session.commit()
    text, html = _parts(engine, session, owner, smtp, smtp_settings)
    assert text.endswith("Cordialement,\nMenuiserie Lefèvre\n")
    assert "<p>Cordialement,<br>Menuiserie Lefèvre</p>" in html


def test_signature_names_the_sender_then_the_creditor(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    text, html = _parts(engine, session, owner, smtp, smtp_settings)
    assert text.endswith("Cordialement,\nClaire Lefèvre\nMenuiserie Lefèvre\n")
    assert "<p>Cordialement,<br>Claire Lefèvre<br>Menuiserie Lefèvre</p>" in html
