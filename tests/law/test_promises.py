"""Promises to pay: kept, broken or open on dated worked examples; the alerts they raise; a
phone call is neither a reminder level nor an interruption of prescription."""

from datetime import date
from decimal import Decimal

import pytest

from app.law.alerts import AlertFacts, debtor_alerts
from app.law.promises import Paid, Promise, latest, paid_towards, promise_status
from app.law.severity import judge
from app.law.stages import StepFact, next_action, stage

# Call on Mon 02/11/2026: "1 500,00 € by Mon 16/11/2026".
PROMISE = Promise(made_on=date(2026, 11, 2), due_date=date(2026, 11, 16), amount=Decimal("1500.00"))


@pytest.mark.parametrize(("payments", "today", "expected"), [
    # nothing paid, 16/11 not passed on 16/11 itself: still open
    ((), date(2026, 11, 16), "open"),
    # nothing paid, 17/11 > 16/11: broken
    ((), date(2026, 11, 17), "broken"),
    # 1 000 on 05/11 + 500 on 16/11 = 1 500 ≥ 1 500: kept (the due date itself counts)
    ((Paid(date(2026, 11, 5), Decimal("1000.00")), Paid(date(2026, 11, 16), Decimal("500.00"))),
     date(2026, 11, 30), "kept"),
    # 1 000 + 499,99 = 1 499,99 < 1 500 and 30/11 > 16/11: broken by one cent
    ((Paid(date(2026, 11, 5), Decimal("1000.00")), Paid(date(2026, 11, 16), Decimal("499.99"))),
     date(2026, 11, 30), "broken"),
    # 1 500 paid on 17/11, one day late: not counted → broken
    ((Paid(date(2026, 11, 17), Decimal("1500.00")),), date(2026, 11, 30), "broken"),
    # 1 500 paid on 01/11, the day before the call: that payment was not the promise → broken
    ((Paid(date(2026, 11, 1), Decimal("1500.00")),), date(2026, 11, 30), "broken"),
    # 1 500 paid on the day of the call (02/11): counts → kept
    ((Paid(date(2026, 11, 2), Decimal("1500.00")),), date(2026, 11, 30), "kept"),
    # paid 2 000 on 10/11: more than promised, kept before the date too
    ((Paid(date(2026, 11, 10), Decimal("2000.00")),), date(2026, 11, 12), "kept"),
])
def test_promise_status_worked_examples(payments, today, expected) -> None:
    assert promise_status(PROMISE, payments, today=today) == expected


def test_a_promise_found_kept_stays_kept() -> None:
    kept = Promise(PROMISE.made_on, PROMISE.due_date, PROMISE.amount, kept=True)
    assert promise_status(kept, (), today=date(2027, 1, 1)) == "kept"
    assert debtor_alerts(AlertFacts(promises=(kept,)), as_of=date(2027, 1, 1)) == ()


def test_paid_towards_sums_the_window_only() -> None:
    # 01/11 (before) 300 + 05/11 200 + 16/11 100 + 17/11 (after) 50 → 200 + 100 = 300
    paid = (Paid(date(2026, 11, 1), Decimal("300")), Paid(date(2026, 11, 5), Decimal("200")),
            Paid(date(2026, 11, 16), Decimal("100")), Paid(date(2026, 11, 17), Decimal("50")))
    assert paid_towards(PROMISE, paid) == Decimal("300")


def test_latest_promise_speaks_for_the_debtor() -> None:
    later = Promise(date(2026, 11, 20), date(2026, 12, 4), Decimal("800.00"))
    assert latest([later, PROMISE]) == later
    assert latest([]) is None


def test_a_broken_promise_raises_an_alert_that_lets_the_creditor_act() -> None:
    today = date(2026, 11, 22)  # 16/11 passed, nothing paid
    [alert] = debtor_alerts(AlertFacts(promises=(PROMISE,)), as_of=today)
    assert alert.key == "promesse_non_tenue"
    assert alert.date == date(2026, 11, 16) and alert.days_left == -6
    assert "1 500,00" in alert.title and "16/11/2026" in alert.title
    assert "reprennent" in alert.consequence
    judged = judge(alert, today)
    assert judged.level == "can_act"  # "Délai expiré : vous pouvez agir"


def test_an_open_promise_says_the_scenario_waits_until_its_date() -> None:
    today = date(2026, 11, 10)
    [alert] = debtor_alerts(AlertFacts(promises=(PROMISE,)), as_of=today)
    assert alert.key == "promesse_en_cours" and alert.severity == "info"
    assert "suspendues jusqu'à cette date" in alert.consequence
    assert judge(alert, today).level == "wait"
    # and the next action is to wait for it, not the next letter of the amicable track
    action = next_action("relance_1", [alert], overdue=True, as_of=today)
    assert action is not None and action.key == "promesse_en_cours"


def test_a_kept_promise_or_nothing_owed_raises_nothing() -> None:
    paid = (Paid(date(2026, 11, 10), Decimal("1500.00")),)
    assert debtor_alerts(AlertFacts(promises=(PROMISE,), promise_payments=paid),
                         as_of=date(2026, 11, 22)) == ()
    assert debtor_alerts(AlertFacts(promises=(PROMISE,), still_owed=False),
                         as_of=date(2026, 11, 22)) == ()


def test_no_promise_alert_in_collective_proceedings() -> None:
    # C. com. L622-7: no payment of a prior claim once the proceedings opened
    facts = AlertFacts(promises=(PROMISE,), collective_opened=date(2026, 11, 18))
    keys = {a.key for a in debtor_alerts(facts, as_of=date(2026, 11, 22))}
    assert not keys & {"promesse_non_tenue", "promesse_en_cours"}


def test_a_call_is_not_a_reminder_level() -> None:
    calls = [StepFact("call", date(2026, 11, 2)), StepFact("call", date(2026, 11, 9), level=3)]
    assert stage(calls) == "amiable"
    assert stage([StepFact("reminder", date(2026, 10, 1), level=1), *calls]) == "relance_1"
