"""The claim file's summary says what is left of each invoice as its décompte does (a payment
pays the accrued interest first, C. civ. 1343-1), and names what the total holds for the kind
of debtor: no penalties nor 40 € for a consumer (LAW.md §2.3)."""

from __future__ import annotations

from sqlmodel import Session

from app.documents.letters import claimed_part
from app.formatting import eur
from app.services import law_facts
from app.services.claim_front import facts
from app.services.context import Actor
from app.services.file_view import file_view
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step


def summary(session: Session, debtor) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    view = file_view(session, debtor, TODAY)
    claimed = claimed_part(view.decompte, TODAY)
    file = law_facts.load(session, debtor, TODAY)
    return " ".join(facts(file, claimed, {})), claimed


def test_what_is_left_is_the_decompte_principal(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    make_payment(session, owner, debtor, date="2026-10-01", amount="500.00")
    text, claimed = summary(session, debtor)
    row = claimed.invoices[0]  # type: ignore[attr-defined]
    to_interest = row.payments[0].to_interest
    assert to_interest > 0 and row.principal == 700 + to_interest
    assert (f"il en reste {eur(row.principal)} à payer en principal, les paiements ayant "
            f"d'abord réglé {eur(to_interest)} de pénalités de retard échues (C. civ. 1343-1).") in text
    assert "pénalités de retard et indemnités forfaitaires comprises" in text


def test_a_consumer_total_holds_legal_interest_not_penalties(session: Session,
                                                             owner: Actor) -> None:
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Mme Hélène Dupré",
                         legal_form="", siren="", is_merchant="")
    make_invoice(session, owner, debtor)
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-09-01", level="",
              channel="lrar")
    text, claimed = summary(session, debtor)
    assert claimed.interest > 0  # type: ignore[attr-defined]
    assert "intérêts au taux légal compris" in text
    assert "pénalités" not in text and "indemnités" not in text


def test_a_debtor_in_collective_proceedings_has_a_claim_to_declare_not_a_court(
        session: Session, owner: Actor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Seen on a claim file in redressement: "Somme réclamée au 2 décembre 2026" (the sums of
    the declaration, arrêtées at the opening), a "Juridiction compétente" for an injonction de
    payer (L622-21 forbids it), no opening judgment nor BODACC in the chronology."""
    from datetime import date

    from pypdf import PdfReader

    from app.services.claim_front import front_context, render_front

    debtor = make_debtor(session, owner, proceedings_kind="redressement",
                         proceedings_judgment_date="2026-10-05",
                         proceedings_bodacc_date="2026-10-15",
                         proceedings_mandataire="Me Anne Martin")
    make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    context = front_context(session, debtor, TODAY, [], 1)
    labels = [(e.date, e.label) for e in context["chronology"]]
    assert (date(2026, 10, 5), "Jugement d'ouverture d'une procédure de redressement "
                               "judiciaire") in labels
    assert (date(2026, 10, 15), "Publication du jugement d'ouverture au BODACC") in labels
    assert "arrêtée au jugement d'ouverture, est de" in context["facts"][-1]
    cover = render_front(context, tmp_path, "Dossier", "Menuiserie Lefèvre")[0]
    text = " ".join(" ".join(PdfReader(cover.path).pages[0].extract_text().split()).split())
    assert "Créance à déclarer, arrêtée au jugement d'ouverture du 5 octobre 2026" in text
    assert "Juridiction compétente" not in text and "Somme réclamée" not in text
    assert "Poursuites individuelles interrompues (C. com. L622-21)" in text


def test_an_avoir_is_not_told_as_a_payment(session: Session, owner: Actor) -> None:
    # Seen: "Durand BTP a payé en tout 1 300,00 € : 500,00 € le …, 800,00 € le … (avoir)"
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)  # 1 200,00 € due 09/02/2025
    make_payment(session, owner, debtor, date="2026-10-01", amount="500.00")
    make_payment(session, owner, debtor, date="2026-10-02", amount="200.00",
                 kind="credit_note", invoice_id=str(invoice.id))
    text, _ = summary(session, debtor)
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Durand BTP a payé en tout 500,00 € : 500,00 € le 01/10/2026." in text
    assert "Un avoir a été accordé : 200,00 € le 02/10/2026." in text


def test_the_cover_names_the_court_the_requete_names(session: Session, owner: Actor,
                                                      tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Seen: "Président du tribunal de commerce / judiciaire dont relève Nantes" on the cover
    # while the checklist and the requête named the court with its address
    from datetime import date

    from pypdf import PdfReader

    from app.services.claim_front import front_context, render_front
    from tests.factories import make_requete_court

    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    make_requete_court(session, owner, debtor, date(2026, 11, 1), kind="tribunal_commerce",
                       name="Tribunal de commerce d'Angers", street="Place du Général Leclerc",
                       postal_code="49000", city="Angers")
    cover = render_front(front_context(session, debtor, TODAY, [], 1), tmp_path, "Dossier",
                         "Menuiserie Lefèvre")[0]
    text = " ".join(PdfReader(cover.path).pages[0].extract_text().split())
    assert ("Tribunal de commerce d'Angers, Place du Général Leclerc, 49000 Angers"
            in text.replace("\u2019", "'")), text
