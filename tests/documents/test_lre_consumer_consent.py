"""A mise en demeure by electronic registered letter (LRE) to a consumer is warned: an LRE is
worth an LRAR (CPCE L100) only if the consumer agreed to receive LRE (LAW.md §4).

Seen (papers review): for Mme Marie-Noëlle Payet, a private customer, the mise en demeure with
channel "Lettre recommandée électronique" was generated with no word of her consent — only the
rate warnings — and its letterhead says "Lettre recommandée électronique" as for a company.
"""

from __future__ import annotations

from datetime import date

from app.services import documents
from tests.documents.scenario import complete_creditor
from tests.factories import make_debtor, make_invoice

DAY = date(2025, 11, 20)


def test_a_notice_by_lre_to_a_consumer_warns_that_consent_is_needed(session, owner):
    complete_creditor(session, owner)
    debtor = make_debtor(session, owner, kind="consumer", legal_name="Mme Marie-Noëlle Payet",
                         legal_form="", siren="", street="12 rue des Lilas", postal_code="44000",
                         city="Nantes", representative="", is_merchant="",
                         email="mn.payet@example.fr")
    make_invoice(session, owner, debtor, number="F-2025-0042", issue_date="2025-02-01",
                 due_date="2025-03-03")
    checked = documents.check(session, owner, debtor, {
        "kind": "mise_en_demeure", "date": DAY.isoformat(), "deadline_days": "8",
        "channel": "lre"})
    said = " ".join(checked.warnings).lower()
    assert "lre" in said or "recommandée électronique" in said, checked.warnings
    assert "consommateur" in said or "accord" in said or "consent" in said, checked.warnings


def test_a_notice_by_lre_to_a_company_needs_no_such_warning(session, owner):
    complete_creditor(session, owner)
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    checked = documents.check(session, owner, debtor, {
        "kind": "mise_en_demeure", "date": DAY.isoformat(), "deadline_days": "8",
        "channel": "lre"})
    assert not any("électronique" in w for w in checked.warnings)
