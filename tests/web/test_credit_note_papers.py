"""An avoir cancels what it credits, on the page and on the papers: reported on a consumer's
prescribed invoice credited in full, whose décompte put 15,71 € of the avoir on interest
(C. civ. 1343-1 is about payments) and left 15,71 € of principal that blocked every paper."""

from __future__ import annotations

from html import unescape

from app.services.decompte import debtor_decompte
from tests.conftest import TODAY
from tests.documents.scenario import complete_creditor
from tests.factories import make_debtor, make_invoice, make_payment, make_step
from tests.web.test_generate_documents import generate


def spaced(html: str) -> str:
    return unescape(html).replace("\u202f", " ").replace("\xa0", " ")


def test_an_invoice_credited_in_full_is_owed_nowhere_and_blocks_no_paper(
        owner_client, session, owner):  # type: ignore[no-untyped-def]
    complete_creditor(session, owner)
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Sophie Petit",
                         legal_form="", siren="", representative="", is_merchant="")
    # prescribed on 01/09/2026 (2 years, C. conso. L218-2), then cancelled by an avoir
    old = make_invoice(session, owner, debtor, number="F-2024-090", amount_ht="666.67",
                       amount_tva="133.33", amount_ttc="800.00", issue_date="2024-09-01",
                       due_date="2024-10-01")
    make_invoice(session, owner, debtor, number="F-2026-100", amount_ht="416.67",
                 amount_tva="83.33", amount_ttc="500.00", issue_date="2026-09-01",
                 due_date="2026-10-01")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2026-03-01", level="",
              channel="lrar", deadline_days="8")
    make_payment(session, owner, debtor, date="2026-11-20", amount="800.00",
                 reference="AV-2026-007", kind="credit_note", invoice_id=str(old.id))
    decompte = debtor_decompte(session, debtor, TODAY)
    credited = next(row for row in decompte.invoices if row.number == "F-2024-090")
    assert (credited.principal, credited.interest, credited.paid_to_interest) == (0, 0, 0)
    assert decompte.principal == 500
    page = spaced(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Avoir du 20/11/2026 : 800,00 € (réduit le prix dès l'origine" in page
    assert "désignée par le débiteur" not in page
    response = generate(owner_client, debtor.id, kind="mise_en_demeure", date="2026-11-22")
    text = spaced(response.text)
    assert response.status_code == 200, text
    assert "Créance prescrite" not in text
