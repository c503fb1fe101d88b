"""Which reminder a debtor gets on a given day, or why none (app/law/reminders.py).

The default scenario: J-5 prévenance e-mail, J+3 relance 1, J+15 relance 2 (e-mail), J+30
relance 3 (letter), J+45 mise en demeure (draft only).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.law.reminder_scenario import DEFAULT_STEPS
from app.law.reminders import (
    DebtorState,
    InvoiceState,
    debtor_stop,
    idempotency_key,
    invoice_stop,
    plan_debtor,
    reached_step,
    recheck,
)

DUE = date(2026, 3, 10)
F1 = InvoiceState(1, "F-1", DUE, Decimal("1200.00"))
ZERO = Decimal(0)


def debtor(*invoices: InvoiceState, **facts: object) -> DebtorState:
    return DebtorState(7, "Durand BTP", invoices or (F1,), DEFAULT_STEPS,
                       email="compta@durand.test", postal_address=True,
                       **facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(("today", "template"), [
    (date(2026, 3, 4), None),  # J-6: nothing yet
    (date(2026, 3, 5), "prevenance"),  # 10/03 - 5 days = 05/03
    (date(2026, 3, 10), "prevenance"),  # the due date itself: still a courtesy notice
    (date(2026, 3, 11), None),  # J+1: the notice is stale, relance 1 not yet (J+3 = 13/03)
    (date(2026, 3, 13), "relance_1"),  # 10/03 + 3
    (date(2026, 3, 25), "relance_2"),  # 10/03 + 15 = 25/03
    (date(2026, 4, 9), "relance_3"),  # 10/03 + 30 = 09/04 (21 days left in March + 9)
    (date(2026, 4, 24), "mise_en_demeure"),  # 10/03 + 45 = 24/04
])
def test_step_reached_at_a_date(today: date, template: str | None) -> None:
    step = reached_step(DEFAULT_STEPS, F1, today)
    assert (step.template if step else None) == template


def test_step_already_done_is_not_reached_again() -> None:
    done = replace(F1, done=frozenset({"relance_1"}))
    assert reached_step(DEFAULT_STEPS, done, date(2026, 3, 20)) is None  # J+10
    assert reached_step(DEFAULT_STEPS, done, date(2026, 3, 25)).template == "relance_2"  # type: ignore[union-attr]


def test_lower_step_never_follows_a_higher_one() -> None:
    done = replace(F1, done=frozenset({"relance_2"}))
    # J+20: relance 2 is the highest come, and a relance 2 went: no relance 1 now.
    assert reached_step(DEFAULT_STEPS, done, date(2026, 3, 30)) is None


def test_one_message_per_debtor_at_the_highest_level() -> None:
    # 25/03/2026: F-1 (due 10/03) is at J+15 → relance 2; F-2 (due 20/03) at J+5 → relance 1.
    f2 = InvoiceState(2, "F-2", date(2026, 3, 20), Decimal("600.00"))
    plan = plan_debtor(debtor(F1, f2), ZERO, date(2026, 3, 25))
    assert plan.action is not None
    assert plan.action.step.template == "relance_2"
    assert plan.action.invoices == (1, 2)
    assert plan.action.reached == ((1, "relance_2"), (2, "relance_1"))
    assert plan.action.key == "7:relance_2:1,2"
    assert not plan.action.draft


def test_letter_and_notice_are_drafts() -> None:
    letter = plan_debtor(debtor(), ZERO, date(2026, 4, 9)).action
    notice = plan_debtor(debtor(), ZERO, date(2026, 4, 24)).action
    assert letter is not None and letter.step.channel == "letter" and letter.draft
    assert notice is not None and notice.step.template == "mise_en_demeure" and notice.draft


def test_idempotency_key_sorts_invoices() -> None:
    assert idempotency_key(3, "relance_1", [9, 2, 5]) == "3:relance_1:2,5,9"


# ------------------------------------------------------------------ stop rules: invoices


@pytest.mark.parametrize(("invoice", "minimum", "reason"), [
    (replace(F1, balance=ZERO), ZERO, "facture réglée"),
    (replace(F1, balance=ZERO, credited=True), ZERO, "facture soldée par avoir"),
    (replace(F1, balance=Decimal("30.00")), Decimal("50.00"),
     "solde de 30,00 € inférieur au minimum de relance (50,00 €)"),
    (replace(F1, hold="litige sur la pose"), ZERO,
     "relance suspendue sur cette facture : litige sur la pose"),
    (F1, ZERO, ""),
])
def test_invoice_stop_rules(invoice: InvoiceState, minimum: Decimal, reason: str) -> None:
    assert invoice_stop(invoice, minimum) == reason


def test_held_invoice_is_left_out_and_says_why() -> None:
    f2 = InvoiceState(2, "F-2", date(2026, 3, 20), Decimal("600.00"), hold="avoir à venir")
    plan = plan_debtor(debtor(F1, f2), ZERO, date(2026, 3, 25))
    assert plan.action is not None and plan.action.invoices == (1,)
    assert [s.reason for s in plan.skipped] == \
        ["F-2 : relance suspendue sur cette facture : avoir à venir"]


# ------------------------------------------------------------------ stop rules: debtors

TODAY = date(2026, 3, 25)


@pytest.mark.parametrize(("facts", "reason"), [
    ({"reminders_off": True}, "relances désactivées pour ce débiteur"),
    ({"collective": "redressement"},
     "procédure collective (redressement) : déclarer la créance, pas de relance"),
    ({"requete_filed": date(2026, 3, 20)}, "phase contentieuse : requête déposée le 20/03/2026"),
    ({"notice_sent": date(2026, 3, 18)},
     "phase contentieuse : mise en demeure envoyée le 18/03/2026"),
    ({"dispute_open": True}, "contestation enregistrée, non close"),
    ({"plan_in_force": True}, "échéancier de paiement en cours"),
    ({"promise_until": date(2026, 3, 31)}, "promesse de paiement jusqu'au 31/03/2026"),
    ({"hold": "en négociation (jusqu'au 01/04/2026)"},
     "relances suspendues : en négociation (jusqu'au 01/04/2026)"),
])
def test_debtor_stop_rules(facts: dict[str, object], reason: str) -> None:
    state = debtor(**facts)
    assert debtor_stop(state, TODAY) == reason
    plan = plan_debtor(state, ZERO, TODAY)
    assert plan.action is None
    assert [(s.invoices, s.reason) for s in plan.skipped] == [((1,), reason)]


def test_promise_passed_no_longer_pauses() -> None:
    assert debtor_stop(debtor(promise_until=date(2026, 3, 24)), TODAY) == ""


def test_debtor_without_email_is_skipped_for_an_email_step() -> None:
    plan = plan_debtor(replace(debtor(), email=""), ZERO, TODAY)
    assert plan.action is None
    assert plan.skipped[0].reason.startswith("aucune adresse e-mail")


def test_debtor_without_email_still_gets_its_letter() -> None:
    plan = plan_debtor(replace(debtor(), email=""), ZERO, date(2026, 4, 9))
    assert plan.action is not None and plan.action.step.channel == "letter"


@pytest.mark.parametrize("today", [date(2026, 4, 9), date(2026, 4, 24)])  # relance 3, mise en demeure
def test_debtor_without_postal_address_is_skipped_for_a_letter(today: date) -> None:
    plan = plan_debtor(replace(debtor(), postal_address=False), ZERO, today)
    assert plan.action is None
    assert [s.reason for s in plan.skipped] == [
        "aucune adresse postale : l'ajouter sur la fiche du débiteur"]


def test_debtor_without_postal_address_still_gets_its_email() -> None:
    plan = plan_debtor(replace(debtor(), postal_address=False), ZERO, date(2026, 3, 25))
    assert plan.action is not None and plan.action.step.channel == "email"


def test_nothing_due_lists_nobody() -> None:
    plan = plan_debtor(debtor(collective="liquidation"), ZERO, date(2026, 3, 1))
    assert plan.action is None and plan.skipped == ()



F2 = InvoiceState(2, "F-2", date(2026, 3, 20), Decimal("600.00"))
F3 = InvoiceState(3, "F-3", date(2026, 3, 24), Decimal("300.00"))  # no step due on 25/03


def test_message_planned_earlier_is_still_due() -> None:
    assert recheck(debtor(F1, F2), (1, 2), ZERO, date(2026, 3, 25)) == ""


@pytest.mark.parametrize(("state", "reason"), [
    (debtor(F3), "les factures de ce message sont réglées"),
    (debtor(F1), "une facture de ce message a été réglée depuis"),
    (debtor(F1, F2, collective="redressement"),
     "procédure collective (redressement) : déclarer la créance, pas de relance"),
    (debtor(F1, F2, hold="litige"), "relances suspendues : litige"),
    (debtor(replace(F1, hold="avoir attendu"), F2),
     "F-1 : relance suspendue sur cette facture : avoir attendu"),
])
def test_message_planned_earlier_is_no_longer_due(state: DebtorState, reason: str) -> None:
    # the message named F-1 and F-2; the file changed before the day it would leave
    assert recheck(state, (1, 2), ZERO, date(2026, 3, 25)) == reason
