"""What a debtor's reminder scenario sends next, and the next action the debtors list shows
for it (app/law/reminders.py `next_letter`, app/law/stages.py `next_action`).

The default scenario: J-5 prévenance e-mail, J+3 relance 1, J+15 relance 2 (e-mail), J+30
relance 3 (letter), J+45 mise en demeure (draft only). Invoice F-1 falls due on 10 March 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.law.alerts import Alert
from app.law.reminder_scenario import DEFAULT_STEPS
from app.law.reminders import DebtorState, InvoiceState, NextLetter, next_letter
from app.law.stages import next_action
from tests.law.test_reminders import DUE, F1, ZERO, debtor


def template_and_day(letter: NextLetter | None) -> tuple[str, date] | None:
    return None if letter is None else (letter.step.template, letter.date)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 3, 1), ("prevenance", date(2026, 3, 5))),  # 10/03 − 5 days
    (date(2026, 3, 5), ("prevenance", date(2026, 3, 5))),  # due today: sent today
    (date(2026, 3, 11), ("relance_1", date(2026, 3, 13))),  # the notice passed; J+3
    (date(2026, 3, 14), ("relance_1", date(2026, 3, 14))),  # came yesterday, not sent: today
    (date(2026, 6, 1), ("mise_en_demeure", date(2026, 6, 1))),  # past J+45: the highest step
])
def test_the_next_message_is_the_first_step_still_to_come(today: date,
                                                          expected: tuple[str, date]) -> None:
    assert template_and_day(next_letter(debtor(), ZERO, today)) == expected


def test_what_was_sent_moves_the_next_message_to_the_following_step() -> None:
    sent = InvoiceState(1, "F-1", DUE, Decimal("1200.00"), done=frozenset({"relance_1"}))
    # relance 1 sent on 13/03: relance 2 comes on 25/03 (J+15), then relance 3 on 09/04
    assert template_and_day(next_letter(debtor(sent), ZERO, date(2026, 3, 16))) == \
        ("relance_2", date(2026, 3, 25))
    both = InvoiceState(1, "F-1", DUE, Decimal("1200.00"),
                        done=frozenset({"relance_1", "relance_2"}))
    letter = next_letter(debtor(both), ZERO, date(2026, 3, 26))
    assert letter is not None and letter.step.channel == "letter"
    assert template_and_day(letter) == ("relance_3", date(2026, 4, 9))


def test_the_earliest_invoice_decides_at_the_highest_step_reached_that_day() -> None:
    later = InvoiceState(2, "F-2", date(2026, 3, 20), Decimal("300.00"))
    # F-1's relance 1 on 13/03 comes before F-2's prévenance on 15/03
    assert template_and_day(next_letter(debtor(F1, later), ZERO, date(2026, 3, 11))) == \
        ("relance_1", date(2026, 3, 13))
    same_day = InvoiceState(2, "F-2", date(2026, 2, 26), Decimal("300.00"),  # J+15 = 13/03
                            done=frozenset({"relance_1"}))
    assert template_and_day(next_letter(debtor(F1, same_day), ZERO, date(2026, 3, 11))) == \
        ("relance_2", date(2026, 3, 13))


@pytest.mark.parametrize("facts", [
    {"reminders_off": True},
    {"hold": "litige commercial"},
    {"dispute_open": True},
    {"plan_in_force": True},
    {"promise_until": date(2026, 4, 30)},
    {"notice_sent": date(2026, 3, 20)},
    {"collective": "redressement judiciaire"},
])
def test_nothing_is_sent_while_the_scenario_is_stopped(facts: dict[str, object]) -> None:
    assert next_letter(debtor(**facts), ZERO, date(2026, 3, 25)) is None


def test_an_invoice_held_settled_or_under_the_minimum_is_not_reminded() -> None:
    held = InvoiceState(1, "F-1", DUE, Decimal("1200.00"), hold="avoir en cours")
    paid = InvoiceState(2, "F-2", DUE, Decimal("0.00"))
    small = InvoiceState(3, "F-3", DUE, Decimal("15.00"))
    assert next_letter(debtor(held, paid, small), Decimal("20.00"), date(2026, 3, 25)) is None


def test_an_email_due_without_an_address_is_not_sent() -> None:
    nobody = DebtorState(7, "Durand BTP", (F1,), DEFAULT_STEPS, email="")
    assert next_letter(nobody, ZERO, date(2026, 3, 14)) is None  # relance 1 is an e-mail
    # a step still to come is announced all the same: the address may be added by then
    assert template_and_day(next_letter(nobody, ZERO, date(2026, 3, 11))) == \
        ("relance_1", date(2026, 3, 13))


def test_the_list_shows_the_scenarios_next_message_and_what_the_user_does() -> None:
    today = date(2026, 3, 16)
    sent = InvoiceState(1, "F-1", DUE, Decimal("1200.00"), done=frozenset({"relance_1"}))
    letter = next_letter(debtor(sent), ZERO, today)
    action = next_action("relance_1", [], overdue=True, as_of=today, letter=letter)
    assert action is not None
    assert (action.key, action.label, action.date) == (
        "relance_1", "Relance 2 par e-mail (scénario)", date(2026, 3, 25))
    both = InvoiceState(1, "F-1", DUE, Decimal("1200.00"),
                        done=frozenset({"relance_1", "relance_2"}))
    by_post = next_action("relance_2", [], overdue=True, as_of=today,
                          letter=next_letter(debtor(both), ZERO, today))
    assert by_post is not None and (by_post.key, by_post.label, by_post.date) == (
        "relance_2", "Relance 3 par courrier (scénario) : l'imprimer et la poster",
        date(2026, 4, 9))
    # 1 June: past J+45, the scenario prepares a mise en demeure, which a person sends
    draft = next_action("amiable", [], overdue=True, as_of=date(2026, 6, 1),
                        letter=next_letter(debtor(), ZERO, date(2026, 6, 1)))
    assert draft is not None and (draft.key, draft.label) == (
        "relance_3", "Mise en demeure (scénario) : la vérifier et l'envoyer")


def test_without_a_scenario_message_the_next_relance_is_sent_by_hand_today() -> None:
    today = date(2026, 3, 25)
    action = next_action("relance_1", [], overdue=True, as_of=today, letter=None)
    assert action is not None
    assert (action.key, action.label, action.date) == ("relance_1", "Envoyer la relance n° 2",
                                                       today)


def test_before_the_due_date_the_list_shows_the_courtesy_notice_to_come() -> None:
    today = date(2026, 3, 1)
    action = next_action("amiable", [], overdue=False, as_of=today,
                         letter=next_letter(debtor(), ZERO, today))
    assert action is not None and (action.key, action.label, action.date) == (
        "prevenance", "Prévenance avant échéance par e-mail (scénario)", date(2026, 3, 5))


def test_a_pressing_deadline_comes_before_the_scenario() -> None:
    today = date(2026, 3, 25)
    urgent = Alert(key="prescription", date=date(2026, 4, 1), title="Prescription",
                   consequence="", article="C. com. L110-4", severity="urgent",
                   days_left=7, action="")
    letter = NextLetter(DEFAULT_STEPS[2], date(2026, 3, 25))
    action = next_action("relance_1", [urgent], overdue=True, as_of=today, letter=letter)
    assert action is not None and action.key == "prescription"
