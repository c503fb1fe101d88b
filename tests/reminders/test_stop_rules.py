"""Every stop rule, read from the database: who gets no reminder today, and why.

Durand BTP (conftest): F-1 due 05/11/2026 and F-2 due 18/11/2026; on 22/11/2026 a relance 2
covering both is due, unless a rule stops it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.models import Creditor, Debtor, Invoice, PaymentPromise, ReminderHold
from app.services.context import Actor
from app.services.reminders.plan import day_plan
from tests.factories import make_full_payment, make_payment, make_step
from tests.reminders.conftest import TODAY

Setup = Callable[[Session, Actor, Debtor], None]


def invoice(session: Session, number: str) -> Invoice:
    return session.exec(select(Invoice).where(Invoice.number == number)).one()


def plan_of(session: Session, actor: Actor):  # type: ignore[no-untyped-def]
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    return day_plan(session, creditor, TODAY)


def hold_debtor(session: Session, actor: Actor, debtor: Debtor) -> None:
    session.add(ReminderHold(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                             reason="rendez-vous prévu", until=date(2026, 12, 1)))
    session.commit()


def promise(session: Session, actor: Actor, debtor: Debtor) -> None:
    session.add(PaymentPromise(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                               made_on=date(2026, 11, 20), due_date=date(2026, 11, 28),
                               amount=Decimal("1800.00")))
    session.commit()


def collective(session: Session, actor: Actor, debtor: Debtor) -> None:
    debtor.proceedings_kind, debtor.proceedings_judgment_date = "redressement", date(2026, 11, 15)
    session.add(debtor)
    session.commit()


def reminders_off(session: Session, actor: Actor, debtor: Debtor) -> None:
    debtor.reminders_off = True
    session.add(debtor)
    session.commit()


DEBTOR_RULES: list[tuple[str, Setup, str]] = [
    ("dispute", lambda s, a, d: make_step(s, a, d, kind="dispute", date="2026-11-10", level=""),
     "contestation enregistrée, non close"),
    ("plan", lambda s, a, d: make_step(s, a, d, kind="payment_plan", date="2026-12-15",
                                       level="", amount="900.00"),
     "échéancier de paiement en cours"),
    ("promise", promise, "promesse de paiement jusqu'au 28/11/2026"),
    ("collective", collective,
     "procédure collective (redressement) : déclarer la créance, pas de relance"),
    ("notice", lambda s, a, d: make_step(s, a, d, kind="mise_en_demeure", date="2026-11-20",
                                         level="", channel="lrar"),
     "phase contentieuse : mise en demeure envoyée le 20/11/2026"),
    ("requete", lambda s, a, d: make_step(s, a, d, kind="requete_filed", date="2026-11-21",
                                          level="", channel=""),
     "phase contentieuse : requête déposée le 21/11/2026"),
    ("off", reminders_off, "relances désactivées pour ce débiteur"),
    ("hold", hold_debtor, "relances suspendues : rendez-vous prévu (jusqu'au 01/12/2026)"),
]


@pytest.mark.parametrize(("name", "setup", "reason"), DEBTOR_RULES, ids=[r[0] for r in DEBTOR_RULES])
def test_debtor_is_skipped_with_its_reason(session: Session, owner: Actor, durand: Debtor,
                                           name: str, setup: Setup, reason: str) -> None:
    setup(session, owner, durand)
    plan = plan_of(session, owner)
    assert plan.actions == []
    assert [(s.debtor, s.numbers, s.skip.reason) for s in plan.skipped] == \
        [("Durand BTP", ("F-1", "F-2"), reason)]


def test_hold_ended_or_lifted_no_longer_stops(session: Session, owner: Actor,
                                              durand: Debtor) -> None:
    session.add(ReminderHold(creditor_id=owner.creditor_id, debtor_id=durand.id,  # type: ignore[arg-type]
                             reason="fini", until=date(2026, 11, 21)))
    session.commit()
    assert len(plan_of(session, owner).actions) == 1


def test_broken_promise_resumes(session: Session, owner: Actor, durand: Debtor) -> None:
    session.add(PaymentPromise(creditor_id=owner.creditor_id, debtor_id=durand.id,  # type: ignore[arg-type]
                               made_on=date(2026, 11, 10), due_date=date(2026, 11, 20),
                               amount=Decimal("1800.00")))
    session.commit()
    assert len(plan_of(session, owner).actions) == 1


def test_paid_invoice_is_left_out(session: Session, owner: Actor, durand: Debtor) -> None:
    make_full_payment(session, owner, durand, date(2026, 11, 20), invoice(session, "F-1"))
    plan = plan_of(session, owner)
    assert [(p.numbers, p.action.step.template) for p in plan.actions] == [(("F-2",), "relance_1")]


def test_a_price_paid_late_leaves_its_penalties_worth_to_remind(session: Session, owner: Actor,
                                                                durand: Debtor) -> None:
    # 1 200 € for F-1, 15 days late: its penalties are paid first (C. civ. 1343-1) and the
    # price keeps what they took, as the debtor page and the letters say
    make_payment(session, owner, durand, date="2026-11-20", amount="1200.00",
                 invoice_id=str(invoice(session, "F-1").id))
    assert Decimal("0") < invoice(session, "F-1").balance < Decimal("10")
    plan = plan_of(session, owner)
    assert [(p.numbers, p.action.step.template) for p in plan.actions] == [
        (("F-1", "F-2"), "relance_2")]


def test_credited_invoice_is_left_out(session: Session, owner: Actor, durand: Debtor) -> None:
    make_payment(session, owner, durand, date="2026-11-20", amount="600.00", kind="credit_note",
                 invoice_id=str(invoice(session, "F-2").id), reference="AV-1")
    plan = plan_of(session, owner)
    assert [(p.numbers, p.action.step.template) for p in plan.actions] == [(("F-1",), "relance_2")]


def test_invoice_under_the_minimum_is_skipped(session: Session, owner: Actor,
                                              durand: Debtor) -> None:
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.reminder_min_amount = Decimal("1000.00")
    session.add(creditor)
    session.commit()
    plan = plan_of(session, owner)
    assert [p.numbers for p in plan.actions] == [("F-1",)]
    assert [s.skip.reason for s in plan.skipped] == \
        ["F-2 : solde de 600,00 € inférieur au minimum de relance (1 000,00 €)"]


def test_held_invoice_is_skipped(session: Session, owner: Actor, durand: Debtor) -> None:
    session.add(ReminderHold(creditor_id=owner.creditor_id, debtor_id=durand.id,  # type: ignore[arg-type]
                             invoice_id=invoice(session, "F-1").id, reason="avoir en cours"))
    session.commit()
    plan = plan_of(session, owner)
    assert [(p.numbers, p.action.step.template) for p in plan.actions] == [(("F-2",), "relance_1")]
    assert [s.skip.reason for s in plan.skipped] == \
        ["F-1 : relance suspendue sur cette facture : avoir en cours"]


def test_relance_recorded_by_hand_counts_as_done(session: Session, owner: Actor,
                                                 durand: Debtor) -> None:
    make_step(session, owner, durand, kind="reminder", level="2", date="2026-11-21")
    plan = plan_of(session, owner)
    assert plan.actions == []
